//! The FFmpeg plumbing every pass over a file shares: reading packets without leaking,
//! skipping the streams a pass does not need, going back to the start, and reading tags.

use anyhow::{anyhow, Result};
use ffmpeg::format::context::Input;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use std::path::Path;

pub use crate::ffi::init_ffmpeg;

/// The FFmpeg libraries reelcheck runs with, as they report themselves at run time (a shared
/// FFmpeg can differ from the headers reelcheck was built against), e.g.
/// "libavformat 59.27.100, libavcodec 59.37.100, libavutil 57.28.100".
pub fn library_versions() -> String {
    let v = |n: u32| format!("{}.{}.{}", n >> 16, (n >> 8) & 0xff, n & 0xff);
    format!(
        "libavformat {}, libavcodec {}, libavutil {}, libswscale {}, libswresample {}",
        v(ffmpeg::format::version()),
        v(ffmpeg::codec::version()),
        v(ffmpeg::util::version()),
        v(ffmpeg::software::scaling::version()),
        v(ffmpeg::software::resampling::version()),
    )
}

/// Makes the demuxer skip every stream but those `keep` names, so a pass over the file reads
/// only the packets it needs.
pub fn discard_streams_except(input: &mut Input, keep: impl Fn(usize) -> bool) {
    crate::ffi::format::set_discards(input, |i, was| {
        if keep(i) {
            was
        } else {
            sys::AVDiscard::AVDISCARD_ALL
        }
    });
}

/// What the demuxer was told to do with each stream, to put back when one pass over a file
/// hands it on to the next.
pub struct Discards(Vec<sys::AVDiscard>);

impl Discards {
    pub fn of(input: &Input) -> Discards {
        Discards(crate::ffi::format::discards(input))
    }

    pub fn restore(&self, input: &mut Input) {
        crate::ffi::format::set_discards(input, |i, was| self.0.get(i).copied().unwrap_or(was));
    }
}

/// Reads the next packet into `packet`, releasing what it held first: av_read_frame (and so
/// ffmpeg-next's `Packet::read`) expects a blank packet and would leak the previous data.
pub fn read_packet(packet: &mut ffmpeg::Packet, input: &mut Input) -> Result<(), ffmpeg::Error> {
    crate::ffi::format::unref_packet(packet);
    packet.read(input)
}

/// The name FFmpeg is given with a file's bytes: its bytes on Unix, where a name may be any
/// bytes (ffmpeg-next's own `format::input` panics on a name that is not UTF-8); UTF-8
/// elsewhere, as FFmpeg expects on Windows. FFmpeg's format probe weighs its extension, and
/// demuxers that refer to other files resolve them from it.
pub(crate) fn c_path(path: &Path) -> Result<std::ffi::CString, ffmpeg::Error> {
    let bytes =
        reelcheck_facts::paths::c_name_bytes(path.as_os_str()).ok_or(ffmpeg::Error::InvalidData)?;
    std::ffi::CString::new(bytes).map_err(|_| ffmpeg::Error::InvalidData)
}

pub(crate) fn reason(e: ffmpeg::Error) -> anyhow::Error {
    match e {
        ffmpeg::Error::InvalidData => anyhow!("not a media file FFmpeg can read (invalid data)"),
        ffmpeg::Error::Eof => anyhow!("file ends before its header is complete (truncated?)"),
        other => anyhow!("FFmpeg could not open the file: {other}"),
    }
}

/// The entries of an FFmpeg dictionary (tags, chapter metadata), read as bytes and converted
/// lossily. Files carry tags in any encoding (a Latin-1 title in an AVI, a flipped byte in a
/// Matroska tag); ffmpeg-next's own iterator assumes UTF-8 without checking, which would put
/// invalid UTF-8 into a `String` and from there into a worker's answer.
pub fn entries(dict: ffmpeg::DictionaryRef<'_>) -> Vec<(String, String)> {
    crate::ffi::format::dictionary_entries(dict)
}

/// One entry of an FFmpeg dictionary by key (case-insensitive, as FFmpeg matches), lossily.
pub fn entry(dict: ffmpeg::DictionaryRef<'_>, key: &str) -> Option<String> {
    entries(dict)
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// Moves an open file back to its first packet, for a pass that reads packets (not decoded
/// sound, whose priming a seek would shift) from the start after one that sought elsewhere.
/// False when the demuxer can seek neither by time nor by byte.
pub fn rewind(input: &mut Input) -> bool {
    crate::ffi::format::seek_file(input, -1, i64::MIN, i64::MIN, i64::MAX, 0)
        || crate::ffi::format::seek_frame(input, -1, 0, sys::AVSEEK_FLAG_BYTE)
}
