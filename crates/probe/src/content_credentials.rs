//! C2PA manifests (Content Credentials), read with the c2pa crate: offline (the crate is built
//! without its HTTP features, so remote manifests are never fetched) and read-only.

use anyhow::{bail, Result};
use c2pa::validation_results::ValidationState;
use c2pa::{Context, Reader, Settings};
use reelcheck_facts::{C2pa, C2paAction, C2paIngredient};
use serde_json::Value;
use std::collections::HashSet;
use std::io::{Read, Seek};
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
pub fn is_embedded(film: impl Read + Seek + Send, format: &str) -> bool {
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
pub fn read(
    film: impl Read + Seek + Send,
    format: &str,
    store: Store<'_>,
    trust: Option<&str>,
) -> C2pa {
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
    let failed = |c2pa: &mut C2pa, why: String| {
        c2pa.valid = Some(false);
        c2pa.trusted = Some(false);
        c2pa.validation_state = Some("invalid".into());
        c2pa.error = Some(why);
    };
    match result {
        Ok(Ok(reader)) => {
            let described = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                describe(&reader, &mut c2pa)
            }));
            if described.is_err() {
                failed(
                    &mut c2pa,
                    "the C2PA manifest cannot be read (the reader failed)".into(),
                );
            }
        }
        Ok(Err(e)) => failed(&mut c2pa, format!("the C2PA manifest cannot be read: {e}")),
        Err(_) => failed(
            &mut c2pa,
            "the C2PA manifest cannot be read (the reader failed)".into(),
        ),
    }
    c2pa
}

/// The validation status code of a signing credential not on the trust list: the only failure
/// a valid manifest may have.
const UNTRUSTED: &str = "signingCredential.untrusted";

fn describe(reader: &Reader, c2pa: &mut C2pa) {
    let (state, failures) = validation(reader);
    c2pa.valid = Some(state != "invalid");
    c2pa.trusted = Some(state == "trusted");
    c2pa.validation_state = Some(state.to_string());
    c2pa.failure_codes = failures;
    // `validation_errors` keeps its meaning: the active manifest's own failures.
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
    // The crate's JSON view is the stable, documented shape of a manifest store; walking it
    // keeps this code independent of the crate's typed API, which changes between versions.
    match reader.json_checked() {
        Ok(text) => match serde_json::from_str::<Value>(&text) {
            Ok(json) => walk(&json, c2pa),
            Err(e) => c2pa.error = Some(format!("the C2PA manifest store cannot be read: {e}")),
        },
        Err(e) => c2pa.error = Some(format!("the C2PA manifest store cannot be read: {e}")),
    }
}

/// The state the specification names, and every failure code (each once).
///
/// The state is the c2pa crate's, with one correction: the crate folds the credentials of CAWG
/// identity assertions into the manifest's trust, and checks them against the CAWG trust list,
/// which reelcheck is never given; so a manifest whose claim signer chains to a root given with
/// `--c2pa-trust` could never be trusted once it held an identity assertion. The C2PA state is
/// the claim signature's: such a manifest is trusted, and the identity credential's
/// `signingCredential.untrusted` stays in the failure codes.
fn validation(reader: &Reader) -> (&'static str, Vec<String>) {
    let mut state = match reader.validation_state() {
        ValidationState::Trusted => "trusted",
        ValidationState::Valid => "valid",
        ValidationState::Invalid => "invalid",
    };
    let mut codes: Vec<String> = Vec::new();
    let mut add = |code: &str| {
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_string());
        }
    };
    let Some(results) = reader.validation_results() else {
        for s in reader.validation_status().unwrap_or_default() {
            add(s.code());
        }
        return (state, codes);
    };
    let active = results.active_manifest();
    let deltas = results.ingredient_deltas().map_or(&[][..], Vec::as_slice);
    for s in active.iter().flat_map(|a| a.failure()) {
        add(s.code());
    }
    for d in deltas {
        for s in d.validation_deltas().failure() {
            add(s.code());
        }
    }
    let is_identity = |url: Option<&str>| url.is_some_and(|u| u.contains("/cawg.identity"));
    let claim_signer_trusted = active.is_some_and(|a| {
        a.success().iter().any(|s| {
            s.code() == "signingCredential.trusted"
                && s.url().is_none_or(|u| u.ends_with("/c2pa.signature"))
        }) && a
            .failure()
            .iter()
            .all(|s| s.code() == UNTRUSTED && is_identity(s.url()))
    });
    let ingredients_clean = deltas
        .iter()
        .all(|d| d.validation_deltas().failure().is_empty());
    if state == "valid" && claim_signer_trusted && ingredients_clean {
        state = "trusted";
    }
    (state, codes)
}

/// Manifests read from one store at most: a store of thousands is made to exhaust, not to
/// describe a film. Past it the walk stops and says so.
const MAX_MANIFESTS: usize = 256;
/// Ingredients listed at most (each manifest's, all manifests together).
const MAX_INGREDIENTS: usize = 1024;
/// Ingredients followed inside ingredients: deeper manifests are still read, as manifests of
/// the store, only without the path that leads to them.
const MAX_DEPTH: usize = 16;

/// Reads every manifest of the store: the active one, the manifests of its ingredients and of
/// theirs (depth first, as far as `MAX_DEPTH`), then any other manifest the store holds; each
/// once, whatever cycles the ingredients make.
fn walk(json: &Value, c2pa: &mut C2pa) {
    let empty = serde_json::Map::new();
    let manifests = json
        .get("manifests")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut seen: HashSet<&str> = HashSet::new();
    let mut read = 0usize;
    // (label, where it stands, depth): the active manifest stands nowhere but first.
    let mut stack: Vec<(&str, Option<String>, usize)> = Vec::new();
    if let Some(label) = json.get("active_manifest").and_then(Value::as_str) {
        stack.push((label, None, 0));
    }
    let mut rest = manifests.keys();
    while let Some((label, place, depth)) = stack.pop().or_else(|| {
        rest.by_ref().find(|l| !seen.contains(l.as_str())).map(|l| {
            let place = format!(
                "manifest {} (in the store, reached from no ingredient)",
                shown(l)
            );
            (l.as_str(), Some(place), 0)
        })
    }) {
        if !seen.insert(label) {
            continue;
        }
        let Some(manifest) = manifests.get(label) else {
            continue;
        };
        if read == MAX_MANIFESTS {
            let more = manifests.len().saturating_sub(read);
            let note = format!(
                "the C2PA manifest store holds more than {MAX_MANIFESTS} manifests; the \
                 {more} past them were not read"
            );
            c2pa.error.get_or_insert(note);
            break;
        }
        read += 1;
        let found_in = place.clone().unwrap_or_else(|| "active manifest".into());
        if place.is_none() {
            c2pa.claim_generator = claim_generator(manifest);
            if let Some(sig) = manifest.get("signature_info") {
                c2pa.issuer = text(sig.get("issuer"));
                c2pa.signed_by = text(sig.get("common_name"));
            }
        }
        actions(manifest, &found_in, c2pa);
        let ingredients = manifest
            .get("ingredients")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut next = Vec::new();
        for ingredient in ingredients {
            let title = text(ingredient.get("title"));
            let own = ingredient
                .get("active_manifest")
                .and_then(Value::as_str)
                .filter(|l| !l.trim().is_empty());
            let named = format!(
                "ingredient '{}'{}",
                title.as_deref().map_or("(untitled)".into(), shown),
                own.map(|l| format!(" (manifest {})", shown(l)))
                    .unwrap_or_default()
            );
            let path = match &place {
                Some(p) => format!("{p} > {named}"),
                None => named,
            };
            if c2pa.ingredients.len() < MAX_INGREDIENTS {
                c2pa.ingredients.push(C2paIngredient {
                    title,
                    relationship: text(ingredient.get("relationship")),
                    manifest: own.map(str::to_string),
                    claim_generator: own.and_then(|l| manifests.get(l)).and_then(claim_generator),
                    found_in: found_in.clone(),
                });
            }
            if let Some(l) = own {
                if depth < MAX_DEPTH && !seen.contains(l) {
                    next.push((l, Some(path), depth + 1));
                }
            }
        }
        // The first ingredient is read first.
        stack.extend(next.into_iter().rev());
    }
}

/// The actions of a manifest's `c2pa.actions` and `c2pa.actions.v2` assertions.
fn actions(manifest: &Value, found_in: &str, c2pa: &mut C2pa) {
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
                found_in: Some(found_in.to_string()),
            });
        }
    }
}

/// A value from the file as one short line: it is the file's own text.
fn shown(value: &str) -> String {
    crate::text::one_line(value.trim(), 80)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest(dst: Option<&str>, ingredients: &[(&str, &str)]) -> Value {
        let action = match dst {
            Some(d) => json!({"action": "c2pa.created",
                "digitalSourceType": format!("http://cv.iptc.org/newscodes/digitalsourcetype/{d}")}),
            None => json!({"action": "c2pa.opened"}),
        };
        json!({
            "claim_generator_info": [{"name": "gen", "version": "1"}],
            "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [action]}}],
            "ingredients": ingredients.iter().map(|(title, label)| json!({
                "title": title, "relationship": "componentOf", "active_manifest": label
            })).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn ingredients_are_read_to_any_depth_each_manifest_once() {
        // active → a.mp4 (m1) → b.mp4 (m2, AI) → back to the active one: a cycle.
        let store = json!({
            "active_manifest": "m0",
            "manifests": {
                "m0": manifest(None, &[("a.mp4", "m1")]),
                "m1": manifest(None, &[("b.mp4", "m2")]),
                "m2": manifest(Some("trainedAlgorithmicMedia"), &[("loop.mp4", "m0")]),
                "stray": manifest(Some("digitalCapture"), &[]),
            }
        });
        let mut c2pa = C2pa::default();
        walk(&store, &mut c2pa);
        let found: Vec<(&str, Option<&str>)> = c2pa
            .actions
            .iter()
            .map(|a| {
                (
                    a.found_in.as_deref().unwrap(),
                    a.digital_source_type.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("active manifest", None),
                ("ingredient 'a.mp4' (manifest m1)", None),
                (
                    "ingredient 'a.mp4' (manifest m1) > ingredient 'b.mp4' (manifest m2)",
                    Some("trainedAlgorithmicMedia")
                ),
                (
                    "manifest stray (in the store, reached from no ingredient)",
                    Some("digitalCapture")
                ),
            ]
        );
        assert_eq!(
            c2pa.digital_source_types,
            vec!["trainedAlgorithmicMedia", "digitalCapture"]
        );
        assert_eq!(c2pa.ingredients.len(), 3, "{:?}", c2pa.ingredients);
        assert_eq!(
            c2pa.ingredients[1].found_in,
            "ingredient 'a.mp4' (manifest m1)"
        );
        assert_eq!(c2pa.claim_generator.as_deref(), Some("gen 1"));
        assert!(c2pa.error.is_none());
    }

    #[test]
    fn the_walk_is_bounded() {
        // A chain deeper than MAX_DEPTH: the manifests past it are still read, as the store's.
        let mut manifests = serde_json::Map::new();
        let n = MAX_DEPTH + 4;
        for i in 0..n {
            let next = format!("m{}", i + 1);
            let ingredients: Vec<(&str, &str)> = if i + 1 < n {
                vec![("clip", next.as_str())]
            } else {
                vec![]
            };
            let dst = (i + 1 == n).then_some("trainedAlgorithmicMedia");
            manifests.insert(format!("m{i}"), manifest(dst, &ingredients));
        }
        let store = json!({"active_manifest": "m0", "manifests": manifests});
        let mut c2pa = C2pa::default();
        walk(&store, &mut c2pa);
        assert_eq!(c2pa.actions.len(), n);
        assert_eq!(
            c2pa.digital_source_types,
            vec!["trainedAlgorithmicMedia"],
            "the deepest declaration is read"
        );
        // More manifests than MAX_MANIFESTS: the walk stops and says so.
        let mut manifests = serde_json::Map::new();
        for i in 0..MAX_MANIFESTS + 10 {
            manifests.insert(format!("m{i:04}"), manifest(None, &[]));
        }
        let store = json!({"manifests": manifests});
        let mut c2pa = C2pa::default();
        walk(&store, &mut c2pa);
        assert_eq!(c2pa.actions.len(), MAX_MANIFESTS);
        assert!(c2pa.error.as_deref().unwrap().contains("10 past them"));
        // Anything else is no store, and no panic.
        for junk in [
            json!(null),
            json!([1, 2]),
            json!({"manifests": {"a": 1}}),
            json!({"active_manifest": 5}),
        ] {
            let mut c2pa = C2pa::default();
            walk(&junk, &mut c2pa);
            assert!(c2pa.actions.is_empty());
        }
    }
}
