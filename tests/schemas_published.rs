//! The published JSON schemas are the ones the code generates, and the
//! built-in rule files validate against the rule schema.

use std::process::Command;

fn generated(which: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_comity"))
        .args(["schema", which])
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn published(path: &str) -> serde_json::Value {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap()
}

#[test]
fn published_schemas_are_current() {
    for (which, path) in [
        ("rule", "clauses/schema/rule.schema.json"),
        ("config", "server/schema/comity.schema.json"),
        ("report", "server/schema/report.schema.json"),
        ("outline", "server/schema/outline.schema.json"),
    ] {
        assert_eq!(
            generated(which),
            published(path),
            "{path} is stale: run `comity schema {which} > {path}`"
        );
    }
}

#[test]
fn rule_files_validate_against_the_rule_schema() {
    let schema = published("clauses/schema/rule.schema.json");
    let validator = jsonschema::validator_for(&schema).unwrap();
    let dir = format!("{}/clauses", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !(name.starts_with('T') && name.ends_with(".toml")) {
            continue;
        }
        let value: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let json = serde_json::to_value(value).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        n += 1;
    }
    assert_eq!(n, 16, "T00 and T01–T15");
    // And a broken rule does not validate.
    let broken = serde_json::json!({ "code": "X1" });
    assert!(!validator.is_valid(&broken));
}
