//! `comity.toml`: project configuration, found upward from each linted file
//! (the closest one wins) or given with `--config`.
//!
//! ```toml
//! [rules]
//! disable = ["T03"]
//! severity = { T10 = "error" }
//!
//! [profile]
//! prc_party = true
//! governing_law = "PRC"
//! act_for = "prc-party"
//! parties = [{ name = "Shenzhen Foo Co., Ltd.", jurisdiction = "PRC" }]
//!
//! [lint]
//! extra_rules = ["playbook"]
//! default_language = "en"
//! exclude = ["archive/**"]
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use comity_document::Jurisdiction;
use comity_engine::{ActFor, PartyProfile, ProfileParty, RuleSelection, Settings};
use comity_finding::Severity;
use comity_text::Lang;

pub const CONFIG_FILE_NAME: &str = "comity.toml";

/// The contents of `comity.toml`. Unknown keys are errors.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub profile: ProfileConfig,
    #[serde(default)]
    pub lint: LintConfig,
}

/// Which rules run and how severe their findings are.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// If given, only these rule codes run (e.g. `["T01", "T05"]`).
    #[serde(default)]
    pub enable: Option<Vec<String>>,
    /// Rule codes that never run.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity per rule code, replacing the graded severity.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// Facts about the matter. Anything left out is read from the draft.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    /// Whether a party is a PRC entity, performs in the PRC or has assets there.
    #[serde(default)]
    pub prc_party: Option<bool>,
    /// The governing law, e.g. `PRC`, `England`, `New York`, `Hong Kong`.
    #[serde(default)]
    pub governing_law: Option<String>,
    #[serde(default)]
    pub parties: Vec<PartyConfig>,
    /// Whom you act for: `prc-party`, `us-exporter`, `lender`,
    /// `third-country` or `neutral` (the default). It frames each finding's
    /// message and severity and which alternative wording comes first.
    #[serde(default)]
    pub act_for: Option<ActFor>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PartyConfig {
    pub name: String,
    /// Where the party is incorporated, e.g. `PRC`, `Hong Kong`, `Delaware`.
    #[serde(default)]
    pub jurisdiction: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    /// Folders of extra rule files (a firm's playbook), relative to this file.
    #[serde(default)]
    pub extra_rules: Vec<PathBuf>,
    /// `en` or `zh`: the language of messages where a clause's own language is unclear.
    #[serde(default)]
    pub default_language: Option<String>,
    /// Glob patterns of files not to lint, relative to this file.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The lowest severity that makes `comity check` fail: `info`, `warning` or `error`.
    #[serde(default)]
    pub fail_on: Option<Severity>,
}

/// A configuration problem, naming the file and, where known, line and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

/// A loaded configuration and where it came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub file: ConfigFile,
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
}

impl Config {
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            message: describe_toml_error(text, &e),
        })?;
        let config = Config {
            file,
            path: Some(path.to_path_buf()),
        };
        config.validate()?;
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(path, &text)
    }

    /// The closest `comity.toml` in `dir` or one of its parents.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        let mut cur = Some(dir);
        while let Some(d) = cur {
            let candidate = d.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            cur = d.parent();
        }
        None
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let path = self.path.clone().unwrap_or_default();
        let bad = |message: String| {
            Err(ConfigError {
                path: path.clone(),
                message,
            })
        };
        let known_lang = |s: &str| Lang::parse(s).is_some();
        if let Some(l) = &self.file.lint.default_language
            && !known_lang(l)
        {
            return bad(format!(
                "[lint] default_language = \"{l}\": expected \"en\" or \"zh\""
            ));
        }
        for code in self
            .file
            .rules
            .disable
            .iter()
            .chain(self.file.rules.enable.iter().flatten())
            .chain(self.file.rules.severity.keys())
        {
            if code.trim().is_empty() {
                return bad("[rules]: empty rule code".into());
            }
        }
        for g in &self.file.lint.exclude {
            if let Err(e) = globset_check(g) {
                return bad(format!("[lint] exclude: bad glob \"{g}\": {e}"));
            }
        }
        Ok(())
    }

    /// The folder relative paths in the file are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        self.path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    pub fn extra_rule_dirs(&self) -> Vec<PathBuf> {
        let base = self.base_dir();
        self.file
            .lint
            .extra_rules
            .iter()
            .map(|p| base.join(p))
            .collect()
    }

    /// The engine settings this configuration describes.
    pub fn settings(&self) -> Settings {
        let f = &self.file;
        Settings {
            profile: PartyProfile {
                prc_party: f.profile.prc_party,
                governing_law: f
                    .profile
                    .governing_law
                    .as_deref()
                    .and_then(Jurisdiction::from_name),
                parties: f
                    .profile
                    .parties
                    .iter()
                    .map(|p| ProfileParty {
                        name: p.name.clone(),
                        jurisdiction: p.jurisdiction.as_deref().and_then(Jurisdiction::from_name),
                    })
                    .collect(),
                act_for: f.profile.act_for.unwrap_or_default(),
            },
            rules: RuleSelection {
                enabled: f.rules.enable.as_ref().map(|v| {
                    v.iter()
                        .map(|c| c.to_ascii_uppercase())
                        .collect::<BTreeSet<_>>()
                }),
                disabled: f
                    .rules
                    .disable
                    .iter()
                    .map(|c| c.to_ascii_uppercase())
                    .collect(),
                severity: f
                    .rules
                    .severity
                    .iter()
                    .map(|(k, v)| (k.to_ascii_uppercase(), *v))
                    .collect(),
            },
            default_lang: f.lint.default_language.as_deref().and_then(Lang::parse),
            report_unused_suppressions: false,
            show_suppressed: false,
        }
    }
}

fn globset_check(glob: &str) -> Result<(), String> {
    ignore::overrides::OverrideBuilder::new(".")
        .add(glob)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// toml's message, with the line and the offending key spelled out first.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let key = text.get(span.clone()).unwrap_or("").trim();
            if key.is_empty() {
                format!("line {line}: {msg}")
            } else {
                format!(
                    "line {line}: `{}`: {msg}",
                    key.lines().next().unwrap_or(key)
                )
            }
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_line_and_key() {
        let e = Config::parse(
            Path::new("comity.toml"),
            "[rules]\ndisable = [\"T03\"]\n\n[profile]\nprc_partyy = true\n",
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("comity.toml") && s.contains("line 5") && s.contains("prc_partyy"),
            "{s}"
        );
    }

    #[test]
    fn wrong_types_are_errors() {
        let e = Config::parse(
            Path::new("c/comity.toml"),
            "[profile]\nprc_party = \"yes\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = Config::parse(
            Path::new("c/comity.toml"),
            "[rules.severity]\nT01 = \"fatal\"\n",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("T01") || e.to_string().contains("fatal"),
            "{e}"
        );
    }

    #[test]
    fn settings_from_config() {
        let c = Config::parse(
            Path::new("comity.toml"),
            "[rules]\ndisable = [\"t03\"]\nseverity = { T10 = \"error\" }\n[profile]\nprc_party = false\ngoverning_law = \"England\"\n",
        )
        .unwrap();
        let s = c.settings();
        assert!(!s.rules.is_enabled("T03"));
        assert_eq!(s.rules.severity_for("t10"), Some(Severity::Error));
        assert_eq!(s.profile.prc_party, Some(false));
        assert_eq!(s.profile.governing_law, Some(Jurisdiction::Uk));
    }
}
