//! One integration-test binary that runs the real `reelcheck` executable on real media.

mod probe;
mod provenance;
mod subtitles;
mod support;
use crate::support::*;
