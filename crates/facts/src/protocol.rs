//! The worker protocol: one request per line to a worker process (a file and what to do with
//! it), one answer per line back. Both sides are the same program, but an answer is read as
//! input like any other, since the worker has been parsing a hostile file.

use crate::credits_trace::CreditsTrace;
use crate::settings::{CreditsSettings, ProbeSettings, RunLimits};
use crate::stills::{Grab, Still};
use crate::{Chapter, Facts};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One file and what to do with it. The path travels as hex bytes: file names may hold
/// newlines or bytes that are not UTF-8.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub path_hex: String,
    pub job: Job,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Job {
    /// Probe the file with these settings, within these limits; the answer is
    /// `Answer::Facts`.
    Probe {
        settings: Box<ProbeSettings>,
        #[serde(default)]
        limits: RunLimits,
        /// Send `progress` lines while probing (one film watched at a terminal).
        #[serde(default)]
        progress: bool,
    },
    /// Grab pictures of the file; the answer is `Answer::Stills`.
    Grab(Grab),
    /// Run the credits analysis again, tracing what it looked at; the answer is
    /// `Answer::Trace`.
    Explain(ExplainCredits),
}

/// What the traced credits analysis needs beyond the file: what the probe found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExplainCredits {
    /// The length the search spans (`Facts::credits_span_s`); null when unknown.
    pub duration_s: Option<f64>,
    pub chapters: Vec<Chapter>,
    pub tuning: CreditsSettings,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Facts(Box<Facts>),
    /// The pictures, one per moment asked, or why the film gives none.
    Stills(Result<Vec<Option<Still>>, String>),
    /// What the credits analysis looked at, or why it could not.
    Trace(Result<CreditsTrace, String>),
}

impl Request {
    pub fn new(path: &Path, job: Job) -> Request {
        Request {
            path_hex: crate::paths::to_hex(path),
            job,
        }
    }

    /// The file the request names; `None` for a path no request can have carried.
    pub fn path(&self) -> Option<PathBuf> {
        crate::paths::from_hex(&self.path_hex)
    }
}

/// A worker's answer from the line it sent: anything unreadable is that file's error, never a
/// panic, and its reason one line (serde quotes what it could not read, newlines included).
pub fn parse_answer(line: &str) -> Result<Answer, String> {
    serde_json::from_str::<Answer>(line).map_err(|e| {
        let e = e.to_string().replace(['\n', '\r'], " ");
        format!("internal: the worker's answer was unreadable: {e}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn paths_survive_the_trip_whatever_their_bytes() {
        use std::os::unix::ffi::OsStringExt;
        for raw in [
            &b"plain.mp4"[..],
            b"new\nline \"quoted\".mp4",
            b"\xff\xfe not utf8.mov",
            "été.mkv".as_bytes(),
        ] {
            let p = PathBuf::from(std::ffi::OsString::from_vec(raw.to_vec()));
            let job = Job::Probe {
                settings: Box::default(),
                limits: RunLimits::default(),
                progress: false,
            };
            let line = serde_json::to_string(&Request::new(&p, job)).unwrap();
            assert!(!line.contains('\n'));
            let back: Request = serde_json::from_str(&line).unwrap();
            assert_eq!(back.path(), Some(p));
        }
    }

    #[test]
    fn an_unreadable_answer_is_one_line() {
        let why = parse_answer("{\"facts\": \n oops").unwrap_err();
        assert!(!why.contains('\n'));
        assert!(why.starts_with("internal: the worker's answer was unreadable"));
    }
}
