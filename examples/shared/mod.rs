//! What the accuracy and agreement examples share: where their generated media live, and
//! running the ffmpeg CLI to make a file or to hear what one of its filters says.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `target/agreement-media`, created; the example stops with exit code 2 if it cannot be.
pub fn media_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/agreement-media");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(2);
    }
    dir
}

/// Makes `out`'s file name with `ffmpeg -y ARGS` in `out`'s folder through the shared maker
/// (`fixtures/media.rs`), which keys it by the whole recipe; returns where the film is.
pub fn make(out: &Path, args: &[&str]) -> Result<PathBuf, String> {
    let dir = out.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("not a file name: {}", out.display()))?;
    crate::media::make(dir, name, args)
}

/// What FFmpeg prints on stderr while running `filter` (`-af` or `-vf`, per `kind`) over the
/// stream `map` of `file`.
pub fn filter_log(file: &Path, map: &str, kind: &str, filter: &str) -> Result<String, String> {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(file)
        .args(["-map", map, kind, filter, "-f", "null", "-"])
        .output()
        .map_err(|e| format!("cannot run ffmpeg: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stderr).into_owned())
}
