//! Where the reports of `comity check` go: a streamed run's sink, which
//! writes each file's report in path order as it comes in from any thread,
//! and the report of a collected run.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use super::args::{CheckArgs, Format, use_color};
use super::contexts::Contexts;
use super::report::{self, FileResult};
use super::{FailOn, emit};

pub(crate) fn progress_bar(args: &CheckArgs, n: usize) -> Option<indicatif::ProgressBar> {
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

/// The reports of a streamed run, written out in path order as they come
/// in (from any thread), with the tallies of what they held.
pub(crate) struct Sink {
    out: std::io::BufWriter<std::io::Stdout>,
    /// Reports that came in before the one next in order.
    pub(crate) pending: std::collections::BTreeMap<usize, Rendered>,
    next: usize,
    summary: report::Summary,
    /// Whether to end with the summary (the human format).
    summary_at_end: bool,
    pub(crate) errors: bool,
    pub(crate) failing: bool,
    /// The first write that failed; the run stops linting.
    pub(crate) failed: Option<std::io::Error>,
}

impl Sink {
    pub(crate) fn new(summary_at_end: bool) -> Sink {
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
    pub(crate) fn put(&mut self, k: usize, r: Rendered) {
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
    pub(crate) fn finish(&mut self) -> std::io::Result<()> {
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
pub(crate) struct Rendered {
    bytes: std::io::Result<Vec<u8>>,
    summary: report::Summary,
    error: bool,
    /// Whether the file has a finding at or above its failing severity.
    failing: bool,
}

impl Rendered {
    pub(crate) fn of(
        r: FileResult,
        format: Format,
        color: bool,
        fail_on_for: &impl Fn(&str) -> comity_finding::Severity,
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
pub(crate) fn fail_on_for<'a>(
    args: &'a CheckArgs,
    contexts: &'a Contexts,
) -> impl Fn(&str) -> comity_finding::Severity + 'a {
    move |path: &str| {
        args.fail_on
            .map(FailOn::severity)
            .or_else(|| {
                contexts
                    .for_file(Path::new(path))
                    .ok()
                    .and_then(|c| c.config.file.lint.fail_on)
            })
            .unwrap_or(comity_finding::Severity::Warning)
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
