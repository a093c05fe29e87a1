//! `--fix`, `--unsafe-fixes` and `--diff`: applying suggested wording.
//!
//! Only suggestions marked safe are applied by `--fix`; `--unsafe-fixes`
//! adds unsafe ones; display-only wording is never applied. Each finding
//! contributes its first applicable suggestion; overlapping edits are skipped.
//! Files are written atomically (a temporary file in the same folder, then a
//! rename), keeping permissions, encoding, byte-order mark and line endings,
//! and only if the file on disk is still what was read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use comity_document::Document;
use comity_engine::lint;
use comity_finding::{Applicability, Finding};
use comity_text::Span;
use comity_workspace::input::{self, Encoding};

use super::args::CheckArgs;
use super::contexts::Contexts;
use super::report::{self, FileResult};
use super::sink::finish;
use super::{EXIT_ERROR, EXIT_FINDINGS, emit};

/// The edits to apply to a text, in order, without overlaps.
pub fn planned_edits(findings: &[Finding], unsafe_fixes: bool) -> Vec<(Span, String)> {
    let mut edits: Vec<(Span, String)> = Vec::new();
    for f in findings {
        let allowed = |a: Applicability| {
            a == Applicability::Safe || (unsafe_fixes && a == Applicability::Unsafe)
        };
        if let Some(s) = f.suggestions.iter().find(|s| allowed(s.applicability)) {
            // Never write the same replacement twice (two identical
            // definitions, or one carve-out repeated after every sentence).
            if edits.iter().any(|(_, r)| *r == s.replacement) {
                continue;
            }
            edits.push((s.span, s.replacement.clone()));
        }
    }
    edits.sort_by_key(|(s, _)| (s.start, s.end));
    let mut out: Vec<(Span, String)> = Vec::new();
    for e in edits {
        if out.last().is_none_or(|(last, _)| last.end <= e.0.start) {
            out.push(e);
        }
    }
    out
}

/// The text with the edits applied.
pub fn apply_edits(text: &str, edits: &[(Span, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (span, replacement) in edits {
        out.push_str(&text[pos..span.start]);
        out.push_str(replacement);
        pos = span.end;
    }
    out.push_str(&text[pos..]);
    out
}

pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[derive(Debug)]
pub enum WriteError {
    Changed,
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => {
                write!(f, "the file changed on disk since it was read; not written")
            }
            WriteError::Io(e) => write!(f, "cannot write: {e}"),
        }
    }
}

/// Writes `new_text` to `path` atomically, encoded as `encoding`, if the file
/// still holds `original_bytes`.
pub fn write_atomically(
    path: &Path,
    original_bytes: &[u8],
    new_text: &str,
    encoding: Encoding,
) -> Result<(), WriteError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let bytes = input::encode(new_text, encoding);
    let mut tmp = tempfile::Builder::new()
        .prefix(".comity-fix-")
        .tempfile_in(dir)
        .map_err(WriteError::Io)?;
    tmp.write_all(&bytes).map_err(WriteError::Io)?;
    tmp.as_file().sync_all().map_err(WriteError::Io)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    // The last moment to notice a concurrent change.
    let current = std::fs::read(path).map_err(WriteError::Io)?;
    if current != original_bytes {
        return Err(WriteError::Changed);
    }
    tmp.persist(path).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

/// `--fix` and `--diff`.
pub(crate) fn apply_fixes(
    args: &CheckArgs,
    contexts: &Contexts,
    mut results: Vec<FileResult>,
) -> ExitCode {
    let mut changed_files = 0usize;
    let mut fixed = 0usize;
    let mut errors = false;
    let mut diffs = String::new();
    for r in results.iter_mut() {
        if r.error.is_some() || r.findings.is_empty() {
            continue;
        }
        let edits = super::fix::planned_edits(&r.findings, args.unsafe_fixes);
        if edits.is_empty() {
            continue;
        }
        if r.docx.is_some() || r.path == "-" {
            r.notices.push(report::Notice {
                line: 1,
                message: "not fixed: .docx files and standard input are reported, never rewritten"
                    .into(),
            });
            continue;
        }
        let new_text = super::fix::apply_edits(&r.text, &edits);
        if args.diff {
            diffs.push_str(&super::fix::unified_diff(&r.path, &r.text, &new_text));
            changed_files += 1;
            fixed += edits.len();
            continue;
        }
        let path = PathBuf::from(&r.path);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                r.error = Some(format!("{}: cannot re-read for fixing: {e}", r.path));
                errors = true;
                continue;
            }
        };
        let (current, encoding) = match input::decode(&path, &bytes) {
            Ok(d) => d,
            Err(e) => {
                r.error = Some(e.to_string());
                errors = true;
                continue;
            }
        };
        if current != *r.text {
            r.error = Some(format!(
                "{}: changed on disk while being linted; not fixed",
                r.path
            ));
            errors = true;
            continue;
        }
        match super::fix::write_atomically(&path, &bytes, &new_text, encoding) {
            Ok(()) => {
                changed_files += 1;
                fixed += edits.len();
                // Report what remains after the fix.
                if let Ok(ctx) = contexts.for_file(&path) {
                    let doc = Document::parse(new_text);
                    r.findings = lint(&doc, &ctx.rules, &ctx.settings);
                    r.text = Arc::new(doc.text().to_string());
                }
            }
            Err(e) => {
                r.error = Some(format!("{}: {e}", r.path));
                errors = true;
            }
        }
    }
    if args.diff {
        let r = emit(|out| write!(out, "{diffs}"));
        if let Err(code) = r {
            return code;
        }
        eprintln!(
            "{fixed} fix{} in {changed_files} file{} (not written).",
            if fixed == 1 { "" } else { "es" },
            if changed_files == 1 { "" } else { "s" }
        );
        return if errors {
            ExitCode::from(EXIT_ERROR)
        } else if fixed > 0 {
            ExitCode::from(EXIT_FINDINGS)
        } else {
            ExitCode::SUCCESS
        };
    }
    eprintln!(
        "Fixed {fixed} finding{} in {changed_files} file{}.",
        if fixed == 1 { "" } else { "s" },
        if changed_files == 1 { "" } else { "s" }
    );
    let code = finish(args, contexts, &results);
    if errors {
        ExitCode::from(EXIT_ERROR)
    } else {
        code
    }
}
