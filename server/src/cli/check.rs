//! `comity check`: lint files, folders and streams; report; exit status.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use super::report::{self, FileResult};
use super::{EXIT_ERROR, EXIT_FINDINGS, FailOn, emit};
use crate::config::Config;
use crate::document::Document;
use crate::engine::{self, Settings, lint};
use crate::input::{self, FileKind};
use crate::rules::RuleSet;

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// Files and folders to lint; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// `text`: drafts. `jsonl`: lines of {"id", "text", "lang"?}, answered line by line.
    #[arg(long, value_enum, default_value_t = InputKind::Text)]
    pub input: InputKind,
    /// The name to report for standard input (and to find comity.toml from).
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Glob of files to skip (repeatable), in addition to .gitignore.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Use this configuration instead of the nearest comity.toml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Fail (exit 1) when a finding at or above this severity is reported.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (input errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Number of threads (default: all cores). With 1, the whole run,
    /// loading the rules included, takes one thread at a time.
    #[arg(long)]
    pub threads: Option<usize>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Do not show a progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
    /// Apply suggested wording marked safe (legal rewording is rarely safe).
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply suggestions marked unsafe.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report suppression comments that match no finding.
    #[arg(long)]
    pub report_unused: bool,
    /// List the findings that suppression comments removed, as info, with the
    /// comment and reason (carve-out downgrades always name their clause).
    #[arg(long)]
    pub show_suppressed: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Github,
    Sarif,
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum InputKind {
    Text,
    Jsonl,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Configuration and rules for the files under one comity.toml (or none).
pub(crate) struct Context {
    pub config: Config,
    pub settings: Settings,
    pub rules: Arc<RuleSet>,
    excludes: Option<ignore::overrides::Override>,
}

type ContextResult = Result<Arc<Context>, String>;

/// Loads and caches one context per configuration file.
pub(crate) struct Contexts {
    forced: Option<Arc<Context>>,
    by_path: Mutex<HashMap<Option<PathBuf>, ContextResult>>,
    /// The comity.toml found for each directory of the run's files, so that
    /// a folder of many files is looked up once.
    by_dir: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Whether the run is long enough for the rule sets' faster automata
    /// (see [`Contexts::long_run`]).
    long: std::sync::atomic::AtomicBool,
    /// Where work that is not linting (building the word DFAs) runs: none
    /// when the run is held to one thread.
    helper: Option<Helper>,
}

/// Runs of at least this many files, or with a file at least this large,
/// build the word DFAs (trigger and context words) in the background.
const LONG_RUN_FILES: usize = 64;
const LONG_RUN_BYTES: u64 = 4 << 20;

/// Work beside the linting, on one thread of its own, in order: the
/// built-in rules load and the document model's patterns compile while the
/// inputs are found, then the word DFAs of the rule sets sent to it build
/// while the first files are linted. One thread, so that the thread that
/// finds the inputs and the workers do not wait for a core.
pub(crate) struct Helper {
    dfas: std::sync::mpsc::Sender<Arc<RuleSet>>,
}

impl Helper {
    pub fn start() -> Helper {
        let (tx, rx) = std::sync::mpsc::channel::<Arc<RuleSet>>();
        std::thread::spawn(move || {
            RuleSet::builtin();
            crate::document::warm_up();
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

impl Contexts {
    pub fn new(config: Option<&Path>, helper: Option<Helper>) -> Result<Contexts, String> {
        let forced = match config {
            Some(p) => Some(Arc::new(build_context(Some(p.to_path_buf()))?)),
            None => None,
        };
        Ok(Contexts {
            forced,
            by_path: Mutex::new(HashMap::new()),
            by_dir: Mutex::new(HashMap::new()),
            long: std::sync::atomic::AtomicBool::new(false),
            helper,
        })
    }

    /// Marks the run as long: the rule sets loaded so far, and those loaded
    /// later, build their word DFAs on a background thread (the scans use
    /// them once they are there; until then, and on short runs, the NFAs).
    pub fn long_run(&self) {
        use std::sync::atomic::Ordering;
        if self.long.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut sets: Vec<Arc<RuleSet>> = self.forced.iter().map(|c| c.rules.clone()).collect();
        let map = self.by_path.lock().expect("context cache lock");
        sets.extend(
            map.values()
                .filter_map(|c| c.as_ref().ok())
                .map(|c| c.rules.clone()),
        );
        drop(map);
        for rules in sets {
            build_dfa(rules, self.helper.as_ref());
        }
    }

    /// The rules of the forced context, or the built-in ones (for reports
    /// that list rules).
    pub fn any_rules(&self) -> &RuleSet {
        match &self.forced {
            Some(c) => &c.rules,
            None => RuleSet::builtin(),
        }
    }

    /// The context for a file, from the closest comity.toml above it.
    pub fn for_file(&self, path: &Path) -> Result<Arc<Context>, String> {
        if let Some(f) = &self.forced {
            return Ok(f.clone());
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let cached = self.by_dir.lock().expect("lock").get(&dir).cloned();
        let found = match cached {
            Some(found) => found,
            None => {
                let real = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
                let found = Config::find(&real);
                let mut by_dir = self.by_dir.lock().expect("lock");
                by_dir.insert(dir, found.clone());
                found
            }
        };
        let mut map = self.by_path.lock().expect("context cache lock");
        map.entry(found.clone())
            .or_insert_with(|| {
                let ctx = build_context(found).map(Arc::new);
                if let Ok(c) = &ctx
                    && self.long.load(std::sync::atomic::Ordering::SeqCst)
                {
                    build_dfa(c.rules.clone(), self.helper.as_ref());
                }
                ctx
            })
            .clone()
    }
}

fn build_context(path: Option<PathBuf>) -> Result<Context, String> {
    let config = match &path {
        Some(p) => Config::load(p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let extra = config.extra_rule_dirs();
    let rules = if extra.is_empty() {
        RuleSet::shared_builtin()
    } else {
        Arc::new(RuleSet::load(&extra).map_err(join_errors)?)
    };
    let excludes = if config.file.lint.exclude.is_empty() {
        None
    } else {
        let mut b = ignore::overrides::OverrideBuilder::new(config.base_dir());
        for g in &config.file.lint.exclude {
            b.add(&format!("!{g}")).map_err(|e| {
                format!(
                    "{}: [lint] exclude: {e}",
                    path.as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                )
            })?;
        }
        Some(b.build().map_err(|e| e.to_string())?)
    };
    let settings = config.settings();
    Ok(Context {
        config,
        settings,
        rules,
        excludes,
    })
}

fn join_errors(errs: Vec<crate::rules::RuleError>) -> String {
    errs.iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn run(args: CheckArgs) -> ExitCode {
    // `--threads 1` holds the whole run to one thread at a time: a hook
    // or CI job that asks for it gets one core's worth of work, and the
    // throughput it sees is one core's. Otherwise a helper thread does the
    // work beside the linting (see [`Helper`]).
    let helper = (!matches!(args.threads, Some(0 | 1))).then(Helper::start);
    if let Some(n) = args.threads {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let contexts = match Contexts::new(args.config.as_deref(), helper) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if args.input == InputKind::Jsonl {
        return super::stream::run(&args, &contexts);
    }
    let (inputs, mut input_errors) = collect_inputs(&args, &contexts);
    if is_long_run(&inputs) {
        contexts.long_run();
    }
    let report_unused = (args.report_unused, args.show_suppressed);
    let progress = progress_bar(&args, inputs.len());
    if matches!(args.format, Format::Human | Format::Jsonl | Format::Github)
        && !args.fix
        && !args.diff
        && args.write_baseline.is_none()
    {
        return stream(&args, &contexts, &inputs, input_errors, progress);
    }
    let mut results: Vec<FileResult> = inputs
        .par_iter()
        .map(|input| {
            let r = lint_input(input, &contexts, report_unused);
            if let Some(p) = &progress {
                p.inc(1);
            }
            r
        })
        .collect();
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    results.append(&mut input_errors);
    results.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(path) = &args.write_baseline {
        let b = super::baseline::from_results(&results);
        let json = serde_json::to_string_pretty(&b).expect("baselines serialise");
        if let Err(e) = std::fs::write(path, json + "\n") {
            eprintln!("error: {}: cannot write baseline: {e}", path.display());
            return ExitCode::from(EXIT_ERROR);
        }
        eprintln!(
            "Recorded {} findings in {}.",
            b.entries.len(),
            path.display()
        );
        return if results.iter().any(|r| r.error.is_some()) {
            ExitCode::from(EXIT_ERROR)
        } else {
            ExitCode::SUCCESS
        };
    }
    if let Some(path) = &args.baseline {
        match super::baseline::read(path) {
            Ok(b) => {
                super::baseline::filter(&mut results, &b);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_ERROR);
            }
        }
    }
    if args.fix || args.diff {
        return apply_fixes(&args, &contexts, results);
    }
    finish(&args, &contexts, &results)
}

/// `--fix` and `--diff`.
fn apply_fixes(args: &CheckArgs, contexts: &Contexts, mut results: Vec<FileResult>) -> ExitCode {
    let mut changed_files = 0usize;
    let mut fixed = 0usize;
    let mut errors = false;
    let mut diffs = String::new();
    for r in results.iter_mut() {
        if r.error.is_some() || r.findings.is_empty() {
            continue;
        }
        let edits = super::fix::planned_edits(&r.findings, args.unsafe_fixes);
        if edits.is_empty() {
            continue;
        }
        if r.docx.is_some() || r.path == "-" {
            r.notices.push(report::Notice {
                line: 1,
                message: "not fixed: .docx files and standard input are reported, never rewritten"
                    .into(),
            });
            continue;
        }
        let new_text = super::fix::apply_edits(&r.text, &edits);
        if args.diff {
            diffs.push_str(&super::fix::unified_diff(&r.path, &r.text, &new_text));
            changed_files += 1;
            fixed += edits.len();
            continue;
        }
        let path = PathBuf::from(&r.path);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                r.error = Some(format!("{}: cannot re-read for fixing: {e}", r.path));
                errors = true;
                continue;
            }
        };
        let (current, encoding) = match input::decode(&path, &bytes) {
            Ok(d) => d,
            Err(e) => {
                r.error = Some(e.to_string());
                errors = true;
                continue;
            }
        };
        if current != *r.text {
            r.error = Some(format!(
                "{}: changed on disk while being linted; not fixed",
                r.path
            ));
            errors = true;
            continue;
        }
        match super::fix::write_atomically(&path, &bytes, &new_text, encoding) {
            Ok(()) => {
                changed_files += 1;
                fixed += edits.len();
                // Report what remains after the fix.
                if let Ok(ctx) = contexts.for_file(&path) {
                    let doc = Document::parse(new_text);
                    r.findings = lint(&doc, &ctx.rules, &ctx.settings);
                    r.text = Arc::new(doc.text().to_string());
                }
            }
            Err(e) => {
                r.error = Some(format!("{}: {e}", r.path));
                errors = true;
            }
        }
    }
    if args.diff {
        let r = emit(|out| write!(out, "{diffs}"));
        if let Err(code) = r {
            return code;
        }
        eprintln!(
            "{fixed} fix{} in {changed_files} file{} (not written).",
            if fixed == 1 { "" } else { "es" },
            if changed_files == 1 { "" } else { "s" }
        );
        return if errors {
            ExitCode::from(EXIT_ERROR)
        } else if fixed > 0 {
            ExitCode::from(EXIT_FINDINGS)
        } else {
            ExitCode::SUCCESS
        };
    }
    eprintln!(
        "Fixed {fixed} finding{} in {changed_files} file{}.",
        if fixed == 1 { "" } else { "s" },
        if changed_files == 1 { "" } else { "s" }
    );
    let code = finish(args, contexts, &results);
    if errors {
        ExitCode::from(EXIT_ERROR)
    } else {
        code
    }
}

fn progress_bar(args: &CheckArgs, n: usize) -> Option<indicatif::ProgressBar> {
    if args.no_progress || n < 50 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} linting {pos}/{len} files {wide_bar} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

fn use_color(args: &CheckArgs) -> bool {
    match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// Lints and reports file by file, in path order, keeping only the files
/// finished out of order in memory: a folder of any size runs in the memory
/// of a few files. (JSON, SARIF and HTML reports, fixes and baselines need
/// every result at once and take the collecting path.)
fn stream(
    args: &CheckArgs,
    contexts: &Contexts,
    inputs: &[Input],
    input_errors: Vec<FileResult>,
    progress: Option<indicatif::ProgressBar>,
) -> ExitCode {
    let filter = match &args.baseline {
        None => None,
        Some(path) => match super::baseline::read(path) {
            Ok(b) => Some(Mutex::new(super::baseline::Filter::new(&b))),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_ERROR);
            }
        },
    };
    // The order of the collecting path: by path, inputs before input errors
    // at the same path. Input errors are ready at once; the rest are jobs.
    let mut order: Vec<(String, Result<usize, FileResult>)> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (input.display(), Ok(i)))
        .chain(input_errors.into_iter().map(|r| (r.path.clone(), Err(r))))
        .collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let color = use_color(args);
    let fail_on_for = fail_on_for(args, contexts);
    let mut sink = Sink::new(args.format == Format::Human);
    let mut jobs: Vec<(usize, usize)> = Vec::new();
    for (k, (_, item)) in order.into_iter().enumerate() {
        match item {
            Ok(i) => jobs.push((k, i)),
            Err(r) => {
                let r = Rendered::of(r, args.format, color, &fail_on_for);
                sink.pending.insert(k, r);
            }
        }
    }
    let sink = Mutex::new(sink);
    // Each worker lints a file, renders its report and hands it to the
    // sink, which writes out the reports that are next in order: no thread
    // waits for another to write.
    let report_unused = (args.report_unused, args.show_suppressed);
    jobs.into_iter().par_bridge().for_each(|(k, i)| {
        if sink.lock().expect("report lock").failed.is_some() {
            return;
        }
        let mut r = lint_input(&inputs[i], contexts, report_unused);
        if let Some(f) = &filter {
            f.lock().expect("baseline lock").apply(&mut r);
        }
        let rendered = Rendered::of(r, args.format, color, &fail_on_for);
        if let Some(p) = &progress {
            p.inc(1);
        }
        sink.lock().expect("report lock").put(k, rendered);
    });
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    let mut sink = sink.into_inner().expect("report lock");
    let written = sink.finish();
    if let Err(code) = super::finish_output(written) {
        return code;
    }
    super::outcome(sink.errors, sink.failing, args.exit_zero)
}

/// The reports of a streamed run, written out in path order as they come
/// in (from any thread), with the tallies of what they held.
struct Sink {
    out: std::io::BufWriter<std::io::Stdout>,
    /// Reports that came in before the one next in order.
    pending: std::collections::BTreeMap<usize, Rendered>,
    next: usize,
    summary: report::Summary,
    /// Whether to end with the summary (the human format).
    summary_at_end: bool,
    errors: bool,
    failing: bool,
    /// The first write that failed; the run stops linting.
    failed: Option<std::io::Error>,
}

impl Sink {
    fn new(summary_at_end: bool) -> Sink {
        Sink {
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
            pending: Default::default(),
            next: 0,
            summary: report::Summary::default(),
            summary_at_end,
            errors: false,
            failing: false,
            failed: None,
        }
    }

    /// Takes report `k` and writes out every report now ready in order.
    fn put(&mut self, k: usize, r: Rendered) {
        self.pending.insert(k, r);
        self.write_ready();
    }

    /// Writes out, and counts, the reports next in order, until one is
    /// missing or a write fails.
    fn write_ready(&mut self) {
        while self.failed.is_none()
            && let Some(r) = self.pending.remove(&self.next)
        {
            self.next += 1;
            self.summary.merge(&r.summary);
            self.errors |= r.error;
            self.failing |= r.failing;
            if let Err(e) = r
                .bytes
                .and_then(|b| std::io::Write::write_all(&mut self.out, &b))
            {
                self.failed = Some(e);
            }
        }
    }

    /// Writes what is left (the input errors of a run with nothing to
    /// lint), the summary, and flushes.
    fn finish(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        self.write_ready();
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if self.summary_at_end {
            report::write_human_summary(&mut self.out, &self.summary)?;
        }
        self.out.flush()
    }
}

/// One file's part of a streamed report (human, JSON lines or GitHub),
/// rendered by the thread that linted it. The file's text is dropped:
/// files finished out of order wait in memory without it.
struct Rendered {
    bytes: std::io::Result<Vec<u8>>,
    summary: report::Summary,
    error: bool,
    /// Whether the file has a finding at or above its failing severity.
    failing: bool,
}

impl Rendered {
    fn of(
        r: FileResult,
        format: Format,
        color: bool,
        fail_on_for: &impl Fn(&str) -> crate::finding::Severity,
    ) -> Rendered {
        let mut bytes = Vec::new();
        let written = write_file_report(&mut bytes, &r, format, color);
        let threshold = fail_on_for(&r.path);
        let mut summary = report::Summary::default();
        summary.add(&r);
        Rendered {
            bytes: written.map(|()| bytes),
            summary,
            error: r.error.is_some(),
            failing: r.findings.iter().any(|f| f.severity >= threshold),
        }
    }
}

/// The report of one file in a format that is written file by file.
fn write_file_report(
    out: &mut dyn std::io::Write,
    r: &FileResult,
    format: Format,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Human => report::write_human_file(out, r, color),
        Format::Jsonl => report::write_jsonl_file(out, r),
        _ => report::write_github_file(out, r),
    }
}

/// The failing severity for a file: --fail-on, else the `fail_on` of the
/// comity.toml that applies to it, else warning.
fn fail_on_for<'a>(
    args: &'a CheckArgs,
    contexts: &'a Contexts,
) -> impl Fn(&str) -> crate::finding::Severity + 'a {
    move |path: &str| {
        args.fail_on
            .map(FailOn::severity)
            .or_else(|| {
                contexts
                    .for_file(Path::new(path))
                    .ok()
                    .and_then(|c| c.config.file.lint.fail_on)
            })
            .unwrap_or(crate::finding::Severity::Warning)
    }
}

pub(crate) fn finish(args: &CheckArgs, contexts: &Contexts, results: &[FileResult]) -> ExitCode {
    let color = use_color(args);
    let written = emit(|out| match args.format {
        Format::Human => report::write_human(out, results, color),
        Format::Json => report::write_json(out, results),
        Format::Jsonl => report::write_jsonl(out, results),
        Format::Github => report::write_github(out, results),
        Format::Sarif => super::sarif::write_sarif(out, results, contexts.any_rules()),
        Format::Html => super::html::write_html(out, results, contexts.any_rules()),
    });
    if let Err(code) = written {
        return code;
    }
    let errors = results.iter().any(|r| r.error.is_some());
    let fail_on_for = fail_on_for(args, contexts);
    let failing = !errors
        && !args.exit_zero
        && results.iter().any(|r| {
            let threshold = fail_on_for(&r.path);
            r.findings.iter().any(|f| f.severity >= threshold)
        });
    super::outcome(errors, failing, args.exit_zero)
}

/// One thing to lint: a file on disk or standard input.
pub(crate) enum Input {
    File(PathBuf),
    Stdin { name: PathBuf },
}

impl Input {
    /// The path reported for it.
    fn display(&self) -> String {
        match self {
            Input::File(p) | Input::Stdin { name: p } => p.display().to_string(),
        }
    }
}

/// Whether a run has many files, or a large one ([`LONG_RUN_FILES`],
/// [`LONG_RUN_BYTES`]).
fn is_long_run(inputs: &[Input]) -> bool {
    inputs.len() >= LONG_RUN_FILES
        || inputs.iter().any(|i| match i {
            Input::File(p) => std::fs::metadata(p).is_ok_and(|m| m.len() >= LONG_RUN_BYTES),
            Input::Stdin { .. } => false,
        })
}

fn collect_inputs(args: &CheckArgs, contexts: &Contexts) -> (Vec<Input>, Vec<FileResult>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut overrides = ignore::overrides::OverrideBuilder::new(".");
    for g in &args.exclude {
        if let Err(e) = overrides.add(&format!("!{g}")) {
            errors.push(error_result(g, format!("--exclude {g}: {e}")));
        }
    }
    let overrides = overrides.build().ok();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("-"));
            inputs.push(Input::Stdin { name });
            continue;
        }
        if !path.exists() && !path.is_symlink() {
            errors.push(error_result(
                &path.display().to_string(),
                format!("{}: no such file or folder", path.display()),
            ));
            continue;
        }
        if path.is_file() {
            // A file named explicitly is linted whatever the exclusions say.
            inputs.push(Input::File(path.clone()));
            continue;
        }
        if !path.is_dir() {
            // A FIFO, socket or device named explicitly: reading it could
            // block forever, and it is not a draft.
            errors.push(error_result(
                &path.display().to_string(),
                format!(
                    "{}: not a regular file or folder (a pipe, socket or device); not read",
                    path.display()
                ),
            ));
            continue;
        }
        let mut walk = ignore::WalkBuilder::new(path);
        walk.follow_links(true).require_git(false);
        if let Some(o) = &overrides {
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
                    let where_ = error_path(&e).unwrap_or_else(|| path.display().to_string());
                    errors.push(error_result(&where_, describe_walk_error(&e, &where_)));
                }
            }
        }
        // By bytes, as the report is ordered (paths compared by
        // components cost more than the walk).
        found.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        for p in found {
            let excluded = contexts
                .for_file(&p)
                .ok()
                .and_then(|c| {
                    c.excludes.as_ref().map(|o| {
                        o.matched(std::fs::canonicalize(&p).unwrap_or(p.clone()), false)
                            .is_ignore()
                    })
                })
                .unwrap_or(false);
            if !excluded {
                inputs.push(Input::File(p));
            }
        }
    }
    (inputs, errors)
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

pub(crate) fn error_result(path: &str, message: String) -> FileResult {
    FileResult {
        path: path.to_string(),
        text: Arc::new(String::new()),
        findings: Vec::new(),
        error: Some(message),
        notices: Vec::new(),
        docx: None,
    }
}

/// `flags`: report unused suppressions, show suppressed findings.
fn lint_input(input: &Input, contexts: &Contexts, flags: (bool, bool)) -> FileResult {
    let mut docx = None;
    let (name, read) = match input {
        Input::File(p) if FileKind::of(p) == Some(FileKind::Docx) => {
            let r = input::docx::read_docx(p)
                .map_err(|e| e.to_string())
                .map(|d| {
                    let text = d.text.clone();
                    docx = Some(Arc::new(d));
                    text
                });
            (p.clone(), r)
        }
        Input::File(p) => (p.clone(), read_source(p)),
        Input::Stdin { name } => {
            let mut bytes = Vec::new();
            let r = std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| format!("<stdin>: cannot read: {e}"))
                .and_then(|_| {
                    input::decode(name, &bytes)
                        .map(|(t, _)| t)
                        .map_err(|e| e.to_string())
                });
            (name.clone(), r)
        }
    };
    let display = input.display();
    let text = match read {
        Ok(t) => t,
        Err(e) => return error_result(&display, e),
    };
    let ctx = match contexts.for_file(&name) {
        Ok(c) => c,
        Err(e) => return error_result(&display, e),
    };
    // The prefilter leads: a text that cannot give a finding is not parsed.
    let (text, findings) = match engine::prefilter(&text, &ctx.rules) {
        None => (text, Vec::new()),
        Some(pre) => {
            let doc = Document::parse_once(text);
            let mut settings = ctx.settings.clone();
            settings.report_unused_suppressions |= flags.0;
            settings.show_suppressed |= flags.1;
            let findings = engine::lint_prefiltered(&doc, &ctx.rules, &settings, pre);
            (doc.into_text(), findings)
        }
    };
    FileResult {
        path: display,
        text: Arc::new(text),
        findings,
        error: None,
        notices: Vec::new(),
        docx,
    }
}

fn read_source(path: &Path) -> Result<String, String> {
    match FileKind::of(path) {
        Some(FileKind::Docx) => Err(format!(
            "{}: .docx input is not supported in this build",
            path.display()
        )),
        Some(_) => input::read_text_file(path)
            .map(|s| s.text)
            .map_err(|e| e.to_string()),
        None => match path.extension().and_then(|e| e.to_str()) {
            Some(ext) => Err(input::InputError::Unsupported {
                path: path.to_path_buf(),
                extension: ext.to_string(),
            }
            .to_string()),
            None => input::read_text_file(path)
                .map(|s| s.text)
                .map_err(|e| e.to_string()),
        },
    }
}
