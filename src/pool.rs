//! The parent side of process isolation: a few long-lived worker processes (reelcheck running
//! itself), each fed one file at a time. A worker that crashes, hangs past the time limit or
//! runs out of memory is replaced, and only its current file is reported as an error. What
//! each request asks (probe a file, grab its pictures) is the worker's business.

use crate::worker::Request;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Files one worker process probes before it is replaced.
const WORKER_FILES: usize = 100;

pub struct PoolOptions {
    pub jobs: usize,
    pub timeout: Duration,
    /// Address-space limit of each worker, in bytes.
    pub memory_limit: Option<u64>,
}

/// Sends each request to a worker; calls `done(index, answer)` with the worker's answer line,
/// or with the reason it gave none (it crashed, timed out or could not start).
pub fn run_all(
    requests: &[Request],
    opts: &PoolOptions,
    stop: &AtomicBool,
    done: &(dyn Fn(usize, Result<String, String>) + Sync),
) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..opts.jobs.max(1).min(requests.len().max(1)) {
            scope.spawn(|| {
                let mut worker: Option<Worker> = None;
                let mut served = 0;
                loop {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(request) = requests.get(i) else {
                        break;
                    };
                    // FFmpeg leaks a little on some malformed files (found by fuzzing, inside
                    // avformat_find_stream_info); a fresh worker now and then bounds it.
                    served += 1;
                    if served % WORKER_FILES == 0 {
                        if let Some(mut w) = worker.take() {
                            w.kill();
                        }
                    }
                    match ask(&exe, &mut worker, request, opts, stop) {
                        Some(answer) => done(i, answer),
                        None => break, // interrupted
                    }
                }
                if let Some(mut w) = worker {
                    w.kill();
                }
            });
        }
    });
    Ok(())
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Worker {
    fn spawn(exe: &Path, opts: &PoolOptions) -> std::io::Result<Worker> {
        let mut cmd = Command::new(exe);
        // Everything a worker needs to know comes with each request.
        cmd.arg("worker");
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // Its own process group: Ctrl-C in the terminal reaches the parent only, which then
        // decides what to stop.
        cmd.process_group(0);
        if let Some(limit) = opts.memory_limit {
            // SAFETY: the closure only calls setrlimit, which is async-signal-safe and touches
            // no memory of the parent, as pre_exec requires between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    let lim = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: limit as libc::rlim_t,
                    };
                    if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no worker stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no worker stdout"))?;
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            lines,
        })
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Why the worker died, in words.
    fn death(&mut self, limit: Option<u64>) -> String {
        let status = match self.child.wait() {
            Ok(s) => s,
            Err(e) => return format!("worker lost: {e}"),
        };
        if let Some(sig) = status.signal() {
            let name = signal_name(sig);
            return match sig {
                libc::SIGABRT | libc::SIGKILL if limit.is_some() => format!(
                    "worker killed ({name}): out of memory (limit {}) or an internal error",
                    crate::rules::units::Kind::Bytes.show(limit.unwrap_or(0) as f64)
                ),
                libc::SIGSEGV | libc::SIGBUS | libc::SIGILL | libc::SIGFPE => {
                    format!("decoder crashed ({name})")
                }
                _ => format!("worker killed ({name})"),
            };
        }
        match status.code() {
            Some(101) => "internal error in the worker (panic)".to_string(),
            Some(c) => format!("worker exited with code {c}"),
            None => "worker ended unexpectedly".to_string(),
        }
    }
}

/// The worker's answer line, or why there is none; `None` when interrupted.
fn ask(
    exe: &Path,
    slot: &mut Option<Worker>,
    request: &Request,
    opts: &PoolOptions,
    stop: &AtomicBool,
) -> Option<Result<String, String>> {
    if slot.is_none() {
        match Worker::spawn(exe, opts) {
            Ok(w) => *slot = Some(w),
            Err(e) => return Some(Err(format!("could not start a worker process: {e}"))),
        }
    }
    let worker = slot.as_mut()?;
    let request = serde_json::to_string(request).unwrap_or_default();
    if writeln!(worker.stdin, "{request}")
        .and_then(|_| worker.stdin.flush())
        .is_err()
    {
        let why = worker.death(opts.memory_limit);
        *slot = None;
        return Some(Err(why));
    }
    let started = Instant::now();
    loop {
        if stop.load(Ordering::SeqCst) {
            worker.kill();
            *slot = None;
            return None;
        }
        let left = opts.timeout.saturating_sub(started.elapsed());
        match worker
            .lines
            .recv_timeout(left.min(Duration::from_millis(200)))
        {
            Ok(line) => return Some(Ok(line)),
            Err(RecvTimeoutError::Timeout) if started.elapsed() >= opts.timeout => {
                worker.kill();
                *slot = None;
                return Some(Err(format!(
                    "timed out after {} s",
                    opts.timeout.as_secs_f64()
                )));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                let why = worker.death(opts.memory_limit);
                *slot = None;
                return Some(Err(why));
            }
        }
    }
}

fn signal_name(sig: i32) -> String {
    let name = match sig {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGABRT => "SIGABRT",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGXCPU => "SIGXCPU",
        _ => return format!("signal {sig}"),
    };
    name.to_string()
}
