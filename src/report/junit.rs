//! JUnit XML, as GitLab, GitHub and Jenkins show test results: a test suite per track, a test
//! case per film, so that a CI viewer lists films (194 films are 194 test cases, not one per
//! rule). A film that fails is a failure whose message names its failed rules and whose body
//! says each finding as the text report does (what was expected and found, and how to fix
//! it); a film that passes with failed warnings passes, with each warning in its
//! `system-err` (where viewers show warnings) and a `warnings` property counting them; a film
//! that could not be read is an error, and a file listed without being checked is skipped.
//! Each test case has the time its check took in this run and when it started.

use crate::output::one_line;
use crate::report::Exporter;
use crate::rules::Severity;
use crate::verdict::{FileReport, FileStatus, Report, RuleResult, RuleStatus, SkipCause};
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

pub struct Junit;

impl Exporter for Junit {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut out = quick_junit::Report::new("reelcheck");
        // One suite per track, in the order the films come; films of no track in "entries".
        let mut suites: BTreeMap<usize, TestSuite> = BTreeMap::new();
        let mut order: Vec<Option<&str>> = Vec::new();
        for file in &report.files {
            let track = file.entry.track.as_deref();
            let k = order.iter().position(|t| *t == track).unwrap_or_else(|| {
                order.push(track);
                order.len() - 1
            });
            let suite = suites.entry(k).or_insert_with(|| {
                let mut s = TestSuite::new(match track {
                    Some(t) => format!("track {t}"),
                    None => "entries".to_string(),
                });
                if let Some(t) = track {
                    s.add_property(Property::new("track", t));
                }
                s
            });
            suite.add_test_case(case(file));
        }
        out.add_test_suites(suites.into_values());
        Ok(out.to_string()? + "\n")
    }
}

/// The film's test case.
fn case(file: &FileReport) -> TestCase {
    let failed: Vec<&RuleResult> = file.results.iter().filter(|r| fails(file, r)).collect();
    let unchecked: Vec<&RuleResult> = file
        .results
        .iter()
        .filter(|r| {
            file.status == FileStatus::Fail
                && r.severity == Severity::Error
                && r.skip_cause == Some(SkipCause::NeedsDecoding)
        })
        .collect();
    let warnings: Vec<&RuleResult> = file
        .results
        .iter()
        .filter(|r| r.status == RuleStatus::Fail && !fails(file, r) && r.severity != Severity::Info)
        .collect();
    let status = match file.status {
        FileStatus::Error => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            s.set_message(one_line(
                file.error.as_deref().unwrap_or("could not be read"),
            ))
            .set_type(file.error_code.as_deref().unwrap_or("unreadable"));
            s
        }
        FileStatus::Ignored => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(one_line(file.error.as_deref().unwrap_or("ignored")));
            s
        }
        FileStatus::Fail => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let mut ids: Vec<&str> = failed.iter().map(|r| r.id.as_str()).collect();
            ids.extend(unchecked.iter().map(|r| r.id.as_str()));
            let n = ids.len();
            s.set_message(format!(
                "{n} {} failed: {}",
                if n == 1 { "rule" } else { "rules" },
                ids.join(", ")
            ))
            .set_type("fail");
            let mut body: Vec<String> = failed.iter().map(|r| finding(r)).collect();
            body.extend(unchecked.iter().map(|r| {
                format!(
                    "not checked: {}: needs decoding, left out by --quick (--strict fails it): {}",
                    r.id,
                    one_line(r.reason.as_deref().unwrap_or("skipped"))
                )
            }));
            s.set_description(body.join("\n\n"));
            s
        }
        FileStatus::Pass => TestCaseStatus::success(),
    };
    let mut case = TestCase::new(file.path.as_str(), status);
    case.set_classname(match file.entry.track.as_deref() {
        Some(t) => format!("reelcheck.{t}"),
        None => "reelcheck".to_string(),
    });
    for (name, value) in [
        ("track", &file.entry.track),
        ("id", &file.entry.id),
        ("title", &file.entry.title),
        ("key", &file.entry.key),
    ] {
        if let Some(v) = value {
            case.add_property(Property::new(name, one_line(v)));
        }
    }
    if let Some(t) = &file.timing {
        case.set_time(std::time::Duration::from_secs_f64(t.seconds.max(0.0)));
        let at: chrono::DateTime<chrono::Utc> = t.started.into();
        case.set_timestamp(at.fixed_offset());
    }
    // Warnings where CI viewers show them, and counted, so that a pass with warnings is not
    // read as all clear.
    if !warnings.is_empty() {
        case.add_property(Property::new("warnings", warnings.len().to_string()));
        let text: Vec<String> = warnings.iter().map(|r| finding(r)).collect();
        case.set_system_err(text.join("\n\n"));
    }
    // Skipped rules, counted by cause, and whether the verdict is final (see docs/reports.md).
    let mut skipped = crate::verdict::Skipped::default();
    for r in &file.results {
        skipped.count_result(r);
    }
    if let Some(sentence) = skipped.sentence() {
        case.add_property(Property::new("skipped", sentence));
    }
    if file.provisional {
        case.add_property(Property::new("provisional", "true"));
    }
    case
}

/// Whether `r` is one of the rules that failed the file: an error rule, or under `--strict`
/// (a failed file with no failed error rule) a warning.
fn fails(file: &FileReport, r: &RuleResult) -> bool {
    if r.status != RuleStatus::Fail || file.status != FileStatus::Fail {
        return false;
    }
    let strict = !file
        .results
        .iter()
        .any(|x| x.status == RuleStatus::Fail && x.severity == Severity::Error);
    r.severity == Severity::Error || (strict && r.severity == Severity::Warning)
}

/// The finding as the text report says it: the rule, its message, what was expected and found
/// in words for people, and the fix, one `fix:` line per tool. Each piece is kept to one line,
/// so a newline in a value from a submission cannot make a line of its own (a fake `fix:`).
fn finding(r: &RuleResult) -> String {
    let mut out = format!(
        "{} {}: {}\n{}",
        r.severity,
        r.id,
        one_line(&r.message),
        one_line(&r.finding_said())
    );
    for line in r.fix_lines() {
        out.push_str("\nfix: ");
        out.push_str(&one_line(line));
    }
    out
}
