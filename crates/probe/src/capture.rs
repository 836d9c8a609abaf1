//! Camera-capture evidence in container metadata: what phones and cameras write when they
//! record, and editors and generators do not. Apple's camera writes
//! `com.apple.quicktime.make`/`model`/`software`/`location.ISO6709`; Android's camera writes
//! `com.android.capture.fps` for high-frame-rate capture (newer versions also
//! `com.android.manufacturer`/`model`); camera MXF names the camera in
//! its identification set (`company_name`, `product_name`), which FFmpeg exposes as tags.
//!
//! Each piece of evidence is a sentence that says where it was found. A tag can be copied by
//! a program that re-wraps a recording, so this is evidence of capture, not proof.

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
    fn a_camera_mxf_names_its_camera() {
        let mxf = [tag("company_name", "Sony"), tag("product_name", "PXW-FS7")];
        assert_eq!(evidence("mxf", mxf).len(), 1);
    }
}
