//! The credits analysis run again with its evidence kept, as plain data for
//! `reelcheck credits --explain`: what each sampled picture was taken for, and why.

use super::detector::TextFound;
use super::features::{scroll_shift, Kind, Polarity};
use super::segment::Sample;
use super::Trace;
use reelcheck_facts::credits_trace::{CreditsTrace, ReadLine, TextBoxes, TraceSample};

/// The trace as the report shows it.
pub fn to_data(trace: &Trace) -> CreditsTrace {
    let mut prev: Option<&Sample> = None;
    let mut samples = Vec::with_capacity(trace.samples.len());
    for s in &trace.samples {
        let rows_move_per_s = prev
            .filter(|p| p.lines > 0 && s.lines > 0 && s.t > p.t)
            .and_then(|p| {
                let shift = scroll_shift(&p.profile, &s.profile)?;
                let h = s.profile.len().max(1) as f64;
                Some(shift as f64 / h / (s.t - p.t))
            });
        samples.push(TraceSample {
            t: s.t,
            kind: match s.kind {
                Kind::Text => "text",
                Kind::Black => "black",
                Kind::Picture => "picture",
            }
            .to_string(),
            score: s.text,
            rows: s.rows,
            lines: s.lines,
            polarity: match s.polarity {
                Polarity::LightOnDark => Some("light on dark".to_string()),
                Polarity::DarkOnLight => Some("dark on light".to_string()),
                Polarity::Unclear => None,
            },
            overlay: s.overlay,
            scroll: s.scroll,
            rows_move_per_s,
            detector: s.found.as_ref().map(|f| {
                let mut b = boxes(s.t, f);
                b.read = s
                    .read
                    .iter()
                    .flatten()
                    .map(|l| ReadLine {
                        text: l.text.clone(),
                        score: (f64::from(l.score) * 100.0).round() / 100.0,
                    })
                    .collect();
                b
            }),
            set_aside: s.set_aside.map(str::to_string),
        });
        prev = Some(s);
    }
    CreditsTrace {
        decoded: trace.decoded,
        samples,
        detector_pictures: trace.detected,
        detector_s: trace.detect_s,
        reader_lines: trace.read,
        reader_s: trace.read_s,
        middle: trace.middle.iter().map(|(t, f)| boxes(*t, f)).collect(),
    }
}

fn boxes(t: f64, f: &TextFound) -> TextBoxes {
    let r = |v: f32| (f64::from(v) * 1000.0).round() / 1000.0;
    TextBoxes {
        t,
        area: (f.area * 1000.0).round() / 1000.0,
        lines: f.lines,
        boxes: f
            .boxes
            .iter()
            .map(|b| [r(b.x0), r(b.y0), r(b.x1), r(b.y1)])
            .collect(),
        read: Vec::new(),
    }
}
