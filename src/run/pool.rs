//! The parent side of process isolation: a few long-lived worker processes (reelcheck running
//! itself), each fed one file at a time. A worker that crashes, hangs past the time limit or
//! runs out of memory is replaced, and only its current file is reported as an error. What
//! each request asks (probe a file, grab its pictures) is the worker's business.

use super::prober::{self, Carrier, Watcher, DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT};
use reelcheck_facts::failure::{Failed, Failure};
use reelcheck_facts::progress::{self, Progress};
use reelcheck_facts::protocol::{parse_answer, Answer, Request};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Files one worker process probes before it is replaced. Starting a worker costs about as
/// much as probing ten short films' headers (the dynamic loader binds FFmpeg's libraries and
/// the codecs they pull in), so replacement is rare.
const WORKER_FILES: usize = 500;

/// Reads files in worker processes: the default prober.
#[derive(Debug, Clone)]
pub struct WorkerPool {
    /// Workers at once.
    pub jobs: usize,
    /// The time limit of one file.
    pub timeout: Duration,
    /// Address-space limit of each worker, in bytes.
    pub memory_limit: Option<u64>,
}

impl WorkerPool {
    /// `jobs: None` runs one worker per core.
    pub fn new(jobs: Option<usize>, timeout: Duration, memory_limit: Option<u64>) -> WorkerPool {
        WorkerPool {
            jobs: prober::jobs_or_cores(jobs),
            timeout,
            memory_limit,
        }
    }
}

impl Default for WorkerPool {
    fn default() -> Self {
        WorkerPool::new(None, DEFAULT_TIMEOUT, DEFAULT_MEMORY_LIMIT)
    }
}

impl Carrier for WorkerPool {
    fn jobs(&self) -> usize {
        self.jobs
    }

    fn time_limit(&self) -> Option<Duration> {
        Some(self.timeout)
    }

    fn carry(
        &self,
        requests: &[Request],
        stop: &AtomicBool,
        done: &(dyn Fn(usize, Result<Answer, Failed>) + Sync),
        watch: Watcher,
    ) -> anyhow::Result<()> {
        let watch = watch.unwrap_or(&|_, _| {});
        run_all(
            requests,
            self,
            stop,
            &|i, line| {
                done(
                    i,
                    line.and_then(|line| {
                        parse_answer(&line).map_err(|why| Failed::new(Failure::Internal, why))
                    }),
                )
            },
            watch,
        )
    }
}

/// Sends each request to a worker; calls `done(index, answer)` with the worker's answer line,
/// or with the reason it gave none (it crashed, timed out or could not start), and `watch`
/// with each progress line before it.
fn run_all(
    requests: &[Request],
    pool: &WorkerPool,
    stop: &AtomicBool,
    done: &(dyn Fn(usize, Result<String, Failed>) + Sync),
    watch: &(dyn Fn(usize, Progress) + Sync),
) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..pool.jobs.max(1).min(requests.len().max(1)) {
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
                    match ask(&exe, &mut worker, request, pool, stop, &|p| watch(i, p)) {
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
    /// Held for as long as the worker runs (Windows: its job object).
    _confinement: crate::platform::Confinement,
}

impl Worker {
    fn spawn(exe: &Path, pool: &WorkerPool) -> std::io::Result<Worker> {
        let mut cmd = Command::new(exe);
        // Everything a worker needs to know comes with each request.
        cmd.arg("worker");
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        crate::platform::isolate(&mut cmd, pool.memory_limit);
        let mut child = cmd.spawn()?;
        // Before the first request: until it has one, the worker only waits on stdin.
        let confinement = match crate::platform::confine(&child, pool.memory_limit) {
            Ok(c) => c,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
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
            // Lines are read as bytes: an answer that is not UTF-8 must reach the parent as an
            // unreadable answer (that file's error), never end the reading while the worker
            // lives on, which would leave the parent waiting for it.
            let mut reader = BufReader::new(stdout);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if buf.last() == Some(&b'\n') {
                            buf.pop();
                        }
                        let line = String::from_utf8_lossy(&buf).into_owned();
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            lines,
            _confinement: confinement,
        })
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Why the worker died, in words. A worker that closed its output but lives on is given a
    /// moment to end and then killed: nothing a worker does may hold up the run.
    fn death(&mut self, limit: Option<u64>) -> Failed {
        let deadline = Instant::now() + Duration::from_secs(2);
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(s)) => break s,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Ok(None) => {
                    self.kill();
                    return Failed::new(
                        Failure::Crashed,
                        "worker stopped answering and was stopped",
                    );
                }
                Err(e) => return Failed::new(Failure::Crashed, format!("worker lost: {e}")),
            }
        };
        use crate::platform::Ending;
        let crashed = |why: String| Failed::new(Failure::Crashed, why);
        match crate::platform::ending(status) {
            Ending::Aborted(how) if limit.is_some() => Failed::new(
                Failure::OutOfMemory,
                format!(
                    "worker killed ({how}): out of memory (limit {}) or an internal error",
                    reelcheck_facts::units::Kind::Bytes.show(limit.unwrap_or(0) as f64)
                ),
            ),
            Ending::Crashed(how) => crashed(format!("decoder crashed ({how})")),
            Ending::Aborted(how) | Ending::Killed(how) => crashed(format!("worker killed ({how})")),
            Ending::Code(101) => crashed("internal error in the worker (panic)".to_string()),
            Ending::Code(c) => crashed(format!("worker exited with code {c}")),
            Ending::Unknown => crashed("worker ended unexpectedly".to_string()),
        }
    }
}

/// The worker's answer line, or why there is none; `None` when interrupted. The progress
/// lines before it go to `watch`.
fn ask(
    exe: &Path,
    slot: &mut Option<Worker>,
    request: &Request,
    pool: &WorkerPool,
    stop: &AtomicBool,
    watch: &dyn Fn(Progress),
) -> Option<Result<String, Failed>> {
    if slot.is_none() {
        match Worker::spawn(exe, pool) {
            Ok(w) => *slot = Some(w),
            Err(e) => {
                return Some(Err(Failed::new(
                    Failure::WorkerUnavailable,
                    format!("could not start a worker process: {e}"),
                )))
            }
        }
    }
    let worker = slot.as_mut()?;
    let request = serde_json::to_string(request).unwrap_or_default();
    if writeln!(worker.stdin, "{request}")
        .and_then(|_| worker.stdin.flush())
        .is_err()
    {
        let why = worker.death(pool.memory_limit);
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
        let left = pool.timeout.saturating_sub(started.elapsed());
        match worker
            .lines
            .recv_timeout(left.min(Duration::from_millis(200)))
        {
            Ok(line) => match progress::parse(&line) {
                Some(p) => watch(p),
                None => return Some(Ok(line)),
            },
            Err(RecvTimeoutError::Timeout) if started.elapsed() >= pool.timeout => {
                worker.kill();
                *slot = None;
                return Some(Err(Failed::new(
                    Failure::Timeout,
                    format!("timed out after {} s", pool.timeout.as_secs_f64()),
                )));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                let why = worker.death(pool.memory_limit);
                *slot = None;
                return Some(Err(why));
            }
        }
    }
}
