//! Parsing a text in pieces: cut after blank lines, where the grammar
//! starts afresh, each piece parsed on its own (in parallel when the tree is
//! not kept, with plain text elided), and the blocks of the pieces merged.

use tree_sitter::{Parser, Point, Tree};

use super::blocks::{self, Block};
use super::elide;
use comity_text::Span;

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
pub(crate) fn with_parser<R>(f: impl FnOnce(&mut Parser) -> R) -> R {
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
pub(crate) struct Piece {
    pub(crate) start: usize,
    pub(crate) tree: Tree,
}

/// Texts longer than this are parsed in pieces by [`Document::parse_once`],
/// in parallel.
pub(crate) const PIECE_BYTES: usize = 256 << 10;

/// The pieces of a document that is edited: small, so that a keystroke
/// re-parses a few kilobytes. (An incremental parse of a whole long text
/// still walks the syntax nodes after the edit that it reuses.)
pub(crate) const EDIT_PIECE_BYTES: usize = 16 << 10;

/// Text that may open or close a construct spanning blank lines (a code
/// fence, an HTML comment): an edit that makes or breaks one joins the
/// pieces from there on.
const SPANS_BLANK_LINES: [&[u8]; 4] = [b"```", b"~~~", b"<!--", b"-->"];

pub(crate) fn spans_blank_lines(bytes: &[u8]) -> bool {
    SPANS_BLANK_LINES
        .iter()
        .any(|p| memchr::memmem::find(bytes, p).is_some())
}

/// `text[span]` with `pad` bytes either side, as bytes (the ends need not
/// fall on character boundaries).
pub(crate) fn padded(text: &str, span: Span, pad: usize) -> &[u8] {
    &text.as_bytes()[span.start.saturating_sub(pad)..(span.end + pad).min(text.len())]
}

/// Where to cut `text` into pieces of about `piece` bytes: after a blank
/// line (`\n\n`), where every block has ended and the grammar starts afresh.
/// Returns the cut offsets including 0 and the length. A text with a code
/// fence is not cut (a fenced block may hold blank lines), nor inside an
/// HTML comment.
pub(crate) fn piece_cuts(text: &str, piece: usize) -> Vec<usize> {
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

pub(crate) fn parse_text(parser: &mut Parser, text: &str, old: Option<&Tree>) -> Tree {
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

/// Appends the blocks under `node`, a node of the tree of a piece of text
/// starting at `start` (`part` is the piece's text), with their spans made
/// offsets into the whole text.
pub(crate) fn collect_in_piece(
    node: tree_sitter::Node,
    part: &str,
    start: usize,
    out: &mut Vec<Block>,
) {
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
pub(crate) fn parse_pieces(text: &str, cuts: &[usize], keep: bool) -> (Vec<Block>, Vec<Piece>) {
    use rayon::prelude::*;
    // Each piece: the blocks read without the parser, those read off its
    // tree (both in order), and its tree if kept.
    let parsed: Vec<(Vec<Block>, Vec<Block>, Option<Piece>)> = cuts
        .par_windows(2)
        .map(|w| {
            let (start, end) = (w[0], w[1]);
            let part = &text[start..end];
            let mut blocks = Vec::new();
            if !keep
                && crate::fast_path_enabled()
                && let Some(mut short) = elide::Elided::of(part)
            {
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
