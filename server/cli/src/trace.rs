//! `comity trace FILE`: why each sentence was or was not flagged.

use std::path::Path;
use std::process::ExitCode;

use super::{EXIT_ERROR, OutlineFormat, emit};
use comity_document::Document;
use comity_engine::{Settings, trace};
use comity_rules::RuleSet;
use comity_workspace::input;

pub fn run(file: &Path, format: OutlineFormat, all: bool) -> ExitCode {
    let source = match input::read_text_file(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let doc = Document::parse(source.text);
    let mut traces = trace::trace(&doc, RuleSet::builtin(), &Settings::default());
    if !all {
        // Sentences with no trigger word at all say nothing; keep the others.
        traces.retain(|t| !t.found.is_empty() || !t.findings.is_empty());
    }
    let r = emit(|out| match format {
        OutlineFormat::Text => write!(out, "{}\n{}", file.display(), trace::render(&traces)),
        OutlineFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &traces).map_err(std::io::Error::other)?;
            writeln!(out)
        }
    });
    r.err().unwrap_or(ExitCode::SUCCESS)
}
