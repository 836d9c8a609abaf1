//! Bits per sample of the coded stream. The pixel format is what the decoder hands out, not
//! what was coded: 12-bit JPEG 2000 RGB decodes to 16-bit `rgb48le`, and a stream nothing could
//! decode has no pixel format at all. The coded depth comes from the bitstream's own fields.

use ffmpeg_next::ffi as sys;

/// The coded bit depth of a picture stream: bits per raw sample where the demuxer or the decoder
/// read it from the bitstream, else what the codec profile fixes, else the configuration
/// record (AV1, Dolby Vision), else the pixel format's depth.
pub fn video(par: &sys::AVCodecParameters, dovi_profile: Option<u32>) -> Option<u32> {
    let raw = par.bits_per_raw_sample;
    if (1..=16).contains(&raw) {
        return Some(raw as u32);
    }
    from_profile(par.codec_id, par.profile)
        .or_else(|| from_config_record(par))
        .or_else(|| dovi_profile.and_then(dovi_depth))
        .or_else(|| pixel_format_depth(par.format))
}

/// Bits per sample of PCM and lossless audio; `None` for lossy codecs, whose decoded samples
/// (float or 16-bit) say nothing about the source's depth.
pub fn audio(par: &sys::AVCodecParameters) -> Option<u32> {
    use sys::AVCodecID::*;
    let raw = par.bits_per_raw_sample;
    let raw = (1..=64).contains(&raw).then_some(raw as u32);
    let fixed = crate::ffi::codec::bits_per_sample(par.codec_id);
    let fixed = (fixed > 0).then_some(fixed as u32);
    let coded = par.bits_per_coded_sample;
    let coded = (1..=64).contains(&coded).then_some(coded as u32);
    match par.codec_id {
        AV_CODEC_ID_FLAC | AV_CODEC_ID_ALAC | AV_CODEC_ID_WAVPACK | AV_CODEC_ID_TTA
        | AV_CODEC_ID_TRUEHD | AV_CODEC_ID_MLP | AV_CODEC_ID_APE | AV_CODEC_ID_S302M => {
            raw.or(coded)
        }
        _ if is_pcm(par.codec_id) => raw.or(fixed).or(coded),
        _ => None,
    }
}

fn is_pcm(id: sys::AVCodecID) -> bool {
    crate::ffi::codec::codec_name(id).starts_with("pcm_")
}

/// Depths a profile fixes (Main 10 is 10-bit); profiles that allow several depths say nothing.
fn from_profile(codec: sys::AVCodecID, profile: i32) -> Option<u32> {
    use sys::AVCodecID::*;
    match codec {
        AV_CODEC_ID_H264 => match profile & !0x200 {
            // Baseline, Main, Extended, High (0x200 marks the constrained variants).
            66 | 77 | 88 | 100 => Some(8),
            // High 10 (and High 10 Intra, 110 | 0x800).
            110 => Some(10),
            p if p == 110 | 0x800 => Some(10),
            _ => None,
        },
        AV_CODEC_ID_HEVC => match profile {
            1 | 3 => Some(8),
            2 => Some(10),
            _ => None,
        },
        AV_CODEC_ID_VP9 => match profile {
            0 | 1 => Some(8),
            _ => None,
        },
        AV_CODEC_ID_MPEG2VIDEO | AV_CODEC_ID_MPEG4 | AV_CODEC_ID_VP8 | AV_CODEC_ID_MJPEG => Some(8),
        _ => None,
    }
}

/// The codec configuration record (`avcC`, `hvcC`, `av1C`), which the demuxer keeps as
/// extradata even when no picture decodes.
fn from_config_record(par: &sys::AVCodecParameters) -> Option<u32> {
    use sys::AVCodecID::*;
    let rec = crate::ffi::codec::extradata(par);
    if rec.len() < 4 {
        return None;
    }
    match par.codec_id {
        // avcC: version 1, then the SPS's profile_idc.
        AV_CODEC_ID_H264 if rec[0] == 1 => from_profile(par.codec_id, i32::from(rec[1])),
        // hvcC: version 1; bitDepthLumaMinus8 in the low bits of byte 17.
        AV_CODEC_ID_HEVC if rec[0] == 1 && rec.len() > 17 => Some(u32::from(rec[17] & 7) + 8),
        // av1C: marker and version 1; high_bitdepth and twelve_bit in the third byte.
        AV_CODEC_ID_AV1 if rec[0] == 0x81 => Some(match (rec[2] & 0x40 != 0, rec[2] & 0x20 != 0) {
            (true, true) => 12,
            (true, false) => 10,
            _ => 8,
        }),
        _ => None,
    }
}

/// Dolby Vision profiles fix the base layer's depth: 9 is 8-bit AVC, the others 10-bit.
fn dovi_depth(profile: u32) -> Option<u32> {
    match profile {
        9 => Some(8),
        4 | 5 | 7 | 8 | 10 => Some(10),
        _ => None,
    }
}

fn pixel_format_depth(format: i32) -> Option<u32> {
    // Looked up in FFmpeg's own table rather than transmuted from the integer.
    let fmt = crate::ffi::codec::pixel_format(format)?;
    crate::ffi::codec::pixel_format_depth(fmt)
}
