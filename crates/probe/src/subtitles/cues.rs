//! Reading cues from subtitle files: SubRip and WebVTT parsers that say where a file breaks,
//! the text encodings such files come in, and the markup a viewer never sees.

/// The text of a subtitle file and the encoding it was in, by its WHATWG name ("UTF-8",
/// "UTF-16LE", "windows-1252"): a byte order mark when there is one, else UTF-8 when the bytes
/// are valid UTF-8, else the legacy encoding chardetng finds likeliest (subtitle files from old
/// editors are mostly Windows code pages). Decoding is encoding_rs's, so bytes that are not
/// valid in the encoding become U+FFFD rather than an error.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), encoding_rs::UTF_8.name());
    }
    let encoding = guess(bytes);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), encoding.name())
}

/// The likeliest legacy encoding of bytes that are not UTF-8.
pub fn guess(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    // ISO-2022-JP is 7-bit and would pass as ASCII; UTF-8 has been ruled out by the caller.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    pub start_s: f64,
    pub end_s: f64,
    /// The text as shown: tags removed, one entry per line.
    pub lines: Vec<String>,
}

/// Blocks of non-blank lines with their 1-based first line number.
fn blocks(text: &str) -> Vec<(usize, Vec<&str>)> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut first = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push((first, std::mem::take(&mut current)));
            }
        } else {
            if current.is_empty() {
                first = i + 1;
            }
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push((first, current));
    }
    out
}

pub fn parse_srt(text: &str) -> Result<Vec<Cue>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut cues = Vec::new();
    for (line_no, block) in blocks(text) {
        let mut lines = block.iter().enumerate();
        let (mut offset, mut line) = lines.next().map_or((0, ""), |(i, l)| (i, *l));
        if !line.contains("-->") && line.trim().chars().all(|c| c.is_ascii_digit()) {
            match lines.next() {
                Some((i, l)) => (offset, line) = (i, *l),
                None => {
                    return Err(format!(
                        "line {line_no}: cue {} has no timing line",
                        line.trim()
                    ))
                }
            }
        }
        let (start_s, end_s) = timing(line).map_err(|why| {
            format!(
                "line {}: {why}: expected a cue timing like 00:00:01,000 --> 00:00:03,500, found '{}'",
                line_no + offset,
                shorten(line)
            )
        })?;
        cues.push(Cue {
            start_s,
            end_s,
            lines: lines.map(|(_, l)| clean(l)).collect(),
        });
    }
    if cues.is_empty() {
        return Err("no cues: the file is empty or not SRT".into());
    }
    Ok(cues)
}

pub fn parse_vtt(text: &str) -> Result<Vec<Cue>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let is_vtt = first
        .strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    if !is_vtt {
        return Err("line 1: a WebVTT file starts with 'WEBVTT'".into());
    }
    let mut cues = Vec::new();
    for (n, (line_no, block)) in blocks(text).into_iter().enumerate() {
        let head = block.first().copied().unwrap_or("");
        if n == 0
            || ["NOTE", "STYLE", "REGION"].iter().any(|k| {
                head.strip_prefix(k)
                    .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
            })
        {
            continue;
        }
        let (offset, timing_line) = if head.contains("-->") {
            (0, head)
        } else {
            (1, block.get(1).copied().unwrap_or(""))
        };
        let (start_s, end_s) = timing(timing_line).map_err(|why| {
            format!(
                "line {}: {why}: expected a cue timing like 00:01.000 --> 00:03.500, found '{}'",
                line_no + offset,
                shorten(timing_line)
            )
        })?;
        cues.push(Cue {
            start_s,
            end_s,
            lines: block[offset + 1..].iter().map(|l| clean(l)).collect(),
        });
    }
    Ok(cues)
}

/// `00:00:01,000 --> 00:00:03,500` (SRT) or `00:01.000 --> 00:03.500 align:start` (WebVTT).
fn timing(line: &str) -> Result<(f64, f64), String> {
    let (a, b) = line
        .split_once("-->")
        .ok_or_else(|| "no '-->'".to_string())?;
    let start = timestamp(a.trim())?;
    let end_text = b.split_whitespace().next().unwrap_or("");
    let end = timestamp(end_text)?;
    if end < start {
        return Err("the cue ends before it starts".into());
    }
    Ok((start, end))
}

fn timestamp(t: &str) -> Result<f64, String> {
    let bad = || format!("'{t}' is not a timestamp");
    let (hms, frac) = t.split_once([',', '.']).ok_or_else(bad)?;
    if frac.is_empty() || frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let parts: Vec<&str> = hms.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let mut secs = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let v: u32 = p.trim().parse().map_err(|_| bad())?;
        // Minutes and seconds stay below 60; hours may be any number.
        if i > 0 && v >= 60 {
            return Err(bad());
        }
        secs = secs * 60.0 + f64::from(v);
    }
    let ms: f64 = frac.parse::<f64>().map_err(|_| bad())? / 10f64.powi(frac.len() as i32);
    Ok(secs + ms)
}

/// The text a viewer reads: markup (`<i>`, `<c.yellow>`, `{\an8}`) removed, entities decoded.
pub fn clean(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut depth_angle = false;
    let mut depth_brace = false;
    for c in line.chars() {
        match c {
            '<' if !depth_brace => depth_angle = true,
            '>' if depth_angle => depth_angle = false,
            '{' if !depth_angle => depth_brace = true,
            '}' if depth_brace => depth_brace = false,
            _ if depth_angle || depth_brace => {}
            _ => out.push(c),
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

fn shorten(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}
