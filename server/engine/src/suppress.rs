//! Suppressions written in the draft itself, with a reason:
//!
//! ```markdown
//! <!-- comity: allow T03 reason="counterparty is not a PRC entity; approved by GC" -->
//! 5.2 Each Party represents that it is not listed on the SDN List.
//!
//! <!-- comity: disable T01, T07 reason="US-law annex, reviewed" approved_by="J. Wu" until="2027-06-30" -->
//! …
//! <!-- comity: enable T01, T07 -->
//! ```
//!
//! `allow` covers the next clause (with its sub-clauses); `disable` covers the
//! text up to the matching `enable` (or the end). `all` stands for every rule.
//! A suppression without a reason, one past its `until` date, and (when
//! asked) one that suppresses nothing are reported as findings S01–S03.

use std::sync::LazyLock;

use regex::Regex;

use comity_document::Document;
use comity_finding::{Finding, Severity};
use comity_text::Lang;
use comity_text::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Codes {
    All,
    Some(Vec<String>),
}

impl Codes {
    fn matches(&self, code: &str) -> bool {
        match self {
            Codes::All => true,
            Codes::Some(v) => v.iter().any(|c| c.eq_ignore_ascii_case(code)),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Suppression {
    pub codes: Codes,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    /// `YYYY-MM-DD`; after it the suppression no longer applies.
    pub until: Option<String>,
    pub comment: Span,
    /// The text it covers.
    pub scope: Span,
    pub used: bool,
}

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^<!--\s*comity\s*:\s*(?P<verb>allow|disable|enable)\b\s*(?P<rest>.*?)\s*-->$")
        .unwrap()
});
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?P<key>reason|approved_by|until)\s*=\s*"(?P<value>[^"]*)""#).unwrap()
});

/// Today's date as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Civil-from-days (proleptic Gregorian), after Howard Hinnant.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Reads the suppression comments of a document.
pub fn parse(doc: &Document) -> Vec<Suppression> {
    let text = doc.text();
    let mut out: Vec<Suppression> = Vec::new();
    let mut open_disables: Vec<usize> = Vec::new();
    for (b, block) in doc.blocks().iter().enumerate() {
        for &comment in &block.comments {
            let Some(caps) = DIRECTIVE.captures(comment.text(text)) else {
                continue;
            };
            let verb = &caps["verb"];
            let rest = &caps["rest"];
            let first_field = FIELD.find(rest).map(|m| m.start()).unwrap_or(rest.len());
            let codes_text = &rest[..first_field];
            let codes: Vec<String> = codes_text
                .split([',', ' ', '，'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.to_ascii_uppercase())
                .collect();
            let codes = if codes.is_empty() || codes.iter().any(|c| c == "ALL") {
                Codes::All
            } else {
                Codes::Some(codes)
            };
            let mut reason = None;
            let mut approved_by = None;
            let mut until = None;
            for f in FIELD.captures_iter(rest) {
                let v = f["value"].trim().to_string();
                let v = (!v.is_empty()).then_some(v);
                match &f["key"] {
                    "reason" => reason = v,
                    "approved_by" => approved_by = v,
                    _ => until = v,
                }
            }
            match verb {
                "allow" => {
                    let scope = allow_scope(doc, b, comment);
                    out.push(Suppression {
                        codes,
                        reason,
                        approved_by,
                        until,
                        comment,
                        scope,
                        used: false,
                    });
                }
                "disable" => {
                    open_disables.push(out.len());
                    out.push(Suppression {
                        codes,
                        reason,
                        approved_by,
                        until,
                        comment,
                        scope: Span::new(comment.end, text.len()),
                        used: false,
                    });
                }
                _ => {
                    // `enable` closes the most recent open `disable` with the same codes (or any).
                    if let Some(pos) = open_disables
                        .iter()
                        .rposition(|&i| out[i].codes == codes || codes == Codes::All)
                    {
                        let i = open_disables.remove(pos);
                        out[i].scope.end = comment.start;
                    }
                }
            }
        }
    }
    out
}

/// `allow` covers the clause that follows the comment, or the one it sits in.
fn allow_scope(doc: &Document, block: usize, comment: Span) -> Span {
    let blocks = doc.blocks();
    let only_comment =
        blocks[block].span.text(doc.text()).trim() == comment.text(doc.text()).trim();
    let next = if only_comment {
        blocks.get(block + 1)
    } else {
        None
    };
    match next {
        Some(nb) => {
            let clause = doc
                .clause_of_block(block + 1)
                .filter(|&c| doc.clauses()[c].blocks.start == block + 1);
            match clause {
                Some(c) => doc.clauses()[c].span,
                None => nb.span,
            }
        }
        None => match doc.clause_of_block(block) {
            Some(c) => doc.clauses()[c].span,
            None => blocks[block].span,
        },
    }
}

/// Removes suppressed findings and adds findings about the suppressions.
pub fn apply(doc: &Document, findings: &mut Vec<Finding>, report_unused: bool, today: &str) {
    apply_inner(doc, findings, report_unused, false, today);
}

/// [`apply`] with the settings: with `show_suppressed`, a suppressed finding
/// is kept as info and names the comment that suppressed it.
pub fn apply_with(
    doc: &Document,
    findings: &mut Vec<Finding>,
    settings: &super::Settings,
    today: &str,
) {
    apply_inner(
        doc,
        findings,
        settings.report_unused_suppressions,
        settings.show_suppressed,
        today,
    );
}

fn apply_inner(
    doc: &Document,
    findings: &mut Vec<Finding>,
    report_unused: bool,
    show_suppressed: bool,
    today: &str,
) {
    let mut sups = parse(doc);
    if sups.is_empty() {
        return;
    }
    let text = doc.text();
    findings.retain_mut(|f| {
        let mut keep = true;
        for s in sups.iter_mut() {
            let expired = s.until.as_deref().is_some_and(|u| u < today);
            if !expired && s.codes.matches(&f.code) && s.scope.covers(&f.sentence) {
                s.used = true;
                if show_suppressed && keep {
                    let line = text[..s.comment.start].matches('\n').count() + 1;
                    let why = s.reason.as_deref().unwrap_or("");
                    f.reasons.push(match f.lang {
                        Lang::En => format!(
                            "suppressed by the comment on line {line} (was {}; reason: “{why}”)",
                            f.severity.as_str()
                        ),
                        Lang::Zh => format!(
                            "已被第{line}行的豁免注释抑制（原为{}；理由：“{why}”）",
                            f.severity.as_str()
                        ),
                    });
                    f.severity = Severity::Info;
                    f.message = match f.lang {
                        Lang::En => format!("[suppressed] {}", f.message),
                        Lang::Zh => format!("【已抑制】{}", f.message),
                    };
                }
                keep = false;
            }
        }
        keep || show_suppressed
    });
    let lang = doc.primary_language();
    for s in &sups {
        if s.reason.is_none() {
            findings.push(tool_finding(doc, "S01", "suppression-without-reason", s.comment, lang, match lang {
                Lang::En => "This suppression gives no reason. Add reason=\"…\" so the review record shows why the clause was accepted.".into(),
                Lang::Zh => "该豁免未说明理由。请添加 reason=\"…\"，以便审阅记录体现接受该条款的原因。".into(),
            }));
        }
        if let Some(u) = s.until.as_deref().filter(|u| *u < today) {
            findings.push(tool_finding(
                doc,
                "S03",
                "suppression-expired",
                s.comment,
                lang,
                match lang {
                    Lang::En => format!(
                        "This suppression expired on {u}; the clauses it covered are checked again."
                    ),
                    Lang::Zh => format!("该豁免已于{u}到期，其涵盖的条款将重新检查。"),
                },
            ));
        } else if report_unused && !s.used {
            findings.push(tool_finding(
                doc,
                "S02",
                "unused-suppression",
                s.comment,
                lang,
                match lang {
                    Lang::En => {
                        "This suppression matches no finding; remove it or correct its rule codes."
                            .into()
                    }
                    Lang::Zh => "该豁免未匹配任何检查结果，请删除或更正规则代码。".into(),
                },
            ));
        }
    }
    findings.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(&b.code)));
}

fn tool_finding(
    doc: &Document,
    code: &str,
    slug: &str,
    span: Span,
    lang: Lang,
    message: String,
) -> Finding {
    Finding {
        code: code.into(),
        slug: slug.into(),
        severity: Severity::Warning,
        span,
        sentence: span,
        clause: doc.clause_label_at(span.start),
        lang,
        message,
        reasons: Vec::new(),
        citations: Vec::new().into(),
        related: Vec::new(),
        suggestions: Vec::new().into(),
        fingerprint: super::suggest::fingerprint(code, span.text(doc.text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_date() {
        let t = today();
        assert_eq!(t.len(), 10);
        assert!(t.as_str() > "2024-01-01");
    }
}
