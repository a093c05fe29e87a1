//! `--fix`, `--unsafe-fixes` and `--diff`: applying suggested wording.
//!
//! Only suggestions marked safe are applied by `--fix`; `--unsafe-fixes`
//! adds unsafe ones; display-only wording is never applied. Each finding
//! contributes its first applicable suggestion; overlapping edits are skipped.
//! Files are written atomically (a temporary file in the same folder, then a
//! rename), keeping permissions, encoding, byte-order mark and line endings,
//! and only if the file on disk is still what was read.

use std::io::Write;
use std::path::Path;

use crate::Span;
use crate::finding::{Applicability, Finding};
use crate::input::{self, Encoding};

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
