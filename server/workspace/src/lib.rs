//! What a front end needs around the engine: `comity.toml` ([`config`]),
//! reading drafts from disk including `.docx` ([`input`]), the outline of a
//! draft ([`outline`]), and the one resolver both front ends use to go from a
//! file to its settings, rule set and excludes.
//!
//! This crate knows nothing of the command line or the Language Server
//! Protocol.

pub mod config;
pub mod input;
pub mod outline;
pub mod resolve;
