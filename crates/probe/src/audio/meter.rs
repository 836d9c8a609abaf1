//! Loudness per ITU-R BS.1770-4 / EBU R128 and the peaks, weighting channels the way FFmpeg's
//! `ebur128` filter does so that reelcheck and `ffmpeg -af ebur128` agree. The figures are
//! libebur128's (the `ebur128` crate's): its K-weighting filter (`kweight`), its gating
//! histogram (`gating`) and its true-peak interpolator (`true_peak`), taken apart so that one
//! pass over the samples serves them all and each costs as little as it can.

use super::gating::{self, Gating};
use super::kweight::{KWeight, State};
use super::range::Range;
use super::true_peak::Peaks;
use anyhow::{anyhow, Result};
use ffmpeg_next::ffi as sys;
use reelcheck_facts::Loudness;

/// More channels than this cannot be metered (libebur128's limit).
pub const MAX_CHANNELS: usize = 64;

/// The rates libebur128 meters.
const RATES: std::ops::RangeInclusive<u32> = 16..=2_822_400;

/// How much a channel's K-weighted energy counts towards loudness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weight {
    /// Left out (LFE).
    Unused,
    /// Counted once: front channels, centre, mono.
    Full,
    /// Counted 1.41 times: back, side and surround channels.
    Surround,
}

/// Loudness and peaks of one track, following it through changes of channel count or rate.
pub struct Meter {
    channels: usize,
    /// `(channel, weight)` of every channel that counts, in channel order.
    counted: Vec<(usize, f64)>,
    filter: Option<KWeight>,
    /// Per channel: the filter's memory.
    state: Vec<State>,
    /// libebur128's grid: gating blocks of four 100 ms chunks of `(rate + 5) / 10` samples,
    /// one block per chunk once four are in. Per counted channel, the energy of the chunk under
    /// way and of the last four (oldest first).
    chunk: usize,
    into_chunk: usize,
    chunks_seen: usize,
    chunk_energy: Vec<f64>,
    last_chunks: Vec<[f64; 4]>,
    gating: Gating,
    /// FFmpeg's grid: steps of `rate / 10` samples, whose loudness makes the range and the
    /// loudness line. Per counted channel, the energy of the step under way.
    step: usize,
    into_step: usize,
    step_energy: Vec<f64>,
    range: Range,
    /// The loudness line: momentary loudness as energy, summed over the current second, and
    /// each whole second's mean (0 for silence).
    second_energy: f64,
    second_steps: usize,
    seconds: Vec<f64>,
    /// Energies of the last four 100 ms steps (zero before the first), and how many steps
    /// there have been.
    last_steps: [f64; 4],
    steps_seen: usize,
    peaks: Option<Peaks>,
    /// Peaks (linear) from before a change of format that restarted the interpolator.
    carried_true: f64,
    carried_sample: f64,
}

impl Default for Meter {
    fn default() -> Self {
        Meter {
            channels: 0,
            counted: Vec::new(),
            filter: None,
            state: Vec::new(),
            chunk: 0,
            into_chunk: 0,
            chunks_seen: 0,
            chunk_energy: Vec::new(),
            last_chunks: Vec::new(),
            gating: Gating::default(),
            step: 0,
            into_step: 0,
            step_energy: Vec::new(),
            range: Range::default(),
            second_energy: 0.0,
            second_steps: 0,
            seconds: Vec::new(),
            last_steps: [0.0; 4],
            steps_seen: 0,
            peaks: None,
            carried_true: 0.0,
            carried_sample: 0.0,
        }
    }
}

impl Meter {
    /// Sets the channel weights and rate of the samples that follow. The gating history
    /// stays, so integrated loudness spans the change; the filter and the blocks under way
    /// start over, as libebur128's do.
    pub fn configure(&mut self, map: &[Weight], rate: u32) -> Result<()> {
        let channels = map.len();
        if channels == 0 || channels > MAX_CHANNELS {
            return Err(anyhow!(
                "{channels} channels: the loudness meter handles 1 to {MAX_CHANNELS}"
            ));
        }
        if !RATES.contains(&rate) {
            return Err(anyhow!(
                "cannot meter {channels} channels at {rate} Hz: the loudness meter handles {} to {} Hz",
                RATES.start(),
                RATES.end()
            ));
        }
        if !self.peaks.as_ref().is_some_and(|p| p.fits(channels, rate)) {
            if let Some(p) = self.peaks.take() {
                let (t, s) = p.largest();
                self.carried_true = self.carried_true.max(t);
                self.carried_sample = self.carried_sample.max(s);
            }
            self.peaks = Some(Peaks::new(channels, rate));
        }
        self.channels = channels;
        self.counted = map
            .iter()
            .enumerate()
            .filter_map(|(c, w)| match w {
                Weight::Unused => None,
                Weight::Full => Some((c, 1.0)),
                Weight::Surround => Some((c, 1.41)),
            })
            .collect();
        self.filter = Some(KWeight::new(rate));
        self.state = vec![State::default(); channels];
        self.chunk = (rate as usize + 5) / 10;
        self.into_chunk = 0;
        self.chunks_seen = 0;
        self.chunk_energy = vec![0.0; self.counted.len()];
        self.last_chunks = vec![[0.0; 4]; self.counted.len()];
        // FFmpeg counts rate/10 samples to a step.
        self.step = rate as usize / 10;
        self.into_step = 0;
        self.step_energy = vec![0.0; self.counted.len()];
        self.range.restart_window();
        Ok(())
    }

    /// Takes the next samples, one slice per channel, all the same length.
    pub fn add(&mut self, planes: &[&[f32]]) -> Result<()> {
        let (Some(filter), Some(peaks)) = (self.filter, self.peaks.as_mut()) else {
            return Err(anyhow!(
                "samples reached the loudness meter before their format"
            ));
        };
        if planes.len() != self.channels {
            return Err(anyhow!(
                "{} channels of samples reached a meter set for {}",
                planes.len(),
                self.channels
            ));
        }
        peaks.add(planes);
        let n = planes.first().map_or(0, |p| p.len());
        let mut at = 0;
        while at < n {
            // Up to the next edge of either grid.
            let take = (self.chunk - self.into_chunk)
                .min(self.step - self.into_step)
                .min(n - at);
            self.filter_span(filter, planes, at, at + take);
            at += take;
            self.into_chunk += take;
            self.into_step += take;
            if self.into_chunk == self.chunk {
                self.end_chunk();
            }
            if self.into_step == self.step {
                self.end_step();
            }
        }
        Ok(())
    }

    /// K-weights `planes[..][from..to]` of the counted channels, two at a time, into the
    /// energies of the chunk and the step under way.
    fn filter_span(&mut self, filter: KWeight, planes: &[&[f32]], from: usize, to: usize) {
        let mut i = 0;
        while i < self.counted.len() {
            let c = self.counted[i].0;
            if let Some(&(d, _)) = self.counted.get(i + 1) {
                if let Ok([sc, sd]) = self.state.get_disjoint_mut([c, d]) {
                    let [ec, ed] =
                        filter.energy2([&planes[c][from..to], &planes[d][from..to]], [sc, sd]);
                    self.add_energy(i, ec);
                    self.add_energy(i + 1, ed);
                    i += 2;
                    continue;
                }
            }
            let e = filter.energy(&planes[c][from..to], &mut self.state[c]);
            self.add_energy(i, e);
            i += 1;
        }
    }

    fn add_energy(&mut self, i: usize, e: f64) {
        self.chunk_energy[i] += e;
        self.step_energy[i] += e;
    }

    /// A chunk is complete: from the fourth on, the last four make a gating block.
    fn end_chunk(&mut self) {
        self.into_chunk = 0;
        self.chunks_seen += 1;
        let mut block = 0.0;
        for (i, &(_, weight)) in self.counted.iter().enumerate() {
            let last = &mut self.last_chunks[i];
            *last = [last[1], last[2], last[3], self.chunk_energy[i]];
            self.chunk_energy[i] = 0.0;
            block += (last[0] + last[1] + last[2] + last[3]) * weight;
        }
        if self.chunks_seen >= 4 {
            self.gating.add(block / (4 * self.chunk) as f64);
        }
    }

    /// A step is complete: its loudness goes to the range and the loudness line.
    fn end_step(&mut self) {
        self.into_step = 0;
        let mut sum = 0.0;
        for (i, &(_, weight)) in self.counted.iter().enumerate() {
            sum += self.step_energy[i] * weight;
            self.step_energy[i] = 0.0;
        }
        let energy = sum / self.step as f64;
        self.push_window(if energy <= 0.0 {
            f64::NEG_INFINITY
        } else {
            gating::to_lufs(energy)
        });
    }

    /// Takes the loudness of the step just metered (LUFS, −inf for silence).
    fn push_window(&mut self, window: f64) {
        self.range.push_step(window);
        // Momentary loudness (400 ms) is the mean energy of the last four 100 ms steps.
        self.last_steps[self.steps_seen % 4] = if window.is_finite() {
            10f64.powf(window / 10.0)
        } else {
            0.0
        };
        self.steps_seen += 1;
        self.second_energy += self.last_steps.iter().sum::<f64>() / 4.0;
        self.second_steps += 1;
        if self.second_steps == STEPS_PER_SECOND {
            self.seconds
                .push(self.second_energy / STEPS_PER_SECOND as f64);
            self.second_energy = 0.0;
            self.second_steps = 0;
        }
    }

    /// Each second's mean momentary energy, the second under way included.
    fn seconds_so_far(&self) -> Vec<f64> {
        let mut seconds = self.seconds.clone();
        if self.second_steps > 0 {
            seconds.push(self.second_energy / self.second_steps as f64);
        }
        seconds
    }

    pub fn finish(&self) -> Loudness {
        if self.filter.is_none() {
            return Loudness::default();
        }
        let integrated = Some(self.gating.integrated()).filter(|l| l.is_finite());
        // A range only means something once some block passed the gate.
        let range = integrated.map(|_| self.range.lra());
        let (momentary, step) = momentary_line(&self.seconds_so_far());
        let (t, s) = self.peaks.as_ref().map_or((0.0, 0.0), Peaks::largest);
        Loudness {
            integrated_lufs: integrated.map(round2),
            range_lu: range.map(round2),
            momentary,
            momentary_step_s: step,
            true_peak_dbtp: to_db(t.max(self.carried_true)),
            sample_peak_dbfs: to_db(s.max(self.carried_sample)),
            ..Loudness::default()
        }
    }
}

/// Momentary loudness is read every 100 ms step; ten make the line's second.
const STEPS_PER_SECOND: usize = 10;

/// The most points the loudness line keeps: enough for a report's graph, small in the facts.
pub const LINE_POINTS: usize = 600;

/// Mean energies per second into the loudness line: LUFS per point (`None` for silence) and
/// the seconds each point spans, whole seconds chosen so that there are at most
/// `LINE_POINTS` points.
fn momentary_line(seconds: &[f64]) -> (Vec<Option<f64>>, Option<f64>) {
    if seconds.is_empty() {
        return (Vec::new(), None);
    }
    let per_point = seconds.len().div_ceil(LINE_POINTS);
    let line = seconds
        .chunks(per_point)
        .map(|c| {
            let energy = c.iter().sum::<f64>() / c.len() as f64;
            // Below -70 LUFS, as EBU R128's absolute gate, is silence on any screen.
            (energy > 1e-7).then(|| (10.0 * energy.log10() * 10.0).round() / 10.0)
        })
        .collect();
    (line, Some(per_point as f64))
}

/// Digital silence has no peak in decibels: `None` rather than −inf.
fn to_db(linear: f64) -> Option<f64> {
    (linear > 0.0).then(|| round2(20.0 * linear.log10()))
}

/// Hundredths are far below what any rule or meter can tell apart, and keep JSON readable.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// FFmpeg weights LFE channels 0, back, side and surround-direct channels 1.41 and every other
/// channel (mono included: its `dualmono` option is off by default) 1.0.
pub fn channel_map(layout: &sys::AVChannelLayout, channels: usize) -> Vec<Weight> {
    let default;
    let layout = if layout.order == sys::AVChannelOrder::AV_CHANNEL_ORDER_UNSPEC
        || layout.nb_channels as usize != channels
    {
        default = crate::ffi::codec::default_layout(channels as i32);
        &default
    } else {
        layout
    };
    (0..channels)
        .map(|i| weight_of(crate::ffi::codec::layout_channel(layout, i as u32)))
        .collect()
}

fn weight_of(id: i32) -> Weight {
    use sys::AVChannel::*;
    let is = |c: sys::AVChannel| id == c as i32;
    if is(AV_CHAN_LOW_FREQUENCY) || is(AV_CHAN_LOW_FREQUENCY_2) {
        Weight::Unused
    } else if [
        AV_CHAN_BACK_LEFT,
        AV_CHAN_BACK_CENTER,
        AV_CHAN_BACK_RIGHT,
        AV_CHAN_TOP_BACK_LEFT,
        AV_CHAN_TOP_BACK_CENTER,
        AV_CHAN_TOP_BACK_RIGHT,
        AV_CHAN_SIDE_LEFT,
        AV_CHAN_SIDE_RIGHT,
        AV_CHAN_SURROUND_DIRECT_LEFT,
        AV_CHAN_SURROUND_DIRECT_RIGHT,
    ]
    .into_iter()
    .any(is)
    {
        Weight::Surround
    } else {
        Weight::Full
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ebur128::{Channel, EbuR128, Mode};

    /// The figures as the `ebur128` crate gives them: its integrated loudness, and its
    /// loudness of each 100 ms step (FFmpeg's grid) into the same range and loudness line.
    struct Reference {
        r128: Option<EbuR128>,
        step: usize,
        into_step: usize,
        range: Range,
        steps: Vec<f64>,
    }

    impl Reference {
        fn new() -> Self {
            Reference {
                r128: None,
                step: 0,
                into_step: 0,
                range: Range::default(),
                steps: Vec::new(),
            }
        }

        fn configure(&mut self, map: &[Weight], rate: u32) {
            let map: Vec<Channel> = map
                .iter()
                .map(|w| match w {
                    Weight::Unused => Channel::Unused,
                    Weight::Full => Channel::Center,
                    Weight::Surround => Channel::LeftSurround,
                })
                .collect();
            let channels = map.len() as u32;
            match self.r128.as_mut() {
                None => {
                    self.r128 = Some(
                        EbuR128::new(channels, rate, Mode::I | Mode::HISTOGRAM).expect("meter"),
                    )
                }
                Some(r) => r.change_parameters(channels, rate).expect("change"),
            }
            let r = self.r128.as_mut().expect("meter");
            r.set_channel_map(&map).expect("map");
            self.step = rate as usize / 10;
            self.into_step = 0;
            self.range.restart_window();
        }

        fn add(&mut self, planes: &[&[f32]]) {
            let r = self.r128.as_mut().expect("meter");
            let n = planes[0].len();
            let mut at = 0;
            while at < n {
                let take = (self.step - self.into_step).min(n - at);
                let refs: Vec<&[f32]> = planes.iter().map(|p| &p[at..at + take]).collect();
                r.add_frames_planar_f32(&refs).expect("frames");
                at += take;
                self.into_step += take;
                if self.into_step == self.step {
                    self.into_step = 0;
                    let window = r.loudness_window(100).expect("window");
                    self.range.push_step(window);
                    self.steps.push(window);
                }
            }
        }
    }

    /// Noise under a level swing (so that both gates matter), a different level per channel.
    fn programme(channels: usize, frames: usize, rate: u32, seed: u32) -> Vec<Vec<f32>> {
        let mut noise = crate::audio::test_noise::Noise::new(seed);
        (0..channels)
            .map(|c| {
                (0..frames)
                    .map(|n| {
                        let t = n as f32 / rate as f32;
                        let swing = 0.05 + 0.4 * (0.5 + 0.5 * (t * 1.7).sin()).powi(3);
                        noise.next_sample() * swing / (1.0 + c as f32)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn loudness_is_the_crates() {
        use Weight::*;
        // (weights, rate, seconds) per stretch; one film changes format midway, as a stream
        // can; 11025 Hz puts libebur128's 100 ms (1103 samples) off FFmpeg's (1102).
        let films: [&[(&[Weight], u32, usize)]; 5] = [
            &[(&[Full], 48_000, 12)],
            &[(&[Full, Full], 44_100, 12)],
            &[(&[Full, Full, Full, Unused, Surround, Surround], 48_000, 8)],
            &[(&[Full, Full], 11_025, 12)],
            &[
                (&[Full, Full], 48_000, 6),
                (&[Full, Full], 96_000, 4),
                (&[Full], 96_000, 5),
            ],
        ];
        for (f, film) in films.iter().enumerate() {
            let (mut ours, mut theirs) = (Meter::default(), Reference::new());
            for (s, &(map, rate, seconds)) in film.iter().enumerate() {
                ours.configure(map, rate).expect("format");
                theirs.configure(map, rate);
                let planes =
                    programme(map.len(), seconds * rate as usize, rate, (f * 7 + s) as u32);
                let mut at = 0;
                for size in [1024, 333, 4096, 1, 2048].iter().cycle() {
                    if at >= planes[0].len() {
                        break;
                    }
                    let end = (at + size).min(planes[0].len());
                    let refs: Vec<&[f32]> = planes.iter().map(|p| &p[at..end]).collect();
                    ours.add(&refs).expect("samples");
                    theirs.add(&refs);
                    at = end;
                }
            }
            let r = theirs.r128.as_ref().expect("meter");
            let want = r.loudness_global().expect("integrated");
            let got = ours.gating.integrated();
            assert!((got - want).abs() < 1e-9, "film {f}: {got} vs {want}");
            let facts = ours.finish();
            assert_eq!(facts.integrated_lufs, Some(round2(want)), "film {f}");
            assert_eq!(facts.range_lu, Some(round2(theirs.range.lra())), "film {f}");
            // The loudness line, from the crate's steps.
            let mut line = Meter::default();
            line.configure(&[Full], 48_000).expect("format");
            for window in &theirs.steps {
                line.push_window(*window);
            }
            let (want_line, want_step) = momentary_line(&line.seconds_so_far());
            assert_eq!(facts.momentary, want_line, "film {f}");
            assert_eq!(facts.momentary_step_s, want_step, "film {f}");
            assert!(
                facts.range_lu.is_some_and(|r| r > 3.0),
                "film {f}: {facts:?}"
            );
        }
    }

    fn layout_of(channels: usize) -> Vec<Weight> {
        channel_map(
            &crate::ffi::codec::unspecified_layout(channels as i32),
            channels,
        )
    }

    #[test]
    fn the_loudness_line_keeps_at_most_its_points() {
        let tone = 10f64.powf(-20.0 / 10.0);
        let (line, step) = momentary_line(&[tone, 0.0, tone]);
        assert_eq!(line, vec![Some(-20.0), None, Some(-20.0)]);
        assert_eq!(step, Some(1.0));
        let (line, step) = momentary_line(&vec![tone; 3 * 3600]);
        assert!(line.len() <= LINE_POINTS, "{}", line.len());
        assert_eq!(step, Some(18.0));
        assert_eq!(momentary_line(&[]), (Vec::new(), None));
    }

    #[test]
    fn default_layouts_weight_like_ffmpeg() {
        assert_eq!(layout_of(1), vec![Weight::Full]);
        assert_eq!(layout_of(2), vec![Weight::Full; 2]);
        // 5.1(side): FL FR FC LFE SL SR
        assert_eq!(
            layout_of(6),
            vec![
                Weight::Full,
                Weight::Full,
                Weight::Full,
                Weight::Unused,
                Weight::Surround,
                Weight::Surround
            ]
        );
        // No default layout for 9 channels: every channel counts once, as in FFmpeg.
        assert_eq!(layout_of(9), vec![Weight::Full; 9]);
    }
}
