//! The parties of a draft and the jurisdictions they are tied to: with the
//! governing law ([`super::governing_law`]), the document facts that grade
//! how exposed a clause is under PRC law. What is known of jurisdictions and
//! places is in [`super::jurisdiction`].

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::blocks::{Block, DefinitionForm};
use super::governing_law::GOVERNING_LAW;
use super::jurisdiction::{
    FOREIGN_PLACE, HintKind, Jurisdiction, JurisdictionHint, NON_PRC_CHINESE_PLACE, PLACE_WORDS,
    PRC_PLACE, non_prc_place, place_matches, trim_place,
};
use super::terms::DefinedTerm;
use comity_text::Span;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Party {
    pub name: String,
    pub name_span: Span,
    /// The defined short name: `Supplier`, `买方`.
    pub short_name: Option<String>,
    pub role_span: Option<Span>,
    pub hints: Vec<JurisdictionHint>,
    /// The jurisdiction of the strongest hint.
    pub jurisdiction: Option<Jurisdiction>,
}

const NAME_CHARS: usize = 120;
const ADDRESS_CHARS: usize = 160;

/// The end of the first `max` characters of `text[start..end]`.
fn cut_chars(text: &str, start: usize, end: usize, max: usize) -> usize {
    text[start..end]
        .char_indices()
        .nth(max)
        .map_or(end, |(i, _)| start + i)
}

/// The role and the name (cut to [`NAME_CHARS`]) of a role label line.
fn role_label(s: &str) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let caps = ROLE_LABEL.captures(s)?;
    let role = caps.get(1)?.range();
    let name = caps.name("name")?;
    Some((
        role,
        name.start()..cut_chars(s, name.start(), name.end(), NAME_CHARS),
    ))
}

/// The addresses in `s` (`住所：…`, `registered office at …`), each cut to
/// [`ADDRESS_CHARS`]; like `captures_iter`, the next search starts where the
/// (cut) address ends.
fn addresses(s: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(caps) = ADDRESS.captures_at(s, at) {
        let m = caps.name("addr").unwrap();
        let end = cut_chars(s, m.start(), m.end(), ADDRESS_CHARS);
        out.push(m.start()..end);
        at = end;
    }
    out
}

/// Compiles the patterns used to read parties and governing law, so that a
/// caller can do it on another thread before they are needed.
pub fn warm_up() {
    for re in [
        &ORG_SUFFIX,
        &ROLE_LABEL,
        &INCORPORATION,
        &ADDRESS,
        &PRC_PLACE,
        &NON_PRC_CHINESE_PLACE,
        &FOREIGN_PLACE,
        &GOVERNING_LAW,
        &ROLE_PREFIX,
    ] {
        LazyLock::force(re);
    }
    LazyLock::force(&NAME_STOP);
    LazyLock::force(&PLACE_WORDS);
}

static ORG_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?:Co\.,?\s*Ltd\.?|Company\s+Limited|Limited|Ltd\.?|Inc\.?|Incorporated|Corporation|Corp\.?|LLC|L\.L\.C\.|LLP|GmbH|AG|S\.A\.|S\.A\.S\.|B\.V\.|N\.V\.|Pte\.?\s*Ltd\.?|PLC|plc|S\.p\.A\.|K\.K\.|SE|Bank|N\.A\.)(?:\W|$)|(?:有限公司|有限责任公司|股份有限公司|集团|合伙企业|银行|研究院|事务所|公司))").unwrap()
});

/// A role label line; the name is at most [`NAME_CHARS`] characters (cut in
/// code: a counted repetition of a Unicode class would make the regex many
/// times slower to compile).
static ROLE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\*\*)?(甲方|乙方|丙方|丁方|买方|卖方|供方|需方|供应方|采购方|许可方|被许可方|出卖人|买受人|借款人|贷款人|出租方|承租方|委托方|受托方|Party\s+[A-D]|Buyer|Seller|Supplier|Customer|Licensor|Licensee|Borrower|Lender|Distributor|Purchaser|Vendor)(?:\*\*)?\s*(?:[（(][^）)]{1,12}[）)])?\s*(?:\*\*)?[:：]\s*(?:\*\*)?\s*(?P<name>[^\n\r]{2,})").unwrap()
});

/// Where a party is incorporated. The `place` group holds only the first
/// letter of the place; [`place_matches`] reads the rest.
static INCORPORATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:incorporated|organi[sz]ed|established|registered|formed|existing)(?:\s+and\s+(?:validly\s+)?existing)?\s+(?:in|under\s+the\s+laws\s+of|pursuant\s+to\s+the\s+laws\s+of)\s+(?P<place>(?:the\s+)?[A-Z])|\ban?\s+(?P<adj>Delaware|New\s+York|California|Nevada|Texas|Hong\s+Kong|Singapore|English|Swiss|German|Japanese|Dutch|Irish|Chinese|PRC)\s+(?:corporation|company|limited\s+liability\s+company|limited\s+partnership|entity|bank)|依据?(?P<zhplace>中华人民共和国|中国|香港特别行政区|香港|新加坡|美国[^\s，。]{0,6}|英国|德国|日本)(?:法律)?(?:注册成立|设立|成立|依法设立)").unwrap()
});

/// An address; at most [`ADDRESS_CHARS`] characters of it are read (cut in
/// code, as for [`ROLE_LABEL`]).
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:住所|地址|注册地址|注册地|通讯地址|registered\s+(?:office|address)|principal\s+(?:place\s+of\s+business|office)|address)\s*(?:at|is|[:：])?\s*(?P<addr>[^\n\r;；]{4,})").unwrap()
});

/// Label lines (`Buyer: Acme Co., Ltd.`) are looked for in this many first
/// blocks, each followed by up to `LABEL_FOLLOWERS` lines of address.
const LABEL_BLOCKS: usize = 200;
const LABEL_FOLLOWERS: usize = 4;

/// The text a party is read from for an inline definition: the definition
/// and up to 400 bytes after it, within its block.
fn inline_window(blocks: &[Block], t: &DefinedTerm, text: &str) -> Span {
    let mut context_end = blocks[t.block].span.end.min(t.definition_span.end + 400);
    // The 400-byte window may end inside a character.
    while !text.is_char_boundary(context_end) {
        context_end -= 1;
    }
    Span::new(
        t.definition_span.start,
        context_end.max(t.definition_span.end),
    )
}

/// What [`find_parties`] reads besides the terms' names: for each inline
/// definition, its window, definition and term spans; and where the label
/// blocks end. Equal sources over equal text give the same parties.
#[derive(Debug, PartialEq, Eq)]
pub struct PartySources {
    pub inline: Vec<[Span; 3]>,
    pub labels_end: usize,
}

pub fn party_sources(blocks: &[Block], terms: &[DefinedTerm], text: &str) -> PartySources {
    PartySources {
        inline: terms
            .iter()
            .filter(|t| t.form == DefinitionForm::Inline)
            .map(|t| {
                [
                    inline_window(blocks, t, text),
                    t.definition_span,
                    t.term_span,
                ]
            })
            .collect(),
        labels_end: blocks
            .get(..(LABEL_BLOCKS + LABEL_FOLLOWERS).min(blocks.len()))
            .and_then(|b| b.last())
            .map_or(0, |b| b.span.end),
    }
}

impl Party {
    /// Moves the party's spans that lie at or after `at` by `delta`.
    pub fn shift(&mut self, at: usize, delta: isize) {
        self.name_span = self.name_span.shifted_after(at, delta);
        if let Some(r) = &mut self.role_span {
            *r = r.shifted_after(at, delta);
        }
        for h in &mut self.hints {
            h.span = h.span.shifted_after(at, delta);
        }
    }
}

/// Reads the parties from the document's definitions and its opening blocks.
pub fn find_parties(blocks: &[Block], terms: &[DefinedTerm], text: &str) -> Vec<Party> {
    let mut parties: Vec<Party> = Vec::new();
    // Inline definitions whose defining words name an organisation:
    // `Acme Corp., a Delaware corporation (the "Supplier")`.
    for t in terms.iter().filter(|t| t.form == DefinitionForm::Inline) {
        let def = t.definition_span.text(text);
        let name_part = &def[..def.rfind(['(', '（']).unwrap_or(def.len())];
        if !ORG_SUFFIX.is_match(name_part) {
            continue;
        }
        let (name, name_span) = party_name(name_part, t.definition_span.start);
        if name.is_empty() {
            continue;
        }
        let context = inline_window(blocks, t, text);
        let mut party = Party {
            name,
            name_span,
            short_name: Some(t.term.clone()),
            role_span: Some(t.term_span),
            hints: Vec::new(),
            jurisdiction: None,
        };
        collect_hints(
            &mut party,
            Span::new(t.definition_span.start, t.definition_span.end),
            text,
        );
        // An address or incorporation statement that follows the definition.
        collect_hints(
            &mut party,
            Span::new(t.definition_span.end, context.end),
            text,
        );
        push_party(&mut parties, party);
    }
    // Label lines: `甲方（买方）：上海某某有限公司`, `Buyer: Acme Co., Ltd.`
    for (b, block) in blocks.iter().enumerate().take(LABEL_BLOCKS) {
        if block.kind.is_quoted_material() {
            continue;
        }
        let s = block.span.text(text);
        let Some((role, name)) = role_label(s) else {
            continue;
        };
        let raw = &s[name.clone()];
        let raw = raw[..raw
            .find(['（', '(', '，', ',', '；', ';'])
            .filter(|&i| i > 0)
            .unwrap_or(raw.len())]
            .trim_end_matches(['*', ' ', '。']);
        if !ORG_SUFFIX.is_match(raw) {
            continue;
        }
        let name_start = block.span.start + name.start;
        let mut party = Party {
            name: raw.trim().to_string(),
            name_span: Span::new(name_start, name_start + raw.trim().len()),
            short_name: Some(s[role.clone()].to_string()),
            role_span: Some(Span::new(
                block.span.start + role.start,
                block.span.start + role.end,
            )),
            hints: Vec::new(),
            jurisdiction: None,
        };
        collect_hints(&mut party, Span::new(name_start, block.span.end), text);
        // Address and registration lines that follow (`住所：…`).
        for next in blocks.iter().skip(b + 1).take(LABEL_FOLLOWERS) {
            let ns = next.span.text(text);
            if ROLE_LABEL.is_match(ns) {
                break;
            }
            collect_hints(&mut party, next.span, text);
        }
        push_party(&mut parties, party);
    }
    for p in &mut parties {
        p.jurisdiction = strongest(&p.hints);
    }
    parties
}

fn push_party(parties: &mut Vec<Party>, party: Party) {
    if let Some(existing) = parties.iter_mut().find(|p| p.name == party.name) {
        existing.hints.extend(party.hints);
        if existing.short_name.is_none() {
            existing.short_name = party.short_name;
            existing.role_span = party.role_span;
        }
    } else {
        parties.push(party);
    }
}

/// What ends a party's name in the words before its inline definition
/// (the first of them ends it).
const NAME_STOPS: &[&str] = &[
    " as ",
    ", a ",
    ", an ",
    "，一家",
    ", incorporated",
    ", organized",
    ", organised",
    ", a company",
    ", having",
    ", with its",
    " whose ",
    ", registered",
    "，住所",
    "，地址",
    "，注册地址",
    ",住所",
    "，法定代表人",
    "，统一社会信用代码",
];

static NAME_STOP: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(NAME_STOPS)
        .expect("the stop words make an automaton")
});

/// The party's name in the words before its inline definition.
fn party_name(before: &str, base: usize) -> (String, Span) {
    // "Acme Corp., a Delaware corporation, with its office at … " → "Acme Corp."
    let end = NAME_STOP.find(before).map_or(before.len(), |m| m.start());
    let mut candidate = &before[..end];
    let mut base = base;
    for intro in [" by and between ", " between ", " BETWEEN ", "由"] {
        if let Some(i) = candidate.rfind(intro) {
            base += i + intro.len();
            candidate = &candidate[i + intro.len()..];
            break;
        }
    }
    // `甲方（买方）：上海某某有限公司` — the role label is not part of the name.
    if let Some(m) = ROLE_PREFIX.find(candidate) {
        let offset = m.end();
        return party_name(&candidate[offset..], base + offset);
    }
    // `Shenzhen Foo Co., Ltd. (深圳市某某有限公司)` — drop a parenthesised
    // translation after a complete company name.
    loop {
        let t = candidate
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '*'));
        let Some(open) = matching_open_paren(t) else {
            break;
        };
        if !ORG_SUFFIX.is_match(&t[..open]) {
            break;
        }
        candidate = &t[..open];
    }
    let trimmed = candidate
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '*' | '_'));
    let lead = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ',' | '，' | ':' | '：' | '*' | '_')
            })
            .len();
    let name = &trimmed[lead..];
    (
        name.to_string(),
        Span::new(base + lead, base + lead + name.len()),
    )
}

static ROLE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\*\*)?(?:甲方|乙方|丙方|丁方|买方|卖方|供方|需方|供应方|采购方|许可方|被许可方|出卖人|买受人|借款人|贷款人|出租方|承租方|委托方|受托方|Party\s+[A-D])(?:\*\*)?\s*(?:[（(][^）)]{1,12}[）)])?\s*(?:\*\*)?[:：]\s*").unwrap()
});

/// If `s` ends with a closing bracket, the byte offset of its opening bracket.
fn matching_open_paren(s: &str) -> Option<usize> {
    let last = s.chars().next_back()?;
    if !matches!(last, ')' | '）') {
        return None;
    }
    let mut depth = 0i32;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn collect_hints(party: &mut Party, span: Span, text: &str) {
    if span.is_empty() {
        return;
    }
    let s = span.text(text);
    for (_, m) in place_matches(&INCORPORATION, s, &["adj", "zhplace"]) {
        let m = m.expect("every alternative has a place");
        if let Some(j) = Jurisdiction::from_name(trim_place(&s[m.clone()])) {
            party.hints.push(JurisdictionHint {
                kind: HintKind::Incorporation,
                jurisdiction: j,
                span: Span::new(span.start + m.start, span.start + m.end),
            });
        }
    }
    for m in addresses(s) {
        let addr = &s[m.clone()];
        let j = if let Some(place) = non_prc_place(addr) {
            Jurisdiction::from_name(place.as_str())
        } else if PRC_PLACE.is_match(addr) {
            Some(Jurisdiction::Prc)
        } else {
            None
        };
        if let Some(j) = j {
            party.hints.push(JurisdictionHint {
                kind: HintKind::Address,
                jurisdiction: j,
                span: Span::new(span.start + m.start, span.start + m.end),
            });
        }
    }
    // The name itself: `上海某某有限公司`, `Shenzhen Foo Technology Co., Ltd.`
    if party.hints.iter().all(|h| h.kind != HintKind::NameForm) {
        let name = party.name.as_str();
        let zh_company = ["有限公司", "有限责任公司", "股份有限公司"]
            .iter()
            .any(|s| name.contains(s));
        let j = if let Some(place) = non_prc_place(name) {
            Jurisdiction::from_name(place.as_str())
        } else if zh_company || (PRC_PLACE.is_match(name) && ORG_SUFFIX.is_match(name)) {
            Some(Jurisdiction::Prc)
        } else {
            None
        };
        if let Some(j) = j {
            party.hints.push(JurisdictionHint {
                kind: HintKind::NameForm,
                jurisdiction: j,
                span: party.name_span,
            });
        }
    }
}

fn strongest(hints: &[JurisdictionHint]) -> Option<Jurisdiction> {
    for kind in [
        HintKind::Incorporation,
        HintKind::Address,
        HintKind::NameForm,
    ] {
        if let Some(h) = hints.iter().find(|h| h.kind == kind) {
            return Some(h.jurisdiction.clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Addresses and names are cut in code rather than by a counted
    /// repetition in the pattern; these are the patterns as they were.
    fn counted(re: &Regex, from: &str, to: &str) -> Regex {
        Regex::new(&re.as_str().replace(from, to)).unwrap()
    }

    proptest! {
        /// The automaton finds where a name ends as the first occurrence
        /// of each stop word, the earliest of them, did.
        #[test]
        fn a_name_ends_at_the_earliest_stop_word(
            parts in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(super::NAME_STOPS.to_vec()).prop_map(str::to_string),
                    "[a-zA-Z ,，住所由]{0,6}",
                ],
                0..8,
            )
        ) {
            let before = parts.concat();
            let earliest = super::NAME_STOPS
                .iter()
                .filter_map(|stop| before.find(stop))
                .min()
                .unwrap_or(before.len());
            let found = super::NAME_STOP.find(&before).map_or(before.len(), |m| m.start());
            prop_assert_eq!(found, earliest);
        }
    }

    fn piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "住所：",
            "地址",
            "address",
            "registered office at ",
            "principal office is ",
            "Buyer: ",
            "甲方（买方）：",
            "**Seller**: ",
            "Party A: ",
            "\n",
            "\r",
            ";",
            "；",
            " ",
            "上海市浦东新区",
            "Acme Co., Ltd.",
            "x",
            "ü",
            "😀",
            "12 Main Street, ",
            "Singapore",
            "address: ",
            "（",
            "）",
        ])
        .prop_map(str::to_string)
    }

    fn line() -> impl Strategy<Value = String> {
        prop::collection::vec((piece(), 1usize..120), 0..12).prop_map(|v| {
            v.into_iter()
                .map(|(p, n)| {
                    if p.chars().count() == 1 {
                        p.repeat(n)
                    } else {
                        p
                    }
                })
                .collect()
        })
    }

    /// The patterns with the place read by the regex, as they were.
    fn whole_place(re: &Regex) -> Regex {
        let full = r"(?P<place>(?:the\s+)?[A-Z][\w'’.]*(?:[ \t]+(?:of|and|the|[A-Z][\w'’.]*))*)";
        counted(re, r"(?P<place>(?:the\s+)?[A-Z])", full)
    }

    fn old_place_matches(
        re: &Regex,
        s: &str,
        groups: &[&str],
    ) -> Vec<(Range<usize>, Option<Range<usize>>)> {
        re.captures_iter(s)
            .map(|c| {
                let name = std::iter::once("place")
                    .chain(groups.iter().copied())
                    .find_map(|g| c.name(g))
                    .map(|m| m.range());
                (c.get(0).unwrap().range(), name)
            })
            .collect()
    }

    fn place_piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "governed by the laws of ",
            "subject to the law of ",
            "construed in accordance with the laws of ",
            "incorporated under the laws of ",
            "organised in ",
            "existing and validly existing in ",
            "GOVERNED BY THE LAWS OF ",
            "a Delaware corporation",
            "an English company",
            "English law shall govern",
            "依据中国法律设立",
            "适用中华人民共和国法律",
            "受香港法律",
            "the",
            "The",
            "THE",
            "of",
            "OF",
            "and",
            "And",
            "offshore",
            "andorra",
            "thereof",
            "England",
            "Wales",
            "New",
            "York",
            "K",
            "\u{212A}ent",
            "\u{17F}t",
            "Zürich",
            "O'Brien",
            "St.",
            "’s",
            "_x9",
            " ",
            "  ",
            "\t",
            "\u{a0}",
            "\u{3000}",
            "\n",
            ",",
            "(",
            ".",
            "中国",
            "x",
            "é",
        ])
    }

    fn place_text() -> impl Strategy<Value = String> {
        prop::collection::vec(place_piece(), 0..16).prop_map(|v| v.concat())
    }

    #[test]
    fn places_are_read_whole() {
        let gl = |s: &str| place_matches(&GOVERNING_LAW, s, &["adj", "adj2", "zhplace"]);
        let name = |s: &str| {
            gl(s)
                .first()
                .and_then(|(_, n)| n.clone())
                .map(|r| s[r].to_string())
        };
        assert_eq!(
            name("governed by the laws of the State of New York.").as_deref(),
            Some("the State of New York.")
        );
        assert_eq!(
            name("governed by the laws of England and Wales, without").as_deref(),
            Some("England and Wales")
        );
        // `of` is taken as it stands, as the pattern did.
        assert_eq!(
            name("governed by the laws of England offshore").as_deref(),
            Some("England of")
        );
        assert_eq!(
            name("governed by the laws of Zürich").as_deref(),
            Some("Zürich")
        );
    }

    proptest! {
        #[test]
        fn places_read_in_code_match_the_whole_pattern(s in place_text()) {
            for (re, groups) in [
                (&*GOVERNING_LAW, &["adj", "adj2", "zhplace"][..]),
                (&*INCORPORATION, &["adj", "zhplace"][..]),
            ] {
                let old = whole_place(re);
                prop_assert_eq!(place_matches(re, &s, groups), old_place_matches(&old, &s, groups));
            }
        }

        #[test]
        fn cut_addresses_match_the_counted_pattern(s in line()) {
            let old = counted(&ADDRESS, "{4,}", "{4,160}");
            let want: Vec<_> = old.captures_iter(&s).map(|c| c.name("addr").unwrap().range()).collect();
            prop_assert_eq!(addresses(&s), want);
        }

        #[test]
        fn cut_names_match_the_counted_pattern(s in line()) {
            let old = counted(&ROLE_LABEL, "{2,}", "{2,120}");
            let want = old
                .captures(&s)
                .map(|c| (c.get(1).unwrap().range(), c.name("name").unwrap().range()));
            prop_assert_eq!(role_label(&s), want);
        }
    }

    use super::*;
    use crate::governing_law::has_law_word;
    use std::ops::Range;

    #[test]
    fn governing_law_statements_pass_the_gate() {
        for s in [
            "This Agreement is governed by the laws of England.",
            "THIS AGREEMENT SHALL BE GOVERNED BY THE LAWS OF SINGAPORE.",
            "English law shall govern this Agreement.",
            "本合同适用中华人民共和国法律。",
            "本协议受香港特别行政区法律管辖。",
        ] {
            assert!(GOVERNING_LAW.is_match(s), "{s}");
            assert!(has_law_word(s), "the gate passes {s}");
        }
    }

    proptest! {
        /// The place-word gate never hides a place: where it finds none of
        /// its words, neither place pattern matches.
        #[test]
        fn the_place_gate_passes_every_place(
            words in prop::collection::vec(prop::sample::select(vec![
                "Singapore", "SINGAPORE", "United", "States", "Kingdom", "U.S.A.", "USA", "usa", "New",
                "York", "Hong", "Kong", "HongKong", "Macau", "Taiwan", "Taipei", "Korea", "\u{212A}orea",
                "Switzerland", "\u{17F}ingapore", "新加坡", "香港", "美国", "台北", "Ltd", "Co.,", "有限公司",
                "Shenzhen", "Acme", "the", "of", "x",
            ]), 0..6),
            seps in prop::collection::vec(prop::sample::select(vec![" ", "", "\t", "，"]), 6),
        ) {
            let s: String = words.iter().zip(&seps).map(|(w, p)| format!("{w}{p}")).collect();
            let want = FOREIGN_PLACE.find(&s).or_else(|| NON_PRC_CHINESE_PLACE.find(&s));
            prop_assert_eq!(non_prc_place(&s).map(|m| m.range()), want.map(|m| m.range()), "{:?}", s);
        }

        /// The gate finds "law" in any ASCII case, or 法律.
        #[test]
        fn the_law_gate_finds_the_word_in_any_case(s in "[lLaAwW法律 x]{0,12}") {
            let want = s.to_ascii_lowercase().contains("law") || s.contains("法律");
            prop_assert_eq!(has_law_word(&s), want);
        }

        /// The literal gate never hides a governing-law statement: text
        /// without "law" or 法律 has no match.
        #[test]
        fn the_law_gate_passes_every_governing_law_match(
            words in prop::collection::vec(prop::sample::select(vec![
                "governed", "by", "the", "laws", "LAWS", "Law", "of", "England", "English", "law",
                "govern", "shall", "construed", "in", "accordance", "with", "subject", "to",
                "适用", "受", "中华人民共和国", "法律", "管辖", "香港", "的", "现行", "法", "律", "la", "w",
            ]), 0..12),
            seps in prop::collection::vec(prop::sample::select(vec![" ", "", "\n", "\t"]), 12),
        ) {
            let s: String = words.iter().zip(&seps).map(|(w, p)| format!("{w}{p}")).collect();
            if !has_law_word(&s) {
                prop_assert!(!GOVERNING_LAW.is_match(&s), "{s:?}");
            }
        }
    }
}
