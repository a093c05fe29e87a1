//! `comity check --input jsonl`: a clause library as a stream. Each input
//! line `{"id": …, "text": …, "lang"?: "en"|"zh"}` is answered, in order, by
//! one output line `{"id": …, "findings": [...]}`; a bad line by
//! `{"line": N, "error": "…"}`. Offsets `start`/`end` count Unicode
//! characters of `text` (`start_byte`/`end_byte` count UTF-8 bytes).
//!
//! A line may carry a whole Word draft in place of `text`:
//! `{"id": …, "docx_base64": "…"}` (standard base64 of the `.docx` bytes).
//! It is read by the same `.docx` reader as files on disk; offsets then count
//! characters of the extracted text, and each finding names its Word
//! `paragraph` (`{"number", "offset"}`). This lets a distributed job
//! (`examples/spark/`) hand Comity the raw bytes of each document.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::args::CheckArgs;
use super::contexts::Contexts;
use super::{EXIT_ERROR, FailOn};
use comity_engine::check_text;
use comity_finding::{Applicability, Finding, Severity};
use comity_text::Lang;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InLine {
    id: serde_json::Value,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    docx_base64: Option<String>,
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
    /// For a `docx_base64` line: the Word paragraph of the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<OutParagraph>,
}

#[derive(Serialize)]
pub struct OutParagraph {
    pub number: usize,
    pub offset: usize,
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
        paragraph: None,
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
    let (text, docx) = match (input.text, input.docx_base64) {
        (Some(text), None) => (text, None),
        (None, Some(b64)) => match docx_from_base64(&b64) {
            Ok(d) => (d.text.clone(), Some(d)),
            Err(e) => return Some(Answer::Error(line_no, e)),
        },
        (Some(_), Some(_)) => {
            return Some(Answer::Error(
                line_no,
                "not a clause object: has both \"text\" and \"docx_base64\"".into(),
            ));
        }
        (None, None) => {
            return Some(Answer::Error(
                line_no,
                "not a clause object: needs a \"text\" or a \"docx_base64\" field".into(),
            ));
        }
    };
    // Most clauses of a library name no foreign measure: not parsed.
    let (text, findings) = check_text(text, rules, &settings);
    let failing = findings.iter().any(|f| f.severity >= fail_on);
    let out = findings
        .iter()
        .map(|f| {
            let mut o = out_finding(&text, f);
            o.paragraph = docx
                .as_ref()
                .and_then(|d| d.locate(f.span.start))
                .map(|(number, offset)| OutParagraph { number, offset });
            o
        })
        .collect();
    Some(Answer::Findings(input.id, out, failing))
}

/// The text of a `.docx` sent as base64 on a stream line.
fn docx_from_base64(b64: &str) -> Result<comity_workspace::input::docx::DocxText, String> {
    let bytes = decode_base64(b64)
        .map_err(|at| format!("docx_base64: not valid base64 (bad character at position {at})"))?;
    if bytes.len() as u64 > comity_workspace::input::docx::MAX_DOCX_BYTES {
        return Err(format!(
            "docx_base64: {} bytes, more than the {} allowed",
            bytes.len(),
            comity_workspace::input::docx::MAX_DOCX_BYTES
        ));
    }
    comity_workspace::input::docx::docx_text(std::path::Path::new("docx_base64"), &bytes)
        .map_err(|e| e.to_string())
}

/// Standard base64 (RFC 4648, `+/`, `=` padding optional; ASCII whitespace
/// ignored, as in line-wrapped output). Err: the position of the first
/// character that is not base64.
fn decode_base64(s: &str) -> Result<Vec<u8>, usize> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits, mut padding) = (0u32, 0u32, 0usize);
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            padding += 1;
            if padding > 2 {
                return Err(i);
            }
            continue;
        }
        let v = match value(c) {
            Some(v) if padding == 0 => v,
            _ => return Err(i),
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be fewer than a byte and zero (canonical encoding).
    if bits >= 6 || acc != 0 {
        return Err(s.len());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn base64_round_trips_and_rejects_garbage() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("Zg==").unwrap(), b"f");
        assert_eq!(decode_base64("Zm8=").unwrap(), b"fo");
        assert_eq!(decode_base64("Zm9v").unwrap(), b"foo");
        assert_eq!(decode_base64("Zm9v\nYmFy").unwrap(), b"foobar");
        assert_eq!(decode_base64("Zm8").unwrap(), b"fo");
        assert_eq!(decode_base64("Zm9v!"), Err(4));
        assert_eq!(decode_base64("Zg==Zg"), Err(4));
        assert!(decode_base64("Z").is_err());
    }
}
