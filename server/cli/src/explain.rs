//! `comity explain CODE` and `comity rules`: the rule documentation,
//! rendered from the rule files.

use std::process::ExitCode;

use serde::Serialize;

use super::{EXIT_ERROR, OutlineFormat, emit};
use comity_rules::RuleSet;
use comity_text::Lang;

pub fn explain(code: &str, lang: Lang) -> ExitCode {
    let rules = RuleSet::builtin();
    let Some(rule) = rules.rule(code) else {
        let codes: Vec<&str> = rules.rules.iter().map(|r| r.code()).collect();
        eprintln!("error: no rule {code}; rules are {}", codes.join(", "));
        return ExitCode::from(EXIT_ERROR);
    };
    let text = comity_rules::docs::render(rules, rule, lang);
    emit(|out| write!(out, "{text}"))
        .err()
        .unwrap_or(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct RuleSummary<'a> {
    code: &'a str,
    slug: &'a str,
    title_en: &'a str,
    title_zh: &'a str,
    severity: comity_finding::Severity,
    priority: i32,
    origin: &'a str,
}

pub fn rules(format: OutlineFormat) -> ExitCode {
    let rules = RuleSet::builtin();
    let mut list: Vec<RuleSummary> = rules
        .rules
        .iter()
        .map(|r| RuleSummary {
            code: r.code(),
            slug: &r.file.slug,
            title_en: &r.file.title.en,
            title_zh: &r.file.title.zh,
            severity: r.file.severity,
            priority: r.file.priority,
            origin: &r.origin,
        })
        .collect();
    list.sort_by(|a, b| a.code.cmp(b.code));
    emit(|out| match format {
        OutlineFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &list).map_err(std::io::Error::other)?;
            writeln!(out)
        }
        OutlineFormat::Text => {
            for r in &list {
                writeln!(
                    out,
                    "{}  {:<8} {:<34} {}",
                    r.code,
                    r.severity.as_str(),
                    r.slug,
                    r.title_en
                )?;
            }
            Ok(())
        }
    })
    .err()
    .unwrap_or(ExitCode::SUCCESS)
}

/// `comity rules --anchors` (hidden): the trigger literals of the whole-text
/// prefilter, one per line, deduplicated, for `rg -i -F -f`.
pub fn anchors() -> ExitCode {
    let mut words: Vec<&str> = RuleSet::builtin().lexicon.trigger_literals();
    words.sort_unstable();
    words.dedup();
    emit(|out| {
        for w in words.iter().filter(|w| !w.contains('\n')) {
            writeln!(out, "{w}")?;
        }
        Ok(())
    })
    .err()
    .unwrap_or(ExitCode::SUCCESS)
}
