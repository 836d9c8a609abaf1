//! What the first packets of an H.264 stream say in SEI messages besides HDR, read without
//! decoding (the packets the header read keeps anyway):
//! - the display orientation (SEI payload 47) an encoder or camera asks players to apply, which
//!   transport streams carry instead of a container display matrix;
//! - the camera record of AVCHD camcorders, "MDPM" (Modified DV Pack Meta): user data
//!   unregistered (payload 5) with the UUID 17ee8c60-f84d-11d9-8cd6-0800200c9a66, then
//!   `MDPM`, a count and five-byte entries. Tag 0xE0 holds the maker's code; Sony writes the
//!   model's name in tags 0xE4 to 0xE6 (as ExifTool's H264 module documents).

use crate::hdr::sei::{length_size, nal_units, sei_messages, unescape};
use ffmpeg_next::ffi as sys;

/// The MDPM user-data UUID followed by its "MDPM" mark.
const MDPM: [u8; 20] = [
    0x17, 0xee, 0x8c, 0x60, 0xf8, 0x4d, 0x11, 0xd9, 0x8c, 0xd6, 0x08, 0x00, 0x20, 0x0c, 0x9a, 0x66,
    b'M', b'D', b'P', b'M',
];

/// Makers' codes of MDPM tag 0xE0.
const MAKERS: &[(u16, &str)] = &[
    (0x0103, "Panasonic"),
    (0x0108, "Sony"),
    (0x1011, "Canon"),
    (0x1104, "JVC"),
];

#[derive(Debug, Default, PartialEq)]
pub struct InBand {
    /// The display-orientation message: counter-clockwise degrees, horizontal and vertical
    /// flip.
    pub orientation: Option<(f64, bool, bool)>,
    /// The MDPM camera record: maker, model.
    pub camera: Option<(Option<String>, Option<String>)>,
}

/// Reads the SEI messages of the first packets of an H.264 stream; other codecs say nothing.
pub fn read(par: &sys::AVCodecParameters, packets: &[Vec<u8>]) -> InBand {
    let mut found = InBand::default();
    if par.codec_id != sys::AVCodecID::AV_CODEC_ID_H264 {
        return found;
    }
    let length_size = length_size(par, false);
    for packet in packets {
        for nal in nal_units(packet, length_size) {
            if nal.first().is_some_and(|b| b & 0x1f == 6) && nal.len() > 1 {
                messages(&unescape(&nal[1..]), &mut found);
            }
        }
    }
    found
}

/// The clockwise turn (degrees) that shows the picture upright, as `rotation` names it, from
/// a display-orientation message.
pub fn rotation((angle, hflip, vflip): (f64, bool, bool)) -> Option<f64> {
    // As FFmpeg's decoders build the matrix they attach to frames: av_display_rotation_set
    // takes a clockwise angle, and each flip applied after the turn negates it again.
    let sign = |flip: bool| if flip { -1.0 } else { 1.0 };
    let clockwise = -angle * sign(hflip) * sign(vflip);
    let matrix = crate::ffi::codec::orientation_matrix(clockwise, hflip, vflip);
    let deg = crate::ffi::codec::display_rotation(&matrix);
    deg.is_finite().then(|| {
        let cw = (-deg).rem_euclid(360.0);
        if cw.abs() < 1e-6 || (cw - 360.0).abs() < 1e-6 {
            0.0
        } else {
            cw
        }
    })
}

/// A sentence of camera-capture evidence from the MDPM record, if the stream holds one.
pub fn capture_evidence(index: usize, found: &InBand) -> Option<String> {
    let (make, model) = found.camera.as_ref()?;
    let mut parts = Vec::new();
    if let Some(m) = make {
        parts.push(format!("make \"{m}\""));
    }
    if let Some(m) = model {
        parts.push(format!("model \"{m}\""));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "stream #{index} H.264 camera record (AVCHD MDPM) names the recording camera: {}",
        parts.join(", ")
    ))
}

fn messages(rbsp: &[u8], found: &mut InBand) {
    for (kind, payload) in sei_messages(rbsp) {
        match kind {
            5 if payload.starts_with(&MDPM) && found.camera.is_none() => {
                found.camera = mdpm(&payload[MDPM.len()..]);
            }
            47 if found.orientation.is_none() => found.orientation = orientation(payload),
            _ => {}
        }
    }
}

/// display_orientation(): cancel flag, horizontal flip, vertical flip, then the
/// counter-clockwise rotation in units of 360/65536 degrees.
fn orientation(payload: &[u8]) -> Option<(f64, bool, bool)> {
    let bits = u32::from_be_bytes([
        *payload.first()?,
        *payload.get(1)?,
        *payload.get(2)?,
        payload.get(3).copied().unwrap_or(0),
    ]);
    if bits >> 31 == 1 {
        return None; // cancels an earlier orientation: none applies
    }
    let hflip = (bits >> 30) & 1 == 1;
    let vflip = (bits >> 29) & 1 == 1;
    let turn = (bits >> 13) & 0xFFFF;
    Some((f64::from(turn) * 360.0 / 65536.0, hflip, vflip))
}

fn mdpm(body: &[u8]) -> Option<(Option<String>, Option<String>)> {
    let (&count, entries) = body.split_first()?;
    let mut make = None;
    let mut model_bytes = Vec::new();
    for e in entries.chunks_exact(5).take(usize::from(count)) {
        match e[0] {
            0xE0 => {
                let code = u16::from_be_bytes([e[1], e[2]]);
                make = Some(MAKERS.iter().find(|(c, _)| *c == code).map_or_else(
                    || format!("maker code 0x{code:04x}"),
                    |(_, n)| n.to_string(),
                ));
            }
            0xE4..=0xE6 => model_bytes.extend_from_slice(&e[1..]),
            _ => {}
        }
    }
    let model = model_bytes
        .split(|b| *b == 0)
        .next()
        .filter(|m| !m.is_empty() && m.iter().all(|b| b.is_ascii_graphic() || *b == b' '))
        .map(|m| String::from_utf8_lossy(m).trim().to_string())
        .filter(|m| !m.is_empty());
    (make.is_some() || model.is_some()).then_some((make, model))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_sony_mdpm_record() {
        let mut body = vec![4u8];
        body.extend_from_slice(&[0x18, 0x02, 0x20, 0x08, 0x12]);
        body.extend_from_slice(&[0xE0, 0x01, 0x08, 0x00, 0x00]);
        body.extend_from_slice(&[0xE4, b'H', b'D', b'R', b'-']);
        body.extend_from_slice(&[0xE5, b'C', b'X', b'7', 0]);
        assert_eq!(
            mdpm(&body),
            Some((Some("Sony".into()), Some("HDR-CX7".into())))
        );
    }

    #[test]
    fn reads_display_orientation() {
        // Not cancelled, no flips, a quarter turn (16384 units of 360/65536).
        let bits: u32 = 16384 << 13;
        let p = bits.to_be_bytes();
        assert_eq!(orientation(&p), Some((90.0, false, false)));
        assert_eq!(orientation(&[0x80, 0, 0, 0]), None);
    }
}
