//! `comity check`: lint files, folders and streams; report; exit status.
//!
//! This module runs a check; its parts live beside it: the arguments
//! ([`super::args`]), each file's configuration and the helper thread
//! ([`super::contexts`]), what is read ([`super::inputs`]), where reports go
//! ([`super::sink`]), fixes ([`super::fix`]) and the JSONL stream
//! ([`super::stream`]).

use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::EXIT_ERROR;
use super::args::{CheckArgs, Format, InputKind, use_color};
use super::contexts::{Contexts, Helper, is_long_run};
use super::fix::apply_fixes;
use super::inputs::{self, Input, collect_inputs, error_result};
use super::report::FileResult;
use super::sink::{Rendered, Sink, fail_on_for, finish, progress_bar};
use comity_engine as engine;

pub fn run(args: CheckArgs) -> ExitCode {
    if args.no_fast_path {
        comity_document::set_fast_path(false);
    }
    super::report::set_verbosity(args.verbose);
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

/// `flags`: report unused suppressions, show suppressed findings.
fn lint_input(input: &Input, contexts: &Contexts, flags: (bool, bool)) -> FileResult {
    let (name, read, docx) = inputs::read(input);
    let display = input.display();
    let text = match read {
        Ok(t) => t,
        Err(e) => return error_result(&display, e),
    };
    let ctx = match contexts.for_file(&name) {
        Ok(c) => c,
        Err(e) => return error_result(&display, e),
    };
    let (text, findings) = if flags.0 || flags.1 {
        let mut settings = ctx.settings.clone();
        settings.report_unused_suppressions |= flags.0;
        settings.show_suppressed |= flags.1;
        engine::check_text(text, &ctx.rules, &settings)
    } else {
        engine::check_text(text, &ctx.rules, &ctx.settings)
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
