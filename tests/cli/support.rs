//! Helpers shared by the integration tests: run the real `reelcheck` binary, and make test
//! media with the ffmpeg CLI into a cache folder (`target/test-media`) so reruns are fast.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_reelcheck"))
}

/// Runs reelcheck with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_env(args, &[])
}

/// The binary with the facts cache kept inside `target/`, away from the user's own.
pub fn command() -> Command {
    let mut cmd = Command::new(bin());
    cmd.env(
        "XDG_CACHE_HOME",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-cache"),
    );
    cmd
}

pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = command()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run reelcheck");
    decode(out)
}

fn decode(out: Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

pub fn media_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-media");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

static MAKING: Mutex<()> = Mutex::new(());

/// Makes `name` in the media cache with `ffmpeg -y <args> <out>` unless it is there already.
/// Files are written under a temporary name first, so an interrupted run leaves no half file.
pub fn media(name: &str, args: &[&str]) -> PathBuf {
    let out = media_dir().join(name);
    if out.exists() {
        return out;
    }
    let _guard = MAKING.lock().unwrap_or_else(|e| e.into_inner());
    if out.exists() {
        return out;
    }
    let ext = Path::new(name).extension().unwrap().to_str().unwrap();
    let tmp = media_dir().join(format!(".tmp-{}-{name}", std::process::id()));
    let status = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .args(["-f", muxer_for(ext)])
        .arg(&tmp)
        .status()
        .expect("ffmpeg CLI is installed (make test installs it)");
    assert!(status.success(), "ffmpeg failed making {name}");
    std::fs::rename(&tmp, &out).unwrap();
    out
}

/// Makes `name` from lavfi sources (`-f lavfi -i SRC` for each, in order) and the output
/// arguments `args`, as `media` does.
pub fn lavfi(name: &str, sources: &[&str], args: &[&str]) -> PathBuf {
    let mut all: Vec<&str> = Vec::new();
    for src in sources {
        all.extend(["-f", "lavfi", "-i", src]);
    }
    all.extend_from_slice(args);
    media(name, &all)
}

fn muxer_for(ext: &str) -> &'static str {
    match ext {
        "mp4" | "m4v" => "mp4",
        "mov" => "mov",
        "mkv" => "matroska",
        "webm" => "webm",
        "wav" => "wav",
        "m4a" => "ipod",
        "mp3" => "mp3",
        "ts" => "mpegts",
        "avi" => "avi",
        "png" => "image2",
        other => panic!("no muxer known for .{other}"),
    }
}

/// A small film: `secs` seconds of 160x90 test pattern at 5 fps with a 440 Hz stereo tone.
pub fn film(name: &str, secs: u32) -> PathBuf {
    let t = secs.to_string();
    lavfi(
        name,
        &[
            "testsrc2=size=160x90:rate=5",
            "sine=frequency=440:sample_rate=48000",
        ],
        &[
            "-t",
            &t,
            "-ac",
            "2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-profile:v",
            "high",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "64k",
            "-movflags",
            "+faststart",
        ],
    )
}

/// Copies `src` into `dir` as `name`, for tests that need a folder of their own.
pub fn copy_into(src: &Path, dir: &Path, name: &str) -> PathBuf {
    let dst = dir.join(name);
    if let Some(parent) = dst.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::copy(src, &dst).unwrap();
    dst
}

/// Runs reelcheck with extra environment variables.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = command()
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run reelcheck");
    decode(out)
}

/// Each file's name, status and error from a JSON check report.
pub fn statuses(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let name = Path::new(f["path"].as_str().unwrap())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                name,
                f["status"].as_str().unwrap().to_string(),
                f["error"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}
