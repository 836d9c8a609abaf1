//! One integration-test binary that runs the real `reelcheck` executable on real media.

mod bad_input;
mod check;
mod hostile;
mod isolation;
mod probe;
mod provenance;
mod rules;
mod samples;
mod subtitles;
mod support;
