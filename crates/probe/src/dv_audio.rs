//! DV's sound as it is coded. A DV frame carries its sound inside the frame, and its audio
//! source pack says how the samples are quantised: 16-bit linear, or 12-bit non-linear (the
//! 32 kHz four-channel mode of consumer camcorders). FFmpeg's DV demuxer expands 12-bit
//! samples to 16-bit ones and says nothing of the difference, so the depth is read here from
//! the first frame, the way that demuxer finds the pack (`dv_extract_pack` in libavformat/dv.c).

use std::io::{Read, Seek, SeekFrom};

/// The pack type of the audio source pack (AAUX AS).
const AUDIO_SOURCE: u8 = 0x50;
/// Bytes read from the start of the file: a DV frame's ten DIF sequences of 12000 bytes, and
/// room for junk before the first one.
const LOOK: u64 = 256 * 1024;

/// Bits per sample the first DV frame's audio source pack gives (16, 12 or 20); `None` when
/// there is no frame or no pack, or it names a quantisation DV does not define.
pub fn coded_bits(file: &mut (impl Read + Seek)) -> Option<u32> {
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut head = Vec::new();
    file.take(LOOK).read_to_end(&mut head).ok()?;
    let start = frame_start(&head)?;
    pack_bits(head.get(start..)?)
}

/// Where the first DIF sequence's header block begins: section type 0, sequence 0, block 0,
/// as FFmpeg's probe for raw DV looks for it.
fn frame_start(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w[0] == 0x1f && w[1] == 0x07 && w[2] == 0x00 && w[3] & 0x3f == 0x3f)
}

/// The quantisation in the audio source pack of the frame `frame` begins: the pack sits in
/// the audio blocks of one of the first DIF sequences (in the fourth audio block of even
/// ones, the first of odd ones); a frame cut before it has none.
fn pack_bits(frame: &[u8]) -> Option<u32> {
    let pack = (0..10).find_map(|c: usize| {
        let blocks = if c % 2 == 1 { 0 } else { 3 };
        let at = 80 * 6 + 80 * 16 * blocks + 3 + c * 12000;
        let pack = frame.get(at..at + 5)?;
        (pack[0] == AUDIO_SOURCE).then_some(pack)
    })?;
    match pack[4] & 0x07 {
        0 => Some(16),
        1 => Some(12),
        2 => Some(20),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DV frame of `len` bytes whose first sequence holds an audio source pack with
    /// quantisation `quant`, after `junk` bytes of something else.
    fn frame(junk: usize, len: usize, quant: u8) -> Vec<u8> {
        let mut b = vec![0u8; junk + len];
        b[junk..junk + 4].copy_from_slice(&[0x1f, 0x07, 0x00, 0xbf]);
        let at = junk + 80 * 6 + 80 * 16 * 3 + 3;
        if at + 5 <= b.len() {
            b[at..at + 5].copy_from_slice(&[AUDIO_SOURCE, 0xd0, 0x30, 0xe0, 0xd0 | quant]);
        }
        b
    }

    #[test]
    fn the_audio_source_pack_gives_the_depth() {
        let read = |b: Vec<u8>| coded_bits(&mut std::io::Cursor::new(b));
        assert_eq!(read(frame(0, 144_000, 1)), Some(12));
        assert_eq!(read(frame(0, 144_000, 0)), Some(16));
        assert_eq!(read(frame(333, 144_000, 1)), Some(12));
        // Cut before the pack, or a quantisation DV does not define: nothing is claimed.
        assert_eq!(read(frame(0, 4000, 1)), None);
        assert_eq!(read(frame(0, 144_000, 5)), None);
        assert_eq!(read(vec![0u8; 1000]), None);
    }
}
