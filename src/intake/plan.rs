//! The plan of a run: which entries are checked, the track of each, and the rule set (with the
//! analyzers it needs) that checks each track. Nothing here reads a file: the festival comes in
//! loaded, rule sets are loaded by the caller's `load`, and entries come found (by `discover`
//! or a manifest), so every decision can be tested on its own.

use super::festival::{self, Festival, RulesRef, Track};
use super::{root_of, track_from_folder, Entry};
use crate::rules::RuleSet;
use crate::verdict::RuleSetInfo;
use reelcheck_facts::Needs;
use std::path::PathBuf;

/// Where entries take their tracks from.
#[derive(Debug, Clone, PartialEq)]
pub enum TrackSource {
    /// Every entry is of one track: `--track`, else the festival's first.
    Given,
    /// `--track-from folder`: the nearest folder named after a track inside the PATH argument
    /// the entry was found under (`roots`), else `--track`.
    Folders { roots: Vec<PathBuf> },
    /// `--manifest`: each row names its entry's track.
    Manifest,
}

impl TrackSource {
    /// Whether entries have tracks of their own, so that each may be checked by another set.
    fn per_entry(&self) -> bool {
        !matches!(self, TrackSource::Given)
    }
}

/// One `--rules` value.
#[derive(Debug, Clone, PartialEq)]
pub enum RulesArg {
    /// `NAME=FILE`: the rules of the track NAME (a track the festival lacks is added).
    Track(String, RulesRef),
    /// `FILE`: one rule file for every entry, as the command named it.
    Every(String, RulesRef),
}

impl RulesArg {
    /// Reads a `--rules` value; whether a plain value is a file or a built-in set's name
    /// depends on whether such a file exists.
    pub fn parse(given: &str) -> RulesArg {
        match given.split_once('=') {
            Some((name, file)) if festival::valid_name(name) => {
                RulesArg::Track(name.to_string(), RulesRef::given(file))
            }
            _ => RulesArg::Every(given.to_string(), RulesRef::given(given)),
        }
    }
}

/// What a command asks of the plan, its flags resolved.
pub struct Ask {
    pub festival: Festival,
    /// Whether the festival is the organizer's (`--festival`), which one rule file for every
    /// entry would contradict.
    pub festival_given: bool,
    pub rules: Vec<RulesArg>,
    /// `--track`.
    pub track: Option<String>,
    pub source: TrackSource,
    /// `--quick`: no analyzer that decodes.
    pub quick: bool,
    /// `--with`: analyzers run whatever the rules need.
    pub with: Needs,
}

/// The rule sets of a run and how entries are given to them: one set per track of the
/// festival, or one rule file for every entry.
#[derive(Debug)]
pub struct Tracks {
    sets: Vec<RuleSet>,
    /// What the report says of each set (with the track's title).
    infos: Vec<RuleSetInfo>,
    /// Track names entries may have: folder names, manifest values.
    known: Vec<String>,
    /// The track of an entry that names none (no --track-from, no manifest), or the default
    /// track with --track-from.
    default_track: Option<String>,
    /// One rule file for every entry, whatever its track.
    single: bool,
    source: TrackSource,
    quick: bool,
    with: Needs,
}

/// A run's plan: the entries each rule set checks, and those no rule set checks.
#[derive(Debug)]
pub struct Plan {
    /// In the order of the rule sets; a set without entries has no group.
    pub groups: Vec<Group>,
    /// Entries that are not checked, with the reason: of no track, or unreadable.
    pub not_checked: Vec<(Entry, String)>,
    /// Entries of another track than the one rule file for every entry was written for, with
    /// the reason: a mistake of the command for `check`, an error entry for `watch`.
    pub wrong_track: Vec<(Entry, String)>,
    /// Entries listed without being checked, and no failure (ignored, hidden, a document),
    /// with the reason.
    pub listed: Vec<(Entry, String)>,
}

/// The entries one rule set checks, and the analyzers that measures them.
#[derive(Debug)]
pub struct Group {
    /// Its index among the run's rule sets (`Tracks::set`).
    pub set: usize,
    pub needs: Needs,
    pub entries: Vec<Entry>,
}

impl Plan {
    /// Keeps only the entries `keep` holds (this machine's shard).
    pub fn retain(&mut self, keep: impl Fn(&Entry) -> bool) {
        for g in &mut self.groups {
            g.entries.retain(&keep);
        }
        self.groups.retain(|g| !g.entries.is_empty());
        self.not_checked.retain(|(e, _)| keep(e));
        self.wrong_track.retain(|(e, _)| keep(e));
        self.listed.retain(|(e, _)| keep(e));
    }

    /// Entries in the plan, checked or not.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.entries.len()).sum::<usize>()
            + self.not_checked.len()
            + self.wrong_track.len()
            + self.listed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Tracks {
    /// The rule sets `ask` names, each read by `load`. Only the sets that may check an entry
    /// are read: without per-entry tracks, only the one track's.
    pub fn new(
        ask: Ask,
        load: &dyn Fn(&RulesRef) -> Result<RuleSet, String>,
    ) -> Result<Tracks, String> {
        let mut festival = ask.festival;
        let mut every: Vec<(String, RulesRef)> = Vec::new();
        let given = ask.rules.len();
        for arg in ask.rules {
            match arg {
                RulesArg::Track(name, rules) => festival.set_rules(&name, rules),
                RulesArg::Every(text, rules) => every.push((text, rules)),
            }
        }
        let pairs = given - every.len();
        if every.len() > 1 || (every.len() == 1 && (pairs > 0 || ask.festival_given)) {
            return Err("--rules FILE checks every entry by that one file and is given alone; to give a track its own rules, use --rules NAME=FILE (once per track) or a festival file (--festival)".into());
        }
        let mut known = festival.names();
        let per_entry = ask.source.per_entry();
        if let Some((text, rules)) = every.into_iter().next() {
            let set = load(&rules)?;
            if let Some(own) = &set.track {
                if !known.contains(own) {
                    known.push(own.clone());
                }
            }
            if let Some(track) = &ask.track {
                unknown_track(track, &known)?;
                festival::check_track(&set, track, &format!("the rule file {text}"))?;
            }
            let default_track = ask.track.clone().or_else(|| set.track.clone());
            return Ok(Tracks {
                infos: vec![info(&set, None)],
                sets: vec![set],
                known,
                default_track,
                single: true,
                source: ask.source,
                quick: ask.quick,
                with: ask.with,
            });
        }
        if let Some(track) = &ask.track {
            unknown_track(track, &known)?;
        }
        let chosen: Vec<&Track> = if per_entry {
            festival.tracks.iter().collect()
        } else {
            let first = known.first().map(String::as_str);
            let Some(name) = ask.track.as_deref().or(first) else {
                return Err("the festival has no tracks".into());
            };
            festival.track(name).into_iter().collect()
        };
        let sets = chosen
            .iter()
            .map(|t| festival::track_rules(t, load(&t.rules)?))
            .collect::<Result<Vec<_>, String>>()?;
        let infos = sets
            .iter()
            .zip(&chosen)
            .map(|(s, t)| info(s, Some(t.title.clone())))
            .collect();
        Ok(Tracks {
            default_track: if per_entry {
                ask.track.clone()
            } else {
                sets.first().and_then(|s| s.track.clone())
            },
            sets,
            infos,
            known,
            single: false,
            source: ask.source,
            quick: ask.quick,
            with: ask.with,
        })
    }

    /// The track names entries may have.
    pub fn known(&self) -> &[String] {
        &self.known
    }

    /// The rule set of a group.
    pub fn set(&self, index: usize) -> &RuleSet {
        &self.sets[index]
    }

    /// Whether a track's rules name a fact under `prefix`.
    pub fn any_names(&self, prefix: &str) -> bool {
        self.sets.iter().any(|s| s.names(prefix))
    }

    /// Gives an entry found under a PATH argument its track (a manifest's entries have theirs).
    pub fn assign(&self, e: &mut Entry) {
        e.info.track = match &self.source {
            TrackSource::Manifest => return,
            TrackSource::Folders { roots } => {
                let root = root_of(roots, &e.path).unwrap_or(&e.path);
                track_from_folder(root, &e.path, &self.known)
                    .map(str::to_string)
                    .or_else(|| self.default_track.clone())
            }
            TrackSource::Given => self.default_track.clone(),
        };
    }

    /// Which of the sets checks an entry: the only one, or the one of its track.
    fn set_for(&self, e: &Entry) -> Option<usize> {
        if self.single {
            return Some(0);
        }
        let track = e.info.track.as_deref()?;
        self.sets
            .iter()
            .position(|s| s.track.as_deref() == Some(track))
    }

    /// With one rule file for every entry, an entry of a track the file is not for is a
    /// mistake: that file's rules would judge it by another track's terms.
    fn wrong_track(&self, e: &Entry) -> Option<String> {
        if !self.single {
            return None;
        }
        let set = &self.sets[0];
        let own = set.track.as_ref()?; // a rule file for no track in particular
        let track = e.info.track.as_ref().filter(|t| *t != own)?;
        Some(format!(
            "the rule file {} ('{}') is for the {own} track, but {} is an entry of the {track} track; give each track its rules with --rules {track}=FILE or a festival file (--festival)",
            set.source,
            set.name,
            e.path.display()
        ))
    }

    /// The analyzers the set at `index` needs, as the flags adjust them.
    fn needs(&self, index: usize) -> Needs {
        let set = &self.sets[index];
        let mut needs = if self.quick {
            set.needs().without_decoding()
        } else {
            set.needs()
        };
        needs.0.extend(self.with.0.iter().copied());
        needs
    }

    /// The plan for `entries` (given their tracks by `assign`), for `unreadable` entries,
    /// which are reported as errors with their reason, and for `listed` ones, reported with
    /// their reason as no failure.
    pub fn plan(
        &self,
        entries: Vec<Entry>,
        unreadable: Vec<(Entry, String)>,
        listed: Vec<(Entry, String)>,
    ) -> Plan {
        let mut groups: Vec<Group> = (0..self.sets.len())
            .map(|set| Group {
                set,
                needs: self.needs(set),
                entries: Vec::new(),
            })
            .collect();
        let mut not_checked = Vec::new();
        let mut wrong_track = Vec::new();
        for e in entries {
            if let Some(why) = self.wrong_track(&e) {
                wrong_track.push((e, why));
                continue;
            }
            match self.set_for(&e) {
                Some(i) => groups[i].entries.push(e),
                None => not_checked.push((e, no_track(&self.known))),
            }
        }
        not_checked.extend(unreadable);
        groups.retain(|g| !g.entries.is_empty());
        Plan {
            groups,
            not_checked,
            wrong_track,
            listed,
        }
    }

    /// The rule sets a report names: every track's when entries have their own (and not one
    /// rule file checks them all), else the one set's.
    pub fn named(&self) -> &[RuleSetInfo] {
        if self.source.per_entry() && !self.single {
            &self.infos
        } else {
            &self.infos[..1]
        }
    }
}

fn unknown_track(track: &str, known: &[String]) -> Result<(), String> {
    if known.iter().any(|k| k == track) {
        Ok(())
    } else {
        Err(format!(
            "unknown track '{track}' (the festival's tracks: {})",
            known.join(", ")
        ))
    }
}

fn no_track(known: &[String]) -> String {
    format!(
        "no track: not inside a folder named after a track ({}); --track gives a default for such files",
        known.join(", ")
    )
}

fn info(rules: &RuleSet, title: Option<String>) -> RuleSetInfo {
    RuleSetInfo {
        name: rules.name.clone(),
        track: rules.track.clone(),
        source: rules.source.clone(),
        title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;
    use reelcheck_facts::Analyzer;
    use std::cell::RefCell;
    use std::path::Path;

    /// Loads built-in sets as they are, and stands in for rule files: `doc.toml` is a set for
    /// no track in particular, `ai-only.toml` one written for the ai track, anything else does
    /// not load.
    fn load(r: &RulesRef) -> Result<RuleSet, String> {
        match r {
            RulesRef::BuiltIn(name) => rules::load_builtin(name).map_err(|e| e.to_string()),
            RulesRef::File(path) => {
                let name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
                let track = match path.file_name().and_then(|n| n.to_str()) {
                    Some("doc.toml") => None,
                    Some("ai-only.toml") => Some("ai".to_string()),
                    _ => return Err(format!("{}: no such file", path.display())),
                };
                let mut set = rules::load_builtin("common").map_err(|e| e.to_string())?;
                set.name = name.unwrap_or_default();
                set.track = track;
                set.source = path.display().to_string();
                Ok(set)
            }
        }
    }

    fn ask(source: TrackSource) -> Ask {
        Ask {
            festival: Festival::builtin(),
            festival_given: false,
            rules: Vec::new(),
            track: None,
            source,
            quick: false,
            with: Needs::default(),
        }
    }

    fn folders() -> TrackSource {
        TrackSource::Folders {
            roots: vec![PathBuf::from("in")],
        }
    }

    fn file(path: &str) -> RulesArg {
        RulesArg::Every(path.to_string(), RulesRef::File(PathBuf::from(path)))
    }

    /// Entries under `in`, given their tracks as `tracks` would.
    fn found(tracks: &Tracks, paths: &[&str]) -> Vec<Entry> {
        paths
            .iter()
            .map(|p| {
                let mut e = Entry::under(Path::new("in"), PathBuf::from(p));
                tracks.assign(&mut e);
                e
            })
            .collect()
    }

    /// Each group as (its track, its entries' keys).
    fn groups(tracks: &Tracks, plan: &Plan) -> Vec<(Option<String>, Vec<String>)> {
        plan.groups
            .iter()
            .map(|g| {
                let keys = g.entries.iter().map(|e| e.key.clone()).collect();
                (tracks.set(g.set).track.clone(), keys)
            })
            .collect()
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn without_tracks_of_their_own_entries_are_of_the_first_track_or_the_one_given() {
        let tracks = Tracks::new(ask(TrackSource::Given), &load).expect("a plan");
        let plan = tracks.plan(
            found(&tracks, &["in/ai/a.mp4", "in/b.mp4"]),
            Vec::new(),
            Vec::new(),
        );
        assert_eq!(
            groups(&tracks, &plan),
            [(some("human"), vec!["ai/a.mp4".into(), "b.mp4".into()])]
        );
        assert!(plan.not_checked.is_empty());
        let named: Vec<Option<&str>> = tracks.named().iter().map(|s| s.track.as_deref()).collect();
        assert_eq!(named, [Some("human")]);

        let mut given = ask(TrackSource::Given);
        given.track = some("ai");
        let tracks = Tracks::new(given, &load).expect("a plan");
        let plan = tracks.plan(found(&tracks, &["in/human/a.mp4"]), Vec::new(), Vec::new());
        assert_eq!(
            groups(&tracks, &plan),
            [(some("ai"), vec!["human/a.mp4".into()])]
        );
    }

    #[test]
    fn folder_tracks_split_entries_and_leave_those_of_no_track_unchecked() {
        let tracks = Tracks::new(ask(folders()), &load).expect("a plan");
        let entries = found(&tracks, &["in/ai/x/a.mp4", "in/human/b.mp4", "in/c.mp4"]);
        let unreadable = found(&tracks, &["in/ai/loop"]);
        let unreadable = vec![(unreadable[0].clone(), "symbolic link loop".to_string())];
        let plan = tracks.plan(entries, unreadable, Vec::new());
        assert_eq!(
            groups(&tracks, &plan),
            [
                (some("human"), vec!["human/b.mp4".into()]),
                (some("ai"), vec!["ai/x/a.mp4".into()]),
            ]
        );
        let not_checked: Vec<(&str, Option<&str>, &str)> = plan
            .not_checked
            .iter()
            .map(|(e, why)| (e.key.as_str(), e.info.track.as_deref(), why.as_str()))
            .collect();
        assert_eq!(not_checked.len(), 2);
        assert_eq!(not_checked[0].0, "c.mp4");
        assert!(not_checked[0]
            .2
            .starts_with("no track: not inside a folder named after a track (human, ai)"));
        assert_eq!(
            not_checked[1],
            ("ai/loop", Some("ai"), "symbolic link loop")
        );
        assert_eq!(tracks.named().len(), 2);

        // --track gives the entries outside any track folder theirs.
        let mut with_default = ask(folders());
        with_default.track = some("human");
        let tracks = Tracks::new(with_default, &load).expect("a plan");
        let plan = tracks.plan(found(&tracks, &["in/c.mp4"]), Vec::new(), Vec::new());
        assert_eq!(
            groups(&tracks, &plan),
            [(some("human"), vec!["c.mp4".into()])]
        );
    }

    #[test]
    fn manifest_entries_keep_the_tracks_their_rows_name() {
        let tracks = Tracks::new(ask(TrackSource::Manifest), &load).expect("a plan");
        let mut entries = found(&tracks, &["in/human/a.mp4", "in/b.mp4"]);
        entries[0].info.track = some("ai");
        entries[1].info.track = some("human");
        for e in &mut entries {
            tracks.assign(e);
        }
        let plan = tracks.plan(entries, Vec::new(), Vec::new());
        assert_eq!(
            groups(&tracks, &plan),
            [
                (some("human"), vec!["b.mp4".into()]),
                (some("ai"), vec!["human/a.mp4".into()]),
            ]
        );
    }

    #[test]
    fn a_track_given_its_own_rules_is_checked_by_them_and_a_new_one_is_added() {
        let mut a = ask(folders());
        a.rules = vec![
            RulesArg::Track("doc".into(), RulesRef::File("doc.toml".into())),
            RulesArg::Track("ai".into(), RulesRef::BuiltIn("screening".into())),
        ];
        let tracks = Tracks::new(a, &load).expect("a plan");
        assert_eq!(tracks.known(), ["human", "ai", "doc"]);
        let plan = tracks.plan(
            found(&tracks, &["in/doc/a.mp4", "in/ai/b.mp4"]),
            Vec::new(),
            Vec::new(),
        );
        let names: Vec<(&str, Option<&str>)> = plan
            .groups
            .iter()
            .map(|g| {
                (
                    tracks.set(g.set).name.as_str(),
                    tracks.set(g.set).track.as_deref(),
                )
            })
            .collect();
        assert_eq!(names, [("screening", Some("ai")), ("doc", Some("doc"))]);
    }

    #[test]
    fn one_rule_file_checks_every_entry_but_refuses_entries_of_another_track() {
        let mut a = ask(TrackSource::Given);
        a.rules = vec![file("doc.toml")];
        let tracks = Tracks::new(a, &load).expect("a plan");
        let plan = tracks.plan(
            found(&tracks, &["in/ai/a.mp4", "in/b.mp4"]),
            Vec::new(),
            Vec::new(),
        );
        assert_eq!(
            groups(&tracks, &plan),
            [(None, vec!["ai/a.mp4".into(), "b.mp4".into()])]
        );

        // A file written for the ai track, with entries from track folders.
        let mut a = ask(folders());
        a.rules = vec![file("ai-only.toml")];
        let tracks = Tracks::new(a, &load).expect("a plan");
        let plan = tracks.plan(
            found(&tracks, &["in/ai/a.mp4", "in/human/b.mp4"]),
            Vec::new(),
            Vec::new(),
        );
        assert_eq!(
            groups(&tracks, &plan),
            [(some("ai"), vec!["ai/a.mp4".into()])]
        );
        assert_eq!(plan.wrong_track.len(), 1);
        assert!(plan.wrong_track[0].1.starts_with("the rule file ai-only.toml ('ai-only') is for the ai track, but in/human/b.mp4 is an entry of the human track"), "{}", plan.wrong_track[0].1);
    }

    #[test]
    fn mistakes_of_the_command_are_refused() {
        let refused = |a: Ask| Tracks::new(a, &load).expect_err("refused");
        let mut two = ask(TrackSource::Given);
        two.rules = vec![file("doc.toml"), file("doc.toml")];
        assert!(refused(two)
            .starts_with("--rules FILE checks every entry by that one file and is given alone"));
        let mut with_pair = ask(TrackSource::Given);
        with_pair.rules = vec![
            file("doc.toml"),
            RulesArg::Track("ai".into(), RulesRef::BuiltIn("ai".into())),
        ];
        assert!(refused(with_pair).contains("is given alone"));
        let mut with_festival = ask(TrackSource::Given);
        with_festival.festival_given = true;
        with_festival.rules = vec![file("doc.toml")];
        assert!(refused(with_festival).contains("is given alone"));
        let mut unknown = ask(TrackSource::Given);
        unknown.track = some("docs");
        assert_eq!(
            refused(unknown),
            "unknown track 'docs' (the festival's tracks: human, ai)"
        );
        let mut mismatch = ask(TrackSource::Given);
        mismatch.rules = vec![file("ai-only.toml")];
        mismatch.track = some("human");
        assert!(refused(mismatch)
            .contains("is for the ai track, but checks entries of the human track"));
        let mut missing = ask(TrackSource::Given);
        missing.rules = vec![file("nope.toml")];
        assert_eq!(refused(missing), "nope.toml: no such file");
    }

    #[test]
    fn only_the_rules_that_may_check_an_entry_are_read() {
        let read = RefCell::new(Vec::new());
        let recording = |r: &RulesRef| {
            read.borrow_mut().push(r.clone());
            load(r)
        };
        let mut a = ask(TrackSource::Given);
        a.rules = vec![RulesArg::Track(
            "ai".into(),
            RulesRef::File("broken.toml".into()),
        )];
        Tracks::new(a, &recording).expect("the ai track's broken file is never read");
        assert_eq!(*read.borrow(), [RulesRef::BuiltIn("human".into())]);
        let mut a = ask(folders());
        a.rules = vec![RulesArg::Track(
            "ai".into(),
            RulesRef::File("broken.toml".into()),
        )];
        assert!(Tracks::new(a, &recording).is_err());
    }

    #[test]
    fn each_group_runs_the_analyzers_its_rules_need_as_the_flags_adjust_them() {
        let needs = |quick: bool, with: &str| {
            let mut a = ask(TrackSource::Given);
            a.quick = quick;
            a.with = Needs::parse_list(with).expect("a list");
            let tracks = Tracks::new(a, &load).expect("a plan");
            let plan = tracks.plan(found(&tracks, &["in/a.mp4"]), Vec::new(), Vec::new());
            plan.groups[0].needs.clone()
        };
        let full = needs(false, "");
        assert!(full.has(Analyzer::Audio) && full.has(Analyzer::Provenance));
        let quick = needs(true, "");
        assert!(!quick.has(Analyzer::Audio), "--quick decodes nothing");
        assert!(
            quick.has(Analyzer::Provenance),
            "provenance reads metadata only"
        );
        assert!(
            needs(true, "credits").has(Analyzer::Credits),
            "--with adds to --quick"
        );
    }

    #[test]
    fn a_shard_keeps_its_part_of_the_plan() {
        let tracks = Tracks::new(ask(folders()), &load).expect("a plan");
        let entries = found(&tracks, &["in/ai/a.mp4", "in/human/b.mp4", "in/c.mp4"]);
        let notes = found(&tracks, &["in/notes.txt"]).remove(0);
        let listed = vec![(notes, "a text file, not a film".to_string())];
        let mut plan = tracks.plan(entries, Vec::new(), listed);
        assert_eq!(plan.len(), 4);
        plan.retain(|e| e.key != "ai/a.mp4");
        assert_eq!(plan.len(), 3);
        plan.retain(|e| e.key != "notes.txt");
        assert_eq!(plan.len(), 2);
        assert!(plan.listed.is_empty());
        assert_eq!(
            groups(&tracks, &plan),
            [(some("human"), vec!["human/b.mp4".into()])]
        );
        plan.retain(|_| false);
        assert!(plan.is_empty() && plan.groups.is_empty());
    }
}
