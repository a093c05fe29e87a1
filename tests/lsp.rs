//! The language server through the real protocol: `comity lsp` over stdio.

#[path = "support/lsp_client.rs"]
mod lsp_client;

use lsp_client::*;
use serde_json::{Value, json};

fn fixture(name: &str) -> (String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    (format!("file://{}", path.display()), text)
}

fn open(c: &mut Client, uri: &str, text: &str, lang: &str) {
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": lang, "version": 1, "text": text } }),
    );
}

/// The byte offset of an LSP position counted in UTF-16 units, computed here
/// independently of the server.
fn offset_utf16(text: &str, line: u64, character: u64) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').unwrap() + 1;
    }
    let mut units = 0u64;
    for (i, c) in text[start..].char_indices() {
        if units >= character {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    text.len()
}

fn range_text<'a>(text: &'a str, range: &Value) -> &'a str {
    let s = offset_utf16(
        text,
        range["start"]["line"].as_u64().unwrap(),
        range["start"]["character"].as_u64().unwrap(),
    );
    let e = offset_utf16(
        text,
        range["end"]["line"].as_u64().unwrap(),
        range["end"]["character"].as_u64().unwrap(),
    );
    &text[s..e]
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn english_and_chinese_diagnostics_at_exact_utf16_ranges() {
    let mut c = Client::start();
    let init = c.initialize(json!({}), Value::Null);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        2
    );

    let (uri, text) = fixture("en-supply-agreement.md");
    open(&mut c, &uri, &text, "markdown");
    let diags = c.diagnostics(&uri, Some(1));
    assert!(
        codes(&diags).contains(&"T01".to_string()),
        "{:?}",
        codes(&diags)
    );
    let t01 = diags.iter().find(|d| d["code"] == "T01").unwrap();
    assert_eq!(t01["source"], "comity");
    assert!(
        t01["message"]
            .as_str()
            .unwrap()
            .contains("Legal basis: PRC Anti-Foreign Sanctions Law Art. 12")
    );
    assert!(
        t01["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .contains("clauses/T01-")
    );
    assert!(
        range_text(&text, &t01["range"]).contains("U.S. Export Administration"),
        "{}",
        range_text(&text, &t01["range"])
    );
    let via = diags
        .iter()
        .find(|d| d["relatedInformation"].is_array())
        .expect("a diagnostic points at the definition");
    let def_range = &via["relatedInformation"][0]["location"]["range"];
    assert!(
        range_text(&text, def_range).contains("Sanctioned Person"),
        "{}",
        range_text(&text, def_range)
    );

    let (zh_uri, zh) = fixture("zh-procurement-contract.md");
    open(&mut c, &zh_uri, &zh, "markdown");
    let diags = c.diagnostics(&zh_uri, Some(1));
    let t13 = diags
        .iter()
        .find(|d| d["code"] == "T13")
        .expect("the Huawei exclusion is flagged");
    assert!(
        range_text(&zh, &t13["range"]).contains("华为"),
        "{}",
        range_text(&zh, &t13["range"])
    );
    assert!(t13["message"].as_str().unwrap().contains("第十二条"));
    c.shutdown();
}

#[test]
fn incremental_edits_code_actions_hover_and_symbols() {
    let mut c = Client::start();
    c.initialize(json!({}), Value::Null);
    let uri = "file:///tmp/comity-lsp-edit.md";
    let mut text = String::from(
        "# Supply Terms 😀\n\n## 7. Export Control\n\n7.1 买方 Buyer shall comply with all U.S. export control laws, including the EAR.\n\n7.2 Payment is due in 30 days.\n",
    );
    open(&mut c, uri, &text, "markdown");
    let diags = c.diagnostics(uri, Some(1));
    assert_eq!(codes(&diags), vec!["T01"]);
    let range = diags[0]["range"].clone();
    assert!(
        range_text(&text, &range).starts_with("shall comply"),
        "{}",
        range_text(&text, &range)
    );

    // Hover on the finding cites the law.
    let hover = c.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": range["start"] }),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("Art. 12") && value.contains("US-side cost"),
        "{value}"
    );

    // A quick fix per alternative; applying the preferred one removes the finding.
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": diags } }),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    assert!(actions.len() >= 3, "{actions:?}");
    assert_eq!(
        actions.iter().filter(|a| a["isPreferred"] == true).count(),
        1
    );
    assert!(actions.iter().any(|a| {
        a["title"]
            .as_str()
            .unwrap()
            .contains("Allow this clause with a reason")
    }));
    let preferred = actions.iter().find(|a| a["isPreferred"] == true).unwrap();
    let edit = &preferred["edit"]["changes"][uri][0];
    let s = offset_utf16(
        &text,
        edit["range"]["start"]["line"].as_u64().unwrap(),
        edit["range"]["start"]["character"].as_u64().unwrap(),
    );
    let e = offset_utf16(
        &text,
        edit["range"]["end"]["line"].as_u64().unwrap(),
        edit["range"]["end"]["character"].as_u64().unwrap(),
    );
    text.replace_range(s..e, edit["newText"].as_str().unwrap());
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "range": edit["range"], "text": edit["newText"] }] }),
    );
    let diags = c.diagnostics(uri, Some(2));
    assert!(
        diags.is_empty(),
        "the neutral wording is not flagged: {diags:?}"
    );

    // Typing a risky clause back in, one incremental edit after another.
    let line = text.lines().count() as u64 - 1;
    let insert = "7.3 卖方 shall not supply Huawei Ascend 910B chips to anyone.";
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "range": { "start": { "line": line + 1, "character": 0 }, "end": { "line": line + 1, "character": 0 } }, "text": format!("\n{insert}\n") }] }),
    );
    text.push_str(&format!("\n{insert}\n"));
    let diags = c.diagnostics(uri, Some(3));
    assert_eq!(codes(&diags), vec!["T06"]);
    assert!(range_text(&text, &diags[0]["range"]).contains("Huawei Ascend"));

    // The outline.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let root = &symbols["result"][0];
    assert!(root["name"].as_str().unwrap().contains("Supply Terms"));
    let section = &root["children"][0];
    assert!(
        section["name"].as_str().unwrap().contains("Export Control"),
        "{section}"
    );
    assert!(section["children"].as_array().unwrap().len() >= 2);
    let folds = c.request(
        "textDocument/foldingRange",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(!folds["result"].as_array().unwrap().is_empty());
    let tokens = c.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(!tokens["result"]["data"].as_array().unwrap().is_empty());
    c.shutdown();
}

#[test]
fn pull_and_workspace_diagnostics() {
    let mut c = Client::start();
    let folder = format!("file://{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    c.initialize(
        json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } }),
        json!([{ "uri": folder, "name": "fixtures" }]),
    );
    let (uri, text) = fixture("zh-technology-license.txt");
    open(&mut c, &uri, &text, "plaintext");
    let report = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(report["result"]["kind"], "full");
    let items = report["result"]["items"].as_array().unwrap();
    assert!(
        codes(items).contains(&"T06".to_string()),
        "{:?}",
        codes(items)
    );
    let id = report["result"]["resultId"].clone();
    let again = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
    );
    assert_eq!(again["result"]["kind"], "unchanged");
    // An edit that moves no diagnostic (a new last line) is still "unchanged";
    // one that moves a diagnostic (text before it on its line) is reported
    // in full under a new id.
    let last = text.lines().count();
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "range": { "start": { "line": last, "character": 0 }, "end": { "line": last, "character": 0 } }, "text": "附件：无。\n" }] }),
    );
    let after = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
    );
    assert_eq!(after["result"]["kind"], "unchanged", "{after}");
    let first = &items[0]["range"]["start"];
    let line_start = json!({ "line": first["line"], "character": 0 });
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "range": { "start": line_start, "end": line_start }, "text": "\u{3000}\u{3000}" }] }),
    );
    let moved = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": uri }, "previousResultId": id }),
    );
    assert_eq!(moved["result"]["kind"], "full");
    assert_ne!(moved["result"]["resultId"], id);
    let moved_items = moved["result"]["items"].as_array().unwrap();
    assert_eq!(
        moved_items.len(),
        items.len(),
        "{:?} / {:?}",
        codes(moved_items),
        codes(items)
    );
    assert_eq!(
        moved_items[0]["range"]["start"]["character"]
            .as_u64()
            .unwrap(),
        first["character"].as_u64().unwrap() + 2,
        "the diagnostic moved past the two ideographic spaces inserted before it"
    );
    let ws = c.request("workspace/diagnostic", json!({ "previousResultIds": [] }));
    let items = ws["result"]["items"].as_array().unwrap();
    assert!(
        items.len() >= 6,
        "every fixture is reported: {}",
        items.len()
    );
    assert!(items.iter().any(|i| {
        i["uri"]
            .as_str()
            .unwrap()
            .ends_with("en-credit-agreement.md")
            && !i["items"].as_array().unwrap().is_empty()
    }));
    c.shutdown();
}

#[test]
fn utf8_is_used_when_offered() {
    let mut c = Client::start();
    let init = c.initialize(
        json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
        Value::Null,
    );
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let uri = "file:///tmp/comity-utf8.txt";
    let text = "第一条 买方应遵守美国出口管制法律，包括《出口管理条例》。\n";
    open(&mut c, uri, text, "plaintext");
    let diags = c.diagnostics(uri, Some(1));
    let r = &diags[0]["range"];
    let (s, e) = (
        r["start"]["character"].as_u64().unwrap() as usize,
        r["end"]["character"].as_u64().unwrap() as usize,
    );
    assert!(
        text.is_char_boundary(s) && text.is_char_boundary(e) && s < e,
        "byte columns"
    );
    c.shutdown();
}

#[test]
fn bad_input_never_crashes_the_server() {
    let mut c = Client::start();
    c.initialize(json!({}), Value::Null);
    // Unknown method: an error, not a crash.
    let r = c.request("comity/unknownMethod", json!({}));
    assert!(r["error"]["code"].as_i64().is_some(), "{r}");
    // Malformed params: an error.
    let r = c.request("textDocument/hover", json!({ "textDocument": 42 }));
    assert!(r.get("error").is_some(), "{r}");
    // A malformed frame body is answered with a parse error.
    c.send_raw("{ this is not json");
    // An edit far outside the document, and one to a document never opened.
    let uri = "file:///tmp/comity-bad.txt";
    open(
        &mut c,
        uri,
        "Buyer shall comply with the EAR.\n",
        "plaintext",
    );
    c.diagnostics(uri, Some(1));
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "range": { "start": { "line": 99, "character": 5 }, "end": { "line": 120, "character": 0 } }, "text": "x" }] }),
    );
    c.diagnostics(uri, Some(2));
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///never-opened.txt", "version": 2 }, "contentChanges": [{ "text": "x" }] }),
    );
    // Still alive and answering.
    let r = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(r.get("result").is_some(), "{r}");
    c.shutdown();
}

#[test]
fn a_client_that_exits_without_shutdown_does_not_hang_the_server() {
    let mut c = Client::start();
    c.initialize(json!({}), Value::Null);
    drop(c.stdin);
    assert!(
        wait(&mut c.child).is_some(),
        "the server exits when its input closes"
    );
}

mod random_edits {
    //! Random edit sequences through the protocol (CJK and emoji included)
    //! give the same diagnostics incrementally as from scratch.

    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("1.1 \"Sanctions\" means sanctions administered by OFAC.\n\n".to_string()),
            Just("2.1 Buyer shall comply with all U.S. export control laws, including the EAR. 😀\n\n".to_string()),
            Just("2.2 Buyer shall not resell the Products to any person subject to Sanctions.\n\n".to_string()),
            Just("第五条 买方应遵守美国出口管制法律，包括《出口管理条例》。\n".to_string()),
            Just("（三）客户不得将本服务与华为昇腾芯片结合使用。\n".to_string()),
            Just("Each Party shall comply with all applicable laws.\n\n".to_string()),
            "[a-z 第条“”😀\\n]{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

        #[test]
        fn incremental_diagnostics_equal_a_fresh_open(
            pieces in prop::collection::vec(piece(), 1..8),
            edits in prop::collection::vec((0.0..=1.0f64, 0usize..24, piece()), 1..10),
        ) {
            let mut c = Client::start();
            c.initialize(json!({}), Value::Null);
            let uri = "file:///tmp/comity-prop-edited.md";
            let mut text = pieces.concat();
            open(&mut c, uri, &text, "markdown");
            c.diagnostics(uri, Some(1));
            let mut version = 1;
            for (at, del, ins) in edits {
                let start = floor(&text, (at * text.len() as f64) as usize);
                let end = floor(&text, start + del);
                let range = json!({ "start": utf16_position(&text, start), "end": utf16_position(&text, end) });
                text.replace_range(start..end, &ins);
                version += 1;
                c.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": range, "text": ins }] }));
            }
            let incremental = c.diagnostics(uri, Some(version));
            let fresh_uri = "file:///tmp/comity-prop-fresh.md";
            open(&mut c, fresh_uri, &text, "markdown");
            let fresh = c.diagnostics(fresh_uri, Some(1));
            let strip = |v: &[Value]| -> Vec<Value> { v.iter().map(|d| { let mut d = d.clone(); d["relatedInformation"] = Value::Null; d }).collect() };
            prop_assert_eq!(strip(&incremental), strip(&fresh), "text: {:?}", text);
            c.shutdown();
        }
    }
}

/// Regression: a well-formed JSON object that is not a readable JSON-RPC
/// message (a method that is a number) used to end the session silently.
#[test]
fn a_frame_with_a_non_string_method_is_answered_not_fatal() {
    let mut c = Client::start();
    c.initialize(json!({}), Value::Null);
    c.send_raw(r#"{"jsonrpc":"2.0","id":"x","method":42}"#);
    c.send_raw(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}"#);
    c.send_raw(r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":7}"#);
    let r = c.request("comity/unknownMethod", json!({}));
    assert!(r.get("error").is_some(), "{r}");
    c.shutdown();
}

/// The column where the first diagnostic starts.
fn start_column(diags: &[Value]) -> u64 {
    diags[0]["range"]["start"]["character"].as_u64().unwrap()
}

/// A push that would repeat the list last sent is skipped: after an edit
/// that moves no diagnostic the client hears nothing (or, if it asked, a
/// short notice), and after one that moves a diagnostic it gets the new list.
#[test]
fn unchanged_diagnostics_are_not_pushed_again() {
    let text = "1. Buyer shall comply with all U.S. export control laws, including the EAR.\n\n2. Payment is due in thirty days.\n";
    let uri = "file:///tmp/comity-unchanged.md";
    let edit_line_2 = |version: i64| {
        // Types a character in clause 2, which has no diagnostic.
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": { "start": { "line": 2, "character": 3 }, "end": { "line": 2, "character": 3 } }, "text": "x" }] })
    };
    let edit_line_0 = |version: i64| {
        // Types a character before clause 1's diagnostic, on its line.
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": { "start": { "line": 0, "character": 3 }, "end": { "line": 0, "character": 3 } }, "text": "x" }] })
    };

    // A client that asks to be told.
    let mut c = Client::start();
    c.initialize(json!({}), Value::Null);
    open(&mut c, uri, text, "markdown");
    let first = c.diagnostics(uri, Some(1));
    assert_eq!(codes(&first), vec!["T01"]);
    c.notify("textDocument/didChange", edit_line_2(2));
    let second = c.diagnostics(uri, Some(2));
    assert_eq!((c.full_reports, c.unchanged_reports), (1, 1));
    assert_eq!(second, first, "the notice confirms the list shown");
    c.notify("textDocument/didChange", edit_line_0(3));
    let third = c.diagnostics(uri, Some(3));
    assert_eq!((c.full_reports, c.unchanged_reports), (2, 1));
    assert_eq!(
        start_column(&third),
        start_column(&first) + 1,
        "the diagnostic moved with the typed character: {third:?}"
    );
    c.shutdown();

    // A client that did not ask hears nothing for version 2: the next list
    // it receives is version 3's.
    let mut c = Client::start();
    c.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    c.notify("initialized", json!({}));
    open(&mut c, uri, text, "markdown");
    let first = c.diagnostics(uri, Some(1));
    c.notify("textDocument/didChange", edit_line_2(2));
    c.notify("textDocument/didChange", edit_line_0(3));
    // The next list the client receives, whatever its version, is version
    // 3's (the diagnostic has moved): none was sent for version 2.
    let next = c.diagnostics(uri, None);
    assert_eq!(start_column(&next), start_column(&first) + 1, "{next:?}");
    c.shutdown();
}
