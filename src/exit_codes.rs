//! The exit codes scripts rely on (docs/design.md): kept in one place.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Every file passed (warnings allowed unless --strict).
    Success,
    /// At least one file failed an error-severity rule or could not be read.
    Failure,
    /// The command itself was wrong: a bad flag, a missing path, an invalid rule file.
    Usage,
    /// Nothing was rejected, but at least one file could not be checked for a reason that is
    /// not the file's: a time or memory limit, a crashed or unavailable worker, a stopped run,
    /// a disk that failed a read, reelcheck's own fault (the error codes `timeout`,
    /// `out_of_memory`, `crashed`, `worker_unavailable`, `interrupted`, `read_error`,
    /// `internal`). Neither accepted nor rejected: check
    /// those files again. A film that is itself unreadable is a rejection (1).
    NotChecked,
    /// The report could not be written completely (a full disk, a closed or failing stdout):
    /// neither 0 nor 1, so that no script takes a verdict from a report that is not there.
    Output,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Failure => 1,
            ExitCode::Usage => 2,
            ExitCode::Output => 3,
            ExitCode::NotChecked => 4,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(c: ExitCode) -> Self {
        std::process::ExitCode::from(c.code() as u8)
    }
}
