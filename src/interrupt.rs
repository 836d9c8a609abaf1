//! Ctrl-C and SIGTERM: the first stops the run cleanly (finished files are kept and reported),
//! a second one exits at once.

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

pub fn install() -> &'static AtomicBool {
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\nreelcheck: stopping: finishing the report of the files checked so far (Ctrl-C again to quit now)");
    });
    &STOP
}
