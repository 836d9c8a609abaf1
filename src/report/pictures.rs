//! Pictures for the HTML report: a poster frame and a frame from inside the credits, small
//! JPEGs grabbed by the prober's frame grabber (`probe::frames`) before rendering, in worker
//! processes like probing, so the exporters stay pure functions of what they are given.

use reelcheck_facts::stills::{from_base64, to_base64, Encoding, Grab, Still};
use reelcheck_facts::Facts;
use serde::{Deserialize, Serialize};

/// Wide enough to recognise a shot, small enough that a report of 200 entries stays emailable.
pub const WIDTH: u32 = 320;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    /// Base64 in JSON, as it ends up in the report's `data:` URIs.
    #[serde(serialize_with = "to_base64", deserialize_with = "from_base64")]
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Where in the film, in seconds.
    pub at_s: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pictures {
    pub poster: Option<Picture>,
    pub credits: Option<Picture>,
}

/// Where in a film its pictures are taken, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    pub poster_s: f64,
    pub credits_s: Option<f64>,
}

/// Where the pictures a file's facts call for are; `None` when it has no picture to show.
pub fn moments(facts: &Facts) -> Option<Moments> {
    if facts.error.is_some() || facts.video.is_empty() {
        return None;
    }
    let duration = facts
        .container
        .as_ref()
        .and_then(|c| c.duration_s)
        .unwrap_or(0.0);
    let credits = facts.credits.as_ref();
    Some(Moments {
        // A quarter in is past fade-ins and opening titles, and before end credits.
        poster_s: duration / 4.0,
        credits_s: credits.and_then(|c| c.start_s).map(|start| {
            // The middle of the credits: scrolling credits fill the screen there, where their
            // start shows one faint line at the bottom (and cards are on screen, not fading).
            let end = credits.and_then(|c| c.end_s).unwrap_or(duration);
            start + (end - start).max(0.0) / 2.0
        }),
    })
}

impl Moments {
    /// What to ask the prober's frame grabber for.
    pub fn grab(&self) -> Grab {
        Grab {
            times: std::iter::once(self.poster_s)
                .chain(self.credits_s)
                .collect(),
            encoding: Encoding::Jpeg,
            max_width: WIDTH,
            boxes: Vec::new(),
        }
    }
}

impl Pictures {
    /// The pictures from what the frame grabber made of `Moments::grab`. A picture that could
    /// not be made is left out: the report is still worth having without it.
    pub fn from_stills(at: &Moments, stills: Vec<Option<Still>>) -> Pictures {
        let mut stills = stills.into_iter().map(|s| {
            s.map(|s| Picture {
                jpeg: s.bytes,
                width: s.width,
                height: s.height,
                at_s: s.at_s,
            })
        });
        Pictures {
            poster: stills.next().flatten(),
            credits: at.credits_s.and_then(|_| stills.next().flatten()),
        }
    }
}
