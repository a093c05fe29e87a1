//! `comity trace` and `comity eval --split`.

use std::path::PathBuf;
use std::process::Command;

fn comity() -> Command {
    Command::new(env!("CARGO_BIN_EXE_comity"))
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("comity-trace-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn trace_says_what_matched_and_why_not() {
    let dir = tempdir("trace");
    let file = dir.join("draft.md");
    std::fs::write(
        &file,
        "The Buyer shall comply with the EAR.\n\nThe Buyer shall comply with the export laws of the European Union.\n\nNothing in this Agreement requires the Seller to comply with OFAC sanctions.\n",
    )
    .unwrap();
    let out = comity().arg("trace").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("rule: T01"), "{text}");
    assert!(text.contains("finding: T01"), "{text}");
    // The EU-only sentence: no US measure.
    assert!(text.contains("non_us_regime=“European Union”"), "{text}");
    assert!(text.contains("no reference to a US measure"), "{text}");
    assert!(text.contains("disclaims an obligation"), "{text}");
    // JSON: one entry per sentence with a trigger, with the facets found.
    let out = comity()
        .args(["trace", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["matched"][0], "T01");
    assert!(
        first["found"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g[0] == "us_nexus")
    );
    // A missing file is an error naming it.
    let out = comity()
        .arg("trace")
        .arg(dir.join("nope.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.md"));
}

#[test]
fn eval_splits_by_document_and_hides_test_misses() {
    let dir = tempdir("split");
    let corpus = dir.join("corpus.jsonl");
    let lines = [
        r#"{"id":"a1","lang":"en","text":"Buyer shall comply with the EAR.","flag":true,"doc":"doc-a"}"#,
        r#"{"id":"a2","lang":"en","text":"Buyer shall pay the price.","flag":true,"doc":"doc-a","note":"BORDERLINE: a made-up miss"}"#,
        r#"{"id":"b1","lang":"en","text":"Seller shall deliver the Goods.","flag":true,"doc":"doc-b"}"#,
    ];
    std::fs::write(&corpus, lines.join("\n")).unwrap();
    let split = dir.join("split.toml");
    std::fs::write(&split, "test_docs = [\"doc-b\"]\n").unwrap();
    let run = |which: &str| {
        let out = comity()
            .args(["eval", "--format", "json", "--split", which, "--split-file"])
            .arg(&split)
            .arg(&corpus)
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let dev = run("dev");
    assert_eq!(dev["overall"]["tp"], 1);
    assert_eq!(dev["overall"]["fn_"], 1);
    assert_eq!(dev["borderline"], 1);
    assert_eq!(dev["by_language_clear"]["en"]["fn_"], 0);
    assert_eq!(dev["misses"].as_array().unwrap().len(), 1);
    let test = run("test");
    assert_eq!(test["overall"]["fn_"], 1);
    assert!(
        test["misses"].as_array().unwrap().is_empty(),
        "test-split items are never listed"
    );
    let all = run("all");
    assert_eq!(all["overall"]["fn_"], 2);
    // A corpus without `doc` cannot be split.
    let nodoc = dir.join("nodoc.jsonl");
    std::fs::write(&nodoc, r#"{"id":1,"text":"x","flag":false}"#).unwrap();
    let out = comity()
        .args(["eval", "--split", "dev", "--split-file"])
        .arg(&split)
        .arg(&nodoc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("doc"));
}
