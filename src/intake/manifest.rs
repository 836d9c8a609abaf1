//! `--manifest entries.csv`: the entries of an intake as a submission platform exports them.
//! Columns `file` and `track` are required, `id` and `title` optional, in any order and case;
//! other columns are ignored. Files are relative to the manifest's folder and must lie inside
//! it unless the organizer allows files elsewhere; each file may be listed once, however its
//! path is spelt (`sub/../a.mp4`, a link, a hard link are all `a.mp4`).
//!
//! A row whose file cannot be checked (missing, a folder, outside the folder, of an unknown
//! track) becomes an error entry and the rest of the intake is checked; a manifest that cannot
//! be read as one (no such column, a CSV mistake, a file listed twice) is a wrong command.

use crate::intake::{slash_path, Entry};
use crate::verdict::EntryInfo;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// The entries of a manifest: those to check, and those that cannot be, with the reason.
#[derive(Debug, Default)]
pub struct Manifest {
    pub entries: Vec<Entry>,
    pub rejected: Vec<(Entry, String)>,
}

/// Reads a manifest whose rows may name `tracks`. Every mistake is reported, one line each, as
/// `FILE:LINE: what is wrong`. With `allow_outside`, rows may name files outside the
/// manifest's folder.
pub fn load(manifest: &Path, allow_outside: bool, tracks: &[String]) -> Result<Manifest, String> {
    let name = manifest.display();
    let bytes = crate::settings_file::read_bytes(manifest)
        .map_err(|e| format!("{name}: cannot read: {e}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| format!("{name}:1: not a CSV file: {e}"))?
        .clone();
    // Spreadsheets save UTF-8 CSV with a byte-order mark in front of the first column name.
    let columns: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let column = |want: &str| columns.iter().position(|c| c == want);
    let (Some(file_col), Some(track_col)) = (column("file"), column("track")) else {
        let missing: Vec<&str> = ["file", "track"]
            .into_iter()
            .filter(|c| column(c).is_none())
            .collect();
        return Err(format!(
            "{name}:1: no {} column (the header names: {}; needed: file, track; optional: id, title)",
            missing
                .iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(" or "),
            if columns.iter().all(|c| c.is_empty()) {
                "nothing".to_string()
            } else {
                columns.join(", ")
            }
        ));
    };
    let (id_col, title_col) = (column("id"), column("title"));

    let dir = manifest.parent().unwrap_or(Path::new(""));
    // The folder as the file system resolves it, to tell where each file really is.
    let real_dir = std::fs::canonicalize(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .map_err(|e| format!("{name}: cannot resolve its folder: {e}"))?;
    let mut entries = Vec::new();
    let mut rejected = Vec::new();
    let mut problems = Vec::new();
    // Each file by its identity on disk (platform::file_id): the line and name it was first given.
    let mut seen: HashMap<crate::platform::FileId, (u64, String)> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("{name}:{line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let Some(file) = field(Some(file_col)) else {
            problems.push(format!("{name}:{line}: the 'file' column is empty"));
            continue;
        };
        let rel = tidy(Path::new(&file));
        let path = dir.join(&rel);
        let key = slash_path(&rel);
        let info = EntryInfo {
            track: field(Some(track_col)).map(|t| t.to_ascii_lowercase()),
            id: field(id_col),
            title: field(title_col),
            key: None,
        };
        let mut reject = |why: String| {
            let entry = Entry {
                path: path.clone(),
                key: key.clone(),
                info: info.clone(),
            };
            rejected.push((entry, format!("{name}:{line}: {why}")));
        };
        let identity = match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                reject(format!("{file} is a folder, not a media file"));
                continue;
            }
            Ok(m) => match crate::platform::file_id(&path, &m) {
                Ok(id) => id,
                Err(_) => {
                    reject(format!(
                        "{file}: cannot be read (looked for {})",
                        path.display()
                    ));
                    continue;
                }
            },
            Err(_) => {
                reject(format!(
                    "{file}: no such file (looked for {})",
                    path.display()
                ));
                continue;
            }
        };
        let inside = std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&real_dir));
        if !inside && !allow_outside {
            reject(format!(
                "{file} is outside the manifest's folder {} (--manifest-allow-outside checks files elsewhere)",
                real_dir.display()
            ));
            continue;
        }
        match &info.track {
            Some(t) if tracks.contains(t) => {}
            Some(t) => {
                reject(format!(
                    "unknown track '{t}' for {file} (known: {})",
                    tracks.join(", ")
                ));
                continue;
            }
            None => {
                reject(format!(
                    "no track for {file} (known: {})",
                    tracks.join(", ")
                ));
                continue;
            }
        }
        if let Some((first, as_named)) = seen.get(&identity) {
            let same = if *as_named == file {
                String::new()
            } else {
                format!(", as {as_named}")
            };
            problems.push(format!(
                "{name}:{line}: {file} is listed twice (first on line {first}{same})"
            ));
            continue;
        }
        seen.insert(identity, (line, file.clone()));
        entries.push(Entry { path, key, info });
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    if entries.is_empty() && rejected.is_empty() {
        return Err(format!("{name}: no entries (only a header, or empty)"));
    }
    Ok(Manifest { entries, rejected })
}

/// `sub/../a.mp4` → `a.mp4`, `./a.mp4` → `a.mp4`, without asking the file system; `..` that
/// climbs above the start is kept (`../a.mp4`), and an absolute path stays absolute.
fn tidy(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidies_paths_without_the_file_system() {
        let t = |p: &str| tidy(Path::new(p)).display().to_string();
        assert_eq!(t("sub/../a.mp4"), "a.mp4");
        assert_eq!(t("./films/./a.mp4"), "films/a.mp4");
        assert_eq!(t("../x/a.mp4"), "../x/a.mp4");
        assert_eq!(t("a/../../b.mp4"), "../b.mp4");
        assert_eq!(t("/srv/../a.mp4"), "/a.mp4");
    }
}
