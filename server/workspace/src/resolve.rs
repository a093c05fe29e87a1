//! The one way from a file to what applies to it: the nearest `comity.toml`
//! above it (or the one given with `--config`), the engine settings it
//! describes, the rule set (one shared built-in set when the configuration
//! adds no rule folders), and its `[lint] exclude` globs; and the drafts a
//! folder holds. The command line and the language server both resolve
//! through a [`Resolver`], so a file gets the same settings in each.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use comity_engine::Settings;
use comity_rules::{RuleError, RuleSet};
use ignore::overrides::{Override, OverrideBuilder};

use crate::config::{Config, ConfigFile};
use crate::input::FileKind;

/// Configuration, settings, rules and excludes for the files under one
/// `comity.toml` (or under none).
pub struct Context {
    pub config: Config,
    pub settings: Settings,
    pub rules: Arc<RuleSet>,
    excludes: Option<Override>,
    /// What went wrong loading it, when the resolver is lenient (the editor
    /// keeps linting with the built-in rules or default settings instead).
    pub error: Option<String>,
}

impl Context {
    /// Whether `[lint] exclude` leaves this file out of a folder's drafts.
    pub fn excludes(&self, path: &Path) -> bool {
        self.excludes.as_ref().is_some_and(|o| {
            o.matched(
                std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
                false,
            )
            .is_ignore()
        })
    }

    /// Loads the context of a configuration file (none: the defaults), with
    /// `overlay` (the editor's settings) laid over it key by key. Strict: any
    /// problem is an error naming the file.
    fn load(path: Option<&Path>, overlay: Option<&ConfigFile>) -> Result<Context, String> {
        let mut config = match path {
            Some(p) => Config::load(p).map_err(|e| e.to_string())?,
            None => Config::default(),
        };
        if let Some(o) = overlay {
            overlay_on(&mut config.file, o);
        }
        let rules = rules_for(&config).map_err(|errs| join(&errs, "\n"))?;
        let excludes = excludes_for(&config, path)?;
        let settings = config.settings();
        Ok(Context {
            config,
            settings,
            rules,
            excludes,
            error: None,
        })
    }

    /// As [`Context::load`], but a problem is noted in [`Context::error`]
    /// and what can be used is: a configuration that does not load gives
    /// the defaults, rules that do not load the built-in ones.
    fn load_lenient(path: Option<&Path>, overlay: Option<&ConfigFile>) -> Context {
        let mut error = None;
        let mut config = match path {
            Some(p) => Config::load(p).unwrap_or_else(|e| {
                error = Some(e.to_string());
                Config::default()
            }),
            None => Config::default(),
        };
        if let Some(o) = overlay {
            overlay_on(&mut config.file, o);
        }
        let rules = rules_for(&config).unwrap_or_else(|errs| {
            error = Some(join(&errs, "; "));
            RuleSet::shared_builtin()
        });
        let excludes = excludes_for(&config, path).unwrap_or_else(|e| {
            error.get_or_insert(e);
            None
        });
        let settings = config.settings();
        Context {
            config,
            settings,
            rules,
            excludes,
            error,
        }
    }
}

/// The built-in rules, shared, when the configuration adds no rule folders;
/// otherwise the built-in rules and the folders' own.
fn rules_for(config: &Config) -> Result<Arc<RuleSet>, Vec<RuleError>> {
    let extra = config.extra_rule_dirs();
    if extra.is_empty() {
        Ok(RuleSet::shared_builtin())
    } else {
        RuleSet::load(&extra).map(Arc::new)
    }
}

fn excludes_for(config: &Config, path: Option<&Path>) -> Result<Option<Override>, String> {
    if config.file.lint.exclude.is_empty() {
        return Ok(None);
    }
    let mut b = OverrideBuilder::new(config.base_dir());
    for g in &config.file.lint.exclude {
        b.add(&format!("!{g}")).map_err(|e| {
            format!(
                "{}: [lint] exclude: {e}",
                path.map(|p| p.display().to_string()).unwrap_or_default()
            )
        })?;
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

fn join(errs: &[RuleError], sep: &str) -> String {
    errs.iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

/// Editor settings override what comity.toml says, key by key.
fn overlay_on(file: &mut ConfigFile, client: &ConfigFile) {
    if client.rules.enable.is_some() {
        file.rules.enable = client.rules.enable.clone();
    }
    file.rules
        .disable
        .extend(client.rules.disable.iter().cloned());
    file.rules
        .severity
        .extend(client.rules.severity.iter().map(|(k, v)| (k.clone(), *v)));
    if client.profile.prc_party.is_some() {
        file.profile.prc_party = client.profile.prc_party;
    }
    if client.profile.governing_law.is_some() {
        file.profile.governing_law = client.profile.governing_law.clone();
    }
    if client.profile.act_for.is_some() {
        file.profile.act_for = client.profile.act_for;
    }
    if !client.profile.parties.is_empty() {
        file.profile.parties = client.profile.parties.clone();
    }
    if client.lint.default_language.is_some() {
        file.lint.default_language = client.lint.default_language.clone();
    }
}

type Loaded = Result<Arc<Context>, String>;

/// Told of each rule set as a context is loaded with it.
type OnLoad = Box<dyn Fn(&Arc<RuleSet>) + Send + Sync>;

/// Finds, loads and caches the context of each file: one per configuration
/// file, looked up once per folder.
pub struct Resolver {
    /// The context `--config` names, which then applies to every file.
    forced: Option<Arc<Context>>,
    /// The editor's settings, laid over every comity.toml.
    overlay: Option<ConfigFile>,
    lenient: bool,
    /// Called with the rule set of each context loaded (not with a cached one).
    on_load: Option<OnLoad>,
    by_path: Mutex<HashMap<Option<PathBuf>, Loaded>>,
    /// The comity.toml found for each folder, so that a folder of many files
    /// is looked up once.
    by_dir: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl Default for Resolver {
    fn default() -> Resolver {
        Resolver::new()
    }
}

impl Resolver {
    /// Each file gets the nearest comity.toml above it; a problem with one
    /// is an error for the files under it.
    pub fn new() -> Resolver {
        Resolver {
            forced: None,
            overlay: None,
            lenient: false,
            on_load: None,
            by_path: Mutex::new(HashMap::new()),
            by_dir: Mutex::new(HashMap::new()),
        }
    }

    /// Every file gets the configuration at `path` (`--config`).
    pub fn with_config(path: &Path) -> Result<Resolver, String> {
        let forced = Context::load(Some(path), None)?;
        Ok(Resolver {
            forced: Some(Arc::new(forced)),
            ..Resolver::new()
        })
    }

    /// A problem loading a configuration or its rules is noted in the
    /// context ([`Context::error`]) and the defaults used instead (the
    /// editor, which must go on linting).
    pub fn lenient(mut self) -> Resolver {
        self.lenient = true;
        self
    }

    /// Calls `f` with the rule set of each context as it is loaded.
    pub fn on_load(mut self, f: impl Fn(&Arc<RuleSet>) + Send + Sync + 'static) -> Resolver {
        self.on_load = Some(Box::new(f));
        self
    }

    /// Lays the editor's settings over every configuration from now on.
    pub fn set_overlay(&mut self, overlay: Option<ConfigFile>) {
        self.overlay = overlay;
        self.forget();
    }

    /// Forgets what was loaded and found (a configuration file changed).
    pub fn forget(&self) {
        self.by_path.lock().expect("resolver lock").clear();
        self.by_dir.lock().expect("resolver lock").clear();
    }

    /// The rule set of `--config`, if given.
    pub fn forced_rules(&self) -> Option<&RuleSet> {
        self.forced.as_ref().map(|c| &*c.rules)
    }

    /// The rule sets loaded so far.
    pub fn loaded_rules(&self) -> Vec<Arc<RuleSet>> {
        let mut sets: Vec<Arc<RuleSet>> = self.forced.iter().map(|c| c.rules.clone()).collect();
        let map = self.by_path.lock().expect("resolver lock");
        sets.extend(
            map.values()
                .filter_map(|c| c.as_ref().ok())
                .map(|c| c.rules.clone()),
        );
        sets
    }

    /// The comity.toml that applies to a file: the nearest one above it.
    pub fn config_path(&self, file: &Path) -> Option<PathBuf> {
        let dir = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        if let Some(found) = self.by_dir.lock().expect("resolver lock").get(&dir) {
            return found.clone();
        }
        let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        let found = Config::find(&real);
        self.by_dir
            .lock()
            .expect("resolver lock")
            .insert(dir, found.clone());
        found
    }

    /// The context for a file, from the closest comity.toml above it (or the
    /// forced one); for a file with no name (an editor's untitled buffer),
    /// the defaults.
    pub fn for_file(&self, path: Option<&Path>) -> Result<Arc<Context>, String> {
        if let Some(f) = &self.forced {
            return Ok(f.clone());
        }
        let found = path.and_then(|p| self.config_path(p));
        let mut map = self.by_path.lock().expect("resolver lock");
        map.entry(found.clone())
            .or_insert_with(|| {
                let ctx = if self.lenient {
                    Ok(Context::load_lenient(
                        found.as_deref(),
                        self.overlay.as_ref(),
                    ))
                } else {
                    Context::load(found.as_deref(), self.overlay.as_ref())
                }
                .map(Arc::new);
                if let (Ok(c), Some(f)) = (&ctx, &self.on_load) {
                    f(&c.rules);
                }
                ctx
            })
            .clone()
    }

    /// The drafts under a folder (`.txt`, `.md`, `.docx`, …), in byte order
    /// of their paths: `.gitignore` and `overrides` (`--exclude`) are
    /// honoured in the walk, and each file's own `[lint] exclude` after it.
    /// Problems met in the walk are returned as (path, message) and the
    /// walk goes on.
    pub fn discover(
        &self,
        root: &Path,
        overrides: Option<&Override>,
    ) -> (Vec<PathBuf>, Vec<(String, String)>) {
        let mut errors = Vec::new();
        let mut walk = ignore::WalkBuilder::new(root);
        walk.follow_links(true).require_git(false);
        if let Some(o) = overrides {
            walk.overrides(o.clone());
        }
        let mut found = Vec::new();
        for entry in walk.build() {
            match entry {
                Ok(e) => {
                    let p = e.path();
                    if e.file_type().is_some_and(|t| t.is_file()) && FileKind::of(p).is_some() {
                        found.push(p.to_path_buf());
                    }
                }
                Err(e) => {
                    let where_ = error_path(&e).unwrap_or_else(|| root.display().to_string());
                    let message = describe_walk_error(&e, &where_);
                    errors.push((where_, message));
                }
            }
        }
        // By bytes, as the report is ordered (paths compared by
        // components cost more than the walk).
        found.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        found.retain(|p| !self.for_file(Some(p)).ok().is_some_and(|c| c.excludes(p)));
        (found, errors)
    }
}

fn error_path(e: &ignore::Error) -> Option<String> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.display().to_string()),
        _ => None,
    }
}

fn describe_walk_error(e: &ignore::Error, path: &str) -> String {
    match e {
        ignore::Error::Loop { ancestor, .. } => format!(
            "{path}: symbolic link loop back to {}; not followed",
            ancestor.display()
        ),
        ignore::Error::WithDepth { err, .. } => describe_walk_error(err, path),
        ignore::Error::WithPath { err, .. } => format!("{path}: {}", strip_path(err)),
        other => format!("{path}: {other}"),
    }
}

fn strip_path(e: &ignore::Error) -> String {
    match e {
        ignore::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}
