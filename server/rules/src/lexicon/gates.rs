//! The lexicon's regular expressions and their gates: each regex runs, and
//! is compiled, only on text that holds one of the literals every match must
//! start (or end) with.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex::Regex;

use super::GroupId;
use crate::RuleError;

/// The lexicon's regular expressions, each compiled on first use.
///
/// Compiling all of them costs more than linting a one-page draft, and most
/// sentences can match only a few: each regex has a gate, the literals any
/// match must start (or end) with, found from its syntax. A regex runs, and
/// is compiled, only on text that contains one of its gate literals.
#[derive(Debug, Default)]
pub(super) struct Regexes {
    pub(super) groups: Vec<GroupId>,
    pub(super) patterns: Vec<String>,
    pub(super) compiled: Vec<std::sync::OnceLock<Regex>>,
    /// Gate literals (matched ignoring ASCII case) and the regexes each opens.
    pub(super) gate: Option<AhoCorasick>,
    pub(super) gate_opens: Vec<Vec<usize>>,
    /// Regexes without a gate: they run on every text.
    pub(super) ungated: Vec<usize>,
}

pub(super) fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
}

/// The literals every match of `pattern` starts with, or else ends with;
/// `None` when there is no such finite set.
pub(super) fn gate_literals(pattern: &str) -> Result<Option<Vec<Vec<u8>>>, String> {
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
pub(super) fn folds_as_ascii(literal: &[u8]) -> bool {
    literal.is_ascii()
        || std::str::from_utf8(literal).is_ok_and(|s| {
            s.chars()
                .filter(|c| !c.is_ascii())
                .all(|c| !c.is_lowercase() && !c.is_uppercase() && c.to_lowercase().eq([c]))
        })
}

impl Regexes {
    pub(super) fn new(
        patterns: &[(GroupId, &str, &str)],
        file: &str,
    ) -> Result<Regexes, RuleError> {
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
    pub(super) fn candidates(&self, hay: &str) -> Vec<usize> {
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

    pub(super) fn get(&self, i: usize) -> &Regex {
        self.compiled[i].get_or_init(|| {
            build_regex(&self.patterns[i])
                .expect("the lexicon's regexes compile (checked by the test suite)")
        })
    }
}
