//! Probing one file: `(path, ProbeConfig) -> Facts`. Pure with respect to the rest of the
//! program, so that it can run in a worker process and hand its facts back as JSON.

pub mod atoms;
pub mod audio;
pub mod bit_depth;
pub mod black;
pub mod capture;
pub mod config;
pub mod container;
pub mod content_credentials;
pub mod credits;
pub mod ffmpeg;
pub mod folder;
pub mod frame_rate;
pub mod frames;
pub mod hdr;
pub mod packet_scan;
pub mod provenance;
pub mod reduced_decode;
pub mod sampler;
pub mod software;
pub mod subtitles;
pub mod xmp_scan;

use crate::facts::{Analyzer, Facts, Needs};
use anyhow::{anyhow, bail, Context as _, Result};
pub use config::ProbeConfig;
pub use folder::Listings;
use std::path::Path;

/// Probes one file; a file that cannot be probed is reported in `Facts::error`, never a panic.
pub fn probe(path: &Path, config: &ProbeConfig) -> Facts {
    probe_with(path, config, &Listings::default())
}

/// `probe`, with the folder listings of the files probed before (one run's films share them).
pub fn probe_with(path: &Path, config: &ProbeConfig, listings: &Listings) -> Facts {
    let mut facts = Facts::for_path(path);
    if let Err(e) = fill(path, config, listings, &mut facts) {
        facts.error = Some(one_line(&e));
    }
    facts
}

/// Fills `facts` with one FFmpeg open of the file, which every pass shares in turn (header,
/// metadata tags, the audio and subtitle packets, then the pictures), and one walk over its
/// MP4 boxes.
fn fill(path: &Path, config: &ProbeConfig, listings: &Listings, facts: &mut Facts) -> Result<()> {
    let needs = &config.needs;
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
    let mut file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;

    // The provenance analyzer wants the XMP packets FFmpeg can export as a tag.
    let with_xmp = needs.has(Analyzer::Provenance);
    let (mut input, xmp_exported) = match ffmpeg::open_input_for_tags(path, with_xmp) {
        Ok(opened) => opened,
        Err(e) => return Err(explain_open_failure(&mut file).unwrap_or(e)),
    };
    // The runtime is what plays, not what the header claims (which stays in
    // `header_duration_s`): a header can hold no duration (a Matroska written to a pipe), a
    // nonsensical one, a wrong one, or the length of a subtitle track that runs on after the
    // picture. Measured first, while the file's index is only what the file holds (reading
    // packets makes some demuxers add entries of their own), then back to the start.
    let opened = ffmpeg::Discards::of(&input);
    let playable = container::playable_length(&mut input, meta.len());
    opened.restore(&mut input);
    if !ffmpeg::rewind(&mut input) {
        input = ffmpeg::open_input_for_tags(path, with_xmp)?.0;
    }
    let mut header = container::read(&mut input);
    header.container.duration_s = playable;
    // The header read looked at the first packets (frame rate, HDR metadata). The audio and
    // subtitle passes read from the very first packet, which a seek back to the start does not
    // give exactly (the decoder's priming samples would shift), so they get a fresh open.
    if needs.has(Analyzer::Audio) || needs.has(Analyzer::Subtitles) {
        input = ffmpeg::open_input_for_tags(path, with_xmp)?.0;
    }
    if xmp_exported {
        // Exported only for provenance: not a tag of the file as other readers show it.
        header.container.tags.remove("xmp");
    }
    let top = if container::is_isobmff(&header.container.format) {
        let top = atoms::scan_file(&mut file).context("reading MP4 boxes")?;
        header.container.faststart = top.faststart();
        Some(top)
    } else {
        None
    };
    if is_still_image(&header.container.format) {
        bail!(
            "a still image ({}), not a film",
            header.container.format_long
        );
    }
    if let Some(why) = top.as_ref().and_then(atoms::TopLevel::truncation) {
        bail!(why);
    }
    if header.video.is_empty() && header.audio.is_empty() {
        bail!("no video or audio streams: not a film");
    }
    // Tags are read before any packet: some demuxers update them as they read.
    let tags = needs
        .has(Analyzer::Provenance)
        .then(|| provenance::read_tags(&input));
    let format_name = header.container.format.clone();
    facts.container = Some(header.container);
    facts.video = header.video;
    facts.audio = header.audio;
    facts.subtitles = header.subtitles;
    facts.subtitles.extend(subtitles::sidecars(path, listings));
    facts.chapters = header.chapters;
    // Embedded subtitle packets ride along with the audio pass when both analyzers run, so the
    // file is read once.
    let embedded_subs: Vec<usize> = facts.subtitles.iter().filter_map(|s| s.index).collect();
    let mut subtitle_packets = (needs.has(Analyzer::Subtitles) && !embedded_subs.is_empty())
        .then(|| subtitles::Collector::new(embedded_subs));
    let streams = ffmpeg::Discards::of(&input);
    if needs.has(Analyzer::Audio) {
        audio::fill_from(&mut input, facts, &config.audio, subtitle_packets.as_mut())?;
    }
    if let Some(c) = subtitle_packets.as_mut().filter(|c| !c.is_done()) {
        c.read_all(&mut input);
    }
    let duration_s = playable;
    streams.restore(&mut input);
    if needs.has(Analyzer::Credits) || needs.has(Analyzer::Black) {
        // The pictures are sought from the same open file, with every stream back as opened.
        streams.restore(&mut input);
        video_pass(input, facts, needs)?;
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
    if let Some(tags) = tags {
        let sources = provenance::Sources {
            file: &mut file,
            top: top.as_ref(),
            tags,
        };
        facts.provenance = Some(provenance::analyze(path, &format_name, sources, config)?);
    }
    Ok(())
}

/// The video analyzers, sharing one picture source.
fn video_pass(
    input: ffmpeg_next::format::context::Input,
    facts: &mut Facts,
    needs: &Needs,
) -> Result<()> {
    let mut sampler = sampler::Sampler::new(input)?;
    if needs.has(Analyzer::Credits) {
        let duration = facts.credits_span_s();
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
fn explain_open_failure(file: &mut std::fs::File) -> Option<anyhow::Error> {
    let top = atoms::scan_file(file).ok()?;
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
pub fn companions(film: &Path, listings: &Listings) -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = subtitles::sidecars(film, listings)
        .into_iter()
        .filter_map(|s| s.file.map(std::path::PathBuf::from))
        .collect();
    let c2pa = film.with_extension("c2pa");
    if c2pa.is_file() {
        files.push(c2pa);
    }
    files
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
