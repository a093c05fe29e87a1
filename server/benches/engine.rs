//! divan benches of the engine's hot paths on generated contracts:
//! `Document::parse`, `lint`, and an edit + re-lint of one character (what
//! the language server does on a keystroke). Sizes: 100 KB and 1 MB.
//!
//! `cargo bench --bench engine` (add `-- --sample-count 10` to be quick).

#[path = "corpus_gen.rs"]
mod corpus_gen;

use std::sync::OnceLock;

use comity_document::Document;
use comity_engine::lint;
use comity_engine::{EditInfo, Settings, lint_state, relint};
use comity_rules::RuleSet;
use comity_text::Span;
use divan::Bencher;

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[100_000, 1_000_000];

fn text(size: usize) -> &'static str {
    static T: OnceLock<Vec<(usize, String)>> = OnceLock::new();
    let all = T.get_or_init(|| {
        SIZES
            .iter()
            .map(|&s| (s, corpus_gen::corpus(s, 7)))
            .collect()
    });
    &all.iter().find(|(s, _)| *s == size).expect("size").1
}

#[divan::bench(args = SIZES)]
fn parse(b: Bencher, size: usize) {
    let t = text(size);
    b.counter(divan::counter::BytesCount::new(t.len()))
        .bench(|| Document::parse(divan::black_box(t)));
}

#[divan::bench(args = SIZES)]
fn lint_parsed(b: Bencher, size: usize) {
    let doc = Document::parse(text(size));
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    b.counter(divan::counter::BytesCount::new(doc.text().len()))
        .bench(|| lint(divan::black_box(&doc), rules, &settings));
}

#[divan::bench(args = SIZES)]
fn parse_and_lint(b: Bencher, size: usize) {
    let t = text(size);
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    b.counter(divan::counter::BytesCount::new(t.len()))
        .bench(|| lint(&Document::parse(divan::black_box(t)), rules, &settings));
}

/// One-character insertion at a pseudo-random position, then `relint`, as
/// the LSP does on `didChange`. The document keeps the edits (each sample
/// types one more character), like a user typing.
#[divan::bench(args = SIZES)]
fn edit_and_relint(b: Bencher, size: usize) {
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    let mut doc = Document::parse(text(size));
    let mut state = lint_state(&doc, rules, &settings);
    let mut rng = corpus_gen::Rng::new(42);
    b.bench_local(|| {
        let t = doc.text();
        let mut at = rng.below(t.len());
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        let span = Span::new(at, at);
        let summary = doc.edit(span, "x").expect("edit");
        let info = EditInfo {
            old: span,
            removed: "",
            inserted_len: 1,
            summary: &summary,
        };
        state = relint(&doc, rules, &settings, std::mem::take(&mut state), &info);
        state.findings.len()
    });
}

/// One paragraph with no blank line, dense with hits: sentences that each
/// give a finding, carve-out sentences between them, and a long run of list
/// names in one sentence. The cost must grow with the size, not with its
/// square (issue 20: a 10 MB paragraph with 200,000 hits).
const DENSE: &[usize] = &[200_000, 1_000_000];

fn dense_paragraph(size: usize) -> String {
    let mut t = String::with_capacity(size + 200);
    let mut i = 0usize;
    while t.len() < size {
        match i % 3 {
            0 => t.push_str("Buyer shall comply with the EAR. "),
            1 => t.push_str(
                "This clause does not apply where compliance would breach the Anti-Foreign Sanctions Law. ",
            ),
            _ => t.push_str("The Seller shall not sell to any person on the SDN List, the Entity List or the Unverified List. "),
        }
        i += 1;
    }
    t.push_str("Buyer shall screen every customer against ");
    for _ in 0..(size / 400) {
        t.push_str("the Entity List, the SDN List, ");
    }
    t.push_str("and the Unverified List.");
    t
}

#[divan::bench(args = DENSE)]
fn lint_dense_paragraph(b: Bencher, size: usize) {
    let doc = Document::parse(dense_paragraph(size));
    let rules = RuleSet::builtin();
    let settings = Settings::default();
    b.counter(divan::counter::BytesCount::new(doc.text().len()))
        .bench(|| lint(divan::black_box(&doc), rules, &settings));
}
