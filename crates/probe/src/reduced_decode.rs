//! Decoding pictures smaller than they were coded, where the decoder can. The video analyzers
//! look at pictures reduced to a few hundred pixels; wavelet codecs (JPEG 2000) and a few
//! others can skip the finest levels of detail outright (FFmpeg's `lowres`), which on a 4K
//! intra-coded master costs a fraction of a full decode.

use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;

/// The `lowres` factor (each step halves width and height) that keeps the longest side of
/// the decoded picture at `keep` pixels or more, within what the decoder of `codec` supports.
pub fn factor(codec: sys::AVCodecID, width: i32, height: i32, keep: u32) -> i32 {
    let max = crate::ffi::codec::max_lowres(codec);
    let longest = width.max(height).max(0) as u32;
    let mut k = 0;
    while k < max && (longest >> (k + 1)) >= keep {
        k += 1;
    }
    k
}

/// Whether a decoder of `ctx` kept at `keep` pixels decodes at full size (no `lowres`).
pub fn full_size(ctx: &ffmpeg::codec::context::Context, keep: u32) -> bool {
    let (codec, width, height) = crate::ffi::codec::decoder_picture(ctx);
    factor(codec, width, height, keep) == 0
}

/// Sets the factor on a decoder context that is not opened yet.
pub fn apply(ctx: &mut ffmpeg::codec::context::Context, keep: u32) {
    let (codec, width, height) = crate::ffi::codec::decoder_picture(ctx);
    crate::ffi::codec::set_lowres(ctx, factor(codec, width, height, keep));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(codec: sys::AVCodecID, w: i32, h: i32) -> i32 {
        factor(codec, w, h, 768)
    }

    #[test]
    fn jpeg_2000_4k_decodes_at_a_quarter_and_h264_in_full() {
        // 4096 → 2048 → 1024: still at least 768 wide; 512 would not be.
        assert_eq!(params(sys::AVCodecID::AV_CODEC_ID_JPEG2000, 4096, 2160), 2);
        assert_eq!(params(sys::AVCodecID::AV_CODEC_ID_JPEG2000, 640, 360), 0);
        // H.264 decoders cannot skip detail: full resolution.
        assert_eq!(params(sys::AVCodecID::AV_CODEC_ID_H264, 4096, 2160), 0);
    }
}
