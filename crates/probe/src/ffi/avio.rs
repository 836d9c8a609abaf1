//! A demuxer over a file the probe already holds open: FFmpeg reads through an I/O context
//! whose callbacks read the `Source`'s handle, instead of opening the path itself.
//!
//! The I/O context is ffmpeg-next's `StreamIo`: its buffer, the boxed reader and the context
//! are freed together by the `Input` that owns them, after the demuxer is closed (FFmpeg leaves
//! a caller's I/O context alone when it closes a demuxer, and may have replaced the buffer by
//! then, which `StreamIo` frees where it stands). Its read callback returns `AVERROR_EOF` at
//! the end, retries an interrupted read, and never hands FFmpeg's (possibly uninitialised)
//! buffer to Rust code; its seek callback answers `AVSEEK_SIZE` and ignores `AVSEEK_FORCE`.

use ffmpeg::format::context::{Input, StreamIo};
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use std::ffi::CStr;
use std::io::{Read, Seek};

/// The buffer FFmpeg reads the file through: libavformat's own default (`IO_BUFFER_SIZE`),
/// which its file protocol uses too, so the demuxer reads in the same steps as it would from
/// the path.
const BUFFER: usize = 32 << 10;

/// `avformat_open_input` and `avformat_find_stream_info` over `reader`, a view of the file from
/// its first byte. `url` is the file's name as FFmpeg would have been given it: the format
/// probe weighs its extension (as when FFmpeg opens the path), and demuxers that follow
/// references to other files resolve them from it. `options` are the demuxer's (e.g.
/// `export_xmp`).
pub fn open_input<R: Read + Seek + Send + 'static>(
    reader: R,
    url: &CStr,
    options: Option<ffmpeg::Dictionary>,
) -> Result<Input, ffmpeg::Error> {
    super::init_ffmpeg();
    let mut io = StreamIo::from_read_seek_with_capacity(reader, BUFFER)?;
    // SAFETY: avformat_alloc_context returns a fresh context or NULL (checked).
    let mut ctx = unsafe { sys::avformat_alloc_context() };
    if ctx.is_null() {
        return Err(ffmpeg::Error::Other { errno: sys::ENOMEM });
    }
    // SAFETY: `ctx` is the fresh context above and `pb` is set before avformat_open_input, as
    // custom I/O requires; AVFMT_FLAG_CUSTOM_IO tells FFmpeg the I/O context is the caller's,
    // so neither a failed open nor closing the demuxer frees it. `io` outlives this call and,
    // on success, moves into the `Input`, which frees it only after closing the context. The
    // options are disowned into a raw dictionary that avformat_open_input may replace and that
    // is owned again (and freed) right after; `url` is NUL-terminated and outlives the call.
    // On failure avformat_open_input frees the context and nulls `ctx`, which is not used again.
    let opened = unsafe {
        (*ctx).pb = io.as_mut_ptr();
        (*ctx).flags |= sys::AVFMT_FLAG_CUSTOM_IO;
        let mut opts = options.map_or(std::ptr::null_mut(), |d| d.disown());
        let r = sys::avformat_open_input(&mut ctx, url.as_ptr(), std::ptr::null(), &mut opts);
        if !opts.is_null() {
            drop(ffmpeg::Dictionary::own(opts));
        }
        r
    };
    if opened < 0 {
        return Err(ffmpeg::Error::from(opened));
    }
    // SAFETY: `ctx` was opened above over `io`. On failure it is closed here (which leaves
    // `io` to be freed when it drops, after the context is gone) and never used again; on
    // success the context and `io` are handed to `Input`, which closes the context first and
    // then frees `io` when dropped.
    unsafe {
        let found = sys::avformat_find_stream_info(ctx, std::ptr::null_mut());
        if found < 0 {
            sys::avformat_close_input(&mut ctx);
            return Err(ffmpeg::Error::from(found));
        }
        Ok(Input::wrap_with_custom_io(ctx, io))
    }
}
