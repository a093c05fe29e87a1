//! The rule library is discovered, not listed: every rule file in
//! `clauses/` is embedded and loaded. `comity rules --test DIR` runs a
//! firm's own rule files' examples.

use std::path::{Path, PathBuf};
use std::process::Command;

use comity_rules::{BUILTIN_RULE_FILES, RuleSet};

const DATA_FILES: [&str; 4] = [
    "lexicon.toml",
    "regimes.toml",
    "instruments.toml",
    "prohibition_orders.toml",
];

#[test]
fn every_rule_file_in_clauses_is_loaded() {
    let clauses = Path::new(env!("CARGO_MANIFEST_DIR")).join("clauses");
    let mut on_disk: Vec<String> = std::fs::read_dir(&clauses)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml") && !DATA_FILES.contains(&n.as_str()))
        .collect();
    on_disk.sort();
    assert!(on_disk.len() >= 15, "the rule files are found: {on_disk:?}");
    let embedded: Vec<&str> = BUILTIN_RULE_FILES.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        embedded, on_disk,
        "the embedded rule files are those in clauses/"
    );
    let rules = RuleSet::builtin();
    for name in &on_disk {
        let text = std::fs::read_to_string(clauses.join(name)).unwrap();
        let file: toml::Value = toml::from_str(&text).unwrap();
        let code = file["code"].as_str().expect("a rule file has a code");
        assert!(
            rules.rule(code).is_some_and(|r| r.origin == "builtin"),
            "clauses/{name} ({code}) is not loaded"
        );
    }
    assert_eq!(rules.rules.len(), on_disk.len(), "one rule per file");
}

const GOOD: &str = r#"code = "ACME01"
slug = "acme-indemnity"
priority = 100
severity = "warning"
title = { en = "Indemnity tied to US measures (firm rule)", zh = "与美国措施挂钩的赔偿（本所规则）" }
flags = { en = "An indemnity tied to US sanctions.", zh = "与美国制裁挂钩的赔偿。" }
why = { en = "House policy.", zh = "本所政策。" }
us_side = { en = "None.", zh = "无。" }
message = { en = "Firm rule: indemnity tied to {regime}.", zh = "本所规则：与{regime}挂钩的赔偿。" }

[[detect]]
all = [["indemnity"], ["us_nexus"]]

[[replacements]]
id = "own-law"
title = { en = "Limit to each party's own law", zh = "限于各方适用的法律" }
text = { en = "Each {Party} shall make good the losses caused by its own breach of the laws that apply to it.", zh = "任何一方违反对其适用的法律致使另一方受损的，应予赔偿。" }
risk = { en = "Low.", zh = "低。" }
applicability = "unsafe"

[[citations]]
instrument = "prc-afsl"
article = "12"

[[examples]]
lang = "en"
text = "The Purchaser shall indemnify the Vendor against any fine resulting from the Purchaser's violation of U.S. sanctions."
fires = true

[[examples]]
lang = "en"
text = "Each Party shall comply with all applicable laws."
fires = false
"#;

/// Another rule, whose third example does not fire.
fn failing() -> String {
    GOOD.replace("ACME01", "ACME02")
        .replace("acme-indemnity", "acme-failing")
        .replace("priority = 100", "priority = 101")
        .replace(
            "all = [[\"indemnity\"], [\"us_nexus\"]]",
            "all = [[\"xinjiang\"]]",
        )
        .replace(
            "The Purchaser shall indemnify the Vendor against any fine resulting from the Purchaser's violation of U.S. sanctions.",
            "The Supplier shall ensure that no Goods contain cotton grown in Xinjiang.",
        )
        + "\n[[examples]]\nlang = \"en\"\n\
           text = \"The parties shall meet once a month to review the forecast.\"\n\
           fires = true\n"
}

fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("comity-rules-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn rules_test(dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_comity"))
        .args(["rules", "--test"])
        .arg(dir)
        .output()
        .expect("comity runs");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn rules_test_runs_a_firms_examples_and_names_a_malformed_file() {
    let failing = failing();
    let dir = folder(
        "mixed",
        &[
            ("good.toml", GOOD),
            ("failing.toml", &failing),
            ("malformed.toml", "code = \"ACME03\"\nslug = \n"),
            ("notes.md", "not a rule file"),
        ],
    );
    let (code, out, err) = rules_test(&dir);
    let good = dir.join("good.toml").display().to_string();
    let bad = dir.join("failing.toml").display().to_string();
    let malformed = dir.join("malformed.toml").display().to_string();
    for line in [
        format!("{good}: ACME01 example 1 (en, fires): pass"),
        format!("{good}: ACME01 example 2 (en, near miss): pass"),
        format!("{bad}: ACME02 example 1 (en, fires): pass"),
    ] {
        assert!(
            out.lines().any(|l| l == line),
            "missing `{line}` in:\n{out}"
        );
    }
    assert!(
        out.lines()
            .any(|l| l.starts_with(&format!("{bad}: ACME02 example 3 (en, fires): FAIL"))),
        "the failing example is reported:\n{out}"
    );
    assert!(
        err.contains(&malformed) && err.contains("TOML parse error"),
        "the malformed file is named:\n{err}"
    );
    assert!(
        out.contains("3 rule file(s), 1 with errors; 4 example(s) passed, 1 failed"),
        "{out}"
    );
    assert_eq!(code, 2, "a file that does not load exits 2");

    // Without the malformed file: a failing example exits 1.
    std::fs::remove_file(dir.join("malformed.toml")).unwrap();
    let (code, _, err) = rules_test(&dir);
    assert_eq!(code, 1, "{err}");
    // And passing examples only: 0.
    std::fs::remove_file(dir.join("failing.toml")).unwrap();
    let (code, out, err) = rules_test(&dir);
    assert_eq!(code, 0, "{out}{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_test_on_a_missing_folder_is_an_error() {
    let (code, _, err) = rules_test(Path::new("/nonexistent/comity-rules"));
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/comity-rules"), "{err}");
}
