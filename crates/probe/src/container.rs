//! Header facts: container, streams and chapters, read from the demuxer without decoding.

use crate::{bit_depth, frame_rate, hdr, in_band, packet_scan};
use ffmpeg::media::Type as MediaType;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;
use reelcheck_facts::{AudioStream, Chapter, Container, SubtitleStream, VideoStream};
use std::collections::BTreeMap;

/// What the header of one file says.
pub struct Header {
    pub container: Container,
    pub video: Vec<VideoStream>,
    pub audio: Vec<AudioStream>,
    pub subtitles: Vec<SubtitleStream>,
    pub chapters: Vec<Chapter>,
    /// The main picture's first packets hold nothing but zero bytes, which no compressed
    /// picture is: the media data were blanked (a failed copy, a zeroed disk block).
    pub blank_picture: bool,
    /// Camera-capture evidence the picture streams carry in-band (an AVCHD camera record).
    pub capture: Vec<String>,
}

/// The header facts of an open file. Whether an MP4 is fast-start is left to the caller, who
/// walks its boxes. Reads the first packets (frame rate, in-band HDR metadata), so the caller
/// finds the file positioned after them.
pub fn read(input: &mut ffmpeg::format::context::Input) -> Header {
    // The first packets' timestamps and in-band metadata, read before the streams are walked
    // (reading needs the context mutably).
    let pictures: Vec<usize> = input
        .streams()
        .filter(|s| {
            s.parameters().medium() == MediaType::Video
                && !s
                    .disposition()
                    .contains(ffmpeg::format::stream::Disposition::ATTACHED_PIC)
        })
        .map(|s| s.index())
        .collect();
    let scan = packet_scan::scan(input, &pictures);
    let format = input.format();
    let format_name = format.name().to_string();

    let header_duration_s = positive_time(input.duration(), ffmpeg::ffi::AV_TIME_BASE as f64);
    let start_time_s = {
        let st = crate::ffi::format::start_time(input);
        (st != sys::AV_NOPTS_VALUE).then(|| st as f64 / sys::AV_TIME_BASE as f64)
    };

    let container = Container {
        format: format_name,
        format_long: format.description().to_string(),
        // What plays, and whether the file is cut short, measured from the last packets
        // (`reach::read`), which the caller reads first.
        duration_s: None,
        header_duration_s,
        truncated: None,
        bit_rate: (input.bit_rate() > 0).then_some(input.bit_rate() as u64),
        start_time_s,
        tags: dictionary(input.metadata()),
        faststart: None,
    };

    let mut header = Header {
        container,
        video: Vec::new(),
        audio: Vec::new(),
        subtitles: Vec::new(),
        chapters: Vec::new(),
        blank_picture: false,
        capture: Vec::new(),
    };
    if let Some(&main) = pictures.first() {
        let first = scan.streams.get(&main).map_or(&[][..], |p| &p.first[..]);
        let zeros = !first.is_empty() && first.iter().all(|p| p.iter().all(|b| *b == 0));
        header.blank_picture = zeros && !lossless(&*input, main);
    }

    for stream in input.streams() {
        let params = stream.parameters();
        let par = crate::ffi::codec::parameters(&params);
        let tags = dictionary(stream.metadata());
        let tb = stream.time_base();
        let duration_s = if stream.duration() > 0 && tb.denominator() != 0 {
            Some(stream.duration() as f64 * f64::from(tb))
        } else {
            None
        };
        let bit_rate = (par.bit_rate > 0).then_some(par.bit_rate as u64);
        let codec = params.id().name().to_string();
        let profile = profile_name(par.codec_id, par.profile);
        match params.medium() {
            MediaType::Video => {
                // Cover art is an attached picture, not a picture track.
                if stream
                    .disposition()
                    .contains(ffmpeg::format::stream::Disposition::ATTACHED_PIC)
                {
                    continue;
                }
                let hints: Vec<f64> = [stream.rate(), stream.avg_frame_rate()]
                    .into_iter()
                    .filter_map(rate)
                    .collect();
                let empty = scan.is_empty(stream.index());
                let packets = scan.streams.get(&stream.index());
                let measured = match packets {
                    Some(p) if !empty => {
                        let tb = f64::from(tb);
                        frame_rate::measure(&p.pts, tb, !scan.reached_end, &hints, p.first_duration)
                    }
                    _ => frame_rate::FrameRate::default(),
                };
                let first: &[Vec<u8>] = packets.map_or(&[], |p| &p.first);
                let side_hdr10_plus = packets.is_some_and(|p| p.hdr10_plus);
                let hdr = (!empty).then(|| hdr::read(&stream, par, first, side_hdr10_plus));
                let dovi = hdr::dolby_vision_profile(&stream);
                let said = in_band::read(par, first);
                header
                    .capture
                    .extend(in_band::capture_evidence(stream.index(), &said));
                let pix = par.format;
                let (width, height) = (par.width.max(0) as u32, par.height.max(0) as u32);
                let sar = par.sample_aspect_ratio;
                let sar_known = sar.num > 0 && sar.den > 0;
                let (color_space, color_transfer, color_primaries) = color_names(par);
                header.video.push(VideoStream {
                    index: stream.index(),
                    codec,
                    profile,
                    width,
                    height,
                    sar: sar_known.then(|| format!("{}:{}", sar.num, sar.den)),
                    dar: display_aspect(width, height, sar_known.then_some((sar.num, sar.den))),
                    fps: measured.fps,
                    frame_rate_mode: measured.mode.map(str::to_string),
                    fps_min: measured.fps_min,
                    fps_max: measured.fps_max,
                    pulldown: measured.pulldown.map(str::to_string),
                    pix_fmt: pix_fmt_name(pix),
                    bit_depth: (!empty).then(|| bit_depth::video(par, dovi)).flatten(),
                    hdr: hdr.as_ref().map(|h| h.kind.to_string()),
                    dolby_vision_profile: dovi,
                    mastering_display: hdr.as_ref().and_then(|h| h.mastering_display.clone()),
                    max_cll: hdr.as_ref().and_then(|h| h.max_cll),
                    max_fall: hdr.as_ref().and_then(|h| h.max_fall),
                    interlaced: interlaced(par.field_order),
                    color_space,
                    color_transfer,
                    color_primaries,
                    bit_rate,
                    // A track without a single packet lasts nothing, whatever its header says.
                    duration_s: duration_s.filter(|_| !empty),
                    frames: (stream.frames() > 0).then_some(stream.frames() as u64),
                    // A transport stream has no display matrix; its H.264 may ask for a turn
                    // in a display-orientation message instead.
                    rotation: rotation(&stream, &tags)
                        .or_else(|| said.orientation.and_then(in_band::rotation)),
                    prores_profile: prores_profile(par),
                    ..Default::default()
                });
            }
            MediaType::Audio => {
                let channels = par.ch_layout.nb_channels.max(0) as u32;
                header.audio.push(AudioStream {
                    index: stream.index(),
                    codec,
                    profile,
                    channels,
                    channel_layout: channel_layout(&par.ch_layout),
                    sample_rate: par.sample_rate.max(0) as u32,
                    bit_depth: bit_depth::audio(par),
                    bit_rate,
                    duration_s,
                    language: tags.get("language").filter(|l| *l != "und").cloned(),
                    title: tags.get("title").cloned(),
                    default: stream
                        .disposition()
                        .contains(ffmpeg::format::stream::Disposition::DEFAULT),
                    ..Default::default()
                });
            }
            MediaType::Subtitle => header.subtitles.push(SubtitleStream {
                index: Some(stream.index()),
                codec,
                language: tags.get("language").filter(|l| *l != "und").cloned(),
                title: tags.get("title").cloned(),
                source: "embedded".to_string(),
                file: None,
                cues: None,
            }),
            _ => {}
        }
    }

    for chapter in input.chapters() {
        let tb = f64::from(chapter.time_base());
        header.chapters.push(Chapter {
            start_s: chapter.start() as f64 * tb,
            end_s: chapter.end() as f64 * tb,
            title: super::ffmpeg::entry(chapter.metadata(), "title"),
        });
    }
    header
}

/// Whether a stream's codec is only lossless (raw video among them), in which a picture of
/// zero bytes can be a real one.
fn lossless(input: &ffmpeg::format::context::Input, index: usize) -> bool {
    let Some(stream) = input.stream(index) else {
        return true;
    };
    let Some(props) = crate::ffi::codec::codec_props(stream.parameters().id().into()) else {
        return true;
    };
    let (lossless, lossy) = (
        sys::AV_CODEC_PROP_LOSSLESS as u32,
        sys::AV_CODEC_PROP_LOSSY as u32,
    );
    // H.264 and others can be lossless too; only a codec that is never lossy is excused.
    props & lossless != 0 && props & lossy == 0
}

/// The ISO base media family (MP4, MOV, M4V, 3GP …): FFmpeg names its demuxer after all of them.
pub fn is_isobmff(format_name: &str) -> bool {
    format_name
        .split(',')
        .any(|f| matches!(f, "mov" | "mp4" | "m4a" | "3gp" | "3g2" | "mj2"))
}

fn positive_time(value: i64, per_second: f64) -> Option<f64> {
    (value > 0 && value != sys::AV_NOPTS_VALUE).then(|| value as f64 / per_second)
}

fn rate(r: ffmpeg::Rational) -> Option<f64> {
    (r.numerator() > 0 && r.denominator() > 0).then(|| f64::from(r))
}

fn dictionary(dict: ffmpeg::DictionaryRef<'_>) -> BTreeMap<String, String> {
    super::ffmpeg::entries(dict).into_iter().collect()
}

/// The names of a picture's colour space, transfer and primaries; `None` when unknown.
fn color_names(par: &sys::AVCodecParameters) -> (Option<String>, Option<String>, Option<String>) {
    let known = |s: Option<String>| s.filter(|s| s != "unknown");
    let [space, transfer, primaries] = crate::ffi::codec::color_names(par);
    (known(space), known(transfer), known(primaries))
}

/// The ProRes flavour from the codec tag (`apco` … `ap4x`), else from the profile number FFmpeg
/// derived from it; `None` for other codecs.
fn prores_profile(par: &sys::AVCodecParameters) -> Option<String> {
    if par.codec_id != sys::AVCodecID::AV_CODEC_ID_PRORES {
        return None;
    }
    let names = ["proxy", "lt", "standard", "hq", "4444", "4444xq"];
    let by_tag = match &par.codec_tag.to_le_bytes() {
        b"apco" => Some(0),
        b"apcs" => Some(1),
        b"apcn" => Some(2),
        b"apch" => Some(3),
        b"ap4h" => Some(4),
        b"ap4x" => Some(5),
        _ => None,
    };
    let n = by_tag.or_else(|| usize::try_from(par.profile).ok())?;
    names.get(n).map(|s| s.to_string())
}

fn profile_name(codec: sys::AVCodecID, profile: i32) -> Option<String> {
    if profile < 0 {
        return None;
    }
    crate::ffi::codec::profile_name(codec, profile)
}

fn pix_fmt_name(format: i32) -> Option<String> {
    crate::ffi::codec::pixel_format_name(crate::ffi::codec::pixel_format(format)?)
}

fn interlaced(order: sys::AVFieldOrder) -> Option<bool> {
    match order {
        sys::AVFieldOrder::AV_FIELD_UNKNOWN => None,
        sys::AVFieldOrder::AV_FIELD_PROGRESSIVE => Some(false),
        _ => Some(true),
    }
}

fn channel_layout(layout: &sys::AVChannelLayout) -> Option<String> {
    let name = crate::ffi::codec::describe_layout(layout)?;
    // "2 channels" is FFmpeg saying it does not know the layout.
    (!name.ends_with("channels")).then_some(name)
}

fn display_aspect(width: u32, height: u32, sar: Option<(i32, i32)>) -> Option<String> {
    if width == 0 || height == 0 {
        return None;
    }
    let (sn, sd) = sar.unwrap_or((1, 1));
    let num = u64::from(width) * sn as u64;
    let den = u64::from(height) * sd as u64;
    let g = gcd(num, den);
    Some(format!("{}:{}", num / g, den / g))
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a.max(1)
    } else {
        gcd(b, a % b)
    }
}

fn rotation(
    stream: &ffmpeg::format::stream::Stream<'_>,
    tags: &BTreeMap<String, String>,
) -> Option<f64> {
    for side in stream.side_data() {
        if side.kind() == ffmpeg::packet::side_data::Type::DisplayMatrix && side.data().len() >= 36
        {
            let data = side.data();
            let mut matrix = [0i32; 9];
            for (m, c) in matrix.iter_mut().zip(data[..36].chunks_exact(4)) {
                *m = i32::from_ne_bytes([c[0], c[1], c[2], c[3]]);
            }
            let deg = crate::ffi::codec::display_rotation(&matrix);
            if deg.is_finite() {
                // FFmpeg's angle is counter-clockwise; people (and ffprobe's "rotation" tag) think
                // of the clockwise turn needed to show the picture upright.
                let cw = (-deg).rem_euclid(360.0);
                return Some(if cw.abs() < 1e-6 { 0.0 } else { cw });
            }
        }
    }
    tags.get("rotate").and_then(|r| r.parse::<f64>().ok())
}
