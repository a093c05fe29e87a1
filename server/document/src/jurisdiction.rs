//! What Comity knows of jurisdictions: the legal systems a party or a
//! contract is tied to, the names of places that tell them apart, and how a
//! place is read out of a pattern's match.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use comity_text::Span;

/// A legal system a party or a contract is tied to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Jurisdiction {
    /// Mainland China.
    Prc,
    HongKong,
    Macau,
    Taiwan,
    Us,
    Uk,
    Eu,
    Singapore,
    Switzerland,
    Japan,
    Other(String),
}

impl Jurisdiction {
    /// Reads a place name as written in a contract ("the People's Republic of
    /// China", "England and Wales", "State of New York", "中华人民共和国").
    pub fn from_name(name: &str) -> Option<Jurisdiction> {
        let n = name
            .trim()
            .trim_start_matches("the ")
            .trim_start_matches("The ")
            .to_lowercase();
        let n = n.trim_end_matches(|c: char| !c.is_alphanumeric() && !super::lang::is_cjk(c));
        if n.is_empty() {
            return None;
        }
        let has = |keys: &[&str]| keys.iter().any(|k| n.contains(k));
        Some(if has(&["hong kong", "香港"]) {
            Jurisdiction::HongKong
        } else if has(&["macau", "macao", "澳门"]) {
            Jurisdiction::Macau
        } else if has(&["taiwan", "台湾"]) {
            Jurisdiction::Taiwan
        } else if has(&[
            "people's republic of china",
            "people’s republic of china",
            "prc",
            "p.r.c",
            "p. r. china",
            "p.r. china",
            "中华人民共和国",
            "中国",
            "mainland china",
        ]) || n == "china"
        {
            Jurisdiction::Prc
        } else if has(&[
            "united states",
            "u.s.",
            "usa",
            "new york",
            "delaware",
            "california",
            "texas",
            "washington",
            "illinois",
            "massachusetts",
            "nevada",
            "美国",
            "纽约",
            "特拉华",
            "加利福尼亚",
            "加州",
        ]) {
            Jurisdiction::Us
        } else if has(&[
            "england",
            "wales",
            "united kingdom",
            "scotland",
            "english",
            "英国",
            "英格兰",
        ]) {
            Jurisdiction::Uk
        } else if has(&["singapore", "新加坡"]) {
            Jurisdiction::Singapore
        } else if has(&["switzerland", "swiss", "瑞士"]) {
            Jurisdiction::Switzerland
        } else if has(&["japan", "日本"]) {
            Jurisdiction::Japan
        } else if has(&[
            "germany",
            "france",
            "netherlands",
            "ireland",
            "luxembourg",
            "belgium",
            "italy",
            "spain",
            "sweden",
            "european union",
            "finland",
            "denmark",
            "austria",
            "德国",
            "法国",
            "荷兰",
            "欧盟",
        ]) {
            Jurisdiction::Eu
        } else {
            Jurisdiction::Other(name.trim().to_string())
        })
    }

    pub fn is_prc(&self) -> bool {
        matches!(self, Jurisdiction::Prc)
    }
}

/// Why Comity ties a party to a jurisdiction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// "incorporated under the laws of …", "a Delaware corporation"
    Incorporation,
    /// A registered address or domicile.
    Address,
    /// The form of the name: `有限公司`, `Co., Ltd.` with a PRC city.
    NameForm,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JurisdictionHint {
    pub kind: HintKind,
    pub jurisdiction: Jurisdiction,
    pub span: Span,
}

/// The rest of a place name after its first letter, as the patterns once
/// read it with `[\w'’.]*(?:[ \t]+(?:of|and|the|[A-Z][\w'’.]*))*` under
/// `(?i)` (Unicode `\w`). Read in code, because the Unicode word class in a
/// case-insensitive pattern made [`INCORPORATION`] and [`GOVERNING_LAW`] the
/// slowest patterns to compile at start-up. Leftmost-first, as the regex
/// was: after the spaces, `of`, `and` or `the` is taken as it stands even if
/// a longer word begins with it.
fn extend_place(s: &str, mut at: usize) -> usize {
    let word = |at: usize| {
        s[at..]
            .char_indices()
            .find(|&(_, c)| !(regex_syntax::is_word_character(c) || matches!(c, '\'' | '’' | '.')))
            .map_or(s.len(), |(i, _)| at + i)
    };
    at = word(at);
    loop {
        let rest = &s.as_bytes()[at..];
        let spaces = rest
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if spaces == 0 {
            return at;
        }
        let next = at + spaces;
        let after = &s.as_bytes()[next..];
        if let Some(w) = [&b"of"[..], b"and", b"the"]
            .into_iter()
            .find(|w| after.len() >= w.len() && after[..w.len()].eq_ignore_ascii_case(w))
        {
            at = next + w.len();
            continue;
        }
        // `[A-Z]` under `(?i)`: ASCII letters, the Kelvin sign and long s.
        match s[next..].chars().next() {
            Some(c) if c.is_ascii_alphabetic() || c == '\u{212A}' || c == '\u{17F}' => {
                at = word(next + c.len_utf8());
            }
            _ => return at,
        }
    }
}

/// Matches of [`INCORPORATION`] or [`GOVERNING_LAW`], as `captures_iter`
/// would give them with the whole place read ([`extend_place`]): the whole
/// match, and the place or else the first of `groups` that matched. (No
/// alternative of either pattern matches the empty string.)
pub(crate) fn place_matches(
    re: &Regex,
    s: &str,
    groups: &[&str],
) -> Vec<(Range<usize>, Option<Range<usize>>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(caps) = re.captures_at(s, at) {
        let whole = caps.get(0).unwrap().range();
        let (whole, name) = match caps.name("place") {
            Some(p) => {
                let end = extend_place(s, p.end());
                (whole.start..end, Some(p.start()..end))
            }
            None => (
                whole,
                groups.iter().find_map(|g| caps.name(g)).map(|m| m.range()),
            ),
        };
        let done = whole.is_empty();
        at = whole.end;
        out.push((whole, name));
        if done {
            break;
        }
    }
    out
}

pub(crate) static PRC_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:People'?s\s+Republic\s+of\s+China|People’s\s+Republic\s+of\s+China|\bP\.?\s?R\.?\s?C\.?\b|\bP\.R\.\s*China\b|\bChina\b|中华人民共和国|中国|(?:北京|上海|天津|重庆)市|[\p{Han}]{2,4}省|[\p{Han}]{2,6}自治区|\b(?:Beijing|Shanghai|Shenzhen|Guangzhou|Hangzhou|Suzhou|Nanjing|Wuhan|Chengdu|Tianjin|Chongqing|Xiamen|Dalian|Qingdao|Ningbo|Dongguan|Hefei|Xi'?an|Changsha|Zhengzhou|Jinan|Shenyang|Fuzhou|Kunming|Harbin|Wuxi|Foshan|Zhuhai)\b)").unwrap()
});

pub(crate) static NON_PRC_CHINESE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)Hong\s*Kong|香港|Macau|Macao|澳门|Taiwan|台湾|Taipei|台北").unwrap()
});

pub(crate) static FOREIGN_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:Singapore|United\s+States|U\.S\.A\.?|USA|Germany|Japan|United\s+Kingdom|England|Switzerland|France|Netherlands|Ireland|Delaware|California|New\s+York|Texas|Korea)\b|新加坡|美国|德国|日本|英国|瑞士|法国|荷兰|韩国").unwrap()
});

/// The literals one of which every match of [`FOREIGN_PLACE`] or
/// [`NON_PRC_CHINESE_PLACE`] holds, in any ASCII case. (Those patterns
/// ignore case with Unicode's folding, under which `ſ` and the Kelvin sign
/// also match `s` and `k`: a text with either runs the patterns anyway.)
pub(crate) static PLACE_WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "singapore",
            "united",
            "u.s.a",
            "usa",
            "germany",
            "japan",
            "england",
            "switzerland",
            "france",
            "netherlands",
            "ireland",
            "delaware",
            "california",
            "new",
            "texas",
            "korea",
            "hong",
            "macau",
            "macao",
            "taiwan",
            "taipei",
            "新加坡",
            "美国",
            "德国",
            "日本",
            "英国",
            "瑞士",
            "法国",
            "荷兰",
            "韩国",
            "香港",
            "澳门",
            "台湾",
            "台北",
        ])
        .expect("the place words build")
});

/// The first foreign or non-PRC Chinese place named in `s`. (The two
/// patterns start slowly on short text, and most names and addresses
/// have none of their words.)
pub(crate) fn non_prc_place(s: &str) -> Option<regex::Match<'_>> {
    if !(PLACE_WORDS.is_match(s) || s.contains(['\u{17F}', '\u{212A}'])) {
        return None;
    }
    FOREIGN_PLACE
        .find(s)
        .or_else(|| NON_PRC_CHINESE_PLACE.find(s))
}

/// A place as named, without what follows it in the sentence.
pub(crate) fn trim_place(p: &str) -> &str {
    let p = p.trim();
    // "the State of New York, without regard to …" → "the State of New York"
    let cut = p.find([',', ';', '(', '，', '。']).unwrap_or(p.len());
    let p = p[..cut].trim();
    let p = p.strip_suffix(" and").unwrap_or(p);
    p.trim_end_matches(['.', ' '])
}
