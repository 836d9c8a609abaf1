//! What the scene-text detector finds in a film's pictures, and what it costs.
//!
//!     cargo run --release --example text_detector -- FILM [SECONDS...]
//!
//! Prints the model's load time, then for each moment (every 5 s when none are given) the
//! keyframe's time, the detector's time for it, and the text boxes found. The first picture's
//! time includes making the model runnable for its shape.

use reelcheck_probe::credits::detector::Detector;
use reelcheck_probe::sampler::Sampler;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let film = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: text_detector FILM [S...]"))?;
    let times: Vec<f64> = args.filter_map(|a| a.parse().ok()).collect();
    let t0 = Instant::now();
    let d = Detector::load()?;
    println!("load {:.3} s", t0.elapsed().as_secs_f64());
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
        let t1 = Instant::now();
        let f = d.find(&p.luma)?;
        let ms = t1.elapsed().as_secs_f64() * 1e3;
        let boxes: Vec<String> = f
            .boxes
            .iter()
            .map(|b| {
                format!(
                    "[{:.2},{:.2} {:.2}x{:.2} {:.2}]",
                    b.x0,
                    b.y0,
                    b.x1 - b.x0,
                    b.y1 - b.y0,
                    b.score
                )
            })
            .collect();
        println!(
            "{:7.2}s {}x{} {:5.0} ms  area {:.3} lines {:2} blobs {} ({:.3}) {}",
            p.t,
            p.luma.w,
            p.luma.h,
            ms,
            f.area,
            f.lines,
            f.blobs,
            f.blob_max,
            boxes.join(" ")
        );
    }
    Ok(())
}
