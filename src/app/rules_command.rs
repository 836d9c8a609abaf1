//! `reelcheck rules list | show | validate | facts`.

use super::{emit, load_error};
use crate::cli::RulesCommand;
use crate::exit_codes::ExitCode;
use crate::rules::{self, builtin};
use anyhow::Result;

pub(super) fn run(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::List => {
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
        RulesCommand::Show { name } => {
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
        RulesCommand::Facts => emit(&rules::schema::listing())?,
        RulesCommand::Validate { file } => match rules::load_file(&file) {
            Ok(set) => {
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
