//! A self-contained, print-friendly HTML pre-signing review report
//! (`comity check --format html`): a summary by severity, then, per file,
//! the findings grouped by the clause they fall in, with the clause text,
//! the operative words highlighted, the legal basis, the risk on both sides
//! and alternative wordings.
//!
//! The page loads nothing: all CSS is inline, there is no JavaScript, and
//! the only URLs are links to the official texts cited. The output is
//! deterministic (the Comity version stands in for a date).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::report::{FileResult, summarize};
use comity_document::{ClauseId, Document};
use comity_finding::{Applicability, Citation, Finding, Severity};
use comity_rules::RuleSet;
use comity_text::Lang;
use comity_text::Span;
use comity_text::lines::LineIndex;
use comity_workspace::outline::excerpt;

/// A clause's own text longer than this (in characters) is shown as the
/// sentences the findings were made on, with the rest elided.
const FULL_CLAUSE_CHARS: usize = 900;
/// Longest definition text shown under "Related definition".
const DEFINITION_CHARS: usize = 900;
/// Longest excerpt of the operative words repeated with each finding.
const OPERATIVE_CHARS: usize = 240;

/// Writes the report for `results`; `rules` supplies rule titles, the
/// "why" and the US-side cost.
pub fn write_html(out: &mut dyn Write, results: &[FileResult], rules: &RuleSet) -> io::Result<()> {
    let mut h = String::with_capacity(64 * 1024);
    render(&mut h, results, rules).map_err(io::Error::other)?;
    out.write_all(h.as_bytes())
}

/// HTML-escapes text for element content and quoted attribute values.
/// C0 control characters other than tab and line breaks are dropped, so that
/// any input yields well-formed HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    push_escaped(&mut out, s);
    out
}

fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// The text of `span`, or "" when the span does not fit the text.
fn slice(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap_or("")
}

fn sev_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

fn lang_attr(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The page's style sheet, kept as CSS beside this file (`report.css`).
const STYLE: &str = include_str!("report.css");

fn render(h: &mut String, results: &[FileResult], rules: &RuleSet) -> std::fmt::Result {
    let version = env!("CARGO_PKG_VERSION");
    let summary = summarize(results);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    writeln!(
        h,
        "<meta name=\"generator\" content=\"Comity {version}\">\n<title>Comity pre-signing review</title>"
    )?;
    writeln!(
        h,
        "<style>\n{STYLE}</style>\n</head>\n<body>\n<div class=\"page\">"
    )?;

    // Masthead: title, version, scope and disclaimer.
    h.push_str("<header class=\"masthead\">\n");
    writeln!(
        h,
        "<p class=\"eyebrow\">Comity {} · {} · rule library of {}</p>",
        escape(version),
        plural(summary.files, "file", "files"),
        plural(rules.rules.len(), "rule", "rules")
    )?;
    h.push_str("<h1>Comity pre-signing review</h1>\n");
    h.push_str(
        "<p class=\"scope\"><strong>Scope.</strong> This review covers the drafts listed below. \
         It flags clauses that make a party comply with, implement or assist in implementing \
         US export controls or US sanctions, which can expose a party in China to measures under \
         the PRC Anti-Foreign Sanctions Law and its implementing provisions. For each clause it \
         shows the operative words, the legal basis, why the wording is risky, what deleting it \
         costs on the US side, and alternative wordings. It does not review the rest of the \
         contract.</p>\n",
    );
    h.push_str(
        "<p class=\"disclaimer\"><strong>Findings are a drafting aid, not legal advice.</strong> \
         Severity is a heuristic; check the facts of the matter and the current state of the law \
         before relying on a finding. Articles marked “paraphrase” were not checked against an \
         official text.</p>\n",
    );
    h.push_str("</header>\n");

    render_summary(h, results, &summary)?;

    let mut n = 0;
    for (i, r) in results.iter().enumerate() {
        if r.error.is_some() {
            continue;
        }
        n += 1;
        render_file(h, i, n, r, rules)?;
    }

    writeln!(
        h,
        "<footer>Generated by Comity {}. Findings are a drafting aid, not legal advice.</footer>",
        escape(version)
    )?;
    h.push_str("</div>\n</body>\n</html>\n");
    Ok(())
}

fn count_cell(h: &mut String, n: usize, class: &str) -> std::fmt::Result {
    if n == 0 {
        write!(h, "<td class=\"num zero\">0</td>")
    } else {
        write!(h, "<td class=\"num n-{class}\">{n}</td>")
    }
}

fn render_summary(
    h: &mut String,
    results: &[FileResult],
    s: &super::report::Summary,
) -> std::fmt::Result {
    h.push_str("<section class=\"summary\">\n<h2>Summary</h2>\n");
    let read = results.iter().filter(|r| r.error.is_none()).count();
    if s.findings == 0 {
        writeln!(
            h,
            "<p>No findings in {} reviewed.</p>",
            plural(read, "file", "files")
        )?;
    } else {
        writeln!(
            h,
            "<p>{} in {} reviewed: <strong>{} error</strong>, {} warning, {} info.</p>",
            plural(s.findings, "finding", "findings"),
            plural(read, "file", "files"),
            s.error,
            s.warning,
            s.info
        )?;
    }
    h.push_str(
        "<table class=\"summary-table\">\n<thead><tr><th>File</th><th class=\"num\">Error</th>\
         <th class=\"num\">Warning</th><th class=\"num\">Info</th><th class=\"num\">Total</th></tr></thead>\n<tbody>\n",
    );
    for (i, r) in results.iter().enumerate() {
        if r.error.is_some() {
            continue;
        }
        let count = |sev| r.findings.iter().filter(|f| f.severity == sev).count();
        write!(
            h,
            "<tr><td class=\"path\"><a href=\"#file-{}\">{}</a></td>",
            i + 1,
            escape(&r.path)
        )?;
        count_cell(h, count(Severity::Error), "error")?;
        count_cell(h, count(Severity::Warning), "warning")?;
        count_cell(h, count(Severity::Info), "info")?;
        writeln!(h, "<td class=\"num\">{}</td></tr>", r.findings.len())?;
    }
    h.push_str("</tbody>\n<tfoot><tr><td>Total</td>");
    count_cell(h, s.error, "error")?;
    count_cell(h, s.warning, "warning")?;
    count_cell(h, s.info, "info")?;
    writeln!(
        h,
        "<td class=\"num\">{}</td></tr></tfoot>\n</table>",
        s.findings
    )?;
    let unread: Vec<&FileResult> = results.iter().filter(|r| r.error.is_some()).collect();
    if !unread.is_empty() {
        writeln!(
            h,
            "<div class=\"unread\"><h3>Files that could not be read ({})</h3><ul>",
            unread.len()
        )?;
        for r in unread {
            writeln!(
                h,
                "<li><span class=\"path\">{}</span>: {}</li>",
                escape(&r.path),
                escape(r.error.as_deref().unwrap_or_default())
            )?;
        }
        h.push_str("</ul><p class=\"small muted\">These files were not reviewed; no finding above covers them.</p></div>\n");
    }
    h.push_str(
        "<div class=\"legend\"><span><span class=\"badge error\">Error</span> highest exposure: resolve before signing</span>\
         <span><span class=\"badge warning\">Warning</span> review and decide</span>\
         <span><span class=\"badge info\">Info</span> for awareness</span></div>\n",
    );
    h.push_str("</section>\n");
    Ok(())
}

/// Findings that fall in one clause.
struct Group<'a> {
    clause: Option<ClauseId>,
    findings: Vec<&'a Finding>,
}

fn render_file(
    h: &mut String,
    index: usize,
    number: usize,
    r: &FileResult,
    rules: &RuleSet,
) -> std::fmt::Result {
    let text: &str = &r.text;
    let doc = Document::parse(text);
    let lines = LineIndex::new(text);

    writeln!(h, "<section class=\"file\" id=\"file-{}\">", index + 1)?;
    writeln!(
        h,
        "<div class=\"file-head\"><span class=\"file-no\">{number}.</span><h2 class=\"file-path\">{}</h2></div>",
        escape(&r.path)
    )?;

    // Group the findings by the innermost clause of their sentence, in
    // document order.
    let mut sorted: Vec<&Finding> = r.findings.iter().collect();
    sorted.sort_by_key(|f| (f.sentence.start.min(f.span.start), f.span.start));
    let mut groups: Vec<Group> = Vec::new();
    for f in sorted {
        let at = f.sentence.start.min(f.span.start).min(text.len());
        let clause = doc.clause_at(at);
        match groups.iter_mut().find(|g| g.clause == clause) {
            Some(g) => g.findings.push(f),
            None => groups.push(Group {
                clause,
                findings: vec![f],
            }),
        }
    }
    let count = |sev| r.findings.iter().filter(|f| f.severity == sev).count();
    let langs: Vec<&str> = doc
        .languages()
        .iter()
        .map(|l| match l {
            Lang::En => "English",
            Lang::Zh => "Chinese",
        })
        .collect();
    write!(
        h,
        "<p class=\"file-meta\">{} in {}",
        plural(r.findings.len(), "finding", "findings"),
        plural(groups.len(), "clause", "clauses")
    )?;
    if !r.findings.is_empty() {
        write!(
            h,
            " ({} error, {} warning, {} info)",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        )?;
    }
    if !langs.is_empty() {
        write!(h, " · {}", escape(&langs.join(" and ")))?;
    }
    if let Some(law) = doc.governing_law() {
        write!(h, " · governing law: {}", escape(&law.name))?;
    }
    h.push_str("</p>\n");

    if !r.notices.is_empty() {
        h.push_str("<ul class=\"notices\">");
        for n in &r.notices {
            write!(h, "<li>Line {}: {}</li>", n.line, escape(&n.message))?;
        }
        h.push_str("</ul>\n");
    }
    if r.findings.is_empty() {
        h.push_str("<p class=\"none\">No findings in this file.</p>\n");
    }
    for g in &groups {
        render_group(h, &doc, &lines, r, g, rules)?;
    }
    h.push_str("</section>\n");
    Ok(())
}

/// `label heading`, `label` or `heading` of a clause.
fn clause_name(doc: &Document, id: ClauseId) -> String {
    let c = &doc.clauses()[id];
    let text = doc.text();
    match (c.label_or_number(text), c.heading(text)) {
        (Some(l), Some(hd)) => format!("{l} {hd}"),
        (Some(l), None) => l.to_string(),
        (None, Some(hd)) => hd.to_string(),
        (None, None) => String::new(),
    }
}

fn render_group(
    h: &mut String,
    doc: &Document,
    lines: &LineIndex,
    r: &FileResult,
    g: &Group,
    rules: &RuleSet,
) -> std::fmt::Result {
    let text: &str = &r.text;
    let first = g.findings[0];
    let group_lang = first.lang;
    h.push_str("<article class=\"clause\">\n<header class=\"clause-head\">");

    // Breadcrumbs: the enclosing clauses, outermost first.
    if let Some(id) = g.clause {
        let crumbs: Vec<String> = doc
            .clause_path(id)
            .into_iter()
            .skip(1)
            .rev()
            .map(|c| clause_name(doc, c))
            .filter(|s| !s.is_empty())
            .collect();
        if !crumbs.is_empty() {
            write!(
                h,
                "<div class=\"crumbs\">{}</div>",
                escape(&crumbs.join(" › "))
            )?;
        }
    }
    h.push_str("<div class=\"clause-title\">");
    let (label, heading) = match g.clause {
        Some(id) => {
            let c = &doc.clauses()[id];
            (c.label_or_number(doc.text()), c.heading(doc.text()))
        }
        None => (None, None),
    };
    match (&label, &heading, g.clause) {
        (None, None, Some(_)) => {
            h.push_str("<span class=\"clause-heading\">Unnumbered text</span>")
        }
        (None, None, None) => {
            h.push_str("<span class=\"clause-heading\">Outside any clause</span>")
        }
        _ => {
            if let Some(l) = &label {
                write!(h, "<span class=\"clause-label\">{}</span>", escape(l))?;
            }
            if let Some(hd) = &heading {
                write!(h, "<span class=\"clause-heading\">{}</span>", escape(hd))?;
            }
        }
    }
    let (line, _) = lines.line_col(text, first.span.start.min(text.len()));
    write!(h, "<span class=\"clause-loc\">line {line}")?;
    if let Some((p, _)) = r.docx.as_ref().and_then(|d| d.locate(first.span.start)) {
        write!(h, " · Word paragraph {p}")?;
    }
    h.push_str("</span></div></header>\n<div class=\"clause-body\">\n");

    render_clause_text(h, doc, text, g, group_lang)?;

    let mut seen = Seen {
        several: g.findings.len() > 1,
        ..Seen::default()
    };
    for f in &g.findings {
        render_finding(h, text, f, rules, &mut seen)?;
    }
    h.push_str("</div>\n</article>\n");
    Ok(())
}

/// Clamps a span to the text.
fn clamp(span: Span, len: usize) -> Span {
    let start = span.start.min(len);
    Span::new(start, span.end.clamp(start, len))
}

/// The clause text shown for a group: the clause's own text without its
/// number and heading, or, when that is long, the sentences of the
/// findings; with the operative words of each finding in `<mark>`.
fn render_clause_text(
    h: &mut String,
    doc: &Document,
    text: &str,
    g: &Group,
    lang: Lang,
) -> std::fmt::Result {
    let len = text.len();
    let first_span = g
        .findings
        .iter()
        .map(|f| f.span.start)
        .min()
        .unwrap_or(0)
        .min(len);
    let window = match g.clause {
        Some(id) => {
            let c = &doc.clauses()[id];
            let own = clamp(c.own_span, len);
            // Skip the number and heading: they are shown above.
            let mut start = own.start;
            for s in [c.number_span, c.heading_span].into_iter().flatten() {
                if own.covers(&s) && s.end > start {
                    start = s.end;
                }
            }
            let start = start.min(first_span);
            let body = slice(text, Span::new(start, own.end));
            let trimmed = body.trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '#' | '.' | ':' | '：' | '　' | '—' | '-')
            });
            let start = (start + (body.len() - trimmed.len())).min(first_span);
            Some(Span::new(start, own.end.max(start)))
        }
        None => None,
    };

    let mut segments: Vec<Span> = Vec::new();
    let short = window.is_some_and(|w| slice(text, w).chars().count() <= FULL_CLAUSE_CHARS);
    if let (true, Some(w)) = (short, window) {
        segments.push(w);
    }
    for f in &g.findings {
        let span = clamp(f.span, len);
        if segments.iter().any(|s| s.covers(&span)) {
            continue;
        }
        segments.push(clamp(f.sentence, len).union(&span));
    }
    segments.sort();
    let mut merged: Vec<Span> = Vec::new();
    for s in segments {
        match merged.last_mut() {
            Some(last)
                if s.start <= last.end
                    || slice(text, Span::new(last.end, s.start)).trim().is_empty() =>
            {
                *last = last.union(&s);
            }
            _ => merged.push(s),
        }
    }

    // Highlights: the operative words, merged where they overlap.
    let mut marks: Vec<(Span, Severity, Vec<&str>)> = Vec::new();
    let mut spans: Vec<&Finding> = g.findings.clone();
    spans.sort_by_key(|f| (f.span.start, f.span.end));
    for f in spans {
        let span = clamp(f.span, len);
        if span.is_empty() {
            continue;
        }
        match marks.last_mut() {
            Some((last, sev, codes)) if span.start < last.end => {
                *last = last.union(&span);
                *sev = (*sev).max(f.severity);
                if !codes.contains(&f.code.as_str()) {
                    codes.push(&f.code);
                }
            }
            _ => marks.push((span, f.severity, vec![&f.code])),
        }
    }

    write!(
        h,
        "<blockquote class=\"clause-text\" lang=\"{}\">",
        lang_attr(lang)
    )?;
    let w = window.unwrap_or_else(|| merged.first().copied().unwrap_or_default());
    let window_end = window.map(|w| w.end).unwrap_or(0);
    for (i, seg) in merged.iter().enumerate() {
        // Trim the segment's surrounding whitespace, never cutting a mark.
        let raw = slice(text, *seg);
        let lead = raw.len() - raw.trim_start().len();
        let trail = raw.len() - raw.trim_end().len();
        let mut s = Span::new(seg.start + lead, seg.end - trail.min(seg.len() - lead));
        for (m, _, _) in &marks {
            if m.overlaps(seg) {
                s = Span::new(
                    s.start.min(m.start.max(seg.start)),
                    s.end.max(m.end.min(seg.end)),
                );
            }
        }
        if i > 0 {
            h.push_str("<span class=\"elided\"> […] </span>");
        } else if s.start > w.start && !slice(text, Span::new(w.start, s.start)).trim().is_empty() {
            h.push_str("<span class=\"elided\">[…] </span>");
        }
        let mut pos = s.start;
        for (m, sev, codes) in &marks {
            let m = Span::new(m.start.max(s.start), m.end.min(s.end));
            if m.start >= m.end || m.start < pos {
                continue;
            }
            push_escaped(h, slice(text, Span::new(pos, m.start)));
            write!(
                h,
                "<mark class=\"{}\" title=\"{}\">",
                sev.as_str(),
                escape(&codes.join(", "))
            )?;
            push_escaped(h, slice(text, m));
            write!(
                h,
                "</mark><sup class=\"ref\">{}</sup>",
                escape(&codes.join(" "))
            )?;
            pos = m.end;
        }
        push_escaped(h, slice(text, Span::new(pos, s.end)));
        if i + 1 == merged.len()
            && s.end < window_end
            && !slice(text, Span::new(s.end, window_end)).trim().is_empty()
        {
            h.push_str("<span class=\"elided\"> […]</span>");
        }
    }
    h.push_str("</blockquote>\n");
    Ok(())
}

fn render_citation(h: &mut String, c: &Citation, lang: Lang) -> std::fmt::Result {
    h.push_str("<li>");
    let name = if c.article.is_empty() {
        c.instrument.clone()
    } else if lang == Lang::Zh {
        format!("{}{}", c.instrument, c.article)
    } else {
        format!("{} {}", c.instrument, c.article)
    };
    let linkable = c.url.starts_with("https://") || c.url.starts_with("http://");
    if linkable {
        write!(
            h,
            "<a class=\"ext\" href=\"{}\" lang=\"{}\">{}</a>",
            escape(&c.url),
            lang_attr(lang),
            escape(&name)
        )?;
    } else {
        write!(
            h,
            "<span lang=\"{}\">{}</span>",
            lang_attr(lang),
            escape(&name)
        )?;
    }
    if !c.verified {
        h.push_str("<span class=\"tag caution\">paraphrase</span>");
    }
    let meta: Vec<&str> = [c.jurisdiction.as_str(), c.date.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !meta.is_empty() {
        write!(
            h,
            " <span class=\"cite-meta\">{}</span>",
            escape(&meta.join(", "))
        )?;
    }
    if !linkable && !c.url.is_empty() {
        write!(h, " <span class=\"cite-meta\">{}</span>", escape(&c.url))?;
    }
    h.push_str("</li>");
    Ok(())
}

/// An alternative wording as shown: title, replacement, remaining risk.
type Wording = (String, String, String);

/// What earlier findings of a clause already explained, so that a clause
/// with several findings of one rule does not repeat the rule's text.
#[derive(Default)]
struct Seen {
    /// Whether the clause has several findings (each then quotes its words).
    several: bool,
    rules: Vec<(String, Lang)>,
    /// Alternative wordings shown, as (title, replacement, note) lists.
    alternatives: Vec<(String, Vec<Wording>)>,
}

fn render_finding(
    h: &mut String,
    text: &str,
    f: &Finding,
    rules: &RuleSet,
    seen: &mut Seen,
) -> std::fmt::Result {
    let rule = rules.rule(&f.code);
    let lang = lang_attr(f.lang);
    let sev = f.severity.as_str();
    writeln!(h, "<section class=\"finding {sev}\">")?;
    write!(
        h,
        "<div class=\"finding-head\"><span class=\"badge {sev}\">{}</span><span class=\"code\">{}</span>",
        sev_label(f.severity),
        escape(&f.code)
    )?;
    match rule {
        Some(rule) => {
            write!(
                h,
                "<span class=\"rule-title\">{}</span>",
                escape(&rule.file.title.en)
            )?;
            if f.lang == Lang::Zh && !rule.file.title.zh.is_empty() {
                write!(
                    h,
                    "<span class=\"rule-title-alt\" lang=\"zh-CN\">{}</span>",
                    escape(&rule.file.title.zh)
                )?;
            }
        }
        None => write!(h, "<span class=\"rule-title\">{}</span>", escape(&f.slug))?,
    }
    h.push_str("</div>\n");
    let words = slice(text, f.span);
    if seen.several && !words.trim().is_empty() {
        writeln!(
            h,
            "<p class=\"operative\"><span class=\"operative-label\">Operative words</span> <q lang=\"{lang}\">{}</q></p>",
            escape(&excerpt(words, OPERATIVE_CHARS))
        )?;
    }
    writeln!(
        h,
        "<p class=\"message\" lang=\"{lang}\">{}</p>",
        escape(&f.message)
    )?;

    // Two rows of two columns: why the severity | the law; the risk under
    // PRC law | the cost on the US side.
    h.push_str("<div class=\"cols\">\n<div>");
    h.push_str("<h4>Why this severity</h4>");
    if f.reasons.is_empty() {
        h.push_str("<p class=\"none\">The rule's default severity.</p>");
    } else {
        write!(h, "<ul class=\"plain\" lang=\"{lang}\">")?;
        for reason in &f.reasons {
            write!(h, "<li>{}</li>", escape(reason))?;
        }
        h.push_str("</ul>");
    }
    h.push_str("</div>\n<div><h4>Legal basis</h4>");
    if f.citations.is_empty() {
        h.push_str("<p class=\"none\">None cited.</p>");
    } else {
        h.push_str("<ul class=\"plain\">");
        for c in f.citations.iter() {
            render_citation(h, c, f.lang)?;
        }
        h.push_str("</ul>");
    }
    h.push_str("</div>\n");
    let key = (f.code.clone(), f.lang);
    let explained = seen.rules.contains(&key);
    if !explained {
        seen.rules.push(key);
    }
    if let (Some(rule), false) = (rule, explained) {
        let why = rule.file.why.get(f.lang).trim();
        let us = rule.file.us_side.get(f.lang).trim();
        h.push_str("<div>");
        if !why.is_empty() {
            write!(
                h,
                "<h4>Why it is risky</h4><p lang=\"{lang}\">{}</p>",
                escape(why)
            )?;
        }
        h.push_str("</div>\n<div>");
        if !us.is_empty() {
            write!(
                h,
                "<h4>US-side cost of deleting it</h4><p lang=\"{lang}\">{}</p>",
                escape(us)
            )?;
        }
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n");
    for d in &f.related {
        write!(
            h,
            "<div class=\"related\"><h4>Related definition</h4><p lang=\"{lang}\">{}</p>",
            escape(&d.message)
        )?;
        let def = slice(text, d.span);
        if !def.trim().is_empty() {
            write!(
                h,
                "<blockquote class=\"definition\" lang=\"{lang}\">{}</blockquote>",
                escape(&excerpt(def, DEFINITION_CHARS))
            )?;
        }
        h.push_str("</div>\n");
    }

    let alternatives: Vec<Wording> = f
        .suggestions
        .iter()
        .map(|s| (s.title.clone(), s.replacement.clone(), s.note.clone()))
        .collect();
    let repeated = seen
        .alternatives
        .iter()
        .find(|(_, a)| *a == alternatives)
        .map(|(code, _)| code.clone());
    match (explained, &repeated) {
        (true, Some(code)) if *code == f.code => writeln!(
            h,
            "<p class=\"see-above\">Why it is risky, the US-side cost and alternative wordings: as for {} above.</p>",
            escape(code)
        )?,
        _ => {
            if explained {
                writeln!(
                    h,
                    "<p class=\"see-above\">Why it is risky and the US-side cost: as for {} above.</p>",
                    escape(&f.code)
                )?;
            }
            if let Some(code) = &repeated {
                writeln!(
                    h,
                    "<p class=\"see-above\">Alternative wordings: the same as for {} above.</p>",
                    escape(code)
                )?;
            }
        }
    }
    if repeated.is_none() && !f.suggestions.is_empty() {
        seen.alternatives.push((f.code.clone(), alternatives));
        h.push_str("<h4>Alternative wordings</h4>\n<ol class=\"alts\">\n");
        for s in f.suggestions.iter() {
            let (tag, class) = match s.applicability {
                Applicability::Safe => ("safe to apply", "ok"),
                Applicability::Unsafe | Applicability::DisplayOnly => {
                    ("review before use", "caution")
                }
            };
            write!(
                h,
                "<li><p class=\"alt-title\" lang=\"{lang}\">{}<span class=\"tag {class}\">{tag}</span></p>",
                escape(&s.title)
            )?;
            write!(
                h,
                "<blockquote class=\"replacement\" lang=\"{lang}\">{}</blockquote>",
                escape(s.replacement.trim())
            )?;
            if !s.note.trim().is_empty() {
                write!(
                    h,
                    "<p class=\"risk\" lang=\"{lang}\"><strong>Remaining risk:</strong> {}</p>",
                    escape(s.note.trim())
                )?;
            }
            h.push_str("</li>\n");
        }
        h.push_str("</ol>\n");
    }
    h.push_str("</section>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_controls() {
        assert_eq!(
            escape("<script>a & \"b\" 'c'</script>\u{0}\n"),
            "&lt;script&gt;a &amp; &quot;b&quot; &#39;c&#39;&lt;/script&gt;\n"
        );
        assert_eq!(escape("第十二条"), "第十二条");
    }
}
