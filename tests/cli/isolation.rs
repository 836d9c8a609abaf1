//! Per-file isolation and time limits, the journal and --resume, the facts cache. Worker faults
//! are injected with the test-only `fault-injection` feature (REELCHECK_FAULT); without it
//! (a plain `cargo test`) only the tests that need no fault run.
#![cfg_attr(not(feature = "fault-injection"), allow(dead_code, unused_imports))]

use crate::samples;
use crate::support::*;
use std::path::Path;
use std::process::Stdio;

fn three_films(dir: &Path, middle: &str) {
    copy_into(&samples::good(), dir, "a-film.mp4");
    copy_into(&samples::good(), dir, middle);
    copy_into(&samples::good(), dir, "c-film.mp4");
}

fn check(
    dir: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (i32, Vec<(String, String, String)>, String) {
    let mut args = vec!["check", "--format", "json", "--no-cache"];
    args.extend_from_slice(extra);
    args.push(dir.to_str().unwrap());
    let (code, out, err) = run_env(&args, env);
    assert!(!err.contains("panicked"), "{err}");
    (code, statuses(&json(&out)), err)
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_crashing_worker_costs_one_file() {
    let dir = tempfile::tempdir().unwrap();
    three_films(dir.path(), "b-crash.mp4");
    let (code, files, _) = check(
        dir.path(),
        &["--jobs", "1"],
        &[("REELCHECK_FAULT", "crash:b-crash")],
    );
    assert_eq!(code, 4);
    assert_eq!(files[0], ("a-film.mp4".into(), "pass".into(), "".into()));
    assert_eq!(
        files[1],
        (
            "b-crash.mp4".into(),
            "error".into(),
            "decoder crashed (SIGSEGV)".into()
        )
    );
    assert_eq!(files[2], ("c-film.mp4".into(), "pass".into(), "".into()));
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_disk_that_fails_a_read_is_not_the_files_fault_and_never_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    three_films(dir.path(), "b-eio.mp4");
    let env = [("REELCHECK_FAULT", "eio:b-eio")];
    for quick in [&[][..], &["--rules", "screening"][..]] {
        let (code, files, _) = check(dir.path(), quick, &env);
        // Could not be checked, for a reason not the file's: 4, not a rejection.
        assert_eq!(code, 4, "{files:?}");
        assert_eq!(files[1].1, "error");
        assert!(
            files[1].2.starts_with(
                "the file could not be read from its disk or share (Input/output error"
            ),
            "{files:?}"
        );
        assert_eq!(files[0].1, "pass");
        assert_eq!(files[2].1, "pass");
    }
    let mut args = vec!["check", "--format", "json", "--no-cache"];
    let d = dir.path().join("b-eio.mp4");
    args.push(d.to_str().unwrap());
    let (_, out, _) = run_env(&args, &env);
    let report = json(&out);
    assert_eq!(report["files"][0]["error_code"], "read_error");
    assert_eq!(report["summary"]["not_checked"], 1);
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_hanging_worker_times_out() {
    let dir = tempfile::tempdir().unwrap();
    three_films(dir.path(), "b-hang.mp4");
    let started = std::time::Instant::now();
    // 10 s is far more than a healthy 2-s film needs even on a loaded 2-core machine, and far
    // less than the 90 s bound below, which a run waiting for the hung worker would exceed.
    let (code, files, _) = check(
        dir.path(),
        &["--timeout", "10"],
        &[("REELCHECK_FAULT", "hang:b-hang")],
    );
    assert!(
        started.elapsed().as_secs() < 90,
        "the run waited for the hung worker"
    );
    assert_eq!(code, 4);
    assert_eq!(
        files[1],
        (
            "b-hang.mp4".into(),
            "error".into(),
            "timed out after 10 s".into()
        )
    );
    assert_eq!(files[0].1, "pass");
    assert_eq!(files[2].1, "pass");
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_worker_out_of_memory_is_stopped_by_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    three_films(dir.path(), "b-oom.mp4");
    let (code, files, _) = check(
        dir.path(),
        &["--memory-limit", "512 MB"],
        &[("REELCHECK_FAULT", "oom:b-oom")],
    );
    assert_eq!(code, 4);
    assert_eq!(files[1].1, "error");
    assert!(
        files[1].2.contains("out of memory (limit 512 MB)"),
        "{files:?}"
    );
    assert_eq!(files[0].1, "pass");
    assert_eq!(files[2].1, "pass");
}

#[cfg(feature = "fault-injection")]
#[test]
fn journal_and_resume_skip_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films");
    three_films(&films, "b-film.mp4");
    let journal = dir.path().join("run.jsonl");
    let j = journal.to_str().unwrap();
    let (code, files, _) = check(&films, &["--journal", j], &[]);
    assert_eq!(code, 0, "{files:?}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(json)
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines
        .iter()
        .all(|l| l["status"] == "pass" && l["facts"]["video"][0]["codec"] == "h264"));

    // Resumed, nothing is probed again: a worker would crash on every file.
    let crash_all = [("REELCHECK_FAULT", "crash:film")];
    let (code, files, _) = check(&films, &["--journal", j, "--resume"], &crash_all);
    assert_eq!(code, 0, "{files:?}");
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap().lines().count(),
        3,
        "resumed files are not journaled twice"
    );

    // A file that changed since is checked again.
    let b = films.join("b-film.mp4");
    let f = std::fs::OpenOptions::new().append(true).open(&b).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    let (code, files, _) = check(&films, &["--journal", j, "--resume"], &crash_all);
    assert_eq!(code, 4);
    assert_eq!(files[0].1, "pass");
    assert_eq!(files[1].2, "decoder crashed (SIGSEGV)");
    assert_eq!(files[2].1, "pass");

    // A torn last line (a kill mid-write) is ignored with a warning.
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str("{\"path\": \"half");
    std::fs::write(&journal, text).unwrap();
    let (_, _, err) = check(&films, &["--journal", j, "--resume"], &[]);
    assert!(
        err.contains("ignored 1 unreadable line(s) in the journal"),
        "{err}"
    );
}

#[cfg(feature = "fault-injection")]
#[test]
fn sigterm_stops_cleanly_and_resume_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films");
    three_films(&films, "b-hang.mp4");
    let journal = dir.path().join("run.jsonl");
    let out = stopped_while_hanging(&films, &journal, "json");
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("interrupted: 2 file(s) not checked; run again with --resume"),
        "{err}"
    );
    let files = statuses(&json(&String::from_utf8_lossy(&out.stdout)));
    assert_eq!(files[0].1, "pass");
    assert_eq!(files[1].2, "not checked: the run was interrupted");
    assert_eq!(files[2].2, "not checked: the run was interrupted");

    let (code, files, _) = check(
        &films,
        &["--journal", journal.to_str().unwrap(), "--resume"],
        &[],
    );
    assert_eq!(code, 0, "{files:?}");
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap().lines().count(),
        3
    );
}

/// Checks `films` (whose `b-hang.mp4` hangs its worker) in `format`, journaled in `journal`,
/// and sends SIGTERM once the first film is journaled, so the run is inside the hanging one.
#[cfg(feature = "fault-injection")]
fn stopped_while_hanging(films: &Path, journal: &Path, format: &str) -> std::process::Output {
    let child = command()
        .args([
            "check",
            "--format",
            format,
            "--no-cache",
            "--jobs",
            "1",
            "--journal",
        ])
        .arg(journal)
        .arg(films)
        .env("REELCHECK_FAULT", "hang:b-hang")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::read_to_string(journal).map_or(0, |t| t.lines().count()) < 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the first file never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    terminate(child.id());
    child.wait_with_output().unwrap()
}

fn terminate(pid: u32) {
    // SAFETY: sends SIGTERM to the child this test started.
    let rc = unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0);
}

#[cfg(feature = "fault-injection")]
#[test]
fn the_cache_serves_a_second_run_without_probing() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films");
    three_films(&films, "b-film.mp4");
    let cache = dir.path().join("cache");
    let c = cache.to_str().unwrap();
    let f = films.to_str().unwrap();
    let (code, out, _) = run(&["check", "--format", "json", "--cache-dir", c, f]);
    assert_eq!(code, 0);
    let first = json(&out);

    // New rules, same files: evaluated from the cache (probing would crash).
    let rules = dir.path().join("strict.toml");
    std::fs::write(
        &rules,
        "extends = \"human\"\n[[override]]\nid = \"video.resolution\"\nseverity = \"error\"\n",
    )
    .unwrap();
    let crash_all = [("REELCHECK_FAULT", "crash:film")];
    let (code, out, err) = run_env(
        &[
            "check",
            "--format",
            "json",
            "--cache-dir",
            c,
            "--rules",
            rules.to_str().unwrap(),
            f,
        ],
        &crash_all,
    );
    assert_eq!(code, 1, "{err}");
    let second = json(&out);
    assert!(
        statuses(&second).iter().all(|s| s.1 == "fail"),
        "the new rule fails every file: {second}"
    );
    assert_eq!(first["files"][0]["facts"], second["files"][0]["facts"]);

    // A corrupt entry is ignored with a warning, and the file is probed again.
    for entry in std::fs::read_dir(cache.join("facts-v2")).unwrap() {
        std::fs::write(entry.unwrap().path(), b"{ not json").unwrap();
    }
    let (code, out, err) = run(&["check", "--format", "json", "--cache-dir", c, f]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ignoring a corrupt cache entry"), "{err}");
    assert_eq!(json(&out)["files"][0]["facts"], first["files"][0]["facts"]);
    // ... and rewritten whole.
    let (_, _, err) = run_env(
        &["check", "--format", "json", "--cache-dir", c, f],
        &crash_all,
    );
    assert!(!err.contains("corrupt"), "{err}");
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_file_that_disappears_during_the_run() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&samples::good(), dir.path(), "a-slow.mp4");
    let gone = copy_into(&samples::good(), dir.path(), "b-gone.mp4");
    let d = dir.path().to_path_buf();
    let child = command()
        .args(["check", "--format", "json", "--no-cache", "--jobs", "1"])
        .arg(&d)
        .env("REELCHECK_FAULT", "slow:a-slow")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    std::fs::remove_file(&gone).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let files = statuses(&json(&String::from_utf8_lossy(&out.stdout)));
    assert_eq!(files[0].1, "pass");
    assert_eq!(
        files[1],
        ("b-gone.mp4".into(), "error".into(), "no such file".into())
    );
}

#[test]
fn resume_needs_a_journal() {
    let (code, _, err) = run(&["check", "--resume", samples::good().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--journal"), "{err}");
}

#[cfg(feature = "fault-injection")]
#[test]
fn json_lines_arrive_as_files_finish() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    copy_into(&samples::good(), dir.path(), "a-film.mp4");
    copy_into(&samples::good(), dir.path(), "b-slow.mp4");
    let mut child = command()
        .args([
            "check",
            "--format",
            "jsonl",
            "--no-cache",
            "--quick",
            "--jobs",
            "1",
        ])
        .arg(dir.path())
        .env("REELCHECK_FAULT", "slow:b-slow")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = json(&lines.next().unwrap().unwrap());
    // The second file takes two seconds more: the first line came before it was done.
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run had already ended"
    );
    assert!(
        first["path"].as_str().unwrap().ends_with("a-film.mp4"),
        "{first}"
    );
    let second = json(&lines.next().unwrap().unwrap());
    assert!(
        second["path"].as_str().unwrap().ends_with("b-slow.mp4"),
        "{second}"
    );
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_decoder_crash_while_grabbing_pictures_costs_only_those_pictures() {
    let dir = tempfile::tempdir().unwrap();
    three_films(dir.path(), "b-pictures.mp4");
    let (code, html, err) = run_env(
        &[
            "check",
            "--format",
            "html",
            "--no-cache",
            "--jobs",
            "1",
            dir.path().to_str().unwrap(),
        ],
        &[("REELCHECK_FAULT", "picture-crash:b-pictures")],
    );
    assert_eq!(code, 0, "{err}");
    // One <article> per entry, in order; every entry is there, with its verdict.
    let articles: Vec<&str> = html.split("<article ").skip(1).collect();
    assert_eq!(articles.len(), 3, "{html}");
    for a in &articles {
        assert!(a.contains("data-status=\"pass\""), "{a}");
    }
    let posters = |a: &str| a.matches("alt=\"Poster frame at").count();
    assert_eq!(posters(articles[0]), 1);
    assert_eq!(posters(articles[1]), 0, "the crashed grab shows no picture");
    assert_eq!(posters(articles[2]), 1);
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_second_html_report_takes_its_pictures_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films");
    std::fs::create_dir(&films).unwrap();
    three_films(&films, "b-cached.mp4");
    let cache = dir.path().join("cache");
    let html = |cache_flag: &[&str]| {
        let mut args = vec!["check", "--format", "html", "--jobs", "1"];
        args.extend_from_slice(cache_flag);
        args.push(films.to_str().unwrap());
        // A decoder that would crash on b-cached.mp4's pictures, were they grabbed again.
        let (code, out, err) = run_env(&args, &[("REELCHECK_FAULT", "picture-crash:b-cached")]);
        assert_eq!(code, 0, "{err}");
        out.split("<article ")
            .skip(1)
            .map(|a| a.matches("alt=\"Poster frame at").count())
            .collect::<Vec<_>>()
    };
    let cache_dir = ["--cache-dir", cache.to_str().unwrap()];
    // First report: the crash costs b its pictures, and nothing of b's is remembered.
    assert_eq!(html(&cache_dir), vec![1, 0, 1]);
    // Grab b's pictures once without the fault, into the same cache.
    let mut args = vec!["check", "--format", "html", "--jobs", "1"];
    args.extend_from_slice(&cache_dir);
    args.push(films.to_str().unwrap());
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches("alt=\"Poster frame at").count(), 3);
    // Now every picture comes from the cache: the faulty grab never runs.
    assert_eq!(html(&cache_dir), vec![1, 1, 1]);
    // Without the cache the grab runs, and the fault shows.
    assert_eq!(html(&["--no-cache"]), vec![1, 0, 1]);
}

#[cfg(feature = "fault-injection")]
#[test]
fn probe_survives_a_crashing_worker_with_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    three_films(dir.path(), "b-crash.mp4");
    let file = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let (a, b, c) = (file("a-film.mp4"), file("b-crash.mp4"), file("c-film.mp4"));
    let fault = [("REELCHECK_FAULT", "crash:b-crash")];
    let (code, out, err) = run_env(&["probe", "--format", "json", &a, &b, &c], &fault);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(code, 4, "{err}");
    let facts = json(&out);
    assert_eq!(facts[1]["error"], "decoder crashed (SIGSEGV)", "{out}");
    for i in [0, 2] {
        assert!(facts[i]["error"].is_null(), "{out}");
        assert!(facts[i]["container"]["duration_s"].as_f64().unwrap() > 0.0);
    }
    // The text report names the file and the reason on one line.
    let (code, out, _) = run_env(&["probe", &a, &b, &c], &fault);
    assert_eq!(code, 4);
    let line: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("decoder crashed"))
        .collect();
    assert_eq!(line.len(), 1, "{out}");
}

#[cfg(feature = "fault-injection")]
#[test]
fn credits_survives_a_crashing_worker_with_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let film = copy_into(&samples::good(), dir.path(), "b-crash.mp4");
    let (code, out, err) = run_env(
        &["credits", film.to_str().unwrap()],
        &[("REELCHECK_FAULT", "crash:b-crash")],
    );
    assert_eq!(code, 4, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(
        err.trim_end(),
        format!(
            "reelcheck: {}: decoder crashed (SIGSEGV)",
            film.to_str().unwrap()
        )
    );
}

#[test]
fn probe_gives_the_same_facts_in_workers_and_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let film = copy_into(&samples::good(), dir.path(), "film.mp4");
    let probe = |extra: &[&str]| {
        let mut args = vec!["probe", "--format", "json", "--with", "all"];
        args.extend_from_slice(extra);
        args.push(film.to_str().unwrap());
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        json(&out)
    };
    let isolated = probe(&[]);
    assert!(
        isolated[0]["audio"][0]["loudness"].is_object(),
        "{isolated}"
    );
    assert_eq!(isolated, probe(&["--in-process"]));
}

#[cfg(feature = "fault-injection")]
#[test]
fn facts_cached_by_another_build_are_measured_again() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films");
    copy_into(&samples::good(), &films, "film.mp4");
    let cache = dir.path().join("cache");
    let args = [
        "check",
        "--format",
        "json",
        "--cache-dir",
        cache.to_str().unwrap(),
        films.to_str().unwrap(),
    ];
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        json(&out)["files"][0]["facts"]["error"],
        serde_json::Value::Null
    );
    let entries: Vec<_> = std::fs::read_dir(cache.join("facts-v2"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1);
    let mut entry = json(&std::fs::read_to_string(&entries[0]).unwrap());
    assert!(
        !entry["key"]["build"].as_str().unwrap().is_empty(),
        "{entry}"
    );
    // The same build reuses its facts: probing would crash.
    let crash = [("REELCHECK_FAULT", "crash:film")];
    let (code, _, err) = run_env(&args, &crash);
    assert_eq!(code, 0, "{err}");
    // Facts from another build of the same version are not trusted: the file is probed again
    // (and crashes, which shows it was).
    entry["key"]["build"] = "another-build".into();
    std::fs::write(&entries[0], entry.to_string()).unwrap();
    let (code, out, err) = run_env(&args, &crash);
    assert_eq!(code, 4, "{err}");
    assert_eq!(
        json(&out)["files"][0]["facts"]["error"],
        "decoder crashed (SIGSEGV)"
    );
}

/// A run killed outright (SIGKILL, as an OOM killer or a CI timeout does) takes its workers
/// with it: one stuck on a hostile file must not run on forever.
#[cfg(all(feature = "fault-injection", target_os = "linux"))]
#[test]
fn workers_end_with_a_run_killed_outright() {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&samples::good(), dir.path(), "hang.mp4");
    let mut child = command()
        .args(["check", "--no-cache", "--timeout", "600"])
        .arg(dir.path())
        .env("REELCHECK_FAULT", "hang:hang")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let workers = loop {
        let found = children_of(child.id());
        if !found.is_empty() {
            break found;
        }
        assert!(std::time::Instant::now() < deadline, "no worker started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while workers.iter().any(|&pid| alive(pid)) {
        assert!(
            std::time::Instant::now() < deadline,
            "worker(s) {workers:?} still running after their run was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The processes whose parent is `pid`, from /proc.
#[cfg(target_os = "linux")]
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&p| stat_field(p, 1).as_deref() == Some(&pid.to_string()))
        .collect()
}

/// Whether `pid` runs (a zombie waiting to be reaped has ended).
#[cfg(target_os = "linux")]
fn alive(pid: u32) -> bool {
    stat_field(pid, 0).is_some_and(|state| state != "Z")
}

/// A field of /proc/PID/stat after the command name: 0 is the state, 1 the parent's pid.
#[cfg(target_os = "linux")]
fn stat_field(pid: u32, n: usize) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces; the fields follow the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(n).map(str::to_string)
}

#[cfg(feature = "fault-injection")]
#[test]
fn sigterm_during_json_lines_still_lists_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films");
    three_films(&films, "b-hang.mp4");
    let journal = dir.path().join("run.jsonl");
    let out = stopped_while_hanging(&films, &journal, "jsonl");
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(json)
        .filter(|v| v.get("path").is_some())
        .collect();
    assert_eq!(lines.len(), 3, "every entry, checked or not: {stdout}");
    let interrupted = lines
        .iter()
        .filter(|v| v["error"] == "not checked: the run was interrupted")
        .count();
    assert_eq!(interrupted, 2, "{stdout}");
}

#[cfg(feature = "fault-injection")]
#[test]
fn credits_explain_parses_the_film_in_a_worker() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films");
    three_films(&films, "b-explain.mp4");
    let film = films.join("b-explain.mp4");
    // A decoder that crashes while the detector's evidence is gathered costs that answer, not
    // reelcheck: the crash happens in a worker, which says so.
    let (code, out, err) = run_env(
        &["credits", "--explain", film.to_str().unwrap()],
        &[("REELCHECK_FAULT", "picture-crash:b-explain")],
    );
    assert_ne!(code, 0, "{out}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("b-explain.mp4"), "{err}");
    assert!(err.contains("worker") || err.contains("crash"), "{err}");
    // Without the fault the evidence comes back from the worker.
    let out = credits_explain(&film);
    assert!(out.contains("evidence"), "{out}");
}
