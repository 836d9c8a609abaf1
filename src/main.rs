use reelcheck::app::{self, UsageError};
use reelcheck::exit_codes::ExitCode;
use reelcheck::output::{self, WriteError};

fn main() -> std::process::ExitCode {
    let cli = app::command_line();
    match app::run(cli) {
        Ok(code) => code.into(),
        Err(e) => {
            let code = if e.is::<UsageError>() {
                ExitCode::Usage
            } else if e.is::<WriteError>() {
                ExitCode::Output
            } else {
                ExitCode::Failure
            };
            output::message(&e.to_string());
            code.into()
        }
    }
}
