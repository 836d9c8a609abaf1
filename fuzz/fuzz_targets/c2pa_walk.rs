//! Any bytes as a C2PA manifest store (a `.c2pa` sidecar beside a small film) and as a file
//! that may embed one (MP4, WAV, JPEG, PNG): reading, validating and walking every manifest
//! and ingredient gives facts or a reason, never a panic, and the walk stays bounded.
#![cfg_attr(not(feature = "replay"), no_main)]

use reelcheck_probe::content_credentials::{self, Store};
use std::io::Cursor;

/// A film for a sidecar to describe: its hashes will not match, which is a validation failure,
/// not a reason to stop reading.
const FILM: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2\0\0\0\x08free\0\0\0\x10mdat0123";
const FORMATS: &[&str] = &["video/mp4", "audio/wav", "image/jpeg", "image/png"];

fn one(data: &[u8]) {
    check(content_credentials::read(
        Cursor::new(FILM),
        "video/mp4",
        Store::Sidecar(data),
        None,
    ));
    let format = FORMATS[data.first().map_or(0, |b| *b as usize) % FORMATS.len()];
    if content_credentials::is_embedded(Cursor::new(data), format) {
        check(content_credentials::read(
            Cursor::new(data),
            format,
            Store::Embedded,
            None,
        ));
    }
}

fn check(c2pa: reelcheck_facts::C2pa) {
    assert!(c2pa.present);
    let state = c2pa.validation_state.as_deref();
    assert!(
        matches!(state, Some("trusted" | "valid" | "invalid")),
        "{state:?}"
    );
    assert_eq!(c2pa.valid, Some(state != Some("invalid")));
    assert!(c2pa.ingredients.len() <= 1024);
    assert!(c2pa.actions.iter().all(|a| a.found_in.is_some()));
}

#[cfg(not(feature = "replay"))]
libfuzzer_sys::fuzz_target!(|data: &[u8]| one(data));

#[cfg(feature = "replay")]
#[path = "replay.rs"]
mod replay;

#[cfg(feature = "replay")]
fn main() {
    replay::main(
        "c2pa_walk",
        one,
        &[
            b"jumb",
            b"jumd",
            b"c2pa",
            b"c2ma",
            b"c2as",
            b"c2cl",
            b"cbor",
            b"json",
            b"uuid",
            b"c2pa.actions.v2",
            b"c2pa.ingredient.v3",
            b"activeManifest",
            b"digitalSourceType",
            b"self#jumbf=",
            b"urn:c2pa:",
        ],
    );
}
