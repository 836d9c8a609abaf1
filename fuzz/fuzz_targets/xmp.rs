//! Any bytes as a file that may hold XMP, and as one XMP packet: the scanner finds packets or
//! none, and the RDF/XML reader gives properties or a one-line reason, never a panic, within
//! its bounds (no DTD, no entity expanded, a size and a node limit).
#![cfg_attr(not(feature = "replay"), no_main)]

use reelcheck_probe::{xmp, xmp_scan};
use std::io::Cursor;

fn one(data: &[u8]) {
    let found = xmp_scan::find(Cursor::new(data), data.len() as u64, 16);
    assert!(found.len() <= 16);
    for packet in &found {
        check(&packet.text);
    }
    let ranges = [
        (0, data.len() as u64 / 2),
        (data.len() as u64 / 2, u64::MAX),
    ];
    assert!(xmp_scan::find_in(&mut Cursor::new(data), ranges, 16).len() <= 16);
    check(&String::from_utf8_lossy(data));
}

fn check(text: &str) {
    match xmp::parse(text) {
        Ok(p) => {
            for v in p
                .digital_source_types
                .iter()
                .chain(&p.creator_tools)
                .chain(&p.software_agents)
            {
                assert!(!v.is_empty() && v.len() <= text.len(), "{v:?}");
            }
        }
        Err(e) => assert!(!e.is_empty() && !e.contains('\n'), "{e}"),
    }
}

#[cfg(not(feature = "replay"))]
libfuzzer_sys::fuzz_target!(|data: &[u8]| one(data));

#[cfg(feature = "replay")]
#[path = "replay.rs"]
mod replay;

#[cfg(feature = "replay")]
fn main() {
    replay::main(
        "xmp",
        one,
        &[
            b"<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
            b"<?xpacket end=\"w\"?>",
            b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">",
            b"</x:xmpmeta>",
            b"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
            b"xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"",
            b"Iptc4xmpExt:DigitalSourceType",
            b"rdf:resource=\"",
            b"<rdf:Bag><rdf:li>",
            b"</rdf:li></rdf:Bag>",
            b"rdf:parseType=\"Resource\"",
            b"<rdf:value>",
            b"<!DOCTYPE x [<!ENTITY a \"b\">]>",
            b"&a;",
            b"&#x41;",
            b"<![CDATA[",
            b"xmlns=\"",
        ],
    );
}
