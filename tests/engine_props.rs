//! The engine's incremental re-lint equals a lint from scratch, whatever the
//! edits (CJK and emoji included).

use comity_document::Document;
use comity_engine::{EditInfo, Settings, lint, lint_prefiltered, lint_state, prefilter, relint};
use comity_rules::RuleSet;
use comity_text::Span;
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1. Definitions\n\n".to_string()),
        Just("1.1 \"Sanctions\" means sanctions administered by OFAC.\n\n".to_string()),
        Just("1.2 \"Restricted Party\" means any person on the Entity List.\n\n".to_string()),
        Just("2. Compliance\n\n".to_string()),
        Just("2.1 Buyer shall comply with all U.S. export control laws, including the EAR.\n\n".to_string()),
        Just("2.2 Buyer shall not resell the Products to any Restricted Party.\n\n".to_string()),
        Just("2.3 Seller may terminate this Agreement if Buyer becomes subject to Sanctions.\n\n".to_string()),
        Just("2.4 Nothing in this Section 2 requires either Party to breach the PRC Anti-Foreign Sanctions Law.\n\n".to_string()),
        Just("第五条 出口管制\n".to_string()),
        Just("（一）“制裁”指美国政府实施的制裁。\n".to_string()),
        Just("（二）买方应遵守美国出口管制法律，包括《出口管理条例》。\n".to_string()),
        Just("（三）客户不得将本服务与华为昇腾芯片结合使用。\n".to_string()),
        Just("<!-- comity: allow T01 reason=\"reviewed\" -->\n".to_string()),
        Just("Each Party shall comply with all applicable laws. 😀\n\n".to_string()),
        Just("The Buyer, a company incorporated in the PRC (the \"Buyer\"), shall pay.\n\n".to_string()),
        Just("## 7. Termination\n\n".to_string()),
        Just("ARTICLE 9 — SANCTIONS\n\n".to_string()),
        Just("Each of the following is an Event of Default:\n".to_string()),
        Just("(a) the Buyer becomes a Sanctioned Person;\n".to_string()),
        Just("\"Sanctioned Person\" means any person listed on the SDN List.\n\n".to_string()),
        Just("Nothing in this Agreement requires either Party to breach the PRC Anti-Foreign Sanctions Law.\n\n".to_string()),
        Just("This Agreement is governed by the laws of the People's Republic of China.\n\n".to_string()),
        Just("The Licensee shall not use the Software with Huawei Ascend chips.\n\n".to_string()),
        "[a-zA-Z .,第条、一（）\\n]{0,20}",
    ]
}

/// Mostly neutral text, with near misses of trigger words and a few real
/// ones, so that the prefilter says no as often as yes.
fn gate_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => piece(),
        6 => prop::sample::select(vec![
            "Each Party shall comply with all laws applicable to it.\n\n",
            "1.1 \"Products\" means the goods listed in Schedule 1.\n\n",
            "The USB ports, business terms and earnings are described in Clause 3.\n\n",
            "(a) the Buyer shall pay the Price within 30 days;\n",
            "第三条 付款\n（一）买方应在三十日内付款。\n",
            "This Agreement is governed by the laws of England.\n\n",
            "<!-- reviewed by legal -->\n",
            "<!-- comity: disable T05 -->\n",
            "<!-- comity: allow all reason=\"accepted\" until=2000-01-01 -->\n",
            "Sanctions\n",
            "the US\n",
            "AMERICAN\n",
        ]).prop_map(str::to_string),
    ]
}

fn edit_text() -> impl Strategy<Value = String> {
    prop_oneof![
        piece(),
        "[a-z 第条“”\\n😀.]{0,6}",
        Just("EAR".to_string()),
        Just("Sanctions".to_string()),
        Just("美国".to_string())
    ]
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        .. ProptestConfig::default()
    })]

    #[test]
    fn relint_equals_lint_from_scratch(
        pieces in prop::collection::vec(piece(), 1..14),
        edits in prop::collection::vec((0.0..=1.0f64, 0usize..30, edit_text()), 1..6),
        piece_len in prop_oneof![Just(usize::MAX), 1usize..120],
    ) {
        let rules = RuleSet::builtin();
        let settings = Settings::default();
        let mut doc = Document::parse_editable_in_pieces(pieces.concat(), piece_len);
        let mut state = lint_state(&doc, rules, &settings);
        for (at, del, ins) in edits {
            let len = doc.text().len();
            let start = floor(doc.text(), (at * len as f64) as usize);
            let end = floor(doc.text(), start + del);
            let removed = doc.text()[start..end].to_string();
            let summary = doc.edit(Span::new(start, end), &ins).unwrap();
            let info = EditInfo { old: Span::new(start, end), removed: &removed, inserted_len: ins.len(), summary: &summary };
            state = relint(&doc, rules, &settings, std::mem::take(&mut state), &info);
            let fresh = lint(&Document::parse_whole(doc.text().to_string()), rules, &settings);
            prop_assert_eq!(&state.findings, &fresh, "after replacing {}..{} with {:?} in {:?}", start, end, ins, doc.text());
        }
    }

    /// The batch check does not parse a text the prefilter rules out; that
    /// must never hide a finding, the tool's notices about suppressions
    /// included. A text it lets through lints as it would without it.
    #[test]
    fn the_batch_prefilter_never_hides_a_finding(pieces in prop::collection::vec(gate_piece(), 1..10)) {
        let text = pieces.concat();
        let rules = RuleSet::builtin();
        let settings = Settings { report_unused_suppressions: true, ..Settings::default() };
        let doc = Document::parse_whole(text.clone());
        let findings = lint(&doc, rules, &settings);
        match prefilter(&text, rules) {
            None => prop_assert!(findings.is_empty(), "{:?} in {:?}", findings.iter().map(|f| &f.code).collect::<Vec<_>>(), text),
            // The words it found are the ones the lint would have scanned for.
            Some(pre) => prop_assert_eq!(lint_prefiltered(&doc, rules, &settings, pre), findings),
        }
    }
}

#[test]
fn the_batch_prefilter_passes_trigger_words_and_comments_only() {
    let rules = RuleSet::builtin();
    let may_report = |text: &str, rules| prefilter(text, rules).is_some();
    assert!(!may_report(
        "Each Party shall comply with all laws applicable to it.\n",
        rules
    ));
    assert!(!may_report(
        "The USB ports and business terms are in Clause 3.\n",
        rules
    ));
    assert!(may_report("Buyer shall comply with the EAR.\n", rules));
    assert!(may_report(
        "Seller may terminate if Buyer becomes subject to Sanctions.\n",
        rules
    ));
    // A suppression with no finding to suppress is itself reported.
    let comment = "<!-- comity: disable T05 -->\nThe Buyer shall pay.\n";
    assert!(may_report(comment, rules));
    let settings = Settings {
        report_unused_suppressions: true,
        ..Settings::default()
    };
    assert!(
        !lint(
            &Document::parse_whole(comment.to_string()),
            rules,
            &settings
        )
        .is_empty()
    );
}

/// Editing a heading re-lints the clauses under it only when the heading
/// gives them other signals: a word that is no signal, added to an article's
/// title, leaves them as they were; a title that makes them recitals does not.
#[test]
fn a_heading_edit_relints_the_clauses_under_it_when_its_signals_change() {
    let text = "MASTER AGREEMENT\n\n\
                ARTICLE 7 EXPORT CONTROL\n\n\
                7.1 Buyer shall comply with all U.S. export control laws, including the EAR.\n\n\
                ## 7.2 Screening\n\n\
                (a) Buyer shall not resell the Products to any person on the Entity List.\n\n\
                ARTICLE 8 PAYMENT\n\n\
                8.1 Buyer shall pay within 30 days.\n";
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    let codes = |findings: &[comity_finding::Finding]| {
        findings.iter().map(|f| f.code.clone()).collect::<Vec<_>>()
    };
    for (old, new, expected) in [
        (
            "EXPORT CONTROL",
            "EXPORT CONTROL MATTERS",
            vec!["T01", "T07"],
        ),
        ("EXPORT CONTROL", "BACKGROUND", vec!["T07"]),
    ] {
        let mut doc = Document::parse(text);
        let state = lint_state(&doc, rules, &settings);
        assert_eq!(codes(&state.findings), ["T01", "T07"]);
        let at = text.find(old).unwrap();
        let span = Span::new(at, at + old.len());
        let summary = doc.edit(span, new).unwrap();
        // The article's title changed, and the clauses under it lie beyond
        // the blocks read again.
        assert_eq!(summary.headings.len(), 1, "{summary:?}");
        assert!(
            summary.clause_context.end < summary.context.end,
            "{summary:?}"
        );
        let t01 = doc.text().find("7.1").unwrap();
        assert!(summary.clause_context.end < t01 && t01 < summary.context.end);
        let info = EditInfo {
            old: span,
            removed: old,
            inserted_len: new.len(),
            summary: &summary,
        };
        let state = relint(&doc, rules, &settings, state, &info);
        let fresh = lint(
            &Document::parse_whole(doc.text().to_string()),
            rules,
            &settings,
        );
        assert_eq!(state.findings, fresh, "{new}");
        assert_eq!(codes(&state.findings), expected, "{new}");
    }
}
