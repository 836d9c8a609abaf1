//! XMP packets in files whose format FFmpeg does not export XMP from (WAV and AVI `_PMX`
//! chunks, MP3 ID3 frames, MXF, Matroska attachments …), found by scanning for the packet as
//! the XMP specification (part 3, "scanning files for XMP packets") allows. Only the head and
//! the tail of the file are read: writers put XMP in one or the other.

use std::io::{Read, Seek, SeekFrom};

/// Bytes read from each end of the file.
const WINDOW: u64 = 2 << 20;
/// Where a packet starts: the packet wrapper XMP's scanning is made for, else the `x:xmpmeta`
/// element (or its old name `x:xapmeta`) that writers put in without one.
const OPENERS: &[&[u8]] = &[b"<?xpacket begin=", b"<x:xmpmeta", b"<x:xapmeta"];
const WRAPPER_END: &[u8] = b"<?xpacket end=";

/// A packet found in the file's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Where it starts in the file.
    pub offset: u64,
    pub text: String,
}

/// The XMP packets (at most `max`) in the head and the tail of a file `size` bytes long.
pub fn find(mut file: impl Read + Seek, size: u64, max: usize) -> Vec<Found> {
    let mut out = Vec::new();
    let mut head = Vec::new();
    if (&mut file).take(WINDOW).read_to_end(&mut head).is_err() {
        return out;
    }
    packets(&head, 0, max, &mut out);
    if size <= WINDOW {
        return out;
    }
    let from = size.saturating_sub(WINDOW).max(WINDOW);
    let mut tail = Vec::new();
    if file.seek(SeekFrom::Start(from)).is_ok() && file.take(WINDOW).read_to_end(&mut tail).is_ok()
    {
        packets(&tail, from, max, &mut out);
    }
    out
}

/// The XMP packets (at most `max`) inside the given byte ranges of `file` (offset, length),
/// each read up to `WINDOW` bytes: for MP4 and MOV, every top-level box but the media data,
/// where a writer that follows no convention may still have put one.
pub fn find_in(
    file: &mut (impl Read + Seek),
    ranges: impl IntoIterator<Item = (u64, u64)>,
    max: usize,
) -> Vec<Found> {
    let mut out = Vec::new();
    let mut bytes = Vec::new();
    for (at, len) in ranges {
        if out.len() >= max {
            break;
        }
        bytes.clear();
        if file.seek(SeekFrom::Start(at)).is_err()
            || (&mut *file)
                .take(len.min(WINDOW))
                .read_to_end(&mut bytes)
                .is_err()
        {
            break;
        }
        packets(&bytes, at, max, &mut out);
    }
    out
}

/// Every whole packet in `bytes` (which start at `base` in the file), up to `max` in `out`.
fn packets(bytes: &[u8], base: u64, max: usize, out: &mut Vec<Found>) {
    let mut from = 0;
    while out.len() < max {
        let Some((start, opener)) = OPENERS
            .iter()
            .filter_map(|o| find_bytes(bytes, o, from).map(|at| (at, *o)))
            .min_by_key(|(at, _)| *at)
        else {
            return;
        };
        match packet_end(bytes, start, opener) {
            Some(end) => {
                out.push(Found {
                    offset: base + start as u64,
                    text: String::from_utf8_lossy(&bytes[start..end]).into_owned(),
                });
                from = end;
            }
            // Cut off by the window, or never closed: look on after its opener.
            None => from = start + opener.len(),
        }
    }
}

/// Where the packet that starts at `start` ends: after the wrapper's end instruction, or the
/// element's end tag. `None` when it does not end before another packet starts.
fn packet_end(bytes: &[u8], start: usize, opener: &[u8]) -> Option<usize> {
    let from = start + opener.len();
    if opener == OPENERS[0] {
        let end = find_bytes(bytes, WRAPPER_END, from)?;
        if find_bytes(&bytes[..end], OPENERS[0], from).is_some() {
            return None;
        }
        return find_bytes(bytes, b"?>", end).map(|e| e + 2);
    }
    let close: &[u8] = if opener == OPENERS[1] {
        b"</x:xmpmeta>"
    } else {
        b"</x:xapmeta>"
    };
    let end = find_bytes(bytes, close, from)?;
    // An element left open does not swallow the packets after it: they never nest.
    let nested = OPENERS
        .iter()
        .any(|o| find_bytes(&bytes[..end], o, from).is_some());
    (!nested).then_some(end + close.len())
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
        let found = find(std::io::Cursor::new(&bytes), bytes.len() as u64, 16);
        assert_eq!(found.len(), 1);
        let x = &found[0];
        assert!(x.text.starts_with("<x:xmpmeta") && x.text.ends_with("</x:xmpmeta>"));
        assert_eq!(x.offset, 12);
        let mut none = Vec::new();
        packets(b"<x:xmpmeta but never closed", 0, 16, &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn finds_every_packet_up_to_the_cap() {
        let wrapped =
            b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><rdf:RDF/><?xpacket end='w'?>";
        let mut bytes = b"junk <x:xmpmeta never closed ".to_vec();
        bytes.extend_from_slice(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>open, swallows nothing ");
        for _ in 0..3 {
            bytes.extend_from_slice(wrapped);
            bytes.extend_from_slice(b"\0\0<x:xapmeta xmlns:x='adobe:ns:meta/'/></x:xapmeta>");
        }
        let mut out = Vec::new();
        packets(&bytes, 100, 16, &mut out);
        assert_eq!(out.len(), 6, "{out:?}");
        assert_eq!(out[0].text.as_bytes(), wrapped);
        assert!(out[1].text.starts_with("<x:xapmeta"));
        assert_eq!(
            out[0].offset,
            100 + bytes.iter().position(|b| *b == b'?').unwrap() as u64 - 1
        );
        let mut capped = Vec::new();
        packets(&bytes, 0, 4, &mut capped);
        assert_eq!(capped.len(), 4);
    }
}
