//! The run journal (`--journal FILE`): one JSON line per file as it finishes, so an interrupted
//! run keeps its work and `--resume` can skip what is done. Each line is written with a single
//! write; a line torn by a kill is ignored on reading, with a warning, and the next run starts
//! on a fresh line so that its first record is not glued onto the torn one.

use reelcheck_facts::Facts;
use reelcheck_facts::Needs;
use reelcheck_facts::Stamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Serialize, Deserialize)]
pub struct Line {
    pub path: String,
    pub stamp: Stamp,
    pub status: crate::verdict::FileStatus,
    pub facts: Facts,
    /// The analyzers that measured `facts` (names as `--with` spells them). Absent in journals
    /// of older versions: such lines are never reused, since what they measured is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyzers: Option<Vec<String>>,
}

impl Line {
    pub fn new(
        path: &Path,
        stamp: Stamp,
        status: crate::verdict::FileStatus,
        facts: Facts,
        needs: &Needs,
    ) -> Line {
        Line {
            path: path.display().to_string(),
            stamp,
            status,
            facts,
            analyzers: Some(needs.0.iter().map(|a| a.name().to_string()).collect()),
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

/// What an earlier run finished: for each path, the file's stamp, the analyzers that ran and
/// the facts they measured. The latest line for a path wins.
#[derive(Default)]
pub struct Earlier {
    done: HashMap<PathBuf, Done>,
}

struct Done {
    stamp: Stamp,
    analyzers: Option<BTreeSet<String>>,
    facts: Facts,
}

impl Earlier {
    /// The facts of `path` from the earlier run, when the file is unchanged and the analyzers
    /// that ran then cover every one this run needs: facts from a `--quick` run lack what a
    /// full check measures, and reusing them would skip (and so pass) rules that need more.
    pub fn reusable(&self, path: &Path, stamp: &Stamp, needs: &Needs) -> Option<&Facts> {
        let d = self.done.get(path)?;
        let ran = d.analyzers.as_ref()?;
        (d.stamp == *stamp && needs.0.iter().all(|a| ran.contains(a.name()))).then_some(&d.facts)
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
    for line in BufReader::new(file).split(b'\n') {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Line>(&line) {
            Ok(l) => {
                let d = Done {
                    stamp: l.stamp,
                    analyzers: l.analyzers.map(|a| a.into_iter().collect()),
                    facts: l.facts,
                };
                done.insert(PathBuf::from(&l.path), d);
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
    Ok(Earlier { done })
}
