//! The clause hierarchy: which clause every block belongs to, with numbers,
//! headings and parents.

use std::ops::Range;

use compact_str::{CompactString, format_compact};
use serde::Serialize;

use super::blocks::{Block, BlockKind, MarkerToken};
use super::numbering::{self, NumberStyle, opens_clause, style_of};
use comity_text::Span;

pub type ClauseId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    /// Opened by a part-level heading (`# Title`, `ARTICLE 5`, `第五章`, `Schedule 2`).
    Part,
    /// Opened by a section-level heading (`## 1. Definitions`, an ALL-CAPS line).
    Section,
    /// Opened by a clause number (`1.`, `1.1`, `(a)`, `第五条`, `一、`).
    Clause,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    pub kind: ClauseKind,
    pub style: Option<NumberStyle>,
    /// Whether the clause is a heading-level unit that un-numbered blocks
    /// after it stay in (a heading, or numbered in a heading style).
    pub opens_level: bool,
    pub depth: u32,
    /// The letter of an alphabetic number (`(c)` → `c`), for telling `(i)`
    /// the letter from `(i)` the roman numeral.
    alpha: Option<char>,
    /// The number as written (see [`Clause::number`]).
    pub number_span: Option<Span>,
    /// The number including the numbers of the parents that it is relative to:
    /// `(a)` under `5.1` is `5.1(a)`; `（一）` under `第五条` is `第五条（一）`.
    /// Kept inline (labels are short), so a million clauses need no million
    /// small allocations.
    pub label: Option<CompactString>,
    /// The heading's title (see [`Clause::heading`]).
    pub heading_span: Option<Span>,
    /// From the clause's first character to the end of its last descendant.
    pub span: Span,
    /// The span of the clause's own blocks, without its sub-clauses.
    pub own_span: Span,
    /// The blocks of the clause and its descendants.
    pub blocks: Range<usize>,
    pub parent: Option<ClauseId>,
}

impl Clause {
    /// The number as written: `5.1`, `(a)`, `第五条`, `ARTICLE 5`, `Section 12.`.
    pub fn number<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.number_span.map(|s| s.text(text).trim())
    }

    /// The title of the clause: a heading, a title-like first line or a
    /// run-in heading (`Export Control.`), without emphasis marks.
    pub fn heading<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.heading_span.map(|s| s.text(text))
    }

    /// The label, or else the number as written (how the clause is cited).
    pub fn label_or_number<'a>(&'a self, text: &'a str) -> Option<&'a str> {
        self.label.as_deref().or_else(|| self.number(text))
    }
}

struct Open {
    id: ClauseId,
    style: Option<NumberStyle>,
    alpha: Option<char>,
    heading: bool,
}

fn is_heading_style(style: Option<NumberStyle>) -> bool {
    matches!(
        style,
        None | Some(
            NumberStyle::Atx(_)
                | NumberStyle::Caps
                | NumberStyle::ArticleKeyword
                | NumberStyle::PartKeyword
                | NumberStyle::Schedule
                | NumberStyle::CnChapter
        )
    )
}

/// Styles that number the main clauses of a contract; they never sit below
/// item-level numbers such as `(a)` or `①`.
fn is_article_level(style: NumberStyle) -> bool {
    matches!(
        style,
        NumberStyle::Dotted(1)
            | NumberStyle::SectionKeyword
            | NumberStyle::ClauseKeyword
            | NumberStyle::CnArticle
    )
}

/// Builds the clause tree from the blocks, in document order.
pub fn build(blocks: &[Block], text: &str) -> Vec<Clause> {
    // Sized up front: on a large file, doubling a vector of a million
    // clauses would hold the old and the new buffer at once.
    let opening = blocks.iter().filter(|b| opens_clause(b)).count();
    let mut m = Machine {
        clauses: Store {
            head: &mut [],
            mid: Vec::with_capacity(opening),
        },
        stack: Vec::new(),
    };
    for i in 0..blocks.len() {
        m.step(blocks, i, text);
    }
    let mut clauses = m.clauses.mid;
    for clause in clauses.iter_mut() {
        set_spans(clause, blocks);
    }
    clauses
}

/// The innermost clause of each block: the last clause opened at or before it.
pub fn block_clauses(blocks: &[Block], clauses: &[Clause]) -> Vec<Option<ClauseId>> {
    let mut out = vec![None; blocks.len()];
    let mut next = 0;
    let mut current = None;
    for (b, slot) in out.iter_mut().enumerate() {
        if next < clauses.len() && clauses[next].blocks.start == b {
            current = Some(next);
            next += 1;
        }
        *slot = current;
    }
    out
}

/// Rebuilds the clause tree after the blocks `rebuilt` (indices in the new
/// `blocks`) replaced some old ones, the blocks after them moving by
/// `block_delta` places and `byte_delta` bytes. Clauses are built anew from
/// the first rebuilt block up to the first later block where the open clauses
/// are again what they were before; the clauses after that are only moved.
/// The result is what [`build`] and [`block_clauses`] give.
pub fn rebuild(
    clauses: &mut Vec<Clause>,
    block_clause: &mut Vec<Option<ClauseId>>,
    blocks: &[Block],
    text: &str,
    rebuilt: Range<usize>,
    block_delta: isize,
    byte_delta: isize,
) -> Rebuilt {
    let old_len = blocks.len() as isize - block_delta;
    if old_len < 0 || block_clause.len() != old_len as usize || rebuilt.end > blocks.len() {
        *clauses = build(blocks, text);
        *block_clause = block_clauses(blocks, clauses);
        return Rebuilt {
            context: 0..blocks.len(),
            built: 0..blocks.len(),
            open: Vec::new(),
        };
    }
    let bs = rebuilt.start;
    // The clauses opened before the first rebuilt block stay; the open ones
    // among them (the last one and its ancestors) are the machine's stack.
    let head = clauses.partition_point(|c| c.blocks.start < bs);
    let (head_part, old) = clauses.split_at_mut(head);
    let old: &[Clause] = old;
    let first_stack = chain(head.checked_sub(1), |id| &head_part[id]);
    // Their ends before the edit (the machine moves them as it goes).
    let head_ends: Vec<(ClauseId, usize)> = first_stack
        .iter()
        .map(|&id| (id, head_part[id].blocks.end))
        .collect();
    let mut m = Machine {
        stack: first_stack
            .iter()
            .map(|&id| Open::of(id, &head_part[id]))
            .collect(),
        clauses: Store {
            head: head_part,
            mid: Vec::new(),
        },
    };
    // As in a full build at this point, they reach up to here; the machine
    // extends them while they stay open.
    for &id in &first_stack {
        m.clauses[id].blocks.end = bs;
    }
    let mut converged = None;
    for i in bs..blocks.len() {
        if i >= rebuilt.end {
            let oi = (i as isize - block_delta) as usize;
            let ko = head + old.partition_point(|c| c.blocks.start < oi);
            let get = |id: ClauseId| {
                if id < head {
                    &m.clauses[id]
                } else {
                    &old[id - head]
                }
            };
            let old_chain = chain(ko.checked_sub(1), get);
            let same = old_chain.len() == m.stack.len()
                && old_chain.iter().zip(&m.stack).all(|(&o, n)| {
                    Open::of(o, get(o)).same_level(n) && get(o).label == m.clauses[n.id].label
                });
            if same {
                converged = Some((i, ko, old_chain));
                break;
            }
        }
        m.step(blocks, i, text);
    }
    let kn = m.clauses.len();
    let Machine {
        clauses: store,
        stack,
    } = m;
    let mid = store.mid;
    let rebuilt_to = match &converged {
        Some((i, ..)) => *i,
        None => blocks.len(),
    };
    let mut open = Vec::new();
    if let Some((_, ko, old_chain)) = converged {
        let id_delta = kn as isize - ko as isize;
        for (&o, n) in old_chain.iter().zip(&stack) {
            if n.id >= head {
                // (A clause opened before the rebuilt blocks keeps its
                // heading; one after them is still in its old place.)
                open.push((clauses[o].heading_span, n.id));
            }
        }
        // Where the clauses open here ended before: they end there again.
        let old_ends: Vec<Option<usize>> = old_chain
            .iter()
            .map(|&o| {
                if o < head {
                    head_ends.iter().find(|(id, _)| *id == o).map(|(_, e)| *e)
                } else {
                    Some(clauses[o].blocks.end)
                }
            })
            .collect();
        // Move the clauses opened after the meeting point, in place.
        for c in &mut clauses[ko..] {
            c.blocks = shift_range(&c.blocks, block_delta);
            c.parent = c.parent.map(|p| {
                if p >= ko {
                    (p as isize + id_delta) as usize
                } else {
                    let pos = old_chain
                        .iter()
                        .position(|&x| x == p)
                        .expect("a moved clause's parent is open where the trees meet");
                    stack[pos].id
                }
            });
            c.shift(byte_delta);
        }
        clauses.splice(head..ko, mid);
        for (open, end) in stack.iter().zip(old_ends) {
            if let Some(e) = end {
                clauses[open.id].blocks.end = (e as isize + block_delta) as usize;
            }
        }
        // The innermost clause of each block: built anew up to the meeting
        // point, moved after it.
        let tail: Vec<Option<ClauseId>> = block_clause
            .drain(((rebuilt_to as isize - block_delta) as usize)..)
            .map(|x| x.map(|x| (x as isize + id_delta) as usize))
            .collect();
        block_clause.truncate(bs);
        fill_block_clauses(block_clause, clauses, head, bs..rebuilt_to);
        block_clause.extend(tail);
    } else {
        clauses.truncate(head);
        clauses.extend(mid);
        block_clause.truncate(bs);
        fill_block_clauses(block_clause, clauses, head, bs..rebuilt_to);
    }
    let new = clauses;
    // Spans of the clauses whose blocks changed: those built anew and those
    // that were open at the first rebuilt block.
    for (id, _) in head_ends {
        set_spans(&mut new[id], blocks);
    }
    let built = bs..rebuilt_to.max(rebuilt.end);
    let mut changed = built.clone();
    for c in &mut new[head..kn] {
        set_spans(c, blocks);
        changed.end = changed.end.max(c.blocks.end);
    }
    Rebuilt {
        context: changed,
        built,
        open,
    }
}

/// What [`rebuild`] changed.
#[derive(Debug)]
pub struct Rebuilt {
    /// The blocks whose clause path (and so the headings above them) may
    /// have changed: those read again and the descendants of clauses built
    /// anew.
    pub context: Range<usize>,
    /// The blocks up to where the new clause tree met the old one (it
    /// covers the blocks read again). The blocks of `context` after it keep
    /// their clauses, moved; they sit under the clauses of `open`.
    pub built: Range<usize>,
    /// The clauses built anew that were open where the trees met, each with
    /// the heading span of the clause it took the place of (in the text
    /// before the edit). Unless one of them now has another heading, the
    /// blocks of `context` after `built` sit under the same headings as
    /// before.
    pub open: Vec<(Option<Span>, ClauseId)>,
}

/// Appends the innermost clause of blocks `range` (the last clause opened at
/// or before each), given that clauses before `first` opened before the range.
fn fill_block_clauses(
    out: &mut Vec<Option<ClauseId>>,
    clauses: &[Clause],
    first: ClauseId,
    range: Range<usize>,
) {
    let mut next = first;
    let mut current = first.checked_sub(1);
    for b in range {
        while next < clauses.len() && clauses[next].blocks.start <= b {
            current = Some(next);
            next += 1;
        }
        out.push(current);
    }
}

fn shift_range(r: &Range<usize>, delta: isize) -> Range<usize> {
    (r.start as isize + delta) as usize..(r.end as isize + delta) as usize
}

/// A clause and its ancestors, outermost first.
fn chain<'c>(last: Option<ClauseId>, get: impl Fn(ClauseId) -> &'c Clause) -> Vec<ClauseId> {
    let mut out = Vec::new();
    let mut cur = last;
    while let Some(id) = cur {
        out.push(id);
        cur = get(id).parent;
    }
    out.reverse();
    out
}

/// A clause's span from its blocks; its own span stops at its first sub-clause.
fn set_spans(clause: &mut Clause, blocks: &[Block]) {
    let r = clause.blocks.clone();
    clause.span = Span::new(blocks[r.start].span.start, blocks[r.end - 1].span.end);
    let own_end = (r.start + 1..r.end)
        .take_while(|&b| !opens_clause(&blocks[b]))
        .last()
        .unwrap_or(r.start);
    clause.own_span = Span::new(clause.span.start, blocks[own_end].span.end);
}

impl Clause {
    fn shift(&mut self, delta: isize) {
        for s in [&mut self.span, &mut self.own_span]
            .into_iter()
            .chain(self.number_span.iter_mut())
            .chain(self.heading_span.iter_mut())
        {
            *s = s.shifted(delta);
        }
    }
}

impl Open {
    fn of(id: ClauseId, c: &Clause) -> Open {
        Open {
            id,
            style: c.style,
            alpha: c.alpha,
            heading: c.opens_level,
        }
    }

    /// Whether two open clauses treat the blocks after them alike.
    fn same_level(&self, other: &Open) -> bool {
        self.style == other.style && self.alpha == other.alpha && self.heading == other.heading
    }
}

fn alpha_letter(style: Option<NumberStyle>, number: Option<&str>) -> Option<char> {
    match style {
        Some(
            NumberStyle::LowerAlphaParen
            | NumberStyle::UpperAlphaParen
            | NumberStyle::LowerAlphaHalf
            | NumberStyle::UpperAlphaHalf,
        ) => number
            .and_then(|n| n.chars().find(|c| c.is_ascii_alphabetic()))
            .map(|c| c.to_ascii_lowercase()),
        _ => None,
    }
}

/// The clause-building state machine: the clauses so far and the open ones.
struct Machine<'a> {
    clauses: Store<'a>,
    stack: Vec<Open>,
}

/// Clauses by id: those kept from before an edit, then those built since.
struct Store<'a> {
    head: &'a mut [Clause],
    mid: Vec<Clause>,
}

impl Store<'_> {
    fn len(&self) -> usize {
        self.head.len() + self.mid.len()
    }

    fn push(&mut self, c: Clause) {
        self.mid.push(c);
    }
}

impl std::ops::Index<ClauseId> for Store<'_> {
    type Output = Clause;
    fn index(&self, id: ClauseId) -> &Clause {
        match id.checked_sub(self.head.len()) {
            None => &self.head[id],
            Some(i) => &self.mid[i],
        }
    }
}

impl std::ops::IndexMut<ClauseId> for Store<'_> {
    fn index_mut(&mut self, id: ClauseId) -> &mut Clause {
        match id.checked_sub(self.head.len()) {
            None => &mut self.head[id],
            Some(i) => &mut self.mid[i],
        }
    }
}

impl Machine<'_> {
    /// Reads block `i`: a block that opens a clause closes the levels it
    /// ends and opens its own; any block extends the open clauses.
    fn step(&mut self, blocks: &[Block], i: usize, text: &str) {
        let block = &blocks[i];
        let (clauses, stack) = (&mut self.clauses, &mut self.stack);
        if !opens_clause(block) {
            for open in stack.iter() {
                clauses[open.id].blocks.end = i + 1;
            }
            return;
        }
        let number_span = block.number_span();
        let number_text = number_span.map(|s| s.text(text).trim());
        let alpha = stack.iter().rev().find_map(|o| o.alpha);
        let style = style_of(block, number_text.unwrap_or(""), alpha);
        let heading_block = block.is_heading();

        // Close the levels that the new clause ends.
        if let Some(pos) = stack
            .iter()
            .rposition(|o| o.style.is_some() && o.style == style)
        {
            stack.truncate(pos);
        } else {
            match style {
                Some(NumberStyle::Atx(level)) => {
                    while let Some(top) = stack.last() {
                        let keep = matches!(top.style, Some(NumberStyle::Atx(l)) if l < level);
                        if keep {
                            break;
                        }
                        stack.pop();
                    }
                }
                Some(NumberStyle::Schedule) => {
                    stack.retain(|o| matches!(o.style, Some(NumberStyle::Atx(1))));
                }
                Some(NumberStyle::Dotted(depth)) => {
                    if let Some(pos) = stack
                        .iter()
                        .position(|o| matches!(o.style, Some(NumberStyle::Dotted(d)) if d >= depth))
                    {
                        stack.truncate(pos);
                    }
                }
                Some(s) if is_article_level(s) => {
                    while stack
                        .last()
                        .is_some_and(|o| !o.heading && !o.style.is_some_and(is_article_level))
                    {
                        stack.pop();
                    }
                }
                _ if heading_block => {
                    while stack.last().is_some_and(|o| !o.heading) {
                        stack.pop();
                    }
                }
                _ => {}
            }
        }
        let parent = stack.last().map(|o| o.id);
        let depth = stack.len() as u32;
        let heading_span = heading_of(block, text);
        let kind = match block.kind {
            BlockKind::PartHeading => ClauseKind::Part,
            BlockKind::Subheading => ClauseKind::Section,
            _ => ClauseKind::Clause,
        };
        // A heading's own number (`## Section 1.01`) decides how it is cited.
        let label_style = match (block.number, number_text) {
            (Some(_), Some(n)) => numbering::style_of_number_text(n).or(style),
            _ => style,
        };
        let label = number_text.map(|n| {
            let style = label_style;
            let own = normalize_number(n);
            // `a)` reads as `(a)` once it follows its parent's number.
            let half = matches!(
                style,
                Some(
                    NumberStyle::LowerAlphaHalf
                        | NumberStyle::UpperAlphaHalf
                        | NumberStyle::LowerRomanHalf
                        | NumberStyle::ArabicHalf,
                )
            );
            let own = if half {
                format_compact!("({})", own.trim_end_matches([')', '）']))
            } else {
                CompactString::from(own)
            };
            match (style, parent) {
                // `1.` under `Section 10` is cited as `Section 10.1`.
                (Some(NumberStyle::Dotted(1)), Some(p))
                    if matches!(
                        clauses[p].style,
                        Some(NumberStyle::SectionKeyword | NumberStyle::ClauseKeyword)
                    ) =>
                {
                    match &clauses[p].label {
                        Some(pl) => format_compact!("{pl}.{}", own.trim_end_matches('.')),
                        None => own,
                    }
                }
                (Some(s), Some(p)) if !s.is_absolute() => match &clauses[p].label {
                    Some(pl) => format_compact!("{pl}{own}"),
                    None => own,
                },
                _ => own,
            }
        });
        let id = clauses.len();
        clauses.push(Clause {
            kind,
            alpha: alpha_letter(style, number_text),
            number_span,
            label,
            heading_span,
            style,
            span: block.span,
            own_span: block.span,
            blocks: i..i + 1,
            parent,
            depth,
            opens_level: heading_block
                || is_heading_style(style) && block.kind != BlockKind::Clause,
        });
        for open in stack.iter() {
            clauses[open.id].blocks.end = i + 1;
        }
        stack.push(Open::of(id, &clauses[id]));
    }
}

/// `1.1.` → `1.1`, `Section 12.` → `Section 12`, `ARTICLE 5` stays.
fn normalize_number(n: &str) -> &str {
    let t = n.trim();
    if t.ends_with('.') && t.len() > 1 {
        &t[..t.len() - 1]
    } else {
        t
    }
}

const SENTENCE_END: &[char] = &['.', '。', ';', '；', '!', '！', '?', '？', ',', '，', '、'];

/// The heading of a clause: a heading's title, a short title-like body
/// (`第五条 出口管制`, `Section 12. Sanctions`), or a run-in heading
/// (`12.3 Export Control. Customer shall …`).
fn heading_of(block: &Block, text: &str) -> Option<Span> {
    let body = block.body?;
    let body_text = body.text(text);
    let first_line_len =
        memchr::memchr2(b'\n', b'\r', body_text.as_bytes()).unwrap_or(body_text.len());
    let line = Span::new(body.start, body.start + first_line_len);
    if block.is_heading()
        || matches!(
            block.marker.as_ref().map(|m| m.token),
            Some(MarkerToken::CapsLine)
        )
    {
        return clean_title(line, text);
    }
    let line_text = line.text(text).trim();
    let cjk = super::lang::has_cjk(line_text);
    let short = if cjk {
        line_text.chars().count() <= 24
    } else {
        line_text.len() <= 80
    };
    let ends_open =
        line_text.ends_with(SENTENCE_END) || line_text.ends_with(':') || line_text.ends_with('：');
    if short
        && !ends_open
        && !line_text.is_empty()
        && (first_line_len < body_text.len() || block.body == Some(line))
    {
        // A whole first line that reads like a title.
        let words = line_text.split_whitespace().count();
        if cjk
            || words <= 8
                && line_text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        {
            return clean_title(line, text);
        }
    }
    // Run-in heading: "Export Control. Customer shall …" or "**Export Control.** …"
    let stripped = line_text.trim_start_matches(['*', '_']);
    let lead = line.text(text).len() - line.text(text).trim_start().len()
        + (line_text.len() - stripped.len());
    if let Some(dot) = run_in_end(stripped).filter(|&dot| dot <= 60) {
        let title = &stripped[..dot];
        let words: Vec<&str> = title.split_whitespace().collect();
        let small = [
            "of", "and", "the", "to", "for", "in", "on", "with", "or", "a", "by",
        ];
        let company = [
            "Ltd", "Inc", "Co", "Corp", "LLC", "Limited", "GmbH", "AG", "S.A", "Pte", "PLC",
        ];
        if !words.is_empty()
            && !title.contains(',')
            && !company.iter().any(|c| title.ends_with(c))
            && words.len() <= 6
            && title.len() <= 60
            && words.iter().all(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                    || small.contains(w)
            })
            && words[0].chars().next().is_some_and(|c| c.is_uppercase())
        {
            let start = line.start + lead;
            return Some(Span::new(start, start + title.len()));
        }
    }
    None
}

/// Where a run-in heading may end: the first `. `, else the first `.** `
/// (as `str::find`, which builds a substring searcher for every line).
fn run_in_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let after = |tail: &[u8]| memchr::memchr_iter(b'.', b).find(|&i| b[i + 1..].starts_with(tail));
    after(b" ").or_else(|| after(b"** "))
}

fn clean_title(span: Span, text: &str) -> Option<Span> {
    let raw = span.text(text);
    let trimmed_start = raw.len()
        - raw
            .trim_start_matches(|c: char| {
                c.is_whitespace()
                    || matches!(c, '*' | '_' | '【' | '[' | '—' | '–' | '-' | ':' | '：')
            })
            .len();
    let rest = &raw[trimmed_start..];
    let inner = rest
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '】' | ']' | '#'));
    if inner.is_empty() {
        return None;
    }
    let start = span.start + trimmed_start;
    Some(Span::new(start, start + inner.len()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn run_in_ends_are_found_as_str_find_finds_them(s in "[.* a“é]{0,24}") {
            let want = s.find(". ").or_else(|| s.find(".** "));
            prop_assert_eq!(super::run_in_end(&s), want);
        }
    }
}
