//! Prints the facts JSON of each file with the audio analyzer on; what
//! `reelcheck probe --with audio --format json` prints, without the CLI.

use reelcheck_facts::{Analyzer, Needs};
use reelcheck_probe::{probe, ProbeSettings};
use std::path::Path;

fn main() {
    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Audio);
    let facts: Vec<_> = std::env::args_os()
        .skip(1)
        .map(|p| probe(Path::new(&p), &ProbeSettings::new(needs.clone())))
        .collect();
    match serde_json::to_string_pretty(&facts) {
        Ok(json) => println!("{json}"),
        Err(e) => eprintln!("cannot print facts: {e}"),
    }
}
