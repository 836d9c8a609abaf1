//! Decoded frames in whatever sample format the decoder chose, turned into one `f32` buffer per
//! channel: the form the meters and the level scanner read.

use anyhow::{bail, Result};
use ffmpeg::format::sample::Type;
use ffmpeg::format::Sample;
use ffmpeg::frame;
use ffmpeg_next as ffmpeg;

/// Appends `frame`'s samples (any FFmpeg sample format, packed or planar) to `out` as
/// full-scale `f32`, one buffer per channel; `out` must have one buffer per channel. Nothing is
/// appended when the frame is malformed.
pub fn append_planar(frame: &frame::Audio, out: &mut [Vec<f32>]) -> Result<()> {
    let n = frame.samples();
    let ch = usize::from(frame.channels());
    if ch == 0 {
        bail!("decoded audio frame has no channels");
    }
    if out.len() != ch {
        bail!(
            "decoded audio frame has {ch} channels where {} were expected",
            out.len()
        );
    }
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
        Sample::F32(t) => fill::<f32>(out, frame, t, |x| x),
        Sample::F64(t) => fill::<f64>(out, frame, t, |x| x as f32),
        Sample::I16(t) => fill::<i16>(out, frame, t, |x| f32::from(x) / 32_768.0),
        Sample::I32(t) => fill::<i32>(out, frame, t, |x| (f64::from(x) / 2_147_483_648.0) as f32),
        Sample::U8(t) => fill::<u8>(out, frame, t, |x| (f32::from(x) - 128.0) / 128.0),
        // No FFmpeg decoder produces 64-bit integer samples; say so rather than guess.
        Sample::I64(_) => {
            bail!("decoded audio is in 64-bit integer samples, which are not supported")
        }
        Sample::None => bail!("decoded audio frame has no sample format"),
    }
}

fn fill<T>(
    out: &mut [Vec<f32>],
    frame: &frame::Audio,
    layout: Type,
    conv: impl Fn(T) -> f32,
) -> Result<()>
where
    T: frame::audio::Sample + Copy,
{
    let n = frame.samples();
    let ch = out.len();
    match layout {
        Type::Planar => {
            // Every plane is checked before any is appended to.
            if (0..ch).any(|c| frame.plane::<T>(c).len() < n) {
                bail!("decoded audio plane is shorter than the frame");
            }
            for (c, dst) in out.iter_mut().enumerate() {
                dst.extend(frame.plane::<T>(c)[..n].iter().map(|&s| conv(s)));
            }
        }
        Type::Packed => {
            let Some(src) = frame.plane::<T>(0).get(..n * ch) else {
                bail!("decoded audio buffer is shorter than the frame");
            };
            for (c, dst) in out.iter_mut().enumerate() {
                dst.extend(src.iter().skip(c).step_by(ch).map(|&s| conv(s)));
            }
        }
    }
    Ok(())
}
