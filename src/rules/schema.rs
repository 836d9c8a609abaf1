//! The fact paths a rule may name, what each measures and which analyzer computes it.
//! The paths themselves come from the facts types: a test walks their JSON Schema and fails
//! on a fact without a line here (or a reason it is not for rules) and on a line that names
//! no fact; a second test resolves every line in the facts recorded from real probes. What
//! the types cannot tell, the unit a value is read in and the analyzer that measures it, is
//! written here.

use reelcheck_facts::units::Kind;
use reelcheck_facts::Analyzer;

pub struct Entry {
    /// `[]` stands for a stream selector, `*` for any tag name.
    pub pattern: &'static str,
    pub kind: Kind,
    pub analyzer: Option<Analyzer>,
}

const fn e(pattern: &'static str, kind: Kind) -> Entry {
    Entry {
        pattern,
        kind,
        analyzer: None,
    }
}

const fn by(pattern: &'static str, kind: Kind, analyzer: Analyzer) -> Entry {
    Entry {
        pattern,
        kind,
        analyzer: Some(analyzer),
    }
}

use Kind::*;

pub const ENTRIES: &[Entry] = &[
    e("path", Text),
    e("file_name", Text),
    e("size_bytes", Bytes),
    e("container.format", Text),
    e("container.format_long", Text),
    e("container.duration_s", Duration),
    e("container.header_duration_s", Duration),
    e("container.truncated", Bool),
    e("container.bit_rate", BitRate),
    e("container.start_time_s", Duration),
    e("container.tags.*", Text),
    e("container.faststart", Bool),
    e("video[].index", Number),
    e("video[].codec", Text),
    e("video[].profile", Text),
    e("video[].width", Number),
    e("video[].height", Number),
    e("video[].sar", Text),
    e("video[].dar", Text),
    e("video[].fps", FrameRate),
    e("video[].frame_rate_mode", Text),
    e("video[].fps_min", FrameRate),
    e("video[].fps_max", FrameRate),
    e("video[].pulldown", Text),
    e("video[].pix_fmt", Text),
    e("video[].bit_depth", Number),
    e("video[].hdr", Text),
    e("video[].dolby_vision_profile", Number),
    e("video[].mastering_display.min_luminance", Number),
    e("video[].mastering_display.max_luminance", Number),
    e("video[].max_cll", Number),
    e("video[].max_fall", Number),
    e("video[].interlaced", Bool),
    by("video[].interlaced_note", Text, Analyzer::Video),
    e("video[].color_space", Text),
    e("video[].color_transfer", Text),
    e("video[].color_primaries", Text),
    e("video[].bit_rate", BitRate),
    e("video[].duration_s", Duration),
    e("video[].frames", Number),
    e("video[].rotation", Degrees),
    by("video[].black_head_s", Duration, Analyzer::Black),
    by("video[].black_tail_s", Duration, Analyzer::Black),
    e("video[].prores_profile", Text),
    by("video[].frames_decoded", Number, Analyzer::Video),
    by("video[].decode_errors", Number, Analyzer::Video),
    by("video[].missing_frames", Number, Analyzer::Video),
    by("video[].dropped_frames", Number, Analyzer::Video),
    by("video[].dropped_share", Number, Analyzer::Video),
    by("video[].decoded_to_end", Bool, Analyzer::Video),
    by("video[].damaged[].start_s", Duration, Analyzer::Video),
    by("video[].damaged[].end_s", Duration, Analyzer::Video),
    by("video[].damaged_at", Text, Analyzer::Video),
    by("video[].scan_detected", Text, Analyzer::Video),
    by("video[].scan_shares.progressive", Number, Analyzer::Video),
    by(
        "video[].scan_shares.interlaced_tff",
        Number,
        Analyzer::Video,
    ),
    by(
        "video[].scan_shares.interlaced_bff",
        Number,
        Analyzer::Video,
    ),
    by("video[].scan_shares.telecined", Number, Analyzer::Video),
    by("video[].scan_shares.undetermined", Number, Analyzer::Video),
    by("video[].frozen[].start_s", Duration, Analyzer::Video),
    by("video[].frozen[].end_s", Duration, Analyzer::Video),
    by("video[].frozen_at", Text, Analyzer::Video),
    by("video[].black_spans[].start_s", Duration, Analyzer::Video),
    by("video[].black_spans[].end_s", Duration, Analyzer::Video),
    by("video[].black_at", Text, Analyzer::Video),
    by(
        "video[].flash_violations[].start_s",
        Duration,
        Analyzer::Video,
    ),
    by(
        "video[].flash_violations[].end_s",
        Duration,
        Analyzer::Video,
    ),
    by(
        "video[].flash_violations[].flashes_per_s",
        Number,
        Analyzer::Video,
    ),
    by("video[].flash_violations[].kind", Text, Analyzer::Video),
    by("video[].flashing_at", Text, Analyzer::Video),
    by("video[].active_area.x", Number, Analyzer::Video),
    by("video[].active_area.y", Number, Analyzer::Video),
    by("video[].active_area.width", Number, Analyzer::Video),
    by("video[].active_area.height", Number, Analyzer::Video),
    by("video[].active_area.aspect", Number, Analyzer::Video),
    by("video[].active_area.bars", Text, Analyzer::Video),
    by("video[].head_content", Text, Analyzer::Video),
    by("video[].head_content_end_s", Duration, Analyzer::Video),
    by("video[].head_parts[].kind", Text, Analyzer::Video),
    by("video[].head_parts[].start_s", Duration, Analyzer::Video),
    by("video[].head_parts[].end_s", Duration, Analyzer::Video),
    by("video[].head_content_at", Text, Analyzer::Video),
    e("audio[].index", Number),
    e("audio[].codec", Text),
    e("audio[].profile", Text),
    e("audio[].channels", Number),
    e("audio[].channel_layout", Text),
    e("audio[].sample_rate", Frequency),
    e("audio[].bit_depth", Number),
    e("audio[].bit_rate", BitRate),
    e("audio[].duration_s", Duration),
    e("audio[].language", Text),
    e("audio[].title", Text),
    e("audio[].default", Bool),
    by(
        "audio[].loudness.integrated_lufs",
        Loudness,
        Analyzer::Audio,
    ),
    by("audio[].loudness.range_lu", LoudnessUnits, Analyzer::Audio),
    by("audio[].loudness.true_peak_dbtp", Decibels, Analyzer::Audio),
    by(
        "audio[].loudness.sample_peak_dbfs",
        Decibels,
        Analyzer::Audio,
    ),
    by("audio[].silent", Bool, Analyzer::Audio),
    by("audio[].silence_head_s", Duration, Analyzer::Audio),
    by("audio[].silence_tail_s", Duration, Analyzer::Audio),
    by("audio[].decoded_duration_s", Duration, Analyzer::Audio),
    by("audio[].end_offset_s", Offset, Analyzer::Audio),
    by("audio[].end_offset_frames", Number, Analyzer::Audio),
    by("audio[].clipping.runs", Number, Analyzer::Audio),
    by("audio[].clipping.samples", Number, Analyzer::Audio),
    by("audio[].clipping.first_s", Duration, Analyzer::Audio),
    by("audio[].identical_channels", Bool, Analyzer::Audio),
    by("audio[].decode_errors", Number, Analyzer::Audio),
    by("audio[].head_tone.start_s", Duration, Analyzer::Audio),
    by("audio[].head_tone.end_s", Duration, Analyzer::Audio),
    by("audio[].head_tone.frequency_hz", Frequency, Analyzer::Audio),
    by("audio[].head_tone.level_dbfs", Decibels, Analyzer::Audio),
    by("audio[].head_tone_at", Text, Analyzer::Audio),
    e("subtitles[].index", Number),
    e("subtitles[].codec", Text),
    e("subtitles[].language", Text),
    e("subtitles[].title", Text),
    e("subtitles[].source", Text),
    e("subtitles[].file", Text),
    by("subtitles[].cues.count", Number, Analyzer::Subtitles),
    by(
        "subtitles[].cues.first_start_s",
        Duration,
        Analyzer::Subtitles,
    ),
    by("subtitles[].cues.last_end_s", Duration, Analyzer::Subtitles),
    by("subtitles[].cues.past_end", Number, Analyzer::Subtitles),
    by(
        "subtitles[].cues.longest_line_chars",
        Number,
        Analyzer::Subtitles,
    ),
    by("subtitles[].cues.max_lines", Number, Analyzer::Subtitles),
    by(
        "subtitles[].cues.max_chars_per_s",
        Number,
        Analyzer::Subtitles,
    ),
    by("subtitles[].cues.error", Text, Analyzer::Subtitles),
    by("subtitles[].cues.encoding", Text, Analyzer::Subtitles),
    by(
        "subtitles[].cues.longest_line_cue",
        Number,
        Analyzer::Subtitles,
    ),
    by(
        "subtitles[].cues.longest_line_start_s",
        Duration,
        Analyzer::Subtitles,
    ),
    by(
        "subtitles[].cues.max_lines_cue",
        Number,
        Analyzer::Subtitles,
    ),
    by(
        "subtitles[].cues.max_lines_start_s",
        Duration,
        Analyzer::Subtitles,
    ),
    by("subtitles[].cues.fastest_cue", Number, Analyzer::Subtitles),
    by(
        "subtitles[].cues.fastest_start_s",
        Duration,
        Analyzer::Subtitles,
    ),
    by(
        "subtitles[].cues.first_past_end_cue",
        Number,
        Analyzer::Subtitles,
    ),
    by(
        "subtitles[].cues.first_past_end_start_s",
        Duration,
        Analyzer::Subtitles,
    ),
    e("chapters[].start_s", Duration),
    e("chapters[].end_s", Duration),
    e("chapters[].title", Text),
    by("credits.present", Bool, Analyzer::Credits),
    by("credits.start_s", Duration, Analyzer::Credits),
    by("credits.end_s", Duration, Analyzer::Credits),
    by("credits.duration_s", Duration, Analyzer::Credits),
    by("credits.position", Text, Analyzer::Credits),
    by("credits.confidence", Number, Analyzer::Credits),
    by("credits.method", Text, Analyzer::Credits),
    by("credits.basis", Text, Analyzer::Credits),
    by("credits.share", Number, Analyzer::Credits),
    by("credits.opening.start_s", Duration, Analyzer::Credits),
    by("credits.opening.end_s", Duration, Analyzer::Credits),
    by("credits.post_credits.start_s", Duration, Analyzer::Credits),
    by("credits.post_credits.end_s", Duration, Analyzer::Credits),
    by("similar.count", Number, Analyzer::Credits),
    by("similar.same_count", Number, Analyzer::Credits),
    by("similar.same_as_other_track", Bool, Analyzer::Credits),
    by("similar.resubmission", Bool, Analyzer::Credits),
    by("similar.best_similarity", Number, Analyzer::Credits),
    by("provenance.status", Text, Analyzer::Provenance),
    by("provenance.ai_declared", Bool, Analyzer::Provenance),
    by("provenance.evidence[]", Text, Analyzer::Provenance),
    by("provenance.ai_evidence", Text, Analyzer::Provenance),
    by("provenance.cad_evidence", Text, Analyzer::Provenance),
    by("provenance.capture_evidence", Text, Analyzer::Provenance),
    by("provenance.ai_mentions", Text, Analyzer::Provenance),
    by("provenance.c2pa.present", Bool, Analyzer::Provenance),
    by("provenance.c2pa.source", Text, Analyzer::Provenance),
    by("provenance.c2pa.valid", Bool, Analyzer::Provenance),
    by("provenance.c2pa.trusted", Bool, Analyzer::Provenance),
    by(
        "provenance.c2pa.validation_errors[]",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.claim_generator",
        Text,
        Analyzer::Provenance,
    ),
    by("provenance.c2pa.issuer", Text, Analyzer::Provenance),
    by("provenance.c2pa.signed_by", Text, Analyzer::Provenance),
    by(
        "provenance.c2pa.digital_source_types[]",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.actions[].action",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.actions[].digital_source_type",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.actions[].software_agent",
        Text,
        Analyzer::Provenance,
    ),
    by("provenance.c2pa.error", Text, Analyzer::Provenance),
    by(
        "provenance.c2pa.validation_state",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.failure_codes[]",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.actions[].found_in",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.ingredients[].title",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.ingredients[].relationship",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.ingredients[].manifest",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.ingredients[].claim_generator",
        Text,
        Analyzer::Provenance,
    ),
    by(
        "provenance.c2pa.ingredients[].found_in",
        Text,
        Analyzer::Provenance,
    ),
    by("provenance.xmp.present", Bool, Analyzer::Provenance),
    by(
        "provenance.xmp.digital_source_type",
        Text,
        Analyzer::Provenance,
    ),
    by("provenance.xmp.creator_tool", Text, Analyzer::Provenance),
    by(
        "provenance.xmp.software_agents[]",
        Text,
        Analyzer::Provenance,
    ),
    by("provenance.xmp.packets", Number, Analyzer::Provenance),
    by(
        "provenance.xmp.digital_source_types[]",
        Text,
        Analyzer::Provenance,
    ),
    by("provenance.xmp.creator_tools[]", Text, Analyzer::Provenance),
    by("provenance.xmp.errors[]", Text, Analyzer::Provenance),
    by("provenance.aigc_label.present", Bool, Analyzer::Provenance),
    by("provenance.aigc_label.found_in", Text, Analyzer::Provenance),
    by("provenance.aigc_label.fields.*", Text, Analyzer::Provenance),
    by("provenance.software[].name", Text, Analyzer::Provenance),
    by("provenance.software[].kind", Text, Analyzer::Provenance),
    by("provenance.software[].found_in", Text, Analyzer::Provenance),
];

/// Lists that `count(NAME)` and selectors apply to.
pub const LISTS: &[&str] = &["video", "audio", "subtitles", "chapters"];

pub fn lookup(pattern: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.pattern == pattern).or_else(|| {
        // Tag names are free-form.
        let (prefix, _) = pattern.rsplit_once('.')?;
        ENTRIES
            .iter()
            .find(|e| e.pattern.strip_suffix(".*") == Some(prefix))
    })
}

/// Every path a rule may name, as a table for people writing rule files.
pub fn listing() -> String {
    let mut out = String::from(
        "Facts a rule may name. [] takes a stream selector: [0] the first stream, [*] every one,\n\
         [any] at least one. `*` after a dot is any tag name. Facts measured by an analyzer are\n\
         measured only when a rule names them (or `probe --with` asks).\n\n",
    );
    let width = ENTRIES.iter().map(|e| e.pattern.len()).max().unwrap_or(0);
    let row = |path: &str, kind: &str, by: &str| format!("{path:<width$}  {by:<11} {kind}\n");
    out.push_str(&row("FACT", "VALUE", "MEASURED BY"));
    for list in LISTS {
        out.push_str(&row(
            &format!("count({list})"),
            Kind::Number.describe(),
            "header",
        ));
    }
    for e in ENTRIES {
        let by = e.analyzer.map_or("header", Analyzer::name);
        out.push_str(&row(e.pattern, e.kind.describe(), by));
    }
    out
}

/// The known path closest to a mistyped one, for "did you mean …?".
pub fn closest(pattern: &str) -> Option<&'static str> {
    // A short word is "close" to too many paths ("nope" is two letters from "path").
    let most = (pattern.chars().count() / 3).clamp(1, 4);
    ENTRIES
        .iter()
        .map(|e| (strsim::levenshtein(pattern, e.pattern), e.pattern))
        .filter(|(d, _)| *d <= most)
        .min()
        .map(|(_, p)| p)
}

#[cfg(test)]
mod derived {
    use super::ENTRIES;
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// Every leaf path of the facts' JSON, from the facts types themselves.
    fn fact_paths() -> BTreeSet<String> {
        let schema = serde_json::to_value(schemars::schema_for!(reelcheck_facts::Facts)).unwrap();
        let mut out = BTreeSet::new();
        walk(&schema, &schema, "", &mut out);
        out
    }

    fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.trim_start_matches("#/$defs/");
                resolve(root, &root["$defs"][name])
            }
            None => node,
        }
    }

    fn walk(root: &Value, node: &Value, at: &str, out: &mut BTreeSet<String>) {
        let node = resolve(root, node);
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(alts) = node.get(key).and_then(Value::as_array) {
                for alt in alts {
                    walk(root, alt, at, out);
                }
                return;
            }
        }
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (name, sub) in props {
                let path = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                walk(root, sub, &path, out);
            }
            return;
        }
        if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
            walk(root, extra, &format!("{at}.*"), out);
            return;
        }
        if let Some(items) = node.get("items") {
            walk(root, items, &format!("{at}[]"), out);
            return;
        }
        if node.get("type").and_then(Value::as_str) == Some("null") {
            return;
        }
        out.insert(at.to_string());
    }

    /// Facts a rule cannot usefully name, with the reason.
    const NOT_FOR_RULES: &[(&str, &str)] = &[
        (
            "error",
            "a file that could not be read is an ERROR entry, never a rule's result",
        ),
        (
            "failure",
            "why a file could not be checked when it is not the file's fault: an error code",
        ),
        (
            "fingerprint.version",
            "the fingerprint's format, for comparing films: rules read similar.*",
        ),
        (
            "fingerprint.duration_s",
            "the length the fingerprint spans: rules read container.duration_s",
        ),
        (
            "fingerprint.frames",
            "packed picture hashes, for comparing films: rules read similar.*",
        ),
        (
            "fingerprint.sound.start_s",
            "where the sound's fingerprint starts, for comparing films: rules read similar.*",
        ),
        (
            "fingerprint.sound.block_s",
            "the sound fingerprint's step, for comparing films: rules read similar.*",
        ),
        (
            "fingerprint.sound.blocks",
            "packed Chromaprint blocks, for comparing films: rules read similar.*",
        ),
        (
            "analyzers[]",
            "which analyses ran: how rules tell a fact not asked for from one not measured",
        ),
        (
            "audio[].loudness.momentary[]",
            "the loudness line, for the report's plot",
        ),
        ("audio[].loudness.momentary_step_s", "the plot's step"),
        (
            "audio[].loudness.reason",
            "why the loudness is null; the rule then says so",
        ),
        (
            "audio[].silence[].start_s",
            "positions for the report; rules take silence_max_s",
        ),
        (
            "audio[].silence[].end_s",
            "positions for the report; rules take silence_max_s",
        ),
        (
            "video[].mastering_display.red[]",
            "chromaticity pairs, shown, not judged",
        ),
        (
            "video[].mastering_display.green[]",
            "chromaticity pairs, shown, not judged",
        ),
        (
            "video[].mastering_display.blue[]",
            "chromaticity pairs, shown, not judged",
        ),
        (
            "video[].mastering_display.white_point[]",
            "chromaticity pairs, shown, not judged",
        ),
    ];

    /// The table and the types agree: every leaf of the facts is either a path rules may name
    /// or listed above with its reason, and every path rules may name is a fact. A fact added
    /// to `reelcheck_facts` without a line here (or a line for a fact that was renamed) fails.
    #[test]
    fn every_fact_has_an_entry_and_every_entry_is_a_fact() {
        let derived = fact_paths();
        let listed: BTreeSet<String> = ENTRIES.iter().map(|e| e.pattern.to_string()).collect();
        let excluded: BTreeSet<String> = NOT_FOR_RULES.iter().map(|(p, _)| p.to_string()).collect();
        let missing: Vec<_> = derived
            .iter()
            .filter(|p| !listed.contains(*p) && !excluded.contains(*p))
            .collect();
        assert!(
            missing.is_empty(),
            "facts without a schema entry: {missing:?}"
        );
        let stray: Vec<_> = listed
            .union(&excluded)
            .filter(|p| !derived.contains(*p))
            .collect();
        assert!(
            stray.is_empty(),
            "schema entries that are no fact: {stray:?}"
        );
        assert_eq!(listed.len(), ENTRIES.len(), "an entry is listed twice");
    }

    /// Every path rules may name resolves in a real probe: each appears in the facts of at
    /// least one of the committed media files, probed with every analyzer (the facts record).
    #[test]
    fn every_entry_resolves_in_a_recorded_probe() {
        let record: Value = serde_json::from_str(include_str!("../../tests/facts-record.json"))
            .expect("the facts record is JSON");
        let mut seen = BTreeSet::new();
        for facts in record["facts"].as_object().expect("facts by file").values() {
            walk_value(facts, "", &mut seen);
        }
        // What none of the committed files holds (their paths are checked against the types
        // above, and each has integration tests of its own on generated films).
        const NOT_IN_THE_RECORD: &[&str] = &[
            "subtitles[]",
            "chapters[]",
            "video[].flash_violations[]",
            "provenance.aigc_label.fields.*",
            // No committed file's XMP declares a source type or a creator tool, or is broken
            // (tests/cli/provenance_xmp.rs makes films that do and are).
            "provenance.xmp.digital_source_types[]",
            "provenance.xmp.creator_tools[]",
            "provenance.xmp.errors[]",
            // No committed clip has picture for more than 2 s after its end credits
            // (tests/cli/credits.rs places the scene after the credits of a generated film).
            "credits.post_credits",
            // Set when a batch is grouped, never by a probe (tests/cli/similar.rs).
            "similar.",
        ];
        let unresolved: Vec<&str> = ENTRIES
            .iter()
            .map(|e| e.pattern)
            .filter(|p| !seen.contains(*p))
            .filter(|p| !NOT_IN_THE_RECORD.iter().any(|n| p.starts_with(n)))
            .collect();
        assert!(
            unresolved.is_empty(),
            "paths no recorded probe holds: {unresolved:?}"
        );
    }

    /// The paths a facts value holds, `null`s included, spelt as the schema spells them.
    fn walk_value(v: &Value, at: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (name, sub) in map {
                    let name = if at.ends_with(".tags") {
                        "*"
                    } else {
                        name.as_str()
                    };
                    let path = if at.is_empty() {
                        name.to_string()
                    } else {
                        format!("{at}.{name}")
                    };
                    walk_value(sub, &path, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk_value(item, &format!("{at}[]"), out);
                }
            }
            _ => {
                out.insert(at.to_string());
            }
        }
    }
}
