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
