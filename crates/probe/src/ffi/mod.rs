//! Every call the probe makes into C (FFmpeg's libraries and the C library) and every raw
//! pointer it follows, each behind a small safe function whose `// SAFETY:` comment says why
//! the call holds. The rest of the crate is safe Rust: a reviewer of memory safety reads this
//! folder and nothing else.
//!
//! By subject: `format` (demuxer contexts, streams, packets, the index, tags), `avio` (the
//! demuxer reading a `Source` through custom I/O), `codec` (codec parameters and descriptors,
//! decoder contexts, frames, pixel formats, channel layouts), `os` (the system's read-ahead and
//! allocator calls) and, on x86-64, `sse2` (the audio energy kernels).

pub mod avio;
pub mod codec;
pub mod format;
pub mod os;
#[cfg(target_arch = "x86_64")]
pub mod sse2;

use std::ffi::{c_char, CStr};
use std::sync::Once;

static INIT: Once = Once::new();

/// Initializes FFmpeg once, silencing its log: reelcheck reports problems in its own words.
pub fn init_ffmpeg() {
    INIT.call_once(|| {
        let _ = ffmpeg_next::init();
        ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Quiet);
    });
}

/// A C string FFmpeg returns (a static name, or NULL for none), copied.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid during the call.
unsafe fn owned_string(ptr: *const c_char) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: non-null, and NUL-terminated and alive by the caller's promise.
    Some(
        unsafe { CStr::from_ptr(ptr) }
            .to_string_lossy()
            .into_owned(),
    )
}
