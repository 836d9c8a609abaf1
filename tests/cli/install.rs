//! What a user installing reelcheck relies on: `--version` names the FFmpeg it runs with, and
//! the self-contained release build (`make dist-test`) needs nothing but glibc.

use crate::support::{bin, run};
use std::process::Command;

/// "libavcodec 59.37.100" in the `--version` text -> (59, 37, 100).
fn library_version(text: &str, lib: &str) -> (u32, u32, u32) {
    let at = text
        .find(&format!("{lib} "))
        .unwrap_or_else(|| panic!("{lib} not in --version: {text}"));
    let rest = &text[at + lib.len() + 1..];
    let v: Vec<u32> = rest
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()
        .unwrap()
        .split('.')
        .map(|n| n.parse().unwrap_or_else(|_| panic!("{lib}: {rest}")))
        .collect();
    assert_eq!(v.len(), 3, "{lib}: {rest}");
    (v[0], v[1], v[2])
}

#[test]
fn version_names_reelcheck_and_the_ffmpeg_libraries_it_runs_with() {
    let (code, out, err) = run(&["--version"]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(format!("reelcheck {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    let ffmpeg = lines.next().unwrap_or_default();
    assert!(ffmpeg.starts_with("FFmpeg: "), "{out}");
    for lib in ["libavformat", "libavutil", "libswscale", "libswresample"] {
        library_version(ffmpeg, lib);
    }
    // FFmpeg 5.1, the oldest reelcheck supports, is libavcodec 59.37.
    let avcodec = library_version(ffmpeg, "libavcodec");
    assert!(avcodec >= (59, 37, 0), "{ffmpeg}");
    if std::env::var_os("REELCHECK_BIN").is_none() {
        // cargo's build links the system's shared FFmpeg: the version is what is installed.
        let pc = Command::new("pkg-config")
            .args(["--modversion", "libavcodec"])
            .output()
            .expect("pkg-config");
        let installed = String::from_utf8_lossy(&pc.stdout).trim().to_string();
        assert_eq!(
            format!("{}.{}.{}", avcodec.0, avcodec.1, avcodec.2),
            installed,
            "{ffmpeg}"
        );
    }
}

/// `make dist-test` sets REELCHECK_SELF_CONTAINED: the binary under test is then the release
/// build, which may need glibc's libraries (and libgcc_s, for unwinding) and nothing else.
#[test]
fn the_release_build_needs_only_glibc() {
    if std::env::var_os("REELCHECK_SELF_CONTAINED").is_none() {
        eprintln!("not the release build (make dist-test checks it)");
        return;
    }
    let out = Command::new("readelf")
        .arg("-d")
        .arg(bin())
        .output()
        .expect("readelf");
    let dynamic = String::from_utf8_lossy(&out.stdout);
    let needed: Vec<&str> = dynamic
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    assert!(needed.contains(&"libc.so.6"), "{dynamic}");
    for lib in &needed {
        assert!(
            [
                "libc.so.6",
                "libm.so.6",
                "libgcc_s.so.1",
                "ld-linux-x86-64.so.2"
            ]
            .contains(lib),
            "the release binary needs {lib}:\n{dynamic}"
        );
    }
    let ldd = Command::new("ldd").arg(bin()).output().expect("ldd");
    let ldd = String::from_utf8_lossy(&ldd.stdout);
    assert!(!ldd.contains("libav"), "{ldd}");
}
