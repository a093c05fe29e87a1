//! The language features, each a function from the engine's results to LSP values.

use std::path::Path;

use tower_lsp_server::ls_types::*;

use super::convert::Text;
use super::{OpenDoc, State};
use comity_document::{ClauseKind, DefinitionForm, Document, TermMatcher};
use comity_engine::lint_state;
use comity_finding::{Applicability, Finding, Severity};
use comity_rules::RuleSet;
use comity_text::Lang;
use comity_text::Span;
use comity_text::lines::LineIndex;
use comity_workspace::input::{self, FileKind};

fn text<'a>(state: &State, d: &'a OpenDoc) -> Text<'a> {
    Text {
        text: d.doc.text(),
        index: &d.index,
        encoding: state.encoding,
    }
}

pub fn rule_url(code: &str, rules: &RuleSet) -> Option<Uri> {
    let rule = rules.rule(code)?;
    let url = format!(
        "https://github.com/comity-lint/comity/blob/main/clauses/{}-{}.toml",
        rule.file.code, rule.file.slug
    );
    url.parse().ok()
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// "Legal basis: PRC Anti-Foreign Sanctions Law Art. 12; …" in the finding's language.
pub fn basis_line(f: &Finding) -> String {
    if f.citations.is_empty() {
        return String::new();
    }
    let list: Vec<String> = f
        .citations
        .iter()
        .map(|c| {
            let mark = match (c.verified, f.lang) {
                (true, _) => "",
                (false, Lang::En) => " (paraphrase)",
                (false, Lang::Zh) => "（概述）",
            };
            match f.lang {
                Lang::En => format!("{} {}{mark}", c.instrument, c.article)
                    .trim_end()
                    .to_string(),
                Lang::Zh => format!("{}{}{mark}", c.instrument, c.article),
            }
        })
        .collect();
    match f.lang {
        Lang::En => format!("Legal basis: {}", list.join("; ")),
        Lang::Zh => format!("法律依据：{}", list.join("；")),
    }
}

pub fn diagnostic(state: &State, uri: &Uri, d: &OpenDoc, i: usize, f: &Finding) -> Diagnostic {
    let t = text(state, d);
    let rules = RuleSet::builtin();
    let basis = basis_line(f);
    let message = if basis.is_empty() {
        f.message.clone()
    } else {
        format!("{}\n{basis}", f.message)
    };
    let related = (state.related_information && !f.related.is_empty()).then(|| {
        f.related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location {
                    uri: uri.clone(),
                    range: t.range(r.span),
                },
                message: r.message.clone(),
            })
            .collect()
    });
    Diagnostic {
        range: t.range(f.span),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.clone())),
        code_description: rule_url(&f.code, rules).map(|href| CodeDescription { href }),
        source: Some("comity".into()),
        message,
        related_information: related,
        tags: None,
        data: Some(serde_json::json!({ "index": i, "fingerprint": f.fingerprint, "code": f.code })),
    }
}

/// What a pulled diagnostic report held, to tell whether the next pull
/// would report the same diagnostics without building them: the findings'
/// words and their ranges in the client's coordinates (byte offsets move
/// with every edit before them; lines and columns mostly do not).
pub struct Reported {
    pub id: String,
    findings: Vec<comity_finding::Finding>,
    ranges: Vec<Range>,
}

impl Reported {
    pub fn of(state: &State, d: &OpenDoc) -> Reported {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = text(state, d);
        Reported {
            id: format!("r{n}"),
            findings: d.lint.findings.clone(),
            ranges: d
                .lint
                .findings
                .iter()
                .flat_map(|f| finding_ranges(&t, f))
                .collect(),
        }
    }

    /// Whether `d`'s diagnostics are the ones reported.
    pub fn matches(&self, state: &State, d: &OpenDoc) -> bool {
        let now = &d.lint.findings;
        let same_words = self.findings.len() == now.len()
            && self.findings.iter().zip(now).all(|(a, b)| {
                a.code == b.code
                    && a.severity == b.severity
                    && a.message == b.message
                    && a.citations == b.citations
                    && a.fingerprint == b.fingerprint
                    && a.related.len() == b.related.len()
                    && a.related
                        .iter()
                        .zip(&b.related)
                        .all(|(x, y)| x.message == y.message)
            });
        if !same_words {
            return false;
        }
        let t = text(state, d);
        now.iter()
            .flat_map(|f| finding_ranges(&t, f))
            .eq(self.ranges.iter().copied())
    }
}

/// The ranges a finding's diagnostic shows: its own, then its related definitions'.
fn finding_ranges<'a>(
    t: &'a Text<'a>,
    f: &'a comity_finding::Finding,
) -> impl Iterator<Item = Range> + 'a {
    std::iter::once(t.range(f.span)).chain(f.related.iter().map(|r| t.range(r.span)))
}

pub fn diagnostics(state: &State, uri: &Uri, d: &OpenDoc) -> Vec<Diagnostic> {
    d.lint
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| diagnostic(state, uri, d, i, f))
        .collect()
}

/// A file from disk, linted, for pull and workspace diagnostics of files
/// that are not open.
pub fn closed_doc(state: &mut State, path: &Path) -> Option<OpenDoc> {
    let text = match FileKind::of(path)? {
        FileKind::Docx => input::docx::read_docx(path).ok()?.text,
        _ => input::read_text_file(path).ok()?.text,
    };
    let ctx = state.context_for(Some(path));
    let doc = Document::parse(text);
    let lint = lint_state(&doc, &ctx.rules, &ctx.settings);
    let index = LineIndex::new(doc.text());
    Some(OpenDoc {
        version: 0,
        doc,
        index,
        lint,
        path: Some(path.to_path_buf()),
        reported: None,
        published: None,
    })
}

pub fn workspace_diagnostics(state: &mut State) -> Vec<WorkspaceDocumentDiagnosticReport> {
    let mut items = Vec::new();
    let roots = state.roots.clone();
    for root in roots {
        // The drafts `comity check` would lint in the folder (its
        // `[lint] exclude` honoured), less .docx, which the editor does not open.
        let (mut files, _) = state.resolver.discover(&root, None);
        files.retain(|p| FileKind::of(p).is_some_and(|k| k != FileKind::Docx));
        for path in files {
            let Some(uri) = Uri::from_file_path(&path) else {
                continue;
            };
            let (diags, version) = if let Some(d) = state.docs.get(&uri) {
                (diagnostics(state, &uri, d), Some(d.version as i64))
            } else {
                let Some(od) = closed_doc(state, &path) else {
                    continue;
                };
                (diagnostics(state, &uri, &od), None)
            };
            items.push(WorkspaceDocumentDiagnosticReport::Full(
                WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: None,
                        items: diags,
                    },
                },
            ));
        }
    }
    items
}

fn in_range(span: Span, range: Span) -> bool {
    span.start <= range.end && range.start <= span.end
}

pub fn code_actions(
    state: &State,
    uri: &Uri,
    d: &OpenDoc,
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let t = text(state, d);
    let (wanted, _) = t.span(range);
    let mut out = Vec::new();
    for (i, f) in d.lint.findings.iter().enumerate() {
        if !in_range(f.span, wanted) && !in_range(f.sentence, wanted) {
            continue;
        }
        let diag = diagnostic(state, uri, d, i, f);
        let preferred = f
            .suggestions
            .iter()
            .position(|s| s.applicability != Applicability::DisplayOnly);
        for (k, s) in f.suggestions.iter().enumerate() {
            let note = match s.applicability {
                Applicability::Safe => "",
                _ => match f.lang {
                    Lang::En => " (review before use)",
                    Lang::Zh => "（使用前请审阅）",
                },
            };
            let edit = TextEdit {
                range: t.range(s.span),
                new_text: s.replacement.clone(),
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("{}: {}{note}", f.code, s.title),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some([(uri.clone(), vec![edit])].into_iter().collect()),
                    ..Default::default()
                }),
                is_preferred: Some(Some(k) == preferred),
                ..Default::default()
            }));
        }
        if f.code.starts_with('S') {
            continue;
        }
        // "Allow with reason": a suppression comment above the clause.
        let line = t.position(f.sentence.start).line;
        let line_start = d.index.line_start(line as usize);
        let clause_start = d
            .doc
            .clause_at(f.sentence.start)
            .map(|c| d.doc.clauses()[c].span.start)
            .filter(|&s| s <= f.sentence.start)
            .unwrap_or(line_start);
        let at = d.index.line_start(d.index.line_of(clause_start));
        let comment = format!("<!-- comity: allow {} reason=\"\" -->\n", f.code);
        let pos = t.position(at);
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: match f.lang {
                Lang::En => format!(
                    "{}: Allow this clause with a reason (adds a suppression comment)",
                    f.code
                ),
                Lang::Zh => format!("{}：注明理由后豁免本条（插入豁免注释）", f.code),
            },
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag]),
            edit: Some(WorkspaceEdit {
                changes: Some(
                    [(
                        uri.clone(),
                        vec![TextEdit {
                            range: Range {
                                start: pos,
                                end: pos,
                            },
                            new_text: comment,
                        }],
                    )]
                    .into_iter()
                    .collect(),
                ),
                ..Default::default()
            }),
            is_preferred: Some(false),
            ..Default::default()
        }));
    }
    out
}

fn markdown(value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

pub fn hover(state: &State, d: &OpenDoc, pos: Position) -> Option<Hover> {
    let t = text(state, d);
    let (offset, _) = t.offset(pos);
    let rules = RuleSet::builtin();
    if let Some(f) = d
        .lint
        .findings
        .iter()
        .find(|f| f.span.start <= offset && offset <= f.span.end)
    {
        let lang = f.lang;
        let l = |en: &'static str, zh: &'static str| if lang == Lang::En { en } else { zh };
        let mut s = String::new();
        let title = rules
            .rule(&f.code)
            .map(|r| r.file.title.get(lang).to_string())
            .unwrap_or_default();
        s.push_str(&format!(
            "**{} {}** — {}\n\n{}\n\n",
            f.code,
            title,
            f.severity.as_str(),
            f.message
        ));
        s.push_str(&format!(
            "*{}*: “{}”\n\n",
            l("Found", "所涉文字"),
            comity_workspace::outline::excerpt(f.span.text(d.doc.text()), 200)
        ));
        if let Some(rule) = rules.rule(&f.code) {
            s.push_str(&format!(
                "### {}\n{}\n\n",
                l("Why it is risky", "风险说明"),
                rule.file.why.get(lang)
            ));
        }
        if !f.citations.is_empty() {
            s.push_str(&format!("### {}\n", l("Legal basis", "法律依据")));
            for c in f.citations.iter() {
                let mark = if c.verified {
                    ""
                } else {
                    l(" (paraphrase; wording not checked)", "（概述，措辞未核对）")
                };
                s.push_str(&format!(
                    "- [{} {}]({}){mark}\n",
                    c.instrument, c.article, c.url
                ));
            }
            s.push('\n');
        }
        if !f.reasons.is_empty() {
            s.push_str(&format!(
                "### {}\n{}\n\n",
                l("Severity", "严重程度"),
                f.reasons.join("; ")
            ));
        }
        if let Some(rule) = rules.rule(&f.code) {
            s.push_str(&format!(
                "### {}\n{}\n\n",
                l("US-side cost of deleting it", "删除条款在美国法上的代价"),
                rule.file.us_side.get(lang)
            ));
        }
        if !f.suggestions.is_empty() {
            s.push_str(&format!("### {}\n", l("Alternatives", "替代表述")));
            for (i, sug) in f.suggestions.iter().enumerate() {
                s.push_str(&format!(
                    "{}. **{}** — {}\n\n   > {}\n\n",
                    i + 1,
                    sug.title,
                    sug.note,
                    sug.replacement.trim()
                ));
            }
        }
        s.push_str(l(
            "_Comity's findings are a drafting aid, not legal advice._",
            "_Comity 的检查结果仅为起草辅助，不构成法律意见。_",
        ));
        return Some(markdown(s));
    }
    // A defined term, where it is defined or used.
    let terms = d.doc.terms();
    let hit = terms
        .iter()
        .position(|t| t.term_span.start <= offset && offset <= t.term_span.end)
        .or_else(|| term_use_at(d, offset))?;
    let term = &terms[hit];
    let def_text = comity_workspace::outline::excerpt(term.definition_span.text(d.doc.text()), 600);
    let label = d
        .doc
        .clause_label_at(term.term_span.start)
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let lang = comity_text::lang_of(&term.term);
    let analysis = comity_engine::Analysis::new(&d.doc, rules, &comity_engine::Settings::default());
    let carries = match (analysis.taint.get(hit).and_then(|t| t.as_ref()), lang) {
        (Some(t), Lang::En) => format!(
            "Carries a US measure: **yes** ({}). Clauses that use it are checked as if they named it.",
            t.regime
        ),
        (Some(t), Lang::Zh) => format!(
            "含美国措施：**是**（{}）。使用该术语的条款按直接引用该措施检查。",
            t.regime
        ),
        (None, Lang::En) => "Carries a US measure: no.".to_string(),
        (None, Lang::Zh) => "含美国措施：否。".to_string(),
    };
    let heading = match lang {
        Lang::En => format!("**“{}”** — defined{label}", term.term),
        Lang::Zh => format!("**“{}”** — 定义于{label}", term.term),
    };
    let form = match term.form {
        DefinitionForm::Inline => "",
        _ => "",
    };
    Some(markdown(format!(
        "{heading}{form}\n\n> {def_text}\n\n{carries}"
    )))
}

pub fn symbols(state: &State, d: &OpenDoc) -> Vec<DocumentSymbol> {
    let t = text(state, d);
    let clauses = d.doc.clauses();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); clauses.len()];
    let mut roots = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        match c.parent {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    #[allow(deprecated)]
    fn build(i: usize, d: &OpenDoc, t: &Text, children: &[Vec<usize>]) -> DocumentSymbol {
        let c = &d.doc.clauses()[i];
        let text = d.doc.text();
        let number = c.label_or_number(text).unwrap_or_default().to_string();
        let heading = c.heading(text).unwrap_or_default().to_string();
        let name = match (number.is_empty(), heading.is_empty()) {
            (false, false) => format!("{number} {heading}"),
            (false, true) => number,
            (true, false) => heading,
            (true, true) => comity_workspace::outline::excerpt(c.own_span.text(d.doc.text()), 40),
        };
        let kind = match c.kind {
            ClauseKind::Part => SymbolKind::NAMESPACE,
            ClauseKind::Section => SymbolKind::MODULE,
            ClauseKind::Clause => SymbolKind::FIELD,
        };
        let range = t.range(c.span);
        let sel = c
            .number_span
            .or(c.heading_span)
            .map(|s| t.range(s))
            .unwrap_or(range);
        DocumentSymbol {
            name: if name.trim().is_empty() {
                "(clause)".into()
            } else {
                name
            },
            detail: c.heading(text).map(str::to_string),
            kind,
            tags: None,
            deprecated: None,
            range,
            selection_range: sel,
            children: Some(
                children[i]
                    .iter()
                    .map(|&k| build(k, d, t, children))
                    .collect(),
            ),
        }
    }
    roots
        .into_iter()
        .map(|r| build(r, d, &t, &children))
        .collect()
}

pub fn folding(state: &State, d: &OpenDoc) -> Vec<FoldingRange> {
    let t = text(state, d);
    d.doc
        .clauses()
        .iter()
        .filter_map(|c| {
            let r = t.range(c.span);
            (r.end.line > r.start.line).then(|| FoldingRange {
                start_line: r.start.line,
                end_line: r.end.line,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: c.heading(d.doc.text()).map(str::to_string),
                ..Default::default()
            })
        })
        .collect()
}

pub const TOKEN_TYPES: &[&str] = &["namespace", "number", "variable", "macro"];
pub const TOKEN_MODIFIERS: &[&str] = &["declaration"];

pub fn semantic_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES
            .iter()
            .map(|t| SemanticTokenType::new(t))
            .collect(),
        token_modifiers: TOKEN_MODIFIERS
            .iter()
            .map(|m| SemanticTokenModifier::new(m))
            .collect(),
    }
}

/// Headings (namespace), clause numbers (number), defined terms where
/// defined (variable + declaration) and used (variable), cross-references (macro).
pub fn semantic_tokens(state: &State, d: &OpenDoc) -> Vec<SemanticToken> {
    let t = text(state, d);
    let doc = &d.doc;
    let mut raw: Vec<(Span, u32, u32)> = Vec::new();
    for c in doc.clauses() {
        if let Some(s) = c.number_span {
            raw.push((s, 1, 0));
        }
        if let Some(s) = c.heading_span {
            raw.push((s, 0, 0));
        }
    }
    for b in doc.blocks() {
        for x in &b.cross_references {
            raw.push((*x, 3, 0));
        }
    }
    let terms = doc.terms();
    for term in terms {
        raw.push((term.term_span, 2, 1));
    }
    if !terms.is_empty() {
        let matcher = TermMatcher::new(terms.iter().enumerate().map(|(i, t)| (i, t.term.as_str())));
        for (_, s) in matcher.find(doc.text(), Span::new(0, doc.text().len())) {
            if !terms.iter().any(|t| t.term_span.overlaps(&s)) {
                raw.push((s, 2, 0));
            }
        }
    }
    raw.sort_by_key(|(s, _, _)| (s.start, s.end));
    let mut out = Vec::with_capacity(raw.len());
    let (mut prev_line, mut prev_char) = (0u32, 0u32);
    let mut last_end = 0usize;
    for (span, ty, modifiers) in raw {
        if span.is_empty() || span.start < last_end {
            continue;
        }
        let start = t.position(span.start);
        let end = t.position(span.end);
        if end.line != start.line {
            continue;
        }
        let delta_line = start.line - prev_line;
        let delta_start = if delta_line == 0 {
            start.character - prev_char
        } else {
            start.character
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: ty,
            token_modifiers_bitset: modifiers,
        });
        prev_line = start.line;
        prev_char = start.character;
        last_end = span.end;
    }
    out
}

/// The defined term used at `offset`, if any.
fn term_use_at(d: &OpenDoc, offset: usize) -> Option<usize> {
    let terms = d.doc.terms();
    let matcher = TermMatcher::new(terms.iter().enumerate().map(|(i, t)| (i, t.term.as_str())));
    let line = d.index.line_of(offset);
    let line_span = Span::new(
        d.index.line_start(line),
        d.index.line_start(line + 1).min(d.doc.text().len()),
    );
    matcher
        .find(d.doc.text(), line_span)
        .into_iter()
        .find(|(_, s)| s.start <= offset && offset <= s.end)
        .map(|(id, _)| id)
}

pub fn definition(state: &State, uri: &Uri, d: &OpenDoc, pos: Position) -> Option<Location> {
    let t = text(state, d);
    let (offset, _) = t.offset(pos);
    let terms = d.doc.terms();
    let id = term_use_at(d, offset)?;
    Some(Location {
        uri: uri.clone(),
        range: t.range(terms[id].term_span),
    })
}
