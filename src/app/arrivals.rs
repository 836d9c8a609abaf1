//! What `watch` decides, apart from how it looks: which films in the intake folder are checked,
//! and when. It is told what the folder holds at a moment (each film with its version: its size
//! and modification time and its sidecars'), what a second look at a film found, and what was
//! checked; it answers which films are ready to be checked. Time is passed in, and nothing here
//! reads the disk, so every case can be tested step by step.
//!
//! A film is ready once its version has stayed the same for the settle time and differs from
//! the version last checked: a film still arriving is never judged half-way, a film replaced or
//! given a sidecar after it was checked is checked again, and a film that is unchanged is never
//! checked twice, whatever its name is made of.

use crate::run::store::key::FileVersion;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub(super) struct Arrivals {
    settle: Duration,
    films: BTreeMap<PathBuf, Film>,
}

/// A film in the folder, as last seen and as last checked.
struct Film {
    /// Its version when last looked at; `None` if it could not be read.
    seen: Option<FileVersion>,
    /// When `seen` last changed.
    since: Instant,
    /// The version its report was made from.
    checked: Option<FileVersion>,
}

impl Film {
    fn pending(&self) -> bool {
        self.seen.is_none() || self.seen != self.checked
    }
}

impl Arrivals {
    pub(super) fn new(settle: Duration) -> Arrivals {
        Arrivals {
            settle,
            films: BTreeMap::new(),
        }
    }

    /// The folder as listed at `now`: every media file found, with its version. A film new
    /// or changed since starts its wait; a partial upload is no film. Returns the films gone
    /// since the last listing, which leave the report.
    pub(super) fn listed(
        &mut self,
        now: Instant,
        found: impl IntoIterator<Item = (PathBuf, Option<FileVersion>)>,
    ) -> Vec<PathBuf> {
        let found: BTreeMap<PathBuf, Option<FileVersion>> = found
            .into_iter()
            .filter(|(path, _)| !is_partial_upload(path))
            .collect();
        let gone: Vec<PathBuf> = self
            .films
            .keys()
            .filter(|p| !found.contains_key(*p))
            .cloned()
            .collect();
        for p in &gone {
            self.films.remove(p);
        }
        for (path, version) in found {
            match self.films.get_mut(&path) {
                // An event may be a film replaced (renamed over, rewritten) or given a sidecar:
                // its wait starts anew.
                Some(film) => film.look(now, version),
                None => {
                    self.films.insert(
                        path,
                        Film {
                            seen: version,
                            since: now,
                            checked: None,
                        },
                    );
                }
            }
        }
        gone
    }

    /// Films not checked in their present state, to be looked at again (`seen`) while no event
    /// comes: a change restarts a film's wait.
    pub(super) fn pending(&self) -> Vec<PathBuf> {
        self.films
            .iter()
            .filter(|(_, f)| f.pending())
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// A film looked at again at `now`.
    pub(super) fn seen(&mut self, now: Instant, path: &Path, version: Option<FileVersion>) {
        if let Some(film) = self.films.get_mut(path) {
            film.look(now, version);
        }
    }

    /// Films unchanged for the settle time at `now` and not yet checked as they are.
    pub(super) fn ready(&self, now: Instant) -> Vec<PathBuf> {
        self.films
            .iter()
            .filter(|(_, f)| {
                f.seen.is_some()
                    && f.pending()
                    && now.saturating_duration_since(f.since) >= self.settle
            })
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// A film checked as it was last seen: a change since makes it pending again.
    pub(super) fn checked(&mut self, path: &Path) {
        if let Some(film) = self.films.get_mut(path) {
            film.checked = film.seen.clone();
        }
    }

    pub(super) fn contains(&self, path: &Path) -> bool {
        self.films.contains_key(path)
    }
}

impl Film {
    fn look(&mut self, now: Instant, version: Option<FileVersion>) {
        if self.seen != version {
            self.seen = version;
            self.since = now;
        }
    }
}

/// A name that upload tools give a file while it is still arriving, renamed to the film's own
/// name once whole: browsers (`.part`, `.crdownload`), WinSCP (`.filepart`), many tools
/// (`.tmp`), office and editor lock or backup files (`.~name`). Such a file is no film yet,
/// whatever its first bytes say (a partial MP4 starts like a whole one).
pub(super) fn is_partial_upload(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    let name = name.to_string_lossy().to_ascii_lowercase();
    const SUFFIXES: [&str; 4] = [".part", ".crdownload", ".filepart", ".tmp"];
    name.starts_with(".~") || SUFFIXES.iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reelcheck_facts::Stamp;

    const SETTLE: Duration = Duration::from_secs(5);

    fn version(path: &Path, size: u64, companions: &[(&str, u64)]) -> Option<FileVersion> {
        Some(FileVersion {
            path_hex: reelcheck_facts::paths::to_hex(path),
            sample: None,
            stamp: Stamp {
                size,
                mtime_ns: size as i128,
                ..Default::default()
            },
            companions: companions
                .iter()
                .map(|(name, size)| crate::run::store::key::Companion {
                    path_hex: reelcheck_facts::paths::to_hex(Path::new(name)),
                    stamp: Some(Stamp {
                        size: *size,
                        mtime_ns: 0,
                        ..Default::default()
                    }),
                })
                .collect(),
        })
    }

    fn secs(t0: Instant, s: u64) -> Instant {
        t0 + Duration::from_secs(s)
    }

    #[test]
    fn a_film_is_checked_once_it_has_settled_and_not_again_while_unchanged() {
        let t0 = Instant::now();
        let film = PathBuf::from("in/a.mp4");
        let mut w = Arrivals::new(SETTLE);
        w.listed(t0, [(film.clone(), version(&film, 10, &[]))]);
        assert!(w.ready(secs(t0, 4)).is_empty(), "still settling");
        // Still growing: the wait starts again.
        w.seen(secs(t0, 4), &film, version(&film, 20, &[]));
        assert!(w.ready(secs(t0, 8)).is_empty());
        assert_eq!(w.ready(secs(t0, 9)), vec![film.clone()]);
        w.checked(&film);
        assert!(w.pending().is_empty());
        w.listed(secs(t0, 60), [(film.clone(), version(&film, 20, &[]))]);
        assert!(w.ready(secs(t0, 120)).is_empty(), "checked as it is");
    }

    #[test]
    fn a_sidecar_that_arrives_after_its_film_has_the_film_checked_again() {
        let t0 = Instant::now();
        let film = PathBuf::from("in/night.mp4");
        let mut w = Arrivals::new(SETTLE);
        w.listed(t0, [(film.clone(), version(&film, 10, &[]))]);
        assert_eq!(w.ready(secs(t0, 5)), vec![film.clone()]);
        w.checked(&film);
        // night.en.srt arrives: the film's own stamp has not moved.
        let with_srt = version(&film, 10, &[("in/night.en.srt", 300)]);
        w.listed(secs(t0, 30), [(film.clone(), with_srt.clone())]);
        assert!(w.ready(secs(t0, 34)).is_empty(), "the sidecar settles too");
        assert_eq!(w.ready(secs(t0, 35)), vec![film.clone()]);
        w.checked(&film);
        // The sidecar rewritten: again.
        let fixed = version(&film, 10, &[("in/night.en.srt", 310)]);
        w.listed(secs(t0, 60), [(film.clone(), fixed)]);
        assert_eq!(w.ready(secs(t0, 65)), [film]);
    }

    #[test]
    fn a_film_renamed_leaves_under_its_old_name_and_is_checked_under_its_new_one() {
        let t0 = Instant::now();
        let (old, new) = (PathBuf::from("in/a.mp4"), PathBuf::from("in/final.mp4"));
        let mut w = Arrivals::new(SETTLE);
        w.listed(t0, [(old.clone(), version(&old, 10, &[]))]);
        w.checked(&old);
        let gone = w.listed(secs(t0, 30), [(new.clone(), version(&new, 10, &[]))]);
        assert_eq!(gone, vec![old.clone()]);
        assert!(!w.contains(&old));
        assert_eq!(w.ready(secs(t0, 35)), vec![new.clone()]);
        // Renamed back before the new name was checked: the old name starts afresh too.
        let gone = w.listed(secs(t0, 36), [(old.clone(), version(&old, 10, &[]))]);
        assert_eq!(gone, [new]);
        assert!(w.ready(secs(t0, 40)).is_empty());
        assert_eq!(w.ready(secs(t0, 41)), [old]);
    }

    #[test]
    fn a_partial_upload_is_no_film_until_it_is_renamed_whole() {
        let t0 = Instant::now();
        let mut w = Arrivals::new(SETTLE);
        let partial = [
            "in/a.mp4.part",
            "in/a.mp4.crdownload",
            "in/a.mp4.filepart",
            "in/A.MP4.TMP",
            "in/.~a.mp4",
        ];
        w.listed(
            t0,
            partial.iter().map(|p| {
                let p = PathBuf::from(p);
                let v = version(&p, 10, &[]);
                (p, v)
            }),
        );
        assert!(w.ready(secs(t0, 60)).is_empty());
        assert!(w.pending().is_empty());
        // Renamed to its own name once whole.
        let whole = PathBuf::from("in/a.mp4");
        w.listed(secs(t0, 60), [(whole.clone(), version(&whole, 10, &[]))]);
        assert_eq!(w.ready(secs(t0, 65)), [whole]);
        // A film whose name merely holds such a word is a film.
        assert!(!is_partial_upload(Path::new("in/part two.mp4")));
        assert!(!is_partial_upload(Path::new("in/a.tmp.mp4")));
    }

    #[test]
    fn a_film_that_cannot_be_read_waits_without_being_checked() {
        let t0 = Instant::now();
        let film = PathBuf::from("in/a.mp4");
        let mut w = Arrivals::new(SETTLE);
        w.listed(t0, [(film.clone(), None)]);
        assert!(w.ready(secs(t0, 60)).is_empty());
        assert_eq!(w.pending(), vec![film.clone()]);
        w.seen(secs(t0, 60), &film, version(&film, 10, &[]));
        assert_eq!(w.ready(secs(t0, 65)), [film]);
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_checked_once() {
        use std::os::unix::ffi::OsStringExt;
        let t0 = Instant::now();
        let film = PathBuf::from(std::ffi::OsString::from_vec(b"in/caf\xe9.mp4".to_vec()));
        let lossy = PathBuf::from(film.to_string_lossy().into_owned());
        let mut w = Arrivals::new(SETTLE);
        w.listed(t0, [(film.clone(), version(&film, 10, &[]))]);
        assert_eq!(w.ready(secs(t0, 5)), vec![film.clone()]);
        // The name as a report spells it is another path: it marks nothing checked.
        w.checked(&lossy);
        assert_eq!(w.ready(secs(t0, 10)), vec![film.clone()]);
        w.checked(&film);
        for poll in 1..5 {
            w.listed(
                secs(t0, 10 * poll),
                [(film.clone(), version(&film, 10, &[]))],
            );
            assert!(w.ready(secs(t0, 10 * poll + 5)).is_empty());
        }
    }
}
