//! The floor for the full check of short films: decode every picture of each film's main
//! picture stream with FFmpeg, one thread per film and as many films at once as there are
//! cores, and nothing else. A film whose pictures all hang off one keyframe can only be known to
//! its last picture (black padding, the end of the credits) by decoding all of them, so no check
//! that measures the end of such films to the frame can be faster than this (deblocking is
//! skipped here, which reelcheck's own decodes do not skip: a floor below them).
//!
//! Usage: floor_decode [--jobs N] FILE_OR_DIR...

use rayon::prelude::*;
use std::path::PathBuf;

#[path = "common.rs"]
mod common;

fn main() {
    let common::Args { files, flags, pool } = common::args("floor_decode");
    common::no_other_flags("floor_decode", &flags, &[]);
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
    // Below what reelcheck's decodes cost: they make the picture as it is shown, deblocked,
    // so that every analyzer reads the same pictures; the floor skips that work.
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
