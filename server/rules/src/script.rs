//! Traditional Chinese: the lexicon matches on a simplified normalisation.
//!
//! The table is OpenCC's traditional→simplified character table (with its
//! Taiwan and Hong Kong variant tables read backwards), as shipped by the
//! `hanconv` crate. Only character pairs whose UTF-8 encodings have the same
//! length are used, so the normalised text has the same byte offsets as the
//! original: matches found in it are spans of the original text.

use std::borrow::Cow;
use std::sync::LazyLock;

/// Simplified form of each BMP code point that has one of the same UTF-8
/// length (0: none).
static T2S: LazyLock<Box<[u16]>> = LazyLock::new(|| {
    let mut table = vec![0u16; 0x1_0000].into_boxed_slice();
    fn put(table: &mut [u16], t: &str, s: &str) {
        let (mut tc, mut sc) = (t.chars(), s.chars());
        let (Some(t), None, Some(s), None) = (tc.next(), tc.next(), sc.next(), sc.next()) else {
            return;
        };
        if t != s && t.len_utf8() == s.len_utf8() && (t as u32) < 0x1_0000 && (s as u32) < 0x1_0000
        {
            let slot = &mut table[t as usize];
            if *slot == 0 {
                *slot = s as u16;
            }
        }
    }
    for (t, s) in hanconv::RawDictionary::TSCharacters.iter() {
        put(&mut table, t, s);
    }
    // Regional variants (台/臺, 着/著 as written in Taiwan or Hong Kong):
    // variant → standard traditional → simplified.
    for dict in [
        hanconv::RawDictionary::TWVariants,
        hanconv::RawDictionary::HKVariants,
    ] {
        for (standard, variant) in dict.iter() {
            let simplified = to_simplified_with(&table, standard).into_owned();
            put(&mut table, variant, &simplified);
        }
    }
    table
});

/// Code points that are the simplified form of some character (many are
/// also keys of the table: 著, 乾, 於 are written in both scripts).
static SIMPLIFIED_FORMS: LazyLock<Box<[bool]>> = LazyLock::new(|| {
    let mut set = vec![false; 0x1_0000].into_boxed_slice();
    for line in hanconv::RawDictionary::TSCharacters.lines() {
        for v in line.split_whitespace().skip(1) {
            let mut cs = v.chars();
            if let (Some(c), None) = (cs.next(), cs.next())
                && (c as u32) < 0x1_0000
            {
                set[c as usize] = true;
            }
        }
    }
    set
});

fn lookup(table: &[u16], c: char) -> Option<char> {
    let v = *table.get(c as usize)?;
    (v != 0).then(|| char::from_u32(v as u32)).flatten()
}

/// The simplified form of `c`, if it has one of the same UTF-8 length.
pub fn simplified(c: char) -> Option<char> {
    lookup(&T2S, c)
}

fn to_simplified_with<'a>(table: &[u16], s: &'a str) -> Cow<'a, str> {
    if s.is_ascii() || !s.chars().any(|c| lookup(table, c).is_some()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| lookup(table, c).unwrap_or(c)).collect())
}

/// `s` with traditional characters replaced by simplified ones, byte for
/// byte at the same offsets.
pub fn to_simplified(s: &str) -> Cow<'_, str> {
    to_simplified_with(&T2S, s)
}

/// Normalises UTF-8 bytes in place (a window of text, which may begin or end
/// inside a character: partial characters are left alone).
pub fn simplify_in_place(buf: &mut [u8]) {
    if buf.is_ascii() {
        return;
    }
    let table = &*T2S;
    let mut i = 0;
    while i + 3 <= buf.len() {
        let b0 = buf[i];
        if b0 & 0xF0 == 0xE0 && buf[i + 1] & 0xC0 == 0x80 && buf[i + 2] & 0xC0 == 0x80 {
            let cp = ((b0 as u32 & 0x0F) << 12)
                | ((buf[i + 1] as u32 & 0x3F) << 6)
                | (buf[i + 2] as u32 & 0x3F);
            let v = table[cp as usize];
            if v != 0 {
                let v = v as u32;
                buf[i] = 0xE0 | (v >> 12) as u8;
                buf[i + 1] = 0x80 | ((v >> 6) & 0x3F) as u8;
                buf[i + 2] = 0x80 | (v & 0x3F) as u8;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
}

/// Whether a text is written in traditional characters: several distinct
/// characters have a different simplified form and are not themselves
/// simplified forms (著, 乾 and 於 are written in both scripts).
pub fn is_traditional(s: &str) -> bool {
    let forms = &*SIMPLIFIED_FORMS;
    let traditional_only =
        |c: char| simplified(c).is_some() && !forms.get(c as usize).copied().unwrap_or(false);
    if s.is_ascii() {
        return false;
    }
    // Distinct characters, and more than one or two in a long sentence: a
    // brand keeps its old form in simplified text (昇腾).
    let mut seen: Vec<char> = Vec::new();
    let mut cjk = 0usize;
    for c in s.chars() {
        if comity_text::is_cjk(c) {
            cjk += 1;
        }
        if traditional_only(c) && !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.len() >= 3 || (seen.len() == 2 && cjk <= 20)
}

/// Simplified Chinese text (a message, a replacement) in traditional characters.
pub fn to_traditional(s: &str) -> String {
    hanconv::s2t(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_words_normalise_at_the_same_offsets() {
        let t = "美國財政部海外資產控制辦公室將其列入實體清單";
        let s = to_simplified(t);
        assert_eq!(s, "美国财政部海外资产控制办公室将其列入实体清单");
        assert_eq!(s.len(), t.len());
        let mut bytes = t.as_bytes().to_vec();
        simplify_in_place(&mut bytes);
        assert_eq!(std::str::from_utf8(&bytes).unwrap(), s);
        assert_eq!(to_simplified("出口管理條例"), "出口管理条例");
        assert_eq!(to_simplified("禁運"), "禁运");
    }

    #[test]
    fn windows_cut_inside_a_character_are_left_alone() {
        let t = "美國".as_bytes();
        let mut cut = t[1..].to_vec();
        simplify_in_place(&mut cut);
        assert_eq!(cut[..2], t[1..3]);
        assert_eq!(std::str::from_utf8(&cut[2..]).unwrap(), "国");
    }

    #[test]
    fn the_script_is_told_apart() {
        assert!(is_traditional("您同意遵守美國出口管理條例"));
        assert!(!is_traditional("您同意遵守美国出口管理条例"));
        assert!(!is_traditional("The EAR"));
        assert!(!is_traditional(
            "被许可方不得在华为昇腾910B、昇腾910C处理器上部署许可模型。"
        ));
        assert_eq!(to_traditional("美国出口管理条例"), "美國出口管理條例");
    }
}
