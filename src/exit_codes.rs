//! The exit codes scripts rely on (docs/design.md): kept in one place.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Every file passed (warnings allowed unless --strict).
    Success,
    /// At least one file failed an error-severity rule or could not be read.
    Failure,
    /// The command itself was wrong: a bad flag, a missing path, an invalid rule file.
    Usage,
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
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(c: ExitCode) -> Self {
        std::process::ExitCode::from(c.code() as u8)
    }
}
