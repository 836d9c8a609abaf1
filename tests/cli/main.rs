//! One integration-test binary that runs the real `reelcheck` executable on real media.

mod bad_input;
mod check;
mod credits;
mod probe;
mod rules;
mod samples;
mod support;
