//! Text primitives shared by every other Comity crate: byte spans, the line
//! index, which language a text is in (and the CJK character classes), and
//! Chinese numerals.
//!
//! This crate knows nothing of contracts, rules or editors.

pub mod lang;
pub mod lines;
mod numerals;
pub mod span;

pub use lang::{Lang, LangCounts, has_cjk, is_cjk, lang_of};
pub use lines::LineIndex;
pub use numerals::chinese_number;
pub use span::Span;
