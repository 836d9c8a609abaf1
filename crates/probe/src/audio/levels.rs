//! Sample-level facts gathered in the same pass as loudness: silence (as FFmpeg's silencedetect
//! finds it), clipping runs, and whether all channels carry the same signal.

use super::scan;
use super::AudioOptions;
use reelcheck_facts::{Clipping, Segment};

/// Finished sample-level facts of one track.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelFacts {
    pub silent: bool,
    pub silence: Vec<Segment>,
    pub head_s: f64,
    pub tail_s: f64,
    pub duration_s: f64,
    pub clipping: Clipping,
    pub identical_channels: Option<bool>,
}

pub struct Levels {
    silence_amp: f32,
    min_silence_s: f64,
    clip_amp: f32,
    clip_run: u64,
    /// Energy ratio (difference to signal) under which two channels count as the same.
    identical_ratio: f64,
    /// Timeline position of the track's first sample, seconds.
    origin_s: f64,
    /// Samples seen since the last change of sample rate, and the time that change happened:
    /// a stream may switch rates midway and positions must stay right across the switch.
    pos: u64,
    base_s: f64,
    rate: f64,
    /// Position (seconds, track-relative) just after the last sample above the threshold, and
    /// of the first one; `None` while all has been silent.
    quiet_since_s: f64,
    first_loud_s: Option<f64>,
    silence: Vec<Segment>,
    /// Per channel: length of the current full-scale run and the rail it sits on (a jump from
    /// one rail to the other is two runs, not one).
    runs: Vec<(u64, bool)>,
    clipping: Clipping,
    /// Energy of every channel, and of each channel's difference from channel 0.
    energy: Vec<f64>,
    diff_energy: Vec<f64>,
    channels: usize,
    /// Whether the silence scan may judge whole blocks (off only to test it against the
    /// sample-by-sample scan).
    by_block: bool,
}

impl Levels {
    pub fn new(opts: &AudioOptions, origin_s: f64) -> Self {
        Levels {
            silence_amp: db_to_amp(opts.silence_threshold_db),
            min_silence_s: opts.min_silence_s,
            clip_amp: opts.clip_level as f32,
            clip_run: opts.clip_run.max(1),
            identical_ratio: 10f64.powf(opts.identical_below_db / 10.0),
            origin_s,
            pos: 0,
            base_s: 0.0,
            rate: 0.0,
            quiet_since_s: 0.0,
            first_loud_s: None,
            silence: Vec::new(),
            runs: Vec::new(),
            clipping: Clipping::default(),
            energy: Vec::new(),
            diff_energy: Vec::new(),
            channels: 0,
            by_block: true,
        }
    }

    fn at(&self, pos: u64) -> f64 {
        if self.rate > 0.0 {
            self.base_s + pos as f64 / self.rate
        } else {
            self.base_s
        }
    }

    /// Takes the next stretch of samples, one slice per channel, all the same length.
    pub fn push(&mut self, planes: &[&[f32]], rate: u32) {
        let n = planes.first().map_or(0, |p| p.len());
        if f64::from(rate) != self.rate || planes.len() != self.channels {
            self.base_s = self.at(self.pos);
            self.pos = 0;
            self.rate = f64::from(rate);
            if planes.len() != self.channels {
                self.channels = planes.len();
                self.runs = vec![(0, false); self.channels];
                self.energy.resize(self.channels, 0.0);
                self.diff_energy.resize(self.channels, 0.0);
            }
        }
        self.scan_silence(planes, n);
        for (c, plane) in planes.iter().enumerate() {
            self.scan_clipping(c, plane);
        }
        if let Some(first) = planes.first() {
            for (c, other) in planes.iter().enumerate() {
                if c == 0 {
                    // A channel's difference from itself is zero: only its energy is needed.
                    self.energy[0] += scan::energy(first);
                } else {
                    let (e, d) = scan::energies(first, other);
                    self.energy[c] += e;
                    self.diff_energy[c] += d;
                }
            }
        }
        self.pos += n as u64;
    }

    fn scan_silence(&mut self, planes: &[&[f32]], n: usize) {
        let amp = self.silence_amp;
        let loud = |i: usize| planes.iter().any(|p| p[i].abs() >= amp);
        if self.min_silence_s <= 1e-9 {
            // Every gap counts, even an empty one: no run of loud samples can be skipped.
            for i in (0..n).filter(|&i| loud(i)) {
                let t = self.at(self.pos + i as u64);
                self.close_silence(t);
                self.first_loud_s.get_or_insert(t);
                self.quiet_since_s = self.at(self.pos + i as u64 + 1);
            }
            return;
        }
        // A silence can only end where a run of loud samples starts, and the quiet after a run
        // only starts where it ends: inside a run the gap between samples is zero, shorter than
        // any silence. So only the edges of runs are timed. And when the shortest silence listed
        // is far longer than a block of samples, a gap inside a block is too short to list: a
        // block then only needs its first and last loud sample, found from its two ends (most
        // often at once), where a look at every sample would be most of the pass's cost.
        // silencedetect counts a sample as silent only while it is strictly inside ±amp.
        let whole_blocks = self.by_block && (BLOCK as f64) / self.rate < self.min_silence_s / 2.0;
        let mut previous_loud = false;
        let mut from = 0;
        while from < n {
            let to = (from + BLOCK).min(n);
            if whole_blocks {
                let first = if loud(from) {
                    Some(from)
                } else if scan::count_frames_at_least(planes, from..to, amp) == 0 {
                    None
                } else {
                    (from..to).find(|&i| loud(i))
                };
                match first {
                    None => {
                        if previous_loud {
                            self.edge(from, false);
                        }
                        previous_loud = false;
                    }
                    Some(first) => {
                        if first > from && previous_loud {
                            self.edge(from, false);
                        }
                        if first > from || !previous_loud {
                            self.edge(first, true);
                        }
                        let last = (first..to).rev().find(|&i| loud(i)).unwrap_or(first);
                        previous_loud = last + 1 == to;
                        if !previous_loud {
                            self.edge(last + 1, false);
                        }
                    }
                }
            } else {
                for i in from..to {
                    let is_loud = loud(i);
                    if is_loud != previous_loud {
                        self.edge(i, is_loud);
                    }
                    previous_loud = is_loud;
                }
            }
            from = to;
        }
        if previous_loud {
            self.quiet_since_s = self.at(self.pos + n as u64);
        }
    }

    /// A run of loud samples starts (`loud`) or ends at sample `i` of the samples being
    /// pushed.
    fn edge(&mut self, i: usize, loud: bool) {
        let t = self.at(self.pos + i as u64);
        if loud {
            self.close_silence(t);
            self.first_loud_s.get_or_insert(t);
        } else {
            self.quiet_since_s = t;
        }
    }

    fn close_silence(&mut self, end_s: f64) {
        // Tolerance for the float sums above: 2 s of samples is exactly 2 s.
        if end_s - self.quiet_since_s >= self.min_silence_s - 1e-9 {
            self.silence.push(Segment {
                start_s: round3(self.origin_s + self.quiet_since_s),
                end_s: round3(self.origin_s + end_s),
            });
        }
    }

    fn scan_clipping(&mut self, c: usize, plane: &[f32]) {
        let (amp, need) = (self.clip_amp, self.clip_run);
        // Most blocks hold no sample near full scale, and then no run goes on through them.
        if scan::count_at_least(plane, amp) == 0 {
            if !plane.is_empty() {
                self.runs[c].0 = 0;
            }
            return;
        }
        let (mut run, mut positive) = self.runs[c];
        for (i, x) in plane.iter().enumerate() {
            if x.abs() >= amp {
                let up = *x > 0.0;
                if up != positive {
                    run = 0;
                    positive = up;
                }
                run += 1;
                if run == need {
                    self.clipping.runs += 1;
                    self.clipping.samples += need;
                    let start = (self.pos + i as u64 + 1).saturating_sub(need);
                    let t = self.origin_s + self.at(start);
                    if self.clipping.first_s.is_none_or(|f| t < f) {
                        self.clipping.first_s = Some(round3(t));
                    }
                } else if run > need {
                    self.clipping.samples += 1;
                }
            } else {
                run = 0;
            }
        }
        self.runs[c] = (run, positive);
    }

    pub fn finish(mut self) -> LevelFacts {
        let end = self.at(self.pos);
        self.close_silence(end);
        let silent = self.first_loud_s.is_none();
        let e0 = self.energy.first().copied().unwrap_or(0.0);
        let identical_channels = (self.channels >= 2 && !silent).then(|| {
            self.energy
                .iter()
                .zip(&self.diff_energy)
                .all(|(&e, &d)| d <= self.identical_ratio * e0.max(e))
        });
        LevelFacts {
            silent,
            silence: self.silence,
            head_s: round3(self.first_loud_s.unwrap_or(end)),
            tail_s: round3(end - self.quiet_since_s),
            duration_s: round3(end),
            clipping: self.clipping,
            identical_channels,
        }
    }
}

/// Samples looked at together by the silence scan: 5 ms at 48 kHz.
const BLOCK: usize = 256;

fn db_to_amp(db: f64) -> f32 {
    10f64.powf(db / 20.0) as f32
}

/// Milliseconds: finer than any frame, and stable in JSON.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(planes: &[Vec<f32>], rate: u32) -> LevelFacts {
        run_with(planes, rate, true)
    }

    fn run_with(planes: &[Vec<f32>], rate: u32, by_block: bool) -> LevelFacts {
        let mut l = Levels::new(&AudioOptions::default(), 0.0);
        l.by_block = by_block;
        let refs: Vec<&[f32]> = planes.iter().map(|p| p.as_slice()).collect();
        // Feed in uneven chunks to exercise state carried across frames.
        let n = refs[0].len();
        let mut at = 0;
        for size in [1usize, 7, 1000, 333].iter().cycle() {
            if at >= n {
                break;
            }
            let end = (at + size).min(n);
            let chunk: Vec<&[f32]> = refs.iter().map(|p| &p[at..end]).collect();
            l.push(&chunk, rate);
            at = end;
        }
        l.finish()
    }

    #[test]
    fn silence_at_head_and_in_the_middle() {
        let rate = 1000;
        let mut x = vec![0.0f32; 10_000];
        for (i, s) in x.iter_mut().enumerate() {
            let loud = (3000..5000).contains(&i) || (7500..9000).contains(&i);
            *s = if loud { 0.5 } else { 0.0 };
        }
        let f = run(&[x.clone(), x], rate);
        assert!(!f.silent);
        assert_eq!(f.head_s, 3.0);
        assert_eq!(f.tail_s, 1.0);
        assert_eq!(
            f.silence,
            vec![
                Segment {
                    start_s: 0.0,
                    end_s: 3.0
                },
                Segment {
                    start_s: 5.0,
                    end_s: 7.5
                }
            ]
        );
        assert_eq!(f.identical_channels, Some(true));
    }

    #[test]
    fn blocks_find_what_samples_find() {
        // Stretches of sound and of quiet from one sample to three seconds, in both channels
        // or one, at 48 kHz: the block scan must list the same silences, head and tail.
        let rate = 48_000;
        let mut seed = 11_u32;
        let mut next = |m: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed % m
        };
        let (mut l, mut r) = (Vec::new(), Vec::new());
        while l.len() < 40 * rate as usize {
            let quiet = [
                1, 2, 3, 255, 256, 257, 4800, 95_000, 96_000, 97_000, 150_000,
            ][next(11) as usize];
            let loud = [1, 5, 300, 20_000][next(4) as usize];
            let one_side = next(3) == 0;
            l.extend(std::iter::repeat_n(0.0005, quiet));
            r.extend(std::iter::repeat_n(-0.0002, quiet));
            l.extend(std::iter::repeat_n(0.3, loud));
            r.extend(std::iter::repeat_n(if one_side { 0.0 } else { -0.3 }, loud));
        }
        let blocks = run_with(&[l.clone(), r.clone()], rate, true);
        let samples = run_with(&[l, r], rate, false);
        assert!(blocks.silence.len() > 5, "{blocks:?}");
        assert_eq!(blocks, samples);
    }

    #[test]
    fn silent_track() {
        let f = run(&[vec![0.0005; 5000]], 1000);
        assert!(f.silent);
        assert_eq!(f.head_s, 5.0);
        assert_eq!(f.tail_s, 5.0);
        assert_eq!(
            f.silence,
            vec![Segment {
                start_s: 0.0,
                end_s: 5.0
            }]
        );
        assert_eq!(f.identical_channels, None);
    }

    #[test]
    fn clipping_runs_are_counted_per_channel() {
        let mut l = vec![0.1f32; 100];
        l[10..12].fill(1.0); // 2 samples: not a run
        l[20..25].fill(-1.0); // 5 samples: one run
        let mut r = vec![0.1f32; 100];
        r[50..53].fill(0.9995);
        r[60..63].fill(1.0); // one run per rail, however fast the jump
        r[63..66].fill(-1.0);
        let f = run(&[l, r], 100);
        assert_eq!(f.clipping.runs, 4);
        assert_eq!(f.clipping.samples, 14);
        assert_eq!(f.clipping.first_s, Some(0.2));
        assert_eq!(f.identical_channels, Some(false));
    }
}
