//! The document model: a contract draft parsed with the tree-sitter grammar
//! into blocks, a clause hierarchy, defined terms, parties, governing law and
//! languages, kept up to date under incremental edits.

mod blocks;
mod clauses;
mod edit;
mod elide;
mod fast_path;
mod governing_law;
mod jurisdiction;
use comity_text::lang;
mod numbering;
mod parties;
mod pieces;
mod plain;
mod sentences;
mod terms;

use std::fmt;

pub use blocks::{Block, BlockKind, DefinitionForm, DefinitionSite, Marker, MarkerToken};
pub use clauses::{Clause, ClauseId, ClauseKind};
use comity_text::Lang;
pub use comity_text::LangCounts;
pub use edit::{EditError, EditSummary, HeadingChange};
pub use fast_path::{fast_path_enabled, set_fast_path};
pub use governing_law::GoverningLaw;
pub use jurisdiction::{HintKind, Jurisdiction, JurisdictionHint};
pub use numbering::NumberStyle;
pub use parties::Party;
pub use terms::{DefinedTerm, TermId, TermMatcher};

use comity_text::Span;
use pieces::{EDIT_PIECE_BYTES, PIECE_BYTES, Piece, parse_pieces, piece_cuts};

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

impl Document {
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
                        .is_some_and(governing_law::is_governing_law_heading)
                })
            });
            if best.is_none_or(|(h, _)| headed || !h) {
                best = Some((headed, b));
            }
        }
        best.and_then(|(_, b)| self.blocks[b].governing_law.as_deref().cloned())
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
