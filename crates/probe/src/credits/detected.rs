//! The text detector's part in the decision. The cheap measures (features.rs) look at every
//! sample; the detector, which costs tens of milliseconds a picture, looks at a few chosen
//! ones, within a budget:
//!
//! - **rescue**: the last seconds of the film, where the cheap measures saw no text (a title
//!   logo, a drawn "THE END", small or low-contrast lettering): pictures the detector finds
//!   text in count as text;
//! - **confirm**: a run of text about to be claimed as end credits must show text boxes to the
//!   detector, or it was texture;
//! - **persistence**: text the detector also finds through the middle of the film (a screen
//!   recording, subtitles, a game's HUD, a news ticker) is the film's own, and the run at the
//!   end is end credits only if its character changes there;
//! - **words**: the text reader reads the lines in the run's pictures the detector looked at;
//!   numbers and symbols (a plot's labels, a counter, a formula, a terminal) or sentences (a
//!   caption, a slide) without a word of credits are not end credits (words.rs).

use super::detector::{Detector, TextBox, TextFound};
use super::features::Kind;
use super::reader::{Line, Reader};
use super::segment::{Run, Sample};
use super::words::{self, Verdict};
use crate::sampler::{Luma, Sampler};
use anyhow::Result;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Pictures the detector may look at for one film.
const BUDGET: usize = 14;
/// The least a picture's boxes must cover for its text to count: one short line of small
/// lettering. Smaller finds are signs and specks.
const MIN_AREA: f64 = 0.003;
/// What a picture the cheap measures took for picture must show to be turned into text by
/// the rescue: lettering over a hundredth of the picture (a title logo, a card). A plot's
/// tick labels and a small caption cover less.
const RESCUE_MIN_AREA: f64 = 0.01;
/// The top and bottom bands, in fractions of the picture's height, where overlays sit.
const EDGE_BAND: f32 = 0.15;
/// How far apart the rescue looks, in seconds, and how many pictures at most.
const RESCUE_EVERY_S: f64 = 1.0;
const RESCUE_MAX: usize = 6;
/// Middle-of-film probes for persistent text.
const PROBES: [f64; 4] = [0.2, 0.35, 0.5, 0.65];
/// Lines the reader may read for one film, and for one picture (the largest boxes first):
/// about 10 ms a line. Six lines judge a picture; the budget lets the search for where
/// credits begin inside a run of slides halve a minute of them.
const READ_BUDGET: usize = 48;
const READ_PER_PICTURE: usize = 6;

/// Prepares the detector (for pictures of `shape`, the sampler's reduced size) and the reader
/// on a thread of their own while the film decodes: their plans take about a quarter of a
/// second, which would otherwise add to the analysis of a film alone. Whoever needs them first
/// waits for this preparation instead of starting another (`OnceLock`), and an error is left
/// for that use to report. Plans are kept for the process, so in a long-lived worker this
/// costs a film nothing once its shape has been met.
pub fn prepare_early(shape: Option<(usize, usize)>) {
    let _ = std::thread::Builder::new()
        .name("text-models".into())
        .spawn(move || {
            if let (Ok(d), Some((w, h))) = (Detector::shared(), shape) {
                let _ = d.prepare(w, h);
            }
            let _ = Reader::shared();
        });
}

/// The detector and the reader, loaded on first use, with what they cost.
pub struct Eyes {
    detector: Option<&'static Detector>,
    /// Pictures the detector may look at, and lines the reader may read, for this film.
    budget: usize,
    read_budget: usize,
    reader: Option<&'static Reader>,
    pub looked: usize,
    pub spent: Duration,
    /// Lines read, and the time reading took.
    pub read: usize,
    pub read_spent: Duration,
    /// What the detector found in each picture it looked at, and what the reader read in each
    /// box: a still card, or a picture the codec repeated unchanged, is the same picture again,
    /// and the models give the same answer for the same pixels. Each still counts against the
    /// budgets as before, so what is looked at does not depend on the repeats.
    found_in: Vec<(Arc<Luma>, TextFound)>,
    read_in: Vec<(Arc<Luma>, TextBox, Option<Line>)>,
    /// Pictures the detector ran on, and lines the reader ran on: the rest were repeats.
    pub ran: usize,
    pub read_ran: usize,
}

/// Whether two pictures are the same pixels (the same picture kept twice, or equal copies).
fn same(a: &Arc<Luma>, b: &Arc<Luma>) -> bool {
    Arc::ptr_eq(a, b) || (a.w == b.w && a.h == b.h && a.px == b.px)
}

impl Eyes {
    pub fn new() -> Eyes {
        Eyes {
            detector: None,
            budget: BUDGET,
            read_budget: READ_BUDGET,
            reader: None,
            looked: 0,
            spent: Duration::ZERO,
            read: 0,
            read_spent: Duration::ZERO,
            found_in: Vec::new(),
            read_in: Vec::new(),
            ran: 0,
            read_ran: 0,
        }
    }

    /// Lets the detector look at `pictures` more, and the reader read `lines` more, than the
    /// film's budget: for a search that only runs once a run is taken for credits.
    pub fn grant(&mut self, pictures: usize, lines: usize) {
        self.budget = self.budget.max(self.looked) + pictures;
        self.read_budget = self.read_budget.max(self.read) + lines;
    }

    /// The lines read in a sample's boxes (read once), largest boxes first, within the
    /// budget; `None` when the detector has not looked at it or the budget is spent.
    pub fn read(&mut self, s: &mut Sample) -> Result<Option<Vec<Line>>> {
        if let Some(r) = &s.read {
            return Ok(Some(r.clone()));
        }
        let (Some(luma), Some(found)) = (s.luma.clone(), s.found.as_ref()) else {
            return Ok(None);
        };
        if self.read >= self.read_budget {
            return Ok(None);
        }
        let reader = match self.reader {
            Some(r) => r,
            None => {
                let r = Reader::shared()?;
                self.reader = Some(r);
                r
            }
        };
        let mut boxes = found.boxes.clone();
        boxes.sort_by(|a, b| b.area().total_cmp(&a.area()));
        let t0 = Instant::now();
        let mut lines = Vec::new();
        for b in boxes
            .iter()
            .take(READ_PER_PICTURE.min(self.read_budget - self.read))
        {
            self.read += 1;
            let known = self
                .read_in
                .iter()
                .find(|(p, kb, _)| kb == b && same(p, &luma))
                .map(|(_, _, l)| l.clone());
            let line = match known {
                Some(l) => l,
                None => {
                    self.read_ran += 1;
                    let l = reader.read(&luma, b)?;
                    self.read_in.push((luma.clone(), *b, l.clone()));
                    l
                }
            };
            if let Some(l) = line {
                lines.push(l);
            }
        }
        self.read_spent += t0.elapsed();
        s.read = Some(lines.clone());
        Ok(Some(lines))
    }

    /// What the detector finds in a sample (looked at once), `None` past the budget or without
    /// a picture kept.
    pub fn see(&mut self, s: &mut Sample) -> Result<Option<TextFound>> {
        if let Some(f) = &s.found {
            return Ok(Some(f.clone()));
        }
        let Some(luma) = s.luma.clone() else {
            return Ok(None);
        };
        if self.looked >= self.budget {
            return Ok(None);
        }
        let det = match self.detector {
            Some(d) => d,
            None => {
                let d = Detector::shared()?;
                self.detector = Some(d);
                d
            }
        };
        let t0 = Instant::now();
        let known = self
            .found_in
            .iter()
            .find(|(p, _)| same(p, &luma))
            .map(|(_, f)| f.clone());
        let f = match known {
            Some(f) => f,
            None => {
                self.ran += 1;
                let f = det.find(&luma)?;
                self.found_in.push((luma.clone(), f.clone()));
                f
            }
        };
        self.spent += t0.elapsed();
        self.looked += 1;
        s.found = Some(f.clone());
        Ok(Some(f))
    }
}

/// Whether the detector marked a region not shaped like lines that is large enough to be
/// lettering it cannot call lines (a title logo). Small ones are things (an insect, a spark)
/// or marks it cannot call lines (digits scattered over a plot), however many there are.
fn lettering_like(f: &TextFound) -> bool {
    f.blob_max >= RESCUE_MIN_AREA
}

/// Whether what the detector found is text worth the name.
pub fn has_text(f: &TextFound) -> bool {
    f.lines >= 1 && f.area >= MIN_AREA
}

/// Looks at the last `span` seconds of the film where the cheap measures saw no text, latest
/// first, one picture a second; pictures with text become text samples. Then the picture
/// just before the earliest one found is looked at too, so that the start is placed to the
/// spacing of the samples there. Text found all the way back to the film's first picture is
/// the film's own (a test pattern's readout, a screen recording), not an end card the cheap
/// measures missed: nothing is changed then. Says whether any sample changed.
pub fn rescue(samples: &mut [Sample], eyes: &mut Eyes, d: f64, span: f64) -> Result<bool> {
    let from = d - span;
    let mut picked = Vec::new();
    let mut last_t = f64::INFINITY;
    for (i, s) in samples.iter().enumerate().rev() {
        if s.t < from || picked.len() >= RESCUE_MAX {
            break;
        }
        if s.kind != Kind::Text && last_t - s.t >= RESCUE_EVERY_S - 1e-6 {
            picked.push(i);
            last_t = s.t;
        }
    }
    let mut marks: Vec<(usize, TextFound)> = Vec::new();
    let mut earliest_hit = None;
    for &i in &picked {
        let Some(f) = eyes.see(&mut samples[i])? else {
            break;
        };
        if rescues(&f) {
            marks.push((i, f));
            earliest_hit = Some(i);
        } else if earliest_hit.is_some() {
            break;
        }
    }
    // Walk back from the earliest hit through the denser samples between it and the last
    // picture without text, so the start is not a second late.
    if let Some(mut i) = earliest_hit {
        while i > 0 && samples[i - 1].t >= from && samples[i - 1].kind != Kind::Text {
            let Some(f) = eyes.see(&mut samples[i - 1])? else {
                break;
            };
            if !rescues(&f) {
                break;
            }
            marks.push((i - 1, f));
            i -= 1;
        }
    }
    if marks.iter().any(|(i, _)| *i == 0) {
        return Ok(false);
    }
    for (i, f) in &marks {
        mark_text(&mut samples[*i], f);
    }
    Ok(!marks.is_empty())
}

/// Whether what the detector found turns a picture sample into text.
fn rescues(f: &TextFound) -> bool {
    has_text(f) && f.area >= RESCUE_MIN_AREA
}

fn mark_text(s: &mut Sample, f: &TextFound) {
    s.kind = Kind::Text;
    s.rescued = true;
    let best = f
        .boxes
        .iter()
        .map(|b| f64::from(b.score))
        .fold(0.0, f64::max);
    s.text = s.text.max(best);
    s.lines = s.lines.max(f.lines);
}

/// One line under a hundredth of the picture: lettering as small as a speck.
fn faint(f: &TextFound) -> bool {
    f.lines <= 1 && f.area < RESCUE_MIN_AREA
}

/// The run's text samples, in order.
fn text_samples(samples: &[Sample], run: &Run) -> Vec<usize> {
    (0..samples.len())
        .filter(|&i| {
            let s = &samples[i];
            s.kind == Kind::Text && s.t >= run.first && s.t <= run.last
        })
        .collect()
}

/// Whether all the detector found in the run is one small line in one of at least three
/// pictures it looked at: a small bright thing (an insect on black, a spark) that the cheap
/// measures took for lettering and the detector for a word once. Credits show their
/// lettering in most of the pictures of their run.
pub fn lone_speck(samples: &[Sample], run: &Run) -> bool {
    let seen: Vec<&TextFound> = text_samples(samples, run)
        .into_iter()
        .filter_map(|i| samples[i].found.as_ref())
        .collect();
    let with: Vec<&&TextFound> = seen.iter().filter(|f| has_text(f)).collect();
    seen.len() >= 3 && with.len() == 1 && with.iter().all(|f| faint(f))
}

/// Whether the detector found lettering in one only of at least three pictures of the run
/// it looked at, not the last, and nothing like lettering in the others: what the cheap
/// measures follow to the end of the film is something else (a plot's lines, a texture) with
/// a label showing once. Credits show their lettering in most of their pictures, and to the
/// end.
pub fn once_not_at_end(samples: &[Sample], run: &Run) -> bool {
    let seen: Vec<&TextFound> = text_samples(samples, run)
        .into_iter()
        .filter_map(|i| samples[i].found.as_ref())
        .collect();
    seen.len() >= 3
        && seen.iter().filter(|f| has_text(f)).count() == 1
        && seen.last().is_some_and(|f| !has_text(f))
        && !seen.iter().any(|f| lettering_like(f))
}

/// Whether all the lettering the detector found in the run lies in the picture's top or
/// bottom band: a game's score, a keystroke overlay, a channel's mark, a ticker. Credits and
/// end cards use the picture's middle, if only for a logo (a large region not shaped like
/// lines), and a roll crosses it.
pub fn edge_only(samples: &[Sample], run: &Run) -> bool {
    let seen: Vec<&TextFound> = text_samples(samples, run)
        .into_iter()
        .filter_map(|i| samples[i].found.as_ref())
        .collect();
    let at_edge = |b: &TextBox| b.y1 <= EDGE_BAND || b.y0 >= 1.0 - EDGE_BAND;
    seen.iter().any(|f| has_text(f))
        && seen
            .iter()
            .all(|f| !lettering_like(f) && f.boxes.iter().all(at_edge))
}

/// Where credits shown beside a picture begin (cards written in a panel while an animation
/// or outtakes run next to them): the cheap measures take such pictures for picture, so a run
/// of credits may hold only their last card. Walking back from the run through the pictures
/// before it (to the previous run of text, or to what was set aside), the detector looks for
/// lines in the run's columns, one picture, then two, four, eight pictures back, and the place
/// between the last such picture and the first without is found by halving; a picture without
/// (an empty panel between two cards) counts only when the one before it is empty too. The run
/// reaches back only when the words read in those pictures are words of credits. Returns the
/// earliest picture's time, after marking the pictures from there to the run as text.
pub fn reach_back(samples: &mut [Sample], run: &Run, eyes: &mut Eyes) -> Result<Option<f64>> {
    let columns: Vec<(f32, f32)> = text_samples(samples, run)
        .into_iter()
        .filter_map(|i| samples[i].found.as_ref())
        .filter(|f| has_text(f))
        .flat_map(|f| f.boxes.iter().map(|b| (b.x0, b.x1)))
        .collect();
    let Some((x0, x1)) = columns
        .iter()
        .copied()
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    else {
        return Ok(None);
    };
    // The pictures before the run, nearest first, up to other text or a set-aside run.
    let first = samples.iter().position(|s| s.t >= run.first).unwrap_or(0);
    let before: Vec<usize> = (0..first)
        .rev()
        .take_while(|&i| {
            // A stretch the detector found nothing in may hold lettering too small for it at
            // one moment; a stretch judged to be something else ends the search.
            samples[i].kind != Kind::Text && samples[i].set_aside.is_none_or(|why| why == NO_BOXES)
        })
        .collect();
    if before.is_empty() {
        return Ok(None);
    }
    eyes.grant(REACH_PICTURES, REACH_LINES);
    let mut lines = Vec::new();
    let in_columns = |f: &TextFound| {
        has_text(f)
            && f.boxes
                .iter()
                .any(|b| b.cx() >= x0 - COLUMN_SLACK && b.cx() <= x1 + COLUMN_SLACK)
    };
    // Whether the picture `k` places back shows lines in the run's columns; `None` past the
    // budgets.
    let mut shows =
        |samples: &mut [Sample], k: usize, lines: &mut Vec<Line>| -> Result<Option<bool>> {
            let s = &mut samples[before[k]];
            let Some(f) = eyes.see(s)? else {
                return Ok(None);
            };
            if !in_columns(&f) {
                return Ok(Some(false));
            }
            let Some(read) = eyes.read(s)? else {
                return Ok(None);
            };
            let no = matches!(words::judge(&read), Verdict::NotCredits(_));
            lines.extend(read);
            Ok(Some(!no))
        };
    // The picture `k` places back, or one up to a moment before it (an empty panel between
    // two cards), that shows lines in the run's columns: its place.
    let mut card_at =
        |samples: &mut [Sample], k: usize, lines: &mut Vec<Line>| -> Result<Option<usize>> {
            if shows(samples, k, lines)? == Some(true) {
                return Ok(Some(k));
            }
            let t = samples[before[k]].t;
            let near: Vec<usize> = (k + 1..before.len())
                .take_while(|&j| samples[before[j]].t >= t - CARD_GAP_S)
                .take(GAP_LOOKS)
                .collect();
            for j in near {
                if shows(samples, j, lines)? == Some(true) {
                    return Ok(Some(j));
                }
            }
            Ok(None)
        };
    let mut good = None;
    let mut bad = before.len();
    let mut step = 1;
    let mut k = 0;
    while k < before.len() {
        let Some(at) = card_at(samples, k, &mut lines)? else {
            bad = k;
            break;
        };
        good = Some(at);
        k = at + step;
        step *= 2;
    }
    let Some(mut lo) = good else {
        return Ok(None);
    };
    let mut hi = bad;
    while hi > lo + 1 {
        let mid = (lo + hi) / 2;
        match card_at(samples, mid, &mut lines)? {
            Some(at) if at < hi => lo = at,
            _ => hi = mid,
        }
    }
    if !matches!(words::judge(&lines), Verdict::Credits(_)) {
        return Ok(None);
    }
    for &i in &before[..=lo] {
        let s = &mut samples[i];
        match s.found.clone() {
            Some(f) if has_text(&f) => mark_text(s, &f),
            _ => {
                s.kind = Kind::Text;
                s.text = s.text.max(run.score);
            }
        }
    }
    Ok(Some(samples[before[lo]].t))
}

/// Why a run the detector found nothing in was set aside.
pub const NO_BOXES: &str = "no text boxes";
/// What the search back for credits beside a picture may spend beyond the film's budget.
const REACH_PICTURES: usize = 12;
const REACH_LINES: usize = 36;
/// The longest empty panel between two cards, in seconds, and the pictures looked at in it.
const CARD_GAP_S: f64 = 2.0;
const GAP_LOOKS: usize = 4;
/// How far outside the run's columns, in shares of the width, a line's centre may lie.
const COLUMN_SLACK: f32 = 0.05;

/// Why the run is not lettering, when nothing in it reads: no line of two letters or digits
/// read with confidence in any picture the detector looked at, no region large enough to be a
/// logo, and no roll. Credits are lettering made to be read; the still shapes a texture settles
/// into (a simulation's cells, a pattern) and a word too small or too blurred to read give the
/// detector a "line" or two that read as stray characters, while a title logo, a drawn
/// "THE END" or small print reads, or is a large region. The reason says whether only the
/// detector saw the run (every text sample rescued) or the cheap measures did too.
pub fn unread(samples: &mut [Sample], run: &Run, eyes: &mut Eyes) -> Result<Option<&'static str>> {
    let idx = text_samples(samples, run);
    if idx.is_empty() || super::motion::rolls(samples, run.first, run.last) {
        return Ok(None);
    }
    let mut looked = false;
    for &i in &idx {
        let Some(f) = samples[i].found.clone() else {
            continue;
        };
        if lettering_like(&f) {
            return Ok(None);
        }
        if !has_text(&f) {
            continue;
        }
        let Some(lines) = eyes.read(&mut samples[i])? else {
            // The reading budget is spent: nothing is known against the run.
            return Ok(None);
        };
        looked = true;
        if lines.iter().any(words::legible) {
            return Ok(None);
        }
    }
    if !looked {
        return Ok(None);
    }
    Ok(Some(if idx.iter().all(|&i| samples[i].rescued) {
        "only the detector saw it, and nothing in it reads"
    } else {
        "nothing in it reads as lettering"
    }))
}

/// Whether the run is a screen seen whole (an application's window, a browser, a game's
/// panels): lines in the picture's top or bottom band that stay in place in every picture of
/// the run the detector looked at (title bars, menus, tabs, status lines), around lines that
/// change (the last picture shows lines in its middle that the first did not). A static card
/// keeps everything; cards and rolls keep nothing, or one line (a heading, a channel's mark);
/// credits that keep a heading while names change beneath it are told by their words, which
/// the caller reads first.
pub fn framed_screen(samples: &[Sample], run: &Run) -> bool {
    let seen = lettered(samples, run);
    let (Some(first), Some(last)) = (seen.first(), seen.last()) else {
        return false;
    };
    if seen.len() < 3 {
        return false;
    }
    let at_edge = |b: &TextBox| b.y1 <= EDGE_BAND || b.y0 >= 1.0 - EDGE_BAND;
    let frame = first
        .boxes
        .iter()
        .filter(|b| at_edge(b) && seen[1..].iter().all(|f| box_recurs(b, f)))
        .count();
    let changed = last
        .boxes
        .iter()
        .filter(|b| !at_edge(b) && !box_recurs(b, first))
        .count();
    frame >= FRAME_LINES && changed >= FRAME_LINES
}

/// What the detector found in the run's text pictures it looked at that hold lines.
fn lettered<'a>(samples: &'a [Sample], run: &Run) -> Vec<&'a TextFound> {
    text_samples(samples, run)
        .into_iter()
        .filter_map(|i| samples[i].found.as_ref())
        .filter(|f| has_text(f))
        .collect()
}

/// Whether the run is a screen of text (a terminal, a code editor, a document, an app's
/// panels): most pictures of it the detector looked at hold many lines, and their lettering
/// lies mostly to one side of the picture's middle. Cards and rolls centre their lines, or
/// set a column beside a picture with few lines; a screen fills from its left edge. Told by
/// layout alone, so that it holds where the lettering is too small or too damaged to read.
pub fn screen_of_text(samples: &[Sample], run: &Run) -> bool {
    let seen = lettered(samples, run);
    !seen.is_empty() && seen.iter().filter(|f| a_screen(f)).count() * 2 > seen.len()
}

/// Whether one picture's lettering is a screen's: many lines, set to one side.
fn a_screen(f: &TextFound) -> bool {
    let area: f32 = f.boxes.iter().map(TextBox::area).sum();
    let centre = f.boxes.iter().map(|b| b.area() * b.cx()).sum::<f32>() / area.max(1e-6);
    f.boxes.len() >= SCREEN_LINES && (centre - 0.5).abs() >= SCREEN_OFF_CENTRE
}

/// Where the card that ends a screen of text begins (a promo's screen recording, then its
/// end card with a name and an address): when the last picture of the run the detector
/// looked at is no screen and is set out as a card, the first text sample after the last
/// screen, found by halving. `None` when the run ends on the screen.
pub fn card_after_screen(
    samples: &mut [Sample],
    run: &Run,
    eyes: &mut Eyes,
) -> Result<Option<f64>> {
    let idx = text_samples(samples, run);
    let seen = |s: &Sample| s.found.clone().filter(has_text);
    let Some(last) = idx.iter().rposition(|&i| seen(&samples[i]).is_some()) else {
        return Ok(None);
    };
    if !seen(&samples[idx[last]]).is_some_and(|f| !a_screen(&f) && set_out_as_a_card(&f)) {
        return Ok(None);
    }
    let Some(lo) = idx[..last]
        .iter()
        .rposition(|&i| seen(&samples[i]).is_some_and(|f| a_screen(&f)))
    else {
        return Ok(None);
    };
    let (_, hi) = halve(samples, &idx, lo, last, |s, i| {
        Ok(eyes.see(&mut s[i])?.map(|f| !a_screen(&f)))
    })?;
    Ok(Some(samples[idx[hi]].t))
}

/// Whether the run ends on a card: some line of the last picture of it the reader read is
/// legible, and the lettering of the last picture the detector looked at sits about the
/// picture's middle (a title, a tagline, a logo, a billing block), or is large enough to be a
/// wordmark wherever it stands. Captions, subtitles, lower thirds, labels and an
/// application's screen sit low, high or to one side in letters of ordinary size. Told by
/// layout, for text whose words say nothing either way.
pub fn ends_on_a_card(samples: &[Sample], run: &Run) -> bool {
    // Lettering the reader cannot read at all (handwriting, a table's small print) is not
    // shown to be anything: a card whose words say nothing is kept only when some of them
    // are legible.
    let last_read = text_samples(samples, run)
        .into_iter()
        .filter_map(|i| samples[i].read.as_ref())
        .next_back();
    if !last_read.is_some_and(|l| l.iter().any(words::legible)) {
        return false;
    }
    lettered(samples, run).pop().is_some_and(set_out_as_a_card)
}

/// Whether one picture's lettering is set out as a card: about the picture's middle, or
/// large enough to be a wordmark.
fn set_out_as_a_card(f: &TextFound) -> bool {
    let area: f32 = f.boxes.iter().map(TextBox::area).sum();
    if area <= 0.0 {
        return false;
    }
    let centre =
        |c: fn(&TextBox) -> f32| f.boxes.iter().map(|b| b.area() * c(b)).sum::<f32>() / area;
    let tallest = f.boxes.iter().map(|b| b.y1 - b.y0).fold(0.0, f32::max);
    ((centre(TextBox::cx) - 0.5).abs() <= CARD_OFF_CENTRE_X
        && (centre(TextBox::cy) - 0.5).abs() <= CARD_OFF_CENTRE_Y)
        || tallest >= WORDMARK_HEIGHT
}

/// A card's lettering lies within these shares of the width and the height of the
/// picture's middle...
const CARD_OFF_CENTRE_X: f32 = 0.12;
const CARD_OFF_CENTRE_Y: f32 = 0.3;
/// ...or its tallest line is at least this share of the picture's height: a wordmark.
const WORDMARK_HEIGHT: f32 = 0.18;

/// A screen of text holds at least this many line boxes in a picture...
const SCREEN_LINES: usize = 12;
/// ...and the centre of its lettering lies at least this far from the picture's middle, in
/// shares of the width.
const SCREEN_OFF_CENTRE: f32 = 0.1;

/// Pictures the detector may look at, going back from where the cheap measures place the
/// start, for lettering that was already there, fading in or being written.
pub const FADE_IN_PICTURES: usize = 6;

/// How far before `fine[i]` (the first picture the cheap measures call text, after the last
/// they call picture) the same lettering was already on screen for the detector: fading in,
/// or written letter by letter, it is legible before its strokes are strong enough for the
/// cheap measures. Returns the index of the earliest such picture, or `i` itself.
pub fn faded_in_from(fine: &mut [Sample], i: usize, eyes: &mut Eyes) -> Result<usize> {
    if i >= fine.len() {
        return Ok(i);
    }
    in_place_through(fine, i, (0..i).rev(), eyes)
}

/// How far after `fine[i]` (the last picture the cheap measures call text) the same lettering
/// stays on screen for the detector: beside a moving picture, or fading out, it is legible
/// after the cheap measures have lost it to the picture. Returns the index of the latest such
/// picture, or `i` itself.
pub fn faded_out_at(fine: &mut [Sample], i: usize, eyes: &mut Eyes) -> Result<usize> {
    if i >= fine.len() {
        return Ok(i);
    }
    in_place_through(fine, i, i + 1..fine.len(), eyes)
}

/// The last of the pictures `order` gives (up to `FADE_IN_PICTURES` of them, going away from
/// `fine[i]`) up to which each shows the detector lettering, every line of it lying where a
/// line of `fine[i]` is; `i` itself when the first does not, or `fine[i]` shows none.
fn in_place_through(
    fine: &mut [Sample],
    i: usize,
    order: impl Iterator<Item = usize>,
    eyes: &mut Eyes,
) -> Result<usize> {
    let mut order = order.take(FADE_IN_PICTURES).peekable();
    if order.peek().is_none() {
        return Ok(i);
    }
    eyes.grant(FADE_IN_PICTURES + 1, 0);
    let Some(there) = eyes.see(&mut fine[i])?.filter(has_text) else {
        return Ok(i);
    };
    let mut reached = i;
    for j in order {
        let Some(f) = eyes.see(&mut fine[j])? else {
            break;
        };
        if !(f.lines >= 1 && f.boxes.iter().all(|b| box_recurs(b, &there))) {
            break;
        }
        reached = j;
    }
    Ok(reached)
}

/// How far back, over the samples before `from` (the run's first text sample, at the start
/// the fine look placed), the same card was already on screen for the detector: a card held
/// still from the film's first picture that the cheap measures call text only once something
/// beside it moves. Each earlier sample, latest first, must show the detector the same lines
/// as the run's first one, both ways (a watermark or one line of the card alone is not the
/// card). Returns the time of the earliest such sample, `None` when the one just before does
/// not.
pub fn same_card_before(samples: &[Sample], from: f64, eyes: &mut Eyes) -> Result<Option<f64>> {
    let Some(mut first) = samples.iter().find(|s| (s.t - from).abs() < 1e-6).cloned() else {
        return Ok(None);
    };
    let mut earlier: Vec<Sample> = samples
        .iter()
        .filter(|s| s.t < from - 1e-6)
        .rev()
        .take(SAME_CARD_PICTURES)
        .cloned()
        .collect();
    eyes.grant(earlier.len() + 1, 0);
    let Some(there) = eyes.see(&mut first)?.filter(has_text) else {
        return Ok(None);
    };
    let mut reached = None;
    for s in &mut earlier {
        let Some(f) = eyes.see(s)? else {
            break;
        };
        let same = has_text(&f) && same_place(&f, &there);
        if !same {
            break;
        }
        reached = Some(s.t);
    }
    Ok(reached)
}

/// Samples looked at, at most, going back for a card already on screen.
const SAME_CARD_PICTURES: usize = 8;

/// Lines a screen's fixed frame shows at least, and lines that change within it: one line
/// kept at an edge is a heading or a channel's mark.
const FRAME_LINES: usize = 2;

/// Whether two pictures hold their lettering in the same place: each box of either over one
/// of the other's. One line of a card alone (a heading, a watermark) is not the card.
fn same_place(a: &TextFound, b: &TextFound) -> bool {
    a.boxes.iter().all(|x| box_recurs(x, b)) && b.boxes.iter().all(|x| box_recurs(x, a))
}

/// Whether `b` covers at least half of a box of `f`, or one of them half of it.
fn box_recurs(b: &TextBox, f: &TextFound) -> bool {
    f.boxes.iter().any(|q| {
        let w = (b.x1.min(q.x1) - b.x0.max(q.x0)).max(0.0);
        let h = (b.y1.min(q.y1) - b.y0.max(q.y0)).max(0.0);
        w * h >= 0.5 * b.area().min(q.area())
    })
}

/// Where the run's lettering begins for the detector, when the run's first text sample shows
/// it nothing at all (a small bright thing on black before the cards): after the last break
/// in the run (black, picture) before the first text sample from which on it finds more than
/// a speck, found by halving between the first sample and the first such one it has seen.
/// `None` when the first sample shows anything, was not looked at, no sample of the run
/// shows more than a speck, or nothing breaks the run before it.
pub fn lettering_begins(samples: &mut [Sample], run: &Run, eyes: &mut Eyes) -> Result<Option<f64>> {
    let idx = text_samples(samples, run);
    let Some(first) = idx.first().and_then(|&i| samples[i].found.as_ref()) else {
        return Ok(None);
    };
    if has_text(first) || lettering_like(first) {
        return Ok(None);
    }
    let solid = |s: &Sample| s.found.as_ref().is_some_and(|f| has_text(f) && !faint(f));
    let Some(hi) = idx.iter().position(|&i| solid(&samples[i])) else {
        return Ok(None);
    };
    let (_, hi) = halve(samples, &idx, 0, hi, |s, i| {
        Ok(eyes.see(&mut s[i])?.map(|_| solid(&s[i])))
    })?;
    // Only a run broken by something else (black, picture) before its lettering is cut
    // there: a continuous stretch of text whose first pictures show the detector nothing is
    // lettering too small for it (a dense roll at 384 pixels), and the cheap measures stand.
    let (first_t, at) = (samples[idx[0]].t, samples[idx[hi]].t);
    let Some(gap) = samples
        .iter()
        .filter(|s| s.t > first_t && s.t < at && s.kind != Kind::Text)
        .map(|s| s.t)
        .reduce(f64::max)
    else {
        return Ok(None);
    };
    Ok(idx.iter().map(|&i| samples[i].t).find(|&t| t > gap))
}

/// The run's text samples the detector looks at: first, middle and last.
fn picks(samples: &[Sample], run: &Run) -> Vec<usize> {
    let inside = text_samples(samples, run);
    let mut pick = Vec::new();
    if let (Some(&a), Some(&b)) = (inside.first(), inside.last()) {
        pick.extend([a, inside[inside.len() / 2], b]);
        pick.dedup();
    }
    pick
}

/// Has the detector look at the run's first, middle and last text samples (those it has not
/// seen yet, within the budget), so that the run's text is judged on more than the picture
/// that confirmed it: a roll that has only begun to climb shows one line.
pub fn look_through(samples: &mut [Sample], run: &Run, eyes: &mut Eyes) -> Result<()> {
    for i in picks(samples, run) {
        if eyes.see(&mut samples[i])?.is_none() {
            break;
        }
    }
    Ok(())
}

/// Whether the detector finds text in any of (at most three of) the run's text samples:
/// first, middle and last. `No` only when it finds nothing there at all: regions it marks
/// that are not shaped like lines (a large title logo) leave the cheap measures to decide.
pub fn confirm(samples: &mut [Sample], run: &Run, eyes: &mut Eyes) -> Result<Confirmed> {
    let (mut looked, mut blobs) = (0, 0);
    for i in picks(samples, run) {
        match eyes.see(&mut samples[i])? {
            Some(f) if has_text(&f) => return Ok(Confirmed::Yes),
            Some(f) => {
                looked += 1;
                blobs += usize::from(lettering_like(&f));
            }
            None => {}
        }
    }
    Ok(if looked == 0 || blobs > 0 {
        // The budget is spent, or the detector saw lettering it cannot call lines: the cheap
        // measures stand alone.
        Confirmed::Unknown
    } else {
        Confirmed::No
    })
}

/// What the words read in the run's pictures the detector looked at say (words.rs).
pub fn words_of(samples: &mut [Sample], run: &Run, eyes: &mut Eyes) -> Result<Verdict> {
    judge_read(
        samples
            .iter_mut()
            .filter(|s| s.kind == Kind::Text && s.t >= run.first && s.t <= run.last)
            .filter(|s| s.found.as_ref().is_some_and(has_text)),
        eyes,
    )
}

/// What the words read in `pictures` say, read in order until the reader's budget is spent.
fn judge_read<'a>(
    pictures: impl Iterator<Item = &'a mut Sample>,
    eyes: &mut Eyes,
) -> Result<Verdict> {
    let mut read = Vec::new();
    for s in pictures {
        match eyes.read(s)? {
            Some(l) => read.push(l),
            None => break,
        }
    }
    Ok(words::judge_pictures(&read))
}

/// A title held still is at most this many words...
const TITLE_WORDS: usize = 4;
/// ...in at most this many lines.
const TITLE_LINES: usize = 3;

/// Whether the run is one title held still: every picture of it the reader read (two at
/// least) holds the same few legible words (a wordmark, a studio's or a product's name), and
/// every picture the detector looked at holds a few lines in the same place. A logo card is that; a text
/// animation, a screen recording or a slideshow changes its words or holds many lines.
pub fn held_title(samples: &[Sample], run: &Run) -> bool {
    let read: Vec<&Vec<Line>> = text_samples(samples, run)
        .into_iter()
        .filter_map(|i| samples[i].read.as_ref())
        .collect();
    let Some(first) = read.first() else {
        return false;
    };
    let count: usize = first
        .iter()
        .filter(|l| words::legible(l))
        .map(|l| l.text.split_whitespace().count())
        .sum();
    (1..=TITLE_WORDS).contains(&count)
        && read.len() >= 2
        && read.iter().all(|r| {
            words::mostly_the_same_lines(first, r) && words::mostly_the_same_lines(r, first)
        })
        && held_in_place(&lettered(samples, run))
}

/// Whether the lettering of the pictures the detector looked at stays where it is (each box
/// of each picture over one of the first picture's, and the other way round) in a few lines:
/// a title held still, not a strap that jumps from the foot of the picture to its top.
fn held_in_place(lettered: &[&TextFound]) -> bool {
    let Some(first) = lettered.first() else {
        return false;
    };
    lettered
        .iter()
        .all(|f| f.lines <= TITLE_LINES && same_place(f, first))
}

/// Whether the run holds the film's first picture: text from the very start, with nothing
/// before it to tell the film's own text from what ends it.
pub fn from_first_picture(samples: &[Sample], run: &Run) -> bool {
    samples.iter().all(|s| s.t >= run.first - 1e-6)
}

/// Whether anything in the run says it is credits without a word of credits: it rolls up at
/// a steady speed, or the pictures the detector looked at show a web address or a handle read
/// with confidence (a channel's or a studio's end card) or a region large enough to be a logo.
pub fn signed(samples: &[Sample], run: &Run) -> bool {
    super::motion::rolls(samples, run.first, run.last) || marked(samples, run)
}

/// Whether a picture of the run the detector looked at shows a region large enough to be a
/// logo, or a web address or a handle read with confidence.
fn marked(samples: &[Sample], run: &Run) -> bool {
    samples
        .iter()
        .filter(|s| s.t >= run.first && s.t <= run.last)
        .any(|s| {
            s.found.as_ref().is_some_and(lettering_like)
                || s.read.as_deref().is_some_and(words::points_somewhere)
        })
}

/// What made a run taken for end credits credits, surest first (the `basis` of the credits
/// fact): words of credits read in it, a roll at a steady speed, a signature (a region large
/// enough to be a logo, or a web address or a handle read with confidence), or only a card's
/// layout at the end. Measured on clips nobody tuned on, the first is right far more often
/// than the last (docs/analyzers.md).
pub fn basis(samples: &[Sample], run: &Run, credit_words: bool) -> &'static str {
    if credit_words {
        "words"
    } else if super::motion::rolls(samples, run.first, run.last) {
        "roll"
    } else if marked(samples, run) {
        "signature"
    } else {
        "card"
    }
}

/// What one picture's words say; `None` past the budgets.
fn verdict_of(s: &mut Sample, eyes: &mut Eyes) -> Result<Option<Verdict>> {
    let Some(f) = eyes.see(s)? else {
        return Ok(None);
    };
    if !has_text(&f) {
        return Ok(Some(Verdict::Unsure));
    }
    Ok(eyes.read(s)?.map(|l| words::judge(&l)))
}

/// Where credits begin inside a run, and why what comes before them is not credits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Begin {
    /// At this time; the pictures before it are not credits, for this reason.
    At(f64, &'static str),
    /// Nowhere: the words of credits belong to what came before them, for this reason.
    Nowhere(&'static str),
}

/// Where the credits begin inside a run whose words say credits but where a picture read
/// before its last reads as not credits (slides, then an end card; a lesson, then its
/// credits): the first text sample from which on the words say credits, found by halving
/// between the latest picture read as not credits and the last one, and why the
/// pictures before it are not credits. `Nowhere` when the picture where the words first
/// say credits mostly holds the lines of the picture read before it. `None` when no picture
/// before the last reads as not credits (and no such picture repeats the one before it), or
/// the last one does.
pub fn credits_begin(samples: &mut [Sample], run: &Run, eyes: &mut Eyes) -> Result<Option<Begin>> {
    let idx = text_samples(samples, run);
    if idx.len() < 2 {
        return Ok(None);
    }
    let hi = idx.len() - 1;
    if matches!(
        verdict_of(&mut samples[idx[hi]], eyes)?,
        None | Some(Verdict::NotCredits(_))
    ) {
        return Ok(None);
    }
    // The pictures already read (the run's first and middle ones) place the search.
    let lo = latest_not_credits(samples, &idx[..hi], eyes)?;
    let Some((lo, why)) = lo else {
        return Ok(same_screen(samples, &idx[..=hi], eyes)?.then_some(Begin::Nowhere(SAME_SCREEN)));
    };
    // One picture of slides may read as neither (a heading, a picture's caption): only words
    // of credits mark the credits side.
    let (lo, hi) = halve(samples, &idx, lo, hi, |s, i| {
        Ok(verdict_of(&mut s[i], eyes)?.map(|v| matches!(v, Verdict::Credits(_))))
    })?;
    // Credits after slides or a lesson are a card of their own. When most of the lines read
    // where the words first say credits were already read in the picture before, the words
    // of credits are one more line of the same screen (a song's lyrics that sing "thank
    // you", a terminal that prints a "Thanks" line under its output): nothing in the run is
    // credits.
    if read_alike(samples, idx[lo], idx[hi]) {
        return Ok(Some(Begin::Nowhere(SAME_SCREEN)));
    }
    Ok(Some(Begin::At(samples[idx[hi]].t, why)))
}

const SAME_SCREEN: &str = "words of credits among lines already on screen";

/// Halves between the positions `lo` (a picture before a boundary) and `hi` (one after it) of
/// the samples `idx`: `after(samples, i)` says whether the sample `i` lies after the boundary,
/// `None` when it cannot be told (a budget spent), which ends the search there. Returns the
/// latest position found before it and the earliest found after it.
fn halve(
    samples: &mut [Sample],
    idx: &[usize],
    mut lo: usize,
    mut hi: usize,
    mut after: impl FnMut(&mut [Sample], usize) -> Result<Option<bool>>,
) -> Result<(usize, usize)> {
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        match after(samples, idx[mid])? {
            Some(true) => hi = mid,
            Some(false) => lo = mid,
            None => break,
        }
    }
    Ok((lo, hi))
}

/// The position in `idx` of the latest picture already read whose words say it is not
/// credits, and why.
fn latest_not_credits(
    samples: &mut [Sample],
    idx: &[usize],
    eyes: &mut Eyes,
) -> Result<Option<(usize, &'static str)>> {
    let mut lo = None;
    for (k, &i) in idx.iter().enumerate() {
        if samples[i].read.is_some() {
            if let Some(Verdict::NotCredits(why)) = verdict_of(&mut samples[i], eyes)? {
                lo = Some((k, why));
            }
        }
    }
    Ok(lo)
}

const OWN_TEXT: &str = "the film's own text before the card that ends it";

/// Where an end card begins inside a run whose words say nothing of credits, when pictures of
/// it read as something else (slides, code, a program's screen, then a card with a name and
/// an address). The card is what the run ends on: `Nowhere` when its last picture reads as
/// something else itself (code still being typed at the end); otherwise, when a picture
/// before it reads as something else, the first text sample from which on the pictures hold
/// the last picture's lines, found by halving between the latest picture read as something
/// else and the last one, and why the pictures before it are not credits. `None` when no
/// picture before the last reads as something else: a card or a sequence of cards that
/// neither names anyone nor reads as anything else is kept whole. Text from the film's first
/// picture that does not roll and ends on a card giving an address or a handle is searched
/// the same way, from the latest picture read before the last that does not hold its lines.
pub fn card_begin(samples: &mut [Sample], run: &Run, eyes: &mut Eyes) -> Result<Option<Begin>> {
    let idx = text_samples(samples, run);
    let Some(&last) = idx.last() else {
        return Ok(None);
    };
    match verdict_of(&mut samples[last], eyes)? {
        None => return Ok(None),
        Some(Verdict::NotCredits(why)) => return Ok(Some(Begin::Nowhere(why))),
        Some(_) => {}
    }
    let hi = idx.len() - 1;
    let lo = latest_not_credits(samples, &idx[..hi], eyes)?;
    let holds_the_card = |samples: &[Sample], i: usize| match (
        samples[i].read.as_deref(),
        samples[last].read.as_deref(),
    ) {
        (Some(m), Some(l)) => words::mostly_the_same_lines(m, l),
        _ => false,
    };
    // Text from the film's first picture that ends on an address or a handle (slides, then
    // a contact card): the card is the last screen, and what came before it, another screen,
    // is the film's own text. A roll changes its lines from picture to picture, and is left
    // whole.
    let lo = lo.or_else(|| {
        let own_text = from_first_picture(samples, run)
            && !super::motion::rolls(samples, run.first, run.last)
            && samples[last]
                .read
                .as_deref()
                .is_some_and(words::points_somewhere);
        idx[..hi]
            .iter()
            .rposition(|&i| samples[i].read.is_some() && !holds_the_card(samples, i))
            .filter(|_| own_text)
            .map(|k| (k, OWN_TEXT))
    });
    let Some((lo, why)) = lo else {
        return Ok(None);
    };
    let (_, hi) = halve(samples, &idx, lo, hi, |s, i| {
        Ok(verdict_of(&mut s[i], eyes)?.map(|_| holds_the_card(s, i)))
    })?;
    Ok(Some(Begin::At(samples[idx[hi]].t, why)))
}

/// Whether the picture `later` mostly holds the lines already read in the picture `earlier`
/// (both read), and its words of credits are a line `earlier` did not hold: the same screen
/// with one more line. A card whose credits line was misread the first time is the same
/// card, and credits.
fn read_alike(samples: &[Sample], earlier: usize, later: usize) -> bool {
    match (
        samples[earlier].read.as_deref(),
        samples[later].read.as_deref(),
    ) {
        (Some(b), Some(a)) => words::mostly_the_same_lines(b, a) && words::credit_line_is_new(b, a),
        _ => false,
    }
}

/// Whether, among the pictures of `idx` already read, the first whose words say credits
/// mostly holds lines read in the picture read before it: the same screen with one more
/// line, though nothing before it read as not credits (lyrics, read as neither sentences
/// nor symbols, that sing "Thank you").
fn same_screen(samples: &mut [Sample], idx: &[usize], eyes: &mut Eyes) -> Result<bool> {
    let mut prev: Option<usize> = None;
    for &i in idx {
        if samples[i].read.is_none() {
            continue;
        }
        if matches!(
            verdict_of(&mut samples[i], eyes)?,
            Some(Verdict::Credits(_))
        ) {
            return Ok(prev.is_some_and(|p| read_alike(samples, p, i)));
        }
        prev = Some(i);
    }
    Ok(false)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    Yes,
    No,
    Unknown,
}

/// Text through the middle of the film, before the run: what the detector finds in pictures
/// at fixed shares of the film that lie before `run` begins (a sample already taken within
/// `near` seconds of the moment, else the keyframe before it when that lies after the
/// previous moment, else the first picture from the moment on). `None` when fewer than
/// three such moments exist (a short clip, or a run that fills most of it) or the budget is
/// spent.
pub fn middle_text(
    sampler: &mut Sampler,
    samples: &mut [Sample],
    eyes: &mut Eyes,
    d: f64,
    near: f64,
    run: &Run,
) -> Result<Option<Vec<Probe>>> {
    let mut found: Vec<Probe> = Vec::new();
    let mut before = PROBES[0] * d / 2.0;
    for share in PROBES {
        let at = share * d;
        let floor = std::mem::replace(&mut before, at);
        if at >= run.first - 2.0 {
            continue;
        }
        let close = samples
            .iter()
            .enumerate()
            .filter(|(_, s)| (s.t - at).abs() <= near && s.luma.is_some())
            .min_by(|a, b| (a.1.t - at).abs().total_cmp(&(b.1.t - at).abs()))
            .map(|(i, _)| i);
        let seen = match close {
            Some(i) => eyes.see(&mut samples[i])?.map(|f| (f, samples[i].clone())),
            None => {
                // Any picture of the middle serves: the keyframe before the moment, decoded
                // alone, unless it lies back before the previous probe (a long GOP); only
                // then is the stretch up to the moment decoded, up to a GOP's worth.
                // A keyframe that cannot be read is no probe: the scan below reads on past
                // damage as it did before.
                let mut got = sampler
                    .keyframe_at(at)
                    .ok()
                    .flatten()
                    .filter(|p| p.t > floor && p.t <= at);
                if got.is_none() {
                    sampler.scan(at, (at + near).min(run.first), 1.0, |p| {
                        got = Some(p);
                        false
                    })?;
                }
                match got.filter(|p| p.t < run.first - 1.0) {
                    Some(p) => {
                        let mut s = super::sample(&p);
                        eyes.see(&mut s)?.map(|f| (f, s))
                    }
                    None => continue,
                }
            }
        };
        match seen {
            Some((found_there, picture)) => {
                let t = picture.t;
                if found.last().is_none_or(|p| (t - p.t).abs() > 1e-3) {
                    found.push(Probe {
                        t,
                        found: found_there,
                        picture,
                    });
                }
            }
            None => break,
        }
    }
    Ok((found.len() >= 3).then_some(found))
}

/// One picture of the middle of the film, and what the detector found in it.
pub struct Probe {
    pub t: f64,
    pub found: TextFound,
    /// The picture, kept so that its lines can be read when they come to matter.
    pub picture: Sample,
}

/// What the words read in the middle probes that hold text say. Credits read there mean the
/// text through the middle is the credits themselves (a film that is its credits, card after
/// card in one place), not text the film runs beneath its picture.
pub fn middle_words(middle: &mut [Probe], eyes: &mut Eyes) -> Result<Verdict> {
    judge_read(
        middle
            .iter_mut()
            .filter(|p| has_text(&p.found))
            .map(|p| &mut p.picture),
        eyes,
    )
}

/// Whether the run gives an address or a handle that the middle probes holding text do not:
/// a contact or channel card after slides or a screen recording is a change of character,
/// as words of credits are; an address the film shows throughout (a news channel's, a
/// watermark) is not.
pub fn new_address(
    samples: &[Sample],
    run: &Run,
    middle: &mut [Probe],
    eyes: &mut Eyes,
) -> Result<bool> {
    let in_run = samples
        .iter()
        .filter(|s| s.t >= run.first && s.t <= run.last)
        .any(|s| s.read.as_deref().is_some_and(words::points_somewhere));
    if !in_run {
        return Ok(false);
    }
    for p in middle.iter_mut().filter(|p| has_text(&p.found)) {
        match eyes.read(&mut p.picture)? {
            Some(l) if words::points_somewhere(&l) => return Ok(false),
            Some(_) => {}
            // Past the reader's budget the probes cannot be told apart from the run.
            None => return Ok(false),
        }
    }
    Ok(true)
}

/// Whether the text in the middle of the film runs through it: most probes show text, and
/// it comes back in place (a subtitle band, a HUD, a terminal's lines) from one probe to the
/// next in at least half the pairs. Boxes scattered anew in each picture are the detector
/// misreading a texture, not text the film runs.
pub fn persistent(middle: &[TextFound]) -> bool {
    let with: Vec<&TextFound> = middle.iter().filter(|f| has_text(f)).collect();
    if with.len() < 2 || with.len() * 4 < middle.len() * 3 {
        return false;
    }
    let pairs = with.len() - 1;
    let again = with.windows(2).filter(|w| recurs(w[0], w[1])).count();
    again * 2 >= pairs
}

/// Whether a box of one picture covers at least half of a box of the other.
fn recurs(a: &TextFound, b: &TextFound) -> bool {
    a.boxes.iter().any(|p| box_recurs(p, b))
}

/// Whether the run's text differs in character from the film's running text: the running
/// text (boxes that come back in place through the middle) is gone from most of the run's
/// pictures, or the run has many more lines or covers much more of the picture (a block of
/// credits against a subtitle line or a HUD).
pub fn changes_character(middle: &[TextFound], end: &[TextFound]) -> bool {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let mid_lines = median(middle.iter().map(|f| f.lines as f64).collect());
    let mid_area = median(middle.iter().map(|f| f.area).collect());
    let end_lines = median(end.iter().map(|f| f.lines as f64).collect());
    let end_area = median(end.iter().map(|f| f.area).collect());
    end_lines >= mid_lines + 3.0 || end_area >= 2.0 * mid_area + 0.02 || running_gone(middle, end)
}

/// Whether the boxes that come back in place through the middle are missing from most of
/// the run's pictures.
fn running_gone(middle: &[TextFound], end: &[TextFound]) -> bool {
    let mut running = TextFound::default();
    for (i, f) in middle.iter().enumerate() {
        for b in &f.boxes {
            let one = TextFound {
                boxes: vec![*b],
                ..TextFound::default()
            };
            if middle
                .iter()
                .enumerate()
                .any(|(j, g)| j != i && recurs(&one, g))
            {
                running.boxes.push(*b);
            }
        }
    }
    if running.boxes.is_empty() || end.is_empty() {
        return false;
    }
    let still = end.iter().filter(|f| recurs(&running, f)).count();
    still * 2 < end.len()
}

/// A line at most two lines high, centred, in the bottom quarter of the picture: where
/// subtitles and captions sit.
fn subtitle_shaped(f: &TextFound) -> bool {
    has_text(f)
        && f.lines <= SUBTITLE_LINES
        && f.boxes.iter().all(|b| {
            b.y0 >= SUBTITLE_TOP && (b.cx() - 0.5).abs() <= SUBTITLE_OFF_CENTRE && b.x0 > 0.05
        })
}

/// Subtitle lines sit below this share of the picture's height.
const SUBTITLE_TOP: f32 = 0.75;
const SUBTITLE_LINES: usize = 2;
/// How far from the middle a subtitle line's centre may lie, in shares of the width.
const SUBTITLE_OFF_CENTRE: f32 = 0.15;
/// Above a subtitle, a picture: the spread of its grey levels is at least this. A card with
/// a line of small print at its foot is flat there.
const PICTURE_SPREAD: f64 = 12.0;

/// Whether the run is subtitles or captions over the film's picture, not credits: every
/// picture of it the detector read holds only a subtitle-shaped line, and the picture above
/// that line is not flat. End credits fill a card or the screen, or roll; a subtitle line at
/// the foot of moving picture is the film speaking, however near its end.
pub fn subtitles(samples: &[Sample], run: &Run) -> bool {
    let read: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.t >= run.first && s.t <= run.last)
        .filter(|s| s.found.as_ref().is_some_and(has_text))
        .collect();
    !read.is_empty()
        && read.iter().all(|s| {
            s.found.as_ref().is_some_and(subtitle_shaped)
                && s.luma
                    .as_deref()
                    .is_some_and(|l| spread_above(l, SUBTITLE_TOP) >= PICTURE_SPREAD)
        })
}

/// The standard deviation of the grey levels above `share` of the picture's height.
fn spread_above(l: &crate::sampler::Luma, share: f32) -> f64 {
    let rows = ((l.h as f32 * share) as usize).min(l.h);
    let px = l.px.get(..rows * l.w).unwrap_or(&[]);
    if px.is_empty() {
        return 0.0;
    }
    let n = px.len() as f64;
    let mean = px.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    (px.iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
}

/// What the detector found in the run's samples.
pub fn found_in(samples: &[Sample], run: &Run) -> Vec<TextFound> {
    samples
        .iter()
        .filter(|s| s.t >= run.first && s.t <= run.last)
        .filter_map(|s| s.found.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credits::detector::TextBox;

    fn found(lines: usize, area: f64) -> TextFound {
        let b = TextBox {
            x0: 0.1,
            y0: 0.8,
            x1: 0.9,
            y1: 0.85,
            score: 0.8,
        };
        TextFound {
            boxes: vec![b; lines],
            area,
            lines,
            blobs: 0,
            blob_max: 0.0,
        }
    }

    /// A sample of a 384 x 216 grey picture: black, with white bars laid out like two lines
    /// of lettering when `lettered`.
    fn card(lettered: bool, t: f64) -> Sample {
        let (w, h) = (384, 216);
        let mut px = vec![0u8; w * h];
        if lettered {
            for (y0, x0, x1) in [(90, 100, 290), (120, 130, 260)] {
                for y in y0..y0 + 12 {
                    for x in x0..x1 {
                        // Letters 6 px wide with 3 px between them.
                        if (x - x0) % 9 < 6 {
                            px[y * w + x] = 235;
                        }
                    }
                }
            }
        }
        crate::credits::sample(&crate::sampler::Picture {
            t,
            luma: Luma { w, h, px },
        })
    }

    /// A text sample at `t` holding `boxes` (x0, x1) one under another.
    fn screen(t: f64, boxes: &[(f32, f32)]) -> Sample {
        let mut s = card(false, t);
        s.kind = Kind::Text;
        let boxes: Vec<TextBox> = boxes
            .iter()
            .enumerate()
            .map(|(i, &(x0, x1))| TextBox {
                x0,
                y0: 0.05 + 0.05 * i as f32,
                x1,
                y1: 0.08 + 0.05 * i as f32,
                score: 0.8,
            })
            .collect();
        s.found = Some(TextFound {
            lines: boxes.len(),
            area: 0.1,
            boxes,
            blobs: 0,
            blob_max: 0.0,
        });
        s
    }

    #[test]
    fn a_card_held_from_before_the_run_begins_where_it_is_first_seen_whole() {
        let card = [(0.1, 0.5), (0.1, 0.6), (0.3, 0.7)];
        let mut eyes = Eyes::new();
        // The card from the first picture; the run (the cheap measures' text) from 3.2 s.
        let held = [screen(0.0, &card), screen(1.6, &card), screen(3.2, &card)];
        assert_eq!(same_card_before(&held, 3.2, &mut eyes).unwrap(), Some(0.0));
        // Before it, one line of the card alone (a heading, a watermark) is not the card.
        let heading = [
            screen(0.0, &card[..1]),
            screen(1.6, &card),
            screen(3.2, &card),
        ];
        assert_eq!(
            same_card_before(&heading, 3.2, &mut eyes).unwrap(),
            Some(1.6)
        );
        // Other lettering, or none, just before the run: the run begins where it did.
        let other = [screen(1.6, &[(0.6, 0.9)]), screen(3.2, &card)];
        assert_eq!(same_card_before(&other, 3.2, &mut eyes).unwrap(), None);
        let blank = [screen(1.6, &[]), screen(3.2, &card)];
        assert_eq!(same_card_before(&blank, 3.2, &mut eyes).unwrap(), None);
    }

    fn run(first: f64, last: f64) -> Run {
        Run {
            first,
            last,
            before: None,
            after: None,
            texts: 0,
            score: 1.0,
        }
    }

    /// A sample at `t` whose lettering is one line box from (x0, y0) to (x1, y1).
    fn one_line(t: f64, x0: f32, y0: f32, x1: f32, y1: f32) -> Sample {
        let mut s = screen(t, &[]);
        s.found = Some(TextFound {
            boxes: vec![TextBox {
                x0,
                y0,
                x1,
                y1,
                score: 0.8,
            }],
            area: f64::from((x1 - x0) * (y1 - y0)),
            lines: 1,
            blobs: 0,
            blob_max: 0.0,
        });
        s
    }

    #[test]
    fn a_card_centres_its_lettering_or_letters_a_wordmark() {
        let read = |mut s: Sample, score: f32| {
            s.read = Some(vec![Line {
                text: "Northwind".into(),
                score,
            }]);
            s
        };
        let ends = |last: Sample| {
            let samples = vec![one_line(0.0, 0.05, 0.1, 0.4, 0.15), read(last, 0.95)];
            ends_on_a_card(&samples, &run(0.0, 1.0))
        };
        // A title in the middle that the reader cannot read with confidence, or did not read,
        // is not shown to be a card.
        let title = || one_line(1.0, 0.3, 0.45, 0.7, 0.55);
        let first = || one_line(0.0, 0.05, 0.1, 0.4, 0.15);
        assert!(!ends_on_a_card(
            &[first(), read(title(), 0.5)],
            &run(0.0, 1.0)
        ));
        assert!(!ends_on_a_card(&[first(), title()], &run(0.0, 1.0)));
        // A title in the middle, after a caption in the corner: the last picture decides.
        assert!(ends(one_line(1.0, 0.3, 0.45, 0.7, 0.55)));
        // A caption in the top-left corner, and a subtitle low in the picture, are not.
        assert!(!ends(one_line(1.0, 0.05, 0.1, 0.4, 0.15)));
        assert!(!ends(one_line(1.0, 0.3, 0.85, 0.7, 0.9)));
        // A wordmark a fifth of the picture high is, wherever it stands.
        assert!(ends(one_line(1.0, 0.05, 0.6, 0.5, 0.8)));
        // A run with no lettering the detector looked at is not a card.
        assert!(!ends_on_a_card(&[screen(0.0, &[])], &run(0.0, 1.0)));
    }

    #[test]
    fn many_lines_set_to_one_side_are_a_screen_of_text() {
        // A terminal: fourteen lines from the left margin.
        let terminal: Vec<(f32, f32)> = (0..14).map(|i| (0.02, 0.2 + 0.02 * i as f32)).collect();
        let samples: Vec<Sample> = (0..3).map(|i| screen(f64::from(i), &terminal)).collect();
        assert!(screen_of_text(&samples, &run(0.0, 2.0)));
        // A roll of as many lines, centred, is not; nor is a column of a few lines beside a
        // picture.
        let roll: Vec<(f32, f32)> = (0..14).map(|i| (0.3 - 0.01 * i as f32, 0.7)).collect();
        let samples: Vec<Sample> = (0..3).map(|i| screen(f64::from(i), &roll)).collect();
        assert!(!screen_of_text(&samples, &run(0.0, 2.0)));
        let column = [(0.6, 0.9); 4];
        let samples: Vec<Sample> = (0..3).map(|i| screen(f64::from(i), &column)).collect();
        assert!(!screen_of_text(&samples, &run(0.0, 2.0)));
    }

    #[test]
    fn a_picture_seen_again_is_not_run_through_the_models_again() {
        let mut eyes = Eyes::new();
        // The same card twice (as a still shot decodes: equal pixels, kept apart), then black.
        let mut samples = [card(true, 1.0), card(true, 1.5), card(false, 2.0)];
        let found: Vec<TextFound> = samples
            .iter_mut()
            .map(|s| eyes.see(s).unwrap().unwrap())
            .collect();
        assert_eq!((eyes.looked, eyes.ran), (3, 2));
        assert_eq!(found[0], found[1]);
        assert!(found[0].lines >= 1, "{:?}", found[0]);
        assert_eq!(found[2].lines, 0);
        let first = eyes.read(&mut samples[0]).unwrap().unwrap();
        let again = eyes.read(&mut samples[1]).unwrap().unwrap();
        assert_eq!(first, again);
        let boxes = found[0].boxes.len().min(READ_PER_PICTURE);
        assert_eq!((eyes.read, eyes.read_ran), (2 * boxes, boxes));
    }

    #[test]
    fn subtitles_through_the_film_are_running_text() {
        let mid = vec![
            found(1, 0.03),
            found(2, 0.05),
            found(1, 0.03),
            found(0, 0.0),
        ];
        assert!(persistent(&mid));
        // More subtitles at the end: the same kind of text.
        assert!(!changes_character(&mid, &[found(2, 0.05), found(1, 0.03)]));
        // A block of credits: many more lines, much more of the picture.
        assert!(changes_character(&mid, &[found(8, 0.2), found(9, 0.22)]));
        // A few lines elsewhere in the picture, with the subtitle band empty: another text.
        let elsewhere = |lines| TextFound {
            boxes: vec![
                TextBox {
                    x0: 0.3,
                    y0: 0.2,
                    x1: 0.7,
                    y1: 0.25,
                    score: 0.8,
                };
                lines
            ],
            area: 0.02,
            lines,
            blobs: 0,
            blob_max: 0.0,
        };
        assert!(changes_character(&mid, &[elsewhere(2), elsewhere(1)]));
    }

    #[test]
    fn boxes_scattered_anew_in_each_picture_are_not_running_text() {
        let at = |x: f32, y: f32| TextFound {
            boxes: vec![TextBox {
                x0: x,
                y0: y,
                x1: x + 0.1,
                y1: y + 0.04,
                score: 0.7,
            }],
            area: 0.02,
            lines: 1,
            blobs: 0,
            blob_max: 0.0,
        };
        let mid = vec![at(0.1, 0.1), at(0.6, 0.5), at(0.3, 0.8), at(0.7, 0.2)];
        assert!(!persistent(&mid));
        let still = vec![at(0.1, 0.1), at(0.1, 0.1), at(0.6, 0.5), at(0.6, 0.5)];
        assert!(persistent(&still));
    }

    #[test]
    fn a_few_signs_are_not_running_text() {
        let mid = vec![found(1, 0.01), found(0, 0.0), found(0, 0.0), found(0, 0.0)];
        assert!(!persistent(&mid));
    }
}
