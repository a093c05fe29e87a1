//! Eliding plain text before a one-shot parse.
//!
//! Blocks are decided by how each line begins (a clause number, a heading
//! marker, a bullet, a wrapped line) and carry only a few things from inside
//! their lines: definitions, cross-references and comments. `comity check`
//! parses a line that can hold no definition or comment as its first words,
//! then only the words around its cross-references, with a stand-in letter
//! for each run of text left out, and maps the blocks read from the
//! shortened text back onto the real one. Most of a contract's bytes are
//! such text, and tree-sitter's cost grows with every byte it lexes.
//!
//! Soundness rests on these facts about the grammar (`grammar.js`) and its
//! scanner (`scanner.c`), checked by the property tests and the fuzz target
//! that compare an elided parse with a full one:
//! - no token crosses a line end except an HTML comment (lines inside one
//!   are kept whole) and the code block (texts with fences are not elided);
//! - a definition, an inline definition or a comment needs a quote, `**`,
//!   `<!--` or `本…所称` ([`STRONG`]): a line with one is kept whole;
//! - a cross-reference matches [`XREF`], the grammar's own patterns (a
//!   line with an English keyword glued to what precedes it, `。Clause 5`,
//!   is kept whole: whether it is a reference depends on the line's first
//!   token). Around
//!   each match the shortened line keeps the text from the last word start
//!   (after a space, with that space, or at a character that ends the
//!   grammar's `word` token: `(`, `第`, `本` …), where no token but a text
//!   run can be under way, so the scanner decides there as in the real
//!   line; and up to the next space (an ASCII reference, which a following
//!   letter could lengthen) or one character past it (a CJK reference,
//!   which a Latin letter cannot lengthen);
//! - every marker that can open a block lies in the line's first three
//!   words, or in the first characters of a CJK word that can spell a
//!   number (`第五条`, `（一）`, `一、`), which are kept; an ALL-CAPS line
//!   (which may be a heading) is kept whole.
//!
//! The stand-in is a lower-case `x`, placed after any space that begins the
//! text it replaces: it cannot start a marker or a special token, cannot
//! lengthen a kept one, and keeps a shortened line from reading as an
//! ALL-CAPS title.
//!
//! Before any of this, a group of lines between two blank lines (where
//! every block ends) outside HTML comments and without `\r` or NUL is offered,
//! with the places of its quotes, to
//! [`super::plain`], which reads most such groups without the parser; a
//! group it reads is left out of the shortened text with its line breaks
//! and the blank lines after it (a cut with no stand-in), and its blocks
//! join the parsed ones.

use std::sync::LazyLock;

use regex::Regex;
use tree_sitter_contract::vocabulary;

use super::blocks::{Block, trim_end};
use comity_text::Span;

/// What may make a definition, an inline definition or a comment: a line
/// with a match is kept whole. (An apostrophe after a lower-case letter is
/// inside a word, where no quoted term can start: `Supplier's`.) Found by
/// [`strong_matches`]; the pattern is its specification (a test holds them
/// together).
#[cfg(test)]
static STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"["“”「『‘§']|\*\*|<!--|-->|本(?:{})中?所称"#,
        vocabulary::DEFINES_PREFIX_DOCUMENTS.join("|")
    ))
    .expect("the pattern compiles")
});

/// The bytes a match of `STRONG` may begin with.
static STRONG_FIRST: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let first = b"\"'*<-\xE2\xE3\xC2\xE6";
    while i < first.len() {
        t[first[i] as usize] = true;
        i += 1;
    }
    t
};

/// The matches of `STRONG` in `text`, leftmost first and not overlapping,
/// as `find_iter` gives them: a byte table picks the places a match may
/// begin, which are rare but in Chinese text (where `本` and the lead
/// byte of `、` and `。` begin a check).
fn strong_matches(text: &str, mut found: impl FnMut(usize, usize)) {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&c| STRONG_FIRST[c as usize]) {
        i += k;
        let rest = &b[i..];
        let len = match rest[0] {
            b'"' | b'\'' => 1,
            b'*' if rest.starts_with(b"**") => 2,
            b'<' if rest.starts_with(b"<!--") => 4,
            b'-' if rest.starts_with(b"-->") => 3,
            0xE2 if ["“", "”", "‘"]
                .iter()
                .any(|q| rest.starts_with(q.as_bytes())) =>
            {
                3
            }
            0xE3 if ["「", "『"].iter().any(|q| rest.starts_with(q.as_bytes())) => 3,
            0xC2 if rest.starts_with("§".as_bytes()) => 2,
            0xE6 if rest.starts_with("本".as_bytes()) => defines_prefix_len(&text[i..]),
            _ => 0,
        };
        if len > 0 {
            found(i, i + len);
            i += len;
        } else {
            i += 1;
        }
    }
}

/// The length of `本(?:协议|合同|条款|附件|章程)中?所称` at the start of `s`, or 0.
fn defines_prefix_len(s: &str) -> usize {
    let Some(rest) = s.strip_prefix('本') else {
        return 0;
    };
    let Some(rest) = vocabulary::DEFINES_PREFIX_DOCUMENTS
        .iter()
        .find_map(|w| rest.strip_prefix(w))
    else {
        return 0;
    };
    let rest = rest.strip_prefix('中').unwrap_or(rest);
    match rest.strip_prefix("所称") {
        Some(after) => s.len() - after.len(),
        None => 0,
    }
}

/// The grammar's `cross_reference` token, with the vocabulary's keywords.
/// (`\d` is written `[0-9]`: the grammar's is ASCII, the regex crate's is
/// not.)
static XREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        concat!(
            r"(?:{keywords})[ \u{{A0}}]+",
            r"(?:[0-9]{{1,3}}[A-Za-z]?(?:\.[0-9]{{1,3}})*|[IVXLC]{{1,6}}|[A-Z])(?:\([a-zA-Z0-9]{{1,4}}\))*",
            r"|第(?:[{cn}]+|[0-9]{{1,3}}(?:\.[0-9]{{1,3}})*)(?:{units})",
            r"|本(?:{documents})第?(?:[{cn}]+|[0-9]{{1,3}}(?:\.[0-9]{{1,3}})*)(?:{units_after})?",
            r"|附件(?:[{cn}]+|[0-9]{{1,3}}|[A-Z])",
        ),
        // (Groups in the fragments, `[Aa]nnex(es)?`, need not capture.)
        keywords = vocabulary::CROSS_REFERENCE_KEYWORDS_REGEX
            .iter()
            .map(|k| k.replace('(', "(?:"))
            .collect::<Vec<_>>()
            .join("|"),
        cn = vocabulary::CN_NUMERALS,
        units = vocabulary::ZH_UNITS.join("|"),
        documents = vocabulary::ZH_DOCUMENTS.join("|"),
        units_after = vocabulary::ZH_UNITS_AFTER_DOCUMENT.join("|"),
    ))
    .expect("the cross-reference pattern compiles")
});

/// Compiles the patterns ahead of use (see [`super::warm_up`]).
pub(super) fn warm_up() {
    LazyLock::force(&XREF);
}

/// Characters that end the grammar's `word` token (`BREAK`); a word may
/// start with one of them.
#[inline]
pub(super) fn is_word_break(c: char) -> bool {
    vocabulary::is_word_break(c)
}

/// The grammar's horizontal space (`extras`).
#[inline]
pub(super) fn is_hspace(c: char) -> bool {
    vocabulary::is_hspace(c)
}

/// The CJK numerals of the grammar's `CN_NUM`.
#[inline]
pub(super) fn is_cn_numeral(c: char) -> bool {
    vocabulary::is_cn_numeral(c)
}

/// Characters of the CJK clause numbers (`第五条`, `第三章`, `附件一`,
/// `（一）`, `一、`, `１．`).
fn is_cjk_number_char(c: char) -> bool {
    is_cn_numeral(c)
        || matches!(
            c,
            '第' | '条' | '章' | '编' | '部' | '分' | '附' | '件' | '、' | '．' | '（' | '）'
        )
        || ('\u{2460}'..='\u{2473}').contains(&c)
        || ('\u{2776}'..='\u{277F}').contains(&c)
}

/// The characters of an ALL-CAPS title line (`caps_line`).
pub(super) fn is_caps_line_char(c: char) -> bool {
    c.is_ascii_uppercase()
        || c.is_ascii_digit()
        || matches!(
            c,
            ' ' | '\t'
                | ','
                | '&'
                | '\''
                | '\u{2019}'
                | '-'
                | '\u{2013}'
                | '\u{2014}'
                | ':'
                | ';'
                | '/'
                | '('
                | ')'
                | '.'
        )
}

/// Where a line that holds nothing special may be cut: after its first
/// three words (a word here runs to the next horizontal space), or inside
/// the first word with other than ASCII after the characters that may spell
/// a CJK number, plus one. `None` if the line is kept whole.
fn cut_point(line: &str) -> Option<usize> {
    // (Leading space is the grammar's `extras`: a title may follow it.)
    if line
        .trim_start_matches(is_hspace)
        .chars()
        .all(is_caps_line_char)
    {
        return None;
    }
    let mut chars = line.char_indices().peekable();
    let skip_space = |chars: &mut std::iter::Peekable<std::str::CharIndices>| {
        while chars.next_if(|&(_, c)| is_hspace(c)).is_some() {}
    };
    skip_space(&mut chars);
    for _ in 0..3 {
        let mut plain = true;
        while let Some(&(i, c)) = chars.peek() {
            if is_hspace(c) {
                break;
            }
            if !c.is_ascii() && !is_cjk_number_char(c) {
                plain = false;
            }
            chars.next();
            if !plain {
                // This character is the "plus one" after a possible number.
                let cut = i + c.len_utf8();
                return (cut < line.len()).then_some(cut);
            }
        }
        skip_space(&mut chars);
    }
    chars.peek().map(|&(i, _)| i)
}

/// The stretch of a line (`line..body_end`) kept around a cross-reference
/// at `s..e`: from the last word start at or before `s` (with the space
/// before it), to the next space after an ASCII reference, or one
/// character past a CJK one.
fn xref_window(
    text: &str,
    line: usize,
    body_end: usize,
    s: usize,
    e: usize,
) -> Option<(usize, usize)> {
    let before = text[line..s].chars().next_back();
    if text[s..].starts_with(|c: char| c.is_ascii()) && before.is_some_and(|c| !is_hspace(c)) {
        // A keyword glued to what precedes it (`。Clause 5`) is a reference
        // only where a sentence end before it ended a text run, which
        // depends on how the line began: keep the line whole.
        return None;
    }
    let mut from = s;
    for (i, c) in text[line..s].char_indices().rev() {
        if is_word_break(text[from..].chars().next().unwrap_or(' ')) || is_hspace(c) {
            break;
        }
        from = line + i;
    }
    if let Some(c) = text[line..from].chars().next_back()
        && is_hspace(c)
    {
        from -= c.len_utf8();
    }
    let rest = &text[e..body_end];
    let to = if text[s..e].chars().next_back().is_some_and(|c| c.is_ascii()) {
        e + rest.find(is_hspace).unwrap_or(rest.len())
    } else {
        e + rest.chars().next().map_or(0, char::len_utf8)
    };
    Some((from, to))
}

/// A run of real text `real..resume` left out of the shortened text, where
/// the stand-in sits at `short`.
#[derive(Clone, Copy, Debug)]
struct Cut {
    short: usize,
    real: usize,
    resume: usize,
    /// The stand-in's length: 0 for a group of lines left out whole.
    stand_in: usize,
}

/// A piece of text with the plain text of some lines elided.
pub(super) struct Elided {
    pub text: String,
    cuts: Vec<Cut>,
    /// The blocks of the groups of lines left out whole, read without the
    /// parser ([`super::plain`]), with their facts read.
    pub fast: Vec<Block>,
}

/// The shortened text as it is built, line by line.
struct Shortened {
    text: String,
    cuts: Vec<Cut>,
    /// The kept stretches of the current line.
    kept: Vec<(usize, usize)>,
    /// The first cross-reference match not yet passed.
    next_xref: usize,
}

impl Shortened {
    /// Appends the line `start..end` of `text` (without its `\n`),
    /// shortened unless `keep_whole`.
    fn line(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        keep_whole: bool,
        xrefs: &[(usize, usize)],
    ) {
        let line = &text[start..end];
        let body = line.strip_suffix('\r').unwrap_or(line);
        let body_end = start + body.len();
        let first_xref = self.next_xref;
        self.next_xref += xrefs[first_xref..].partition_point(|x| x.0 < end);
        let head = if keep_whole || memchr::memchr(b'\r', body.as_bytes()).is_some() {
            None
        } else {
            cut_point(body)
        };
        let Some(head) = head else {
            self.text.push_str(line);
            if end < text.len() {
                self.text.push('\n');
            }
            return;
        };
        // The kept stretches of the line: its head, then a window
        // around each cross-reference (merged where they meet).
        let kept = &mut self.kept;
        kept.clear();
        kept.push((start, start + head));
        let mut glued = false;
        for &(s, e) in &xrefs[first_xref..self.next_xref] {
            let Some(window) = xref_window(text, start, body_end, s, e.min(body_end)) else {
                glued = true;
                break;
            };
            match kept.last_mut() {
                Some(last) if window.0 <= last.1 => last.1 = last.1.max(window.1),
                _ => kept.push(window),
            }
        }
        if glued {
            kept.clear();
            kept.push((start, body_end));
        }
        let mut at = start;
        for &(from, to) in kept.iter().chain(std::iter::once(&(body_end, body_end))) {
            if from > at {
                // Text left out, after any space it begins with.
                let gap = &text[at..from];
                let spaces = gap.len() - gap.trim_start_matches(is_hspace).len();
                if spaces == gap.len() {
                    self.text.push_str(gap);
                } else {
                    self.text.push_str(&gap[..spaces]);
                    self.cuts.push(Cut {
                        short: self.text.len(),
                        real: at + spaces,
                        resume: from,
                        stand_in: STAND_IN.len(),
                    });
                    self.text.push_str(STAND_IN);
                }
            }
            self.text.push_str(&text[from.max(at)..to.max(at)]);
            at = at.max(to);
        }
        self.text.push_str(&line[body.len()..]);
        if end < text.len() {
            self.text.push('\n');
        }
    }
}

/// The stand-in for the elided text of a line.
const STAND_IN: &str = "x";

impl Elided {
    /// The shortened form of `text`, or `None` if nothing would be elided
    /// (or the text holds what this cannot map: a code fence, the rarer line
    /// separators).
    pub fn of(text: &str) -> Option<Elided> {
        let bytes = text.as_bytes();
        let has = |needle: &str| memchr::memmem::find(bytes, needle.as_bytes()).is_some();
        if has("```") || has("~~~") || has("\u{2028}") || has("\u{2029}") {
            return None;
        }
        let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
        // Lines kept whole: with a match of STRONG, or inside an HTML comment.
        let mut whole = vec![false; lines];
        let mut last = (0usize, 0usize); // the last (offset, line) looked up
        let mut line_at = |offset: usize| {
            if offset < last.0 {
                last = (0, 0);
            }
            let line = last.1 + memchr::memchr_iter(b'\n', &bytes[last.0..offset]).count();
            last = (offset, line);
            line
        };
        // Lines with a comment's delimiter or inside a comment: never
        // offered to the plain reader, which knows no comments.
        let mut commented = vec![false; lines];
        // The other matches, which the plain reader may place.
        let mut strong: Vec<(usize, usize)> = Vec::new();
        let mut in_comment_from: Option<usize> = None;
        strong_matches(text, |start, end| {
            let m = &text[start..end];
            if m == "'" && start > 0 && bytes[start - 1].is_ascii_lowercase() {
                return;
            }
            let first = line_at(start);
            let end_line = line_at(end - 1);
            whole[first..=end_line].iter_mut().for_each(|k| *k = true);
            match m {
                "<!--" | "-->" => {
                    commented[first..=end_line]
                        .iter_mut()
                        .for_each(|k| *k = true);
                    if m == "<!--" {
                        in_comment_from.get_or_insert(first);
                    } else if let Some(from) = in_comment_from.take() {
                        whole[from..=end_line].iter_mut().for_each(|k| *k = true);
                        commented[from..=end_line]
                            .iter_mut()
                            .for_each(|k| *k = true);
                    }
                }
                _ => strong.push((start, end)),
            }
        });
        if let Some(from) = in_comment_from {
            whole[from..].iter_mut().for_each(|k| *k = true);
            commented[from..].iter_mut().for_each(|k| *k = true);
        }
        // Overlapping matches too: the grammar may lex a reference that
        // starts inside a match it never lexes (`aAppendix Schedule 5`).
        let mut xrefs: Vec<(usize, usize)> = Vec::new();
        let mut from = 0;
        while let Some(m) = XREF.find_at(text, from) {
            xrefs.push((m.start(), m.end()));
            from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        }
        let mut bounds: Vec<(usize, usize)> = Vec::with_capacity(lines);
        let mut start = 0;
        for _ in 0..lines {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
            bounds.push((start, end));
            start = end + 1;
        }
        let mut out = Shortened {
            text: String::with_capacity(text.len() / 2),
            cuts: Vec::new(),
            kept: Vec::new(),
            next_xref: 0,
        };
        let mut fast = Vec::new();
        let mut next_strong = 0;
        let mut i = 0;
        while i < lines {
            let (start, end) = bounds[i];
            if start == end {
                out.line(text, start, end, true, &xrefs);
                i += 1;
                continue;
            }
            // A group of lines between blank lines, where every block ends.
            let j = i + bounds[i..]
                .iter()
                .position(|&(s, e)| s == e)
                .unwrap_or(lines - i);
            let group_end = bounds[j - 1].1;
            let first_xref = out.next_xref;
            let last_xref = first_xref + xrefs[first_xref..].partition_point(|x| x.0 < group_end);
            let first_strong = next_strong;
            next_strong += strong[first_strong..].partition_point(|x| x.0 < group_end);
            // (A NUL byte ends the grammar's negated classes, as the end of
            // the text does: the reader leaves such groups to the parser.)
            let read = !commented[i..j].contains(&true)
                && memchr::memchr2(b'\r', 0, &bytes[start..group_end]).is_none()
                && super::plain::read_group(
                    text,
                    &bounds[i..j],
                    &xrefs[first_xref..last_xref],
                    &strong[first_strong..next_strong],
                    &mut fast,
                );
            if read {
                // Left out of the parse, with the lines' breaks and the
                // blank lines after it: what the parser reads before it
                // ends with a blank line already (or is nothing), and the
                // number of blank lines between two blocks is no matter.
                let next = j + bounds[j..].iter().take_while(|&&(s, e)| s == e).count();
                out.cuts.push(Cut {
                    short: out.text.len(),
                    real: start,
                    resume: bounds.get(next).map_or(text.len(), |&(s, _)| s),
                    stand_in: 0,
                });
                out.next_xref = last_xref;
                i = next;
                continue;
            } else {
                for (k, &(start, end)) in bounds.iter().enumerate().take(j).skip(i) {
                    out.line(text, start, end, whole[k], &xrefs);
                }
            }
            i = j;
        }
        (!out.cuts.is_empty()).then_some(Elided {
            text: out.text,
            cuts: out.cuts,
            fast,
        })
    }

    /// The offset in the real text of `offset` in the shortened one: exact
    /// in kept text; the stand-in maps to the start of the text it replaces,
    /// the offset after it to the end of that text.
    fn real(&self, offset: usize) -> usize {
        // The last cut at or before `offset`.
        let k = self.cuts.partition_point(|c| c.short <= offset);
        if k == 0 {
            return offset;
        }
        let c = self.cuts[k - 1];
        if c.stand_in > 0 && offset == c.short {
            return c.real;
        }
        c.resume + (offset - (c.short + c.stand_in))
    }

    fn span(&self, s: Span) -> Span {
        Span::new(self.real(s.start), self.real(s.end))
    }

    /// Moves a block read from the shortened text onto the real `text`,
    /// trimming the spans that now end with a real line's trailing space,
    /// and reads its language and governing law from the real text.
    pub fn restore(&self, block: &mut Block, text: &str) {
        block.map_spans(|s| self.span(s));
        block.span = trim_end(block.span, text);
        if let Some(b) = &mut block.body {
            *b = trim_end(*b, text);
        }
        super::blocks::read_facts(block, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BlockKind;
    use crate::blocks::{Block, DefinitionForm};

    #[test]
    fn plain_lines_keep_their_first_words_and_the_words_around_references() {
        let text = "1.1 The Supplier shall deliver the Goods on time.\n\
                    2.1 Subject to Clause 5(a), the Buyer pays.\n\
                    第五条 买方应当按时付款并承担运输费用。\n\
                    买方应遵守本合同第五条的规定并承担责任。\n\
                    1.2 \"Sanctions\" means the sanctions of any state.\n\
                    EXPORT CONTROLS AND SANCTIONS COMPLIANCE\n\
                    short line\n";
        let e = Elided::of(text).expect("something is elided");
        assert_eq!(
            e.text,
            "1.1 The Supplier x\n\
             2.1 Subject to Clause 5(a), x\n\
             第五条 买x\n\
             买x本合同第五条的x\n\
             1.2 \"Sanctions\" means the sanctions of any state.\n\
             EXPORT CONTROLS AND SANCTIONS COMPLIANCE\n\
             short line\n"
        );
        // A stand-in maps to the first character it replaces, the offset
        // after it to the end of what it replaces.
        let x = e.text.find('x').unwrap();
        assert_eq!(&text[e.real(x)..e.real(x) + 5], "shall");
        assert_eq!(e.real(x + 1), text.find('\n').unwrap());
        // Kept text between and after cut lines maps exactly.
        for word in ["Subject", "本合同第五条", "Sanctions"] {
            let at = e.text.find(word).unwrap();
            assert_eq!(&text[e.real(at)..e.real(at) + word.len()], word);
        }
        let ref_line = e.text.find("买x本").unwrap();
        assert_eq!(&text[e.real(ref_line + 3)..][..12], "方应遵守");
    }

    /// Groups of lines that hold no definition, quote or comment are read
    /// without the parser and left out of the shortened text whole.
    #[test]
    fn plain_groups_are_read_without_the_parser() {
        let text = "## 1. Definitions\n\n\
                    1.1 \"Goods\" means the goods.\n\n\
                    1.2 The Supplier shall deliver under Clause 4.2 and 本合同第五条.\n\
                    (a) the first; and\n\
                    wrapped\n\n\
                    第五条 买方应遵守附件一。\n\n\
                    ABC附件3 is one word\n\n\
                    ‘Term’ means a term.\n\n\
                    (1) **Acme Ltd**, a company (the \"Buyer\"); and\n\
                    “制裁”是指第5条所列的措施。\n";
        let e = Elided::of(text).expect("groups are left out");
        // Only the line with `‘` is parsed: the reader places no construct
        // that begins with one. The groups read are left out with the
        // blank lines after them; one blank line still ends the parsed one.
        assert_eq!(e.text, "‘Term’ means a term.\n\n");
        let read: Vec<(BlockKind, &str, Vec<&str>)> = e
            .fast
            .iter()
            .map(|b| {
                let refs = b.cross_references.iter().map(|s| s.text(text)).collect();
                (b.kind, b.span.text(text), refs)
            })
            .collect();
        assert_eq!(
            read,
            [
                (BlockKind::Subheading, "## 1. Definitions", vec![]),
                (BlockKind::Clause, "1.1 \"Goods\" means the goods.", vec![]),
                (
                    BlockKind::Clause,
                    "1.2 The Supplier shall deliver under Clause 4.2 and 本合同第五条.",
                    vec!["Clause 4.2", "本合同第五条"]
                ),
                (BlockKind::Clause, "(a) the first; and\nwrapped", vec![]),
                (
                    BlockKind::Article,
                    "第五条 买方应遵守附件一。",
                    vec!["附件一"]
                ),
                (BlockKind::Paragraph, "ABC附件3 is one word", vec![]),
                (
                    BlockKind::Clause,
                    "(1) **Acme Ltd**, a company (the \"Buyer\"); and\n“制裁”是指第5条所列的措施。",
                    vec!["第5条"]
                ),
            ]
        );
        let defined = |b: &Block| -> Vec<(DefinitionForm, &str, &str)> {
            b.definitions
                .iter()
                .map(|d| (d.form, d.term.text(text), d.construct.text(text)))
                .collect()
        };
        assert_eq!(
            defined(&e.fast[1]),
            [(DefinitionForm::Means, "Goods", "\"Goods\" means")]
        );
        assert_eq!(
            defined(&e.fast[6]),
            [
                (DefinitionForm::Inline, "Buyer", "(the \"Buyer\")"),
                (DefinitionForm::Means, "制裁", "“制裁”是指"),
            ]
        );
        // The parsed group's offsets map past the groups left out.
        let at = e.text.find("Term").unwrap();
        assert_eq!(&text[e.real(at)..e.real(at) + 4], "Term");
        assert_eq!(e.fast[0].number.map(|n| n.text(text)), Some("1."));
        assert_eq!(e.fast[0].body.map(|n| n.text(text)), Some("Definitions"));
    }

    proptest::proptest! {
        /// The byte-table scan finds what the pattern finds.
        #[test]
        fn strong_matches_are_the_patterns(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "\"", "'", "*", "**", "<!--", "<!-", "-->", "--", "-", ">", "“", "”", "‘", "’", "「", "」",
                "『", "§", "本", "本协议所称", "本合同中所称", "本条款所", "本附件中", "本章程所称", "协议",
                "所称", "中", "。", "、", "x", " ", "\n", "é", "—", "the Supplier shall",
                "abcdefghijklmnop", "12345678",
            ]), 0..24),
        ) {
            let text = parts.concat();
            let mut found = Vec::new();
            strong_matches(&text, |s, e| found.push((s, e)));
            let want: Vec<(usize, usize)> =
                STRONG.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(found, want);
        }
    }

    #[test]
    fn comments_and_fences_are_not_elided() {
        let text =
            "<!-- comity-disable T01\nthe words inside a comment are kept as they are\n-->\n";
        assert!(Elided::of(text).is_none());
        let fenced = "```\ncode that is long enough to be cut after three words\n```\n";
        assert!(Elided::of(fenced).is_none());
    }
}
