//! Decoded frames in whatever sample format the decoder chose, turned into one `f32` buffer per
//! channel: the form both the loudness meter and the level scanner read.

use anyhow::{bail, Result};
use ffmpeg::format::sample::Type;
use ffmpeg::format::Sample;
use ffmpeg::frame;
use ffmpeg_next as ffmpeg;

/// Per-channel buffers, reused from frame to frame so decoding a film allocates once.
#[derive(Default)]
pub struct Planar {
    channels: Vec<Vec<f32>>,
    len: usize,
}

impl Planar {
    /// The channels of the last frame loaded, each `len` samples long.
    pub fn planes(&self) -> Vec<&[f32]> {
        self.channels.iter().map(|c| &c[..self.len]).collect()
    }

    /// Converts `frame` (any FFmpeg sample format, packed or planar) to full-scale `f32`.
    pub fn load(&mut self, frame: &frame::Audio) -> Result<()> {
        let n = frame.samples();
        let ch = usize::from(frame.channels());
        if ch == 0 {
            bail!("decoded audio frame has no channels");
        }
        self.channels.resize_with(ch, Vec::new);
        for c in &mut self.channels {
            c.resize(n, 0.0);
        }
        self.len = n;
        if n == 0 {
            return Ok(());
        }
        let expected_planes = if frame.is_planar() { ch } else { 1 };
        if frame.planes() != expected_planes {
            bail!(
                "decoded audio frame has {} planes for {ch} channels",
                frame.planes()
            );
        }
        match frame.format() {
            Sample::F32(t) => self.fill::<f32>(frame, t, |x| x),
            Sample::F64(t) => self.fill::<f64>(frame, t, |x| x as f32),
            Sample::I16(t) => self.fill::<i16>(frame, t, |x| f32::from(x) / 32_768.0),
            Sample::I32(t) => {
                self.fill::<i32>(frame, t, |x| (f64::from(x) / 2_147_483_648.0) as f32)
            }
            // No FFmpeg decoder produces 64-bit integer samples; say so rather than guess.
            Sample::I64(_) => {
                bail!("decoded audio is in 64-bit integer samples, which are not supported")
            }
            Sample::U8(t) => self.fill::<u8>(frame, t, |x| (f32::from(x) - 128.0) / 128.0),
            Sample::None => bail!("decoded audio frame has no sample format"),
        }
    }

    fn fill<T>(&mut self, frame: &frame::Audio, layout: Type, conv: impl Fn(T) -> f32) -> Result<()>
    where
        T: frame::audio::Sample + Copy,
    {
        let n = self.len;
        let ch = self.channels.len();
        match layout {
            Type::Planar => {
                for (c, out) in self.channels.iter_mut().enumerate() {
                    let Some(src) = frame.plane::<T>(c).get(..n) else {
                        bail!("decoded audio plane is shorter than the frame");
                    };
                    for (o, &s) in out.iter_mut().zip(src) {
                        *o = conv(s);
                    }
                }
            }
            Type::Packed => {
                let Some(src) = frame.plane::<T>(0).get(..n * ch) else {
                    bail!("decoded audio buffer is shorter than the frame");
                };
                for (i, group) in src.chunks_exact(ch).enumerate() {
                    for (out, &s) in self.channels.iter_mut().zip(group) {
                        out[i] = conv(s);
                    }
                }
            }
        }
        Ok(())
    }
}
