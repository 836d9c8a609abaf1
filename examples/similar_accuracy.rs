//! Prints how well `similar` tells the same film from another: precision and recall over pairs
//! whose answer is known, and how fast the matcher compares a large batch.
//!
//!     cargo run --release --example similar_accuracy
//!
//! Two sets:
//! - generated: the films of `fixtures/similar.rs`, made with the ffmpeg CLI from two real
//!   clips (re-encoded to HEVC and smaller, half the bit rate, another frame rate,
//!   letterboxed, subtitles burned in, trimmed, extended, another sound; a trailer cut from
//!   the middle), and the pairs that must not match (one maker's logo and credits on two
//!   films, the same music, mostly black, mostly one still, one test pattern);
//! - real: every clip of `fixtures/real/credits` against its own re-encode (smaller, another
//!   codec setting, a keyframe every 2 s; must match), and every clip of one film against
//!   every clip of another (Tears of Steel, Big Buck Bunny and the unrelated samples; must
//!   not match). Clips of one film are not paired with each other: some share their frames.
//!
//! A pair is found when the two are in one group. Exits 1 when a generated pair gets the wrong
//! answer.

use rayon::prelude::*;
use reelcheck::similar::{self, earlier, Candidate};
use reelcheck::verdict::{EntryInfo, FileReport, FileStatus};
use reelcheck_facts::{Analyzer, Needs};
use reelcheck_probe::{probe, ProbeSettings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "../fixtures/media.rs"]
mod media;
#[path = "../fixtures/similar.rs"]
mod recipes;
// Only `media_dir` and `make` are used here.
#[allow(dead_code)]
#[path = "shared/mod.rs"]
mod shared;

/// The fingerprint of each film, as a candidate named by its file name.
fn fingerprints(films: &[(String, PathBuf)]) -> BTreeMap<String, Candidate> {
    let mut needs = Needs::header_only();
    needs.insert(Analyzer::Credits);
    needs.insert(Analyzer::Black);
    needs.insert(Analyzer::Audio);
    films
        .par_iter()
        .filter_map(|(name, path)| {
            let facts = probe(path, &ProbeSettings::new(needs.clone()));
            let report = FileReport {
                path: name.clone(),
                status: FileStatus::Pass,
                error: None,
                error_code: None,
                provisional: false,
                results: Vec::new(),
                facts,
                entry: EntryInfo::default(),
                stamp: None,
                timing: None,
            };
            match earlier::of_report(&report) {
                Some(c) => Some((name.clone(), c)),
                None => {
                    eprintln!("{name}: no fingerprint");
                    None
                }
            }
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Tally {
    fn add(&mut self, expected: bool, found: bool) {
        match (expected, found) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    fn line(&self, set: &str) -> String {
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                "n/a".to_string()
            } else {
                format!("{:.3}", a as f64 / b as f64)
            }
        };
        format!(
            "{set:<10} precision {} recall {}  ({} found of {} that match; {} false of {} that must not)",
            ratio(self.tp, self.tp + self.fp),
            ratio(self.tp, self.tp + self.fn_),
            self.tp,
            self.tp + self.fn_,
            self.fp,
            self.fp + self.tn
        )
    }
}

fn group_of(groups: &[similar::Group], a: &str, b: &str) -> Option<similar::Group> {
    groups
        .iter()
        .find(|g| g.entries.iter().any(|e| e == a) && g.entries.iter().any(|e| e == b))
        .cloned()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = shared::media_dir().join("similar");
    let mut failed = false;

    // Generated pairs.
    let made: Vec<(String, PathBuf)> = recipes::recipes(root)
        .par_iter()
        .map(|r| {
            let args: Vec<&str> = r.args.iter().map(String::as_str).collect();
            let path = shared::make(&dir.join(r.name), &args).unwrap_or_else(|e| {
                eprintln!("{e}");
                std::process::exit(2)
            });
            (r.name.to_string(), path)
        })
        .collect();
    let fps = fingerprints(&made);
    let batch: Vec<Candidate> = fps.values().cloned().collect();
    let groups = similar::find(&batch, &[]);
    let mut generated = Tally::default();
    println!("== similar: generated pairs ==");
    for e in recipes::EXPECT {
        let g = group_of(&groups, e.a, e.b);
        let right = match (e.kind, &g) {
            (None, None) => true,
            (Some(k), Some(g)) => g.kind.as_str() == k && g.sound.map(|s| s.as_str()) == e.sound,
            _ => false,
        };
        generated.add(e.kind.is_some(), g.is_some());
        failed |= !right;
        let said = g.as_ref().map_or("no group".to_string(), |g| {
            format!(
                "{} (similarity {:.2}, {:.1} s shared{})",
                g.kind.as_str(),
                g.similarity,
                g.shared_s,
                g.sound.map_or(String::new(), |s| format!(", {}", s.said()))
            )
        });
        println!(
            "{:<5} {:<18} {:<20} {:<58} expected {}{}",
            if right { "ok" } else { "WRONG" },
            e.a,
            e.b,
            said,
            e.kind.unwrap_or("no group"),
            e.sound.map_or(String::new(), |s| format!(", {s} sound"))
        );
    }

    // Real clips against their re-encodes, and clips of different films.
    let real = root.join("fixtures/real/credits");
    let mut clips: Vec<PathBuf> = std::fs::read_dir(&real)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    clips.retain(|p| {
        p.extension()
            .is_some_and(|x| x == "mp4" || x == "webm" || x == "mkv")
    });
    clips.sort();
    let mut films: Vec<(String, PathBuf)> = Vec::new();
    for c in &clips {
        let name = c
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let copy = format!("reencoded-{name}.mp4");
        let made = shared::make(
            &dir.join(&copy),
            &[
                "-i",
                &c.display().to_string(),
                "-vf",
                "scale=trunc(iw*2/3/2)*2:-2",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "30",
                "-g",
                "48",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "96k",
            ],
        );
        match made {
            Ok(p) => films.push((copy, p)),
            Err(e) => eprintln!("{e}"),
        }
        films.push((name, c.clone()));
    }
    let fps = fingerprints(&films);
    let batch: Vec<Candidate> = fps.values().cloned().collect();
    let groups = similar::find(&batch, &[]);
    let family = |n: &str| {
        let n = n.trim_start_matches("reencoded-");
        if n.starts_with("tos-") {
            "tos".to_string()
        } else if n.starts_with("bbb") {
            "bbb".to_string()
        } else {
            n.split('.').next().unwrap_or(n).to_string()
        }
    };
    let mut real_tally = Tally::default();
    let names: Vec<&String> = fps.keys().collect();
    for (x, a) in names.iter().enumerate() {
        for b in &names[x + 1..] {
            let same_clip = a.trim_start_matches("reencoded-").trim_end_matches(".mp4")
                == b.trim_start_matches("reencoded-").trim_end_matches(".mp4")
                || format!("reencoded-{a}.mp4") == **b
                || format!("reencoded-{b}.mp4") == **a;
            let expected = if same_clip {
                true
            } else if family(a) != family(b) {
                false
            } else {
                continue;
            };
            let group = group_of(&groups, a, b);
            let found = group.is_some();
            if let Some(g) = group.as_ref().filter(|_| expected) {
                println!(
                    "real: {a} / {b}: {} {:.2}{}",
                    g.kind.as_str(),
                    g.similarity,
                    g.sound.map_or(String::new(), |s| format!(", {}", s.said()))
                );
            }
            if expected != found {
                println!(
                    "real: {a} / {b}: {} (expected {})",
                    if found { "found" } else { "not found" },
                    if expected { "found" } else { "not found" }
                );
            }
            real_tally.add(expected, found);
        }
    }
    println!("{}", generated.line("generated"));
    println!("{}", real_tally.line("real"));
    if failed {
        std::process::exit(1);
    }
}
