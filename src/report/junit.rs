//! JUnit XML, as GitLab and GitHub show test results: a test suite per entry, a test case per
//! rule. A rule that fails the file is a failure carrying the rule's message (its body says
//! what was expected and found as people say them, and how to fix it); a failed warning
//! or info rule passes (as the exit code does) with the finding in its system-out, so CI shows
//! it without going red; a skipped rule is skipped with the reason; a file that could not be
//! read is one test case in error, and a file listed without being checked one skipped.

use crate::output::one_line;
use crate::report::Exporter;
use crate::rules::Severity;
use crate::verdict::{FileReport, FileStatus, Report, RuleResult, RuleStatus, SkipCause};
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

pub struct Junit;

impl Exporter for Junit {
    fn render(&self, report: &Report) -> anyhow::Result<String> {
        let mut out = quick_junit::Report::new("reelcheck");
        for file in &report.files {
            out.add_test_suite(suite(file));
        }
        Ok(out.to_string()? + "\n")
    }
}

fn suite(file: &FileReport) -> TestSuite {
    let mut suite = TestSuite::new(file.path.as_str());
    let info = &file.entry;
    for (name, value) in [
        ("track", &info.track),
        ("id", &info.id),
        ("title", &info.title),
    ] {
        if let Some(v) = value {
            suite.add_property(Property::new(name, v.as_str()));
        }
    }
    if file.status == FileStatus::Error {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status
            .set_message(file.error.as_deref().unwrap_or("could not be read"))
            .set_type("unreadable");
        let mut case = TestCase::new("read", status);
        case.set_classname(file.path.as_str());
        suite.add_test_case(case);
        return suite;
    }
    // A file listed without being checked (ignored, hidden, a document) is skipped, with why.
    if file.status == FileStatus::Ignored {
        let mut status = TestCaseStatus::skipped();
        status.set_message(file.error.as_deref().unwrap_or("ignored"));
        let mut case = TestCase::new("read", status);
        case.set_classname(file.path.as_str());
        suite.add_test_case(case);
        return suite;
    }
    // Skipped rules, counted by cause, and whether the verdict is final (see docs/reports.md).
    let mut skipped = crate::verdict::Skipped::default();
    for cause in file.results.iter().filter_map(|r| r.skip_cause) {
        skipped.count(cause);
    }
    if let Some(sentence) = skipped.sentence() {
        suite.add_property(Property::new("skipped", sentence));
    }
    if file.provisional {
        suite.add_property(Property::new("provisional", "true"));
    }
    // Under --strict a failed warning, or a requirement --quick left unchecked, fails the
    // file; the suite must then fail too.
    let strict = !file.results.iter().any(fails_by_itself);
    for r in &file.results {
        suite.add_test_case(case(file, r, file.status == FileStatus::Fail && strict));
    }
    suite
}

fn fails_by_itself(r: &RuleResult) -> bool {
    r.status == RuleStatus::Fail && r.severity == Severity::Error
}

/// The finding as the text report says it: the message, what was expected and found in words
/// for people, and the fix, one `fix:` line per tool. Each piece is kept to one line, so a
/// newline in a value from a submission cannot make a line of its own (a fake `fix:`).
fn finding(r: &RuleResult) -> String {
    let mut out = format!(
        "{}: {}\n{}",
        r.severity,
        one_line(&r.message),
        one_line(&r.finding_said())
    );
    for line in r.fix_lines() {
        out.push_str("\nfix: ");
        out.push_str(&one_line(line));
    }
    out
}

fn case(file: &FileReport, r: &RuleResult, warnings_fail: bool) -> TestCase {
    let failing = fails_by_itself(r)
        || (warnings_fail && r.status == RuleStatus::Fail && r.severity == Severity::Warning);
    let status = match r.status {
        RuleStatus::Fail if failing => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(r.message.as_str())
                .set_type(r.severity.as_str())
                .set_description(finding(r));
            s
        }
        RuleStatus::Skip
            if warnings_fail
                && r.severity == Severity::Error
                && r.skip_cause == Some(SkipCause::NeedsDecoding) =>
        {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message("not checked: needs decoding, left out by --quick (--strict fails it)")
                .set_type("unchecked")
                .set_description(r.reason.as_deref().unwrap_or("skipped"));
            s
        }
        RuleStatus::Skip => {
            let mut s = TestCaseStatus::skipped();
            let why = r.reason.as_deref().unwrap_or("skipped");
            let message = match r.skip_cause {
                Some(SkipCause::NeedsDecoding) => {
                    format!("needs decoding, skipped (--quick): {why}")
                }
                _ => why.to_string(),
            };
            s.set_message(message);
            s
        }
        RuleStatus::Pass | RuleStatus::Fail => TestCaseStatus::success(),
    };
    let mut case = TestCase::new(r.id.as_str(), status);
    case.set_classname(file.path.as_str());
    if r.status == RuleStatus::Fail && !failing {
        case.set_system_out(finding(r));
    }
    case
}
