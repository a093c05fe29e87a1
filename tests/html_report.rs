//! The HTML pre-signing review report (`comity check --format html`).

use std::path::Path;
use std::sync::Arc;

use comity_cli::html::write_html;
use comity_cli::report::FileResult;

fn lint_text(path: &str, text: String) -> FileResult {
    let doc = comity_document::Document::parse(text);
    let findings = comity_engine::lint(
        &doc,
        comity_rules::RuleSet::builtin(),
        &comity_engine::Settings::default(),
    );
    FileResult {
        path: path.to_string(),
        text: Arc::new(doc.text().to_string()),
        findings,
        error: None,
        notices: Vec::new(),
        docx: None,
    }
}

fn lint_fixture(name: &str) -> FileResult {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let source = comity_workspace::input::read_text_file(&path).expect("fixture is readable");
    lint_text(&format!("tests/fixtures/{name}"), source.text)
}

fn render(results: &[FileResult]) -> String {
    let mut out = Vec::new();
    write_html(&mut out, results, comity_rules::RuleSet::builtin()).expect("writes");
    String::from_utf8(out).expect("the report is UTF-8")
}

fn fixtures() -> Vec<FileResult> {
    let mut names: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
            .expect("fixtures folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
    names.sort();
    names.iter().map(|n| lint_fixture(n)).collect()
}

#[test]
fn report_of_the_fixtures_has_summary_clauses_marks_and_citations() {
    let mut results = fixtures();
    results.push(FileResult {
        path: "tests/fixtures/missing.docx".to_string(),
        text: Arc::new(String::new()),
        findings: Vec::new(),
        error: Some("tests/fixtures/missing.docx: cannot read: not found".to_string()),
        notices: Vec::new(),
        docx: None,
    });
    let html = render(&results);

    // Self-contained page, in UTF-8, with CJK fonts and print rules.
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("\"Noto Sans CJK SC\""));
    assert!(html.contains("\"Microsoft YaHei\""));
    assert!(html.contains("@media print"));
    assert!(html.contains("Comity pre-signing review"));
    assert!(html.contains("Findings are a drafting aid, not legal advice"));
    assert!(html.contains(env!("CARGO_PKG_VERSION")));

    // Summary by severity, with totals matching the findings.
    let total: usize = results.iter().map(|r| r.findings.len()).sum();
    assert!(total > 0);
    assert!(html.contains("<h2>Summary</h2>"));
    assert!(html.contains("<th class=\"num\">Error</th>"));
    assert!(html.contains(&format!("<td class=\"num\">{total}</td></tr></tfoot>")));
    assert!(html.contains("Files that could not be read"));
    assert!(html.contains("cannot read: not found"));
    for r in &results[..results.len() - 1] {
        assert!(html.contains(&r.path), "{} is in the report", r.path);
    }

    // Findings grouped by clause, with the clause label and the operative words.
    assert!(html.contains("<span class=\"clause-label\">7.1</span>"));
    assert!(html.contains("<span class=\"clause-label\">9.3</span>"));
    assert!(html.contains("<mark class=\"error\""));
    let groups = html.matches("<article class=\"clause\">").count();
    assert!(
        groups > 0 && groups < total,
        "{groups} clause groups for {total} findings"
    );
    let marks = html.matches("<mark ").count();
    assert!(
        marks >= total / 2,
        "{marks} highlights for {total} findings"
    );

    // Legal basis, risk on both sides, alternatives.
    assert!(html.contains("Anti-Foreign Sanctions Law"));
    assert!(
        html.contains("第十二条"),
        "Chinese article numbers are cited"
    );
    assert!(html.contains("Legal basis"));
    assert!(html.contains("Why it is risky"));
    assert!(html.contains("US-side cost of deleting it"));
    assert!(html.contains("Alternative wordings"));
    assert!(html.contains("review before use"));
    assert!(html.contains("Related definition"));
    assert!(html.contains("<a class=\"ext\" href=\"https://"));

    // Nothing is loaded from anywhere.
    assert_no_external_resources(&html);
}

#[test]
fn chinese_draft_cites_chinese_articles_and_uses_chinese_rule_text() {
    let r = lint_fixture("zh-procurement-contract.md");
    let rule = comity_rules::RuleSet::builtin()
        .rule(&r.findings[0].code)
        .expect("built-in rule");
    let html = render(std::slice::from_ref(&r));
    assert!(html.contains("第十二条"));
    assert!(html.contains("《中华人民共和国反外国制裁法》"));
    assert!(html.contains("lang=\"zh-CN\""));
    // "Why it is risky" in the finding's language.
    let why = comity_cli::html::escape(rule.file.why.zh.trim());
    assert!(
        html.contains(&why),
        "the Chinese `why` of {} is shown",
        rule.file.code
    );
    assert!(html.contains("<span class=\"clause-label\">9.1</span>"));
    assert_no_external_resources(&html);
}

#[test]
fn text_from_the_draft_is_escaped() {
    let text = "# Supply Agreement <script>alert(1)</script>\n\n\
                ## 7. Export Control\n\n\
                7.1 The Supplier shall comply with the U.S. Export Administration Regulations \
                & all OFAC sanctions <script>alert(\"x\")</script> at all times.\n"
        .to_string();
    let r = lint_text("drafts/<evil> & \"co\".md", text);
    assert!(!r.findings.is_empty(), "the covenant is flagged");
    let html = render(&[r]);
    assert!(!html.contains("<script"), "no script element: {html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    );
    assert!(html.contains("drafts/&lt;evil&gt; &amp; &quot;co&quot;.md"));
    assert!(html.contains("<mark"));
    assert_no_external_resources(&html);
}

#[test]
fn findings_of_one_clause_form_one_group_and_unchecked_articles_are_paraphrases() {
    use comity_finding::{Applicability, Citation, RelatedDefinition, Suggestion};
    use comity_text::Span;
    let text = "1. Definitions\n\n\"Sanctions\" means US sanctions.\n\n\
                2. Compliance\n\n\
                2.1 The Buyer shall comply with Sanctions. The Buyer shall screen all customers.\n";
    let at = |s: &str| {
        let start = text.find(s).unwrap();
        Span::new(start, start + s.len())
    };
    let finding = |code: &str, words: &str, sentence: &str| comity_finding::Finding {
        code: code.to_string(),
        slug: "test".to_string(),
        severity: comity_finding::Severity::Warning,
        span: at(words),
        sentence: at(sentence),
        clause: Some("2.1".to_string()),
        lang: comity_text::Lang::En,
        message: "A message with <b>markup</b>.".to_string(),
        reasons: vec!["a reason".to_string()],
        citations: vec![Citation {
            id: "x".to_string(),
            instrument: "An Unchecked Instrument".to_string(),
            article: "Art. 9".to_string(),
            jurisdiction: "PRC".to_string(),
            date: "2020-01-01".to_string(),
            url: "javascript:alert(1)".to_string(),
            verified: false,
        }]
        .into(),
        related: vec![RelatedDefinition {
            term: "Sanctions".to_string(),
            span: at("\"Sanctions\" means US sanctions."),
            message: "\"Sanctions\" is defined here".to_string(),
        }],
        suggestions: vec![Suggestion {
            title: "A safe edit".to_string(),
            span: at(sentence),
            replacement: "Neutral wording.".to_string(),
            applicability: Applicability::Safe,
            note: "Some risk remains.".to_string(),
        }]
        .into(),
        fingerprint: String::new(),
    };
    let r = FileResult {
        path: "draft.txt".to_string(),
        text: Arc::new(text.to_string()),
        findings: vec![
            finding(
                "T01",
                "comply with Sanctions",
                "The Buyer shall comply with Sanctions.",
            ),
            finding(
                "T09",
                "screen all customers",
                "The Buyer shall screen all customers.",
            ),
        ],
        error: None,
        notices: Vec::new(),
        docx: None,
    };
    let html = render(&[r]);
    assert_eq!(
        html.matches("<article class=\"clause\">").count(),
        1,
        "{html}"
    );
    assert!(html.contains("<span class=\"clause-label\">2.1</span>"));
    assert_eq!(html.matches("<mark ").count(), 2);
    assert!(html.contains("2 findings in 1 clause"));
    assert!(html.contains("paraphrase"));
    assert!(
        !html.contains("href=\"javascript"),
        "only web links are linked"
    );
    assert!(html.contains("A message with &lt;b&gt;markup&lt;/b&gt;."));
    assert!(html.contains("safe to apply"));
    assert!(html.contains("Related definition"));
    assert!(html.contains("&quot;Sanctions&quot; means US sanctions."));
    assert!(html.contains("Alternative wordings: the same as for T01 above."));
    assert_no_external_resources(&html);
}

#[test]
fn empty_results_render_a_complete_page() {
    let html = render(&[]);
    assert!(html.contains("No findings in 0 files reviewed."));
    assert!(html.trim_end().ends_with("</html>"));
    assert_no_external_resources(&html);
}

fn assert_no_external_resources(html: &str) {
    let lower = html.to_lowercase();
    for banned in [
        "<link", "<script", "<img", "<iframe", "<object", "<embed", "@import", "url(", " src=",
    ] {
        assert!(
            !lower.contains(banned),
            "the report must not contain `{banned}`"
        );
    }
    // The only URLs are hyperlinks to cited texts.
    for (i, _) in lower.match_indices("http") {
        assert!(
            lower[..i].ends_with("href=\""),
            "a URL outside a hyperlink at byte {i}"
        );
    }
}
