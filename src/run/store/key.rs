//! The reuse key: everything a file's facts depend on, worked out once per file in a run and
//! stored beside the facts in the cache and in the journal. Facts are reused only under an
//! equal key, so the cache and `--resume` agree on when facts are still the file's.
//!
//! What the facts depend on: the film itself (its exact path, size and modification time), the
//! files beside it whose contents become facts (subtitle and C2PA sidecars, with theirs), every
//! probe setting (the analyzers that ran, and a fingerprint of the rest: thresholds, software
//! list, trust anchors), and the build that measured them.
//!
//! The cache takes facts only under an equal key. The journal also takes facts measured by more
//! analyzers than a run needs (`ReuseKey::serves`): a full run's journal serves a `--quick`
//! resume, whose rules find every fact they name.

use reelcheck_facts::{paths, ProbeSettings, Stamp};
use reelcheck_probe::Listings;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReuseKey {
    pub file: FileVersion,
    /// The analyzers that ran (names as `--with` spells them).
    pub analyzers: Vec<String>,
    /// The fingerprint of every other probe setting, in hex.
    pub settings: String,
    /// reelcheck's version.
    pub version: String,
    /// The build that measured the facts (`build_id`): a rebuilt reelcheck measures afresh.
    pub build: String,
}

/// One version of a film on disk, with the files beside it that its facts are read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileVersion {
    /// The path's exact bytes in hex: a name need not be UTF-8, and two names that differ only
    /// in bytes that are not must not share facts.
    pub path_hex: String,
    pub stamp: Stamp,
    /// A digest of the film's first and last blocks: a file rewritten in place with its size
    /// and times put back (`touch -r`, then a change of the inode's time the system would still
    /// show) is caught by the stamp; this catches what the stamp cannot see on systems that give
    /// no inode times. `None` when the file could not be read.
    #[serde(default)]
    pub sample: Option<String>,
    /// The sidecars, in the order the probe finds them.
    pub companions: Vec<Companion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Companion {
    pub path_hex: String,
    /// `None` when it cannot be read as a regular file.
    pub stamp: Option<Stamp>,
}

impl FileVersion {
    /// The version of `path` on disk now; `None` when it is not a regular file (it is then
    /// always read afresh). `listings` holds the run's folder listings.
    pub fn of(path: &Path, listings: &Listings) -> Option<FileVersion> {
        FileVersion::read(path, listings, true)
    }

    /// The version of `path` on disk now, with the sample of its content only when `sampled`
    /// (it costs two reads, worth it only where facts may be reused).
    pub fn read(path: &Path, listings: &Listings, sampled: bool) -> Option<FileVersion> {
        let stamp = Stamp::of(path)?;
        let companions = reelcheck_probe::companions(path, listings)
            .iter()
            .map(|c| Companion {
                path_hex: paths::to_hex(c),
                stamp: Stamp::of(c),
            })
            .collect();
        Some(FileVersion {
            path_hex: paths::to_hex(path),
            sample: if sampled { sample(path, &stamp) } else { None },
            stamp,
            companions,
        })
    }

    /// The film's path.
    pub fn path(&self) -> Option<PathBuf> {
        paths::from_hex(&self.path_hex)
    }
}

/// How much of each end of a film goes into its sample: the container's header (and an MP4's
/// index when it is at the front) and the last packets, where a re-export differs first.
const SAMPLE_BYTES: u64 = 64 << 10;

/// A digest of the first and last `SAMPLE_BYTES` of the regular file `stamp` was taken of;
/// `None` when it cannot be read, or is no longer that file.
fn sample(path: &Path, stamp: &Stamp) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut open = std::fs::File::options();
    open.read(true);
    // A film swapped for a FIFO since its stamp was taken must not stop the run.
    crate::platform::open_without_waiting(&mut open);
    let mut file = open.open(path).ok()?;
    let now = Stamp::from_metadata(&file.metadata().ok()?)?;
    if !now.same_file(stamp) || now.size != stamp.size {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut buf = Vec::with_capacity(SAMPLE_BYTES as usize);
    (&mut file).take(SAMPLE_BYTES).read_to_end(&mut buf).ok()?;
    buf.hash(&mut h);
    if stamp.size > SAMPLE_BYTES {
        let from = stamp.size.saturating_sub(SAMPLE_BYTES).max(SAMPLE_BYTES);
        file.seek(SeekFrom::Start(from)).ok()?;
        buf.clear();
        file.take(SAMPLE_BYTES).read_to_end(&mut buf).ok()?;
        buf.hash(&mut h);
    }
    Some(format!("{:016x}", h.finish()))
}

impl ReuseKey {
    /// The key of facts measured from `file` with `settings` by this build.
    pub fn new(file: FileVersion, settings: &ProbeSettings) -> ReuseKey {
        // The analyzers apart, so that a key can tell which ran; the rest hashed.
        let rest = settings.with_needs(Default::default());
        ReuseKey {
            file,
            analyzers: settings.needs.names(),
            settings: format!("{:016x}", rest.fingerprint()),
            version: env!("CARGO_PKG_VERSION").to_string(),
            build: crate::build_id::fingerprint().to_string(),
        }
    }

    /// The key of `path` as it is on disk now, probed with `settings`; `None` when it is not a
    /// regular file.
    pub fn of(path: &Path, settings: &ProbeSettings, listings: &Listings) -> Option<ReuseKey> {
        FileVersion::of(path, listings).map(|file| ReuseKey::new(file, settings))
    }

    /// Whether facts measured under this key serve a run that wants `wanted`: the same file as
    /// it was, the same settings and build, and every analyzer the run needs among those that
    /// ran. More analyzers only add facts; they change none a run with fewer would measure.
    pub fn serves(&self, wanted: &ReuseKey) -> bool {
        self.file == wanted.file
            && self.settings == wanted.settings
            && self.version == wanted.version
            && self.build == wanted.build
            && wanted.analyzers.iter().all(|a| self.analyzers.contains(a))
    }

    /// A short digest of the whole key, to name its cache entry by.
    pub fn digest(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        // The JSON form holds every part of the key and nothing else.
        serde_json::to_vec(self).unwrap_or_default().hash(&mut h);
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::test_films::write_at;

    /// The key of `film` now; a fresh listing each time, as a later run would see the folder.
    fn key(film: &Path, settings: &ProbeSettings) -> ReuseKey {
        ReuseKey::of(film, settings, &Listings::default()).expect("a regular file")
    }

    #[test]
    fn each_part_of_the_key_changes_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let film = dir.path().join("night.mp4");
        write_at(&film, b"a film", 1);
        let settings = ProbeSettings::default();
        let base = key(&film, &settings);
        assert_eq!(base, key(&film, &settings), "the same file keys the same");
        assert_eq!(base.file.path().as_deref(), Some(film.as_path()));

        // The content: the same size with another modification time, or another size.
        write_at(&film, b"a film", 2);
        let touched = key(&film, &settings);
        assert_ne!(touched, base);
        write_at(&film, b"a longer film", 2);
        assert_ne!(key(&film, &settings), touched);
        // The size and time of the first version put back: still not that version.
        write_at(&film, b"a film", 1);
        let again = key(&film, &settings);
        assert_eq!(
            (again.file.stamp.size, again.file.stamp.mtime_ns),
            (base.file.stamp.size, base.file.stamp.mtime_ns)
        );
        assert_ne!(again, base, "a file written again is read again");
        let base = again;

        // Every probe setting.
        let mut audio = settings.clone();
        audio.audio.silence_threshold_db = -50.0;
        let mut trust = settings.clone();
        trust.c2pa_trust = Some("-----BEGIN CERTIFICATE-----".into());
        let mut needs = settings.clone();
        needs.needs.insert(reelcheck_facts::Analyzer::Audio);
        for other in [&audio, &trust, &needs] {
            assert_ne!(key(&film, other), base, "{other:?}");
            assert_ne!(key(&film, other).digest(), base.digest(), "{other:?}");
        }
        // More analyzers serve a run that needs fewer, never the other way round.
        assert!(key(&film, &needs).serves(&base));
        assert!(!base.serves(&key(&film, &needs)));
        assert!(!key(&film, &audio).serves(&base));

        // A sidecar added, then changed; a C2PA manifest beside the film.
        let srt = dir.path().join("night.en.srt");
        write_at(&srt, b"1\n00:00:01,000 --> 00:00:02,000\nHello\n", 3);
        let with_srt = key(&film, &settings);
        assert_ne!(with_srt, base);
        assert_eq!(with_srt.file.companions.len(), 1);
        write_at(&srt, b"1\n00:00:01,000 --> 00:00:02,000\nHullo\n", 4);
        assert_ne!(key(&film, &settings), with_srt);
        std::fs::remove_file(&srt).expect("remove the sidecar");
        assert_eq!(key(&film, &settings), base, "the sidecar gone again");
        write_at(&dir.path().join("night.c2pa"), b"manifest", 5);
        assert_ne!(key(&film, &settings), base);
        // Another film's sidecar is no part of this film's key.
        std::fs::remove_file(dir.path().join("night.c2pa")).expect("remove");
        write_at(&dir.path().join("day.srt"), b"x", 6);
        assert_eq!(key(&film, &settings), base);

        // The build and the version.
        let mut build = base.clone();
        build.build = "another-build".into();
        assert_ne!(build, base);
        assert_ne!(build.digest(), base.digest());
    }

    #[test]
    fn what_is_not_a_regular_file_has_no_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = ProbeSettings::default();
        let listings = Listings::default();
        assert!(ReuseKey::of(dir.path(), &settings, &listings).is_none());
        assert!(ReuseKey::of(&dir.path().join("gone.mp4"), &settings, &listings).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn names_that_differ_only_in_bytes_that_are_not_utf8_have_their_own_keys() {
        use std::os::unix::ffi::OsStringExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = ProbeSettings::default();
        let name = |b: &[u8]| dir.path().join(std::ffi::OsString::from_vec(b.to_vec()));
        let (a, b) = (name(b"film-\xff.mp4"), name(b"film-\xfe.mp4"));
        write_at(&a, b"same", 1);
        write_at(&b, b"same", 1);
        let (ka, kb) = (key(&a, &settings), key(&b, &settings));
        assert_ne!(ka, kb);
        assert_eq!(ka.file.path().as_deref(), Some(a.as_path()));
    }
}
