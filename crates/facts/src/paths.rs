//! A path's exact bytes, for the places where a path leaves Rust: the worker protocol (file
//! names may hold newlines or bytes that are not UTF-8) and C libraries such as FFmpeg.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A path's name as C libraries such as FFmpeg take it: its bytes on Unix, where a name may be
/// any bytes; UTF-8 on Windows (FFmpeg's convention there), so `None` for a name that is not.
pub fn c_name_bytes(path: &OsStr) -> Option<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(path.as_bytes().to_vec())
    }
    #[cfg(not(unix))]
    {
        path.to_str().map(|s| s.as_bytes().to_vec())
    }
}

/// A path's bytes, exactly: on Unix its bytes; on Windows its UTF-16 code units, two bytes each
/// (little-endian), since any such sequence is a Windows path.
pub fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        path.as_os_str()
            .encode_wide()
            .flat_map(u16::to_le_bytes)
            .collect()
    }
}

/// The path [`path_bytes`] gave; `None` for bytes it cannot have given.
pub fn path_from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStringExt;
        if !bytes.len().is_multiple_of(2) {
            return None;
        }
        let wide: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(PathBuf::from(std::ffi::OsString::from_wide(&wide)))
    }
}

/// Hex text of a path's bytes, and back: the path's form in the worker protocol.
pub fn to_hex(path: &Path) -> String {
    path_bytes(path)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The path [`to_hex`] gave; `None` for text it cannot have given.
pub fn from_hex(hex: &str) -> Option<PathBuf> {
    let h = hex.as_bytes();
    if !h.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = h
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
        .collect();
    path_from_bytes(bytes?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_survives_the_trip_through_bytes() {
        for p in ["plain.mp4", "new\nline \"quoted\".mp4", "été/film.mkv", ""] {
            let p = PathBuf::from(p);
            assert_eq!(path_from_bytes(path_bytes(&p)), Some(p));
        }
    }

    #[test]
    fn hex_round_trips() {
        let p = Path::new("films/night\nrun.mp4");
        assert_eq!(from_hex(&to_hex(p)).as_deref(), Some(p));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(OsStr::from_bytes(b"\xfe\xff.mp4"));
            assert_eq!(from_hex(&to_hex(odd)).as_deref(), Some(odd));
        }
    }
}
