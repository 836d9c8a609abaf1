//! XMP read as RDF/XML: a declaration of AI fails the human track in every legal form of the
//! property (any prefix bound to its namespace, attribute, element, `rdf:resource`, arrays,
//! qualified values, a pantry), in every packet of the file; a packet with a DTD is refused
//! without expanding anything, and a broken one is a reason, never a crash.

use crate::provenance::{probe_provenance, verdict, with_xmp, with_xmp_in_box, IPTC};
use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const RDF: &str = r#"xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#""#;
const IPTC_NS: &str = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";

/// A whole packet whose top `rdf:Description` has the attributes `attrs` and holds `body`.
fn packet(attrs: &str, body: &str) -> String {
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {RDF}><rdf:Description rdf:about="" {attrs}>{body}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    )
}

/// The result of `provenance.no_ai_declared` on the human track for each film, from one run.
fn human_verdicts(films: &[PathBuf]) -> Vec<Value> {
    let mut args = vec![
        "check",
        "--track",
        "human",
        "--format",
        "json",
        "--no-cache",
    ];
    args.extend(films.iter().map(|f| f.to_str().unwrap()));
    let (_, out, err) = run(&args);
    let report = json(&out);
    films
        .iter()
        .map(|film| {
            let file = report["files"]
                .as_array()
                .and_then(|fs| {
                    fs.iter()
                        .find(|f| Path::new(f["path"].as_str().unwrap_or("")) == film)
                })
                .unwrap_or_else(|| panic!("{} not in the report: {err}", film.display()));
            file["results"]
                .as_array()
                .and_then(|rs| rs.iter().find(|r| r["id"] == "provenance.no_ai_declared"))
                .cloned()
                .unwrap_or_else(|| panic!("no provenance.no_ai_declared: {file:#}"))
        })
        .collect()
}

#[test]
fn every_legal_form_of_an_xmp_ai_declaration_fails_the_human_track() {
    let ai = format!("{IPTC}trainedAlgorithmicMedia");
    let iptc = format!(r#"xmlns:Iptc4xmpExt="{IPTC_NS}""#);
    let forms: Vec<(&str, String)> = vec![
        (
            "attribute",
            packet(&format!(r#"{iptc} Iptc4xmpExt:DigitalSourceType="{ai}""#), ""),
        ),
        (
            "element with text",
            packet(
                &iptc,
                &format!("<Iptc4xmpExt:DigitalSourceType>{ai}</Iptc4xmpExt:DigitalSourceType>"),
            ),
        ),
        (
            "rdf:resource",
            packet(
                &iptc,
                &format!(r#"<Iptc4xmpExt:DigitalSourceType rdf:resource="{ai}"/>"#),
            ),
        ),
        (
            "another prefix",
            packet(
                &format!(r#"xmlns:iptcExt="{IPTC_NS}" iptcExt:DigitalSourceType="{ai}""#),
                "",
            ),
        ),
        (
            "default namespace",
            packet(
                "",
                &format!(r#"<DigitalSourceType xmlns="{IPTC_NS}">{ai}</DigitalSourceType>"#),
            ),
        ),
        (
            "rdf:li in a Bag",
            packet(
                &iptc,
                &format!(
                    "<Iptc4xmpExt:DigitalSourceType><rdf:Bag><rdf:li>{ai}</rdf:li></rdf:Bag></Iptc4xmpExt:DigitalSourceType>"
                ),
            ),
        ),
        (
            "rdf:resource in an Alt",
            packet(
                &iptc,
                &format!(
                    r#"<Iptc4xmpExt:DigitalSourceType><rdf:Alt><rdf:li xml:lang="x-default" rdf:resource="{ai}"/></rdf:Alt></Iptc4xmpExt:DigitalSourceType>"#
                ),
            ),
        ),
        (
            "qualified value",
            packet(
                &iptc,
                &format!(
                    r#"<Iptc4xmpExt:DigitalSourceType rdf:parseType="Resource"><rdf:value>{ai}</rdf:value></Iptc4xmpExt:DigitalSourceType>"#
                ),
            ),
        ),
        (
            "composite code without its URI",
            packet(
                &format!(
                    r#"{iptc} Iptc4xmpExt:DigitalSourceType="compositeWithTrainedAlgorithmicMedia""#
                ),
                "",
            ),
        ),
        (
            "an ingredient's packet in the pantry",
            packet(
                r#"xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/""#,
                &format!(
                    r#"<xmpMM:Pantry><rdf:Bag><rdf:li><rdf:Description {iptc} Iptc4xmpExt:DigitalSourceType="{ai}"/></rdf:li></rdf:Bag></xmpMM:Pantry>"#
                ),
            ),
        ),
        (
            "CreatorTool with the xap prefix",
            packet(
                r#"xmlns:xap="http://ns.adobe.com/xap/1.0/" xap:CreatorTool="OpenAI Sora""#,
                "",
            ),
        ),
        (
            "CreatorTool as an element in an Alt",
            packet(
                r#"xmlns:xmp="http://ns.adobe.com/xap/1.0/""#,
                r#"<xmp:CreatorTool><rdf:Alt><rdf:li xml:lang="x-default">OpenAI Sora</rdf:li></rdf:Alt></xmp:CreatorTool>"#,
            ),
        ),
        (
            "history softwareAgent as a struct field",
            packet(
                r#"xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:evt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#""#,
                r#"<xmpMM:History><rdf:Seq><rdf:li rdf:parseType="Resource"><evt:action>created</evt:action><evt:softwareAgent>Runway Gen-3</evt:softwareAgent></rdf:li></rdf:Seq></xmpMM:History>"#,
            ),
        ),
    ];
    let mut films: Vec<PathBuf> = forms
        .iter()
        .enumerate()
        .map(|(i, (_, xmp))| with_xmp(&format!("xmpform-{i}.mp4"), xmp))
        .collect();
    // A packet with the wrapper and no x:xmpmeta, in a box no convention names.
    let bare = format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><rdf:RDF {RDF}><rdf:Description {iptc} Iptc4xmpExt:DigitalSourceType="{ai}"/></rdf:RDF><?xpacket end="r"?>"#
    );
    films.push(with_xmp_in_box("xmpform-bare.mp4", b"meta", &bare));
    let mut names: Vec<&str> = forms.iter().map(|(n, _)| *n).collect();
    names.push("a bare RDF packet in an odd box");
    // Two packets, the first declaring a camera: the second's declaration still counts.
    let capture = packet(
        &format!(r#"{iptc} Iptc4xmpExt:DigitalSourceType="{IPTC}digitalCapture""#),
        "",
    );
    let mut two = std::fs::read(with_xmp("xmpform-capture.mp4", &capture)).unwrap();
    let second = packet(
        &iptc,
        &format!(r#"<Iptc4xmpExt:DigitalSourceType rdf:resource="{ai}"/>"#),
    );
    two.extend_from_slice(&((8 + second.len()) as u32).to_be_bytes());
    two.extend_from_slice(b"meta");
    two.extend_from_slice(second.as_bytes());
    films.push(save("xmpform-two-packets.mp4", &two));
    names.push("the second of two packets");

    for (verdict, name) in human_verdicts(&films).iter().zip(&names) {
        assert_eq!(verdict["status"], "fail", "{name}: {verdict:#}");
    }
    // The facts say what was read, in the short IPTC code.
    let film = |name: &str| &films[names.iter().position(|n| *n == name).unwrap()];
    let p = probe_provenance(film("rdf:resource"));
    assert_eq!(
        p["xmp"]["digital_source_type"], "trainedAlgorithmicMedia",
        "{p:#}"
    );
    assert_eq!(p["xmp"]["packets"], 1, "{p:#}");
    let p = probe_provenance(film("CreatorTool with the xap prefix"));
    assert_eq!(p["xmp"]["creator_tools"][0], "OpenAI Sora", "{p:#}");
    assert!(
        p["ai_evidence"].as_str().unwrap().contains("OpenAI Sora"),
        "{p:#}"
    );
    let p = probe_provenance(films.last().unwrap());
    assert_eq!(p["xmp"]["packets"], 2, "{p:#}");
    assert_eq!(
        p["xmp"]["digital_source_types"],
        serde_json::json!(["digitalCapture", "trainedAlgorithmicMedia"]),
        "{p:#}"
    );
    assert_eq!(p["status"], "declared-ai", "{p:#}");
}

#[test]
fn an_impostor_namespace_declares_nothing() {
    // The IPTC prefix bound to another namespace is another property: no declaration.
    let xmp = packet(
        r#"xmlns:Iptc4xmpExt="http://example.com/ns/" Iptc4xmpExt:DigitalSourceType="digitalCapture""#,
        "",
    );
    let p = probe_provenance(&with_xmp("xmp-impostor.mp4", &xmp));
    assert_eq!(p["xmp"]["present"], true, "{p:#}");
    assert!(p["xmp"]["digital_source_type"].is_null(), "{p:#}");
    assert_eq!(p["status"], "unknown", "{p:#}");
}

#[test]
fn a_packet_with_a_dtd_is_refused_without_expanding_anything() {
    // A billion laughs: refused at once, nothing expanded, the probe done in moments.
    let mut dtd = String::from(r#"<!DOCTYPE x:xmpmeta [<!ENTITY l0 "lol">"#);
    for i in 1..10 {
        let prev = format!("&l{};", i - 1);
        dtd.push_str(&format!(r#"<!ENTITY l{i} "{}">"#, prev.repeat(10)));
    }
    dtd.push_str("]>");
    let laughs = format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>{dtd}<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {RDF}><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:title="&l9;"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    );
    let film = with_xmp("xmp-laughs.mp4", &laughs);
    let started = Instant::now();
    let p = probe_provenance(&film);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(p["xmp"]["present"], true, "{p:#}");
    let errors = p["xmp"]["errors"].to_string();
    assert!(errors.contains("DTD"), "{p:#}");
    assert_eq!(p["status"], "unknown", "{p:#}");

    // A declaration hidden behind an entity is not hidden: the packet's text holds IPTC's URI.
    let hidden = format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><!DOCTYPE x:xmpmeta [<!ENTITY src "{IPTC}trainedAlgorithmicMedia">]><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {RDF}><rdf:Description xmlns:Iptc4xmpExt="{IPTC_NS}" Iptc4xmpExt:DigitalSourceType="&src;"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
    );
    let film = with_xmp("xmp-entity.mp4", &hidden);
    let p = probe_provenance(&film);
    assert!(
        p["ai_evidence"]
            .as_str()
            .unwrap_or("")
            .contains("cannot be read"),
        "{p:#}"
    );
    let (_, r) = verdict(&film, "human", "provenance.no_ai_declared");
    assert_eq!(r["status"], "fail", "{r:#}");
}

#[test]
fn a_malformed_packet_is_a_reason_not_a_crash() {
    let iptc = format!(r#"xmlns:Iptc4xmpExt="{IPTC_NS}""#);
    // Broken markup, naming nothing: the file is read, the packet's fault is told.
    let broken = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description></x:xmpmeta>"#;
    let p = probe_provenance(&with_xmp("xmp-broken.mp4", broken));
    assert_eq!(p["xmp"]["present"], true, "{p:#}");
    assert!(
        p["xmp"]["errors"].to_string().contains("not well-formed"),
        "{p:#}"
    );
    assert_eq!(p["status"], "unknown", "{p:#}");
    // Broken markup holding IPTC's URI of an AI source type: a declaration all the same.
    let broken_ai = format!(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {RDF}><rdf:Description {iptc} Iptc4xmpExt:DigitalSourceType="{IPTC}trainedAlgorithmicMedia"></x:xmpmeta>"#
    );
    let film = with_xmp("xmp-broken-ai.mp4", &broken_ai);
    assert_eq!(probe_provenance(&film)["status"], "declared-ai");
    // A bare code in broken markup is only a mention, for a person to read.
    let broken_code =
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><note>not trainedAlgorithmicMedia</x:xmpmeta>"#;
    let film = with_xmp("xmp-broken-code.mp4", broken_code);
    let p = probe_provenance(&film);
    assert_eq!(p["status"], "unknown", "{p:#}");
    assert!(
        p["ai_mentions"]
            .as_str()
            .unwrap_or("")
            .contains("trainedAlgorithmicMedia"),
        "{p:#}"
    );
    // Binary junk where a packet should be, and a packet cut off: no crash, exit 0.
    let mut junk = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>".to_vec();
    junk.extend((0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
    junk.extend_from_slice(b"</x:xmpmeta>");
    let film = with_xmp("xmp-junk.mp4", &String::from_utf8_lossy(&junk));
    assert_eq!(probe_provenance(&film)["xmp"]["present"], true);
}
