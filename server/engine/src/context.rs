//! What a sentence takes from the sentences around it: a US measure named
//! in an earlier sentence of the same paragraph and referred back to ("…is
//! subject to U.S. export control laws. Licensee shall comply strictly with
//! all such laws"), and the operative words of a list's lead-in ("You
//! represent that neither you nor any of your users: 1. is a Sanctioned
//! Party; …") for each bare item of the list.

use super::Analysis;
use super::analysis::Signals;
use comity_document::{BlockKind, Document};
use comity_rules::{GroupId, RuleSet};
use comity_text::Span;

/// Groups of a lead-in that carry to the items of its list.
const LEAD_IN_GROUPS: &[&str] = &[
    "represent",
    "obligation",
    "prohibition",
    "impersonal_bar",
    "use_restriction",
    "not_deal",
    "adverse_action",
    "status_statement",
];

/// The US measure named earlier in a paragraph, for later sentences.
#[derive(Debug, Clone)]
pub struct Carry {
    pub regime: String,
}

impl Carry {
    /// What `signals` (a sentence with a US measure) carries forward.
    pub fn from(signals: &Signals) -> Option<Carry> {
        signals.span_of(signals.ids.us_nexus)?;
        // The identity of the measure carries even from a sentence that
        // binds no one (a negation, a recital): "such laws" still means it.
        // Not from one whose measure is another jurisdiction's, or from news
        // or commentary.
        let why = signals.suppressed_globally().unwrap_or("");
        if why.contains("jurisdiction other than the US")
            || why.contains("news")
            || why.contains("commentary")
            || why.contains("UN Security Council")
            || why.contains("legend")
        {
            return None;
        }
        Some(Carry {
            regime: signals.regime.clone().unwrap_or_default(),
        })
    }

    /// Gives `signals` (a later sentence with no US measure of its own) the
    /// measure, when it refers back to it ("such laws", 该等法律) or speaks
    /// of exports or sanctions again without naming whose.
    pub fn apply(&self, signals: &mut Signals) -> bool {
        let ids = signals.ids.clone();
        if signals.has(ids.us_nexus) || signals.has(ids.non_us_regime) {
            return false;
        }
        let Some(at) = [ids.back_ref, ids.control_word, ids.end_use]
            .iter()
            .filter_map(|&g| signals.span_of(g))
            .min_by_key(|s| s.start)
        else {
            return false;
        };
        signals.inherit(ids.us_nexus, at);
        signals.regime.get_or_insert_with(|| self.regime.clone());
        true
    }
}

/// The lead-in of list item block `b`: going back over the items before
/// it, the first block that is not an item, if its text ends with a colon.
pub fn lead_in(doc: &Document, b: usize) -> Option<usize> {
    let blocks = doc.blocks();
    let is_item = |k: BlockKind| matches!(k, BlockKind::ListItem | BlockKind::Clause);
    if !is_item(blocks[b].kind) {
        return None;
    }
    let text = doc.text();
    let ends_with_colon = |i: usize| {
        let t = blocks[i].span.text(text).trim_end();
        t.ends_with(':') || t.ends_with('：') || t.ends_with(":-") || t.ends_with('—')
    };
    for i in (b.saturating_sub(40)..b).rev() {
        if ends_with_colon(i) {
            return Some(i);
        }
        if !is_item(blocks[i].kind) {
            return None;
        }
    }
    None
}

/// Marks on `signals` the operative groups of the lead-in block `lead`.
pub fn apply_lead_in(doc: &Document, rules: &RuleSet, lead: usize, signals: &mut Signals) {
    let block = &doc.blocks()[lead];
    let span = block.body.unwrap_or(block.span);
    // Only the lead-in's last sentence introduces the list.
    let Some(&last) = doc.sentences(span).last() else {
        return;
    };
    let mut hits = Vec::new();
    rules.lexicon.scan_context(doc.text(), last, &mut hits);
    let wanted: Vec<GroupId> = LEAD_IN_GROUPS
        .iter()
        .filter_map(|g| rules.lexicon.group(g))
        .collect();
    // An item with operative words of its own is read as written.
    if wanted.iter().any(|&g| signals.has(g)) {
        return;
    }
    for h in hits {
        if wanted.contains(&h.group) {
            signals.inherit(h.group, h.span);
        }
    }
}

/// Whether a sentence without trigger words should still be read: a US
/// measure was named earlier in its paragraph.
pub fn worth_reading(analysis: &Analysis, carry: &Option<Carry>, sentence: Span) -> bool {
    carry.is_some() || analysis.has_trigger_in(sentence)
}

/// `region` widened to the blocks that may take a lead-in from it (a list's
/// items read their lead-in's words, so an edit there re-lints them).
pub fn widen_for_lists(doc: &Document, region: Span) -> Span {
    let blocks = doc.blocks();
    let last = blocks.partition_point(|b| b.span.start < region.end);
    match blocks.get((last + 40).min(blocks.len()).saturating_sub(1)) {
        Some(b) if b.span.end > region.end => Span::new(region.start, b.span.end),
        _ => region,
    }
}

/// Whether a block read as a heading is in fact a paragraph written in
/// capitals (a documentary-credit notice, a legend): several sentences, or
/// one long one ending with a full stop.
pub fn heading_reads_as_paragraph(doc: &Document, b: usize) -> bool {
    let block = &doc.blocks()[b];
    let t = block.span.text(doc.text()).trim();
    t.split_whitespace().count() >= 25 && (t.ends_with('.') || t.ends_with('。'))
}

/// Whether `sentence` of block `b` is a bare item of an enumeration of acts:
/// an item (`(d)`, `（四）`) that opens with a verb in the lower case, or is
/// Chinese, and ends with a semicolon or "; or": "(d) transact with any
/// person on the SDN List;". Such an item is one of a list of prohibited
/// (or required) uses even where its lead-in is not in the text.
pub fn bare_item(doc: &Document, b: usize, sentence: Span) -> bool {
    let block = &doc.blocks()[b];
    if !matches!(block.kind, BlockKind::ListItem | BlockKind::Clause) {
        return false;
    }
    let text = sentence.text(doc.text()).trim();
    // The item's own marker, when the sentence starts with it.
    let rest = match text.chars().next() {
        Some('(') => text.find(')').map_or(text, |i| &text[i + 1..]),
        Some('（') => text
            .find('）')
            .map_or(text, |i| &text[i + '）'.len_utf8()..]),
        _ => text,
    }
    .trim_start();
    let opens = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || comity_text::is_cjk(c));
    let ends = [";", "；", "; or", "; and", ", or", "；或"]
        .iter()
        .any(|e| text.ends_with(e));
    opens && ends
}
