//! The two calls the probe makes to the operating system beyond reading files: advice to read
//! ahead, and the allocator's policy for decoder buffers. Advice only: where the system has no
//! such call, nothing changes but the speed.

/// Asks the system to start reading `len` bytes of `file` from `offset` into its cache, and
/// returns at once: a pass about to read scattered parts of a file (the sound of an interleaved
/// master) has them fetched together, ahead of need, rather than one wait on the disk per part.
/// Linux and Android have posix_fadvise; elsewhere, or when it fails, nothing changes.
pub fn read_ahead(file: &std::fs::File, offset: u64, len: u64) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use std::os::unix::io::AsRawFd;
        let (Ok(offset), Ok(len)) = (libc::off_t::try_from(offset), libc::off_t::try_from(len))
        else {
            return;
        };
        // SAFETY: posix_fadvise takes a descriptor this process owns (`file` is open for the
        // call) and plain numbers; it touches no memory of ours. Its result is advice taken or
        // not, and either way the reads that follow are correct, so it is not looked at.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), offset, len, libc::POSIX_FADV_WILLNEED);
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = (file, offset, len);
}

/// Keeps memory the decoders free for the next film instead of handing it back to the system.
/// Each film gets fresh decoders whose picture buffers (a few MB each) glibc would otherwise
/// map and unmap every time, so every page of every buffer was faulted in anew: on the bench's
/// 200 short films that was 2.2 s of system time in an 11 s check, against 0.4 s with this, and
/// the check took 10 s. Only glibc is tuned; other C libraries keep their own policies. Cheap
/// enough to call for every film.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // Buffers up to 32 MB (a 4K picture in 4:2:2 at 10 bits is 35 MB, in 4:2:0 at 8 bits
        // 13 MB) come from the heap and are reused, which is as far as glibc's own sliding
        // threshold would go once it had seen them freed, and up to 128 MB freed at the heap's
        // top stays for the next film rather than being trimmed. Measured on 4K films too:
        // lower thresholds mapped every 4K picture afresh.
        // SAFETY: mallopt only sets glibc's allocation policy for later allocations and
        // changes no memory already handed out; glibc takes its own lock, so other threads
        // allocating meanwhile (other films' decoders) are safe.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
        }
    }
}
