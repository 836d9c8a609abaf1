//! Probing one file: `(path, what is needed) -> Facts`. Pure with respect to the rest of the
//! program, so that it can run in a worker process and hand its facts back as JSON.

pub mod atoms;
pub mod audio;
pub mod black;
pub mod container;
pub mod content_credentials;
pub mod credits;
pub mod provenance;
pub mod sampler;
pub mod software;
pub mod subtitles;

use crate::facts::Facts;
use anyhow::{anyhow, bail, Result};
use ffmpeg_next as ffmpeg;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Once;

/// A costly analysis that runs only when a rule or a flag asks for one of its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Analyzer {
    Credits,
    Black,
    Audio,
    Provenance,
    Subtitles,
}

impl Analyzer {
    pub const ALL: &'static [Analyzer] = &[
        Analyzer::Credits,
        Analyzer::Black,
        Analyzer::Audio,
        Analyzer::Provenance,
        Analyzer::Subtitles,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Analyzer::Credits => "credits",
            Analyzer::Black => "black",
            Analyzer::Audio => "audio",
            Analyzer::Provenance => "provenance",
            Analyzer::Subtitles => "subtitles",
        }
    }
}

impl fmt::Display for Analyzer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Analyzer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Analyzer::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Analyzer::ALL.iter().map(|a| a.name()).collect();
                format!("unknown analyzer '{s}' (known: {}, all)", names.join(", "))
            })
    }
}

/// Which analyzers to run beyond the always-taken header facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs(pub BTreeSet<Analyzer>);

impl Needs {
    pub fn header_only() -> Self {
        Needs::default()
    }
    pub fn all() -> Self {
        Needs(Analyzer::ALL.iter().copied().collect())
    }
    pub fn has(&self, a: Analyzer) -> bool {
        self.0.contains(&a)
    }
    pub fn insert(&mut self, a: Analyzer) {
        self.0.insert(a);
    }
    /// Parses `--with credits,audio` or `--with all`.
    pub fn parse_list(list: &str) -> Result<Self, String> {
        let mut needs = Needs::default();
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part == "all" {
                return Ok(Needs::all());
            }
            needs.insert(part.parse()?);
        }
        Ok(needs)
    }
}

static INIT: Once = Once::new();

/// Initializes FFmpeg once, silencing its log: reelcheck reports problems in its own words.
pub fn init_ffmpeg() {
    INIT.call_once(|| {
        let _ = ffmpeg::init();
        ffmpeg::util::log::set_level(ffmpeg::util::log::Level::Quiet);
    });
}

/// The FFmpeg libraries reelcheck runs with, as they report themselves at run time (a shared
/// FFmpeg can differ from the headers reelcheck was built against), e.g.
/// "libavformat 59.27.100, libavcodec 59.37.100, libavutil 57.28.100".
pub fn ffmpeg_versions() -> String {
    let v = |n: u32| format!("{}.{}.{}", n >> 16, (n >> 8) & 0xff, n & 0xff);
    format!(
        "libavformat {}, libavcodec {}, libavutil {}, libswscale {}, libswresample {}",
        v(ffmpeg::format::version()),
        v(ffmpeg::codec::version()),
        v(ffmpeg::util::version()),
        v(ffmpeg::software::scaling::version()),
        v(ffmpeg::software::resampling::version()),
    )
}

/// Probes one file; a file that cannot be probed is reported in `Facts::error`, never a panic.
pub fn probe(path: &Path, needs: &Needs) -> Facts {
    let mut facts = Facts::for_path(path);
    if let Err(e) = fill(path, needs, &mut facts) {
        facts.error = Some(one_line(&e));
    }
    facts
}

fn fill(path: &Path, needs: &Needs, facts: &mut Facts) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if meta.is_dir() {
        bail!("is a folder, not a media file");
    }
    if !meta.is_file() {
        // Opening a FIFO or a device would block or read forever.
        bail!("not a regular file (a pipe, socket or device)");
    }
    facts.size_bytes = Some(meta.len());
    if meta.len() == 0 {
        bail!("empty file (0 bytes)");
    }
    // Opening checks readability first, so a permission problem is named as such.
    std::fs::File::open(path).map_err(|e| io_reason(&e))?;

    let header = match container::read(path) {
        Ok(h) => h,
        Err(e) => return Err(explain_open_failure(path).unwrap_or(e)),
    };
    if is_still_image(&header.container.format) {
        bail!(
            "a still image ({}), not a film",
            header.container.format_long
        );
    }
    if container::is_isobmff(&header.container.format) {
        if let Ok(top) = atoms::scan(path) {
            if let Some(why) = top.truncation() {
                bail!(why);
            }
        }
    }
    if header.video.is_empty() && header.audio.is_empty() {
        bail!("no video or audio streams: not a film");
    }
    let duration_s = header.container.duration_s;
    let format_name = header.container.format.clone();
    facts.container = Some(header.container);
    facts.video = header.video;
    facts.audio = header.audio;
    facts.subtitles = header.subtitles;
    facts.subtitles.extend(subtitles::sidecars(path));
    facts.chapters = header.chapters;
    // Embedded subtitle packets ride along with the audio pass when both analyzers run, so the
    // file is read once.
    let embedded_subs: Vec<usize> = facts.subtitles.iter().filter_map(|s| s.index).collect();
    let mut subtitle_packets = (needs.has(Analyzer::Subtitles) && !embedded_subs.is_empty())
        .then(|| subtitles::Collector::new(embedded_subs));
    if needs.has(Analyzer::Audio) {
        audio::fill(path, facts, &audio::configured(), subtitle_packets.as_mut())?;
    }
    if needs.has(Analyzer::Credits) || needs.has(Analyzer::Black) {
        video_pass(path, facts, needs)?;
    }
    if needs.has(Analyzer::Subtitles) {
        // The picture ends the film: a subtitle track that runs longer stretches the
        // container's duration, and would hide the very cues this looks for.
        let picture_end = facts
            .video
            .iter()
            .filter_map(|v| v.duration_s)
            .reduce(f64::max)
            .or(duration_s);
        subtitles::measure(path, picture_end, &mut facts.subtitles, subtitle_packets);
    }
    if needs.has(Analyzer::Provenance) {
        facts.provenance = Some(provenance::analyze(path, &format_name)?);
    }
    Ok(())
}

/// The video analyzers, sharing one picture source.
fn video_pass(path: &Path, facts: &mut Facts, needs: &Needs) -> Result<()> {
    let mut sampler = sampler::Sampler::open(path)?;
    if needs.has(Analyzer::Credits) {
        let duration = facts
            .container
            .as_ref()
            .and_then(|c| c.duration_s)
            .or_else(|| facts.video.iter().find_map(|v| v.duration_s))
            .unwrap_or(f64::NAN);
        let (c, _) = credits::analyze_sampled(sampler.as_mut(), duration, &facts.chapters)?;
        facts.credits = Some(c);
    }
    if let (true, Some(sampler)) = (needs.has(Analyzer::Black), sampler.as_mut()) {
        let index = sampler.stream_index();
        if let Some(v) = facts.video.iter_mut().find(|v| v.index == index) {
            // The picture's own length: a longer sound track must not count as black.
            let duration = v
                .duration_s
                .or_else(|| facts.container.as_ref().and_then(|c| c.duration_s))
                .unwrap_or(f64::NAN);
            let ends = black::measure(sampler, duration)?;
            v.black_head_s = ends.head_s.map(round_ms);
            v.black_tail_s = ends.tail_s.map(round_ms);
        }
    }
    Ok(())
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

/// A better reason than FFmpeg's for an MP4/MOV that will not open: cut short, or never
/// finalized (no index).
fn explain_open_failure(path: &Path) -> Option<anyhow::Error> {
    let top = atoms::scan(path).ok()?;
    if !top.boxes.iter().any(|b| &b.kind == b"ftyp") {
        return None;
    }
    if let Some(why) = top.truncation() {
        return Some(anyhow!(why));
    }
    if !top.boxes.iter().any(|b| &b.kind == b"moov") {
        return Some(anyhow!(
            "MP4/MOV without its index (moov atom): the export did not finish or the file was cut short"
        ));
    }
    None
}

/// FFmpeg opens single pictures as one-frame videos; a festival wants films.
fn is_still_image(format: &str) -> bool {
    format.ends_with("_pipe") || format == "image2" || format == "gif" || format == "webp"
}

/// Files beside `film` whose contents become its facts: subtitle sidecars and a `.c2pa`
/// manifest. Reads the folder listing only.
pub fn companions(film: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = subtitles::sidecars(film)
        .into_iter()
        .filter_map(|s| s.file.map(std::path::PathBuf::from))
        .collect();
    let c2pa = film.with_extension("c2pa");
    if c2pa.is_file() {
        files.push(c2pa);
    }
    files
}

/// Makes the demuxer skip every stream but those `keep` names, so a pass over the file reads
/// only the packets it needs.
pub fn discard_streams_except(
    input: &mut ffmpeg::format::context::Input,
    keep: impl Fn(usize) -> bool,
) {
    // SAFETY: the context is open; `discard` is a plain field the demuxer reads before each
    // packet, and `nb_streams` bounds the stream array.
    unsafe {
        let ctx = input.as_mut_ptr();
        for i in 0..(*ctx).nb_streams as usize {
            if !keep(i) {
                (**(*ctx).streams.add(i)).discard = ffmpeg::ffi::AVDiscard::AVDISCARD_ALL;
            }
        }
    }
}

/// Reads the next packet into `packet`, releasing what it held first: av_read_frame (and so
/// ffmpeg-next's `Packet::read`) expects a blank packet and would leak the previous data.
pub fn read_packet(
    packet: &mut ffmpeg::Packet,
    input: &mut ffmpeg::format::context::Input,
) -> Result<(), ffmpeg::Error> {
    // SAFETY: the packet is valid; unref leaves it blank and reusable.
    unsafe { ffmpeg::ffi::av_packet_unref(ffmpeg::packet::Mut::as_mut_ptr(packet)) };
    packet.read(input)
}

/// Opens a file with FFmpeg, turning its error codes into reasons a person can act on.
pub fn open_input(path: &Path) -> Result<ffmpeg::format::context::Input> {
    init_ffmpeg();
    ffmpeg::format::input(path).map_err(|e| match e {
        ffmpeg::Error::InvalidData => anyhow!("not a media file FFmpeg can read (invalid data)"),
        ffmpeg::Error::Eof => anyhow!("file ends before its header is complete (truncated?)"),
        other => anyhow!("FFmpeg could not open the file: {other}"),
    })
}

fn io_reason(e: &std::io::Error) -> anyhow::Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => anyhow!("no such file"),
        std::io::ErrorKind::PermissionDenied => anyhow!("permission denied: cannot read the file"),
        _ => anyhow!("cannot read: {e}"),
    }
}

/// Errors end up on one report line; keep the whole chain, joined.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = e.chain().map(|c| c.to_string()).collect();
    parts.dedup();
    parts.join(": ").replace('\n', " ")
}
