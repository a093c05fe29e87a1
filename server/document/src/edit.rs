//! Editing a document: the text is changed, the piece the edit falls in
//! re-parsed incrementally, and the blocks of the sections it touched
//! rebuilt, with a summary of what changed for the engine's re-lint.

use std::fmt;

use serde::Serialize;
use tree_sitter::{InputEdit, Point};

use super::pieces::{
    EDIT_PIECE_BYTES, Piece, collect_in_piece, padded, parse_pieces, parse_text, piece_cuts,
    spans_blank_lines, with_parser,
};
use super::{
    Block, ClauseId, Document, Jurisdiction, Lang, Party, blocks, clauses, parties, terms,
};
use comity_text::Span;

/// An edit that cannot be applied to the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The range reaches past the end of the text.
    OutOfRange { span: Span, len: usize },
    /// An end of the range falls inside a multi-byte character.
    NotCharBoundary { offset: usize },
    /// The start of the range is after its end.
    Reversed { span: Span },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::OutOfRange { span, len } => {
                write!(
                    f,
                    "edit range {}..{} reaches past the end of the text ({len} bytes)",
                    span.start, span.end
                )
            }
            EditError::NotCharBoundary { offset } => {
                write!(f, "edit offset {offset} is inside a character")
            }
            EditError::Reversed { span } => write!(
                f,
                "edit range {}..{} starts after it ends",
                span.start, span.end
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// A clause heading an edit may have changed (see [`EditSummary::headings`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadingChange {
    /// The heading before the edit, in the text before the edit.
    pub old: Option<Span>,
    /// The heading now.
    pub new: Option<Span>,
}

/// What an edit changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditSummary {
    /// Indices (in the edited document) of the blocks that were rebuilt.
    pub blocks: std::ops::Range<usize>,
    /// The clauses that contain a rebuilt block, innermost first per block.
    pub clauses: Vec<ClauseId>,
    /// The region of the new text whose blocks were rebuilt.
    pub span: Span,
    /// The region whose blocks may sit under different clauses or headings
    /// than before (it covers `span`).
    pub context: Span,
    /// The part of `context` whose blocks may sit under different clauses
    /// (it covers `span`). The rest of `context` is there only because of
    /// `headings`: a reader to whom those headings read alike before and
    /// after the edit need only look at this part.
    pub clause_context: Span,
    /// Headings that changed (their text, or their neighbouring characters)
    /// of clauses whose descendants lie in `context` beyond `clause_context`.
    pub headings: Vec<HeadingChange>,
    /// Whether the defined terms (their names, forms or order) changed.
    pub terms_changed: bool,
    /// Whether the defined terms or any definition's text changed.
    pub definitions_changed: bool,
    /// Whether the parties, governing law or languages changed.
    pub facts_changed: bool,
}

/// The row and byte column of `offset`, as tree-sitter counts them (rows end at `\n`).
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = memchr::memchr_iter(b'\n', before).count();
    let col = offset - memchr::memrchr(b'\n', before).map(|i| i + 1).unwrap_or(0);
    Point { row, column: col }
}

fn advance_point(start: Point, inserted: &str) -> Point {
    let rows = memchr::memchr_iter(b'\n', inserted.as_bytes()).count();
    if rows == 0 {
        Point {
            row: start.row,
            column: start.column + inserted.len(),
        }
    } else {
        let col = inserted.len() - memchr::memrchr(b'\n', inserted.as_bytes()).unwrap() - 1;
        Point {
            row: start.row + rows,
            column: col,
        }
    }
}

impl Document {
    /// Replaces `span` (byte offsets into the current text) with `new_text`,
    /// re-parses incrementally and rebuilds the blocks of the sections the
    /// edit touched.
    pub fn edit(&mut self, span: Span, new_text: &str) -> Result<EditSummary, EditError> {
        let len = self.text.len();
        if span.start > span.end {
            return Err(EditError::Reversed { span });
        }
        if span.end > len {
            return Err(EditError::OutOfRange { span, len });
        }
        for offset in [span.start, span.end] {
            if !self.text.is_char_boundary(offset) {
                return Err(EditError::NotCharBoundary { offset });
            }
        }
        if self.pieces.is_empty() {
            let cuts = piece_cuts(&self.text, EDIT_PIECE_BYTES);
            self.pieces = parse_pieces(&self.text, &cuts, true).1;
        }
        // What the parties were read from, to tell whether they must be read again.
        let party_sources = parties::party_sources(&self.blocks, &self.terms, &self.text);
        let new_end = span.start + new_text.len();
        let delta = new_end as isize - span.end as isize;
        // The pieces the edit falls in: it must leave the blank line that
        // ends a piece alone, and make or break no construct that spans
        // blank lines; otherwise pieces are joined.
        let k = self.pieces.partition_point(|p| p.start <= span.start) - 1;
        let mut j = k;
        while j + 1 < self.pieces.len() && span.end + 2 > self.pieces[j + 1].start {
            j += 1;
        }
        let old_window = padded(&self.text, span, 3);
        if self.pieces.len() > 1 && spans_blank_lines(old_window) {
            j = self.pieces.len() - 1;
        }
        let start = self.pieces[k].start;
        let old_len = self.text.len();
        let start_position = point_at(&self.text[start..], span.start - start);
        let old_end_position = point_at(&self.text[start..], span.end - start);
        self.text.replace_range(span.start..span.end, new_text);
        if self.pieces.len() > 1
            && spans_blank_lines(padded(&self.text, Span::new(span.start, new_end), 3))
        {
            j = self.pieces.len() - 1;
        }
        let old_piece_end = self.pieces.get(j + 1).map_or(old_len, |p| p.start);
        for p in &mut self.pieces[j + 1..] {
            p.start = (p.start as isize + delta) as usize;
        }
        let piece_end = (old_piece_end as isize + delta) as usize;
        let mut dirty = Span::new(span.start, new_end);
        if k == j {
            let input_edit = InputEdit {
                start_byte: span.start - start,
                old_end_byte: span.end - start,
                new_end_byte: new_end - start,
                start_position,
                old_end_position,
                new_end_position: advance_point(start_position, new_text),
            };
            let old_tree = &mut self.pieces[k].tree;
            old_tree.edit(&input_edit);
            let new_tree =
                with_parser(|p| parse_text(p, &self.text[start..piece_end], Some(old_tree)));
            for r in old_tree.changed_ranges(&new_tree) {
                dirty = dirty.union(&Span::new(start + r.start_byte, start + r.end_byte));
            }
            self.pieces[k].tree = new_tree;
        } else {
            let tree = with_parser(|p| parse_text(p, &self.text[start..piece_end], None));
            self.pieces.splice(k..=j, [Piece { start, tree }]);
            dirty = dirty.union(&Span::new(start, piece_end));
        }
        let old_blocks = self.blocks.len();
        let (rebuilt, region) = self.rebuild_blocks(span, delta, dirty, k);
        let block_delta = self.blocks.len() as isize - old_blocks as isize;
        let old_facts = self.facts_key();
        let old_term_texts = std::mem::take(&mut self.terms);
        let old_parties = std::mem::take(&mut self.parties);
        let rebuilt_clauses = clauses::rebuild(
            &mut self.clauses,
            &mut self.block_clause,
            &self.blocks,
            &self.text,
            rebuilt.clone(),
            block_delta,
            delta,
        );
        self.terms = terms::build(&self.blocks, &self.clauses, &self.block_clause, &self.text);
        let terms_changed = old_term_texts.len() != self.terms.len()
            || old_term_texts
                .iter()
                .zip(&self.terms)
                .any(|(a, b)| a.term != b.term || a.form != b.form);
        // Parties are read again unless the edit lies past the label blocks
        // and away from every inline definition, and those read the same.
        let now = parties::party_sources(&self.blocks, &self.terms, &self.text);
        let parties_stale = terms_changed
            || party_sources.labels_end >= region.start.min(span.start)
            || party_sources
                .inline
                .iter()
                .any(|[w, _, _]| w.start <= span.end && span.start <= w.end)
            || party_sources.inline.len() != now.inline.len()
            || party_sources
                .inline
                .iter()
                .zip(&now.inline)
                .any(|(old, new)| old.map(|s| s.shifted_after(span.end, delta)) != *new);
        if parties_stale {
            self.parties = parties::find_parties(&self.blocks, &self.terms, &self.text);
        } else {
            self.parties = old_parties;
            for p in &mut self.parties {
                p.shift(span.end, delta);
            }
        }
        self.rebuild_other_facts();
        let definitions_changed = terms_changed
            || old_term_texts
                .iter()
                .zip(&self.terms)
                .any(|(a, b)| a.definition_span.len() != b.definition_span.len())
            || self
                .terms
                .iter()
                .any(|t| t.definition_span.overlaps(&region));
        let facts_changed = old_facts != self.facts_key();
        // The clauses open where the new clause tree met the old one whose
        // heading may read differently: their descendants after that point
        // kept their clauses but may sit under another heading.
        let headings: Vec<HeadingChange> = rebuilt_clauses
            .open
            .iter()
            .filter_map(|&(old, id)| {
                let new = self.clauses[id].heading_span;
                // Untouched: apart from the edit by a character at least
                // (which the lexicon's word boundaries look at), and moved
                // with the text around it.
                let untouched = match (old, new) {
                    (None, None) => true,
                    (Some(o), Some(n)) if o.end < span.start => n == o,
                    (Some(o), Some(n)) if o.start > span.end => {
                        n == Span::new(
                            (o.start as isize + delta) as usize,
                            (o.end as isize + delta) as usize,
                        )
                    }
                    _ => false,
                };
                (!untouched).then_some(HeadingChange { old, new })
            })
            .collect();
        let blocks_span = |blocks: &std::ops::Range<usize>| match (
            self.blocks.get(blocks.start),
            blocks.end.checked_sub(1).and_then(|e| self.blocks.get(e)),
        ) {
            (Some(first), Some(last)) if !blocks.is_empty() => {
                region.union(&Span::new(first.span.start, last.span.end))
            }
            _ => region,
        };
        let clause_context = blocks_span(&rebuilt_clauses.built);
        let context = if headings.is_empty() {
            clause_context
        } else {
            blocks_span(&rebuilt_clauses.context)
        };
        let mut clauses = Vec::new();
        for b in rebuilt.clone() {
            if let Some(c) = self.block_clause[b]
                && !clauses.contains(&c)
            {
                clauses.push(c);
            }
        }
        Ok(EditSummary {
            blocks: rebuilt,
            clauses,
            span: region,
            context,
            clause_context,
            headings,
            terms_changed,
            definitions_changed,
            facts_changed,
        })
    }

    /// Replaces the blocks around an edit with those of the re-parsed units.
    /// Returns the range of new block indices and the text region they cover.
    fn rebuild_blocks(
        &mut self,
        edit: Span,
        delta: isize,
        dirty: Span,
        piece: usize,
    ) -> (std::ops::Range<usize>, Span) {
        // The units of the piece's new tree that overlap the dirty region
        // (the tree's offsets are relative to the piece).
        let (start, end) = (self.pieces[piece].start, self.piece_end(piece));
        let part = &self.text[start..end];
        let root = self.pieces[piece].tree.root_node();
        let mut units = Vec::new();
        // (The tree ends with a virtual newline past the piece.)
        let dirty = Span::new(dirty.start.clamp(start, end), dirty.end.clamp(start, end));
        collect_units(root, dirty.shifted(-(start as isize)), &mut units);
        let region = match (units.first(), units.last()) {
            (Some(first), Some(last)) => Span::new(
                start + first.start_byte(),
                start + last.end_byte().min(part.len()),
            ),
            _ => dirty,
        };
        let region = region.union(&dirty);
        let mut fresh = Vec::new();
        for u in &units {
            collect_in_piece(*u, part, start, &mut fresh);
        }
        // The old blocks fall into three runs: kept before the region
        // (untouched by the edit), dropped (touched by the edit, or starting
        // inside the region, whose units were re-read), and kept after it
        // (shifted by the edit). The fresh blocks replace the middle run.
        #[derive(PartialEq)]
        enum Run {
            Before,
            Dropped,
            After,
        }
        let in_region = |start: usize| region.start <= start && start < region.end;
        let run = |b: &Block| {
            if b.span.end <= edit.start {
                if in_region(b.span.start) {
                    Run::Dropped
                } else {
                    Run::Before
                }
            } else if b.span.start >= edit.end {
                let start = (b.span.start as isize + delta) as usize;
                if in_region(start) {
                    Run::Dropped
                } else if start < region.start {
                    Run::Before
                } else {
                    Run::After
                }
            } else {
                Run::Dropped
            }
        };
        let start = self.blocks.partition_point(|b| run(b) == Run::Before);
        let end = start + self.blocks[start..].partition_point(|b| run(b) != Run::After);
        let fresh_len = fresh.len();
        self.blocks.splice(start..end, fresh);
        for b in &mut self.blocks[start + fresh_len..] {
            b.shift(delta);
        }
        let end = start + fresh_len;
        // The region is a union of whole units, so the blocks fit together; if
        // they ever do not, read the whole tree again rather than be wrong.
        let consistent = self
            .blocks
            .windows(2)
            .all(|w| w[0].span.end <= w[1].span.start);
        if !consistent {
            let mut all = Vec::new();
            for (k, p) in self.pieces.iter().enumerate() {
                let part = &self.text[p.start..self.piece_end(k)];
                collect_in_piece(p.tree.root_node(), part, p.start, &mut all);
            }
            self.blocks = all;
            return (0..self.blocks.len(), Span::new(0, self.text.len()));
        }
        (start..end, region)
    }
}

/// The document facts findings depend on, without their positions (which
/// move with every edit before them).
#[derive(PartialEq)]
struct FactsKey {
    parties: Vec<Party>,
    governing_law: Option<(Jurisdiction, String)>,
    languages: Vec<Lang>,
}

impl Document {
    fn facts_key(&self) -> FactsKey {
        let parties = self
            .parties
            .iter()
            .map(|p| {
                let mut p = p.clone();
                p.name_span = Span::default();
                p.role_span = p.role_span.map(|_| Span::default());
                for h in &mut p.hints {
                    h.span = Span::default();
                }
                p
            })
            .collect();
        FactsKey {
            parties,
            governing_law: self
                .governing_law
                .as_ref()
                .map(|g| (g.jurisdiction.clone(), g.name.clone())),
            languages: self.languages.clone(),
        }
    }
}

/// Collects the units (sections, and blocks directly in the document or a
/// part) that overlap `span`, in order.
fn collect_units<'t>(
    node: tree_sitter::Node<'t>,
    span: Span,
    out: &mut Vec<tree_sitter::Node<'t>>,
) {
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        let cs = Span::new(child.start_byte(), child.end_byte());
        let touches = cs.start <= span.end && span.start <= cs.end;
        if !touches {
            continue;
        }
        if blocks::is_unit_container(child) {
            collect_units(child, span, out);
        } else if child.is_named() || child.is_error() {
            out.push(child);
        }
    }
}
