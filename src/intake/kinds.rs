//! What a file found in an intake folder is, by its name or, when the name says nothing, by its
//! first bytes: a film to check, a file an organizer must look at because it stands where a film
//! was expected (a sound file, a camera original, an editing project, an archive, something
//! unrecognised), or a file that is no film and need not be (a document, a picture, a subtitle
//! file), which the report lists without failing it. Nothing here opens a file: `of_content`
//! is handed the bytes.

use reelcheck_facts::media_names::MEDIA_EXTENSIONS;

/// What discovery makes of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A film container: checked.
    Film,
    /// Not a film where a film was expected: an error entry, with the reason.
    Refused(String),
    /// Not a film, and no failure: listed in the report, with the reason.
    Listed(String),
    /// A subtitle file, C2PA manifest or XMP sidecar: its film's, when one beside it has its
    /// name; otherwise listed, with the reason.
    Sidecar(String),
}

/// The kinds of file a name may say, each worded for the reason an entry is not checked.
#[derive(Clone, Copy)]
enum Class {
    Sound,
    CameraOriginal,
    Frame,
    Project,
    Archive,
    Document,
    Picture,
    Subtitle,
    Metadata,
}

/// Extensions that say what a file is, with its name as the reason says it.
const NAMES: &[(&str, Class, &str)] = &[
    // Sound alone: a film's sound delivered without its picture.
    ("wav", Class::Sound, "a WAV"),
    ("bwf", Class::Sound, "a Broadcast WAV"),
    ("w64", Class::Sound, "a Wave64"),
    ("rf64", Class::Sound, "an RF64"),
    ("aif", Class::Sound, "an AIFF"),
    ("aiff", Class::Sound, "an AIFF"),
    ("aifc", Class::Sound, "an AIFF"),
    ("mp3", Class::Sound, "an MP3"),
    ("m4a", Class::Sound, "an M4A"),
    ("aac", Class::Sound, "an AAC"),
    ("flac", Class::Sound, "a FLAC"),
    ("alac", Class::Sound, "an ALAC"),
    ("opus", Class::Sound, "an Opus"),
    ("oga", Class::Sound, "an Ogg"),
    ("wma", Class::Sound, "a WMA"),
    ("ac3", Class::Sound, "an AC-3"),
    ("eac3", Class::Sound, "an E-AC-3"),
    ("dts", Class::Sound, "a DTS"),
    ("mka", Class::Sound, "a Matroska"),
    ("caf", Class::Sound, "a Core Audio"),
    // What a camera records, before a film is made from it.
    ("braw", Class::CameraOriginal, "a Blackmagic RAW"),
    ("r3d", Class::CameraOriginal, "a RED R3D"),
    ("ari", Class::CameraOriginal, "an ARRIRAW"),
    ("arx", Class::CameraOriginal, "an ARRIRAW"),
    ("crm", Class::CameraOriginal, "a Canon Cinema RAW Light"),
    ("cine", Class::CameraOriginal, "a Phantom Cine"),
    ("nev", Class::CameraOriginal, "a Nikon N-RAW"),
    // Pictures that are frames of an image sequence, not posters.
    ("dpx", Class::Frame, "a DPX"),
    ("exr", Class::Frame, "an OpenEXR"),
    ("dng", Class::Frame, "a DNG"),
    ("cin", Class::Frame, "a Cineon"),
    ("prproj", Class::Project, "Premiere Pro"),
    ("drp", Class::Project, "DaVinci Resolve"),
    ("fcpxml", Class::Project, "Final Cut Pro"),
    ("aep", Class::Project, "After Effects"),
    ("veg", Class::Project, "Vegas Pro"),
    ("kdenlive", Class::Project, "Kdenlive"),
    ("otio", Class::Project, "OpenTimelineIO"),
    ("aaf", Class::Project, "AAF"),
    ("zip", Class::Archive, "a ZIP archive"),
    ("rar", Class::Archive, "a RAR archive"),
    ("7z", Class::Archive, "a 7-Zip archive"),
    ("tar", Class::Archive, "a tar archive"),
    ("gz", Class::Archive, "a gzip archive"),
    ("tgz", Class::Archive, "a gzip archive"),
    ("bz2", Class::Archive, "a bzip2 archive"),
    ("xz", Class::Archive, "an xz archive"),
    ("zst", Class::Archive, "a Zstandard archive"),
    ("dmg", Class::Archive, "a disk image (DMG)"),
    ("iso", Class::Archive, "a disk image (ISO)"),
    ("txt", Class::Document, "a text file"),
    ("md", Class::Document, "a Markdown file"),
    ("rtf", Class::Document, "an RTF document"),
    ("pdf", Class::Document, "a PDF document"),
    ("doc", Class::Document, "a Word document"),
    ("docx", Class::Document, "a Word document"),
    ("odt", Class::Document, "an OpenDocument text"),
    ("pages", Class::Document, "a Pages document"),
    ("xls", Class::Document, "an Excel spreadsheet"),
    ("xlsx", Class::Document, "an Excel spreadsheet"),
    ("ods", Class::Document, "an OpenDocument spreadsheet"),
    ("numbers", Class::Document, "a Numbers spreadsheet"),
    ("ppt", Class::Document, "a PowerPoint presentation"),
    ("pptx", Class::Document, "a PowerPoint presentation"),
    ("key", Class::Document, "a Keynote presentation"),
    ("csv", Class::Document, "a CSV file"),
    ("json", Class::Document, "a JSON file"),
    ("jsonl", Class::Document, "a JSON Lines file"),
    ("toml", Class::Document, "a TOML file"),
    ("yaml", Class::Document, "a YAML file"),
    ("yml", Class::Document, "a YAML file"),
    ("xml", Class::Document, "an XML file"),
    ("html", Class::Document, "a web page"),
    ("htm", Class::Document, "a web page"),
    ("log", Class::Document, "a log file"),
    ("nfo", Class::Document, "an NFO file"),
    ("edl", Class::Document, "an edit decision list"),
    ("url", Class::Document, "a web link"),
    ("webloc", Class::Document, "a web link"),
    ("jpg", Class::Picture, "a JPEG"),
    ("jpeg", Class::Picture, "a JPEG"),
    ("png", Class::Picture, "a PNG"),
    ("gif", Class::Picture, "a GIF"),
    ("tif", Class::Picture, "a TIFF"),
    ("tiff", Class::Picture, "a TIFF"),
    ("bmp", Class::Picture, "a BMP"),
    ("webp", Class::Picture, "a WebP"),
    ("heic", Class::Picture, "a HEIF"),
    ("heif", Class::Picture, "a HEIF"),
    ("avif", Class::Picture, "an AVIF"),
    ("psd", Class::Picture, "a Photoshop"),
    ("svg", Class::Picture, "an SVG"),
    ("srt", Class::Subtitle, "a SubRip"),
    ("vtt", Class::Subtitle, "a WebVTT"),
    ("ass", Class::Subtitle, "an ASS"),
    ("ssa", Class::Subtitle, "an SSA"),
    ("stl", Class::Subtitle, "an EBU STL"),
    ("scc", Class::Subtitle, "a Scenarist"),
    ("ttml", Class::Subtitle, "a TTML"),
    ("dfxp", Class::Subtitle, "a TTML"),
    ("sbv", Class::Subtitle, "a SubViewer"),
    ("sup", Class::Subtitle, "a PGS"),
    ("c2pa", Class::Metadata, "a C2PA manifest"),
    ("xmp", Class::Metadata, "an XMP sidecar"),
];

impl Class {
    /// The kind, with the reason worded around `what` ("a WAV", "DaVinci Resolve").
    fn kind(self, what: &str) -> Kind {
        match self {
            Class::Sound => Kind::Refused(format!("{what} sound file, not a film")),
            Class::CameraOriginal => {
                Kind::Refused(format!("{what} camera original: export a film from it"))
            }
            Class::Frame => Kind::Refused(format!(
                "{what} picture, a frame of an image sequence: export a film from it"
            )),
            Class::Project => Kind::Refused(format!(
                "an editing project ({what}), not a film: export a film from it"
            )),
            Class::Archive => Kind::Refused(format!(
                "{what}: reelcheck does not look inside archives; take the film out of it"
            )),
            Class::Document => Kind::Listed(format!("{what}, not a film")),
            Class::Picture => Kind::Listed(format!("{what} picture, not a film")),
            Class::Subtitle => Kind::Sidecar(format!(
                "{what} subtitle file, not a film: no film beside it has its name"
            )),
            Class::Metadata => Kind::Sidecar(format!(
                "{what}, not a film: no film beside it has its name"
            )),
        }
    }
}

/// What a file's extension says it is; `None` when it has none or one that says nothing.
pub fn of_name(ext: Option<&str>) -> Option<Kind> {
    let ext = ext?.to_ascii_lowercase();
    if MEDIA_EXTENSIONS.contains(&ext.as_str()) {
        return Some(Kind::Film);
    }
    NAMES
        .iter()
        .find(|(e, _, _)| *e == ext)
        .map(|(_, class, what)| class.kind(what))
}

/// How many first bytes `of_content` wants.
pub const HEAD: usize = 400;

/// What a file is by its first bytes (at most `HEAD` of them), for a name that says nothing.
/// `ext` is the name's extension, if any, for the reason.
pub fn of_content(head: &[u8], ext: Option<&str>) -> Kind {
    if head.is_empty() {
        return Kind::Refused("empty file (0 bytes)".into());
    }
    if is_film(head) {
        return Kind::Film;
    }
    let h = head;
    let at = |i: usize, sig: &[u8]| h.get(i..i + sig.len()) == Some(sig);
    let class = if at(0, b"RIFF") && at(8, b"WAVE") {
        Some((Class::Sound, "a WAV"))
    } else if (at(0, b"RF64") || at(0, b"BW64")) && at(8, b"WAVE") {
        Some((Class::Sound, "an RF64"))
    } else if at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")) {
        Some((Class::Sound, "an AIFF"))
    } else if at(0, b"fLaC") {
        Some((Class::Sound, "a FLAC"))
    } else if at(0, b"caff") {
        Some((Class::Sound, "a Core Audio"))
    } else if at(0, b"ID3") || at(0, &[0xFF, 0xFB]) || at(0, &[0xFF, 0xF3]) {
        Some((Class::Sound, "an MP3"))
    } else if at(0, &[0xFF, 0xF1]) || at(0, &[0xFF, 0xF9]) {
        Some((Class::Sound, "an AAC"))
    } else if at(0, b"SDPX") || at(0, b"XPDS") {
        Some((Class::Frame, "a DPX"))
    } else if at(0, &[0x76, 0x2F, 0x31, 0x01]) {
        Some((Class::Frame, "an OpenEXR"))
    } else if at(0, b"PK\x03\x04") {
        Some((Class::Archive, "a ZIP archive"))
    } else if at(0, b"Rar!\x1a\x07") {
        Some((Class::Archive, "a RAR archive"))
    } else if at(0, &[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C]) {
        Some((Class::Archive, "a 7-Zip archive"))
    } else if at(0, &[0x1F, 0x8B]) {
        Some((Class::Archive, "a gzip archive"))
    } else if at(0, b"%PDF-") {
        Some((Class::Document, "a PDF document"))
    } else if at(0, b"\x89PNG\r\n\x1a\n") {
        Some((Class::Picture, "a PNG"))
    } else if at(0, &[0xFF, 0xD8, 0xFF]) {
        Some((Class::Picture, "a JPEG"))
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        Some((Class::Picture, "a GIF"))
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        Some((Class::Picture, "a TIFF"))
    } else if at(0, b"8BPS") {
        Some((Class::Picture, "a Photoshop"))
    } else if is_text(head) {
        Some((Class::Document, "a text file"))
    } else {
        None
    };
    match class {
        Some((class, what)) => class.kind(what),
        None => Kind::Refused(format!(
            "not a film reelcheck recognises: neither its name{} nor its first bytes are a film's",
            ext.map(|e| format!(" (.{e})")).unwrap_or_default()
        )),
    }
}

/// The signatures of common film containers.
fn is_film(h: &[u8]) -> bool {
    let n = h.len();
    n >= 12
        && (matches!(&h[4..8], b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free")
            || h.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) // Matroska / WebM
            || (h.starts_with(b"RIFF") && &h[8..12] == b"AVI ")
            || h.starts_with(&[0x06, 0x0E, 0x2B, 0x34]) // MXF
            || h.starts_with(&[0x00, 0x00, 0x01, 0xBA]) // MPEG program stream
            || h.starts_with(b"OggS")
            || h.starts_with(b"FLV")
            || (n > 376 && h[0] == 0x47 && h[188] == 0x47 && h[376] == 0x47)) // MPEG-TS packets
}

/// Text a person wrote: UTF-8 (the head may end inside a character) without control
/// characters other than tabs, line and page breaks.
fn is_text(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // Cut inside a character at the end of the head: the part before it is what counts.
        Err(e) if e.error_len().is_none() && head.len() - e.valid_up_to() < 4 => {
            match std::str::from_utf8(&head[..e.valid_up_to()]) {
                Ok(t) => t,
                Err(_) => return false,
            }
        }
        Err(_) => return false,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(k: Kind) -> String {
        match k {
            Kind::Refused(r) | Kind::Listed(r) | Kind::Sidecar(r) => r,
            Kind::Film => "a film".into(),
        }
    }

    #[test]
    fn names_say_what_a_file_is_in_any_case() {
        assert_eq!(of_name(Some("MP4")), Some(Kind::Film));
        assert_eq!(of_name(Some("mxf")), Some(Kind::Film));
        assert_eq!(
            of_name(Some("WAV")),
            Some(Kind::Refused("a WAV sound file, not a film".into()))
        );
        assert_eq!(
            of_name(Some("braw")),
            Some(Kind::Refused(
                "a Blackmagic RAW camera original: export a film from it".into()
            ))
        );
        assert_eq!(
            of_name(Some("txt")),
            Some(Kind::Listed("a text file, not a film".into()))
        );
        assert!(matches!(of_name(Some("srt")), Some(Kind::Sidecar(_))));
        assert!(matches!(of_name(Some("c2pa")), Some(Kind::Sidecar(_))));
        assert_eq!(of_name(Some("part")), None);
        assert_eq!(of_name(None), None);
    }

    #[test]
    fn every_reason_has_the_code_its_kind_promises() {
        use reelcheck_facts::error_code::{is_listed, of};
        for (ext, _, _) in NAMES {
            let kind = of_name(Some(ext)).expect("a known name");
            let listed = matches!(kind, Kind::Listed(_) | Kind::Sidecar(_));
            let why = reason(kind);
            let code = of(&why);
            assert_eq!(is_listed(code), listed, "{ext}: {why} ({code})");
            assert_ne!(
                code,
                reelcheck_facts::error_code::UNREADABLE,
                "{ext}: {why}"
            );
        }
    }

    #[test]
    fn content_says_what_a_nameless_file_is() {
        let mut mp4 = vec![0, 0, 0, 0x20];
        mp4.extend_from_slice(b"ftypisom\0\0\0\0");
        assert_eq!(of_content(&mp4, None), Kind::Film);
        let mut wav = b"RIFF\x24\0\0\0WAVEfmt ".to_vec();
        wav.extend_from_slice(&[0; 20]);
        assert_eq!(
            reason(of_content(&wav, None)),
            "a WAV sound file, not a film"
        );
        let mut avi = b"RIFF\x24\0\0\0AVI LIST".to_vec();
        avi.extend_from_slice(&[0; 20]);
        assert_eq!(of_content(&avi, None), Kind::Film);
        assert_eq!(
            of_content(b"Call sheet, day 2\n", None),
            Kind::Listed("a text file, not a film".into())
        );
        // "é" cut in half at the end of the head is still text.
        assert!(matches!(
            of_content(&"Synopsis: été".as_bytes()[..15], Some("synopsis")),
            Kind::Listed(_)
        ));
        assert_eq!(
            of_content(b"", None),
            Kind::Refused("empty file (0 bytes)".into())
        );
        let noise: Vec<u8> = (0u8..=255).cycle().skip(3).take(400).collect();
        assert_eq!(
            reason(of_content(&noise, Some("xyz"))),
            "not a film reelcheck recognises: neither its name (.xyz) nor its first bytes are a film's"
        );
    }
}
