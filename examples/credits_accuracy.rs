//! Measures credits detection against the ground-truth films of fixtures/credits/recipes.toml.
//!
//!     cargo run --release --example credits_accuracy [-- [--real] NAME_FILTER]
//!
//! Builds missing films into target/credits-media (two at a time), analyses each, prints one
//! row per film and the summary: share of credits starts found within ±2 s and ±0.5 s, and the
//! number of false credits on films without any. Then the same figures on the hand-labelled
//! real clips of fixtures/real/credits, and on the wild set of fixtures/real/credits-wild for its
//! tuning half and its checking half apart (each skipped when a NAME_FILTER is given that
//! matches none of its clips). `--real` skips the generated films; `--half tuning` (or
//! `checking`) measures that half of the wild set alone, so tuning never shows the other.

#[path = "../fixtures/media.rs"]
mod media;
#[path = "../fixtures/credits/recipe.rs"]
mod recipe;
#[path = "../fixtures/real/credits/truth.rs"]
mod truth;

use reelcheck_facts::{Analyzer, Needs};
use reelcheck_probe::{self as probe, ProbeSettings};
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let half = args.iter().position(|a| a == "--half").map(|i| {
        args.remove(i);
        if i < args.len() {
            args.remove(i)
        } else {
            String::new()
        }
    });
    let real_only = args.first().is_some_and(|a| a == "--real");
    if real_only {
        args.remove(0);
    }
    let filter = args.first().cloned().unwrap_or_default();
    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Credits);
    if !real_only {
        generated(&filter, &needs);
    }
    real(&filter, &needs);
    wild(&filter, half.as_deref(), &needs);
}

/// The generated films of fixtures/credits/recipes.toml.
fn generated(filter: &str, needs: &Needs) {
    let films: Vec<_> = recipe::book()
        .film
        .into_iter()
        .filter(|r| r.name.contains(filter))
        .collect();
    let t0 = Instant::now();
    let paths: Vec<_> = std::thread::scope(|s| {
        let halves: Vec<_> = films
            .chunks(films.len().div_ceil(2).max(1))
            .map(|half| s.spawn(move || half.iter().map(recipe::make).collect::<Vec<_>>()))
            .collect();
        halves
            .into_iter()
            .flat_map(|h| h.join().expect("a film maker panicked"))
            .collect()
    });
    eprintln!("films ready in {:.1} s", t0.elapsed().as_secs_f64());

    let (mut with, mut within2, mut within05, mut without, mut false_credits) = (0, 0, 0, 0, 0);
    println!(
        "{:<24} {:<11} {:>5} {:>13} {:>13} {:>7} {:>6} {:<20} verdict",
        "film", "size", "fps", "truth", "found", "err_s", "ms", "method"
    );
    for (r, path) in films.iter().zip(&paths) {
        let t = Instant::now();
        let facts = probe::probe(path, &ProbeSettings::new(needs.clone()));
        let ms = t.elapsed().as_millis();
        let c = facts.credits.clone().unwrap_or_default();
        let found_end = c.position == "end";
        let found = match (c.start_s, c.end_s) {
            (Some(a), Some(b)) if found_end => format!("{a:.1}-{b:.1}"),
            _ => "-".into(),
        };
        let truth = r
            .credits
            .map_or("-".into(), |[a, b]| format!("{a:.1}-{b:.1}"));
        let (err, verdict) = match r.credits {
            Some([a, _]) => {
                with += 1;
                match c.start_s.filter(|_| found_end) {
                    Some(s) => {
                        let e = s - a;
                        within2 += usize::from(e.abs() <= 2.0);
                        within05 += usize::from(e.abs() <= 0.5);
                        let v = if e.abs() <= 0.5 {
                            "ok"
                        } else if e.abs() <= 2.0 {
                            "ok (±2)"
                        } else {
                            "OFF"
                        };
                        (format!("{e:+.2}"), v.to_string())
                    }
                    None => ("-".into(), "MISSED".into()),
                }
            }
            None => {
                without += 1;
                if found_end {
                    false_credits += 1;
                    ("-".into(), "FALSE CREDITS".into())
                } else {
                    ("-".into(), "ok (none)".into())
                }
            }
        };
        let opening = match (r.opening, &c.opening) {
            (Some([a, _]), Some(o)) => format!(" opening {:+.2}", o.start_s - a),
            (Some(_), None) => " opening MISSED".into(),
            (None, Some(o)) => format!(" opening? {:.1}-{:.1}", o.start_s, o.end_s),
            (None, None) => String::new(),
        };
        let error = facts
            .error
            .map(|e| format!(" error: {e}"))
            .unwrap_or_default();
        println!(
            "{:<24} {:<11} {:>5} {:>13} {:>13} {:>7} {:>6} {:<20} {verdict}{opening}{error}",
            r.name, r.size, r.fps, truth, found, err, ms, c.method
        );
    }
    let pct = |n: usize| 100.0 * n as f64 / with.max(1) as f64;
    println!();
    println!("films with end credits: {with}; without: {without}");
    println!(
        "credits start within ±2 s:   {within2}/{with} ({:.0} %)",
        pct(within2)
    );
    println!(
        "credits start within ±0.5 s: {within05}/{with} ({:.0} %)",
        pct(within05)
    );
    println!("false credits on films without any: {false_credits}/{without}");
}

/// The real clips: the same figures beside the generated ones.
fn real(filter: &str, needs: &Needs) {
    let clips: Vec<_> = truth::truth()
        .clip
        .into_iter()
        .filter(|c| c.file.contains(filter))
        .collect();
    if clips.is_empty() {
        return;
    }
    println!();
    println!(
        "{:<34} {:>13} {:>13} {:>7} {:>7} {:>6} {:<20} verdict",
        "real clip", "truth", "found", "err_s", "end_s", "ms", "method"
    );
    let mut tally = Tally::default();
    for clip in &clips {
        let seen = analyse(clip, &truth::dir(), needs);
        tally.add(clip, &seen);
        println!(
            "{:<34} {:>13} {:>13} {:>7} {:>7} {:>6} {:<20} {:?}{}",
            clip.file,
            span(clip.credits),
            seen.found,
            num(seen.err),
            num(seen.end_err),
            seen.ms,
            seen.method,
            seen.verdict,
            seen.error
        );
    }
    println!();
    tally.print("real");
}

fn span(s: Option<[f64; 2]>) -> String {
    s.map_or("-".into(), |[a, b]| format!("{a:.1}-{b:.1}"))
}

fn num(e: Option<f64>) -> String {
    e.map_or("-".into(), |e| format!("{e:+.2}"))
}

/// What one clip of a real set gave.
struct Seen {
    verdict: truth::Verdict,
    err: Option<f64>,
    end_err: Option<f64>,
    found: String,
    ms: u128,
    method: String,
    /// What made the credits credits, when they were found at the end.
    basis: Option<String>,
    error: String,
}

fn analyse(clip: &truth::Clip, dir: &std::path::Path, needs: &Needs) -> Seen {
    let path = dir.join(&clip.file);
    let t = Instant::now();
    let facts = probe::probe(&path, &ProbeSettings::new(needs.clone()));
    let ms = t.elapsed().as_millis();
    let c = facts.credits.clone().unwrap_or_default();
    let found_start = c.start_s.filter(|_| c.position == "end");
    let (verdict, err) = truth::judge(clip, found_start);
    let end_err = match (clip.credits, found_start.and(c.end_s)) {
        (Some([_, b]), Some(e)) => Some(e - b),
        _ => None,
    };
    let found = match (found_start, c.end_s) {
        (Some(a), Some(b)) => format!("{a:.1}-{b:.1}"),
        _ => "-".into(),
    };
    Seen {
        verdict,
        err,
        end_err,
        found,
        ms,
        basis: c.basis.filter(|_| found_start.is_some()),
        method: c.method,
        error: facts
            .error
            .map(|e| format!(" error: {e}"))
            .unwrap_or_default(),
    }
}

/// Counts over some clips of a real set.
#[derive(Default)]
struct Tally {
    with: usize,
    without: usize,
    within2: usize,
    within05: usize,
    end05: usize,
    missed: usize,
    false_credits: usize,
    /// By the basis of each claim of end credits: claims, starts within ±2 s, claims on clips
    /// without credits.
    bases: std::collections::BTreeMap<String, [usize; 3]>,
}

impl Tally {
    fn add(&mut self, clip: &truth::Clip, seen: &Seen) {
        match seen.verdict {
            truth::Verdict::Exact => {
                self.within05 += 1;
                self.within2 += 1;
            }
            truth::Verdict::Near => self.within2 += 1,
            truth::Verdict::Missed => self.missed += 1,
            truth::Verdict::False => self.false_credits += 1,
            truth::Verdict::Off | truth::Verdict::None => {}
        }
        if clip.credits.is_some() {
            self.with += 1;
        } else {
            self.without += 1;
        }
        self.end05 += usize::from(seen.end_err.is_some_and(|e| e.abs() <= 0.5));
        if let Some(b) = &seen.basis {
            let n = self.bases.entry(b.clone()).or_default();
            n[0] += 1;
            n[1] += usize::from(matches!(
                seen.verdict,
                truth::Verdict::Exact | truth::Verdict::Near
            ));
            n[2] += usize::from(seen.verdict == truth::Verdict::False);
        }
    }

    fn print(&self, label: &str) {
        let pct = |n: usize| 100.0 * n as f64 / self.with.max(1) as f64;
        println!(
            "{label}: with end credits or end cards {}, without {}",
            self.with, self.without
        );
        println!(
            "{label}: credits start within ±2 s:   {}/{} ({:.0} %)",
            self.within2,
            self.with,
            pct(self.within2)
        );
        println!(
            "{label}: credits start within ±0.5 s: {}/{} ({:.0} %)",
            self.within05,
            self.with,
            pct(self.within05)
        );
        println!(
            "{label}: credits end within ±0.5 s:   {}/{} ({:.0} %)",
            self.end05,
            self.with,
            pct(self.end05)
        );
        println!("{label}: missed: {}/{}", self.missed, self.with);
        println!(
            "{label}: false credits on clips without any: {}/{}",
            self.false_credits, self.without
        );
        // How far each basis can be trusted: of the claims it made, how many were right and
        // how many were made on clips without credits.
        let bases: Vec<String> = self
            .bases
            .iter()
            .map(|(b, [n, right, wrong])| format!("{b} {n} ({right} right, {wrong} false)"))
            .collect();
        println!("{label}: claims by basis: {}", bases.join(", "));
    }
}

/// The wild set: clips from other sources, reported for its tuning and checking halves apart,
/// so that figures on the half nobody tuned on are never mixed with the others.
fn wild(filter: &str, half: Option<&str>, needs: &Needs) {
    let clips: Vec<_> = truth::wild()
        .clip
        .into_iter()
        .filter(|c| c.file.contains(filter))
        .filter(|c| half.is_none_or(|h| c.half == h))
        .collect();
    if clips.is_empty() {
        return;
    }
    println!();
    println!(
        "{:<42} {:<8} {:>13} {:>13} {:>7} {:>7} {:>6} {:<20} {:<12} kind",
        "wild clip", "half", "truth", "found", "err_s", "end_s", "ms", "method", "verdict"
    );
    let mut halves: [(&str, Tally); 2] =
        [("tuning", Tally::default()), ("checking", Tally::default())];
    for clip in &clips {
        let seen = analyse(clip, &truth::wild_dir(), needs);
        if let Some((_, tally)) = halves.iter_mut().find(|(h, _)| *h == clip.half) {
            tally.add(clip, &seen);
        }
        println!(
            "{:<42} {:<8} {:>13} {:>13} {:>7} {:>7} {:>6} {:<20} {:<12} {}{}",
            clip.file,
            clip.half,
            span(clip.credits),
            seen.found,
            num(seen.err),
            num(seen.end_err),
            seen.ms,
            seen.method,
            format!("{:?}", seen.verdict),
            clip.kind,
            seen.error
        );
    }
    println!();
    for (name, tally) in &halves {
        if half.is_none_or(|h| h == *name) {
            tally.print(&format!("wild {name}"));
        }
    }
}
