//! Named test films, each made once with the ffmpeg CLI and cached (see `support::media`).
//! Small on purpose: low resolution and frame rate keep the whole suite fast.

use crate::support::{lavfi, media};
use std::path::PathBuf;

const SRC: &[&str] = &["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=5"];
const HD: &[&str] = &["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25"];

fn tone(layout: &str, rate: u32) -> Vec<String> {
    vec![
        "-f".into(),
        "lavfi".into(),
        "-i".into(),
        format!("sine=frequency=440:sample_rate={rate}"),
        "-af".into(),
        format!("aformat=channel_layouts={layout}"),
    ]
}

fn make(name: &str, parts: &[&[&str]], owned: &[String]) -> PathBuf {
    let mut args: Vec<&str> = Vec::new();
    for p in parts {
        args.extend_from_slice(p);
    }
    args.extend(owned.iter().map(String::as_str));
    media(name, &args)
}

use crate::media::preset::{AAC, FASTSTART as FAST, H264};

/// H.264 + AAC stereo MP4 of `secs` seconds at 640x360, 25 fps: passes every built-in warning
/// except the resolution note.
pub fn mp4_secs(secs: u32) -> PathBuf {
    // A long film at 25 fps costs seconds to encode; a 1 fps picture keeps it cheap, so the
    // runtime films use their own rate.
    let rate = if secs > 120 { 1 } else { 25 };
    let credits_s = 12.min(secs / 3);
    let text = crate::support::input_file(
        "txt",
        "Directed by\nAnna Lumiere\n\nCamera\nAuguste Lumiere\n\nSound\nJean Vigo\n\nThanks to\nLa Ciotat\n",
    );
    // The picture, then white credits scrolling up over black, as most films end.
    let filter = format!(
        "testsrc2=size=640x360:rate={rate}:duration={body}[a];\
         color=c=black:size=640x360:rate={rate}:duration={credits_s},\
         drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile={text}:\
         fontsize=28:fontcolor=white:line_spacing=10:x=(w-text_w)/2:y=h-t*40[b];\
         [a][b]concat=n=2:v=1[v]",
        body = secs - credits_s,
        text = text.display(),
    );
    let mut args = tone("stereo", 48000);
    args.extend(
        [
            "-filter_complex",
            &filter,
            "-map",
            "[v]",
            "-map",
            "0:a",
            "-t",
            &secs.to_string(),
        ]
        .map(String::from),
    );
    args.extend(H264.iter().chain(AAC).chain(FAST).map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    media(&format!("runtime-{secs}s.mp4"), &refs)
}

/// A 61-second film that passes the built-in rules (warnings included, but the info note).
pub fn good() -> PathBuf {
    mp4_secs(61)
}

pub fn codec(name: &str) -> PathBuf {
    let (file, vargs): (&str, &[&str]) = match name {
        "hevc" => (
            "codec-hevc.mp4",
            &[
                "-c:v",
                "libx265",
                "-preset",
                "ultrafast",
                "-x265-params",
                "log-level=error",
                "-tag:v",
                "hvc1",
            ],
        ),
        "prores" => (
            "codec-prores.mov",
            &["-c:v", "prores_ks", "-profile:v", "0"],
        ),
        "vp9" => (
            "codec-vp9.webm",
            &[
                "-c:v",
                "libvpx-vp9",
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
                "-b:v",
                "200k",
            ],
        ),
        "h264-mkv" => ("codec-h264.mkv", H264),
        _ => panic!("no sample codec {name}"),
    };
    let audio: &[&str] = if file.ends_with(".webm") {
        &["-c:a", "libopus", "-b:a", "48k"]
    } else {
        AAC
    };
    let mut owned = tone("stereo", 48000);
    owned.extend(["-t", "2"].map(String::from));
    make(
        file,
        &[SRC],
        &[
            owned,
            vargs.iter().chain(audio).map(|s| s.to_string()).collect(),
        ]
        .concat(),
    )
}

/// Audio layouts: "mono", "stereo", "5.1"; "none" has no audio, "two" has two stereo tracks.
pub fn audio(layout: &str) -> PathBuf {
    match layout {
        "none" => make("audio-none.mp4", &[SRC, &["-t", "2", "-an"], H264], &[]),
        "two" => lavfi(
            "audio-two.mkv",
            &[
                "testsrc2=size=160x90:rate=5",
                "sine=frequency=440:sample_rate=48000",
                "sine=frequency=660:sample_rate=44100",
            ],
            &[
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-map",
                "2:a",
                "-t",
                "2",
                "-ac",
                "2",
                "-metadata:s:a:0",
                "language=eng",
                "-metadata:s:a:1",
                "language=fra",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-c:a",
                "aac",
            ],
        ),
        l => {
            let file = format!("audio-{}.mp4", l.replace('.', ""));
            let mut owned = tone(l, 48000);
            owned.extend(["-t", "2"].map(String::from));
            make(
                &file,
                &[SRC],
                &[
                    owned,
                    H264.iter().chain(AAC).map(|s| s.to_string()).collect(),
                ]
                .concat(),
            )
        }
    }
}

/// A 2-second film in the given variant, for single-rule tests.
pub fn variant(name: &str) -> PathBuf {
    let v: &[&str] = match name {
        "slow-start.mp4" => &["-c:v", "libx264", "-preset", "superfast", "-c:a", "aac"],
        "baseline.mp4" => &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-profile:v",
            "baseline",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
        ],
        "yuv444.mp4" => &[
            "-c:v",
            "libx264",
            "-preset",
            "superfast",
            "-pix_fmt",
            "yuv444p",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
        ],
        "odd-size.mkv" => &["-vf", "scale=161:91", "-c:v", "ffv1", "-c:a", "aac"],
        "interlaced.mp4" => &[
            "-c:v",
            "libx264",
            "-preset",
            "superfast",
            "-flags",
            "+ildct+ilme",
            "-top",
            "1",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
        ],
        "opus.mkv" => &["-c:v", "libx264", "-preset", "superfast", "-c:a", "libopus"],
        "44k.mp4" => &[
            "-ar",
            "44100",
            "-c:v",
            "libx264",
            "-preset",
            "superfast",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
        ],
        "odd-rate.mp4" => &[
            "-r",
            "12",
            "-c:v",
            "libx264",
            "-preset",
            "superfast",
            "-c:a",
            "aac",
            "-movflags",
            "+faststart",
        ],
        _ => panic!("no variant {name}"),
    };
    let mut owned = tone("stereo", 48000);
    owned.extend(["-t", "2"].map(String::from));
    make(
        &format!("variant-{name}"),
        &[HD],
        &[owned, v.iter().map(|s| s.to_string()).collect()].concat(),
    )
}

/// A film with two video streams.
pub fn two_video() -> PathBuf {
    lavfi(
        "two-video.mkv",
        &[
            "testsrc2=size=160x90:rate=5",
            "testsrc=size=160x90:rate=5",
            "sine=sample_rate=48000",
        ],
        &[
            "-map",
            "0:v",
            "-map",
            "1:v",
            "-map",
            "2:a",
            "-t",
            "2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
        ],
    )
}

/// Audio only: no picture at all.
pub fn audio_only() -> PathBuf {
    lavfi(
        "audio-only.m4a",
        &["sine=sample_rate=48000"],
        &["-t", "2", "-c:a", "aac"],
    )
}

/// A film with chapters and container tags, written through an FFMETADATA file.
pub fn chapters() -> PathBuf {
    let meta = crate::support::input_file(
        "ffmeta",
        ";FFMETADATA1\ntitle=Arrival of a Train\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=Film\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=3000\ntitle=End Credits\n",
    );
    let m = meta.to_str().unwrap().to_string();
    lavfi(
        "chapters.mp4",
        &["testsrc2=size=160x90:rate=5", "sine=sample_rate=48000"],
        &[
            "-i",
            &m,
            "-map_metadata",
            "2",
            "-map_chapters",
            "2",
            "-map",
            "0:v",
            "-map",
            "1:a",
            "-t",
            "3",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
        ],
    )
}

/// A 4-second film whose sound is shaped by `audio` (a lavfi source and filters) and
/// `audio_secs` long.
pub fn sound(name: &str, audio: &str, audio_secs: &str) -> PathBuf {
    lavfi(
        &format!("sound-{name}.mov"),
        &["testsrc2=size=640x360:rate=25:duration=4"],
        &[
            "-f",
            "lavfi",
            "-t",
            audio_secs,
            "-i",
            audio,
            "-c:v",
            "libx264",
            "-preset",
            "superfast",
            "-profile:v",
            "high",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "pcm_s16le",
            "-ac",
            "2",
        ],
    )
}
