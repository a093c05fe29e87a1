//! Signal groups compiled into two Aho–Corasick automata: one over the
//! trigger words (US regimes and lists, chips, vendors, third countries …)
//! that runs over whole texts as the prefilter, and one over the context
//! words (modals, verbs, carve-outs …) that runs only inside candidate
//! sentences, together with the groups' regular expressions.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

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

/// Entries of one automaton, with an index to merge repeated words.
#[derive(Default)]
struct Entries {
    list: Vec<Entry>,
    index: HashMap<(String, bool, Option<usize>), usize>,
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
    /// The same words as DFAs, once [`Lexicon::build_dfa`] has run: about
    /// twice as fast to run, but they take milliseconds to build, so only a
    /// long batch builds them, in the background.
    dfa: std::sync::OnceLock<SplitDfa>,
    entries: Vec<Entry>,
}

/// A word list as two DFAs: the ASCII words, and the others (Chinese,
/// mostly). Apart, each has few byte classes; together every ASCII letter
/// and every UTF-8 byte of the Chinese words is a class of its own, and the
/// tables multiply: the trigger words take 0.9 + 1.0 MB apart, 5.4 MB
/// together, and build in 60 % of the time. A text with no byte above
/// 0x7F is scanned with the first alone.
#[derive(Debug)]
struct SplitDfa {
    ascii: Option<WordDfa>,
    other: Option<WordDfa>,
}

#[derive(Debug)]
struct WordDfa {
    dfa: AhoCorasick,
    /// The entry of each of the DFA's patterns.
    entry: Vec<u32>,
}

impl WordDfa {
    /// The DFA of the ASCII words of `entries`, or of the others; None if
    /// there are no such words.
    fn build(entries: &[Entry], ascii: bool) -> Result<Option<WordDfa>, aho_corasick::BuildError> {
        let entry: Vec<u32> = (0..entries.len() as u32)
            .filter(|&i| entries[i as usize].text.is_ascii() == ascii)
            .collect();
        if entry.is_empty() {
            return Ok(None);
        }
        let words = entry.iter().map(|&i| &entries[i as usize]);
        let dfa = words_automaton(words, AhoCorasickKind::DFA)?;
        Ok(Some(WordDfa { dfa, entry }))
    }

    /// The matches in `hay`, as (start, end, entry), in the order the
    /// automaton reports them: by end, and at one end the longer first.
    fn matches<'h>(&'h self, hay: &'h [u8]) -> impl Iterator<Item = (usize, usize, usize)> + 'h {
        self.dfa.find_overlapping_iter(hay).map(|m| {
            (
                m.start(),
                m.end(),
                self.entry[m.pattern().as_usize()] as usize,
            )
        })
    }
}

/// Merges two lists of matches, each in automaton order (by end, and at
/// one end the longer first), into the order one automaton of all their
/// words would report them in.
fn merge_matches(
    a: impl Iterator<Item = (usize, usize, usize)>,
    b: &[(usize, usize, usize)],
    mut f: impl FnMut((usize, usize, usize)),
) {
    let key = |m: &(usize, usize, usize)| (m.1, m.0);
    let mut b = b.iter().copied().peekable();
    for m in a {
        while let Some(o) = b.next_if(|o| key(o) < key(&m)) {
            f(o);
        }
        f(m);
    }
    b.for_each(f);
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

/// Whether `c` continues a word for the whole-word test of English entries.
/// CJK characters do not: Chinese text writes "列入SDN清单" or "被OFAC列名"
/// with no space around the Latin acronym.
fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !comity_text::is_cjk(c)) || c == '_'
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

/// The lexicon's regular expressions, each compiled on first use.
///
/// Compiling all of them costs more than linting a one-page draft, and most
/// sentences can match only a few: each regex has a gate, the literals any
/// match must start (or end) with, found from its syntax. A regex runs, and
/// is compiled, only on text that contains one of its gate literals.
#[derive(Debug, Default)]
struct Regexes {
    groups: Vec<GroupId>,
    patterns: Vec<String>,
    compiled: Vec<std::sync::OnceLock<Regex>>,
    /// Gate literals (matched ignoring ASCII case) and the regexes each opens.
    gate: Option<AhoCorasick>,
    gate_opens: Vec<Vec<usize>>,
    /// Regexes without a gate: they run on every text.
    ungated: Vec<usize>,
}

fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
}

/// The literals every match of `pattern` starts with, or else ends with;
/// `None` when there is no such finite set.
fn gate_literals(pattern: &str) -> Result<Option<Vec<Vec<u8>>>, String> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // Parsed case-sensitively: the gate is matched ignoring ASCII case,
    // which covers every case variant of a literal except the two non-ASCII
    // letters that fold into ASCII (handled in `candidates`).
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let seq = Extractor::new().kind(kind).extract(&hir);
        if let Some(lits) = seq.literals()
            && !lits.is_empty()
            && lits
                .iter()
                .all(|l| !l.as_bytes().is_empty() && folds_as_ascii(l.as_bytes()))
        {
            return Ok(Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect()));
        }
    }
    Ok(None)
}

/// Whether matching `literal` ignoring ASCII case finds every case variant
/// of it: its non-ASCII characters (Chinese, curly quotes) have no case.
fn folds_as_ascii(literal: &[u8]) -> bool {
    literal.is_ascii()
        || std::str::from_utf8(literal).is_ok_and(|s| {
            s.chars()
                .filter(|c| !c.is_ascii())
                .all(|c| !c.is_lowercase() && !c.is_uppercase() && c.to_lowercase().eq([c]))
        })
}

impl Regexes {
    fn new(patterns: &[(GroupId, &str, &str)], file: &str) -> Result<Regexes, RuleError> {
        let mut out = Regexes::default();
        let mut literals: Vec<Vec<u8>> = Vec::new();
        // Literals already gated, lower-cased (the gate ignores ASCII case).
        let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
        for (i, &(id, name, pattern)) in patterns.iter().enumerate() {
            out.groups.push(id);
            out.patterns.push(pattern.to_string());
            out.compiled.push(std::sync::OnceLock::new());
            let gate = gate_literals(pattern).map_err(|e| RuleError {
                file: file.into(),
                message: format!("group `{name}`: bad regex `{pattern}`: {e}"),
            })?;
            match gate {
                None => out.ungated.push(i),
                Some(lits) => {
                    for l in lits {
                        let k = *seen.entry(l.to_ascii_lowercase()).or_insert_with(|| {
                            literals.push(l);
                            out.gate_opens.push(Vec::new());
                            literals.len() - 1
                        });
                        if !out.gate_opens[k].contains(&i) {
                            out.gate_opens[k].push(i);
                        }
                    }
                }
            }
        }
        if !literals.is_empty() {
            out.gate = Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .build(&literals)
                    .map_err(|e| RuleError {
                        file: file.into(),
                        message: format!("cannot build the regex gate: {e}"),
                    })?,
            );
        }
        Ok(out)
    }

    /// The regexes that may match in `hay`, in the library's order.
    fn candidates(&self, hay: &str) -> Vec<usize> {
        // KELVIN SIGN and LATIN SMALL LETTER LONG S fold to `k` and `s`.
        let folds = |c: &str| memchr::memmem::find(hay.as_bytes(), c.as_bytes()).is_some();
        if folds("\u{212A}") || folds("\u{17F}") {
            return (0..self.patterns.len()).collect();
        }
        let mut open = vec![false; self.patterns.len()];
        for &i in &self.ungated {
            open[i] = true;
        }
        if let Some(gate) = &self.gate {
            for m in gate.find_overlapping_iter(hay) {
                for &i in &self.gate_opens[m.pattern().as_usize()] {
                    open[i] = true;
                }
            }
        }
        (0..open.len()).filter(|&i| open[i]).collect()
    }

    fn get(&self, i: usize) -> &Regex {
        self.compiled[i].get_or_init(|| {
            build_regex(&self.patterns[i])
                .expect("the lexicon's regexes compile (checked by the test suite)")
        })
    }
}

/// Builds an automaton. `kind`: the trigger automaton reads whole texts
/// and is worth a contiguous NFA; the context automaton reads only candidate
/// sentences, where the cheaper-to-build noncontiguous NFA is as good for
/// one page. A long batch builds both as DFAs in the background (see
/// [`SplitDfa`]): there the context scans of all its sentences cost five
/// times what the DFA costs to build (2000 files: 200 M instructions with
/// the NFA, 34 M with the DFA, 83 M to build it as one DFA).
fn words_automaton<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    kind: AhoCorasickKind,
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(entries.into_iter().map(|e| e.text.to_ascii_lowercase()))
}

fn build(entries: Vec<Entry>, kind: AhoCorasickKind) -> Result<Automaton, RuleError> {
    if entries.is_empty() {
        return Ok(Automaton {
            ac: None,
            dfa: std::sync::OnceLock::new(),
            entries,
        });
    }
    // Lower-cased words over lower-cased text find what `ascii_case_insensitive`
    // would, at the same offsets, and the automaton builds twice as fast.
    let ac = words_automaton(&entries, kind).map_err(|e| RuleError {
        file: "clauses/lexicon.toml".into(),
        message: format!("cannot build the word automaton: {e}"),
    })?;
    Ok(Automaton {
        ac: Some(ac),
        dfa: std::sync::OnceLock::new(),
        entries,
    })
}

/// Long spans are lower-cased for the automaton a window at a time, so that
/// scanning a whole document needs no lower-cased copy of it.
const SCAN_WINDOW: usize = 64 << 10;

fn scan(automaton: &Automaton, masks: &[bool], text: &str, span: Span, out: &mut Vec<Hit>) {
    scan_in_windows(automaton, masks, text, span, out, SCAN_WINDOW);
}

/// [`scan`] with windows of `window` bytes. Each window is scanned with the
/// longest word's length past its end, and keeps the matches that start in
/// it: every match is found once, in the window it starts in. Matches come
/// in the automaton's order within a window (by end), window after window.
fn scan_in_windows(
    automaton: &Automaton,
    masks: &[bool],
    text: &str,
    span: Span,
    out: &mut Vec<Hit>,
    window: usize,
) {
    let Some(ac) = automaton.ac.as_ref() else {
        return;
    };
    let start_len = out.len();
    let mut mask_spans: Vec<Span> = Vec::new();
    let mut hay = Vec::new();
    let mut others = Vec::new();
    let mut from = span.start;
    loop {
        let to = from.saturating_add(window).min(span.end);
        let last = to == span.end;
        let reach = to.saturating_add(ac.max_pattern_len()).min(span.end);
        hay.clear();
        hay.extend(
            text.as_bytes()[from..reach]
                .iter()
                .map(u8::to_ascii_lowercase),
        );
        super::script::simplify_in_place(&mut hay);
        let mut take = |(start, end, entry): (usize, usize, usize)| {
            if !last && from + start >= to {
                return;
            }
            let entry = &automaton.entries[entry];
            let (s, e) = (from + start, from + end);
            // Case-sensitive: the letters as written, the rest as normalised.
            if entry.case_sensitive
                && !entry
                    .text
                    .bytes()
                    .zip(&text.as_bytes()[s..e])
                    .zip(&hay[start..end])
                    .all(|((w, &t), &n)| if w.is_ascii() { w == t } else { w == n })
            {
                return;
            }
            if entry.left_bound && text[..s].chars().next_back().is_some_and(is_word_char) {
                return;
            }
            if entry.right_bound && text[e..].chars().next().is_some_and(is_word_char) {
                return;
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
        };
        match automaton.dfa.get() {
            None => ac
                .find_overlapping_iter(&hay)
                .for_each(|m| take((m.start(), m.end(), m.pattern().as_usize()))),
            Some(split) => {
                // The other words all have a byte above 0x7F.
                others.clear();
                if let Some(d) = split.other.as_ref().filter(|_| !hay.is_ascii()) {
                    others.extend(d.matches(&hay));
                }
                let ascii = split.ascii.iter().flat_map(|d| d.matches(&hay));
                merge_matches(ascii, &others, take);
            }
        }
        if last {
            break;
        }
        from = to;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use proptest::prelude::*;

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
