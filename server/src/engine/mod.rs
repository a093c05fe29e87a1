//! The detection engine: finds clauses that implement US export controls or
//! sanctions, grades them, cites the law and proposes neutral wording.
//!
//! The path of a document through the engine:
//! 1. the trigger automaton scans the whole text (the cheap prefilter);
//! 2. definitions are read for US measures, and uses of such terms found;
//! 3. only sentences with a trigger, a tainted term or an unresolved
//!    sanctions term are examined further: context words, carve-outs, rules;
//! 4. each finding is graded against the party profile and given citations
//!    and suggestions.

mod analysis;
mod grade;
pub mod settings;
mod suggest;
pub mod suppress;

use crate::Span;
use crate::document::{BlockKind, Document, Lang, lang_of};
use crate::finding::Finding;
use crate::rules::RuleSet;

pub use analysis::{Analysis, Signals};
pub use settings::{Nexus, PartyProfile, ProfileParty, RuleSelection, Settings};

/// Lints a whole document.
pub fn lint(doc: &Document, rules: &RuleSet, settings: &Settings) -> Vec<Finding> {
    let analysis = Analysis::new(doc, rules, settings);
    let mut findings = Vec::new();
    for b in analysis.candidate_blocks() {
        lint_block(doc, rules, settings, &analysis, b, &mut findings);
    }
    grade::apply_document_carve_outs(doc, rules, &analysis, &mut findings);
    findings.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(&b.code)));
    suppress::apply(
        doc,
        &mut findings,
        settings.report_unused_suppressions,
        &suppress::today(),
    );
    findings
}

/// Lints the sentences of one block. The analysis must be of the same document.
pub fn lint_block(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    analysis: &Analysis,
    b: usize,
    out: &mut Vec<Finding>,
) {
    let block = &doc.blocks()[b];
    if block.kind.is_quoted_material() || block.is_heading() {
        return;
    }
    let unit = block.body.unwrap_or(block.span);
    for sentence in doc.sentences(unit) {
        if !analysis.has_trigger_in(sentence) {
            continue;
        }
        let signals = analysis.signals(doc, rules, b, sentence);
        if let Some(f) = evaluate(doc, rules, settings, analysis, &signals, b, sentence) {
            out.push(f);
        }
    }
}

fn evaluate(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    analysis: &Analysis,
    signals: &Signals,
    block: usize,
    sentence: Span,
) -> Option<Finding> {
    if !signals.nexus_candidate() {
        return None;
    }
    if signals.suppressed_globally().is_some() {
        return None;
    }
    if let Some(term) = signals.defined_here() {
        // A definition only matters once the term is used; a fragment (a
        // clause-library entry) is judged on its own.
        if !(analysis.term_used_operatively(term) || analysis.is_fragment()) {
            return None;
        }
    }
    let text = doc.text();
    let lang = match lang_of(sentence.text(text)) {
        Lang::Zh => Lang::Zh,
        Lang::En if sentence.text(text).chars().any(|c| c.is_ascii_alphabetic()) => Lang::En,
        _ => settings.default_lang.unwrap_or(Lang::En),
    };
    for rule in &rules.rules {
        if !settings.rules.is_enabled(rule.code()) {
            continue;
        }
        // Definitions are judged only as definitions (T11-type rules).
        if signals.defined_here().is_some()
            && !rule.detect.iter().any(|d| {
                d.all
                    .iter()
                    .any(|alts| alts.contains(&signals.ids.defines_term))
            })
        {
            continue;
        }
        for (alt, detect) in rule.detect.iter().enumerate() {
            let Some(matched) = signals.satisfies(detect) else {
                continue;
            };
            let _ = alt;
            let finding = grade::build_finding(
                doc, rules, settings, analysis, signals, rule, detect, &matched, block, sentence,
                lang,
            );
            return finding;
        }
    }
    None
}

/// Whether a block is the kind the engine reads for operative wording.
pub fn is_operative(kind: BlockKind) -> bool {
    !matches!(
        kind,
        BlockKind::Quote | BlockKind::Code | BlockKind::PartHeading | BlockKind::Subheading
    )
}
