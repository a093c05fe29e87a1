//! SARIF output: valid against the OASIS SARIF 2.1.0 schema, with stable
//! fingerprints, UTF-16 columns and fixes for the suggestions that may be
//! applied.

use std::path::Path;
use std::sync::Arc;

use comity_cli::report::FileResult;
use comity_cli::sarif::write_sarif;
use comity_document::Document;
use comity_engine::Settings;
use comity_finding::Applicability;
use comity_rules::RuleSet;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures";

/// The schema published with the SARIF 2.1.0 OASIS Standard (draft-07), and
/// its errata 01 revision (draft-04), the current one, which adds a few
/// constraints. Both files are byte-for-byte copies; see tests/schemas/README.md.
const SCHEMA: &str = "tests/schemas/sarif-schema-2.1.0.json";
const SCHEMA_ERRATA01: &str = "tests/schemas/sarif-schema-2.1.0-errata01.json";

/// The 2.1.0 schema's `language` pattern has a stray `]`, which is not a
/// valid ECMAScript regex, and `jsonschema` checks patterns when it compiles
/// a schema. Errata 01 corrected it; the same correction is applied here, in
/// memory only.
const BAD_LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
const ERRATA_LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#;

fn manifest_path(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn validators() -> Vec<(&'static str, jsonschema::Validator)> {
    [SCHEMA, SCHEMA_ERRATA01]
        .into_iter()
        .map(|name| {
            let mut text = std::fs::read_to_string(manifest_path(name)).expect("schema file");
            if name == SCHEMA {
                assert_eq!(text.matches(BAD_LANGUAGE_PATTERN).count(), 2, "{name}");
                text = text.replace(BAD_LANGUAGE_PATTERN, ERRATA_LANGUAGE_PATTERN);
            }
            let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .unwrap_or_else(|e| panic!("{name} compiles: {e}"));
            (name, validator)
        })
        .collect()
}

/// Panics with every schema error when `log` is not valid SARIF.
fn assert_valid(log: &Value) {
    for (name, validator) in validators() {
        let errors: Vec<String> = validator
            .iter_errors(log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "not valid against {name}:\n{}",
            errors.join("\n")
        );
    }
}

fn is_valid(log: &Value) -> bool {
    validators().iter().all(|(_, v)| v.is_valid(log))
}

fn lint_text(path: &str, text: &str) -> FileResult {
    let doc = Document::parse(text);
    let findings = comity_engine::lint(&doc, RuleSet::builtin(), &Settings::default());
    FileResult {
        path: path.to_string(),
        text: Arc::new(doc.text().to_string()),
        findings,
        error: None,
        notices: Vec::new(),
        docx: None,
    }
}

/// Every fixture, linted as `comity check tests/fixtures` does, with the path
/// relative to the repository root.
fn lint_fixtures() -> Vec<FileResult> {
    let mut names: Vec<String> = std::fs::read_dir(manifest_path(FIXTURES))
        .expect("fixtures folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") || n.ends_with(".txt"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| {
            let relative = format!("{FIXTURES}/{name}");
            let source = comity_workspace::input::read_text_file(&manifest_path(&relative))
                .unwrap_or_else(|e| panic!("{relative}: {e}"));
            lint_text(&relative, &source.text)
        })
        .collect()
}

fn sarif(results: &[FileResult]) -> Value {
    let mut out = Vec::new();
    write_sarif(&mut out, results, RuleSet::builtin()).expect("SARIF is written");
    serde_json::from_slice(&out).expect("SARIF output is JSON")
}

fn run(log: &Value) -> &Value {
    &log["runs"][0]
}

fn sarif_results(log: &Value) -> &Vec<Value> {
    run(log)["results"].as_array().expect("results")
}

/// One-based column of `offset` in UTF-16 code units.
fn utf16_column(text: &str, offset: usize) -> usize {
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    text[line_start..offset].encode_utf16().count() + 1
}

#[test]
fn fixtures_produce_valid_sarif() {
    let results = lint_fixtures();
    let findings: usize = results.iter().map(|r| r.findings.len()).sum();
    assert!(findings > 0, "the fixtures have findings");
    let log = sarif(&results);
    assert_valid(&log);

    assert_eq!(log["version"], "2.1.0");
    let run = run(&log);
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "comity");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), RuleSet::builtin().rules.len());
    let t01 = rules.iter().find(|r| r["id"] == "T01").expect("T01");
    assert_eq!(t01["name"], "UsExportControlCovenant");
    assert_eq!(
        t01["helpUri"],
        "https://github.com/comity-lint/comity/blob/main/clauses/T01-us-export-control-covenant.toml"
    );
    assert!(
        t01["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("# T01 ")
    );
    assert!(
        !t01["properties"]["citations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let sarif = sarif_results(&log);
    assert_eq!(sarif.len(), findings);
    let expected = results
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)));
    for (result, (file, finding)) in sarif.iter().zip(expected) {
        assert_eq!(result["ruleId"], finding.code.as_str());
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], finding.code.as_str());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], file.path.as_str());
        assert_eq!(
            result["partialFingerprints"]["comity/v1"],
            finding.fingerprint.as_str()
        );
        let message = result["message"]["text"].as_str().unwrap();
        assert!(message.starts_with(&finding.message));
        assert!(message.contains(" Legal basis: "), "{message}");
        assert_eq!(
            result["relatedLocations"].as_array().map_or(0, Vec::len),
            finding.related.len()
        );
    }
}

#[test]
fn a_document_missing_a_required_property_is_rejected() {
    let log = sarif(&lint_fixtures());
    assert!(is_valid(&log));

    let mut broken = log.clone();
    broken.as_object_mut().unwrap().remove("version");
    assert!(
        !is_valid(&broken),
        "a log without `version` must not validate"
    );

    let mut broken = log.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(
        !is_valid(&broken),
        "a result without `message` must not validate"
    );

    let mut broken = log;
    broken["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    assert!(
        !is_valid(&broken),
        "a driver without `name` must not validate"
    );
}

#[test]
fn fingerprints_survive_renumbering() {
    let clause = "Buyer shall comply with all U.S. export control laws, including the EAR, in using the Products.\n";
    let first = lint_text("a.md", &format!("9.6 {clause}"));
    let second = lint_text("a.md", &format!("Intro.\n\n12.3 {clause}"));
    let log_a = sarif(std::slice::from_ref(&first));
    let log_b = sarif(std::slice::from_ref(&second));
    let (a, b) = (sarif_results(&log_a), sarif_results(&log_b));
    assert!(!a.is_empty(), "the clause is flagged");
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(b) {
        let fa = &a["partialFingerprints"]["comity/v1"];
        assert!(fa.as_str().is_some_and(|s| !s.is_empty()));
        assert_eq!(fa, &b["partialFingerprints"]["comity/v1"]);
        // The clause moved, the fingerprint did not.
        assert_ne!(
            a["locations"][0]["physicalLocation"]["region"]["startLine"],
            b["locations"][0]["physicalLocation"]["region"]["startLine"]
        );
        assert_eq!(a["properties"]["clause"], "9.6");
        assert_eq!(b["properties"]["clause"], "12.3");
    }
}

#[test]
fn columns_are_utf16_code_units() {
    // A Chinese fixture: every character before the finding is one UTF-16
    // unit but three bytes.
    let results = lint_fixtures();
    let zh = results
        .iter()
        .position(|r| r.path.ends_with("zh-procurement-contract.md"))
        .expect("Chinese fixture");
    let file = &results[zh];
    let log = sarif(std::slice::from_ref(file));
    let mut checked = 0;
    for (result, finding) in sarif_results(&log).iter().zip(&file.findings) {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        let start = finding.span.start;
        let line_start = file.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = utf16_column(&file.text, start);
        assert_eq!(region["startColumn"], column);
        assert_eq!(
            region["endColumn"],
            utf16_column(&file.text, finding.span.end)
        );
        if start - line_start + 1 != column {
            checked += 1;
        }
    }
    assert!(checked > 0, "some finding starts after non-ASCII text");

    // Outside the Basic Multilingual Plane a character is two UTF-16 units.
    let text = "𝐒𝐞𝐜𝐭𝐢𝐨𝐧 9. Buyer shall comply with all U.S. export control laws, including the EAR, in using the Products.\n";
    let file = lint_text("astral.txt", text);
    let finding = file.findings.first().expect("the clause is flagged");
    let log = sarif(std::slice::from_ref(&file));
    let region = &sarif_results(&log)[0]["locations"][0]["physicalLocation"]["region"];
    let chars = text[..finding.span.start].chars().count() + 1;
    let units = utf16_column(text, finding.span.start);
    assert_ne!(chars, units);
    assert_eq!(region["startColumn"], units);
    assert_valid(&log);
}

#[test]
fn fixes_are_offered_for_unsafe_suggestions_only() {
    let results = lint_fixtures();
    let log = sarif(&results);
    let findings = results
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)));
    let mut fixes_seen = 0;
    for (result, (file, finding)) in sarif_results(&log).iter().zip(findings) {
        let applicable: Vec<_> = finding
            .suggestions
            .iter()
            .filter(|s| s.applicability != Applicability::DisplayOnly)
            .collect();
        let fixes = result["fixes"].as_array().map_or(&[][..], Vec::as_slice);
        assert_eq!(fixes.len(), applicable.len(), "{}", finding.code);
        for (fix, suggestion) in fixes.iter().zip(applicable) {
            assert_eq!(fix["description"]["text"], suggestion.title.as_str());
            let change = &fix["artifactChanges"][0];
            assert_eq!(change["artifactLocation"]["uri"], file.path.as_str());
            let replacement = &change["replacements"][0];
            assert_eq!(
                replacement["insertedContent"]["text"],
                suggestion.replacement.as_str()
            );
            let region = &replacement["deletedRegion"];
            assert_eq!(
                region["startColumn"],
                utf16_column(&file.text, suggestion.span.start)
            );
            assert_eq!(
                region["endColumn"],
                utf16_column(&file.text, suggestion.span.end)
            );
            fixes_seen += 1;
        }
    }
    let unsafe_suggestions = results
        .iter()
        .flat_map(|r| &r.findings)
        .flat_map(|f| f.suggestions.iter())
        .filter(|s| s.applicability == Applicability::Unsafe)
        .count();
    assert!(unsafe_suggestions > 0);
    assert!(fixes_seen >= unsafe_suggestions);
}

#[test]
fn file_errors_become_notifications() {
    let mut results = vec![lint_text(
        "drafts/合同 草案.txt",
        "Buyer shall comply with all U.S. export control laws, including the EAR, in using the Products.\n",
    )];
    results.push(FileResult {
        path: "drafts/broken file.docx".into(),
        text: Arc::new(String::new()),
        findings: Vec::new(),
        error: Some("drafts/broken file.docx: not a .docx file".into()),
        notices: Vec::new(),
        docx: None,
    });
    let log = sarif(&results);
    assert_valid(&log);
    let invocation = &run(&log)["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["message"]["text"],
        "drafts/broken file.docx: not a .docx file"
    );
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "drafts/broken%20file.docx"
    );
    // Spaces and non-ASCII characters are percent-encoded (RFC 3986).
    assert_eq!(
        sarif_results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "drafts/%E5%90%88%E5%90%8C%20%E8%8D%89%E6%A1%88.txt"
    );
}

/// Through the command line, once `check --format sarif` is wired.
#[test]
fn check_format_sarif_on_the_fixtures() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_comity"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--format", "sarif", "--exit-zero", FIXTURES])
        .output()
        .expect("comity runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF output is JSON");
    assert_valid(&log);
    let findings: usize = lint_fixtures().iter().map(|r| r.findings.len()).sum();
    assert_eq!(sarif_results(&log).len(), findings);
}
