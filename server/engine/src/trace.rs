//! `comity trace`: for each sentence, what each facet found, which rule
//! matched or why none did, and what downgraded or removed the finding.
//!
//! The trace re-runs the engine's own steps ([`Analysis::signals`],
//! [`Signals::suppressed_globally`], [`Signals::satisfies`]) sentence by
//! sentence; it decides nothing itself.

use serde::Serialize;

use super::{Analysis, Settings, lint};
use comity_document::Document;
use comity_finding::Severity;
use comity_rules::RuleSet;
use comity_text::Span;

/// What one sentence looked like to the engine.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceTrace {
    pub span: Span,
    pub text: String,
    /// Facets and signal groups found in the sentence: `(group, words)`.
    pub found: Vec<(String, String)>,
    /// Groups found in the headings above the sentence.
    pub headings: Vec<String>,
    /// What the sentence took from its context (a measure named earlier,
    /// a list's lead-in).
    pub context: Vec<String>,
    /// Why the sentence was not read further, or was set aside.
    pub skipped: Option<String>,
    /// The first rule (by priority) that matched and its alternative (1-based).
    pub matched: Option<(String, usize)>,
    /// Every other rule that matched too (all are reported unless two cover
    /// the same words).
    pub also: Vec<String>,
    /// When no rule matched: the nearest miss, `(rule, alternative, what was missing)`.
    pub nearest: Option<(String, usize, Vec<String>)>,
    /// The findings reported on the sentence, after carve-outs and suppressions.
    pub findings: Vec<TracedFinding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TracedFinding {
    pub code: String,
    pub severity: Severity,
    pub reasons: Vec<String>,
}

/// Traces every sentence of the operative blocks of `doc`.
pub fn trace(doc: &Document, rules: &RuleSet, settings: &Settings) -> Vec<SentenceTrace> {
    let findings = lint(doc, rules, settings);
    let analysis = Analysis::new(doc, rules, settings);
    let text = doc.text();
    let candidates: std::collections::HashSet<usize> = analysis.candidate_blocks().collect();
    let mut out = Vec::new();
    for (b, block) in doc.blocks().iter().enumerate() {
        let unit = block.body.unwrap_or(block.span);
        // The same context steps as `lint_block`.
        let lead_in = super::context::lead_in(doc, b);
        let mut carry: Option<super::context::Carry> = None;
        for sentence in doc.sentences(unit) {
            let mut t = SentenceTrace {
                span: sentence,
                text: sentence.text(text).to_string(),
                found: Vec::new(),
                headings: Vec::new(),
                context: Vec::new(),
                skipped: None,
                matched: None,
                also: Vec::new(),
                nearest: None,
                findings: findings
                    .iter()
                    .filter(|f| f.sentence == sentence)
                    .map(|f| TracedFinding {
                        code: f.code.clone(),
                        severity: f.severity,
                        reasons: f.reasons.clone(),
                    })
                    .collect(),
            };
            if block.kind.is_quoted_material()
                || (block.is_heading() && !super::context::heading_reads_as_paragraph(doc, b))
            {
                t.skipped =
                    Some("quoted material or a heading: not read as contract wording".into());
                out.push(t);
                continue;
            }
            if !candidates.contains(&b)
                || !super::context::worth_reading(&analysis, &carry, sentence)
            {
                t.skipped = Some(
                    "no trigger word, tainted defined term or unresolved sanctions term in the sentence"
                        .into(),
                );
                out.push(t);
                continue;
            }
            let mut signals = analysis.signals(doc, rules, b, sentence);
            match &carry {
                Some(c) if c.apply(&mut signals) => {
                    t.context
                        .push("takes the US measure named earlier in its paragraph".into());
                }
                _ => carry = super::context::Carry::from(&signals).or(carry),
            }
            if let Some(lead) = lead_in {
                super::context::apply_lead_in(doc, rules, lead, &mut signals);
                t.context.push("reads its list's lead-in".into());
            } else if super::context::bare_item(doc, b, sentence) {
                signals.inherit(rules.lexicon.id("use_restriction"), sentence);
                t.context.push("a bare item of a list of uses".into());
            }
            for (g, s) in signals.present() {
                t.found
                    .push((rules.lexicon.name(g).to_string(), s.text(text).to_string()));
            }
            t.headings = (0..rules.lexicon.group_count())
                .filter(|&g| signals.in_heading(g))
                .map(|g| rules.lexicon.name(g).to_string())
                .collect();
            if !signals.nexus_candidate() {
                t.skipped = Some("no reference to a US measure (facet a) in the sentence".into());
            } else if let Some(why) = signals.suppressed_globally() {
                t.skipped = Some(format!("excluded: {why}"));
            } else if let Some(term) = signals.defined_here()
                && !(analysis.term_used_operatively(term) || analysis.is_fragment())
            {
                t.skipped = Some(format!(
                    "defines “{}”, which is not used elsewhere",
                    doc.terms()[term].term
                ));
            }
            if t.skipped.is_none() {
                match_rules(rules, settings, &signals, &mut t);
            }
            out.push(t);
        }
    }
    out
}

fn match_rules(
    rules: &RuleSet,
    settings: &Settings,
    signals: &super::Signals,
    t: &mut SentenceTrace,
) {
    let name = |g: usize| rules.lexicon.name(g).to_string();
    let mut best: Option<(usize, String, usize, Vec<String>)> = None;
    for rule in &rules.rules {
        if !settings.rules.is_enabled(rule.code()) {
            continue;
        }
        for (i, d) in rule.detect.iter().enumerate() {
            if signals.satisfies(d).is_some() {
                if t.matched.is_none() {
                    t.matched = Some((rule.code().to_string(), i + 1));
                } else if rule.code() != super::overlap::GENERIC {
                    // The generic finding speaks only when no type fits.
                    t.also.push(rule.code().to_string());
                }
                break;
            }
            let mut missing: Vec<String> = d
                .all
                .iter()
                .filter(|alts| !alts.iter().any(|&g| signals.has(g)))
                .map(|alts| alts.iter().map(|&g| name(g)).collect::<Vec<_>>().join("|"))
                .collect();
            missing.extend(
                d.none
                    .iter()
                    .filter(|&&g| signals.has(g))
                    .map(|&g| format!("not {}", name(g))),
            );
            if !d.heading.is_empty()
                && !d
                    .heading
                    .iter()
                    .any(|&g| signals.in_heading(g) || signals.has(g))
            {
                missing.push(format!(
                    "heading {}",
                    d.heading
                        .iter()
                        .map(|&g| name(g))
                        .collect::<Vec<_>>()
                        .join("|")
                ));
            }
            let score = d.all.len() + 1 - missing.len().min(d.all.len() + 1);
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, rule.code().to_string(), i + 1, missing));
            }
        }
    }
    if t.matched.is_none() {
        t.nearest = best.map(|(_, code, alt, missing)| (code, alt, missing));
    }
}

/// The trace as text, one paragraph per sentence.
pub fn render(traces: &[SentenceTrace]) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for t in traces {
        let excerpt = excerpt(&t.text, 100);
        let _ = writeln!(s, "[{}..{}] {excerpt}", t.span.start, t.span.end);
        if !t.found.is_empty() {
            let found: Vec<String> = t.found.iter().map(|(g, w)| format!("{g}=“{w}”")).collect();
            let _ = writeln!(s, "  found: {}", found.join(", "));
        }
        if !t.headings.is_empty() {
            let _ = writeln!(s, "  headings: {}", t.headings.join(", "));
        }
        if !t.context.is_empty() {
            let _ = writeln!(s, "  context: {}", t.context.join("; "));
        }
        if let Some(why) = &t.skipped {
            let _ = writeln!(s, "  not flagged: {why}");
        }
        if let Some((code, alt)) = &t.matched {
            let _ = writeln!(s, "  rule: {code} (alternative {alt})");
        }
        if !t.also.is_empty() {
            let _ = writeln!(s, "  also matched: {}", t.also.join(", "));
        }
        if let Some((code, alt, missing)) = &t.nearest {
            let _ = writeln!(
                s,
                "  no rule matched; nearest {code} (alternative {alt}) lacks {}",
                missing.join(", ")
            );
        }
        for f in &t.findings {
            let _ = writeln!(s, "  finding: {} {}", f.code, f.severity.as_str());
            for r in &f.reasons {
                let _ = writeln!(s, "    because {r}");
            }
        }
        if t.matched.is_some() && t.findings.is_empty() {
            let _ = writeln!(
                s,
                "  not reported: dropped in grading (own-law wording), by a carve-out or by a suppression"
            );
        }
    }
    s
}

/// The first `max` characters of `text` on one line, with an ellipsis if cut.
fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat,
    }
}
