//! Where output goes: stdout, or `--output FILE` written atomically (a temporary file in the
//! same folder, renamed over the target when complete), so a reader never sees half a report.
//!
//! Everything reelcheck prints for people passes through here: reports and listings through
//! `Sink::write`, messages through `message`. Text from submissions (file names, tags, chapter
//! titles, subtitle lines) can hold terminal escape sequences that would redraw the screen, so
//! control characters are shown escaped (`\u{1b}`) on the way out, whatever put them there.

use std::borrow::Cow;
use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A report that could not be written completely: a full disk, a closed or broken stdout.
/// It has an exit code of its own (3), so that no script reads "passed" or "failed" from a
/// report that does not exist. An empty message means there is nothing worth saying (stdout
/// was closed by its reader, as `| head` does).
#[derive(Debug)]
pub struct WriteError(pub String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

/// What a sink carries, which decides how it is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Text for people (the text report, `probe`, `credits`, `rules`): control characters are
    /// escaped wherever it goes, since a text file is read with `cat` or `less -R` too.
    Text,
    /// A machine format with escaping of its own (JSON, CSV, XML, HTML): written as it is to a
    /// file or a pipe, escaped like text when it goes straight to a terminal.
    Data,
}

/// Shows a control character as `\n`, `\t`, `\r` or `\u{1b}`; the marks that reorder text
/// (bidirectional embeddings, overrides and isolates) as `\u{202e}`, so that a name cannot
/// display as something else. Lines stay lines when `keep_newlines`.
fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| (c != '\n' || !keep_newlines) && (c.is_control() || reorders(c));
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Unicode's bidirectional formatting characters (UAX #9): invisible, they reorder what
/// follows them.
fn reorders(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Text for a terminal: every control character escaped except the newlines between lines.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// One value on one line: newlines escaped too, so that a file name or a tag cannot start a
/// line of its own (a fake "PASS" line) in a report.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Prints a message for people on stderr, escaped as reports are. Messages name files.
pub fn message(text: &str) {
    let mut err = std::io::stderr().lock();
    for line in text.lines() {
        let _ = writeln!(err, "reelcheck: {}", printable(line));
    }
}

/// Temporary files of `--output` are named `.reelcheck-XXXXXX.tmp` beside the target.
const TMP_PREFIX: &str = ".reelcheck-";
const TMP_SUFFIX: &str = ".tmp";

/// A temporary file older than this whose writer holds no lock on it was left by a killed run.
/// (A live writer locks its file the moment it creates it.)
const STALE_AFTER: Duration = Duration::from_secs(60);

pub struct Sink {
    to: To,
    content: Content,
}

enum To {
    Stdout {
        terminal: bool,
    },
    File {
        tmp: tempfile::NamedTempFile,
        target: PathBuf,
    },
}

impl Sink {
    /// Stdout, or a temporary file beside `output` that `finish` puts in its place. Fails, before
    /// any work is done, when `output` names something other than a regular file or a new name
    /// (a folder, a symbolic link, a FIFO, a device), or its folder cannot be written.
    pub fn open(output: Option<&Path>, content: Content) -> Result<Sink, String> {
        let Some(target) = output else {
            return Ok(Sink::stdout(content));
        };
        check_target(target)?;
        let dir = folder_of(target);
        let tmp = tempfile::Builder::new()
            .prefix(TMP_PREFIX)
            .suffix(TMP_SUFFIX)
            .tempfile_in(dir)
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        crate::platform::lock_file(tmp.as_file());
        remove_stale(dir, tmp.path());
        Ok(Sink {
            to: To::File {
                tmp,
                target: target.to_path_buf(),
            },
            content,
        })
    }

    pub fn stdout(content: Content) -> Sink {
        Sink {
            to: To::Stdout {
                terminal: std::io::stdout().is_terminal(),
            },
            content,
        }
    }

    pub fn write(&mut self, text: &str) -> Result<(), WriteError> {
        match &mut self.to {
            To::Stdout { terminal } => {
                if !crate::platform::stdout_is_writable() {
                    return Err(WriteError(
                        "cannot write the report to stdout: it is closed".into(),
                    ));
                }
                let text = if self.content == Content::Text || *terminal {
                    printable(text)
                } else {
                    Cow::Borrowed(text)
                };
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(stdout_failed)
            }
            To::File { tmp, target } => {
                let text = match self.content {
                    Content::Text => printable(text),
                    Content::Data => Cow::Borrowed(text),
                };
                tmp.write_all(text.as_bytes())
                    .map_err(|e| file_failed(target, e))
            }
        }
    }

    /// Puts the finished file in place; dropping a sink unfinished leaves the target untouched.
    pub fn finish(self) -> Result<(), WriteError> {
        let To::File { tmp, target } = self.to else {
            return Ok(());
        };
        tmp.as_file()
            .sync_all()
            .map_err(|e| file_failed(&target, e))?;
        // Checked again: the target may have been replaced by something else during the run.
        check_target(&target).map_err(WriteError)?;
        // Temporary files are private (0600); a report is meant to be shared. A file written
        // over keeps its own permissions.
        crate::platform::share_like(tmp.as_file(), &target);
        tmp.persist(&target)
            .map_err(|e| file_failed(&target, e.error))?;
        Ok(())
    }
}

fn stdout_failed(e: std::io::Error) -> WriteError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        WriteError(String::new())
    } else {
        WriteError(format!("cannot write the report to stdout: {e}"))
    }
}

fn file_failed(target: &Path, e: std::io::Error) -> WriteError {
    WriteError(format!(
        "cannot write {}: {e}",
        one_line(&target.display().to_string())
    ))
}

fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// `--output` is replaced by renaming a finished file over it, which suits a regular file or a
/// new name only: renaming over a link, a FIFO or a device would replace it rather than write
/// through it.
fn check_target(target: &Path) -> Result<(), String> {
    let name = one_line(&target.display().to_string()).into_owned();
    let meta = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && target.file_name().is_some() => {
            return Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("--output {name} names no file"))
        }
        Err(e) => return Err(format!("--output {name}: {e}")),
    };
    let kind = meta.file_type();
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        use crate::platform::Special;
        match crate::platform::special_kind(&kind) {
            Special::NamedPipe => "a FIFO",
            Special::CharDevice | Special::BlockDevice => "a device",
            Special::Socket => "a socket",
            Special::Other => "not a regular file",
        }
    };
    Err(format!(
        "--output {name} is {what}: it takes a regular file or a new name (the report is \
         written beside it and renamed into place); leave out -o to write to stdout"
    ))
}

/// Removes the temporary files that killed runs left in `dir`: ours by name, old enough, and
/// not locked by a live writer.
fn remove_stale(dir: &Path, own: &Path) {
    let Ok(list) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for item in list.flatten() {
        let name = item.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let path = item.path();
        if path == own {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if !meta.file_type().is_file() || !old {
            continue;
        }
        if let Ok(file) = File::open(&path) {
            if crate::platform::lock_file(&file) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        assert_eq!(
            printable("a\u{1b}]8;;http://x\u{7}b\nc\rd\u{9b}2J"),
            "a\\u{1b}]8;;http://x\\u{7}b\nc\\rd\\u{9b}2J"
        );
        assert_eq!(one_line("a\nb\u{202e}c"), "a\\nb\\u{202e}c");
        assert!(matches!(printable("Café – 5 min"), Cow::Borrowed(_)));
    }
}
