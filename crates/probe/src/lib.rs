//! Probing one file: `(path, ProbeSettings) -> Facts`. Pure with respect to the rest of the
//! program, so that it can run in a worker process and hand its facts back as JSON.

pub mod atoms;
pub mod audio;
pub mod bit_depth;
pub mod black;
pub mod capture;
pub mod container;
pub mod content_credentials;
pub mod credits;
pub mod dv_audio;
mod ebml;
mod ffi;
pub mod ffmpeg;
pub mod fingerprint;
pub mod folder;
pub mod frame_rate;
pub mod frames;
pub mod hdr;
mod in_band;
pub mod packet_scan;
pub mod plane;
pub mod provenance;
pub mod reach;
pub mod read_ahead;
pub mod reduced_decode;
pub mod sampler;
pub mod source;
pub mod subtitles;
mod text;
pub mod video_qc;
pub mod watch;
pub mod xmp;
pub mod xmp_scan;

use anyhow::{anyhow, bail, Context as _, Result};
pub use folder::Listings;
use reelcheck_facts::failure::{Failed, Failure};
use reelcheck_facts::progress::Step;
pub use reelcheck_facts::settings::{self, ProbeSettings, RunLimits};
use reelcheck_facts::{Analyzer, Facts};
use std::path::Path;
use watch::Watch;

/// Probes one file; a file that cannot be probed is reported in `Facts::error`, never a panic.
pub fn probe(path: &Path, config: &ProbeSettings) -> Facts {
    probe_with(
        path,
        config,
        &RunLimits::default(),
        &Listings::default(),
        &Watch::default(),
    )
}

/// `probe`, with the folder listings of the files probed before (one run's films share them),
/// telling `watch` how far it has got.
pub fn probe_with(
    path: &Path,
    config: &ProbeSettings,
    limits: &RunLimits,
    listings: &Listings,
    watch: &Watch,
) -> Facts {
    let mut facts = Facts::for_path(path);
    match fill(path, config, limits, listings, watch, &mut facts) {
        Ok(()) => facts.analyzers = config.needs.0.iter().copied().collect(),
        Err(e) => {
            facts.failure = e.downcast_ref::<Failed>().map(|f| f.failure);
            facts.error = Some(one_line(&e));
        }
    }
    facts
}

/// Fills `facts` from one open of the file (a `Source`), which every reader borrows: the
/// demuxers FFmpeg reads it through (one for the runtime, the header, the tags and the
/// pictures, which seek; a fresh one for the audio and subtitle packets, which are read from
/// the very first; another only where a demuxer cannot seek back to the start), the walk over
/// its MP4 boxes, and the provenance readers (C2PA, XMP). Files beside it (subtitle sidecars,
/// a `.c2pa` manifest) are opened by their own paths.
fn fill(
    path: &Path,
    config: &ProbeSettings,
    limits: &RunLimits,
    listings: &Listings,
    watch: &Watch,
    facts: &mut Facts,
) -> Result<()> {
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
    // Opening checks readability first, so a permission problem is named as such. The path was
    // looked at first: opening a FIFO would wait for a writer.
    watch.step(Step::Header);
    let source = source::Source::open(path)
        .map_err(|e| io_reason(&e))?
        .watched(watch.clone());
    let read = fill_from(&source, config, limits, listings, watch, facts);
    // A read the system failed ends a demuxer as it would a damaged file, or ends it early as
    // if the film were shorter: whatever came of it, it is no measurement of the file.
    match source.read_failure() {
        Some(why) => Err(Failed::new(
            Failure::ReadError,
            format!(
                "the file could not be read from its disk or share ({why}); the file itself may be whole"
            ),
        )
        .into()),
        None => read,
    }
}

/// Fills `facts` from the opened film.
fn fill_from(
    source: &source::Source,
    config: &ProbeSettings,
    limits: &RunLimits,
    listings: &Listings,
    watch: &Watch,
    facts: &mut Facts,
) -> Result<()> {
    let path = source.path();
    let deadline = limits.deadline();
    let needs = &config.needs;
    if Analyzer::ALL.iter().any(|&a| a.decodes() && needs.has(a)) {
        // Decoders come and go with each film; a header-only check allocates too little to
        // gain, and measured slightly slower with it.
        crate::ffi::os::keep_freed_memory();
    }

    // The provenance analyzer wants the XMP packets FFmpeg can export as a tag.
    let with_xmp = needs.has(Analyzer::Provenance);
    let (mut input, xmp_exported) = match source.demuxer_for_tags(with_xmp) {
        Ok(opened) => opened,
        Err(e) => return Err(explain_open_failure(source).unwrap_or(e)),
    };
    // The runtime is what plays, not what the header claims (which stays in
    // `header_duration_s`): a header can hold no duration (a Matroska written to a pipe), a
    // nonsensical one, a wrong one, or the length of a subtitle track that runs on after the
    // picture. Measured first, while the file's index is only what the file holds (reading
    // packets makes some demuxers add entries of their own), then back to the start.
    let opened = ffmpeg::Discards::of(&input);
    let reach = reach::read(&mut input, source.size());
    opened.restore(&mut input);
    if !ffmpeg::rewind(&mut input) {
        input = source.demuxer_for_tags(with_xmp)?.0;
    }
    let mut header = container::read(&mut input);
    // A Matroska file says how long its segment is: one that still holds every byte of it is
    // not cut short, whatever its header's duration reaches (a last subtitle cue may run on
    // after the picture, and before the last keyframe, where the end is read from).
    let segment_whole = header
        .container
        .format
        .split(',')
        .any(|f| f == "matroska")
        .then(|| ebml::segment_whole(&mut source.bytes(), source.size()))
        .flatten();
    settle_lengths(&mut header, &reach, source.size(), segment_whole);
    let playable = header.container.duration_s;
    // The header read looked at the first packets (frame rate, HDR metadata). The audio and
    // subtitle passes read from the very first packet, which a seek back to the start does not
    // give exactly (the decoder's priming samples would shift), so they get a fresh demuxer
    // (over the same open file).
    if needs.has(Analyzer::Audio) || needs.has(Analyzer::Subtitles) {
        input = source.demuxer_for_tags(with_xmp)?.0;
    }
    if xmp_exported {
        // Exported only for provenance: not a tag of the file as other readers show it.
        header.container.tags.remove("xmp");
    }
    let top = if container::is_isobmff(&header.container.format) {
        let top =
            atoms::scan_bytes(&mut source.bytes(), source.size()).context("reading MP4 boxes")?;
        header.container.faststart = top.faststart();
        Some(top)
    } else {
        None
    };
    if is_still_image(&header.container.format) {
        bail!(
            "a still image ({}), not a film",
            picture_kind(&header.container.format)
        );
    }
    if header.container.format == "dv" {
        // FFmpeg hands 12-bit DV sound over as 16-bit samples: the frame says what was coded.
        if let Some(bits) = dv_audio::coded_bits(&mut source.bytes()) {
            for a in header
                .audio
                .iter_mut()
                .filter(|a| a.codec.starts_with("pcm_"))
            {
                a.bit_depth = Some(bits);
            }
        }
    }
    if let Some(why) = top.as_ref().and_then(atoms::TopLevel::truncation) {
        bail!(why);
    }
    if header.video.is_empty() && header.audio.is_empty() {
        bail!("no video or audio streams: not a film");
    }
    if !reach.any_packet {
        bail!(
            "no picture or sound in the file, only its header (an initialisation segment, or an export that stopped before the first frame)"
        );
    }
    if header.blank_picture {
        bail!("the picture data are blank (every byte is zero): no frame can be decoded");
    }
    // Tags are read before any packet: some demuxers update them as they read.
    let tags = needs
        .has(Analyzer::Provenance)
        .then(|| provenance::read_tags(&input));
    let format_name = header.container.format.clone();
    let in_band_capture = std::mem::take(&mut header.capture);
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
    let mut sound_print = None;
    if needs.has(Analyzer::Audio) {
        watch.step(Step::Sound);
        sound_print = audio::fill_from(
            &mut input,
            Some(source.file()),
            facts,
            &config.audio,
            !config.no_fingerprint,
            subtitle_packets.as_mut(),
        )?;
    }
    if let Some(c) = subtitle_packets.as_mut().filter(|c| !c.is_done()) {
        watch.step(Step::Subtitles);
        c.read_all(&mut input);
    }
    let duration_s = playable;
    streams.restore(&mut input);
    let mut film = None;
    if needs.has(Analyzer::Video) {
        streams.restore(&mut input);
        let container = facts.container.as_ref();
        let stated = video_qc::Stated {
            container_s: container.and_then(|c| c.header_duration_s.or(c.duration_s)),
            // A file cut short ends before the last frame its header promises.
            cut_short_s: container
                .filter(|c| c.truncated == Some(true))
                .and_then(|c| c.header_duration_s),
            size_bytes: facts.size_bytes,
        };
        watch.step(Step::Picture);
        // The pictures the sampler would decode again are kept from this decode.
        let keep_film = needs.has(Analyzer::Credits) || needs.has(Analyzer::Black);
        let decoded =
            video_qc::analyze(&mut input, &mut facts.video, &stated, deadline, keep_film)?;
        film = decoded.film;
        streams.restore(&mut input);
        if let Some(at) = decoded.stopped {
            // The facts measured so far stay with the file; the entry is an error, never a pass,
            // and its cause a time limit, not the file.
            return Err(Failed::new(
                Failure::Timeout,
                format!(
                    "timed out: the video analysis reached {} and stopped there (the facts measured up to there are kept)",
                    video_qc::clock(at)
                ),
            )
            .into());
        }
    }
    if needs.has(Analyzer::Credits) || needs.has(Analyzer::Black) {
        // The pictures are sought from the same open file, with every stream back as opened.
        streams.restore(&mut input);
        watch.step(Step::Sampled);
        video_pass(
            input,
            film,
            facts,
            config,
            limits.decode_threads.unwrap_or(1),
        )?;
    }
    // The sound rides with the pictures: a film is compared by its pictures, and its sound
    // only says whether it agrees where they do (`similar`).
    if let Some(fp) = facts.fingerprint.as_mut() {
        fp.sound = sound_print;
    }
    if needs.has(Analyzer::Subtitles) {
        watch.step(Step::Subtitles);
        // The picture ends the film: a subtitle track that runs longer stretches the
        // container's duration, and would hide the very cues this looks for.
        // Cue times are on the file's clock: a picture that starts late ends late.
        let picture_end = facts
            .video
            .iter()
            .filter_map(|v| {
                Some(reach.starts.get(&v.index).unwrap_or(&0.0).max(0.0) + v.duration_s?)
            })
            .reduce(f64::max)
            .or(duration_s);
        subtitles::measure(source, picture_end, &mut facts.subtitles, subtitle_packets);
    }
    if let Some(tags) = tags {
        watch.step(Step::Provenance);
        let sources = provenance::Sources {
            source,
            top: top.as_ref(),
            tags,
            in_band_capture,
        };
        facts.provenance = Some(provenance::analyze(&format_name, sources, config)?);
    }
    Ok(())
}

/// The runtime, whether the file is cut short, and every stream's length, from the header and
/// what its last packets reach.
fn settle_lengths(
    header: &mut container::Header,
    reach: &reach::Reach,
    size_bytes: u64,
    segment_whole: Option<bool>,
) {
    // One frame of the main picture: a header may count the last frame's display time (an
    // edit list that holds it longer) where a packet's timestamps do not.
    let frame_s = header
        .video
        .first()
        .and_then(|v| v.fps)
        .filter(|f| *f > 0.0)
        .map_or(0.0, |f| 1.0 / f);
    let isobmff = container::is_isobmff(&header.container.format);
    header.container.truncated = if isobmff || segment_whole == Some(true) {
        // An MP4's movie header may claim any length (a fragmented MP4's says 39 hours) while
        // its sample tables, which the packets come from, are whole; an MP4 that is cut short
        // is found by its boxes, and refused. A Matroska file that holds its whole segment
        // was finished by its muxer.
        Some(false)
    } else {
        reach.cut_short(header.container.header_duration_s, frame_s)
    };
    // Every stream's length as its packets reach, where the header gives none (Matroska, WebM
    // and FLV headers never do) or one that the packets contradict: a cut file's; FFmpeg 5.1
    // reads a fragmented MP4's stream lengths from its movie header, which may claim hours;
    // FFmpeg copies a Matroska's segment duration, which may be anything, into streams without
    // one. Otherwise the header's (the MP4 sample tables and edit list) stands: it counts the
    // last frame's display time, which a packet's timestamps alone may not.
    let cut = header.container.truncated == Some(true);
    // Only an MP4's sample tables state a stream's length from the essence: other headers'
    // lengths are estimates (ASF's play duration less its preroll, FFmpeg's own guess from
    // the bit rate or the container's duration), so there the packets' ends stand as soon as
    // they differ by more than rounding.
    let differ = |a: f64, b: f64| {
        if isobmff {
            reach::claims_more(a, b, frame_s) || reach::claims_more(b, a, frame_s)
        } else {
            (a - b).abs() > (0.5 * frame_s).max(ESSENCE_ROUNDING_S)
        }
    };
    // The settled length, and whether the header's was contradicted: then a bit rate FFmpeg
    // worked out from the header's length is as wrong as the length (a fragmented MP4's 39-hour
    // claim makes 5 bit/s), and a bit rate the header states is of a stream the file no longer
    // holds whole; neither is shown as a fact.
    let settle = |index: usize, claim: Option<f64>| match (reach.streams.get(&index), claim) {
        (Some(d), None) => (Some(*d), false),
        (Some(d), Some(h)) if cut || differ(h, *d) => (Some(*d), true),
        _ => (claim, false),
    };
    let mut ends = std::collections::BTreeMap::new();
    for v in &mut header.video {
        let (d, contradicted) = settle(v.index, v.duration_s);
        v.duration_s = d;
        if contradicted {
            v.bit_rate = None;
        }
        let start = reach.starts.get(&v.index).copied().unwrap_or(0.0);
        if let Some(d) = v.duration_s {
            ends.insert(v.index, start + d);
        }
    }
    for a in &mut header.audio {
        let (d, contradicted) = settle(a.index, a.duration_s);
        a.duration_s = d;
        if contradicted {
            a.bit_rate = None;
        }
        let start = reach.starts.get(&a.index).copied().unwrap_or(0.0);
        if let Some(d) = a.duration_s {
            ends.insert(a.index, start + d);
        }
    }
    // The runtime: from the first picture or sound to the end of the last, each stream lasting
    // its settled length. Streams the last packets did not reach ended earlier.
    header.container.duration_s = reach
        .playable_s
        .and_then(|_| reach::span(&reach.starts, &ends))
        .or(reach.playable_s);
    // The file's average bit rate over what plays, where the header's length (from which FFmpeg
    // works it out when the file states none) is not what plays.
    let c = &mut header.container;
    if let (Some(h), Some(d)) = (c.header_duration_s, c.duration_s) {
        if d > 0.0 && (cut || differ(h, d)) {
            c.bit_rate = Some((size_bytes as f64 * 8.0 / d).round() as u64);
        }
    }
}

/// How far a stream's stated length may be from its packets' end before the packets' end is
/// taken (outside MP4, and never less than half a frame): the rounding of a millisecond
/// clock, a few times over.
const ESSENCE_ROUNDING_S: f64 = 0.02;

/// The video analyzers, sharing one picture source: the pictures the video analyzer kept of
/// the whole film (`film`), else what the sampler decodes.
fn video_pass(
    input: ffmpeg_next::format::context::Input,
    film: Option<sampler::Film>,
    facts: &mut Facts,
    config: &ProbeSettings,
    threads: usize,
) -> Result<()> {
    let needs = &config.needs;
    let mut sampler = sampler::Sampler::new(input, threads)?;
    if let (Some(film), Some(sampler)) = (film, sampler.as_mut()) {
        sampler.adopt(film);
    }
    if let (true, Some(sampler)) = (needs.has(Analyzer::Black), sampler.as_mut()) {
        // The credits' end scan decodes the same last seconds (on a long GOP, the whole film
        // from its last keyframe): it keeps what the black tail needs.
        sampler.keep_end(black::is_black);
    }
    if let (false, Some(sampler)) = (config.no_fingerprint, sampler.as_mut()) {
        // The keyframes the credits search decodes serve the fingerprint as well.
        fingerprint::start(sampler);
    }
    if needs.has(Analyzer::Credits) {
        let duration = facts.credits_span_s();
        let chapters = &facts.chapters;
        let (c, _) =
            credits::analyze_sampled(sampler.as_mut(), duration, chapters, &config.credits)?;
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
    if let (false, Some(sampler)) = (config.no_fingerprint, sampler.as_mut()) {
        facts.fingerprint = fingerprint::take(sampler, facts.credits_span_s())?;
    }
    Ok(())
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

/// A better reason than FFmpeg's for an MP4/MOV that will not open: cut short, or never
/// finalized (no index).
fn explain_open_failure(source: &source::Source) -> Option<anyhow::Error> {
    let top = atoms::scan_bytes(&mut source.bytes(), source.size()).ok()?;
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

/// The kind of picture FFmpeg opened, as people name it ("PNG"), not as its demuxer does
/// ("piped png sequence").
fn picture_kind(format: &str) -> String {
    match format {
        "image2" => "a picture file".to_string(),
        "webp" | "webp_pipe" => "WebP".to_string(),
        "jpeg_pipe" | "jpegls_pipe" => "JPEG".to_string(),
        other => other.trim_end_matches("_pipe").to_uppercase(),
    }
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

pub(crate) fn io_reason(e: &std::io::Error) -> anyhow::Error {
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
