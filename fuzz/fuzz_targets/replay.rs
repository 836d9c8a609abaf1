//! A fuzz target as a plain program, where cargo-fuzz is not at hand: it runs every file of the
//! corpus folders it is given, then mutations of them (bit flips, bytes set, inserted, removed
//! and repeated, splices of two inputs, tokens of the target's own) until `--seconds` are up.
//! An input that panics is saved in `artifacts/NAME/` and ends the run with exit code 1.
//!
//! `cargo run --release --no-default-features --features replay --bin NAME -- [--seconds S]
//! [--seed N] FOLDER_OR_FILE...`

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Inputs larger than this are cut: mutations of multi-megabyte films spend the time hashing.
const MAX_INPUT: usize = 1 << 20;

pub fn main(name: &str, one: fn(&[u8]), tokens: &[&[u8]]) {
    let mut seconds = 0u64;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut roots = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(0),
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            _ => roots.push(PathBuf::from(a)),
        }
    }
    let mut corpus: Vec<(String, Vec<u8>)> = Vec::new();
    for root in &roots {
        collect(root, &mut corpus);
    }
    corpus.sort();
    // Quiet: an expected panic is caught and reported once, with its input saved.
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let mut runs = 0u64;
    for (label, bytes) in &corpus {
        run(name, one, bytes, label);
        runs += 1;
    }
    let corpus_runs = runs;
    let mut rng = Rng(seed | 1);
    let deadline = Duration::from_secs(seconds);
    let mut input = Vec::new();
    while started.elapsed() < deadline && !corpus.is_empty() {
        let base = &corpus[rng.below(corpus.len())].1;
        input.clear();
        input.extend_from_slice(base);
        for _ in 0..1 + rng.below(8) {
            mutate(&mut input, &corpus, tokens, &mut rng);
        }
        input.truncate(MAX_INPUT);
        run(name, one, &input, "a mutation");
        runs += 1;
    }
    println!(
        "{name}: {runs} runs ({corpus_runs} corpus inputs, {} mutations) in {:.0?}, no panic",
        runs - corpus_runs,
        started.elapsed()
    );
}

fn run(name: &str, one: fn(&[u8]), bytes: &[u8], label: &str) {
    if catch_unwind(AssertUnwindSafe(|| one(bytes))).is_ok() {
        return;
    }
    let dir = Path::new("artifacts").join(name);
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("crash-{:016x}", fnv(bytes)));
    let _ = std::fs::write(&file, bytes);
    eprintln!("{name}: {label} panics; saved as {}", file.display());
    std::process::exit(1);
}

fn collect(path: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
            collect(&entry.path(), out);
        }
    } else if let Ok(mut bytes) = std::fs::read(path) {
        bytes.truncate(MAX_INPUT);
        out.push((path.display().to_string(), bytes));
    }
}

fn mutate(input: &mut Vec<u8>, corpus: &[(String, Vec<u8>)], tokens: &[&[u8]], rng: &mut Rng) {
    let len = input.len();
    let at = if len == 0 { 0 } else { rng.below(len) };
    match rng.below(8) {
        0 if len > 0 => input[at] ^= 1 << rng.below(8),
        1 if len > 0 => input[at] = [0, 0xFF, 0x7F, 0x80, b'<', b'>', b'"', b'&'][rng.below(8)],
        2 => {
            let n = 1 + rng.below(16);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            input.splice(at..at, bytes);
        }
        3 if len > 0 => {
            let end = (at + 1 + rng.below(64)).min(len);
            input.drain(at..end);
        }
        4 if len > 0 => {
            let end = (at + 1 + rng.below(256)).min(len);
            let copy = input[at..end].to_vec();
            let to = rng.below(input.len() + 1);
            input.splice(to..to, copy);
        }
        5 if !corpus.is_empty() => {
            let other = &corpus[rng.below(corpus.len())].1;
            if !other.is_empty() {
                let from = rng.below(other.len());
                let end = (from + 1 + rng.below(4096)).min(other.len());
                input.splice(at..at, other[from..end].iter().copied());
            }
        }
        6 if !tokens.is_empty() => {
            let t = tokens[rng.below(tokens.len())];
            input.splice(at..at, t.iter().copied());
        }
        7 if len > 0 => input.truncate(at),
        _ => input.push(rng.next() as u8),
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}
