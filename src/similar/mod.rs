//! The same film twice: entries of a batch (and of earlier reports) whose fingerprints show
//! the same pictures, grouped for the report's `similar` array, and what each entry learns
//! from it (`facts.similar`, which rules can name). Works on facts alone: nothing here opens
//! a film.

pub mod earlier;
pub mod matcher;
pub mod sound;

use matcher::{Film, Kind};
use reelcheck_facts::fingerprint::Similar;
use serde::{Deserialize, Serialize};
use sound::Heard;

/// Two entries that show the same pictures: `entries` are their paths (for `contains`, the
/// longer first), `ranges` where the shared stretches lie in each, `[a_start, a_end,
/// b_start, b_end]` in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Group {
    pub entries: Vec<String>,
    pub kind: GroupKind,
    pub shared_s: f64,
    pub similarity: f64,
    pub ranges: Vec<[f64; 4]>,
    /// Whether the two sound the same over the shared stretches (`same`), or not (`other`: the
    /// same pictures with another mix, music or language); absent when it cannot be told (no
    /// sound in one of them, silence, a held tone, too little of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<SoundKind>,
    /// For each entry, the earlier report it comes from (`--compare-with`), null for an entry
    /// of this batch; absent when every entry is of this batch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<Option<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    Same,
    Contains,
    Overlaps,
}

/// What the sound says of a pair the pictures found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SoundKind {
    Same,
    Other,
}

impl SoundKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SoundKind::Same => "same",
            SoundKind::Other => "other",
        }
    }

    /// In words, after the pair.
    pub fn said(self) -> &'static str {
        match self {
            SoundKind::Same => "same sound",
            SoundKind::Other => "other sound",
        }
    }
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Same => "same",
            GroupKind::Contains => "contains",
            GroupKind::Overlaps => "overlaps",
        }
    }

    /// In words, between the two entries' names.
    pub fn said(self) -> &'static str {
        match self {
            GroupKind::Same => "is the same film as",
            GroupKind::Contains => "contains",
            GroupKind::Overlaps => "shares a stretch with",
        }
    }
}

impl Group {
    /// Whether the entry at `k` comes from an earlier report.
    pub fn earlier(&self, k: usize) -> Option<&str> {
        self.reports.get(k).and_then(|r| r.as_deref())
    }
}

/// One film to compare: its path as reports show it, its track, the earlier report it comes
/// from (none for this batch), and its pictures.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: String,
    pub track: Option<String>,
    pub report: Option<String>,
    pub film: Film,
}

/// Every pair of films that share pictures, among `batch` and between `batch` and `earlier`
/// (earlier reports are not compared among themselves: that was their own run's business).
pub fn find(batch: &[Candidate], earlier: &[Candidate]) -> Vec<Group> {
    let all: Vec<&Candidate> = batch.iter().chain(earlier).collect();
    let films: Vec<Film> = all.iter().map(|c| c.film.clone()).collect();
    let n = batch.len();
    let pairs = matcher::candidates(&films, |p, q| p < n || q < n);
    let mut groups: Vec<Group> = pairs
        .into_iter()
        .filter_map(|(p, q)| {
            let m = matcher::compare(&films[p], &films[q])?;
            let (x, y) = if m.swapped { (q, p) } else { (p, q) };
            let ranges = if m.swapped {
                m.ranges.iter().map(|r| [r[2], r[3], r[0], r[1]]).collect()
            } else {
                m.ranges
            };
            let reports: Vec<Option<String>> = vec![all[x].report.clone(), all[y].report.clone()];
            Some(Group {
                entries: vec![all[x].path.clone(), all[y].path.clone()],
                kind: match m.kind {
                    Kind::Same => GroupKind::Same,
                    Kind::Contains => GroupKind::Contains,
                    Kind::Overlaps => GroupKind::Overlaps,
                },
                shared_s: m.shared_s,
                similarity: m.similarity,
                ranges,
                sound: m.sound.map(|h| match h {
                    Heard::Same => SoundKind::Same,
                    Heard::Different => SoundKind::Other,
                }),
                reports: if reports.iter().any(Option::is_some) {
                    reports
                } else {
                    Vec::new()
                },
            })
        })
        .collect();
    sort(&mut groups);
    groups
}

/// The closest first, then by name, so a report reads the same whatever the order of work.
pub fn sort(groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then(b.similarity.total_cmp(&a.similarity))
            .then_with(|| a.entries.cmp(&b.entries))
    });
}

fn rank(k: GroupKind) -> u8 {
    match k {
        GroupKind::Same => 0,
        GroupKind::Contains => 1,
        GroupKind::Overlaps => 2,
    }
}

/// What `groups` say about the batch entry `c`.
pub fn facts_of(c: &Candidate, groups: &[Group], batch: &[Candidate]) -> Similar {
    let mut s = Similar::default();
    for g in groups {
        let Some(me) =
            (0..g.entries.len()).find(|&k| g.entries[k] == c.path && g.earlier(k).is_none())
        else {
            continue;
        };
        let other = 1 - me.min(1);
        s.count += 1;
        s.best_similarity = Some(
            s.best_similarity
                .map_or(g.similarity, |b: f64| b.max(g.similarity)),
        );
        if g.kind != GroupKind::Same {
            continue;
        }
        s.same_count += 1;
        if g.earlier(other).is_some() {
            s.resubmission = true;
        } else if let Some(twin) = batch.iter().find(|b| b.path == g.entries[other]) {
            if twin.track != c.track {
                s.same_as_other_track = true;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(path: &str, track: &str, report: Option<&str>, frames: &[(f64, u64)]) -> Candidate {
        Candidate {
            path: path.into(),
            track: Some(track.into()),
            report: report.map(String::from),
            film: Film {
                duration_s: 30.0,
                frames: frames.to_vec(),
                sound: None,
            },
        }
    }

    fn pictures(seed: u64) -> Vec<(f64, u64)> {
        (0..15)
            .map(|i| {
                let h = (seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i * 0x2545_F491_4F6C_DD1D))
                    .wrapping_mul(0xBF58_476D_1CE4_E5B9)
                    & !(1 << 63);
                (i as f64 * 2.0, h)
            })
            .collect()
    }

    #[test]
    fn twins_on_two_tracks_and_an_earlier_report_are_told_apart() {
        let batch = vec![
            cand("a.mp4", "human", None, &pictures(1)),
            cand("b.mp4", "ai", None, &pictures(1)),
            cand("c.mp4", "human", None, &pictures(2)),
        ];
        let earlier = vec![cand("old.mp4", "human", Some("2025.json"), &pictures(2))];
        let groups = find(&batch, &earlier);
        assert_eq!(groups.len(), 2, "{groups:?}");
        let a = facts_of(&batch[0], &groups, &batch);
        assert!(a.same_as_other_track && !a.resubmission && a.count == 1);
        let c = facts_of(&batch[2], &groups, &batch);
        assert!(c.resubmission && !c.same_as_other_track && c.same_count == 1);
        let old = groups
            .iter()
            .find(|g| g.entries.contains(&"old.mp4".to_string()))
            .expect("the earlier twin");
        assert_eq!(old.reports, vec![None, Some("2025.json".to_string())]);
    }
}
