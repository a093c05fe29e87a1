//! A rule's documentation rendered from its data, as `comity explain`,
//! SARIF help and language-server hovers show it.

use comity_finding::Applicability;
use comity_text::Lang;

use super::{Rule, RuleSet};

/// The rule's documentation as Markdown, in one language.
pub fn render(rules: &RuleSet, rule: &Rule, lang: Lang) -> String {
    let f = &rule.file;
    let l = |en: &'static str, zh: &'static str| if lang == Lang::En { en } else { zh };
    let mut s = String::new();
    s.push_str(&format!(
        "# {} {} ({})\n\n",
        f.code,
        f.title.get(lang),
        f.slug
    ));
    s.push_str(&format!(
        "{}: {}\n\n",
        l("Default severity", "默认严重程度"),
        f.severity.as_str()
    ));
    s.push_str(&format!(
        "## {}\n\n{}\n\n",
        l("What it flags", "检查内容"),
        f.flags.get(lang)
    ));
    s.push_str(&format!(
        "## {}\n\n{}\n\n",
        l("Why it is risky", "风险说明"),
        f.why.get(lang)
    ));
    s.push_str(&format!("## {}\n\n", l("Legal basis", "法律依据")));
    for c in &f.citations {
        if let (Some(cit), Some(inst)) = (
            rules.citation(c, lang),
            rules.instruments.get(&c.instrument),
        ) {
            let art = &inst.articles[&c.article];
            let status = if art.verified {
                l("text checked", "原文已核对")
            } else {
                l("paraphrase; wording not checked", "概述，措辞未核对")
            };
            let when = c
                .when
                .as_deref()
                .map(|w| format!(" ({} `{w}`)", l("when", "条件：")))
                .unwrap_or_default();
            s.push_str(&format!(
                "- **{} {}**{when} ({status}): {}\n  <{}>\n",
                cit.instrument,
                cit.article,
                art.text.get(lang),
                cit.url
            ));
        }
    }
    s.push_str(&format!(
        "\n## {}\n\n{}\n\n",
        l("US-side cost of deleting it", "删除条款在美国法上的代价"),
        f.us_side.get(lang)
    ));
    s.push_str(&format!("## {}\n\n", l("Neutral wording", "中性替代表述")));
    for (i, r) in f.replacements.iter().enumerate() {
        let safety = match r.applicability {
            Applicability::Safe => l("safe fix", "安全修复"),
            Applicability::Unsafe => l("unsafe fix: review before applying", "需审阅后应用"),
            Applicability::DisplayOnly => l("for review only", "仅供参考"),
        };
        s.push_str(&format!(
            "{}. **{}** ({safety})\n\n   > {}\n\n   {}\n\n",
            i + 1,
            r.title.get(lang),
            render_placeholders(r.text.get(lang), lang),
            r.risk.get(lang)
        ));
    }
    s.push_str(&format!("## {}\n\n", l("Examples", "示例")));
    for ex in f.examples.iter().filter(|e| e.lang == lang) {
        let mark = if ex.fires {
            l("flagged", "会标记")
        } else {
            l("not flagged", "不标记")
        };
        s.push_str(&format!("- ({mark}) {}\n", ex.text));
    }
    s.push_str(&format!(
        "\n{}\n",
        l(
            "Comity's findings are a drafting aid, not legal advice.",
            "Comity 的检查结果仅为起草辅助，不构成法律意见。"
        )
    ));
    s
}

/// A replacement's placeholders as a reader of the documentation should see
/// them: the generic defined words, and square brackets (the drafting mark
/// for "fill in") where the draft's own name goes.
pub fn render_placeholders(text: &str, lang: Lang) -> String {
    let (party_name, term) = match lang {
        Lang::En => ("[the relevant Party]", "[Defined Term]"),
        Lang::Zh => ("[相关方]", "[定义术语]"),
    };
    let mut out = text
        .replace("{Parties}", "Parties")
        .replace("{Party}", "Party")
        .replace("{party_name}", party_name)
        .replace("{term}", term);
    if let Some(rest) = out.strip_prefix("[the ") {
        out = format!("[The {rest}");
    }
    out.replace(". [the ", ". [The ")
}
