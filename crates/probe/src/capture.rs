//! Camera-capture evidence in container metadata: what phones and cameras write when they
//! record, and editors and generators do not. Apple's camera writes
//! `com.apple.quicktime.make`/`model`/`software`/`location.ISO6709`; Android's camera writes
//! `com.android.capture.fps` for high-frame-rate capture (newer versions also
//! `com.android.manufacturer`/`model`); camera MXF names the camera in
//! its identification set (`company_name`, `product_name`), which FFmpeg exposes as tags.
//!
//! Each piece of evidence is a sentence that says where it was found. A tag can be copied by
//! a program that re-wraps a recording, so this is evidence of capture, not proof.

use crate::atoms::TopLevel;
use std::io::{Read, Seek, SeekFrom};

/// Makers whose MXF identification set names a camera when it names a model of theirs.
const CAMERA_MAKERS: &[&str] = &[
    "ARRI",
    "Sony",
    "Panasonic",
    "Canon",
    "RED Digital Cinema",
    "Blackmagic Design",
    "JVC",
    "Ikegami",
];

/// Words in an MXF product name that mark software (Sony's Catalyst Browse, Content Browser …)
/// rather than a camera.
const SOFTWARE_WORDS: &[&str] = &[
    "browse", "browser", "catalyst", "vegas", "edit", "content", "convert", "transfer", "server",
    "studio", "resolve", "media", "software", "player", "toolkit", "sdk",
];

/// One metadata value and where it was found ("container tag", "stream #0 tag").
pub struct Tag<'a> {
    pub place: &'a str,
    pub key: &'a str,
    pub value: &'a str,
}

/// Sentences of camera-capture evidence in the tags of a file read by FFmpeg's `format_name`
/// demuxer.
pub fn evidence<'a>(format_name: &str, tags: impl IntoIterator<Item = Tag<'a>>) -> Vec<String> {
    let tags: Vec<Tag<'a>> = tags.into_iter().collect();
    let get = |key: &str| {
        tags.iter()
            .find(|t| t.key.eq_ignore_ascii_case(key) && !t.value.trim().is_empty())
    };
    let mut out = Vec::new();

    let make = get("com.apple.quicktime.make");
    let model = get("com.apple.quicktime.model");
    if make.is_some() || model.is_some() {
        let first = make.or(model).map_or("container tag", |t| t.place);
        let mut parts = Vec::new();
        if let Some(t) = make {
            parts.push(format!("make \"{}\"", shown(t.value)));
        }
        if let Some(t) = model {
            parts.push(format!("model \"{}\"", shown(t.value)));
        }
        if let Some(t) = get("com.apple.quicktime.software") {
            parts.push(format!("software \"{}\"", shown(t.value)));
        }
        if get("com.apple.quicktime.location.ISO6709").is_some() {
            parts.push("a recording location".to_string());
        }
        out.push(format!(
            "{first} com.apple.quicktime.* names the recording device: {}",
            parts.join(", ")
        ));
    }

    // `com.android.version` alone is no evidence: Android's muxer writes it for every app that
    // writes a video, editors and test tools included. The capture rate is the camera's.
    if let Some(t) = get("com.android.capture.fps") {
        let version = get("com.android.version")
            .map(|v| format!(" (Android {})", shown(v.value)))
            .unwrap_or_default();
        out.push(format!(
            "{} com.android.capture.fps = {}: recorded by an Android camera{version}",
            t.place,
            shown(t.value)
        ));
    }
    let device: Vec<String> = ["com.android.manufacturer", "com.android.model"]
        .iter()
        .filter_map(|k| get(k).map(|t| format!("{k} = \"{}\"", shown(t.value))))
        .collect();
    if !device.is_empty() {
        out.push(format!(
            "container tag {}: recorded by an Android device",
            device.join(", ")
        ));
    }

    if format_name.split(',').any(|f| f == "mxf") {
        if let (Some(company), Some(product)) = (get("company_name"), get("product_name")) {
            let maker = CAMERA_MAKERS
                .iter()
                .any(|m| company.value.trim().eq_ignore_ascii_case(m));
            let lower = product.value.to_ascii_lowercase();
            let software = SOFTWARE_WORDS.iter().any(|w| lower.contains(w));
            if maker && !software {
                out.push(format!(
                    "MXF identification names the camera that wrote it: {} {}",
                    shown(company.value),
                    shown(product.value)
                ));
            }
        }
    }
    out
}

/// Bytes read from each end of a file for Sony's NonRealTimeMeta XML (XAVC MP4 keeps it in
/// its last few kilobytes, XDCAM MXF in its header partition).
const NRT_WINDOW: u64 = 256 << 10;
/// Bytes read from the start of an MP4's media data for a GoPro's `GPRO` block.
const GPRO_WINDOW: u64 = 1024;

/// GoPro cameras name themselves in the handler of every track they write ("GoPro AVC",
/// "GoPro MET"), put their firmware in the user data (`FIRM`, FFmpeg's `firmware` tag) and,
/// on most models, a `GPRO` block at the start of the media data that repeats the firmware
/// and names the model ("HERO5 Black", "GoPro Max").
pub fn gopro<'a>(
    file: &mut (impl Read + Seek),
    top: Option<&TopLevel>,
    tags: impl IntoIterator<Item = Tag<'a>>,
) -> Option<String> {
    let tags: Vec<Tag<'a>> = tags.into_iter().collect();
    let handler = tags.iter().find(|t| {
        t.key.eq_ignore_ascii_case("handler_name") && t.value.trim().starts_with("GoPro ")
    })?;
    let mut parts = vec![format!(
        "{} handler_name \"{}\"",
        handler.place,
        shown(handler.value)
    )];
    if let Some(f) = tags
        .iter()
        .find(|t| t.key.eq_ignore_ascii_case("firmware") && !t.value.trim().is_empty())
    {
        parts.push(format!("firmware \"{}\"", shown(f.value)));
    }
    let model = top
        .and_then(|t| t.boxes.iter().find(|b| &b.kind == b"mdat"))
        .and_then(|mdat| read_at(file, mdat.offset, GPRO_WINDOW.min(mdat.size)))
        .and_then(|head| gopro_model(&head));
    if let Some(m) = model {
        parts.push(format!(
            "model \"{}\" in the media data's GPRO block",
            shown(&m)
        ));
    }
    Some(format!("{}: recorded by a GoPro camera", parts.join(", ")))
}

/// The model a `GPRO` block at the start of the media data names: the first text in it that
/// reads as a GoPro model.
fn gopro_model(head: &[u8]) -> Option<String> {
    let at = head.windows(4).take(32).position(|w| w == b"GPRO")?;
    head[at..]
        .split(|b| !(b.is_ascii_graphic() || *b == b' '))
        .map(|run| String::from_utf8_lossy(run).trim().to_string())
        .find(|t| {
            let l = t.to_ascii_lowercase();
            ["hero", "gopro", "fusion", "max"]
                .iter()
                .any(|m| l.starts_with(m))
                && t.len() >= 4
        })
}

/// Sony's professional cameras (XAVC, XDCAM) write a NonRealTimeMeta XML document into the
/// file, whose `Device` element names the camera: `manufacturer`, `modelName`.
pub fn sony_nrt(source: &crate::source::Source, top: Option<&TopLevel>) -> Option<String> {
    let mut file = source.bytes();
    let size = source.size();
    // In MP4 and MOV the media data never hold it; elsewhere both ends of the file are read.
    let ranges: Vec<(u64, u64)> = match top {
        Some(t) => t
            .boxes
            .iter()
            .filter(|b| &b.kind != b"mdat")
            .map(|b| (b.offset, b.size.min(NRT_WINDOW)))
            .collect(),
        None => vec![
            (0, NRT_WINDOW.min(size)),
            (size.saturating_sub(NRT_WINDOW), NRT_WINDOW.min(size)),
        ],
    };
    for (at, len) in ranges {
        let Some(bytes) = read_at(&mut file, at, len) else {
            continue;
        };
        if let Some(sentence) = nrt_device(&bytes) {
            return Some(sentence);
        }
    }
    None
}

/// The camera a NonRealTimeMeta document's `Device` element names.
fn nrt_device(bytes: &[u8]) -> Option<String> {
    let start = find(bytes, b"<NonRealTimeMeta")?;
    let rest = &bytes[start..];
    let end = find(rest, b"</NonRealTimeMeta>").unwrap_or(rest.len());
    let doc = String::from_utf8_lossy(&rest[..end]);
    let device = &doc[doc.find("<Device")?..];
    let device = &device[..device.find('>').unwrap_or(device.len())];
    let attr = |name: &str| {
        let at = device.find(&format!(" {name}=\""))? + name.len() + 3;
        let value = &device[at..];
        Some(value[..value.find('"')?].trim().to_string()).filter(|v| !v.is_empty())
    };
    let make = attr("manufacturer");
    let model = attr("modelName");
    if make.is_none() && model.is_none() {
        return None;
    }
    let named: Vec<String> = [("manufacturer", make), ("modelName", model)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k} \"{}\"", shown(&v))))
        .collect();
    Some(format!(
        "Sony NonRealTimeMeta XML names the recording device: {}",
        named.join(", ")
    ))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn read_at(file: &mut (impl Read + Seek), at: u64, len: u64) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    file.seek(SeekFrom::Start(at)).ok()?;
    file.take(len).read_to_end(&mut out).ok()?;
    Some(out)
}

/// A value from the file as one short line: it is the file's own text.
fn shown(value: &str) -> String {
    crate::text::one_line(value.trim(), 80)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag<'a>(key: &'a str, value: &'a str) -> Tag<'a> {
        Tag {
            place: "container tag",
            key,
            value,
        }
    }

    #[test]
    fn an_iphone_recording_names_its_camera() {
        let e = evidence(
            "mov,mp4,m4a,3gp,3g2,mj2",
            [
                tag("com.apple.quicktime.make", "Apple"),
                tag("com.apple.quicktime.model", "iPhone 14 Pro"),
                tag("com.apple.quicktime.location.ISO6709", "+51.5334-000.1255/"),
            ],
        );
        assert_eq!(e.len(), 1);
        assert!(
            e[0].contains("\"iPhone 14 Pro\"") && e[0].contains("location"),
            "{e:?}"
        );
    }

    #[test]
    fn android_muxer_version_alone_is_no_capture() {
        assert!(evidence("mov", [tag("com.android.version", "13")]).is_empty());
        let e = evidence(
            "mov",
            [
                tag("com.android.version", "10"),
                tag("com.android.capture.fps", "240.000000"),
            ],
        );
        assert!(
            e[0].contains("240.000000") && e[0].contains("Android 10"),
            "{e:?}"
        );
    }

    #[test]
    fn software_alone_is_no_capture() {
        assert!(evidence("mov", [tag("com.apple.quicktime.software", "16.4.1")]).is_empty());
        let mxf = [
            tag("company_name", "Sony"),
            tag("product_name", "Catalyst Browse"),
        ];
        assert!(evidence("mxf", mxf).is_empty());
    }

    #[test]
    fn reads_the_camera_of_sony_xml_and_gopro_blocks() {
        let xml = br#"<?xml version="1.0"?><NonRealTimeMeta xmlns="urn:schemas-professionalDisc:nonRealTimeMeta:ver.2.00"><Device manufacturer="Sony" modelName="PXW-FS7" serialNo="1"/></NonRealTimeMeta>"#;
        let s = nrt_device(xml).unwrap();
        assert!(s.contains("\"Sony\"") && s.contains("\"PXW-FS7\""), "{s}");
        assert_eq!(
            nrt_device(b"<NonRealTimeMeta><Duration value=\"1\"/>"),
            None
        );
        let mut block = b"\0\0\0\0mdatGPRO,\x01\0\0HD5.02.02.00.00\0C3161325750003\0".to_vec();
        block.extend_from_slice(b"HERO5 Black\0\0");
        assert_eq!(gopro_model(&block).as_deref(), Some("HERO5 Black"));
        assert_eq!(gopro_model(b"mdat\0\0HERO5 Black"), None);
    }

    #[test]
    fn a_camera_mxf_names_its_camera() {
        let mxf = [tag("company_name", "Sony"), tag("product_name", "PXW-FS7")];
        assert_eq!(evidence("mxf", mxf).len(), 1);
    }
}
