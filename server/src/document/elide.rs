//! Eliding plain text before a one-shot parse.
//!
//! Blocks are decided by how each line begins (a clause number, a heading
//! marker, a bullet, a wrapped line) and carry only a few things from inside
//! their lines: definitions, cross-references and comments. A line that can
//! hold none of these contributes nothing but its first words to the syntax
//! tree that matters. `comity check` parses such a line as its first words
//! followed by one stand-in letter, and maps the blocks read from the
//! shortened text back onto the real one. Most of a contract's bytes are
//! such text, and tree-sitter's cost grows with every byte it lexes.
//!
//! Soundness rests on three facts about the grammar (`grammar.js`), checked
//! by the property tests that compare an elided parse with a full one:
//! - no token crosses a line end except an HTML comment (lines inside one
//!   are kept whole) and the code block (texts with fences are not elided);
//! - a token that makes a definition, a cross-reference or a comment
//!   matches [`SPECIAL`] somewhere in its line (a quote, `§`, `**`, `<!--`,
//!   a cross-reference's keyword and number …). A line with a match is kept
//!   whole, unless every match is the start of a cross-reference (`Clause
//!   5`, `第五条`, `附件一`) that ends before the cut: such a token ends
//!   within its word, and the cut keeps whole words (or, in a CJK word,
//!   every character that may belong to a number, and one more);
//! - every marker that can open a block lies in the line's first three
//!   words, or in the first characters of a CJK word that can spell a
//!   number (`第五条`, `（一）`, `一、`), which are kept; an ALL-CAPS line
//!   (which may be a heading) is kept whole.
//!
//! The stand-in is a lower-case `x`: it cannot start a marker or a special
//! token, and it keeps a shortened line from reading as an ALL-CAPS title.

use std::sync::LazyLock;

use regex::Regex;

use super::blocks::Block;
use crate::Span;

/// Anything that may begin or make a definition, an inline definition, a
/// cross-reference or an HTML comment (a superset of those tokens'
/// patterns in the grammar).
static SPECIAL: LazyLock<Regex> = LazyLock::new(|| {
    const CN: &str = "[一二三四五六七八九十百千零〇两]";
    Regex::new(&format!(
        concat!(
            r#"["“”「『‘§]|\*\*|<!--|-->|(?:^|[^a-z])'"#,
            r"|本(?:协议|合同|条款|附件|章程)中?所称",
            r"|(?:[Ss]ections?|SECTIONS?|[Cc]lauses?|CLAUSES?|[Aa]rticles?|ARTICLES?",
            r"|[Pp]aragraphs?|[Ss]ub-?clauses?|[Ss]chedules?|SCHEDULES?|[Aa]nnex(?:es)?|ANNEX",
            r"|[Ee]xhibits?|EXHIBIT|[Aa]ppendix|[Aa]ppendices|APPENDIX|Part|PART)[ \u{{A0}}]+[0-9IVXLCA-Z]",
            r"|第(?:{cn}+|[0-9])|本(?:合同|协议)第?(?:{cn}|[0-9])|附件(?:{cn}|[0-9A-Z])",
        ),
        cn = CN
    ))
    .expect("the special-token pattern compiles")
});

/// The grammar's horizontal space (`extras`).
fn is_hspace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{0C}' | '\u{0B}' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200B}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FEFF}'
    )
}

/// Characters of the CJK clause numbers (`第五条`, `第三章`, `附件一`,
/// `（一）`, `一、`, `１．`).
fn is_cjk_number_char(c: char) -> bool {
    matches!(
        c,
        '一' | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '零'
            | '〇'
            | '两'
            | '第'
            | '条'
            | '章'
            | '编'
            | '部'
            | '分'
            | '附'
            | '件'
            | '、'
            | '．'
            | '（'
            | '）'
    ) || ('\u{2460}'..='\u{2473}').contains(&c)
        || ('\u{2776}'..='\u{277F}').contains(&c)
}

/// The characters of an ALL-CAPS title line (`caps_line`).
fn is_caps_line_char(c: char) -> bool {
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
    if line.chars().all(is_caps_line_char) {
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

/// A cut line: the shortened text holds `line[..kept]` then the stand-in,
/// then the line end.
#[derive(Clone, Copy, Debug)]
struct Cut {
    /// Offset of the stand-in in the shortened text.
    short: usize,
    /// Offset in the real text where the elided text starts.
    real: usize,
    /// Offset in the real text of the line's end (before `\r\n` or `\n`).
    real_end: usize,
}

/// A piece of text with the plain text of some lines elided.
pub(super) struct Elided {
    pub text: String,
    cuts: Vec<Cut>,
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
        // Lines kept whole: with a special match that may be part of a
        // larger construct (a quote, a comment …), or inside an HTML comment.
        let mut whole = vec![false; lines];
        // The furthest end of a cross-reference's start in each line: the
        // line is kept whole if it reaches past the cut.
        let mut reach = vec![0usize; lines];
        let mut last = (0usize, 0usize); // the last (offset, line) looked up
        let mut line_at = |offset: usize| {
            let line = last.1 + memchr::memchr_iter(b'\n', &bytes[last.0..offset]).count();
            last = (offset, line);
            line
        };
        let mut in_comment_from: Option<usize> = None;
        for m in SPECIAL.find_iter(text) {
            let first = line_at(m.start());
            let end_line = line_at(m.end() - 1);
            let s = m.as_str();
            let xref_like = !s.ends_with('\'')
                && !s.starts_with(['"', '“', '”', '「', '『', '‘', '§', '*', '<', '-'])
                && !s.ends_with("所称");
            if xref_like && first == end_line {
                reach[first] = reach[first].max(m.end());
            } else {
                whole[first..=end_line].iter_mut().for_each(|k| *k = true);
            }
            match s {
                "<!--" if in_comment_from.is_none() => in_comment_from = Some(first),
                "-->" => {
                    if let Some(from) = in_comment_from.take() {
                        whole[from..=end_line].iter_mut().for_each(|k| *k = true);
                    }
                }
                _ => {}
            }
        }
        if let Some(from) = in_comment_from {
            whole[from..].iter_mut().for_each(|k| *k = true);
        }
        let mut short = String::with_capacity(text.len() / 2);
        let mut cuts = Vec::new();
        let mut start = 0;
        for k in 0..lines {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
            let line = &text[start..end];
            let body = line.strip_suffix('\r').unwrap_or(line);
            let cut = if whole[k] || memchr::memchr(b'\r', body.as_bytes()).is_some() {
                None
            } else {
                cut_point(body).filter(|&c| reach[k] <= start + c)
            };
            match cut {
                Some(c) => {
                    short.push_str(&body[..c]);
                    cuts.push(Cut {
                        short: short.len(),
                        real: start + c,
                        real_end: start + body.len(),
                    });
                    short.push_str(STAND_IN);
                    short.push_str(&line[body.len()..]);
                }
                None => short.push_str(line),
            }
            if end < text.len() {
                short.push('\n');
            }
            start = end + 1;
        }
        (!cuts.is_empty()).then_some(Elided { text: short, cuts })
    }

    /// The offset in the real text of `offset` in the shortened one: exact
    /// in kept text; the stand-in maps to the start of the elided text, the
    /// end of a cut line to the end of the real line.
    fn real(&self, offset: usize) -> usize {
        // The last cut at or before `offset`.
        let k = self.cuts.partition_point(|c| c.short <= offset);
        if k == 0 {
            return offset;
        }
        let c = self.cuts[k - 1];
        if offset == c.short {
            return c.real;
        }
        let after = c.short + STAND_IN.len();
        c.real_end + (offset - after.min(offset))
    }

    fn span(&self, s: Span) -> Span {
        Span::new(self.real(s.start), self.real(s.end))
    }

    /// Moves a block read from the shortened text onto the real `text`,
    /// trimming what now ends
    /// with the real line's trailing space, and reads its language and
    /// governing law from the real text.
    pub fn restore(&self, block: &mut Block, text: &str) {
        block.span = trim_end(self.span(block.span), text);
        if let Some(m) = &mut block.marker {
            m.span = self.span(m.span);
        }
        if let Some(n) = &mut block.number {
            *n = self.span(*n);
        }
        if let Some(b) = &mut block.body {
            *b = trim_end(self.span(*b), text);
        }
        for d in &mut block.definitions {
            d.term = self.span(d.term);
            d.construct = self.span(d.construct);
        }
        for s in block
            .cross_references
            .iter_mut()
            .chain(block.comments.iter_mut())
        {
            *s = self.span(*s);
        }
        super::blocks::read_facts(block, text);
    }
}

fn trim_end(span: Span, text: &str) -> Span {
    let s = span.text(text);
    Span::new(span.start, span.start + s.trim_end().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_keep_their_first_words_and_special_lines_stay_whole() {
        let text = "1.1 The Supplier shall deliver the Goods on time.\n\
                    2.1 Subject to Clause 5, the Buyer pays.\n\
                    第五条 买方应当按时付款并承担运输费用。\n\
                    EXPORT CONTROLS AND SANCTIONS COMPLIANCE\n\
                    short line\n";
        let e = Elided::of(text).expect("something is elided");
        assert_eq!(
            e.text,
            "1.1 The Supplier x\n\
             2.1 Subject to Clause 5, the Buyer pays.\n\
             第五条 买x\n\
             EXPORT CONTROLS AND SANCTIONS COMPLIANCE\n\
             short line\n"
        );
        // The stand-in maps to the first elided character, the line end to
        // the real line end.
        let x = e.text.find('x').unwrap();
        assert_eq!(&text[e.real(x)..e.real(x) + 5], "shall");
        assert_eq!(e.real(x + 1), text.find('\n').unwrap());
        // Kept text after a cut line maps exactly.
        let subj = e.text.find("Subject").unwrap();
        assert_eq!(&text[e.real(subj)..e.real(subj) + 7], "Subject");
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
