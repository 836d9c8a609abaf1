//! Any bytes as a film: probing must give facts or a one-line error, never panic. (A crash
//! inside FFmpeg itself is what the worker processes of `check` contain.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::Builder::new().suffix(".mp4").tempfile() else { return };
    if file.write_all(data).is_err() {
        return;
    }
    let facts = reelcheck_probe::probe(
        file.path(),
        &reelcheck_probe::ProbeSettings::new(reelcheck_facts::Needs::all()),
    );
    if let Some(e) = &facts.error {
        assert!(!e.contains('\n'));
    }
    let _ = reelcheck_probe::atoms::scan(file.path());
});
