//! Precision and recall on the labelled corpus (tests/corpus/labelled.jsonl):
//! at least 0.95 each, in each language.

use std::io::BufReader;

#[test]
fn corpus_precision_and_recall_per_language() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/labelled.jsonl");
    let eval = comity_cli::evaluate(BufReader::new(std::fs::File::open(path).unwrap()));
    assert!(eval.errors.is_empty(), "{:?}", eval.errors);
    let mut report = String::new();
    for (lang, c) in &eval.by_language {
        report.push_str(&format!(
            "{lang}: P={:.3} R={:.3} (tp {} fp {} fn {})\n",
            c.precision(),
            c.recall(),
            c.tp,
            c.fp,
            c.fn_
        ));
    }
    for m in &eval.misses {
        report.push_str(&format!(
            "  miss {} {:?} got {:?}: {}\n",
            m.id, m.expected, m.got, m.text
        ));
    }
    for (lang, c) in &eval.by_language {
        assert!(
            c.precision() >= 0.95 && c.recall() >= 0.95,
            "{lang} below target:\n{report}"
        );
    }
    assert_eq!(
        eval.by_language.len(),
        2,
        "both languages are in the corpus"
    );
}
