//! The observable model of a document (blocks, clauses, the clause of each
//! block, terms, parties, governing law, languages), printed, for comparing
//! two documents that must be the same.

use comity_document::Document;

pub fn model(doc: &Document) -> String {
    format!(
        "{:#?}\n{:#?}\n{:?}\n{:#?}\n{:#?}\n{:#?}\n{:?}",
        doc.blocks(),
        doc.clauses(),
        (0..doc.blocks().len())
            .map(|b| doc.clause_of_block(b))
            .collect::<Vec<_>>(),
        doc.terms(),
        doc.parties(),
        doc.governing_law(),
        doc.languages()
    )
}
