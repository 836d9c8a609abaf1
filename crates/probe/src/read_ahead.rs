//! Reading ahead on a cold disk. A pass that keeps only some streams of an interleaved file
//! (the sound of a ProRes master, whose 12 KB of sound per frame sit between 330 KB pictures)
//! makes the demuxer jump from one packet to the next far along: each jump is a small read the
//! system's own read-ahead does not take for a sequential one, so each waits on the disk in
//! turn, and the pass is bound by the disk's latency, not by decoding. The file's index (an
//! MP4's or MOV's sample tables, which FFmpeg holds per packet) says where every packet the
//! pass will read lies, so the system is asked for the next few megabytes of them before the
//! demuxer gets there, and fetches them together while the decoder works. Nothing read changes:
//! this only warms the system's cache.

use ffmpeg::format::context::Input;
use ffmpeg_next as ffmpeg;
use std::collections::VecDeque;
use std::fs::File;

/// Bytes asked for ahead of the demuxer: enough to keep the disk busy with many requests at
/// once, little enough that the cache never holds much the pass has not reached.
const AHEAD: u64 = 4 << 20;
/// The longest one request: a file whose packets are one long run is asked for in pieces, so
/// that `AHEAD` still bounds what is asked ahead.
const PIECE: u64 = 1 << 20;

/// Where the packets a pass reads lie, and how far ahead of the demuxer they have been asked for.
pub struct ReadAhead<'f> {
    file: &'f File,
    /// Byte ranges to read, in file order, disjoint.
    ranges: Vec<(u64, u64)>,
    /// The first range not wholly asked for, and how far into it the asking got.
    next: usize,
    asked_to: u64,
    /// Pieces asked for that the demuxer has not passed yet, and their total length.
    pending: VecDeque<(u64, u64)>,
    pending_bytes: u64,
}

impl<'f> ReadAhead<'f> {
    /// For a pass reading the packets of the streams `keep` names. `None` when the demuxer's
    /// index does not list every packet (only the MP4/MOV demuxer's is known to), so there is
    /// nothing sure to ask for: the system's read-ahead is left to itself.
    pub fn for_streams(
        input: &Input,
        file: &'f File,
        keep: impl Fn(usize) -> bool,
    ) -> Option<ReadAhead<'f>> {
        if !input.format().name().split(',').any(|n| n == "mov") {
            return None;
        }
        // What the demuxer reads after a jump: a whole buffer, whatever the packet's size.
        let buffer = crate::ffi::format::io_buffer_size(input)?;
        let mut ranges = Vec::new();
        for index in input.streams().map(|s| s.index()).filter(|&i| keep(i)) {
            for i in 0..crate::ffi::format::index_len(input, index) {
                let Some(entry) = crate::ffi::format::index_entry(input, index, i) else {
                    continue;
                };
                let (Ok(pos), Ok(size)) = (u64::try_from(entry.pos), u64::try_from(entry.size))
                else {
                    continue;
                };
                ranges.push((pos, pos + size.max(buffer)));
            }
        }
        if ranges.is_empty() {
            return None;
        }
        ranges.sort_unstable();
        Some(ReadAhead::new(file, merge(ranges, 2 * buffer)))
    }

    fn new(file: &'f File, ranges: Vec<(u64, u64)>) -> ReadAhead<'f> {
        ReadAhead {
            file,
            ranges,
            next: 0,
            asked_to: 0,
            pending: VecDeque::new(),
            pending_bytes: 0,
        }
    }

    /// The byte ranges the pass will read, in file order.
    pub fn ranges(&self) -> &[(u64, u64)] {
        &self.ranges
    }

    /// The demuxer has read up to `pos` (a packet's position): what lies behind it needs no
    /// more asking, and the asking goes on ahead of it.
    pub fn reached(&mut self, pos: u64) {
        for (from, to) in self.plan(pos) {
            crate::ffi::os::read_ahead(self.file, from, to - from);
        }
    }

    /// The pieces to ask for now that the demuxer is at `pos`.
    fn plan(&mut self, pos: u64) -> Vec<(u64, u64)> {
        let mut asks = Vec::new();
        while let Some(&(start, end)) = self.pending.front() {
            if end > pos {
                break;
            }
            self.pending.pop_front();
            self.pending_bytes -= end - start;
        }
        // A jump forward (a pass that skips, a damaged index) leaves ranges behind unasked.
        while self.next < self.ranges.len() && self.ranges[self.next].1 <= pos {
            self.next += 1;
        }
        while self.pending_bytes < AHEAD {
            let Some(&(start, end)) = self.ranges.get(self.next) else {
                break;
            };
            let from = start.max(self.asked_to).max(pos);
            let to = end.min(from + PIECE);
            asks.push((from, to));
            self.pending.push_back((from, to));
            self.pending_bytes += to - from;
            self.asked_to = to;
            if to >= end {
                self.next += 1;
            }
        }
        asks
    }
}

/// Joins ranges (sorted by start) that overlap or lie less than `gap` apart: the demuxer reads
/// through a short gap rather than jumping it.
fn merge(sorted: Vec<(u64, u64)>, gap: u64) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(sorted.len());
    for (start, end) in sorted {
        match out.last_mut() {
            Some(last) if start <= last.1.saturating_add(gap) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_overlapping_and_near_ranges_only() {
        let ranges = vec![(0, 10), (5, 20), (25, 30), (100, 110), (111, 120)];
        assert_eq!(merge(ranges, 4), vec![(0, 20), (25, 30), (100, 120)]);
    }

    fn asked(asks: &[(u64, u64)]) -> u64 {
        asks.iter().map(|(a, b)| b - a).sum()
    }

    #[test]
    fn asks_a_window_ahead_of_the_demuxer_and_nothing_behind_it() {
        let file = File::open(std::env::current_exe().unwrap()).unwrap();
        // 38 KB of sound every 340 KB, as in a ProRes master with PCM.
        let ranges: Vec<(u64, u64)> = (0..2000u64)
            .map(|i| (i * 340_000, i * 340_000 + 38_000))
            .collect();
        let mut ahead = ReadAhead::new(&file, ranges.clone());
        let first = ahead.plan(0);
        assert_eq!(first[0], ranges[0]);
        assert!(asked(&first) >= AHEAD && asked(&first) < AHEAD + 38_000);
        assert!(first.iter().all(|p| ranges.contains(p)), "{first:?}");
        // The demuxer at the tenth range: ten ranges more are asked for, from where the asking
        // stopped, none twice.
        let last_asked = first.last().unwrap().1;
        let next = ahead.plan(ranges[10].0);
        assert_eq!(next.len(), 10, "{next:?}");
        assert!(next[0].0 >= last_asked);
        // A jump far ahead: nothing behind the demuxer is asked for.
        let far = ranges[1500].0 + 1;
        let after_jump = ahead.plan(far);
        assert!(after_jump.iter().all(|&(a, _)| a >= far), "{after_jump:?}");
        assert!(asked(&after_jump) >= AHEAD - 38_000);
    }

    #[test]
    fn one_long_run_is_asked_for_in_pieces() {
        let file = File::open(std::env::current_exe().unwrap()).unwrap();
        let mut ahead = ReadAhead::new(&file, vec![(1000, 1000 + 100 * PIECE)]);
        let asks = ahead.plan(0);
        assert!(asks.iter().all(|(a, b)| b - a <= PIECE));
        assert_eq!(asked(&asks), AHEAD);
        assert_eq!(asks[0].0, 1000);
        let asks = ahead.plan(1000 + 2 * PIECE);
        assert_eq!(asked(&asks), 2 * PIECE, "two pieces passed, two more asked");
    }
}
