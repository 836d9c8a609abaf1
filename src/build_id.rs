//! Which build of reelcheck is running, so that facts measured by another build (older
//! analyzers) are never taken from the cache. The linker's GNU build ID identifies the code
//! exactly; without one, a hash of the executable's bytes does.

use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::OnceLock;

/// This build, as a short hex string; computed once per process (it cannot change while the
/// process runs).
pub fn fingerprint() -> &'static str {
    static FINGERPRINT: OnceLock<String> = OnceLock::new();
    FINGERPRINT.get_or_init(|| {
        let exe = std::env::current_exe().ok();
        let id = exe.as_deref().and_then(|p| {
            gnu_build_id(p)
                .map(|id| hex(&id))
                .or_else(|| content_hash(p))
        });
        // With neither, the version alone tells builds apart, as it did before.
        id.unwrap_or_else(|| format!("version-{}", env!("CARGO_PKG_VERSION")))
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn content_hash(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Some(format!("{:016x}", h.finish()))
}

/// Program headers more than this are not an executable this code needs to understand.
const MAX_PROGRAM_HEADERS: u64 = 256;
const PT_NOTE: u32 = 4;
const NT_GNU_BUILD_ID: u32 = 3;

/// The `NT_GNU_BUILD_ID` note of a 64-bit little-endian ELF file, read from its program
/// headers (a few hundred bytes near its start).
pub fn gnu_build_id(path: &Path) -> Option<Vec<u8>> {
    let mut file = File::open(path).ok()?;
    let mut ident = [0u8; 64];
    file.read_exact(&mut ident).ok()?;
    // ELF magic, 64-bit, little-endian.
    if &ident[..4] != b"\x7fELF" || ident[4] != 2 || ident[5] != 1 {
        return None;
    }
    let u16_at = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
    let u32_at =
        |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or([0; 4]));
    let u64_at =
        |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]));
    let phoff = u64_at(&ident, 0x20);
    let phentsize = u64::from(u16_at(&ident, 0x36));
    let phnum = u64::from(u16_at(&ident, 0x38));
    if phentsize < 56 || phnum > MAX_PROGRAM_HEADERS {
        return None;
    }
    let mut headers = vec![0u8; (phentsize * phnum) as usize];
    file.seek(SeekFrom::Start(phoff)).ok()?;
    file.read_exact(&mut headers).ok()?;
    for ph in headers.chunks_exact(phentsize as usize) {
        if u32_at(ph, 0) != PT_NOTE {
            continue;
        }
        let (offset, size) = (u64_at(ph, 0x08), u64_at(ph, 0x20));
        if size > 1 << 16 {
            continue;
        }
        let mut notes = vec![0u8; size as usize];
        file.seek(SeekFrom::Start(offset)).ok()?;
        file.read_exact(&mut notes).ok()?;
        let mut at = 0usize;
        // Each note: name size, descriptor size, type, then name and descriptor, each padded
        // to 4 bytes.
        while at + 12 <= notes.len() {
            let namesz = u32_at(&notes, at) as usize;
            let descsz = u32_at(&notes, at + 4) as usize;
            let kind = u32_at(&notes, at + 8);
            let name_at = at + 12;
            let desc_at = name_at.checked_add(namesz.checked_add(3)? & !3)?;
            let end = desc_at.checked_add(descsz.checked_add(3)? & !3)?;
            if desc_at.checked_add(descsz)? > notes.len() {
                break;
            }
            if kind == NT_GNU_BUILD_ID && notes.get(name_at..name_at + namesz) == Some(b"GNU\0") {
                return Some(notes[desc_at..desc_at + descsz].to_vec());
            }
            at = end;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_test_binary_has_a_fingerprint() {
        let exe = std::env::current_exe().unwrap();
        let f = fingerprint();
        assert!(!f.is_empty());
        // The linker on this platform writes a build ID; when it does, it is what identifies
        // the build.
        if let Some(id) = gnu_build_id(&exe) {
            assert_eq!(f, hex(&id));
            assert!(id.len() >= 8);
        }
    }

    #[test]
    fn other_files_have_no_build_id() {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(
            f.path(),
            b"not an executable at all, but long enough to hold a header",
        )
        .unwrap();
        assert_eq!(gnu_build_id(f.path()), None);
    }
}
