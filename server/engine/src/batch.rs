//! The one entry point for linting a text once, as `comity check` does it:
//! the command line, its JSONL stream, `comity eval` and the tests that
//! measure quality all go through [`check_text`], so that what is measured is
//! the path the linter takes.

use comity_document::Document;
use comity_finding::Finding;
use comity_rules::RuleSet;

use crate::{Settings, lint_prefiltered, prefilter};

/// Lints a text once: the trigger prefilter first (a text that cannot give
/// a finding is not parsed), then one parse with the fast path
/// ([`Document::parse_once`]). Gives the text back with the findings.
pub fn check_text(text: String, rules: &RuleSet, settings: &Settings) -> (String, Vec<Finding>) {
    match prefilter(&text, rules) {
        None => (text, Vec::new()),
        Some(pre) => {
            let doc = Document::parse_once(text);
            let findings = lint_prefiltered(&doc, rules, settings, pre);
            (doc.into_text(), findings)
        }
    }
}
