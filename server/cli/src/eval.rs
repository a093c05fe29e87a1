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
    /// The source document (the real corpus is split by it).
    #[serde(default)]
    doc: Option<String>,
    /// A note; one that starts with `BORDERLINE` marks a judgement call.
    #[serde(default)]
    note: Option<String>,
}

/// Which part of a corpus split by document to measure.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SplitArg {
    /// Every document not in the split file (tune on it).
    Dev,
    /// The documents in the split file (measure once; misses not listed).
    Test,
    /// Everything.
    #[default]
    All,
}

/// The frozen test split: the documents whose clauses belong to it.
#[derive(Deserialize, Debug, Default)]
pub struct Split {
    pub test_docs: Vec<String>,
}

impl Split {
    pub fn read(path: &Path) -> Result<Split, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// What part of a corpus to measure.
#[derive(Debug, Default)]
pub struct Selection {
    pub split: Option<(SplitArg, Split)>,
}

impl Selection {
    /// Whether an item (by its `doc`) is in the selection; `None` when the
    /// selection needs a `doc` and the item has none.
    fn keeps(&self, doc: Option<&str>) -> Option<bool> {
        match &self.split {
            None | Some((SplitArg::All, _)) => Some(true),
            Some((which, split)) => {
                let in_test = split.test_docs.iter().any(|d| Some(d.as_str()) == doc);
                doc?;
                Some(in_test == (*which == SplitArg::Test))
            }
        }
    }

    fn hides_misses(&self) -> bool {
        matches!(self.split, Some((SplitArg::Test, _)))
    }
}

/// The default split file: tests/corpus/real-split.toml in the working
/// directory or in the repository the binary was built from.
fn default_split_file() -> Option<std::path::PathBuf> {
    let rel = Path::new("tests/corpus/real-split.toml");
    if rel.is_file() {
        return Some(rel.to_path_buf());
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join(rel))
        .find(|p| p.is_file())
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
    /// Per language, without the items whose note starts with `BORDERLINE`.
    pub by_language_clear: BTreeMap<String, Counts>,
    /// How many items are BORDERLINE.
    pub borderline: usize,
    /// The Chinese items written in traditional characters, on their own.
    pub traditional: Counts,
    /// Per rule: a hit is a clause labelled with the rule's code that gets a finding with that code.
    pub by_rule: BTreeMap<String, Counts>,
    pub misses: Vec<Miss>,
    pub errors: Vec<String>,
}

/// Evaluates the built-in rules on labelled lines.
pub fn evaluate(reader: impl BufRead) -> Evaluation {
    evaluate_selected(reader, &Selection::default())
}

/// Evaluates the built-in rules on the selected labelled lines.
pub fn evaluate_selected(reader: impl BufRead, selection: &Selection) -> Evaluation {
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    let mut errors = Vec::new();
    let mut items = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        match line {
            Ok(l) if l.trim().is_empty() => {}
            Ok(l) => match serde_json::from_str::<Labelled>(&l) {
                Ok(item) => match selection.keeps(item.doc.as_deref()) {
                    Some(true) => items.push(item),
                    Some(false) => {}
                    None => errors.push(format!(
                        "line {}: no `doc` field, so the item is in no split",
                        i + 1
                    )),
                },
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
    let mut by_language_clear: BTreeMap<String, Counts> = BTreeMap::new();
    let mut borderline = 0;
    let mut traditional = Counts::default();
    let mut by_rule: BTreeMap<String, Counts> = BTreeMap::new();
    let mut misses = Vec::new();
    for rule in &rules.rules {
        by_rule.insert(rule.code().to_string(), Counts::default());
    }
    for (item, (lang, codes)) in items.iter().zip(results) {
        let flagged = !codes.is_empty();
        let c = by_language.entry(lang.code().to_string()).or_default();
        let is_borderline = item
            .note
            .as_deref()
            .is_some_and(|n| n.trim_start().starts_with("BORDERLINE"));
        borderline += usize::from(is_borderline);
        let clear = by_language_clear
            .entry(lang.code().to_string())
            .or_default();
        let mut scratch = Counts::default();
        let clear = if is_borderline { &mut scratch } else { clear };
        let mut scratch2 = Counts::default();
        let hant = if lang == Lang::Zh && comity_rules::script::is_traditional(&item.text) {
            &mut traditional
        } else {
            &mut scratch2
        };
        for counts in [&mut overall, c, clear, hant] {
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
        if item.flag != flagged && !selection.hides_misses() {
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
        by_language_clear,
        borderline,
        traditional,
        by_rule,
        misses,
        errors,
    }
}

pub fn run(
    path: &Path,
    format: OutlineFormat,
    split: SplitArg,
    split_file: Option<&Path>,
) -> ExitCode {
    let split_path = match (split, split_file) {
        (_, Some(p)) => Some(p.to_path_buf()),
        (SplitArg::All, None) => None,
        (_, None) => match default_split_file() {
            Some(p) => Some(p),
            None => {
                eprintln!(
                    "error: --split needs a split file: tests/corpus/real-split.toml not found (give --split-file)"
                );
                return ExitCode::from(EXIT_ERROR);
            }
        },
    };
    let selection = match split_path {
        None => Selection::default(),
        Some(p) => match Split::read(&p) {
            Ok(s) => Selection {
                split: Some((split, s)),
            },
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_ERROR);
            }
        },
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {}: cannot read: {e}", path.display());
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let eval = evaluate_selected(std::io::BufReader::new(file), &selection);
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
    let t = &e.traditional;
    if t.tp + t.fp + t.fn_ + t.tn > 0 {
        row(out, "zh-Hant", t)?;
    }
    if e.borderline > 0 {
        writeln!(out, "without the {} BORDERLINE items:", e.borderline)?;
        for (lang, c) in &e.by_language_clear {
            row(out, lang, c)?;
        }
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
