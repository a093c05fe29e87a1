//! The clause hierarchy: which clause every block belongs to, with numbers,
//! headings and parents.

use std::ops::Range;

use serde::Serialize;

use super::blocks::{Block, BlockKind, MarkerToken};
use super::numbering::{self, NumberStyle, opens_clause, style_of};
use crate::Span;

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Clause {
    pub kind: ClauseKind,
    /// The number as written: `5.1`, `(a)`, `第五条`, `ARTICLE 5`, `Section 12.`.
    pub number: Option<String>,
    pub number_span: Option<Span>,
    /// The number including the numbers of the parents that it is relative to:
    /// `(a)` under `5.1` is `5.1(a)`; `（一）` under `第五条` is `第五条（一）`.
    pub label: Option<String>,
    pub heading: Option<String>,
    pub heading_span: Option<Span>,
    pub style: Option<NumberStyle>,
    /// From the clause's first character to the end of its last descendant.
    pub span: Span,
    /// The span of the clause's own blocks, without its sub-clauses.
    pub own_span: Span,
    /// The blocks of the clause and its descendants.
    pub blocks: Range<usize>,
    pub parent: Option<ClauseId>,
    pub depth: u32,
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
    let mut clauses: Vec<Clause> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    // The last block (index) in each clause's subtree, updated as blocks arrive.
    for (i, block) in blocks.iter().enumerate() {
        if !opens_clause(block) {
            for open in &stack {
                clauses[open.id].blocks.end = i + 1;
            }
            continue;
        }
        let number_span = block.number_span();
        let number_text = number_span.map(|s| s.text(text).trim().to_string());
        let alpha = stack.iter().rev().find_map(|o| o.alpha);
        let style = style_of(block, number_text.as_deref().unwrap_or(""), alpha);
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
        let (heading, heading_span) = heading_of(block, text)
            .map(|(h, s)| (Some(h), Some(s)))
            .unwrap_or((None, None));
        let kind = match block.kind {
            BlockKind::PartHeading => ClauseKind::Part,
            BlockKind::Subheading => ClauseKind::Section,
            _ => ClauseKind::Clause,
        };
        // A heading's own number (`## Section 1.01`) decides how it is cited.
        let label_style = match (block.number, &number_text) {
            (Some(_), Some(n)) => numbering::style_of_number_text(n).or(style),
            _ => style,
        };
        let label = number_text.as_ref().map(|n| {
            let style = label_style;
            let own = normalize_number(n);
            // `a)` reads as `(a)` once it follows its parent's number.
            let own = match style {
                Some(
                    NumberStyle::LowerAlphaHalf
                    | NumberStyle::UpperAlphaHalf
                    | NumberStyle::LowerRomanHalf
                    | NumberStyle::ArabicHalf,
                ) => {
                    format!("({})", own.trim_end_matches([')', '）']))
                }
                _ => own,
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
                        Some(pl) => format!("{pl}.{}", own.trim_end_matches('.')),
                        None => own,
                    }
                }
                (Some(s), Some(p)) if !s.is_absolute() => match &clauses[p].label {
                    Some(pl) => format!("{pl}{own}"),
                    None => own,
                },
                _ => own,
            }
        });
        let id = clauses.len();
        clauses.push(Clause {
            kind,
            number: number_text,
            number_span,
            label,
            heading,
            heading_span,
            style,
            span: block.span,
            own_span: block.span,
            blocks: i..i + 1,
            parent,
            depth,
        });
        for open in &stack {
            clauses[open.id].blocks.end = i + 1;
        }
        let alpha_letter = match style {
            Some(
                NumberStyle::LowerAlphaParen
                | NumberStyle::UpperAlphaParen
                | NumberStyle::LowerAlphaHalf
                | NumberStyle::UpperAlphaHalf,
            ) => number_span
                .and_then(|s| s.text(text).chars().find(|c| c.is_ascii_alphabetic()))
                .map(|c| c.to_ascii_lowercase()),
            _ => None,
        };
        stack.push(Open {
            id,
            style,
            alpha: alpha_letter,
            heading: heading_block || is_heading_style(style) && block.kind != BlockKind::Clause,
        });
    }
    // Spans from block ranges; a clause's own span stops at its first sub-clause.
    for clause in clauses.iter_mut() {
        let r = clause.blocks.clone();
        clause.span = Span::new(blocks[r.start].span.start, blocks[r.end - 1].span.end);
        let own_end = (r.start + 1..r.end)
            .take_while(|&b| !opens_clause(&blocks[b]))
            .last()
            .unwrap_or(r.start);
        clause.own_span = Span::new(clause.span.start, blocks[own_end].span.end);
    }
    clauses
}

/// `1.1.` → `1.1`, `Section 12.` → `Section 12`, `ARTICLE 5` stays.
fn normalize_number(n: &str) -> String {
    let t = n.trim();
    let t = if t.ends_with('.') && t.len() > 1 {
        &t[..t.len() - 1]
    } else {
        t
    };
    t.to_string()
}

const SENTENCE_END: &[char] = &['.', '。', ';', '；', '!', '！', '?', '？', ',', '，', '、'];

/// The heading of a clause: a heading's title, a short title-like body
/// (`第五条 出口管制`, `Section 12. Sanctions`), or a run-in heading
/// (`12.3 Export Control. Customer shall …`).
fn heading_of(block: &Block, text: &str) -> Option<(String, Span)> {
    let body = block.body?;
    let body_text = body.text(text);
    let first_line_len = body_text.find(['\n', '\r']).unwrap_or(body_text.len());
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
    let cjk = line_text.chars().any(super::lang::is_cjk);
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
    if let Some(dot) = stripped.find(". ").or_else(|| stripped.find(".** ")) {
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
            return Some((title.to_string(), Span::new(start, start + title.len())));
        }
    }
    None
}

fn clean_title(span: Span, text: &str) -> Option<(String, Span)> {
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
    Some((inner.to_string(), Span::new(start, start + inner.len())))
}
