//! The six fixtures produce the expected findings (snapshots reviewed
//! against tests/fixtures-expected.md), including findings reached only
//! through a defined term, which point at the definition.

use comity_engine::{Settings, check_text};
use comity_rules::RuleSet;
use comity_text::lines::LineIndex;

/// A fixture's text, as `comity check` gives it back with the findings.
struct Checked(String);

impl Checked {
    fn text(&self) -> &str {
        &self.0
    }
}

/// A fixture's findings, by the path `comity check` takes.
fn findings_of(name: &str) -> (Checked, Vec<comity_finding::Finding>) {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let source = comity_workspace::input::read_text_file(std::path::Path::new(&path)).unwrap();
    let (text, findings) = check_text(source.text, RuleSet::builtin(), &Settings::default());
    (Checked(text), findings)
}

fn summary(name: &str) -> String {
    let (doc, findings) = findings_of(name);
    let index = LineIndex::new(doc.text());
    let mut out = String::new();
    for f in &findings {
        let (line, _) = index.line_col(doc.text(), f.span.start);
        let via = f
            .related
            .first()
            .map(|r| {
                format!(
                    " via “{}” (line {})",
                    r.term,
                    index.line_col(doc.text(), r.span.start).0
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "line {line:>3} {:<22} {} {:<7}{via} | {}\n",
            f.clause.as_deref().unwrap_or("-"),
            f.code,
            f.severity.as_str(),
            comity_workspace::outline::excerpt(f.span.text(doc.text()), 70)
        ));
    }
    out
}

macro_rules! findings_snapshot {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), summary($file));
        }
    };
}

findings_snapshot!(findings_en_supply_agreement, "en-supply-agreement.md");
findings_snapshot!(findings_en_saas_terms, "en-saas-terms.txt");
findings_snapshot!(findings_en_credit_agreement, "en-credit-agreement.md");
findings_snapshot!(
    findings_zh_procurement_contract,
    "zh-procurement-contract.md"
);
findings_snapshot!(findings_zh_technology_license, "zh-technology-license.txt");
findings_snapshot!(
    findings_bilingual_distribution_agreement,
    "bilingual-distribution-agreement.md"
);

#[test]
fn a_finding_reached_only_through_a_defined_term_points_at_its_definition() {
    let (doc, findings) = findings_of("zh-procurement-contract.md");
    let via_term = findings
        .iter()
        .find(|f| f.related.iter().any(|r| r.term == "受限制方"))
        .expect("a clause using only “受限制方” is flagged");
    let def = &via_term.related[0];
    assert!(
        def.span.text(doc.text()).contains("实体清单"),
        "the related location is the definition"
    );
    assert!(
        !via_term.sentence.text(doc.text()).contains("美国"),
        "the sentence itself names no US measure"
    );

    let (doc, findings) = findings_of("en-supply-agreement.md");
    let f = findings
        .iter()
        .find(|f| f.related.iter().any(|r| r.term == "Sanctioned Person"))
        .expect("a clause using only “Sanctioned Person” is flagged");
    assert!(
        f.related[0]
            .span
            .text(doc.text())
            .contains("Specially Designated Nationals")
            || f.related[0].span.text(doc.text()).contains("Entity List")
    );
}

#[test]
fn neutral_clauses_stay_quiet() {
    for (file, quiet) in [
        ("en-supply-agreement.md", "Export Control Law of the People"),
        ("zh-procurement-contract.md", "联合国安理会"),
        (
            "en-credit-agreement.md",
            "comply in all respects with all laws to which it may be subject",
        ),
    ] {
        let (doc, findings) = findings_of(file);
        // A case whose text has left the fixture is a failure, not a skip.
        let at = doc
            .text()
            .find(quiet)
            .unwrap_or_else(|| panic!("{file}: `{quiet}` is not in the fixture"));
        assert!(
            !findings
                .iter()
                .any(|f| f.sentence.start <= at && at < f.sentence.end),
            "{file}: `{quiet}` was flagged"
        );
    }
}
