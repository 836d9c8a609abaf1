//! Subtitle tracks beside the film (`NAME.srt`, `NAME.LANG.srt`, `NAME.vtt` …) and the cue
//! statistics of every track: how many cues, when they run, the longest line and the fastest
//! reading speed. Embedded text tracks are read from their packets, without decoding video.

use super::folder::{folder_of, Listings};
use crate::source::Source;
use ffmpeg::media::Type as MediaType;
use ffmpeg_next as ffmpeg;
use reelcheck_facts::{CueStats, SubtitleStream};
use std::collections::BTreeMap;
use std::path::Path;

mod cues;
use cues::{clean, decode};
pub use cues::{parse_srt, parse_vtt, Cue};

const SIDECAR_EXTENSIONS: &[(&str, &str)] = &[("srt", "subrip"), ("vtt", "webvtt")];

/// Sidecars larger than this are not subtitles.
const MAX_SIDECAR_BYTES: u64 = 16 << 20;

/// A cue ending this long after the film still counts as inside it: containers round the
/// duration to a frame or an audio packet.
const PAST_END_TOLERANCE_S: f64 = 0.5;

/// Sidecar subtitle files next to `film`, sorted by name. Reads the folder listing only.
///
/// A sidecar belongs to the film whose full name (without extension) it repeats, alone
/// (`night.srt`) or followed by a language code (`night.en.srt`, `night.en.forced.srt`), and to
/// no other: `night.final.srt` is `night.final.mp4`'s, never `night.mp4`'s. When two films in
/// the folder could both claim it (`night.en.srt` beside `night.mp4` and `night.en.mp4`), the
/// film with the longer name, the one it names exactly, has it.
pub fn sidecars(film: &Path, listings: &Listings) -> Vec<SubtitleStream> {
    let Some(stem) = film.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let own_name = film.file_name().map(|n| n.to_string_lossy().into_owned());
    let names = listings.of(folder_of(film));
    let candidates: Vec<_> = names
        .iter()
        .filter_map(|(name, path)| Some((name, path, sidecar_parts(&stem, name)?)))
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // The other films in the folder, by their names without extension.
    let other_films: Vec<&str> = names
        .iter()
        .filter(|(n, p)| {
            Some(n) != own_name.as_ref() && reelcheck_facts::media_names::has_media_extension(p)
        })
        .filter_map(|(n, _)| n.rsplit_once('.').map(|(base, _)| base))
        .collect();
    let mut found: Vec<(String, SubtitleStream)> = Vec::new();
    for (name, path, (middle, codec)) in candidates {
        let claimed_by_longer = other_films
            .iter()
            .any(|other| other.len() > stem.len() && sidecar_parts(other, name).is_some());
        if claimed_by_longer || !path.is_file() {
            continue;
        }
        let (language, title) = language_and_title(middle);
        found.push((
            name.clone(),
            SubtitleStream {
                index: None,
                codec: codec.to_string(),
                language,
                title,
                source: "sidecar".to_string(),
                file: Some(path.display().to_string()),
                cues: None,
            },
        ));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.into_iter().map(|(_, s)| s).collect()
}

/// `film.en.srt` for stem `film` → ("en", "subrip"); `film.srt` → ("", "subrip");
/// `film.final.srt` → None: what follows the film's name must start with a language code.
fn sidecar_parts<'a>(stem: &str, name: &'a str) -> Option<(&'a str, &'static str)> {
    let (base, ext) = name.rsplit_once('.')?;
    let codec = SIDECAR_EXTENSIONS
        .iter()
        .find(|(e, _)| ext.eq_ignore_ascii_case(e))
        .map(|(_, c)| *c)?;
    if base == stem {
        return Some(("", codec));
    }
    let middle = base.strip_prefix(stem)?.strip_prefix('.')?;
    let first = middle.split('.').next().unwrap_or(middle);
    is_language(first).then_some((middle, codec))
}

/// `en`, `eng`, `pt-BR`, `zh_Hant`: two or three letters, and perhaps a region or script.
fn is_language(word: &str) -> bool {
    let (code, region) = word.split_once(['-', '_']).unwrap_or((word, ""));
    (2..=3).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphabetic())
        && (region.is_empty()
            || (region.len() <= 4 && region.chars().all(|c| c.is_ascii_alphanumeric())))
}

/// `en`, `eng`, `pt-BR` name a language; anything else between the film's name and the
/// extension (`forced`, `director-commentary`) is a title.
fn language_and_title(middle: &str) -> (Option<String>, Option<String>) {
    if middle.is_empty() {
        return (None, None);
    }
    let (first, rest) = middle.split_once('.').unwrap_or((middle, ""));
    if is_language(first) {
        let title = (!rest.is_empty()).then(|| rest.to_string());
        (Some(first.to_ascii_lowercase()), title)
    } else {
        (None, Some(middle.to_string()))
    }
}

/// Fills in the cue statistics of every track: sidecars from their own files, embedded tracks
/// from `read`, the packets another pass over `film` gathered, else from a pass of their own.
pub fn measure(
    film: &Source,
    duration_s: Option<f64>,
    subs: &mut [SubtitleStream],
    read: Option<Collector>,
) {
    for s in subs.iter_mut().filter(|s| s.source == "sidecar") {
        let Some(file) = &s.file else { continue };
        s.cues = Some(match read_sidecar(Path::new(file), &s.codec) {
            Ok((cues, encoding)) => CueStats {
                encoding: Some(encoding.to_string()),
                ..stats(&cues, duration_s)
            },
            Err((e, encoding)) => CueStats {
                error: Some(e),
                encoding: encoding.map(str::to_string),
                ..Default::default()
            },
        });
    }
    let embedded: Vec<usize> = subs.iter().filter_map(|s| s.index).collect();
    if embedded.is_empty() {
        return;
    }
    let gathered = match read {
        Some(c) if c.done => Ok(c.tracks),
        _ => embedded_cues(film, Collector::new(embedded)),
    };
    let mut per_stream = match gathered {
        Ok(m) => m,
        Err(e) => {
            for s in subs.iter_mut().filter(|s| s.index.is_some()) {
                s.cues = Some(CueStats {
                    error: Some(format!("cannot read the subtitle packets: {e}")),
                    ..Default::default()
                });
            }
            return;
        }
    };
    for s in subs.iter_mut() {
        let Some(i) = s.index else { continue };
        s.cues = Some(match per_stream.remove(&i) {
            Some(Track::Text(cues, bytes)) => CueStats {
                encoding: Some(bytes.encoding().to_string()),
                ..stats(&cues, duration_s)
            },
            Some(Track::Bitmap(times)) => {
                let mut st = stats(&times, duration_s);
                // Pictures have no characters to count without OCR.
                st.longest_line_chars = None;
                st.max_lines = None;
                st.max_chars_per_s = None;
                st
            }
            None => CueStats::default(),
        });
    }
}

/// The cues of a sidecar and the encoding it is in; or why it cannot be read, with the
/// encoding when the bytes were read.
type Sidecar = Result<(Vec<Cue>, &'static str), (String, Option<&'static str>)>;

fn read_sidecar(path: &Path, codec: &str) -> Sidecar {
    let meta = std::fs::metadata(path).map_err(|e| (format!("cannot read: {e}"), None))?;
    if meta.len() > MAX_SIDECAR_BYTES {
        return Err((
            format!("{} bytes is too large for a subtitle file", meta.len()),
            None,
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| (format!("cannot read: {e}"), None))?;
    let (text, encoding) = decode(&bytes);
    let cues = if codec == "webvtt" {
        parse_vtt(&text)
    } else {
        parse_srt(&text)
    };
    cues.map(|c| (c, encoding)).map_err(|e| (e, Some(encoding)))
}

fn stats(cues: &[Cue], duration_s: Option<f64>) -> CueStats {
    let chars = |c: &Cue| -> usize { c.lines.iter().map(|l| l.chars().count()).sum() };
    let cps_of = |c: &Cue| chars(c) as f64 / (c.end_s - c.start_s);
    let cps = cues
        .iter()
        .filter(|c| c.end_s - c.start_s > 0.0)
        .map(cps_of)
        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
    let longest = |c: &Cue| c.lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let lines = |c: &Cue| c.lines.iter().filter(|l| !l.is_empty()).count();
    // Where each worst case is, so a finding can name the cue (numbered from 1, as SRT numbers
    // them) and its time: the first cue that has it.
    let first_with = |pick: &dyn Fn(&Cue) -> Option<f64>| -> Option<usize> {
        let best = cues.iter().filter_map(pick).reduce(f64::max)?;
        cues.iter().position(|c| pick(c) == Some(best))
    };
    let longest_at = first_with(&|c: &Cue| Some(longest(c) as f64));
    let lines_at = first_with(&|c: &Cue| Some(lines(c) as f64));
    let fastest_at = first_with(&|c: &Cue| (c.end_s - c.start_s > 0.0).then(|| cps_of(c)));
    let past_end_at =
        duration_s.and_then(|d| cues.iter().position(|c| c.end_s > d + PAST_END_TOLERANCE_S));
    let number = |i: Option<usize>| i.map(|i| i as u64 + 1);
    let start = |i: Option<usize>| i.and_then(|i| cues.get(i)).map(|c| c.start_s);
    CueStats {
        longest_line_cue: number(longest_at),
        longest_line_start_s: start(longest_at),
        max_lines_cue: number(lines_at),
        max_lines_start_s: start(lines_at),
        fastest_cue: number(fastest_at),
        fastest_start_s: start(fastest_at),
        first_past_end_cue: number(past_end_at),
        first_past_end_start_s: start(past_end_at),
        count: Some(cues.len() as u64),
        first_start_s: cues.iter().map(|c| c.start_s).reduce(f64::min),
        last_end_s: cues.iter().map(|c| c.end_s).reduce(f64::max),
        past_end: duration_s.map(|d| {
            cues.iter()
                .filter(|c| c.end_s > d + PAST_END_TOLERANCE_S)
                .count() as u64
        }),
        longest_line_chars: cues
            .iter()
            .flat_map(|c| c.lines.iter().map(|l| l.chars().count() as u64))
            .max(),
        max_lines: cues
            .iter()
            .map(|c| c.lines.iter().filter(|l| !l.is_empty()).count() as u64)
            .max(),
        max_chars_per_s: cps.map(|x| (x * 10.0).round() / 10.0),
        error: None,
        encoding: None,
    }
}

enum Track {
    Text(Vec<Cue>, TextBytes),
    /// Bitmap subtitles: only their times are known.
    Bitmap(Vec<Cue>),
}

/// What the text packets of an embedded track were encoded in: UTF-8 while every packet is
/// valid UTF-8, else the likeliest legacy encoding of the packets that were not (a sample).
#[derive(Default)]
struct TextBytes {
    not_utf8: Vec<u8>,
}

impl TextBytes {
    /// Enough bytes for chardetng to tell one code page from another.
    const SAMPLE: usize = 64 << 10;

    fn add(&mut self, bytes: &[u8]) {
        if std::str::from_utf8(bytes).is_err() && self.not_utf8.len() < Self::SAMPLE {
            self.not_utf8.extend_from_slice(bytes);
            self.not_utf8.push(b'\n');
        }
    }

    fn encoding(&self) -> &'static str {
        if self.not_utf8.is_empty() {
            encoding_rs::UTF_8.name()
        } else {
            cues::guess(&self.not_utf8).name()
        }
    }
}

/// Gathers the cues of embedded subtitle streams from their packets, in whichever demux pass
/// reads them: the audio analyzer's when it runs, so the file is read once, or a pass of its own.
pub struct Collector {
    indices: Vec<usize>,
    tracks: BTreeMap<usize, Track>,
    /// Whether a pass has read the whole file for it.
    done: bool,
}

impl Collector {
    pub fn new(indices: Vec<usize>) -> Collector {
        Collector {
            indices,
            tracks: BTreeMap::new(),
            done: false,
        }
    }

    /// Whether packets of this stream are wanted (so it must not be discarded).
    pub fn wants(&self, stream: usize) -> bool {
        self.indices.contains(&stream)
    }

    pub fn accept(&mut self, stream: &ffmpeg::format::stream::Stream<'_>, packet: &ffmpeg::Packet) {
        let params = stream.parameters();
        if !self.wants(stream.index()) || params.medium() != MediaType::Subtitle {
            return;
        }
        let Some(pts) = packet.pts().or(packet.dts()) else {
            return;
        };
        let tb = f64::from(stream.time_base());
        let start_s = pts as f64 * tb;
        let end_s = start_s + packet.duration().max(0) as f64 * tb;
        let data = packet.data().unwrap_or(&[]);
        let text = packet_text(params.id().name(), data);
        let track = self.tracks.entry(stream.index()).or_insert_with(|| {
            if text.is_some() {
                Track::Text(Vec::new(), TextBytes::default())
            } else {
                Track::Bitmap(Vec::new())
            }
        });
        match (track, text) {
            // Empty packets clear the screen (mov_text) rather than show a cue.
            (Track::Text(cues, bytes), Some(t)) if !t.trim().is_empty() => {
                bytes.add(text_bytes(params.id().name(), data).unwrap_or(&[]));
                cues.push(Cue {
                    start_s,
                    end_s,
                    lines: t.lines().map(clean).collect(),
                })
            }
            (Track::Bitmap(cues), None) if !data.is_empty() => cues.push(Cue {
                start_s,
                end_s,
                lines: Vec::new(),
            }),
            _ => {}
        }
    }

    /// Called by the pass that fed it, once the whole file has been read.
    pub fn finished_reading(&mut self) {
        self.done = true;
    }

    /// Whether a pass has fed it the whole file.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// A pass of its own over an open file, from where it stands to its end. Other streams
    /// are discarded in the demuxer, so their data is skipped rather than read where the
    /// container allows.
    pub fn read_all(&mut self, input: &mut ffmpeg::format::context::Input) {
        super::ffmpeg::discard_streams_except(input, |i| self.wants(i));
        for (stream, packet) in input.packets() {
            self.accept(&stream, &packet);
        }
        self.finished_reading();
    }
}

/// The cues of embedded subtitle streams, from a pass of their own.
fn embedded_cues(
    film: &Source,
    mut collector: Collector,
) -> anyhow::Result<BTreeMap<usize, Track>> {
    collector.read_all(&mut film.demuxer()?);
    Ok(collector.tracks)
}

/// The bytes of one packet of a text subtitle codec that hold its text; `None` for bitmap
/// codecs.
fn text_bytes<'a>(codec: &str, data: &'a [u8]) -> Option<&'a [u8]> {
    match codec {
        "mov_text" => {
            // A 16-bit length, the text, then style boxes.
            let len = data
                .get(..2)
                .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]) as usize);
            Some(data.get(2..2 + len).unwrap_or(&[]))
        }
        "ass" | "ssa" | "subrip" | "srt" | "webvtt" | "text" | "microdvd" | "subviewer" => {
            Some(data)
        }
        _ => None,
    }
}

/// The text of one packet of a text subtitle codec; `None` for bitmap codecs.
fn packet_text(codec: &str, data: &[u8]) -> Option<String> {
    let bytes = text_bytes(codec, data)?;
    let text = String::from_utf8_lossy(bytes);
    Some(match codec {
        "ass" | "ssa" => {
            // Matroska ASS packets: ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text
            let text = text.splitn(9, ',').nth(8).unwrap_or("");
            text.replace("\\N", "\n").replace("\\n", "\n")
        }
        _ => text.into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_srt_with_markup_crlf_and_bom() {
        let srt = "\u{feff}1\r\n00:00:01,000 --> 00:00:03,000\r\n<i>Hello</i> there\r\n\r\n2\r\n00:00:04,500 --> 00:00:05,000 X1:1\r\n{\\an8}Two\r\nlines\r\n";
        let cues = parse_srt(srt).unwrap();
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].lines, vec!["Hello there"]);
        assert_eq!(cues[1].start_s, 4.5);
        assert_eq!(cues[1].lines, vec!["Two", "lines"]);
        let st = stats(&cues, Some(4.0));
        assert_eq!(st.longest_line_chars, Some(11));
        assert_eq!(st.max_chars_per_s, Some(16.0));
        assert_eq!(st.past_end, Some(1));
        assert_eq!(st.max_lines, Some(2));
    }

    #[test]
    fn reports_where_srt_breaks() {
        let e = parse_srt("1\n00:00:01,000 -> 00:00:02,000\nHi\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = parse_srt("1\n00:00:03,000 --> 00:00:02,000\nHi\n").unwrap_err();
        assert!(e.contains("ends before it starts"), "{e}");
        assert!(parse_srt("").is_err());
    }

    #[test]
    fn parses_vtt_skipping_notes_and_ids() {
        let vtt = "WEBVTT - test\n\nNOTE a comment\n\nintro\n00:01.000 --> 00:02.500 align:start\n<v Bob>Hi</v>\n\n01:00:00.000 --> 01:00:01.000\nLate\n";
        let cues = parse_vtt(vtt).unwrap();
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].start_s, 1.0);
        assert_eq!(cues[0].lines, vec!["Hi"]);
        assert_eq!(cues[1].start_s, 3600.0);
        assert!(parse_vtt("1\n00:01.000 --> 00:02.000\nHi\n").is_err());
    }

    #[test]
    fn names_sidecars() {
        assert_eq!(sidecar_parts("film", "film.srt"), Some(("", "subrip")));
        assert_eq!(sidecar_parts("film", "film.en.SRT"), Some(("en", "subrip")));
        assert_eq!(sidecar_parts("film", "film.vtt"), Some(("", "webvtt")));
        assert_eq!(sidecar_parts("film", "filmx.srt"), None);
        assert_eq!(sidecar_parts("film", "film.mp4"), None);
        assert_eq!(sidecar_parts("night", "night.final.srt"), None);
        assert_eq!(
            sidecar_parts("night", "night.en.forced.srt"),
            Some(("en.forced", "subrip"))
        );
        assert_eq!(
            sidecar_parts("night.final", "night.final.srt"),
            Some(("", "subrip"))
        );
        assert_eq!(language_and_title("en"), (Some("en".into()), None));
        assert_eq!(
            language_and_title("pt-BR.forced"),
            (Some("pt-br".into()), Some("forced".into()))
        );
        assert_eq!(
            language_and_title("commentary"),
            (None, Some("commentary".into()))
        );
    }
}
