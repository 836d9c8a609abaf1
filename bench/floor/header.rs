//! The floor for header facts: open each file with FFmpeg, read its stream info, and nothing
//! else. `make bench` times reelcheck's header check against this program over the same files,
//! with the same number of threads, so the ratio shows what reelcheck adds to FFmpeg's own work.
//!
//! Usage: floor_header [--jobs N] FILE_OR_DIR...

use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut to_end = false;
    let mut files = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--to-end" {
            to_end = true;
            continue;
        }
        if arg == "--jobs" {
            jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(jobs);
            continue;
        }
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(&path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(path);
        }
    }
    ffmpeg_next::init().ok();
    ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Quiet);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("floor_header: {e}");
            std::process::exit(2);
        }
    };
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
        let n = ffi::avformat_index_get_entries_count(stream);
        let ts = if n > 0 {
            (*ffi::avformat_index_get_entry(stream, n - 1)).timestamp
        } else {
            0
        };
        ffi::av_seek_frame(
            ctx,
            index as i32,
            ts,
            ffi::AVSEEK_FLAG_BACKWARD | ffi::AVSEEK_FLAG_ANY,
        );
    }
    for (s, p) in input.packets() {
        let _ = (s.index(), p.pts());
    }
}
