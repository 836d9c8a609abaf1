//! What reelcheck writes when what it reads is hostile: reports that cannot be written, names
//! and tags that would drive a terminal, crafted reports given to `merge`, formulas in CSV
//! cells, `-o` naming something other than a file, and numbers on the command line.
#![cfg_attr(not(feature = "fault-injection"), allow(dead_code, unused_imports))]

use crate::samples;
use crate::support::*;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The exit code a report that could not be written gives (neither pass nor fail).
const WRITE_FAILED: i32 = 3;

/// Runs reelcheck, killing it (and failing the test) if it is not done within `limit`.
fn run_within(cmd: &mut Command, limit: Duration) -> (i32, Vec<u8>, String) {
    let child = cmd
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run reelcheck");
    let pid = child.id();
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(limit) {
        Ok(out) => out.expect("wait for reelcheck"),
        Err(_) => {
            kill_group(pid);
            panic!("reelcheck still running after {:?}", started.elapsed());
        }
    };
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code().unwrap_or(-1), out.stdout, err)
}

/// `kill -9` of a run and its workers (they are in its process group).
fn kill_group(pid: u32) {
    let _ = Command::new("kill")
        .args(["-9", "--", &format!("-{pid}")])
        .status();
}

fn to_dev_full(args: &[&str]) -> (i32, String) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = command()
        .args(args)
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code().unwrap_or(-1), err)
}

#[test]
fn a_report_that_cannot_be_written_is_an_error_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let good = copy_into(&samples::good(), dir.path(), "good.mp4");
    let short = copy_into(&film("short-3s.mp4", 3), dir.path(), "short.mp4");
    let d = dir.path().to_str().unwrap();
    let good = good.to_str().unwrap();
    let report = dir.path().join("report.json");
    let (code, _, err) = run(&["check", "--no-cache", d, "-o", report.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let report = report.to_str().unwrap();

    // Whatever the verdict (one file fails here), a report that did not reach stdout is exit 3.
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for format in ["text", "json", "jsonl", "csv", "junit", "html"] {
        cases.push(vec!["check", "--no-cache", "--format", format, d]);
    }
    cases.push(vec!["check", "--no-cache", good]);
    cases.push(vec!["probe", good]);
    cases.push(vec!["probe", "--format", "json", good]);
    cases.push(vec!["credits", good]);
    cases.push(vec!["merge", report]);
    cases.push(vec!["merge", "--format", "json", report]);
    cases.push(vec!["rules", "show", "human"]);
    for args in &cases {
        let (code, err) = to_dev_full(args);
        assert_eq!(code, WRITE_FAILED, "{args:?}: {err}");
        assert!(
            err.contains("cannot write the report to stdout") && err.contains("No space left"),
            "{args:?}: {err}"
        );
    }
    // The same runs to a working stdout give their verdicts.
    assert_eq!(run(&["check", "--no-cache", good]).0, 0);
    assert_eq!(run(&["merge", report]).0, 1);
    let _ = short;
}

/// Bytes a terminal obeys: ESC, BEL, CSI (U+009B as UTF-8), RLO (U+202E as UTF-8).
fn obeyed(out: &[u8]) -> Option<usize> {
    let seqs: [&[u8]; 4] = [b"\x1b", b"\x07", b"\xc2\x9b", b"\xe2\x80\xae"];
    out.windows(3)
        .position(|w| seqs.iter().any(|s| w.starts_with(s)))
}

fn assert_escaped(what: &str, out: &[u8]) {
    if let Some(at) = obeyed(out) {
        panic!(
            "{what}: a control sequence reaches the terminal at byte {at}:\n{}",
            String::from_utf8_lossy(out)
        );
    }
    assert!(
        String::from_utf8_lossy(out).contains("\\u{1b}"),
        "{what}: the escape is not shown:\n{}",
        String::from_utf8_lossy(out)
    );
}

#[test]
fn nothing_from_a_film_drives_the_terminal() {
    // A name that clears the screen and prints a fake verdict, with a link and reversed text.
    let spoof = "\x1b[2J\x1b[H\x1b]8;;http://evil.example/\x07PASS\x1b]8;;\x07 \u{9b}32m\u{202e}4pm.\n\n1 file: 1 passed";
    let dir = tempfile::tempdir().unwrap();
    let chapters = dir.path().join("chapters.txt");
    std::fs::write(
        &chapters,
        ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=2000\ntitle=\x1b]0;owned\x07Opening\n",
    )
    .unwrap();
    let tagged = lavfi(
        "hostile-tags.mkv",
        &["testsrc2=size=160x90:rate=5:duration=4"],
        &[
            "-i",
            chapters.to_str().unwrap(),
            "-map",
            "0:v",
            "-map_chapters",
            "1",
            "-metadata",
            "title=\x1b[31mRED\x1b[0m",
            "-metadata",
            "AIGC={\"Label\":\"1\",\"ContentProducer\":\"\x1b]8;;http://evil.example/\x07click\"}",
            "-metadata",
            "comment=\x1b[1A\x1b[2KPASS",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ],
    );
    let film = copy_into(&tagged, dir.path(), &format!("{spoof}.mkv"));
    // A broken subtitle file beside it, whose bad line is quoted back.
    std::fs::write(
        dir.path().join(format!("{spoof}.en.srt")),
        "1\n\x1b[2J\x1b[Hnot a timing\nHello\n",
    )
    .unwrap();
    let f = film.to_str().unwrap();
    let d = dir.path().to_str().unwrap();

    let out = |args: &[&str]| {
        let o = command().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(!err.contains("panicked"), "{err}");
        (o.stdout, o.stderr)
    };
    let (probe, _) = out(&["probe", "--with", "all", f]);
    assert_escaped("probe", &probe);
    let shown = String::from_utf8_lossy(&probe);
    for part in ["RED", "Opening", "not a timing", "click", "\\u{202e}"] {
        assert!(shown.contains(part), "probe leaves out {part}:\n{shown}");
    }
    // JSON keeps the name exact (and valid) for programs.
    let (probe, _) = out(&["probe", "--format", "json", f]);
    let facts = json(&String::from_utf8(probe).unwrap());
    assert_eq!(facts[0]["path"], f);
    let (check, _) = out(&["check", "--no-cache", "--format", "json", f]);
    assert_eq!(
        json(&String::from_utf8(check).unwrap())["files"][0]["path"],
        f
    );
    let (check, _) = out(&["check", "--no-cache", "--with", "all", "-v", d]);
    assert_escaped("check", &check);
    let shown = String::from_utf8_lossy(&check);
    assert!(shown.contains("file.name"), "{shown}");
    // The name stays on its line: no line of the report starts with the fake verdict.
    assert!(
        !shown.lines().any(|l| l.starts_with("1 file: 1 passed")),
        "{shown}"
    );
    let (credits, _) = out(&["credits", f]);
    assert_escaped("credits", &credits);
    // A text report written to a file is read with `cat` too.
    let txt = dir.path().join("report.txt");
    out(&["check", "--no-cache", f, "-o", txt.to_str().unwrap()]);
    assert_escaped("report.txt", &std::fs::read(&txt).unwrap());
    // Messages on stderr name files as well.
    let missing = dir.path().join(format!("{spoof}-missing.mp4"));
    let (_, err) = out(&["credits", missing.to_str().unwrap()]);
    assert_escaped("stderr", &err);
}

/// A JSON report of `dir` (one film of `secs` seconds named `name`) by `check`.
fn report_of(dir: &Path, name: &str, secs: u32) -> (PathBuf, serde_json::Value) {
    copy_into(
        &film(&format!("merge-{secs}s.mp4"), secs),
        &dir.join("films"),
        name,
    );
    let report = dir.join(format!("{name}.json"));
    run(&[
        "check",
        "--no-cache",
        dir.join("films").to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    let value = json(&std::fs::read_to_string(&report).unwrap());
    (report, value)
}

fn write_json(path: &Path, v: &serde_json::Value) -> String {
    std::fs::write(path, serde_json::to_string_pretty(v).unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn merge_works_verdicts_out_again_from_the_rule_results() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut report) = report_of(dir.path(), "short.mp4", 3);
    let file = &mut report["files"][0];
    assert_eq!(file["status"], "fail");
    let failed = file["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "fail" && r["severity"] == "error")
        .expect("a failed error rule")["id"]
        .clone();
    // Forged: "pass", the summary to match, and a message that would clear the screen.
    file["status"] = "pass".into();
    for r in file["results"].as_array_mut().unwrap() {
        r["message"] = "\x1b[2J\x1b[Hall good".into();
    }
    report["summary"] =
        serde_json::json!({"files":1,"passed":1,"failed":0,"errors":0,"warnings":0});
    let forged = write_json(&dir.path().join("forged.json"), &report);

    let o = command().args(["merge", &forged]).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with("Rules:") && text.contains("\nFAIL "),
        "{text}"
    );
    assert!(text.contains(failed.as_str().unwrap()), "{text}");
    assert!(text.contains("1 file: 0 passed, 1 failed"), "{text}");
    assert_eq!(obeyed(&o.stdout), None, "{text}");
    let (code, out, _) = run(&["merge", "--format", "json", &forged]);
    assert_eq!(code, 1);
    let merged = json(&out);
    assert_eq!(merged["files"][0]["status"], "fail");
    assert_eq!(merged["summary"]["passed"], 0);
    assert_eq!(merged["summary"]["failed"], 1);

    // "error" with no reason stays an error, and says so; an error message makes an error.
    let mut no_reason = report.clone();
    no_reason["files"][0]["status"] = "error".into();
    let no_reason = write_json(&dir.path().join("no-reason.json"), &no_reason);
    let (code, out, _) = run(&["merge", "--format", "json", &no_reason]);
    assert_eq!(code, 1);
    let merged = json(&out);
    assert_eq!(merged["files"][0]["status"], "error");
    assert!(merged["files"][0]["error"]
        .as_str()
        .unwrap()
        .contains("without a reason"));
    assert_eq!(merged["summary"]["errors"], 1);
}

/// Whether `merge -o page.html` put a picture in the page.
fn merged_page_has_picture(dir: &Path, report: &str, extra: &[&str]) -> bool {
    let page = dir.join("page.html");
    let _ = std::fs::remove_file(&page);
    let mut cmd = command();
    cmd.args(["merge", report, "-o", page.to_str().unwrap()])
        .args(extra);
    let (code, _, err) = run_within(&mut cmd, Duration::from_secs(120));
    assert!(code == 0 || code == 1, "{err}");
    std::fs::read_to_string(&page)
        .unwrap()
        .contains("data:image/jpeg;base64,")
}

#[test]
fn merge_takes_pictures_only_of_the_files_it_checked_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (shard, report) = report_of(d, "entry.mp4", 61);
    let stamp = report["files"][0]["stamp"].clone();
    assert!(stamp["size"].as_u64().unwrap() > 0, "{report}");
    // The genuine report gets its pictures.
    assert!(merged_page_has_picture(d, shard.to_str().unwrap(), &[]));

    // A path put in by hand: another film of the same size on this machine.
    let private = copy_into(&samples::good(), d, "private/home-video.mp4");
    let mut crafted = report.clone();
    crafted["files"][0]["path"] = private.to_str().unwrap().into();
    let crafted = write_json(&d.join("crafted.json"), &crafted);
    assert!(!merged_page_has_picture(d, &crafted, &[]));

    // A FIFO: no picture, and no hang (the worker would wait for a writer forever).
    let fifo = d.join("entry.fifo.mp4");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut piped = report.clone();
    piped["files"][0]["path"] = fifo.to_str().unwrap().into();
    piped["files"][0]["stamp"] = serde_json::json!({"size": 0, "mtime_ns": 0});
    let piped = write_json(&d.join("fifo.json"), &piped);
    assert!(!merged_page_has_picture(d, &piped, &["--timeout", "5"]));

    // A report from before reports recorded the stamp: no way to tell, so no picture.
    let mut unstamped = report.clone();
    unstamped["files"][0]
        .as_object_mut()
        .unwrap()
        .remove("stamp");
    let unstamped = write_json(&d.join("unstamped.json"), &unstamped);
    assert!(!merged_page_has_picture(d, &unstamped, &[]));

    // The film itself, changed since it was checked.
    let entry = d.join("films/entry.mp4");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&entry)
        .unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    drop(file);
    assert!(!merged_page_has_picture(d, shard.to_str().unwrap(), &[]));
}

#[test]
fn merge_reads_only_regular_files_and_takes_the_limits_of_check() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("shard.json");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut cmd = command();
    cmd.args(["merge", fifo.to_str().unwrap()]);
    let (code, _, err) = run_within(&mut cmd, Duration::from_secs(30));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    let (code, _, err) = run(&["merge", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");

    let (code, _, err) = run(&["merge", "--timeout", "1e20", "x.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--timeout"), "{err}");
    let (code, _, err) = run(&["merge", "--memory-limit", "-1 GB", "x.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--memory-limit"), "{err}");
}

#[test]
fn csv_cells_never_run_as_formulas() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&samples::good(), dir.path(), "films/=1+2.mp4");
    copy_into(&samples::good(), dir.path(), "films/@SUM(A1).mp4");
    std::fs::write(
        dir.path().join("entries.csv"),
        "file,track,id,title\n\
         films/=1+2.mp4,human,-1+1,\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"open\"\")\"\n\
         films/@SUM(A1).mp4,ai,+cmd|'/C calc'!A0,-2+3\n",
    )
    .unwrap();
    let manifest = dir.path().join("entries.csv");
    let (code, out, err) = run(&[
        "check",
        "--no-cache",
        "--with",
        "audio",
        "--format",
        "csv",
        "--manifest",
        manifest.to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{out}");
    for row in &rows {
        for cell in row.iter() {
            let number = cell.parse::<f64>().is_ok_and(f64::is_finite);
            assert!(
                number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?} in {out}"
            );
        }
        // Numbers stay numbers: the loudness of a tone is negative.
        let lufs: f64 = row[col("loudness_lufs")].parse().unwrap();
        assert!(lufs < 0.0, "{out}");
    }
    let title = &rows[0][col("title")];
    assert_eq!(title, "'=HYPERLINK(\"http://evil.example/\",\"open\")");
    assert_eq!(&rows[0][col("id")], "'-1+1");
    assert!(rows[0][col("path")].ends_with("=1+2.mp4"));
    assert_eq!(&rows[1][col("id")], "'+cmd|'/C calc'!A0");
    assert_eq!(&rows[1][col("title")], "'-2+3");
}

#[test]
fn output_takes_only_a_regular_file_or_a_new_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let film = copy_into(&samples::good(), d, "films/good.mp4");
    let f = film.to_str().unwrap();
    std::fs::write(d.join("old.json"), "{}").unwrap();
    std::os::unix::fs::symlink(d.join("old.json"), d.join("link.json")).unwrap();
    assert!(Command::new("mkfifo")
        .arg(d.join("out.fifo"))
        .status()
        .unwrap()
        .success());
    std::fs::create_dir(d.join("folder.json")).unwrap();
    let journal = d.join("journal.jsonl");
    for (target, what) in [
        (d.join("link.json"), "a symbolic link"),
        (d.join("out.fifo"), "a FIFO"),
        (d.join("folder.json"), "a folder"),
        (PathBuf::from("/dev/null"), "a device"),
        (PathBuf::from("/dev/full"), "a device"),
    ] {
        let mut cmd = command();
        cmd.args(["check", "--no-cache", "--format", "json", f, "-o"])
            .arg(&target)
            .args(["--journal", journal.to_str().unwrap()]);
        let (code, _, err) = run_within(&mut cmd, Duration::from_secs(60));
        assert_eq!(code, 2, "{target:?}: {err}");
        assert!(err.contains(what), "{target:?}: {err}");
        // Refused before the run: no file was checked (the journal was never started).
        assert!(!journal.exists(), "{target:?}: {err}");
    }
    // Each is still what it was.
    let kind = |p: &str| std::fs::symlink_metadata(d.join(p)).unwrap().file_type();
    assert!(kind("link.json").is_symlink());
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind("out.fifo")));
    assert!(kind("folder.json").is_dir());
    assert_eq!(std::fs::read_to_string(d.join("old.json")).unwrap(), "{}");
    // A regular file is replaced; a new name is created.
    for name in ["old.json", "new.json"] {
        let (code, _, err) = run(&[
            "check",
            "--no-cache",
            f,
            "-o",
            d.join(name).to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            json(&std::fs::read_to_string(d.join(name)).unwrap())["summary"]["passed"],
            1
        );
    }
}

fn temporaries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with(".reelcheck-") && n.ends_with(".tmp")
        })
        .collect()
}

fn backdate(path: &Path) {
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(600))
        .unwrap();
}

/// Starts a check of `films` that hangs on its one film, writing to `out`; returns once its
/// temporary file is there.
#[cfg(feature = "fault-injection")]
// The caller kills and waits for the run it is handed.
#[allow(clippy::zombie_processes)]
fn hanging_run(films: &Path, out: &Path) -> (std::process::Child, PathBuf) {
    let before = temporaries(out.parent().unwrap());
    let mut child = command()
        .args(["check", "--no-cache", "--timeout", "120"])
        .arg(films)
        .arg("-o")
        .arg(out)
        .env("REELCHECK_FAULT", "hang:hang")
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let now = temporaries(out.parent().unwrap());
        if let Some(new) = now.into_iter().find(|p| !before.contains(p)) {
            return (child, new);
        }
        if started.elapsed() > Duration::from_secs(30) {
            kill_group(child.id());
            let _ = child.wait();
            panic!("no temporary file");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_killed_run_leaves_no_temporary_file_for_long() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_into(&samples::good(), d, "hanging/hang.mp4");
    let good = copy_into(&samples::good(), d, "films/good.mp4");
    std::fs::create_dir(d.join("out")).unwrap();
    let out = d.join("out/report.json");

    // kill -9 in the middle of a run: its temporary file stays behind.
    let (mut killed, left) = hanging_run(&d.join("hanging"), &out);
    kill_group(killed.id());
    killed.wait().unwrap();
    assert!(left.exists());
    // A run that is still going holds its own.
    let (mut live, held) = hanging_run(&d.join("hanging"), &out);
    backdate(&left);
    backdate(&held);
    // And a fresh one may be a run that has just started.
    let fresh = d.join("out/.reelcheck-fresh1.tmp");
    std::fs::write(&fresh, "").unwrap();

    let (code, _, err) = run(&[
        "check",
        "--no-cache",
        good.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.exists());
    assert!(
        !left.exists(),
        "the killed run's temporary file is still there"
    );
    assert!(held.exists(), "a live run's temporary file was removed");
    assert!(fresh.exists(), "a new temporary file was removed");
    kill_group(live.id());
    live.wait().unwrap();
}

#[test]
fn every_number_on_the_command_line_is_checked() {
    let film = samples::good();
    let f = film.to_str().unwrap();
    for (flag, value) in [
        ("--timeout", "1e20"),
        ("--timeout", "0"),
        ("--timeout", "-5"),
        ("--timeout", "NaN"),
        ("--timeout", "inf"),
        ("--memory-limit", "-1 GB"),
        ("--memory-limit", "1 kB"),
        ("--memory-limit", "NaN GB"),
        ("--memory-limit", "1e30 GB"),
        ("--jobs", "0"),
        ("--jobs", "100000"),
        ("--shard", "0/3"),
        ("--silence-threshold", "12"),
        ("--silence-min", "-1"),
    ] {
        let (code, out, err) = run(&["check", "--no-cache", flag, value, f]);
        assert_eq!(code, 2, "{flag} {value}: {out}{err}");
        assert!(err.contains(flag), "{flag} {value}: {err}");
        assert!(!err.contains("panicked"), "{flag} {value}: {err}");
    }
    // Sensible values still work.
    let (code, _, err) = run(&[
        "check",
        "--no-cache",
        "--timeout",
        "30s",
        "--memory-limit",
        "1 GB",
        "--jobs",
        "2",
        f,
    ]);
    assert_eq!(code, 0, "{err}");
}

/// Runs reelcheck with its stdout closed (`>&-`), as a careless script might.
fn with_stdout_closed(args: &[&str]) -> (i32, String) {
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$@\" >&-")
        .arg(bin())
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code().unwrap_or(-1), err)
}

#[test]
fn a_closed_stdout_is_a_report_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let good = copy_into(&samples::good(), dir.path(), "good.mp4");
    let good = good.to_str().unwrap();
    for args in [
        vec!["check", "--no-cache", good],
        vec!["check", "--no-cache", "--format", "json", good],
        vec!["probe", good],
    ] {
        let (code, err) = with_stdout_closed(&args);
        assert_eq!(code, WRITE_FAILED, "{args:?}: {err}");
        assert!(err.contains("stdout") && err.contains("closed"), "{err}");
    }
    // `>/dev/null` is a stdout that works: the verdict stands.
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" check --no-cache \"$1\" >/dev/null")
        .arg(bin())
        .arg(good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // A report written to a file does not need stdout.
    let report = dir.path().join("report.json");
    let (code, err) =
        with_stdout_closed(&["check", "--no-cache", good, "-o", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(report.is_file());
}

#[test]
fn a_csv_entry_is_one_line_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&samples::good(), dir.path(), "films/a\nPASS,b.mp4");
    copy_into(&samples::good(), dir.path(), "films/c\r.mp4");
    let films = dir.path().join("films");
    let (code, out, err) = run(&[
        "check",
        "--no-cache",
        "--format",
        "csv",
        films.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // One header line and one line per entry, and no line starts with a verdict.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines
        .iter()
        .skip(1)
        .all(|l| l.starts_with('"') || l.contains("films/")));
    assert!(!out.lines().any(|l| l.starts_with("PASS")), "{out}");
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let paths: Vec<String> = rows.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert!(
        paths.iter().any(|p| p.ends_with("a\\nPASS,b.mp4")),
        "{paths:?}"
    );
    assert!(paths.iter().any(|p| p.ends_with("c\\r.mp4")), "{paths:?}");
}

#[test]
fn two_names_that_print_alike_stay_two_entries() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films");
    std::fs::create_dir(&films).unwrap();
    // The byte 0xFE, and the four characters that spell its escape.
    let byte = films.join(std::ffi::OsStr::from_bytes(b"\xfe.mp4"));
    std::fs::copy(samples::good(), &byte).unwrap();
    copy_into(&samples::good(), &films, "\\xfe.mp4");
    let report = dir.path().join("report.json");
    let (code, _, err) = run(&[
        "check",
        "--no-cache",
        films.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&std::fs::read_to_string(&report).unwrap());
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2);
    assert_ne!(paths[0], paths[1], "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with("/\\xfe.mp4")), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("/\\\\xfe.mp4")),
        "{paths:?}"
    );
    // `merge` takes the report as it is: two entries, not one refused as a duplicate.
    let (code, out, err) = run(&["merge", "--format", "json", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["files"].as_array().unwrap().len(), 2, "{out}");
}
