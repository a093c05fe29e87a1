//! The rule library: clause types, signal groups, regimes, instruments and
//! prohibition orders, read from TOML (embedded from `clauses/`, plus a
//! firm's own rule folders) and compiled for the engine.

pub mod docs;
pub mod lexicon;
pub mod schema;
pub mod script;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use comity_finding::Citation;
use comity_text::{Lang, chinese_number};
pub use lexicon::{GroupId, Lexicon};
pub use schema::{Bilingual, CitationRef, Detect, Example, Instrument, Replacement, RuleFile};

// The files of the built-in library, embedded in the binary:
// `BUILTIN_RULE_FILES` (every rule file in `clauses/`, found by
// `build.rs`) and the data files `BUILTIN_LEXICON`,
// `BUILTIN_REGIMES`, `BUILTIN_INSTRUMENTS`, `BUILTIN_PROHIBITION_ORDERS`.
include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A problem in a rule file, naming the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for RuleError {}

fn err(file: &str, message: impl Into<String>) -> RuleError {
    RuleError {
        file: file.to_string(),
        message: message.into(),
    }
}

fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, RuleError> {
    toml::from_str(text).map_err(|e| err(file, e.to_string().trim_end().to_string()))
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub file: RuleFile,
    /// The detection alternatives with group names resolved.
    pub detect: Vec<CompiledDetect>,
    /// Where the rule came from (`builtin` or a path).
    pub origin: String,
}

#[derive(Debug, Clone)]
pub struct CompiledDetect {
    pub all: Vec<Vec<GroupId>>,
    pub none: Vec<GroupId>,
    pub heading: Vec<GroupId>,
    pub severity: Option<comity_finding::Severity>,
    pub reason: Option<Bilingual>,
}

impl Rule {
    pub fn code(&self) -> &str {
        &self.file.code
    }
}

/// Everything the engine needs from the library.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub lexicon: Lexicon,
    pub instruments: BTreeMap<String, Instrument>,
    pub orders: Vec<schema::ProhibitionOrder>,
    /// Lists of citations handed out so far, so that findings citing the
    /// same law share one copy (a long document has thousands).
    citation_lists: std::sync::Mutex<std::collections::HashSet<std::sync::Arc<[Citation]>>>,
}

impl RuleSet {
    /// The built-in library. Panics only if the embedded files are invalid,
    /// which the test suite rules out.
    pub fn builtin() -> &'static RuleSet {
        Self::shared_builtin_ref()
    }

    /// [`RuleSet::builtin`], shared: every configuration without rule
    /// folders of its own lints with this one set (and its word DFAs,
    /// once a long run has built them).
    pub fn shared_builtin() -> std::sync::Arc<RuleSet> {
        Self::shared_builtin_ref().clone()
    }

    fn shared_builtin_ref() -> &'static std::sync::Arc<RuleSet> {
        static BUILTIN: std::sync::OnceLock<std::sync::Arc<RuleSet>> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(|| {
            std::sync::Arc::new(RuleSet::load(&[]).expect("the built-in rule library is valid"))
        })
    }

    /// The built-in library plus the rule files (`*.toml`) found in
    /// `extra_dirs` (a path that is a file is one rule file).
    pub fn load(extra_dirs: &[PathBuf]) -> Result<RuleSet, Vec<RuleError>> {
        let mut errors = Vec::new();
        let lexicon_file: Option<schema::LexiconFile> =
            parse_toml("clauses/lexicon.toml", BUILTIN_LEXICON)
                .map_err(|e| errors.push(e))
                .ok();
        let regimes: Option<schema::RegimesFile> =
            parse_toml("clauses/regimes.toml", BUILTIN_REGIMES)
                .map_err(|e| errors.push(e))
                .ok();
        let instruments: Option<schema::InstrumentsFile> =
            parse_toml("clauses/instruments.toml", BUILTIN_INSTRUMENTS)
                .map_err(|e| errors.push(e))
                .ok();
        let orders: Option<schema::ProhibitionOrdersFile> = parse_toml(
            "clauses/prohibition_orders.toml",
            BUILTIN_PROHIBITION_ORDERS,
        )
        .map_err(|e| errors.push(e))
        .ok();
        let (Some(lexicon_file), Some(regimes), Some(instruments), Some(orders)) =
            (lexicon_file, regimes, instruments, orders)
        else {
            return Err(errors);
        };
        let lexicon = match Lexicon::compile(&lexicon_file, &regimes, &orders) {
            Ok(l) => l,
            Err(e) => {
                errors.push(e);
                return Err(errors);
            }
        };
        let mut files: Vec<(String, String, String)> = BUILTIN_RULE_FILES
            .iter()
            .map(|(name, text)| {
                (
                    format!("clauses/{name}"),
                    text.to_string(),
                    "builtin".to_string(),
                )
            })
            .collect();
        for dir in extra_dirs {
            match read_rule_dir(dir) {
                Ok(found) => files.extend(found),
                Err(e) => errors.push(e),
            }
        }
        let mut rules = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (name, text, origin) in files {
            let file: RuleFile = match parse_toml(&name, &text) {
                Ok(f) => f,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            if let Some(prev) = seen.insert(file.code.clone(), name.clone()) {
                errors.push(err(
                    &name,
                    format!("rule code {} is already used by {prev}", file.code),
                ));
                continue;
            }
            match compile_rule(&name, file, &lexicon, &instruments.instruments, origin) {
                Ok(rule) => rules.push(rule),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        rules.sort_by(|a, b| {
            b.file
                .priority
                .cmp(&a.file.priority)
                .then(a.file.code.cmp(&b.file.code))
        });
        Ok(RuleSet {
            rules,
            lexicon,
            instruments: instruments.instruments,
            orders: orders.orders,
            citation_lists: Default::default(),
        })
    }

    pub fn rule(&self, code: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.file.code.eq_ignore_ascii_case(code))
    }

    /// `list`, shared with every finding that cites the same.
    pub fn shared_citations(&self, list: Vec<Citation>) -> std::sync::Arc<[Citation]> {
        let mut lists = self
            .citation_lists
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(shared) = lists.get(list.as_slice()) {
            return shared.clone();
        }
        let shared: std::sync::Arc<[Citation]> = list.into();
        lists.insert(shared.clone());
        shared
    }

    /// Resolves a citation reference into a citation in `lang`.
    pub fn citation(&self, r: &CitationRef, lang: Lang) -> Option<Citation> {
        let inst = self.instruments.get(&r.instrument)?;
        let art = inst.articles.get(&r.article)?;
        Some(Citation {
            id: r.instrument.clone(),
            instrument: inst.name.get(lang).to_string(),
            article: article_label(&r.article, lang),
            jurisdiction: inst.jurisdiction.clone(),
            date: inst.date.clone(),
            url: inst.url.clone(),
            verified: art.verified,
        })
    }
}

fn read_rule_dir(dir: &Path) -> Result<Vec<(String, String, String)>, RuleError> {
    let display = dir.display().to_string();
    if dir.is_file() {
        // One rule file (`comity rules --test` loads them one by one).
        let text =
            std::fs::read_to_string(dir).map_err(|e| err(&display, format!("cannot read: {e}")))?;
        return Ok(vec![(display.clone(), text, display)]);
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| err(&display, format!("cannot read rule folder: {e}")))?;
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let name = path.display().to_string();
        let text =
            std::fs::read_to_string(&path).map_err(|e| err(&name, format!("cannot read: {e}")))?;
        out.push((name, text, display.clone()));
    }
    Ok(out)
}

fn compile_rule(
    name: &str,
    file: RuleFile,
    lexicon: &Lexicon,
    instruments: &BTreeMap<String, Instrument>,
    origin: String,
) -> Result<Rule, RuleError> {
    let group = |g: &str| {
        lexicon
            .group(g)
            .ok_or_else(|| err(name, format!("unknown signal group `{g}` in [[detect]]")))
    };
    if file.detect.is_empty() {
        return Err(err(name, "the rule has no [[detect]] alternative"));
    }
    let mut detect = Vec::new();
    for d in &file.detect {
        if d.all.is_empty() && d.heading.is_empty() {
            return Err(err(
                name,
                "a [[detect]] alternative needs `all` or `heading`",
            ));
        }
        detect.push(CompiledDetect {
            all: d
                .all
                .iter()
                .map(|alts| alts.iter().map(|g| group(g)).collect::<Result<Vec<_>, _>>())
                .collect::<Result<_, _>>()?,
            none: d.none.iter().map(|g| group(g)).collect::<Result<_, _>>()?,
            heading: d
                .heading
                .iter()
                .map(|g| group(g))
                .collect::<Result<_, _>>()?,
            severity: d.severity,
            reason: d.reason.clone(),
        });
    }
    for c in &file.citations {
        let inst = instruments.get(&c.instrument).ok_or_else(|| {
            err(
                name,
                format!("citation of unknown instrument `{}`", c.instrument),
            )
        })?;
        if !inst.articles.contains_key(&c.article) {
            return Err(err(
                name,
                format!(
                    "instrument `{}` has no article `{}` in instruments.toml",
                    c.instrument, c.article
                ),
            ));
        }
        if let Some(w) = &c.when {
            group(w)?;
        }
    }
    if file.citations.is_empty() {
        return Err(err(name, "every rule must cite at least one instrument"));
    }
    if file.replacements.is_empty() {
        return Err(err(
            name,
            "every rule must offer at least one neutral replacement",
        ));
    }
    if !file.examples.iter().any(|e| e.fires) || !file.examples.iter().any(|e| !e.fires) {
        return Err(err(
            name,
            "every rule needs examples that fire and near misses that do not",
        ));
    }
    if !file
        .code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || file.code.is_empty()
    {
        return Err(err(
            name,
            format!(
                "rule code `{}` must be letters, digits, `-` or `_`",
                file.code
            ),
        ));
    }
    Ok(Rule {
        file,
        detect,
        origin,
    })
}

/// `12` → `Art. 12` / `第十二条`; `736.2(b)(10)` → `§ 736.2(b)(10)`; `statement`, `case` → ``.
pub fn article_label(article: &str, lang: Lang) -> String {
    if let Ok(n) = article.parse::<u32>() {
        return match lang {
            Lang::En => format!("Art. {n}"),
            Lang::Zh => format!("第{}条", chinese_number(n)),
        };
    }
    if article.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return format!("§ {article}");
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_article_numbers() {
        assert_eq!(article_label("12", Lang::Zh), "第十二条");
        assert_eq!(article_label("36", Lang::Zh), "第三十六条");
        assert_eq!(article_label("590", Lang::Zh), "第五百九十条");
        assert_eq!(article_label("105", Lang::Zh), "第一百零五条");
        assert_eq!(article_label("115", Lang::Zh), "第一百一十五条");
        assert_eq!(article_label("12", Lang::En), "Art. 12");
        assert_eq!(article_label("736.2(b)(10)", Lang::En), "§ 736.2(b)(10)");
    }
}
