//! Credits detection on the hand-labelled real clips of fixtures/real/credits (the same clips
//! and labels the accuracy example measures), through the real `reelcheck credits` command,
//! and what `--explain` prints.

#[path = "../../fixtures/real/credits/truth.rs"]
mod truth;

use crate::support::*;
use truth::Verdict;

/// Clips whose credits the detector does not yet find within ±2 s, each with the reason seen
/// in `--explain`. The test fails when one of them starts to pass, so the list stays true.
const KNOWN_MISSES: &[(&str, &str)] = &[
    (
        "bbb_0_30.webm",
        "white title over moving, textured picture: the lines are not calm enough between them",
    ),
    (
        "tos-short-end-card.mp4",
        "a 1.1 s card at the very end: no keyframe falls inside it",
    ),
    (
        "tos-title-only.mp4",
        "the title is on screen 3.9 s: too short for end credits, one keyframe in the clip",
    ),
    (
        "tos-opening-then-card.mp4",
        "small credits over bright moving picture: busy rows between the lines",
    ),
    (
        "tos-credit-over-picture.mp4",
        "3 s of small credits at the end: no keyframe falls inside them",
    ),
    (
        "tos-card-at-end.mp4",
        "a 2.9 s card at the end: no keyframe falls inside it",
    ),
    (
        "bbb-title-end.mp4",
        "white title over moving, textured picture: the lines are not calm enough between them",
    ),
    (
        "bbb-presents-end.mp4",
        "a 2.2 s card at the end: no keyframe falls inside it",
    ),
    (
        "bbb-picture-then-title.mp4",
        "white title over moving, textured picture: the lines are not calm enough between them",
    ),
    (
        "bbb-presents-lowrate.mp4",
        "a 1.4 s card at the end: no keyframe falls inside it",
    ),
];

fn verdict(clip: &truth::Clip) -> (Verdict, String) {
    let path = truth::dir().join(&clip.file);
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&["credits", "--format", "json", p]);
    assert_eq!(code, 0, "reelcheck credits {p} failed: {err}");
    let c = json(&out);
    let start = c["start_s"].as_f64().filter(|_| c["position"] == "end");
    (truth::judge(clip, start).0, c.to_string())
}

#[test]
fn real_clips_match_their_labels() {
    let mut wrong = Vec::new();
    for clip in truth::truth().clip {
        let (v, seen) = verdict(&clip);
        let known = KNOWN_MISSES.iter().any(|(f, _)| *f == clip.file);
        let good = matches!(v, Verdict::Exact | Verdict::Near | Verdict::None);
        if known && good {
            wrong.push(format!(
                "{}: now {v:?}; remove it from KNOWN_MISSES",
                clip.file
            ));
        } else if !known && !good {
            wrong.push(format!("{}: {v:?}, saw {seen}", clip.file));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_false_credits_on_real_clips_without_text() {
    for clip in truth::truth().clip.iter().filter(|c| c.credits.is_none()) {
        let (v, seen) = verdict(clip);
        assert_eq!(v, Verdict::None, "{}: {seen}", clip.file);
    }
}

#[test]
fn explain_prints_the_evidence_per_sampled_time() {
    let path = truth::dir().join("bbb_0_30.webm");
    let (code, out, err) = run(&["credits", "--explain", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("evidence"), "{out}");
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.trim_start()
                .split('s')
                .next()
                .is_some_and(|t| t.parse::<f64>().is_ok())
        })
        .collect();
    assert!(rows.len() >= 10, "too few sampled times:\n{out}");
    // The title over picture at the end is where text lines show up, even if the detector
    // does not call it text yet: the evidence must say so.
    let late_lines = rows.iter().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        let t: f64 = f[0].trim_end_matches('s').parse().unwrap_or(0.0);
        t >= 25.0 && f.get(4).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0) > 0
    });
    assert!(late_lines, "no text lines seen over the title:\n{out}");
}
