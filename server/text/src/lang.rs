//! Which languages a text is written in: English (Latin script) and Chinese.

use serde::Serialize;

/// A natural language Comity knows.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "english" | "en-us" | "en-gb" => Some(Lang::En),
            "zh" | "chinese" | "zh-cn" | "zh-hans" | "zh-hant" | "zh-tw" | "zh-hk" | "cn" => {
                Some(Lang::Zh)
            }
            _ => None,
        }
    }
}

/// Counts of Latin letters and CJK ideographs in a piece of text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LangCounts {
    pub latin: u32,
    pub cjk: u32,
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2A6DF}')
}

impl LangCounts {
    pub fn of(text: &str) -> LangCounts {
        // One pass that the compiler vectorises: Latin letters, and the lead
        // bytes of three- and four-byte characters from U+3000 on (E3..F4),
        // where every ideograph counted here lies. Only a text with one of
        // those is read again character by character.
        let (mut latin, mut wide) = (0u32, 0u32);
        for &b in text.as_bytes() {
            latin += u32::from(b.is_ascii_alphabetic());
            wide += u32::from(b >= 0xE3);
        }
        let cjk = if wide == 0 { 0 } else { count_cjk(text) };
        LangCounts { latin, cjk }
    }

    pub fn add(&mut self, other: LangCounts) {
        self.latin += other.latin;
        self.cjk += other.cjk;
    }

    /// The main language: Chinese when ideographs carry at least as much
    /// text as Latin letters (an ideograph is worth about three letters).
    pub fn primary(&self) -> Option<Lang> {
        if self.latin == 0 && self.cjk == 0 {
            None
        } else if self.cjk * 3 >= self.latin {
            Some(Lang::Zh)
        } else {
            Some(Lang::En)
        }
    }

    /// Every language with a meaningful share of the text.
    pub fn present(&self) -> Vec<Lang> {
        let mut langs = Vec::new();
        if self.latin >= 20 && self.latin as u64 * 10 >= (self.latin as u64 + self.cjk as u64 * 3) {
            langs.push(Lang::En);
        }
        if self.cjk >= 5 && self.cjk as u64 * 3 * 10 >= (self.latin as u64 + self.cjk as u64 * 3) {
            langs.push(Lang::Zh);
        }
        if langs.is_empty() {
            langs.extend(self.primary());
        }
        langs
    }
}

/// The number of [`is_cjk`] characters in `text`, read from the lead byte
/// of each character (and the byte after it where a lead byte's range
/// holds other characters too), without decoding the text.
pub fn count_cjk(text: &str) -> u32 {
    let b = text.as_bytes();
    if b.len() < 2 {
        return 0;
    }
    // Each byte with the one after it (valid UTF-8: a lead byte has its
    // continuation bytes, which are 80–BF; lead bytes below E3 start no
    // ideograph), in a form the compiler vectorises.
    let three_byte: u32 = b
        .iter()
        .zip(&b[1..])
        .map(|(&lead, &next)| {
            // U+5000–U+9FFF.
            let e5_e9 = lead.wrapping_sub(0xE5) < 5;
            // U+4000–U+4FFF but the hexagrams U+4DC0–U+4DFF (E4 B7 xx).
            let e4 = (lead == 0xE4) & (next != 0xB7);
            // U+3400–U+3FFF: E3 90 80 – E3 BF BF.
            let e3 = (lead == 0xE3) & (next >= 0x90);
            // U+F900–U+FAFF: EF A4 80 – EF AB BF.
            let ef = (lead == 0xEF) & (next.wrapping_sub(0xA4) < 8);
            u32::from(e5_e9 | e4 | e3 | ef)
        })
        .sum();
    // U+20000–U+2A6DF: F0 A0 80 80 – F0 AA 9B 9F (rare).
    let four_byte = memchr::memchr_iter(0xF0, b)
        .filter(|&i| match b[i + 1] {
            0xA0..=0xA9 => true,
            0xAA => b[i + 2] < 0x9B || (b[i + 2] == 0x9B && b[i + 3] <= 0x9F),
            _ => false,
        })
        .count() as u32;
    three_byte + four_byte
}

/// Whether `text` has an [`is_cjk`] character.
pub fn has_cjk(text: &str) -> bool {
    text.bytes().any(|b| b >= 0xE3) && count_cjk(text) > 0
}

/// The language a single sentence or clause is written in; English if unknown.
pub fn lang_of(text: &str) -> Lang {
    LangCounts::of(text).primary().unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The counts read character by character, as a person would.
    fn counted(text: &str) -> LangCounts {
        LangCounts {
            latin: text.chars().filter(char::is_ascii_alphabetic).count() as u32,
            cjk: text.chars().filter(|c| is_cjk(*c)).count() as u32,
        }
    }

    #[test]
    fn counts_letters_and_ideographs_at_the_edges_of_the_ranges() {
        // U+3400 and U+4DBF open and close extension A; U+4DC0 (a hexagram)
        // and U+3000 (ideographic space) are not ideographs; U+20000 is.
        let text = "Ab \u{3400}\u{4DBF}\u{4DC0}\u{3000}中\u{9FFF}\u{F900}\u{20000}\u{2A6E0}é";
        assert_eq!(LangCounts::of(text), LangCounts { latin: 2, cjk: 6 });
        assert_eq!(LangCounts::of(text), counted(text));
        assert_eq!(LangCounts::of(""), LangCounts::default());
        // A text whose only ideograph has the lowest lead byte (E3).
        assert_eq!(LangCounts::of("x\u{3400}"), LangCounts { latin: 1, cjk: 1 });
    }

    proptest! {
        #[test]
        fn counts_as_reading_character_by_character(text in "(?s).{0,80}|[a-zA-Z 中文\u{3000}-\u{4E10}\u{1F600}]{0,80}|[\u{F8F0}-\u{FB10}\u{1FFF0}-\u{20010}\u{2A6C0}-\u{2A700}\u{4DB0}-\u{4E08}x]{0,40}") {
            prop_assert_eq!(LangCounts::of(&text), counted(&text));
            prop_assert_eq!(has_cjk(&text), text.chars().any(is_cjk));
        }
    }
}
