//! Commands and flags (clap derive), nothing else: what the flags mean for a run is worked
//! out in `app::config`.

use crate::report::CheckFormat;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "reelcheck",
    version,
    about = "Checks film-festival submissions against the festival's rules before a person has to",
    after_help = "Exit codes: 0 every file passed, 1 a file failed or could not be read, 2 the command was wrong, 3 the report could not be written."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders against a rule set and print a pass/fail report
    Check(Box<CheckArgs>),
    /// Check films as they arrive in a folder, keeping the report (and the journal) up to date
    /// until stopped (Ctrl-C or SIGTERM)
    Watch(Box<WatchArgs>),
    /// Print the facts reelcheck measures about each file
    Probe(ProbeArgs),
    /// Merge the JSON reports of sharded runs into one report
    Merge(MergeArgs),
    /// Find where a film's credits are, optionally writing thumbnails to look at
    Credits(CreditsArgs),
    /// List, show and validate rule sets
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Print the JSON Schema of a machine output (check JSON, JSON Lines, probe JSON, merge)
    Schema {
        /// Which output: `check` (the JSON report of check, watch and merge), `jsonl` (one line
        /// of a JSON Lines report), `probe` (probe --format json) or `merge` (merge --format
        /// json)
        #[arg(value_enum, default_value = "check")]
        output: crate::report::schema::Output,
    },
    /// Probe files named on stdin in a worker process (used by reelcheck itself)
    #[command(hide = true)]
    Worker,
}

/// What the provenance analysis reads besides the film.
#[derive(Debug, Clone, clap::Args)]
pub struct ProvenanceFlags {
    /// Add the programs in this TOML file to the built-in software list (see rules/software.toml)
    #[arg(long, value_name = "FILE")]
    pub software_list: Option<PathBuf>,

    /// Trust C2PA signers whose certificates chain to a root in this PEM bundle (such as the
    /// C2PA trust list); without it no signer is trusted
    #[arg(long, value_name = "PEM")]
    pub c2pa_trust: Option<PathBuf>,
}

/// Thresholds of the audio analysis.
#[derive(Debug, Clone, clap::Args)]
pub struct AudioFlags {
    /// Audio below this level counts as silence, in dBFS (FFmpeg's silencedetect: -60)
    #[arg(long, value_name = "DB", default_value_t = -60.0, allow_negative_numbers = true)]
    pub silence_threshold: f64,

    /// The shortest silence listed in silence[], in seconds (FFmpeg's silencedetect: 2)
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 2.0,
        allow_negative_numbers = true
    )]
    pub silence_min: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackFrom {
    /// The nearest parent folder named after one of the festival's tracks
    Folder,
}

#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Report format [default: from the --output extension, else text]
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,

    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Leave pictures out of the HTML report (no decoding; faster)
    #[arg(long)]
    pub no_pictures: bool,

    /// Also write one self-contained HTML page per entry into DIR (001-name.html …), to send
    /// to each filmmaker
    #[arg(long, value_name = "DIR")]
    pub per_entry: Option<PathBuf>,

    /// Also list rules of severity info in the text report
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// Start a CSV report with a UTF-8 byte order mark, so that Excel opens it as UTF-8 and
    /// keeps accented titles and names intact
    #[arg(long)]
    pub csv_bom: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to check (folders are searched recursively)
    #[arg(required_unless_present = "manifest", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The festival file: its tracks and each track's rules [default: the built-in festival,
    /// tracks human and ai]
    #[arg(long, value_name = "FILE")]
    pub festival: Option<PathBuf>,

    /// Which of the festival's tracks to check as [default: its first, human in the built-in
    /// festival]; with --track-from, the track of entries outside any track folder
    #[arg(long, value_name = "NAME")]
    pub track: Option<String>,

    /// Take each entry's track from where it is: a parent folder named after a track
    #[arg(long, value_enum, value_name = "WHERE", conflicts_with = "manifest")]
    pub track_from: Option<TrackFrom>,

    /// Check the entries a CSV names (columns file,track; optional id,title), each by its track
    #[arg(long, value_name = "CSV", conflicts_with_all = ["paths", "track"])]
    pub manifest: Option<PathBuf>,

    /// Accept manifest rows naming files outside the manifest's folder
    #[arg(long, requires = "manifest")]
    pub manifest_allow_outside: bool,

    /// List files whose path in the folder matches GLOB as ignored instead of checking them
    /// (repeatable; `*.txt` and `drafts` match at any depth, `drafts/*.mov` from the folder)
    #[arg(long, value_name = "GLOB", conflicts_with = "manifest")]
    pub ignore: Vec<String>,

    /// Follow links in a folder that lead out of it and check what they lead to (by default
    /// such a link is an error entry, and never read)
    #[arg(long, conflicts_with = "manifest")]
    pub follow_links_outside: bool,

    /// Check only the K-th of N stable parts of the files (1 <= K <= N), for runs on N machines
    #[arg(long, value_name = "K/N", value_parser = crate::intake::shard::Shard::parse)]
    pub shard: Option<crate::intake::shard::Shard>,

    /// NAME=FILE: check the track NAME by the rule file FILE (repeatable; a track the festival
    /// lacks is added). A plain FILE checks every entry by that one rule file; a built-in set's name (screening,
    /// filmhub) stands for that set when no file of that name is there
    #[arg(long, value_name = "[NAME=]FILE")]
    pub rules: Vec<String>,

    #[command(flatten)]
    pub out: OutputArgs,

    /// Files probed at once (default: all cores)
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=MAX_JOBS))]
    pub jobs: Option<u32>,

    /// Fail files on warnings too
    #[arg(long)]
    pub strict: bool,

    /// Also look for this batch's films in an earlier JSON report (repeatable): entries that
    /// show the same film are listed under `similar`, and `similar.resubmission` is set
    #[arg(long, value_name = "REPORT.json")]
    pub compare_with: Vec<PathBuf>,

    /// Do not fingerprint the films nor look for the same film twice (`similar`); rules on
    /// similar.* facts are then not met
    #[arg(long, conflicts_with = "compare_with")]
    pub no_similar: bool,

    /// No decoding: header facts and provenance markers (tags, XMP, C2PA) only; rules that need
    /// decoding are reported as skipped, and a verdict that left a requirement unchecked is
    /// marked not final (--strict fails it)
    #[arg(long)]
    pub quick: bool,

    /// Also run these analyzers (comma-separated: credits, black, audio, provenance, subtitles, video, or all)
    #[arg(long, value_name = "LIST")]
    pub with: Option<String>,

    #[command(flatten)]
    pub limits: Limits,

    /// Append each file's result to this JSON Lines journal as it finishes
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,

    /// Skip files already in the journal whose size and modification time are unchanged
    #[arg(long, requires = "journal")]
    pub resume: bool,

    /// Where probed facts are cached (default: the user's cache folder)
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Neither read nor write the facts cache
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,

    /// Probe inside this process instead of isolated worker processes (faster to debug, but a
    /// crashing file takes the run with it)
    #[arg(long, hide = true)]
    pub in_process: bool,

    #[command(flatten)]
    pub provenance: ProvenanceFlags,

    #[command(flatten)]
    pub audio: AudioFlags,
}

/// `reelcheck watch DIR -o FILE`: the options of `check` (DIR is its one PATH), and how long a
/// file must stay unchanged before it is checked.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Check a file once its size and modification time have not changed for this long, in
    /// seconds, so that a file still being copied in is never checked half-way
    #[arg(
        long,
        value_name = "SECS",
        default_value = "5",
        value_parser = parse_settle,
        allow_hyphen_values = true
    )]
    pub settle: std::time::Duration,

    #[command(flatten)]
    pub check: CheckArgs,
}

/// The longest settle time: a day (a file unchanged for a day has arrived).
const MAX_SETTLE_S: f64 = 86_400.0;

fn parse_settle(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().trim_end_matches('s').trim().parse::<f64>() {
        Ok(v) if (0.0..=MAX_SETTLE_S).contains(&v) => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err(format!(
            "'{s}' is not a number of seconds from 0 to {MAX_SETTLE_S} (a day)"
        )),
    }
}

/// More workers than this is a typing mistake, not a machine.
const MAX_JOBS: i64 = 4096;

/// The limits of the worker processes that read media: `check`, and `merge` when it grabs the
/// HTML report's pictures.
#[derive(Debug, Clone, clap::Args)]
pub struct Limits {
    /// Time limit for probing one file, in seconds (at most 30 days)
    #[arg(
        long,
        value_name = "SECS",
        default_value = "600",
        value_parser = parse_secs,
        allow_hyphen_values = true
    )]
    pub timeout: std::time::Duration,

    /// Memory limit of each worker process (e.g. "4 GB", at least 256 MB; "none" for no limit).
    /// Enforced on Linux (address space) and Windows (a job object); macOS does not enforce
    /// it, so there it is not applied
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "4 GB",
        value_parser = parse_memory,
        allow_hyphen_values = true
    )]
    pub memory_limit: MemoryLimit,
}

/// A worker's memory limit in bytes; `None` for no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryLimit(pub Option<u64>);

/// The longest `--timeout`: anything longer is no limit in practice, and far longer overflows
/// the clock.
const MAX_TIMEOUT_S: f64 = 30.0 * 86_400.0;

/// Below this a worker cannot even load its libraries, and every file would "crash".
pub const MIN_MEMORY: u64 = 256_000_000;

fn parse_secs(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().trim_end_matches('s').trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= MAX_TIMEOUT_S => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err(format!(
            "'{s}' is not a number of seconds above 0 and at most {MAX_TIMEOUT_S} (30 days)"
        )),
    }
}

fn parse_memory(s: &str) -> Result<MemoryLimit, String> {
    let text = s.trim();
    if text == "none" || text == "0" {
        return Ok(MemoryLimit(None));
    }
    let bytes = reelcheck_facts::units::Kind::Bytes.parse(text)?;
    // The float-to-integer cast saturates; the bounds are checked on the float first.
    if bytes.is_finite() && bytes >= MIN_MEMORY as f64 && bytes < u64::MAX as f64 {
        Ok(MemoryLimit(Some(bytes as u64)))
    } else {
        Err(format!(
            "'{s}' is not a memory limit: at least 256 MB, or \"none\" for no limit"
        ))
    }
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// JSON (or JSON Lines) reports of `check`; an entry in two reports is merged once, or
    /// refused when they judged it two ways
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<PathBuf>,

    #[command(flatten)]
    pub out: OutputArgs,

    /// Files decoded at once for the HTML report's pictures (default: all cores)
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=MAX_JOBS))]
    pub jobs: Option<u32>,

    #[command(flatten)]
    pub limits: Limits,
}

#[derive(Debug, clap::Args)]
pub struct ProbeArgs {
    /// Media files to probe
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,

    /// Also run these analyzers (comma-separated: credits, black, audio, provenance, subtitles, video, or all)
    #[arg(long, value_name = "LIST")]
    pub with: Option<String>,

    #[command(flatten)]
    pub provenance: ProvenanceFlags,

    #[command(flatten)]
    pub audio: AudioFlags,

    /// Probe inside this process instead of isolated worker processes (faster to debug, but a
    /// crashing file takes the command with it)
    #[arg(long, hide = true)]
    pub in_process: bool,
}

#[derive(Debug, clap::Args)]
pub struct CreditsArgs {
    /// The film
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Also write PNG thumbnails of the credits (start, a few between, end) into DIR
    #[arg(long, value_name = "DIR")]
    pub frames: Option<PathBuf>,

    /// Also print, for every picture the detector looked at, what it saw there (text rows,
    /// polarity, motion); text output only
    #[arg(long)]
    pub explain: bool,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,

    /// Read the film inside this process instead of an isolated worker process (faster to
    /// debug, but a crashing decoder takes the command with it)
    #[arg(long, hide = true)]
    pub in_process: bool,
}

/// Formats of the `rules` listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListingFormat {
    Text,
    /// Markdown tables, to publish rules beside a call for entries
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the built-in rule sets (with --format markdown: every built-in rule, as a table)
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: ListingFormat,
    },
    /// Print a built-in rule set (or a rule file with everything it extends)
    Show {
        /// A built-in name (human, ai, common, screening, filmhub) or a rule file
        name: String,

        /// text prints a built-in set's TOML; markdown a table of every rule the set holds
        #[arg(long, value_enum, default_value = "text")]
        format: ListingFormat,
    },
    /// Check a rule file for mistakes
    Validate {
        /// The rule file
        file: PathBuf,
    },
    /// List every fact a rule may name, with its units and what measures it
    Facts {
        #[arg(long, value_enum, default_value = "text")]
        format: ListingFormat,
    },
}
