//! Values with units as organizers write them ("15m", "1:00", "10 GB", "8 Mbps", "48 kHz",
//! "-23 LUFS"), parsed into the base unit of the fact they are compared with, and printed back
//! the same way in reports.

use serde_json::Value;
use std::fmt::Write as _;

/// What a fact measures: decides which units a value may carry and how numbers are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Seconds.
    Duration,
    /// Bytes.
    Bytes,
    /// Bits per second.
    BitRate,
    /// Hertz.
    Frequency,
    /// Frames per second.
    FrameRate,
    /// LUFS (LKFS).
    Loudness,
    /// Loudness units (a difference), as loudness range.
    LoudnessUnits,
    /// Decibels relative to full scale (dBFS, dBTP).
    Decibels,
    /// Degrees.
    Degrees,
    /// Seconds relative to the end of the picture: negative before it, positive after.
    Offset,
    /// A plain number (counts, pixels, bit depths, shares).
    Number,
    Text,
    Bool,
}

impl Kind {
    pub fn is_numeric(self) -> bool {
        !matches!(self, Kind::Text | Kind::Bool)
    }

    /// The base unit values of this kind are measured in, as JSON reports give it (`""` for a
    /// plain number); `None` for text and yes/no.
    pub fn unit(self) -> Option<&'static str> {
        Some(match self {
            Kind::Duration => "s",
            Kind::Bytes => "bytes",
            Kind::BitRate => "bit/s",
            Kind::Frequency => "Hz",
            Kind::FrameRate => "fps",
            Kind::Loudness => "LUFS",
            Kind::LoudnessUnits => "LU",
            Kind::Decibels => "dB",
            Kind::Degrees => "degrees",
            Kind::Offset => "s",
            Kind::Number => "",
            Kind::Text | Kind::Bool => return None,
        })
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Duration => "a duration such as \"15m\", \"1:00\" or \"90s\"",
            Kind::Bytes => "a size such as \"10 GB\" or \"500 MiB\"",
            Kind::BitRate => "a bit rate such as \"8 Mbps\" or \"320 kbps\"",
            Kind::Frequency => "a frequency such as \"48 kHz\" or 48000",
            Kind::FrameRate => "a frame rate such as 25, 23.976 or \"24000/1001\"",
            Kind::Loudness => "a loudness such as \"-23 LUFS\"",
            Kind::LoudnessUnits => "a loudness range such as \"15 LU\"",
            Kind::Decibels => "a level such as \"-1 dBTP\" or \"-60 dB\"",
            Kind::Degrees => "an angle in degrees such as 90",
            Kind::Offset => "seconds from the end of the picture, such as \"-2s\" (before it)",
            Kind::Number => "a number",
            Kind::Text => "text",
            Kind::Bool => "true or false",
        }
    }

    /// Parses a number written with this kind's units into its base unit.
    pub fn parse(self, text: &str) -> Result<f64, String> {
        let t = text.trim();
        let bad = || format!("'{text}' is not {}", self.describe());
        match self {
            Kind::Duration => parse_duration(t).ok_or_else(bad),
            Kind::FrameRate => {
                let t = strip_unit(t, &["fps"]).unwrap_or(t);
                if let Some((n, d)) = t.split_once('/') {
                    let (n, d) = (num(n).ok_or_else(bad)?, num(d).ok_or_else(bad)?);
                    if d == 0.0 {
                        return Err(bad());
                    }
                    Ok(n / d)
                } else {
                    num(t).ok_or_else(bad)
                }
            }
            Kind::Bytes => scaled(t, BYTES).ok_or_else(bad),
            Kind::BitRate => scaled(t, BITRATES).ok_or_else(bad),
            Kind::Frequency => scaled(t, FREQUENCIES).ok_or_else(bad),
            Kind::Loudness => plain_with(t, &["LUFS", "LKFS"]).ok_or_else(bad),
            Kind::LoudnessUnits => plain_with(t, &["LU"]).ok_or_else(bad),
            Kind::Decibels => plain_with(t, &["dBTP", "dBFS", "dB"]).ok_or_else(bad),
            Kind::Degrees => plain_with(t, &["°", "deg"]).ok_or_else(bad),
            Kind::Offset => match t.strip_prefix('-') {
                Some(rest) => parse_duration(rest).map(|d| -d).ok_or_else(bad),
                None => parse_duration(t.strip_prefix('+').unwrap_or(t)).ok_or_else(bad),
            },
            Kind::Number => plain_with(t, &["%"]).ok_or_else(bad),
            Kind::Text | Kind::Bool => Err(bad()),
        }
    }

    /// Shows a base-unit number the way people write it.
    pub fn show(self, v: f64) -> String {
        match self {
            Kind::Duration => show_duration(v),
            Kind::Bytes => show_scaled(
                v,
                &[(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")],
                "bytes",
            ),
            Kind::BitRate => show_scaled(v, &[(1e9, "Gbps"), (1e6, "Mbps"), (1e3, "kbps")], "bps"),
            Kind::Frequency => show_scaled(v, &[(1e3, "kHz")], "Hz"),
            Kind::FrameRate => format!("{} fps", trim_num(v, 3)),
            Kind::Loudness => format!("{} LUFS", trim_num(v, 1)),
            Kind::LoudnessUnits => format!("{} LU", trim_num(v, 1)),
            Kind::Decibels => format!("{} dB", trim_num(v, 1)),
            Kind::Degrees => format!("{}°", trim_num(v, 1)),
            // A difference is shown as a distance and a direction, never as a negative length.
            Kind::Offset if v < 0.0 => format!("{} before the picture ends", show_duration(-v)),
            Kind::Offset if v > 0.0 => format!("{} after the picture ends", show_duration(v)),
            Kind::Offset => "as the picture ends".to_string(),
            Kind::Number => trim_num(v, 3),
            Kind::Text | Kind::Bool => trim_num(v, 3),
        }
    }
}

const BYTES: &[(&str, f64)] = &[
    ("TiB", 1_099_511_627_776.0),
    ("GiB", 1_073_741_824.0),
    ("MiB", 1_048_576.0),
    ("KiB", 1024.0),
    ("TB", 1e12),
    ("GB", 1e9),
    ("MB", 1e6),
    ("kB", 1e3),
    ("KB", 1e3),
    ("bytes", 1.0),
    ("B", 1.0),
];

const BITRATES: &[(&str, f64)] = &[
    ("Gbit/s", 1e9),
    ("Mbit/s", 1e6),
    ("kbit/s", 1e3),
    ("bit/s", 1.0),
    ("Gbps", 1e9),
    ("Mbps", 1e6),
    ("kbps", 1e3),
    ("Kbps", 1e3),
    ("bps", 1.0),
    ("Gb/s", 1e9),
    ("Mb/s", 1e6),
    ("kb/s", 1e3),
];

const FREQUENCIES: &[(&str, f64)] = &[("kHz", 1e3), ("Hz", 1.0)];

fn num(t: &str) -> Option<f64> {
    let v: f64 = t.trim().parse().ok()?;
    v.is_finite().then_some(v)
}

fn strip_unit<'a>(t: &'a str, units: &[&str]) -> Option<&'a str> {
    units
        .iter()
        .find_map(|u| t.strip_suffix(u))
        .map(str::trim_end)
}

fn plain_with(t: &str, units: &[&str]) -> Option<f64> {
    num(strip_unit(t, units).unwrap_or(t))
}

fn scaled(t: &str, table: &[(&str, f64)]) -> Option<f64> {
    for (unit, factor) in table {
        if let Some(n) = t.strip_suffix(unit) {
            // "1e308 h" is a finite number of hours but no finite number of seconds.
            return num(n).map(|v| v * factor).filter(|v| v.is_finite());
        }
    }
    num(t)
}

/// "15m", "15 min", "90s", "1.5h", "500ms", "1:00", "1:02:03.5" or a bare number of seconds.
pub fn parse_duration(t: &str) -> Option<f64> {
    let t = t.trim();
    if t.contains(':') {
        let parts: Vec<&str> = t.split(':').collect();
        if parts.len() > 3 || parts.iter().any(|p| p.trim().is_empty()) {
            return None;
        }
        let mut total = 0.0;
        for (i, p) in parts.iter().enumerate() {
            let v = num(p)?;
            // Only the last field may carry a fraction, and minutes and seconds stay below 60.
            if v < 0.0 || (i + 1 < parts.len() && v.fract() != 0.0) || (i > 0 && v >= 60.0) {
                return None;
            }
            total = total * 60.0 + v;
        }
        return Some(total);
    }
    let units: &[(&str, f64)] = &[
        ("ms", 0.001),
        ("hours", 3600.0),
        ("hour", 3600.0),
        ("h", 3600.0),
        ("minutes", 60.0),
        ("minute", 60.0),
        ("min", 60.0),
        ("m", 60.0),
        ("seconds", 1.0),
        ("second", 1.0),
        ("sec", 1.0),
        ("s", 1.0),
    ];
    scaled(t, units)
}

/// A fact's value as a report shows it: numbers in the fact's unit, yes/no for booleans.
pub fn show_value(v: &Value, kind: Kind) -> String {
    match v {
        Value::Null => "unknown".to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |x| kind.show(x)),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn show_duration(secs: f64) -> String {
    if !secs.is_finite() {
        return secs.to_string();
    }
    let sign = if secs < 0.0 { "-" } else { "" };
    let s = secs.abs();
    if s < 60.0 {
        return format!("{sign}{} s", trim_num(s, 2));
    }
    let whole = s.floor() as u64;
    let frac = s - whole as f64;
    let (h, m, sec) = (whole / 3600, (whole / 60) % 60, whole % 60);
    let mut out = String::from(sign);
    if h > 0 {
        let _ = write!(out, "{h}:{m:02}:{sec:02}");
    } else {
        let _ = write!(out, "{m}:{sec:02}");
    }
    let tenths = (frac * 10.0).round() as u64;
    if (1..10).contains(&tenths) {
        let _ = write!(out, ".{tenths}");
    }
    out
}

fn show_scaled(v: f64, table: &[(f64, &str)], base: &str) -> String {
    for (factor, unit) in table {
        if v.abs() >= *factor {
            return format!("{} {unit}", trim_num(v / factor, 2));
        }
    }
    format!("{} {base}", trim_num(v, 2))
}

/// A number with at most `places` decimals and no trailing zeros.
pub fn trim_num(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (text, secs) in [
            ("15m", 900.0),
            ("15 min", 900.0),
            ("1:00", 60.0),
            ("0:59", 59.0),
            ("1:02:03", 3723.0),
            ("1:00.5", 60.5),
            ("90s", 90.0),
            ("90", 90.0),
            ("1.5h", 5400.0),
            ("500ms", 0.5),
        ] {
            assert_eq!(Kind::Duration.parse(text), Ok(secs), "{text}");
        }
        for bad in ["", "abc", "1:60", "1::0", "15 parsecs", "1:2:3:4", "1.5:00"] {
            assert!(Kind::Duration.parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_and_rates() {
        assert_eq!(Kind::Bytes.parse("10 GB"), Ok(10e9));
        assert_eq!(Kind::Bytes.parse("1GiB"), Ok(1_073_741_824.0));
        assert_eq!(Kind::BitRate.parse("8 Mbps"), Ok(8e6));
        assert_eq!(Kind::BitRate.parse("320 kbit/s"), Ok(320e3));
        assert_eq!(Kind::Frequency.parse("48 kHz"), Ok(48000.0));
        assert_eq!(Kind::Frequency.parse("44100"), Ok(44100.0));
        assert_eq!(Kind::Loudness.parse("-23 LUFS"), Ok(-23.0));
        assert_eq!(Kind::Decibels.parse("-1 dBTP"), Ok(-1.0));
        let ntsc = Kind::FrameRate.parse("24000/1001").unwrap();
        assert!((ntsc - 23.976).abs() < 0.001);
        assert!(Kind::Bytes.parse("10 Mbps").is_err());
        assert!(Kind::BitRate.parse("8 GB").is_err());
        assert!(Kind::FrameRate.parse("24/0").is_err());
    }

    #[test]
    fn shows_values_as_people_write_them() {
        assert_eq!(show_duration(59.0), "59 s");
        assert_eq!(show_duration(900.0), "15:00");
        assert_eq!(show_duration(901.5), "15:01.5");
        assert_eq!(show_duration(3723.0), "1:02:03");
        assert_eq!(Kind::Bytes.show(10e9), "10 GB");
        assert_eq!(Kind::BitRate.show(8_000_000.0), "8 Mbps");
        assert_eq!(Kind::Frequency.show(44100.0), "44.1 kHz");
        assert_eq!(Kind::FrameRate.show(24000.0 / 1001.0), "23.976 fps");
    }

    #[test]
    fn an_offset_is_never_shown_as_a_negative_length() {
        assert_eq!(Kind::Offset.parse("-2s"), Ok(-2.0));
        assert_eq!(Kind::Offset.parse("1:00"), Ok(60.0));
        assert_eq!(Kind::Offset.show(-239.2), "3:59.2 before the picture ends");
        assert_eq!(Kind::Offset.show(0.5), "0.5 s after the picture ends");
        assert!(!Kind::Offset.show(-26.0).contains('-'));
    }
}
