//! Every call the probe makes into C (FFmpeg's libraries and the C library) and every raw
//! pointer it follows, each behind a small safe function whose `// SAFETY:` comment says why
//! the call holds.
//!
//! By subject: `avio` (the demuxer reading a `Source` through custom I/O).

pub mod avio;
