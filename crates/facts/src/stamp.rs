//! What identifies one version of a file on disk, so that facts measured from it are reused
//! only while it is unchanged.
//!
//! Size and modification time alone are not enough: `rsync -t`, `cp -p`, `exiftool -P` or a
//! rename over the file give another film the same size and time. The stamp also holds which
//! file it is (device and inode on Unix) and when its inode last changed (ctime), which no
//! user-space tool can set back: writing, renaming over or copying into a file moves it. A
//! cheap sample of the content is added where facts are reused (the reuse key), not here, so
//! that a stamp stays a matter of metadata.

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i128,
    /// When the file's inode last changed (Unix); 0 where the system has no such time.
    #[serde(default)]
    pub ctime_ns: i128,
    /// The device and inode (Unix) that make this file this file; 0 elsewhere.
    #[serde(default)]
    pub device: u64,
    #[serde(default)]
    pub inode: u64,
}

impl Stamp {
    /// The stamp of the regular file at `path` (links followed); `None` for anything else.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Stamp::from_metadata(&meta)
    }

    /// The stamp of a regular file whose metadata the caller already read.
    pub fn from_metadata(meta: &std::fs::Metadata) -> Option<Stamp> {
        if !meta.is_file() {
            return None;
        }
        let mtime = meta.modified().ok()?;
        let ns = match mtime.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        let mut stamp = Stamp {
            size: meta.len(),
            mtime_ns: ns,
            ..Default::default()
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            stamp.ctime_ns =
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
            stamp.device = meta.dev();
            stamp.inode = meta.ino();
        }
        Some(stamp)
    }

    /// Whether two stamps are of the same file on disk (Unix: device and inode), whatever its
    /// contents; always true where the system gives no identity.
    pub fn same_file(&self, other: &Stamp) -> bool {
        (self.device, self.inode) == (other.device, other.inode)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn a_file_replaced_with_the_same_size_and_time_has_another_stamp() {
        let dir = std::env::temp_dir().join(format!("stamp-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let film = dir.join("film.mp4");
        let other = dir.join("other.mp4");
        std::fs::write(&film, b"first cut").unwrap();
        std::fs::write(&other, b"other cut").unwrap();
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for p in [&film, &other] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
        let before = Stamp::of(&film).unwrap();
        // Same size, same modification time, renamed over the film (as `mv` or rsync do).
        std::fs::rename(&other, &film).unwrap();
        let after = Stamp::of(&film).unwrap();
        assert_eq!((before.size, before.mtime_ns), (after.size, after.mtime_ns));
        assert_ne!(before, after);
        assert!(!before.same_file(&after));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
