//! One integration-test binary that runs the real `reelcheck` executable on real media.

#[path = "../../fixtures/media.rs"]
mod media;

mod audio;
mod bad_input;
mod black;
mod camera_originals;
mod check;
mod contract;
mod credits;
mod credits_detector;
mod credits_real;
mod docs;
mod facts_record;
mod festival;
mod field_pictures;
mod frame_rate;
mod fuzz_regressions;
mod hdr;
mod hostile;
mod install;
mod isolation;
mod maker;
mod manifest;
mod one_decode;
mod open_once;
mod pages;
mod probe;
mod provenance;
mod provenance_c2pa;
mod provenance_formats;
mod provenance_xmp;
mod quick;
mod readers;
mod real_media;
mod reports;
mod rules;
mod samples;
mod schema;
mod shard;
mod similar;
mod subtitles;
mod support;
mod truncation;
mod video_qc;
mod watch;
