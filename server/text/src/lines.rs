//! Line and column numbers for byte offsets, for reports meant for people.

/// The byte offset of every line start in a text. Lines end at `\n`, `\r\n`
/// or a lone `\r`.
#[derive(Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    /// The last column counted, per unit (characters, UTF-16 code units):
    /// `(line start, offset, count)`. Findings are located in text order,
    /// so the next count on the same line goes on from here: a single line
    /// of 10 MB with 200,000 findings costs one pass, not one per finding.
    memo: std::sync::Mutex<[Option<(usize, usize, usize)>; 2]>,
}

impl Clone for LineIndex {
    fn clone(&self) -> LineIndex {
        LineIndex {
            starts: self.starts.clone(),
            len: self.len,
            memo: Default::default(),
        }
    }
}

/// What a column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    Chars = 0,
    Utf16 = 1,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        LineIndex {
            starts,
            len: text.len(),
            memo: Default::default(),
        }
    }

    /// Updates the index after `old` (byte offsets before the edit) was
    /// replaced with `inserted_len` bytes; `text` is the text after the edit.
    /// Only the line breaks around the edit are read again.
    pub fn edit(&mut self, text: &str, old: crate::Span, inserted_len: usize) {
        let delta = inserted_len as isize - old.len() as isize;
        let new_end = old.start + inserted_len;
        // Breaks ending in old.start - 1 ..= old.end may have changed (a `\r`
        // before the edit can pair with an inserted `\n`, and so on).
        let lo = self.starts.partition_point(|&s| s < old.start.max(1));
        let hi = self.starts.partition_point(|&s| s <= old.end + 1);
        let bytes = text.as_bytes();
        let from = old.start.saturating_sub(1);
        let to = (new_end + 1).min(bytes.len());
        let fresh = memchr::memchr2_iter(b'\n', b'\r', &bytes[from..to])
            .map(|i| from + i)
            .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
            .map(|i| i + 1);
        let tail: Vec<usize> = self.starts[hi..]
            .iter()
            .map(|&s| (s as isize + delta) as usize)
            .collect();
        self.starts.truncate(lo);
        self.starts.extend(fresh);
        self.starts.extend(tail);
        self.len = text.len();
        *self.memo.get_mut().unwrap_or_else(|e| e.into_inner()) = Default::default();
    }

    /// The zero-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// One-based line and one-based column counted in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let col = self.column(text, line, offset.min(text.len()), ColumnUnit::Chars);
        (line + 1, col + 1)
    }

    /// The zero-based column of `offset` (a character boundary on zero-based
    /// `line`), in `unit`s, counted on from the last column asked for when
    /// that lies earlier on the same line.
    pub fn column(&self, text: &str, line: usize, offset: usize, unit: ColumnUnit) -> usize {
        let start = self.line_start(line).min(offset);
        let count = |s: &str| match unit {
            ColumnUnit::Chars => s.chars().count(),
            ColumnUnit::Utf16 => s.encode_utf16().count(),
        };
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        let slot = &mut memo[unit as usize];
        let col = match *slot {
            Some((s, from, n)) if s == start && from <= offset => n + count(&text[from..offset]),
            _ => count(&text[start..offset]),
        };
        *slot = Some((start, offset, col));
        col
    }

    /// The text of a zero-based line, without its line break.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let start = self.line_start(line);
        let end = self.line_start(line + 1).min(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn edits_equal_a_fresh_index(
            text in "[a\r\n美😀]{0,40}",
            edits in prop::collection::vec((0usize..50, 0usize..6, "[a\r\n美]{0,5}"), 1..8),
        ) {
            let mut text = text;
            let mut idx = LineIndex::new(&text);
            for (at, del, ins) in edits {
                let mut start = at.min(text.len());
                while !text.is_char_boundary(start) { start -= 1; }
                let mut end = (start + del).min(text.len());
                while !text.is_char_boundary(end) { end -= 1; }
                text.replace_range(start..end, &ins);
                idx.edit(&text, crate::Span::new(start, end), ins.len());
                prop_assert_eq!(&idx.starts, &LineIndex::new(&text).starts, "{:?}", text);
                prop_assert_eq!(idx.len, text.len());
            }
        }
    }

    #[test]
    fn crlf_and_lone_cr() {
        let t = "a\r\nb\rc\nd";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_col(t, t.find('c').unwrap()), (3, 1));
        assert_eq!(idx.line_text(t, 0), "a");
        assert_eq!(idx.line_text(t, 3), "d");
    }
}
