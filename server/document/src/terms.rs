//! Defined terms: where each capitalised term is defined, what its
//! definition says, and where it is used.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Serialize;

use super::blocks::{Block, DefinitionForm};
use super::clauses::{Clause, ClauseId};
use super::numbering::opens_clause;
use comity_text::Span;

pub type TermId = usize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DefinedTerm {
    /// The term as defined, without quotes: `Sanctions`, `受限制方`.
    pub term: String,
    pub form: DefinitionForm,
    /// Where the term itself stands in its definition.
    pub term_span: Span,
    /// The text that defines it: `"Sanctions" means …` up to the end of the
    /// definition, or for `(the "Supplier")` the words naming the party.
    pub definition_span: Span,
    /// The block holding the definition.
    pub block: usize,
    pub clause: Option<ClauseId>,
}

/// Reads the definitions out of the blocks.
pub fn build(
    blocks: &[Block],
    clauses: &[Clause],
    block_clause: &[Option<ClauseId>],
    text: &str,
) -> Vec<DefinedTerm> {
    let mut terms = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        if block.kind.is_quoted_material() {
            continue;
        }
        for (k, site) in block.definitions.iter().enumerate() {
            let term = site.term.text(text).trim().to_string();
            if term.is_empty() || term.chars().count() > 80 {
                continue;
            }
            let next_site = block.definitions[k + 1..]
                .iter()
                .find(|s| s.form != DefinitionForm::Inline)
                .map(|s| s.construct.start);
            let definition_span = match site.form {
                DefinitionForm::Means | DefinitionForm::Scoped => {
                    let mut end = next_site.unwrap_or(block.span.end);
                    // "1.1 "Sanctions" means: (a) …; (b) …" — the sub-clauses belong to it.
                    if next_site.is_none()
                        && opens_clause(block)
                        && let Some(c) = block_clause[b]
                        && clauses[c].blocks.start == b
                    {
                        end = clauses[c].span.end;
                    }
                    Span::new(
                        site.construct.start,
                        trim_back(text, site.construct.start, end),
                    )
                }
                DefinitionForm::Inline => {
                    let prev_end = k
                        .checked_sub(1)
                        .map(|p| block.definitions[p].construct.end)
                        .unwrap_or(block.body.map(|s| s.start).unwrap_or(block.span.start));
                    let start = skip_joiners(text, prev_end, site.construct.start);
                    Span::new(start, site.construct.end)
                }
            };
            terms.push(DefinedTerm {
                term,
                form: site.form,
                term_span: site.term,
                definition_span,
                block: b,
                clause: block_clause[b],
            });
        }
    }
    terms
}

fn trim_back(text: &str, start: usize, end: usize) -> usize {
    let s = &text[start..end];
    start
        + s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ';' | '；' | ',' | '，'))
            .len()
}

/// Skips the punctuation and joining words between two inline definitions
/// (`", and "`, `"，"`, `"与"`).
fn skip_joiners(text: &str, from: usize, to: usize) -> usize {
    let mut s = &text[from..to];
    loop {
        let before = s.len();
        s = s.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '，' | ';' | '；' | '、' | ')' | '）' | '.')
        });
        for joiner in [
            "and ",
            "And ",
            "AND ",
            "between ",
            "BETWEEN ",
            "by and between ",
            "与",
            "和",
            "及",
        ] {
            if let Some(rest) = s.strip_prefix(joiner) {
                s = rest;
            }
        }
        if s.len() == before {
            break;
        }
    }
    to - s.len()
}

/// Finds the uses of defined terms in a text: whole words, case-sensitive,
/// allowing an English plural or possessive (`Sanctioned Persons`,
/// `Supplier's`). Longest terms win (`Sanctioned Person` over `Sanctions`).
#[derive(Debug)]
pub struct TermMatcher {
    search: Search,
    ids: Vec<TermId>,
}

#[derive(Debug)]
enum Search {
    None,
    /// For a short text: one substring search per term. Building an
    /// automaton would cost more than the searches it saves.
    Each(Vec<memchr::memmem::Finder<'static>>),
    Automaton(AhoCorasick),
}

/// The terms with their indices as ids.
fn indexed(terms: &[DefinedTerm]) -> impl Iterator<Item = (TermId, &str)> {
    terms.iter().enumerate().map(|(i, t)| (i, t.term.as_str()))
}

/// Texts up to this long, with at most [`FEW_TERMS`] terms, are searched
/// term by term.
const SHORT_TEXT: usize = 64 << 10;
const FEW_TERMS: usize = 32;

impl TermMatcher {
    /// A matcher for the defined terms of a document, ids being their indices.
    pub fn of_terms(terms: &[DefinedTerm]) -> TermMatcher {
        TermMatcher::build(indexed(terms), false)
    }

    /// [`TermMatcher::of_terms`] for searching a text of `len` bytes once:
    /// the cheapest matcher to build and run for it.
    pub fn for_text(terms: &[DefinedTerm], len: usize) -> TermMatcher {
        let few = len <= SHORT_TEXT && terms.len() <= FEW_TERMS;
        TermMatcher::build(indexed(terms), few)
    }

    pub fn new<'a>(terms: impl IntoIterator<Item = (TermId, &'a str)>) -> TermMatcher {
        TermMatcher::build(terms, false)
    }

    fn build<'a>(terms: impl IntoIterator<Item = (TermId, &'a str)>, each: bool) -> TermMatcher {
        let mut ids = Vec::new();
        let mut patterns = Vec::new();
        for (id, term) in terms {
            if !term.trim().is_empty() {
                ids.push(id);
                patterns.push(term.to_string());
            }
        }
        let search = if patterns.is_empty() {
            Search::None
        } else if each {
            Search::Each(
                patterns
                    .iter()
                    .map(|p| memchr::memmem::Finder::new(p.as_bytes()).into_owned())
                    .collect(),
            )
        } else {
            // A contiguous NFA builds in a fraction of a DFA's time; with
            // its prefilter it searches about as fast.
            Search::Automaton(
                AhoCorasickBuilder::new()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .expect("term automaton builds"),
            )
        };
        TermMatcher { search, ids }
    }

    /// The leftmost-longest matches in `hay`, as (pattern, start, end): at
    /// each position the longest term that starts there, the search going
    /// on after it (the automaton's `LeftmostLongest`).
    fn raw_matches(&self, hay: &str) -> Vec<(usize, usize, usize)> {
        match &self.search {
            Search::None => Vec::new(),
            Search::Automaton(ac) => ac
                .find_iter(hay)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect(),
            Search::Each(finders) => {
                let bytes = hay.as_bytes();
                let mut all = Vec::new();
                for (p, f) in finders.iter().enumerate() {
                    // Every occurrence, overlapping ones too: which survive
                    // depends on the other terms' matches.
                    let mut at = 0;
                    while let Some(i) = f.find(&bytes[at..]) {
                        all.push((p, at + i, at + i + f.needle().len()));
                        at += i + 1;
                    }
                }
                // Leftmost first; at one position the longest, then the
                // first pattern (as the automaton orders equal matches).
                all.sort_unstable_by_key(|&(p, s, e)| (s, std::cmp::Reverse(e), p));
                let mut out = Vec::new();
                let mut from = 0;
                for m in all {
                    if m.1 >= from {
                        from = m.2;
                        out.push(m);
                    }
                }
                out
            }
        }
    }

    /// Uses of the terms inside `span` of `text`, in order.
    pub fn find(&self, text: &str, span: Span) -> Vec<(TermId, Span)> {
        let hay = &text[span.start..span.end];
        let mut out = Vec::new();
        for (pattern, s, e) in self.raw_matches(hay) {
            let term_is_latin = hay[s..e]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if term_is_latin {
                let before_ok = hay[..s]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let rest = &hay[e..];
                let suffix = ["'s", "’s", "es", "s", "'", "’"]
                    .iter()
                    .find(|suf| {
                        rest.starts_with(**suf)
                            && rest[suf.len()..]
                                .chars()
                                .next()
                                .is_none_or(|c| !c.is_alphanumeric())
                    })
                    .map(|suf| suf.len())
                    .unwrap_or(0);
                let after_ok = rest[suffix..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if !(before_ok && after_ok) {
                    continue;
                }
            }
            out.push((self.ids[pattern], Span::new(span.start + s, span.start + e)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Searching term by term finds exactly what the automaton finds:
        /// terms that overlap, nest, repeat or are prefixes of each other.
        #[test]
        fn searching_each_term_equals_the_automaton(
            terms in prop::collection::vec("[abS ’'s制裁]{1,4}", 1..8),
            text in "[abS ’'s制裁.]{0,80}",
        ) {
            let terms: Vec<(TermId, &str)> = terms.iter().map(String::as_str).enumerate().collect();
            let each = TermMatcher::build(terms.iter().copied(), true);
            let automaton = TermMatcher::build(terms.iter().copied(), false);
            prop_assert!(matches!(each.search, Search::Each(_) | Search::None));
            let span = Span::new(0, text.len());
            prop_assert_eq!(each.find(&text, span), automaton.find(&text, span));
        }
    }
}
