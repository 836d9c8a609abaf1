//! What the floor programs share: their command line, `[--jobs N] [--FLAG]... FILE_OR_DIR...`
//! (a folder stands for the files in it, in name order), and the FFmpeg set-up and thread pool
//! they run on.

use std::path::PathBuf;

pub struct Args {
    pub files: Vec<PathBuf>,
    /// The `--FLAG` switches given, without their dashes.
    pub flags: Vec<String>,
    pub pool: rayon::ThreadPool,
}

/// Reads the command line, quiets FFmpeg and builds a pool of `--jobs` threads (the number of
/// cores by default); exits with a message when the pool cannot be made.
pub fn args(program: &str) -> Args {
    let mut args = std::env::args().skip(1);
    let mut jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (mut files, mut flags) = (Vec::new(), Vec::new());
    while let Some(arg) = args.next() {
        if arg == "--jobs" {
            jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(jobs);
        } else if let Some(flag) = arg.strip_prefix("--") {
            flags.push(flag.to_string());
        } else {
            let path = PathBuf::from(arg);
            if path.is_dir() {
                let mut entries: Vec<_> = std::fs::read_dir(&path)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect();
                entries.sort();
                files.extend(entries);
            } else {
                files.push(path);
            }
        }
    }
    ffmpeg_next::init().ok();
    ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Quiet);
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => Args { files, flags, pool },
        Err(e) => {
            eprintln!("{program}: {e}");
            std::process::exit(2);
        }
    }
}

/// Exits with a message when a flag other than `known` was given.
pub fn no_other_flags(program: &str, flags: &[String], known: &[&str]) {
    if let Some(f) = flags.iter().find(|f| !known.contains(&f.as_str())) {
        eprintln!("{program}: unknown option --{f}");
        std::process::exit(2);
    }
}
