//! The document model: a contract draft parsed with the tree-sitter grammar
//! into blocks, a clause hierarchy, defined terms, parties, governing law and
//! languages, kept up to date under incremental edits.

mod blocks;
mod clauses;
mod elide;
use comity_text::lang;
mod numbering;
mod parties;
mod plain;
pub mod sentences;
mod terms;

use std::fmt;

use serde::Serialize;
use tree_sitter::{InputEdit, Parser, Point, Tree};

pub use blocks::{Block, BlockKind, DefinitionForm, DefinitionSite, Marker, MarkerToken};
pub use clauses::{Clause, ClauseId, ClauseKind};
use comity_text::Lang;
pub use comity_text::LangCounts;
pub use numbering::NumberStyle;
pub use parties::{GoverningLaw, HintKind, Jurisdiction, JurisdictionHint, Party};
pub use terms::{DefinedTerm, TermId, TermMatcher};

use comity_text::Span;

/// Compiles the document model's patterns ahead of use (on another thread,
/// while the rule set loads).
pub fn warm_up() {
    // In the order they are first needed: the parse, then the model.
    elide::warm_up();
    parties::warm_up();
}

/// A parsed contract draft.
///
/// The text is parsed followed by one virtual newline, so that the last line
/// ends like every other; no span ever reaches past the text.
pub struct Document {
    text: String,
    /// The syntax trees of the pieces of the text, in order (see [`Piece`]);
    /// empty for a document parsed with [`Document::parse_once`], until the
    /// first edit parses it.
    pieces: Vec<Piece>,
    blocks: Vec<Block>,
    /// For each block, the innermost clause it belongs to.
    block_clause: Vec<Option<ClauseId>>,
    clauses: Vec<Clause>,
    terms: Vec<DefinedTerm>,
    parties: Vec<Party>,
    governing_law: Option<GoverningLaw>,
    languages: Vec<Lang>,
    primary_lang: Lang,
}

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

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_contract::LANGUAGE.into())
        .expect("the contract grammar's ABI matches the tree-sitter runtime");
    parser
}

/// Runs `f` with this thread's parser for the contract grammar. A parser
/// costs about 30,000 instructions to make (a few per cent of parsing a
/// one-page draft once it is elided), and `comity check` parses one or more
/// pieces per file; a document does not keep one of its own for edits.
fn with_parser<R>(f: impl FnOnce(&mut Parser) -> R) -> R {
    thread_local! {
        static PARSER: std::cell::RefCell<Option<Parser>> = const { std::cell::RefCell::new(None) };
    }
    PARSER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => f(slot.get_or_insert_with(new_parser)),
        // Re-entered (a parse inside a parse cannot happen today): use a fresh one.
        Err(_) => f(&mut new_parser()),
    })
}

/// The syntax tree of one piece of the text: from `start` to the next
/// piece's start (or the end of the text), with node offsets relative to
/// `start`. Pieces are cut after blank lines, where the grammar starts
/// afresh, so the blocks read from the pieces are those of a whole parse,
/// and an edit re-parses only the piece it falls in.
struct Piece {
    start: usize,
    tree: Tree,
}

/// Texts longer than this are parsed in pieces by [`Document::parse_once`],
/// in parallel.
const PIECE_BYTES: usize = 256 << 10;

/// The pieces of a document that is edited: small, so that a keystroke
/// re-parses a few kilobytes. (An incremental parse of a whole long text
/// still walks the syntax nodes after the edit that it reuses.)
const EDIT_PIECE_BYTES: usize = 16 << 10;

/// Text that may open or close a construct spanning blank lines (a code
/// fence, an HTML comment): an edit that makes or breaks one joins the
/// pieces from there on.
const SPANS_BLANK_LINES: [&[u8]; 4] = [b"```", b"~~~", b"<!--", b"-->"];

fn spans_blank_lines(bytes: &[u8]) -> bool {
    SPANS_BLANK_LINES
        .iter()
        .any(|p| memchr::memmem::find(bytes, p).is_some())
}

/// `text[span]` with `pad` bytes either side, as bytes (the ends need not
/// fall on character boundaries).
fn padded(text: &str, span: Span, pad: usize) -> &[u8] {
    &text.as_bytes()[span.start.saturating_sub(pad)..(span.end + pad).min(text.len())]
}

/// Where to cut `text` into pieces of about `piece` bytes: after a blank
/// line (`\n\n`), where every block has ended and the grammar starts afresh.
/// Returns the cut offsets including 0 and the length. A text with a code
/// fence is not cut (a fenced block may hold blank lines), nor inside an
/// HTML comment.
fn piece_cuts(text: &str, piece: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    if text.len() > piece && !text.contains("```") && !text.contains("~~~") {
        let bytes = text.as_bytes();
        let mut from = piece;
        while from < text.len() {
            let Some(i) = memchr::memmem::find(&bytes[from..], b"\n\n") else {
                break;
            };
            let cut = from + i + 2;
            if cut >= text.len() {
                break;
            }
            let last = *cuts.last().expect("starts with 0");
            let in_comment = memchr::memmem::rfind(&bytes[last..cut], b"<!--")
                .is_some_and(|c| memchr::memmem::find(&bytes[last + c..cut], b"-->").is_none());
            if in_comment {
                from = cut;
                continue;
            }
            cuts.push(cut);
            from = cut + piece;
        }
    }
    cuts.push(text.len());
    cuts
}

fn parse_text(parser: &mut Parser, text: &str, old: Option<&Tree>) -> Tree {
    let bytes = text.as_bytes();
    let mut input = |offset: usize, _: Point| -> &[u8] {
        if offset < bytes.len() {
            &bytes[offset..]
        } else if offset == bytes.len() {
            b"\n"
        } else {
            b""
        }
    };
    parser
        .parse_with_options(&mut input, old, None)
        .expect("parsing without a timeout or cancellation always yields a tree")
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

/// Appends the blocks under `node`, a node of the tree of a piece of text
/// starting at `start` (`part` is the piece's text), with their spans made
/// offsets into the whole text.
fn collect_in_piece(node: tree_sitter::Node, part: &str, start: usize, out: &mut Vec<Block>) {
    let from = out.len();
    blocks::collect(node, part, out);
    if start > 0 {
        out[from..].iter_mut().for_each(|b| b.shift(start as isize));
    }
}

/// Two lists of blocks, each in document order, merged in document order.
///
/// A piece's blocks read without the parser and those read off its tree
/// are merged only into the document's one list of blocks. (Merging them
/// into a new list per piece freed a large list per piece, which raised
/// glibc's threshold for serving large allocations with their own mapping:
/// the later pieces' lists then sat in the heap, which does not shrink when
/// they are gathered, and the peak of a 100 MB run grew by 15 %.)
struct Merged {
    a: std::iter::Peekable<std::vec::IntoIter<Block>>,
    b: std::iter::Peekable<std::vec::IntoIter<Block>>,
}

impl Merged {
    fn new(a: Vec<Block>, b: Vec<Block>) -> Merged {
        Merged {
            a: a.into_iter().peekable(),
            b: b.into_iter().peekable(),
        }
    }
}

impl Iterator for Merged {
    type Item = Block;

    fn next(&mut self) -> Option<Block> {
        match (self.a.peek(), self.b.peek()) {
            (Some(x), Some(y)) if y.span.start < x.span.start => self.b.next(),
            (Some(_), _) => self.a.next(),
            (None, _) => self.b.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.a.len() + self.b.len();
        (len, Some(len))
    }
}

impl ExactSizeIterator for Merged {}

/// Parses `text` in pieces cut at `cuts` (see [`piece_cuts`]), in
/// parallel. Returns the blocks and, if `keep`, the pieces' trees. Pieces
/// whose trees are not kept are parsed with their plain text elided (see
/// [`elide`]).
fn parse_pieces(text: &str, cuts: &[usize], keep: bool) -> (Vec<Block>, Vec<Piece>) {
    use rayon::prelude::*;
    // Each piece: the blocks read without the parser, those read off its
    // tree (both in order), and its tree if kept.
    let parsed: Vec<(Vec<Block>, Vec<Block>, Option<Piece>)> = cuts
        .par_windows(2)
        .map(|w| {
            let (start, end) = (w[0], w[1]);
            let part = &text[start..end];
            let mut blocks = Vec::new();
            if !keep && let Some(mut short) = elide::Elided::of(part) {
                // (Nothing to parse when every group was read without the parser.)
                if short.text.bytes().any(|b| b != b'\n') {
                    let tree = with_parser(|p| parse_text(p, &short.text, None));
                    blocks::collect_with(tree.root_node(), &short.text, &mut blocks, false);
                    for b in &mut blocks {
                        short.restore(b, part);
                    }
                }
                let mut fast = std::mem::take(&mut short.fast);
                if start > 0 {
                    for b in fast.iter_mut().chain(blocks.iter_mut()) {
                        b.shift(start as isize);
                    }
                }
                return (fast, blocks, None);
            }
            let tree = with_parser(|p| parse_text(p, part, None));
            collect_in_piece(tree.root_node(), part, start, &mut blocks);
            (Vec::new(), blocks, keep.then_some(Piece { start, tree }))
        })
        .collect();
    if let [(fast, read, _)] = &parsed[..]
        && (fast.is_empty() || read.is_empty())
    {
        let (fast, read, piece) = parsed.into_iter().next().expect("one piece");
        let blocks = if fast.is_empty() { read } else { fast };
        return (blocks, piece.into_iter().collect());
    }
    // Sized exactly: the blocks are most of a long document's memory.
    let mut blocks = Vec::with_capacity(parsed.iter().map(|(f, r, _)| f.len() + r.len()).sum());
    let mut pieces = Vec::with_capacity(parsed.len());
    for (fast, read, piece) in parsed {
        blocks.extend(Merged::new(fast, read));
        pieces.extend(piece);
    }
    (blocks, pieces)
}

impl Document {
    /// Parses a draft. Any text parses; malformed structure becomes paragraphs.
    pub fn parse(text: impl Into<String>) -> Document {
        Document::parse_editable_in_pieces(text.into(), EDIT_PIECE_BYTES)
    }

    /// [`Document::parse`] with the whole text in one syntax tree (tests
    /// compare the pieces with it).
    #[doc(hidden)]
    pub fn parse_whole(text: impl Into<String>) -> Document {
        Document::parse_editable_in_pieces(text.into(), usize::MAX)
    }

    /// [`Document::parse`] with pieces of about `piece` bytes.
    #[doc(hidden)]
    pub fn parse_editable_in_pieces(text: String, piece: usize) -> Document {
        let (blocks, pieces) = parse_pieces(&text, &piece_cuts(&text, piece), true);
        Document::with_blocks(text, pieces, blocks)
    }

    /// Parses a draft to lint it once (`comity check`): the syntax tree is
    /// not kept, and a long text is parsed in pieces cut at blank lines, in
    /// parallel, so that memory holds the trees of a few pieces at a time.
    /// The model is the same as [`Document::parse`] builds.
    pub fn parse_once(text: impl Into<String>) -> Document {
        Document::parse_in_pieces(text.into(), PIECE_BYTES)
    }

    /// [`Document::parse_once`] with pieces of about `piece` bytes (tests
    /// use small pieces to exercise the seams).
    #[doc(hidden)]
    pub fn parse_in_pieces(text: String, piece: usize) -> Document {
        let (blocks, _) = parse_pieces(&text, &piece_cuts(&text, piece), false);
        Document::with_blocks(text, Vec::new(), blocks)
    }

    fn with_blocks(text: String, pieces: Vec<Piece>, blocks: Vec<Block>) -> Document {
        let mut doc = Document {
            text,
            pieces,
            blocks,
            block_clause: Vec::new(),
            clauses: Vec::new(),
            terms: Vec::new(),
            parties: Vec::new(),
            governing_law: None,
            languages: Vec::new(),
            primary_lang: Lang::En,
        };
        doc.rebuild_model();
        doc
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, without copying it; the model is dropped.
    pub fn into_text(self) -> String {
        self.text
    }

    /// Whether the syntax trees are kept (not after [`Document::parse_once`]
    /// until the first edit).
    #[doc(hidden)]
    pub fn keeps_trees(&self) -> bool {
        !self.pieces.is_empty()
    }

    /// The number of pieces the text is parsed in (tests).
    #[doc(hidden)]
    pub fn piece_count(&self) -> usize {
        self.pieces.len()
    }

    /// Where piece `k` ends: where the next begins, or the end of the text.
    fn piece_end(&self, k: usize) -> usize {
        self.pieces.get(k + 1).map_or(self.text.len(), |p| p.start)
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    pub fn terms(&self) -> &[DefinedTerm] {
        &self.terms
    }

    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    pub fn governing_law(&self) -> Option<&GoverningLaw> {
        self.governing_law.as_ref()
    }

    /// The languages with a meaningful share of the text.
    pub fn languages(&self) -> &[Lang] {
        &self.languages
    }

    /// The language most of the text is written in.
    pub fn primary_language(&self) -> Lang {
        self.primary_lang
    }

    /// The innermost clause that block `b` belongs to.
    pub fn clause_of_block(&self, b: usize) -> Option<ClauseId> {
        self.block_clause.get(b).copied().flatten()
    }

    /// The index of the block containing `offset`, if any.
    pub fn block_at(&self, offset: usize) -> Option<usize> {
        let i = self.blocks.partition_point(|b| b.span.end < offset);
        (i < self.blocks.len() && self.blocks[i].span.start <= offset).then_some(i)
    }

    /// The innermost clause containing `offset`.
    pub fn clause_at(&self, offset: usize) -> Option<ClauseId> {
        if let Some(b) = self.block_at(offset) {
            return self.clause_of_block(b);
        }
        // Between blocks: the clause whose span covers the offset.
        self.clauses
            .iter()
            .enumerate()
            .rev()
            .find(|(_, c)| c.span.contains(offset))
            .map(|(i, _)| i)
    }

    /// The ancestors of a clause, innermost first, the clause itself included.
    pub fn clause_path(&self, id: ClauseId) -> Vec<ClauseId> {
        self.ancestors(id).collect()
    }

    /// [`Document::clause_path`] without collecting it.
    pub fn ancestors(&self, id: ClauseId) -> impl Iterator<Item = ClauseId> + '_ {
        std::iter::successors(Some(id), |&c| self.clauses[c].parent)
    }

    /// The label of the clause containing `offset` (`5.1(a)`, `第五条`), or
    /// its heading when it has no number.
    pub fn clause_label_at(&self, offset: usize) -> Option<String> {
        self.clause_label_str_at(offset).map(str::to_string)
    }

    /// [`Document::clause_label_at`], borrowed.
    pub fn clause_label_str_at(&self, offset: usize) -> Option<&str> {
        self.ancestors(self.clause_at(offset)?).find_map(|c| {
            let clause = &self.clauses[c];
            clause.label.as_deref().or(clause.heading(&self.text))
        })
    }

    /// Sentences of a span of the text.
    pub fn sentences(&self, span: Span) -> Vec<Span> {
        sentences::split(&self.text, span)
    }

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

    fn rebuild_model(&mut self) {
        self.clauses = clauses::build(&self.blocks, &self.text);
        self.block_clause = clauses::block_clauses(&self.blocks, &self.clauses);
        self.rebuild_facts();
    }

    /// Terms, parties, governing law and languages, from blocks and clauses.
    fn rebuild_facts(&mut self) {
        self.terms = terms::build(&self.blocks, &self.clauses, &self.block_clause, &self.text);
        self.parties = parties::find_parties(&self.blocks, &self.terms, &self.text);
        self.rebuild_other_facts();
    }

    /// Governing law and languages, from blocks and clauses.
    fn rebuild_other_facts(&mut self) {
        self.governing_law = self.find_governing_law();
        let mut counts = LangCounts::default();
        for b in &self.blocks {
            counts.add(b.lang);
        }
        self.languages = counts.present();
        self.primary_lang = counts.primary().unwrap_or(Lang::En);
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

    /// The governing-law statement: the one in a clause headed "Governing Law"
    /// (or 适用法律, 争议解决 …) if there is one, else the last one found.
    fn find_governing_law(&self) -> Option<GoverningLaw> {
        // The last statement under a governing-law heading, else the last one.
        let mut best: Option<(bool, usize)> = None;
        for (b, block) in self.blocks.iter().enumerate() {
            if block.governing_law.is_none() {
                continue;
            }
            let headed = self.block_clause[b].is_some_and(|c| {
                self.ancestors(c).any(|id| {
                    self.clauses[id]
                        .heading(&self.text)
                        .is_some_and(parties::is_governing_law_heading)
                })
            });
            if best.is_none_or(|(h, _)| headed || !h) {
                best = Some((headed, b));
            }
        }
        best.and_then(|(_, b)| self.blocks[b].governing_law.as_deref().cloned())
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

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("len", &self.text.len())
            .field("blocks", &self.blocks.len())
            .field("clauses", &self.clauses.len())
            .field("terms", &self.terms.len())
            .finish()
    }
}
