//! How long `similar` takes to compare a large batch: 1000 synthetic fingerprints (200
//! pictures each, as a film of several minutes has; one in ten with a re-encoded twin among
//! them: a few bits of each hash flipped, the times shifted), matched as `check` matches a
//! batch. Prints the median of the runs and how many pairs were found.
//!
//!     cargo run --release --example similar_match -- [--films N] [--runs N]

use reelcheck::similar::matcher::Film;
use reelcheck::similar::sound::Sound;
use reelcheck::similar::{self, Candidate};
use std::time::Instant;

/// A small fast generator (splitmix64): the same films on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let films = arg("--films", 1000);
    let runs = arg("--runs", 7);
    let mut rng = Rng(42);
    let mut batch: Vec<Candidate> = Vec::with_capacity(films);
    let original = films - films / 10;
    for i in 0..original {
        let frames = (0..200)
            .map(|k| (k as f64 * 3.0, rng.next() & !(1 << 63)))
            .collect();
        batch.push(Candidate {
            path: format!("film-{i:04}.mp4"),
            track: None,
            report: None,
            film: Film {
                duration_s: 600.0,
                frames,
                // Ten minutes of sound pooled as a fingerprint pools it: 605 blocks of 0.99 s.
                sound: Some(Sound {
                    start_s: 0.0,
                    block_s: 0.990_476,
                    blocks: (0..605).map(|_| rng.next() as u32).collect(),
                }),
            },
        });
    }
    for i in 0..films / 10 {
        let of = &batch[i * 7 % original].film;
        let frames = of
            .frames
            .iter()
            .map(|&(t, h)| {
                let flips = rng.next() % 4;
                let mut h = h;
                for _ in 0..flips {
                    h ^= 1 << (rng.next() % 63);
                }
                (t + 12.0, h)
            })
            .collect();
        batch.push(Candidate {
            path: format!("twin-{i:04}.mp4"),
            track: None,
            report: None,
            film: Film {
                duration_s: of.duration_s + 12.0,
                frames,
                // The same sound, 12 s later.
                sound: of.sound.clone().map(|s| Sound {
                    start_s: s.start_s + 12.0,
                    ..s
                }),
            },
        });
    }
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let groups = similar::find(&batch, &[]);
        times.push(start.elapsed().as_secs_f64());
        found = groups.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "similar: {films} fingerprints of 200 pictures matched in {:.3} s (median of {runs}; {found} pairs found, {} twins made)",
        times[times.len() / 2],
        films / 10
    );
}
