//! The tree-sitter grammar for contract drafts used by Comity.
//!
//! ```
//! let mut parser = tree_sitter::Parser::new();
//! parser.set_language(&tree_sitter_contract::LANGUAGE.into()).unwrap();
//! let tree = parser.parse("1. Definitions\n", None).unwrap();
//! assert_eq!(tree.root_node().kind(), "document");
//! ```

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_contract() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_contract) };

/// The content of the [`node-types.json`] file for this grammar.
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Syntax highlighting query: headings, clause numbers, defined terms, cross-references.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// Folding query: parts and sections.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");

/// The grammar's vocabulary (keywords, verbs, definition leads, character
/// classes, limits), generated from `vocabulary.json`, which `grammar.js`
/// and the scanner read too.
#[allow(clippy::all)]
pub mod vocabulary {
    include!(concat!(env!("OUT_DIR"), "/vocabulary.rs"));

    /// The scanner's header as the build writes it (`src/vocabulary.h` must
    /// be the same).
    #[doc(hidden)]
    pub const C_HEADER: &str = include_str!(concat!(env!("OUT_DIR"), "/vocabulary.h"));
}

#[cfg(test)]
mod tests {
    #[test]
    fn loads_and_parses() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&super::LANGUAGE.into())
            .expect("grammar ABI is compatible with the runtime");
        let tree = parser.parse("第五条 出口管制\n", None).unwrap();
        assert!(!tree.root_node().has_error());
    }

    #[test]
    fn queries_compile() {
        let lang: tree_sitter::Language = super::LANGUAGE.into();
        tree_sitter::Query::new(&lang, super::HIGHLIGHTS_QUERY).unwrap();
        tree_sitter::Query::new(&lang, super::FOLDS_QUERY).unwrap();
    }
}
