//! Loudness per ITU-R BS.1770-4 / EBU R128 with the `ebur128` crate, weighting channels the way
//! FFmpeg's `ebur128` filter does so that reelcheck and `ffmpeg -af ebur128` agree.

use super::range::Range;
use super::true_peak::Peaks;
use crate::facts::Loudness;
use anyhow::{anyhow, Result};
use ebur128::{Channel, EbuR128, Mode};
use ffmpeg::ffi;
use ffmpeg_next as ffmpeg;

/// More channels than this cannot be metered (a limit of the `ebur128` crate).
pub const MAX_CHANNELS: usize = 64;

/// Which half of the measurement one meter makes, each on its own thread: the K-weighted
/// loudness (the `ebur128` crate), and the peaks (`true_peak`, the crate's method made cheap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Loudness,
    Peaks,
}

/// HISTOGRAM keeps memory flat for long films and gates as FFmpeg's histogram does. No LRA
/// mode: the range is taken from 100 ms steps instead (see `range`).
const LOUDNESS_MODE: Mode = Mode::I.union(Mode::HISTOGRAM);

/// One `EbuR128` that follows the stream through changes of channel count or rate.
pub struct Meter {
    part: Part,
    /// The loudness half's meter.
    r128: Option<EbuR128>,
    /// The peaks half's meter.
    peaks: Option<Peaks>,
    channels: usize,
    /// Samples in 100 ms, and how many of them the current step has had.
    step: usize,
    into_step: usize,
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
    /// Peaks (linear) from before a change of channel count, which resets the crate's peaks.
    carried_true: f64,
    carried_sample: f64,
}

impl Meter {
    pub fn new(part: Part) -> Self {
        Meter {
            part,
            r128: None,
            peaks: None,
            channels: 0,
            step: 0,
            into_step: 0,
            range: Range::default(),
            second_energy: 0.0,
            second_steps: 0,
            seconds: Vec::new(),
            last_steps: [0.0; 4],
            steps_seen: 0,
            carried_true: 0.0,
            carried_sample: 0.0,
        }
    }

    /// Sets the channel weights and rate of the samples that follow.
    pub fn configure(&mut self, map: &[Channel], rate: u32) -> Result<()> {
        let channels = map.len();
        if channels == 0 || channels > MAX_CHANNELS {
            return Err(anyhow!(
                "{channels} channels: the loudness meter handles 1 to {MAX_CHANNELS}"
            ));
        }
        if self.part == Part::Peaks {
            if !self.peaks.as_ref().is_some_and(|p| p.fits(channels, rate)) {
                if let Some(p) = self.peaks.take() {
                    let (t, s) = p.largest();
                    self.carried_true = self.carried_true.max(t);
                    self.carried_sample = self.carried_sample.max(s);
                }
                self.peaks = Some(Peaks::new(channels, rate));
            }
            self.channels = channels;
            return Ok(());
        }
        let fail =
            |e: ebur128::Error| anyhow!("cannot meter {channels} channels at {rate} Hz: {e}");
        match self.r128.as_mut() {
            None => {
                self.r128 = Some(EbuR128::new(channels as u32, rate, LOUDNESS_MODE).map_err(fail)?)
            }
            Some(r) => {
                // Keeps the gating history, so integrated loudness spans the change.
                r.change_parameters(channels as u32, rate).map_err(fail)?;
            }
        }
        self.channels = channels;
        // FFmpeg counts rate/10 samples to a step.
        self.step = (rate as usize / 10).max(1);
        self.into_step = 0;
        self.range.restart_window();
        if let Some(r) = self.r128.as_mut() {
            r.set_channel_map(map).map_err(fail)?;
        }
        Ok(())
    }

    pub fn add(&mut self, planes: &[Vec<f32>]) -> Result<()> {
        if self.part == Part::Peaks {
            return match self.peaks.as_mut() {
                Some(p) => {
                    p.add(planes);
                    Ok(())
                }
                None => Err(anyhow!(
                    "samples reached the peak meter before their format"
                )),
            };
        }
        let Some(r) = self.r128.as_mut() else {
            return Err(anyhow!(
                "samples reached the loudness meter before their format"
            ));
        };
        let fail = |e: ebur128::Error| anyhow!("loudness meter rejected samples: {e}");
        let n = planes.first().map_or(0, Vec::len);
        // Feed up to each 100 ms boundary and take that step's loudness for the range.
        let mut at = 0;
        while at < n {
            let take = (self.step - self.into_step).min(n - at);
            let refs: Vec<&[f32]> = planes.iter().map(|p| &p[at..at + take]).collect();
            r.add_frames_planar_f32(&refs).map_err(fail)?;
            at += take;
            self.into_step += take;
            if self.into_step == self.step {
                self.into_step = 0;
                let window = r.loudness_window(100).map_err(fail)?;
                self.range.push_step(window);
                // Momentary loudness (400 ms) is the mean energy of the last four 100 ms
                // steps: taken from them rather than from the meter, which would sum the
                // 400 ms of samples again at every step.
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
        }
        Ok(())
    }

    /// The facts this part measures; the other part's fields stay `None`.
    pub fn finish(&self) -> Loudness {
        match self.part {
            Part::Loudness => {
                let Some(r) = self.r128.as_ref() else {
                    return Loudness::default();
                };
                let integrated = r.loudness_global().ok().filter(|l| l.is_finite());
                // A range only means something once some block passed the gate.
                let range = integrated.map(|_| self.range.lra());
                let mut seconds = self.seconds.clone();
                if self.second_steps > 0 {
                    seconds.push(self.second_energy / self.second_steps as f64);
                }
                let (momentary, step) = momentary_line(&seconds);
                Loudness {
                    integrated_lufs: integrated.map(round2),
                    range_lu: range.map(round2),
                    momentary,
                    momentary_step_s: step,
                    ..Loudness::default()
                }
            }
            Part::Peaks => {
                let Some(p) = self.peaks.as_ref() else {
                    return Loudness::default();
                };
                let (t, s) = p.largest();
                Loudness {
                    true_peak_dbtp: to_db(t.max(self.carried_true)),
                    sample_peak_dbfs: to_db(s.max(self.carried_sample)),
                    ..Loudness::default()
                }
            }
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
/// channel (mono included: its `dualmono` option is off by default) 1.0. The crate only looks at
/// the weight, so Center stands for 1.0 and LeftSurround for 1.41.
pub fn channel_map(layout: &ffi::AVChannelLayout, channels: usize) -> Vec<Channel> {
    let mut default = ffi::AVChannelLayout {
        order: ffi::AVChannelOrder::AV_CHANNEL_ORDER_UNSPEC,
        nb_channels: 0,
        u: ffi::AVChannelLayout__bindgen_ty_1 { mask: 0 },
        opaque: std::ptr::null_mut(),
    };
    let layout = if layout.order == ffi::AVChannelOrder::AV_CHANNEL_ORDER_UNSPEC
        || layout.nb_channels as usize != channels
    {
        // SAFETY: av_channel_layout_default only writes the plain struct it is given.
        unsafe { ffi::av_channel_layout_default(&mut default, channels as i32) };
        &default
    } else {
        layout
    };
    (0..channels)
        .map(|i| {
            // SAFETY: the layout is valid and i is below its channel count.
            let id = unsafe { ffi::av_channel_layout_channel_from_index(layout, i as u32) };
            weight_of(id as i32)
        })
        .collect()
}

fn weight_of(id: i32) -> Channel {
    use ffi::AVChannel::*;
    let is = |c: ffi::AVChannel| id == c as i32;
    if is(AV_CHAN_LOW_FREQUENCY) || is(AV_CHAN_LOW_FREQUENCY_2) {
        Channel::Unused
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
        Channel::LeftSurround
    } else {
        Channel::Center
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout_of(channels: usize) -> Vec<Channel> {
        let unspec = ffi::AVChannelLayout {
            order: ffi::AVChannelOrder::AV_CHANNEL_ORDER_UNSPEC,
            nb_channels: channels as i32,
            u: ffi::AVChannelLayout__bindgen_ty_1 { mask: 0 },
            opaque: std::ptr::null_mut(),
        };
        channel_map(&unspec, channels)
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
        assert_eq!(layout_of(1), vec![Channel::Center]);
        assert_eq!(layout_of(2), vec![Channel::Center; 2]);
        // 5.1(side): FL FR FC LFE SL SR
        assert_eq!(
            layout_of(6),
            vec![
                Channel::Center,
                Channel::Center,
                Channel::Center,
                Channel::Unused,
                Channel::LeftSurround,
                Channel::LeftSurround
            ]
        );
        // No default layout for 9 channels: every channel counts once, as in FFmpeg.
        assert_eq!(layout_of(9), vec![Channel::Center; 9]);
    }
}
