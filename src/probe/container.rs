//! Header facts: container, streams and chapters, read from the demuxer without decoding.

use crate::facts::{AudioStream, Chapter, Container, SubtitleStream, VideoStream};
use crate::probe::{atoms, bit_depth, frame_rate, hdr, packet_scan};
use anyhow::{Context as _, Result};
use ffmpeg::ffi;
use ffmpeg::media::Type as MediaType;
use ffmpeg_next as ffmpeg;
use std::collections::BTreeMap;
use std::ffi::CStr;
use std::os::raw::c_char;
use std::path::Path;

/// What the header of one file says.
pub struct Header {
    pub container: Container,
    pub video: Vec<VideoStream>,
    pub audio: Vec<AudioStream>,
    pub subtitles: Vec<SubtitleStream>,
    pub chapters: Vec<Chapter>,
}

pub fn read(path: &Path) -> Result<Header> {
    let mut input = super::open_input(path)?;
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
    let scan = packet_scan::scan(&mut input, &pictures);
    let format = input.format();
    let format_name = format.name().to_string();

    let duration_s = positive_time(input.duration(), ffmpeg::ffi::AV_TIME_BASE as f64);
    let start_time_s = {
        // SAFETY: the context is open; start_time is a plain field.
        let st = unsafe { (*input.as_ptr()).start_time };
        (st != ffi::AV_NOPTS_VALUE).then(|| st as f64 / ffi::AV_TIME_BASE as f64)
    };
    let faststart = if is_isobmff(&format_name) {
        atoms::moov_before_mdat(path).context("reading MP4 boxes")?
    } else {
        None
    };

    let container = Container {
        format: format_name,
        format_long: format.description().to_string(),
        duration_s,
        bit_rate: (input.bit_rate() > 0).then_some(input.bit_rate() as u64),
        start_time_s,
        tags: dictionary(input.metadata()),
        faststart,
    };

    let mut header = Header {
        container,
        video: Vec::new(),
        audio: Vec::new(),
        subtitles: Vec::new(),
        chapters: Vec::new(),
    };

    for stream in input.streams() {
        let params = stream.parameters();
        // SAFETY: parameters() points into the open stream and outlives this loop body.
        let par = unsafe { &*params.as_ptr() };
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
                        frame_rate::measure(&p.pts, f64::from(tb), !scan.reached_end, &hints)
                    }
                    _ => frame_rate::FrameRate::default(),
                };
                let first: &[Vec<u8>] = packets.map_or(&[], |p| &p.first);
                let hdr = (!empty).then(|| hdr::read(&stream, par, first));
                let dovi = hdr::dolby_vision_profile(&stream);
                let pix = par.format;
                let (width, height) = (par.width.max(0) as u32, par.height.max(0) as u32);
                let sar = par.sample_aspect_ratio;
                let sar_known = sar.num > 0 && sar.den > 0;
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
                    color_space: cstr_opt(unsafe { ffi::av_color_space_name(par.color_space) })
                        .filter(|s| s != "unknown"),
                    color_transfer: cstr_opt(unsafe { ffi::av_color_transfer_name(par.color_trc) })
                        .filter(|s| s != "unknown"),
                    color_primaries: cstr_opt(unsafe {
                        ffi::av_color_primaries_name(par.color_primaries)
                    })
                    .filter(|s| s != "unknown"),
                    bit_rate,
                    duration_s,
                    frames: (stream.frames() > 0).then_some(stream.frames() as u64),
                    rotation: rotation(&stream, &tags),
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
            title: chapter.metadata().get("title").map(str::to_string),
        });
    }
    Ok(header)
}

/// The ISO base media family (MP4, MOV, M4V, 3GP …): FFmpeg names its demuxer after all of them.
pub fn is_isobmff(format_name: &str) -> bool {
    format_name
        .split(',')
        .any(|f| matches!(f, "mov" | "mp4" | "m4a" | "3gp" | "3g2" | "mj2"))
}

fn positive_time(value: i64, per_second: f64) -> Option<f64> {
    (value > 0 && value != ffi::AV_NOPTS_VALUE).then(|| value as f64 / per_second)
}

fn rate(r: ffmpeg::Rational) -> Option<f64> {
    (r.numerator() > 0 && r.denominator() > 0).then(|| f64::from(r))
}

fn dictionary(dict: ffmpeg::DictionaryRef<'_>) -> BTreeMap<String, String> {
    dict.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn cstr_opt(ptr: *const c_char) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: FFmpeg's name functions return static NUL-terminated strings.
    Some(
        unsafe { CStr::from_ptr(ptr) }
            .to_string_lossy()
            .into_owned(),
    )
}

fn profile_name(codec: ffi::AVCodecID, profile: i32) -> Option<String> {
    if profile < 0 {
        return None;
    }
    cstr_opt(unsafe { ffi::avcodec_profile_name(codec, profile) })
}

fn pix_fmt_name(format: i32) -> Option<String> {
    if format < 0 {
        return None;
    }
    // SAFETY: any value in the enum's range is accepted; unknown ones give NULL.
    let fmt: ffi::AVPixelFormat = unsafe { std::mem::transmute(format) };
    cstr_opt(unsafe { ffi::av_get_pix_fmt_name(fmt) })
}

fn interlaced(order: ffi::AVFieldOrder) -> Option<bool> {
    match order {
        ffi::AVFieldOrder::AV_FIELD_UNKNOWN => None,
        ffi::AVFieldOrder::AV_FIELD_PROGRESSIVE => Some(false),
        _ => Some(true),
    }
}

fn channel_layout(layout: &ffi::AVChannelLayout) -> Option<String> {
    let mut buf = [0 as c_char; 128];
    // SAFETY: the buffer is large enough for any layout name and is NUL-terminated on success.
    let n = unsafe { ffi::av_channel_layout_describe(layout, buf.as_mut_ptr(), buf.len()) };
    if n <= 0 {
        return None;
    }
    let name = unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned();
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
            let matrix: Vec<i32> = data[..36]
                .chunks_exact(4)
                .map(|c| i32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            // SAFETY: av_display_rotation_get reads exactly nine i32 values.
            let deg = unsafe { ffi::av_display_rotation_get(matrix.as_ptr()) };
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
