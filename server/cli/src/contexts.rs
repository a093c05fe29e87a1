//! The configuration of each file of a `comity check` run, through the
//! workspace's one resolver, and the helper thread that works beside the
//! linting.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use comity_rules::RuleSet;
use comity_workspace::resolve::{Context, Resolver};

use super::inputs::Input;

/// Runs of at least this many files, or with a file at least this large,
/// build the word DFAs (trigger and context words) in the background.
const LONG_RUN_FILES: usize = 64;
const LONG_RUN_BYTES: u64 = 4 << 20;

/// Whether a run has many files, or a large one ([`LONG_RUN_FILES`],
/// [`LONG_RUN_BYTES`]).
pub(crate) fn is_long_run(inputs: &[Input]) -> bool {
    inputs.len() >= LONG_RUN_FILES
        || inputs.iter().any(|i| match i {
            Input::File(p) => std::fs::metadata(p).is_ok_and(|m| m.len() >= LONG_RUN_BYTES),
            Input::Stdin { .. } => false,
        })
}

/// Work beside the linting, on one thread of its own, in order: the
/// built-in rules load and the document model's patterns compile while the
/// inputs are found, then the word DFAs of the rule sets sent to it build
/// while the first files are linted. One thread, so that the thread that
/// finds the inputs and the workers do not wait for a core.
#[derive(Clone)]
pub(crate) struct Helper {
    dfas: std::sync::mpsc::Sender<Arc<RuleSet>>,
}

impl Helper {
    pub fn start() -> Helper {
        let (tx, rx) = std::sync::mpsc::channel::<Arc<RuleSet>>();
        std::thread::spawn(move || {
            RuleSet::builtin();
            comity_document::warm_up();
            for rules in rx {
                rules.lexicon.build_dfa();
            }
        });
        Helper { dfas: tx }
    }
}

/// Builds a rule set's word DFAs: on the helper thread, or, when the run
/// is held to one thread, on the calling thread before it goes on.
fn build_dfa(rules: Arc<RuleSet>, helper: Option<&Helper>) {
    let rules = match helper {
        Some(h) => match h.dfas.send(rules) {
            Ok(()) => return,
            Err(e) => e.0,
        },
        None => rules,
    };
    rules.lexicon.build_dfa();
}

/// The run's resolver, and whether the run is long enough for the rule
/// sets' faster automata (see [`Contexts::long_run`]).
pub(crate) struct Contexts {
    resolver: Resolver,
    long: Arc<AtomicBool>,
    /// Where work that is not linting (building the word DFAs) runs: none
    /// when the run is held to one thread.
    helper: Option<Helper>,
}

impl Contexts {
    pub fn new(config: Option<&Path>, helper: Option<Helper>) -> Result<Contexts, String> {
        let resolver = match config {
            Some(p) => Resolver::with_config(p)?,
            None => Resolver::new(),
        };
        let long = Arc::new(AtomicBool::new(false));
        // A rule set loaded once the run is known to be long builds its
        // DFAs at once.
        let on_load = {
            let long = long.clone();
            let helper = helper.clone();
            move |rules: &Arc<RuleSet>| {
                if long.load(Ordering::SeqCst) {
                    build_dfa(rules.clone(), helper.as_ref());
                }
            }
        };
        Ok(Contexts {
            resolver: resolver.on_load(on_load),
            long,
            helper,
        })
    }

    /// Marks the run as long: the rule sets loaded so far, and those loaded
    /// later, build their word DFAs on a background thread (the scans use
    /// them once they are there; until then, and on short runs, the NFAs).
    pub fn long_run(&self) {
        if self.long.swap(true, Ordering::SeqCst) {
            return;
        }
        for rules in self.resolver.loaded_rules() {
            build_dfa(rules, self.helper.as_ref());
        }
    }

    /// The rules of the forced context, or the built-in ones (for reports
    /// that list rules).
    pub fn any_rules(&self) -> &RuleSet {
        self.resolver
            .forced_rules()
            .unwrap_or_else(|| RuleSet::builtin())
    }

    /// The context for a file, from the closest comity.toml above it.
    pub fn for_file(&self, path: &Path) -> Result<Arc<Context>, String> {
        self.resolver.for_file(Some(path))
    }

    pub fn resolver(&self) -> &Resolver {
        &self.resolver
    }
}
