//! Report formats for `comity check`: human, json, jsonl and github.
//! The JSON shapes are stable; `comity schema report` prints their schema.

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use comity_finding::{Applicability, Citation, Finding, Severity};
use comity_text::Lang;
use comity_text::lines::LineIndex;
use comity_workspace::outline::excerpt;

/// Version of the JSON report format.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// The result of linting one input.
#[derive(Debug, Clone)]
pub struct FileResult {
    pub path: String,
    pub text: std::sync::Arc<String>,
    pub findings: Vec<Finding>,
    /// Why the file could not be linted, if it could not.
    pub error: Option<String>,
    /// Problems that are not findings (a suppression without a reason …).
    pub notices: Vec<Notice>,
    /// For a .docx: where each source paragraph starts in `text`.
    pub docx: Option<std::sync::Arc<comity_workspace::input::docx::DocxText>>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Notice {
    pub line: usize,
    pub message: String,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonReport {
    pub version: u32,
    pub summary: Summary,
    pub files: Vec<JsonFile>,
}

#[derive(Serialize, JsonSchema, Default, Clone, Copy)]
pub struct Summary {
    pub files: usize,
    pub files_with_errors: usize,
    pub findings: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonFile {
    pub path: String,
    /// Present when the file could not be read or linted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: Vec<JsonFinding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
}

#[derive(Serialize, JsonSchema)]
pub struct Position {
    /// One-based line.
    pub line: usize,
    /// One-based column, counted in Unicode characters.
    pub column: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonFinding {
    pub code: String,
    pub slug: String,
    pub severity: Severity,
    pub message: String,
    /// The clause label (`7.1`, `第九条（三）`), if the clause is numbered.
    pub clause: Option<String>,
    pub lang: Lang,
    /// Byte offsets of the operative words.
    pub start: usize,
    pub end: usize,
    pub range: RangeJson,
    /// The text of the operative words.
    pub text: String,
    /// For a .docx: the paragraph (one-based, as Word counts body paragraphs)
    /// and the character offset in it where the finding starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<DocxLocation>,
    pub reasons: Vec<String>,
    pub citations: Vec<Citation>,
    pub related: Vec<JsonRelated>,
    pub suggestions: Vec<JsonSuggestion>,
    pub fingerprint: String,
}

#[derive(Serialize, JsonSchema)]
pub struct DocxLocation {
    pub number: usize,
    pub offset: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct RangeJson {
    pub start: Position,
    pub end: Position,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonRelated {
    pub term: String,
    pub message: String,
    pub range: RangeJson,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonSuggestion {
    pub title: String,
    pub applicability: Applicability,
    /// Byte offsets of the text the replacement replaces (empty for an insertion).
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    pub note: String,
}

fn position(index: &LineIndex, text: &str, offset: usize) -> Position {
    let (line, column) = index.line_col(text, offset);
    Position { line, column }
}

fn range(index: &LineIndex, text: &str, start: usize, end: usize) -> RangeJson {
    RangeJson {
        start: position(index, text, start),
        end: position(index, text, end),
    }
}

pub fn json_finding(
    f: &Finding,
    text: &str,
    index: &LineIndex,
    docx: Option<&comity_workspace::input::docx::DocxText>,
) -> JsonFinding {
    JsonFinding {
        paragraph: docx
            .and_then(|d| d.locate(f.span.start))
            .map(|(number, offset)| DocxLocation { number, offset }),
        code: f.code.clone(),
        slug: f.slug.clone(),
        severity: f.severity,
        message: f.message.clone(),
        clause: f.clause.clone(),
        lang: f.lang,
        start: f.span.start,
        end: f.span.end,
        range: range(index, text, f.span.start, f.span.end),
        text: f.span.text(text).to_string(),
        reasons: f.reasons.clone(),
        citations: f.citations.to_vec(),
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                term: r.term.clone(),
                message: r.message.clone(),
                range: range(index, text, r.span.start, r.span.end),
            })
            .collect(),
        suggestions: f
            .suggestions
            .iter()
            .map(|s| JsonSuggestion {
                title: s.title.clone(),
                applicability: s.applicability,
                start: s.span.start,
                end: s.span.end,
                replacement: s.replacement.clone(),
                note: s.note.clone(),
            })
            .collect(),
        fingerprint: f.fingerprint.clone(),
    }
}

pub fn summarize(results: &[FileResult]) -> Summary {
    let mut s = Summary::default();
    results.iter().for_each(|r| s.add(r));
    s
}

impl Summary {
    /// Adds the counts of another summary.
    pub fn merge(&mut self, o: &Summary) {
        self.files += o.files;
        self.files_with_errors += o.files_with_errors;
        self.findings += o.findings;
        self.error += o.error;
        self.warning += o.warning;
        self.info += o.info;
    }

    /// Counts one more file.
    pub fn add(&mut self, r: &FileResult) {
        self.files += 1;
        if r.error.is_some() {
            self.files_with_errors += 1;
        }
        for f in &r.findings {
            self.findings += 1;
            match f.severity {
                Severity::Error => self.error += 1,
                Severity::Warning => self.warning += 1,
                Severity::Info => self.info += 1,
            }
        }
    }
}

pub fn write_json(out: &mut dyn Write, results: &[FileResult]) -> io::Result<()> {
    let report = JsonReport {
        version: REPORT_FORMAT_VERSION,
        summary: summarize(results),
        files: results
            .iter()
            .map(|r| {
                let index = LineIndex::new(&r.text);
                JsonFile {
                    path: r.path.clone(),
                    error: r.error.clone(),
                    findings: r
                        .findings
                        .iter()
                        .map(|f| json_finding(f, &r.text, &index, r.docx.as_deref()))
                        .collect(),
                    notices: r.notices.clone(),
                }
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}

/// One JSON object per line: a finding (with its `path`), or a file error.
pub fn write_jsonl(out: &mut dyn Write, results: &[FileResult]) -> io::Result<()> {
    results.iter().try_for_each(|r| write_jsonl_file(out, r))
}

/// The JSON lines of one file.
pub fn write_jsonl_file(out: &mut dyn Write, r: &FileResult) -> io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        path: &'a str,
        #[serde(flatten)]
        finding: JsonFinding,
    }
    #[derive(Serialize)]
    struct ErrorLine<'a> {
        path: &'a str,
        error: &'a str,
    }
    if let Some(e) = &r.error {
        serde_json::to_writer(
            &mut *out,
            &ErrorLine {
                path: &r.path,
                error: e,
            },
        )
        .map_err(io::Error::other)?;
        return writeln!(out);
    }
    if r.findings.is_empty() {
        return Ok(());
    }
    let index = LineIndex::new(&r.text);
    for f in &r.findings {
        serde_json::to_writer(
            &mut *out,
            &Line {
                path: &r.path,
                finding: json_finding(f, &r.text, &index, r.docx.as_deref()),
            },
        )
        .map_err(io::Error::other)?;
        writeln!(out)?;
    }
    Ok(())
}

/// GitHub Actions workflow commands: one annotation per finding.
pub fn write_github(out: &mut dyn Write, results: &[FileResult]) -> io::Result<()> {
    results.iter().try_for_each(|r| write_github_file(out, r))
}

/// The annotations of one file.
pub fn write_github_file(out: &mut dyn Write, r: &FileResult) -> io::Result<()> {
    fn escape_data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn escape_prop(s: &str) -> String {
        escape_data(s).replace(':', "%3A").replace(',', "%2C")
    }
    {
        if let Some(e) = &r.error {
            return writeln!(
                out,
                "::error file={},title=comity::{}",
                escape_prop(&r.path),
                escape_data(e)
            );
        }
        let index = LineIndex::new(&r.text);
        for f in &r.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (line, col) = index.line_col(&r.text, f.span.start);
            let (end_line, end_col) = index.line_col(&r.text, f.span.end);
            let law = citation_line(&f.citations);
            let clause = f
                .clause
                .as_deref()
                .map(|c| format!(" (clause {c})"))
                .unwrap_or_default();
            writeln!(
                out,
                "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                escape_prop(&r.path),
                escape_prop(&format!("comity {} {}{clause}", f.code, f.slug)),
                escape_data(&format!("{} Legal basis: {law}", f.message))
            )?;
        }
    }
    Ok(())
}

/// "PRC Anti-Foreign Sanctions Law Art. 12; …" with paraphrased articles marked.
pub fn citation_line(citations: &[Citation]) -> String {
    citations
        .iter()
        .map(|c| {
            let art = if c.article.is_empty() {
                String::new()
            } else {
                format!(" {}", c.article)
            };
            let mark = if c.verified { "" } else { " (paraphrase)" };
            format!("{}{art}{mark}", c.instrument)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

static VERBOSITY: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// `-v`: the human report adds each rule's "why" and US-side cost, and shows
/// every suggested wording in full (never cut short with "…").
pub fn set_verbosity(level: u8) {
    VERBOSITY.store(level, std::sync::atomic::Ordering::Relaxed);
}

fn verbosity() -> u8 {
    VERBOSITY.load(std::sync::atomic::Ordering::Relaxed)
}

/// Code frames for a terminal, rustc-style, with the clause, the legal basis
/// and the first suggested wording.
pub fn write_human(out: &mut dyn Write, results: &[FileResult], color: bool) -> io::Result<()> {
    for r in results {
        write_human_file(out, r, color)?;
    }
    write_human_summary(out, &summarize(results))
}

/// The findings of one file, as annotated snippets.
pub fn write_human_file(out: &mut dyn Write, r: &FileResult, color: bool) -> io::Result<()> {
    use annotate_snippets::renderer::DecorStyle;
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii)
    .term_width(120);
    {
        if let Some(e) = &r.error {
            return writeln!(out, "error: {e}\n");
        }
        let index = LineIndex::new(&r.text);
        for n in &r.notices {
            writeln!(out, "{}:{}: note: {}", r.path, n.line, n.message)?;
        }
        for f in &r.findings {
            let first_line = index.line_of(f.span.start);
            let last_line = index.line_of(f.span.end.saturating_sub(1).max(f.span.start));
            let src_start = index.line_start(first_line);
            let src_end = index.line_start(last_line + 1).min(r.text.len());
            let source = &r.text[src_start..src_end];
            let level = match f.severity {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
                Severity::Info => Level::INFO,
            };
            let mut label = match &f.clause {
                Some(c) => format!("clause {c}"),
                None => String::new(),
            };
            if let Some((p, o)) = r.docx.as_ref().and_then(|d| d.locate(f.span.start)) {
                label.push_str(&format!(
                    "{}in Word: paragraph {p}, character {}",
                    if label.is_empty() { "" } else { "; " },
                    o + 1
                ));
            }
            let law = citation_line(&f.citations);
            let mut group = level
                .primary_title(f.message.as_str())
                .id(f.code.as_str())
                .element(
                    Snippet::source(source)
                        .line_start(first_line + 1)
                        .path(r.path.as_str())
                        .annotation(
                            AnnotationKind::Primary
                                .span(f.span.start - src_start..f.span.end - src_start)
                                .label(label.as_str()),
                        ),
                );
            let law_msg = format!("legal basis: {law}");
            group = group.element(Level::NOTE.message(law_msg.as_str()));
            let reasons = if f.reasons.is_empty() {
                String::new()
            } else {
                format!("severity: {}", f.reasons.join("; "))
            };
            if !reasons.is_empty() {
                group = group.element(Level::NOTE.message(reasons.as_str()));
            }
            let related: Vec<String> = f
                .related
                .iter()
                .map(|d| {
                    let (l, _) = index.line_col(&r.text, d.span.start);
                    format!("{} (line {l})", d.message)
                })
                .collect();
            for rel in &related {
                group = group.element(Level::NOTE.message(rel.as_str()));
            }
            let verbose = verbosity() > 0;
            let rule_docs = verbose
                .then(|| comity_rules::RuleSet::builtin().rule(&f.code))
                .flatten()
                .map(|rule| {
                    let (why, cost) = match f.lang {
                        Lang::En => ("why", "US-side cost of deleting it"),
                        Lang::Zh => ("风险说明", "删除条款在美国法上的代价"),
                    };
                    [
                        format!("{why}: {}", rule.file.why.get(f.lang)),
                        format!("{cost}: {}", rule.file.us_side.get(f.lang)),
                    ]
                });
            for d in rule_docs.iter().flatten() {
                group = group.element(Level::NOTE.message(d.as_str()));
            }
            let shown = if verbose { f.suggestions.len() } else { 1 };
            let suggestions: Vec<String> = f
                .suggestions
                .iter()
                .take(shown)
                .map(|s| {
                    let how = match s.applicability {
                        Applicability::Safe => "safe fix",
                        Applicability::Unsafe => "unsafe fix",
                        Applicability::DisplayOnly => "for review",
                    };
                    let wording = if verbose {
                        s.replacement.trim().to_string()
                    } else {
                        excerpt(&s.replacement, 400)
                    };
                    let note = if verbose {
                        format!(" [{}]", s.note)
                    } else {
                        String::new()
                    };
                    format!("{} ({how}): {wording}{note}", s.title)
                })
                .collect();
            for s in &suggestions {
                group = group.element(Level::HELP.message(s.as_str()));
            }
            writeln!(out, "{}\n", renderer.render(&[group]))?;
        }
    }
    Ok(())
}

/// The closing line: how many findings in how many files.
pub fn write_human_summary(out: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let files = if s.files == 1 { "file" } else { "files" };
    if s.findings == 0 {
        writeln!(out, "No findings in {} {files}.", s.files)?;
    } else {
        writeln!(
            out,
            "Found {} finding{} ({} error, {} warning, {} info) in {} {files}.",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            s.error,
            s.warning,
            s.info,
            s.files
        )?;
    }
    if s.files_with_errors > 0 {
        writeln!(
            out,
            "{} {} could not be linted.",
            s.files_with_errors,
            if s.files_with_errors == 1 {
                "file"
            } else {
                "files"
            }
        )?;
    }
    Ok(())
}
