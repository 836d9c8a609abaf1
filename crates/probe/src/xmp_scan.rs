//! XMP packets in files whose format FFmpeg does not export XMP from (WAV and AVI `_PMX`
//! chunks, MP3 ID3 frames, MXF, Matroska attachments …), found by scanning for the packet as
//! the XMP specification (part 3, "scanning files for XMP packets") allows. Only the head and
//! the tail of the file are read: writers put XMP in one or the other.

use std::io::{Read, Seek, SeekFrom};

/// Bytes read from each end of the file.
const WINDOW: u64 = 2 << 20;
const OPEN: &[u8] = b"<x:xmpmeta";
const CLOSE: &[u8] = b"</x:xmpmeta>";

/// The first XMP packet in the head or the tail of a file `size` bytes long, as text.
pub fn find(mut file: impl Read + Seek, size: u64) -> Option<String> {
    let mut head = Vec::new();
    (&mut file).take(WINDOW).read_to_end(&mut head).ok()?;
    if let Some(x) = packet(&head) {
        return Some(x);
    }
    if size <= WINDOW {
        return None;
    }
    let from = size.saturating_sub(WINDOW).max(WINDOW);
    file.seek(SeekFrom::Start(from)).ok()?;
    let mut tail = Vec::new();
    file.take(WINDOW).read_to_end(&mut tail).ok()?;
    packet(&tail)
}

/// The first XMP packet inside the given byte ranges of `file` (offset, length), each read up to
/// `WINDOW` bytes: for MP4 and MOV, every top-level box but the media data, where a writer that
/// follows no convention may still have put it.
pub fn find_in(
    file: &mut (impl Read + Seek),
    ranges: impl IntoIterator<Item = (u64, u64)>,
) -> Option<String> {
    let mut bytes = Vec::new();
    for (at, len) in ranges {
        bytes.clear();
        file.seek(SeekFrom::Start(at)).ok()?;
        (&mut *file)
            .take(len.min(WINDOW))
            .read_to_end(&mut bytes)
            .ok()?;
        if let Some(x) = packet(&bytes) {
            return Some(x);
        }
    }
    None
}

fn packet(bytes: &[u8]) -> Option<String> {
    let start = find_bytes(bytes, OPEN, 0)?;
    let end = find_bytes(bytes, CLOSE, start)? + CLOSE.len();
    Some(String::from_utf8_lossy(&bytes[start..end]).into_owned())
}

fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_packet_between_binary_data() {
        let mut bytes = vec![0u8, 1, 2, 255];
        bytes.extend_from_slice(
            b"_PMX\x20\x00\x00\x00<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><a/></x:xmpmeta>",
        );
        bytes.extend_from_slice(&[9, 9]);
        let x = packet(&bytes).unwrap();
        assert!(x.starts_with("<x:xmpmeta") && x.ends_with("</x:xmpmeta>"));
        assert!(packet(b"<x:xmpmeta but never closed").is_none());
    }
}
