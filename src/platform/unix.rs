//! Linux, the BSDs and macOS.

use super::Ending;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus};

/// macOS accepts RLIMIT_AS but does not enforce it, so reelcheck does not pretend to set it.
pub const MEMORY_LIMIT_HOLDS: bool = cfg!(not(target_os = "macos"));

/// Nothing to hold: the limit was set in the worker before it started.
pub struct Confinement;

pub fn isolate(cmd: &mut Command, memory_limit: Option<u64>) {
    cmd.process_group(0);
    // A worker has its own process group, so Ctrl-C reaches only the parent, which stops its
    // workers itself. A parent killed outright cannot: without this, a worker stuck on a
    // hostile file would run on forever. The spawning thread outlives its workers (the pool
    // kills each worker before its thread ends), so the signal never fires early.
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id() as libc::pid_t;
        // SAFETY: prctl and getppid are async-signal-safe, as pre_exec requires, and the
        // closure touches nothing but its own copy of `parent`.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The parent may have died before the signal was asked for.
                if libc::getppid() != parent {
                    return Err(std::io::Error::other("the parent process ended"));
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "macos"))]
    if let Some(limit) = memory_limit {
        // SAFETY: setrlimit is async-signal-safe, as pre_exec requires, and the closure
        // touches nothing but its own copy of `limit`.
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
    #[cfg(target_os = "macos")]
    let _ = memory_limit;
}

pub fn confine(_: &Child, _: Option<u64>) -> std::io::Result<Confinement> {
    Ok(Confinement)
}

pub fn ending(status: ExitStatus) -> Ending {
    if let Some(sig) = status.signal() {
        let name = signal_name(sig);
        return match sig {
            libc::SIGSEGV | libc::SIGBUS | libc::SIGILL | libc::SIGFPE => Ending::Crashed(name),
            // Rust aborts when an allocation fails; the kernel's OOM killer sends SIGKILL.
            libc::SIGABRT | libc::SIGKILL => Ending::Aborted(name),
            _ => Ending::Killed(name),
        };
    }
    status.code().map_or(Ending::Unknown, Ending::Code)
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

pub fn share_like(tmp: &std::fs::File, target: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let perms = std::fs::metadata(target)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
    let _ = tmp.set_permissions(perms);
}

pub fn special_kind(kind: &std::fs::FileType) -> super::Special {
    use super::Special;
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        Special::NamedPipe
    } else if kind.is_socket() {
        Special::Socket
    } else if kind.is_char_device() {
        Special::CharDevice
    } else if kind.is_block_device() {
        Special::BlockDevice
    } else {
        Special::Other
    }
}

/// Device and inode.
pub type FileId = (u64, u64);

pub fn file_id(_: &Path, meta: &std::fs::Metadata) -> std::io::Result<FileId> {
    use std::os::unix::fs::MetadataExt;
    Ok((meta.dev(), meta.ino()))
}

pub fn lock_file(file: &std::fs::File) -> bool {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock takes a file descriptor this process owns (`file` is open for the call)
    // and flags; it touches no memory of ours.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

pub fn open_without_waiting(open: &mut std::fs::OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    open.custom_flags(libc::O_NONBLOCK);
}

pub fn owned_by_me(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid takes nothing and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

pub fn open_to_others(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode();
    mode & 0o002 != 0 && mode & 0o1000 == 0
}

pub fn stdout_is_writable() -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: F_GETFL only reads the status flags of descriptor 1; it touches no memory.
    let flags = unsafe { libc::fcntl(1, libc::F_GETFL) };
    if flags == -1 || (flags & libc::O_ACCMODE) == libc::O_RDONLY {
        return false;
    }
    if (flags & libc::O_ACCMODE) != libc::O_RDWR {
        return true;
    }
    let Ok(null) = std::fs::metadata("/dev/null") else {
        return true;
    };
    // SAFETY: `stat` is plain data that fstat fills in for descriptor 1; it is read only when
    // fstat says it succeeded.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::fstat(1, &mut st) } == 0;
    !(ok && (st.st_mode & libc::S_IFMT) == libc::S_IFCHR && st.st_rdev as u64 == null.rdev())
}

pub fn crash_now() -> ! {
    // SAFETY: raising a signal on ourselves is the point. The Rust runtime's own SIGSEGV
    // handler (for stack overflows) would swallow a raised signal, so the default action is
    // restored first, as a real fault meets it.
    unsafe {
        libc::signal(libc::SIGSEGV, libc::SIG_DFL);
        libc::raise(libc::SIGSEGV);
    }
    // Not reached: SIGSEGV's default action ends the process.
    std::process::abort()
}
