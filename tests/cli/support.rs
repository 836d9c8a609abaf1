//! Helpers shared by the integration tests: run the real `reelcheck` binary, and make test
//! media with the ffmpeg CLI (through the shared maker in `fixtures/media.rs`, which keys each
//! film by its whole recipe) into `target/test-media` so reruns are fast.

#![allow(dead_code)]

use crate::media::preset::{AAC, FASTSTART, H264_ULTRAFAST};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The binary under test: the one cargo built, or REELCHECK_BIN (`make dist-test` points it at
/// the self-contained release build, so the same suite runs against that).
pub fn bin() -> PathBuf {
    std::env::var_os("REELCHECK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_reelcheck")))
}

/// Runs reelcheck with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_env(args, &[])
}

/// The binary with a facts cache of its own for this one run: a test never reads facts that
/// another test (or an older build) measured, so a broken analyzer cannot hide behind a warm
/// cache. Tests about the cache pass `--cache-dir` themselves to share one on purpose.
pub fn command() -> Command {
    let mut cmd = Command::new(bin());
    cmd.env("XDG_CACHE_HOME", fresh_cache_dir());
    cmd
}

/// `target/test-cache/<pid>-<n>`, new for each call. Folders of test processes that have
/// ended are removed the first time a process asks, so they do not pile up.
fn fresh_cache_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-cache");
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    if n == 0 {
        remove_stale_caches(&root);
    }
    root.join(format!("{}-{n}", std::process::id()))
}

fn remove_stale_caches(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name.split('-').next().unwrap_or("");
        let alive = !pid.is_empty() && Path::new("/proc").join(pid).exists();
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = command();
    cmd.current_dir(dir).args(args);
    finish(cmd)
}

/// Runs `cmd` to the end and removes the run's own cache folder.
fn finish(mut cmd: Command) -> (i32, String, String) {
    let out = cmd.output().expect("run reelcheck");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-cache");
    for (key, value) in cmd.get_envs() {
        if let (Some(dir), true) = (value, key == "XDG_CACHE_HOME") {
            if Path::new(dir).starts_with(&root) {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
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

/// Makes `name` in the media cache with `ffmpeg -y <args> <out>` unless this exact recipe was
/// made before (see `fixtures/media.rs`).
pub fn media(name: &str, args: &[&str]) -> PathBuf {
    crate::media::make(&media_dir(), name, args).unwrap_or_else(|e| panic!("{e}"))
}

/// A text file a recipe reads (drawtext, chapters), named by its contents.
pub fn input_file(ext: &str, contents: &str) -> PathBuf {
    crate::media::input_file(&media_dir(), ext, contents).unwrap_or_else(|e| panic!("{e}"))
}

/// Stores `bytes` made by a test (a signed or patched copy of a film) as `name` in a folder
/// named by a hash of the bytes. The bytes are made anew on every run, so the file can never
/// be a stale copy; writing is atomic, so two tests saving the same film both see a whole file.
pub fn save(name: &str, bytes: &[u8]) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let folder = media_dir().join(format!("bytes-{:016x}", h.finish()));
    let out = folder.join(name);
    if out.exists() {
        return out;
    }
    std::fs::create_dir_all(&folder).unwrap();
    static SAVES: AtomicUsize = AtomicUsize::new(0);
    let n = SAVES.fetch_add(1, Ordering::Relaxed);
    let tmp = folder.join(format!(".tmp-{}-{n}-{name}", std::process::id()));
    std::fs::write(&tmp, bytes).unwrap();
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

/// A small film: `secs` seconds of 160x90 test pattern at 5 fps with a 440 Hz stereo tone.
pub fn film(name: &str, secs: u32) -> PathBuf {
    let t = secs.to_string();
    lavfi(
        name,
        &[
            "testsrc2=size=160x90:rate=5",
            "sine=frequency=440:sample_rate=48000",
        ],
        &[&["-t", &t, "-ac", "2"], H264_ULTRAFAST, AAC, FASTSTART].concat(),
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
    let mut cmd = command();
    cmd.args(args).envs(env.iter().copied());
    finish(cmd)
}

/// A report's entries by file name.
pub fn files_by_name(
    report: &serde_json::Value,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let name = Path::new(f["path"].as_str().unwrap()).file_name().unwrap();
            (name.to_string_lossy().into_owned(), f.clone())
        })
        .collect()
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

/// `reelcheck credits --format json FILE`, which must succeed, parsed.
/// What `reelcheck credits --explain` prints for `path`, which must succeed.
pub fn credits_explain(path: &Path) -> String {
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&["credits", "--explain", p]);
    assert_eq!(code, 0, "reelcheck credits --explain {p} failed: {err}");
    out
}

pub fn credits_json(path: &Path) -> serde_json::Value {
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&["credits", "--format", "json", p]);
    assert_eq!(code, 0, "reelcheck credits {p} failed: {err}");
    json(&out)
}
