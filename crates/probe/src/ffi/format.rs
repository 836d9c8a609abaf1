//! Demuxer contexts: what ffmpeg-next does not reach (the streams' discard settings, the start
//! time, the demuxer's flags, the index, seeking by timestamp range and by byte), tags read as
//! bytes, and packets read without leaking.

use ffmpeg::format::context::Input;
use ffmpeg::packet::Mut as _;
use ffmpeg::packet::Ref as _;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use std::ffi::CStr;

/// The raw context of an open input, for reading fields ffmpeg-next has no accessor for.
fn context(input: &Input) -> &sys::AVFormatContext {
    // SAFETY: an `Input` holds an open context for as long as it lives, and the reference is
    // tied to the borrow of `input`, so it cannot outlive it.
    unsafe { &*input.as_ptr() }
}

/// The stream pointers of an open context.
fn streams(ctx: &sys::AVFormatContext) -> &[*mut sys::AVStream] {
    if ctx.streams.is_null() {
        return &[];
    }
    // SAFETY: an open context's `streams` array holds `nb_streams` valid stream pointers
    // (FFmpeg's invariant); the slice lives no longer than the borrow of the context.
    unsafe { std::slice::from_raw_parts(ctx.streams, ctx.nb_streams as usize) }
}

/// What the demuxer does with each stream (read, or skip), in stream order.
pub fn discards(input: &Input) -> Vec<sys::AVDiscard> {
    streams(context(input))
        .iter()
        // SAFETY: each pointer is a valid stream of the open context (see `streams`);
        // `discard` is a plain field.
        .map(|&s| unsafe { (*s).discard })
        .collect()
}

/// Sets what the demuxer does with each stream: `choose(index, current setting)`.
pub fn set_discards(input: &mut Input, choose: impl Fn(usize, sys::AVDiscard) -> sys::AVDiscard) {
    // SAFETY: the context is open, so its streams are valid (see `streams`); `discard` is a
    // plain field the demuxer reads before each packet, and `input` is borrowed mutably, so no
    // read is under way meanwhile.
    unsafe {
        let ctx = input.as_mut_ptr();
        for (i, &stream) in streams(&*ctx).iter().enumerate() {
            (*stream).discard = choose(i, (*stream).discard);
        }
    }
}

/// The file's start time in `AV_TIME_BASE` units, or `AV_NOPTS_VALUE`.
pub fn start_time(input: &Input) -> i64 {
    context(input).start_time
}

/// The demuxer's `AVFMT_*` flags (whether its index is generic, whether it seeks by byte).
pub fn demuxer_flags(input: &Input) -> i32 {
    let ctx = context(input);
    if ctx.iformat.is_null() {
        return 0;
    }
    // SAFETY: a non-null `iformat` of an open context is FFmpeg's static description of the
    // demuxer, valid for the life of the context.
    unsafe { (*ctx.iformat).flags }
}

/// The size of the buffer the demuxer's I/O reads at a time (what it reads after a jump,
/// whatever the packet's size); `None` when the context has no I/O of its own.
pub fn io_buffer_size(input: &Input) -> Option<u64> {
    let pb = context(input).pb;
    if pb.is_null() {
        return None;
    }
    // SAFETY: a non-null `pb` is the open context's I/O context, alive as long as the context;
    // `buffer_size` is a plain field.
    u64::try_from(unsafe { (*pb).buffer_size }).ok()
}

/// One index entry of a stream, copied: where a packet lies, its timestamp and flags.
#[derive(Debug, Clone, Copy)]
pub struct IndexEntry {
    pub pos: i64,
    pub timestamp: i64,
    pub size: i32,
    /// `AVINDEX_*` flags (keyframe or not).
    pub flags: i32,
}

/// The stream pointer of stream `index`, if the context has it.
fn stream(input: &Input, index: usize) -> Option<*mut sys::AVStream> {
    streams(context(input)).get(index).copied()
}

/// How many entries the demuxer's index holds for stream `index` (0 for no such stream).
pub fn index_len(input: &Input, index: usize) -> usize {
    let Some(st) = stream(input, index) else {
        return 0;
    };
    // SAFETY: `st` is a valid stream of the open context; the call only reads its index.
    let n = unsafe { sys::avformat_index_get_entries_count(st) };
    usize::try_from(n).unwrap_or(0)
}

/// Entry `i` of stream `index`'s index, copied; `None` past the end.
pub fn index_entry(input: &Input, index: usize, i: usize) -> Option<IndexEntry> {
    let st = stream(input, index)?;
    let i = i32::try_from(i).ok()?;
    // SAFETY: `st` is a valid stream of the open context; avformat_index_get_entry returns
    // NULL for an index out of range, and otherwise an entry that stays valid until the next
    // call on the context: it is copied here at once, while `input` is borrowed.
    unsafe {
        let entry = sys::avformat_index_get_entry(st, i).as_ref()?;
        Some(IndexEntry {
            pos: entry.pos,
            timestamp: entry.timestamp,
            size: entry.size(),
            flags: entry.flags(),
        })
    }
}

/// `av_seek_frame`: to timestamp `ts` of stream `index` (-1: the default stream, in
/// `AV_TIME_BASE` units; with `AVSEEK_FLAG_BYTE`, a byte position). Whether it succeeded.
pub fn seek_frame(input: &mut Input, index: i32, ts: i64, flags: i32) -> bool {
    // SAFETY: the context is open and borrowed mutably; FFmpeg checks the stream index and
    // seeking only moves its read position.
    unsafe { sys::av_seek_frame(input.as_mut_ptr(), index, ts, flags) >= 0 }
}

/// `avformat_seek_file`: to a timestamp of stream `index` within `min..=max`, as near `ts` as
/// may be. Whether it succeeded.
pub fn seek_file(input: &mut Input, index: i32, min: i64, ts: i64, max: i64, flags: i32) -> bool {
    // SAFETY: as in `seek_frame`.
    unsafe { sys::avformat_seek_file(input.as_mut_ptr(), index, min, ts, max, flags) >= 0 }
}

/// Releases what `packet` holds and leaves it blank and reusable, as av_read_frame (and so
/// ffmpeg-next's `Packet::read`) expects: given a packet that still holds data it would leak it.
pub fn unref_packet(packet: &mut ffmpeg::Packet) {
    // SAFETY: the packet is a valid, owned AVPacket; unref frees what it holds.
    unsafe { sys::av_packet_unref(packet.as_mut_ptr()) };
}

/// A packet's `AV_PKT_FLAG_*` flags, all of them (ffmpeg-next's `flags()` knows only two).
pub fn packet_flags(packet: &ffmpeg::Packet) -> i32 {
    // SAFETY: the packet is a valid AVPacket for as long as it is borrowed; `flags` is a plain
    // field.
    unsafe { (*packet.as_ptr()).flags }
}

/// The entries of an FFmpeg dictionary (tags, chapter metadata), as bytes converted lossily.
/// ffmpeg-next's own iterator assumes UTF-8 without checking.
pub fn dictionary_entries(dict: ffmpeg::DictionaryRef<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut entry: *const sys::AVDictionaryEntry = std::ptr::null();
    loop {
        // SAFETY: `dict` borrows a dictionary owned by an open context (or is null, which
        // av_dict_get accepts); `entry` is null or the entry it returned last time, as the
        // iteration protocol requires; the empty key with IGNORE_SUFFIX matches every entry.
        entry = unsafe {
            sys::av_dict_get(
                dict.as_ptr(),
                c"".as_ptr(),
                entry,
                sys::AV_DICT_IGNORE_SUFFIX,
            )
        };
        if entry.is_null() {
            return out;
        }
        // SAFETY: a non-null entry has NUL-terminated key and value strings that live as long
        // as the dictionary; they are copied here before the next call.
        let (key, value) =
            unsafe { (CStr::from_ptr((*entry).key), CStr::from_ptr((*entry).value)) };
        out.push((
            key.to_string_lossy().into_owned(),
            value.to_string_lossy().into_owned(),
        ));
    }
}

/// Whether FFmpeg worked the streams' lengths out itself, from the timestamps near the end of
/// the file or from the bit rate, rather than reading them from the header.
pub fn lengths_estimated(input: &Input) -> bool {
    !matches!(
        context(input).duration_estimation_method,
        sys::AVDurationEstimationMethod::AVFMT_DURATION_FROM_STREAM
    )
}
