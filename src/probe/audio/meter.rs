//! Loudness per ITU-R BS.1770-4 / EBU R128 with the `ebur128` crate, weighting channels the way
//! FFmpeg's `ebur128` filter does so that reelcheck and `ffmpeg -af ebur128` agree.

use crate::facts::Loudness;
use anyhow::{anyhow, Result};
use ebur128::{Channel, EbuR128, Mode};
use ffmpeg::ffi;
use ffmpeg_next as ffmpeg;

/// Channels at or beyond this many cannot be metered (a limit of the `ebur128` crate).
pub const MAX_CHANNELS: usize = 64;

pub struct Meter {
    r128: EbuR128,
    channels: usize,
    rate: u32,
}

impl Meter {
    /// A meter for `channels` channels at `rate` Hz laid out as `layout` says (FFmpeg's view of
    /// the decoded frame; an unspecified order is read as FFmpeg's default for that count).
    pub fn new(layout: &ffi::AVChannelLayout, channels: usize, rate: u32) -> Result<Self> {
        if channels > MAX_CHANNELS {
            return Err(anyhow!(
                "{channels} channels: the loudness meter handles at most {MAX_CHANNELS}"
            ));
        }
        // HISTOGRAM keeps memory flat for long films and gates like FFmpeg's histogram does.
        let mode = Mode::I | Mode::LRA | Mode::TRUE_PEAK | Mode::SAMPLE_PEAK | Mode::HISTOGRAM;
        let mut r128 = EbuR128::new(channels as u32, rate, mode)
            .map_err(|e| anyhow!("cannot meter {channels} channels at {rate} Hz: {e}"))?;
        r128.set_channel_map(&channel_map(layout, channels))
            .map_err(|e| anyhow!("cannot map {channels} channels: {e}"))?;
        Ok(Meter {
            r128,
            channels,
            rate,
        })
    }

    pub fn fits(&self, channels: usize, rate: u32) -> bool {
        self.channels == channels && self.rate == rate
    }

    pub fn add(&mut self, planes: &[&[f32]]) -> Result<()> {
        self.r128
            .add_frames_planar_f32(planes)
            .map_err(|e| anyhow!("loudness meter rejected samples: {e}"))
    }

    pub fn finish(&self) -> Loudness {
        let integrated = self.r128.loudness_global().ok().filter(|l| l.is_finite());
        // A range only means something once some block passed the gate.
        let range = integrated
            .and_then(|_| self.r128.loudness_range().ok())
            .filter(|l| l.is_finite());
        let peak = |f: &dyn Fn(u32) -> Result<f64, ebur128::Error>| {
            let max = (0..self.channels as u32)
                .filter_map(|c| f(c).ok())
                .fold(0.0_f64, f64::max);
            (max > 0.0).then(|| 20.0 * max.log10())
        };
        Loudness {
            integrated_lufs: integrated.map(round2),
            range_lu: range.map(round2),
            true_peak_dbtp: peak(&|c| self.r128.true_peak(c)).map(round2),
            sample_peak_dbfs: peak(&|c| self.r128.sample_peak(c)).map(round2),
        }
    }
}

/// Hundredths are far below what any rule or meter can tell apart, and keep JSON readable.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// FFmpeg weights LFE channels 0, back, side and surround-direct channels 1.41 and every other
/// channel (mono included: its `dualmono` option is off by default) 1.0. The crate only looks at
/// the weight, so Center stands for 1.0 and LeftSurround for 1.41.
fn channel_map(layout: &ffi::AVChannelLayout, channels: usize) -> Vec<Channel> {
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
