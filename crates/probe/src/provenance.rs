//! What a file says about how it was made: C2PA manifests, XMP digital source types, the
//! `AIGC` label of GB 45438-2025 and known software names in its metadata. Reads metadata
//! and boxes only: no decoding.
//!
//! No marker proves a film was made without AI, so the summary is "declared-ai", "capture"
//! or "unknown", never "human".

use crate::content_credentials::{self, Store};
use crate::source::Source;
use crate::text::one_line;
use crate::{atoms, capture, container, ProbeSettings};
use anyhow::Result;
use ffmpeg_next as ffmpeg;
use reelcheck_facts::settings::software;
use reelcheck_facts::{AigcLabel, Provenance, SoftwareMark};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// IPTC digital source types that declare generative AI.
const AI_SOURCE_TYPES: &[&str] = &[
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
];

/// Where IPTC's digital source type codes live: an unreadable XMP packet that holds one of
/// these URIs with an AI code still declares it.
const IPTC_SOURCE_TYPE_URI: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/";

/// IPTC digital source types that declare a camera (or film scan) as the origin.
const CAPTURE_SOURCE_TYPES: &[&str] = &[
    "digitalCapture",
    "computationalCapture",
    "negativeFilm",
    "positiveFilm",
    "print",
    "minorHumanEdits",
];

/// Metadata keys that name programs, filled in by the programs themselves; other tags (titles,
/// artists) would give false matches.
const TOOL_KEYS: &[&str] = &[
    "encoder",
    "encoded_by",
    "encoding_tool",
    "creation_tool",
    "software",
    "tool",
    "handler_name",
    "com.apple.quicktime.software",
    "com.apple.proapps.clipid",
];

/// Metadata keys that hold free text a person wrote. A program named there is mentioned, not
/// declared ("No AI tools were used - not Sora, not Runway"): a note for a person to read,
/// never evidence.
const FREE_TEXT_KEYS: &[&str] = &[
    "comment",
    "description",
    "synopsis",
    "keywords",
    "com.apple.quicktime.comment",
    "com.apple.quicktime.description",
];

/// XMP packets and sidecar manifests larger than this are not metadata anyone writes by hand.
const MAX_METADATA_BYTES: u64 = 16 << 20;

/// XMP packets read from one file at most: a file holding more is made to exhaust the reader.
const MAX_XMP_PACKETS: usize = 16;

/// One metadata value and where it was found, e.g. ("container tag encoder", "Lavf59.27").
struct Tag {
    place: String,
    key: String,
    value: String,
}

/// What the prober already holds of the file: the open file, its MP4 boxes (`None` for other
/// containers) and its metadata tags, read from FFmpeg's demuxer over it.
pub struct Sources<'a> {
    pub source: &'a Source,
    pub top: Option<&'a atoms::TopLevel>,
    pub tags: Tags,
    /// Camera-capture evidence the header read found inside the picture streams.
    pub in_band_capture: Vec<String>,
}

pub fn analyze(
    format_name: &str,
    sources: Sources<'_>,
    config: &ProbeSettings,
) -> Result<Provenance> {
    let Sources {
        source,
        top,
        tags,
        in_band_capture,
    } = sources;
    let path = source.path();
    let Tags {
        tags,
        xmp: ffmpeg_xmp,
    } = tags;
    let mut p = Provenance::default();
    let mut ai = Vec::new();
    let mut cad = Vec::new();
    let mut capture = Vec::new();
    let mut other = Vec::new();
    let trust = config.c2pa_trust.as_deref();

    // ── C2PA ──
    let c2pa_format = content_credentials::format_for(path, format_name);
    let mime = c2pa_format
        .as_deref()
        .unwrap_or_else(|| mime_for(path, format_name));
    let sidecar = path.with_extension("c2pa");
    // In MP4 and MOV a manifest store lives only in a top-level `uuid` box of the C2PA type;
    // the box walk already listed them, so the c2pa crate's own walk runs only when one is there.
    let c2pa_box = |top: &atoms::TopLevel| {
        atoms::uuid_payload(&mut source.bytes(), top, &atoms::UUID_C2PA, 0)
            .map_or(true, |b| b.is_some())
    };
    let embedded = c2pa_format.as_deref().is_some_and(|f| {
        top.is_none_or(c2pa_box) && content_credentials::is_embedded(source.bytes(), f)
    });
    if embedded {
        p.c2pa = content_credentials::read(source.bytes(), mime, Store::Embedded, trust);
    } else if let Some(bytes) = read_small(&sidecar) {
        p.c2pa = content_credentials::read(source.bytes(), mime, Store::Sidecar(&bytes), trust);
    }
    if p.c2pa.present {
        let c = &p.c2pa;
        let who = c
            .issuer
            .clone()
            .or_else(|| c.signed_by.clone())
            .unwrap_or_else(|| "an unnamed signer".into());
        let generator = c
            .claim_generator
            .as_ref()
            .map(|g| format!(" ({g})"))
            .unwrap_or_default();
        let place = if c.source.as_deref() == Some("sidecar") {
            format!("C2PA sidecar {}", file_name(&sidecar))
        } else {
            "C2PA manifest".to_string()
        };
        let codes = if c.failure_codes.is_empty() {
            &c.validation_errors
        } else {
            &c.failure_codes
        };
        let standing = match (c.validation_state.as_deref(), &c.error) {
            (_, Some(e)) => format!(", but {e}"),
            (Some("invalid"), None) => format!(
                ", but it does not validate ({})",
                if codes.is_empty() {
                    "invalid".to_string()
                } else {
                    codes.join(", ")
                }
            ),
            (Some("trusted"), None) => ", with a certificate from a trusted root".into(),
            _ => String::new(),
        };
        // One sentence per digital source type and manifest that declares it, saying where:
        // an ingredient's declaration (a generated clip in an edit) counts as the film's own.
        let mut said: Vec<(&str, &str)> = Vec::new();
        for a in &c.actions {
            let Some(t) = a.digital_source_type.as_deref() else {
                continue;
            };
            let found_in = a.found_in.as_deref().unwrap_or("active manifest");
            if said.contains(&(found_in, t)) {
                continue;
            }
            said.push((found_in, t));
            let sentence = if found_in == "active manifest" {
                format!(
                    "{place} signed by {who}{generator} declares {t} in its {} action{standing}",
                    a.action
                )
            } else {
                format!(
                    "{place} signed by {who}{generator}, {found_in}: {}, digitalSourceType \
                     {t}{standing}",
                    a.action
                )
            };
            file_by_source_type(t, sentence, [&mut ai, &mut capture, &mut other]);
        }
        if said.is_empty() {
            other.push(format!(
                "{place} signed by {who}{generator} declares no digital source type{standing}"
            ));
        }
    }

    // ── XMP ──
    // Every packet is read, up to a number: the one FFmpeg exported (MOV `XMP_`, MP4 XMP
    // `uuid`), the MP4 XMP `uuid` box, and those found by scanning the bytes. In MP4 and MOV
    // that is every top-level box but the media data, which is most of the file and never
    // holds one; elsewhere the head and the tail of the file.
    let mut packets: Vec<(String, String)> = Vec::new();
    if let Some(x) = ffmpeg_xmp {
        packets.push(("the XMP the demuxer exported".into(), x));
    }
    if let Some(t) = top {
        if let Ok(Some(bytes)) =
            atoms::uuid_payload(&mut source.bytes(), t, &atoms::UUID_XMP, MAX_METADATA_BYTES)
        {
            packets.push((
                "the XMP uuid box".into(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    let scanned = match top {
        Some(t) => crate::xmp_scan::find_in(
            &mut source.bytes(),
            t.boxes
                .iter()
                .filter(|b| !matches!(&b.kind, b"mdat" | b"free" | b"skip" | b"wide"))
                .map(|b| (b.offset, b.size)),
            MAX_XMP_PACKETS,
        ),
        None => crate::xmp_scan::find(source.bytes(), source.size(), MAX_XMP_PACKETS),
    };
    for f in scanned {
        packets.push((format!("the packet at byte {}", f.offset), f.text));
    }
    // The same packet found twice (exported and scanned) is one packet.
    let mut distinct: Vec<(String, String)> = Vec::new();
    for (place, text) in packets {
        let key = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
        if !distinct
            .iter()
            .any(|(_, t)| t.trim_matches(|c: char| c == '\0' || c.is_whitespace()) == key)
        {
            distinct.push((place, text));
        }
    }
    distinct.truncate(MAX_XMP_PACKETS);
    let mut mentions = Vec::new();
    for (place, text) in &distinct {
        p.xmp.present = true;
        p.xmp.packets += 1;
        match crate::xmp::parse(text) {
            Ok(found) => {
                for t in &found.digital_source_types {
                    let t = content_credentials::short_source_type(t);
                    if !p.xmp.digital_source_types.contains(&t) {
                        p.xmp.digital_source_types.push(t);
                    }
                }
                for (list, values) in [
                    (&mut p.xmp.creator_tools, found.creator_tools),
                    (&mut p.xmp.software_agents, found.software_agents),
                ] {
                    for v in values {
                        if !list.contains(&v) {
                            list.push(v);
                        }
                    }
                }
            }
            Err(why) => {
                p.xmp.errors.push(format!("XMP in {place}: {why}"));
                // What the packet holds cannot be read as XMP, but its text can still be
                // looked at: an IPTC source type URI naming AI there is a declaration (hiding
                // one behind an entity or broken markup does not pass a film); a bare code is
                // a note for a person.
                match ai_source_type_in(text) {
                    Some((code, true)) => ai.push(format!(
                        "XMP in {place} cannot be read ({why}), but it holds the IPTC digital \
                         source type {IPTC_SOURCE_TYPE_URI}{code}"
                    )),
                    Some((code, false)) => mentions.push(format!(
                        "XMP in {place} cannot be read ({why}); its text names {code}: not a \
                         declaration that can be read"
                    )),
                    None => other.push(format!("XMP in {place} cannot be read: {why}")),
                }
            }
        }
    }
    p.xmp.digital_source_type = p.xmp.digital_source_types.first().cloned();
    p.xmp.creator_tool = p.xmp.creator_tools.first().cloned();
    for t in &p.xmp.digital_source_types {
        let tool = p
            .xmp
            .creator_tool
            .as_ref()
            .map(|c| format!(" (CreatorTool: {})", one_line(c, 120)))
            .unwrap_or_default();
        let sentence = format!("XMP DigitalSourceType is {t}{tool}");
        file_by_source_type(t, sentence, [&mut ai, &mut capture, &mut other]);
    }

    // ── Camera capture ──
    capture.extend(capture::evidence(
        format_name,
        tags.iter().map(|t| capture::Tag {
            place: &t.place,
            key: &t.key,
            value: &t.value,
        }),
    ));

    capture.extend(in_band_capture);
    capture.extend(capture::gopro(
        &mut source.bytes(),
        top,
        tags.iter().map(|t| capture::Tag {
            place: &t.place,
            key: &t.key,
            value: &t.value,
        }),
    ));
    capture.extend(capture::sony_nrt(source, top));

    // ── AIGC label ──
    if let Some(tag) = tags.iter().find(|t| t.key.eq_ignore_ascii_case("aigc")) {
        p.aigc_label = parse_aigc(tag);
        let fields: Vec<String> = p
            .aigc_label
            .fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        ai.push(format!(
            "AIGC label (GB 45438-2025) in {} {}: {}",
            tag.place,
            tag.key,
            if fields.is_empty() {
                "(empty)".to_string()
            } else {
                fields.join(", ")
            }
        ));
    }

    // ── Software names ──
    let mut places: Vec<(String, String)> = tags
        .iter()
        .filter(|t| is_tool_key(&t.key))
        .map(|t| (format!("{} {}", t.place, t.key), t.value.clone()))
        .collect();
    for c in &p.xmp.creator_tools {
        places.push(("XMP CreatorTool".into(), c.clone()));
    }
    for a in &p.xmp.software_agents {
        places.push(("XMP history softwareAgent".into(), a.clone()));
    }
    if let Some(g) = &p.c2pa.claim_generator {
        places.push(("C2PA claim generator".into(), g.clone()));
    }
    for i in &p.c2pa.ingredients {
        if let (Some(g), Some(m)) = (&i.claim_generator, &i.manifest) {
            let title = i.title.as_deref().unwrap_or("(untitled)");
            places.push((
                format!(
                    "C2PA claim generator of ingredient '{}' (manifest {})",
                    one_line(title, 80),
                    one_line(m, 80)
                ),
                g.clone(),
            ));
        }
    }
    for a in &p.c2pa.actions {
        if let Some(agent) = &a.software_agent {
            let place = match a.found_in.as_deref() {
                None | Some("active manifest") => format!("C2PA {} action softwareAgent", a.action),
                Some(f) => format!("C2PA {f}: {} action softwareAgent", a.action),
            };
            places.push((place, agent.clone()));
        }
    }
    let known = software::list(&config.software);
    for (place, value) in &places {
        for s in &known {
            if !s.is_named_in(value) {
                continue;
            }
            let found_in = format!("{place} = \"{}\"", one_line(value, 120));
            if p.software
                .iter()
                .any(|m| m.name == s.name && m.found_in == found_in)
            {
                continue;
            }
            match s.kind.as_str() {
                "ai_generator" => {
                    ai.push(format!("{found_in} names {}, a known AI generator", s.name))
                }
                "3d_cad" => cad.push(format!("{found_in} names {}, 3D/CAD software", s.name)),
                _ => {}
            }
            p.software.push(SoftwareMark {
                name: s.name.clone(),
                kind: s.kind.clone(),
                found_in,
            });
        }
    }

    // ── Mentions in free text ──
    for t in tags.iter().filter(|t| is_free_text_key(&t.key)) {
        for s in known.iter().filter(|s| s.kind == "ai_generator") {
            if s.is_named_in(&t.value) {
                mentions.push(format!(
                    "{} {} mentions {} (\"{}\"): free text, not a declaration",
                    t.place,
                    t.key,
                    s.name,
                    one_line(&t.value, 120)
                ));
            }
        }
    }
    p.ai_mentions = (!mentions.is_empty()).then(|| mentions.join("; "));

    p.ai_declared = !ai.is_empty();
    p.status = if p.ai_declared {
        "declared-ai"
    } else if !capture.is_empty() {
        "capture"
    } else {
        "unknown"
    }
    .to_string();
    let join = |v: &[String]| (!v.is_empty()).then(|| v.join("; "));
    p.ai_evidence = join(&ai);
    p.cad_evidence = join(&cad);
    p.capture_evidence = join(&capture);
    p.evidence = ai
        .into_iter()
        .chain(capture)
        .chain(cad)
        .chain(other)
        .collect();
    Ok(p)
}

/// Puts an evidence sentence with the AI, camera-capture or other evidence, by the IPTC digital
/// source type it reports.
fn file_by_source_type(t: &str, sentence: String, [ai, capture, other]: [&mut Vec<String>; 3]) {
    if AI_SOURCE_TYPES.contains(&t) {
        ai.push(sentence);
    } else if CAPTURE_SOURCE_TYPES.contains(&t) {
        capture.push(sentence);
    } else {
        other.push(sentence);
    }
}

/// A file's container and stream tags, with the XMP FFmpeg exported (MOV `XMP_`, MP4 XMP
/// `uuid`) when it was opened to.
pub struct Tags {
    tags: Vec<Tag>,
    xmp: Option<String>,
}

/// The tags of an open file.
pub fn read_tags(input: &ffmpeg::format::context::Input) -> Tags {
    let mut tags = Vec::new();
    let mut xmp = None;
    let mut take = |place: String, dict: ffmpeg::DictionaryRef<'_>, xmp: &mut Option<String>| {
        for (k, v) in super::ffmpeg::entries(dict) {
            if k.eq_ignore_ascii_case("xmp") {
                xmp.get_or_insert_with(|| v.clone());
                continue;
            }
            tags.push(Tag {
                place: place.clone(),
                key: k,
                value: v,
            });
        }
    };
    take("container tag".into(), input.metadata(), &mut xmp);
    for s in input.streams() {
        take(format!("stream #{} tag", s.index()), s.metadata(), &mut xmp);
    }
    Tags { tags, xmp }
}

fn is_tool_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    !is_free_text_key(&k)
        && (TOOL_KEYS.contains(&k.as_str()) || k.contains("software") || k.ends_with("tool"))
}

fn is_free_text_key(key: &str) -> bool {
    FREE_TEXT_KEYS.contains(&key.to_ascii_lowercase().as_str())
}

/// The first AI digital source type code named in `text`, and whether it is written as IPTC's
/// URI. The longest codes are looked for first: one code may hold another.
fn ai_source_type_in(text: &str) -> Option<(&'static str, bool)> {
    let mut codes = AI_SOURCE_TYPES.to_vec();
    codes.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let as_uri = codes
        .iter()
        .find(|c| text.contains(&format!("{IPTC_SOURCE_TYPE_URI}{c}")));
    if let Some(c) = as_uri {
        return Some((c, true));
    }
    codes
        .iter()
        .find(|c| text.contains(**c))
        .map(|c| (*c, false))
}

/// GB 45438-2025 writes `{"AIGC": {"Label": "1", "ContentProducer": …}}`; some tools write the
/// inner object alone. Anything else is kept as one `value` field.
fn parse_aigc(tag: &Tag) -> AigcLabel {
    let mut fields = BTreeMap::new();
    match serde_json::from_str::<serde_json::Value>(&tag.value) {
        Ok(serde_json::Value::Object(mut obj)) => {
            let inner = obj
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("aigc"))
                .map(|(k, _)| k.clone());
            if let Some(k) = inner {
                if let Some(serde_json::Value::Object(o)) = obj.remove(&k) {
                    obj = o;
                }
            }
            for (k, v) in obj {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                fields.insert(k, v);
            }
        }
        _ => {
            fields.insert("value".to_string(), tag.value.clone());
        }
    }
    AigcLabel {
        present: true,
        found_in: Some(format!("{} {}", tag.place, tag.key)),
        fields,
    }
}

fn mime_for(path: &Path, format_name: &str) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("mov" | "qt") => "video/quicktime",
        Some("m4v") => "video/x-m4v",
        _ if container::is_isobmff(format_name) => "video/mp4",
        Some("mkv" | "webm") => "video/x-matroska",
        _ => "application/octet-stream",
    }
}

fn read_small(path: &PathBuf) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_METADATA_BYTES {
        return None;
    }
    std::fs::read(path).ok()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ai_source_types_are_found_in_text_longest_first() {
        let uri = format!("{IPTC_SOURCE_TYPE_URI}compositeWithTrainedAlgorithmicMedia");
        assert_eq!(
            ai_source_type_in(&format!("<broken {uri}")),
            Some(("compositeWithTrainedAlgorithmicMedia", true))
        );
        assert_eq!(
            ai_source_type_in("a note: trainedAlgorithmicMedia"),
            Some(("trainedAlgorithmicMedia", false))
        );
        assert_eq!(ai_source_type_in("digitalCapture"), None);
    }

    #[test]
    fn reads_aigc_labels_wrapped_or_not() {
        let tag = |v: &str| Tag {
            place: "container tag".into(),
            key: "AIGC".into(),
            value: v.into(),
        };
        let l = parse_aigc(&tag(r#"{"AIGC":{"Label":"1","ContentProducer":"001"}}"#));
        assert_eq!(l.fields.get("Label").map(String::as_str), Some("1"));
        let l = parse_aigc(&tag(r#"{"Label":1}"#));
        assert_eq!(l.fields.get("Label").map(String::as_str), Some("1"));
        let l = parse_aigc(&tag("yes"));
        assert_eq!(l.fields.get("value").map(String::as_str), Some("yes"));
    }
}
