//! The rule library's file formats, as read from `clauses/*.toml`.
//!
//! `comity schema rule` prints the JSON schema generated from these types;
//! the published copy is `clauses/schema/rule.schema.json`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use comity_finding::{Applicability, Severity};

/// Text in English and Chinese.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub en: String,
    pub zh: String,
}

impl Bilingual {
    pub fn get(&self, lang: comity_text::Lang) -> &str {
        match lang {
            comity_text::Lang::En => &self.en,
            comity_text::Lang::Zh => &self.zh,
        }
    }
}

/// One clause type: what it flags, why, the law it rests on, neutral
/// wording, and examples that run as tests.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Stable code, `T01` … `T15` for the built-in rules; a firm's own rules
    /// use their own prefix (e.g. `ACME01`).
    pub code: String,
    /// Stable kebab-case name.
    pub slug: String,
    pub title: Bilingual,
    /// When several rules match one sentence, the highest priority wins.
    pub priority: i32,
    /// Severity before the party profile, carve-outs and escalators are applied.
    pub severity: Severity,
    /// Severity when the measure targets Chinese persons (a US list designation
    /// of a PRC party, PRC-made chips or vendors, Xinjiang).
    #[serde(default)]
    pub severity_chinese_target: Option<Severity>,
    /// Severity when the clause adopts the measure voluntarily ("whether or not
    /// applicable", "most restrictive", "in its sole discretion").
    #[serde(default)]
    pub severity_escalated: Option<Severity>,
    /// What the rule flags.
    pub flags: Bilingual,
    /// Why such a clause is risky under PRC law.
    pub why: Bilingual,
    /// What a party gives up on the US side by deleting the clause.
    pub us_side: Bilingual,
    /// The diagnostic message. `{regime}` is replaced by the words that name
    /// the foreign measure.
    pub message: Bilingual,
    /// Alternatives: the rule matches a sentence when any of them does.
    pub detect: Vec<Detect>,
    pub citations: Vec<CitationRef>,
    /// Neutral alternatives, lowest remaining risk first.
    pub replacements: Vec<Replacement>,
    pub examples: Vec<Example>,
}

/// When a rule matches a sentence.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Detect {
    /// Every entry must be satisfied; an entry is satisfied when any of its
    /// signal groups (from `lexicon.toml`, or the engine's derived groups)
    /// matches in the sentence.
    pub all: Vec<Vec<String>>,
    /// No group listed here may match in the sentence.
    #[serde(default)]
    pub none: Vec<String>,
    /// Groups that must appear in the heading of the clause or of one of its
    /// parents (e.g. a "Force Majeure" heading), as an alternative to the
    /// sentence itself.
    #[serde(default)]
    pub heading: Vec<String>,
    /// Severity of a match through this alternative, instead of the rule's.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// Why this alternative has its own severity, shown with the finding.
    #[serde(default)]
    pub reason: Option<Bilingual>,
}

/// A citation of an instrument listed in `instruments.toml`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CitationRef {
    /// Instrument id, e.g. `prc-afsl`.
    pub instrument: String,
    /// Article number as listed under the instrument, e.g. `12`.
    pub article: String,
    /// Cite only when this signal group matches in the sentence.
    #[serde(default)]
    pub when: Option<String>,
}

/// A neutral alternative wording.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    pub id: String,
    /// What applying it does, for a menu.
    pub title: Bilingual,
    /// The wording. Placeholders: `{Party}` (the defined word for a party,
    /// "Party" or "party"), `{Parties}`, `{party_name}` (the defined name of
    /// the party bound by the clause, or "each Party"), `{term}` (the term the
    /// sentence defines, or "Sanctions" / "制裁").
    pub text: Bilingual,
    /// The risk that remains, and what the other side gives up.
    pub risk: Bilingual,
    pub applicability: Applicability,
}

/// A sentence the rule must fire on, or a near miss it must not fire on.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub lang: comity_text::Lang,
    pub text: String,
    /// True: this rule must fire. False: no rule may fire.
    pub fires: bool,
    /// For a firing example, the lowest severity acceptable.
    #[serde(default)]
    pub min_severity: Option<Severity>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `lexicon.toml`: named signal groups.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    pub groups: BTreeMap<String, Group>,
}

/// A named set of words and phrases. ALL-CAPS English entries (`EAR`,
/// `BIS`) match case-sensitively, other English entries ignore case; English
/// entries match whole words. Chinese entries match anywhere.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub description: String,
    #[serde(default)]
    pub en: Vec<String>,
    #[serde(default)]
    pub zh: Vec<String>,
    /// Regular expressions, matched case-insensitively inside candidate
    /// sentences only (never used to find candidates).
    #[serde(default)]
    pub regex: Vec<String>,
    /// Matches of this group hide matches of other groups inside them (e.g.
    /// "Unreliable Entity List" hides "Entity List").
    #[serde(default)]
    pub masks: bool,
    /// Whether the group finds candidate sentences: its words are searched
    /// for in the whole text (they must be specific enough to be rare).
    #[serde(default)]
    pub trigger: bool,
    /// Whether all English entries match case-sensitively.
    #[serde(default)]
    pub case_sensitive: bool,
}

/// `regimes.toml`: foreign measures, lists and authorities, with aliases.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegimesFile {
    pub regimes: Vec<Regime>,
}

#[derive(
    Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord, Copy,
)]
#[serde(rename_all = "kebab-case")]
pub enum RegimeKind {
    /// A statute or regulation (EAR, ITAR).
    Law,
    /// An authority (OFAC, BIS).
    Authority,
    /// A list of designated persons (SDN List, Entity List).
    List,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    pub id: String,
    pub name: Bilingual,
    /// `US`, `UN`, `EU`, `UK`, `PRC`.
    pub country: String,
    pub kind: RegimeKind,
    /// Whether the list is used against Chinese persons (axis C in the
    /// severity framework).
    #[serde(default)]
    pub targets_chinese_persons: bool,
    #[serde(default)]
    pub en: Vec<String>,
    #[serde(default)]
    pub zh: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `instruments.toml`: laws and official statements that rules cite.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentsFile {
    pub instruments: BTreeMap<String, Instrument>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub name: Bilingual,
    pub jurisdiction: String,
    /// Date of adoption or publication, `YYYY-MM-DD`.
    pub date: String,
    pub url: String,
    pub articles: BTreeMap<String, Article>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// Whether the wording below was checked against an official text or a
    /// faithful copy. Unverified articles are cited as paraphrases.
    pub verified: bool,
    /// What the article says: the text when verified, a summary otherwise.
    pub text: Bilingual,
    /// Where the wording was checked.
    #[serde(default)]
    pub source: Option<String>,
}

/// `prohibition_orders.toml`: MOFCOM prohibition orders and the persons they protect.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProhibitionOrdersFile {
    pub orders: Vec<ProhibitionOrder>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProhibitionOrder {
    pub id: String,
    pub name: Bilingual,
    pub date: String,
    /// The foreign measure the order blocks.
    pub measure: Bilingual,
    /// Instrument and article the order is issued under.
    pub instrument: String,
    pub article: String,
    pub source: String,
    pub verified: bool,
    pub targets: Vec<Target>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub en: Vec<String>,
    pub zh: Vec<String>,
}
