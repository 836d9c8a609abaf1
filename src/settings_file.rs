//! Reading the files an organizer hands reelcheck to configure a run (rule files, manifests,
//! software lists, C2PA trust bundles): only regular files, and only up to a size no such file
//! reaches, so that `--rules /dev/urandom`, `extends = "/dev/zero"` or a named pipe is a clear
//! error instead of a run that reads forever or never starts.

use std::fs::File;
use std::io::{Error, Read};
use std::path::Path;

/// Larger than any rule file, manifest of a festival's intake, software list or trust bundle.
pub const MAX_BYTES: u64 = 8 << 20;

/// The bytes of a regular file of at most `MAX_BYTES`.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    // Checked before opening: opening a named pipe for reading waits for a writer.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    // Non-blocking, in case the path was swapped for a pipe since; the check below repeats
    // on what was actually opened.
    let mut open = File::options();
    open.read(true);
    crate::platform::open_without_waiting(&mut open);
    let file = open.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Error::other(format!(
            "larger than {} MB, which no such file is",
            MAX_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// The text of a regular UTF-8 file of at most `MAX_BYTES`.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_bytes(path)?).map_err(|e| {
        Error::other(format!(
            "not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

fn not_regular(meta: &std::fs::Metadata) -> Error {
    use crate::platform::Special;
    let t = meta.file_type();
    let kind = if t.is_dir() {
        "a folder"
    } else {
        match crate::platform::special_kind(&t) {
            Special::NamedPipe => "a named pipe",
            Special::Socket => "a socket",
            Special::CharDevice | Special::BlockDevice => "a device",
            Special::Other => "a special file",
        }
    };
    Error::other(format!("not a regular file ({kind})"))
}
