//! Prints what the credits analysis sampled in one file, for tuning:
//!
//!     cargo run --release --example credits_trace -- FILE

use reelcheck_facts::Needs;
use reelcheck_probe::{self as probe, credits, ProbeSettings};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let Some(path) = std::env::args().nth(1).map(PathBuf::from) else {
        anyhow::bail!("usage: credits_trace FILE");
    };
    if path.extension().is_some_and(|e| e == "png") {
        let mut s = reelcheck_probe::sampler::Sampler::open(&path)?.expect("a picture");
        if let Some(p) = s.keyframe_at(0.0)? {
            println!("{:?}", credits::features::look(&p.luma));
        }
        return Ok(());
    }
    let facts = probe::probe(&path, &ProbeSettings::new(Needs::header_only()));
    let d = facts
        .container
        .as_ref()
        .and_then(|c| c.duration_s)
        .unwrap_or(f64::NAN);
    let tuning = reelcheck_facts::settings::CreditsSettings::default();
    let (c, trace) = credits::analyze_traced(&path, d, &facts.chapters, &tuning)?;
    for s in &trace.samples {
        println!("{:8.2}  {:?}  {:.2}", s.t, s.kind, s.text);
    }
    println!(
        "decoded {} frames; the text detector looked at {} ({:.2} s); the reader read {} lines ({:.2} s)",
        trace.decoded, trace.detected, trace.detect_s, trace.read, trace.read_s
    );
    println!("{}", serde_json::to_string_pretty(&c)?);
    Ok(())
}
