//! Provenance facts and the track rules over them, on films that carry C2PA manifests (signed
//! here with the committed test credentials in fixtures/c2pa), XMP, an AIGC label, tool tags,
//! or nothing at all.

use crate::support::*;
use serde_json::{json, Value};
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

pub(crate) const CERT_CHAIN: &[u8] = include_bytes!("../../fixtures/c2pa/test-signer.pem");
pub(crate) const KEY: &[u8] = include_bytes!("../../fixtures/c2pa/test-signer.key");

pub(crate) const IPTC: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/";

/// The film every marked film starts from: 2 s, no tool tags beyond FFmpeg's own.
pub(crate) fn base() -> PathBuf {
    film("prov-base.mp4", 2)
}

/// Signs `base()` with a manifest whose `c2pa.created` action declares `source_type`.
/// Returns (film bytes, manifest store bytes).
pub(crate) fn sign(source_type: &str, agent: &str, sidecar: bool) -> (Vec<u8>, Vec<u8>) {
    let manifest = json!({
        "claim_generator_info": [{"name": "reelcheck tests", "version": "1.0"}],
        "title": "test film",
        "assertions": [{
            "label": "c2pa.actions",
            "data": {"actions": [{
                "action": "c2pa.created",
                "digitalSourceType": format!("{IPTC}{source_type}"),
                "softwareAgent": {"name": agent}
            }]}
        }]
    });
    let mut builder = c2pa::Builder::from_context(c2pa::Context::new())
        .with_definition(manifest)
        .expect("manifest definition");
    builder.set_no_embed(sidecar);
    let signer = c2pa::create_signer::from_keys(CERT_CHAIN, KEY, c2pa::SigningAlg::Es256, None)
        .expect("test signer");
    let mut src = std::fs::File::open(base()).unwrap();
    let mut dst = Cursor::new(Vec::new());
    let store = builder
        .sign(signer.as_ref(), "video/mp4", &mut src, &mut dst)
        .expect("sign the test film");
    (dst.into_inner(), store)
}

pub(crate) fn signed(name: &str, source_type: &str, agent: &str) -> PathBuf {
    save(name, &sign(source_type, agent, false).0)
}

/// A film whose picture bytes changed after signing: the manifest's hash no longer matches.
pub(crate) fn tampered() -> PathBuf {
    let name = "prov-c2pa-tampered.mp4";
    let (mut bytes, _) = sign("trainedAlgorithmicMedia", "OpenAI Sora", false);
    let mdat = find_box(&bytes, b"mdat").expect("an mdat box");
    let at = mdat + (bytes.len() - mdat) / 4;
    bytes[at] ^= 0xFF;
    bytes[at + 1] ^= 0xFF;
    save(name, &bytes)
}

/// The offset of the payload of the first top-level box of this type.
pub(crate) fn find_box(bytes: &[u8], kind: &[u8; 4]) -> Option<usize> {
    let mut at = 0usize;
    while at + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        if &bytes[at + 4..at + 8] == kind {
            return Some(at + 8);
        }
        if size < 8 {
            return None;
        }
        at += size;
    }
    None
}

/// A film in its own folder with a `.c2pa` sidecar beside it.
fn with_sidecar(dir: &Path) -> PathBuf {
    let (film, store) = sign("trainedAlgorithmicMedia", "Runway Gen-3", true);
    let path = dir.join("sidecar-film.mp4");
    std::fs::write(&path, film).unwrap();
    std::fs::write(dir.join("sidecar-film.c2pa"), store).unwrap();
    path
}

/// Appends a top-level XMP `uuid` box, as Adobe tools write it in MP4.
pub(crate) fn with_xmp(name: &str, xmp: &str) -> PathBuf {
    let mut bytes = std::fs::read(base()).unwrap();
    let uuid: [u8; 16] = [
        0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF,
        0xAC,
    ];
    let size = (8 + 16 + xmp.len()) as u32;
    bytes.write_all(&size.to_be_bytes()).unwrap();
    bytes.write_all(b"uuid").unwrap();
    bytes.write_all(&uuid).unwrap();
    bytes.write_all(xmp.as_bytes()).unwrap();
    save(name, &bytes)
}

/// Appends a top-level box of `kind` holding the XMP packet as plain bytes, where no convention
/// puts it but a writer may.
pub(crate) fn with_xmp_in_box(name: &str, kind: &[u8; 4], xmp: &str) -> PathBuf {
    let mut bytes = std::fs::read(base()).unwrap();
    let size = (8 + xmp.len()) as u32;
    bytes.write_all(&size.to_be_bytes()).unwrap();
    bytes.write_all(kind).unwrap();
    bytes.write_all(xmp.as_bytes()).unwrap();
    save(name, &bytes)
}

fn tagged(name: &str, tags: &[&str]) -> PathBuf {
    let base = base();
    let mut args = vec!["-i", base.to_str().unwrap(), "-c", "copy"];
    for t in tags {
        args.push("-metadata");
        args.push(t);
    }
    args.extend(["-movflags", "use_metadata_tags+faststart"]);
    media(name, &args)
}

pub(crate) fn probe_provenance(path: &Path) -> Value {
    probe_provenance_with(path, &[])
}

pub(crate) fn probe_provenance_with(path: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["probe", "--with", "provenance", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    json(&out)[0]["provenance"].clone()
}

/// (file status, the result of rule `id`) from `check --track TRACK --format json`.
pub(crate) fn verdict(path: &Path, track: &str, id: &str) -> (String, Value) {
    verdict_with(path, track, id, &[])
}

pub(crate) fn verdict_with(path: &Path, track: &str, id: &str, extra: &[&str]) -> (String, Value) {
    let mut args = vec!["check", "--track", track, "--format", "json"];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let (_, out, err) = run(&args);
    let report = json(&out);
    let file = &report["files"][0];
    let result = file["results"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("no result for {id}: {out}\n{err}"));
    (file["status"].as_str().unwrap_or("").to_string(), result)
}

#[test]
fn c2pa_declaring_ai_fails_the_human_track_with_its_evidence() {
    let film = signed("prov-c2pa-ai.mp4", "trainedAlgorithmicMedia", "OpenAI Sora");
    let p = probe_provenance(&film);
    assert_eq!(p["c2pa"]["present"], true, "{p:#}");
    assert_eq!(p["c2pa"]["source"], "embedded");
    assert_eq!(p["c2pa"]["valid"], true, "{p:#}");
    assert_eq!(p["c2pa"]["trusted"], false);
    assert_eq!(p["c2pa"]["issuer"], "reelcheck tests");
    assert_eq!(p["c2pa"]["claim_generator"], "reelcheck tests 1.0");
    assert_eq!(
        p["c2pa"]["digital_source_types"],
        json!(["trainedAlgorithmicMedia"])
    );
    assert!(p["c2pa"]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "c2pa.created" && a["software_agent"] == "OpenAI Sora"));
    assert_eq!(p["ai_declared"], true);
    assert_eq!(p["status"], "declared-ai");
    let evidence = p["ai_evidence"].as_str().unwrap();
    assert!(
        evidence.contains("C2PA manifest signed by reelcheck tests")
            && evidence.contains("declares trainedAlgorithmicMedia"),
        "{evidence}"
    );
    assert!(
        p["software"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "OpenAI Sora" && s["kind"] == "ai_generator"),
        "{p:#}"
    );

    let (status, r) = verdict(&film, "human", "provenance.no_ai_declared");
    assert_eq!(status, "fail");
    assert_eq!(r["status"], "fail");
    assert_eq!(r["severity"], "error");
    assert!(
        r["actual"]
            .as_str()
            .unwrap()
            .contains("declares trainedAlgorithmicMedia"),
        "{r:#}"
    );
    let (_, r) = verdict(&film, "ai", "provenance.declared");
    assert_eq!(r["status"], "pass");
}

#[test]
fn c2pa_declaring_capture_warns_on_the_ai_track_only() {
    let film = signed("prov-c2pa-capture.mp4", "digitalCapture", "Camera App");
    let p = probe_provenance(&film);
    assert_eq!(p["c2pa"]["valid"], true, "{p:#}");
    assert_eq!(p["ai_declared"], false);
    assert_eq!(p["status"], "capture");
    assert!(p["capture_evidence"]
        .as_str()
        .unwrap()
        .contains("declares digitalCapture"));

    let (_, r) = verdict(&film, "ai", "provenance.no_capture");
    assert_eq!(
        (r["status"].as_str(), r["severity"].as_str()),
        (Some("fail"), Some("warning"))
    );
    let (_, r) = verdict(&film, "human", "provenance.no_ai_declared");
    assert_eq!(r["status"], "pass");
}

#[test]
fn changed_bytes_after_signing_make_the_manifest_invalid() {
    let p = probe_provenance(&tampered());
    assert_eq!(p["c2pa"]["present"], true, "{p:#}");
    assert_eq!(p["c2pa"]["valid"], false, "{p:#}");
    assert!(
        !p["c2pa"]["validation_errors"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{p:#}"
    );
    // An invalid manifest still says what it says; the evidence notes it does not validate.
    assert_eq!(p["ai_declared"], true);
    assert!(p["ai_evidence"]
        .as_str()
        .unwrap()
        .contains("does not validate"));
}

#[test]
fn a_c2pa_sidecar_beside_the_film_counts() {
    let dir = tempfile::tempdir().unwrap();
    let film = with_sidecar(dir.path());
    let p = probe_provenance(&film);
    assert_eq!(p["c2pa"]["source"], "sidecar", "{p:#}");
    assert_eq!(p["c2pa"]["valid"], true, "{p:#}");
    assert_eq!(p["status"], "declared-ai");
    assert!(p["ai_evidence"]
        .as_str()
        .unwrap()
        .contains("C2PA sidecar sidecar-film.c2pa"));
}

#[test]
fn xmp_digital_source_type_and_creator_tool_are_read() {
    let xmp = format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" Iptc4xmpExt:DigitalSourceType="{IPTC}compositeWithTrainedAlgorithmicMedia" xmp:CreatorTool="Adobe Premiere Pro 2025"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    );
    let film = with_xmp("prov-xmp-ai.mp4", &xmp);
    let p = probe_provenance(&film);
    assert_eq!(p["xmp"]["present"], true, "{p:#}");
    assert_eq!(
        p["xmp"]["digital_source_type"],
        "compositeWithTrainedAlgorithmicMedia"
    );
    assert_eq!(p["xmp"]["creator_tool"], "Adobe Premiere Pro 2025");
    assert_eq!(p["ai_declared"], true);
    assert!(p["software"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "Adobe Premiere Pro" && s["kind"] == "editor"));
    let (status, _) = verdict(&film, "human", "provenance.no_ai_declared");
    assert_eq!(status, "fail");
    // The same packet in a top-level box no convention names is still found (the MP4's media
    // data is not searched, its other boxes are), and still fails the human track.
    let odd = with_xmp_in_box("prov-xmp-ai-odd-box.mp4", b"meta", &xmp);
    let p = probe_provenance(&odd);
    assert_eq!(
        p["xmp"]["digital_source_type"], "compositeWithTrainedAlgorithmicMedia",
        "{p:#}"
    );
    let (status, _) = verdict(&odd, "human", "provenance.no_ai_declared");
    assert_eq!(status, "fail");
}

#[test]
fn an_aigc_label_is_a_declaration() {
    let film = tagged(
        "prov-aigc.mp4",
        &[
            r#"AIGC={"AIGC":{"Label":"1","ContentProducer":"001191440300MA5G0000001","ProduceID":"demo-42"}}"#,
        ],
    );
    let p = probe_provenance(&film);
    assert_eq!(p["aigc_label"]["present"], true, "{p:#}");
    assert_eq!(p["aigc_label"]["fields"]["Label"], "1");
    assert_eq!(p["aigc_label"]["fields"]["ProduceID"], "demo-42");
    assert_eq!(p["status"], "declared-ai");
    let (_, r) = verdict(&film, "human", "provenance.no_ai_declared");
    assert!(
        r["actual"].as_str().unwrap().contains("AIGC label"),
        "{r:#}"
    );
}

#[test]
fn tool_tags_name_3d_software_and_ai_generators() {
    // A field the program fills in names it; a comment only mentions it (see the hostile
    // input tests).
    let film = tagged(
        "prov-tools-2.mp4",
        &["software=Blender 4.1", "encoding_tool=Runway Gen-3"],
    );
    let p = probe_provenance(&film);
    let names: Vec<&str> = p["software"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(
        names.contains(&"Blender") && names.contains(&"Runway"),
        "{p:#}"
    );
    assert!(p["cad_evidence"].as_str().unwrap().contains("Blender"));

    let (_, r) = verdict(&film, "ai", "provenance.no_cad_3d");
    assert_eq!(
        (r["status"].as_str(), r["severity"].as_str()),
        (Some("fail"), Some("warning"))
    );
    let (_, r) = verdict(&film, "human", "provenance.cad_3d");
    assert_eq!(
        (r["status"].as_str(), r["severity"].as_str()),
        (Some("fail"), Some("info"))
    );
    let (_, r) = verdict(&film, "human", "provenance.no_ai_declared");
    assert_eq!(r["status"], "fail");
}

#[test]
fn a_film_without_markers_is_unknown_never_human() {
    let film = base();
    let p = probe_provenance(&film);
    assert_eq!(p["status"], "unknown", "{p:#}");
    assert_eq!(p["ai_declared"], false);
    assert_eq!(p["c2pa"]["present"], false);
    assert_eq!(p["xmp"]["present"], false);
    assert_eq!(p["aigc_label"]["present"], false);
    assert!(p["ai_evidence"].is_null());

    let (_, r) = verdict(&film, "ai", "provenance.declared");
    assert_eq!(
        (r["status"].as_str(), r["severity"].as_str()),
        (Some("fail"), Some("info"))
    );
    assert!(r["message"]
        .as_str()
        .unwrap()
        .contains("Provenance unknown"));
    let (_, r) = verdict(&film, "human", "provenance.no_ai_declared");
    assert_eq!(r["status"], "pass");

    // Header-only probing does not compute provenance at all.
    let (_, out, _) = run(&["probe", "--format", "json", film.to_str().unwrap()]);
    assert!(json(&out)[0].get("provenance").is_none());
}

#[test]
fn organizers_can_extend_the_software_list() {
    let film = tagged(
        "prov-custom-tool.mp4",
        &["creation_tool=DreamReel Studio 2"],
    );
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("more.toml");
    std::fs::write(
        &list,
        "[[software]]\nname = \"DreamReel\"\nkind = \"ai_generator\"\nmatch = [\"dreamreel\"]\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "probe",
        "--with",
        "provenance",
        "--format",
        "json",
        "--software-list",
        list.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        json(&out)[0]["provenance"]["status"],
        "declared-ai",
        "{out}"
    );
    // `check` probes in worker processes: they must get the list too.
    let (_, r) = verdict_with(
        &film,
        "human",
        "provenance.no_ai_declared",
        &["--software-list", list.to_str().unwrap(), "--no-cache"],
    );
    assert_eq!(r["status"], "fail", "{r:#}");
    assert!(r["actual"].as_str().unwrap().contains("DreamReel"), "{r:#}");

    std::fs::write(
        &list,
        "[[software]]\nname = \"X\"\nkind = \"camera\"\nmatch = [\"x\"]\n",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "probe",
        "--software-list",
        list.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("kind 'camera'"), "{err}");
}

#[test]
fn a_signer_is_trusted_only_under_the_given_trust_anchors() {
    let film = signed("prov-c2pa-ai.mp4", "trainedAlgorithmicMedia", "OpenAI Sora");
    let anchors = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/c2pa/test-ca.pem");
    let anchors = anchors.to_str().unwrap();
    let probe_trusting = |path: &Path| probe_provenance_with(path, &["--c2pa-trust", anchors]);

    let p = probe_trusting(&film);
    assert_eq!(
        (&p["c2pa"]["valid"], &p["c2pa"]["trusted"]),
        (&json!(true), &json!(true)),
        "{p:#}"
    );
    assert_eq!(p["c2pa"]["validation_errors"], json!([]), "{p:#}");
    assert!(
        p["ai_evidence"]
            .as_str()
            .unwrap()
            .contains("with a certificate from a trusted root"),
        "{p:#}"
    );
    // Without anchors the same signer is valid but untrusted.
    let p = probe_provenance(&film);
    assert_eq!(p["c2pa"]["trusted"], false, "{p:#}");
    // Trust never rescues a manifest whose hashes fail.
    let p = probe_trusting(&tampered());
    assert_eq!(
        (&p["c2pa"]["valid"], &p["c2pa"]["trusted"]),
        (&json!(false), &json!(false)),
        "{p:#}"
    );

    // `check` probes in worker processes and caches facts: both must follow the anchors.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("trusted.toml");
    std::fs::write(
        &rules,
        r#"
name = "trusted signers"
[[rule]]
id = "c2pa.trusted"
fact = "provenance.c2pa.trusted"
op = "eq"
value = true
severity = "error"
message = "The Content Credentials are not signed by a trusted signer."
source = "test"
"#,
    )
    .unwrap();
    let cache = dir.path().join("cache");
    let status = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--rules",
            rules.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        args.push(film.to_str().unwrap());
        let (code, out, err) = run(&args);
        (code, json(&out)["files"][0]["status"].clone(), err)
    };
    let (code, s, err) = status(&[]);
    assert_eq!((code, s), (1, json!("fail")), "{err}");
    let (code, s, err) = status(&["--c2pa-trust", anchors]);
    assert_eq!((code, s), (0, json!("pass")), "{err}");
}

#[test]
fn a_trust_file_without_certificates_is_a_usage_error() {
    let film = base();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("anchors.pem");
    std::fs::write(&bad, "not a certificate\n").unwrap();
    let (code, _, err) = run(&[
        "check",
        "--c2pa-trust",
        bad.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("anchors.pem") && err.contains("no PEM certificate"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let missing = dir.path().join("missing.pem");
    let (code, _, err) = run(&[
        "probe",
        "--c2pa-trust",
        missing.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.pem"), "{err}");
}

#[test]
fn a_film_declared_ai_never_passes_the_human_track_quickly() {
    let xmp = format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" Iptc4xmpExt:DigitalSourceType="{IPTC}trainedAlgorithmicMedia"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    );
    let films = [
        signed("prov-c2pa-ai.mp4", "trainedAlgorithmicMedia", "OpenAI Sora"),
        with_xmp("prov-xmp-quick.mp4", &xmp),
        tagged(
            "prov-aigc.mp4",
            &[
                r#"AIGC={"AIGC":{"Label":"1","ContentProducer":"001191440300MA5G0000001","ProduceID":"demo-42"}}"#,
            ],
        ),
    ];
    for film in films {
        let (status, result) =
            verdict_with(&film, "human", "provenance.no_ai_declared", &["--quick"]);
        assert_eq!(status, "fail", "{}: {result}", film.display());
        assert_eq!(result["status"], "fail", "{result}");
    }
}

#[test]
fn an_ai_generator_named_in_free_text_reaches_the_organizer_by_default() {
    let film = tagged(
        "prov-mention.mp4",
        &["comment=Generated with Runway Gen-3 for the opening shot"],
    );
    // Not proof: the AI rule passes, and a warning names the mention (the 2-second test film
    // fails on its runtime, which is beside the point).
    let (_, r) = verdict(&film, "human", "provenance.no_ai_declared");
    assert_eq!(r["status"], "pass");
    let (_, r) = verdict(&film, "human", "provenance.ai_mentioned");
    assert_eq!(
        (r["status"].as_str(), r["severity"].as_str()),
        (Some("fail"), Some("warning"))
    );
    // The text report shows it without --verbose.
    let (_, out, err) = run(&["check", "--track", "human", film.to_str().unwrap()]);
    assert!(out.contains("provenance.ai_mentioned"), "{out}{err}");
    assert!(out.contains("Runway"), "{out}");
    // The HTML table's provenance column says so, and so does the entry's own page.
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let pages = dir.path().join("pages");
    let (code, _, err) = run(&[
        "check",
        "--track",
        "human",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
        "--per-entry",
        pages.to_str().unwrap(),
        film.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains(">AI mentioned</span>"),
        "no mention in the table"
    );
    // The folder also holds the list of the pages a run wrote (`.reelcheck-pages`).
    let entry = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .expect("the entry's page");
    let entry = std::fs::read_to_string(entry).unwrap();
    assert!(entry.contains("Runway"), "no mention on the entry's page");
}
