//! Flashing that may provoke seizures, as ITU-R BT.1702 defines it (and Ofcom and the Harding
//! test apply it). The picture is taken as shown on a 200 cd/m² display. A transition is a
//! change of at least 20 cd/m² in one direction, where the darker state is under 160 cd/m²;
//! a flash is a pair of opposite transitions; a transition counts when at least a quarter of
//! the screen makes it in the same frame. More than three flashes within any one second is a
//! violation. Red flashes count alike: transitions to or from saturated red
//! (R/(R+G+B) ≥ 0.8 in linear light), with the change of (R−G−B)×320 standing for luminance.
//! Each cell of the small picture follows its own level from its last turning point, so a
//! change spread over a few frames still counts once.

use crate::video_qc::picture::Small;
use reelcheck_facts::FlashViolation;

/// Luminance of peak white on the reference display, cd/m².
const WHITE: f64 = 200.0;
const MIN_CHANGE: f64 = 20.0;
const DARKER_UNDER: f64 = 160.0;
const MIN_AREA: f64 = 0.25;
const MAX_FLASHES_PER_S: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Up,
    Down,
}

/// One cell's level since its last turning point.
#[derive(Debug, Clone, Copy)]
struct Cell {
    /// The extreme reached in the current direction, and that direction.
    extreme: f64,
    dir: Option<Dir>,
}

impl Cell {
    /// Follows a new level; the direction of a transition completed now, if any.
    fn follow(&mut self, level: f64, darker_limit: Option<f64>) -> Option<Dir> {
        let change = level - self.extreme;
        let turned = match self.dir {
            // Still going the same way: the extreme moves on.
            Some(Dir::Up) if change >= 0.0 => {
                self.extreme = level;
                return None;
            }
            Some(Dir::Down) if change <= 0.0 => {
                self.extreme = level;
                return None;
            }
            _ => change.abs() >= MIN_CHANGE,
        };
        if !turned {
            return None;
        }
        let darker = level.min(self.extreme);
        if darker_limit.is_some_and(|limit| darker >= limit) {
            return None;
        }
        let dir = if change > 0.0 { Dir::Up } else { Dir::Down };
        self.dir = Some(dir);
        self.extreme = level;
        Some(dir)
    }
}

/// Screen-wide transitions of one kind (general or red), and the violations they make.
#[derive(Debug, Default)]
struct Counter {
    cells: Vec<Cell>,
    /// Times of screen-wide transitions with their direction.
    transitions: Vec<(f64, Dir)>,
    /// Open violation: start, end, most flashes in a second.
    open: Option<(f64, f64, u32)>,
    found: Vec<FlashViolation>,
}

impl Counter {
    fn push(&mut self, t: f64, levels: &[f64], darker_limit: Option<f64>, kind: &str) {
        if self.cells.len() != levels.len() {
            self.cells = levels
                .iter()
                .map(|&l| Cell {
                    extreme: l,
                    dir: None,
                })
                .collect();
            return;
        }
        let (mut up, mut down) = (0usize, 0usize);
        for (cell, &l) in self.cells.iter_mut().zip(levels) {
            match cell.follow(l, darker_limit) {
                Some(Dir::Up) => up += 1,
                Some(Dir::Down) => down += 1,
                None => {}
            }
        }
        let n = levels.len().max(1) as f64;
        let dir = if up as f64 >= MIN_AREA * n && up >= down {
            Some(Dir::Up)
        } else if down as f64 >= MIN_AREA * n {
            Some(Dir::Down)
        } else {
            None
        };
        if let Some(d) = dir {
            // Two screen-wide changes the same way in a row are one transition drawn out.
            if self.transitions.last().is_none_or(|&(_, last)| last != d) {
                self.transitions.push((t, d));
            }
        }
        // Transitions within the last second, this frame's included.
        self.transitions.retain(|&(tt, _)| tt > t - 1.0 + 1e-6);
        let flashes = (self.transitions.len() / 2) as u32;
        if flashes > MAX_FLASHES_PER_S {
            let start = self.transitions.first().map_or(t, |&(tt, _)| tt);
            self.open = Some(match self.open {
                Some((s, _, most)) => (s, t, most.max(flashes)),
                None => (start, t, flashes),
            });
        } else if let Some((s, e, most)) = self.open.take() {
            self.close(s, e, most, kind);
        }
    }

    fn close(&mut self, start: f64, end: f64, most: u32, kind: &str) {
        self.found.push(FlashViolation {
            start_s: round_ms(start),
            end_s: round_ms(end),
            flashes_per_s: most,
            kind: kind.to_string(),
        });
    }

    fn finish(mut self, kind: &str) -> Vec<FlashViolation> {
        if let Some((s, e, most)) = self.open.take() {
            self.close(s, e, most, kind);
        }
        self.found
    }
}

#[derive(Debug, Default)]
pub struct Flash {
    general: Counter,
    red: Counter,
    /// BT.709 coefficients for HD, BT.601 for SD.
    hd: bool,
    /// Linear light of each 8-bit code value.
    linear: Vec<f64>,
}

/// Limited-range 8-bit code value to linear light (BT.1886, gamma 2.4), 0 to 1.
fn linear(v: f64) -> f64 {
    ((v - 16.0) / 219.0).clamp(0.0, 1.0).powf(2.4)
}

impl Flash {
    pub fn new(hd: bool) -> Flash {
        Flash {
            hd,
            linear: (0..256).map(|v| linear(f64::from(v))).collect(),
            ..Default::default()
        }
    }

    pub fn push(&mut self, t: f64, p: &Small) {
        let (kr, kb) = if self.hd {
            (0.2126, 0.0722)
        } else {
            (0.299, 0.114)
        };
        let kg = 1.0 - kr - kb;
        let n = p.y.px.len();
        let lut = |v: f64| self.linear[v.round().clamp(0.0, 255.0) as usize];
        let mut lum = Vec::with_capacity(n);
        let mut red = Vec::with_capacity(n);
        for i in 0..n {
            let y = f64::from(p.y.px[i]);
            let cb = f64::from(p.u.px.get(i).copied().unwrap_or(128)) - 128.0;
            let cr = f64::from(p.v.px.get(i).copied().unwrap_or(128)) - 128.0;
            // Limited-range Y'CbCr to R'G'B' code values (still limited range).
            let s = 219.0 / 224.0;
            let r = y + 2.0 * (1.0 - kr) * cr * s;
            let b = y + 2.0 * (1.0 - kb) * cb * s;
            let g = (y - kr * r - kb * b) / kg;
            let (r, g, b) = (lut(r), lut(g), lut(b));
            lum.push(WHITE * (kr * r + kg * g + kb * b));
            let sum = r + g + b;
            let saturated = sum > 0.0 && r / sum >= 0.8;
            red.push(if saturated {
                ((r - g - b) * 320.0).max(0.0)
            } else {
                0.0
            });
        }
        self.general.push(t, &lum, Some(DARKER_UNDER), "general");
        self.red.push(t, &red, None, "red");
    }

    pub fn finish(self) -> Vec<FlashViolation> {
        let mut all = self.general.finish("general");
        all.extend(self.red.finish("red"));
        all.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
        all
    }
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(per_s: f64, levels: (f64, f64), area: f64) -> Vec<FlashViolation> {
        let mut c = Counter::default();
        let fps = 25.0;
        for n in 0..250 {
            let t = f64::from(n) / fps;
            let high = (t * per_s).fract() < 0.5;
            let v = if high { levels.1 } else { levels.0 };
            let cells: Vec<f64> = (0..100)
                .map(|i| {
                    if (i as f64) < area * 100.0 {
                        v
                    } else {
                        levels.0
                    }
                })
                .collect();
            c.push(t, &cells, Some(DARKER_UNDER), "general");
        }
        c.finish("general")
    }

    #[test]
    fn more_than_three_flashes_a_second_over_a_quarter_of_the_screen() {
        assert!(count(2.0, (10.0, 150.0), 1.0).is_empty());
        assert!(count(3.0, (10.0, 150.0), 1.0).is_empty());
        let v = count(4.0, (10.0, 150.0), 1.0);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].flashes_per_s, 4);
        assert!(count(10.0, (10.0, 150.0), 1.0)[0].flashes_per_s >= 9);
        // A fifth of the screen is too small; a small change too faint; bright against
        // bright is not a flash.
        assert!(count(10.0, (10.0, 150.0), 0.2).is_empty());
        assert!(count(10.0, (10.0, 25.0), 1.0).is_empty());
        assert!(count(10.0, (170.0, 200.0), 1.0).is_empty());
    }
}
