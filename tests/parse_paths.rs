//! `comity check` parses each text once with the fast path
//! (`Document::parse_once`, after the trigger prefilter: `check_text`); the
//! editor and the property tests use a whole parse. The two must build the
//! same model and give the same findings on every text the quality numbers
//! are measured on: the fixtures, the examples, the labelled corpora, every
//! rule example, and the real-clause corpus where it is present.

use std::path::{Path, PathBuf};

use comity_document::Document;
#[path = "support/model.rs"]
mod model_support;
use comity_engine::{Settings, check_text, lint};
use comity_rules::RuleSet;
use model_support::model;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The differences between the two paths on one text, if any.
fn compare(name: &str, text: &str, rules: &RuleSet, settings: &Settings) -> Option<String> {
    let whole = Document::parse_whole(text);
    let once = Document::parse_once(text);
    if model(&once) != model(&whole) {
        return Some(format!("{name}: parse_once builds another model"));
    }
    let expected = format!("{:#?}", lint(&whole, rules, settings));
    let (back, found) = check_text(text.to_string(), rules, settings);
    assert_eq!(back, text, "{name}: check_text gives the text back");
    (format!("{found:#?}") != expected)
        .then(|| format!("{name}: check_text finds other findings than a whole parse"))
}

fn files(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
        })
        .collect();
    out.sort();
    out
}

/// The `text` of each line of a JSONL file, named `file:line`.
fn jsonl_texts(path: &Path, skip: impl Fn(&serde_json::Value) -> bool) -> Vec<(String, String)> {
    let data = std::fs::read_to_string(path).unwrap();
    data.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .filter_map(|(i, l)| {
            let v: serde_json::Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1));
            if skip(&v) {
                return None;
            }
            let text = v["text"].as_str().expect("a text").to_string();
            Some((format!("{}:{}", path.display(), i + 1), text))
        })
        .collect()
}

fn assert_same(texts: &[(String, String)], rules: &RuleSet) {
    let settings = Settings::default();
    let failures: Vec<String> = texts
        .iter()
        .filter_map(|(name, text)| compare(name, text, rules, &settings))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} texts differ:\n{}",
        failures.len(),
        texts.len(),
        failures.join("\n")
    );
}

#[test]
fn fixtures_and_examples() {
    let mut texts = Vec::new();
    for p in files("tests/fixtures", &["md", "txt"])
        .into_iter()
        .chain(files("examples", &["md", "txt"]))
    {
        let source = comity_workspace::input::read_text_file(&p).unwrap();
        texts.push((p.display().to_string(), source.text));
    }
    assert!(texts.len() >= 8, "{} fixtures and examples", texts.len());
    assert_same(&texts, RuleSet::builtin());
}

#[test]
fn labelled_corpora() {
    let corpora = files("tests/corpus", &["jsonl"]);
    assert!(
        corpora.iter().any(|p| p.ends_with("labelled.jsonl")),
        "{corpora:?}"
    );
    let texts: Vec<(String, String)> = corpora
        .iter()
        .flat_map(|p| jsonl_texts(p, |_| false))
        .collect();
    assert!(texts.len() > 100, "{} labelled clauses", texts.len());
    assert_same(&texts, RuleSet::builtin());
}

#[test]
fn rule_examples() {
    let rules = RuleSet::builtin();
    let texts: Vec<(String, String)> = rules
        .rules
        .iter()
        .flat_map(|r| {
            r.file
                .examples
                .iter()
                .enumerate()
                .map(move |(i, e)| (format!("{} example {}", r.code(), i + 1), e.text.clone()))
        })
        .collect();
    assert!(texts.len() >= 60, "{} rule examples", texts.len());
    assert_same(&texts, rules);
}

/// The real-clause corpus is third-party text kept outside the repository
/// (`../shared/corpus/`, or `COMITY_REAL_CORPUS`). Its frozen test split
/// (tests/corpus/real-split.toml) is left out: nothing here may look at it.
#[test]
fn real_clause_corpus_dev_split() {
    let path = std::env::var_os("COMITY_REAL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/corpus/real-dev.jsonl"));
    if !path.is_file() {
        let reason = format!("{}: not present", path.display());
        assert!(
            std::env::var_os("COMITY_REQUIRE_EXTERNAL").is_none(),
            "the real-clause corpus is required (COMITY_REQUIRE_EXTERNAL): {reason}"
        );
        eprintln!("skipped: {reason}");
        return;
    }
    let split: toml::Value = toml::from_str(
        &std::fs::read_to_string(repo().join("tests/corpus/real-split.toml")).unwrap(),
    )
    .unwrap();
    let test_docs: Vec<&str> = split["test_docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(!test_docs.is_empty());
    let texts = jsonl_texts(&path, |v| {
        v["doc"].as_str().is_none_or(|d| test_docs.contains(&d))
    });
    assert!(texts.len() > 50, "{} dev clauses", texts.len());
    assert_same(&texts, RuleSet::builtin());
}
