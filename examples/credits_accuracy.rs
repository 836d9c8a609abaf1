//! Measures credits detection against the ground-truth films of fixtures/credits/recipes.toml.
//!
//!     cargo run --release --example credits_accuracy [-- NAME_FILTER]
//!
//! Builds missing films into target/credits-media (two at a time), analyses each, prints one
//! row per film and the summary: share of credits starts found within ±2 s and ±0.5 s, and the
//! number of false credits on films without any. Then the same figures on the hand-labelled
//! real clips of fixtures/real/credits (skipped when a NAME_FILTER is given that matches none).

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
    let filter = std::env::args().nth(1).unwrap_or_default();
    let films: Vec<_> = recipe::book()
        .film
        .into_iter()
        .filter(|r| r.name.contains(&filter))
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

    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Credits);
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
    real(&filter, &needs);
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
    let (mut with, mut without, mut within2, mut within05, mut missed, mut false_credits) =
        (0, 0, 0, 0, 0, 0);
    let mut end05 = 0;
    for clip in &clips {
        let path = truth::dir().join(&clip.file);
        let t = Instant::now();
        let facts = probe::probe(&path, &ProbeSettings::new(needs.clone()));
        let ms = t.elapsed().as_millis();
        let c = facts.credits.clone().unwrap_or_default();
        let found_start = c.start_s.filter(|_| c.position == "end");
        let (verdict, err) = truth::judge(clip, found_start);
        match verdict {
            truth::Verdict::Exact => {
                within05 += 1;
                within2 += 1;
            }
            truth::Verdict::Near => within2 += 1,
            truth::Verdict::Missed => missed += 1,
            truth::Verdict::False => false_credits += 1,
            truth::Verdict::Off | truth::Verdict::None => {}
        }
        if clip.credits.is_some() {
            with += 1;
        } else {
            without += 1;
        }
        // The end matters too: where the last text leaves, or the end of the file.
        let end_err = match (clip.credits, found_start.and(c.end_s)) {
            (Some([_, b]), Some(e)) => Some(e - b),
            _ => None,
        };
        end05 += usize::from(end_err.is_some_and(|e| e.abs() <= 0.5));
        let span = |s: Option<[f64; 2]>| s.map_or("-".into(), |[a, b]| format!("{a:.1}-{b:.1}"));
        let found = match (found_start, c.end_s) {
            (Some(a), Some(b)) => format!("{a:.1}-{b:.1}"),
            _ => "-".into(),
        };
        let error = facts
            .error
            .map(|e| format!(" error: {e}"))
            .unwrap_or_default();
        println!(
            "{:<34} {:>13} {:>13} {:>7} {:>7} {:>6} {:<20} {verdict:?}{error}",
            clip.file,
            span(clip.credits),
            found,
            err.map_or("-".into(), |e| format!("{e:+.2}")),
            end_err.map_or("-".into(), |e| format!("{e:+.2}")),
            ms,
            c.method
        );
    }
    let pct = |n: usize| 100.0 * n as f64 / with.max(1) as f64;
    println!();
    println!("real clips with end credits or end cards: {with}; without: {without}");
    println!(
        "real: credits start within ±2 s:   {within2}/{with} ({:.0} %)",
        pct(within2)
    );
    println!(
        "real: credits start within ±0.5 s: {within05}/{with} ({:.0} %)",
        pct(within05)
    );
    println!(
        "real: credits end within ±0.5 s:   {end05}/{with} ({:.0} %)",
        pct(end05)
    );
    println!("real: missed: {missed}/{with}");
    println!("real: false credits on clips without any: {false_credits}/{without}");
}
