//! Credits detection: where the end credits (and any opening credits) are.
//!
//! Cost is the point: a coarse pass decodes single keyframes (seek, decode one intra picture,
//! reduce it to a small grey image) over the head and tail of the film; only the few seconds
//! around each boundary found are then decoded in sequence to place it precisely. Chapters
//! titled like credits are taken as strong evidence.

mod detected;
pub mod detector;
mod explain;
pub mod features;
mod frames;
mod motion;
mod plans;
pub mod reader;
pub mod segment;
mod words;

pub use frames::{detector_grab, frame_grab, write_detector_frames, write_frames};

use crate::sampler::{Picture, Sampler};
use anyhow::Result;
use features::{look, overlay_text, Kind};
use reelcheck_facts::settings::CreditsSettings;
use reelcheck_facts::{Chapter, Credits, Segment};
use regex::Regex;
use segment::{Run, Sample};
use std::path::Path;
use std::sync::OnceLock;

/// What the analysis looked at, for accuracy and cost reports.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub samples: Vec<Sample>,
    pub decoded: u64,
    /// Pictures the text detector looked at, and the time it took.
    pub detected: usize,
    pub detect_s: f64,
    /// Lines the text reader read, and the time it took.
    pub read: usize,
    pub read_s: f64,
    /// The middle-of-film probes for running text, when taken.
    pub middle: Middle,
}

/// What the text detector found at moments through the middle of the film.
pub type Middle = Vec<(f64, detector::TextFound)>;

pub fn analyze_traced(
    path: &Path,
    duration_s: f64,
    chapters: &[Chapter],
    tuning: &CreditsSettings,
) -> Result<(Credits, Trace)> {
    analyze_sampled(Sampler::open(path)?.as_mut(), duration_s, chapters, tuning)
}

/// The analysis of `path` again, with what it looked at as plain data (`credits --explain`).
pub fn explain(
    path: &Path,
    duration_s: f64,
    chapters: &[Chapter],
    tuning: &CreditsSettings,
) -> Result<reelcheck_facts::credits_trace::CreditsTrace> {
    let (_, trace) = analyze_traced(path, duration_s, chapters, tuning)?;
    Ok(explain::to_data(&trace))
}

/// The analysis on an open picture source (`None` when the file has no video), so that other
/// video analyzers can share it.
pub fn analyze_sampled(
    sampler: Option<&mut Sampler>,
    duration_s: f64,
    chapters: &[Chapter],
    tuning: &CreditsSettings,
) -> Result<(Credits, Trace)> {
    let t = tuning;
    let chapter = chapter_evidence(chapters, duration_s);
    let mut trace = Trace::default();
    let Some(sampler) = sampler else {
        return Ok((from_chapters(chapter, "no-video"), trace));
    };
    if !duration_s.is_finite() || duration_s < t.min_film_s {
        return Ok((from_chapters(chapter, "too-short"), trace));
    }
    detected::prepare_early(sampler.reduced_size());
    let d = duration_s;
    let step = (d / 120.0).clamp(0.75, 3.0);
    let head = (d * t.head_share).min(t.head_max_s);

    let mut samples = Vec::new();
    coarse(sampler, &mut samples, 0.0, head, step)?;
    let mut tail_from = (d * (1.0 - t.tail_share)).max(head);
    coarse(sampler, &mut samples, tail_from, d, step)?;
    // Credits that began before the tail window: widen it until picture shows up.
    while tail_from > head && first_kind_from(&samples, tail_from) == Some(Kind::Text) {
        let from = (tail_from - 0.1 * d).max(head);
        coarse(sampler, &mut samples, from, tail_from, step)?;
        tail_from = from;
    }
    // Text running into the last keyframe needs no closer look at the end: the refinement
    // places its end. Otherwise an end card may hide between the last keyframe and the end.
    // A clip no longer than the end scan is scanned whole: its one keyframe showing text is
    // not a run yet, and nothing else would be sampled.
    let last = samples.iter().max_by(|a, b| a.t.total_cmp(&b.t));
    if d <= t.end_scan_s || last.is_none_or(|s| s.kind != Kind::Text) {
        end_scan(sampler, &mut samples, d, t)?;
    }
    tidy(&mut samples);
    mark_overlays(&mut samples, t);
    // Marking again only matters for samples the densifying added: the others, and their
    // neighbours, are as they were, so none of them would be marked now.
    if densify(sampler, &mut samples, step, d, t)? {
        mark_overlays(&mut samples, t);
    }
    motion::mark_scrolls(&mut samples);

    if fill_gaps(sampler, &mut samples, d, step, t)? {
        mark_overlays(&mut samples, t);
        motion::mark_scrolls(&mut samples);
    }
    let mut eyes = detected::Eyes::new();
    detected::rescue(&mut samples, &mut eyes, d, t.end_scan_s.min(d))?;
    let (end, middle) = end_run(sampler, &mut samples, &mut eyes, d, step, t)?;
    trace.middle = middle;
    let runs = segment::runs(&samples, t);
    let open = segment::opening(&runs, d, head).filter(|o| end.is_none_or(|(e, _)| *o != e));

    let end_seg = match end {
        Some((r, basis)) => Some((r, refine(sampler, &r, d, &samples, &mut eyes, t)?, basis)),
        None => None,
    };
    let open_seg = match open {
        Some(r) => Some(refine(sampler, &r, d, &samples, &mut eyes, t)?),
        None => None,
    };
    trace.decoded = sampler.decoded;
    trace.detected = eyes.looked;
    trace.detect_s = eyes.spent.as_secs_f64();
    trace.read = eyes.read;
    trace.read_s = eyes.read_spent.as_secs_f64();
    let credits = decide(chapter, end_seg, open_seg, &samples, d);
    trace.samples = samples;
    Ok((credits, trace))
}

/// The times and finds of the middle probes, as the trace keeps them.
fn probes_found(probes: Vec<detected::Probe>) -> Middle {
    probes.into_iter().map(|p| (p.t, p.found)).collect()
}

/// The part of `r` before `from`.
fn before(samples: &[Sample], r: &Run, from: f64) -> Run {
    Run {
        last: samples
            .iter()
            .filter(|s| s.t < from)
            .map(|s| s.t)
            .fold(r.first, f64::max),
        ..*r
    }
}

/// The end-credits run, checked by the text detector: a run without text boxes, or running
/// text the film shows through its middle too (unless the run's text is of another kind), is
/// set aside and the next candidate taken. Also the middle-of-film probes, when taken.
fn end_run(
    sampler: &mut Sampler,
    samples: &mut Vec<Sample>,
    eyes: &mut detected::Eyes,
    d: f64,
    step: f64,
    t: &CreditsSettings,
) -> Result<(Option<(Run, &'static str)>, Middle)> {
    let mut middle: Option<Option<Vec<detected::Probe>>> = None;
    // Each round sets at least one text sample aside, so this ends; the bound keeps the
    // detector's budget for the runs that matter.
    for _ in 0..4 {
        let runs = segment::runs(samples, t);
        let Some(r) = segment::end_credits(samples, &runs, d, step, t) else {
            return Ok((None, middle.flatten().map(probes_found).unwrap_or_default()));
        };
        if detected::confirm(samples, &r, eyes)? == detected::Confirmed::No {
            set_aside(samples, &r, detected::NO_BOXES);
            continue;
        }
        detected::look_through(samples, &r, eyes)?;
        if let Some(why) = detected::unread(samples, &r, eyes)? {
            set_aside(samples, &r, why);
            continue;
        }
        if detected::lone_speck(samples, &r) {
            set_aside(samples, &r, "one small mark in one picture");
            continue;
        }
        if detected::once_not_at_end(samples, &r) {
            set_aside(
                samples,
                &r,
                "lettering in one picture only, and not at its end",
            );
            continue;
        }
        // Words of credits keep an edge line (a copyright line at the foot of a black card).
        if detected::edge_only(samples, &r)
            && !matches!(
                detected::words_of(samples, &r, eyes)?,
                words::Verdict::Credits(_)
            )
        {
            set_aside(samples, &r, "text only at the picture's edges");
            continue;
        }
        if let Some(from) = detected::lettering_begins(samples, &r, eyes)? {
            let head = before(samples, &r, from);
            set_aside(samples, &head, detected::NO_BOXES);
            continue;
        }
        if detected::subtitles(samples, &r) {
            set_aside(samples, &r, "subtitles over picture");
            continue;
        }
        let said = detected::words_of(samples, &r, eyes)?;
        let begin = match said {
            words::Verdict::NotCredits(why) => {
                set_aside(samples, &r, why);
                continue;
            }
            words::Verdict::Credits(_) => detected::credits_begin(samples, &r, eyes)?,
            words::Verdict::Unsure => detected::card_begin(samples, &r, eyes)?,
        };
        match begin {
            Some(detected::Begin::Nowhere(why)) => {
                set_aside(samples, &r, why);
                continue;
            }
            Some(detected::Begin::At(from, why)) => {
                let head = before(samples, &r, from);
                set_aside(samples, &head, why);
                // The credits' first pictures were sampled as part of something else: sample
                // them as an end card is, so that a short card has its samples.
                more_from(sampler, samples, from, d, t)?;
                continue;
            }
            None => {}
        }
        // Checked only without words of credits: a game's credits may keep a heading and a
        // menu line while the names beneath change.
        let credit_words = matches!(said, words::Verdict::Credits(_));
        if !credit_words && detected::framed_screen(samples, &r) {
            set_aside(samples, &r, "a screen's fixed frame around changing text");
            continue;
        }
        if !credit_words && detected::screen_of_text(samples, &r) && !detected::signed(samples, &r)
        {
            const SCREEN: &str = "a screen of text: many lines, set to one side";
            if let Some(from) = detected::card_after_screen(samples, &r, eyes)? {
                let head = before(samples, &r, from);
                set_aside(samples, &head, SCREEN);
                more_from(sampler, samples, from, d, t)?;
                continue;
            }
            set_aside(samples, &r, SCREEN);
            continue;
        }
        // Text from the film's first picture to its end has no picture before it to compare
        // with (the running-text test below has nothing to look at): it is the film's own
        // text (a text animation, a screen recording, a slideshow) unless it says credits or
        // who made the film, shows a logo, or holds one title still (a logo card).
        if !credit_words
            && detected::from_first_picture(samples, &r)
            && !detected::signed(samples, &r)
            && !detected::held_title(samples, &r)
        {
            set_aside(
                samples,
                &r,
                "text from the first picture, and nothing in it reads as credits",
            );
            continue;
        }
        // Text at the end whose words say nothing either way is an end card only when
        // something else says so: it signs the film, or it is set out as a card.
        if !credit_words && !detected::signed(samples, &r) && !detected::ends_on_a_card(samples, &r)
        {
            set_aside(
                samples,
                &r,
                "text at the end that names no one, signs nothing and is not set out as a card, \
                 or cannot be read",
            );
            continue;
        }
        if middle.is_none() {
            middle = Some(detected::middle_text(
                sampler,
                samples,
                eyes,
                d,
                step.max(1.0),
                &r,
            )?);
        }
        // Words of credits read in the run are the change of character the persistence
        // test looks for in the boxes' layout.
        if let Some(Some(probes)) = middle.as_mut().filter(|_| !credit_words) {
            detected::look_through(samples, &r, eyes)?;
            let end = detected::found_in(samples, &r);
            let mid: Vec<_> = probes.iter().map(|p| p.found.clone()).collect();
            if detected::persistent(&mid)
                && !detected::changes_character(&mid, &end)
                && !matches!(
                    detected::middle_words(probes, eyes)?,
                    words::Verdict::Credits(_)
                )
                && !detected::new_address(samples, &r, probes, eyes)?
            {
                set_aside(samples, &r, "running text");
                continue;
            }
        }
        let basis = detected::basis(samples, &r, credit_words);
        // Credits beside a picture: the run may hold only their last card. Where the picture
        // before the credits reached is seconds away, that stretch is sampled and looked at
        // again.
        let mut r = r;
        for _ in 0..REACH_ROUNDS {
            let Some(from) = detected::reach_back(samples, &r, eyes)? else {
                break;
            };
            r = segment::runs(samples, t)
                .into_iter()
                .find(|x| x.last == r.last)
                .unwrap_or(r);
            let Some(prev) = samples
                .iter()
                .map(|s| s.t)
                .filter(|&x| x < from)
                .reduce(f64::max)
            else {
                break;
            };
            if from - prev <= MAX_GAP_S {
                break;
            }
            let mut more = Vec::new();
            sampler.scan(
                prev + REACH_STEP_S,
                from - 0.5 * REACH_STEP_S,
                REACH_STEP_S,
                |p| {
                    more.push(sample(&p));
                    true
                },
            )?;
            if more.is_empty() {
                break;
            }
            samples.extend(more);
            tidy(samples);
        }
        return Ok((
            Some((r, basis)),
            middle.flatten().map(probes_found).unwrap_or_default(),
        ));
    }
    Ok((None, middle.flatten().map(probes_found).unwrap_or_default()))
}

/// Rounds of reaching back for credits beside a picture, and the spacing of the pictures
/// sampled between rounds.
const REACH_ROUNDS: usize = 3;
const REACH_STEP_S: f64 = 1.0;

/// Adds samples from `from` to the end at the end scan's spacing, unless already that dense.
fn more_from(
    sampler: &mut Sampler,
    samples: &mut Vec<Sample>,
    from: f64,
    d: f64,
    t: &CreditsSettings,
) -> Result<()> {
    let have = samples.iter().filter(|s| s.t >= from).count() as f64;
    if have * t.end_scan_step_s >= d - from {
        return Ok(());
    }
    samples.extend(scanned_to_end(sampler, from, d, t)?);
    tidy(samples);
    Ok(())
}

/// Samples from `from` to the end, decoded in sequence at the end scan's spacing.
fn scanned_to_end(
    sampler: &mut Sampler,
    from: f64,
    d: f64,
    t: &CreditsSettings,
) -> Result<Vec<Sample>> {
    let mut more = Vec::new();
    sampler.scan(from, d, t.end_scan_step_s, |p| {
        more.push(sample(&p));
        true
    })?;
    Ok(more)
}

/// Takes the run's text samples for picture, noting why.
fn set_aside(samples: &mut [Sample], r: &Run, why: &'static str) {
    for s in samples
        .iter_mut()
        .filter(|s| s.kind == Kind::Text && s.t >= r.first && s.t <= r.last)
    {
        s.kind = Kind::Picture;
        s.set_aside = Some(why);
    }
}

/// Widest gap left between samples in the candidate end region: from the last picture before
/// the end-credits candidate (or the last `GAP_REGION_S` seconds without one) to the end.
const MAX_GAP_S: f64 = 2.0;
const GAP_REGION_S: f64 = 30.0;
/// At most this many pictures added, which bounds the cost on long films with long GOPs.
const MAX_FILLS: usize = 60;
/// The first seconds of an end-credits candidate, where gaps are filled as before it.
const RUN_LEAD_S: f64 = 4.0;

/// Adds samples where the candidate end region has gaps wider than `MAX_GAP_S`: the keyframe
/// in the middle of the gap when there is one; else the gap lies inside one group of pictures,
/// and it is decoded once in sequence from the keyframe before it. Decoding each missing
/// picture from its keyframe instead decoded the start of a long group over and over (four
/// times the pictures of the region on a 10-second group). Says whether any was added.
fn fill_gaps(
    sampler: &mut Sampler,
    samples: &mut Vec<Sample>,
    d: f64,
    step: f64,
    t: &CreditsSettings,
) -> Result<bool> {
    let runs = segment::runs(samples, t);
    let candidate = segment::end_credits(samples, &runs, d, step, t);
    // Inside the candidate, past its first seconds, a gap with text on both sides lies within
    // one run of credits: filling it would decode nearly all of the credits (on long groups
    // of pictures), and could only find a shot cut into them, which does not move where
    // they begin. Their first seconds are sampled as densely as what precedes them.
    let settled = candidate.as_ref().map(|r| (r.first + RUN_LEAD_S, r.last));
    // Where a gap with text on both sides is to be filled to: the part of it within those
    // first seconds, when that part is still too wide; nothing when it lies past them.
    let fill_to = |a: f64, b: f64| match settled {
        Some((lo, hi)) if b <= hi => {
            let end = b.min(lo);
            (end - a > MAX_GAP_S).then_some(end)
        }
        _ => Some(b),
    };
    let from = match candidate {
        Some(r) => r
            .before
            .unwrap_or(r.first)
            .max(r.first - 4.0 * GAP_REGION_S),
        None => d - GAP_REGION_S,
    }
    .max(0.0);
    let mut added = 0;
    let mut tried: Vec<f64> = Vec::new();
    while added < MAX_FILLS {
        let mut gap = None;
        let mut prev = from;
        let mut prev_text = false;
        for s in samples.iter().filter(|s| s.t >= from) {
            let text = s.kind == Kind::Text;
            if s.t - prev > MAX_GAP_S && !tried.iter().any(|m| *m > prev && *m < s.t) {
                let to = if prev_text && text {
                    fill_to(prev, s.t)
                } else {
                    Some(s.t)
                };
                if let Some(to) = to {
                    gap = Some((prev, to));
                    break;
                }
            }
            prev = s.t;
            prev_text = text;
        }
        if gap.is_none() && d - prev > MAX_GAP_S && !tried.iter().any(|m| *m > prev) {
            gap = Some((prev, d));
        }
        let Some((a, b)) = gap else {
            break;
        };
        let mid = 0.5 * (a + b);
        if let Some(p) = sampler
            .keyframe_at(mid)?
            .filter(|p| p.t > a + 0.25 && p.t < b - 0.25)
        {
            samples.push(sample(&p));
            tidy(samples);
            added += 1;
            continue;
        }
        // No keyframe inside: the pictures halving the gap would pick (the first at or after
        // its middle, then the same in each half, until no part is over the limit), found
        // from the packets' times, then decoded in one pass from the keyframe before them.
        let times: Vec<f64> = sampler
            .picture_times(a, b)
            .into_iter()
            .filter(|&t| t > a && t < b)
            .collect();
        let mut picks = Vec::new();
        halve(&times, a, b, &mut picks);
        picks.sort_unstable();
        let wanted: Vec<f64> = picks.iter().map(|&k| times[k]).collect();
        let mut got = Vec::new();
        if let (Some(&first), Some(&last)) = (wanted.first(), wanted.last()) {
            // The pictures from the last pick to the gap's end are kept: when the boundary
            // of the credits lies there, its refinement reads them instead of decoding the
            // group of pictures again.
            sampler.scan_at_keeping(first, last, &wanted, b, |p| {
                got.push(sample(&p));
                true
            })?;
        }
        if got.is_empty() {
            // Nothing to be had there (the file ends early, or seeking fails): leave it.
            tried.push(mid);
        } else {
            added += got.len();
            samples.extend(got);
            tidy(samples);
        }
    }
    Ok(added > 0)
}

/// The pictures (indices into `times`, sorted) that halving the gap from `a` to `b` picks:
/// the first at or after its middle, then the same in each half, until no part is wider
/// than `MAX_GAP_S`.
fn halve(times: &[f64], a: f64, b: f64, out: &mut Vec<usize>) {
    if b - a <= MAX_GAP_S {
        return;
    }
    let mid = 0.5 * (a + b);
    let Some(k) = times.iter().position(|&t| t >= mid && t > a && t < b) else {
        return;
    };
    out.push(k);
    halve(times, a, times[k], out);
    halve(times, times[k], b, out);
}

fn coarse(
    sampler: &mut Sampler,
    out: &mut Vec<Sample>,
    from: f64,
    to: f64,
    step: f64,
) -> Result<()> {
    let mut t = from;
    while t < to {
        if let Some(p) = sampler.keyframe_at(t)? {
            if !out.iter().any(|s| (s.t - p.t).abs() < 1e-3) && p.t <= to + step {
                out.push(sample(&p));
            }
        }
        t += step;
    }
    Ok(())
}

/// Decodes the last `end_scan_s` seconds in sequence.
fn end_scan(
    sampler: &mut Sampler,
    samples: &mut Vec<Sample>,
    d: f64,
    t: &CreditsSettings,
) -> Result<()> {
    let from = (d - t.end_scan_s).max(0.0);
    samples.extend(scanned_to_end(sampler, from, d, t)?);
    Ok(())
}

/// Marks as text the samples whose lettering stays put while the picture under it moves,
/// each compared with the nearest samples at least `overlay_min_gap_s` before and after it.
/// `samples` is sorted by time.
fn mark_overlays(samples: &mut [Sample], tuning: &CreditsSettings) {
    let mut marks = Vec::new();
    for i in 0..samples.len() {
        if samples[i].kind == Kind::Text {
            continue;
        }
        let t = samples[i].t;
        let near = |j: &usize| (t - samples[*j].t).abs() <= tuning.overlay_max_gap_s;
        let earlier = samples[..i]
            .iter()
            .rposition(|s| t - s.t >= tuning.overlay_min_gap_s)
            .filter(near);
        // A title fading in has nothing still before it yet: the picture after it shows it.
        let later = samples[i + 1..]
            .iter()
            .position(|s| s.t - t >= tuning.overlay_min_gap_s)
            .map(|k| i + 1 + k)
            .filter(near);
        let score = earlier
            .into_iter()
            .map(|j| overlay_text(&samples[j].edges, &samples[i].edges))
            .chain(later.map(|j| overlay_text(&samples[j].edges, &samples[i].edges)))
            .fold(0.0, f64::max);
        if score >= tuning.overlay_text_min {
            marks.push((i, score));
        }
    }
    for (i, score) in marks {
        samples[i].kind = Kind::Text;
        samples[i].text = score;
        samples[i].overlay = true;
    }
}

fn tidy(samples: &mut Vec<Sample>) {
    samples.sort_by(|a, b| a.t.total_cmp(&b.t));
    samples.dedup_by(|a, b| (a.t - b.t).abs() < 1e-3);
}

/// Sparse keyframes (long GOPs) can leave a run of text with one or two samples, too few to
/// judge. Only around those few samples, decode in sequence to fill the gaps: text samples
/// are rare outside credits, so this stays cheap. Says whether it added any.
fn densify(
    sampler: &mut Sampler,
    samples: &mut Vec<Sample>,
    step: f64,
    d: f64,
    t: &CreditsSettings,
) -> Result<bool> {
    let fill = step.min(1.0);
    let mut spans: Vec<(f64, f64)> = Vec::new();
    for r in segment::runs(samples, t) {
        if r.texts >= t.sure_texts {
            continue;
        }
        // With no sample after the run, the last keyframe may stand for everything to the end.
        let (a, b) = (r.before.unwrap_or(r.first), r.after.unwrap_or(d));
        if b - a > 2.5 * step {
            spans.push((a, b));
        }
    }
    let before = samples.len();
    for (a, b) in spans {
        let mut more = Vec::new();
        sampler.scan(a, b, fill, |p| {
            more.push(sample(&p));
            true
        })?;
        samples.extend(more.into_iter().filter(|s| s.t > a && s.t < b));
    }
    if samples.len() == before {
        return Ok(false);
    }
    tidy(samples);
    Ok(true)
}

fn sample(p: &Picture) -> Sample {
    let l = look(&p.luma);
    Sample {
        t: p.t,
        kind: l.kind,
        text: l.text,
        rows: l.text_rows,
        lines: l.bands,
        polarity: l.polarity,
        profile: l.profile,
        edges: l.edges,
        overlay: false,
        scroll: false,
        luma: Some(std::sync::Arc::new(p.luma.clone())),
        found: None,
        read: None,
        set_aside: None,
        rescued: false,
    }
}

fn first_kind_from(samples: &[Sample], t: f64) -> Option<Kind> {
    samples
        .iter()
        .filter(|s| s.t >= t)
        .min_by(|a, b| a.t.total_cmp(&b.t))
        .map(|s| s.kind)
}

/// Places both ends of a run precisely by decoding the stretch between the last sample
/// outside it and the first inside it.
fn refine(
    sampler: &mut Sampler,
    r: &Run,
    d: f64,
    samples: &[Sample],
    eyes: &mut detected::Eyes,
    t: &CreditsSettings,
) -> Result<Segment> {
    let mut start = r.first;
    // Scrolling credits climb at one speed, which places where the roll came in and went out.
    let roll = motion::roll_speed(
        samples
            .iter()
            .filter(|s| s.kind == Kind::Text && s.t >= r.first && s.t <= r.last),
    );
    // Text set aside as something else just before the run (slides before the card that ends
    // them): the cheap measures see text on both sides of the boundary, so the detector
    // places it, going back from the run's first picture while its lettering stays in place.
    let after_other_text = r.before.is_some_and(|b| {
        samples
            .iter()
            .any(|s| (s.t - b).abs() < 1e-6 && s.set_aside.is_some())
    });
    let first = samples.iter().find(|s| (s.t - r.first).abs() < 1e-6);
    if let (Some(before), Some(first), true, None) = (r.before, first, after_other_text, roll) {
        let mut fine: Vec<Sample> = Vec::new();
        sampler.scan(before, r.first - 0.5 * t.fine_step_s, t.fine_step_s, |p| {
            fine.push(sample(&p));
            true
        })?;
        fine.push(first.clone());
        let i = fine.len() - 1;
        let from = detected::faded_in_from(&mut fine, i, eyes)?;
        start = fine[from].t;
    } else if let Some(before) = r.before {
        let mut fine: Vec<Sample> = Vec::new();
        // Stop once text has held for a second: the boundary is behind us.
        sampler.scan(before, r.first, t.fine_step_s, |p| {
            fine.push(sample(&p));
            !held(&fine, Kind::Text, 1.0)
        })?;
        // Lettering fading in is told from the picture by the pictures after it: lend the
        // samples that follow for the comparison, then set them aside again.
        let n = fine.len();
        let last = fine.last().map_or(before, |s| s.t);
        fine.extend(
            samples
                .iter()
                .filter(|s| s.t > last && s.t <= last + t.overlay_max_gap_s)
                .cloned(),
        );
        mark_overlays(&mut fine, t);
        motion::mark_scrolls(&mut fine);
        fine.truncate(n);
        // The credits start after the last picture frame that precedes the text; a roll whose
        // first line came in at the bottom edge started when it did, between two pictures.
        if let Some(i) = first_text_after_last_picture(&fine) {
            start = match roll.and_then(|v| motion::came_in(&fine, i, v)) {
                Some(t) => t,
                // Lettering fading in or written letter by letter is legible before the
                // cheap measures see its strokes: the detector finds it in place earlier.
                None => {
                    let from = detected::faded_in_from(&mut fine, i, eyes)?;
                    fine[from].t
                }
            };
        }
    }
    // A card held still from before the run (the cheap measures took it for picture until
    // something beside it moved) begins where the detector first sees it whole.
    if roll.is_none() {
        if let Some(from) = detected::same_card_before(samples, r.first, eyes)? {
            start = start.min(from);
        }
    }
    // The end is where the last text leaves. With no sample after the run (text on the last
    // keyframe), the pictures from there to the end of the file are still looked at: a
    // credits-only clip often runs on in black for a moment after its last line.
    let mut fine: Vec<Sample> = Vec::new();
    sampler.scan(r.last, r.after.unwrap_or(d), t.fine_step_s, |p| {
        fine.push(sample(&p));
        !held_not(&fine, Kind::Text, 2.5)
    })?;
    mark_overlays(&mut fine, t);
    motion::mark_scrolls(&mut fine);
    let mut last_text = fine.iter().rposition(|s| s.kind == Kind::Text);
    let mut lent = false;
    // The run's last text picture, which the scan starts from, may be called picture by the
    // cheap measures when it is decoded again beside a moving picture: it is still the run's
    // last, and the detector may find its lettering staying on.
    if last_text.is_none() && r.after.is_some() && roll.is_none() {
        if let Some(first) = fine.first_mut().filter(|s| (s.t - r.last).abs() < 1e-3) {
            first.kind = Kind::Text;
            last_text = Some(0);
            lent = true;
        }
    }
    let end = match (last_text, r.after) {
        // Text still on screen at the last picture: the credits run to the end of the file.
        (Some(i), None) if i + 1 == fine.len() => d,
        // A roll's last line leaving at the top edge is placed between the two pictures.
        (Some(i), _) => match roll.and_then(|v| motion::went_out(&fine, i, v)) {
            Some(t) => t.min(d),
            // Lettering beside a moving picture or fading out stays legible after the cheap
            // measures have lost it: the detector finds it in place later.
            None => {
                let mut to = detected::faded_out_at(&mut fine, i, eyes)?;
                // Still in place at the sample after the run, which the cheap measures took
                // for picture: the pictures after it are looked at too.
                if to > i && to + 1 == fine.len() && r.after.is_some() {
                    let from = fine[to].t + t.fine_step_s;
                    let until = (from + detected::FADE_IN_PICTURES as f64 * t.fine_step_s).min(d);
                    sampler.scan(from, until, t.fine_step_s, |p| {
                        fine.push(sample(&p));
                        true
                    })?;
                    to = detected::faded_out_at(&mut fine, to, eyes)?;
                }
                if to + 1 == fine.len() && r.after.is_none() {
                    d
                } else if lent && to == 0 {
                    r.last
                } else {
                    (fine[to].t + t.fine_step_s).min(d)
                }
            }
        },
        (None, Some(_)) => r.last,
        (None, None) => d,
    };
    Ok(Segment {
        start_s: round(start),
        end_s: round(end.max(start)),
    })
}

/// Whether the latest samples have all been `kind` for at least `secs`.
fn held(fine: &[Sample], kind: Kind, secs: f64) -> bool {
    held_by(fine, secs, |s| s.kind == kind)
}

fn held_not(fine: &[Sample], kind: Kind, secs: f64) -> bool {
    held_by(fine, secs, |s| s.kind != kind)
}

fn held_by(fine: &[Sample], secs: f64, ok: impl Fn(&Sample) -> bool) -> bool {
    let Some(last) = fine.last() else {
        return false;
    };
    let since = fine
        .iter()
        .rev()
        .take_while(|s| ok(s))
        .last()
        .map_or(last.t, |s| s.t);
    ok(last) && last.t - since >= secs
}

/// The index of the first text sample after the last picture sample.
fn first_text_after_last_picture(fine: &[Sample]) -> Option<usize> {
    let last_picture = fine.iter().rposition(|s| s.kind == Kind::Picture);
    let from = last_picture.map_or(0, |i| i + 1);
    fine[from..]
        .iter()
        .position(|s| s.kind == Kind::Text)
        .map(|k| from + k)
}

fn round(t: f64) -> f64 {
    (t * 100.0).round() / 100.0
}

#[derive(Debug, Clone)]
struct ChapterHit {
    seg: Segment,
    end: bool,
}

fn credits_title() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(credits?|crédits?|abspann|vorspann|g[ée]n[ée]rique|cr[ée]ditos|titoli( di (coda|testa))?|aftiteling|generiek|napisy|titres|title sequence|closing titles|opening titles|end titles|rolling titles)\b",
        )
        .expect("credits title pattern is valid")
    })
}

fn chapter_evidence(chapters: &[Chapter], d: f64) -> Option<ChapterHit> {
    let hits: Vec<ChapterHit> = chapters
        .iter()
        .filter(|c| {
            c.title
                .as_deref()
                .is_some_and(|t| credits_title().is_match(t))
        })
        .map(|c| ChapterHit {
            seg: Segment {
                start_s: c.start_s,
                end_s: c.end_s,
            },
            end: d.is_finite() && c.start_s >= 0.5 * d,
        })
        .collect();
    hits.iter()
        .rev()
        .find(|h| h.end)
        .or_else(|| hits.first())
        .cloned()
}

fn none(method: &str, confidence: f64) -> Credits {
    Credits {
        present: false,
        start_s: None,
        end_s: None,
        duration_s: None,
        position: "none".into(),
        confidence,
        method: method.into(),
        opening: None,
        share: None,
        post_credits: None,
        basis: None,
    }
}

fn found(seg: &Segment, position: &str, confidence: f64, method: &str, d: f64) -> Credits {
    let dur = round(seg.end_s - seg.start_s);
    Credits {
        present: true,
        start_s: Some(seg.start_s),
        end_s: Some(seg.end_s),
        duration_s: Some(dur),
        position: position.into(),
        confidence: round(confidence.clamp(0.0, 1.0)),
        method: method.into(),
        opening: None,
        share: (d.is_finite() && d > 0.0).then(|| round(dur / d)),
        post_credits: None,
        basis: None,
    }
}

fn from_chapters(chapter: Option<ChapterHit>, why: &str) -> Credits {
    match chapter {
        Some(h) => Credits {
            basis: h.end.then(|| "chapter".into()),
            ..found(
                &h.seg,
                if h.end { "end" } else { "start" },
                0.85,
                "chapter",
                f64::NAN,
            )
        },
        None => none(why, 0.5),
    }
}

fn decide(
    chapter: Option<ChapterHit>,
    end: Option<(Run, Segment, &'static str)>,
    opening: Option<Segment>,
    samples: &[Sample],
    d: f64,
) -> Credits {
    let mut c = match (&chapter, &end) {
        (Some(h), Some((_, seg, _))) if h.end && overlaps(&h.seg, seg) => Credits {
            basis: Some("chapter".into()),
            ..found(&h.seg, "end", 0.98, "chapter+text-frames", d)
        },
        (Some(h), _) if h.end => Credits {
            basis: Some("chapter".into()),
            ..found(&h.seg, "end", 0.85, "chapter", d)
        },
        (_, Some((r, seg, basis))) => Credits {
            basis: Some((*basis).into()),
            ..found(seg, "end", confidence(r), "text-frames", d)
        },
        // Opening credits alone are reported at the start; the rules say there are no end
        // credits.
        (Some(h), None) => found(&h.seg, "start", 0.85, "chapter", d),
        (None, None) => match &opening {
            Some(o) => found(o, "start", 0.7, "text-frames", d),
            None => {
                let texty = samples.iter().filter(|s| s.kind == Kind::Text).count();
                none("text-frames", if texty == 0 { 0.9 } else { 0.7 })
            }
        },
    };
    c.opening = opening.or_else(|| chapter.filter(|h| !h.end).map(|h| h.seg));
    if c.position == "end" {
        c.post_credits = post_credits(c.end_s, samples, d);
    }
    c
}

/// The scene after the end credits: picture from the first picture sample after them, when
/// it lasts more than a moment, to the end of the film.
fn post_credits(end: Option<f64>, samples: &[Sample], d: f64) -> Option<Segment> {
    let end = end?;
    let first = samples
        .iter()
        .find(|s| s.t >= end && s.kind == Kind::Picture)?;
    (d - first.t > CreditsSettings::DEFAULT.trailing_picture_s).then(|| Segment {
        start_s: round(first.t.max(end)),
        end_s: round(d),
    })
}

fn overlaps(a: &Segment, b: &Segment) -> bool {
    a.start_s < b.end_s && b.start_s < a.end_s
}

fn confidence(r: &Run) -> f64 {
    let many = (r.texts as f64 / 6.0).min(1.0);
    0.5 + 0.5 * r.score * many
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_titles_in_several_languages() {
        for t in [
            "Credits",
            "End Credits",
            "Abspann",
            "Générique",
            "Generique de fin",
            "Créditos",
            "Titoli di coda",
        ] {
            assert!(credits_title().is_match(t), "{t}");
        }
        for t in ["Chapter 3", "Incredible", "Epilogue"] {
            assert!(!credits_title().is_match(t), "{t}");
        }
    }
}
