//! Codecs and what they make: codec parameters and FFmpeg's static descriptions of codecs,
//! profiles, pixel formats and colours; decoder settings ffmpeg-next does not reach; decoded
//! frames' fields; channel layouts.

use ffmpeg::codec;
use ffmpeg::util::frame;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use std::ffi::c_char;

/// The raw parameters of a stream, for reading fields ffmpeg-next has no accessor for.
pub fn parameters(par: &codec::Parameters) -> &sys::AVCodecParameters {
    // SAFETY: `Parameters` holds a valid AVCodecParameters (the stream's, kept alive by the
    // `Parameters` itself) for as long as it lives; the reference is tied to its borrow.
    unsafe { &*par.as_ptr() }
}

/// The codec's extra data (a configuration record such as `avcC`), empty when there is none.
pub fn extradata(par: &sys::AVCodecParameters) -> &[u8] {
    let Ok(len) = usize::try_from(par.extradata_size) else {
        return &[];
    };
    if par.extradata.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: FFmpeg's invariant: a non-null `extradata` holds `extradata_size` bytes, owned by
    // the parameters, which the returned slice borrows.
    unsafe { std::slice::from_raw_parts(par.extradata, len) }
}

/// The `AV_CODEC_PROP_*` properties of a codec (intra-only, lossy, lossless); `None` for a
/// codec FFmpeg does not describe.
pub fn codec_props(id: sys::AVCodecID) -> Option<u32> {
    // SAFETY: avcodec_descriptor_get takes any codec id and returns a static descriptor or NULL.
    let desc = unsafe { sys::avcodec_descriptor_get(id) };
    // SAFETY: a non-null descriptor is a static entry of FFmpeg's table.
    unsafe { desc.as_ref() }.map(|d| d.props as u32)
}

/// Bits per sample a codec fixes (PCM), or 0 when it fixes none.
pub fn bits_per_sample(id: sys::AVCodecID) -> i32 {
    // SAFETY: av_get_bits_per_sample accepts any codec id and returns 0 when it has no answer.
    unsafe { sys::av_get_bits_per_sample(id) }
}

/// FFmpeg's name of a codec ("pcm_s24le", "h264").
pub fn codec_name(id: sys::AVCodecID) -> String {
    // SAFETY: avcodec_get_name returns a static string for every id ("unknown_codec" for ids
    // it does not know).
    unsafe { super::owned_string(sys::avcodec_get_name(id)) }.unwrap_or_default()
}

/// The name of a codec's profile number, if FFmpeg knows it.
pub fn profile_name(id: sys::AVCodecID, profile: i32) -> Option<String> {
    // SAFETY: avcodec_profile_name takes any codec and profile number and returns a static
    // string, or NULL for a profile it does not know.
    unsafe { super::owned_string(sys::avcodec_profile_name(id, profile)) }
}

/// How many times the decoder of a codec can halve the picture while decoding (`lowres`);
/// 0 when there is no decoder or it cannot.
pub fn max_lowres(id: sys::AVCodecID) -> i32 {
    // SAFETY: avcodec_find_decoder accepts any codec id and returns a static AVCodec or NULL;
    // max_lowres is a plain field of it.
    unsafe { sys::avcodec_find_decoder(id).as_ref() }.map_or(0, |c| i32::from(c.max_lowres))
}

/// The codec and picture size of a decoder context that is not opened yet.
pub fn decoder_picture(ctx: &codec::context::Context) -> (sys::AVCodecID, i32, i32) {
    // SAFETY: the context is valid for as long as it is borrowed; these are plain fields.
    unsafe {
        let raw = &*ctx.as_ptr();
        (raw.codec_id, raw.width, raw.height)
    }
}

/// Makes a decoder context that is not opened yet decode at 1/2^`factor` of the size.
pub fn set_lowres(ctx: &mut codec::context::Context, factor: i32) {
    // SAFETY: the context is valid and borrowed mutably; `lowres` is a plain field read by
    // avcodec_open2, which has not run yet.
    unsafe { (*ctx.as_mut_ptr()).lowres = factor };
}

/// Sets the threading of a decoder context that is not opened yet: `FF_THREAD_*` kinds and a
/// count (0: as many as the machine has).
pub fn set_threads(ctx: &mut codec::context::Context, kinds: i32, count: i32) {
    // SAFETY: the context is valid and borrowed mutably; thread_type and thread_count are
    // plain fields read by avcodec_open2, which has not run yet.
    unsafe {
        let raw = ctx.as_mut_ptr();
        (*raw).thread_type = kinds;
        (*raw).thread_count = count;
    }
}

/// Makes `dst` (an empty frame) a new reference to the picture of `src`, copying it when `src`
/// is not reference-counted. Whether it could.
pub fn frame_ref(dst: &mut frame::Video, src: &frame::Video) -> bool {
    // SAFETY: both are valid frames, `dst` borrowed mutably and `src` shared; av_frame_ref
    // leaves `src` as it was, and `dst` releases its reference when dropped.
    unsafe { sys::av_frame_ref(dst.as_mut_ptr(), src.as_ptr()) >= 0 }
}

/// A decoded picture's damage: its `decode_error_flags` and its `flags` (`AV_FRAME_FLAG_*`).
pub fn frame_damage(f: &frame::Video) -> (i32, i32) {
    // SAFETY: the frame is valid for as long as it is borrowed; these are plain fields.
    unsafe {
        let raw = &*f.as_ptr();
        (raw.decode_error_flags, raw.flags)
    }
}

/// `AV_FRAME_FLAG_INTERLACED` and `AV_FRAME_FLAG_TOP_FIELD_FIRST` of FFmpeg 6.1 and later,
/// which 5.1's headers do not name; on 5.1 those bits of `flags` are never set.
const FLAG_INTERLACED: i32 = 1 << 3;
const FLAG_TOP_FIELD_FIRST: i32 = 1 << 4;

/// How a decoded picture was coded: as two interlaced fields, and whether the top field comes
/// first. FFmpeg 5.1 says so in `interlaced_frame`/`top_field_first`; 6.1 and later in `flags`
/// and, until those fields are removed, in both.
pub fn frame_interlacing(f: &frame::Video) -> (bool, bool) {
    // SAFETY: the frame is valid for as long as it is borrowed; these are plain fields.
    unsafe {
        let raw = &*f.as_ptr();
        let interlaced = raw.interlaced_frame != 0 || raw.flags & FLAG_INTERLACED != 0;
        let tff = raw.top_field_first != 0 || raw.flags & FLAG_TOP_FIELD_FIRST != 0;
        (interlaced, tff)
    }
}

/// A display matrix: a clockwise turn of `angle` degrees (as av_display_rotation_set takes
/// it), then the flips.
pub fn orientation_matrix(angle: f64, hflip: bool, vflip: bool) -> [i32; 9] {
    let mut matrix = [0i32; 9];
    // SAFETY: both functions write exactly nine i32 values, which the array holds.
    unsafe {
        sys::av_display_rotation_set(matrix.as_mut_ptr(), angle);
        sys::av_display_matrix_flip(matrix.as_mut_ptr(), i32::from(hflip), i32::from(vflip));
    }
    matrix
}

/// The channel layout of decoded sound.
pub fn channel_layout(f: &frame::Audio) -> &sys::AVChannelLayout {
    // SAFETY: the frame is valid for as long as it is borrowed, and its layout is a field of it
    // (filled by the decoder), so the reference is tied to that borrow.
    unsafe { &(*f.as_ptr()).ch_layout }
}

/// A layout of `channels` channels that says nothing of where they are.
pub fn unspecified_layout(channels: i32) -> sys::AVChannelLayout {
    sys::AVChannelLayout {
        order: sys::AVChannelOrder::AV_CHANNEL_ORDER_UNSPEC,
        nb_channels: channels,
        u: sys::AVChannelLayout__bindgen_ty_1 { mask: 0 },
        opaque: std::ptr::null_mut(),
    }
}

/// FFmpeg's default layout for `channels` channels (stereo for 2, 5.1 for 6 …).
pub fn default_layout(channels: i32) -> sys::AVChannelLayout {
    let mut layout = unspecified_layout(0);
    // SAFETY: av_channel_layout_default only writes the plain struct it is given (a native
    // layout, which holds no allocation, so nothing needs freeing).
    unsafe { sys::av_channel_layout_default(&mut layout, channels) };
    layout
}

/// The channel at position `i` of a layout (`AV_CHAN_NONE` past its end), as a number.
pub fn layout_channel(layout: &sys::AVChannelLayout, i: u32) -> i32 {
    // SAFETY: the layout is a valid struct borrowed for the call; FFmpeg checks `i` against its
    // channel count.
    unsafe { sys::av_channel_layout_channel_from_index(layout, i) as i32 }
}

/// FFmpeg's description of a layout ("5.1(side)", "stereo", "2 channels").
pub fn describe_layout(layout: &sys::AVChannelLayout) -> Option<String> {
    let mut buf = [0 as c_char; 128];
    // SAFETY: the layout is valid; av_channel_layout_describe writes at most `buf.len()` bytes,
    // NUL-terminated, into the buffer.
    let n = unsafe { sys::av_channel_layout_describe(layout, buf.as_mut_ptr(), buf.len()) };
    if n <= 0 {
        return None;
    }
    // SAFETY: on success the buffer holds a NUL-terminated string (it was zeroed, and
    // av_channel_layout_describe always terminates what it writes).
    unsafe { super::owned_string(buf.as_ptr()) }
}

/// The pixel format a stream's `format` field names, if this FFmpeg knows it. The field is a
/// plain integer; turning an unknown value into the Rust enum would be undefined behaviour,
/// so it is looked up among the formats FFmpeg describes instead.
pub fn pixel_format(format: i32) -> Option<sys::AVPixelFormat> {
    if format < 0 {
        return None;
    }
    let mut desc: *const sys::AVPixFmtDescriptor = std::ptr::null();
    loop {
        // SAFETY: av_pix_fmt_desc_next walks FFmpeg's static table of descriptors, starting
        // from NULL and ending with NULL.
        desc = unsafe { sys::av_pix_fmt_desc_next(desc) };
        if desc.is_null() {
            return None;
        }
        // SAFETY: `desc` is a non-null entry of that table, and av_pix_fmt_desc_get_id
        // returns the enum value it describes: a valid AVPixelFormat by construction.
        let fmt = unsafe { sys::av_pix_fmt_desc_get_id(desc) };
        if fmt as i32 == format {
            return Some(fmt);
        }
    }
}

/// FFmpeg's name of a pixel format ("yuv420p10le").
pub fn pixel_format_name(fmt: sys::AVPixelFormat) -> Option<String> {
    // SAFETY: `fmt` is a valid pixel format (the enum only holds those); the name is a static
    // string or NULL.
    unsafe { super::owned_string(sys::av_get_pix_fmt_name(fmt)) }
}

/// The bit depth of a pixel format's first component.
pub fn pixel_format_depth(fmt: sys::AVPixelFormat) -> Option<u32> {
    // SAFETY: av_pix_fmt_desc_get accepts any pixel format and returns a static descriptor, or
    // NULL for an unknown one.
    let desc = unsafe { sys::av_pix_fmt_desc_get(fmt).as_ref() }?;
    u32::try_from(desc.comp[0].depth).ok()
}

/// The names of a picture's colour space, transfer and primaries (FFmpeg's, "unknown"
/// included); `None` for values FFmpeg has no name for.
pub fn color_names(par: &sys::AVCodecParameters) -> [Option<String>; 3] {
    // SAFETY: each name function takes any value and returns a static string, or NULL for one
    // it does not know.
    unsafe {
        [
            super::owned_string(sys::av_color_space_name(par.color_space)),
            super::owned_string(sys::av_color_transfer_name(par.color_trc)),
            super::owned_string(sys::av_color_primaries_name(par.color_primaries)),
        ]
    }
}

/// The rotation of a display matrix, in degrees counter-clockwise (NaN for a matrix that is
/// no rotation).
pub fn display_rotation(matrix: &[i32; 9]) -> f64 {
    // SAFETY: av_display_rotation_get reads exactly nine i32 values, which the array holds.
    unsafe { sys::av_display_rotation_get(matrix.as_ptr()) }
}

/// Codec parameters with every field zero (null pointers, `AV_CODEC_ID_NONE`) but the codec:
/// what a unit test of the bitstream readers needs.
#[cfg(test)]
pub fn test_parameters(id: sys::AVCodecID) -> sys::AVCodecParameters {
    // SAFETY: AVCodecParameters is a plain C struct for which all zeroes is a valid value
    // (null pointers, zero numbers, enum values whose zero is a variant); nothing owns or
    // frees the copy returned.
    let mut par: sys::AVCodecParameters = unsafe { std::mem::zeroed() };
    par.codec_id = id;
    par
}

/// How one coded picture is coded: a whole frame, or one field of a frame whose other field
/// is the next picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coded {
    Frame,
    Field,
    Unknown,
}

/// FFmpeg's parser of one codec, run over whole packets to read their picture headers (the
/// demuxer's own parser is internal to it).
pub struct Parser {
    parser: *mut sys::AVCodecParserContext,
    context: *mut sys::AVCodecContext,
}

impl Parser {
    /// A parser for `id`, or `None` when FFmpeg has none for it.
    pub fn new(id: sys::AVCodecID) -> Option<Parser> {
        // SAFETY: av_parser_init takes any codec id (as an int) and returns NULL when no parser
        // handles it.
        let parser = unsafe { sys::av_parser_init(id as i32) };
        if parser.is_null() {
            return None;
        }
        // SAFETY: a NULL codec gives a context with defaults, which parsers accept.
        let context = unsafe { sys::avcodec_alloc_context3(std::ptr::null()) };
        if context.is_null() {
            // SAFETY: `parser` came from av_parser_init and is closed once.
            unsafe { sys::av_parser_close(parser) };
            return None;
        }
        // SAFETY: `parser` is valid; every packet handed to it is one whole picture.
        unsafe { (*parser).flags |= sys::PARSER_FLAG_COMPLETE_FRAMES };
        Some(Parser { parser, context })
    }

    /// How the picture in one whole packet is coded, as its headers say.
    pub fn coded(&mut self, data: &[u8]) -> Coded {
        let Ok(size) = i32::try_from(data.len()) else {
            return Coded::Unknown;
        };
        if size == 0 {
            return Coded::Unknown;
        }
        let mut out: *mut u8 = std::ptr::null_mut();
        let mut out_size = 0i32;
        // The parser's bit readers may read past the end: a copy padded as FFmpeg asks.
        let padding = sys::AV_INPUT_BUFFER_PADDING_SIZE as usize;
        let mut padded = Vec::with_capacity(data.len() + padding);
        padded.extend_from_slice(data);
        padded.resize(data.len() + padding, 0);
        // SAFETY: both contexts are valid and owned here; `padded` holds `size` bytes of the
        // packet and the zeroed padding FFmpeg requires, and outlives the call (the parser
        // copies what it keeps, and with whole packets hands back a pointer into the input,
        // which is not used).
        unsafe {
            sys::av_parser_parse2(
                self.parser,
                self.context,
                &mut out,
                &mut out_size,
                padded.as_ptr(),
                size,
                sys::AV_NOPTS_VALUE,
                sys::AV_NOPTS_VALUE,
                0,
            );
        }
        // SAFETY: `parser` is valid; the field was set (or left at its default) by the call.
        let structure = unsafe { (*self.parser).picture_structure };
        match structure {
            sys::AVPictureStructure::AV_PICTURE_STRUCTURE_FRAME => Coded::Frame,
            sys::AVPictureStructure::AV_PICTURE_STRUCTURE_TOP_FIELD
            | sys::AVPictureStructure::AV_PICTURE_STRUCTURE_BOTTOM_FIELD => Coded::Field,
            _ => Coded::Unknown,
        }
    }
}

impl Drop for Parser {
    fn drop(&mut self) {
        // SAFETY: both were allocated in `new` and are freed once, here.
        unsafe {
            sys::av_parser_close(self.parser);
            sys::avcodec_free_context(&mut self.context);
        }
    }
}
