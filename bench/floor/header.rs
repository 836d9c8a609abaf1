//! The floor for header facts: open each file with FFmpeg, read its stream info, and nothing
//! else. `make bench` times reelcheck's header check against this program over the same files,
//! with the same number of threads, so the ratio shows what reelcheck adds to FFmpeg's own work.
//!
//! Usage: floor_header [--jobs N] [--to-end] FILE_OR_DIR...
//!
//! With `--to-end` it also reads the packets from the main picture's last index entry to the end
//! of the file: the least a check reads to measure how long a film plays.

use rayon::prelude::*;

#[path = "common.rs"]
mod common;

fn main() {
    let common::Args { files, flags, pool } = common::args("floor_header");
    common::no_other_flags("floor_header", &flags, &["to-end"]);
    let to_end = flags.iter().any(|f| f == "to-end");
    // Read what a header check reports (duration, codecs, size, rates), so the floor does the
    // same reading reelcheck must, and print a total so none of it can be optimised away.
    let streams: usize = pool.install(|| {
        files
            .par_iter()
            .map(|path| match ffmpeg_next::format::input(path) {
                Ok(mut input) => {
                    let _ = input.duration();
                    if to_end {
                        read_last_packets(&mut input);
                    }
                    input
                        .streams()
                        .map(|s| {
                            let p = s.parameters();
                            let _ = (p.id(), p.medium(), s.avg_frame_rate(), s.duration());
                            1
                        })
                        .sum()
                }
                Err(_) => 0,
            })
            .sum()
    });
    println!("{} files, {streams} streams", files.len());
}

/// Reads the packets from the main picture stream's last index entry to the end of the file:
/// the least a check must read to measure how long the picture plays rather than trust the
/// header's duration.
fn read_last_packets(input: &mut ffmpeg_next::format::context::Input) {
    use ffmpeg_next::ffi;
    let Some(index) = input
        .streams()
        .best(ffmpeg_next::media::Type::Video)
        .map(|s| s.index())
    else {
        return;
    };
    // SAFETY: the context is open and `index` is one of its streams; index entries are read
    // within the count FFmpeg gives.
    unsafe {
        let ctx = input.as_mut_ptr();
        let stream = *(*ctx).streams.add(index);
        // Matroska loads its cues at the first seek: one to the first entry reads nothing
        // (unless it is the only one: then the reading starts there anyway).
        let n = ffi::avformat_index_get_entries_count(stream);
        if n > 0 {
            let first = (*ffi::avformat_index_get_entry(stream, 0)).timestamp;
            ffi::av_seek_frame(ctx, index as i32, first, ffi::AVSEEK_FLAG_BACKWARD);
        }
        let n = ffi::avformat_index_get_entries_count(stream);
        if n > 1 {
            let ts = (*ffi::avformat_index_get_entry(stream, n - 1)).timestamp;
            let flags = ffi::AVSEEK_FLAG_BACKWARD | ffi::AVSEEK_FLAG_ANY;
            ffi::av_seek_frame(ctx, index as i32, ts, flags);
        }
    }
    for (s, p) in input.packets() {
        let _ = (s.index(), p.pts());
    }
}
