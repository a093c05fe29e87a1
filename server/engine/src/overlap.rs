//! Every distinct type that applies to a sentence is reported; where two
//! findings cover the same words, one finding is kept: the type of the rule
//! of higher priority (the library's order of specificity), at the more
//! severe of the two severities, naming the other type. The generic finding
//! (T00) speaks only when no type fits.

use comity_finding::Finding;
use comity_rules::RuleSet;
use comity_text::Lang;

/// The generic rule's code.
pub const GENERIC: &str = "T00";

/// The findings to report from all the rules that matched one sentence,
/// `(priority, finding)`, in text order.
pub fn resolve(rules: &RuleSet, lang: Lang, mut found: Vec<(i32, Finding)>) -> Vec<Finding> {
    if found.iter().any(|(_, f)| f.code != GENERIC) {
        found.retain(|(_, f)| f.code != GENERIC);
    }
    found.sort_by(|(pa, a), (pb, b)| pb.cmp(pa).then(b.severity.cmp(&a.severity)));
    let mut kept: Vec<Finding> = Vec::with_capacity(found.len());
    for (_, f) in found {
        match kept.iter_mut().find(|k| k.span.overlaps(&f.span)) {
            Some(k) => {
                if f.severity > k.severity {
                    k.severity = f.severity;
                }
                let title = rules
                    .rule(&f.code)
                    .map(|r| r.file.title.get(lang).to_string())
                    .unwrap_or_default();
                k.reasons.push(match lang {
                    Lang::En => format!(
                        "the same words also read as {} ({title}); the higher of the two severities is reported",
                        f.code
                    ),
                    Lang::Zh => format!("同一措辞亦属于{}（{title}），按二者中较高的严重程度报告", f.code),
                });
            }
            None => kept.push(f),
        }
    }
    kept.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.code.cmp(&b.code)));
    kept
}
