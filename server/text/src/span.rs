//! Byte ranges into a document's text.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a document's text. Both ends lie
/// on `char` boundaries.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub const fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Whether the two spans share at least one byte, or touch when one is empty.
    pub const fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
            || (self.is_empty() || other.is_empty())
                && self.start <= other.end
                && other.start <= self.end
    }

    pub const fn covers(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// The span moved by `delta` bytes (an edit before it changed the text length).
    pub fn shifted(&self, delta: isize) -> Span {
        Span::new(
            (self.start as isize + delta) as usize,
            (self.end as isize + delta) as usize,
        )
    }

    /// The span after an edit whose old text ended at `at` and changed the
    /// length by `delta`: moved if it starts at or after `at`, else as it was.
    pub fn shifted_after(&self, at: usize, delta: isize) -> Span {
        if self.start >= at {
            self.shifted(delta)
        } else {
            *self
        }
    }

    pub fn union(&self, other: &Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

impl From<Span> for std::ops::Range<usize> {
    fn from(s: Span) -> Self {
        s.start..s.end
    }
}
