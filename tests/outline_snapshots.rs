//! Snapshot tests of what the engine sees in each fixture: every clause
//! number, heading, definition and party. Review changes with `cargo insta review`.

use comity_document::Document;
use comity_workspace::outline::Outline;

fn outline_of(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let source = comity_workspace::input::read_text_file(std::path::Path::new(&path))
        .expect("fixture reads");
    Outline::of(&Document::parse(source.text)).to_text()
}

macro_rules! outline_snapshot {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), outline_of($file));
        }
    };
}

outline_snapshot!(en_supply_agreement, "en-supply-agreement.md");
outline_snapshot!(en_saas_terms, "en-saas-terms.txt");
outline_snapshot!(en_credit_agreement, "en-credit-agreement.md");
outline_snapshot!(zh_procurement_contract, "zh-procurement-contract.md");
outline_snapshot!(zh_technology_license, "zh-technology-license.txt");
outline_snapshot!(
    bilingual_distribution_agreement,
    "bilingual-distribution-agreement.md"
);

#[test]
fn chinese_outline_shows_articles_and_definitions() {
    let text = outline_of("zh-procurement-contract.md");
    assert!(text.contains("第九条 出口管制"), "{text}");
    assert!(text.contains("“受限制方”"), "{text}");
    assert!(text.contains("“制裁”"), "{text}");
    assert!(
        text.contains("governing law: 中华人民共和国 (PRC)"),
        "{text}"
    );
}

#[test]
fn json_outline_has_a_stable_shape() {
    let path = format!(
        "{}/tests/fixtures/en-supply-agreement.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let source = comity_workspace::input::read_text_file(std::path::Path::new(&path)).unwrap();
    let json = serde_json::to_value(Outline::of(&Document::parse(source.text))).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["primary_language"], "en");
    assert_eq!(json["governing_law"]["jurisdiction"], "singapore");
    let parties = json["parties"].as_array().unwrap();
    assert!(
        parties
            .iter()
            .any(|p| p["short_name"] == "Buyer" && p["jurisdiction"] == "prc")
    );
    let clauses = json["clauses"].as_array().unwrap();
    assert!(!clauses.is_empty());
    let defs = json["definitions"].as_array().unwrap();
    assert!(
        defs.iter()
            .any(|d| d["term"] == "Sanctioned Person" && d["form"] == "means")
    );
}
