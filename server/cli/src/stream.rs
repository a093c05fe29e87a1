//! `comity check --input jsonl`: a clause library as a stream. Each input
//! line `{"id": …, "text": …, "lang"?: "en"|"zh"}` is answered, in order, by
//! one output line `{"id": …, "findings": [...]}`; a bad line by
//! `{"line": N, "error": "…"}`. Offsets `start`/`end` count Unicode
//! characters of `text` (`start_byte`/`end_byte` count UTF-8 bytes).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::args::CheckArgs;
use super::contexts::Contexts;
use super::{EXIT_ERROR, FailOn};
use comity_document::Document;
use comity_engine::{lint_prefiltered, prefilter};
use comity_finding::{Applicability, Finding, Severity};
use comity_text::Lang;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InLine {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    lang: Option<String>,
    // Labelled files can be streamed too; the labels are ignored here.
    #[serde(default)]
    #[allow(dead_code)]
    flag: Option<bool>,
    #[serde(default)]
    #[allow(dead_code)]
    category: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
}

#[derive(Serialize)]
struct OutLine<'a> {
    id: &'a serde_json::Value,
    findings: Vec<OutFinding>,
}

#[derive(Serialize)]
pub struct OutFinding {
    pub code: String,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    pub start_byte: usize,
    pub end_byte: usize,
    pub clause: Option<String>,
    pub message: String,
    pub citations: Vec<OutCitation>,
    pub suggestions: Vec<OutSuggestion>,
}

#[derive(Serialize)]
pub struct OutCitation {
    pub instrument: String,
    pub article: String,
    pub verified: bool,
}

#[derive(Serialize)]
pub struct OutSuggestion {
    pub replacement: String,
    pub applicability: Applicability,
    pub start: usize,
    pub end: usize,
}

fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

pub fn out_finding(text: &str, f: &Finding) -> OutFinding {
    OutFinding {
        code: f.code.clone(),
        severity: f.severity,
        start: char_offset(text, f.span.start),
        end: char_offset(text, f.span.end),
        start_byte: f.span.start,
        end_byte: f.span.end,
        clause: f.clause.clone(),
        message: f.message.clone(),
        citations: f
            .citations
            .iter()
            .map(|c| OutCitation {
                instrument: c.instrument.clone(),
                article: c.article.clone(),
                verified: c.verified,
            })
            .collect(),
        suggestions: f
            .suggestions
            .iter()
            .map(|s| OutSuggestion {
                replacement: s.replacement.clone(),
                applicability: s.applicability,
                start: char_offset(text, s.span.start),
                end: char_offset(text, s.span.end),
            })
            .collect(),
    }
}

/// The answer to one input line: findings, or an error message.
enum Answer {
    Findings(serde_json::Value, Vec<OutFinding>, bool),
    Error(usize, String),
}

const BATCH: usize = 512;

pub fn run(args: &CheckArgs, contexts: &Contexts) -> ExitCode {
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("clauses.jsonl"));
    let ctx = match contexts.for_file(&name) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let fail_on = args
        .fail_on
        .map(FailOn::severity)
        .unwrap_or(Severity::Warning);
    let mut any_error = false;
    let mut any_finding = false;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let paths: Vec<std::path::PathBuf> = if args.paths.iter().all(|p| p.as_os_str() == ".") {
        vec!["-".into()]
    } else {
        args.paths.clone()
    };
    for path in paths {
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            match std::fs::File::open(&path) {
                Ok(f) => Box::new(std::io::BufReader::new(f)),
                Err(e) => {
                    eprintln!("error: {}: cannot read: {e}", path.display());
                    any_error = true;
                    continue;
                }
            }
        };
        let mut lines = reader.split(b'\n').enumerate().peekable();
        while lines.peek().is_some() {
            let batch: Vec<(usize, std::io::Result<Vec<u8>>)> =
                lines.by_ref().take(BATCH).collect();
            if batch.len() == BATCH && lines.peek().is_some() {
                // More than one batch of clauses: a long run.
                contexts.long_run();
            }
            let answers: Vec<Option<Answer>> = batch
                .into_par_iter()
                .map(|(i, line)| answer(i + 1, line, &ctx.rules, &ctx.settings, fail_on))
                .collect();
            for a in answers.into_iter().flatten() {
                let written = match a {
                    Answer::Findings(id, findings, failing) => {
                        any_finding |= failing;
                        serde_json::to_writer(&mut out, &OutLine { id: &id, findings })
                    }
                    Answer::Error(line, error) => {
                        any_error = true;
                        serde_json::to_writer(
                            &mut out,
                            &serde_json::json!({ "line": line, "error": error }),
                        )
                    }
                };
                if written
                    .map_err(std::io::Error::other)
                    .and_then(|_| out.write_all(b"\n"))
                    .is_err()
                {
                    return ExitCode::SUCCESS; // closed pipe
                }
            }
        }
    }
    if out.flush().is_err() {
        return ExitCode::SUCCESS;
    }
    super::outcome(any_error, any_finding, args.exit_zero)
}

fn answer(
    line_no: usize,
    line: std::io::Result<Vec<u8>>,
    rules: &comity_rules::RuleSet,
    settings: &comity_engine::Settings,
    fail_on: Severity,
) -> Option<Answer> {
    let bytes = match line {
        Ok(b) => b,
        Err(e) => return Some(Answer::Error(line_no, format!("cannot read line: {e}"))),
    };
    let trimmed = bytes.strip_suffix(b"\r").unwrap_or(&bytes);
    if trimmed.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let text = match std::str::from_utf8(trimmed) {
        Ok(t) => t,
        Err(e) => {
            return Some(Answer::Error(
                line_no,
                format!("not valid UTF-8 at byte {}", e.valid_up_to()),
            ));
        }
    };
    let input: InLine = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Some(Answer::Error(line_no, format!("not a clause object: {e}"))),
    };
    let mut settings = settings.clone();
    if let Some(l) = &input.lang {
        match Lang::parse(l) {
            Some(lang) => settings.default_lang = Some(lang),
            None => {
                return Some(Answer::Error(
                    line_no,
                    format!("unknown lang \"{l}\" (expected \"en\" or \"zh\")"),
                ));
            }
        }
    }
    // Most clauses of a library name no foreign measure: not parsed.
    let Some(pre) = prefilter(&input.text, rules) else {
        return Some(Answer::Findings(input.id, Vec::new(), false));
    };
    let doc = Document::parse_once(input.text);
    let findings = lint_prefiltered(&doc, rules, &settings, pre);
    let failing = findings.iter().any(|f| f.severity >= fail_on);
    let out = findings
        .iter()
        .map(|f| out_finding(doc.text(), f))
        .collect();
    Some(Answer::Findings(input.id, out, failing))
}
