//! Conversions between the engine's byte offsets and LSP positions, in the
//! negotiated encoding (UTF-16 code units by default, UTF-8 bytes on offer).
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol says.

use tower_lsp_server::ls_types::{Position, Range};

use comity_text::Span;
use comity_text::lines::LineIndex;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    Utf8,
}

/// A document's text with its line index, for converting positions.
pub struct Text<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Text<'_> {
    fn line_end(&self, line: usize) -> usize {
        let next = self.index.line_start(line + 1).min(self.text.len());
        let s = &self.text[self.index.line_start(line)..next];
        let trimmed = s
            .strip_suffix("\r\n")
            .or_else(|| s.strip_suffix('\n'))
            .or_else(|| s.strip_suffix('\r'))
            .unwrap_or(s);
        self.index.line_start(line) + trimmed.len()
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line);
        let prefix = &self.text[start..offset];
        let character = match self.encoding {
            Encoding::Utf16 => prefix.encode_utf16().count(),
            Encoding::Utf8 => prefix.len(),
        };
        Position {
            line: line as u32,
            character: character as u32,
        }
    }

    pub fn range(&self, span: Span) -> Range {
        Range {
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }

    /// The byte offset of a position. Positions past the end of a line are
    /// clamped to it, lines past the end to the end of the text, and a
    /// position inside a character (half a surrogate pair, a byte inside a
    /// UTF-8 sequence) to the character's start. `clamped` says whether any
    /// of that happened.
    pub fn offset(&self, pos: Position) -> (usize, bool) {
        let line = pos.line as usize;
        if line >= self.index.line_count() {
            return (self.text.len(), true);
        }
        let start = self.index.line_start(line);
        let end = self.line_end(line);
        let mut units = 0usize;
        let want = pos.character as usize;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= want {
                return (start + i, units > want);
            }
            units += match self.encoding {
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf8 => c.len_utf8(),
            };
            if units > want {
                return (start + i, true);
            }
        }
        (end, units != want)
    }

    pub fn span(&self, range: Range) -> (Span, bool) {
        let (a, ca) = self.offset(range.start);
        let (b, cb) = self.offset(range.end);
        (Span::new(a.min(b), a.max(b)), ca || cb || b < a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_columns_for_chinese_and_emoji() {
        let text = "第五条 出口管制\r\n😀 Buyer 美国\n";
        let index = LineIndex::new(text);
        let t = Text {
            text,
            index: &index,
            encoding: Encoding::Utf16,
        };
        let buyer = text.find("Buyer").unwrap();
        assert_eq!(t.position(buyer), pos(1, 3));
        assert_eq!(t.offset(pos(1, 3)), (buyer, false));
        let us = text.find("美国").unwrap();
        assert_eq!(t.position(us), pos(1, 9));
        assert_eq!(t.offset(pos(1, 9)), (us, false));
        // Inside the surrogate pair of 😀: clamped to its start.
        assert_eq!(t.offset(pos(1, 1)), (text.find('😀').unwrap(), true));
        // Past the end of a CRLF line: clamped before the line break.
        assert_eq!(t.offset(pos(0, 99)), (text.find('\r').unwrap(), true));
        assert_eq!(t.offset(pos(9, 0)), (text.len(), true));
    }

    #[test]
    fn utf8_columns() {
        let text = "美国 EAR";
        let index = LineIndex::new(text);
        let t = Text {
            text,
            index: &index,
            encoding: Encoding::Utf8,
        };
        assert_eq!(t.position(text.find("EAR").unwrap()), pos(0, 7));
        assert_eq!(t.offset(pos(0, 7)).0, text.find("EAR").unwrap());
    }
}
