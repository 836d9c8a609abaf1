//! Files for the engine's tests: bytes that stand for films (the fake prober never reads them),
//! each version with a modification time of its own, so that no two versions share a stamp
//! however fast a test runs.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Writes `bytes` to `path`, modified `at` seconds after a fixed moment.
pub fn write_at(path: &Path, bytes: &[u8], at: u64) {
    std::fs::write(path, bytes).expect("write a test file");
    let f = std::fs::File::options()
        .append(true)
        .open(path)
        .expect("open a test file");
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + at))
        .expect("set a modification time");
}

/// Films named `names` in `dir`, in that order.
pub fn films(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|n| {
            let path = dir.join(n);
            write_at(&path, n.as_bytes(), 1);
            path
        })
        .collect()
}
