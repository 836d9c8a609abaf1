//! What the text reader reads in a film's pictures, and what it costs.
//!
//!     cargo run --release --example text_reader -- FILM [SECONDS...]
//!
//! Prints the models' load time, then for each moment (every 5 s when none are given) the
//! keyframe's time and each line the detector found with what the reader read in it, its
//! score and the reading's time.

use reelcheck_probe::credits::detector::Detector;
use reelcheck_probe::credits::reader::Reader;
use reelcheck_probe::sampler::Sampler;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let film = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: text_reader FILM [S...]"))?;
    let times: Vec<f64> = args.filter_map(|a| a.parse().ok()).collect();
    let t0 = Instant::now();
    let d = Detector::load()?;
    let t1 = Instant::now();
    let r = Reader::load()?;
    println!(
        "load: detector {:.3} s, reader {:.3} s",
        (t1 - t0).as_secs_f64(),
        t1.elapsed().as_secs_f64()
    );
    let mut s =
        Sampler::open(std::path::Path::new(&film))?.ok_or_else(|| anyhow::anyhow!("no video"))?;
    let times = if times.is_empty() {
        (0..200).map(|i| f64::from(i) * 5.0).collect()
    } else {
        times
    };
    let mut last = f64::NAN;
    for t in times {
        let Some(p) = s.keyframe_at(t)? else { break };
        if p.t == last {
            continue;
        }
        last = p.t;
        let f = d.find(&p.luma)?;
        println!("{:7.2}s {} boxes", p.t, f.boxes.len());
        for b in &f.boxes {
            let t2 = Instant::now();
            let line = r.read(&p.luma, b)?;
            let ms = t2.elapsed().as_secs_f64() * 1e3;
            match line {
                Some(l) => println!("    {:5.1} ms {:.2} {:?}", ms, l.score, l.text),
                None => println!("    {:5.1} ms (too small)", ms),
            }
        }
    }
    Ok(())
}
