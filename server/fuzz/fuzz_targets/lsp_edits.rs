//! What the language server does on each didChange, without the protocol:
//! `Document::edit` then `engine::relint`, checked against a lint from
//! scratch after every edit (CJK and emoji come from the seed corpus and the
//! dictionary of edit texts below).
#![no_main]

use comity_engine::{EditInfo, lint, lint_state, relint};
use comity_document::Document;
use comity_engine::Settings;
use comity_rules::RuleSet;
use comity_text::Span;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const PIECES: &[&str] = &[
    "1.1 \"Sanctions\" means sanctions administered by OFAC.\n\n",
    "2.1 Buyer shall comply with all U.S. export control laws, including the EAR. 😀\n\n",
    "2.2 Buyer shall not resell the Products to any person subject to Sanctions.\n\n",
    "第五条 买方应遵守美国出口管制法律，包括《出口管理条例》。\n",
    "（三）客户不得将本服务与华为昇腾芯片结合使用。\n",
    "<!-- comity: allow T01 reason=\"reviewed\" -->\n",
    "Nothing in this Section requires either Party to breach the PRC Anti-Foreign Sanctions Law.\n",
];

fuzz_target!(|data: &[u8]| {
    let (text, edits) = common::text_and_edits(data);
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    // Small pieces, so that edits cross and join them.
    let mut doc = Document::parse_editable_in_pieces(text, 48);
    let mut state = lint_state(&doc, rules, &settings);
    for (at, del, mut ins) in edits {
        // A short insert starting with a control byte picks a known clause.
        if let Some(c) = ins.bytes().next().filter(|c| *c < 8) {
            ins = PIECES[usize::from(c) % PIECES.len()].to_string();
        }
        let len = doc.text().len();
        let start = common::floor(doc.text(), (at * len as f64) as usize);
        let end = common::floor(doc.text(), start + del);
        let removed = doc.text()[start..end].to_string();
        let summary = doc
            .edit(Span::new(start, end), &ins)
            .expect("edit accepted");
        let info = EditInfo {
            old: Span::new(start, end),
            removed: &removed,
            inserted_len: ins.len(),
            summary: &summary,
        };
        state = relint(&doc, rules, &settings, std::mem::take(&mut state), &info);
        let fresh = lint(&Document::parse_whole(doc.text().to_string()), rules, &settings);
        assert_eq!(state.findings, fresh, "relint differs from a fresh lint");
    }
});
