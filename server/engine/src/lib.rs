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
mod batch;
pub(crate) mod context;
mod grade;
mod localise;
pub(crate) mod overlap;
mod settings;
mod suggest;
pub mod suppress;
pub mod trace;

use std::sync::Arc;

use comity_document::{BlockKind, Document, TermMatcher};
use comity_finding::Finding;
use comity_rules::RuleSet;
use comity_text::Span;
use comity_text::{Lang, lang_of};

pub use analysis::{Analysis, Signals};
pub use batch::check_text;
pub use settings::{ActFor, Nexus, PartyProfile, ProfileParty, RuleSelection, Settings};

/// The trigger words of a text, found before it is parsed: what
/// [`lint_prefiltered`] starts from.
#[derive(Debug)]
pub struct Prefilter {
    triggers: Vec<comity_rules::lexicon::Hit>,
    len: usize,
}

/// Scans a text for trigger words before it is parsed. `None` when [`lint`]
/// could report nothing on a document with this text: no trigger word (so
/// no candidate sentence, no term whose definition carries a US measure and
/// no unresolved sanctions term) and no HTML comment (where suppressions,
/// and so the tool's own notices about them, live). The batch check does not
/// parse such a text; for the others the scan is not repeated.
pub fn prefilter(text: &str, rules: &RuleSet) -> Option<Prefilter> {
    let mut triggers = Vec::new();
    rules
        .lexicon
        .scan_triggers(text, Span::new(0, text.len()), &mut triggers);
    if triggers.is_empty() && memchr::memmem::find(text.as_bytes(), b"<!--").is_none() {
        return None;
    }
    Some(Prefilter {
        triggers,
        len: text.len(),
    })
}

/// [`lint`] of a document parsed from the text `pre` was made from.
pub fn lint_prefiltered(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    pre: Prefilter,
) -> Vec<Finding> {
    debug_assert_eq!(pre.len, doc.text().len(), "prefiltered another text");
    let matcher = TermMatcher::for_text(doc.terms(), doc.text().len());
    let analysis = Analysis::whole_with_triggers(doc, rules, settings, &matcher, pre.triggers);
    lint_with(doc, rules, settings, analysis)
}

/// Lints a whole document (keeping nothing for a re-lint).
pub fn lint(doc: &Document, rules: &RuleSet, settings: &Settings) -> Vec<Finding> {
    let matcher = TermMatcher::for_text(doc.terms(), doc.text().len());
    let analysis = Analysis::scoped(doc, rules, settings, None, &matcher, None);
    lint_with(doc, rules, settings, analysis)
}

fn lint_with(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    analysis: Analysis,
) -> Vec<Finding> {
    let raw = raw_findings(doc, rules, settings, &analysis);
    let carve_outs = grade::collect_carve_outs(doc, &analysis, None);
    drop(analysis);
    finish(doc, settings, raw, &carve_outs)
}

/// The findings of the candidate blocks, before carve-outs and suppressions.
fn raw_findings(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    analysis: &Analysis,
) -> Vec<Finding> {
    let mut raw = Vec::new();
    for b in analysis.candidate_blocks() {
        lint_block(doc, rules, settings, analysis, b, &mut raw);
    }
    raw.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(&b.code)));
    raw
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
    /// How often each defined term is used (outside definitions) and how
    /// often each of [`WORDING`] occurs. Whether a term is used decides the
    /// findings on its definition; the wording, how replacements are phrased.
    counts: Vec<usize>,
    /// Which defined terms carry a US measure, and from where.
    taint: Vec<Option<analysis::Taint>>,
    /// The clause label of each term's definition (findings cite it).
    def_labels: Vec<Option<String>>,
    /// The matcher for the defined terms (the same until the terms change).
    matcher: Option<Arc<TermMatcher>>,
    /// Words replacements were checked against, and whether the text has them.
    words: Vec<(String, bool)>,
}

/// Words whose presence anywhere changes how findings elsewhere are worded
/// (see [`Analysis::fragment_and_party`] and the replacements' "this Agreement").
const WORDING: [&str; 4] = ["the Parties", "each Party", "Each Party", "Agreement"];

fn wording_counts(text: &str) -> [usize; 4] {
    WORDING.map(|w| memchr::memmem::find_iter(text.as_bytes(), w).count())
}

/// Facts of the whole document that change findings elsewhere: whether it is
/// a fragment, whether it says "Party" and whether it calls itself the Agreement.
fn wording_facts(doc: &Document, counts: &[usize]) -> (bool, bool, bool) {
    let w = &counts[doc.terms().len()..];
    let defined = |x: &str| doc.terms().iter().any(|t| t.term == x);
    let fragment = doc.clauses().len() <= 1 && doc.blocks().len() <= 3;
    let party = defined("Party") || defined("Parties") || w[0] + w[1] + w[2] > 0;
    (fragment, party, w[3] > 0)
}

fn def_labels(doc: &Document) -> Vec<Option<String>> {
    doc.terms()
        .iter()
        .map(|t| doc.clause_label_at(t.term_span.start))
        .collect()
}

/// `span` widened to whole lines of `text` (no term or wording crosses a line).
fn whole_lines(text: &str, span: Span) -> Span {
    let b = text.as_bytes();
    let start = memchr::memrchr(b'\n', &b[..span.start]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &b[span.end..]).map_or(b.len(), |i| span.end + i);
    Span::new(start, end)
}

/// Lints a whole document and keeps the state for [`relint`].
pub fn lint_state(doc: &Document, rules: &RuleSet, settings: &Settings) -> LintState {
    let matcher = Arc::new(TermMatcher::of_terms(doc.terms()));
    let analysis = Analysis::scoped(doc, rules, settings, None, &matcher, None);
    let raw = raw_findings(doc, rules, settings, &analysis);
    let carve_outs = grade::collect_carve_outs(doc, &analysis, None);
    let mut counts = analysis.use_counts.clone();
    counts.extend(wording_counts(doc.text()));
    let findings = finish(doc, settings, raw.clone(), &carve_outs);
    LintState {
        findings,
        raw,
        carve_outs,
        facts: wording_facts(doc, &counts),
        counts,
        words: analysis.words(),
        taint: analysis.taint,
        def_labels: def_labels(doc),
        matcher: Some(matcher),
    }
}

/// Applies carve-outs and suppressions to the raw findings.
fn finish(
    doc: &Document,
    settings: &Settings,
    mut findings: Vec<Finding>,
    carve_outs: &[grade::CarveOut],
) -> Vec<Finding> {
    grade::apply_carve_outs(carve_outs, &mut findings);
    suppress::apply_with(doc, &mut findings, settings, &suppress::today());
    findings
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
    pub summary: &'a comity_document::EditSummary,
}

/// Re-lints a document after an edit. Only the blocks the edit touched are
/// linted again, unless the edit changed something other clauses depend on:
/// the defined terms, which of them carry a US measure or are used at all,
/// the parties or governing law, or the wording replacements follow; then
/// the whole document is. The result always equals [`lint_state`] on the
/// edited document.
pub fn relint(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    prev: LintState,
    edit: &EditInfo,
) -> LintState {
    relint_scoped(doc, rules, settings, prev, edit)
        .unwrap_or_else(|| lint_state(doc, rules, settings))
}

/// What `lines` of `text` (a span that covers the inserted text) read
/// before the edit.
fn before_edit(text: &str, edit: &EditInfo, lines: Span) -> String {
    let inserted_end = edit.old.start + edit.inserted_len;
    format!(
        "{}{}{}",
        &text[lines.start..edit.old.start],
        edit.removed,
        &text[inserted_end..lines.end]
    )
}

/// Whether every heading the edit changed gives the sentences under it the
/// same signals as before ([`analysis::heading_groups`]).
fn headings_read_alike(rules: &RuleSet, text: &str, edit: &EditInfo) -> bool {
    let changes = &edit.summary.headings;
    if changes.is_empty() {
        return true;
    }
    // The text before the edit, for the old headings (only built when a
    // heading changed, which few keystrokes do).
    let old_text = before_edit(text, edit, Span::new(0, text.len()));
    let groups = |t: &str, s: Option<Span>| {
        s.map(|s| analysis::heading_groups(rules, t, s))
            .unwrap_or_default()
    };
    changes
        .iter()
        .all(|h| groups(&old_text, h.old) == groups(text, h.new))
}

fn relint_scoped(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    mut prev: LintState,
    edit: &EditInfo,
) -> Option<LintState> {
    let summary = edit.summary;
    let text = doc.text();
    let terms = doc.terms();
    let matcher = prev.matcher.clone()?;
    if summary.terms_changed
        || summary.facts_changed
        || settings.report_unused_suppressions
        || prev.counts.len() != terms.len() + WORDING.len()
    {
        return None;
    }
    let delta = edit.inserted_len as isize - edit.removed.len() as isize;
    let inserted = Span::new(edit.old.start, edit.old.start + edit.inserted_len);
    // Counts move by what the edited lines lost and gained. Uses of terms are
    // counted that way only away from definitions (whose own text does not count).
    let lines = whole_lines(text, inserted);
    let old_lines = before_edit(text, edit, lines);
    let mut counts = prev.counts.clone();
    let (before, after) = (wording_counts(&old_lines), wording_counts(lines.text(text)));
    for k in 0..WORDING.len() {
        let c = &mut counts[terms.len() + k];
        *c = c.checked_sub(before[k])? + after[k];
    }
    let near_definition = terms
        .iter()
        .any(|t| t.definition_span.start <= lines.end && lines.start <= t.definition_span.end);
    if summary.definitions_changed || near_definition {
        let all = matcher.find(text, Span::new(0, text.len()));
        counts[..terms.len()].copy_from_slice(&analysis::use_counts(terms, &all));
    } else {
        for (id, _) in matcher.find(&old_lines, Span::new(0, old_lines.len())) {
            counts[id] = counts[id].checked_sub(1)?;
        }
        for (id, _) in matcher.find(text, lines) {
            counts[id] += 1;
        }
    }
    let used: Vec<bool> = counts[..terms.len()].iter().map(|&n| n > 0).collect();
    let was_used = prev.counts[..terms.len()].iter().map(|&n| n > 0);
    let facts = wording_facts(doc, &counts);
    if facts != prev.facts || !used.iter().copied().eq(was_used) {
        return None;
    }
    let labels = def_labels(doc);
    if labels != prev.def_labels {
        return None;
    }
    // Words replacements were checked against: still there, or still not?
    for (word, had) in &prev.words {
        let pattern = format!(" {word} ");
        if (old_lines.contains(&pattern) || lines.text(text).contains(&pattern))
            && memchr::memmem::find(text.as_bytes(), pattern.as_bytes()).is_some() != *had
        {
            return None;
        }
    }
    // Taint is read again only when a definition's text changed.
    let check_taint = summary.definitions_changed;
    let (known_taint, prev_taint) = if check_taint {
        (None, prev.taint)
    } else {
        (Some(prev.taint), Vec::new())
    };
    let known = analysis::Known {
        taint: known_taint,
        used,
        fragment_and_party: (facts.0, facts.1),
        says_agreement: facts.2,
        words: prev.words,
    };
    // Everything whose sentences may read differently: the rebuilt blocks and
    // those under clauses whose headings may have changed — unless those
    // headings give the same signals as before (a typo fixed in a title
    // need not re-lint the whole contract under it).
    let context = if headings_read_alike(rules, text, edit) {
        summary.clause_context
    } else {
        summary.context
    };
    let region = context::widen_for_lists(doc, summary.span.union(&context));
    let analysis = Analysis::scoped(doc, rules, settings, Some(&[region]), &matcher, Some(known));
    if check_taint && analysis.taint != prev_taint {
        return None;
    }
    // Keep the findings outside the rebuilt region, moved past the edit.
    // The reported findings share their suggestions with these: dropped
    // first, shifting a suggestion copies nothing.
    drop(std::mem::take(&mut prev.findings));
    let mut raw: Vec<Finding> = Vec::with_capacity(prev.raw.len());
    for mut f in prev.raw {
        if f.sentence.end <= edit.old.start {
        } else if f.sentence.start >= edit.old.end {
            shift_finding(&mut f, delta);
        } else {
            continue;
        }
        if f.sentence.overlaps(&region) || region.covers(&f.sentence) {
            continue;
        }
        // A definition it points to may have moved or changed length.
        for r in &mut f.related {
            let start = r.span.shifted_after(edit.old.end, delta).start;
            r.span = terms
                .iter()
                .find(|t| t.term == r.term && t.definition_span.start == start)?
                .definition_span;
        }
        // Numbering elsewhere may have changed the clause's label.
        if !f.code.starts_with('S') {
            let label = doc.clause_label_str_at(f.sentence.start);
            if f.clause.as_deref() != label {
                f.clause = label.map(str::to_string);
            }
        }
        raw.push(f);
    }
    let mut fresh = Vec::new();
    for b in analysis.candidate_blocks() {
        lint_block(doc, rules, settings, &analysis, b, &mut fresh);
    }
    raw.extend(fresh);
    raw.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(&b.code)));
    // Carve-outs: those outside the region moved, those inside read again.
    let mut carve_outs: Vec<grade::CarveOut> = Vec::with_capacity(prev.carve_outs.len());
    for mut c in prev.carve_outs {
        if c.sentence.start <= edit.old.end && edit.old.start <= c.sentence.end {
            continue;
        }
        c.shift(edit.old.end, delta);
        if c.sentence.overlaps(&region) || region.covers(&c.sentence) {
            continue;
        }
        carve_outs.push(c);
    }
    carve_outs.extend(grade::collect_carve_outs(doc, &analysis, Some(region)));
    carve_outs.sort_by_key(|c| c.sentence.start);
    for c in &mut carve_outs {
        c.refresh(doc);
    }
    let findings = finish(doc, settings, raw.clone(), &carve_outs);
    Some(LintState {
        findings,
        raw,
        carve_outs,
        facts,
        counts,
        words: analysis.words(),
        taint: analysis.taint,
        def_labels: labels,
        matcher: Some(matcher),
    })
}

/// Moves a finding that lies after an edit (its related definitions are
/// looked up again).
fn shift_finding(f: &mut Finding, delta: isize) {
    f.span = f.span.shifted(delta);
    f.sentence = f.sentence.shifted(delta);
    // Unique once the previous findings are dropped: no copy.
    for s in std::sync::Arc::make_mut(&mut f.suggestions) {
        s.span = s.span.shifted(delta);
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
    if block.kind.is_quoted_material()
        || (block.is_heading() && !context::heading_reads_as_paragraph(doc, b))
    {
        return;
    }
    let unit = block.body.unwrap_or(block.span);
    let lead_in = context::lead_in(doc, b);
    let mut carry: Option<context::Carry> = None;
    for sentence in doc.sentences(unit) {
        if !context::worth_reading(analysis, &carry, sentence) {
            continue;
        }
        let mut signals = analysis.signals(doc, rules, b, sentence);
        match &carry {
            Some(c) if c.apply(&mut signals) => {}
            _ => carry = context::Carry::from(&signals).or(carry),
        }
        if let Some(lead) = lead_in {
            context::apply_lead_in(doc, rules, lead, &mut signals);
        } else if context::bare_item(doc, b, sentence) {
            signals.inherit(rules.lexicon.id("use_restriction"), sentence);
        }
        out.extend(evaluate(
            doc, rules, settings, analysis, &signals, b, sentence,
        ));
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
) -> Vec<Finding> {
    if !signals.nexus_candidate() {
        return Vec::new();
    }
    if signals.suppressed_globally().is_some() {
        return Vec::new();
    }
    if let Some(term) = signals.defined_here() {
        // A definition only matters once the term is used; a fragment (a
        // clause-library entry) is judged on its own.
        if !(analysis.term_used_operatively(term) || analysis.is_fragment()) {
            return Vec::new();
        }
    }
    let text = doc.text();
    let lang = match lang_of(sentence.text(text)) {
        Lang::Zh => Lang::Zh,
        Lang::En if sentence.text(text).chars().any(|c| c.is_ascii_alphabetic()) => Lang::En,
        _ => settings.default_lang.unwrap_or(Lang::En),
    };
    // Every rule that matches (its first matching alternative).
    let mut found: Vec<(i32, Finding)> = Vec::new();
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
        // The generic finding only when no type fits: not even built otherwise.
        if rule.code() == overlap::GENERIC && !found.is_empty() {
            continue;
        }
        let Some((detect, matched)) = rule
            .detect
            .iter()
            .find_map(|d| signals.satisfies(d).map(|m| (d, m)))
        else {
            continue;
        };
        let finding = grade::build_finding(
            doc, rules, settings, analysis, signals, rule, detect, &matched, block, sentence, lang,
        );
        match finding {
            Some(f) => found.push((rule.file.priority, f)),
            // Graded away (own-law wording): nothing on this sentence.
            None if found.is_empty() => return Vec::new(),
            None => {}
        }
    }
    overlap::resolve(rules, lang, found)
        .into_iter()
        .map(|f| localise::in_script_of(sentence.text(text), f))
        .collect()
}

/// Whether a block is the kind the engine reads for operative wording.
pub fn is_operative(kind: BlockKind) -> bool {
    !matches!(
        kind,
        BlockKind::Quote | BlockKind::Code | BlockKind::PartHeading | BlockKind::Subheading
    )
}
