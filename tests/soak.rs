//! Server soak: thousands of random edits (CJK and emoji included) on a
//! ~300-page contract through the real protocol. No crash; at the end the
//! diagnostics equal a fresh open of the same text; the server's resident
//! memory stays flat. Malformed frames and unknown methods get errors.
//!
//! By default 300 edits on a ~20 KB draft, a few seconds in a debug build
//! (where the engine is 10-30 times slower than in release, and edits that
//! add or remove definitions re-lint the whole draft). The long run is
//! `COMITY_SOAK_EDITS=10000 COMITY_SOAK_BYTES=600000` (about 300 pages):
//! `COMITY_SOAK_EDITS=10000 COMITY_SOAK_BYTES=600000 cargo test --release --test soak -- --nocapture`.

#[path = "support/lsp_client.rs"]
mod lsp_client;

use lsp_client::*;
use serde_json::{Value, json};
use std::time::Duration;

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

const PIECES: &[&str] = &[
    "1.1 \"Sanctions\" means sanctions administered by OFAC.\n\n",
    "2.1 Buyer shall comply with all U.S. export control laws, including the EAR. 😀\n\n",
    "2.2 Buyer shall not resell the Products to any person subject to Sanctions.\n\n",
    "第五条 买方应遵守美国出口管制法律，包括《出口管理条例》。\n",
    "（三）客户不得将本服务与华为昇腾芯片结合使用。\n",
    "Each Party shall comply with all applicable laws.\n\n",
    "x",
    "😀",
    "第",
    "“",
    "\n",
    "EAR",
    "",
];

#[test]
fn thousands_of_random_edits_on_a_long_contract() {
    let edits: usize = std::env::var("COMITY_SOAK_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut base = String::new();
    for f in [
        "en-supply-agreement.md",
        "zh-procurement-contract.md",
        "en-credit-agreement.md",
        "bilingual-distribution-agreement.md",
    ] {
        base.push_str(&std::fs::read_to_string(dir.join(f)).unwrap());
        base.push('\n');
    }
    // COMITY_SOAK_BYTES=600000 is some 300 pages; the default is sized for a
    // debug build (see the module comment).
    let bytes: usize = std::env::var("COMITY_SOAK_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut text = if bytes == 0 {
        // The default: two drafts, English and Chinese (~20 KB).
        ["en-supply-agreement.md", "zh-procurement-contract.md"]
            .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
            .join("\n")
    } else {
        base.repeat(bytes / base.len() + 1)
    };

    let mut c = Client::start();
    c.timeout = Duration::from_secs(120);
    let pid = c.child.id();
    c.initialize(json!({}), Value::Null);
    let uri = "file:///tmp/comity-soak.md";
    c.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }));
    let t0 = std::time::Instant::now();
    c.diagnostics(uri, Some(1));
    eprintln!("first diagnostics after {:?}", t0.elapsed());
    let rss_start = rss_kb(pid);

    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut version = 1;
    let mut rss_mid = 0;
    for i in 0..edits {
        let start = floor(&text, (rand() % (text.len() as u64 + 1)) as usize);
        let end = floor(&text, start + (rand() % 40) as usize);
        let ins = PIECES[(rand() % PIECES.len() as u64) as usize];
        let range =
            json!({ "start": utf16_position(&text, start), "end": utf16_position(&text, end) });
        text.replace_range(start..end, ins);
        version += 1;
        c.notify("textDocument/didChange", json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": range, "text": ins }] }));
        if i % 50 == 49 {
            // Keep the client in step (and drain published diagnostics).
            let r = c.request(
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            );
            assert!(r.get("result").is_some(), "{r}");
            c.backlog.clear();
            eprintln!("{} edits after {:?}", i + 1, t0.elapsed());
        }
        if i == edits / 2 {
            rss_mid = rss_kb(pid);
            // Malformed frames and unknown methods in the middle of the run.
            c.send_raw("{ not json");
            c.send_raw("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":42}");
            let r = c.request("comity/noSuchMethod", json!({}));
            assert!(r.get("error").is_some(), "{r}");
        }
    }
    let incremental = c.diagnostics(uri, Some(version));
    let rss_end = rss_kb(pid);
    let fresh_uri = "file:///tmp/comity-soak-fresh.md";
    c.notify("textDocument/didOpen", json!({ "textDocument": { "uri": fresh_uri, "languageId": "markdown", "version": 1, "text": text } }));
    let fresh = c.diagnostics(fresh_uri, Some(1));
    let strip = |v: &[Value]| -> Vec<Value> {
        v.iter()
            .map(|d| {
                let mut d = d.clone();
                d["relatedInformation"] = Value::Null;
                d
            })
            .collect()
    };
    assert_eq!(
        strip(&incremental),
        strip(&fresh),
        "incremental diagnostics differ from a fresh open"
    );
    eprintln!("{edits} edits; RSS start {rss_start} KB, middle {rss_mid} KB, end {rss_end} KB");
    // Flat: the second half of the edits adds no more than allocator slack
    // (the text itself grows by a few bytes per edit on average).
    assert!(
        rss_end <= rss_mid + rss_mid / 4 + 16_000,
        "memory grew in the second half: {rss_mid} KB -> {rss_end} KB (start {rss_start} KB)"
    );
    assert!(
        rss_end < rss_start * 3 + 50_000,
        "memory grew: {rss_start} KB -> {rss_end} KB"
    );
    c.shutdown();
}
