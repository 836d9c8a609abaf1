//! Any text as a rule file: loading must return rules or problems with positions, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = reelcheck::rules::load::load_text("fuzz.toml", text, None) {
            for p in &e.problems {
                assert!(p.line >= 1 && p.column >= 1);
                let _ = p.render();
            }
        }
    }
});
