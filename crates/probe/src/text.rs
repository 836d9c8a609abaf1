//! Text a file gives (tags, titles, labels) made fit to show: one line, of bounded length.

/// `s` on one line (control characters become spaces), cut at `max` characters with "…".
pub fn one_line(s: &str, max: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > max {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    } else {
        flat
    }
}
