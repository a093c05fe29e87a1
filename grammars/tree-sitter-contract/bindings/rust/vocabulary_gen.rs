//! Writes the grammar's vocabulary (`vocabulary.json`) as a C header for the
//! scanner (`src/vocabulary.h`) and as a Rust module for Comity's fast path
//! (`tree_sitter_contract::vocabulary`). Used by `build.rs`; the vocabulary
//! test checks that the committed header is what this writes.

use std::fmt::Write;

use serde_json::Value;

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| {
        v.get(k)
            .unwrap_or_else(|| panic!("vocabulary.json: `{path}` is missing"))
    })
}

fn strings<'a>(v: &'a Value, path: &str) -> Vec<&'a str> {
    get(v, path)
        .as_array()
        .unwrap_or_else(|| panic!("vocabulary.json: `{path}` is not a list"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("vocabulary.json: `{path}` holds a non-string"))
        })
        .collect()
}

fn code_point(s: &str) -> u32 {
    s.strip_prefix("U+")
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .unwrap_or_else(|| panic!("vocabulary.json: `{s}` is not a code point (U+XXXX)"))
}

/// A character class: single code points and inclusive ranges.
fn class(v: &Value, path: &str) -> Vec<(u32, u32)> {
    strings(v, path)
        .into_iter()
        .map(|item| match item.split_once("..") {
            Some((a, b)) => (code_point(a), code_point(b)),
            None => (code_point(item), code_point(item)),
        })
        .collect()
}

/// The leads of an inline definition with `,?` spelled out both ways.
fn expand_leads(leads: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for lead in leads {
        let plain = lead.replace(",?", "");
        assert!(
            !plain.contains([
                '\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}'
            ]),
            "vocabulary.json: inline lead `{lead}` uses regex syntax other than `,?`"
        );
        out.push(lead.replace(",?", ""));
        if lead.contains(",?") {
            out.push(lead.replace(",?", ","));
        }
    }
    out
}

fn c_string_list(out: &mut String, name: &str, items: &[&str], max_len: usize) {
    writeln!(out, "static const char *const {name}[] = {{").unwrap();
    for item in items {
        assert!(
            item.is_ascii() && !item.contains(['"', '\\']) && item.len() <= max_len,
            "vocabulary.json: `{item}` must be plain ASCII of at most {max_len} bytes"
        );
        writeln!(out, "    \"{item}\",").unwrap();
    }
    writeln!(out, "}};").unwrap();
    writeln!(out, "#define {name}_LEN {}\n", items.len()).unwrap();
}

fn c_class(out: &mut String, name: &str, class: &[(u32, u32)]) {
    let tests: Vec<String> = class
        .iter()
        .map(|&(a, b)| {
            if a == b {
                format!("c == 0x{a:04X}")
            } else {
                format!("(c >= 0x{a:04X} && c <= 0x{b:04X})")
            }
        })
        .collect();
    writeln!(
        out,
        "static inline bool {name}(int32_t c) {{\n  return {};\n}}\n",
        tests.join(" ||\n         ")
    )
    .unwrap();
}

/// The C header for the scanner.
pub fn c_header(v: &Value) -> String {
    let mut out = String::from(
        "/* Generated from vocabulary.json by bindings/rust/build.rs: do not edit.\n \
         * Rewrite it with `COMITY_WRITE_VOCABULARY=1 cargo test -p tree-sitter-contract --test vocabulary`. */\n\
         #ifndef TREE_SITTER_CONTRACT_VOCABULARY_H\n\
         #define TREE_SITTER_CONTRACT_VOCABULARY_H\n\n\
         #include <stdbool.h>\n\
         #include <stdint.h>\n\n",
    );
    // `xref_ahead_from` reads a word into 16 bytes, 15 letters at most, and
    // accepts a keyword with `s`, `S` or `es` after it.
    c_string_list(
        &mut out,
        "VOCAB_XREF_KEYWORDS",
        &strings(v, "cross_reference.scanner_keywords"),
        13,
    );
    // `means_ahead` reads a verb into 32 bytes.
    c_string_list(
        &mut out,
        "VOCAB_DEFINITION_VERBS",
        &strings(v, "definitions.verbs"),
        31,
    );
    c_string_list(
        &mut out,
        "VOCAB_ABBREVIATIONS",
        &strings(v, "sentences.abbreviations"),
        23,
    );
    writeln!(
        out,
        "#define VOCAB_ZH_VERB 0x{:04X}\n",
        code_point(
            get(v, "definitions.zh_verb")
                .as_str()
                .expect("zh_verb is a string")
        )
    )
    .unwrap();
    c_class(
        &mut out,
        "vocab_is_zh_verb_lead",
        &class(v, "definitions.zh_verb_leads"),
    );
    c_class(
        &mut out,
        "vocab_is_hspace",
        &class(v, "characters.horizontal_space"),
    );
    c_class(
        &mut out,
        "vocab_is_newline",
        &class(v, "characters.newline"),
    );
    c_class(
        &mut out,
        "vocab_is_cn_numeral",
        &class(v, "characters.cn_numeral"),
    );
    c_class(&mut out, "vocab_is_bullet", &class(v, "characters.bullet"));
    out.push_str("#endif\n");
    out
}

fn rust_list(out: &mut String, doc: &str, name: &str, items: &[impl AsRef<str>]) {
    writeln!(out, "/// {doc}\npub const {name}: &[&str] = &[").unwrap();
    for item in items {
        writeln!(out, "    {:?},", item.as_ref()).unwrap();
    }
    writeln!(out, "];\n").unwrap();
}

fn rust_class(out: &mut String, doc: &str, name: &str, class: &[(u32, u32)]) {
    let ch = |c: u32| format!("'\\u{{{c:X}}}'");
    let arms: Vec<String> = class
        .iter()
        .map(|&(a, b)| {
            if a == b {
                ch(a)
            } else {
                format!("{}..={}", ch(a), ch(b))
            }
        })
        .collect();
    writeln!(
        out,
        "/// {doc}\n#[inline]\npub fn {name}(c: char) -> bool {{\n    matches!(c, {})\n}}\n",
        arms.join(" | ")
    )
    .unwrap();
}

/// The Rust module `tree_sitter_contract::vocabulary`.
pub fn rust_module(v: &Value) -> String {
    let mut out = String::from("// Generated from vocabulary.json by build.rs.\n\n");
    rust_list(
        &mut out,
        "The keywords of the `cross_reference` token, as pattern fragments.",
        "CROSS_REFERENCE_KEYWORDS_REGEX",
        &strings(v, "cross_reference.keywords_regex"),
    );
    rust_list(
        &mut out,
        "The spellings at which the scanner's text run stops for a cross-reference (`xref_ahead`); each may take `s`, `S` or `es`.",
        "SCANNER_KEYWORDS",
        &strings(v, "cross_reference.scanner_keywords"),
    );
    rust_list(
        &mut out,
        "The units of a Chinese cross-reference (`第五条`).",
        "ZH_UNITS",
        &strings(v, "cross_reference.zh_units"),
    );
    rust_list(
        &mut out,
        "The units after `本合同` in a cross-reference.",
        "ZH_UNITS_AFTER_DOCUMENT",
        &strings(v, "cross_reference.zh_units_after_document"),
    );
    rust_list(
        &mut out,
        "The documents of `本合同第五条`.",
        "ZH_DOCUMENTS",
        &strings(v, "cross_reference.zh_documents"),
    );
    rust_list(
        &mut out,
        "The words of a `part_number` (`ARTICLE 5`).",
        "PART_KEYWORDS",
        &strings(v, "markers.part_keywords"),
    );
    rust_list(
        &mut out,
        "The words of an `article_number` (`Section 12`).",
        "ARTICLE_KEYWORDS",
        &strings(v, "markers.article_keywords"),
    );
    rust_list(
        &mut out,
        "The scanner's English definition verbs (`means`).",
        "DEFINITION_VERBS",
        &strings(v, "definitions.verbs"),
    );
    let zh_verb = char::from_u32(code_point(
        get(v, "definitions.zh_verb")
            .as_str()
            .expect("zh_verb is a string"),
    ))
    .expect("zh_verb is a character");
    writeln!(
        out,
        "/// The Chinese definition verb (`指`).\npub const ZH_VERB: char = {zh_verb:?};\n"
    )
    .unwrap();
    rust_class(
        &mut out,
        "A character that makes a verb with `指` after it (`是指`).",
        "is_zh_verb_lead",
        &class(v, "definitions.zh_verb_leads"),
    );
    rust_list(
        &mut out,
        "The leads of an inline definition (`(the \"Buyer\")`), `,?` spelled out both ways; no lead is also a lead.",
        "INLINE_LEADS",
        &expand_leads(&strings(v, "definitions.inline_leads_regex")),
    );
    rust_list(
        &mut out,
        "The leads of a Chinese inline definition (`（以下简称“卖方”）`).",
        "ZH_INLINE_LEADS",
        &strings(v, "definitions.zh_inline_leads"),
    );
    rust_list(
        &mut out,
        "The documents of `本协议所称`.",
        "DEFINES_PREFIX_DOCUMENTS",
        &strings(v, "definitions.defines_prefix_documents"),
    );
    rust_list(
        &mut out,
        "Words the scanner reads as abbreviations before a full stop.",
        "ABBREVIATIONS",
        &strings(v, "sentences.abbreviations"),
    );
    rust_class(
        &mut out,
        "The grammar's horizontal space (`extras`).",
        "is_hspace",
        &class(v, "characters.horizontal_space"),
    );
    rust_class(
        &mut out,
        "The grammar's line ends.",
        "is_newline",
        &class(v, "characters.newline"),
    );
    rust_class(
        &mut out,
        "Characters that end the grammar's `word` token (`BREAK`); a word may start with one.",
        "is_word_break",
        &class(v, "characters.word_break"),
    );
    rust_class(
        &mut out,
        "The CJK numerals of the grammar's `CN_NUM`.",
        "is_cn_numeral",
        &class(v, "characters.cn_numeral"),
    );
    rust_class(
        &mut out,
        "The first character of a list item's `bullet`.",
        "is_bullet",
        &class(v, "characters.bullet"),
    );
    let cn: String = class(v, "characters.cn_numeral")
        .iter()
        .flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32))
        .collect();
    writeln!(out, "/// The CJK numerals, as the grammar's character class holds them.\npub const CN_NUMERALS: &str = {cn:?};\n").unwrap();
    let limits = get(v, "limits").as_object().expect("limits is a table");
    for (name, value) in limits {
        let n = value
            .as_u64()
            .unwrap_or_else(|| panic!("vocabulary.json: limit `{name}` is not a number"));
        writeln!(
            out,
            "/// `limits.{name}`.\npub const {}: usize = {n};\n",
            name.to_uppercase()
        )
        .unwrap();
    }
    out
}
