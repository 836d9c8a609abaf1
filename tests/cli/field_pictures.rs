//! Field pictures made from frames, for the tests of interlaced H.264 coded as fields (PAFF,
//! as AVCHD cameras and broadcast encoders write it), which no encoder the tests can run
//! makes. x264 codes each field as a small progressive picture of its own (intra only, CAVLC,
//! picture order type 2, as the tests ask it to); this rewrites the bitstream so that each
//! pair of pictures is the top and bottom field of one frame twice their height: the sequence
//! parameter set says frames may be coded as fields, each slice header says which field it is,
//! and the second field of a pair is an ordinary (non-IDR) picture of the same frame number.

/// The H.264 byte stream `annexb` (from x264 as described above) as field pairs.
pub fn pair_fields(annexb: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut log2_max_frame_num = 4;
    let mut field = 0usize;
    for nal in nal_units(annexb) {
        let Some(&head) = nal.first() else { continue };
        let kind = head & 31;
        let bits = Bits::of(&unescape(&nal[1..]));
        let (head, rewritten) = match kind {
            7 => {
                let mut r = Reader::new(&bits.0);
                r.u(24); // profile, constraints, level
                r.ue(); // seq_parameter_set_id
                log2_max_frame_num = r.ue() + 4;
                assert_eq!(r.ue(), 2, "picture order count type 2 expected");
                r.ue(); // max_num_ref_frames
                r.u(1); // gaps_in_frame_num_value_allowed_flag
                r.ue(); // pic_width_in_mbs_minus1
                r.ue(); // pic_height_in_map_units_minus1: now a field's height
                let at = r.at;
                assert!(bits.0[at], "frame_mbs_only_flag set expected");
                let mut b = bits.0.clone();
                // frame_mbs_only_flag 0, mb_adaptive_frame_field_flag 0; Main profile (77),
                // which allows field coding, with no constraint flags.
                b.splice(at..at + 1, [false, false]);
                b.splice(0..16, byte_bits(&[77, 0]));
                (head, Bits(b).finish())
            }
            5 => {
                let mut r = Reader::new(&bits.0);
                r.ue(); // first_mb_in_slice
                r.ue(); // slice_type
                r.ue(); // pic_parameter_set_id
                r.u(log2_max_frame_num); // frame_num: 0 in an IDR picture
                let after_frame_num = r.at;
                r.ue(); // idr_pic_id
                let after_idr = r.at;
                let mut b = bits.0.clone();
                let bottom = field % 2 == 1;
                field += 1;
                if bottom {
                    // The second field: not an IDR picture of its own, so no idr_pic_id, and
                    // its reference marking is the one-bit form (no adaptive marking).
                    b.splice(after_frame_num..after_idr + 2, [true, true, false]);
                    ((head & 0xE0) | 1, Bits(b).finish())
                } else {
                    b.splice(after_frame_num..after_frame_num, [true, false]);
                    (head, Bits(b).finish())
                }
            }
            _ => (head, unescape(&nal[1..])),
        };
        out.extend_from_slice(&[0, 0, 0, 1, head]);
        out.extend_from_slice(&escape(&rewritten));
    }
    out
}

fn nal_units(stream: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= stream.len() {
        if stream[i..i + 3] == [0, 0, 1] {
            starts.push(i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let mut e = starts.get(k + 1).map_or(stream.len(), |n| n - 3);
            while e > s && stream[e - 1] == 0 {
                e -= 1;
            }
            &stream[s..e]
        })
        .collect()
}

fn unescape(nal: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(nal.len());
    let mut zeros = 0;
    for &b in nal {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        out.push(b);
        zeros = if b == 0 { zeros + 1 } else { 0 };
    }
    out
}

fn escape(rbsp: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rbsp.len() + 8);
    let mut zeros = 0;
    for &b in rbsp {
        if zeros >= 2 && b <= 3 {
            out.push(3);
            zeros = 0;
        }
        out.push(b);
        zeros = if b == 0 { zeros + 1 } else { 0 };
    }
    out
}

fn byte_bits(bytes: &[u8]) -> Vec<bool> {
    bytes
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
        .collect()
}

/// A NAL unit's payload as bits.
struct Bits(Vec<bool>);

impl Bits {
    fn of(rbsp: &[u8]) -> Bits {
        Bits(byte_bits(rbsp))
    }

    /// The payload with its trailing bits (a stop bit, then zeros to a byte) made again after
    /// bits were inserted or removed before them.
    fn finish(mut self) -> Vec<u8> {
        let stop = self.0.iter().rposition(|&b| b).expect("a stop bit");
        self.0.truncate(stop);
        self.0.push(true);
        while !self.0.len().is_multiple_of(8) {
            self.0.push(false);
        }
        self.0
            .chunks(8)
            .map(|c| c.iter().fold(0u8, |v, &b| v << 1 | u8::from(b)))
            .collect()
    }
}

struct Reader<'a> {
    bits: &'a [bool],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bits: &'a [bool]) -> Reader<'a> {
        Reader { bits, at: 0 }
    }

    fn u(&mut self, n: usize) -> usize {
        let v = self.bits[self.at..self.at + n]
            .iter()
            .fold(0, |v, &b| v << 1 | usize::from(b));
        self.at += n;
        v
    }

    fn ue(&mut self) -> usize {
        let mut zeros = 0;
        while !self.bits[self.at] {
            zeros += 1;
            self.at += 1;
        }
        self.at += 1;
        (1 << zeros) - 1 + self.u(zeros)
    }
}
