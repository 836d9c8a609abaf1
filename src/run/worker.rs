//! The worker side of process isolation: `reelcheck worker` reads one request per line on
//! stdin (the file, and the probe settings or the pictures to grab), does it, and answers with
//! one JSON line on stdout. FFmpeg parses hostile input here, so a crash or a hang costs one file, never the
//! batch.

use reelcheck_facts::progress;
use reelcheck_facts::protocol::{Answer, Job, Request};
use reelcheck_facts::Facts;
use reelcheck_probe::watch::Watch;
use reelcheck_probe::{self as probe, frames};
use std::io::{BufRead, Write};
use std::path::Path;

/// Does the job of `request`, in this process; `listings` are the folder listings of the run so far.
pub fn answer(request: &Request, path: &Path, listings: &probe::Listings, watch: &Watch) -> Answer {
    match &request.job {
        Job::Probe {
            settings, limits, ..
        } => Answer::Facts(Box::new(probe::probe_with(
            path, settings, limits, listings, watch,
        ))),
        Job::Grab(grab) => {
            Answer::Stills(frames::grab(path, grab).map_err(|e| probe::one_line(&e)))
        }
        Job::Explain(ask) => Answer::Trace(
            probe::credits::explain(
                path,
                ask.duration_s.unwrap_or(f64::NAN),
                &ask.chapters,
                &ask.tuning,
            )
            .map_err(|e| probe::one_line(&e)),
        ),
    }
}

/// Serves requests until stdin closes.
pub fn serve() -> anyhow::Result<()> {
    // The parent handles Ctrl-C for the whole run; a worker just finishes or is killed.
    let stdin = std::io::stdin().lock();
    let listings = probe::Listings::default();
    for line in stdin.lines() {
        let line = line?;
        let request = serde_json::from_str::<Request>(&line).ok();
        let answer = match request.as_ref().and_then(|r| Some((r, r.path()?))) {
            Some((request, path)) => {
                let stage = match request.job {
                    Job::Probe { .. } => fault::Stage::Probe,
                    Job::Grab(_) | Job::Explain(_) => fault::Stage::Pictures,
                };
                fault::inject(&path, stage);
                let watch = match request.job {
                    // Progress lines go out before the answer, on the same pipe, each whole
                    // under stdout's lock.
                    Job::Probe { progress: true, .. } => {
                        let pace = fault::pace(&path);
                        Watch::new(move |p| {
                            let mut out = std::io::stdout().lock();
                            let _ =
                                writeln!(out, "{}", progress::line(p)).and_then(|_| out.flush());
                            if let Some(pause) = pace {
                                std::thread::sleep(pause);
                            }
                        })
                    }
                    _ => Watch::default(),
                };
                answer(request, &path, &listings, &watch)
            }
            None => Answer::Facts(Box::new(Facts {
                error: Some("internal: unreadable request".into()),
                ..Default::default()
            })),
        };
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer(&mut stdout, &answer)?;
        stdout.write_all(b"\n")?;
        stdout.flush()?;
    }
    Ok(())
}

/// What the worker is doing with a file, for the test hooks.
#[cfg_attr(not(feature = "fault-injection"), allow(dead_code))]
mod stage {
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum Stage {
        Probe,
        Pictures,
    }
}

#[cfg(feature = "fault-injection")]
mod fault {
    pub use super::stage::Stage;

    /// The faults `REELCHECK_FAULT` asks for on `path`: the `(what, NAME)` items whose NAME
    /// the file's name contains.
    fn asked(path: &std::path::Path) -> Vec<String> {
        let Ok(spec) = std::env::var("REELCHECK_FAULT") else {
            return Vec::new();
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        spec.split(',')
            .filter_map(|item| item.split_once(':'))
            .filter(|(_, needle)| !needle.is_empty() && name.contains(needle))
            .map(|(what, _)| what.to_string())
            .collect()
    }

    /// `crawl:NAME`: a probe of the file pauses 300 ms at each progress report it sends, so a
    /// short film takes long enough for its progress to show.
    pub fn pace(path: &std::path::Path) -> Option<std::time::Duration> {
        asked(path)
            .iter()
            .any(|w| w == "crawl")
            .then_some(std::time::Duration::from_millis(300))
    }

    /// `REELCHECK_FAULT=crash:NAME,hang:NAME,oom:NAME,slow:NAME`: misbehave on files whose name
    /// contains NAME, as a hostile file could make FFmpeg do, while probing them;
    /// `picture-crash:NAME` and `picture-hang:NAME` do so while grabbing their pictures.
    pub fn inject(path: &std::path::Path, stage: Stage) {
        for what in asked(path) {
            let what = match (stage, what.strip_prefix("picture-")) {
                (Stage::Pictures, Some(w)) => w,
                (Stage::Probe, None) => what.as_str(),
                _ => continue,
            };
            match what {
                "crash" => crate::platform::crash_now(),
                "hang" => loop {
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                },
                "slow" => std::thread::sleep(std::time::Duration::from_secs(2)),
                "oom" => {
                    let mut hog: Vec<Vec<u8>> = Vec::new();
                    loop {
                        hog.push(vec![1u8; 64 << 20]);
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(not(feature = "fault-injection"))]
mod fault {
    pub use super::stage::Stage;

    #[inline]
    pub fn inject(_: &std::path::Path, _: Stage) {}

    #[inline]
    pub fn pace(_: &std::path::Path) -> Option<std::time::Duration> {
        None
    }
}
