//! Sentence boundaries in English and Chinese contract text.
//!
//! Chinese sentences end at `。！？`; English ones at `.`, `!` or `?` followed
//! by a space and a capital, digit, quote or bracket, except after the
//! abbreviations contracts are full of (`U.S.`, `Co., Ltd.`, `No.`, `e.g.`).
//! A line break followed by a clause number also ends a sentence.

use comity_text::Span;

const ABBREVIATIONS: &[&str] = &[
    "u.s", "u.k", "e.u", "p.r.c", "p.r", "u.n", "no", "nos", "co", "ltd", "inc", "corp", "llc",
    "plc", "pte", "s.a", "n.a", "b.v", "n.v", "e.g", "i.e", "etc", "cf", "vs", "v", "art", "arts",
    "sec", "secs", "para", "paras", "cl", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "fig",
    "approx", "dept", "govt", "reg", "regs", "c.f.r", "u.s.c", "f.r", "fed", "incl", "min", "max",
    "viz", "al", "ref", "sch", "annex", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "hk", "sar",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase();
    // Single letters ("A.", "J. Smith") and numbers ("15 C.F.R. 744.11.") are not ends.
    if w.chars().count() == 1 {
        return true;
    }
    ABBREVIATIONS.contains(&w.as_str())
}

/// Splits `span` of `text` into sentences, trimmed of surrounding space.
pub fn split(text: &str, span: Span) -> Vec<Span> {
    let s = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut start = 0usize;
    let bytes = s.as_bytes();
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end_here = match c {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => {
                let after = &s[i + 1..];
                let next = after.chars().next();
                let closing = next.is_some_and(|n| matches!(n, '"' | '”' | '\'' | '’' | ')'));
                let rest = if closing {
                    &after[next.map(char::len_utf8).unwrap_or(0)..]
                } else {
                    after
                };
                let spaced = rest.starts_with([' ', '\t', '\n', '\r', '\u{a0}']) || rest.is_empty();
                let upcoming = rest.trim_start();
                let starts_new = upcoming.is_empty()
                    || upcoming.chars().next().is_some_and(|n| {
                        n.is_uppercase()
                            || n.is_ascii_digit()
                            || matches!(n, '"' | '“' | '(' | '[' | '（')
                            || super::lang::is_cjk(n)
                    });
                if c == '.' && spaced && starts_new {
                    let word_start = s[..i]
                        .char_indices()
                        .rev()
                        .find(|(_, ch)| {
                            // A Latin word glued to Chinese ("遵守U.S. Export") starts after it.
                            ch.is_whitespace() || *ch == '(' || super::lang::is_cjk(*ch)
                        })
                        .map(|(p, ch)| p + ch.len_utf8())
                        .unwrap_or(0);
                    let word = &s[word_start..i];
                    // "744.11. 12 …" is a number followed by a number, not an end.
                    let number_then_number =
                        word.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
                            && !word.is_empty()
                            && i + 1 < bytes.len()
                            && upcoming.chars().next().is_some_and(|n| n.is_ascii_digit());
                    !is_abbreviation(word) && !number_then_number
                } else {
                    spaced && starts_new
                }
            }
            '\n' => {
                // A blank line always ends a sentence.
                s[i + 1..]
                    .trim_start_matches([' ', '\t', '\r'])
                    .starts_with('\n')
            }
            _ => false,
        };
        if end_here {
            let mut end = i + c.len_utf8();
            // keep a closing quote or bracket with its sentence
            while let Some(&(j, n)) = iter.peek() {
                if matches!(n, '"' | '”' | '\'' | '’' | ')' | '）' | '」') && j == end {
                    end = j + n.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            push_trimmed(&mut out, s, span.start, start, end);
            start = end;
        }
    }
    push_trimmed(&mut out, s, span.start, start, s.len());
    out
}

fn push_trimmed(out: &mut Vec<Span>, s: &str, base: usize, start: usize, end: usize) {
    let piece = &s[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push(Span::new(
            base + start + lead,
            base + start + lead + trimmed.len(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split(t, Span::new(0, t.len()))
            .into_iter()
            .map(|s| s.text(t))
            .collect()
    }

    #[test]
    fn english_abbreviations_do_not_end_sentences() {
        assert_eq!(
            texts(
                "Acme Co., Ltd. shall comply with the U.S. EAR. Buyer shall pay. See No. 803 of 2025."
            ),
            vec![
                "Acme Co., Ltd. shall comply with the U.S. EAR.",
                "Buyer shall pay.",
                "See No. 803 of 2025."
            ]
        );
    }

    #[test]
    fn chinese_sentences() {
        assert_eq!(
            texts("买方应遵守。卖方应交付！是否？"),
            vec!["买方应遵守。", "卖方应交付！", "是否？"]
        );
    }

    #[test]
    fn numbers_with_dots_stay_together() {
        assert_eq!(
            texts("See Section 12.3 and 15 C.F.R. 744.11. Then stop."),
            vec!["See Section 12.3 and 15 C.F.R. 744.11.", "Then stop."]
        );
    }
}
