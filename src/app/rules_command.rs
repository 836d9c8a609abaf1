//! `reelcheck rules list | show | validate | facts`.

use super::{emit, load_error};
use crate::cli::{ListingFormat, RulesCommand};
use crate::exit_codes::ExitCode;
use crate::rules::model::{Rule, RuleSet};
use crate::rules::{self, builtin, schema};
use anyhow::Result;

pub(super) fn run(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::List {
            format: ListingFormat::Markdown,
        } => emit(&builtin_rules_markdown()?)?,
        RulesCommand::List {
            format: ListingFormat::Text,
        } => {
            let mut out = String::new();
            for name in builtin::NAMES {
                let set = rules::load_builtin(name).map_err(load_error)?;
                out.push_str(&format!(
                    "{:<8} {:>2} rules  {}\n",
                    name,
                    set.rules.len(),
                    set.description.as_deref().unwrap_or("")
                ));
            }
            emit(&out)?;
        }
        RulesCommand::Show {
            name,
            format: ListingFormat::Markdown,
        } => {
            let set = match builtin::text(&name) {
                Some(_) => rules::load_builtin(&name),
                None => rules::load_file(std::path::Path::new(&name)),
            }
            .map_err(load_error)?;
            emit(&rules_markdown(&set))?;
        }
        RulesCommand::Show {
            name,
            format: ListingFormat::Text,
        } => {
            let set = if let Some(text) = builtin::text(&name) {
                emit(text)?;
                return Ok(ExitCode::Success);
            } else {
                rules::load_file(std::path::Path::new(&name)).map_err(load_error)?
            };
            let mut out = format!("{} ({}): {} rules\n", set.name, set.source, set.rules.len());
            for r in &set.rules {
                out.push_str(&format!(
                    "  {:<7}  {:<22} {} {}\n",
                    r.severity,
                    r.id,
                    r.test.fact,
                    r.test.describe()
                ));
            }
            emit(&out)?;
        }
        RulesCommand::Facts {
            format: ListingFormat::Text,
        } => emit(&schema::listing())?,
        RulesCommand::Facts {
            format: ListingFormat::Markdown,
        } => emit(&facts_markdown())?,
        RulesCommand::Validate { file } => match rules::load_file(&file) {
            Ok(set) => {
                // Probable mistakes: the file loads, but a message may say something untrue.
                for w in &set.warnings {
                    eprintln!("{}", crate::output::printable(w));
                }
                emit(&format!(
                    "{}: OK, rule set '{}' with {} rules\n",
                    file.display(),
                    set.name,
                    set.rules.len()
                ))?;
            }
            Err(e) => {
                for p in &e.problems {
                    eprintln!("{}", crate::output::printable(&p.to_string()));
                }
                if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                    for p in &e.problems {
                        eprintln!("{}", p.render());
                    }
                }
                return Ok(ExitCode::Usage);
            }
        },
    }
    Ok(ExitCode::Success)
}

/// Every fact a rule may name, as a Markdown table (the reference in the project's docs is
/// generated from it).
fn facts_markdown() -> String {
    let mut out = String::from("| fact | value | measured by |\n|------|-------|-------------|\n");
    let number = reelcheck_facts::units::Kind::Number.describe();
    for list in schema::LISTS {
        out.push_str(&row(&[&code(&format!("count({list})")), number, "header"]));
    }
    for e in schema::ENTRIES {
        let by = e.analyzer.map_or("header", reelcheck_facts::Analyzer::name);
        out.push_str(&row(&[&code(e.pattern), e.kind.describe(), by]));
    }
    out
}

/// One rule set's rules as a Markdown table, for organizers who publish their rules.
fn rules_markdown(set: &RuleSet) -> String {
    let mut out =
        String::from("| id | severity | checks | source |\n|----|----------|--------|--------|\n");
    for r in &set.rules {
        out.push_str(&row(&[
            &code(&r.id),
            r.severity.as_str(),
            &checks(r),
            source(r),
        ]));
    }
    out
}

/// Every rule of the built-in sets once, with the sets that hold it.
fn builtin_rules_markdown() -> Result<String> {
    // (rule as a row without its sets, the sets), in the order the sets list their rules.
    let mut rows: Vec<([String; 4], Vec<&str>)> = Vec::new();
    for name in builtin::NAMES {
        let set = rules::load_builtin(name).map_err(load_error)?;
        for r in &set.rules {
            let cells = [
                code(&r.id),
                r.severity.as_str().to_string(),
                checks(r),
                source(r).to_string(),
            ];
            match rows.iter_mut().find(|(c, _)| *c == cells) {
                Some((_, sets)) => sets.push(name),
                None => rows.push((cells, vec![name])),
            }
        }
    }
    let mut out = String::from(
        "| id | severity | sets | checks | source |\n|----|----------|------|--------|--------|\n",
    );
    for ([id, severity, checks, source], sets) in &rows {
        out.push_str(&row(&[id, severity, &sets.join(", "), checks, source]));
    }
    Ok(out)
}

/// What a rule tests, and when it applies: "`fact`: ≥ 1:00 (±0.5 s), when `other`: h264".
fn checks(r: &Rule) -> String {
    let mut text = format!("{}: {}", code(&r.test.fact.to_string()), r.test.describe());
    for (i, w) in r.when.iter().enumerate() {
        let join = if i == 0 { ", when " } else { " and " };
        text.push_str(&format!(
            "{join}{}: {}",
            code(&w.fact.to_string()),
            w.describe()
        ));
    }
    text
}

fn source(r: &Rule) -> &str {
    r.source.as_deref().unwrap_or("")
}

fn code(text: &str) -> String {
    format!("`{text}`")
}

/// A table row. A `|` inside a cell would end it, even inside a code span.
fn row(cells: &[&str]) -> String {
    let cells: Vec<String> = cells
        .iter()
        .map(|c| c.replace('|', "\\|").replace('\n', " "))
        .collect();
    format!("| {} |\n", cells.join(" | "))
}
