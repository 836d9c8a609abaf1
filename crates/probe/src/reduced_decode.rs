//! Decoding pictures smaller than they were coded, where the decoder can. The video analyzers
//! look at pictures reduced to a few hundred pixels; wavelet codecs (JPEG 2000) and a few
//! others can skip the finest levels of detail outright (FFmpeg's `lowres`), which on a 4K
//! intra-coded master costs a fraction of a full decode.

use ffmpeg::ffi;
use ffmpeg_next as ffmpeg;

/// The `lowres` factor (each step halves width and height) that keeps the longest side of
/// the decoded picture at `keep` pixels or more, within what the decoder supports.
pub fn factor(par: &ffi::AVCodecParameters, keep: u32) -> i32 {
    // SAFETY: avcodec_find_decoder accepts any codec id and returns NULL when there is none.
    let codec = unsafe { ffi::avcodec_find_decoder(par.codec_id) };
    if codec.is_null() {
        return 0;
    }
    // SAFETY: a non-null AVCodec is a static description; max_lowres is a plain field.
    let max = i32::from(unsafe { (*codec).max_lowres });
    let longest = par.width.max(par.height).max(0) as u32;
    let mut k = 0;
    while k < max && (longest >> (k + 1)) >= keep {
        k += 1;
    }
    k
}

/// Sets the factor on a decoder context that is not opened yet.
pub fn apply(ctx: &mut ffmpeg::codec::context::Context, keep: u32) {
    // SAFETY: the context was made from the stream's parameters and is not opened; lowres and
    // codec_id are plain fields read by avcodec_open2.
    unsafe {
        let raw = ctx.as_mut_ptr();
        let par = ffi::avcodec_parameters_alloc();
        if par.is_null() {
            return;
        }
        if ffi::avcodec_parameters_from_context(par, raw) >= 0 {
            (*raw).lowres = factor(&*par, keep);
        }
        let mut par = par;
        ffi::avcodec_parameters_free(&mut par);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(codec: ffi::AVCodecID, w: i32, h: i32) -> i32 {
        // SAFETY: a freshly allocated parameters struct, freed below.
        unsafe {
            let mut p = ffi::avcodec_parameters_alloc();
            (*p).codec_id = codec;
            (*p).width = w;
            (*p).height = h;
            let k = factor(&*p, 768);
            ffi::avcodec_parameters_free(&mut p);
            k
        }
    }

    #[test]
    fn jpeg_2000_4k_decodes_at_a_quarter_and_h264_in_full() {
        // 4096 → 2048 → 1024: still at least 768 wide; 512 would not be.
        assert_eq!(params(ffi::AVCodecID::AV_CODEC_ID_JPEG2000, 4096, 2160), 2);
        assert_eq!(params(ffi::AVCodecID::AV_CODEC_ID_JPEG2000, 640, 360), 0);
        // H.264 decoders cannot skip detail: full resolution.
        assert_eq!(params(ffi::AVCodecID::AV_CODEC_ID_H264, 4096, 2160), 0);
    }
}
