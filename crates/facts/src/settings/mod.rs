//! What a probe is asked to do, in two values. [`ProbeSettings`] decides which facts a probe
//! produces (which analyzers run, their thresholds, the organizer's software list and C2PA
//! trust anchors): it travels to worker processes inside each request and, hashed, into the
//! reuse key of the facts cache and the run journal, so a change to any of it is a change of
//! the facts. [`RunLimits`] decide only how far and how fast a probe may go (its time budget,
//! its decoder threads): they are never part of a key, and facts cut short by them are never
//! kept for reuse.

pub mod audio;
pub mod credits;
pub mod software;

pub use audio::AudioOptions;
pub use credits::CreditsSettings;
pub use software::Software;

use crate::Needs;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProbeSettings {
    /// The analyzers to run beyond the header facts.
    #[serde(default)]
    pub needs: Needs,
    #[serde(default)]
    pub audio: AudioOptions,
    /// The credits analyzer's tuning.
    #[serde(default)]
    pub credits: CreditsSettings,
    /// The organizer's additions to the built-in software list (`--software-list`).
    #[serde(default)]
    pub software: Vec<Software>,
    /// The organizer's C2PA trust anchors, a PEM bundle (`--c2pa-trust`).
    #[serde(default)]
    pub c2pa_trust: Option<String>,
    /// No fingerprint of the pictures or the sound (`check --no-similar`). Absent from the JSON
    /// form when false, so the settings of a default check hash as they always did.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_fingerprint: bool,
}

impl ProbeSettings {
    /// The default settings, running `needs`.
    pub fn new(needs: Needs) -> ProbeSettings {
        ProbeSettings {
            needs,
            ..Default::default()
        }
    }

    /// The same settings, running other analyzers.
    pub fn with_needs(&self, needs: Needs) -> ProbeSettings {
        ProbeSettings {
            needs,
            ..self.clone()
        }
    }

    /// A hash of every setting, for the reuse key.
    pub fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        // The JSON form holds every field, floats included, and nothing else.
        serde_json::to_vec(self).unwrap_or_default().hash(&mut h);
        h.finish()
    }
}

/// How far and how fast one probe may go. The facts do not depend on these, except that a probe
/// stopped by its time budget says so in its error, and such facts are not reused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunLimits {
    /// Seconds a probe may take before the video analyzer stops and keeps what it measured
    /// (set from a worker's time limit, a little under it, so the facts reach the parent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_budget_s: Option<f64>,
    /// Threads each picture decoder may use: more than one only when a run has fewer films than
    /// cores (one film checked alone), where cores would otherwise sit idle. The pictures are
    /// the same either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decode_threads: Option<usize>,
}

impl RunLimits {
    /// The moment the time budget runs out, counted from now.
    pub fn deadline(&self) -> Option<std::time::Instant> {
        self.time_budget_s
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(|s| std::time::Instant::now() + std::time::Duration::from_secs_f64(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Analyzer;

    #[test]
    fn every_setting_changes_the_fingerprint() {
        let base = ProbeSettings::default();
        let mut audio = base.clone();
        audio.audio.silence_threshold_db = -50.0;
        let mut needs = base.clone();
        needs.needs.insert(Analyzer::Audio);
        let mut trust = base.clone();
        trust.c2pa_trust = Some("pem".into());
        let mut software = base.clone();
        software.software =
            software::parse("x", "[[software]]\nname='A'\nkind='editor'\nmatch=['a']\n").unwrap();
        let mut credits = base.clone();
        credits.credits.min_end_card_s = 1.0;
        let mut unprinted = base.clone();
        unprinted.no_fingerprint = true;
        let prints: std::collections::BTreeSet<u64> = [
            &base, &audio, &needs, &trust, &software, &credits, &unprinted,
        ]
        .iter()
        .map(|c| c.fingerprint())
        .collect();
        assert_eq!(prints.len(), 7);
        assert_eq!(base.fingerprint(), ProbeSettings::default().fingerprint());
    }

    #[test]
    fn survives_the_trip_to_a_worker() {
        let mut c = ProbeSettings::new(Needs::all());
        c.audio.min_silence_s = 0.5;
        c.c2pa_trust = Some("-----BEGIN CERTIFICATE-----".into());
        let back: ProbeSettings =
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn a_budget_that_is_no_number_sets_no_deadline() {
        for s in [f64::NAN, f64::INFINITY, 0.0, -1.0] {
            let limits = RunLimits {
                time_budget_s: Some(s),
                decode_threads: None,
            };
            assert!(limits.deadline().is_none(), "{s}");
        }
    }
}
