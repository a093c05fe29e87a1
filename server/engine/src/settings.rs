//! What the user tells the engine about a matter: the party profile and
//! which rules to run at which severity.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use comity_document::{Document, Jurisdiction};
use comity_finding::Severity;
use comity_text::Lang;

/// A party named in the configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileParty {
    pub name: String,
    pub jurisdiction: Option<Jurisdiction>,
}

/// Whom the reviewer acts for: frames each finding's message, its severity
/// and which alternative wording comes first.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ActFor {
    /// The PRC party, whom the AFSL protects.
    PrcParty,
    /// A US exporter or supplier, bound by US export controls and sanctions.
    UsExporter,
    /// A lender (often under the LMA model, with its own sanctions policy).
    Lender,
    /// A party in a third country, exposed to US secondary sanctions.
    ThirdCountry,
    /// No side: the risk as the draft stands.
    #[default]
    Neutral,
}

impl ActFor {
    pub fn parse(s: &str) -> Option<ActFor> {
        Some(
            match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
                "prc-party" | "prc" => ActFor::PrcParty,
                "us-exporter" | "us" => ActFor::UsExporter,
                "lender" => ActFor::Lender,
                "third-country" => ActFor::ThirdCountry,
                "neutral" => ActFor::Neutral,
                _ => return None,
            },
        )
    }

    /// Whether the client is the side that asks for the US-law protection,
    /// so that the wording closer to its practice comes first.
    pub fn prefers_middle_ground(self) -> bool {
        matches!(
            self,
            ActFor::UsExporter | ActFor::Lender | ActFor::ThirdCountry
        )
    }
}

/// Facts about the matter that grade how exposed a clause is (axis E of the
/// severity framework). Anything left unset is read from the document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyProfile {
    /// Whether a party is a PRC entity, performs in the PRC or holds assets there.
    pub prc_party: Option<bool>,
    pub governing_law: Option<Jurisdiction>,
    pub parties: Vec<ProfileParty>,
    /// Whom the reviewer acts for.
    #[serde(default)]
    pub act_for: ActFor,
}

/// Which rules run, and at what severity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSelection {
    /// If set, only these rule codes run.
    pub enabled: Option<BTreeSet<String>>,
    pub disabled: BTreeSet<String>,
    pub severity: BTreeMap<String, Severity>,
}

impl RuleSelection {
    pub fn is_enabled(&self, code: &str) -> bool {
        let upper = code.to_ascii_uppercase();
        !self.disabled.iter().any(|d| d.eq_ignore_ascii_case(&upper))
            && self
                .enabled
                .as_ref()
                .is_none_or(|e| e.iter().any(|c| c.eq_ignore_ascii_case(&upper)))
    }

    pub fn severity_for(&self, code: &str) -> Option<Severity> {
        self.severity
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(_, s)| *s)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub profile: PartyProfile,
    pub rules: RuleSelection,
    /// Language of messages when a sentence's own language cannot be told.
    pub default_lang: Option<Lang>,
    /// Report suppression comments that match no finding (S02).
    pub report_unused_suppressions: bool,
    /// Keep findings that suppression comments would remove, as info, each
    /// saying which comment suppressed it and why (`--show-suppressed`).
    #[serde(default)]
    pub show_suppressed: bool,
}

/// Why the engine believes a PRC party is, or is not, exposed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nexus {
    Present(String),
    Absent(String),
    Unknown,
}

impl PartyProfile {
    /// The PRC nexus: from the profile if set, else from the document's
    /// parties, governing law and language.
    pub fn prc_nexus(&self, doc: &Document) -> Nexus {
        if let Some(p) = self.prc_party {
            return if p {
                Nexus::Present("the party profile says a PRC party is involved".into())
            } else {
                Nexus::Absent("the party profile says no PRC party is involved".into())
            };
        }
        if let Some(p) = self
            .parties
            .iter()
            .find(|p| p.jurisdiction.as_ref().is_some_and(Jurisdiction::is_prc))
        {
            return Nexus::Present(format!("{} is a PRC party (profile)", p.name));
        }
        if let Some(p) = doc
            .parties()
            .iter()
            .find(|p| p.jurisdiction.as_ref().is_some_and(Jurisdiction::is_prc))
        {
            return Nexus::Present(format!("{} appears to be a PRC party", p.name));
        }
        let law = self
            .governing_law
            .clone()
            .or_else(|| doc.governing_law().map(|g| g.jurisdiction.clone()));
        if law.as_ref().is_some_and(Jurisdiction::is_prc) {
            return Nexus::Present("the governing law is PRC law".into());
        }
        // Writing in Chinese alone is not a PRC nexus (Hong Kong, Taiwan and
        // Singapore drafts are written in Chinese too).
        // Absence is only concluded when at least two parties are known (a
        // one-sided text such as online terms says nothing of the customer).
        let known = self
            .parties
            .iter()
            .filter(|p| p.jurisdiction.is_some())
            .count()
            + doc
                .parties()
                .iter()
                .filter(|p| p.jurisdiction.is_some())
                .count();
        if known >= 2 && law.is_some() {
            return Nexus::Absent(
                "no party appears to be a PRC party and the governing law is not PRC law".into(),
            );
        }
        Nexus::Unknown
    }
}
