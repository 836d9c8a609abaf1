use clap::Parser;
use reelcheck::app::{self, UsageError};
use reelcheck::cli::Cli;
use reelcheck::exit_codes::ExitCode;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match app::run(cli) {
        Ok(code) => code.into(),
        Err(e) => {
            let code = if e.is::<UsageError>() {
                ExitCode::Usage
            } else {
                ExitCode::Failure
            };
            for line in e.to_string().lines() {
                eprintln!("reelcheck: {line}");
            }
            code.into()
        }
    }
}
