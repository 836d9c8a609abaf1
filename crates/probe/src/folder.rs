//! Folder listings shared by the films of one run. Facts come from files beside a film too
//! (subtitle sidecars, a `.c2pa` manifest), found by listing its folder; listing the folder
//! once per film made a folder of n films cost n² entries read. A listing is kept and read
//! again only when the folder changes (its modification time moves whenever an entry is
//! added, removed or renamed), so a film never misses a sidecar that arrived during the run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The entries of one folder: each name (lossy UTF-8, for matching) with its path.
pub type Entries = Arc<Vec<(String, PathBuf)>>;

#[derive(Debug, Default)]
pub struct Listings {
    folders: Mutex<HashMap<PathBuf, (SystemTime, Entries)>>,
}

impl Listings {
    /// The entries of `dir`, empty when it cannot be listed.
    pub fn of(&self, dir: &Path) -> Entries {
        let Ok(changed) = std::fs::metadata(dir).and_then(|m| m.modified()) else {
            return list(dir);
        };
        if let Ok(folders) = self.folders.lock() {
            if let Some((at, entries)) = folders.get(dir) {
                if *at == changed {
                    return Arc::clone(entries);
                }
            }
        }
        let entries = list(dir);
        if let Ok(mut folders) = self.folders.lock() {
            folders.insert(dir.to_path_buf(), (changed, Arc::clone(&entries)));
        }
        entries
    }
}

fn list(dir: &Path) -> Entries {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Arc::new(Vec::new());
    };
    Arc::new(
        read.flatten()
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .collect(),
    )
}

/// The folder a film is in, `.` for a bare name.
pub fn folder_of(film: &Path) -> &Path {
    match film.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_is_read_again_when_the_folder_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.mp4"), b"x").expect("write");
        let listings = Listings::default();
        let names = |l: &Listings| -> Vec<String> {
            let mut n: Vec<String> = l.of(dir.path()).iter().map(|(n, _)| n.clone()).collect();
            n.sort();
            n
        };
        assert_eq!(names(&listings), ["a.mp4"]);
        // Same listing while nothing changes.
        assert!(Arc::ptr_eq(
            &listings.of(dir.path()),
            &listings.of(dir.path())
        ));
        // A file arriving moves the folder's time (set it explicitly: the clock's granularity
        // could otherwise hide a change made within the same tick).
        std::fs::write(dir.path().join("a.en.srt"), b"1").expect("write");
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::open(dir.path())
            .and_then(|f| f.set_modified(later))
            .expect("touch folder");
        assert_eq!(names(&listings), ["a.en.srt", "a.mp4"]);
    }
}
