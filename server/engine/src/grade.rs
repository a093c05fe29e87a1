//! Turning a rule match into a graded finding (§6.0 of the legal research:
//! action, enlistment, target, voluntariness, nexus, active orders), and
//! applying document-wide carve-outs.

use comity_document::Document;
use comity_finding::{Citation, Finding, RelatedDefinition, Severity};
use comity_rules::{CompiledDetect, Rule, RuleSet};
use comity_text::Lang;
use comity_text::Span;

use super::analysis::{Analysis, Signals};
use super::settings::{ActFor, Nexus, Settings};
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
    // Axis F: a MOFCOM prohibition order protects the target. Buying from
    // or paying a protected company restricts nothing: no finding.
    if signals.has(ids.po_target) && !RESTRICTS.is_match(sentence.text(text)) {
        return None;
    }
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
            let r = comity_rules::CitationRef {
                instrument: order.instrument.clone(),
                article: order.article.clone(),
                when: None,
            };
            extra_citations.extend(rules.citation(&r, lang));
            for art in ["7", "9", "13"] {
                let r = comity_rules::CitationRef {
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
        // Regulation 2271/96 or AWV §7 protects the EU or UK party (the
        // Restricted-Lender model), not a PRC party: said, not downgraded.
        reasons.push(say(
            lang,
            "carved out for EU or UK blocking law only, which protects an EU or UK party, not a PRC party; not downgraded",
            "仅就欧盟或英国阻断法作出例外，保护的是欧盟或英国当事方而非中国当事方；不降低风险等级",
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
    // Over-grading checks (issue 21, point 15): what the clause really does.
    if let Some((cap, en, zh)) = severity_cap(
        &f.code,
        sentence.text(text),
        matches!(analysis.nexus, Nexus::Present(_)),
        signals.has(rules.lexicon.id("designation")),
    ) && severity > cap
    {
        severity = cap;
        reasons.push(say(lang, en, zh));
    }
    // Governing law and forum change the advice: say what this one changes.
    let law = settings
        .profile
        .governing_law
        .clone()
        .or_else(|| doc.governing_law().map(|g| g.jurisdiction.clone()));
    if let Some(note) = governing_law_note(law.as_ref(), &f.code, lang) {
        reasons.push(note);
    }
    // Whom the reviewer acts for frames the severity.
    let act_for = settings.profile.act_for;
    if matches!(
        act_for,
        ActFor::UsExporter | ActFor::Lender | ActFor::ThirdCountry
    ) && severity == Severity::Error
        && !signals.has(ids.po_target)
    {
        severity = Severity::Warning;
        reasons.push(say(
            lang,
            "graded for the side you act for: the AFSL exposure falls on you through a PRC court claim, the countermeasure list or the Unreliable Entity List, mainly where you have business or assets in the PRC",
            "按您所代表的一方评级：《反外国制裁法》风险主要通过中国法院诉讼、反制清单或不可靠实体清单落到您身上，在您于中国境内有业务或资产时尤为明显",
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

    let mut suggestions = suggest::suggestions(doc, analysis, rule, sentence, lang);
    // The side that asks for US-law protection sees the middle ground first.
    if act_for.prefers_middle_ground() && suggestions.len() >= 3 {
        suggestions.swap(0, 1);
    }
    if let Some(frame) = act_for_frame(act_for, lang) {
        if lang == Lang::En {
            message.push(' ');
        }
        message.push_str(frame);
    }
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

static RESTRICTS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:not|no|never|nor|refus[a-z]*|prohibit[a-z]*|restrict[a-z]*|ceas[a-z]*|terminat[a-z]*|suspend[a-z]*|withh[oe]ld[a-z]*|declin[a-z]*|block[a-z]*|freez[a-z]*|froze[a-z]*|avoid[a-z]*|exclud[a-z]*|reject[a-z]*|stop[a-z]*|bar|barred|forbid[a-z]*)\b|不得|禁止|拒绝|停止|终止|中止|暂停|限制|不再|冻结|排除|不予|不与|避免",
    )
    .unwrap()
});
static LICENCE_ROUTE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:apply|applies|applying|application)\b[^;]{0,80}\blicen[cs]e\b[^;]{0,120}\b(?:pay|paid|perform|deliver)[a-z]*\b[^;]{0,60}\b(?:once|after|upon|when|promptly after)\b[^;]{0,40}\b(?:licensed|granted|obtained|issued|authori[sz]ed)\b|申请[^。；]{0,30}许可[^。；]{0,60}(?:取得|获得|获批)[^。；]{0,15}(?:许可|批准)?(?:后|之后)[^。；]{0,15}(?:付款|支付|履行|交付)",
    )
    .unwrap()
});
static PENDING_LICENCE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:until|pending|unless and until)\b[^;]{0,40}\b(?:obtains?|receives?|is granted|the grant of|the issue of|has obtained)\b[^;]{0,40}\blicen[cs]e\b|(?:直至|在)[^。；]{0,20}(?:取得|获得)[^。；]{0,20}许可(?:之前|前|为止)?",
    )
    .unwrap()
});
static UFLPA_DETENTION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:UFLPA|Uyghur Forced Labor Prevention Act)\b[^;]{0,200}\b(?:detain[a-z]*|detention|exclu[a-z]+|seiz[a-z]+)\b|\b(?:detain[a-z]*|detention|exclu[a-z]+|seiz[a-z]+)\b[^;]{0,200}\b(?:UFLPA|Uyghur Forced Labor Prevention Act|Customs and Border Protection|CBP)\b|(?:扣留|扣押|暂扣)[^。；]*(?:UFLPA|维吾尔强迫劳动预防法|海关与边境保护局)|(?:UFLPA|维吾尔强迫劳动预防法|海关与边境保护局)[^。；]{0,40}(?:扣留|扣押|暂扣|拒绝入境)",
    )
    .unwrap()
});

/// Whether a sentence can match `LICENCE_ROUTE` or `PENDING_LICENCE`: both
/// need "licence"/"license" or 许可.
fn mentions_licence(sentence: &str) -> bool {
    sentence.contains("许可") || contains_ascii_ci(sentence, b"licen")
}

/// Whether a sentence can match `UFLPA_DETENTION`: every branch names the
/// UFLPA, the Uyghur act, US Customs (CBP) or their Chinese names.
fn mentions_uflpa(sentence: &str) -> bool {
    sentence.contains("UFLPA")
        || sentence.contains("CBP")
        || sentence.contains("维吾尔")
        || sentence.contains("海关与边境保护局")
        || contains_ascii_ci(sentence, b"uyghur")
        || contains_ascii_ci(sentence, b"customs and border")
}

fn contains_ascii_ci(haystack: &str, needle: &[u8]) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The highest severity a finding can have given what the clause really
/// does: a licence route is the recommended course; a pause only until a
/// licence is granted, an indemnity for a US import detention, and screening
/// with no PRC party shown are not errors.
fn severity_cap(
    code: &str,
    sentence: &str,
    prc_party: bool,
    designation: bool,
) -> Option<(Severity, &'static str, &'static str)> {
    // Cheap literal gates first: each pattern compiles on first use, and most
    // drafts never need it.
    let licence = mentions_licence(sentence);
    if licence && LICENCE_ROUTE.is_match(sentence) {
        return Some((
            Severity::Info,
            "a licence route: the party applies for a licence and pays or performs once licensed, the course the Nanjing case shows to be lawful; it is not a refusal",
            "许可路径：一方申请许可并在取得许可后付款或履行，南京案表明该路径合法；并非拒绝履行",
        ));
    }
    if code == "T04" && !designation && licence && PENDING_LICENCE.is_match(sentence) {
        return Some((
            Severity::Warning,
            "a pause only until a licence is obtained, not a refusal because of a listing",
            "仅在取得许可前暂停履行，并非因列名而拒绝履行",
        ));
    }
    if code == "T10" && mentions_uflpa(sentence) && UFLPA_DETENTION.is_match(sentence) {
        return Some((
            Severity::Warning,
            "an indemnity for goods detained or excluded by US Customs under the UFLPA allocates a US import risk; it does not act against a Chinese party because of its listing",
            "就美国海关依UFLPA扣留或拒绝入境的货物作出的赔偿，是对美国进口风险的分配，并非因中国当事方被列名而对其采取行动",
        ));
    }
    if code == "T09" && !prc_party {
        return Some((
            Severity::Warning,
            "no PRC party is shown: an unknown PRC link is not a PRC link, so screening is not graded as an error",
            "未显示存在中国当事方：中国连接点不明不等于存在中国连接点，因此筛查条款不按错误等级处理",
        ));
    }
    None
}

/// What the governing law changes, for the finding's reasons.
fn governing_law_note(
    law: Option<&comity_document::Jurisdiction>,
    code: &str,
    lang: Lang,
) -> Option<String> {
    use comity_document::Jurisdiction as J;
    let lamesa = code == "T05";
    let (en, zh): (String, String) = match law? {
        J::Prc => (
            "governing law is PRC law: a PRC court applies AFSL Art. 12 and Order No. 803 to the clause directly".into(),
            "适用法律为中国法律：中国法院将直接对该条款适用《反外国制裁法》第十二条及国务院令第803号".into(),
        ),
        J::HongKong => (
            "governing law is Hong Kong law: the AFSL is not listed in Annex III to the Basic Law, so a Hong Kong court applying Hong Kong law does not apply it; the risk remains for a PRC party suing in a mainland court and for assets in the mainland".into(),
            "适用法律为香港法律：《反外国制裁法》未列入《基本法》附件三，香港法院适用香港法律时不适用该法；但中国当事方仍可在内地法院起诉，内地资产仍有风险".into(),
        ),
        J::Taiwan => (
            "governing law is the law of Taiwan: the AFSL is not part of it, and a company established under the law of Taiwan is not treated as a PRC party by default".into(),
            "适用法律为台湾地区法律：《反外国制裁法》不属于该法律体系；依台湾地区法律设立的公司默认不视为中国大陆当事方".into(),
        ),
        J::Uk => (
            format!(
                "governing law is English law: an English court does not apply the AFSL as the law of the contract{}; the AFSL still reaches a PRC party and PRC assets through a PRC court",
                if lamesa {
                    ", and has read a “mandatory law” payment excuse as covering US secondary sanctions (Lamesa v Cynergy, 2020)"
                } else {
                    ""
                }
            ),
            format!(
                "适用法律为英格兰法律：英国法院不将《反外国制裁法》作为合同准据法适用{}；但中国当事方仍可通过中国法院主张权利，中国境内资产仍有风险",
                if lamesa {
                    "，并曾认定“强制性法律”付款例外涵盖美国次级制裁（Lamesa诉Cynergy案，2020年）"
                } else {
                    ""
                }
            ),
        ),
        J::Singapore => (
            format!(
                "governing law is Singapore law: a Singapore court does not apply the AFSL as the law of the contract{}; the AFSL still reaches a PRC party and PRC assets through a PRC court",
                if lamesa {
                    "; Lamesa is an English decision and only persuasive there"
                } else {
                    ""
                }
            ),
            format!(
                "适用法律为新加坡法律：新加坡法院不将《反外国制裁法》作为合同准据法适用{}；但中国当事方仍可通过中国法院主张权利，中国境内资产仍有风险",
                if lamesa {
                    "；Lamesa案为英国判决，在新加坡仅有说服力"
                } else {
                    ""
                }
            ),
        ),
        J::Us => (
            "governing law is US law: a US court enforces the clause and does not give effect to the AFSL; the risk lies in a PRC court action and PRC assets".into(),
            "适用法律为美国法律：美国法院会执行该条款，不会适用《反外国制裁法》；风险在于中国法院诉讼及中国境内资产".into(),
        ),
        _ => return None,
    };
    Some(say(lang, &en, &zh))
}

/// One sentence framing the finding for the side the reviewer acts for.
fn act_for_frame(act_for: ActFor, lang: Lang) -> Option<&'static str> {
    let (en, zh) = match act_for {
        ActFor::Neutral => return None,
        ActFor::PrcParty => (
            "Acting for the PRC party: resist the clause or ask for the first alternative wording; agreeing to it may itself be implementing the measure.",
            "代表中方：建议拒绝该条款或要求采用第一种替代表述；同意该条款本身即可能构成执行外国措施。",
        ),
        ActFor::UsExporter => (
            "Acting for the US exporter: deleting the clause has a US-law cost (see the US-side note); offer the narrowed wording first so that the PRC counterparty can sign.",
            "代表美国出口方：删除该条款在美国法上有代价（见美方说明）；建议首先提出收窄后的表述，便于中方签署。",
        ),
        ActFor::Lender => (
            "Acting for the lender: keep what the laws binding on you require, and carve out the PRC obligor's conflict with its blocking law (the Restricted-Lender model).",
            "代表贷款人：保留对您有约束力的法律所要求的内容，并就中国债务人与其阻断法律的冲突作出例外（“受限贷款人”模式）。",
        ),
        ActFor::ThirdCountry => (
            "Acting for a third-country party: US secondary sanctions do not bind you, but designation and loss of US-dollar banking are real risks; keep a right to decline your own participation rather than a right to act against the PRC party.",
            "代表第三国当事方：美国次级制裁对您并无约束力，但被列名及失去美元银行服务的风险真实存在；建议保留拒绝自身参与的权利，而非针对中方采取行动的权利。",
        ),
    };
    Some(if lang == Lang::En { en } else { zh })
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

/// A sentence that names blocking law ("Nothing in this Article 7 requires …
/// the PRC Anti-Foreign Sanctions Law"), what it does and what it reaches.
/// Naming the law is not enough: only a sentence that carves something out
/// can lower a finding, and a waiver of the law's remedies lowers nothing
/// (it is a finding of its own, W01).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarveOut {
    pub sentence: Span,
    /// Names PRC anti-sanctions or blocking law.
    pub prc: bool,
    /// Names EU or UK blocking law (which does not protect a PRC party).
    pub eu: bool,
    /// A waiver of blocking-law remedies, not a carve-out.
    pub waiver: Option<Waiver>,
    /// A "Repetition" clause: the representations it reaches are repeated
    /// (on each Utilisation Request, each payment date …), so a later listing
    /// makes them untrue. It raises the status representations it reaches.
    pub repetition: bool,
    /// What the sentence restrains.
    pub restrains: Restrains,
    /// Whom it protects.
    pub protects: Protects,
    scope: Scope,
    label: String,
}

/// What a carve-out restrains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restrains {
    /// Only names the law ("… under the PRC Anti-Foreign Sanctions Law").
    Nothing,
    /// Obligations only: "nothing requires either Party to take or omit any
    /// action …" leaves a discretionary right ("may terminate") untouched.
    Obligations,
    /// Rights as well: "shall not apply", "no Party may terminate …".
    Everything,
}

/// Whom a carve-out protects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protects {
    /// Either / each / any party.
    All,
    /// Only the named party; `prc` if that party is known to be (or not to
    /// be) a PRC party.
    Named { name: String, prc: Option<bool> },
}

/// A waiver of AFSL or Blocking Rules remedies, found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub severity: Severity,
    pub lang: Lang,
    pub fingerprint: String,
    /// The party that waives, if the sentence names it.
    pub by: Option<String>,
}

/// The discretionary rights among the rules: a carve-out of obligations does
/// not restrain them.
fn is_right(code: &str) -> bool {
    matches!(code, "T04" | "T05" | "T15")
}

static WAIVER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\bwaiv(?:e|es|ed|ing|er|ers)\b|\brelease[sd]?\b[^.;]{0,60}\bclaims?\b|\b(?:shall|will|may) not (?:bring|commence|assert|make|pursue|institute) any (?:claim|action|suit|proceedings?)\b|\bcovenants? not to sue\b|放弃|不(?:得|会|应|再)?(?:就|依据|根据|依)?[^。；]{0,30}(?:提起|主张)[^。；]{0,10}(?:索赔|诉讼|权利|请求|赔偿)|不予追究|不追究",
    )
    .unwrap()
});
static RESTRAINS_RIGHTS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:may not|shall not|cannot|will not|must not)\b[^.;]{0,80}\b(?:terminat[a-z]*|suspend[a-z]*|withh[oe]ld[a-z]*|refus[a-z]*|set[- ]off|rescind[a-z]*|declin[a-z]*|exercis[a-z]*|cancel[a-z]*|accelerat[a-z]*|invok[a-z]*|rely)\b|\b(?:shall|does|will) not (?:apply|entitle|permit|allow|operate)\b|\bnot be entitled\b|\bshall not be (?:exercised|invoked|enforced)\b|\bunenforceable\b|\bshall be void\b|\bno right\b|\b(?:no|neither) (?:party|person|[a-z]+) (?:may|shall)\b[^.;]{0,80}\b(?:terminat[a-z]*|suspend[a-z]*|withh[oe]ld[a-z]*|refus[a-z]*|set[- ]off|rescind[a-z]*|declin[a-z]*|exercis[a-z]*|cancel[a-z]*|accelerat[a-z]*|invok[a-z]*|rely)\b|不得[^。；]{0,30}(?:解除|终止|中止|暂停|拒绝|暂扣|扣留|扣减|抵销|行使|援引)|无权|不享有|不适用|不产生",
    )
    .unwrap()
});
static RESTRAINS_OBLIGATIONS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
            r"(?i)\bnothing in\b|\b(?:require|requires|required|oblige|obliges|obliged|obligation|obligations)\b|\b(?:except|save) to the extent\b|\bto the extent that\b[^.;]{0,120}\b(?:would|breach|violat|contraven|inconsistent)|\bnotwithstanding\b|\bshall not be construed\b|\bexcept (?:where|if)\b|不要求|无须|无需|不负有|除外|不应被解释|不视为|不构成[^。；]{0,10}义务",
        )
        .unwrap()
});
static EVERY_PARTY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:either|each|any|neither|no|both|all) (?:of the )?part(?:y|ies)\b|\bthe parties\b|\bany person\b|任何一方|各方|双方|任何当事方|任何主体",
    )
    .unwrap()
});

/// Reads what a sentence naming blocking law does: waives, carves out
/// obligations, carves out everything, or only mentions the law.
pub fn classify_carve_out(text: &str) -> (bool, Restrains) {
    if WAIVER.is_match(text) {
        return (true, Restrains::Nothing);
    }
    if RESTRAINS_RIGHTS.is_match(text) {
        (false, Restrains::Everything)
    } else if RESTRAINS_OBLIGATIONS.is_match(text) {
        (false, Restrains::Obligations)
    } else {
        (false, Restrains::Nothing)
    }
}

/// Whom a carve-out protects: every party, or only one it names.
fn protected_party(doc: &Document, text: &str) -> Protects {
    if EVERY_PARTY.is_match(text) {
        return Protects::All;
    }
    let named = doc
        .parties()
        .iter()
        .filter_map(|p| {
            let n = p.short_name.as_deref()?;
            text.find(n).map(|i| (i, n, p))
        })
        .min_by_key(|(i, _, _)| *i);
    if let Some((_, n, p)) = named {
        return Protects::Named {
            name: format!("the {n}").replace("the the ", "the "),
            prc: p.jurisdiction.as_ref().map(|j| j.is_prc()),
        };
    }
    // The LMA model names the protected lender by its role.
    let lower = text.to_lowercase();
    for role in [
        "restricted lender",
        "restricted finance party",
        "restricted party",
        "the lender",
        "the agent",
        "each lender",
    ] {
        if lower.contains(role) {
            let name = if role.starts_with("each ") || role.starts_with("the ") {
                role.to_string()
            } else {
                format!("the {role}")
            };
            return Protects::Named {
                name,
                prc: Some(false),
            };
        }
    }
    // A party named by its role alone ("the Seller", “买方”), whose
    // jurisdiction the draft does not show.
    static ROLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\b(?:[Tt]he|to|by|of) (Seller|Buyer|Supplier|Customer|Licensor|Licensee|Lender|Borrower|Distributor|Purchaser|Vendor|Contractor|Carrier|Company|Investor|Guarantor|Provider)\b|(甲方|乙方|买方|卖方|供方|需方|许可方|被许可方|贷款人|借款人)",
        )
        .unwrap()
    });
    if let Some(c) = ROLE.captures(text) {
        let name = c
            .get(1)
            .map(|m| format!("the {}", m.as_str()))
            .or_else(|| c.get(2).map(|m| m.as_str().to_string()))
            .unwrap_or_default();
        return Protects::Named { name, prc: None };
    }
    Protects::All
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

    fn where_(&self, lang: Lang) -> String {
        match (lang, self.label.is_empty()) {
            (Lang::En, true) => "another clause".into(),
            (Lang::En, false) => format!("clause {}", self.label),
            (Lang::Zh, true) => "其他条款".into(),
            (Lang::Zh, false) => format!("第{}条", self.label),
        }
    }
}

/// Finds the sentences of a document that name blocking law, from the
/// analysis's trigger hits. With `within`, only those whose hits lie in that span.
pub fn collect_carve_outs(
    doc: &Document,
    analysis: &Analysis,
    within: Option<Span>,
) -> Vec<CarveOut> {
    let ids = &analysis.ids;
    let text = doc.text();
    let mut out: Vec<CarveOut> = Vec::new();
    let hits: Vec<_> = analysis
        .hits_of(ids.blocking_law)
        .chain(analysis.hits_of(ids.blocking_eu))
        .filter(|h| within.is_none_or(|w| w.covers(&h.span)))
        .collect();
    // A block's sentences are split once, and carve-outs found by sentence,
    // so that a long paragraph full of carve-outs costs one pass.
    let mut split: Option<(usize, Vec<Span>)> = None;
    let mut by_sentence: std::collections::HashMap<Span, usize> = Default::default();
    for h in hits {
        let Some(b) = doc.block_at(h.span.start) else {
            continue;
        };
        let block = &doc.blocks()[b];
        if block.kind.is_quoted_material() {
            continue;
        }
        if split.as_ref().is_none_or(|(sb, _)| *sb != b) {
            split = Some((b, doc.sentences(block.body.unwrap_or(block.span))));
        }
        let sentences = &split.as_ref().expect("split above").1;
        let i = sentences.partition_point(|s| s.end < h.span.end);
        let Some(&sentence) = sentences.get(i).filter(|s| s.covers(&h.span)) else {
            continue;
        };
        let prc = h.group == ids.blocking_law;
        if let Some(&k) = by_sentence.get(&sentence) {
            let existing = &mut out[k];
            existing.prc |= prc;
            existing.eu |= !prc;
            continue;
        }
        by_sentence.insert(sentence, out.len());
        let s = sentence.text(text);
        let (is_waiver, restrains) = classify_carve_out(s);
        let lang = if comity_text::has_cjk(s) {
            Lang::Zh
        } else {
            Lang::En
        };
        let protects = protected_party(doc, s);
        let waiver = is_waiver.then(|| {
            let by = match &protects {
                Protects::Named { name, .. } => Some(name.clone()),
                Protects::All => None,
            };
            // A PRC party giving up its own protection: an error.
            let prc_gives = match &protects {
                Protects::Named { prc, .. } => *prc == Some(true),
                Protects::All => false,
            } || matches!(analysis.nexus, Nexus::Present(_));
            Waiver {
                severity: if prc_gives {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                lang,
                fingerprint: suggest::fingerprint("W01", s),
                by,
            }
        });
        out.push(CarveOut {
            sentence,
            prc,
            eu: !prc,
            waiver,
            repetition: false,
            restrains,
            protects,
            scope: carve_out_scope(doc, block, sentence),
            label: doc.clause_label_at(sentence.start).unwrap_or_default(),
        });
    }
    collect_repetitions(doc, within, &mut out);
    out
}

static REPETITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\brepresentations?\b[^;\n]{0,120}\b(?:deemed to be |shall be deemed |are |is )?(?:repeated|made again)\b[^;\n]{0,160}\b(?:each|every|any)\b|\brepeating representations\b[^;\n]{0,120}\b(?:deemed|made|repeated)\b|(?:声明|陈述|保证)[^。；\n]{0,40}视为[^。；\n]{0,40}(?:重复|再次)作出|视为在每一[^。；\n]{0,20}(?:重复|再次)作出",
    )
    .unwrap()
});

/// The sentences that repeat representations ("deemed to be repeated … on
/// each Utilisation Request"), as carve-out-like entries that raise rather
/// than lower.
fn collect_repetitions(doc: &Document, within: Option<Span>, out: &mut Vec<CarveOut>) {
    let text = doc.text();
    if !(text.contains("epeat") || text.contains("重复") || text.contains("再次作出")) {
        return;
    }
    for m in REPETITION.find_iter(text) {
        let span = Span::new(m.start(), m.end());
        if within.is_some_and(|w| !w.covers(&span)) {
            continue;
        }
        let Some(b) = doc.block_at(span.start) else {
            continue;
        };
        let block = &doc.blocks()[b];
        if block.kind.is_quoted_material() {
            continue;
        }
        let Some(sentence) = doc
            .sentences(block.body.unwrap_or(block.span))
            .into_iter()
            .find(|s| s.start <= span.start && span.start < s.end)
        else {
            continue;
        };
        // A definition of "Repeating Representations" defines; it repeats nothing.
        let s = sentence.text(text);
        if s.trim_start().starts_with(['"', '“']) {
            continue;
        }
        if out.iter().any(|c| c.sentence == sentence) {
            continue;
        }
        out.push(CarveOut {
            sentence,
            prc: false,
            eu: false,
            waiver: None,
            repetition: true,
            restrains: Restrains::Nothing,
            protects: Protects::All,
            scope: carve_out_scope(doc, block, sentence),
            label: doc.clause_label_at(sentence.start).unwrap_or_default(),
        });
    }
}

/// Lowers the findings that carve-outs elsewhere in the document really
/// cover, says why a sentence that names blocking law did not lower one, and
/// adds a finding for each waiver of blocking-law remedies.
pub fn apply_carve_outs(carve_outs: &[CarveOut], findings: &mut Vec<Finding>) {
    for c in carve_outs.iter().filter(|c| c.repetition) {
        for f in findings.iter_mut() {
            if f.code != "T03" || f.sentence == c.sentence || !c.scope.covers(f.sentence) {
                continue;
            }
            if f.severity < Severity::Warning {
                f.severity = Severity::Warning;
            }
            let at = c.where_(f.lang);
            f.reasons.push(match f.lang {
                Lang::En => format!("repeated by {at}: a later US listing makes the representation untrue when it is repeated, which can be a default"),
                Lang::Zh => format!("{at}约定该声明重复作出：此后的美国列名将使重复作出的声明失实，可能构成违约"),
            });
        }
    }
    for c in carve_outs.iter().filter(|c| !c.repetition) {
        if let Some(w) = &c.waiver
            && c.prc
        {
            findings.push(waiver_finding(c, w));
        }
        for f in findings.iter_mut() {
            if f.sentence == c.sentence
                || !c.scope.covers(f.sentence)
                || f.code.starts_with('S')
                || f.code == "W01"
            {
                continue;
            }
            let at = c.where_(f.lang);
            let mut note = |en: String, zh: String| {
                let r = match f.lang {
                    Lang::En => en,
                    Lang::Zh => zh,
                };
                if !f.reasons.contains(&r) {
                    f.reasons.push(r);
                }
            };
            if c.waiver.is_some() {
                note(
                    format!(
                        "{at} waives remedies under blocking law; a waiver is not a carve-out and lowers nothing"
                    ),
                    format!("{at}放弃依阻断法律享有的救济；弃权并非例外约定，不降低风险等级"),
                );
                continue;
            }
            if !c.prc {
                note(
                    format!(
                        "{at} carves out EU or UK blocking law only (e.g. Regulation 2271/96, AWV §7), which protects an EU or UK party, not a PRC party; it lowers nothing here"
                    ),
                    format!(
                        "{at}仅就欧盟或英国阻断法（如第2271/96号条例、德国《对外经济条例》第7条）作出例外，保护的是欧盟或英国当事方而非中国当事方；不降低风险等级"
                    ),
                );
                continue;
            }
            match c.restrains {
                Restrains::Nothing => {
                    note(
                        format!(
                            "{at} names PRC blocking law but carves nothing out; it lowers nothing"
                        ),
                        format!("{at}提及中国阻断法律，但并未作出任何例外约定；不降低风险等级"),
                    );
                    continue;
                }
                Restrains::Obligations if is_right(&f.code) => {
                    note(
                        format!(
                            "{at} says only that nothing requires a party to act in breach of PRC blocking law; that does not restrain the discretionary right flagged here; it lowers nothing here"
                        ),
                        format!(
                            "{at}仅约定不要求任何一方违反中国阻断法律行事，并不限制此处标出的自主权利；不降低风险等级"
                        ),
                    );
                    continue;
                }
                _ => {}
            }
            match &c.protects {
                Protects::Named {
                    name,
                    prc: Some(false),
                } => {
                    note(
                        format!(
                            "{at} protects only {name}, not the PRC party; it lowers nothing here"
                        ),
                        format!("{at}仅保护{name}，不保护中国当事方；不降低风险等级"),
                    );
                    continue;
                }
                Protects::Named { name, prc: None } => {
                    note(
                        format!(
                            "{at} protects only {name}, and the draft does not show that {name} is the PRC party; it lowers nothing here"
                        ),
                        format!("{at}仅保护{name}，而本文未显示{name}为中国当事方；不降低风险等级"),
                    );
                    continue;
                }
                _ => {}
            }
            if f.severity > Severity::Info {
                f.severity = Severity::Info;
            }
            let what = match c.restrains {
                Restrains::Everything => (
                    "which disapplies or restrains it",
                    "该条款排除或限制了此处的约定",
                ),
                _ => (
                    "which releases the obligation flagged here",
                    "该条款免除了此处标出的义务",
                ),
            };
            note(
                format!(
                    "carved out for the PRC Anti-Foreign Sanctions Law or Blocking Rules by {at}, {}",
                    what.0
                ),
                format!("{at}已就《反外国制裁法》或阻断办法作出例外约定，{}", what.1),
            );
        }
    }
}

fn waiver_finding(c: &CarveOut, w: &Waiver) -> Finding {
    let who_en =
        w.by.as_deref()
            .map(|b| format!("{b}'s "))
            .unwrap_or_default();
    let message = match w.lang {
        Lang::En => format!(
            "This sentence waives {who_en}claims or remedies under the PRC Anti-Foreign Sanctions Law or Blocking Rules. A waiver is not a carve-out: it lowers no risk elsewhere in the draft, and a PRC party that gives it gives up the claim for cessation and damages (AFSL Art. 12, Order No. 803 Art. 18); a PRC court may also refuse to enforce it."
        ),
        Lang::Zh => "本句放弃依《反外国制裁法》或阻断办法提出索赔或寻求救济的权利。弃权并非例外约定，不能降低本文其他条款的风险；中国当事方作出此类弃权，即放弃请求停止侵害、赔偿损失的权利（《反外国制裁法》第十二条、国务院令第803号第十八条），中国法院也可能不予认可。".to_string(),
    };
    Finding {
        code: "W01".into(),
        slug: "waiver-of-blocking-law-remedies".into(),
        severity: w.severity,
        span: c.sentence,
        sentence: c.sentence,
        clause: (!c.label.is_empty()).then(|| c.label.clone()),
        lang: w.lang,
        message,
        reasons: vec![match (w.lang, w.severity) {
            (Lang::En, Severity::Error) => "the waiver is given by, or binds, a PRC party".into(),
            (Lang::En, _) => "no PRC party is shown to give the waiver".into(),
            (Lang::Zh, Severity::Error) => "弃权由中国当事方作出或约束中国当事方".into(),
            (Lang::Zh, _) => "未显示由中国当事方作出弃权".into(),
        }],
        citations: Vec::new().into(),
        related: Vec::new(),
        suggestions: Vec::new().into(),
        fingerprint: w.fingerprint.clone(),
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

fn carve_out_scope(doc: &Document, block: &comity_document::Block, sentence: Span) -> Scope {
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
