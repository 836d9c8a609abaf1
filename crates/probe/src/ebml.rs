//! The one thing read from a Matroska or WebM file's own bytes: whether it still holds its
//! whole segment. A muxer writes the segment's size when it finishes the file; a file cut
//! short holds fewer bytes than that size. This tells a whole file whose header's duration
//! reaches past its picture (a last subtitle cue that runs on) from one that lost its end.

use std::io::{Read, Seek, SeekFrom};

const EBML_HEADER: u32 = 0x1A45_DFA3;
const SEGMENT: u32 = 0x1853_8067;

/// Whether the file holds every byte of its segment: `None` when it is not Matroska, or its
/// segment's size was never written (a live recording).
pub fn segment_whole(file: &mut (impl Read + Seek), file_size: u64) -> Option<bool> {
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut head = [0u8; 256];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(_) => return None,
        }
    }
    let head = &head[..got];
    let (id, at) = element_id(head, 0)?;
    if id != EBML_HEADER {
        return None;
    }
    let (size, at) = vint(head, at)?;
    let at = at.checked_add(usize::try_from(size?).ok()?)?;
    let (id, at) = element_id(head, at)?;
    if id != SEGMENT {
        return None;
    }
    let (size, at) = vint(head, at)?;
    let end = (at as u64).checked_add(size?)?;
    Some(end <= file_size)
}

/// An element ID (its marker bits kept, as the specification writes IDs) and where it ends.
fn element_id(bytes: &[u8], at: usize) -> Option<(u32, usize)> {
    let first = *bytes.get(at)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 4 {
        return None;
    }
    let raw = bytes.get(at..at + len)?;
    Some((
        raw.iter().fold(0u32, |v, b| v << 8 | u32::from(*b)),
        at + len,
    ))
}

/// A size and where it ends; the size is `None` when every value bit is set ("unknown").
fn vint(bytes: &[u8], at: usize) -> Option<(Option<u64>, usize)> {
    let first = *bytes.get(at)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let raw = bytes.get(at..at + len)?;
    let mask = if len == 8 { 0 } else { 0xFFu8 >> len };
    let value = raw[1..]
        .iter()
        .fold(u64::from(first & mask), |v, b| v << 8 | u64::from(*b));
    let all_ones = (1u64 << (7 * len)) - 1;
    Some(((value != all_ones).then_some(value), at + len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn file(segment_size: &[u8], body: usize) -> Vec<u8> {
        let mut f = vec![0x1A, 0x45, 0xDF, 0xA3, 0x83, 1, 2, 3];
        f.extend_from_slice(&[0x18, 0x53, 0x80, 0x67]);
        f.extend_from_slice(segment_size);
        f.extend(std::iter::repeat_n(0u8, body));
        f
    }

    #[test]
    fn a_whole_segment_and_a_cut_one() {
        let whole = file(&[0x40, 0x64], 100);
        assert_eq!(
            segment_whole(&mut Cursor::new(&whole), whole.len() as u64),
            Some(true)
        );
        let cut = file(&[0x40, 0x64], 60);
        assert_eq!(
            segment_whole(&mut Cursor::new(&cut), cut.len() as u64),
            Some(false)
        );
    }

    #[test]
    fn an_unknown_size_or_another_format_says_nothing() {
        let live = file(&[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 10);
        assert_eq!(
            segment_whole(&mut Cursor::new(&live), live.len() as u64),
            None
        );
        let mp4 = b"\0\0\0\x18ftypisom".to_vec();
        assert_eq!(
            segment_whole(&mut Cursor::new(&mp4), mp4.len() as u64),
            None
        );
    }
}
