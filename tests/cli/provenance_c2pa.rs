//! C2PA beyond the active manifest and its one bit of validity: a declaration in an ingredient
//! (a generated clip placed in an edit, to any depth) is the film's, and the validation state
//! is the specification's (`trusted`, `valid`, `invalid`) with its failure codes.

use crate::provenance::{
    base, probe_provenance, probe_provenance_with, tampered, verdict, CERT_CHAIN, IPTC, KEY,
};
use crate::support::*;
use serde_json::{json, Value};
use std::io::Cursor;
use std::path::{Path, PathBuf};

fn signer() -> Box<dyn c2pa::Signer> {
    c2pa::create_signer::from_keys(CERT_CHAIN, KEY, c2pa::SigningAlg::Es256, None)
        .expect("test signer")
}

/// `base()` signed by `signer` with `definition`, each ingredient (title, signed bytes) added
/// from its own signed file.
fn sign_with(
    definition: Value,
    ingredients: &[(&str, &[u8])],
    signer: &dyn c2pa::Signer,
    context: c2pa::Context,
) -> Vec<u8> {
    let mut builder = c2pa::Builder::from_context(context)
        .with_definition(definition)
        .expect("manifest definition");
    for (title, bytes) in ingredients {
        builder
            .add_ingredient_from_stream(
                json!({"title": title, "relationship": "componentOf", "label": title}).to_string(),
                "video/mp4",
                &mut Cursor::new(bytes),
            )
            .expect("an ingredient");
    }
    let mut src = std::fs::File::open(base()).unwrap();
    let mut dst = Cursor::new(Vec::new());
    builder
        .sign(signer, "video/mp4", &mut src, &mut dst)
        .expect("sign the test film");
    dst.into_inner()
}

/// A clip whose own manifest declares `source_type` in its `c2pa.created` action.
fn clip(source_type: &str, agent: &str) -> Vec<u8> {
    let definition = json!({
        "claim_generator_info": [{"name": "clip maker", "version": "1"}],
        "title": "clip",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType": format!("{IPTC}{source_type}"),
            "softwareAgent": {"name": agent}
        }]}}]
    });
    sign_with(definition, &[], signer().as_ref(), c2pa::Context::new())
}

/// An edit that declares nothing of itself and places the given signed clips.
fn edit(generator: &str, ingredients: &[(&str, &[u8])]) -> Vec<u8> {
    let placed: Vec<&str> = ingredients.iter().map(|(t, _)| *t).collect();
    let definition = json!({
        "claim_generator_info": [{"name": generator, "version": "25.0"}],
        "title": "edit",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [
            {"action": "c2pa.created"},
            {"action": "c2pa.placed", "parameters": {"ingredientIds": placed}}
        ]}}]
    });
    sign_with(
        definition,
        ingredients,
        signer().as_ref(),
        c2pa::Context::new(),
    )
}

fn anchors() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/c2pa/test-ca.pem")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn an_ingredient_declaring_ai_fails_the_human_track() {
    let firefly = clip("compositeWithTrainedAlgorithmicMedia", "Adobe Firefly");
    let film = save(
        "c2pa-edit-with-ai-clip.mp4",
        &edit("Adobe Premiere Pro", &[("firefly.mp4", &firefly)]),
    );
    let p = probe_provenance(&film);
    // The edit's own manifest declares nothing; its ingredient's does.
    let own: Vec<&Value> = p["c2pa"]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["found_in"] == "active manifest")
        .collect();
    assert!(
        own.iter().all(|a| a["digital_source_type"].is_null()),
        "{p:#}"
    );
    assert_eq!(p["c2pa"]["ingredients"][0]["title"], "firefly.mp4", "{p:#}");
    assert_eq!(
        p["c2pa"]["ingredients"][0]["claim_generator"], "clip maker 1",
        "{p:#}"
    );
    assert_eq!(
        p["c2pa"]["digital_source_types"],
        json!(["compositeWithTrainedAlgorithmicMedia"]),
        "{p:#}"
    );
    assert_eq!(p["status"], "declared-ai", "{p:#}");
    let evidence = p["ai_evidence"].as_str().unwrap();
    assert!(
        evidence.contains("ingredient 'firefly.mp4' (manifest urn:")
            && evidence
                .contains("c2pa.created, digitalSourceType compositeWithTrainedAlgorithmicMedia"),
        "{evidence}"
    );
    // The ingredient's software agent is named as well.
    assert!(
        p["software"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Adobe Firefly"
                && s["found_in"]
                    .as_str()
                    .unwrap()
                    .contains("ingredient 'firefly.mp4'")),
        "{p:#}"
    );
    let (_, r) = verdict(&film, "human", "provenance.no_ai_declared");
    assert_eq!(r["status"], "fail", "{r:#}");
    assert!(
        r["actual"].as_str().unwrap().contains("firefly.mp4"),
        "{r:#}"
    );

    // One level further down: the edit placed in a second edit still fails it.
    let first = std::fs::read(&film).unwrap();
    let outer = save(
        "c2pa-edit-of-an-edit.mp4",
        &edit("DaVinci Resolve", &[("reel-1.mp4", &first)]),
    );
    let p = probe_provenance(&outer);
    assert!(
        p["ai_evidence"]
            .as_str()
            .unwrap_or("")
            .contains("ingredient 'reel-1.mp4' (manifest urn:")
            && p["ai_evidence"]
                .as_str()
                .unwrap()
                .contains("> ingredient 'firefly.mp4' (manifest urn:"),
        "{p:#}"
    );
    let (_, r) = verdict(&outer, "human", "provenance.no_ai_declared");
    assert_eq!(r["status"], "fail", "{r:#}");
}

#[test]
fn an_ingredient_from_a_camera_is_capture_evidence() {
    let camera = clip("digitalCapture", "Camera App");
    let film = save(
        "c2pa-edit-with-camera-clip.mp4",
        &edit("Adobe Premiere Pro", &[("A001C003.mp4", &camera)]),
    );
    let p = probe_provenance(&film);
    assert_eq!(p["status"], "capture", "{p:#}");
    assert!(
        p["capture_evidence"]
            .as_str()
            .unwrap()
            .contains("ingredient 'A001C003.mp4'"),
        "{p:#}"
    );
    let (_, r) = verdict(&film, "ai", "provenance.no_capture");
    assert_eq!(r["status"], "fail", "{r:#}");
}

#[test]
fn validation_states_are_the_specifications() {
    let anchors = anchors();
    let trusting = ["--c2pa-trust", anchors.as_str()];
    // Intact, signed by a certificate on no trust list given: valid, with the one code.
    let film =
        crate::provenance::signed("prov-c2pa-ai.mp4", "trainedAlgorithmicMedia", "OpenAI Sora");
    let p = probe_provenance(&film);
    assert_eq!(p["c2pa"]["validation_state"], "valid", "{p:#}");
    assert_eq!(
        p["c2pa"]["failure_codes"],
        json!(["signingCredential.untrusted"]),
        "{p:#}"
    );
    assert_eq!(p["c2pa"]["valid"], true);
    // The same under the trust anchors it chains to: trusted, no failure.
    let p = probe_provenance_with(&film, &trusting);
    assert_eq!(p["c2pa"]["validation_state"], "trusted", "{p:#}");
    assert_eq!(p["c2pa"]["failure_codes"], json!([]), "{p:#}");
    // Changed after signing: invalid, with the code that says why, trusted anchors or not;
    // what it declares is still a declaration.
    for extra in [&[][..], &trusting[..]] {
        let p = probe_provenance_with(&tampered(), extra);
        assert_eq!(p["c2pa"]["validation_state"], "invalid", "{p:#}");
        assert!(
            p["c2pa"]["failure_codes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "assertion.bmffHash.mismatch"),
            "{p:#}"
        );
        assert_eq!(p["c2pa"]["valid"], false);
        assert_eq!(p["status"], "declared-ai", "{p:#}");
    }
    let (_, r) = verdict(&tampered(), "human", "provenance.no_ai_declared");
    assert_eq!(r["status"], "fail", "{r:#}");
}

/// `base()` signed with a CAWG identity assertion (an X.509 credential, the test signer's)
/// beside a `c2pa.created` action declaring generative AI.
fn with_identity() -> PathBuf {
    use c2pa::crypto::raw_signature::signer_from_cert_chain_and_private_key;
    use c2pa::identity::builder::{IdentityAssertionBuilder, IdentityAssertionSigner};
    use c2pa::identity::x509::X509CredentialHolder;
    let raw = || {
        signer_from_cert_chain_and_private_key(CERT_CHAIN, KEY, c2pa::SigningAlg::Es256, None)
            .expect("test signer")
    };
    let mut signer = IdentityAssertionSigner::new(raw());
    let mut identity = IdentityAssertionBuilder::for_credential_holder(
        X509CredentialHolder::from_raw_signer(raw()),
    );
    identity.add_referenced_assertions(&["c2pa.actions"]);
    signer.add_identity_assertion(identity);
    let definition = json!({
        "claim_generator_info": [{"name": "reelcheck tests", "version": "1.0"}],
        "title": "test film",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType": format!("{IPTC}trainedAlgorithmicMedia")
        }]}}]
    });
    save(
        "c2pa-identity.mp4",
        &sign_with(definition, &[], &signer, c2pa::Context::new()),
    )
}

#[test]
fn an_untrusted_identity_credential_leaves_the_manifest_valid_or_trusted() {
    let film = with_identity();
    let p = probe_provenance(&film);
    assert!(
        p["c2pa"]["actions"].is_array() && p["c2pa"]["error"].is_null(),
        "{p:#}"
    );
    // Both the claim signer and the identity credential are on no trust list: valid.
    assert_eq!(p["c2pa"]["validation_state"], "valid", "{p:#}");
    assert_eq!(
        p["c2pa"]["failure_codes"],
        json!(["signingCredential.untrusted"]),
        "{p:#}"
    );
    // The claim signer chains to the anchors given: trusted, whatever the identity
    // credential's own standing (CAWG's trust list, which reelcheck is not given), which the
    // failure codes still tell.
    let anchors = anchors();
    let p = probe_provenance_with(&film, &["--c2pa-trust", &anchors]);
    assert_eq!(p["c2pa"]["validation_state"], "trusted", "{p:#}");
    assert_eq!(p["c2pa"]["trusted"], true, "{p:#}");
    assert_eq!(
        p["c2pa"]["failure_codes"],
        json!(["signingCredential.untrusted"]),
        "{p:#}"
    );
    assert_eq!(p["status"], "declared-ai");
}

#[test]
fn a_signing_credential_without_a_c2pa_key_usage_is_invalid() {
    // The certificate's only extended key usage is a private OID: the signer is told to accept
    // it, a reader is not. The c2pa crate reports `signingCredential.invalid`.
    let cert = include_bytes!("../../fixtures/c2pa/test-signer-other-eku.pem");
    let key = include_bytes!("../../fixtures/c2pa/test-signer-other-eku.key");
    let signer = c2pa::create_signer::from_keys(cert, key, c2pa::SigningAlg::Es256, None)
        .expect("other-EKU signer");
    let mut settings = c2pa::Settings::default();
    settings.trust.trust_config = Some("1.3.6.1.4.1.55555.1\n".into());
    let context = c2pa::Context::new()
        .with_settings(settings)
        .expect("signing settings");
    let definition = json!({
        "claim_generator_info": [{"name": "reelcheck tests", "version": "1.0"}],
        "title": "test film",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType": format!("{IPTC}trainedAlgorithmicMedia")
        }]}}]
    });
    let film = save(
        "c2pa-other-eku.mp4",
        &sign_with(definition, &[], signer.as_ref(), context),
    );
    let own_ca = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/c2pa/test-other-eku-ca.pem")
        .to_string_lossy()
        .into_owned();
    for extra in [&[][..], &["--c2pa-trust", own_ca.as_str()][..]] {
        let p = probe_provenance_with(&film, extra);
        assert_eq!(p["c2pa"]["validation_state"], "invalid", "{extra:?}: {p:#}");
        assert!(
            p["c2pa"]["failure_codes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "signingCredential.invalid"),
            "{p:#}"
        );
        assert_eq!(p["c2pa"]["trusted"], false);
        assert_eq!(p["status"], "declared-ai", "{p:#}");
    }
}

#[test]
fn rules_can_choose_by_validation_state() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("valid-credentials.toml");
    std::fs::write(
        &rules,
        r#"
name = "credentials that validate"
[[rule]]
id = "c2pa.not_invalid"
fact = "provenance.c2pa.validation_state"
op = "ne"
value = "invalid"
severity = "error"
message = "The Content Credentials do not validate."
source = "test"
"#,
    )
    .unwrap();
    let status = |film: &Path| {
        let (_, out, err) = run(&[
            "check",
            "--rules",
            rules.to_str().unwrap(),
            "--no-cache",
            "--format",
            "json",
            film.to_str().unwrap(),
        ]);
        (json(&out)["files"][0]["status"].clone(), err)
    };
    let good =
        crate::provenance::signed("prov-c2pa-ai.mp4", "trainedAlgorithmicMedia", "OpenAI Sora");
    assert_eq!(status(&good).0, "pass");
    assert_eq!(status(&tampered()).0, "fail");
}
