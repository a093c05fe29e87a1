//! Every rule's own examples run as tests: the examples that must fire fire
//! with the rule's code, and the near misses produce no finding at all.

use comity_engine::{Settings, check_text};
use comity_rules::RuleSet;
use comity_text::Lang;

#[test]
fn builtin_library_loads() {
    let rules = RuleSet::load(&[]).unwrap_or_else(|errs| {
        panic!(
            "{}",
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    });
    let codes: Vec<&str> = rules.rules.iter().map(|r| r.code()).collect();
    for n in 1..=15 {
        let code = format!("T{n:02}");
        assert!(
            codes.contains(&code.as_str()),
            "{code} missing from {codes:?}"
        );
    }
}

#[test]
fn every_rule_fires_in_english_and_chinese_and_has_near_misses() {
    let rules = RuleSet::builtin();
    for rule in &rules.rules {
        let f = &rule.file;
        for lang in [Lang::En, Lang::Zh] {
            assert!(
                f.examples.iter().any(|e| e.fires && e.lang == lang),
                "{} has no firing {lang:?} example",
                f.code
            );
            assert!(
                f.examples.iter().any(|e| !e.fires && e.lang == lang),
                "{} has no {lang:?} near miss",
                f.code
            );
        }
    }
}

#[test]
fn rule_examples() {
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    let mut failures = Vec::new();
    for rule in &rules.rules {
        for ex in &rule.file.examples {
            // The path `comity check` takes.
            let (_, findings) = check_text(ex.text.clone(), rules, &settings);
            if ex.fires {
                match findings.iter().find(|f| f.code == rule.file.code) {
                    None => failures.push(format!(
                        "{} should fire on: {}\n    got: {:?}",
                        rule.file.code,
                        ex.text,
                        findings.iter().map(|f| &f.code).collect::<Vec<_>>()
                    )),
                    Some(f) => {
                        if let Some(min) = ex.min_severity
                            && f.severity < min
                        {
                            failures.push(format!(
                                "{} fired at {:?} (< {:?}) on: {}\n    reasons: {:?}",
                                rule.file.code, f.severity, min, ex.text, f.reasons
                            ));
                        }
                    }
                }
            } else if !findings.is_empty() {
                failures.push(format!(
                    "{} near miss fired {:?} on: {}",
                    rule.file.code,
                    findings
                        .iter()
                        .map(|f| (&f.code, f.severity))
                        .collect::<Vec<_>>(),
                    ex.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_citation_names_a_listed_instrument_and_article() {
    let rules = RuleSet::builtin();
    for rule in &rules.rules {
        for c in &rule.file.citations {
            let inst = rules
                .instruments
                .get(&c.instrument)
                .unwrap_or_else(|| panic!("{}: {}", rule.file.code, c.instrument));
            assert!(
                inst.articles.contains_key(&c.article),
                "{}: {} {}",
                rule.file.code,
                c.instrument,
                c.article
            );
        }
    }
}
