//! What the flags mean for a run, worked out once: the command line with its long version, the
//! probe settings the flags ask for (analyzers, audio thresholds, software list, trust anchors)
//! and how files are read. `cli` only parses; everything that reads a file, checks a value
//! against another or asks the probe something happens here.

use super::usage;
use crate::cli::{AudioFlags, CheckArgs, Cli, ProvenanceFlags};
use crate::intake::discover;
use crate::run::batch;
use crate::run::in_process::InProcess;
use crate::run::pool::WorkerPool;
use crate::run::prober::{Prober, DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT};
use crate::run::store::cache::Cache;
use crate::run::store::journal::{self, Earlier, Journal};
use crate::run::store::Store;
use anyhow::Result;
use clap::{CommandFactory, FromArgMatches};
use reelcheck_facts::settings::software;
use reelcheck_facts::Needs;
use reelcheck_probe::audio::AudioOptions;
use reelcheck_probe::{self as probe, ProbeSettings};

/// The parsed command line; `--version` names the FFmpeg libraries too, for bug reports.
pub fn command_line() -> Cli {
    let mut command = Cli::command().long_version(long_version());
    let mut matches = command.clone().get_matches();
    Cli::from_arg_matches_mut(&mut matches).unwrap_or_else(|e| e.format(&mut command).exit())
}

/// reelcheck's own version and the FFmpeg libraries' it runs with.
fn long_version() -> &'static str {
    // clap keeps a borrowed string; the text is made once per process.
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{}\nFFmpeg: {}",
            env!("CARGO_PKG_VERSION"),
            probe::ffmpeg::library_versions()
        )
    })
}

/// The audio analysis' thresholds, or why the flags give none.
pub(super) fn audio_options(flags: &AudioFlags) -> Result<AudioOptions, String> {
    if !flags.silence_threshold.is_finite() || flags.silence_threshold > 0.0 {
        return Err(format!(
            "--silence-threshold {} is not a level in dBFS (0 or below)",
            flags.silence_threshold
        ));
    }
    if !flags.silence_min.is_finite() || flags.silence_min < 0.0 {
        return Err(format!(
            "--silence-min {} is not a number of seconds",
            flags.silence_min
        ));
    }
    Ok(AudioOptions {
        silence_threshold_db: flags.silence_threshold,
        min_silence_s: flags.silence_min,
        ..Default::default()
    })
}

/// `--with LIST`: the analyzers asked for beyond the rules' own.
pub(super) fn parse_with(with: Option<&str>) -> Result<Needs> {
    with.map_or_else(
        || Ok(Needs::default()),
        |w| Needs::parse_list(w).map_err(usage),
    )
}

/// The probe settings the flags ask for, running `needs`.
pub(super) fn probe_settings(
    needs: Needs,
    provenance: &ProvenanceFlags,
    audio: &AudioFlags,
) -> Result<ProbeSettings> {
    let mut config = ProbeSettings::new(needs);
    config.audio = audio_options(audio).map_err(usage)?;
    if let Some(f) = &provenance.software_list {
        let text = crate::settings_file::read_text(f)
            .map_err(|e| usage(format!("cannot read software list {}: {e}", f.display())))?;
        config.software = software::parse(&f.display().to_string(), &text)
            .map_err(|e| usage(probe::one_line(&e)))?;
    }
    if let Some(f) = &provenance.c2pa_trust {
        let pem = crate::settings_file::read_text(f).map_err(|e| {
            usage(format!(
                "cannot read C2PA trust anchors {}: {e}",
                f.display()
            ))
        })?;
        probe::content_credentials::check_trust(&f.display().to_string(), &pem)
            .map_err(|e| usage(probe::one_line(&e)))?;
        config.c2pa_trust = Some(pem);
    }
    Ok(config)
}

/// How files are read: in worker processes (with these limits, or the defaults), or in this
/// one.
pub(super) fn prober(
    jobs: Option<u32>,
    in_process: bool,
    limits: Option<(std::time::Duration, Option<u64>)>,
) -> Box<dyn Prober> {
    let jobs = jobs.map(|j| j as usize);
    match (in_process, limits) {
        (true, _) => Box::new(InProcess::new(jobs)),
        (false, Some((timeout, memory_limit))) => {
            Box::new(WorkerPool::new(jobs, timeout, memory_limit))
        }
        (false, None) => Box::new(WorkerPool::new(jobs, DEFAULT_TIMEOUT, DEFAULT_MEMORY_LIMIT)),
    }
}

/// How every group of a check is run: how files are read, the cache, the journal being
/// written and, with `--resume`, the one an earlier run wrote.
pub(super) fn check_options(args: &CheckArgs) -> Result<batch::Options> {
    let cache = if args.no_cache {
        None
    } else {
        args.cache_dir.clone().or_else(Cache::default_dir).and_then(
            |dir| match Cache::open_checked(dir) {
                Ok(cache) => Some(cache),
                Err(why) => {
                    eprintln!("reelcheck: warning: {why}");
                    None
                }
            },
        )
    };
    let mut earlier = Earlier::default();
    let mut journal = None;
    if let Some(path) = &args.journal {
        if args.resume {
            earlier = journal::read_done(path)
                .map_err(|e| usage(format!("cannot read the journal {}: {e}", path.display())))?;
        }
        journal = Some(
            Journal::open(path)
                .map_err(|e| usage(format!("cannot write the journal {}: {e}", path.display())))?,
        );
    }
    Ok(batch::Options {
        strict: args.strict,
        prober: prober(
            args.jobs,
            args.in_process,
            Some((args.limits.timeout, args.limits.memory_limit.0)),
        ),
        store: Store::new(cache, journal, earlier),
        progress: None,
        headline: String::new(),
    })
}

/// How folders are searched: `--ignore`, `--follow-links-outside`, and reelcheck's own files
/// (the report, the journal, the per-entry pages), which are no entries when written into the
/// intake.
pub(super) fn discovery(args: &CheckArgs) -> Result<discover::Options> {
    let own = [
        args.out.output.as_ref(),
        args.journal.as_ref(),
        args.out.per_entry.as_ref(),
    ];
    Ok(discover::Options {
        ignore: discover::Ignore::new(&args.ignore).map_err(usage)?,
        follow_links_outside: args.follow_links_outside,
        own: own.into_iter().flatten().cloned().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(threshold: f64, min: f64) -> AudioFlags {
        AudioFlags {
            silence_threshold: threshold,
            silence_min: min,
        }
    }

    #[test]
    fn audio_thresholds_are_checked() {
        let o = audio_options(&flags(-50.0, 1.5)).expect("valid thresholds");
        assert_eq!((o.silence_threshold_db, o.min_silence_s), (-50.0, 1.5));
        assert!(audio_options(&flags(3.0, 2.0)).is_err());
        assert!(audio_options(&flags(f64::NAN, 2.0)).is_err());
        assert!(audio_options(&flags(-60.0, -1.0)).is_err());
    }
}
