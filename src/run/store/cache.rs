//! The facts cache: probed facts stored per file, keyed by path, size, modification time,
//! the build of reelcheck that measured them and every probe setting (`ProbeSettings`), so
//! re-checking after a rule change decodes nothing. The HTML report's pictures are kept beside them for the same reason. Entries are
//! written atomically (a temporary file renamed into place); an entry that does not parse is
//! ignored with a warning and made again.

use reelcheck_facts::Facts;
use reelcheck_facts::Stamp;
use reelcheck_probe::frames::{Grab, Still};
use reelcheck_probe::ProbeSettings;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Serialize, Deserialize)]
struct Entry {
    path: String,
    stamp: Stamp,
    version: String,
    /// The build that measured the facts (`build_id`).
    #[serde(default)]
    build: String,
    analyzers: Vec<String>,
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
    /// Folder listings, for the files beside each film that its facts depend on.
    listings: reelcheck_probe::Listings,
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
            listings: reelcheck_probe::Listings::default(),
        }
    }

    /// The entry of this version of the file, probed with `config` by this build: a hash of
    /// the file's identity, the probe settings and the build, so a rebuilt reelcheck (or a
    /// changed setting) measures afresh.
    fn file_for(&self, path: &Path, stamp: &Stamp, config: &ProbeSettings) -> PathBuf {
        let mut h = identity(path, stamp);
        config.fingerprint().hash(&mut h);
        // Facts also come from files beside the film (subtitle and C2PA sidecars): a change to
        // any of them is a new version of the facts.
        for companion in reelcheck_probe::companions(path, &self.listings) {
            companion.hash(&mut h);
            if let Some(s) = Stamp::of(&companion) {
                s.size.hash(&mut h);
                s.mtime_ns.hash(&mut h);
            }
        }
        self.dir
            .join("facts-v1")
            .join(format!("{:016x}.json", h.finish()))
    }

    pub fn get(&self, path: &Path, stamp: &Stamp, config: &ProbeSettings) -> Option<Facts> {
        let e: Entry = self.read(&self.file_for(path, stamp, config))?;
        (e.path == path.display().to_string()
            && e.stamp == *stamp
            && e.version == env!("CARGO_PKG_VERSION")
            && e.build == crate::build_id::fingerprint()
            && e.analyzers == config.needs.names())
        .then_some(e.facts)
    }

    /// Stores facts; a cache that cannot be written only costs speed, so failures are silent
    /// after one warning.
    pub fn put(&self, path: &Path, stamp: &Stamp, config: &ProbeSettings, facts: &Facts) {
        let entry = Entry {
            path: path.display().to_string(),
            stamp: stamp.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            build: crate::build_id::fingerprint().to_string(),
            analyzers: config.needs.names(),
            facts: facts.clone(),
        };
        self.write(&self.file_for(path, stamp, config), &entry);
    }

    fn pictures_file(&self, path: &Path, stamp: &Stamp, at: &Grab) -> PathBuf {
        let mut h = identity(path, stamp);
        serde_json::to_vec(at).unwrap_or_default().hash(&mut h);
        self.dir
            .join("pictures-v1")
            .join(format!("{:016x}.json", h.finish()))
    }

    /// The pictures of this version of the file grabbed as `at` asks, if a report made them
    /// before.
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
        let bytes = std::fs::read(file).ok()?;
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

/// A hasher seeded with one version of one file and the build reading it.
fn identity(path: &Path, stamp: &Stamp) -> std::collections::hash_map::DefaultHasher {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    stamp.size.hash(&mut h);
    stamp.mtime_ns.hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    crate::build_id::fingerprint().hash(&mut h);
    h
}
