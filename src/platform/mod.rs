//! What differs between operating systems, behind one interface: how a worker process is
//! isolated and limited, how its death is told apart, and how a path travels to it as bytes.
//! Linux and the other Unixes are `unix.rs`, Windows is `windows.rs`; the rest of reelcheck
//! never names an OS.
//!
//! Which limits hold where:
//! - time (`--timeout`): everywhere; the parent kills a worker that takes too long.
//! - memory (`--memory-limit`): Linux and the BSDs cap a worker's address space
//!   (`setrlimit(RLIMIT_AS)`); Windows puts each worker in a job object with a process memory
//!   limit; macOS does not enforce memory limits on a process, so there none is applied
//!   ([`MEMORY_LIMIT_HOLDS`] is false).

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as os;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as os;

use std::path::Path;
use std::process::{Child, Command, ExitStatus};

pub use os::Confinement;

/// Whether `--memory-limit` is enforced on this system.
pub const MEMORY_LIMIT_HOLDS: bool = os::MEMORY_LIMIT_HOLDS;

/// Prepares a worker's command before it starts: a process group of its own (Ctrl-C in the
/// terminal reaches the parent only, which decides what to stop) and, where the OS applies it
/// at start, the memory limit.
pub fn isolate(cmd: &mut Command, memory_limit: Option<u64>) {
    os::isolate(cmd, memory_limit);
}

/// Applies what can only be applied to a running worker (Windows: the job object with the
/// memory limit). Call it before sending the worker anything to read: until then it only
/// waits on stdin. Keep the result as long as the worker: dropping it lifts the confinement.
pub fn confine(child: &Child, memory_limit: Option<u64>) -> std::io::Result<Confinement> {
    os::confine(child, memory_limit)
}

/// How a process ended, in terms the pool words its reason with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// A fault in the code: a bad memory access, an illegal instruction, a division by zero.
    Crashed(String),
    /// Aborted or killed outright, which is also how running out of memory under a limit ends.
    Aborted(String),
    /// Another signal (Unix).
    Killed(String),
    /// An exit code.
    Code(i32),
    /// Neither a code nor a cause.
    Unknown,
}

pub fn ending(status: ExitStatus) -> Ending {
    os::ending(status)
}
/// Gives a finished report written as a private temporary file the permissions of the file it
/// replaces, or the usual ones for a new file (Unix: 0644): a report is meant to be shared.
pub fn share_like(tmp: &std::fs::File, target: &Path) {
    os::share_like(tmp, target);
}

/// What a file that is neither a regular file, a folder nor a link is; callers word it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    NamedPipe,
    Socket,
    CharDevice,
    BlockDevice,
    /// Anything else, and every special file on a system that does not tell them apart.
    Other,
}

pub fn special_kind(kind: &std::fs::FileType) -> Special {
    os::special_kind(kind)
}

/// What makes two paths the same file however they are spelt (Unix: device and inode;
/// Windows: the canonical path).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileId(os::FileId);

/// The identity of the file at `path`, whose metadata the caller already read.
pub fn file_id(path: &Path, meta: &std::fs::Metadata) -> std::io::Result<FileId> {
    os::file_id(path, meta).map(FileId)
}

/// Takes an exclusive lock on `file` without waiting; false when another process holds one or
/// the system has none to give. The lock goes with the process, however it ends, so another
/// run can tell a live file from one a killed run left.
pub fn lock_file(file: &std::fs::File) -> bool {
    os::lock_file(file)
}

/// Opens without waiting for a writer when the path is a FIFO (Unix); regular files ignore it.
pub fn open_without_waiting(open: &mut std::fs::OpenOptions) {
    os::open_without_waiting(open);
}

/// Whether stdout can take a report: false when reelcheck was started with it closed (`>&-`).
/// The Rust runtime puts `/dev/null`, opened for reading and writing, in place of a closed
/// standard stream before `main` (so no file opened later takes its number), and its stdout
/// treats writes to a closed one as done: without asking, a report written nowhere would look
/// written. A shell's `>/dev/null` opens it for writing only, and stays a working stdout.
pub fn stdout_is_writable() -> bool {
    os::stdout_is_writable()
}

/// Whether the file whose metadata this is belongs to the user running reelcheck (Unix: its
/// owner is the effective user); always true where files have no such owner.
pub fn owned_by_me(meta: &std::fs::Metadata) -> bool {
    os::owned_by_me(meta)
}

/// Whether any user may add or replace files in the folder whose metadata this is (Unix: it is
/// writable by others without the sticky bit that keeps each user to their own files).
pub fn open_to_others(meta: &std::fs::Metadata) -> bool {
    os::open_to_others(meta)
}

/// Ends this process the way a decoder's bad memory access would (the test-only fault
/// injection uses it to prove isolation).
pub fn crash_now() -> ! {
    os::crash_now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn special_files_are_told_apart_and_a_file_is_itself_however_spelt() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let kind = |p: &Path| special_kind(&std::fs::symlink_metadata(p).unwrap().file_type());
        assert_eq!(kind(&fifo), Special::NamedPipe);
        assert_eq!(kind(Path::new("/dev/null")), Special::CharDevice);
        let a = dir.path().join("a.mp4");
        let b = dir.path().join("b.mp4");
        std::fs::write(&a, b"a").unwrap();
        std::fs::write(&b, b"a").unwrap();
        let id = |p: &Path| file_id(p, &std::fs::metadata(p).unwrap()).unwrap();
        assert_eq!(id(&a), id(&dir.path().join(".").join("a.mp4")));
        assert_ne!(id(&a), id(&b));
    }

    #[cfg(unix)]
    fn sh(script: &str, memory_limit: Option<u64>) -> (Ending, String) {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script])
            .stdout(std::process::Stdio::piped());
        isolate(&mut cmd, memory_limit);
        let child = cmd.spawn().unwrap();
        let _held = confine(&child, memory_limit).unwrap();
        let out = child.wait_with_output().unwrap();
        (
            ending(out.status),
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
        )
    }

    #[cfg(unix)]
    #[test]
    fn endings_are_told_apart() {
        assert_eq!(
            sh("kill -SEGV $$", None).0,
            Ending::Crashed("SIGSEGV".into())
        );
        assert_eq!(
            sh("kill -ABRT $$", None).0,
            Ending::Aborted("SIGABRT".into())
        );
        assert_eq!(
            sh("kill -KILL $$", None).0,
            Ending::Aborted("SIGKILL".into())
        );
        assert_eq!(
            sh("kill -TERM $$", None).0,
            Ending::Killed("SIGTERM".into())
        );
        assert_eq!(sh("exit 3", None).0, Ending::Code(3));
    }

    /// The limit the worker starts with, as the worker itself sees it (`ulimit -v`, in KiB),
    /// and a worker of its own process group.
    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn a_worker_starts_with_the_memory_limit_in_a_group_of_its_own() {
        const { assert!(MEMORY_LIMIT_HOLDS) };
        let (end, out) = sh("ulimit -v", Some(256 << 20));
        assert_eq!((end, out.as_str()), (Ending::Code(0), "262144"));
        let (_, out) = sh("ulimit -v", None);
        assert_eq!(out, "unlimited");
        let (_, out) = sh("ps -o pgid= -p $$; echo $$", None);
        let ids: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(ids.len(), 2, "{out}");
        assert_eq!(ids[0], ids[1], "the worker leads its own process group");
    }
}
