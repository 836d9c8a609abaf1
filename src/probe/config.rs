//! Everything that decides which facts a probe produces, in one value: which analyzers run,
//! the audio thresholds, the organizer's software list and C2PA trust anchors. It travels to
//! worker processes inside each request and, hashed, into the facts cache key, so a change to
//! any of it is a change of the facts.

use crate::facts::Needs;
use crate::probe::audio::AudioOptions;
use crate::probe::software::Software;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProbeConfig {
    /// The analyzers to run beyond the header facts.
    #[serde(default)]
    pub needs: Needs,
    #[serde(default)]
    pub audio: AudioOptions,
    /// The organizer's additions to the built-in software list (`--software-list`).
    #[serde(default)]
    pub software: Vec<Software>,
    /// The organizer's C2PA trust anchors, a PEM bundle (`--c2pa-trust`).
    #[serde(default)]
    pub c2pa_trust: Option<String>,
    /// Seconds a probe may take before the video analyzer stops and keeps what it measured
    /// (set from a worker's time limit, a little under it, so the facts reach the parent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_budget_s: Option<f64>,
    /// Threads each picture decoder may use: more than one only when a run has fewer films than
    /// cores (one film checked alone), where cores would otherwise sit idle. The pictures are
    /// the same either way, so it is no part of the cache key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decode_threads: Option<usize>,
}

impl ProbeConfig {
    /// The default settings, running `needs`.
    pub fn new(needs: Needs) -> ProbeConfig {
        ProbeConfig {
            needs,
            ..Default::default()
        }
    }

    /// The same settings, running other analyzers.
    pub fn with_needs(&self, needs: Needs) -> ProbeConfig {
        ProbeConfig {
            needs,
            ..self.clone()
        }
    }

    /// A hash of every setting, for the facts cache key.
    pub fn fingerprint(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let keyed = ProbeConfig {
            decode_threads: None,
            ..self.clone()
        };
        // The JSON form holds every field, floats included, and nothing else.
        serde_json::to_vec(&keyed).unwrap_or_default().hash(&mut h);
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Analyzer;

    #[test]
    fn every_setting_changes_the_fingerprint() {
        let base = ProbeConfig::default();
        let mut audio = base.clone();
        audio.audio.silence_threshold_db = -50.0;
        let mut needs = base.clone();
        needs.needs.insert(Analyzer::Audio);
        let mut trust = base.clone();
        trust.c2pa_trust = Some("pem".into());
        let mut software = base.clone();
        software.software = crate::probe::software::parse(
            "x",
            "[[software]]\nname='A'\nkind='editor'\nmatch=['a']\n",
        )
        .unwrap();
        let prints: std::collections::BTreeSet<u64> = [&base, &audio, &needs, &trust, &software]
            .iter()
            .map(|c| c.fingerprint())
            .collect();
        assert_eq!(prints.len(), 5);
        assert_eq!(base.fingerprint(), ProbeConfig::default().fingerprint());
        // The decoder's threads change how fast, not what: facts cached by a batch serve a film
        // checked alone.
        let threaded = ProbeConfig {
            decode_threads: Some(2),
            ..base.clone()
        };
        assert_eq!(threaded.fingerprint(), base.fingerprint());
    }

    #[test]
    fn survives_the_trip_to_a_worker() {
        let mut c = ProbeConfig::new(crate::facts::Needs::all());
        c.audio.min_silence_s = 0.5;
        c.c2pa_trust = Some("-----BEGIN CERTIFICATE-----".into());
        let back: ProbeConfig = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
    }
}
