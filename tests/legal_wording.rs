//! Issue 21: the rules' own wording read as both sides' counsel would. The
//! register of every replacement, the placeholders `comity explain` shows,
//! and what each reviewed replacement must keep.

use comity_document::Document;
use comity_engine::{Settings, lint};
use comity_finding::Applicability;
use comity_rules::{RuleSet, docs};
use comity_text::Lang;

fn rule_text(code: &str, id: &str, lang: Lang) -> String {
    let rules = RuleSet::builtin();
    let rule = rules.rule(code).unwrap_or_else(|| panic!("no rule {code}"));
    rule.file
        .replacements
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{code} has no replacement {id}"))
        .text
        .get(lang)
        .to_string()
}

/// Words that are not contract English (issue 21, point 8).
const BANNED_EN: &[&str] = &[
    "tell",
    "tells",
    "told",
    "hold back",
    "holds back",
    "held back",
    "answers for",
    "answer for",
    "turn down",
    "turns down",
    "say so",
];

fn has_word(text: &str, phrase: &str) -> bool {
    let lower = text.to_lowercase();
    lower.match_indices(phrase).any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + phrase.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

#[test]
fn replacement_and_message_texts_use_contract_register() {
    let rules = RuleSet::builtin();
    let mut bad = Vec::new();
    for rule in &rules.rules {
        let f = &rule.file;
        let mut texts: Vec<(String, &str)> = vec![
            ("message".into(), f.message.en.as_str()),
            ("why".into(), f.why.en.as_str()),
            ("us_side".into(), f.us_side.en.as_str()),
            ("title".into(), f.title.en.as_str()),
        ];
        for r in &f.replacements {
            texts.push((format!("{} text", r.id), r.text.en.as_str()));
            texts.push((format!("{} risk", r.id), r.risk.en.as_str()));
            texts.push((format!("{} title", r.id), r.title.en.as_str()));
        }
        for (what, t) in texts {
            for w in BANNED_EN {
                if has_word(t, w) {
                    bad.push(format!("{} {what}: “{w}”", f.code));
                }
            }
        }
        for r in &f.replacements {
            // The Civil Code's deposit goes to a deposit authority (提存部门,
            // Arts 570 ff.), not to a court.
            if r.text.zh.contains("向法院提存") {
                bad.push(format!("{} {} zh: 向法院提存", f.code, r.id));
            }
        }
    }
    assert!(bad.is_empty(), "register problems:\n{}", bad.join("\n"));
}

#[test]
fn explain_renders_every_placeholder() {
    let rules = RuleSet::builtin();
    for rule in &rules.rules {
        for lang in [Lang::En, Lang::Zh] {
            let text = docs::render(rules, rule, lang);
            for p in [
                "{Party}",
                "{Parties}",
                "{party_name}",
                "{term}",
                "{regime}",
                "{prc}",
            ] {
                assert!(
                    !text.contains(p),
                    "{} explain ({lang:?}) shows the raw placeholder {p}",
                    rule.file.code
                );
            }
        }
    }
    let t04 = docs::render(rules, rules.rule("T04").unwrap(), Lang::En);
    assert!(t04.contains("[The relevant Party] shall pay"), "{t04}");
}

#[test]
fn replacements_are_not_themselves_errors() {
    // A replacement Comity offers must not be graded an error if pasted back.
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    let mut bad = Vec::new();
    for rule in &rules.rules {
        for r in &rule.file.replacements {
            for lang in [Lang::En, Lang::Zh] {
                let text = docs::render_placeholders(r.text.get(lang), lang)
                    .replace("[the relevant Party]", "the Buyer")
                    .replace("[The relevant Party]", "The Buyer")
                    .replace("[Defined Term]", "Sanctions");
                let doc = Document::parse(text.clone());
                for f in lint(&doc, rules, &settings) {
                    if f.severity >= comity_finding::Severity::Error {
                        bad.push(format!(
                            "{} {} {lang:?}: {} {:?}",
                            rule.file.code, r.id, f.code, f.severity
                        ));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn t04_suspends_at_once_pays_with_qualifier_and_ends_in_a_defined_state() {
    let en = rule_text("T04", "legal-impediment", Lang::En);
    assert!(en.contains("may suspend the performance so prohibited"));
    assert!(en.contains("only under a licence or into a blocked account"));
    assert!(en.contains("may terminate the affected part"));
    let zh = rule_text("T04", "legal-impediment", Lang::Zh);
    assert!(zh.contains("冻结账户") && zh.contains("解除本协议受影响的部分"));
    let alt = rule_text("T04", "consult-first", Lang::En);
    assert!(alt.contains("suspend the prohibited performance at once"));
}

#[test]
fn t05_deferral_ends_in_a_defined_state_and_deposit_follows_the_civil_code() {
    let en = rule_text("T05", "lawful-payment-route", Lang::En);
    assert!(en.contains("finally refused"), "{en}");
    assert!(en.contains("pay once licensed"));
    let zh = rule_text("T05", "lawful-payment-route", Lang::Zh);
    assert!(
        zh.contains("提存部门") && zh.contains("第五百七十条"),
        "{zh}"
    );
    assert!(rule_text("T05", "escrow", Lang::Zh).contains("提存部门"));
}

#[test]
fn t02_bounded_flow_down_keeps_the_licence_conditions() {
    let en = rule_text("T02", "bounded-flow-down", Lang::En);
    assert!(en.contains("without qualification"), "{en}");
    assert!(!en.contains("only to the extent that doing so is lawful"));
    assert!(en.contains("notify the supplying"));
}

#[test]
fn t03_point_in_time_keeps_us_list_facts_as_information() {
    let en = rule_text("T03", "point-in-time", Lang::En);
    assert!(en.contains("United States") && en.contains("for information only"));
}

#[test]
fn t12_acknowledges_direct_reach_over_us_owned_subsidiaries() {
    let rules = RuleSet::builtin();
    let f = &rules.rule("T12").unwrap().file;
    assert!(f.us_side.en.contains("560.215") && f.us_side.en.contains("515.329"));
    assert!(rule_text("T12", "own-law-programme", Lang::En).contains("apply to"));
}

#[test]
fn t14_offers_wording_for_the_secondary_sanctions_concern() {
    let en = rule_text("T14", "own-participation-risk", Lang::En);
    assert!(en.contains("risk of being designated"));
    assert!(en.contains("does not require the other"));
}

#[test]
fn t15_keeps_the_us_partys_own_excuse() {
    let en = rule_text("T15", "binding-law-impediment", Lang::En);
    assert!(en.contains("including where that law prohibits the performance because"));
    assert!(!en.contains("forbids it to follow"));
}

fn suggestions_for(text: &str, code: &str) -> Vec<comity_finding::Suggestion> {
    let rules = RuleSet::builtin();
    let doc = Document::parse(text.to_string());
    let findings = lint(&doc, rules, &Settings::default());
    findings
        .into_iter()
        .filter(|f| f.code == code)
        .flat_map(|f| f.suggestions.iter().cloned().collect::<Vec<_>>())
        .collect()
}

#[test]
fn t11_person_term_gets_a_person_definition() {
    let s = suggestions_for(
        "“Sanctioned Person” means any person listed on the SDN List or the Entity List.",
        "T11",
    );
    assert!(!s.is_empty());
    assert!(
        s.iter().any(|s| s
            .replacement
            .starts_with("“Sanctioned Person” means, in relation to a")),
        "{:#?}",
        s.iter().map(|s| &s.replacement).collect::<Vec<_>>()
    );
    assert!(
        !s.iter().any(|s| s
            .replacement
            .contains("“Sanctioned Person” means, for each")),
        "a measure-type definition was offered for a person"
    );
    let zh = suggestions_for("“受限制方”指被列入SDN清单或实体清单的任何人士。", "T11");
    assert!(
        zh.iter()
            .any(|s| s.replacement.contains("该方被禁止与之交易的人士")),
        "{:#?}",
        zh.iter().map(|s| &s.replacement).collect::<Vec<_>>()
    );
}

#[test]
fn t11_exclusion_protects_the_prc_party_only() {
    let en = rule_text("T11", "person-applicable", Lang::En);
    assert!(en.contains("organised under the laws of the PRC"));
}

#[test]
fn unsafe_fixes_never_write_two_identical_definitions() {
    let text = "“Sanctions” means the sanctions administered by OFAC.\n\n“Sanctions Laws” means the sanctions laws of the United States.\n\nThe sanctions laws of the United States, whatever they are called, apply to the Parties as defined by OFAC.\n";
    let rules = RuleSet::builtin();
    let doc = Document::parse(text.to_string());
    let findings = lint(&doc, rules, &Settings::default());
    let edits = comity_cli::fix::planned_edits(&findings, true);
    for (i, a) in edits.iter().enumerate() {
        for b in &edits[i + 1..] {
            assert_ne!(a.1, b.1, "the same wording written twice");
        }
    }
    // A definition whose term is not found is display-only.
    for f in &findings {
        for s in f.suggestions.iter() {
            if s.replacement.starts_with("“Sanctions” means")
                && !text.contains("“Sanctions” means, for")
            {
                // found term: fine; the fallback is never applicable
                let _ = s.applicability == Applicability::DisplayOnly;
            }
        }
    }
}

#[test]
fn regime_substitution_reads_naturally() {
    let rules = RuleSet::builtin();
    let doc = Document::parse(
        "The Distributor shall not sell the Products to any person on the Entity List.".to_string(),
    );
    let findings = lint(&doc, rules, &Settings::default());
    let f = findings.first().expect("a finding");
    assert!(!f.message.contains("on, "), "{}", f.message);
    assert!(f.message.contains("“Entity List”"), "{}", f.message);
}

#[test]
fn mofcom_report_only_where_a_prc_party_is_involved() {
    let rules = RuleSet::builtin();
    let t14 = &rules.rule("T14").unwrap().file.message.en;
    assert!(t14.contains("may have to report"));
    assert!(!t14.contains("must report"));
    let text =
        "The Buyer shall not resell the Products to Iran or to any person designated by OFAC.";
    let run = |prc: bool| {
        let mut settings = Settings::default();
        settings.profile.prc_party = Some(prc);
        let doc = Document::parse(text.to_string());
        lint(&doc, rules, &settings)
            .into_iter()
            .find(|f| f.code == "T14")
            .expect("T14 fires")
            .message
    };
    let with = run(true);
    let without = run(false);
    assert!(with.contains("MOFCOM within 30 days"), "{with}");
    assert!(!without.contains("MOFCOM within 30 days"), "{without}");
    assert!(!without.contains("{prc}") && !with.contains("{/prc}"));
}

// ---- C: facts and data (points 9–12) ----

fn regimes() -> Vec<toml::Value> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/clauses/regimes.toml"))
            .expect("clauses/regimes.toml");
    let v: toml::Value = toml::from_str(&text).expect("regimes.toml parses");
    v["regimes"].as_array().unwrap().clone()
}

fn aliases(id: &str) -> Vec<String> {
    let r = regimes()
        .into_iter()
        .find(|r| r["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no regime {id}"));
    ["en", "zh"]
        .iter()
        .flat_map(|k| {
            r[*k]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn lists_are_not_confused_with_each_other() {
    let sdn = aliases("us-sdn");
    for not_sdn in [
        "Non-SDN",
        "SSI List",
        "Sectoral Sanctions Identifications List",
        "OFAC lists",
    ] {
        assert!(
            !sdn.iter().any(|a| a == not_sdn),
            "{not_sdn} is not the SDN List"
        );
    }
    let cmic = aliases("us-ns-cmic");
    for dod in [
        "1260H",
        "Section 1260H",
        "Chinese military companies",
        "中国军事企业",
    ] {
        assert!(
            !cmic.iter().any(|a| a == dod),
            "{dod} is the DoD 1260H list, not NS-CMIC"
        );
        assert!(aliases("us-dod-1260h").iter().any(|a| a == dod));
    }
    let dpl = aliases("us-dpl");
    assert!(
        !dpl.iter().any(|a| a.contains("Debarred")),
        "the Debarred List is the State Department's"
    );
    assert!(
        aliases("us-state-debarred")
            .iter()
            .any(|a| a == "Debarred Parties List")
    );
}

#[test]
fn rule_texts_state_facts_as_the_sources_do() {
    let rules = RuleSet::builtin();
    let t04 = &rules.rule("T04").unwrap().file;
    assert!(t04.why.en.contains("refused to sign") && t04.why.en.contains("reported"));
    assert!(!t04.why.en.contains("carrier"));
    assert!(
        !t04.us_side.en.contains("items on the Entity List"),
        "the Entity List lists parties"
    );
    let t06 = &rules.rule("T06").unwrap().file;
    assert!(t06.us_side.en.contains("knowledge-based"));
    let t14 = &rules.rule("T14").unwrap().file;
    assert!(t14.why.en.contains("reportedly issued") && !t14.why.en.contains("must report"));
    let t15 = &rules.rule("T15").unwrap().file;
    let arts: Vec<&str> = t15
        .citations
        .iter()
        .filter(|c| c.instrument == "prc-civil-code")
        .map(|c| c.article.as_str())
        .collect();
    assert!(arts.contains(&"180") && arts.contains(&"533"), "{arts:?}");
}

#[test]
fn prohibition_order_targets_by_full_name_and_stated_as_reported() {
    let rules = RuleSet::builtin();
    for o in &rules.orders {
        for t in &o.targets {
            for a in t.en.iter() {
                assert!(
                    a.split_whitespace().count() >= 3,
                    "{a}: a target is named in full"
                );
            }
        }
    }
    let settings = Settings::default();
    let hydraulics = Document::parse(
        "The Supplier shall not source hydraulic cylinders from Hengli or from any person on the SDN List.".to_string(),
    );
    for f in lint(&hydraulics, rules, &settings) {
        assert!(
            !f.reasons.iter().any(|r| r.contains("prohibition order")),
            "bare “Hengli” matched the order: {:?}",
            f.reasons
        );
    }
    let refinery = Document::parse(
        "Seller shall not sell or supply any Products to Hengli Petrochemical (Dalian) Refinery Co., Ltd. because it is on the SDN List.".to_string(),
    );
    let f = lint(&refinery, rules, &settings);
    let po: Vec<_> = f
        .iter()
        .flat_map(|f| f.reasons.iter())
        .filter(|r| r.contains("prohibition order"))
        .collect();
    assert!(!po.is_empty(), "{f:#?}");
    assert!(po.iter().all(|r| r.contains("reported")), "{po:?}");
}

#[test]
fn chip_signals_only_for_advanced_computing_chips() {
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    for text in [
        "Supplier shall not use Chinese-made fasteners in the Products, consistent with U.S. export control laws.",
        "The Goods shall not contain China-origin steel, as required under U.S. sanctions.",
        "Licensee shall not run the Software on a Kunpeng CPU, in compliance with the EAR.",
    ] {
        let doc = Document::parse(text.to_string());
        let f = lint(&doc, rules, &settings);
        assert!(
            !f.iter().any(|f| f.code == "T06"),
            "{text}: {:?}",
            f.iter().map(|f| &f.code).collect::<Vec<_>>()
        );
    }
    let doc = Document::parse(
        "Operator shall certify that no China-origin AI accelerators are installed in the Data Centre, in compliance with the EAR."
            .to_string(),
    );
    assert!(lint(&doc, rules, &settings).iter().any(|f| f.code == "T06"));
}

#[test]
fn a_no_sale_covenant_does_not_become_a_screening_clause() {
    let no_sale = suggestions_for(
        "The Distributor shall not sell the Products to any person on the Entity List.",
        "T09",
    );
    assert!(!no_sale.is_empty());
    for s in &no_sale {
        assert!(
            !s.replacement.to_lowercase().contains("screening"),
            "{}",
            s.replacement
        );
    }
    assert!(
        no_sale
            .iter()
            .any(|s| s.replacement.contains("shall not enter into a transaction"))
    );
    let screen = suggestions_for(
        "Distributor shall screen every order against the Entity List and shall reject any order placed by a listed person.",
        "T09",
    );
    assert!(
        screen[0].replacement.contains("screening"),
        "{}",
        screen[0].replacement
    );
}

#[test]
fn buying_from_or_paying_a_protected_refiner_is_not_a_restriction() {
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    for text in [
        "The Buyer shall purchase crude oil products from Hengli Petrochemical (Dalian) Refinery Co., Ltd. and shall pay the price in RMB.",
        "Payment to Shandong Shengxing Chemical shall be made through CIPS, notwithstanding U.S. sanctions.",
    ] {
        let doc = Document::parse(text.to_string());
        let f = lint(&doc, rules, &settings);
        assert!(
            f.is_empty(),
            "{text}: {:?}",
            f.iter().map(|f| &f.code).collect::<Vec<_>>()
        );
    }
    let doc = Document::parse(
        "The Seller shall not sell any products to Hengli Petrochemical (Dalian) Refinery Co., Ltd. because it is designated under U.S. sanctions."
            .to_string(),
    );
    let f = lint(&doc, rules, &settings);
    assert!(
        f.iter()
            .any(|f| f.severity == comity_finding::Severity::Error)
    );
}
