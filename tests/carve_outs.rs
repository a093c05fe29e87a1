//! Issue 21, points 1–2: a sentence that names the PRC Anti-Foreign
//! Sanctions Law lowers a finding only if it carves out what was flagged,
//! for the party who needs it; a waiver of the law's remedies is a finding of
//! its own and lowers nothing.

use comity_document::Document;
use comity_engine::{Settings, lint};
use comity_finding::{Finding, Severity};
use comity_rules::RuleSet;

fn run(text: &str) -> Vec<Finding> {
    let doc = Document::parse(text.to_string());
    lint(&doc, RuleSet::builtin(), &Settings::default())
}

fn sev(findings: &[Finding], code: &str) -> Severity {
    findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", codes(findings)))
        .severity
}

fn codes(findings: &[Finding]) -> Vec<(String, Severity, Vec<String>)> {
    findings
        .iter()
        .map(|f| (f.code.clone(), f.severity, f.reasons.clone()))
        .collect()
}

const RISKY: &str = "1. Sanctions\n\n1.1 The Seller may terminate this Agreement if the Buyer is added to the SDN List.\n\n1.2 The Seller may withhold payment of any amount due to the Buyer if the Buyer is added to the Entity List.\n\n1.3 The Buyer shall comply with the U.S. Export Administration Regulations.\n\n";

#[test]
fn a_waiver_lowers_nothing_and_is_its_own_finding() {
    let f = run(&format!(
        "{RISKY}1.4 The Buyer irrevocably waives any right to bring any claim against the Seller under this Agreement or the PRC Anti-Foreign Sanctions Law.\n"
    ));
    assert_eq!(sev(&f, "T04"), Severity::Error, "{:#?}", codes(&f));
    assert_eq!(sev(&f, "T05"), Severity::Error);
    assert!(sev(&f, "T01") >= Severity::Warning);
    assert!(f.iter().any(|f| f.code == "W01"), "{:#?}", codes(&f));
    let t04 = f.iter().find(|f| f.code == "T04").unwrap();
    assert!(
        t04.reasons
            .iter()
            .any(|r| r.contains("a waiver is not a carve-out")),
        "{:?}",
        t04.reasons
    );
}

#[test]
fn an_inline_waiver_does_not_hide_the_clause() {
    let f = run(
        "The Seller may terminate this Agreement if the Buyer is added to the SDN List, and the Buyer waives any claim under the Anti-Foreign Sanctions Law.\n",
    );
    assert!(f.iter().any(|f| f.code == "T04"), "{:#?}", codes(&f));
    assert!(f.iter().any(|f| f.code == "W01"));
}

#[test]
fn a_chinese_waiver_given_by_a_prc_party_is_an_error() {
    let text = "买方放弃依据《反外国制裁法》提出任何索赔的权利。\n";
    let doc = Document::parse(text.to_string());
    let mut settings = Settings::default();
    settings.profile.prc_party = Some(true);
    let f = lint(&doc, RuleSet::builtin(), &settings);
    let w = f
        .iter()
        .find(|f| f.code == "W01")
        .unwrap_or_else(|| panic!("{:#?}", codes(&f)));
    assert_eq!(w.severity, Severity::Error, "{:?}", w.reasons);
    // Written in Chinese alone, with no PRC party shown: still a finding.
    let f = run(text);
    assert_eq!(sev(&f, "W01"), Severity::Warning);
}

#[test]
fn a_mention_is_not_a_carve_out() {
    let f = run(&format!(
        "{RISKY}1.4 The Parties note that the PRC Anti-Foreign Sanctions Law entered into force in 2021.\n"
    ));
    assert_eq!(sev(&f, "T04"), Severity::Error, "{:#?}", codes(&f));
    assert!(sev(&f, "T01") >= Severity::Warning, "{:#?}", codes(&f));
}

#[test]
fn an_obligations_carve_out_does_not_restrain_a_right() {
    let f = run(&format!(
        "{RISKY}1.4 Nothing in this Agreement requires either Party to take or omit any action that would breach the PRC Anti-Foreign Sanctions Law.\n"
    ));
    assert_eq!(sev(&f, "T04"), Severity::Error, "{:#?}", codes(&f));
    assert_eq!(sev(&f, "T05"), Severity::Error);
    // The obligation it does release is lowered, and the finding says by what.
    let t01 = f.iter().find(|f| f.code == "T01").unwrap();
    assert_eq!(t01.severity, Severity::Info);
    assert!(
        t01.reasons.iter().any(|r| r.contains("clause 1.4")),
        "{:?}",
        t01.reasons
    );
}

#[test]
fn a_disapplying_carve_out_lowers_and_names_the_clause() {
    let f = run(&format!(
        "{RISKY}1.4 This Clause 1 shall not apply to the extent that it would result in a breach by either Party of the PRC Anti-Foreign Sanctions Law.\n"
    ));
    let t04 = f.iter().find(|f| f.code == "T04").unwrap();
    assert_eq!(t04.severity, Severity::Info, "{:?}", t04.reasons);
    assert!(t04.reasons.iter().any(|r| r.contains("clause 1.4")));
}

#[test]
fn a_carve_out_for_the_other_party_only_does_not_protect_the_prc_party() {
    let f = run(&format!(
        "{RISKY}1.4 This Clause 1 shall not apply to the Seller to the extent that it would result in a breach by the Seller of the PRC Anti-Foreign Sanctions Law.\n"
    ));
    // Seller is not shown to be a PRC party.
    assert_eq!(sev(&f, "T04"), Severity::Error, "{:#?}", codes(&f));
}

#[test]
fn an_eu_restricted_lender_carve_out_is_said_not_downgraded() {
    let f = run(
        "The Borrower shall not, and shall procure that no member of the Group will, deal with any person on the SDN List.\n\nThe undertakings in this Agreement are given to a Restricted Lender only to the extent that it would not result in a breach of Council Regulation (EC) No 2271/96 or § 7 AWV.\n",
    );
    let t = f
        .iter()
        .find(|f| f.code.starts_with('T'))
        .unwrap_or_else(|| panic!("{:#?}", codes(&f)));
    assert!(t.severity >= Severity::Warning, "{:?}", t.reasons);
    assert!(
        t.reasons.iter().any(|r| r.contains("EU or UK")),
        "{:?}",
        t.reasons
    );
}

#[test]
fn comitys_own_carve_out_does_not_make_a_termination_right_disappear() {
    let doc = Document::parse(
        "The Seller may terminate this Agreement if the Buyer is added to the SDN List.\n"
            .to_string(),
    );
    let f = lint(&doc, RuleSet::builtin(), &Settings::default());
    let t04 = f.iter().find(|f| f.code == "T04").unwrap();
    let carve = t04
        .suggestions
        .iter()
        .find(|s| s.span.start == s.span.end)
        .expect("an inserted carve-out");
    // The generic obligations carve-out would not have restrained the right.
    assert!(
        carve.replacement.contains("may exercise a right"),
        "{}",
        carve.replacement
    );
    let text = format!(
        "{}{}{}",
        &doc.text()[..carve.span.start],
        carve.replacement,
        &doc.text()[carve.span.start..]
    );
    let after = run(&text);
    assert!(
        after.iter().any(|f| f.code == "T04"),
        "the finding disappeared: {:#?}",
        codes(&after)
    );
    // The old wording, pasted in, leaves the right flagged at full severity.
    let old = run(
        "The Seller may terminate this Agreement if the Buyer is added to the SDN List.\n\nNothing in this Agreement requires either Party to take or omit any action that would breach, or expose it to liability under, any law applicable to it, including the PRC Anti-Foreign Sanctions Law and the MOFCOM Blocking Rules.\n",
    );
    assert!(sev(&old, "T04") >= Severity::Warning, "{:#?}", codes(&old));
}

#[test]
fn a_repetition_clause_reaches_the_representation_it_repeats() {
    let rep =
        "5.12 Sanctions\n\n(a) The Borrower represents that it is not listed on the SDN List.\n\n";
    let plain = run(rep);
    let repeated = run(&format!(
        "{rep}(b) The representations in this Section 5.12 are deemed to be repeated by the Borrower on the date of each Utilisation Request.\n"
    ));
    let before = sev(&plain, "T03");
    let after = repeated
        .iter()
        .find(|f| f.code == "T03" && f.reasons.iter().any(|r| r.contains("repeated by")))
        .unwrap_or_else(|| panic!("{:#?}", codes(&repeated)));
    assert!(after.severity >= Severity::Warning);
    assert!(after.severity >= before);
}

#[test]
fn an_inline_mention_does_not_hide_the_clause_but_an_inline_carve_out_does() {
    let mention = run(
        "The Seller may terminate this Agreement if the Buyer is added to the SDN List, and the Buyer acknowledges the PRC Anti-Foreign Sanctions Law.\n",
    );
    assert!(
        mention.iter().any(|f| f.code == "T04"),
        "{:#?}",
        codes(&mention)
    );
    let carve = run(
        "The Seller may terminate this Agreement if the Buyer is added to the SDN List, except to the extent that doing so would breach the PRC Anti-Foreign Sanctions Law.\n",
    );
    assert!(
        !carve
            .iter()
            .any(|f| f.code == "T04" && f.severity == Severity::Error),
        "{:#?}",
        codes(&carve)
    );
}
