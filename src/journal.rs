//! The run journal (`--journal FILE`): one JSON line per file as it finishes, so an interrupted
//! run keeps its work and `--resume` can skip what is done. Each line is written with a single
//! write; a line torn by a kill is ignored on reading, with a warning.

use crate::cache::Stamp;
use crate::facts::Facts;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Serialize, Deserialize)]
pub struct Line {
    pub path: String,
    pub stamp: Stamp,
    pub status: crate::verdict::FileStatus,
    pub facts: Facts,
}

pub struct Journal {
    file: Mutex<File>,
}

impl Journal {
    pub fn open(path: &Path) -> std::io::Result<Journal> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
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

/// Facts of files already done, by path; the latest line for a path wins.
pub fn read_done(path: &Path) -> std::io::Result<HashMap<PathBuf, (Stamp, Facts)>> {
    let mut done = HashMap::new();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(e),
    };
    let mut torn = 0;
    for line in BufReader::new(file).split(b'\n') {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Line>(&line) {
            Ok(l) => {
                done.insert(PathBuf::from(&l.path), (l.stamp, l.facts));
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
    Ok(done)
}
