//! Which files a PATH... argument means. A file named on the command line is checked whatever
//! it is. A folder is searched recursively, in a stable sorted order, and every file in it is
//! accounted for, once (a file reached twice, through a link or a hard link, is one file):
//!
//! - checked: a film container, by its extension or, when the name says nothing, by its first
//!   bytes;
//! - refused, an error entry an organizer must look at: a file that cannot be read, a sound
//!   file, a camera original, an editing project or an archive where a film was expected,
//!   something not recognised, a pipe or device, a link that leads out of the folder;
//! - listed, and no failure: a document or picture, a subtitle file or manifest of no film, a
//!   hidden file, a file an organizer's `--ignore` pattern names;
//! - left out: the subtitle files, C2PA manifests and XMP sidecars of a film beside them (they
//!   are its facts), system files (`.DS_Store`, `Thumbs.db`, which are only counted) and
//!   reelcheck's own report, journal and pages.

use super::kinds::{self, Kind};
use globset::{GlobBuilder, GlobMatcher};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// How folders are searched.
#[derive(Debug, Default)]
pub struct Options {
    /// `--ignore`: files listed, not checked.
    pub ignore: Ignore,
    /// `--follow-links-outside`: links that lead out of the folder are followed and checked.
    pub follow_links_outside: bool,
    /// reelcheck's own files (the report, the journal, the folder of per-entry pages), which
    /// are no entries of the intake even when written into it.
    pub own: Vec<PathBuf>,
}

#[derive(Debug, Default)]
pub struct Discovered {
    /// Films to check, sorted, each file once.
    pub files: Vec<PathBuf>,
    /// Files that are not checked and are errors, with the reason: unreadable, not a film
    /// where one was expected, a link out of the folder, a folder that cannot be searched.
    pub refused: Vec<(PathBuf, String)>,
    /// Files that are not checked and are no failure, with the reason: ignored, hidden, a
    /// document or picture.
    pub listed: Vec<(PathBuf, String)>,
    /// System files and folders left out (`.DS_Store`, `.Trashes`), to be counted.
    pub system: Vec<PathBuf>,
    /// Folders that held no film and nothing refused.
    pub empty_folders: Vec<PathBuf>,
}

/// A PATH argument that does not exist: the command itself is wrong.
#[derive(Debug)]
pub struct MissingPath(pub PathBuf);

impl std::fmt::Display for MissingPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: no such file or folder", self.0.display())
    }
}

impl std::error::Error for MissingPath {}

/// `--ignore GLOB`, each matched against a file's path relative to the folder searched.
#[derive(Debug, Default)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

#[derive(Debug)]
struct Pattern {
    /// As the organizer wrote it, for the reason.
    text: String,
    matcher: GlobMatcher,
    /// A pattern without a `/` (`*.txt`, `drafts`) names a file or folder at any depth, as in
    /// a `.gitignore`; one with a `/` (`drafts/*.mp4`, `/notes.txt`) a path from the folder.
    by_name: bool,
}

impl Ignore {
    /// Reads the patterns; one that is no glob pattern is named.
    pub fn new(globs: &[String]) -> Result<Ignore, String> {
        let mut patterns = Vec::new();
        for text in globs {
            let trimmed = text.trim().trim_end_matches('/');
            let anchored = trimmed.strip_prefix('/').unwrap_or(trimmed);
            if anchored.is_empty() {
                return Err(format!("--ignore '{text}': an empty pattern"));
            }
            let glob = GlobBuilder::new(anchored)
                // `*` stays within one folder; `**` crosses folders.
                .literal_separator(true)
                // Cameras and exports name files `.MP4` as often as `.mp4`.
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("--ignore '{text}': not a glob pattern: {e}"))?;
            patterns.push(Pattern {
                text: text.clone(),
                matcher: glob.compile_matcher(),
                by_name: !trimmed.contains('/'),
            });
        }
        Ok(Ignore { patterns })
    }

    /// The first pattern that names `rel` (a path relative to the folder searched) or a folder
    /// it is in.
    pub fn matched(&self, rel: &Path) -> Option<&str> {
        if self.patterns.is_empty() {
            return None;
        }
        for at in rel.ancestors().filter(|a| !a.as_os_str().is_empty()) {
            for p in &self.patterns {
                let hit = if p.by_name {
                    at.file_name().is_some_and(|n| p.matcher.is_match(n))
                } else {
                    p.matcher.is_match(at)
                };
                if hit {
                    return Some(&p.text);
                }
            }
        }
        None
    }
}

/// Names an operating system or file manager leaves in a folder: never entries, only counted.
const SYSTEM_NAMES: &[&str] = &[
    ".ds_store",
    "thumbs.db",
    "ehthumbs.db",
    "desktop.ini",
    "icon\r",
    ".spotlight-v100",
    ".trashes",
    ".fseventsd",
    ".temporaryitems",
    ".documentrevisions-v100",
    "$recycle.bin",
    "system volume information",
];

/// A system file or folder by its name: one of `SYSTEM_NAMES` in any case, or a macOS
/// AppleDouble file (`._film.mp4`, the resource fork of `film.mp4` on a foreign disk).
pub fn is_system(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with("._") || SYSTEM_NAMES.contains(&name.to_lowercase().as_str())
}

/// A regular file found, before it is known what it is.
struct Hit {
    path: PathBuf,
    /// The folder argument it was found under (its index) and its path relative to it; `None`
    /// for a file named on the command line.
    within: Option<(usize, PathBuf)>,
    /// Its identity on disk, to take a file reached twice once.
    id: Option<crate::platform::FileId>,
    /// Why it is listed instead of checked: an --ignore pattern, or a hidden name.
    listed: Option<String>,
}

pub fn discover(paths: &[PathBuf], opts: &Options) -> Result<Discovered, MissingPath> {
    let mut found = Discovered::default();
    let mut hits: Vec<Hit> = Vec::new();
    // Each folder argument as the file system resolves it (`None` for a file): what "inside"
    // means for links, and how a path reached through a link is told from the file itself.
    let mut real_roots: Vec<Option<PathBuf>> = Vec::new();
    // Whether each folder argument holds anything checked or refused.
    let mut holds = vec![false; paths.len()];
    let own = Own::new(&opts.own);
    for (index, root) in paths.iter().enumerate() {
        // symlink_metadata would call a dangling link missing; metadata follows it.
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(MissingPath(root.clone()))
            }
            Err(e) => {
                found.refused.push((root.clone(), e.to_string()));
                real_roots.push(None);
                continue;
            }
        };
        if !meta.is_dir() {
            // A file named on the command line is checked whatever its name.
            hits.push(Hit {
                path: root.clone(),
                within: None,
                id: crate::platform::file_id(root, &meta).ok(),
                listed: None,
            });
            real_roots.push(None);
            continue;
        }
        let real_root = match std::fs::canonicalize(root) {
            Ok(r) => r,
            Err(e) => {
                found
                    .refused
                    .push((root.clone(), format!("cannot be read: {e}")));
                real_roots.push(None);
                continue;
            }
        };
        let walk = Walk {
            root,
            index,
            real_root: &real_root,
            opts,
            own: &own,
        };
        holds[index] |= walk.run(&mut found, &mut hits);
        real_roots.push(Some(real_root));
    }

    let hits = once_each(hits, &real_roots);
    let mut films: Vec<&Hit> = Vec::new();
    let mut others: Vec<(&Hit, Kind)> = Vec::new();
    for hit in &hits {
        if let Some(why) = &hit.listed {
            others.push((hit, Kind::Listed(why.clone())));
            continue;
        }
        let kind = match hit.within {
            None => Kind::Film,
            Some(_) => kind_of(&hit.path),
        };
        match kind {
            Kind::Film => films.push(hit),
            other => others.push((hit, other)),
        }
    }
    // The files beside a film that its facts are read from belong to it, whatever else they
    // are (a pattern, a hidden name): its entry stands for them.
    let listings = reelcheck_probe::Listings::default();
    let mut sidecars: HashSet<PathBuf> = HashSet::new();
    let films_by_name = hits
        .iter()
        .filter(|h| h.listed.is_some() && kinds::of_name(extension(&h.path)) == Some(Kind::Film));
    for film in films.iter().copied().chain(films_by_name) {
        sidecars.extend(reelcheck_probe::companions(&film.path, &listings));
        // XMP sidecars, as editing programs write them: `film.xmp` or `film.mp4.xmp`.
        sidecars.insert(film.path.with_extension("xmp"));
        let mut full = film.path.clone().into_os_string();
        full.push(".xmp");
        sidecars.insert(PathBuf::from(full));
    }
    for film in &films {
        if let Some((i, _)) = film.within {
            holds[i] = true;
        }
        found.files.push(film.path.clone());
    }
    for (hit, kind) in others {
        if sidecars.contains(&hit.path) {
            continue;
        }
        match kind {
            Kind::Film => {}
            Kind::Refused(why) => {
                if let Some((i, _)) = hit.within {
                    holds[i] = true;
                }
                found.refused.push((hit.path.clone(), why));
            }
            Kind::Listed(why) | Kind::Sidecar(why) => found.listed.push((hit.path.clone(), why)),
        }
    }
    for ((root, holds), real) in paths.iter().zip(holds).zip(&real_roots) {
        if !holds && real.is_some() {
            found.empty_folders.push(root.clone());
        }
    }
    found.files.sort();
    found.refused.sort();
    found.listed.sort();
    found.system.sort();
    Ok(found)
}

/// One folder argument being searched.
struct Walk<'a> {
    root: &'a Path,
    index: usize,
    real_root: &'a Path,
    opts: &'a Options,
    own: &'a Own,
}

impl Walk<'_> {
    /// Searches the folder: regular files go to `hits`, the rest to `found` as they are met.
    /// Returns whether anything was refused.
    fn run(&self, found: &mut Discovered, hits: &mut Vec<Hit>) -> bool {
        let mut refused = false;
        let mut it = walkdir::WalkDir::new(self.root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(next) = it.next() {
            let e = match next {
                Ok(e) => e,
                Err(err) => {
                    let path = err
                        .path()
                        .map_or_else(|| self.root.to_path_buf(), Path::to_path_buf);
                    let rel = relative(self.root, &path);
                    if rel.components().any(|c| is_system(c.as_os_str())) {
                        found.system.push(path);
                    } else if let Some(why) = self.listed(&rel) {
                        found.listed.push((path, why));
                    } else {
                        found.refused.push((path.clone(), walk_error(&err, &path)));
                        refused = true;
                    }
                    continue;
                }
            };
            if e.depth() == 0 {
                continue;
            }
            let is_dir = e.file_type().is_dir();
            if is_system(e.file_name()) || self.own.holds(e.path()) {
                if is_system(e.file_name()) {
                    found.system.push(e.path().to_path_buf());
                }
                if is_dir {
                    it.skip_current_dir();
                }
                continue;
            }
            let rel = relative(self.root, e.path());
            let listed = self.listed(&rel);
            // A link that leads out of the folder is not followed: what it leads to is no
            // submission, and its facts and pictures would go into a report meant to be
            // shared. Listed or refused; never read.
            if e.path_is_symlink() && !self.opts.follow_links_outside {
                if let Some(target) = self.outside(e.path()) {
                    if is_dir {
                        it.skip_current_dir();
                    }
                    match listed {
                        Some(why) => found.listed.push((e.into_path(), why)),
                        None => {
                            found.refused.push((
                                e.into_path(),
                                format!(
                                    "a link to {} outside the intake folder: not followed (--follow-links-outside follows it)",
                                    target.display()
                                ),
                            ));
                            refused = true;
                        }
                    }
                    continue;
                }
            }
            if is_dir {
                // An ignored or hidden folder is searched all the same: each file in it is
                // listed, so that none vanishes.
                continue;
            }
            if !e.file_type().is_file() {
                // A pipe, socket or device (or a link to one) cannot be read as a film, nor
                // sniffed without blocking.
                match listed {
                    Some(why) => found.listed.push((e.into_path(), why)),
                    None => {
                        let why = format!("not a regular file ({})", special_kind(&e.file_type()));
                        found.refused.push((e.into_path(), why));
                        refused = true;
                    }
                }
                continue;
            }
            let id = e
                .metadata()
                .ok()
                .and_then(|m| crate::platform::file_id(e.path(), &m).ok());
            hits.push(Hit {
                path: e.into_path(),
                within: Some((self.index, rel)),
                id,
                listed,
            });
        }
        refused
    }

    /// Why a file at `rel` is listed rather than checked: an --ignore pattern names it or a
    /// folder it is in, or it is hidden.
    fn listed(&self, rel: &Path) -> Option<String> {
        if let Some(pattern) = self.opts.ignore.matched(rel) {
            return Some(format!("ignored by --ignore '{pattern}'"));
        }
        let mut names = rel.components().filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().starts_with('.')),
            _ => None,
        });
        let own = names.next_back()?;
        if own {
            Some("hidden (its name starts with a dot): not checked".into())
        } else if names.any(|hidden| hidden) {
            Some("in a hidden folder (its name starts with a dot): not checked".into())
        } else {
            None
        }
    }

    /// Where a link leads when that is outside the folder searched.
    fn outside(&self, link: &Path) -> Option<PathBuf> {
        let real = std::fs::canonicalize(link).ok()?;
        (!real.starts_with(self.real_root)).then_some(real)
    }
}

/// reelcheck's own output files, by the folder they are in (as the file system resolves it)
/// and their name.
struct Own {
    files: Vec<PathBuf>,
}

impl Own {
    fn new(paths: &[PathBuf]) -> Own {
        Own {
            files: paths.iter().filter_map(|p| resolved(p)).collect(),
        }
    }

    /// Whether `path` is one of them, or a temporary file reelcheck writes a report through
    /// (`.reelcheck-XXXXXX.tmp`, see `atomic`).
    fn holds(&self, path: &Path) -> bool {
        let Some(name) = path.file_name() else {
            return false;
        };
        let name_text = name.to_string_lossy();
        if name_text.starts_with(".reelcheck-") && name_text.ends_with(".tmp") {
            return true;
        }
        if !self.files.iter().any(|f| f.file_name() == Some(name)) {
            return false;
        }
        resolved(path).is_some_and(|p| self.files.contains(&p))
    }
}

/// `path` with its folder resolved by the file system; the file itself need not exist yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// Each file once: of the paths that reach one file, the one that is checked rather than
/// listed, then the one reached without a link, then the first.
fn once_each(hits: Vec<Hit>, real_roots: &[Option<PathBuf>]) -> Vec<Hit> {
    let mut kept: Vec<Hit> = Vec::new();
    let mut by_id: HashMap<crate::platform::FileId, usize> = HashMap::new();
    for hit in hits {
        let Some(id) = hit.id.clone() else {
            kept.push(hit);
            continue;
        };
        match by_id.get(&id) {
            Some(&i) => {
                if rank(&hit, real_roots) < rank(&kept[i], real_roots) {
                    kept[i] = hit;
                }
            }
            None => {
                by_id.insert(id, kept.len());
                kept.push(hit);
            }
        }
    }
    kept
}

/// Lower is the better path to a file: checked before listed, direct before through a link.
fn rank(hit: &Hit, real_roots: &[Option<PathBuf>]) -> u8 {
    let direct = match &hit.within {
        Some((i, rel)) => {
            let real = real_roots.get(*i).and_then(Option::as_ref);
            real.is_some_and(|r| std::fs::canonicalize(&hit.path).ok() == Some(r.join(rel)))
        }
        None => std::fs::symlink_metadata(&hit.path).is_ok_and(|m| !m.is_symlink()),
    };
    u8::from(hit.listed.is_some()) * 2 + u8::from(!direct)
}

/// What a file in a folder is: by its extension, else by its first bytes.
fn kind_of(path: &Path) -> Kind {
    let ext = extension(path);
    if let Some(kind) = kinds::of_name(ext) {
        return kind;
    }
    match head(path) {
        Ok(head) => kinds::of_content(&head, ext),
        Err(e) => Kind::Refused(cannot_read(&e)),
    }
}

fn extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|e| e.to_str())
}

/// The first bytes of a file, as many as `kinds` looks at.
fn head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(kinds::HEAD);
    std::fs::File::open(path)?
        .take(kinds::HEAD as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Why a file cannot be read, as the report says it.
fn cannot_read(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "cannot be read: permission denied".into(),
        _ => format!("cannot be read: {e}"),
    }
}

/// Why a folder entry could not be searched.
fn walk_error(e: &walkdir::Error, path: &Path) -> String {
    if e.loop_ancestor().is_some() {
        return "symbolic link loop".to_string();
    }
    let Some(io) = e.io_error() else {
        return e.to_string();
    };
    match io.kind() {
        std::io::ErrorKind::PermissionDenied => {
            "permission denied: cannot read the folder".to_string()
        }
        std::io::ErrorKind::NotFound => match std::fs::read_link(path) {
            Ok(target) => format!(
                "a link to {} that leads nowhere (no such file)",
                target.display()
            ),
            Err(_) => "no such file".to_string(),
        },
        _ => io.to_string(),
    }
}

/// `path` relative to `root`.
fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// What kind of special file a folder entry is, in words.
fn special_kind(t: &std::fs::FileType) -> &'static str {
    use crate::platform::Special;
    match crate::platform::special_kind(t) {
        Special::NamedPipe => "a named pipe",
        Special::Socket => "a socket",
        Special::CharDevice => "a character device",
        Special::BlockDevice => "a block device",
        Special::Other => "a special file",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(globs: &[&str]) -> Ignore {
        Ignore::new(&globs.iter().map(|g| g.to_string()).collect::<Vec<_>>()).expect("patterns")
    }

    #[test]
    fn patterns_without_a_slash_name_files_and_folders_at_any_depth() {
        let i = ignore(&["*.txt", "drafts", "/top.mp4", "b/*.mov"]);
        let m = |p: &str| i.matched(Path::new(p));
        assert_eq!(m("notes.txt"), Some("*.txt"));
        assert_eq!(m("a/b/NOTES.TXT"), Some("*.txt"));
        assert_eq!(m("drafts/cut.mp4"), Some("drafts"));
        assert_eq!(m("x/drafts/y/cut.mp4"), Some("drafts"));
        assert_eq!(m("top.mp4"), Some("/top.mp4"));
        assert_eq!(m("x/top.mp4"), None);
        assert_eq!(m("b/a.mov"), Some("b/*.mov"));
        // `*` stays within one folder.
        assert_eq!(m("b/c/a.mov"), None);
        assert_eq!(m("film.mp4"), None);
        assert!(Ignore::new(&["a[".into()]).is_err());
        assert!(Ignore::new(&["/".into()]).is_err());
    }

    #[test]
    fn system_files_by_name() {
        for name in [
            ".DS_Store",
            "Thumbs.db",
            "desktop.ini",
            "._film.mp4",
            ".Trashes",
        ] {
            assert!(is_system(std::ffi::OsStr::new(name)), "{name}");
        }
        for name in ["film.mp4", ".hidden.mp4", "thumbs.db.mp4"] {
            assert!(!is_system(std::ffi::OsStr::new(name)), "{name}");
        }
    }

    fn found(dir: &Path, opts: &Options) -> Discovered {
        discover(&[dir.to_path_buf()], opts).expect("found")
    }

    fn names(dir: &Path, paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .map(|p| super::super::slash_path(p.strip_prefix(dir).expect("inside")))
            .collect()
    }

    fn reasons(dir: &Path, list: &[(PathBuf, String)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, why)| (names(dir, std::slice::from_ref(p)).remove(0), why.clone()))
            .collect()
    }

    const MP4: &[u8] = b"\0\0\0\x20ftypisom\0\0\0\0isomiso2";

    #[test]
    fn every_file_in_a_folder_is_accounted_for_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        let write = |name: &str, bytes: &[u8]| {
            let p = d.join(name);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("folder");
            std::fs::write(p, bytes).expect("write");
        };
        write("film.mp4", MP4);
        write("film.en.srt", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n");
        write("film.c2pa", b"manifest");
        write("film.xmp", b"<x:xmpmeta/>");
        write("orphan.srt", b"1\n");
        write("noext", MP4);
        write("music.wav", b"RIFF");
        write("A001.braw", b"raw");
        write("notes", b"Call sheet\n");
        write("poster.jpg", b"\xff\xd8\xff");
        write(".DS_Store", b"x");
        write("._film.mp4", b"x");
        write(".Trashes/501/old.mp4", MP4);
        write(".draft.mp4", MP4);
        write(".cache/x.mp4", MP4);
        write("drafts/cut1.mp4", MP4);
        write("out/report.json", b"{}");
        let opts = Options {
            ignore: ignore(&["drafts"]),
            own: vec![d.join("out/report.json")],
            ..Default::default()
        };
        let f = found(d, &opts);
        assert_eq!(names(d, &f.files), ["film.mp4", "noext"]);
        assert_eq!(
            reasons(d, &f.refused),
            [
                (
                    "A001.braw".into(),
                    "a Blackmagic RAW camera original: export a film from it".into()
                ),
                ("music.wav".into(), "a WAV sound file, not a film".into()),
            ]
        );
        let listed: Vec<(String, String)> = reasons(d, &f.listed);
        assert_eq!(
            listed,
            [
                (
                    ".cache/x.mp4".to_string(),
                    "in a hidden folder (its name starts with a dot): not checked".to_string()
                ),
                (
                    ".draft.mp4".into(),
                    "hidden (its name starts with a dot): not checked".into()
                ),
                (
                    "drafts/cut1.mp4".into(),
                    "ignored by --ignore 'drafts'".into()
                ),
                ("notes".into(), "a text file, not a film".into()),
                (
                    "orphan.srt".into(),
                    "a SubRip subtitle file, not a film: no film beside it has its name".into()
                ),
                ("poster.jpg".into(), "a JPEG picture, not a film".into()),
            ]
        );
        assert_eq!(names(d, &f.system), [".DS_Store", ".Trashes", "._film.mp4"]);
        assert!(f.empty_folders.is_empty());
    }

    #[test]
    fn a_file_that_cannot_be_read_is_refused_not_dropped() {
        // Root reads any file whatever its mode; a folder opened as a file fails on read
        // anywhere, as a file without read permission does.
        let dir = tempfile::tempdir().expect("temp dir");
        match kind_of(dir.path()) {
            Kind::Refused(why) => assert!(why.starts_with("cannot be read: "), "{why}"),
            other => panic!("{other:?}"),
        }
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(cannot_read(&denied), "cannot be read: permission denied");
        assert_eq!(
            reelcheck_facts::error_code::of(&cannot_read(&denied)),
            "permission_denied"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_twice_is_one_entry() {
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().expect("temp dir");
        let d = root.path().join("intake");
        std::fs::create_dir_all(d.join("sub")).expect("folder");
        std::fs::write(d.join("a.mp4"), MP4).expect("write");
        symlink(d.join("a.mp4"), d.join("b-link.mp4")).expect("link");
        symlink(d.join("a.mp4"), d.join("0-link.mp4")).expect("link");
        std::fs::hard_link(d.join("a.mp4"), d.join("sub/hard.mp4")).expect("hard link");
        symlink(d.join("sub"), d.join("sub-link")).expect("link");
        std::fs::write(d.join("sub/c.mp4"), MP4).expect("write");

        let f = found(&d, &Options::default());
        // The path that is not a link wins, else the first in order.
        assert_eq!(names(&d, &f.files), ["a.mp4", "sub/c.mp4"]);
        assert!(f.refused.is_empty() && f.listed.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_refused_and_a_file_reached_twice_is_one_entry() {
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().expect("temp dir");
        let d = root.path().join("intake");
        let elsewhere = root.path().join("private");
        std::fs::create_dir_all(d.join("sub")).expect("folder");
        std::fs::create_dir_all(&elsewhere).expect("folder");
        std::fs::write(d.join("a.mp4"), MP4).expect("write");
        std::fs::write(elsewhere.join("secret.mp4"), MP4).expect("write");
        symlink(elsewhere.join("secret.mp4"), d.join("out.mp4")).expect("link");
        symlink(&elsewhere, d.join("outdir")).expect("link");
        symlink(d.join("a.mp4"), d.join("b-link.mp4")).expect("link");
        symlink(d.join("a.mp4"), d.join("0-link.mp4")).expect("link");
        symlink(d.join("sub"), d.join("sub-link")).expect("link");
        std::fs::write(d.join("sub/c.mp4"), MP4).expect("write");

        let f = found(&d, &Options::default());
        assert_eq!(names(&d, &f.files), ["a.mp4", "sub/c.mp4"]);
        let real = std::fs::canonicalize(&elsewhere).expect("real");
        assert_eq!(
            reasons(&d, &f.refused),
            [
                (
                    "out.mp4".to_string(),
                    format!(
                        "a link to {} outside the intake folder: not followed (--follow-links-outside follows it)",
                        real.join("secret.mp4").display()
                    )
                ),
                (
                    "outdir".to_string(),
                    format!(
                        "a link to {} outside the intake folder: not followed (--follow-links-outside follows it)",
                        real.display()
                    )
                ),
            ]
        );
        assert_eq!(
            reelcheck_facts::error_code::of(&f.refused[0].1),
            "link_outside"
        );

        // Through a link to the folder itself, what is inside is still inside.
        let mount = root.path().join("mount");
        symlink(&d, &mount).expect("link");
        let through = found(&mount, &Options::default());
        assert_eq!(names(&mount, &through.files), ["a.mp4", "sub/c.mp4"]);
        assert_eq!(through.refused.len(), 2);

        let allowed = Options {
            follow_links_outside: true,
            ..Default::default()
        };
        let f = found(&d, &allowed);
        // `out.mp4` and `outdir/secret.mp4` are one file, both reached through a link: the
        // first is kept.
        assert_eq!(names(&d, &f.files), ["a.mp4", "out.mp4", "sub/c.mp4"]);
        assert!(f.refused.is_empty(), "{:?}", f.refused);
    }

    #[test]
    fn a_folder_of_documents_holds_no_film() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("readme.txt"), "no films").expect("write");
        let f = found(dir.path(), &Options::default());
        assert!(f.files.is_empty() && f.refused.is_empty());
        assert_eq!(f.listed.len(), 1);
        assert_eq!(f.empty_folders, [dir.path().to_path_buf()]);
    }
}
