//! Numbering styles and the clause hierarchy they imply.
//!
//! Contracts nest clauses by numbering style rather than by indentation:
//! `ARTICLE 5` > `5.1` > `(a)` > `(i)`, or `第一章` > `第五条` > `一、` > `（一）` > `1、`.
//! The first time a style appears it opens a level below the current one; when
//! a style that is already open appears again, the levels below it close. This
//! is how word processors and readers both read legal numbering.

use serde::Serialize;

use super::blocks::{Block, BlockKind, MarkerToken};

/// The numbering (or heading) style of a block that opens a clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "style", content = "level")]
pub enum NumberStyle {
    /// Markdown heading `#`..`######`.
    Atx(u8),
    /// `ARTICLE 5`, `Article IV`.
    ArticleKeyword,
    /// `PART 2`, `CHAPTER 3`.
    PartKeyword,
    /// `Schedule 2`, `Annex A`, `Exhibit B`, `Appendix 1`, `附件一`.
    Schedule,
    /// `第五章`, `第二编`, `第一部分`.
    CnChapter,
    /// An ALL-CAPS title line.
    Caps,
    /// `1.`, `1.1`, `1.1.1`: the number of dot-separated parts.
    Dotted(u8),
    /// `Section 12.`, `Section 1.01`.
    SectionKeyword,
    /// `Clause 4`, `Clause 12.3`.
    ClauseKeyword,
    /// `第五条`, `第5条`.
    CnArticle,
    /// `一、`
    CnEnumeration,
    /// `（一）`
    CnParen,
    /// `(a)`
    LowerAlphaParen,
    /// `(i)`
    LowerRomanParen,
    /// `(A)`
    UpperAlphaParen,
    /// `(I)`
    UpperRomanParen,
    /// `(1)`
    ArabicParen,
    /// `a)`
    LowerAlphaHalf,
    /// `i)`
    LowerRomanHalf,
    /// `A)`
    UpperAlphaHalf,
    /// `1)`, `1）`
    ArabicHalf,
    /// `1、`
    ArabicComma,
    /// `A.`
    UpperAlphaDot,
    /// `①`
    Circled,
}

impl NumberStyle {
    /// Whether a number in this style names the clause on its own (`5.1`,
    /// `第五条`) rather than relative to its parent (`(a)`, `（一）`).
    pub fn is_absolute(self) -> bool {
        matches!(
            self,
            NumberStyle::Dotted(_)
                | NumberStyle::SectionKeyword
                | NumberStyle::ClauseKeyword
                | NumberStyle::CnArticle
                | NumberStyle::ArticleKeyword
                | NumberStyle::PartKeyword
                | NumberStyle::Schedule
                | NumberStyle::CnChapter
        )
    }
}

fn is_roman(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| matches!(c.to_ascii_lowercase(), 'i' | 'v' | 'x' | 'l' | 'c'))
}

/// The letters or digits inside `(a)`, `a)`, `（一）`, …
fn core(number: &str) -> &str {
    number.trim_matches(|c: char| matches!(c, '(' | ')' | '（' | '）' | '.' | '、' | '．' | ' '))
}

/// Classifies a number as written. `previous_alpha` is the last letter used at
/// the alphabetic level, so that `(i)` after `(h)` stays alphabetic.
pub fn style_of(block: &Block, number: &str, previous_alpha: Option<char>) -> Option<NumberStyle> {
    let marker = block.marker.as_ref()?;
    let n = number.trim();
    let style = match marker.token {
        MarkerToken::AtxH1 => NumberStyle::Atx(1),
        MarkerToken::Atx(level) => NumberStyle::Atx(level),
        MarkerToken::CapsLine => NumberStyle::Caps,
        MarkerToken::Bullet => return None,
        MarkerToken::PartNumber => {
            let upper = n.to_ascii_uppercase();
            if upper.starts_with("ARTICLE") {
                NumberStyle::ArticleKeyword
            } else if upper.starts_with("PART") || upper.starts_with("CHAPTER") {
                NumberStyle::PartKeyword
            } else if n.starts_with('第') {
                NumberStyle::CnChapter
            } else {
                NumberStyle::Schedule
            }
        }
        MarkerToken::ArticleNumber => {
            let upper = n.to_ascii_uppercase();
            if upper.starts_with("SECTION") {
                NumberStyle::SectionKeyword
            } else if upper.starts_with("CLAUSE") {
                NumberStyle::ClauseKeyword
            } else if n.starts_with('第') {
                NumberStyle::CnArticle
            } else if n.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                NumberStyle::Dotted(1)
            } else {
                NumberStyle::CnEnumeration
            }
        }
        MarkerToken::Number => {
            let c = core(n);
            let first = c.chars().next()?;
            let paren = n.starts_with('(') || n.starts_with('（');
            let half = !paren && (n.ends_with(')') || n.ends_with('）'));
            if n.chars()
                .next()
                .is_some_and(|ch| matches!(ch, '\u{2460}'..='\u{2473}' | '\u{2776}'..='\u{277F}'))
            {
                NumberStyle::Circled
            } else if first.is_ascii_digit() && n.contains('.') && !half && !paren {
                let parts = n.trim_end_matches('.').split('.').count();
                NumberStyle::Dotted(parts.min(255) as u8)
            } else if first.is_ascii_digit() {
                if paren {
                    NumberStyle::ArabicParen
                } else if n.ends_with('、') {
                    NumberStyle::ArabicComma
                } else {
                    NumberStyle::ArabicHalf
                }
            } else if paren && !first.is_ascii_alphabetic() {
                NumberStyle::CnParen
            } else if n.ends_with('.') && first.is_ascii_uppercase() {
                NumberStyle::UpperAlphaDot
            } else {
                let lower = first.is_ascii_lowercase();
                // (i), (v), (x) are roman unless they continue an alphabetic run
                // (h) → (i); longer roman strings (ii, iv) are always roman.
                let roman = is_roman(c)
                    && (c.len() > 1
                        || previous_alpha.is_none_or(|p| {
                            (p as u8).wrapping_add(1) != first.to_ascii_lowercase() as u8
                        }));
                match (paren, lower, roman) {
                    (true, true, true) => NumberStyle::LowerRomanParen,
                    (true, true, false) => NumberStyle::LowerAlphaParen,
                    (true, false, true) => NumberStyle::UpperRomanParen,
                    (true, false, false) => NumberStyle::UpperAlphaParen,
                    (false, true, true) => NumberStyle::LowerRomanHalf,
                    (false, true, false) => NumberStyle::LowerAlphaHalf,
                    (false, false, _) => NumberStyle::UpperAlphaHalf,
                }
            }
        }
    };
    Some(style)
}

/// The style of a number written after a heading marker (`## Section 1.01`,
/// `### 第二条`), judged from its text alone.
pub fn style_of_number_text(number: &str) -> Option<NumberStyle> {
    let n = number.trim();
    let upper = n.to_ascii_uppercase();
    let token = if upper.starts_with("ARTICLE")
        || upper.starts_with("PART")
        || upper.starts_with("CHAPTER")
        || upper.starts_with("SCHEDULE")
        || upper.starts_with("ANNEX")
        || upper.starts_with("EXHIBIT")
        || upper.starts_with("APPENDIX")
        || n.starts_with('附')
        || (n.starts_with('第') && (n.ends_with('章') || n.ends_with('编') || n.ends_with("部分")))
    {
        MarkerToken::PartNumber
    } else if upper.starts_with("SECTION")
        || upper.starts_with("CLAUSE")
        || (n.starts_with('第') && n.ends_with('条'))
        || (n.ends_with('、') && !n.starts_with(|c: char| c.is_ascii_digit()))
        || (n.ends_with('.') && n.trim_end_matches('.').chars().all(|c| c.is_ascii_digit()))
    {
        MarkerToken::ArticleNumber
    } else {
        MarkerToken::Number
    };
    let probe = Block {
        marker: Some(super::blocks::Marker {
            token,
            span: comity_text::Span::default(),
        }),
        ..Block::new(BlockKind::Clause, comity_text::Span::default())
    };
    style_of(&probe, n, None)
}

/// Whether a block of this kind opens a clause (as opposed to belonging to one).
pub fn opens_clause(block: &Block) -> bool {
    match block.kind {
        BlockKind::PartHeading | BlockKind::Subheading | BlockKind::Article | BlockKind::Clause => {
            true
        }
        BlockKind::Paragraph | BlockKind::ListItem | BlockKind::Quote | BlockKind::Code => false,
    }
}
