//! Bit depth from the coded stream and the HDR format with its mastering metadata, on films
//! made here: 10-bit HEVC with HDR10 SEI (as x265 writes it), HLG, 8-bit SDR, 12-bit JPEG 2000
//! in MXF (which decodes to 16-bit pixels) and PCM and AAC audio.

use crate::media::preset::H264_ULTRAFAST;
use crate::support::*;
use serde_json::Value;
use std::path::Path;

fn facts(path: &Path) -> Value {
    let (code, out, err) = run(&["probe", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    json(&out)[0].clone()
}

const PATTERN: &str = "testsrc2=size=320x180:rate=25:duration=1";

#[test]
fn hevc_with_hdr10_metadata_is_hdr10_with_its_mastering_display() {
    let film = lavfi(
        "hdr-hdr10.mp4",
        &[PATTERN],
        &[
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p10le",
            "-color_primaries",
            "bt2020",
            "-color_trc",
            "smpte2084",
            "-colorspace",
            "bt2020nc",
            "-x265-params",
            "log-level=error:hdr10=1:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1):max-cll=1000,400",
        ],
    );
    let v = &facts(&film)["video"][0];
    assert_eq!(v["hdr"], "hdr10", "{v:#}");
    assert_eq!(v["bit_depth"], 10);
    assert_eq!(v["max_cll"], 1000);
    assert_eq!(v["max_fall"], 400);
    let m = &v["mastering_display"];
    assert_eq!(m["max_luminance"], 1000.0, "{m:#}");
    assert_eq!(m["min_luminance"], 0.0001);
    assert_eq!(m["red"], serde_json::json!([0.68, 0.32]));
    assert_eq!(v["dolby_vision_profile"], Value::Null);
}

#[test]
fn hlg_transfer_is_hlg_and_plain_video_is_sdr() {
    let hlg = lavfi(
        "hdr-hlg.mp4",
        &[PATTERN],
        &[
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-x265-params",
            "log-level=error",
            "-pix_fmt",
            "yuv420p10le",
            "-color_primaries",
            "bt2020",
            "-color_trc",
            "arib-std-b67",
            "-colorspace",
            "bt2020nc",
        ],
    );
    let v = &facts(&hlg)["video"][0];
    assert_eq!(
        (&v["hdr"], &v["bit_depth"]),
        (&"hlg".into(), &10.into()),
        "{v:#}"
    );
    assert_eq!(v["mastering_display"], Value::Null);

    let sdr = lavfi("hdr-sdr.mp4", &[PATTERN], H264_ULTRAFAST);
    let v = &facts(&sdr)["video"][0];
    assert_eq!(
        (&v["hdr"], &v["bit_depth"]),
        (&"sdr".into(), &8.into()),
        "{v:#}"
    );
}

#[test]
fn twelve_bit_jpeg_2000_is_12_bits_though_it_decodes_to_16() {
    let mxf = lavfi(
        "depth-j2k12.mxf",
        &["testsrc2=size=320x180:rate=24:duration=0.25"],
        &["-c:v", "libopenjpeg", "-pix_fmt", "gbrp12le"],
    );
    let v = &facts(&mxf)["video"][0];
    assert_eq!(v["pix_fmt"], "rgb48le", "{v:#}");
    assert_eq!(v["bit_depth"], 12, "{v:#}");
}

#[test]
fn audio_bit_depth_is_reported_for_pcm_and_lossless_only() {
    let tone = "sine=frequency=440:sample_rate=48000:duration=1";
    let wav = lavfi("depth-24.wav", &[tone], &["-c:a", "pcm_s24le"]);
    assert_eq!(facts(&wav)["audio"][0]["bit_depth"], 24);
    let flac = lavfi(
        "depth-16-flac.mka",
        &[tone],
        &["-c:a", "flac", "-sample_fmt", "s16"],
    );
    assert_eq!(facts(&flac)["audio"][0]["bit_depth"], 16);
    let aac = lavfi("depth-aac.m4a", &[tone], &["-c:a", "aac"]);
    let a = &facts(&aac)["audio"][0];
    assert!(
        a.get("bit_depth").is_some() && a["bit_depth"].is_null(),
        "{a:#}"
    );
}

// HDR10+ (SMPTE ST 2094-40). No encoder here writes it (Debian's x265 is built without it, and
// FFmpeg 5.1's encoders write none), so the films are made as a mastering tool would leave them: the
// same ITU-T T.35 message put into the coded pictures (an HEVC SEI message, an AV1 metadata
// OBU) or beside them (a Matroska block addition) by the byte-level writers in `st2094`.

/// 10-bit PQ pictures, as HDR10+ masters are; without the dynamic metadata they are HDR10.
const PQ: &[&str] = &[
    "-pix_fmt",
    "yuv420p10le",
    "-color_primaries",
    "bt2020",
    "-color_trc",
    "smpte2084",
    "-colorspace",
    "bt2020nc",
];

fn hdr(path: &Path) -> Value {
    facts(path)["video"][0]["hdr"].clone()
}

/// `-c copy` of `src` into the container of `name`'s extension.
fn remux(name: &str, src: &Path, input_format: &[&str], extra: &[&str]) -> std::path::PathBuf {
    let args = [
        input_format,
        &["-i", src.to_str().unwrap(), "-map", "0:v", "-c", "copy"],
        extra,
    ]
    .concat();
    media(name, &args)
}

/// A bare HEVC stream has no timestamps: its pictures are 25 a second.
const RAW_HEVC: &[&str] = &["-r", "25", "-f", "hevc"];

#[test]
fn hevc_with_st2094_40_sei_is_hdr10plus_in_mp4_and_matroska() {
    // No B-frames: a bare stream's pictures then come in the order they are shown, and
    // their times follow from the rate.
    let plain = lavfi(
        "hdr10plus-src.hevc",
        &[PATTERN],
        &[
            &[
                "-c:v",
                "libx265",
                "-preset",
                "ultrafast",
                "-x265-params",
                "log-level=error:bframes=0",
            ],
            PQ,
        ]
        .concat(),
    );
    let bytes = std::fs::read(&plain).unwrap();
    let with_sei = st2094::hevc_with_sei(&bytes, &st2094::t35(4));
    assert!(with_sei.len() > bytes.len());
    let es = save("hdr10plus.hevc", &with_sei);
    for name in ["hdr10plus-hevc.mp4", "hdr10plus-hevc.mkv"] {
        let film = remux(name, &es, RAW_HEVC, &[]);
        let v = &facts(&film)["video"][0];
        assert_eq!(v["hdr"], "hdr10plus", "{name}: {v:#}");
        assert_eq!(v["bit_depth"], 10, "{name}");
    }
    // The same pictures without the message are HDR10.
    let control = remux("hdr10plus-control.mkv", &plain, RAW_HEVC, &[]);
    assert_eq!(hdr(&control), "hdr10");
}

#[test]
fn av1_with_a_t35_metadata_obu_is_hdr10plus_in_mp4_and_webm() {
    let plain = lavfi(
        "hdr10plus-src.ivf",
        &["testsrc2=size=320x180:rate=25:duration=0.4"],
        &[
            &[
                "-c:v",
                "libaom-av1",
                "-usage",
                "realtime",
                "-cpu-used",
                "8",
                "-b:v",
                "200k",
            ],
            PQ,
        ]
        .concat(),
    );
    let bytes = std::fs::read(&plain).unwrap();
    let ivf = save(
        "hdr10plus.ivf",
        &st2094::ivf_av1_with_metadata(&bytes, &st2094::t35(4)),
    );
    for name in ["hdr10plus-av1.mp4", "hdr10plus-av1.webm"] {
        let film = remux(name, &ivf, &[], &[]);
        assert_eq!(hdr(&film), "hdr10plus", "{name}");
    }
    let control = remux("hdr10plus-av1-control.mp4", &plain, &[], &[]);
    assert_eq!(hdr(&control), "hdr10");
}

/// VP9 in WebM, 10-bit PQ: the way HDR10+ reaches streaming services, with the metadata of
/// each picture in a block addition (the VP9 bitstream has no place for it).
fn vp9_webm() -> std::path::PathBuf {
    lavfi(
        "hdr10plus-src.webm",
        &["testsrc2=size=320x180:rate=25:duration=0.4"],
        &[
            &[
                "-c:v",
                "libvpx-vp9",
                "-profile:v",
                "2",
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
                "-b:v",
                "200k",
            ],
            PQ,
        ]
        .concat(),
    )
}

#[test]
fn vp9_with_hdr10_plus_block_additions_is_hdr10plus_in_webm_and_matroska() {
    let webm = vp9_webm();
    let bytes = std::fs::read(&webm).unwrap();
    // WebM gives ITU-T T.35 messages BlockAddID 4 and declares nothing in the track.
    let film = save(
        "hdr10plus-vp9.webm",
        &st2094::with_block_additions(&bytes, &st2094::t35(4), false),
    );
    let v = &facts(&film)["video"][0];
    assert_eq!(v["hdr"], "hdr10plus", "{v:#}");
    assert_eq!(v["codec"], "vp9");
    // Matroska maps the ID to the T.35 type in the track (BlockAdditionMapping).
    let mkv = remux("hdr10plus-vp9-src.mkv", &webm, &[], &[]);
    let bytes = std::fs::read(&mkv).unwrap();
    let film = save(
        "hdr10plus-vp9.mkv",
        &st2094::with_block_additions(&bytes, &st2094::t35(4), true),
    );
    assert_eq!(hdr(&film), "hdr10plus");
    assert_eq!(hdr(&webm), "hdr10", "the pictures alone are HDR10");
}

#[test]
fn hdr10_plus_said_anywhere_but_in_the_stream_is_not_hdr10plus() {
    let webm = vp9_webm();
    // A T.35 block addition of another application (ST 2094-40's header with application
    // identifier 5) is not HDR10+.
    let bytes = std::fs::read(&webm).unwrap();
    let other = save(
        "hdr10plus-other-t35.webm",
        &st2094::with_block_additions(&bytes, &st2094::t35(5), false),
    );
    assert_eq!(hdr(&other), "hdr10");
    // Tags and a title that claim HDR10+, on a file whose track even declares the T.35
    // block additions, while no block has one.
    let tagged = remux(
        "hdr10plus-claimed.mkv",
        &webm,
        &[],
        &[
            "-metadata",
            "title=Film (HDR10+)",
            "-metadata:s:v",
            "HDR_FORMAT=HDR10+ (SMPTE ST 2094-40)",
            "-metadata:s:v",
            "title=HDR10+",
        ],
    );
    let bytes = std::fs::read(&tagged).unwrap();
    let declared = save(
        "hdr10plus-claimed.mkv",
        &st2094::with_block_additions(&bytes, &[], true),
    );
    let v = &facts(&declared)["video"][0];
    assert_eq!(v["hdr"], "hdr10", "{v:#}");
    // The same claims on HEVC, whose pictures carry only HDR10's static metadata.
    let tagged = lavfi(
        "hdr10plus-claimed.mp4",
        &[PATTERN],
        &[
            &[
                "-c:v",
                "libx265",
                "-preset",
                "ultrafast",
                "-x265-params",
                "log-level=error",
                "-metadata",
                "title=Film (HDR10+)",
                "-metadata",
                "comment=HDR10+ SMPTE ST 2094-40",
            ],
            PQ,
        ]
        .concat(),
    );
    assert_eq!(hdr(&tagged), "hdr10");
}

/// Byte-level writers of SMPTE ST 2094-40 metadata into coded video and Matroska.
mod st2094 {
    /// A whole ITU-T T.35 message of ST 2094-40 application `app` (4 is HDR10+), as HEVC SEI,
    /// AV1 metadata OBUs and Matroska block additions carry it: one processing window, 400
    /// cd/m² targeted display, the nine distribution percentiles of the HDR10+ profile, no
    /// tone mapping.
    pub fn t35(app: u8) -> Vec<u8> {
        let mut w = Bits::default();
        w.put(0xB5, 8); // itu_t_t35_country_code: United States
        w.put(0x003C, 16); // terminal_provider_code
        w.put(0x0001, 16); // terminal_provider_oriented_code
        w.put(u32::from(app), 8); // application_identifier
        w.put(1, 8); // application_version
        w.put(1, 2); // num_windows
        w.put(400, 27); // targeted_system_display_maximum_luminance
        w.put(0, 1); // targeted_system_display_actual_peak_luminance_flag
        for maxscl in [60_000, 50_000, 40_000] {
            w.put(maxscl, 17);
        }
        w.put(12_000, 17); // average_maxrgb
        let percentiles = [1, 5, 10, 25, 50, 75, 90, 95, 99];
        w.put(percentiles.len() as u32, 4);
        for (i, p) in percentiles.into_iter().enumerate() {
            w.put(p, 7);
            w.put(1_000 + 6_000 * i as u32, 17);
        }
        w.put(100, 10); // fraction_bright_pixels
        w.put(0, 1); // mastering_display_actual_peak_luminance_flag
        w.put(0, 1); // tone_mapping_flag
        w.put(0, 1); // color_saturation_mapping_flag
        w.bytes()
    }

    #[derive(Default)]
    struct Bits {
        out: Vec<u8>,
        used: u32,
    }

    impl Bits {
        fn put(&mut self, value: u32, bits: u32) {
            for i in (0..bits).rev() {
                if self.used.is_multiple_of(8) {
                    self.out.push(0);
                }
                let bit = ((value >> i) & 1) as u8;
                *self.out.last_mut().unwrap() |= bit << (7 - self.used % 8);
                self.used += 1;
            }
        }

        /// The bytes written, the last one padded with zero bits.
        fn bytes(self) -> Vec<u8> {
            self.out
        }
    }

    /// Emulation prevention: 00 00 followed by 00–03 gets a 03 between.
    fn escape(rbsp: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(rbsp.len() + 8);
        let mut zeros = 0;
        for &b in rbsp {
            if zeros >= 2 && b <= 3 {
                out.push(3);
                zeros = 0;
            }
            zeros = if b == 0 { zeros + 1 } else { 0 };
            out.push(b);
        }
        out
    }

    /// The NAL units of an Annex B stream, without their start codes.
    fn nal_units(annex_b: &[u8]) -> Vec<&[u8]> {
        let mut starts = Vec::new();
        let mut i = 0;
        while i + 3 <= annex_b.len() {
            if annex_b[i..i + 3] == [0, 0, 1] {
                starts.push(i + 3);
                i += 3;
            } else {
                i += 1;
            }
        }
        let mut out = Vec::new();
        for (k, &s) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(annex_b.len(), |&e| e - 3);
            let mut nal = &annex_b[s..end];
            // The zero byte of the next four-byte start code.
            while let [rest @ .., 0] = nal {
                nal = rest;
            }
            out.push(nal);
        }
        out
    }

    /// An HEVC Annex B stream with a prefix SEI NAL unit holding `t35` as a registered ITU-T
    /// T.35 user data message (payload type 4) before the first slice of every picture.
    pub fn hevc_with_sei(annex_b: &[u8], t35: &[u8]) -> Vec<u8> {
        assert!(t35.len() < 255);
        let mut rbsp = vec![4, t35.len() as u8];
        rbsp.extend_from_slice(t35);
        rbsp.push(0x80); // rbsp_trailing_bits
                         // nal_unit_type 39 (prefix SEI), layer 0, temporal id 0.
        let sei = [&[0x4E, 0x01][..], &escape(&rbsp)].concat();
        let mut out = Vec::new();
        let mut pictures = 0;
        for nal in nal_units(annex_b) {
            let kind = (nal[0] >> 1) & 0x3f;
            // A VCL NAL unit whose first_slice_segment_in_pic_flag is set starts a picture.
            if kind < 32 && nal.get(2).is_some_and(|b| b & 0x80 != 0) {
                out.extend_from_slice(&[0, 0, 0, 1]);
                out.extend_from_slice(&sei);
                pictures += 1;
            }
            out.extend_from_slice(&[0, 0, 0, 1]);
            out.extend_from_slice(nal);
        }
        assert!(pictures > 0, "no picture in the HEVC stream");
        out
    }

    fn leb128(mut v: usize) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return out;
            }
            out.push(b | 0x80);
        }
    }

    fn read_leb128(data: &[u8], i: &mut usize) -> usize {
        let mut v = 0;
        for k in 0..8 {
            let b = data[*i];
            *i += 1;
            v |= usize::from(b & 0x7f) << (7 * k);
            if b & 0x80 == 0 {
                break;
            }
        }
        v
    }

    /// An IVF file of AV1 with a metadata OBU of type ITU-T T.35 holding `t35` in every temporal
    /// unit, before its first frame or frame header OBU.
    pub fn ivf_av1_with_metadata(ivf: &[u8], t35: &[u8]) -> Vec<u8> {
        assert_eq!(&ivf[..4], b"DKIF");
        let mut payload = leb128(4); // metadata_type: METADATA_TYPE_ITUT_T35
        payload.extend_from_slice(t35);
        payload.push(0x80); // trailing bits
                            // obu_type 5 (OBU_METADATA), with a size field.
        let obu = [&[0x2A][..], &leb128(payload.len()), &payload].concat();
        let header = usize::from(u16::from_le_bytes([ivf[6], ivf[7]]));
        let mut out = ivf[..header].to_vec();
        let mut i = header;
        let mut units = 0;
        while i + 12 <= ivf.len() {
            let size = u32::from_le_bytes(ivf[i..i + 4].try_into().unwrap()) as usize;
            let frame = &ivf[i + 12..i + 12 + size];
            let mut unit = Vec::new();
            let mut j = 0;
            let mut placed = false;
            while j < frame.len() {
                let start = j;
                let obu_header = frame[j];
                let kind = (obu_header >> 3) & 0xf;
                j += 1 + usize::from(obu_header & 4 != 0);
                assert!(obu_header & 2 != 0, "an OBU without a size field");
                let len = read_leb128(frame, &mut j);
                j += len;
                // OBU_FRAME_HEADER, OBU_FRAME.
                if !placed && (kind == 3 || kind == 6) {
                    unit.extend_from_slice(&obu);
                    placed = true;
                }
                unit.extend_from_slice(&frame[start..j]);
            }
            assert!(placed, "a temporal unit without a frame");
            units += 1;
            out.extend_from_slice(&(unit.len() as u32).to_le_bytes());
            out.extend_from_slice(&ivf[i + 4..i + 12]);
            out.extend_from_slice(&unit);
            i += 12 + size;
        }
        assert!(units > 0);
        out
    }

    // Matroska: EBML elements of known size, as FFmpeg writes them to a file.
    const SEGMENT: u32 = 0x1853_8067;
    const SEEK_HEAD: u32 = 0x114D_9B74;
    const CUES: u32 = 0x1C53_BB6B;
    const VOID: u32 = 0xEC;
    const CRC_32: u32 = 0xBF;
    const TRACKS: u32 = 0x1654_AE6B;
    const TRACK_ENTRY: u32 = 0xAE;
    const TRACK_NUMBER: u32 = 0xD7;
    const MAX_BLOCK_ADDITION_ID: u32 = 0x55EE;
    const BLOCK_ADDITION_MAPPING: u32 = 0x41E4;
    const BLOCK_ADD_ID_VALUE: u32 = 0x41F0;
    const BLOCK_ADD_ID_NAME: u32 = 0x41A4;
    const BLOCK_ADD_ID_TYPE: u32 = 0x41E7;
    const CLUSTER: u32 = 0x1F43_B675;
    const TIMESTAMP: u32 = 0xE7;
    const SIMPLE_BLOCK: u32 = 0xA3;
    const BLOCK_GROUP: u32 = 0xA0;
    const BLOCK: u32 = 0xA1;
    const BLOCK_ADDITIONS: u32 = 0x75A1;
    const BLOCK_MORE: u32 = 0xA6;
    const BLOCK_ADD_ID: u32 = 0xEE;
    const BLOCK_ADDITIONAL: u32 = 0xA5;
    const REFERENCE_BLOCK: u32 = 0xFB;
    /// BlockAddID and BlockAddIDType of ITU-T T.35 messages.
    const T35: u64 = 4;

    /// The elements of `data`, as (ID, body), less CRC-32 elements: the masters rebuilt here
    /// would not match theirs.
    fn elements(data: &[u8]) -> Vec<(u32, &[u8])> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < data.len() {
            let width = data[i].leading_zeros() as usize + 1;
            let id = data[i..i + width]
                .iter()
                .fold(0u32, |a, b| (a << 8) | u32::from(*b));
            i += width;
            let width = data[i].leading_zeros() as usize + 1;
            assert!(width <= 8, "not an element size");
            let mut size = u64::from(data[i]) & ((1 << (8 - width)) - 1);
            for b in &data[i + 1..i + width] {
                size = (size << 8) | u64::from(*b);
            }
            assert_ne!(size, (1 << (7 * width)) - 1, "an element of unknown size");
            i += width;
            let end = i + size as usize;
            if id != CRC_32 {
                out.push((id, &data[i..end]));
            }
            i = end;
        }
        out
    }

    fn element(id: u32, body: &[u8]) -> Vec<u8> {
        let mut out: Vec<u8> = id
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x01); // an eight-byte size
        out.extend_from_slice(&(body.len() as u64).to_be_bytes()[1..]);
        out.extend_from_slice(body);
        out
    }

    fn uint(id: u32, v: u64) -> Vec<u8> {
        element(id, &v.to_be_bytes())
    }

    fn be(data: &[u8]) -> u64 {
        data.iter().fold(0, |a, b| (a << 8) | u64::from(*b))
    }

    /// A WebM or Matroska file of one video track made by FFmpeg, with `addition` as a block
    /// addition of BlockAddID 4 on every block of the track (none when it is empty).
    /// `map` declares ID 4 as ITU-T T.35 in the track, as Matroska (not WebM) requires. The
    /// index (SeekHead, Cues) is left out, since the blocks move.
    pub fn with_block_additions(file: &[u8], addition: &[u8], map: bool) -> Vec<u8> {
        let top = elements(file);
        assert_eq!(top.len(), 2, "EBML header and one Segment");
        let mut out = element(top[0].0, top[0].1);
        let mut segment = Vec::new();
        let mut blocks = 0;
        let mut previous: Option<i64> = None;
        for (id, body) in elements(top[1].1) {
            match id {
                SEEK_HEAD | CUES | VOID => {}
                TRACKS if map => {
                    let mut tracks = Vec::new();
                    for (id, entry) in elements(body) {
                        assert_eq!(id, TRACK_ENTRY);
                        tracks.extend(element(TRACK_ENTRY, &mapped(entry)));
                    }
                    segment.extend(element(TRACKS, &tracks));
                }
                CLUSTER => {
                    let mut cluster = Vec::new();
                    let mut time = 0i64;
                    for (id, child) in elements(body) {
                        let (block, flags, group) = match id {
                            TIMESTAMP => {
                                time = be(child) as i64;
                                cluster.extend(element(id, child));
                                continue;
                            }
                            SIMPLE_BLOCK => (child.to_vec(), child[3], Vec::new()),
                            BLOCK_GROUP => {
                                let parts = elements(child);
                                let block = parts.iter().find(|p| p.0 == BLOCK).unwrap().1;
                                let rest = parts
                                    .iter()
                                    .filter(|p| p.0 != BLOCK)
                                    .flat_map(|p| element(p.0, p.1))
                                    .collect();
                                (block.to_vec(), 0, rest)
                            }
                            _ => {
                                cluster.extend(element(id, child));
                                continue;
                            }
                        };
                        assert_eq!(block[0], 0x81, "one track, number 1");
                        let at = time + i64::from(i16::from_be_bytes([block[1], block[2]]));
                        let mut group = group;
                        let mut inner = block.clone();
                        if id == SIMPLE_BLOCK {
                            // A Block's flags keep lacing and invisibility; a picture that is
                            // not a key frame names the block it refers to.
                            inner[3] = flags & 0x0E;
                            if flags & 0x80 == 0 {
                                let back = previous.map_or(-1, |p| p - at).min(-1);
                                group.extend(element(REFERENCE_BLOCK, &back.to_be_bytes()));
                            }
                        }
                        previous = Some(at);
                        let mut body = element(BLOCK, &inner);
                        if !addition.is_empty() {
                            let more =
                                [uint(BLOCK_ADD_ID, T35), element(BLOCK_ADDITIONAL, addition)]
                                    .concat();
                            body.extend(element(BLOCK_ADDITIONS, &element(BLOCK_MORE, &more)));
                        }
                        body.extend(group);
                        cluster.extend(element(BLOCK_GROUP, &body));
                        blocks += 1;
                    }
                    segment.extend(element(CLUSTER, &cluster));
                }
                _ => segment.extend(element(id, body)),
            }
        }
        assert!(blocks > 0, "no block in the file");
        out.extend(element(SEGMENT, &segment));
        out
    }

    /// A TrackEntry that declares BlockAddID 4 as ITU-T T.35 messages.
    fn mapped(entry: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for (id, body) in elements(entry) {
            if !matches!(id, MAX_BLOCK_ADDITION_ID | BLOCK_ADDITION_MAPPING | VOID) {
                out.extend(element(id, body));
            }
            if id == TRACK_NUMBER {
                assert_eq!(be(body), 1);
            }
        }
        out.extend(uint(MAX_BLOCK_ADDITION_ID, T35));
        let mapping = [
            uint(BLOCK_ADD_ID_VALUE, T35),
            element(BLOCK_ADD_ID_NAME, b"hdr10plus"),
            uint(BLOCK_ADD_ID_TYPE, T35),
        ]
        .concat();
        out.extend(element(BLOCK_ADDITION_MAPPING, &mapping));
        out
    }
}
