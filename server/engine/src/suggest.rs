//! Neutral wording: a rule's replacements filled in for the document (its
//! defined names), the blocking-law carve-out, and stable fingerprints.

use comity_document::Document;
use comity_finding::{Applicability, Suggestion};
use comity_rules::Rule;
use comity_text::Lang;
use comity_text::Span;

use super::analysis::Analysis;
#[cfg(test)]
use super::analysis::TermIndex;

/// The carve-out sentence offered with every finding.
pub fn carve_out_text(lang: Lang, party_capitalised: bool) -> String {
    match lang {
        Lang::En => {
            let party = if party_capitalised { "Party" } else { "party" };
            format!(
                "Nothing in this clause requires either {party} to take or omit any action that would breach, or expose it to liability under, any law applicable to it, including the PRC Anti-Foreign Sanctions Law and the MOFCOM Blocking Rules."
            )
        }
        Lang::Zh => "本条任何约定均不要求任何一方作出或不作出违反其适用法律（包括《中华人民共和国反外国制裁法》及《阻断外国法律与措施不当域外适用办法》）或使其因此承担法律责任的行为。".to_string(),
    }
}

/// The carve-out offered with a termination, withholding or excuse right:
/// it restrains the right itself, not only obligations.
pub fn right_carve_out_text(lang: Lang, party_capitalised: bool) -> String {
    match lang {
        Lang::En => {
            let party = if party_capitalised { "Party" } else { "party" };
            format!(
                "No {party} may exercise a right under this clause because the other {party}, or a person connected with it, has been listed or designated under a foreign measure, or where exercising it would breach, or expose that {party} to liability under, any law applicable to it, including the PRC Anti-Foreign Sanctions Law and the MOFCOM Blocking Rules."
            )
        }
        Lang::Zh => "任何一方均不得因另一方或与其有关联的主体被外国措施列名或指定而行使本条项下的权利；行使该权利将违反其适用法律（包括《中华人民共和国反外国制裁法》及《阻断外国法律与措施不当域外适用办法》）或使其因此承担法律责任的，亦不得行使。".to_string(),
    }
}

pub fn suggestions(
    doc: &Document,
    analysis: &Analysis,
    rule: &Rule,
    sentence: Span,
    lang: Lang,
) -> Vec<Suggestion> {
    let text = doc.text();
    let original = sentence.text(text);
    let mut out = Vec::new();
    // A definition's replacement must fit the defined term's type: a person
    // ("Sanctioned Person", “受限制方”), a country, or a body of measures.
    let wants_term = rule
        .file
        .replacements
        .iter()
        .any(|r| r.text.get(lang).contains("{term}"));
    let term = wants_term.then(|| defined_term_opt(doc, analysis, original));
    let kind = term
        .as_ref()
        .map(|t| term_kind(t.as_deref().unwrap_or("")))
        .unwrap_or(TermKind::Measure);
    for r in &rule.file.replacements {
        // A replacement keeps the clause's kind: screening wording for a
        // screening clause, a dealing limit for a no-sale covenant.
        let fits = if r.id.starts_with("person-") {
            kind == TermKind::Person
        } else if r.id.starts_with("country-") {
            kind == TermKind::Country
        } else if r.id.starts_with("screening-") {
            mentions_screening(original)
        } else if r.id.starts_with("dealing-") {
            !mentions_screening(original)
        } else {
            !r.text.get(lang).contains("{term}") || kind == TermKind::Measure
        };
        if !fits {
            continue;
        }
        let mut replacement = fill(r.text.get(lang), doc, analysis, original, lang);
        // Keep the sentence's own terminator style (a list item ending in ";").
        if original.trim_end().ends_with(';') && replacement.ends_with('.') {
            replacement.pop();
            replacement.push(';');
        } else if original.trim_end().ends_with('；') && replacement.ends_with('。') {
            replacement.pop();
            replacement.push('；');
        }
        let mut applicability = r.applicability;
        let mut note = r.risk.get(lang).to_string();
        // A definition whose term could not be found is never written blind
        // (two definitions would otherwise both become “Sanctions”).
        if r.text.get(lang).contains("{term}") && matches!(term, Some(None)) {
            applicability = Applicability::DisplayOnly;
        }
        if lang == Lang::En
            && let Some(word) = undefined_capitalised(&replacement, doc, analysis, original)
        {
            applicability = Applicability::DisplayOnly;
            note.push_str(&format!(
                " Uses “{word}”, which this draft does not define: adapt before use."
            ));
        }
        out.push(Suggestion {
            title: r.title.get(lang).to_string(),
            span: sentence,
            replacement,
            applicability,
            note,
        });
    }
    // For a discretionary right (terminate, withhold, be excused), a carve-out
    // of obligations restrains nothing: offer one that restrains the right.
    let carve = if matches!(rule.code(), "T04" | "T05" | "T15") {
        right_carve_out_text(lang, analysis.party_capitalised)
    } else {
        carve_out_text(lang, analysis.party_capitalised)
    };
    let sep = if lang == Lang::En { " " } else { "" };
    out.push(Suggestion {
        title: match lang {
            Lang::En => "Insert a blocking-law carve-out after this sentence".into(),
            Lang::Zh => "在本句后插入阻断法例外条款".into(),
        },
        span: Span::new(sentence.end, sentence.end),
        replacement: format!("{sep}{carve}"),
        applicability: Applicability::Unsafe,
        note: match lang {
            Lang::En => "Keeps the clause but subordinates it to PRC anti-sanctions law; the counterparty may refuse it, and it does not change any party's obligations under US law.".into(),
            Lang::Zh => "保留原条款，但使其服从于中国反制裁法律；相对方可能不接受，且不改变任何一方依美国法律承担的义务。".into(),
        },
    });
    out
}

/// Fills the placeholders of a replacement with the document's own words:
/// `{Party}`, `{Parties}`, `{party_name}` (the party the sentence binds)
/// and `{term}` (the term a definition defines), each worked out only if
/// the template asks for it, in one pass over the template.
fn fill(template: &str, doc: &Document, analysis: &Analysis, original: &str, lang: Lang) -> String {
    let (party, parties) = if analysis.party_capitalised {
        ("Party", "Parties")
    } else {
        ("party", "parties")
    };
    let party_name = || {
        // The party the sentence binds: the first party short name it mentions.
        let bound = doc
            .parties()
            .iter()
            .filter_map(|p| {
                p.short_name
                    .as_deref()
                    .and_then(|n| original.find(n).map(|i| (i, n)))
            })
            .min_by_key(|(i, _)| *i)
            .map(|(_, n)| n);
        match (lang, bound) {
            (Lang::En, Some(n)) => format!("the {n}").replace("the the ", "the "),
            (Lang::En, None) => format!("each {party}"),
            (Lang::Zh, Some(n)) => n.to_string(),
            (Lang::Zh, None) => "各方".into(),
        }
    };
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(placeholder) = ["{Party}", "{Parties}", "{party_name}", "{term}"]
            .into_iter()
            .find(|p| rest.starts_with(p))
        else {
            out.push('{');
            rest = &rest[1..];
            continue;
        };
        match placeholder {
            "{Party}" => out.push_str(party),
            "{Parties}" => out.push_str(parties),
            "{party_name}" => out.push_str(&party_name()),
            _ => out.push_str(&defined_term(doc, analysis, original, lang)),
        }
        rest = &rest[placeholder.len()..];
    }
    out.push_str(rest);
    // "this Agreement" only where the draft calls itself the Agreement.
    if lang == Lang::En && !analysis.says_agreement && out.contains(" Agreement") {
        out = out
            .replace("this Agreement", "this contract")
            .replace("the Agreement", "the contract");
    }
    if let Some(first) = out.chars().next()
        && first.is_lowercase()
    {
        out = first.to_uppercase().collect::<String>() + &out[first.len_utf8()..];
    }
    out
}

/// Whether a clause is about screening (rather than a bare no-dealing covenant).
fn mentions_screening(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "screen",
        "check against",
        "vet ",
        "due diligence",
        "筛查",
        "核对",
        "审查",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// What a defined term names, so that its replacement definition fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    Person,
    Country,
    Measure,
}

/// "Sanctioned Person", "Restricted Party", “受限制方” are persons;
/// "Sanctioned Country", “受制裁国家” are places; anything else is a body of
/// measures ("Sanctions", “制裁法律”).
pub fn term_kind(term: &str) -> TermKind {
    let lower = term.to_lowercase();
    let last = lower
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    const PERSON_EN: &[&str] = &[
        "person",
        "persons",
        "party",
        "parties",
        "entity",
        "entities",
        "individual",
        "individuals",
        "target",
        "targets",
        "counterparty",
        "counterparties",
        "lender",
        "lenders",
        "obligor",
        "obligors",
        "company",
        "companies",
    ];
    const COUNTRY_EN: &[&str] = &[
        "country",
        "countries",
        "territory",
        "territories",
        "jurisdiction",
        "jurisdictions",
        "region",
        "regions",
    ];
    if PERSON_EN.contains(&last) {
        return TermKind::Person;
    }
    if COUNTRY_EN.contains(&last) {
        return TermKind::Country;
    }
    let t = term.trim();
    if ["国家", "地区", "国", "法域"]
        .iter()
        .any(|s| t.ends_with(s))
    {
        return TermKind::Country;
    }
    if [
        "方",
        "人士",
        "人员",
        "主体",
        "实体",
        "个人",
        "企业",
        "公司",
        "对象",
        "贷款人",
    ]
    .iter()
    .any(|s| t.ends_with(s))
    {
        return TermKind::Person;
    }
    TermKind::Measure
}

/// The term a definition sentence defines, for `{term}` in a replacement:
/// the first definition (in document order, not inline) whose name the
/// sentence quotes (“Name” or "Name") or starts with.
fn defined_term(doc: &Document, analysis: &Analysis, original: &str, lang: Lang) -> String {
    defined_term_opt(doc, analysis, original).unwrap_or_else(|| match lang {
        Lang::En => "Sanctions".into(),
        Lang::Zh => "制裁".into(),
    })
}

fn defined_term_opt(doc: &Document, analysis: &Analysis, original: &str) -> Option<String> {
    let index = analysis.term_index(doc);
    let mut best: Option<usize> = None;
    let mut consider = |name: &str| {
        if let Some(&i) = index.first_named.get(name) {
            best = Some(best.map_or(i, |b| b.min(i)));
        }
    };
    for (open, close) in [("“", "”"), ("\"", "\"")] {
        let opens: Vec<usize> = original
            .match_indices(open)
            .map(|(i, _)| i + open.len())
            .collect();
        let closes: Vec<usize> = original.match_indices(close).map(|(i, _)| i).collect();
        for &a in &opens {
            for &b in closes.iter().filter(|&&b| b >= a && b - a <= index.longest) {
                consider(&original[a..b]);
            }
        }
    }
    for (end, _) in original
        .char_indices()
        .map(|(i, c)| (i + c.len_utf8(), c))
        .take_while(|(end, c)| *end - c.len_utf8() < index.longest)
    {
        consider(&original[..end]);
    }
    best.map(|i| doc.terms()[i].term.clone())
}

/// Words the replacement capitalises that the draft neither defines nor uses.
fn undefined_capitalised(
    replacement: &str,
    doc: &Document,
    analysis: &Analysis,
    original: &str,
) -> Option<String> {
    const KNOWN: &[&str] = &[
        "PRC",
        "MOFCOM",
        "Anti-Foreign",
        "Sanctions",
        "Law",
        "Blocking",
        "Rules",
        "Counteracting",
        "Unjustified",
        "Extra-territorial",
        "Application",
        "Foreign",
        "Legislation",
        "Other",
        "Measures",
        "United",
        "Nations",
        "Security",
        "Council",
        "Regulation",
        "EC",
        "No",
        "Nothing",
        "Each",
        "Neither",
        "If",
        "Where",
        "The",
        "Any",
        "Such",
        "This",
        "Data",
        "Personal",
        "Information",
        "Protection",
        "Clause",
        "Annex",
        "Supported",
        "Configurations",
        "European",
        "Union",
        "To",
        "A",
        "Article",
        "Section",
        "Either",
        "In",
        "Party",
        "Parties",
        "Legal",
        "Impediment",
    ];
    let text = doc.text();
    for (i, word) in replacement
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .enumerate()
    {
        let Some(first) = word.chars().next() else {
            continue;
        };
        if !first.is_uppercase()
            || i == 0
            || KNOWN.contains(&word)
            || original.contains(word)
            || word.len() < 2
        {
            continue;
        }
        if analysis.term_index(doc).words.contains(word) || analysis.text_has_word(text, word) {
            continue;
        }
        return Some(word.to_string());
    }
    None
}

/// A stable identity for a finding: the rule and the sentence's words,
/// without numbering, spacing or case, so that it survives renumbering.
pub fn fingerprint(code: &str, sentence: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in code.bytes().chain([0u8]) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // The bytes of the letters, lower-cased (without building the string).
    let mut buf = [0u8; 4];
    for c in sentence.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                h ^= c.to_ascii_lowercase() as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            continue;
        }
        if !c.is_alphabetic() {
            continue;
        }
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use comity_document::DefinitionForm;
    use proptest::prelude::*;

    /// The plain reading of `defined_term`: the first definition, in order,
    /// that the sentence quotes or starts with.
    fn defined_term_by_scan(doc: &Document, original: &str) -> Option<String> {
        doc.terms()
            .iter()
            .filter(|t| t.form != DefinitionForm::Inline)
            .find(|t| {
                original.contains(&format!("“{}”", t.term))
                    || original.contains(&format!("\"{}\"", t.term))
                    || original.starts_with(&t.term)
            })
            .map(|t| t.term.clone())
    }

    const DRAFT: &str = "1. Definitions\n\n\"Sanctions\" means the sanctions of OFAC.\n\n\"Sanctioned Person\" means a person listed by OFAC.\n\n“受限制方”指被列入清单的人。\n\n\"Export Control Laws\" means the EAR.\n\n\"Sanctions\" also means UN sanctions.\n\nThe Supplier (the \"Seller\") shall deliver.\n";

    /// The fingerprint as it was first written: the letters lower-cased
    /// into a string, then hashed.
    fn fingerprint_by_string(code: &str, sentence: &str) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let normalized: String = sentence
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(|c| c.to_lowercase())
            .collect();
        for b in code.bytes().chain([0u8]).chain(normalized.bytes()) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    proptest! {
        #[test]
        fn fingerprints_hash_the_lower_cased_letters(sentence in "\\PC{0,80}", code in "T[0-9]{2}") {
            prop_assert_eq!(fingerprint(&code, &sentence), fingerprint_by_string(&code, &sentence));
        }

        #[test]
        fn index_finds_the_same_term_as_a_scan(
            parts in proptest::collection::vec(prop::sample::select(vec![
                "\"", "“", "”", "Sanctions", "Sanctioned Person", "Sanction", "受限制方",
                "Export Control Laws", "Seller", " means ", "x", " ", "Sanctioned",
            ]), 0..10)
        ) {
            let doc = Document::parse(DRAFT);
            let rules = comity_rules::RuleSet::builtin();
            let settings = crate::Settings::default();
            let analysis = Analysis::new(&doc, rules, &settings);
            let sentence: String = parts.concat();
            let want = defined_term_by_scan(&doc, &sentence).unwrap_or_else(|| "Sanctions".into());
            prop_assert_eq!(defined_term(&doc, &analysis, &sentence, Lang::En), want);
        }
    }

    #[test]
    fn fingerprints_fold_case_beyond_ascii() {
        for s in ["İstanbul ẞ ΣΑΣ Ǆ 制裁", "The U.S. EAR", ""] {
            assert_eq!(
                fingerprint("T01", s),
                fingerprint_by_string("T01", s),
                "{s}"
            );
        }
        assert_eq!(
            fingerprint("T01", "The Supplier shall comply."),
            fingerprint("T01", "1.1 the supplier SHALL comply")
        );
    }

    #[test]
    fn term_words_are_indexed() {
        let doc = Document::parse(DRAFT);
        let index = TermIndex::new(doc.terms());
        assert!(index.words.contains("Person"));
        assert!(index.words.contains("Seller"));
        assert!(!index.words.contains("Supplier"));
    }
}
