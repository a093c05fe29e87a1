//! Golden output of every format on two fixtures (one English, one Chinese).
//! Review changes with `cargo insta review`.

use std::process::Command;

fn check(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_comity"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--color",
            "never",
            "--exit-zero",
            "--format",
            format,
        ])
        .args([
            "tests/fixtures/en-saas-terms.txt",
            "tests/fixtures/zh-technology-license.txt",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn golden_human() {
    insta::assert_snapshot!("human", check("human"));
}

#[test]
fn golden_json() {
    insta::assert_snapshot!("json", check("json"));
}

#[test]
fn golden_jsonl() {
    insta::assert_snapshot!("jsonl", check("jsonl"));
}

#[test]
fn golden_github() {
    insta::assert_snapshot!("github", check("github"));
}

#[test]
fn golden_sarif() {
    insta::assert_snapshot!("sarif", check("sarif"));
}

#[test]
fn golden_html() {
    insta::assert_snapshot!("html", check("html"));
}
