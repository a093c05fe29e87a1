//! Turning a rule match into a graded finding (§6.0 of the legal research:
//! action, enlistment, target, voluntariness, nexus, active orders), and
//! applying document-wide carve-outs.

use crate::Span;
use crate::document::{Document, Lang};
use crate::finding::{Citation, Finding, RelatedDefinition, Severity};
use crate::rules::{CompiledDetect, Rule, RuleSet};

use super::analysis::{Analysis, Signals};
use super::settings::{Nexus, Settings};
use super::suggest;

fn say(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn build_finding(
    doc: &Document,
    rules: &RuleSet,
    settings: &Settings,
    analysis: &Analysis,
    signals: &Signals,
    rule: &Rule,
    detect: &CompiledDetect,
    matched: &[Span],
    block: usize,
    sentence: Span,
    lang: Lang,
) -> Option<Finding> {
    let ids = &signals.ids;
    let text = doc.text();
    let f = &rule.file;
    let mut reasons: Vec<String> = Vec::new();

    // Axis A/B and C: the rule's base, raised for Chinese targets.
    let mut severity = detect.severity.unwrap_or(f.severity);
    if let Some(r) = &detect.reason {
        reasons.push(r.get(lang).to_string());
    }
    if signals.has(ids.chinese_target)
        && let Some(s) = f.severity_chinese_target
        && s > severity
    {
        severity = s;
        reasons.push(say(
            lang,
            "the measure targets Chinese persons or products",
            "所涉措施针对中国主体或产品",
        ));
    }
    // Axis D: voluntary adoption.
    if signals.has(ids.escalator)
        && let Some(s) = f.severity_escalated
        && s > severity
    {
        severity = s;
        reasons.push(say(
                    lang,
                    "the clause goes beyond what any law requires (\"whether or not applicable\", \"most restrictive\", \"sole discretion\")",
                    "该条款超出法律要求主动采纳外国措施（如“无论是否适用”“最严格”“自行判断”）",
                ));
    }
    // Axis F: a MOFCOM prohibition order protects the target.
    let mut extra_citations: Vec<Citation> = Vec::new();
    if signals.has(ids.po_target) {
        severity = Severity::Error;
        // An order not yet checked against its announcement is stated as reported.
        if rules.orders.iter().all(|o| o.verified) {
            reasons.push(say(
                lang,
                "a MOFCOM prohibition order forbids complying with the US measure against this company",
                "商务部禁令禁止遵守针对该企业的美国措施",
            ));
        } else {
            let dates: Vec<&str> = rules.orders.iter().map(|o| o.date.as_str()).collect();
            let dates = dates.join(", ");
            reasons.push(say(
                lang,
                &format!("a MOFCOM prohibition order, reported on {dates} (announcement not verified), reportedly forbids complying with the US measure against this company"),
                &format!("据报道，商务部于{dates}发布禁令（公告原文尚未核实），禁止遵守针对该企业的美国措施"),
            ));
        }
        for order in &rules.orders {
            let r = crate::rules::CitationRef {
                instrument: order.instrument.clone(),
                article: order.article.clone(),
                when: None,
            };
            extra_citations.extend(rules.citation(&r, lang));
            for art in ["7", "9", "13"] {
                let r = crate::rules::CitationRef {
                    instrument: "prc-blocking-rules".into(),
                    article: art.into(),
                    when: None,
                };
                extra_citations.extend(rules.citation(&r, lang));
            }
        }
    }
    // Axis D: mitigators.
    // "whether or not applicable to the relevant Party" is the opposite of
    // own-law wording.
    if signals.has(ids.own_law) && !signals.has(ids.escalator) {
        if !signals.has(ids.adverse_action) {
            return None;
        }
        severity = Severity::Info;
        reasons.push(say(
            lang,
            "each party follows the law applicable to it, but the clause still gives a remedy",
            "各方遵守适用于其自身的法律，但条款仍赋予救济权利",
        ));
    }
    if signals.has(ids.permitted_by_law) && !signals.has(ids.po_target) {
        severity = severity.lower();
        reasons.push(say(
            lang,
            "qualified by \"to the extent permitted by applicable law\", which may read in the PRC prohibition but leaves the obligation in place",
            "有“在适用法律允许的范围内”的限定，可能涵盖中国法上的禁止，但义务本身仍然存在",
        ));
    }
    if signals.has(ids.blocking_eu) && !signals.has(ids.blocking_law) {
        severity = severity.lower();
        reasons.push(say(
            lang,
            "carved out for EU or UK blocking law only, which does not protect a PRC party",
            "仅就欧盟或英国阻断法作出例外，不能保护中国当事方",
        ));
    }
    // Axis E: nexus with the PRC.
    match &analysis.nexus {
        Nexus::Absent(why) if !signals.has(ids.po_target) => {
            severity = severity.lower();
            reasons.push(say(
                lang,
                &format!("lower exposure: {why}"),
                &format!("风险较低：{}", translate_nexus(why)),
            ));
        }
        Nexus::Present(why) => reasons.push(say(
            lang,
            &format!("PRC nexus: {why}"),
            &format!("与中国的连接点：{}", translate_nexus(why)),
        )),
        _ => {}
    }
    if signals.unresolved_only {
        reasons.push(say(
            lang,
            "the sanctions term is not defined in this text; if its definition names US measures, the clause is risky as shown",
            "该制裁术语在本文本中未定义；如其定义包含美国措施，则存在上述风险",
        ));
    }
    if let Some(s) = settings.rules.severity_for(&f.code) {
        severity = s;
        reasons.push(say(
            lang,
            "severity set by configuration",
            "严重程度由配置设定",
        ));
    }

    // The operative words: from the first to the last signal that matched.
    let start = matched
        .iter()
        .map(|s| s.start)
        .min()
        .unwrap_or(sentence.start)
        .max(sentence.start);
    let end = matched
        .iter()
        .map(|s| s.end)
        .max()
        .unwrap_or(sentence.end)
        .min(sentence.end);
    let span = if start < end {
        Span::new(start, end)
    } else {
        sentence
    };

    let prc_party = matches!(analysis.nexus, Nexus::Present(_));
    let mut message = render_message(
        f.message.get(lang),
        signals.regime.as_deref(),
        prc_party,
        lang,
    );
    let mut related = Vec::new();
    if let Some(t) = signals.via_term {
        let term = &doc.terms()[t];
        let label = doc.clause_label_at(term.term_span.start);
        let taint = analysis.taint[t].as_ref();
        let source = taint.map(|t| t.regime.clone()).unwrap_or_default();
        message.push_str(&match (lang, &label) {
            (Lang::En, Some(l)) => format!(
                " The US measure comes in through the definition of “{}” in {l} ({source}).",
                term.term
            ),
            (Lang::En, None) => format!(
                " The US measure comes in through the definition of “{}” ({source}).",
                term.term
            ),
            (Lang::Zh, Some(l)) => {
                format!("美国措施经由{l}中“{}”的定义（{source}）引入。", term.term)
            }
            (Lang::Zh, None) => format!("美国措施经由“{}”的定义（{source}）引入。", term.term),
        });
        related.push(RelatedDefinition {
            term: term.term.clone(),
            span: term.definition_span,
            message: say(
                lang,
                &format!("“{}” is defined here by reference to {source}", term.term),
                &format!("“{}”在此定义，引用了{source}", term.term),
            ),
        });
    }

    let mut citations: Vec<Citation> = Vec::new();
    for c in &f.citations {
        if let Some(w) = &c.when {
            let g = rules.lexicon.id(w);
            if !signals.has(g) {
                continue;
            }
        }
        if let Some(cit) = rules.citation(c, lang)
            && !citations
                .iter()
                .any(|x| x.id == cit.id && x.article == cit.article)
        {
            citations.push(cit);
        }
    }
    for c in extra_citations {
        if !citations
            .iter()
            .any(|x| x.id == c.id && x.article == c.article)
        {
            citations.push(c);
        }
    }

    let suggestions = suggest::suggestions(doc, analysis, rule, sentence, lang);
    let fingerprint = suggest::fingerprint(&f.code, sentence.text(text));
    let _ = block;
    Some(Finding {
        code: f.code.clone(),
        slug: f.slug.clone(),
        severity,
        span,
        sentence,
        clause: doc.clause_label_at(sentence.start),
        lang,
        message,
        reasons,
        citations: rules.shared_citations(citations),
        related,
        suggestions: suggestions.into(),
        fingerprint,
    })
}

/// A rule's message for one finding: `{regime}` becomes the words the clause
/// uses, quoted (“Entity List”), so that any name reads in the sentence;
/// text between `{prc}` and `{/prc}` is kept only where a PRC party is
/// involved (a Blocking Rules report, for instance, concerns only a PRC party).
pub fn render_message(template: &str, regime: Option<&str>, prc_party: bool, lang: Lang) -> String {
    let quoted = match regime {
        Some(r) if r.starts_with('“') || r.starts_with('"') => r.to_string(),
        Some(r) => format!("“{r}”"),
        None => say(lang, "a foreign measure", "外国措施"),
    };
    let mut out = String::with_capacity(template.len() + quoted.len());
    let mut rest = template;
    while let Some(i) = rest.find("{prc}") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "{prc}".len()..];
        let (inner, tail) = match after.find("{/prc}") {
            Some(j) => (&after[..j], &after[j + "{/prc}".len()..]),
            None => (after, ""),
        };
        if prc_party {
            out.push_str(inner);
        }
        rest = tail;
    }
    out.push_str(rest);
    // With no name to quote, a parenthesis that only names it goes.
    if regime.is_none()
        && let Some(i) = out.find("{regime}")
    {
        let open = out[..i].rfind(['(', '（']);
        let close = out[i..].find([')', '）']).map(|j| i + j);
        if let (Some(a), Some(b)) = (open, close) {
            let b = b + out[b..].chars().next().map_or(1, char::len_utf8);
            let a = if out[..a].ends_with(' ') { a - 1 } else { a };
            out.replace_range(a..b, "");
        }
    }
    let out = out.replace("{regime}", &quoted);
    out.trim_end().replace("  ", " ").replace(" .", ".")
}

fn translate_nexus(why: &str) -> String {
    if why.contains("written in Chinese") {
        "合同以中文起草".into()
    } else if why.contains("governing law is PRC") {
        "适用法律为中国法律".into()
    } else if why.contains("no party appears") {
        "未发现中国当事方，且适用法律不是中国法律".into()
    } else if why.contains("profile says a PRC") {
        "当事方配置表明涉及中国当事方".into()
    } else if why.contains("profile says no PRC") {
        "当事方配置表明不涉及中国当事方".into()
    } else if let Some(name) = why.strip_suffix(" appears to be a PRC party") {
        format!("{name}似为中国当事方")
    } else if let Some(name) = why.strip_suffix(" is a PRC party (profile)") {
        format!("{name}为中国当事方（配置）")
    } else {
        why.to_string()
    }
}

/// A sentence that carves clauses out for blocking law ("Nothing in this
/// Article 7 requires … the PRC Anti-Foreign Sanctions Law"), and what it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarveOut {
    pub sentence: Span,
    /// Names PRC anti-sanctions or blocking law.
    pub prc: bool,
    /// Names EU or UK blocking law (which does not protect a PRC party).
    pub eu: bool,
    scope: Scope,
    label: String,
}

impl CarveOut {
    /// Recomputes what the carve-out reaches, after numbering may have changed.
    pub fn refresh(&mut self, doc: &Document) {
        if let Some(b) = doc.block_at(self.sentence.start) {
            self.scope = carve_out_scope(doc, &doc.blocks()[b], self.sentence);
        }
        self.label = doc.clause_label_at(self.sentence.start).unwrap_or_default();
    }

    /// Moves the carve-out after an edit that changed the text length by
    /// `delta` at byte `at` (the carve-out itself lies outside the edit).
    pub fn shift(&mut self, at: usize, delta: isize) {
        let move_span = |s: &mut Span| {
            if s.start >= at {
                *s = s.shifted(delta);
            } else if s.end > at {
                s.end = (s.end as isize + delta) as usize;
            }
        };
        move_span(&mut self.sentence);
        if let Scope::Spans(v) = &mut self.scope {
            v.iter_mut().for_each(move_span);
        }
    }
}

/// Finds the carve-out sentences of a document from the analysis's trigger hits.
/// With `within`, only the carve-outs whose hits lie in that span.
pub fn collect_carve_outs(
    doc: &Document,
    analysis: &Analysis,
    within: Option<Span>,
) -> Vec<CarveOut> {
    let ids = &analysis.ids;
    let mut out: Vec<CarveOut> = Vec::new();
    let hits: Vec<_> = analysis
        .hits_of(ids.blocking_law)
        .chain(analysis.hits_of(ids.blocking_eu))
        .filter(|h| within.is_none_or(|w| w.covers(&h.span)))
        .collect();
    for h in hits {
        let Some(b) = doc.block_at(h.span.start) else {
            continue;
        };
        let block = &doc.blocks()[b];
        if block.kind.is_quoted_material() {
            continue;
        }
        let Some(sentence) = doc
            .sentences(block.body.unwrap_or(block.span))
            .into_iter()
            .find(|s| s.covers(&h.span))
        else {
            continue;
        };
        let prc = h.group == ids.blocking_law;
        if let Some(existing) = out.iter_mut().find(|c| c.sentence == sentence) {
            existing.prc |= prc;
            existing.eu |= !prc;
            continue;
        }
        out.push(CarveOut {
            sentence,
            prc,
            eu: !prc,
            scope: carve_out_scope(doc, block, sentence),
            label: doc.clause_label_at(sentence.start).unwrap_or_default(),
        });
    }
    out
}

/// Lowers the findings that carve-outs elsewhere in the document cover.
pub fn apply_carve_outs(carve_outs: &[CarveOut], findings: &mut [Finding]) {
    for c in carve_outs {
        for f in findings.iter_mut() {
            if f.sentence == c.sentence || !c.scope.covers(f.sentence) || f.code.starts_with('S') {
                continue;
            }
            if c.prc {
                if f.severity > Severity::Info {
                    f.severity = Severity::Info;
                }
                f.reasons.push(match f.lang {
                    Lang::En => format!(
                        "carved out for the PRC Anti-Foreign Sanctions Law or Blocking Rules by {}",
                        if c.label.is_empty() {
                            "another clause".into()
                        } else {
                            format!("clause {}", c.label)
                        }
                    ),
                    Lang::Zh => format!(
                        "{}已就《反外国制裁法》或阻断办法作出例外约定",
                        if c.label.is_empty() {
                            "其他条款".into()
                        } else {
                            format!("第{}条", c.label)
                        }
                    ),
                });
            } else if c.eu
                && !f
                    .reasons
                    .iter()
                    .any(|r| r.contains("EU or UK") || r.contains("欧盟或英国"))
            {
                f.severity = f.severity.lower();
                f.reasons.push(match f.lang {
                    Lang::En => "a carve-out elsewhere covers EU or UK blocking law only, which does not protect a PRC party".to_string(),
                    Lang::Zh => "其他条款仅就欧盟或英国阻断法作出例外，不能保护中国当事方".to_string(),
                });
            }
        }
    }
}

/// What a carve-out sentence reaches: the clauses it cross-refers to, the
/// whole agreement, or else its own clause.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    All,
    Spans(Vec<Span>),
}

impl Scope {
    fn covers(&self, s: Span) -> bool {
        match self {
            Scope::All => true,
            Scope::Spans(v) => v.iter().any(|c| c.covers(&s)),
        }
    }
}

fn carve_out_scope(doc: &Document, block: &crate::document::Block, sentence: Span) -> Scope {
    let text = doc.text();
    let s = sentence.text(text);
    let lower = s.to_lowercase();
    let mut spans = Vec::new();
    for x in block.cross_references.iter().filter(|x| sentence.covers(x)) {
        let wanted = normalize_ref(x.text(text));
        for c in doc.clauses() {
            let hit = c
                .label
                .as_deref()
                .map(normalize_ref)
                .is_some_and(|l| !l.is_empty() && l == wanted)
                || c.number(text)
                    .map(normalize_ref)
                    .is_some_and(|l| !l.is_empty() && l == wanted);
            if hit {
                spans.push(c.span);
            }
        }
    }
    if !spans.is_empty() {
        return Scope::Spans(spans);
    }
    if [
        "this agreement",
        "hereunder",
        "this contract",
        "these terms",
        "本协议",
        "本合同",
        "本条款",
    ]
    .iter()
    .any(|k| lower.contains(k))
    {
        return Scope::All;
    }
    match doc.clause_at(sentence.start) {
        Some(c) => {
            let top = doc
                .clause_path(c)
                .into_iter()
                .find(|&id| doc.clauses()[id].number_span.is_some())
                .unwrap_or(c);
            Scope::Spans(vec![doc.clauses()[top].span])
        }
        None => Scope::Spans(vec![]),
    }
}

/// `Section 11` → `11`, `Article 7` → `7`, `第九条` → `九`, `ARTICLE VII` → `vii`.
fn normalize_ref(r: &str) -> String {
    let t = r.trim().trim_end_matches('.').to_lowercase();
    let t = t
        .trim_start_matches(|c: char| c.is_alphabetic() && c.is_ascii())
        .trim();
    let t = t
        .trim_start_matches('第')
        .trim_end_matches(['条', '款', '章', '节']);
    t.trim_end_matches('.').to_string()
}
