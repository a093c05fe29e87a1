//! SARIF 2.1.0 output for `comity check --format sarif`: one run, the rule
//! library as `tool.driver.rules`, one result per finding, file errors as
//! tool execution notifications.
//!
//! Columns are counted in UTF-16 code units (`run.columnKind`), as SARIF
//! viewers (GitHub code scanning, VS Code) expect by default.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::report::{FileResult, citation_line};
use comity_finding::{Applicability, Finding, Severity};
use comity_rules::{Rule, RuleSet};
use comity_text::Lang;
use comity_text::Span;
use comity_text::lines::LineIndex;

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/comity-lint/comity";
const RULE_FILE_BASE: &str = "https://github.com/comity-lint/comity/blob/main/clauses/";
/// Key of the fingerprint in `partialFingerprints`; bump the version if the
/// fingerprint's recipe changes.
const FINGERPRINT_KEY: &str = "comity/v1";

/// Writes one SARIF log with a single run covering `results`.
pub fn write_sarif(out: &mut dyn Write, results: &[FileResult], rules: &RuleSet) -> io::Result<()> {
    let log = sarif_log(results, rules);
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

fn sarif_log(results: &[FileResult], rules: &RuleSet) -> Value {
    // The rules in code order; a result points at its rule by index.
    let mut ordered: Vec<&Rule> = rules.rules.iter().collect();
    ordered.sort_by(|a, b| a.code().cmp(b.code()));
    let rule_index: HashMap<&str, usize> = ordered
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code(), i))
        .collect();

    let mut sarif_results = Vec::new();
    let mut notifications = Vec::new();
    for file in results {
        let uri = path_to_uri(&file.path);
        if let Some(error) = &file.error {
            notifications.push(json!({
                "level": "error",
                "message": { "text": error },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            }));
            continue;
        }
        let lines = LineIndex::new(&file.text);
        let located = Located {
            uri: &uri,
            text: &file.text,
            lines: &lines,
            // A .docx has no lines and columns of its own; its findings are
            // located by paragraph instead.
            docx: file.docx.as_deref(),
        };
        for notice in &file.notices {
            let mut location = json!({ "artifactLocation": { "uri": uri } });
            if notice.line > 0 && file.docx.is_none() {
                location["region"] = json!({ "startLine": notice.line });
            }
            notifications.push(json!({
                "level": "warning",
                "message": { "text": notice.message },
                "locations": [{ "physicalLocation": location }],
            }));
        }
        for finding in &file.findings {
            sarif_results.push(result(
                finding,
                &located,
                rule_index.get(finding.code.as_str()),
            ));
        }
    }

    let mut invocation =
        json!({ "executionSuccessful": results.iter().all(|r| r.error.is_none()) });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }

    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "comity",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": ordered.iter().map(|r| rule_descriptor(rules, r)).collect::<Vec<_>>(),
                }
            },
            "invocations": [invocation],
            "columnKind": "utf16CodeUnits",
            "results": sarif_results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `tool.driver.rules[]`: a reportingDescriptor documenting one rule.
fn rule_descriptor(rules: &RuleSet, rule: &Rule) -> Value {
    let f = &rule.file;
    let doc = comity_rules::docs::render(rules, rule, Lang::En);
    let citations: Vec<Value> = f
        .citations
        .iter()
        .filter_map(|c| {
            let cit = rules.citation(c, Lang::En)?;
            let mut v = json!({
                "instrument": cit.instrument,
                "article": cit.article,
                "url": cit.url,
                "verified": cit.verified,
            });
            if let Some(when) = &c.when {
                v["when"] = json!(when);
            }
            Some(v)
        })
        .collect();
    let builtin = rule.origin == "builtin";
    let mut descriptor = json!({
        "id": f.code,
        "name": pascal_case(&f.slug),
        "shortDescription": { "text": f.title.en },
        "fullDescription": { "text": f.flags.en },
        "help": { "text": doc, "markdown": doc },
        "defaultConfiguration": { "level": level(f.severity) },
        "properties": {
            "tags": if builtin { json!(["contract", "legal"]) } else { json!(["contract", "legal", "custom"]) },
            "citations": citations,
        },
    });
    // A firm's own rules do not live in the Comity repository.
    if builtin {
        descriptor["helpUri"] = json!(format!("{RULE_FILE_BASE}{}-{}.toml", f.code, f.slug));
    }
    descriptor
}

/// `us-export-control-covenant` → `UsExportControlCovenant`.
fn pascal_case(slug: &str) -> String {
    slug.split(['-', '_'])
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(chars)
        })
        .collect()
}

/// What is needed to locate spans of one file.
struct Located<'a> {
    uri: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
    docx: Option<&'a comity_workspace::input::docx::DocxText>,
}

impl Located<'_> {
    /// A physicalLocation; text files get a line/column region.
    fn physical(&self, span: Span) -> Value {
        let mut location = json!({ "artifactLocation": { "uri": self.uri } });
        if self.docx.is_none() {
            location["region"] = self.region(span);
        }
        location
    }

    /// One-based lines and UTF-16 columns; the end column is the column just
    /// past the last character.
    fn region(&self, span: Span) -> Value {
        let (start_line, start_column) = utf16_line_col(self.lines, self.text, span.start);
        let (end_line, end_column) = utf16_line_col(self.lines, self.text, span.end);
        json!({
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        })
    }
}

/// One-based line and one-based column counted in UTF-16 code units.
fn utf16_line_col(lines: &LineIndex, text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = lines.line_of(offset);
    let column = lines.column(text, line, offset, comity_text::lines::ColumnUnit::Utf16);
    (line + 1, column + 1)
}

fn result(finding: &Finding, at: &Located, rule_index: Option<&usize>) -> Value {
    let law = citation_line(&finding.citations);
    let message = if law.is_empty() {
        finding.message.clone()
    } else {
        format!("{} Legal basis: {law}", finding.message)
    };
    let related: Vec<Value> = finding
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "id": i,
                "message": { "text": r.message },
                "physicalLocation": at.physical(r.span),
            })
        })
        .collect();
    // Rewording a .docx by text regions is not possible; fixes are for text files.
    let fixes: Vec<Value> = finding
        .suggestions
        .iter()
        .filter(|s| s.applicability != Applicability::DisplayOnly && at.docx.is_none())
        .map(|s| {
            json!({
                "description": { "text": s.title },
                "artifactChanges": [{
                    "artifactLocation": { "uri": at.uri },
                    "replacements": [{
                        "deletedRegion": at.region(s.span),
                        "insertedContent": { "text": s.replacement },
                    }],
                }],
                "properties": {
                    "applicability": s.applicability,
                    "note": s.note,
                },
            })
        })
        .collect();

    let mut properties = Map::new();
    if let Some(clause) = &finding.clause {
        properties.insert("clause".into(), json!(clause));
    }
    properties.insert("severity".into(), json!(finding.severity.as_str()));
    properties.insert("reasons".into(), json!(finding.reasons));
    if let Some((number, offset)) = at.docx.and_then(|d| d.locate(finding.span.start)) {
        properties.insert(
            "paragraph".into(),
            json!({ "number": number, "offset": offset }),
        );
    }

    let mut r = json!({
        "ruleId": finding.code,
        "level": level(finding.severity),
        "message": { "text": message },
        "locations": [{ "physicalLocation": at.physical(finding.span) }],
        "partialFingerprints": { FINGERPRINT_KEY: finding.fingerprint },
        "properties": properties,
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    if !related.is_empty() {
        r["relatedLocations"] = Value::Array(related);
    }
    if !fixes.is_empty() {
        r["fixes"] = Value::Array(fixes);
    }
    r
}

/// A file path as a URI reference (RFC 3986): relative paths stay relative,
/// with `/` separators; absolute paths become `file:` URIs. Bytes outside
/// the unreserved and path-safe sets (spaces, `%`, `#`, `?`, non-ASCII …)
/// are percent-encoded as UTF-8.
fn path_to_uri(path: &str) -> String {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    let bytes = path.as_bytes();
    let drive =
        cfg!(windows) && bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    let mut uri = String::from(if drive {
        "file:///"
    } else if path.starts_with('/') {
        "file://"
    } else {
        ""
    });
    for (i, b) in bytes.iter().copied().enumerate() {
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        let sub_delim = matches!(
            b,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
        );
        // A colon is kept only after a drive letter; in a first segment it
        // would read as a scheme.
        let keep =
            unreserved || sub_delim || b == b'/' || b == b'@' || (b == b':' && drive && i == 1);
        if keep {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(path_to_uri("tests/fixtures/a.md"), "tests/fixtures/a.md");
        assert_eq!(path_to_uri("drafts/my draft.md"), "drafts/my%20draft.md");
        assert_eq!(path_to_uri("合同.txt"), "%E5%90%88%E5%90%8C.txt");
        assert_eq!(path_to_uri("a#b?c%d:e"), "a%23b%3Fc%25d%3Ae");
        assert_eq!(path_to_uri("/tmp/x y.md"), "file:///tmp/x%20y.md");
    }

    #[test]
    fn slugs_become_pascal_case() {
        assert_eq!(
            pascal_case("us-export-control-covenant"),
            "UsExportControlCovenant"
        );
        assert_eq!(pascal_case("prc-chip-ban"), "PrcChipBan");
    }

    #[test]
    fn columns_count_utf16_code_units() {
        let text = "ab\n合同𝐀x";
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap();
        // 合 and 同 are one unit each, 𝐀 is a surrogate pair.
        assert_eq!(utf16_line_col(&lines, text, x), (2, 5));
        assert_eq!(utf16_line_col(&lines, text, text.len()), (2, 6));
    }
}
