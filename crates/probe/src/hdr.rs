//! The HDR format of a picture stream, and its mastering metadata where the file carries it.
//!
//! Containers carry Dolby Vision's configuration record and HDR10's mastering display and
//! light levels as stream side data (MP4 `dvcC`/`mdcv`/`clli`, Matroska colour elements);
//! encoders such as x265 put the same values in SEI messages inside the first pictures instead,
//! so those are read from the first packets, without decoding. HDR10+ exists only with the
//! pictures: inside them (HEVC SEI, AV1 metadata OBUs), or beside each picture in Matroska and
//! WebM block additions, which FFmpeg hands over as the packet's side data. A tag or title that
//! says HDR10+ is not read: only the metadata itself counts.

use ffmpeg::codec::packet::side_data::Type as SideType;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use reelcheck_facts::MasteringDisplay;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Hdr {
    pub kind: &'static str,
    pub dolby_vision_profile: Option<u32>,
    pub mastering_display: Option<MasteringDisplay>,
    pub max_cll: Option<u32>,
    pub max_fall: Option<u32>,
}

/// The Dolby Vision profile of the stream's configuration record, if it has one.
pub fn dolby_vision_profile(stream: &ffmpeg::format::stream::Stream<'_>) -> Option<u32> {
    stream
        .side_data()
        .find(|s| s.kind() == SideType::DOVI_CONF)
        // AVDOVIDecoderConfigurationRecord: version major, minor, then the profile, as bytes.
        .and_then(|s| s.data().get(2).map(|p| u32::from(*p)))
}

/// Whether a packet's side data carries SMPTE ST 2094-40 (HDR10+) metadata, as the Matroska
/// demuxer exports a block addition: FFmpeg 5.1 gives every BlockAdditional as
/// `MATROSKA_BLOCKADDITIONAL` (the BlockAddID in 8 big-endian bytes, then the addition as
/// stored: for HDR10+ the ITU-T T.35 message, BlockAddID 4 in WebM); FFmpeg 7.1 parses an
/// HDR10+ T.35 addition itself and gives `DYNAMIC_HDR10_PLUS` (an `AVDynamicHDRPlus`) instead.
pub fn in_side_data(packet: &ffmpeg::Packet) -> bool {
    packet.side_data().any(|side| match side.kind() {
        SideType::DYNAMIC_HDR10_PLUS => !side.data().is_empty(),
        SideType::MatroskaBlockAdditional => sei::block_additional_is_hdr10_plus(side.data()),
        _ => false,
    })
}

/// Classifies the stream from its side data, its transfer characteristic and the first packets
/// (their bytes, and whether their side data carries HDR10+: see [`in_side_data`]).
pub fn read(
    stream: &ffmpeg::format::stream::Stream<'_>,
    par: &sys::AVCodecParameters,
    first_packets: &[Vec<u8>],
    side_hdr10_plus: bool,
) -> Hdr {
    let mut hdr = Hdr {
        dolby_vision_profile: dolby_vision_profile(stream),
        ..Default::default()
    };
    for side in stream.side_data() {
        match side.kind() {
            SideType::MasteringDisplayMetadata => {
                hdr.mastering_display = mastering_from_side_data(side.data());
            }
            SideType::ContentLightLevel => {
                let d = side.data();
                if d.len() >= 8 {
                    // AVContentLightMetadata: two native-endian unsigned ints.
                    let cll = u32::from_ne_bytes([d[0], d[1], d[2], d[3]]);
                    let fall = u32::from_ne_bytes([d[4], d[5], d[6], d[7]]);
                    hdr.max_cll = Some(cll);
                    hdr.max_fall = Some(fall);
                }
            }
            _ => {}
        }
    }
    let sei = sei::scan(par, first_packets);
    if hdr.mastering_display.is_none() {
        hdr.mastering_display = sei.mastering_display;
    }
    if hdr.max_cll.is_none() {
        (hdr.max_cll, hdr.max_fall) = (sei.max_cll, sei.max_fall);
    }
    use sys::AVColorTransferCharacteristic::*;
    hdr.kind = if hdr.dolby_vision_profile.is_some() {
        "dolby-vision"
    } else if sei.hdr10_plus || side_hdr10_plus {
        "hdr10plus"
    } else if par.color_trc == AVCOL_TRC_SMPTE2084 {
        "hdr10"
    } else if par.color_trc == AVCOL_TRC_ARIB_STD_B67 {
        "hlg"
    } else {
        "sdr"
    };
    hdr
}

fn mastering_from_side_data(d: &[u8]) -> Option<MasteringDisplay> {
    // AVMasteringDisplayMetadata is 22 native-endian ints: the red, green and blue primaries
    // and the white point as x, y rationals, the minimum and maximum luminance as rationals,
    // then has_primaries and has_luminance.
    let ints: Vec<i32> = d
        .chunks_exact(4)
        .take(22)
        .map(|c| i32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if ints.len() < 22 || (ints[20] == 0 && ints[21] == 0) {
        return None;
    }
    let q = |i: usize| {
        if ints[i + 1] == 0 {
            0.0
        } else {
            round4(f64::from(ints[i]) / f64::from(ints[i + 1]))
        }
    };
    Some(MasteringDisplay {
        red: [q(0), q(2)],
        green: [q(4), q(6)],
        blue: [q(8), q(10)],
        white_point: [q(12), q(14)],
        min_luminance: q(16),
        max_luminance: q(18),
    })
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// SEI messages of H.264 and HEVC, and the HDR10+ mark of any codec.
pub(crate) mod sei {
    use super::{round4, MasteringDisplay};
    use ffmpeg_next::ffi as sys;

    #[derive(Debug, Default)]
    pub struct Found {
        pub mastering_display: Option<MasteringDisplay>,
        pub max_cll: Option<u32>,
        pub max_fall: Option<u32>,
        pub hdr10_plus: bool,
    }

    /// ITU-T T.35 header of SMPTE ST 2094-40 (HDR10+): country United States, provider
    /// Samsung, provider-oriented code 1, application identifier 4.
    const HDR10_PLUS: [u8; 6] = [0xB5, 0x00, 0x3C, 0x00, 0x01, 0x04];

    /// Whether a `MATROSKA_BLOCKADDITIONAL` side data (BlockAddID as 8 big-endian bytes, then
    /// the BlockAdditional) is an HDR10+ T.35 message. BlockAddID 1 is the codec's own
    /// addition (a VP9 or VP8 alpha picture), never metadata; WebM gives T.35 messages ID 4,
    /// and Matroska any ID its track maps to the T.35 type.
    pub(crate) fn block_additional_is_hdr10_plus(side: &[u8]) -> bool {
        let Some((id, data)) = side.split_first_chunk::<8>() else {
            return false;
        };
        u64::from_be_bytes(*id) != 1 && data.starts_with(&HDR10_PLUS)
    }

    pub fn scan(par: &sys::AVCodecParameters, packets: &[Vec<u8>]) -> Found {
        let mut found = Found {
            // The T.35 header holds no two zero bytes in a row, so emulation prevention never
            // splits it: a plain search finds it in SEI (HEVC) and metadata OBUs (AV1) alike.
            hdr10_plus: packets
                .iter()
                .any(|p| p.windows(HDR10_PLUS.len()).any(|w| w == HDR10_PLUS)),
            ..Default::default()
        };
        let hevc = match par.codec_id {
            sys::AVCodecID::AV_CODEC_ID_HEVC => true,
            sys::AVCodecID::AV_CODEC_ID_H264 => false,
            _ => return found,
        };
        let length_size = length_size(par, hevc);
        for packet in packets {
            for nal in nal_units(packet, length_size) {
                let (is_sei, header) = if hevc {
                    let t = nal.first().map_or(0, |b| (b >> 1) & 0x3f);
                    (t == 39 || t == 40, 2)
                } else {
                    (nal.first().is_some_and(|b| b & 0x1f == 6), 1)
                };
                if is_sei && nal.len() > header {
                    messages(&unescape(&nal[header..]), &mut found);
                }
            }
        }
        found
    }

    /// The size of the NAL length prefix for `avcC`/`hvcC` streams; `None` for Annex B.
    pub(crate) fn length_size(par: &sys::AVCodecParameters, hevc: bool) -> Option<usize> {
        let needed = if hevc { 23 } else { 5 };
        let ex = crate::ffi::codec::extradata(par);
        if ex.len() < needed {
            return None;
        }
        if ex[0] != 1 {
            return None;
        }
        let byte = if hevc { ex[21] } else { ex[4] };
        Some(usize::from(byte & 3) + 1)
    }

    pub(crate) fn nal_units(data: &[u8], length_size: Option<usize>) -> Vec<&[u8]> {
        let mut out = Vec::new();
        match length_size {
            Some(n) => {
                let mut i = 0;
                while i + n <= data.len() {
                    let len = data[i..i + n]
                        .iter()
                        .fold(0usize, |a, b| (a << 8) | usize::from(*b));
                    i += n;
                    if len == 0 || i + len > data.len() {
                        break;
                    }
                    out.push(&data[i..i + len]);
                    i += len;
                }
            }
            None => {
                let mut starts = Vec::new();
                let mut i = 0;
                while i + 3 <= data.len() {
                    if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
                        starts.push(i + 3);
                        i += 3;
                    } else {
                        i += 1;
                    }
                }
                for (k, &s) in starts.iter().enumerate() {
                    let end = starts.get(k + 1).map_or(data.len(), |&e| e - 3);
                    if s < end {
                        out.push(&data[s..end]);
                    }
                }
            }
        }
        out
    }

    /// Removes emulation-prevention bytes (00 00 03 → 00 00).
    pub(crate) fn unescape(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len());
        let mut zeros = 0;
        for &b in data {
            if zeros >= 2 && b == 3 {
                zeros = 0;
                continue;
            }
            zeros = if b == 0 { zeros + 1 } else { 0 };
            out.push(b);
        }
        out
    }

    /// The SEI messages of one SEI NAL unit's payload (emulation prevention removed), as
    /// (payload type, payload); a message cut short ends the list.
    pub(crate) fn sei_messages(rbsp: &[u8]) -> Vec<(usize, &[u8])> {
        let mut out = Vec::new();
        let mut i = 0;
        let read_var = |i: &mut usize| -> Option<usize> {
            let mut v = 0usize;
            loop {
                let b = *rbsp.get(*i)?;
                *i += 1;
                v += usize::from(b);
                if b != 0xFF {
                    return Some(v);
                }
            }
        };
        // The last byte is the RBSP trailing bits.
        while i + 1 < rbsp.len() {
            let Some(kind) = read_var(&mut i) else { break };
            let Some(size) = read_var(&mut i) else { break };
            let Some(payload) = rbsp.get(i..i + size) else {
                break;
            };
            i += size;
            out.push((kind, payload));
        }
        out
    }

    fn messages(rbsp: &[u8], found: &mut Found) {
        for (kind, payload) in sei_messages(rbsp) {
            let be16 = |o: usize| u16::from_be_bytes([payload[o], payload[o + 1]]);
            let be32 = |o: usize| {
                u32::from_be_bytes([payload[o], payload[o + 1], payload[o + 2], payload[o + 3]])
            };
            match kind {
                // mastering_display_colour_volume: green, blue, red, white point in 0.00002
                // units, then luminance in 0.0001 cd/m².
                137 if payload.len() >= 24 => {
                    let xy = |o: usize| {
                        [
                            round4(f64::from(be16(o)) * 0.00002),
                            round4(f64::from(be16(o + 2)) * 0.00002),
                        ]
                    };
                    found.mastering_display = Some(MasteringDisplay {
                        green: xy(0),
                        blue: xy(4),
                        red: xy(8),
                        white_point: xy(12),
                        max_luminance: round4(f64::from(be32(16)) * 0.0001),
                        min_luminance: round4(f64::from(be32(20)) * 0.0001),
                    });
                }
                // content_light_level_info: MaxCLL, MaxFALL.
                144 if payload.len() >= 4 => {
                    found.max_cll = Some(u32::from(be16(0)));
                    found.max_fall = Some(u32::from(be16(2)));
                }
                _ => {}
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn reads_mastering_display_and_light_level_messages() {
            // x265's master-display G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)
            // L(10000000,1) and max-cll 1000,400.
            let mut rbsp = vec![137, 24];
            for v in [13250u16, 34500, 7500, 3000, 34000, 16000, 15635, 16450] {
                rbsp.extend_from_slice(&v.to_be_bytes());
            }
            rbsp.extend_from_slice(&10_000_000u32.to_be_bytes());
            rbsp.extend_from_slice(&1u32.to_be_bytes());
            rbsp.extend_from_slice(&[144, 4, 0x03, 0xE8, 0x01, 0x90, 0x80]);
            let mut found = Found::default();
            messages(&rbsp, &mut found);
            let m = found.mastering_display.unwrap();
            assert_eq!(m.max_luminance, 1000.0);
            assert_eq!(m.red, [0.68, 0.32]);
            assert_eq!((found.max_cll, found.max_fall), (Some(1000), Some(400)));
        }

        #[test]
        fn finds_the_hdr10_plus_mark_in_any_codec() {
            let par = crate::ffi::codec::test_parameters(sys::AVCodecID::AV_CODEC_ID_AV1);
            // An AV1 metadata OBU of type ITUT_T35 as libaom and SVT-AV1 write HDR10+: the
            // T.35 country code 0xB5, provider 0x003C, provider-oriented code 0x0001,
            // application identifier 4, then the ST 2094-40 payload.
            let obu = vec![
                0x2A, 0x10, 0x04, 0xB5, 0x00, 0x3C, 0x00, 0x01, 0x04, 0x01, 0x40, 0x00, 0x0C, 0x80,
            ];
            assert!(scan(&par, &[vec![0x12, 0x00], obu.clone()]).hdr10_plus);
            // The same bytes with another application identifier are not HDR10+.
            let mut other = obu;
            other[8] = 0x05;
            assert!(!scan(&par, &[other]).hdr10_plus);
        }

        #[test]
        fn reads_the_hdr10_plus_block_addition_of_matroska() {
            let t35 = [
                0xB5, 0x00, 0x3C, 0x00, 0x01, 0x04, 0x01, 0x40, 0x00, 0x0C, 0x80,
            ];
            let side = |id: u64, data: &[u8]| [&id.to_be_bytes()[..], data].concat();
            assert!(block_additional_is_hdr10_plus(&side(4, &t35)));
            // A Matroska track may map another ID to the T.35 type.
            assert!(block_additional_is_hdr10_plus(&side(2, &t35)));
            // ID 1 is the codec's own addition (an alpha picture), whatever its bytes.
            assert!(!block_additional_is_hdr10_plus(&side(1, &t35)));
            // Another T.35 message (application identifier 5), and cut-short data.
            let mut other = t35;
            other[5] = 0x05;
            assert!(!block_additional_is_hdr10_plus(&side(4, &other)));
            assert!(!block_additional_is_hdr10_plus(&side(4, &t35[..5])));
            assert!(!block_additional_is_hdr10_plus(&t35[..7]));
        }
    }
}
