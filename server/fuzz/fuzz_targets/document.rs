//! The document model on arbitrary text, then arbitrary edits: no panic, a
//! one-shot parse (plain text elided) equals a whole parse, and an
//! incrementally edited document equals one parsed from scratch.
#![no_main]

use comity_document::Document;
use comity_text::Span;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn model(doc: &Document) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        doc.blocks(),
        doc.clauses(),
        doc.terms(),
        doc.parties(),
        doc.governing_law(),
        doc.languages()
    )
}

fuzz_target!(|data: &[u8]| {
    let (text, edits) = common::text_and_edits(data);
    assert_eq!(
        model(&Document::parse_in_pieces(text.clone(), 48)),
        model(&Document::parse_whole(text.clone())),
        "a one-shot parse differs from a whole parse"
    );
    // Small pieces, so that edits cross and join them.
    let mut doc = Document::parse_editable_in_pieces(text, 48);
    for (at, del, ins) in edits {
        let len = doc.text().len();
        let start = common::floor(doc.text(), (at * len as f64) as usize);
        let end = common::floor(doc.text(), start + del);
        doc.edit(Span::new(start, end), &ins)
            .expect("an edit on char boundaries is accepted");
        let fresh = Document::parse_whole(doc.text().to_string());
        assert_eq!(
            model(&doc),
            model(&fresh),
            "incremental edit differs from a fresh parse"
        );
    }
});
