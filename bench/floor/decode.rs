//! The floor for the full check of short films: decode every picture of each film's main
//! picture stream with FFmpeg, one thread per film and as many films at once as there are
//! cores, and nothing else. A film whose pictures all hang off one keyframe can only be known to
//! its last picture (black padding, the end of the credits) by decoding all of them, so no check
//! that measures the end of such films to the frame can be faster than this (deblocking is
//! skipped here, as reelcheck's analyzers skip it).
//!
//! Usage: floor_decode [--jobs N] FILE_OR_DIR...

use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
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
            eprintln!("floor_decode: {e}");
            std::process::exit(2);
        }
    };
    let frames: usize = pool.install(|| files.par_iter().map(decode).sum());
    println!("{} files, {frames} pictures", files.len());
}

/// Pictures decoded from the file's main picture stream; 0 when it has none or cannot be read.
fn decode(path: &PathBuf) -> usize {
    let Ok(mut input) = ffmpeg_next::format::input(path) else {
        return 0;
    };
    let Some(stream) = input.streams().best(ffmpeg_next::media::Type::Video) else {
        return 0;
    };
    let index = stream.index();
    let Ok(mut context) =
        ffmpeg_next::codec::context::Context::from_parameters(stream.parameters())
    else {
        return 0;
    };
    context.set_threading(ffmpeg_next::threading::Config {
        count: 1,
        ..Default::default()
    });
    let Ok(mut decoder) = context.decoder().video() else {
        return 0;
    };
    // As reelcheck's analyzers decode: they look at small grey pictures, where deblocking
    // changes nothing, so the floor skips it too.
    decoder.skip_loop_filter(ffmpeg_next::Discard::All);
    let mut frame = ffmpeg_next::frame::Video::empty();
    let mut count = 0;
    for (s, packet) in input.packets() {
        if s.index() != index {
            continue;
        }
        if decoder.send_packet(&packet).is_err() {
            continue;
        }
        while decoder.receive_frame(&mut frame).is_ok() {
            count += 1;
        }
    }
    if decoder.send_eof().is_ok() {
        while decoder.receive_frame(&mut frame).is_ok() {
            count += 1;
        }
    }
    count
}
