//! `comity rules --test DIR`: runs the examples of a firm's own rule files
//! (`DIR/*.toml`) with the built-in library, as `comity check` would lint
//! them: each firing example must be flagged with its rule's code (at
//! `min_severity` or above), each near miss must produce no finding at all.
//! A file that does not load is reported with its problem, and the others
//! still run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use comity_engine::{Settings, check_text};
use comity_rules::{Rule, RuleSet};
use comity_text::Lang;

/// The outcome of one example: `None` if it passes, else why not.
fn check_example(rule: &Rule, ex: &comity_rules::Example, rules: &RuleSet) -> Option<String> {
    let (_, findings) = check_text(ex.text.clone(), rules, &Settings::default());
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    if ex.fires {
        let Some(f) = findings.iter().find(|f| f.code == rule.file.code) else {
            return Some(format!(
                "{} did not fire (findings: {codes:?})",
                rule.file.code
            ));
        };
        match ex.min_severity {
            Some(min) if f.severity < min => Some(format!(
                "{} fired at {} below min_severity {}",
                rule.file.code,
                f.severity.as_str(),
                min.as_str()
            )),
            _ => None,
        }
    } else if findings.is_empty() {
        None
    } else {
        Some(format!("a near miss was flagged: {codes:?}"))
    }
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read rule folder: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

pub fn run(dir: &Path) -> ExitCode {
    let files = match rule_files(dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(super::EXIT_ERROR);
        }
    };
    let mut errors = false;
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut lines: Vec<String> = Vec::new();
    // Each file alone first, so that a malformed one is named and the others
    // still run.
    let mut good = Vec::new();
    for file in &files {
        match RuleSet::load(std::slice::from_ref(file)) {
            Ok(_) => good.push(file.clone()),
            Err(errs) => {
                errors = true;
                for e in errs {
                    eprintln!("error: {e}");
                }
            }
        }
    }
    // Then together, as `check` loads the folder; if they clash (a code used
    // twice), each with the built-in library only.
    let together = if good.is_empty() {
        None
    } else {
        match RuleSet::load(&good) {
            Ok(set) => Some(set),
            Err(errs) => {
                errors = true;
                for e in errs {
                    eprintln!("error: {e}");
                }
                None
            }
        }
    };
    for file in &good {
        let alone;
        let set = match &together {
            Some(set) => set,
            None => match RuleSet::load(std::slice::from_ref(file)) {
                Ok(set) => {
                    alone = set;
                    &alone
                }
                Err(_) => continue,
            },
        };
        let origin = file.display().to_string();
        for rule in set.rules.iter().filter(|r| r.origin == origin) {
            if rule.file.examples.is_empty() {
                lines.push(format!("{origin}: {}: no examples", rule.file.code));
            }
            for (i, ex) in rule.file.examples.iter().enumerate() {
                let kind = if ex.fires { "fires" } else { "near miss" };
                let head = format!(
                    "{origin}: {} example {} ({}, {kind})",
                    rule.file.code,
                    i + 1,
                    lang_name(ex.lang)
                );
                match check_example(rule, ex, set) {
                    None => {
                        passed += 1;
                        lines.push(format!("{head}: pass"));
                    }
                    Some(why) => {
                        failed += 1;
                        lines.push(format!("{head}: FAIL: {why}"));
                    }
                }
            }
        }
    }
    let summary = format!(
        "{} rule file(s), {} with errors; {passed} example(s) passed, {failed} failed",
        files.len(),
        files.len() - good.len()
    );
    if let Err(code) = super::emit(|out| {
        for line in &lines {
            writeln!(out, "{line}")?;
        }
        writeln!(out, "{summary}")
    }) {
        return code;
    }
    super::outcome(errors, failed > 0, false)
}
