//! Why a file could not be checked when the reason is not the file's: a limit of the run, a
//! worker that crashed or could not start, a stopped run, a fault of reelcheck's own. Carried
//! as a type from where it happens (the worker pool, the probe's time budget) to the report's
//! error code and to the rule that such facts are never reused, instead of being read back out
//! of the wording of a message.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// The time limit ran out: the worker's, or the probe's own budget inside an analysis.
    Timeout,
    /// The worker hit its memory limit.
    OutOfMemory,
    /// The worker crashed or was killed (a decoder's bad memory access, a panic).
    Crashed,
    /// No worker process could be started.
    WorkerUnavailable,
    /// The run was stopped (Ctrl-C, SIGTERM) before the file was finished.
    Interrupted,
    /// reelcheck's own fault: a worker's answer it could not read, a request it could not make.
    Internal,
    /// The disk or network share failed while the file was read (an I/O error from the
    /// system): the file may well be whole.
    ReadError,
}

impl Failure {
    /// Every failure, for tables and tests.
    pub const ALL: [Failure; 7] = [
        Failure::Timeout,
        Failure::OutOfMemory,
        Failure::Crashed,
        Failure::WorkerUnavailable,
        Failure::Interrupted,
        Failure::Internal,
        Failure::ReadError,
    ];

    /// The failure a report's error code stands for; `None` for a code of the file's own
    /// (truncated, not a film, unreadable …). A report read back (`merge`, an older journal)
    /// carries only the code, so this is how it tells "not the file's fault" again.
    pub fn from_code(code: &str) -> Option<Failure> {
        Failure::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The stable error code reports give it (see `error_code`).
    pub fn code(self) -> &'static str {
        match self {
            Failure::Timeout => "timeout",
            Failure::OutOfMemory => "out_of_memory",
            Failure::Crashed => "crashed",
            Failure::WorkerUnavailable => "worker_unavailable",
            Failure::Interrupted => "interrupted",
            Failure::Internal => "internal",
            Failure::ReadError => "read_error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_is_found_by_its_code_and_file_codes_are_not() {
        for f in Failure::ALL {
            assert_eq!(Failure::from_code(f.code()), Some(f));
        }
        for code in [
            "truncated",
            "unreadable",
            "still_image",
            "missing",
            "permission_denied",
        ] {
            assert_eq!(Failure::from_code(code), None, "{code}");
        }
    }
}

/// A failure with its reason for people, as an error value: what the probe returns when its
/// time budget runs out, so the type survives the trip through `anyhow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub failure: Failure,
    pub reason: String,
}

impl Failed {
    pub fn new(failure: Failure, reason: impl Into<String>) -> Failed {
        Failed {
            failure,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Failed {}
