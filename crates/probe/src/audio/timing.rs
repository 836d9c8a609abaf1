//! Where the picture ends on the file's timeline, so that each audio track's end can be compared
//! with it. Read from the header only: the audio pass never touches video packets.

use ffmpeg::format::context::Input;
use ffmpeg::format::stream::Disposition;
use ffmpeg::media::Type;
use ffmpeg_next as ffmpeg;
use ffmpeg_next::ffi as sys;

/// The first picture track's end (seconds from the file's start time) and frame rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Picture {
    pub end_s: Option<f64>,
    pub fps: Option<f64>,
}

/// The file's start time in seconds; every timeline position is measured from it, as the ffmpeg
/// CLI does.
pub fn file_start_s(input: &Input) -> f64 {
    let st = crate::ffi::format::start_time(input);
    if st == sys::AV_NOPTS_VALUE {
        0.0
    } else {
        st as f64 / f64::from(sys::AV_TIME_BASE)
    }
}

/// The first picture track's end and rate; `length_s` and `fps`, where given (the stream's
/// settled length and measured rate), stand in for the header's, which can be absurd (a
/// fragmented MP4's movie header says 39 hours; a Matroska time base reads as 1000 fps).
pub fn picture(input: &Input, length_s: Option<f64>, fps: Option<f64>) -> Option<Picture> {
    let start = file_start_s(input);
    let stream = input.streams().find(|s| {
        s.parameters().medium() == Type::Video
            && !s.disposition().contains(Disposition::ATTACHED_PIC)
    })?;
    let tb = f64::from(stream.time_base());
    let begin = if stream.start_time() != sys::AV_NOPTS_VALUE {
        stream.start_time() as f64 * tb - start
    } else {
        0.0
    };
    let length = if length_s.is_some() {
        length_s
    } else if stream.duration() > 0 && tb > 0.0 {
        Some(stream.duration() as f64 * tb)
    } else {
        // Matroska keeps per-track lengths only in a DURATION tag.
        crate::ffmpeg::entry(stream.metadata(), "DURATION")
            .as_deref()
            .and_then(parse_clock)
    };
    let rate = stream.avg_frame_rate();
    let fps =
        fps.or_else(|| (rate.numerator() > 0 && rate.denominator() > 0).then(|| f64::from(rate)));
    Some(Picture {
        end_s: length.map(|l| begin + l),
        fps,
    })
}

/// `HH:MM:SS.fraction`, as Matroska's DURATION tag writes it.
fn parse_clock(text: &str) -> Option<f64> {
    let mut parts = text.trim().split(':');
    let h: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next()?.parse().ok()?;
    let s: f64 = parts.next()?.parse().ok()?;
    (parts.next().is_none() && h >= 0.0 && m >= 0.0 && s >= 0.0)
        .then_some(h * 3600.0 + m * 60.0 + s)
}

/// Audio end minus picture end, in seconds and in picture frames.
pub fn end_offset(audio_end_s: f64, picture: Option<Picture>) -> (Option<f64>, Option<f64>) {
    let Some(p) = picture else {
        return (None, None);
    };
    let Some(end) = p.end_s else {
        return (None, None);
    };
    let secs = audio_end_s - end;
    let frames = p.fps.map(|fps| (secs * fps * 100.0).round() / 100.0);
    (Some((secs * 1000.0).round() / 1000.0), frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matroska_clock() {
        assert_eq!(parse_clock("00:01:02.500000000"), Some(62.5));
        assert_eq!(parse_clock("01:00:00"), Some(3600.0));
        assert_eq!(parse_clock("garbage"), None);
        assert_eq!(parse_clock("1:2"), None);
    }

    #[test]
    fn offsets_in_seconds_and_frames() {
        let p = Picture {
            end_s: Some(10.0),
            fps: Some(25.0),
        };
        assert_eq!(end_offset(9.9, Some(p)), (Some(-0.1), Some(-2.5)));
        assert_eq!(end_offset(9.9, None), (None, None));
    }
}
