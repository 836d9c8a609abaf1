//! The run journal (`--journal FILE`): one JSON line per file as it finishes, so an interrupted
//! run keeps its work and `--resume` can skip what is done. Each line is written with a single
//! write; a line torn by a kill is ignored on reading, with a warning, and the next run starts
//! on a fresh line so that its first record is not glued onto the torn one.
//!
//! Each line carries the reuse key its facts were measured under (`key::ReuseKey`), and
//! `--resume` reuses a line only under an equal key, as the cache does.

use super::key::ReuseKey;
use reelcheck_facts::Facts;
use reelcheck_facts::Needs;
use reelcheck_facts::Stamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

#[derive(Serialize, Deserialize)]
pub struct Line {
    pub path: String,
    pub stamp: Stamp,
    pub status: crate::verdict::FileStatus,
    pub facts: Facts,
    /// The analyzers that measured `facts` (names as `--with` spells them), for people and
    /// scripts reading the journal; reuse goes by `key`, which holds them too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyzers: Option<Vec<String>>,
    /// What the facts depend on. Absent in journals of older versions: such lines are never
    /// reused, since what their facts depend on is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<ReuseKey>,
}

impl Line {
    pub fn new(
        path: &Path,
        key: &ReuseKey,
        status: crate::verdict::FileStatus,
        facts: Facts,
        needs: &Needs,
    ) -> Line {
        Line {
            path: path.display().to_string(),
            stamp: key.file.stamp.clone(),
            status,
            facts,
            analyzers: Some(needs.0.iter().map(|a| a.name().to_string()).collect()),
            key: Some(key.clone()),
        }
    }
}

pub struct Journal {
    file: Mutex<File>,
}

impl Journal {
    pub fn open(path: &Path) -> std::io::Result<Journal> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        // Opening a FIFO or a device would block or write where no journal can be read back.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(not_regular());
        }
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)?;
        // A run killed mid-write leaves a last line without its newline; the first record of
        // this run must start a line of its own, or both would be lost as one unreadable line.
        if ends_torn(&mut file)? {
            file.write_all(b"\n")?;
        }
        Ok(Journal {
            file: Mutex::new(file),
        })
    }

    pub fn append(&self, line: &Line) -> std::io::Result<()> {
        let mut text = serde_json::to_vec(line).map_err(std::io::Error::other)?;
        text.push(b'\n');
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        f.write_all(&text)?;
        f.flush()
    }
}

fn not_regular() -> std::io::Error {
    std::io::Error::other("not a regular file")
}

/// Whether a non-empty file's last byte is something other than a newline.
fn ends_torn(file: &mut File) -> std::io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// What an earlier run finished: for each file (by its exact path), the key its facts were
/// measured under and the facts. The latest line for a file wins.
#[derive(Default)]
pub struct Earlier {
    done: HashMap<String, Done>,
}

struct Done {
    key: Option<ReuseKey>,
    facts: Facts,
}

impl Earlier {
    /// The facts an earlier run measured under a key that serves `key` (see
    /// `ReuseKey::serves`), unless their failure was not the file's (a crash, a time-out, a
    /// stop): those are measured again.
    pub fn reusable(&self, key: &ReuseKey) -> Option<&Facts> {
        let d = self.done.get(&key.file.path_hex)?;
        let serves = d.key.as_ref().is_some_and(|k| k.serves(key));
        (serves && super::worth_keeping(&d.facts)).then_some(&d.facts)
    }

    /// Files the earlier run finished.
    pub fn len(&self) -> usize {
        self.done.len()
    }

    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }
}

/// Reads the journal an earlier run wrote; a missing journal means nothing is done yet.
pub fn read_done(path: &Path) -> std::io::Result<Earlier> {
    let mut done = HashMap::new();
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Earlier::default()),
        Err(e) => return Err(e),
        Ok(m) if !m.is_file() => return Err(not_regular()),
        Ok(_) => {}
    }
    let file = File::open(path)?;
    let mut torn = 0;
    let mut unkeyed = 0;
    for line in BufReader::new(file).split(b'\n') {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Line>(&line) {
            Ok(l) => {
                // A line of an older version names its file only as text for people; it still
                // replaces any earlier line for that file, and is never reused.
                let file = match &l.key {
                    Some(key) => key.file.path_hex.clone(),
                    None => {
                        unkeyed += 1;
                        reelcheck_facts::paths::to_hex(Path::new(&l.path))
                    }
                };
                let d = Done {
                    key: l.key,
                    facts: l.facts,
                };
                done.insert(file, d);
            }
            Err(_) => torn += 1,
        }
    }
    if torn > 0 {
        eprintln!(
            "reelcheck: warning: ignored {torn} unreadable line(s) in the journal {}; those files will be checked again",
            path.display()
        );
    }
    if unkeyed > 0 {
        eprintln!(
            "reelcheck: note: {unkeyed} line(s) of the journal {} were written by an older reelcheck, which did not record what their facts depend on; those files will be checked again",
            path.display()
        );
    }
    Ok(Earlier { done })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::test_films::write_at;
    use crate::verdict::FileStatus;
    use reelcheck_facts::ProbeSettings;
    use reelcheck_probe::Listings;

    fn key(film: &Path, settings: &ProbeSettings) -> ReuseKey {
        ReuseKey::of(film, settings, &Listings::default()).expect("a regular file")
    }

    fn journaled(journal: &Path, film: &Path, key: &ReuseKey, facts: Facts) {
        let j = Journal::open(journal).expect("open the journal");
        let line = Line::new(film, key, FileStatus::Pass, facts, &Needs::default());
        j.append(&line).expect("append");
    }

    #[test]
    fn a_line_is_reused_only_under_its_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = dir.path().join("run.jsonl");
        let film = dir.path().join("night.mp4");
        write_at(&film, b"a film", 1);
        let settings = ProbeSettings::default();
        let k = key(&film, &settings);
        journaled(&journal, &film, &k, Facts::for_path(&film));
        let earlier = read_done(&journal).expect("read");
        assert_eq!(earlier.len(), 1);
        assert_eq!(earlier.reusable(&k), Some(&Facts::for_path(&film)));

        // Each part of the key: the file, a sidecar, the settings, the build.
        write_at(&dir.path().join("night.c2pa"), b"manifest", 3);
        assert_eq!(earlier.reusable(&key(&film, &settings)), None);
        std::fs::remove_file(dir.path().join("night.c2pa")).expect("remove");
        assert!(earlier.reusable(&key(&film, &settings)).is_some());
        // The film written again, whether with another time or with the same size and time
        // put back (`rsync -t`): its inode's change time moved.
        write_at(&film, b"a film", 2);
        assert_eq!(earlier.reusable(&key(&film, &settings)), None);
        write_at(&film, b"a film", 1);
        assert_eq!(earlier.reusable(&key(&film, &settings)), None);
        let mut trust = settings.clone();
        trust.c2pa_trust = Some("pem".into());
        assert_eq!(earlier.reusable(&key(&film, &trust)), None);
        let mut build = k.clone();
        build.build = "another-build".into();
        assert_eq!(earlier.reusable(&build), None);
    }

    #[test]
    fn a_full_runs_line_serves_a_quick_resume_but_not_the_other_way_round() {
        use reelcheck_facts::Analyzer;
        let dir = tempfile::tempdir().expect("temp dir");
        let film = dir.path().join("night.mp4");
        write_at(&film, b"a film", 1);
        let quick = ProbeSettings::new(Needs([Analyzer::Provenance].into_iter().collect()));
        let full = quick.with_needs(Needs::all());
        let full_run = dir.path().join("full.jsonl");
        journaled(&full_run, &film, &key(&film, &full), Facts::for_path(&film));
        let earlier = read_done(&full_run).expect("read");
        assert!(earlier.reusable(&key(&film, &quick)).is_some());
        let quick_run = dir.path().join("quick.jsonl");
        journaled(
            &quick_run,
            &film,
            &key(&film, &quick),
            Facts::for_path(&film),
        );
        let earlier = read_done(&quick_run).expect("read");
        assert!(earlier.reusable(&key(&film, &full)).is_none());
    }

    #[test]
    fn the_latest_line_wins_and_failures_not_the_files_are_checked_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = dir.path().join("run.jsonl");
        let film = dir.path().join("night.mp4");
        write_at(&film, b"a film", 1);
        let k = key(&film, &ProbeSettings::default());
        journaled(&journal, &film, &k, Facts::for_path(&film));
        journaled(
            &journal,
            &film,
            &k,
            Facts::failed(&film, "timed out after 600 s"),
        );
        assert_eq!(read_done(&journal).expect("read").reusable(&k), None);
        journaled(
            &journal,
            &film,
            &k,
            Facts::failed(&film, "decoder crashed (SIGSEGV)"),
        );
        assert_eq!(read_done(&journal).expect("read").reusable(&k), None);
        let own = Facts::failed(&film, "empty file (0 bytes)");
        journaled(&journal, &film, &k, own.clone());
        assert_eq!(read_done(&journal).expect("read").reusable(&k), Some(&own));
    }

    #[test]
    fn a_line_of_an_older_version_is_never_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = dir.path().join("run.jsonl");
        let film = dir.path().join("night.mp4");
        write_at(&film, b"a film", 1);
        let k = key(&film, &ProbeSettings::default());
        journaled(&journal, &film, &k, Facts::for_path(&film));
        // What a version before the reuse key wrote: the stamp and the analyzers, no key.
        let old = serde_json::json!({
            "path": film.display().to_string(),
            "stamp": k.file.stamp,
            "status": "pass",
            "facts": Facts::for_path(&film),
            "analyzers": [],
        });
        let mut text = std::fs::read_to_string(&journal).expect("read");
        text.push_str(&format!("{old}\n"));
        std::fs::write(&journal, text).expect("write");
        let earlier = read_done(&journal).expect("read");
        assert_eq!(earlier.reusable(&k), None);
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_the_next_record_starts_a_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let journal = dir.path().join("run.jsonl");
        let films: Vec<std::path::PathBuf> = ["a.mp4", "b.mp4"]
            .iter()
            .map(|n| dir.path().join(n))
            .collect();
        for f in &films {
            write_at(f, b"a film", 1);
        }
        let keys: Vec<ReuseKey> = films
            .iter()
            .map(|f| key(f, &ProbeSettings::default()))
            .collect();
        journaled(&journal, &films[0], &keys[0], Facts::for_path(&films[0]));
        let mut text = std::fs::read_to_string(&journal).expect("read");
        text.push_str("{\"path\": \"half");
        std::fs::write(&journal, text).expect("write");
        journaled(&journal, &films[1], &keys[1], Facts::for_path(&films[1]));
        let earlier = read_done(&journal).expect("read");
        assert_eq!(earlier.len(), 2);
        assert!(keys.iter().all(|k| earlier.reusable(k).is_some()));
    }
}
