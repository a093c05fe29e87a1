//! What the engine reports: findings with their severity, legal basis and
//! suggested wording.

use serde::{Deserialize, Serialize};

use comity_text::Lang;
use comity_text::Span;

/// How serious a finding is, in increasing order.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" | "information" | "hint" | "low" => Some(Severity::Info),
            "warning" | "warn" | "medium" => Some(Severity::Warning),
            "error" | "high" => Some(Severity::Error),
            _ => None,
        }
    }

    pub fn lower(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            _ => Severity::Info,
        }
    }

    pub fn raise(self) -> Severity {
        match self {
            Severity::Info => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// Whether a suggested rewording may be applied without a lawyer reading it
/// (ruff's fix applicability, for legal text).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown to the reader; never applied by a command.
    DisplayOnly,
    /// Applied only on request (`--unsafe-fixes`, or a quick fix chosen by hand).
    Unsafe,
    /// Applied by `--fix`.
    Safe,
}

/// A reference to the law or an official statement that a finding rests on.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Citation {
    /// Short id of the instrument in `clauses/instruments.toml`, e.g. `prc-afsl`.
    pub id: String,
    /// The instrument's name in the language of the finding.
    pub instrument: String,
    /// Article or section, e.g. `Art. 12`, `第十二条`.
    pub article: String,
    pub jurisdiction: String,
    pub date: String,
    pub url: String,
    /// False when the wording was not checked against an official text; the
    /// citation is then a paraphrase and says so.
    pub verified: bool,
}

/// A suggested rewording of an exact range of the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// What the suggestion does, for a menu: "Replace with mutual own-law wording".
    pub title: String,
    pub span: Span,
    pub replacement: String,
    pub applicability: Applicability,
    /// The risk that remains with this wording, and what it gives up.
    pub note: String,
}

/// A definition that a finding depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedDefinition {
    pub term: String,
    /// The definition's text.
    pub span: Span,
    pub message: String,
}

/// One risky clause found in a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule code, e.g. `T05`.
    pub code: String,
    pub slug: String,
    pub severity: Severity,
    /// The operative words (not the whole clause).
    pub span: Span,
    /// The sentence the finding was made on; suggestions replace it.
    pub sentence: Span,
    /// The label of the clause (`9.6`, `第九条（三）`), if it has one.
    pub clause: Option<String>,
    pub lang: Lang,
    pub message: String,
    /// Why the severity is what it is (escalations, carve-outs, profile).
    pub reasons: Vec<String>,
    /// Shared, so that a re-lint copies findings cheaply.
    pub citations: std::sync::Arc<[Citation]>,
    pub related: Vec<RelatedDefinition>,
    pub suggestions: std::sync::Arc<[Suggestion]>,
    /// A hash of the finding's rule and normalised sentence text, stable
    /// across renumbering and moves (for baselines and SARIF fingerprints).
    pub fingerprint: String,
}
