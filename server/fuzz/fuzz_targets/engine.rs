//! The engine on arbitrary UTF-8: no panic, every span inside the text on
//! char boundaries, fixes applicable.
#![no_main]

use comity_document::Document;
use comity_engine::{Settings, lint};
use comity_rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let doc = Document::parse(text);
    let findings = lint(&doc, RuleSet::builtin(), &Settings::default());
    let t = doc.text();
    for f in &findings {
        assert!(f.span.start <= f.span.end && f.span.end <= t.len());
        assert!(t.is_char_boundary(f.span.start) && t.is_char_boundary(f.span.end));
        for s in f.suggestions.iter() {
            assert!(
                s.span.end <= t.len()
                    && t.is_char_boundary(s.span.start)
                    && t.is_char_boundary(s.span.end)
            );
        }
    }
    let edits = comity_cli::fix::planned_edits(&findings, true);
    let _ = comity_cli::fix::apply_edits(t, &edits);
});
