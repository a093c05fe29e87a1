//! Reading the blocks of plain paragraphs without the parser.
//!
//! `comity check` parses most of a contract's text only to learn how each
//! line begins: a clause number, a heading marker, a bullet, or text that
//! continues the block above. Between two blank lines (`\n\n`, where every
//! block the grammar knows has ended), a group of lines whose first tokens
//! this module can name for certain, and whose cross-references it can
//! place, is read here directly; every other group goes to tree-sitter as
//! before (`elide.rs`). The property tests and the fuzz target compare
//! the model built this way with a whole parse, and a test compares every
//! file of the bench corpus.
//!
//! What "for certain" rests on, in the grammar (`grammar.js`) and its
//! scanner (`scanner.c`):
//! - The caller hands over only groups without `\r` or NUL and outside HTML
//!   comments, with the matches of the `STRONG` pattern in `elide.rs`
//!   (what may make a definition or a quoted term). Each match must fall
//!   inside a construct this reader places (`line_constructs`): a quoted
//!   term that opens where the lexer surely starts a token, with the
//!   definition verb after it if there is one, or an inline definition.
//!   Everything else in a line is text or a cross-reference.
//! - A line's first token decides its block: a marker token (a number, an
//!   article number, a heading marker, a bullet) opens a block; otherwise
//!   the line is text, which continues a clause, article or paragraph and
//!   opens a paragraph after anything else. Marker tokens outrank the
//!   `word` token even where a word would be longer (`（一）双方…`).
//!   A line may also begin with a quoted term. Lines this reader cannot
//!   classify (leading space, `'`, `‘`, fences,
//!   `ARTICLE 5`, `第一章`, `附件一`, an ALL-CAPS line that may be a title,
//!   a number with more than three digits in a group…) send the group to
//!   the parser.
//! - A cross-reference is lexed where the scanner's text run stops: at an
//!   English keyword that starts a word (after a space), and at `第`, `本`
//!   and `附件` wherever they fall in a run. It is not lexed inside another
//!   token: a reference already lexed, or a `word` token, which runs from a
//!   character the scanner stops at to the next space or break character
//!   (`ABC附件3` at the start of a line is one word). Where this reader
//!   cannot be sure a reference is not inside a word (an English keyword
//!   glued to what precedes it, `附件` after a break character or a Latin
//!   letter in the same word, a reference at the start of a line's text),
//!   it sends the group to the parser.

use thin_vec::ThinVec;

use super::blocks::{
    Block, BlockKind, DefinitionForm, DefinitionSite, Marker, MarkerToken, inner_quoted,
    read_facts, strip_quotes, trim_end,
};
use super::elide::{is_caps_line_char, is_cn_numeral, is_hspace, is_word_break};
use comity_text::Span;
use tree_sitter_contract::vocabulary;

/// The marker token the grammar lexes at the start of a line's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// `number`, this many bytes long: `1.1`, `(a)`, `（一）`, `a)`, `1、`, `①`.
    Number(usize),
    /// `article_number`: `1.`, `第五条`, `一、`.
    Article(usize),
    /// No marker: the first token is text (a run or a word).
    Text,
}

/// Whether a token ending at `i` ends there: the line ends or a space follows.
fn ends_at(s: &str, i: usize) -> bool {
    s[i..].chars().next().is_none_or(is_hspace)
}

fn count_digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

fn count_cn_numerals(s: &str) -> usize {
    s.chars()
        .take_while(|&c| is_cn_numeral(c))
        .map(char::len_utf8)
        .sum()
}

/// Words that may begin a part number or an article number (`ARTICLE 5`,
/// `Section 12`), in any case.
fn is_marker_keyword(word: &str) -> bool {
    vocabulary::PART_KEYWORDS
        .iter()
        .chain(vocabulary::ARTICLE_KEYWORDS)
        .any(|k| word.eq_ignore_ascii_case(k))
}

/// The marker token at the start of `s` (a line's text, or what follows a
/// heading marker), or `None` if this reader cannot tell.
fn marker_at(s: &str) -> Option<Tok> {
    let c = s.chars().next()?;
    match c {
        '0'..='9' => {
            let d = count_digits(s);
            if d > vocabulary::NUMBER_DIGITS {
                // No marker has more than three digits in a group: a word.
                return Some(Tok::Text);
            }
            let rest = &s[d..];
            if rest.starts_with('.') {
                let mut i = d;
                let mut groups = 0;
                while s[i..].starts_with('.')
                    && s[i + 1..].starts_with(|c: char| c.is_ascii_digit())
                {
                    let g = count_digits(&s[i + 1..]);
                    if g > vocabulary::NUMBER_DIGITS {
                        return None;
                    }
                    i += 1 + g;
                    groups += 1;
                }
                if groups > vocabulary::NUMBER_GROUPS {
                    return None;
                }
                if s[i..].starts_with('.') {
                    i += 1;
                }
                if !ends_at(s, i) {
                    return None;
                }
                Some(if groups == 0 {
                    Tok::Article(i)
                } else {
                    Tok::Number(i)
                })
            } else if let Some(close) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, ')' | '）' | '、'))
            {
                Some(Tok::Number(d + close.len_utf8()))
            } else {
                Some(Tok::Text)
            }
        }
        '(' | '（' => {
            let open = c.len_utf8();
            let rest = &s[open..];
            let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let inner = if letters > 0 {
                if letters <= 3 { letters } else { 0 }
            } else {
                let d = count_digits(rest);
                if d > 0 {
                    if d <= vocabulary::NUMBER_DIGITS { d } else { 0 }
                } else {
                    count_cn_numerals(rest)
                }
            };
            match rest[inner..].chars().next() {
                Some(close @ (')' | '）')) if inner > 0 => {
                    Some(Tok::Number(open + inner + close.len_utf8()))
                }
                // A word. (An inline definition would need a quote.)
                _ => Some(Tok::Text),
            }
        }
        'a'..='z' => {
            // The scanner looks at up to three lower-case letters: unless a
            // `)` follows them, it starts a text run (`aA) x` is text).
            let k = s.bytes().take(3).take_while(u8::is_ascii_lowercase).count();
            match s[k..].chars().next() {
                Some(close @ (')' | '）')) => {
                    (k <= 2).then_some(Tok::Number(k + close.len_utf8()))
                }
                _ => Some(Tok::Text),
            }
        }
        'A'..='Z' => {
            let n = s.bytes().take_while(u8::is_ascii_alphabetic).count();
            match s[n..].chars().next() {
                // After a capital, the lexer follows `caps_line` on through
                // `,` or `(`, and a word may then outlast the number
                // (`A),一` is a word): only a space or the line end is sure.
                Some(close @ (')' | '）')) => {
                    let len = n + close.len_utf8();
                    (n <= 2 && ends_at(s, len)).then_some(Tok::Number(len))
                }
                Some('.') if n == 1 => ends_at(s, 2).then_some(Tok::Number(2)),
                _ if is_marker_keyword(&s[..n]) => None,
                _ => Some(Tok::Text),
            }
        }
        '第' => {
            let rest = &s[c.len_utf8()..];
            let d = count_digits(rest);
            let n = if d > 0 {
                if d <= vocabulary::NUMBER_DIGITS {
                    d
                } else {
                    return None;
                }
            } else {
                count_cn_numerals(rest)
            };
            (n > 0 && rest[n..].starts_with('条'))
                .then_some(Tok::Article(c.len_utf8() + n + '条'.len_utf8()))
        }
        c if is_cn_numeral(c) => {
            let n = count_cn_numerals(s);
            match s[n..].chars().next() {
                Some(end @ ('、' | '.' | '．')) => Some(Tok::Article(n + end.len_utf8())),
                _ => Some(Tok::Text),
            }
        }
        '\u{2460}'..='\u{2473}' | '\u{2776}'..='\u{277F}' => Some(Tok::Number(c.len_utf8())),
        '附' => (!s[c.len_utf8()..].starts_with('件')).then_some(Tok::Text),
        '本' => Some(Tok::Text),
        c if vocabulary::is_bullet(c) => None,
        '#' | '>' | '`' | '~' | '<' | '_' => None,
        c if is_hspace(c) || is_word_break(c) => None,
        _ => Some(Tok::Text),
    }
}

/// Where the first token of text that is not a marker ends, if it is the
/// grammar's `word` token: where the scanner declines to start a run (a
/// capital, a digit, a CJK numeral, `(`, `本`, `附`) and the internal lexer
/// takes a word, which runs to the next space or break character. `None`
/// if a text run starts there.
fn head_word_end(s: &str) -> Option<usize> {
    let c = s.chars().next()?;
    let word = c.is_ascii_uppercase()
        || c.is_ascii_digit()
        || is_cn_numeral(c)
        || matches!(c, '(' | '（' | '第' | '本' | '附');
    if !word {
        return None;
    }
    let from = if is_word_break(c) { c.len_utf8() } else { 0 };
    Some(
        from + s[from..]
            .find(|c: char| is_hspace(c) || is_word_break(c))
            .unwrap_or(s.len() - from),
    )
}

/// Whether the scanner takes the letters at the start of `s` for the
/// keyword of a cross-reference (`xref_ahead`): it knows fewer spellings
/// than the grammar's token (no `exhibit`, `Subclause`).
fn scanner_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = vocabulary::SCANNER_KEYWORDS;
    let len = s
        .bytes()
        .enumerate()
        .take_while(|&(i, b)| b.is_ascii_alphabetic() || (b == b'-' && i > 0))
        .count();
    if !(4..=15).contains(&len) {
        return false;
    }
    let word = &s[..len];
    KEYWORDS.iter().any(|k| {
        word.strip_prefix(k)
            .is_some_and(|rest| matches!(rest, "" | "s" | "S" | "es"))
    })
}

/// How one line begins.
struct Line {
    start: usize,
    /// The block the line opens, with its marker (and a heading's number).
    opens: Option<(BlockKind, Marker, Option<Span>)>,
    /// Where the marker (and number) ends; the line's start for text.
    marker_end: usize,
    /// Where the line's text (a body or a title) begins, if it has any.
    text_start: Option<usize>,
    /// The text begins like a line (`_line_body`: a paragraph, a wrapped
    /// line, a heading's title), where the scanner treats the first word
    /// apart, rather than like a clause's body.
    line_mode: bool,
    /// The end of the `word` token the text begins with, if it does.
    word_end: Option<usize>,
}

fn first_non_space(text: &str, from: usize, end: usize) -> Option<usize> {
    text[from..end]
        .find(|c: char| !is_hspace(c))
        .map(|i| from + i)
}

/// Reads how the line `start..end` of `text` begins; `None` if this reader
/// cannot tell.
fn read_line(text: &str, start: usize, end: usize) -> Option<Line> {
    let s = &text[start..end];
    let c = s.chars().next()?;
    if c.is_ascii_uppercase() && s.chars().all(is_caps_line_char) {
        return None; // maybe an ALL-CAPS title (`caps_line`)
    }
    let text_line = |at: usize| Line {
        start,
        opens: None,
        marker_end: at,
        text_start: Some(at),
        line_mode: true,
        word_end: head_word_end(&text[at..end]).map(|w| at + w),
    };
    // A heading: `# Title`, `## 1. Definitions`.
    let hashes = s.bytes().take_while(|&b| b == b'#').count();
    if hashes > 0 {
        if hashes > 6 || !matches!(s.as_bytes().get(hashes), Some(b' ' | b'\t')) {
            return None;
        }
        let (kind, token) = if hashes == 1 {
            (BlockKind::PartHeading, MarkerToken::AtxH1)
        } else {
            (BlockKind::Subheading, MarkerToken::Atx(hashes as u8))
        };
        let marker = Marker {
            token,
            span: Span::new(start, start + hashes),
        };
        let mut line = Line {
            opens: Some((kind, marker, None)),
            ..text_line(start + hashes + 1)
        };
        let Some(at) = first_non_space(text, start + hashes + 1, end) else {
            line.text_start = None;
            line.word_end = None;
            return Some(line);
        };
        let title = match marker_at(&text[at..end])? {
            Tok::Text => at,
            Tok::Number(n) | Tok::Article(n) => {
                if let Some((_, _, number)) = &mut line.opens {
                    *number = Some(Span::new(at, at + n));
                }
                line.marker_end = at + n;
                match first_non_space(text, at + n, end) {
                    // A title that starts like a number reads as a word: rare.
                    Some(t) if marker_at(&text[t..end])? != Tok::Text => return None,
                    Some(t) => t,
                    None => {
                        line.text_start = None;
                        line.word_end = None;
                        return Some(line);
                    }
                }
            }
        };
        line.text_start = Some(title);
        line.word_end = head_word_end(&text[title..end]).map(|w| title + w);
        return Some(line);
    }
    // A list item: `- `, `* `, `• `.
    if vocabulary::is_bullet(c) && matches!(s[c.len_utf8()..].bytes().next(), Some(b' ' | b'\t')) {
        let marker = Marker {
            token: MarkerToken::Bullet,
            span: Span::new(start, start + c.len_utf8()),
        };
        let body = start + c.len_utf8() + 1;
        return Some(Line {
            start,
            opens: Some((BlockKind::ListItem, marker, None)),
            marker_end: body,
            text_start: first_non_space(text, body, end),
            line_mode: false,
            word_end: None,
        });
    }
    // A quoted term (or a definition) at the start: the lexer takes the
    // quote (`line_constructs` checks that its pattern matches).
    if QUOTE_OPENERS.iter().any(|o| s.starts_with(o)) {
        return Some(text_line(start));
    }
    let (kind, token, n) = match marker_at(s)? {
        Tok::Text => return Some(text_line(start)),
        Tok::Number(n) => (BlockKind::Clause, MarkerToken::Number, n),
        Tok::Article(n) => (BlockKind::Article, MarkerToken::ArticleNumber, n),
    };
    let marker = Marker {
        token,
        span: Span::new(start, start + n),
    };
    Some(Line {
        start,
        opens: Some((kind, marker, None)),
        marker_end: start + n,
        text_start: first_non_space(text, start + n, end),
        line_mode: false,
        word_end: None,
    })
}

/// A token the grammar lexes around a quote: a quoted term, a definition
/// (a quoted term and its verb: `"Goods" means`, `“制裁”是指`) or an inline
/// definition (`(the "Buyer")`, `（以下简称“卖方”）`).
struct Construct {
    span: Span,
    definition: Option<DefinitionSite>,
}

/// What a quoted term this reader places may open with: the quotes and
/// `**` of the grammar's `_quoted` token, but `‘` and `'`.
const QUOTE_OPENERS: [&str; 5] = ["\"", "\u{201C}", "\u{300C}", "\u{300E}", "**"];

/// The end of the text inside quotes that `s` begins with and the closing
/// quote after it: one to `max` characters up to the first of `closes`
/// (`[^…]{1,max}[…]` in the grammar), within the line.
fn quoted_run(s: &str, closes: &[char], max: usize) -> Option<usize> {
    for (n, (i, c)) in s.char_indices().enumerate() {
        if closes.contains(&c) {
            return (n >= 1).then_some(i + c.len_utf8());
        }
        if n >= max || c == '\n' || c == '\r' {
            return None;
        }
    }
    None
}

/// Whether emphasis (`**` or `__`) stands at `at` in `s`.
fn emphasis_at(s: &str, at: usize) -> bool {
    s[at..].starts_with("**") || s[at..].starts_with("__")
}

/// The length of the grammar's `_quoted` token at the start of `s`, if it
/// begins with `"`, `“`, `「`, `『` or `**`: the longest of the token's
/// alternatives, as the lexer takes it (`**"A" and "B"**` is one token).
/// Apostrophes and `‘` begin no construct here: the caller sends their
/// lines to the parser.
fn quoted_len(s: &str) -> Option<usize> {
    let mut best = None;
    let pre = if emphasis_at(s, 0) { 2 } else { 0 };
    for (open, close) in [('"', '"'), ('\u{201C}', '\u{201D}')] {
        if let Some(rest) = s[pre..].strip_prefix(open)
            && let Some(n) = quoted_run(rest, &[close], vocabulary::QUOTED_MAX)
        {
            let end = pre + open.len_utf8() + n;
            best = best.max(Some(if emphasis_at(s, end) { end + 2 } else { end }));
        }
    }
    for (open, close) in [('\u{300C}', '\u{300D}'), ('\u{300E}', '\u{300F}')] {
        if let Some(rest) = s.strip_prefix(open)
            && let Some(n) = quoted_run(rest, &[close], vocabulary::QUOTED_MAX)
        {
            best = best.max(Some(open.len_utf8() + n));
        }
    }
    // `**…**`: the text stops at the first `*`, which must begin `**`.
    if let Some(rest) = s.strip_prefix("**")
        && let Some(n) = quoted_run(rest, &['*'], vocabulary::QUOTED_MAX)
        && rest[n - 1..].starts_with("**")
    {
        best = best.max(Some(2 + n + 1));
    }
    best
}

/// The length of the definition verb (the scanner's `means`) at the start
/// of `s`: `指`, `是指` and the like, or the longest English verb that no
/// ASCII letter continues.
fn verb_len(s: &str) -> Option<usize> {
    const VERBS: &[&str] = vocabulary::DEFINITION_VERBS;
    const ZH: char = vocabulary::ZH_VERB;
    match s.chars().next()? {
        ZH => return Some(ZH.len_utf8()),
        c if vocabulary::is_zh_verb_lead(c) => {
            let n = c.len_utf8();
            return s[n..].starts_with(ZH).then_some(n + ZH.len_utf8());
        }
        _ => {}
    }
    VERBS
        .iter()
        .filter(|v| {
            s.strip_prefix(**v)
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphabetic()))
        })
        .map(|v| v.len())
        .max()
}

/// Whether `s`, after a quoted term, begins like one of the vocabulary's
/// definition verbs without being one (`meaning`, `shall apply`, `has
/// been`): the scanner reads into such words as far as a verb goes, and a
/// verb this reader did not know would make a definition it would miss.
/// Rather than answer "a term with no definition", the reader declines.
fn verb_unsure(s: &str) -> bool {
    vocabulary::DEFINITION_VERBS
        .iter()
        .any(|v| v.bytes().zip(s.bytes()).take_while(|(a, b)| a == b).count() >= 3)
}

/// The ends of a quoted term of an inline definition starting at `at` in
/// `s`: `(\*\*|__)?["“][^"”]{1,max}["”](\*\*|__)?`.
fn inline_term_ends(s: &str, at: usize, max: usize, out: &mut Vec<usize>) {
    let pre = if emphasis_at(s, at) { at + 2 } else { at };
    let Some(open) = s[pre..]
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\u{201C}'))
    else {
        return;
    };
    let from = pre + open.len_utf8();
    let Some(n) = quoted_run(&s[from..], &['"', '\u{201D}'], max) else {
        return;
    };
    let end = from + n;
    out.push(end);
    if emphasis_at(s, end) {
        out.push(end + 2);
    }
}

/// The length of the grammar's `inline_definition` token at the start of
/// `s` (which begins with `(` or `（`): the longest match of either of its
/// patterns.
fn inline_definition_len(s: &str) -> Option<usize> {
    // (No lead is a lead too.)
    let leads = std::iter::once("").chain(vocabulary::INLINE_LEADS.iter().copied());
    const ZH_LEADS: &[&str] = vocabulary::ZH_INLINE_LEADS;
    let open = s.chars().next().filter(|c| matches!(c, '(' | '（'))?;
    let after = open.len_utf8();
    let closed = |i: usize| {
        s[i..]
            .chars()
            .next()
            .filter(|c| matches!(c, ')' | '）'))
            .map(|c| i + c.len_utf8())
    };
    let mut best = None;
    let mut ends = Vec::new();
    for lead in leads {
        if !s[after..].starts_with(lead) {
            continue;
        }
        ends.clear();
        inline_term_ends(
            s,
            after + lead.len(),
            vocabulary::INLINE_TERM_MAX,
            &mut ends,
        );
        // Up to four more terms: `,? ?(or |and )?` and a term of up to 40.
        let mut frontier = ends.clone();
        for _ in 0..vocabulary::INLINE_EXTRA_TERMS {
            let mut next = Vec::new();
            for &e in &frontier {
                let mut seps = vec![e];
                if s[e..].starts_with(',') {
                    seps.push(e + 1);
                }
                for i in 0..seps.len() {
                    if s[seps[i]..].starts_with(' ') {
                        seps.push(seps[i] + 1);
                    }
                }
                for i in 0..seps.len() {
                    for word in ["or ", "and "] {
                        if s[seps[i]..].starts_with(word) {
                            seps.push(seps[i] + word.len());
                        }
                    }
                }
                for sep in seps {
                    inline_term_ends(s, sep, vocabulary::INLINE_EXTRA_TERM_MAX, &mut next);
                }
            }
            next.sort_unstable();
            next.dedup();
            ends.extend_from_slice(&next);
            frontier = next;
        }
        best = ends.iter().filter_map(|&e| closed(e)).max().max(best);
    }
    for lead in ZH_LEADS {
        if !s[after..].starts_with(lead) {
            continue;
        }
        let mut at = after + lead.len();
        if let Some(colon) = s[at..].chars().next().filter(|c| matches!(c, ':' | '：')) {
            at += colon.len_utf8();
        }
        let Some(quote) = s[at..]
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\u{201C}' | '\u{300C}'))
        else {
            continue;
        };
        let from = at + quote.len_utf8();
        if let Some(n) = quoted_run(
            &s[from..],
            &['"', '\u{201D}', '\u{300D}'],
            vocabulary::ZH_INLINE_TERM_MAX,
        ) {
            best = closed(from + n).max(best);
        }
    }
    best
}

/// Whether the scanner may take `c`, just before a quote, as part of a
/// sentence end (`."`, `。”`), which would swallow the quote.
fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '。'
            | '！'
            | '？'
            | '"'
            | '\''
            | ')'
            | '\u{201D}'
            | '\u{2019}'
            | '\u{300D}'
            | '\u{300F}'
            | '）'
    )
}

/// The constructs of `line` (which ends at `end`), given the matches of
/// `STRONG` in it (`elide.rs`), in order; `None` if this reader cannot
/// tell how the grammar lexes one of them. Every match must fall inside a
/// quoted term, a definition or an inline definition that begins where
/// the lexer surely starts a token:
/// - a quote or `**` opens a token wherever it stands (it ends a `word`
///   and stops a text run), unless a sentence end may take it as a closer
///   or a `_` or `*` before it may begin a longer token;
/// - a `(` after a space, or any `（`, opens one where the inline
///   definition's pattern matches (a text run stops at it, a `word` or a
///   reference cannot hold it).
///
/// After a quoted term the parser accepts a definition verb: the scanner's
/// `means`, when one follows, makes the two a definition.
fn line_constructs(
    text: &str,
    line: &Line,
    end: usize,
    strong: &[(usize, usize)],
    out: &mut Vec<Construct>,
) -> Option<()> {
    let from = line.text_start?;
    let mut last = from;
    for &(s, e) in strong {
        if s < last {
            if e > last {
                return None;
            }
            continue; // inside the construct before
        }
        if line.word_end.is_some_and(|w| s < w) {
            return None;
        }
        let open = text[last..s].rfind(['(', '（']).map(|i| last + i);
        if let Some(p) = open
            && let Some(len) = inline_definition_len(&text[p..end])
            && p + len > s
        {
            let spaced = text[..p].chars().next_back().is_some_and(is_hspace);
            if p == from || !(spaced || text[p..].starts_with('（')) {
                return None;
            }
            let span = Span::new(p, p + len);
            out.push(Construct {
                span,
                definition: inner_quoted(span, text).map(|term| DefinitionSite {
                    form: DefinitionForm::Inline,
                    term,
                    construct: span,
                }),
            });
            last = span.end;
            continue;
        }
        if !QUOTE_OPENERS.iter().any(|o| text[s..].starts_with(o)) {
            return None; // `'`, `‘`, a closing quote, `§`, `本…所称`
        }
        if s > from
            && text[..s]
                .chars()
                .next_back()
                .is_some_and(|c| ends_sentence(c) || c == '_' || c == '*')
        {
            return None;
        }
        let quoted = Span::new(s, s + quoted_len(&text[s..end])?);
        let verb_at = first_non_space(text, quoted.end, end).unwrap_or(end);
        let definition = (verb_at < end)
            .then(|| verb_len(&text[verb_at..end]))
            .flatten()
            .map(|n| Span::new(s, verb_at + n));
        if definition.is_none() && verb_at < end && verb_unsure(&text[verb_at..end]) {
            return None;
        }
        let span = definition.unwrap_or(quoted);
        out.push(Construct {
            span,
            definition: definition.and_then(|construct| {
                strip_quotes(quoted, text).map(|term| DefinitionSite {
                    form: DefinitionForm::Means,
                    term,
                    construct,
                })
            }),
        });
        last = span.end;
    }
    Some(())
}

/// The cross-references the grammar lexes in `line`, given the matches of
/// its pattern that start in it (overlapping ones included), in order;
/// `None` if this reader cannot tell.
fn line_references(
    text: &str,
    line: &Line,
    matches: &[(usize, usize)],
    constructs: &[Construct],
    out: &mut ThinVec<Span>,
) -> Option<()> {
    let mut last_end = line.start;
    let mut constructs = constructs.iter().peekable();
    for &(s, e) in matches {
        while let Some(c) = constructs.next_if(|c| c.span.end <= s) {
            last_end = last_end.max(c.span.end);
        }
        if let Some(c) = constructs.peek()
            && c.span.start < e
        {
            if s < c.span.start {
                return None; // a match that runs into a construct
            }
            continue; // inside a construct
        }
        if s < last_end {
            continue; // inside a reference already lexed
        }
        if s < line.marker_end {
            if e > line.marker_end {
                return None;
            }
            continue; // the marker itself (`第五条`)
        }
        if line.line_mode && Some(s) == line.text_start {
            return None; // how the first word reads depends on the line's start
        }
        if line.word_end.is_some_and(|w| s < w) {
            continue; // inside the word the line's text begins with
        }
        let c = text[s..].chars().next()?;
        if c.is_ascii() {
            // An English keyword: a reference only at a word start.
            if !text[..s].chars().next_back().is_some_and(is_hspace) {
                return None;
            }
            if !scanner_keyword(&text[s..e]) {
                continue; // the scanner reads the word as text
            }
        } else if c == '附' {
            // `附` breaks no word: the text since the last certain token
            // start must hold nothing that may have begun one.
            let space = text[..s]
                .char_indices()
                .rev()
                .take_while(|&(i, _)| i >= line.start)
                .find(|&(_, c)| is_hspace(c))
                .map_or(line.start, |(i, c)| i + c.len_utf8());
            let from = space
                .max(last_end)
                .max(line.word_end.unwrap_or(line.start))
                .max(line.text_start.unwrap_or(line.start));
            let from = from.min(s);
            if text[from..s]
                .chars()
                .any(|c| is_word_break(c) || c == '_' || c == '附' || c.is_ascii_alphanumeric())
            {
                return None;
            }
        } else if c == '本'
            && text[..e].ends_with(|c: char| c.is_ascii_digit())
            && text[e..].starts_with('.')
        {
            // `本协议5.`: the lexer reads on for `.1`, and the `word` token
            // it passes on the way, ended later, is what it takes.
            return None;
        }
        // `第` and `本` end every word before them.
        out.push(Span::new(s, e));
        last_end = e;
    }
    Some(())
}

/// A block being read: the block, and where its body begins.
struct Open {
    block: Block,
    body_start: Option<usize>,
}

impl Open {
    fn finish(self, text: &str, out: &mut Vec<Block>) {
        let mut block = self.block;
        block.span = trim_end(block.span, text);
        if let Some(start) = self.body_start {
            let body = trim_end(Span::new(start, block.span.end), text);
            if !body.is_empty() {
                block.body = Some(body);
            }
        }
        read_facts(&mut block, text);
        out.push(block);
    }
}

/// Reads the blocks of a group of lines (`lines`: each line's start and
/// end in `text`, without its line break; no line empty) and appends them
/// to `out`, given the matches of the cross-reference pattern that start in
/// the group. Returns false, appending nothing, if this reader cannot tell
/// how some line reads.
pub(super) fn read_group(
    text: &str,
    lines: &[(usize, usize)],
    matches: &[(usize, usize)],
    strong: &[(usize, usize)],
    out: &mut Vec<Block>,
) -> bool {
    let before = out.len();
    if read_group_into(text, lines, matches, strong, out).is_none() {
        out.truncate(before);
        return false;
    }
    true
}

fn read_group_into(
    text: &str,
    lines: &[(usize, usize)],
    mut matches: &[(usize, usize)],
    mut strong: &[(usize, usize)],
    out: &mut Vec<Block>,
) -> Option<()> {
    let mut open: Option<Open> = None;
    let mut constructs = Vec::new();
    for &(start, end) in lines {
        let line = read_line(text, start, end)?;
        let continues = line.opens.is_none()
            && open.as_ref().is_some_and(|o| {
                matches!(
                    o.block.kind,
                    BlockKind::Article | BlockKind::Clause | BlockKind::Paragraph
                )
            });
        if continues {
            let o = open.as_mut().expect("a block is open");
            o.block.span.end = end;
            o.body_start = o.body_start.or(line.text_start);
        } else {
            if let Some(o) = open.take() {
                o.finish(text, out);
            }
            let (kind, marker, number) = match &line.opens {
                Some((kind, marker, number)) => (*kind, Some(marker.clone()), *number),
                None => (BlockKind::Paragraph, None, None),
            };
            open = Some(Open {
                block: Block {
                    marker,
                    number,
                    ..Block::new(kind, Span::new(start, end))
                },
                body_start: line.text_start,
            });
        }
        let k = matches.partition_point(|&(s, _)| s < end);
        let (here, rest) = matches.split_at(k);
        matches = rest;
        let k = strong.partition_point(|&(s, _)| s < end);
        let (quotes, rest) = strong.split_at(k);
        strong = rest;
        constructs.clear();
        if !quotes.is_empty() {
            line_constructs(text, &line, end, quotes, &mut constructs)?;
        }
        let o = open.as_mut().expect("a block is open");
        line_references(
            text,
            &line,
            here,
            &constructs,
            &mut o.block.cross_references,
        )?;
        o.block
            .definitions
            .extend(constructs.iter().filter_map(|c| c.definition.clone()));
    }
    open?.finish(text, out);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marker tokens the grammar lexes at a line's start, and the
    /// starts this reader leaves to the parser (`None`); each one is also
    /// compared with a whole parse by the property tests.
    #[test]
    fn line_starts_read_as_the_grammar_lexes_them() {
        for (line, tok) in [
            ("1.1 The Supplier", Some(Tok::Number(3))),
            ("1.1. The Supplier", Some(Tok::Number(4))),
            ("1. Definitions", Some(Tok::Article(2))),
            ("1.1, the", None),
            ("1.2345 x", None),
            ("2026 was", Some(Tok::Text)),
            ("12 months", Some(Tok::Text)),
            ("1、买方", Some(Tok::Number(4))),
            ("(a)the", Some(Tok::Number(3))),
            ("(iv) x", Some(Tok::Number(4))),
            ("(abcd) x", Some(Tok::Text)),
            ("（一）双方", Some(Tok::Number(9))),
            ("a) x", Some(Tok::Number(2))),
            ("aA) x", Some(Tok::Text)),
            ("abc) x", None),
            ("A) x", Some(Tok::Number(2))),
            ("A),一", None),
            ("A. Background", Some(Tok::Number(2))),
            ("A.B. Smith", None),
            ("ARTICLE 5", None),
            ("Section 12", None),
            ("The Supplier", Some(Tok::Text)),
            ("第五条 出口管制", Some(Tok::Article(9))),
            ("第5条", Some(Tok::Article(7))),
            ("第5.2条", None),
            ("第一章 总则", None),
            ("一、买方", Some(Tok::Article(6))),
            ("一方违约", Some(Tok::Text)),
            ("附件一", None),
            ("附则", Some(Tok::Text)),
            ("① 第一项", Some(Tok::Number(3))),
            ("# Title", None),
            ("> quoted", None),
            (" indented", None),
            ("| a | b |", Some(Tok::Text)),
            ("甲方应当", Some(Tok::Text)),
        ] {
            assert_eq!(marker_at(line), tok, "{line:?}");
        }
    }

    /// The grammar's `_quoted` and `inline_definition` tokens are the
    /// longest match of their patterns; the verb is the scanner's longest.
    #[test]
    fn quotes_definitions_and_inline_definitions_are_the_tokens_lexed() {
        for (s, len) in [
            ("\"Goods\" means", Some(7)),
            ("\"**Goods**\" means", Some(11)),
            ("**\"Goods\"** means", Some(11)),
            ("**\"A\" and \"B\"** x", Some(15)),
            ("“制裁”是指", Some(12)),
            ("「制裁」", Some(12)),
            ("**Acme Co., Ltd.**, a", Some(18)),
            ("\"\"", None),
            ("\"Goods", None),
            ("**", None),
            ("‘X’", None),
        ] {
            assert_eq!(quoted_len(s), len, "{s:?}");
        }
        assert_eq!(quoted_len(&format!("\"{}\"", "x".repeat(120))), Some(122));
        assert_eq!(quoted_len(&format!("\"{}\"", "x".repeat(121))), None);
        for (s, len) in [
            ("means the", Some(5)),
            ("mean the", Some(4)),
            ("meaning", None),
            ("shall have the meaning given", Some(22)),
            ("has the meanings", None),
            ("means.", Some(5)),
            ("指第5条", Some(3)),
            ("是指", Some(6)),
            ("：指", Some(6)),
            ("是第5条", None),
            ("Means", None),
        ] {
            assert_eq!(verb_len(s), len, "{s:?}");
        }
        // (The text, and the token it begins with.)
        for (s, token) in [
            ("(the \"Buyer\"); and", Some("(the \"Buyer\")")),
            (
                "(hereinafter referred to as \"Buyer\")",
                Some("(hereinafter referred to as \"Buyer\")"),
            ),
            (
                "(collectively, the \"Parties\")",
                Some("(collectively, the \"Parties\")"),
            ),
            (
                "(\"A\", \"B\" and \"C\") x",
                Some("(\"A\", \"B\" and \"C\")"),
            ),
            ("(\"A\"**, \"B\")", Some("(\"A\"**, \"B\")")),
            ("(the \"A\" and more)", None),
            ("(the\"A\")", None),
            ("（以下简称“卖方”）。", Some("（以下简称“卖方”）")),
            ("（简称：“卖方”）", Some("（简称：“卖方”）")),
            ("(以下简称「卖方」)", Some("(以下简称「卖方」)")),
            ("（以下简称卖方）", None),
        ] {
            assert_eq!(inline_definition_len(s), token.map(str::len), "{s:?}");
        }
    }

    #[test]
    fn the_scanners_keywords_are_its_own_not_the_grammars() {
        for (word, ok) in [
            ("Clause 5", true),
            ("Clauses 5", true),
            ("sub-clause 2", true),
            ("Annexes 3", true),
            ("Subclause 2", false),
            ("exhibit 4", false),
            ("ANNEXES 2", false),
            ("Part IV", true),
        ] {
            assert_eq!(scanner_keyword(word), ok, "{word:?}");
        }
    }

    /// After a quoted term, a word that begins like a definition verb but
    /// is none of the vocabulary's sends the group to the parser, rather
    /// than read as a term with no definition.
    #[test]
    fn a_near_verb_after_a_quoted_term_is_left_to_the_parser() {
        for (text, read) in [
            ("1.1 \"Goods\" means the goods.", true),
            ("1.1 \"Goods\" are the goods.", true),
            ("1.1 \"Goods\" meaning the goods.", false),
            ("1.1 \"Goods\" shall be delivered.", false),
            ("1.1 \"Goods\" has been defined.", false),
            ("1.1 “货物”是指本合同项下的货物。", true),
        ] {
            let strong: Vec<(usize, usize)> = text
                .match_indices(['"', '“', '”'])
                .map(|(i, q)| (i, i + q.len()))
                .collect();
            let mut out = Vec::new();
            let got = read_group(text, &[(0, text.len())], &[], &strong, &mut out);
            assert_eq!(got, read, "{text:?}");
            assert_eq!(out.is_empty(), !read);
        }
    }

    #[test]
    fn a_word_at_a_lines_start_runs_to_a_space_or_a_break() {
        assert_eq!(head_word_end("ABC附件3 遵守"), Some("ABC附件3".len()));
        assert_eq!(
            head_word_end("（以下简称附件一）"),
            Some("（以下简称附件一）".len())
        );
        assert_eq!(head_word_end("2026年第五条"), Some("2026年".len()));
        assert_eq!(head_word_end("the Supplier"), None);
        assert_eq!(head_word_end("甲方按附件一"), None);
    }
}
