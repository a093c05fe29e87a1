//! `comity check` and the language server find a file's comity.toml and
//! read it the same way (one resolver, `comity_workspace::resolve`): the
//! same findings, at the same severities, for the same files, `[lint]
//! exclude` included.

#[path = "support/lsp_client.rs"]
mod lsp_client;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use lsp_client::*;
use serde_json::{Value, json};

const CONFIG: &str = r#"
[rules]
disable = ["T11"]
severity = { T01 = "info" }

[profile]
prc_party = true

[lint]
exclude = ["archive/**"]
"#;

/// A project: a comity.toml, two drafts, and an archived copy of one of
/// them that `[lint] exclude` leaves out.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::write(dir.path().join("comity.toml"), CONFIG).unwrap();
    std::fs::create_dir(dir.path().join("archive")).unwrap();
    for (from, to) in [
        ("en-supply-agreement.md", "draft.md"),
        ("zh-technology-license.txt", "license.txt"),
        ("en-supply-agreement.md", "archive/old.md"),
    ] {
        std::fs::copy(fixtures.join(from), dir.path().join(to)).unwrap();
    }
    dir
}

/// (code, severity, 0-based line) of each finding.
type Seen = BTreeSet<(String, String, u64)>;

/// What `comity check --format json` reports for each file of a folder.
fn check(path: &Path) -> Vec<(String, Seen)> {
    let out = Command::new(env!("CARGO_BIN_EXE_comity"))
        .args(["check", "--format", "json", "--exit-zero"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let seen = f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    (
                        x["code"].as_str().unwrap().to_string(),
                        x["severity"].as_str().unwrap().to_string(),
                        x["range"]["start"]["line"].as_u64().unwrap() - 1,
                    )
                })
                .collect();
            (f["path"].as_str().unwrap().to_string(), seen)
        })
        .collect()
}

fn from_diagnostics(items: &[Value]) -> Seen {
    items
        .iter()
        .map(|d| {
            let severity = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                Some(3) => "info",
                other => panic!("unexpected severity {other:?}"),
            };
            (
                d["code"].as_str().unwrap().to_string(),
                severity.to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn editor_workspace_diagnostics_honour_lint_exclude() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    // Named explicitly, the archived copy is linted and has findings: only
    // the exclusion keeps it out of a folder's report.
    let archived = check(&root.join("archive/old.md"));
    assert!(!archived[0].1.is_empty(), "the archived draft has findings");

    let mut c = Client::start();
    c.initialize(
        json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } }),
        json!([{ "uri": uri(&root), "name": "project" }]),
    );
    let ws = c.request("workspace/diagnostic", json!({ "previousResultIds": [] }));
    let reported: BTreeSet<String> = ws["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["uri"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = ["draft.md", "license.txt"]
        .iter()
        .map(|f| uri(&root.join(f)))
        .collect();
    assert_eq!(reported, expected, "[lint] exclude leaves archive/ out");

    // The files `comity check` lints in the folder are the same.
    let checked: BTreeSet<String> = check(&root)
        .into_iter()
        .map(|(p, _)| uri(Path::new(&p)))
        .collect();
    assert_eq!(checked, expected);
    c.shutdown();
}

#[test]
fn both_front_ends_resolve_the_same_settings_for_a_file() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    let checked = check(&root);
    assert_eq!(checked.len(), 2, "{checked:?}");

    let mut c = Client::start();
    c.initialize(
        json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } }),
        json!([{ "uri": uri(&root), "name": "project" }]),
    );
    let ws = c.request("workspace/diagnostic", json!({ "previousResultIds": [] }));
    let ws_items = ws["result"]["items"].as_array().unwrap().clone();
    for (path, from_check) in &checked {
        let path = Path::new(path);
        assert!(!from_check.is_empty(), "{}: findings", path.display());
        // The configuration is applied: T11 is disabled, T01 is info.
        assert!(from_check.iter().all(|(code, _, _)| code != "T11"));
        assert!(
            from_check
                .iter()
                .all(|(code, sev, _)| code != "T01" || sev == "info")
        );

        // An open document.
        let text = std::fs::read_to_string(path).unwrap();
        let u = uri(path);
        c.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": u, "languageId": "markdown", "version": 1, "text": text } }),
        );
        let report = c.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": u } }),
        );
        let opened = from_diagnostics(report["result"]["items"].as_array().unwrap());
        assert_eq!(
            &opened,
            from_check,
            "{}: open in the editor",
            path.display()
        );

        // The workspace report of the same file, not open at the time.
        let item = ws_items
            .iter()
            .find(|i| i["uri"] == u)
            .unwrap_or_else(|| panic!("{u} in the workspace report"));
        let closed = from_diagnostics(item["items"].as_array().unwrap());
        assert_eq!(&closed, from_check, "{}: workspace report", path.display());
    }
    // The English draft has T01 findings, so the severity override was
    // tested, not skipped.
    assert!(
        checked
            .iter()
            .any(|(_, s)| s.iter().any(|(code, _, _)| code == "T01"))
    );
    c.shutdown();
}
