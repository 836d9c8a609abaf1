//! Line-up tone at the head of a track: a steady sine near 1 kHz before the sound of the film.
//!
//! The track (its channels averaged) is cut into 50 ms blocks from its start. A block is tone
//! when nearly all its energy sits at one frequency between 990 and 1010 Hz (Goertzel filters
//! 2 Hz apart; 50 ms leaves each a 20 Hz wide lobe, so a 997 Hz tone reads as well as a
//! 1000 Hz one) and its level is within 1 dB of the first tone block. Silence before the tone
//! is skipped; the tone ends at the first block that is not tone, and counts from a second on.
//! Only the head is examined: once something else is heard, the detector stops.

use reelcheck_facts::HeadTone;

/// Block length, seconds.
const BLOCK_S: f64 = 0.05;
/// Share of a block's energy that must sit at the tone's frequency.
const PURITY: f64 = 0.9;
/// Blocks quieter than this (dBFS, RMS) are silence before the tone.
const SILENCE_DB: f64 = -60.0;
/// How far a tone block's level may stray from the first one's, dB.
const STEADY_DB: f64 = 1.0;
/// Shortest tone reported, seconds.
const MIN_TONE_S: f64 = 1.0;
/// The frequencies tried, Hz.
const LOW_HZ: u32 = 990;
const HIGH_HZ: u32 = 1010;
const STEP_HZ: usize = 2;

#[derive(Debug, Default)]
pub struct Tone {
    rate: u32,
    block: Vec<f32>,
    /// Blocks seen so far.
    blocks: u64,
    /// The run of tone blocks: first block, blocks in it, its first block's level (dB), the
    /// strongest frequency of each block, summed energy.
    start: Option<u64>,
    count: u64,
    level_db: f64,
    hz_sum: f64,
    power_sum: f64,
    done: bool,
}

impl Tone {
    /// Whether the head is still being looked at: once something else is heard, no later
    /// sample can change the finding.
    pub fn listening(&self) -> bool {
        !self.done
    }

    /// Takes the next samples (one slice per channel).
    pub fn push(&mut self, planes: &[&[f32]], rate: u32) {
        if self.done || planes.is_empty() || rate == 0 {
            return;
        }
        if self.rate != rate {
            if self.rate != 0 {
                // A change of rate at the head: the tone, if any, ends here.
                self.done = true;
                return;
            }
            self.rate = rate;
        }
        let len = ((f64::from(rate) * BLOCK_S).round() as usize).max(16);
        let n = planes[0].len();
        let k = planes.len() as f32;
        for i in 0..n {
            let mix = planes
                .iter()
                .map(|p| p.get(i).copied().unwrap_or(0.0))
                .sum::<f32>()
                / k;
            self.block.push(mix);
            if self.block.len() == len {
                self.judge();
                self.block.clear();
                if self.done {
                    return;
                }
            }
        }
    }

    fn judge(&mut self) {
        let n = self.block.len() as f64;
        let energy: f64 = self.block.iter().map(|x| f64::from(*x).powi(2)).sum();
        let rms_db = 10.0 * (energy / n).max(1e-20).log10();
        let index = self.blocks;
        self.blocks += 1;
        if rms_db < SILENCE_DB {
            if self.start.is_some() {
                self.done = true;
            }
            return;
        }
        let (hz, power) = (LOW_HZ..=HIGH_HZ)
            .step_by(STEP_HZ)
            .map(|hz| {
                (
                    hz,
                    goertzel(&self.block, f64::from(hz), f64::from(self.rate)),
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        // A sine of amplitude A over n samples: power (A n / 2)², energy A² n / 2.
        let purity = 2.0 * power / (n * energy.max(1e-30));
        let steady = self.start.is_none() || (rms_db - self.level_db).abs() <= STEADY_DB;
        if purity >= PURITY && steady {
            if self.start.is_none() {
                self.start = Some(index);
                self.level_db = rms_db;
            }
            self.count += 1;
            self.hz_sum += f64::from(hz);
            self.power_sum += energy / n;
        } else {
            self.done = true;
        }
    }

    /// The tone, on the track's own timeline (seconds from its first sample).
    pub fn finish(self) -> Option<HeadTone> {
        let start = self.start?;
        let seconds = |blocks: u64| blocks as f64 * BLOCK_S;
        let length = seconds(self.count);
        if length < MIN_TONE_S - 1e-9 {
            return None;
        }
        let mean_square = self.power_sum / self.count as f64;
        Some(HeadTone {
            start_s: round3(seconds(start)),
            end_s: round3(seconds(start + self.count)),
            frequency_hz: (self.hz_sum / self.count as f64).round(),
            // A sine's peak is √2 times its RMS.
            level_dbfs: (10.0 * (2.0 * mean_square).log10() * 10.0).round() / 10.0,
        })
    }
}

/// The power of `x` at `hz` (Goertzel's algorithm): |X(hz)|².
fn goertzel(x: &[f32], hz: f64, rate: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * hz / rate;
    let c = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0_f64, 0.0_f64);
    for &v in x {
        let s = f64::from(v) + c * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    s1 * s1 + s2 * s2 - c * s1 * s2
}

fn round3(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(hz: f64, amp: f32, secs: f64, rate: u32) -> Vec<f32> {
        (0..(secs * f64::from(rate)) as usize)
            .map(|i| {
                amp * (2.0 * std::f64::consts::PI * hz * i as f64 / f64::from(rate)).sin() as f32
            })
            .collect()
    }

    fn run(samples: &[f32]) -> Option<HeadTone> {
        let mut t = Tone::default();
        // In frames of 1024 samples, as a decoder hands them over.
        for chunk in samples.chunks(1024) {
            t.push(&[chunk, chunk], 48_000);
        }
        t.finish()
    }

    #[test]
    fn a_thousand_hertz_tone_then_other_sound() {
        let mut s = vec![0.0; 24_000];
        s.extend(sine(1000.0, 0.125, 3.0, 48_000));
        s.extend(sine(440.0, 0.3, 2.0, 48_000));
        let tone = run(&s).expect("tone");
        assert_eq!((tone.start_s, tone.end_s), (0.5, 3.5));
        assert_eq!(tone.frequency_hz, 1000.0);
        assert!((tone.level_dbfs - -18.1).abs() <= 0.1, "{tone:?}");
        // 997 Hz, the other usual line-up frequency.
        assert_eq!(
            run(&sine(997.0, 0.5, 2.0, 48_000)).map(|t| t.frequency_hz),
            Some(997.0)
        );
    }

    #[test]
    fn other_sounds_are_not_tone() {
        assert_eq!(run(&sine(440.0, 0.3, 3.0, 48_000)), None);
        assert_eq!(run(&sine(1000.0, 0.3, 0.5, 48_000)), None, "too short");
        // A 1 kHz note under other sound is not line-up tone.
        let mix: Vec<f32> = sine(1000.0, 0.2, 3.0, 48_000)
            .iter()
            .zip(sine(300.0, 0.2, 3.0, 48_000))
            .map(|(a, b)| a + b)
            .collect();
        assert_eq!(run(&mix), None);
        assert_eq!(run(&vec![0.0; 96_000]), None, "silence");
    }
}
