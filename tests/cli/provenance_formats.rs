//! Provenance beyond MP4: C2PA manifests in WAV and AVI (signed here with the committed test
//! credentials), and camera-capture evidence in the tags phones write.

use crate::support::*;
use serde_json::{json, Value};
use std::io::Cursor;
use std::path::{Path, PathBuf};

const CERT_CHAIN: &[u8] = include_bytes!("../../fixtures/c2pa/test-signer.pem");
const KEY: &[u8] = include_bytes!("../../fixtures/c2pa/test-signer.key");

/// `src` signed with a manifest whose `c2pa.created` action declares generative AI.
pub(crate) fn signed_ai(src: &Path, format: &str, name: &str) -> PathBuf {
    let manifest = json!({
        "claim_generator_info": [{"name": "reelcheck tests", "version": "1.0"}],
        "assertions": [{
            "label": "c2pa.actions",
            "data": {"actions": [{
                "action": "c2pa.created",
                "digitalSourceType":
                    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
                "softwareAgent": {"name": "Suno"}
            }]}
        }]
    });
    let mut builder = c2pa::Builder::from_context(c2pa::Context::new())
        .with_definition(manifest)
        .expect("manifest definition");
    let signer = c2pa::create_signer::from_keys(CERT_CHAIN, KEY, c2pa::SigningAlg::Es256, None)
        .expect("test signer");
    let mut input = std::fs::File::open(src).unwrap();
    let mut out = Cursor::new(Vec::new());
    builder
        .sign(signer.as_ref(), format, &mut input, &mut out)
        .expect("sign the test file");
    save(name, &out.into_inner())
}

fn provenance(path: &Path) -> Value {
    let (code, out, err) = run(&[
        "probe",
        "--with",
        "provenance",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    json(&out)[0]["provenance"].clone()
}

#[test]
fn c2pa_in_wav_and_avi_is_read() {
    let wav = lavfi(
        "provfmt.wav",
        &["sine=frequency=440:sample_rate=48000:duration=1"],
        &["-c:a", "pcm_s16le"],
    );
    let avi = lavfi(
        "provfmt.avi",
        &["testsrc2=size=160x90:rate=5:duration=1"],
        &["-c:v", "mjpeg"],
    );
    for (film, format, name) in [
        (wav, "audio/wav", "signed.wav"),
        (avi, "video/avi", "signed.avi"),
    ] {
        let p = provenance(&signed_ai(&film, format, name));
        assert_eq!(p["c2pa"]["present"], true, "{name}: {p:#}");
        assert_eq!(p["c2pa"]["valid"], true, "{name}: {p:#}");
        assert_eq!(p["status"], "declared-ai", "{name}: {p:#}");
        // Unsigned, the same file declares nothing.
        let plain = provenance(&film);
        assert_eq!(plain["c2pa"]["present"], false, "{name}");
    }
}

#[test]
fn phone_tags_are_camera_capture_evidence() {
    let base = film("provfmt-base.mp4", 1);
    let tagged = |name: &str, tags: &[&str]| {
        let mut args = vec!["-i", base.to_str().unwrap(), "-c", "copy"];
        for t in tags {
            args.extend(["-metadata", t]);
        }
        args.extend(["-movflags", "use_metadata_tags"]);
        media(name, &args)
    };
    let iphone = tagged(
        "provfmt-iphone.mov",
        &[
            "com.apple.quicktime.make=Apple",
            "com.apple.quicktime.model=iPhone 14 Pro",
            "com.apple.quicktime.location.ISO6709=+51.5334-000.1255+026.756/",
        ],
    );
    let p = provenance(&iphone);
    assert_eq!(p["status"], "capture", "{p:#}");
    let e = p["capture_evidence"].as_str().unwrap();
    assert!(
        e.contains("\"iPhone 14 Pro\"") && e.contains("location"),
        "{e}"
    );

    let android = tagged(
        "provfmt-android.mp4",
        &[
            "com.android.version=10",
            "com.android.capture.fps=240.000000",
        ],
    );
    let p = provenance(&android);
    assert_eq!(p["status"], "capture", "{p:#}");
    assert!(p["capture_evidence"].as_str().unwrap().contains("240"));

    // Android's muxer version alone is written by any app: no evidence of a camera.
    let muxed = tagged("provfmt-muxed.mp4", &["com.android.version=13"]);
    assert_eq!(provenance(&muxed)["status"], "unknown");
}

#[test]
fn xmp_in_a_wav_chunk_is_read() {
    let wav = lavfi(
        "provfmt-xmp-src.wav",
        &["sine=frequency=440:sample_rate=48000:duration=1"],
        &["-c:a", "pcm_s16le"],
    );
    let xmp = concat!(
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
        "<rdf:Description xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\" ",
        "Iptc4xmpExt:DigitalSourceType=\"http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia\"/>",
        "</rdf:RDF></x:xmpmeta>"
    );
    // A RIFF `_PMX` chunk at the end, as Adobe tools write XMP in WAV, and the RIFF size fixed.
    let mut bytes = std::fs::read(&wav).unwrap();
    let mut chunk = xmp.as_bytes().to_vec();
    if chunk.len() % 2 == 1 {
        chunk.push(b' ');
    }
    bytes.extend_from_slice(b"_PMX");
    bytes.extend_from_slice(&(chunk.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&chunk);
    let riff = (bytes.len() - 8) as u32;
    bytes[4..8].copy_from_slice(&riff.to_le_bytes());
    let p = provenance(&save("provfmt-xmp.wav", &bytes));
    assert_eq!(p["xmp"]["present"], true, "{p:#}");
    assert_eq!(p["xmp"]["digital_source_type"], "trainedAlgorithmicMedia");
    assert_eq!(p["status"], "declared-ai");
    assert_eq!(provenance(&wav)["xmp"]["present"], false);
}
