//! Signal groups compiled into two Aho–Corasick automata: one over the
//! trigger words (US regimes and lists, chips, vendors, third countries …)
//! that runs over whole texts as the prefilter, and one over the context
//! words (modals, verbs, carve-outs …) that runs only inside candidate
//! sentences, together with the groups' regular expressions.

use std::collections::HashMap;

use aho_corasick::AhoCorasickKind;

mod gates;
mod matcher;

use gates::{Regexes, build_regex};
use matcher::{Automaton, Entries, Entry, SplitDfa, WordDfa, build, scan};

use super::RuleError;
use super::schema::{LexiconFile, ProhibitionOrdersFile, RegimeKind, RegimesFile};
use comity_text::Span;

pub type GroupId = usize;

/// Groups the engine computes itself from other signals; rules may use them.
pub const DERIVED_GROUPS: &[(&str, &str)] = &[
    (
        "us_nexus",
        "A US export-control or sanctions measure: a US law, authority or list; 'U.S.' next to an export-control or sanctions word; or a defined term whose definition carries one.",
    ),
    (
        "us_list_any",
        "A US list of designated persons, named or through a defined term.",
    ),
    (
        "chinese_target",
        "The measure targets Chinese persons: a US list with a PRC party present, PRC chips or vendors, Xinjiang, or China named in the sentence.",
    ),
    (
        "defines_term",
        "The sentence defines a term (`\"X\" means`, `“X”指`).",
    ),
    (
        "tainted_term",
        "A use of a defined term whose definition carries a US measure.",
    ),
    (
        "unresolved_term",
        "A sanctions-like capitalised term whose definition is not in the text.",
    ),
    (
        "un_only",
        "UN Security Council measures are named and no US measure is.",
    ),
    (
        "po_target",
        "A person protected by a MOFCOM prohibition order.",
    ),
];

/// What a regime entry is, for the engine's grading.
#[derive(Debug, Clone)]
pub struct RegimeInfo {
    pub id: String,
    pub country: String,
    pub kind: RegimeKind,
    pub targets_chinese_persons: bool,
}

/// One match of a group in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub group: GroupId,
    pub span: Span,
    /// The regime the match names, if it comes from regimes.toml.
    pub regime: Option<u32>,
}

#[derive(Debug)]
pub struct Lexicon {
    names: Vec<String>,
    descriptions: Vec<String>,
    index: HashMap<String, GroupId>,
    masks: Vec<bool>,
    triggers: Automaton,
    context: Automaton,
    regexes: Regexes,
    pub regimes: Vec<RegimeInfo>,
    /// Whether [`Lexicon::build_dfa`] has been called: a rule set shared by
    /// several configurations builds its DFAs once.
    dfa_started: std::sync::atomic::AtomicBool,
}

impl Lexicon {
    pub fn compile(
        file: &LexiconFile,
        regimes: &RegimesFile,
        orders: &ProhibitionOrdersFile,
    ) -> Result<Lexicon, RuleError> {
        let lexicon_file = "clauses/lexicon.toml";
        let mut lex = Lexicon {
            names: Vec::new(),
            descriptions: Vec::new(),
            index: HashMap::new(),
            masks: Vec::new(),
            triggers: Automaton {
                ac: None,
                dfa: std::sync::OnceLock::new(),
                entries: Vec::new(),
            },
            context: Automaton {
                ac: None,
                dfa: std::sync::OnceLock::new(),
                entries: Vec::new(),
            },
            regexes: Regexes::default(),
            regimes: Vec::new(),
            dfa_started: std::sync::atomic::AtomicBool::new(false),
        };
        let mut patterns: Vec<(GroupId, &str, &str)> = Vec::new();
        let mut trigger_entries = Entries::default();
        let mut context_entries = Entries::default();
        let add = |entries: &mut Entries,
                   raw: &str,
                   group: GroupId,
                   cs_group: bool,
                   regime: Option<usize>| {
            let (text, forced) = match raw.strip_prefix('=') {
                Some(t) => (t.to_string(), true),
                None => (raw.to_string(), false),
            };
            // Matched on simplified text (see `script`): the words too.
            let text = super::script::to_simplified(&text).into_owned();
            if text.trim().is_empty() {
                return;
            }
            let letters: Vec<char> = text.chars().filter(|c| c.is_ascii_alphabetic()).collect();
            let all_caps = letters.len() >= 2 && letters.iter().all(|c| c.is_ascii_uppercase());
            let case_sensitive = forced || all_caps || cs_group;
            let left_bound = text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let right_bound = text
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let key = (text, case_sensitive, regime);
            if let Some(&i) = entries.index.get(&key) {
                let e = &mut entries.list[i];
                if !e.groups.contains(&group) {
                    e.groups.push(group);
                }
            } else {
                entries.list.push(Entry {
                    text: key.0.clone(),
                    case_sensitive,
                    left_bound,
                    right_bound,
                    groups: vec![group],
                    regime,
                });
                entries.index.insert(key, entries.list.len() - 1);
            }
        };
        for (name, group) in &file.groups {
            let id = lex.register(name, &group.description, group.masks)?;
            let entries = if group.trigger || group.masks {
                &mut trigger_entries
            } else {
                &mut context_entries
            };
            for raw in group.en.iter().chain(group.zh.iter()) {
                if group.trigger && comity_text::has_cjk(raw) && raw.chars().count() < 2 {
                    return Err(RuleError {
                        file: lexicon_file.into(),
                        message: format!(
                            "trigger entry `{raw}` in group `{name}` is too short to search for"
                        ),
                    });
                }
                add(entries, raw, id, group.case_sensitive, None);
            }
            for pattern in &group.regex {
                patterns.push((id, name.as_str(), pattern.as_str()));
            }
        }
        for (r, regime) in regimes.regimes.iter().enumerate() {
            let kind = match regime.kind {
                RegimeKind::Law => "law",
                RegimeKind::Authority => "authority",
                RegimeKind::List => "list",
            };
            let name = format!("{}_{kind}", regime.country.to_ascii_lowercase());
            let id = match lex.index.get(&name) {
                Some(&id) => id,
                None => lex.register(
                    &name,
                    &format!("{} {kind} named in regimes.toml", regime.country),
                    false,
                )?,
            };
            lex.regimes.push(RegimeInfo {
                id: regime.id.clone(),
                country: regime.country.clone(),
                kind: regime.kind,
                targets_chinese_persons: regime.targets_chinese_persons,
            });
            for raw in regime.en.iter().chain(regime.zh.iter()) {
                add(&mut trigger_entries, raw, id, false, Some(r));
            }
        }
        for (name, description) in DERIVED_GROUPS {
            if !lex.index.contains_key(*name) {
                lex.register(name, description, false)?;
            }
        }
        let po = lex.index["po_target"];
        for order in &orders.orders {
            for target in &order.targets {
                for raw in target.en.iter().chain(target.zh.iter()) {
                    add(&mut trigger_entries, raw, po, false, None);
                }
            }
        }
        // The context automaton and the regexes' gates are built on a second
        // thread while the trigger automaton builds: start-up time matters
        // for one-page checks and editor launches.
        let (regexes, triggers, context) = std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let regexes = Regexes::new(&patterns, lexicon_file);
                (
                    regexes,
                    build(context_entries.list, AhoCorasickKind::NoncontiguousNFA),
                )
            });
            let triggers = build(trigger_entries.list, AhoCorasickKind::ContiguousNFA);
            let (regexes, context) = second.join().expect("building the lexicon does not panic");
            (regexes, triggers, context)
        });
        lex.regexes = regexes?;
        lex.triggers = triggers?;
        lex.context = context?;
        Ok(lex)
    }

    fn register(
        &mut self,
        name: &str,
        description: &str,
        masks: bool,
    ) -> Result<GroupId, RuleError> {
        if self.index.contains_key(name) {
            return Err(RuleError {
                file: "clauses/lexicon.toml".into(),
                message: format!("group `{name}` is defined twice"),
            });
        }
        let id = self.names.len();
        self.names.push(name.to_string());
        self.descriptions.push(description.to_string());
        self.masks.push(masks);
        self.index.insert(name.to_string(), id);
        Ok(id)
    }

    pub fn group(&self, name: &str) -> Option<GroupId> {
        self.index.get(name).copied()
    }

    /// The id of a group the engine relies on; the names are fixed by the
    /// library's own files, which the test suite loads.
    pub fn id(&self, name: &str) -> GroupId {
        self.index
            .get(name)
            .copied()
            .unwrap_or_else(|| panic!("signal group `{name}` is missing from the rule library"))
    }

    pub fn name(&self, id: GroupId) -> &str {
        &self.names[id]
    }

    pub fn description(&self, id: GroupId) -> &str {
        &self.descriptions[id]
    }

    pub fn group_count(&self) -> usize {
        self.names.len()
    }

    /// The literal words of the trigger groups, for comparing with a plain
    /// text scanner (the bench script feeds them to ripgrep).
    pub fn trigger_literals(&self) -> Vec<&str> {
        self.triggers
            .entries
            .iter()
            .map(|e| e.text.as_str())
            .collect()
    }

    /// Trigger-group matches in `span` of `text`, in order of position.
    pub fn scan_triggers(&self, text: &str, span: Span, out: &mut Vec<Hit>) {
        scan(&self.triggers, &self.masks, text, span, out);
    }

    /// Builds the trigger words' DFA, then the context words', which scans
    /// then use: worth their build time (a few milliseconds) on a long
    /// batch, not on one page.
    pub fn build_dfa(&self) {
        if self
            .dfa_started
            .swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            return;
        }
        for automaton in [&self.triggers, &self.context] {
            if automaton.ac.is_none() {
                continue; // no words
            }
            // A half that cannot be built (a rule folder's word list too
            // large for a DFA) leaves the NFA in use: a missing half would
            // lose its words.
            if let (Ok(ascii), Ok(other)) = (
                WordDfa::build(&automaton.entries, true),
                WordDfa::build(&automaton.entries, false),
            ) {
                let _ = automaton.dfa.set(SplitDfa { ascii, other });
            }
        }
    }

    /// Context-group matches (words and regexes) in `span` of `text`.
    pub fn scan_context(&self, text: &str, span: Span, out: &mut Vec<Hit>) {
        scan(&self.context, &self.masks, text, span, out);
        let hay = super::script::to_simplified(&text[span.start..span.end]);
        let hay = hay.as_ref();
        for i in self.regexes.candidates(hay) {
            let (group, re) = (self.regexes.groups[i], self.regexes.get(i));
            for m in re.find_iter(hay) {
                out.push(Hit {
                    group,
                    span: Span::new(span.start + m.start(), span.start + m.end()),
                    regime: None,
                });
            }
        }
    }

    /// Compiles every regex now (the test suite checks that they all compile).
    pub fn compile_all_regexes(&self) -> Result<(), String> {
        for (i, p) in self.regexes.patterns.iter().enumerate() {
            build_regex(p).map_err(|e| {
                format!(
                    "group `{}`: bad regex `{p}`: {e}",
                    self.names[self.regexes.groups[i]]
                )
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::matcher::scan_in_windows;
    use super::*;
    use crate::RuleSet;
    use proptest::prelude::*;
    use regex::Regex;

    /// Every regex run on `hay`, without gates.
    fn all_regex_hits(lex: &Lexicon, hay: &str) -> Vec<(GroupId, usize, usize)> {
        static ALL: std::sync::OnceLock<Vec<Regex>> = std::sync::OnceLock::new();
        let all = ALL.get_or_init(|| {
            let p = &RuleSet::builtin().lexicon.regexes.patterns;
            p.iter().map(|p| build_regex(p).unwrap()).collect()
        });
        let mut out = Vec::new();
        for (i, re) in all.iter().enumerate() {
            for m in re.find_iter(hay) {
                out.push((lex.regexes.groups[i], m.start(), m.end()));
            }
        }
        out
    }

    fn gated_regex_hits(lex: &Lexicon, hay: &str) -> Vec<(GroupId, usize, usize)> {
        let mut out = Vec::new();
        for i in lex.regexes.candidates(hay) {
            for m in lex.regexes.get(i).find_iter(hay) {
                out.push((lex.regexes.groups[i], m.start(), m.end()));
            }
        }
        out
    }

    #[test]
    fn every_lexicon_regex_compiles() {
        RuleSet::builtin().lexicon.compile_all_regexes().unwrap();
    }

    #[test]
    fn most_regexes_have_a_gate() {
        let r = &RuleSet::builtin().lexicon.regexes;
        assert!(r.gate.is_some());
        assert!(
            r.ungated.len() * 4 < r.patterns.len(),
            "{} of {} ungated",
            r.ungated.len(),
            r.patterns.len()
        );
    }

    #[test]
    fn gates_keep_every_match_in_the_rule_examples() {
        let rules = RuleSet::builtin();
        let mut matched = 0;
        for rule in &rules.rules {
            for ex in &rule.file.examples {
                let want = all_regex_hits(&rules.lexicon, &ex.text);
                matched += want.len();
                assert_eq!(
                    gated_regex_hits(&rules.lexicon, &ex.text),
                    want,
                    "{}",
                    ex.text
                );
            }
        }
        assert!(
            matched > 50,
            "the examples exercise the regexes ({matched} matches)"
        );
    }

    #[test]
    fn letters_that_fold_to_ascii_open_every_gate() {
        let rules = RuleSet::builtin();
        for rule in &rules.rules {
            for ex in &rule.file.examples {
                for (ascii, odd) in [('s', "\u{17F}"), ('k', "\u{212A}")] {
                    let hay = ex.text.replace(ascii, odd);
                    let want = all_regex_hits(&rules.lexicon, &hay);
                    assert_eq!(gated_regex_hits(&rules.lexicon, &hay), want, "{hay}");
                }
            }
        }
    }

    proptest! {
        /// Case changes, and the two non-ASCII letters that fold to ASCII,
        /// never make a gate drop a match.
        #[test]
        fn gates_keep_matches_under_case_changes(
            pick in 0usize..1000,
            flips in proptest::collection::vec(any::<bool>(), 0..400),
            odd in prop::sample::select(vec!["", "\u{212A}", "\u{17F}"]),
        ) {
            let rules = RuleSet::builtin();
            let texts: Vec<&str> = rules.rules.iter().flat_map(|r| r.file.examples.iter().map(|e| e.text.as_str())).collect();
            let base = texts[pick % texts.len()];
            let mut hay: String = base.chars().zip(flips.iter().chain(std::iter::repeat(&false))).map(|(c, &f)| if f { c.to_ascii_uppercase() } else { c }).collect();
            if !odd.is_empty() {
                hay = hay.replace(['s', 'k'], odd);
            }
            prop_assert_eq!(gated_regex_hits(&rules.lexicon, &hay), all_regex_hits(&rules.lexicon, &hay));
        }

        /// Texts made of the lexicon's own words, English and Chinese run
        /// together, scan to the same hits in the same order with the split
        /// DFAs as with the one NFA: the two DFAs' matches merge into the
        /// order one automaton gives (by end, the longer first).
        #[test]
        fn the_split_dfas_find_what_one_automaton_finds(
            picks in proptest::collection::vec((0usize..2000, 0usize..12), 1..40),
        ) {
            let (nfa, dfa) = word_scanners();
            let words: Vec<&str> = nfa.triggers.entries.iter().chain(&nfa.context.entries).map(|e| e.text.as_str()).collect();
            let glue = ["", " ", "的", "-", "“", "美国", "EAR", "\n", "s", "。", "Us", "U.S."];
            let mut text = String::new();
            for (w, g) in picks {
                text.push_str(words[w % words.len()]);
                text.push_str(glue[g]);
            }
            let scan = |lex: &Lexicon| {
                let (mut triggers, mut context) = (Vec::new(), Vec::new());
                // Small windows, so that matches cross their edges.
                scan_in_windows(&lex.triggers, &lex.masks, &text, Span::new(0, text.len()), &mut triggers, 64);
                lex.scan_context(&text, Span::new(0, text.len()), &mut context);
                (triggers, context)
            };
            prop_assert_eq!(scan(dfa), scan(nfa), "{}", text);
        }
    }

    /// Two lexicons of the built-in rules: one scanning with its NFAs, one
    /// with its DFAs.
    fn word_scanners() -> (&'static Lexicon, &'static Lexicon) {
        static SETS: std::sync::OnceLock<(RuleSet, RuleSet)> = std::sync::OnceLock::new();
        let (a, b) = SETS.get_or_init(|| {
            let dfa = RuleSet::load(&[]).unwrap();
            dfa.lexicon.build_dfa();
            (RuleSet::load(&[]).unwrap(), dfa)
        });
        assert!(a.lexicon.triggers.dfa.get().is_none() && b.lexicon.triggers.dfa.get().is_some());
        (&a.lexicon, &b.lexicon)
    }

    /// The word DFAs a long batch builds find what the NFAs find, in the
    /// same order.
    #[test]
    fn the_word_dfas_find_what_the_nfas_find() {
        let rules = RuleSet::load(&[]).unwrap();
        let lex = &rules.lexicon;
        let mut text: String = RuleSet::builtin()
            .rules
            .iter()
            .flat_map(|r| r.file.examples.iter().map(|e| e.text.as_str()))
            .collect::<Vec<_>>()
            .join("\n");
        text.push_str(" US-origin U.S. USA focus BUSINESS \u{212A} Sanctions美国出口管制 😀");
        let scan = |lex: &Lexicon| {
            let (mut triggers, mut context) = (Vec::new(), Vec::new());
            lex.scan_triggers(&text, Span::new(0, text.len()), &mut triggers);
            lex.scan_context(&text, Span::new(0, text.len()), &mut context);
            (triggers, context)
        };
        let before = scan(lex);
        assert!(before.0.len() > 100, "{} hits", before.0.len());
        assert!(before.1.len() > 100, "{} hits", before.1.len());
        assert!(lex.triggers.dfa.get().is_none());
        assert!(lex.context.dfa.get().is_none());
        lex.build_dfa();
        assert!(lex.triggers.dfa.get().is_some(), "the DFA builds");
        assert!(lex.context.dfa.get().is_some(), "the DFA builds");
        assert_eq!(scan(lex), before);
    }

    /// Scanning window by window finds every word the whole scan finds,
    /// once, however small the windows.
    #[test]
    fn scanning_in_windows_finds_what_a_whole_scan_finds() {
        let rules = RuleSet::builtin();
        let lex = &rules.lexicon;
        let text: String = rules
            .rules
            .iter()
            .flat_map(|r| r.file.examples.iter().map(|e| e.text.as_str()))
            .collect::<Vec<_>>()
            .join("\n\n");
        let span = Span::new(0, text.len());
        let sorted = |mut v: Vec<Hit>| {
            v.sort_by_key(|h| (h.span.start, h.span.end, h.group));
            v
        };
        for automaton in [&lex.triggers, &lex.context] {
            let mut whole = Vec::new();
            scan_in_windows(automaton, &lex.masks, &text, span, &mut whole, usize::MAX);
            assert!(whole.len() > 100, "{} hits", whole.len());
            for window in [1, 7, 64, 1000] {
                let mut parts = Vec::new();
                scan_in_windows(automaton, &lex.masks, &text, span, &mut parts, window);
                assert_eq!(sorted(parts), sorted(whole.clone()), "window {window}");
            }
        }
    }
}
