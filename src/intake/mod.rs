//! What a run checks, entry by entry: the files a PATH... argument or a manifest names, the track
//! each is checked as, and which of them fall in this run's shard.

pub mod discover;
pub mod festival;
pub mod kinds;
pub mod manifest;
pub mod plan;
pub mod shard;

use crate::verdict::EntryInfo;
use std::path::{Component, Path, PathBuf};

/// One submission to check.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub path: PathBuf,
    /// The path relative to the PATH argument or manifest it came from, `/`-separated: the same
    /// on every machine of a sharded run, wherever the intake is mounted.
    pub key: String,
    pub info: EntryInfo,
}

impl Entry {
    /// An entry found under (or named as) `root`, a PATH argument.
    pub fn under(root: &Path, path: PathBuf) -> Entry {
        let key = match path.strip_prefix(root) {
            Ok(rel) if !rel.as_os_str().is_empty() => slash_path(rel),
            // A file named on the command line: its name is all that is stable about it.
            _ => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| slash_path(&path)),
        };
        Entry {
            path,
            key,
            info: EntryInfo::default(),
        }
    }
}

/// The PATH argument a discovered file came from: the longest one that is a prefix of it.
pub fn root_of<'a>(roots: &'a [PathBuf], path: &Path) -> Option<&'a Path> {
    roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count())
        .map(PathBuf::as_path)
}

/// The track named by the nearest folder named after one of `tracks` (in any case) between
/// `root` and the file. Only folders inside the PATH argument count (and the argument's own
/// folder), so that `/home/human/intake/film.mp4` is not taken for a human-track entry; for a
/// file named directly, only its own folder counts.
pub fn track_from_folder<'t>(root: &Path, path: &Path, tracks: &'t [String]) -> Option<&'t str> {
    let parent = path.parent()?;
    let inside: Vec<Component> = if root == path {
        parent.components().next_back().into_iter().collect()
    } else {
        let rel = parent.strip_prefix(root).ok()?;
        root.components()
            .next_back()
            .into_iter()
            .chain(rel.components())
            .collect()
    };
    inside.iter().rev().find_map(|c| match c {
        Component::Normal(name) => {
            let name = name.to_string_lossy().to_ascii_lowercase();
            tracks.iter().map(String::as_str).find(|t| *t == name)
        }
        _ => None,
    })
}

/// `a/b/c.mp4` on every platform, without `./`.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn track_comes_from_folders_inside_the_root_only() {
        let root = Path::new("/home/human/intake");
        let tracks = ["human".to_string(), "ai".to_string()];
        let t = |p: &str| track_from_folder(root, Path::new(p), &tracks);
        assert_eq!(t("/home/human/intake/ai/a.mp4"), Some("ai"));
        assert_eq!(t("/home/human/intake/AI/x/a.mp4"), Some("ai"));
        assert_eq!(t("/home/human/intake/a.mp4"), None);
        assert_eq!(t("/home/human/intake/human/ai/a.mp4"), Some("ai"));
        assert_eq!(
            track_from_folder(
                Path::new("in/human"),
                Path::new("in/human/x/a.mp4"),
                &tracks
            ),
            Some("human")
        );
        let file = Path::new("in/ai/a.mp4");
        assert_eq!(track_from_folder(file, file, &tracks), Some("ai"));
    }

    #[test]
    fn keys_are_relative_to_the_root() {
        let e = Entry::under(Path::new("./in"), PathBuf::from("./in/ai/a.mp4"));
        assert_eq!(e.key, "ai/a.mp4");
        let f = Entry::under(Path::new("x/a.mp4"), PathBuf::from("x/a.mp4"));
        assert_eq!(f.key, "a.mp4");
    }
}
