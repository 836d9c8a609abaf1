//! Facts in words, for `reelcheck probe`. Text from the file (its name, tags, codec names,
//! chapter titles, provenance evidence, subtitle lines) is put on one line each (`one_line`);
//! control characters are escaped where all text output goes out (`output::Sink`).

use crate::output::one_line;
use reelcheck_facts::units::{show_duration, trim_num, Kind};
use reelcheck_facts::Facts;
use std::fmt::Write as _;

pub fn render(all: &[Facts]) -> String {
    let mut out = String::new();
    for (i, f) in all.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = one(&mut out, f);
    }
    out
}

fn one(out: &mut String, f: &Facts) -> std::fmt::Result {
    let size = f
        .size_bytes
        .map(|b| format!("  ({})", Kind::Bytes.show(b as f64)))
        .unwrap_or_default();
    writeln!(out, "{}{size}", one_line(&f.path))?;
    if let Some(e) = &f.error {
        writeln!(out, "  error      {}", one_line(e))?;
        return Ok(());
    }
    if let Some(c) = &f.container {
        let mut parts = vec![format!("{} ({})", c.format, c.format_long)];
        if let Some(d) = c.duration_s {
            parts.push(show_duration(d));
        }
        if let (Some(true), Some(h)) = (c.truncated, c.header_duration_s) {
            parts.push(format!("cut short: the header says {}", show_duration(h)));
        }
        if let Some(b) = c.bit_rate {
            parts.push(Kind::BitRate.show(b as f64));
        }
        if let Some(fs) = c.faststart {
            parts.push(format!(
                "moov {}",
                if fs { "at the front" } else { "at the end" }
            ));
        }
        writeln!(out, "  container  {}", one_line(&parts.join(" · ")))?;
        for (k, v) in &c.tags {
            writeln!(out, "  tag        {} = {}", one_line(k), one_line(v))?;
        }
    }
    for v in &f.video {
        let mut parts = vec![format!(
            "{}{} {}x{}",
            v.codec,
            v.profile
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default(),
            v.width,
            v.height
        )];
        if let Some(dar) = &v.dar {
            parts.push(format!("DAR {dar}"));
        }
        if let Some(fps) = v.fps {
            parts.push(format!("{} fps", trim_num(fps, 3)));
        }
        if let Some(p) = &v.pix_fmt {
            parts.push(p.clone());
        }
        match v.interlaced {
            Some(true) => parts.push("interlaced".into()),
            Some(false) => parts.push("progressive".into()),
            None => {}
        }
        if let Some(b) = v.bit_rate {
            parts.push(Kind::BitRate.show(b as f64));
        }
        if let Some(r) = v.rotation.filter(|r| *r != 0.0) {
            parts.push(format!("rotated {}°", trim_num(r, 0)));
        }
        if v.black_head_s.is_some() || v.black_tail_s.is_some() {
            let end = |s: Option<f64>| s.map_or_else(|| "unknown".into(), show_duration);
            parts.push(format!(
                "black {} at head, {} at tail",
                end(v.black_head_s),
                end(v.black_tail_s)
            ));
        }
        writeln!(
            out,
            "  video #{:<3} {}",
            v.index,
            one_line(&parts.join(" · "))
        )?;
    }
    for a in &f.audio {
        let mut parts = vec![format!(
            "{}{} {} {}",
            a.codec,
            a.profile
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default(),
            a.channel_layout
                .clone()
                .unwrap_or_else(|| format!("{} channels", a.channels)),
            Kind::Frequency.show(a.sample_rate as f64)
        )];
        if let Some(b) = a.bit_rate {
            parts.push(Kind::BitRate.show(b as f64));
        }
        if let Some(l) = &a.language {
            parts.push(l.clone());
        }
        if a.default {
            parts.push("default".into());
        }
        if let Some(l) = &a.loudness {
            if let Some(i) = l.integrated_lufs {
                parts.push(format!("{} LUFS", trim_num(i, 1)));
            }
            if let Some(tp) = l.true_peak_dbtp {
                parts.push(format!("peak {} dBTP", trim_num(tp, 1)));
            }
            if let Some(why) = &l.reason {
                parts.push(format!("loudness not measured: {why}"));
            }
        }
        if a.silent == Some(true) {
            parts.push("silent".into());
        }
        writeln!(
            out,
            "  audio #{:<3} {}",
            a.index,
            one_line(&parts.join(" · "))
        )?;
    }
    for s in &f.subtitles {
        let mut parts = vec![
            s.codec.clone(),
            s.language
                .clone()
                .unwrap_or_else(|| "language unknown".into()),
        ];
        if let Some(c) = &s.cues {
            if let Some(e) = &c.error {
                parts.push(format!("unreadable: {e}"));
            } else if let Some(n) = c.count {
                parts.push(format!("{n} cues"));
                if let (Some(a), Some(b)) = (c.first_start_s, c.last_end_s) {
                    parts.push(format!("{} – {}", show_duration(a), show_duration(b)));
                }
                if let Some(l) = c.longest_line_chars {
                    parts.push(format!("longest line {l} chars"));
                }
                if let Some(r) = c.max_chars_per_s {
                    parts.push(format!("up to {} chars/s", trim_num(r, 1)));
                }
                if let Some(p) = c.past_end.filter(|p| *p > 0) {
                    parts.push(format!("{p} past the end"));
                }
            }
        }
        match (s.index, &s.file) {
            (Some(i), _) => writeln!(out, "  subs  #{i:<3} {}", one_line(&parts.join(" · ")))?,
            (None, Some(file)) => writeln!(
                out,
                "  subs  file {} · {}",
                one_line(file),
                one_line(&parts.join(" · "))
            )?,
            (None, None) => writeln!(out, "  subs       {}", one_line(&parts.join(" · ")))?,
        }
    }
    for c in &f.chapters {
        writeln!(
            out,
            "  chapter    {} – {}  {}",
            show_duration(c.start_s),
            show_duration(c.end_s),
            one_line(c.title.as_deref().unwrap_or(""))
        )?;
    }
    if let Some(p) = &f.provenance {
        let status = match p.status.as_str() {
            "declared-ai" => "declares AI generation",
            "capture" => "declares camera capture",
            _ => "unknown (no AI declaration found; that proves nothing either way)",
        };
        writeln!(out, "  provenance {status}")?;
        for e in &p.evidence {
            writeln!(out, "             · {}", one_line(e))?;
        }
        for s in p.software.iter().filter(|s| s.kind == "editor") {
            writeln!(
                out,
                "             · {} names {} (editing software)",
                one_line(&s.found_in),
                one_line(&s.name)
            )?;
        }
    }
    if let Some(c) = &f.credits {
        if c.present {
            writeln!(
                out,
                "  credits    {} – {} ({}, {}, confidence {}{})",
                c.start_s.map(show_duration).unwrap_or_default(),
                c.end_s.map(show_duration).unwrap_or_default(),
                one_line(&c.position),
                one_line(&c.method),
                trim_num(c.confidence, 2),
                c.basis
                    .as_deref()
                    .map(|b| format!(", basis {}", one_line(b)))
                    .unwrap_or_default()
            )?;
        } else {
            writeln!(out, "  credits    none found")?;
        }
    }
    Ok(())
}
