//! Windows: a job object per worker carries the memory limit, and exit codes that are NTSTATUS
//! values tell a crash from an abort.

use super::Ending;
use std::os::windows::io::AsRawHandle;
use std::os::windows::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
    SetInformationJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JOB_OBJECT_LIMIT_PROCESS_MEMORY,
};
use windows_sys::Win32::System::Threading::CREATE_NEW_PROCESS_GROUP;

pub const MEMORY_LIMIT_HOLDS: bool = true;

/// The worker's job object; closing it (on drop) also ends the worker, so none outlives
/// reelcheck.
pub struct Confinement(Option<HANDLE>);

impl Drop for Confinement {
    fn drop(&mut self) {
        if let Some(job) = self.0.take() {
            // SAFETY: `job` came from CreateJobObjectW and is closed exactly once, here.
            unsafe { CloseHandle(job) };
        }
    }
}

// SAFETY: a job handle may be used and closed from any thread.
unsafe impl Send for Confinement {}

pub fn isolate(cmd: &mut Command, _memory_limit: Option<u64>) {
    // Ctrl-C reaches the console's processes; a new group keeps it from the workers.
    cmd.creation_flags(CREATE_NEW_PROCESS_GROUP);
}

pub fn confine(child: &Child, memory_limit: Option<u64>) -> std::io::Result<Confinement> {
    let Some(limit) = memory_limit else {
        return Ok(Confinement(None));
    };
    // SAFETY: null attributes and name make an unnamed job with default security.
    let job = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
    if job.is_null() {
        return Err(std::io::Error::last_os_error());
    }
    let held = Confinement(Some(job));
    // SAFETY: the structure is plain data; all-zero is "no limits".
    let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
    info.BasicLimitInformation.LimitFlags =
        JOB_OBJECT_LIMIT_PROCESS_MEMORY | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    info.ProcessMemoryLimit = usize::try_from(limit).unwrap_or(usize::MAX);
    // SAFETY: `info` is the structure JobObjectExtendedLimitInformation names, and the size
    // passed is its size; `job` is open.
    let ok = unsafe {
        SetInformationJobObject(
            job,
            JobObjectExtendedLimitInformation,
            (&info as *const JOBOBJECT_EXTENDED_LIMIT_INFORMATION).cast(),
            std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
        )
    };
    if ok == 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both handles are open: the job above, the process for as long as `child` lives.
    let ok = unsafe { AssignProcessToJobObject(job, child.as_raw_handle() as HANDLE) };
    if ok == 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(held)
}

pub fn ending(status: ExitStatus) -> Ending {
    let Some(code) = status.code() else {
        return Ending::Unknown;
    };
    // A process ended by an exception exits with its NTSTATUS.
    match code as u32 {
        0xC000_0005 => Ending::Crashed("access violation".into()),
        0xC000_001D => Ending::Crashed("illegal instruction".into()),
        0xC000_0094 => Ending::Crashed("integer division by zero".into()),
        0xC000_00FD => Ending::Crashed("stack overflow".into()),
        // Rust's abort (also on a failed allocation) is a fail-fast exception.
        0xC000_0409 => Ending::Aborted("fail-fast abort".into()),
        0xC000_0017 => Ending::Aborted("out of memory".into()),
        _ => Ending::Code(code),
    }
}

/// A file written over keeps its own attributes on rename; a new one has the defaults.
pub fn share_like(_: &std::fs::File, _: &Path) {}

pub fn special_kind(_: &std::fs::FileType) -> super::Special {
    super::Special::Other
}

/// The canonical path: stable Rust offers no file index on Windows.
pub type FileId = PathBuf;

pub fn file_id(path: &Path, _: &std::fs::Metadata) -> std::io::Result<FileId> {
    std::fs::canonicalize(path)
}

/// No lock is taken, so no temporary file is ever taken for a stale one: a killed run's
/// leftovers stay rather than risk removing a live file.
pub fn lock_file(_: &std::fs::File) -> bool {
    false
}

/// Windows has no FIFOs in the file system.
pub fn open_without_waiting(_: &mut std::fs::OpenOptions) {}

/// Windows files have owners, but a user's cache folder is private to them by its ACL.
pub fn owned_by_me(_: &std::fs::Metadata) -> bool {
    true
}

pub fn open_to_others(_: &std::fs::Metadata) -> bool {
    false
}

pub fn stdout_is_writable() -> bool {
    let handle = std::io::stdout().as_raw_handle();
    !handle.is_null() && handle as isize != -1
}

pub fn crash_now() -> ! {
    // Test-only (fault injection): an abort is as close to a crash as safe code gets here.
    std::process::abort()
}
