//! Any bytes as a report given to `reelcheck merge`: reading must give a report or a one-line
//! reason naming the file, and a merged report must render (with statuses worked out again from
//! the rule results) in text and JSON, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reelcheck::report::{exporter, CheckFormat};
use std::collections::BTreeMap;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::Builder::new().suffix(".json").tempfile() else { return };
    if file.write_all(data).is_err() || file.flush().is_err() {
        return;
    }
    let path = file.path().to_path_buf();
    match reelcheck::merge::merge(std::slice::from_ref(&path)) {
        Ok(report) => {
            for format in [CheckFormat::Text, CheckFormat::Json] {
                for verbose in [false, true] {
                    let _ = exporter(format, verbose, BTreeMap::new()).render(&report);
                }
            }
        }
        Err(e) => assert!(!e.is_empty() && !e.contains(['\n', '\r']), "{e}"),
    }
});
