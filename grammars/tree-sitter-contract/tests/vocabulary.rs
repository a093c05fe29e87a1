//! One source for the grammar's vocabulary: `vocabulary.json`. `grammar.js`
//! requires it, the scanner includes the header generated from it, and
//! Comity's fast path uses the Rust module generated from it. These tests
//! fail on any difference between the file and what was generated from it
//! (`src/grammar.json`, the `parser.c` generated with it, `src/vocabulary.h`),
//! and on a list written again by hand in `grammar.js` or `scanner.c`.
//!
//! After editing `vocabulary.json`: run `tree-sitter generate` in the
//! grammar's folder, then
//! `COMITY_WRITE_VOCABULARY=1 cargo test -p tree-sitter-contract --test vocabulary`.

use std::path::Path;

use serde_json::Value;

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn vocabulary() -> Value {
    serde_json::from_str(&read("vocabulary.json")).expect("vocabulary.json is valid JSON")
}

fn list(v: &Value, path: &str) -> Vec<String> {
    path.split('.')
        .fold(v, |v, k| &v[k])
        .as_array()
        .unwrap_or_else(|| panic!("`{path}` is a list"))
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

/// A code point as `grammar.js`'s `classChar` writes it in a pattern.
fn class_char(cp: &str) -> String {
    let n = u32::from_str_radix(cp.trim_start_matches("U+"), 16).expect("a code point");
    match n {
        0x09 => "\\t".into(),
        0x0A => "\\n".into(),
        0x0B => "\\v".into(),
        0x0C => "\\f".into(),
        0x0D => "\\r".into(),
        0x20..0x7F => char::from_u32(n).unwrap().to_string(),
        _ => format!("\\u{n:04X}"),
    }
}

/// A class as `grammar.js`'s `classOf` writes it (a `-` but the first
/// escaped).
fn class(v: &Value, path: &str) -> String {
    list(v, path)
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.split("..")
                .map(class_char)
                .map(|c| {
                    if c == "-" && i > 0 {
                        "\\-".to_string()
                    } else {
                        c
                    }
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// The patterns of a token rule in `src/grammar.json`, in order.
fn patterns(grammar: &Value, rule: &str) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v["type"].as_str() {
            Some("PATTERN") => out.push(v["value"].as_str().unwrap().to_string()),
            _ => {
                if let Some(c) = v.get("content") {
                    walk(c, out);
                }
                for m in v["members"].as_array().into_iter().flatten() {
                    walk(m, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&grammar["rules"][rule], &mut out);
    assert!(!out.is_empty(), "grammar.json has no patterns for `{rule}`");
    out
}

#[test]
fn the_scanners_header_is_generated_from_the_vocabulary() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/vocabulary.h");
    let generated = tree_sitter_contract::vocabulary::C_HEADER;
    if std::env::var_os("COMITY_WRITE_VOCABULARY").is_some() {
        std::fs::write(&path, generated).expect("src/vocabulary.h is writable");
    }
    let committed = read("src/vocabulary.h");
    assert!(
        committed == generated,
        "src/vocabulary.h differs from what vocabulary.json gives; rewrite it with \
         `COMITY_WRITE_VOCABULARY=1 cargo test -p tree-sitter-contract --test vocabulary`"
    );
}

/// `src/grammar.json` (from which `parser.c` is generated) holds the
/// vocabulary's lists exactly: a keyword added to `vocabulary.json` without
/// regenerating, or written into `grammar.js` by hand and generated, fails.
#[test]
fn the_generated_grammar_holds_the_vocabulary() {
    let v = vocabulary();
    let g: Value = serde_json::from_str(&read("src/grammar.json")).expect("grammar.json is JSON");
    let alt = |path: &str| list(&v, path).join("|");
    let limit = |name: &str| v["limits"][name].as_u64().expect("a limit");
    let hs = class(&v, "characters.horizontal_space");
    let nl = class(&v, "characters.newline");
    let brk = class(&v, "characters.word_break");
    let cn: String = list(&v, "characters.cn_numeral")
        .iter()
        .map(|cp| {
            char::from_u32(u32::from_str_radix(cp.trim_start_matches("U+"), 16).unwrap()).unwrap()
        })
        .collect();
    let cn = format!("[{cn}]+");
    let d = format!("\\d{{1,{}}}", limit("number_digits"));
    let q = limit("quoted_max");

    assert_eq!(
        g["extras"][0]["value"].as_str(),
        Some(format!("[{hs}]").as_str())
    );
    assert_eq!(
        patterns(&g, "word"),
        [
            format!("[(\\uFF08\\u7B2C\\u672C\\u00A7*]?[^{hs}{nl}{brk}]+"),
            format!("[{brk}]"),
        ]
    );
    assert_eq!(
        patterns(&g, "cross_reference"),
        [
            format!(
                "({})[ \\u00A0]+(\\d{{1,3}}[A-Za-z]?(\\.\\d{{1,3}})*|[IVXLC]{{1,6}}|[A-Z])(\\([a-zA-Z0-9]{{1,4}}\\))*",
                alt("cross_reference.keywords_regex")
            ),
            "§{1,2}[ \\u00A0]?\\d{1,3}(\\.\\d{1,3})*(\\([a-zA-Z0-9]{1,4}\\))*".to_string(),
            format!(
                "第({cn}|\\d{{1,3}}(\\.\\d{{1,3}})*)({})",
                alt("cross_reference.zh_units")
            ),
            format!(
                "本({})第?({cn}|\\d{{1,3}}(\\.\\d{{1,3}})*)({})?",
                alt("cross_reference.zh_documents"),
                alt("cross_reference.zh_units_after_document")
            ),
            format!("附件({cn}|\\d{{1,3}}|[A-Z])"),
        ]
    );
    assert_eq!(
        patterns(&g, "inline_definition"),
        [
            format!(
                "[(\\uFF08]({})?(\\*\\*|__)?[\"\\u201C][^\"\\u201D\\r\\n]{{1,{}}}[\"\\u201D](\\*\\*|__)?(,? ?(or |and )?(\\*\\*|__)?[\"\\u201C][^\"\\u201D\\r\\n]{{1,{}}}[\"\\u201D](\\*\\*|__)?){{0,{}}}[)\\uFF09]",
                alt("definitions.inline_leads_regex"),
                limit("inline_term_max"),
                limit("inline_extra_term_max"),
                limit("inline_extra_terms"),
            ),
            format!(
                "[(\\uFF08]({})[:：]?[\"\\u201C\\u300C][^\"\\u201D\\u300D\\r\\n]{{1,{}}}[\"\\u201D\\u300D][)\\uFF09]",
                alt("definitions.zh_inline_leads"),
                limit("zh_inline_term_max"),
            ),
        ]
    );
    assert_eq!(
        patterns(&g, "defines_prefix"),
        [format!(
            "本({})(中)?所称",
            alt("definitions.defines_prefix_documents")
        )]
    );
    assert_eq!(
        patterns(&g, "_quoted")[..5],
        [
            format!("(\\*\\*|__)?\"[^\"\\r\\n]{{1,{q}}}\"(\\*\\*|__)?"),
            format!("(\\*\\*|__)?\\u201C[^\\u201D\\r\\n]{{1,{q}}}\\u201D(\\*\\*|__)?"),
            format!("\\u300C[^\\u300D\\r\\n]{{1,{q}}}\\u300D"),
            format!("\\u300E[^\\u300F\\r\\n]{{1,{q}}}\\u300F"),
            "\\u2018[^\\u2019\\r\\n]{1,80}\\u2019".to_string(),
        ]
    );
    assert_eq!(
        patterns(&g, "part_number")[0],
        format!(
            "({})[ \\u00A0]+(\\d{{1,3}}|[IVXLC]{{1,6}}|[A-Z])\\.?",
            alt("markers.part_keywords")
        )
    );
    assert_eq!(
        patterns(&g, "article_number"),
        [
            format!("{d}\\."),
            format!(
                "({})[ \\u00A0]+\\d{{1,3}}(\\.\\d{{1,3}})*\\.?",
                alt("markers.article_keywords")
            ),
            format!("第({cn}|{d})条"),
            format!("{}[、.．]", cn),
        ]
    );
    assert_eq!(
        patterns(&g, "bullet"),
        [format!("[{}][ \\t]", class(&v, "characters.bullet"))]
    );
    let number = patterns(&g, "number");
    assert_eq!(
        number[0],
        format!("{d}(\\.{d}){{1,{}}}\\.?", limit("number_groups"))
    );
    assert_eq!(number[2], format!("[(\\uFF08]{d}[)\\uFF09]"));
    assert_eq!(number[4], format!("{d}[)\\uFF09、]"));
}

/// The words of the vocabulary's lists that are long enough to be
/// recognised when written into code.
fn vocabulary_words(v: &Value) -> Vec<String> {
    let mut words = Vec::new();
    for path in [
        "cross_reference.scanner_keywords",
        "markers.part_keywords",
        "markers.article_keywords",
        "definitions.verbs",
        "definitions.zh_inline_leads",
        "definitions.defines_prefix_documents",
        "cross_reference.zh_documents",
    ] {
        words.extend(list(v, path));
    }
    words.extend(
        list(v, "definitions.inline_leads_regex")
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| l.len() > 4),
    );
    words.extend(
        list(v, "sentences.abbreviations")
            .into_iter()
            .filter(|a| a.len() > 3),
    );
    words.sort();
    words.dedup();
    words
}

/// The text of C or JavaScript source without its comments.
fn code_of(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
            out.push('\n');
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Whether `code` holds `word`, as a whole word if it is ASCII.
fn spells(code: &str, word: &str) -> bool {
    if !word.is_ascii() {
        return code.contains(word);
    }
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    code.match_indices(word).any(|(i, _)| {
        !is_word(code[..i].chars().next_back()) && !is_word(code[i + word.len()..].chars().next())
    })
}

/// Neither `grammar.js` nor `scanner.c` spells a word of the vocabulary
/// outside comments: they take their lists from `vocabulary.json`.
#[test]
fn grammar_js_and_the_scanner_hold_no_list_of_their_own() {
    let v = vocabulary();
    let words = vocabulary_words(&v);
    let grammar = read("grammar.js");
    assert!(
        grammar.contains("require('./vocabulary.json')"),
        "grammar.js requires vocabulary.json"
    );
    let scanner = read("src/scanner.c");
    assert!(scanner.contains("#include \"vocabulary.h\""));
    // The grammar's rule names (`$.paragraph`, `means`) are not lists, and
    // `附件` is also the marker of an annex (`附件一`), not only a document
    // of `本附件所称`.
    let g: Value = serde_json::from_str(&read("src/grammar.json")).expect("grammar.json is JSON");
    let mut rules: Vec<&str> = g["rules"]
        .as_object()
        .expect("rules")
        .keys()
        .map(String::as_str)
        .collect();
    rules.extend(
        g["externals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["name"].as_str()),
    );
    let words: Vec<&String> = words
        .iter()
        .filter(|w| !rules.contains(&w.as_str()) && w.as_str() != "附件")
        .collect();
    // The scanner compares words only with the header's lists: a string
    // literal in its code (but the includes) would be a list of its own.
    // (The character literal `'"'` opens no string.)
    let scanner_code = code_of(&scanner).replace("'\"'", "");
    let literals: Vec<&str> = scanner_code
        .lines()
        .filter(|l| !l.trim_start().starts_with("#include"))
        .flat_map(|l| l.split('"').skip(1).step_by(2).collect::<Vec<_>>())
        .collect();
    assert!(
        literals.is_empty(),
        "src/scanner.c compares with string literals of its own: {literals:?}"
    );
    for (file, code) in [
        ("grammar.js", code_of(&grammar)),
        ("src/scanner.c", code_of(&scanner)),
    ] {
        let found: Vec<&&String> = words.iter().filter(|w| spells(&code, w)).collect();
        assert!(
            found.is_empty(),
            "{file} spells words of vocabulary.json itself: {found:?}; take them from the vocabulary"
        );
    }
}

/// `src/grammar.json` (and so `parser.c`) is what `grammar.js` generates
/// now: a keyword written into `grammar.js` or `vocabulary.json` without
/// running `tree-sitter generate` fails here. Needs the tree-sitter CLI
/// (0.27; `$TREE_SITTER` or `tree-sitter` on the PATH): skipped with a
/// reason without it, a failure when COMITY_REQUIRE_TREE_SITTER=1. CI does
/// not build the CLI (parser.c is committed so that neither CI nor users
/// need it); the other tests here hold the committed grammar.json and
/// vocabulary.h to vocabulary.json without it.
#[test]
fn grammar_json_is_what_grammar_js_generates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cli = std::env::var_os("TREE_SITTER").unwrap_or_else(|| "tree-sitter".into());
    let out = std::env::temp_dir().join(format!("comity-grammar-json-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = std::process::Command::new(&cli)
        .current_dir(dir)
        .args(["generate", "--no-parser", "--js-runtime", "native", "-o"])
        .arg(&out)
        .arg("grammar.js")
        .output();
    let run = match run {
        Ok(run) => run,
        Err(e) if std::env::var_os("COMITY_REQUIRE_TREE_SITTER").is_some_and(|v| v == "1") => {
            panic!("the tree-sitter CLI ({cli:?}) is required: {e}")
        }
        Err(e) => {
            eprintln!("skipped: the tree-sitter CLI ({cli:?}) is not available: {e}");
            return;
        }
    };
    assert!(
        run.status.success(),
        "tree-sitter generate failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let generated =
        std::fs::read_to_string(out.join("grammar.json")).expect("grammar.json written");
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        generated == read("src/grammar.json"),
        "src/grammar.json is not what grammar.js generates: run `tree-sitter generate` in {}",
        dir.display()
    );
}
