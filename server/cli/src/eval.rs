//! `comity eval`: precision, recall and F1 on a labelled JSONL file,
//! overall, per language and per rule, with the misses listed.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{EXIT_ERROR, OutlineFormat, emit};
use comity_engine::{Settings, check_text};
use comity_rules::RuleSet;
use comity_text::{Lang, lang_of};

#[derive(Deserialize)]
struct Labelled {
    id: serde_json::Value,
    text: String,
    flag: bool,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Serialize, Default, Clone, Copy, Debug, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

#[derive(Serialize, Debug)]
pub struct Miss {
    pub id: serde_json::Value,
    pub lang: Lang,
    pub expected: Option<String>,
    pub flag: bool,
    pub got: Vec<String>,
    pub text: String,
}

#[derive(Serialize, Debug)]
pub struct Evaluation {
    pub overall: Counts,
    pub by_language: BTreeMap<String, Counts>,
    /// Per rule: a hit is a clause labelled with the rule's code that gets a finding with that code.
    pub by_rule: BTreeMap<String, Counts>,
    pub misses: Vec<Miss>,
    pub errors: Vec<String>,
}

/// Evaluates the built-in rules on labelled lines.
pub fn evaluate(reader: impl BufRead) -> Evaluation {
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    let mut errors = Vec::new();
    let mut items = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        match line {
            Ok(l) if l.trim().is_empty() => {}
            Ok(l) => match serde_json::from_str::<Labelled>(&l) {
                Ok(item) => items.push(item),
                Err(e) => errors.push(format!("line {}: {e}", i + 1)),
            },
            Err(e) => errors.push(format!("line {}: {e}", i + 1)),
        }
    }
    let results: Vec<(Lang, Vec<String>)> = items
        .par_iter()
        .map(|item| {
            let lang = item
                .lang
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or_else(|| lang_of(&item.text));
            // The path `comity check` takes, so that what is measured is
            // what the linter does.
            let (_, findings) = check_text(item.text.clone(), rules, &settings);
            let mut codes: Vec<String> = findings.into_iter().map(|f| f.code).collect();
            codes.sort();
            codes.dedup();
            (lang, codes)
        })
        .collect();
    let mut overall = Counts::default();
    let mut by_language: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, Counts> = BTreeMap::new();
    let mut misses = Vec::new();
    for rule in &rules.rules {
        by_rule.insert(rule.code().to_string(), Counts::default());
    }
    for (item, (lang, codes)) in items.iter().zip(results) {
        let flagged = !codes.is_empty();
        let c = by_language.entry(lang.code().to_string()).or_default();
        for counts in [&mut overall, c] {
            match (item.flag, flagged) {
                (true, true) => counts.tp += 1,
                (false, true) => counts.fp += 1,
                (true, false) => counts.fn_ += 1,
                (false, false) => counts.tn += 1,
            }
        }
        let expected = item
            .category
            .clone()
            .filter(|c| item.flag && c.starts_with('T'));
        for (code, counts) in by_rule.iter_mut() {
            let is_expected = expected.as_deref() == Some(code.as_str());
            let got = codes.contains(code);
            match (is_expected, got) {
                (true, true) => counts.tp += 1,
                (false, true) => counts.fp += 1,
                (true, false) => counts.fn_ += 1,
                (false, false) => counts.tn += 1,
            }
        }
        if item.flag != flagged {
            misses.push(Miss {
                id: item.id.clone(),
                lang,
                expected: item.category.clone(),
                flag: item.flag,
                got: codes,
                text: item.text.clone(),
            });
        }
    }
    Evaluation {
        overall,
        by_language,
        by_rule,
        misses,
        errors,
    }
}

pub fn run(path: &Path, format: OutlineFormat) -> ExitCode {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {}: cannot read: {e}", path.display());
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let eval = evaluate(std::io::BufReader::new(file));
    let r = emit(|out| match format {
        OutlineFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &eval).map_err(std::io::Error::other)?;
            writeln!(out)
        }
        OutlineFormat::Text => write_text(out, &eval),
    });
    if let Err(code) = r {
        return code;
    }
    for e in &eval.errors {
        eprintln!("error: {}: {e}", path.display());
    }
    if eval.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_ERROR)
    }
}

fn write_text(out: &mut dyn Write, e: &Evaluation) -> std::io::Result<()> {
    let row = |out: &mut dyn Write, name: &str, c: &Counts| {
        writeln!(
            out,
            "{name:<10} {:>5} {:>5} {:>5} {:>5}   {:>6.3} {:>6.3} {:>6.3}",
            c.tp,
            c.fp,
            c.fn_,
            c.tn,
            c.precision(),
            c.recall(),
            c.f1()
        )
    };
    writeln!(
        out,
        "{:<10} {:>5} {:>5} {:>5} {:>5}   {:>6} {:>6} {:>6}",
        "", "TP", "FP", "FN", "TN", "P", "R", "F1"
    )?;
    row(out, "overall", &e.overall)?;
    for (lang, c) in &e.by_language {
        row(out, lang, c)?;
    }
    writeln!(out)?;
    for (code, c) in &e.by_rule {
        row(out, code, c)?;
    }
    if !e.misses.is_empty() {
        writeln!(out, "\nmisses:")?;
        for m in &e.misses {
            let kind = if m.flag { "missed" } else { "false alarm" };
            writeln!(
                out,
                "  {} [{}] {kind} (label {}, got {:?}): {}",
                m.id,
                m.lang.code(),
                m.expected.as_deref().unwrap_or("-"),
                m.got,
                comity_workspace::outline::excerpt(&m.text, 160)
            )?;
        }
    }
    Ok(())
}
