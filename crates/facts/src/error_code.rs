//! A stable code for every reason a file could not be checked, for scripts: the reason itself
//! is a sentence for people and may be reworded, the code may not (docs/reports.md lists them).
//! Reasons are made in many places (the prober, the worker pool, discovery, the manifest), so
//! the code is read off the reason in one place, here, where a test holds every known reason
//! to its code.

/// Every code, in the order they are tried; the first whose pattern the reason contains wins.
/// Order matters where one reason holds another's words (an out-of-memory kill is also a
/// "worker killed").
const CODES: &[(&str, &[&str])] = &[
    ("interrupted", &["the run was interrupted"]),
    // Before the file's own reasons: why a worker could not start may name a missing file or
    // a permission (its executable's), which are not the film's.
    ("worker_unavailable", &["could not start a worker process"]),
    // Before the file's own reasons: the system's message may hold any words.
    ("read_error", &["could not be read from its disk"]),
    // Discovery's reasons for files in an intake folder that are not checked. Before the file's
    // own reasons, since an --ignore pattern, a link's target or an extension may hold any words.
    ("ignored", &["ignored by --ignore"]),
    ("hidden", &["its name starts with a dot"]),
    ("link_outside", &["outside the intake folder"]),
    ("unrecognised", &["not a film reelcheck recognises"]),
    ("unknown_track", &["unknown track '"]),
    ("no_track", &["no track"]),
    (
        "outside_manifest_folder",
        &["is outside the manifest's folder"],
    ),
    ("missing", &["no such file"]),
    ("permission_denied", &["permission denied"]),
    (
        "not_a_file",
        &["is a folder, not a media file", "not a regular file"],
    ),
    ("link_loop", &["symbolic link loop"]),
    ("empty", &["empty file (0 bytes)"]),
    ("timeout", &["timed out after"]),
    ("out_of_memory", &["out of memory"]),
    (
        "crashed",
        &[
            "decoder crashed",
            "worker killed",
            "internal error in the worker",
            "worker exited with code",
            "worker ended unexpectedly",
            "worker stopped answering",
            "worker lost",
        ],
    ),
    (
        "truncated",
        &[
            "truncat",
            "incomplete: ",
            "cut short",
            "ends before",
            "without its index",
            "did not finish",
        ],
    ),
    ("still_image", &["a still image"]),
    ("no_video", &["no video or audio streams"]),
    ("sound_file", &["sound file, not a film"]),
    ("camera_original", &["camera original"]),
    ("image_sequence", &["a frame of an image sequence"]),
    ("project_file", &["an editing project"]),
    ("archive", &["does not look inside archives"]),
    // What discovery lists without checking it: a document, a picture, a subtitle file of no
    // film. After the codes above, whose reasons say "not a film" too.
    ("not_a_film", &[", not a film"]),
    (
        "not_media",
        &["not a media file", "invalid data", "not a film"],
    ),
];

/// The code of anything that fits no other: FFmpeg could not open or read the file.
pub const UNREADABLE: &str = "unreadable";

/// The codes of entries that are listed in a report without being checked and are no failure:
/// a file an organizer's pattern leaves out, a hidden file, a document or picture that is not
/// a film and need not be. Every other code is an error an organizer must look at.
pub const LISTED: &[&str] = &["ignored", "hidden", "not_a_film"];

/// Whether `code` is one of `LISTED`.
pub fn is_listed(code: &str) -> bool {
    LISTED.contains(&code)
}

/// The stable code of an unreadable file's reason.
pub fn of(reason: &str) -> &'static str {
    let lower = reason.to_ascii_lowercase();
    CODES
        .iter()
        .find(|(_, patterns)| patterns.iter().any(|p| lower.contains(p)))
        .map_or(UNREADABLE, |(code, _)| code)
}

/// Every code, for the documentation test.
pub fn all() -> Vec<&'static str> {
    CODES
        .iter()
        .map(|(c, _)| *c)
        .chain([UNREADABLE, crate::failure::Failure::Internal.code()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_reason_has_its_code() {
        let cases = [
            ("not checked: the run was interrupted", "interrupted"),
            ("not probed: the run was interrupted", "interrupted"),
            ("entries.csv:3: unknown track 'x' for a.mp4 (known: human, ai)", "unknown_track"),
            ("entries.csv:3: no track for a.mp4 (known: human, ai)", "no_track"),
            ("no track: not inside a folder named after a track (human, ai)", "no_track"),
            ("entries.csv:2: a.mp4 is outside the manifest's folder /x", "outside_manifest_folder"),
            ("entries.csv:2: films/a.mp4: no such file (looked for /x)", "missing"),
            ("no such file", "missing"),
            ("permission denied: cannot read the file", "permission_denied"),
            ("permission denied: cannot read the folder", "permission_denied"),
            ("is a folder, not a media file", "not_a_file"),
            ("not a regular file (a named pipe)", "not_a_file"),
            ("symbolic link loop", "link_loop"),
            ("empty file (0 bytes)", "empty"),
            ("timed out after 600 s", "timeout"),
            ("worker killed (SIGABRT): out of memory (limit 4 GB) or an internal error", "out_of_memory"),
            ("decoder crashed (SIGSEGV)", "crashed"),
            ("worker killed (SIGKILL)", "crashed"),
            ("internal error in the worker (panic)", "crashed"),
            ("worker exited with code 3", "crashed"),
            ("could not start a worker process: x", "worker_unavailable"),
            ("the file could not be read from its disk or share (Input/output error (os error 5)); the file itself may be whole", "read_error"),
            ("could not start a worker process: No such file or directory (os error 2)", "worker_unavailable"),
            ("could not start a worker process: Permission denied (os error 13)", "worker_unavailable"),
            ("file ends before its header is complete (truncated?)", "truncated"),
            ("incomplete: 20 MB of 48 MB arrived; the upload or copy stopped before the end (the 'mdat' box lacks 28000000 bytes)", "truncated"),
            ("MP4/MOV without its index (moov atom): the export did not finish or the file was cut short", "truncated"),
            ("a still image (PNG), not a film", "still_image"),
            ("no video or audio streams: not a film", "no_video"),
            ("not a media file FFmpeg can read (invalid data)", "not_media"),
            ("FFmpeg could not open the file: Unknown error", UNREADABLE),
            ("ignored by --ignore 'drafts/**'", "ignored"),
            ("ignored by --ignore '*no such file*'", "ignored"),
            ("hidden (its name starts with a dot): not checked", "hidden"),
            ("in a hidden folder (its name starts with a dot): not checked", "hidden"),
            ("a link to /etc/passwd outside the intake folder: not followed", "link_outside"),
            ("a link to /srv/permission denied outside the intake folder: not followed", "link_outside"),
            ("a link to /x/a.mp4 that leads nowhere (no such file)", "missing"),
            ("cannot be read: permission denied", "permission_denied"),
            ("a WAV sound file, not a film", "sound_file"),
            ("an AIFF sound file, not a film", "sound_file"),
            ("a Blackmagic RAW camera original: export a film from it", "camera_original"),
            ("a DPX picture, a frame of an image sequence: export a film from it", "image_sequence"),
            ("an editing project (DaVinci Resolve), not a film: export a film from it", "project_file"),
            ("a ZIP archive: reelcheck does not look inside archives; take the film out of it", "archive"),
            ("not a film reelcheck recognises: neither its name nor its first bytes are a film's", "unrecognised"),
            ("a text file, not a film", "not_a_film"),
            ("a JPEG picture, not a film", "not_a_film"),
            ("a SubRip subtitle file, not a film: no film beside it has its name", "not_a_film"),
        ];
        for (reason, code) in cases {
            assert_eq!(of(reason), code, "{reason}");
        }
        // Every code has a reason above, so none is unreachable behind another's patterns
        // (`internal` is given only as a typed failure, never read from words).
        let typed_only = crate::failure::Failure::Internal.code();
        for code in all().into_iter().filter(|c| *c != typed_only) {
            assert!(
                cases.iter().any(|(_, c)| *c == code),
                "no reason above has the code {code}"
            );
        }
    }

    #[test]
    fn listed_codes_are_codes() {
        for code in LISTED {
            assert!(all().contains(code), "{code}");
        }
        assert!(!is_listed("permission_denied") && is_listed("ignored"));
    }
}
