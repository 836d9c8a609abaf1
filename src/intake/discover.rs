//! Which files a PATH... argument means: files as named, folders searched recursively for media
//! (by extension, or by content for files without one), hidden entries skipped, in a stable
//! sorted order.

use reelcheck_facts::media_names::{is_other, MEDIA_EXTENSIONS, OTHER_EXTENSIONS};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Discovered {
    /// Media files to check, sorted, each once.
    pub files: Vec<PathBuf>,
    /// Paths that could not be searched, with the reason; reported as errors, not dropped.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Folders that held no media file.
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

pub fn discover(paths: &[PathBuf]) -> Result<Discovered, MissingPath> {
    let mut found = Discovered::default();
    for root in paths {
        // symlink_metadata would call a dangling link missing; metadata follows it.
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(MissingPath(root.clone()))
            }
            Err(e) => {
                found.unreadable.push((root.clone(), e.to_string()));
                continue;
            }
        };
        if !meta.is_dir() {
            // A file named on the command line is checked whatever its name.
            found.files.push(root.clone());
            continue;
        }
        let before = found.files.len() + found.unreadable.len();
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && is_media(e.path()) => {
                    found.files.push(e.into_path())
                }
                // A pipe, socket or device (or a link to one) cannot be read as a film, nor
                // sniffed without blocking; left out silently, an entry would vanish from the
                // report. Only names that say "not a film" are passed over.
                Ok(e) if !e.file_type().is_file() && !e.file_type().is_dir() => {
                    if !is_other(e.path()) {
                        let why = format!("not a regular file ({})", special_kind(&e.file_type()));
                        found.unreadable.push((e.into_path(), why));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else if let Some(io) = e.io_error() {
                        match io.kind() {
                            std::io::ErrorKind::PermissionDenied => {
                                "permission denied: cannot read the folder".to_string()
                            }
                            _ => io.to_string(),
                        }
                    } else {
                        e.to_string()
                    };
                    found.unreadable.push((path, reason));
                }
            }
        }
        if found.files.len() + found.unreadable.len() == before {
            found.empty_folders.push(root.clone());
        }
    }
    found.files.sort();
    found.files.dedup();
    Ok(found)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
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

/// A media file by its extension, or by its first bytes when the extension says nothing.
pub fn is_media(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some(e) if MEDIA_EXTENSIONS.contains(&e) => true,
        Some(e) if OTHER_EXTENSIONS.contains(&e) => false,
        _ => sniff(path),
    }
}

/// Recognises the signatures of common film containers.
fn sniff(path: &Path) -> bool {
    let mut head = [0u8; 400];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(n) = f.read(&mut head) else {
        return false;
    };
    let h = &head[..n];
    n >= 12
        && (matches!(&h[4..8], b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free")
            || h.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) // Matroska / WebM
            || (h.starts_with(b"RIFF") && &h[8..12] == b"AVI ")
            || h.starts_with(&[0x06, 0x0E, 0x2B, 0x34]) // MXF
            || h.starts_with(&[0x00, 0x00, 0x01, 0xBA]) // MPEG program stream
            || h.starts_with(b"OggS")
            || h.starts_with(b"FLV")
            || (n > 376 && h[0] == 0x47 && h[188] == 0x47 && h[376] == 0x47)) // MPEG-TS packets
}
