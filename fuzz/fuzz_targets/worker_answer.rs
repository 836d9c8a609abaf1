//! Any bytes as one line a worker sends to the parent: a worker reads the files under check, so
//! its messages are input too. The parent reads the line as the pool does (lossily, as UTF-8)
//! and must get an answer or a one-line reason, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    match reelcheck_facts::protocol::parse_answer(&line) {
        Ok(answer) => {
            // What the parent does with an answer: facts go on to the report, stills to pages.
            let _ = format!("{answer:?}");
        }
        Err(e) => assert!(!e.is_empty() && !e.contains(['\n', '\r']), "{e}"),
    }
});
