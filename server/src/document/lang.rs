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
        let mut counts = LangCounts::default();
        for b in text.bytes() {
            if b.is_ascii_alphabetic() {
                counts.latin += 1;
            }
        }
        // CJK ideographs are three bytes in UTF-8, with lead bytes E3..E9 (and
        // F0 for the supplementary planes); only look at chars when one is present.
        if text
            .bytes()
            .any(|b| (0xE3..=0xE9).contains(&b) || b == 0xF0)
        {
            counts.cjk = text.chars().filter(|c| is_cjk(*c)).count() as u32;
        }
        counts
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

/// The language a single sentence or clause is written in; English if unknown.
pub fn lang_of(text: &str) -> Lang {
    LangCounts::of(text).primary().unwrap_or(Lang::En)
}
