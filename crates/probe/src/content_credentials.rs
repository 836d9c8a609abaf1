//! C2PA manifests (Content Credentials), read with the c2pa crate: offline (the crate is built
//! without its HTTP features, so remote manifests are never fetched) and read-only.

use crate::source::Bytes;
use anyhow::{bail, Result};
use c2pa::validation_results::ValidationState;
use c2pa::{Context, Reader, Settings};
use reelcheck_facts::{C2pa, C2paAction};
use serde_json::Value;
use std::path::Path;

/// Checks the organizer's trust anchors (`--c2pa-trust`), the text of `origin`: signers whose
/// certificate chains to a root in this PEM bundle are trusted. Without it no signer is trusted:
/// reelcheck ships no trust list of its own, since a stale copy would vouch for revoked signers.
pub fn check_trust(origin: &str, pem: &str) -> Result<()> {
    if !pem.contains("-----BEGIN CERTIFICATE-----") {
        bail!("{origin}: no PEM certificate in it (expected -----BEGIN CERTIFICATE----- blocks)");
    }
    // Validates the bundle the way the reader will load it.
    Context::new()
        .with_settings(settings(pem))
        .map_err(|e| anyhow::anyhow!("{origin}: not a usable PEM bundle ({e})"))?;
    Ok(())
}

fn settings(pem: &str) -> Settings {
    let mut settings = Settings::default();
    settings.trust.user_anchors = Some(pem.to_string());
    settings
}

fn context(trust: Option<&str>) -> Context {
    match trust {
        // The bundle was accepted when it was loaded.
        Some(pem) => Context::new()
            .with_settings(settings(pem))
            .unwrap_or_else(|_| Context::new()),
        None => Context::new(),
    }
}

/// The format the c2pa crate reads this file as: its own reading of the file name first, else
/// the format FFmpeg's demuxer found (a WAV named `.bin` is still a WAV). `None` when the crate
/// reads no manifest from such files.
pub fn format_for(path: &Path, demuxer: &str) -> Option<String> {
    let supported = Reader::supported_mime_types();
    let known = |f: &str| {
        let mime =
            c2pa::format_from_path(Path::new(&format!("x.{f}"))).unwrap_or_else(|| f.to_string());
        supported
            .iter()
            .any(|s| s.eq_ignore_ascii_case(&mime) || s.eq_ignore_ascii_case(f))
    };
    if let Some(f) = c2pa::format_from_path(path).filter(|f| known(f)) {
        return Some(f);
    }
    let names: Vec<&str> = demuxer.split(',').collect();
    let by_demuxer = if names.contains(&"mov") {
        "video/mp4"
    } else {
        match names.first().copied().unwrap_or("") {
            "wav" => "audio/wav",
            "avi" => "video/avi",
            "mp3" => "audio/mpeg",
            "flac" => "audio/flac",
            "aiff" => "audio/aiff",
            "image2" | "jpeg_pipe" => "image/jpeg",
            "png_pipe" => "image/png",
            _ => return None,
        }
    };
    known(by_demuxer).then(|| by_demuxer.to_string())
}

/// Whether the file (`film`, from its start) embeds a C2PA manifest store, found by the c2pa
/// crate's reader for its format (RIFF chunks, ID3 frames, ISO BMFF boxes, FLAC blocks …)
/// without validating it.
pub fn is_embedded(film: Bytes, format: &str) -> bool {
    let mut film = film;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        c2pa::jumbf_io::load_jumbf_from_stream(format, &mut film).is_ok_and(|j| !j.is_empty())
    }))
    .unwrap_or(false)
}

/// Where a manifest store was found.
pub enum Store<'a> {
    /// Inside the file (an ISO BMFF `uuid` box, a RIFF `C2PA` chunk, an ID3 frame …).
    Embedded,
    /// A `.c2pa` sidecar's bytes.
    Sidecar(&'a [u8]),
}

/// Reads and validates the manifest store against the file's bytes (`film`, from its start)
/// and the trust anchors (a PEM bundle), never panicking: a manifest that cannot be read is
/// reported in `error`, with `present` still true.
pub fn read(film: Bytes, format: &str, store: Store<'_>, trust: Option<&str>) -> C2pa {
    let source = match store {
        Store::Embedded => "embedded",
        Store::Sidecar(_) => "sidecar",
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let reader = Reader::from_context(context(trust));
        match store {
            Store::Embedded => reader.with_stream(format, film),
            Store::Sidecar(bytes) => reader.with_manifest_data_and_stream(bytes, format, film),
        }
        .map_err(|e| e.to_string())
    }));
    let mut c2pa = C2pa {
        present: true,
        source: Some(source.to_string()),
        ..Default::default()
    };
    match result {
        Ok(Ok(reader)) => describe(&reader, &mut c2pa),
        Ok(Err(e)) => {
            c2pa.valid = Some(false);
            c2pa.error = Some(format!("the C2PA manifest cannot be read: {e}"));
        }
        Err(_) => {
            c2pa.valid = Some(false);
            c2pa.error = Some("the C2PA manifest cannot be read (the reader failed)".into());
        }
    }
    c2pa
}

fn describe(reader: &Reader, c2pa: &mut C2pa) {
    let state = reader.validation_state();
    c2pa.valid = Some(state != ValidationState::Invalid);
    c2pa.trusted = Some(state == ValidationState::Trusted);
    if let Some(results) = reader.validation_results() {
        if let Some(active) = results.active_manifest() {
            c2pa.validation_errors = active
                .failure()
                .iter()
                .map(|s| s.code().to_string())
                .collect();
        }
    } else if let Some(status) = reader.validation_status() {
        c2pa.validation_errors = status.iter().map(|s| s.code().to_string()).collect();
    }
    // The crate's JSON view is the stable, documented shape of a manifest; walking it keeps
    // this code independent of the crate's typed API, which changes between versions.
    let json: Value = serde_json::from_str(&reader.json()).unwrap_or(Value::Null);
    let Some(label) = json.get("active_manifest").and_then(Value::as_str) else {
        return;
    };
    let Some(manifest) = json.get("manifests").and_then(|m| m.get(label)) else {
        return;
    };
    c2pa.claim_generator = claim_generator(manifest);
    if let Some(sig) = manifest.get("signature_info") {
        c2pa.issuer = text(sig.get("issuer"));
        c2pa.signed_by = text(sig.get("common_name"));
    }
    let assertions = manifest
        .get("assertions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for a in assertions {
        let is_actions = a
            .get("label")
            .and_then(Value::as_str)
            .is_some_and(|l| l.starts_with("c2pa.actions"));
        if !is_actions {
            continue;
        }
        let actions = a
            .pointer("/data/actions")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for act in actions {
            let dst = text(act.get("digitalSourceType")).map(|t| short_source_type(&t));
            let agent = act.get("softwareAgent").and_then(|s| match s {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => {
                    let name = o.get("name").and_then(Value::as_str)?;
                    Some(match o.get("version").and_then(Value::as_str) {
                        Some(v) => format!("{name} {v}"),
                        None => name.to_string(),
                    })
                }
                _ => None,
            });
            if let Some(d) = &dst {
                if !c2pa.digital_source_types.contains(d) {
                    c2pa.digital_source_types.push(d.clone());
                }
            }
            c2pa.actions.push(C2paAction {
                action: text(act.get("action")).unwrap_or_default(),
                digital_source_type: dst,
                software_agent: agent,
            });
        }
    }
}

fn claim_generator(manifest: &Value) -> Option<String> {
    let from_info = manifest
        .get("claim_generator_info")
        .and_then(Value::as_array)
        .and_then(|infos| infos.first())
        .and_then(|info| {
            let name = info.get("name").and_then(Value::as_str)?;
            Some(match info.get("version").and_then(Value::as_str) {
                Some(v) => format!("{name} {v}"),
                None => name.to_string(),
            })
        });
    from_info.or_else(|| text(manifest.get("claim_generator")))
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia` →
/// `trainedAlgorithmicMedia`: the IPTC code is what people and rules name.
pub fn short_source_type(uri: &str) -> String {
    let t = uri.trim().trim_end_matches('/');
    t.rsplit(['/', '#']).next().unwrap_or(t).to_string()
}
