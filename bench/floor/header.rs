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
    let mut files = Vec::new();
    while let Some(arg) = args.next() {
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
                Ok(input) => {
                    let _ = input.duration();
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
