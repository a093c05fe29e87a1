//! The governing law of a draft: the statement that names it, and the
//! headings of the clause that holds it.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::jurisdiction::{Jurisdiction, place_matches, trim_place};
use comity_text::Span;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoverningLaw {
    pub jurisdiction: Jurisdiction,
    /// The place as written: "England and Wales", "中华人民共和国".
    pub name: String,
    pub span: Span,
}

/// A governing-law statement; `place` as in [`INCORPORATION`].
pub(crate) static GOVERNING_LAW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:governed\s+by|construed\s+(?:and\s+enforced\s+)?in\s+accordance\s+with|governed\s+by\s+and\s+construed\s+in\s+accordance\s+with|subject\s+to)\s*(?:,\s*and\s+construed\s+in\s+accordance\s+with,?\s*)?(?:the\s+)?(?:substantive\s+|internal\s+)?laws?\s+of\s+(?P<place>(?:the\s+)?[A-Z])|(?P<adj>English|PRC|Chinese|Singapore|New\s+York|Hong\s+Kong|Swiss)\s+law\s+(?:shall\s+)?govern|governed\s+by\s+(?P<adj2>English|PRC|Chinese|Singapore|New\s+York|Hong\s+Kong|Swiss|German)\s+law|(?:适用|受|遵照|按照)(?P<zhplace>中华人民共和国(?:（[^）]{0,20}）)?|中国(?:大陆)?|香港特别行政区|香港|新加坡|英格兰(?:和威尔士)?|英国|美国纽约州|纽约州|美国[^\s，。的]{0,6}|瑞士|德国|日本)(?:的)?(?:现行)?法律").unwrap()
});

/// Whether `s` has a literal that every match of [`GOVERNING_LAW`]
/// contains: "law" in any case, or 法律. (Every block is asked: a byte
/// search for `l` and `L` is cheaper there than an automaton's start-up.)
pub(crate) fn has_law_word(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2_iter(b'l', b'L', b).any(|i| {
        b.get(i + 1..i + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"aw"))
    }) || memchr::memmem::find(b, "法律".as_bytes()).is_some()
}

/// Whether a heading names the governing-law clause.
pub fn is_governing_law_heading(heading: &str) -> bool {
    let h = heading.to_lowercase();
    [
        "governing law",
        "applicable law",
        "choice of law",
        "law and jurisdiction",
        "law and dispute",
        "适用法律",
        "法律适用",
        "管辖法律",
        "争议解决",
        "准据法",
    ]
    .iter()
    .any(|k| h.contains(k))
}

/// Finds the governing-law statement in a block's text `s`, which starts
/// at byte `base` of the draft, if it has one.
pub fn governing_law_in(s: &str, base: usize) -> Option<GoverningLaw> {
    // Every match names "law" (in any case) or 法律: most blocks are passed
    // over without running the pattern.
    if !has_law_word(s) {
        return None;
    }
    for (whole, m) in place_matches(&GOVERNING_LAW, s, &["adj", "adj2", "zhplace"]) {
        let Some(m) = m else {
            continue;
        };
        // "依据美国特拉华州法律设立" describes incorporation, not the governing law.
        let after = &s[whole.end..];
        if after.starts_with(['设', '注', '成']) || after.starts_with("依法") {
            continue;
        }
        let name = trim_place(&s[m.clone()]);
        // "subject to the laws of …" is only a governing-law statement when the
        // sentence is about the agreement as a whole.
        if s[whole.clone()].to_lowercase().starts_with("subject to") {
            let before = &s[..whole.start].to_lowercase();
            if !(before.contains("agreement") || before.contains("contract")) {
                continue;
            }
        }
        if let Some(j) = Jurisdiction::from_name(name) {
            let start = base + m.start;
            return Some(GoverningLaw {
                jurisdiction: j,
                name: name.to_string(),
                span: Span::new(start, start + name.len()),
            });
        }
    }
    None
}
