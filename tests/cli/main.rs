//! One integration-test binary that runs the real `reelcheck` executable on real media.

mod manifest;
#[allow(unused_imports)] // probe tests are still to come
mod probe;
mod reports;
mod shard;
mod support;
