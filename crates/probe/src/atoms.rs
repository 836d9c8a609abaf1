//! A walk over the top-level boxes of an ISO base media file (MP4, MOV), reading only box
//! headers: enough to tell whether `moov` comes before `mdat` and whether the file was cut short.

use anyhow::Result;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct TopBox {
    pub kind: [u8; 4],
    pub offset: u64,
    pub size: u64,
}

#[derive(Debug, Default)]
pub struct TopLevel {
    pub boxes: Vec<TopBox>,
    /// A box that claims to end past the end of the file.
    pub truncated: Option<TopBox>,
    pub file_size: u64,
}

impl TopLevel {
    fn position(&self, kind: &[u8; 4]) -> Option<usize> {
        self.boxes.iter().position(|b| &b.kind == kind)
    }

    /// `Some(true)` when `moov` precedes the first `mdat`; `None` when either is missing.
    pub fn faststart(&self) -> Option<bool> {
        let moov = self.position(b"moov")?;
        let mdat = self.position(b"mdat")?;
        Some(moov < mdat)
    }

    /// Why this file is cut short, in words, or `None` when it is whole.
    pub fn truncation(&self) -> Option<String> {
        let b = self.truncated.as_ref()?;
        let missing = b
            .offset
            .saturating_add(b.size)
            .saturating_sub(self.file_size);
        // In a filmmaker's words: how much of the file arrived, then the detail for whoever
        // looks into it.
        let (had, whole) = (self.file_size, b.offset.saturating_add(b.size));
        let (mut a, mut w) = (roughly(had), roughly(whole));
        if a == w {
            // Rounded alike though bytes are missing: the exact figures say how many.
            let exact = |n: u64| reelcheck_facts::units::Kind::Bytes.show(n as f64);
            (a, w) = (exact(had), exact(whole));
        }
        Some(format!(
            "incomplete: {} of {} arrived; the upload or copy stopped before the end (the '{}' box lacks {} bytes)",
            a,
            w,
            String::from_utf8_lossy(&b.kind),
            missing,
        ))
    }
}

/// A size as a person reads it, to three figures: "824 bytes", "1.12 kB", "48.2 MB", "314 kB".
fn roughly(n: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = UNITS[0];
    for u in &UNITS[1..] {
        if v < 999.5 {
            break;
        }
        v /= 1000.0;
        unit = u;
    }
    let decimals = if v >= 99.95 {
        0
    } else if v >= 9.995 {
        1
    } else {
        2
    };
    format!("{v:.decimals$} {unit}")
}

/// Reads the top-level box headers. Stops at the first box that cannot be whole.
pub fn scan(path: &Path) -> Result<TopLevel> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    scan_bytes(&mut file, size)
}

/// `scan` on the bytes of a file already open (a `Source`'s), `file_size` long; its position
/// is moved.
pub fn scan_bytes(file: &mut (impl Read + Seek), file_size: u64) -> Result<TopLevel> {
    let mut top = TopLevel {
        file_size,
        ..Default::default()
    };
    let mut offset = 0u64;
    // A few thousand boxes is far more than any real file has at the top level.
    for _ in 0..10_000 {
        if offset + 8 > file_size {
            break;
        }
        file.seek(SeekFrom::Start(offset))?;
        let mut head = [0u8; 16];
        let want = if offset + 16 <= file_size { 16 } else { 8 };
        file.read_exact(&mut head[..want])?;
        let size32 = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as u64;
        let kind = [head[4], head[5], head[6], head[7]];
        if !kind.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
            break;
        }
        let size = match size32 {
            0 => file_size - offset, // runs to the end of the file
            1 if want == 16 => u64::from_be_bytes(head[8..16].try_into()?),
            1 => break,
            s => s,
        };
        if size < 8 {
            break;
        }
        let b = TopBox { kind, offset, size };
        if offset.saturating_add(size) > file_size {
            top.truncated = Some(b.clone());
            top.boxes.push(b);
            break;
        }
        top.boxes.push(b);
        offset += size;
    }
    Ok(top)
}

/// The extended type of the top-level `uuid` box that holds a C2PA manifest store.
pub const UUID_C2PA: [u8; 16] = [
    0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81,
];

/// The extended type of the top-level `uuid` box that holds an XMP packet in MP4.
pub const UUID_XMP: [u8; 16] = [
    0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC,
];

/// The payload (after the 16-byte extended type) of the first top-level `uuid` box of type
/// `uuid`, reading at most `max_len` bytes of it.
pub fn uuid_payload(
    file: &mut (impl Read + Seek),
    top: &TopLevel,
    uuid: &[u8; 16],
    max_len: u64,
) -> Result<Option<Vec<u8>>> {
    for b in top.boxes.iter().filter(|b| &b.kind == b"uuid") {
        file.seek(SeekFrom::Start(b.offset))?;
        let mut size32 = [0u8; 4];
        file.read_exact(&mut size32)?;
        let header = if u32::from_be_bytes(size32) == 1 {
            16
        } else {
            8
        };
        if b.size < header + 16 || b.offset + b.size > top.file_size {
            continue;
        }
        file.seek(SeekFrom::Start(b.offset + header))?;
        let mut kind = [0u8; 16];
        file.read_exact(&mut kind)?;
        if &kind != uuid {
            continue;
        }
        let len = (b.size - header - 16).min(max_len);
        let mut payload = Vec::new();
        file.by_ref().take(len).read_to_end(&mut payload)?;
        return Ok(Some(payload));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(boxes: &[(&[u8; 4], u32)], cut: usize) -> tempfile::NamedTempFile {
        let mut bytes = Vec::new();
        for (kind, size) in boxes {
            bytes.extend_from_slice(&size.to_be_bytes());
            bytes.extend_from_slice(*kind);
            bytes.resize(bytes.len() + *size as usize - 8, 0);
        }
        bytes.truncate(bytes.len() - cut);
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&bytes).unwrap();
        f
    }

    #[test]
    fn moov_first_is_faststart() {
        let f = file_with(&[(b"ftyp", 24), (b"moov", 100), (b"mdat", 1000)], 0);
        let top = scan(f.path()).unwrap();
        assert_eq!(top.faststart(), Some(true));
        assert!(top.truncation().is_none());
    }

    #[test]
    fn mdat_first_is_not_faststart() {
        let f = file_with(&[(b"ftyp", 24), (b"mdat", 1000), (b"moov", 100)], 0);
        assert_eq!(scan(f.path()).unwrap().faststart(), Some(false));
    }

    #[test]
    fn cut_mdat_is_truncated() {
        let f = file_with(&[(b"ftyp", 24), (b"moov", 100), (b"mdat", 1000)], 300);
        let top = scan(f.path()).unwrap();
        let why = top.truncation().unwrap();
        assert!(
            why.starts_with("incomplete: 824 bytes of 1.12 kB arrived")
                && why.contains("'mdat' box lacks 300 bytes"),
            "{why}"
        );
    }
}

#[cfg(test)]
mod sizes {
    use super::roughly;

    #[test]
    fn sizes_read_to_three_figures() {
        assert_eq!(roughly(824), "824 bytes");
        assert_eq!(roughly(1_120), "1.12 kB");
        assert_eq!(roughly(314_210), "314 kB");
        assert_eq!(roughly(20_140_000), "20.1 MB");
        assert_eq!(roughly(48_000_000), "48.0 MB");
        assert_eq!(roughly(999_700), "1.00 MB");
        assert_eq!(roughly(2_500_000_000), "2.50 GB");
    }
}
