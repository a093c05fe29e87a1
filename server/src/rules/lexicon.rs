//! Signal groups compiled into two Aho–Corasick automata: one over the
//! trigger words (US regimes and lists, chips, vendors, third countries …)
//! that runs over whole texts as the prefilter, and one over the context
//! words (modals, verbs, carve-outs …) that runs only inside candidate
//! sentences, together with the groups' regular expressions.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use super::RuleError;
use super::schema::{LexiconFile, ProhibitionOrdersFile, RegimeKind, RegimesFile};
use crate::Span;

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

#[derive(Debug, Clone)]
struct Entry {
    text: String,
    case_sensitive: bool,
    left_bound: bool,
    right_bound: bool,
    groups: Vec<GroupId>,
    /// Index into `regimes` for entries that come from regimes.toml.
    regime: Option<usize>,
}

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
struct Automaton {
    ac: Option<AhoCorasick>,
    entries: Vec<Entry>,
}

#[derive(Debug)]
pub struct Lexicon {
    names: Vec<String>,
    descriptions: Vec<String>,
    index: HashMap<String, GroupId>,
    masks: Vec<bool>,
    triggers: Automaton,
    context: Automaton,
    regexes: Vec<(GroupId, Regex)>,
    pub regimes: Vec<RegimeInfo>,
}

/// Whether `c` continues a word for the whole-word test of English entries.
/// CJK characters do not: Chinese text writes "列入SDN清单" or "被OFAC列名"
/// with no space around the Latin acronym.
fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !crate::document::is_cjk(c)) || c == '_'
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(crate::document::is_cjk)
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
                entries: Vec::new(),
            },
            context: Automaton {
                ac: None,
                entries: Vec::new(),
            },
            regexes: Vec::new(),
            regimes: Vec::new(),
        };
        let mut patterns: Vec<(GroupId, &str, &str)> = Vec::new();
        let mut trigger_entries: Vec<Entry> = Vec::new();
        let mut context_entries: Vec<Entry> = Vec::new();
        let add = |entries: &mut Vec<Entry>,
                   raw: &str,
                   group: GroupId,
                   cs_group: bool,
                   regime: Option<usize>| {
            let (text, forced) = match raw.strip_prefix('=') {
                Some(t) => (t.to_string(), true),
                None => (raw.to_string(), false),
            };
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
            if let Some(e) = entries.iter_mut().find(|e| {
                e.text == text && e.case_sensitive == case_sensitive && e.regime == regime
            }) {
                if !e.groups.contains(&group) {
                    e.groups.push(group);
                }
            } else {
                entries.push(Entry {
                    text,
                    case_sensitive,
                    left_bound,
                    right_bound,
                    groups: vec![group],
                    regime,
                });
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
                if group.trigger && has_cjk(raw) && raw.chars().count() < 2 {
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
        // The regexes compile on a second thread while the automata build:
        // together they are most of the start-up time.
        let (regexes, triggers, context) = std::thread::scope(|scope| {
            let regexes = scope.spawn(|| {
                patterns
                    .iter()
                    .map(|&(id, name, pattern)| {
                        regex::RegexBuilder::new(pattern)
                            .case_insensitive(true)
                            .size_limit(1 << 20)
                            .build()
                            .map(|re| (id, re))
                            .map_err(|e| RuleError {
                                file: lexicon_file.into(),
                                message: format!("group `{name}`: bad regex `{pattern}`: {e}"),
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()
            });
            let triggers = build(trigger_entries);
            let context = build(context_entries);
            (
                regexes.join().expect("regex compilation does not panic"),
                triggers,
                context,
            )
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

    /// Context-group matches (words and regexes) in `span` of `text`.
    pub fn scan_context(&self, text: &str, span: Span, out: &mut Vec<Hit>) {
        scan(&self.context, &self.masks, text, span, out);
        let hay = &text[span.start..span.end];
        for (group, re) in &self.regexes {
            for m in re.find_iter(hay) {
                out.push(Hit {
                    group: *group,
                    span: Span::new(span.start + m.start(), span.start + m.end()),
                    regime: None,
                });
            }
        }
    }
}

fn build(entries: Vec<Entry>) -> Result<Automaton, RuleError> {
    if entries.is_empty() {
        return Ok(Automaton { ac: None, entries });
    }
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(entries.iter().map(|e| e.text.as_str()))
        .map_err(|e| RuleError {
            file: "clauses/lexicon.toml".into(),
            message: format!("cannot build the word automaton: {e}"),
        })?;
    Ok(Automaton {
        ac: Some(ac),
        entries,
    })
}

fn scan(automaton: &Automaton, masks: &[bool], text: &str, span: Span, out: &mut Vec<Hit>) {
    let Some(ac) = &automaton.ac else { return };
    let hay = &text.as_bytes()[span.start..span.end];
    let start_len = out.len();
    let mut mask_spans: Vec<Span> = Vec::new();
    for m in ac.find_overlapping_iter(hay) {
        let entry = &automaton.entries[m.pattern().as_usize()];
        let (s, e) = (span.start + m.start(), span.start + m.end());
        if entry.case_sensitive && &text.as_bytes()[s..e] != entry.text.as_bytes() {
            continue;
        }
        if entry.left_bound && text[..s].chars().next_back().is_some_and(is_word_char) {
            continue;
        }
        if entry.right_bound && text[e..].chars().next().is_some_and(is_word_char) {
            continue;
        }
        let hit_span = Span::new(s, e);
        for &g in &entry.groups {
            if masks[g] {
                mask_spans.push(hit_span);
            }
            out.push(Hit {
                group: g,
                span: hit_span,
                regime: entry.regime.map(|r| r as u32),
            });
        }
    }
    if !mask_spans.is_empty() {
        let mut i = start_len;
        while i < out.len() {
            let h = out[i];
            if !masks[h.group] && mask_spans.iter().any(|m| m.covers(&h.span)) {
                out.remove(i);
            } else {
                i += 1;
            }
        }
    }
}
