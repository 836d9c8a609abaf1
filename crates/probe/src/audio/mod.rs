//! The audio analyzer: loudness, true peak, silence, clipping, identical channels, line-up
//! tone at the head and where the sound ends against the picture, for every audio track, from
//! one decode pass over the file.

mod decode;
mod gating;
mod kweight;
mod levels;
mod meter;
mod print;
mod range;
mod samples;
mod scan;
#[cfg(test)]
mod test_noise;
mod timing;
mod tone;
mod true_peak;
mod worker;

use anyhow::Result;
use reelcheck_facts::fingerprint::SoundPrint;
pub use reelcheck_facts::settings::AudioOptions;
use reelcheck_facts::{Facts, Loudness};
use std::path::Path;

/// Fills the analyzer's facts of every audio track in `facts` (whose header facts are read),
/// and returns the first track's fingerprint when `print` asks for it. `subtitles`, when
/// given, is fed the embedded subtitle packets met on the way.
pub fn fill(
    path: &Path,
    facts: &mut Facts,
    opts: &AudioOptions,
    print: bool,
    subtitles: Option<&mut crate::subtitles::Collector>,
) -> Result<Option<SoundPrint>> {
    // Opening is skipped for a file without sound; `fill_from` would do nothing with it.
    if facts.audio.is_empty() {
        return Ok(None);
    }
    let source = crate::source::Source::open(path).map_err(|e| crate::io_reason(&e))?;
    fill_from(
        &mut source.demuxer()?,
        Some(source.file()),
        facts,
        opts,
        print,
        subtitles,
    )
}

/// `fill` on a file already open, read from where it stands to its end. `file`, the same file
/// opened for reading, lets the pass have the system read its packets ahead of the demuxer.
pub fn fill_from(
    input: &mut ffmpeg_next::format::context::Input,
    file: Option<&std::fs::File>,
    facts: &mut Facts,
    opts: &AudioOptions,
    print: bool,
    subtitles: Option<&mut crate::subtitles::Collector>,
) -> Result<Option<SoundPrint>> {
    if facts.audio.is_empty() {
        return Ok(None);
    }
    let start = timing::file_start_s(input);
    let main = facts.video.first();
    let picture = timing::picture(
        input,
        main.and_then(|v| v.duration_s),
        main.and_then(|v| v.fps),
    );
    let results = decode::run(input, file, opts, print, start, subtitles)?;
    let mut print = None;
    for mut r in results {
        print = print.or(r.print.take());
        let Some(track) = facts.audio.iter_mut().find(|a| a.index == r.stream_index) else {
            continue;
        };
        let (end_offset_s, end_offset_frames) = timing::end_offset(r.end_s, picture);
        track.loudness = Some(match fragment(r.levels.duration_s, track.duration_s) {
            Some(reason) => Loudness {
                reason: Some(reason),
                ..Loudness::default()
            },
            None => r.loudness,
        });
        track.silent = Some(r.levels.silent);
        track.silence = Some(r.levels.silence);
        track.silence_head_s = Some(r.levels.head_s);
        track.silence_tail_s = Some(r.levels.tail_s);
        track.decoded_duration_s = Some(r.levels.duration_s);
        track.end_offset_s = Some(end_offset_s);
        track.end_offset_frames = Some(end_offset_frames);
        track.clipping = Some(r.levels.clipping);
        track.identical_channels = Some(r.levels.identical_channels);
        track.decode_errors = Some(r.decode_errors);
        track.head_tone_at = Some(r.head_tone.as_ref().map(|t| {
            format!(
                "{} Hz at {:.1} dBFS, {}–{}",
                t.frequency_hz,
                t.level_dbfs,
                crate::video_qc::clock(t.start_s),
                crate::video_qc::clock(t.end_s)
            )
        }));
        track.head_tone = Some(r.head_tone);
    }
    Ok(print)
}

/// A track decodes "far less" than its length below this share of it.
const FRAGMENT_SHARE: f64 = 0.5;

/// Why a track's loudness is not measured: it decodes far less than its length (from its
/// packets, else its header), so that figures would come from a fragment, or from garbage
/// decoded out of damaged data. `None` when the decoded sound is the track.
fn fragment(decoded_s: f64, length_s: Option<f64>) -> Option<String> {
    let length = length_s.filter(|l| l.is_finite() && *l > 0.0)?;
    (decoded_s < FRAGMENT_SHARE * length).then(|| {
        format!("only {decoded_s:.2} s of the track's {length:.2} s decodes: no loudness from a fragment")
    })
}
