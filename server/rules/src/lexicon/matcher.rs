//! The lexicon's word automata: the words of each signal group in one
//! Aho–Corasick automaton (and, for long runs, two DFAs, ASCII words and the
//! others), scanned over lower-cased, script-normalised text a window at a
//! time, with whole-word and case checks and masking.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::{GroupId, Hit};
use crate::RuleError;
use comity_text::Span;

#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) text: String,
    pub(super) case_sensitive: bool,
    pub(super) left_bound: bool,
    pub(super) right_bound: bool,
    pub(super) groups: Vec<GroupId>,
    /// Index into `regimes` for entries that come from regimes.toml.
    pub(super) regime: Option<usize>,
}

/// Entries of one automaton, with an index to merge repeated words.
#[derive(Default)]
pub(super) struct Entries {
    pub(super) list: Vec<Entry>,
    pub(super) index: HashMap<(String, bool, Option<usize>), usize>,
}

#[derive(Debug)]
pub(super) struct Automaton {
    pub(super) ac: Option<AhoCorasick>,
    /// The same words as DFAs, once [`Lexicon::build_dfa`] has run: about
    /// twice as fast to run, but they take milliseconds to build, so only a
    /// long batch builds them, in the background.
    pub(super) dfa: std::sync::OnceLock<SplitDfa>,
    pub(super) entries: Vec<Entry>,
}

/// A word list as two DFAs: the ASCII words, and the others (Chinese,
/// mostly). Apart, each has few byte classes; together every ASCII letter
/// and every UTF-8 byte of the Chinese words is a class of its own, and the
/// tables multiply: the trigger words take 0.9 + 1.0 MB apart, 5.4 MB
/// together, and build in 60 % of the time. A text with no byte above
/// 0x7F is scanned with the first alone.
#[derive(Debug)]
pub(super) struct SplitDfa {
    pub(super) ascii: Option<WordDfa>,
    pub(super) other: Option<WordDfa>,
}

#[derive(Debug)]
pub(super) struct WordDfa {
    pub(super) dfa: AhoCorasick,
    /// The entry of each of the DFA's patterns.
    pub(super) entry: Vec<u32>,
}

impl WordDfa {
    /// The DFA of the ASCII words of `entries`, or of the others; None if
    /// there are no such words.
    pub(super) fn build(
        entries: &[Entry],
        ascii: bool,
    ) -> Result<Option<WordDfa>, aho_corasick::BuildError> {
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
    pub(super) fn matches<'h>(
        &'h self,
        hay: &'h [u8],
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'h {
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
pub(super) fn merge_matches(
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

/// Whether `c` continues a word for the whole-word test of English entries.
/// CJK characters do not: Chinese text writes "列入SDN清单" or "被OFAC列名"
/// with no space around the Latin acronym.
pub(super) fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() && !comity_text::is_cjk(c)) || c == '_'
}

/// Builds an automaton. `kind`: the trigger automaton reads whole texts
/// and is worth a contiguous NFA; the context automaton reads only candidate
/// sentences, where the cheaper-to-build noncontiguous NFA is as good for
/// one page. A long batch builds both as DFAs in the background (see
/// [`SplitDfa`]): there the context scans of all its sentences cost five
/// times what the DFA costs to build (2000 files: 200 M instructions with
/// the NFA, 34 M with the DFA, 83 M to build it as one DFA).
pub(super) fn words_automaton<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    kind: AhoCorasickKind,
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(entries.into_iter().map(|e| e.text.to_ascii_lowercase()))
}

pub(super) fn build(entries: Vec<Entry>, kind: AhoCorasickKind) -> Result<Automaton, RuleError> {
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
pub(super) const SCAN_WINDOW: usize = 64 << 10;

pub(super) fn scan(
    automaton: &Automaton,
    masks: &[bool],
    text: &str,
    span: Span,
    out: &mut Vec<Hit>,
) {
    scan_in_windows(automaton, masks, text, span, out, SCAN_WINDOW);
}

/// [`scan`] with windows of `window` bytes. Each window is scanned with the
/// longest word's length past its end, and keeps the matches that start in
/// it: every match is found once, in the window it starts in. Matches come
/// in the automaton's order within a window (by end), window after window.
pub(super) fn scan_in_windows(
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
        crate::script::simplify_in_place(&mut hay);
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
