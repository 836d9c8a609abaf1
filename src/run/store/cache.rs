//! The facts cache: probed facts stored per file under their reuse key (`key::ReuseKey`: the
//! file and its sidecars as they are on disk, every probe setting, the build), so re-checking
//! after a rule change decodes nothing. The HTML report's pictures are kept beside them for the
//! same reason. Entries are written atomically (a temporary file renamed into place); an entry
//! that does not parse is ignored with a warning and made again.

use super::key::ReuseKey;
use reelcheck_facts::stills::{Grab, Still};
use reelcheck_facts::Facts;
use reelcheck_facts::Stamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The folder of facts entries; a new format of entry gets a new folder, so no build reads an
/// entry it would take for a corrupt one.
const FACTS_DIR: &str = "facts-v2";

#[derive(Serialize, Deserialize)]
struct Entry {
    /// The film, for people looking into the cache.
    path: String,
    key: ReuseKey,
    facts: Facts,
}

#[derive(Serialize, Deserialize)]
struct PictureEntry {
    path: String,
    stamp: Stamp,
    version: String,
    #[serde(default)]
    build: String,
    at: Grab,
    pictures: Vec<Option<Still>>,
}

pub struct Cache {
    dir: PathBuf,
    warned: AtomicBool,
}

impl Cache {
    /// The default folder: the user's cache folder (`$XDG_CACHE_HOME/reelcheck`, usually
    /// `~/.cache/reelcheck`).
    pub fn default_dir() -> Option<PathBuf> {
        dirs::cache_dir().map(|d| d.join("reelcheck"))
    }

    pub fn open(dir: PathBuf) -> Cache {
        Cache {
            dir,
            warned: AtomicBool::new(false),
        }
    }

    /// The cache in `dir`, unless another user could plant entries in it: a folder (or the
    /// folder it would be made in) that anyone may write to without the sticky bit. Then why,
    /// for a warning; the run goes on without a cache.
    pub fn open_checked(dir: PathBuf) -> Result<Cache, String> {
        let mut at = Some(dir.as_path());
        while let Some(d) = at {
            if let Ok(meta) = std::fs::metadata(d) {
                if meta.is_dir() && crate::platform::open_to_others(&meta) {
                    return Err(format!(
                        "the cache folder {} can be written by other users (it is not its \
                         owner's alone, and has no sticky bit), so its entries could be \
                         planted; checking without the cache (give --cache-dir a folder of \
                         your own)",
                        crate::output::one_line(&d.display().to_string())
                    ));
                }
                break;
            }
            at = d.parent();
        }
        Ok(Cache::open(dir))
    }

    fn file_for(&self, key: &ReuseKey) -> PathBuf {
        self.dir
            .join(FACTS_DIR)
            .join(format!("{:016x}.json", key.digest()))
    }

    /// The facts stored under `key`, if they are worth reusing.
    pub fn get(&self, key: &ReuseKey) -> Option<Facts> {
        let e: Entry = self.read(&self.file_for(key))?;
        (e.key == *key && super::worth_keeping(&e.facts)).then_some(e.facts)
    }

    /// Stores facts worth keeping; a cache that cannot be written only costs speed, so failures
    /// are silent after one warning.
    pub fn put(&self, path: &Path, key: &ReuseKey, facts: &Facts) {
        if !super::worth_keeping(facts) {
            return;
        }
        let entry = Entry {
            path: path.display().to_string(),
            key: key.clone(),
            facts: facts.clone(),
        };
        self.write(&self.file_for(key), &entry);
    }

    fn pictures_file(&self, path: &Path, stamp: &Stamp, at: &Grab) -> PathBuf {
        let mut h = identity(path, stamp);
        serde_json::to_vec(at).unwrap_or_default().hash(&mut h);
        self.dir
            .join("pictures-v1")
            .join(format!("{:016x}.json", h.finish()))
    }

    /// The pictures of this version of the file grabbed as `at` asks, if a report made them
    /// before. Pictures come from the film alone: its sidecars and the probe settings are no
    /// part of their key.
    pub fn get_pictures(
        &self,
        path: &Path,
        stamp: &Stamp,
        at: &Grab,
    ) -> Option<Vec<Option<Still>>> {
        let e: PictureEntry = self.read(&self.pictures_file(path, stamp, at))?;
        (e.path == path.display().to_string()
            && e.stamp == *stamp
            && e.version == env!("CARGO_PKG_VERSION")
            && e.build == crate::build_id::fingerprint()
            && e.at == *at)
            .then_some(e.pictures)
    }

    pub fn put_pictures(&self, path: &Path, stamp: &Stamp, at: &Grab, pictures: &[Option<Still>]) {
        let entry = PictureEntry {
            path: path.display().to_string(),
            stamp: stamp.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            build: crate::build_id::fingerprint().to_string(),
            at: at.clone(),
            pictures: pictures.to_vec(),
        };
        self.write(&self.pictures_file(path, stamp, at), &entry);
    }

    fn read<T: DeserializeOwned>(&self, file: &Path) -> Option<T> {
        let bytes = read_entry(file)?;
        match serde_json::from_slice::<T>(&bytes) {
            Ok(e) => Some(e),
            Err(_) => {
                if !self.warned.swap(true, Ordering::SeqCst) {
                    eprintln!("reelcheck: warning: ignoring a corrupt cache entry {} (it will be rebuilt)", file.display());
                }
                None
            }
        }
    }

    fn write<T: Serialize>(&self, file: &Path, entry: &T) {
        let result = serde_json::to_vec(entry)
            .map_err(std::io::Error::other)
            .and_then(|bytes| crate::atomic::write(file, &bytes));
        if let Err(e) = result {
            if !self.warned.swap(true, Ordering::SeqCst) {
                eprintln!(
                    "reelcheck: warning: cannot write the facts cache in {}: {e}",
                    self.dir.display()
                );
            }
        }
    }
}

/// Larger than any entry this program writes (a film's facts, or its report pictures).
const MAX_ENTRY_BYTES: u64 = 64 << 20;

/// An entry's bytes, read only from a regular file of the user's own (not a link, a FIFO or a
/// device, not one another user put there) of at most `MAX_ENTRY_BYTES`: a cache is believed,
/// so only what this user's runs wrote is.
fn read_entry(file: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::symlink_metadata(file).ok()?;
    if !meta.is_file() || !crate::platform::owned_by_me(&meta) || meta.len() > MAX_ENTRY_BYTES {
        return None;
    }
    let mut open = std::fs::File::options();
    open.read(true);
    // Swapped for a FIFO since: opening must not wait for a writer.
    crate::platform::open_without_waiting(&mut open);
    let f = open.open(file).ok()?;
    let now = f.metadata().ok()?;
    if !now.is_file() || !crate::platform::owned_by_me(&now) {
        return None;
    }
    let mut bytes = Vec::new();
    f.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= MAX_ENTRY_BYTES).then_some(bytes)
}

/// A hasher seeded with one version of one file and the build reading it.
fn identity(path: &Path, stamp: &Stamp) -> std::collections::hash_map::DefaultHasher {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    stamp.hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    crate::build_id::fingerprint().hash(&mut h);
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::test_films::write_at;
    use reelcheck_facts::ProbeSettings;
    use reelcheck_probe::Listings;

    fn key(film: &Path, settings: &ProbeSettings) -> ReuseKey {
        ReuseKey::of(film, settings, &Listings::default()).expect("a regular file")
    }

    fn facts(film: &Path, size: u64) -> Facts {
        Facts {
            size_bytes: Some(size),
            ..Facts::for_path(film)
        }
    }

    #[test]
    fn facts_come_back_only_under_the_key_they_were_kept_under() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::open(dir.path().join("cache"));
        let film = dir.path().join("night.mp4");
        write_at(&film, b"a film", 1);
        let settings = ProbeSettings::default();
        let kept = key(&film, &settings);
        assert_eq!(cache.get(&kept), None, "nothing kept yet");
        cache.put(&film, &kept, &facts(&film, 6));
        assert_eq!(cache.get(&kept), Some(facts(&film, 6)));

        // The file changed since.
        write_at(&film, b"a film", 2);
        assert_eq!(cache.get(&key(&film, &settings)), None);
        // Written again with the size and time of the version kept (`rsync -t`, `cp -p`): the
        // inode's change time moved, so it is not taken for that version.
        write_at(&film, b"a film", 1);
        assert_eq!(cache.get(&key(&film, &settings)), None);
        let kept = key(&film, &settings);
        cache.put(&film, &kept, &facts(&film, 6));
        assert_eq!(cache.get(&kept), Some(facts(&film, 6)));
        // Other settings.
        let mut other = settings.clone();
        other.audio.min_silence_s = 0.5;
        assert_eq!(cache.get(&key(&film, &other)), None);
        // A sidecar arrived.
        write_at(&dir.path().join("night.srt"), b"subtitles", 3);
        assert_eq!(cache.get(&key(&film, &settings)), None);
        std::fs::remove_file(dir.path().join("night.srt")).expect("remove");
        // Another build: even an entry that happens to sit where this key's would is refused.
        let mut build = kept.clone();
        build.build = "another-build".into();
        assert_eq!(cache.get(&build), None);
        let entry = Entry {
            path: film.display().to_string(),
            key: build,
            facts: facts(&film, 6),
        };
        cache.write(&cache.file_for(&kept), &entry);
        assert_eq!(cache.get(&kept), None);
    }

    #[test]
    fn failures_that_were_not_the_files_fault_are_not_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::open(dir.path().join("cache"));
        let film = dir.path().join("night.mp4");
        write_at(&film, b"a film", 1);
        let k = key(&film, &ProbeSettings::default());
        for why in [
            "timed out after 600 s",
            "decoder crashed (SIGSEGV)",
            "worker killed (SIGABRT): out of memory (limit 4 GB) or an internal error",
            "not probed: the run was interrupted",
            "could not start a worker process: no such file",
            "internal: the worker's answer was unreadable: EOF",
        ] {
            cache.put(&film, &k, &Facts::failed(&film, why));
            assert_eq!(cache.get(&k), None, "{why}");
        }
        // The file's own fault is worth keeping: reading it again gives the same answer.
        let bad = Facts::failed(&film, "not a media file FFmpeg can read (invalid data)");
        cache.put(&film, &k, &bad);
        assert_eq!(cache.get(&k), Some(bad));
    }

    #[test]
    fn a_corrupt_entry_is_a_miss() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::open(dir.path().join("cache"));
        let film = dir.path().join("night.mp4");
        write_at(&film, b"a film", 1);
        let k = key(&film, &ProbeSettings::default());
        cache.put(&film, &k, &facts(&film, 6));
        std::fs::write(cache.file_for(&k), b"{ not json").expect("corrupt the entry");
        assert_eq!(cache.get(&k), None);
        cache.put(&film, &k, &facts(&film, 6));
        assert_eq!(cache.get(&k), Some(facts(&film, 6)));
    }
}
