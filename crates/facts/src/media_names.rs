//! Which file names are films, by their extension: what discovery searches folders for (the
//! application's `intake::kinds` says what other names are), and what the probe does not take
//! for a subtitle's film.

use std::path::Path;

/// Extensions of containers festivals receive films in.
pub const MEDIA_EXTENSIONS: &[&str] = &[
    "mp4", "m4v", "mov", "qt", "mkv", "webm", "avi", "mxf", "mpg", "mpeg", "m2v", "ts", "m2ts",
    "mts", "wmv", "asf", "flv", "ogv", "ogg", "3gp", "3g2", "dv", "y4m", "nut", "f4v", "vob",
];

/// Whether a name ends in the extension of a film container (`.mp4`, `.mkv` …).
pub fn has_media_extension(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| MEDIA_EXTENSIONS.contains(&e.as_str()))
}
