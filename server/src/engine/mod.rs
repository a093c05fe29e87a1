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

pub mod analysis;
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
    lint_state(doc, rules, settings).findings
}

/// The result of linting a document, with what a later incremental re-lint needs.
#[derive(Debug, Clone, Default)]
pub struct LintState {
    pub findings: Vec<Finding>,
    /// Findings before carve-outs and suppressions were applied.
    raw: Vec<Finding>,
    carve_outs: Vec<grade::CarveOut>,
    /// Document facts that findings' wording depends on.
    facts: (bool, bool, bool),
    /// How often each defined term occurs: a new or lost use changes the
    /// findings on its definition and on the sentences that use it.
    term_counts: Vec<usize>,
}

fn term_counts(doc: &Document) -> Vec<usize> {
    let terms = doc.terms();
    let mut counts = vec![0; terms.len()];
    if terms.is_empty() {
        return counts;
    }
    let matcher = crate::document::TermMatcher::new(
        terms.iter().enumerate().map(|(i, t)| (i, t.term.as_str())),
    );
    for (id, _) in matcher.find(doc.text(), Span::new(0, doc.text().len())) {
        counts[id] += 1;
    }
    counts
}

/// Facts of the whole document that change findings elsewhere: whether it is
/// a fragment, whether it says "Party" and whether it calls itself the Agreement.
fn wording_facts(doc: &Document) -> (bool, bool, bool) {
    let a = Analysis::fragment_and_party(doc);
    (a.0, a.1, doc.text().contains("Agreement"))
}

/// Lints a whole document and keeps the state for [`relint`].
pub fn lint_state(doc: &Document, rules: &RuleSet, settings: &Settings) -> LintState {
    let analysis = Analysis::new(doc, rules, settings);
    let mut raw = Vec::new();
    for b in analysis.candidate_blocks() {
        lint_block(doc, rules, settings, &analysis, b, &mut raw);
    }
    raw.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(&b.code)));
    let carve_outs = grade::collect_carve_outs(doc, &analysis);
    finish(doc, settings, raw, carve_outs)
}

fn finish(
    doc: &Document,
    settings: &Settings,
    raw: Vec<Finding>,
    carve_outs: Vec<grade::CarveOut>,
) -> LintState {
    let mut findings = raw.clone();
    grade::apply_carve_outs(&carve_outs, &mut findings);
    suppress::apply(
        doc,
        &mut findings,
        settings.report_unused_suppressions,
        &suppress::today(),
    );
    LintState {
        findings,
        raw,
        carve_outs,
        facts: wording_facts(doc),
        term_counts: term_counts(doc),
    }
}

/// What an edit did, for [`relint`].
#[derive(Debug, Clone)]
pub struct EditInfo<'a> {
    /// The replaced range, in the text before the edit.
    pub old: Span,
    /// The text that was removed.
    pub removed: &'a str,
    /// The length in bytes of the text inserted in its place.
    pub inserted_len: usize,
    pub summary: &'a crate::document::EditSummary,
}

/// Re-lints a document after an edit. Only the clauses the edit touched are
/// linted again, unless the edit changed something other clauses depend on
/// (a definition, the parties or governing law, a carve-out, a suppression
/// comment, a use of a defined term); then the whole document is. The result
/// always equals [`lint_state`] on the edited document.
pub fn relint(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    prev: &LintState,
    edit: &EditInfo,
) -> LintState {
    let summary = edit.summary;
    let text = doc.text();
    let region = summary.span;
    let added = &text[region.start.min(text.len())..region.end.min(text.len())];
    let touches_dependencies = |s: &str| {
        s.contains("comity:") || doc.terms().iter().any(|t| s.contains(t.term.as_str())) || {
            let mut hits = Vec::new();
            rules
                .lexicon
                .scan_triggers(s, Span::new(0, s.len()), &mut hits);
            let ids = analysis::Ids::for_rules(rules);
            hits.iter().any(|h| {
                h.group == ids.blocking_law
                    || h.group == ids.blocking_eu
                    || h.group == ids.sanctions_term
            })
        }
    };
    let carve_out_touched = prev.carve_outs.iter().any(|c| {
        c.sentence.overlaps(&edit.old)
            || c.sentence.start <= edit.old.end && edit.old.start <= c.sentence.end
    });
    if summary.definitions_changed
        || summary.facts_changed
        || wording_facts(doc) != prev.facts
        || term_counts(doc) != prev.term_counts
        || carve_out_touched
        || touches_dependencies(edit.removed)
        || touches_dependencies(added)
        || settings.report_unused_suppressions
    {
        return lint_state(doc, rules, settings);
    }
    let delta = edit.inserted_len as isize - edit.removed.len() as isize;
    // Keep the findings outside the rebuilt region, moved past the edit.
    let mut raw: Vec<Finding> = Vec::with_capacity(prev.raw.len());
    for f in &prev.raw {
        let mut f = f.clone();
        if f.sentence.end <= edit.old.start {
            // Before the edit; only a definition it points to may have moved.
            for r in &mut f.related {
                if r.span.start >= edit.old.end {
                    r.span = r.span.shifted(delta);
                }
            }
        } else if f.sentence.start >= edit.old.end {
            shift_finding(&mut f, edit.old.end, delta);
        } else {
            continue;
        }
        if f.sentence.overlaps(&region) || region.covers(&f.sentence) {
            continue;
        }
        // Numbering elsewhere may have changed the clause's label.
        if !f.code.starts_with('S') {
            f.clause = doc.clause_label_at(f.sentence.start);
        }
        raw.push(f);
    }
    let analysis = Analysis::scoped(doc, rules, settings, Some(&[region]));
    let mut fresh = Vec::new();
    for b in analysis.candidate_blocks() {
        lint_block(doc, rules, settings, &analysis, b, &mut fresh);
    }
    raw.extend(fresh);
    raw.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(&b.code)));
    let mut carve_outs = prev.carve_outs.clone();
    for c in &mut carve_outs {
        c.shift(edit.old.end, delta);
        c.refresh(doc);
    }
    finish(doc, settings, raw, carve_outs)
}

/// Moves a finding that lies after an edit; its related definitions move
/// only if they too lie after it (a changed definition forces a full lint).
fn shift_finding(f: &mut Finding, edit_end: usize, delta: isize) {
    f.span = f.span.shifted(delta);
    f.sentence = f.sentence.shifted(delta);
    for s in &mut f.suggestions {
        s.span = s.span.shifted(delta);
    }
    for r in &mut f.related {
        if r.span.start >= edit_end {
            r.span = r.span.shifted(delta);
        }
    }
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
