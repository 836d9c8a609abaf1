//! Films of earlier runs, from the JSON reports `--compare-with` names. A report is input like
//! a film: it may be anything, so it is read with bounds, and whatever is wrong with it is one
//! line that names it, never a panic.

use super::matcher::Film;
use super::Candidate;
use crate::verdict::FileReport;
use reelcheck_facts::fingerprint::Fingerprint;
use serde::Deserialize;
use std::path::Path;

/// Reports larger than this are refused: a report holds a few KB per film.
const MAX_BYTES: u64 = 2 << 30;

/// The parts of a report read here; everything else in it is left alone.
#[derive(Deserialize)]
struct Shape {
    files: Vec<EntryShape>,
}

#[derive(Deserialize)]
struct EntryShape {
    path: String,
    #[serde(default)]
    track: Option<String>,
    #[serde(default)]
    facts: Option<FactsShape>,
}

#[derive(Deserialize)]
struct FactsShape {
    #[serde(default)]
    fingerprint: Option<Fingerprint>,
}

/// The films of the report at `path` that carry a fingerprint, or why it cannot be read.
pub fn load(path: &Path) -> Result<Vec<Candidate>, String> {
    let name = path.display().to_string();
    let fail = |why: String| format!("{name}: {why}");
    let meta = std::fs::metadata(path).map_err(|e| fail(io_reason(&e)))?;
    if !meta.is_file() {
        return Err(fail("not a file".into()));
    }
    if meta.len() > MAX_BYTES {
        return Err(fail(format!(
            "{} bytes: larger than any reelcheck report",
            meta.len()
        )));
    }
    let text = std::fs::read(path).map_err(|e| fail(io_reason(&e)))?;
    let shape: Shape = serde_json::from_slice(&text).map_err(|e| {
        fail(format!(
            "not a reelcheck JSON report ({})",
            one_line(&e.to_string())
        ))
    })?;
    let mut out = Vec::new();
    for entry in shape.files {
        let Some(fp) = entry.facts.and_then(|f| f.fingerprint) else {
            continue;
        };
        let film = Film::new(&fp)
            .map_err(|why| fail(format!("entry {}: {why}", one_line(&entry.path))))?;
        out.push(Candidate {
            path: entry.path,
            track: entry.track,
            report: Some(name.clone()),
            film,
        });
    }
    Ok(out)
}

/// The film of a report of this batch, when it has a readable fingerprint.
pub fn of_report(r: &FileReport) -> Option<Candidate> {
    let film = Film::new(r.facts.fingerprint.as_ref()?).ok()?;
    Some(Candidate {
        path: r.path.clone(),
        track: r.entry.track.clone(),
        report: None,
        film,
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot read: {e}"),
    }
}

/// Text from the report on one line, escaped as reports escape it, at most 120 characters.
fn one_line(s: &str) -> String {
    let clean = crate::output::one_line(s);
    match clean.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &clean[..at]),
        None => clean.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("old.json");
        std::fs::write(&p, text).expect("write");
        (dir, p)
    }

    #[test]
    fn hostile_reports_get_one_line_naming_them() {
        for (text, says) in [
            ("", "not a reelcheck JSON report"),
            ("{\"files\": 3}", "not a reelcheck JSON report"),
            ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "not a reelcheck JSON report"),
            (
                "{\"files\":[{\"path\":\"x\\u001b[31m\",\"facts\":{\"fingerprint\":{\"version\":1,\"duration_s\":1,\"frames\":\"%%%\"}}}]}",
                "not base64",
            ),
        ] {
            let (_dir, p) = write(text);
            let err = load(&p).expect_err(text);
            assert!(err.starts_with(&p.display().to_string()), "{err}");
            assert!(err.contains(says), "{err}");
            assert!(!err.contains('\n') && !err.contains('\u{1b}'), "{err}");
        }
    }

    #[test]
    fn entries_without_fingerprints_are_passed_over() {
        let (_dir, p) =
            write("{\"files\":[{\"path\":\"a.mp4\",\"facts\":{}},{\"path\":\"b.mp4\"}]}");
        assert_eq!(load(&p).map(|c| c.len()), Ok(0));
    }
}
