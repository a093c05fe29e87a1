//! Comity: a contract-clause linter and language server.
//!
//! The engine (everything except [`cli`] and `lsp`) speaks byte ranges over
//! `&str` and knows nothing about the command line or the Language Server
//! Protocol. See `ARCHITECTURE.md` for the map.

pub mod document;
pub mod span;

pub use document::Document;
pub use span::Span;
pub mod cli;
pub mod engine;
pub mod finding;
pub mod input;
pub mod lines;
pub mod outline;
pub mod rules;

pub use engine::{Settings, lint};
pub use finding::{Finding, Severity};
pub use rules::RuleSet;
pub mod config;
pub mod lsp;
