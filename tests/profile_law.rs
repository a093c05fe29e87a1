//! Issue 21, points 13–16: governing law and forum, the "we act for"
//! profile, and suppressed findings shown on request.

use comity_document::{Document, Jurisdiction};
use comity_engine::{ActFor, Nexus, Settings, lint};
use comity_finding::{Finding, Severity};
use comity_rules::RuleSet;
use comity_text::Lang;
use comity_workspace::config::Config;

const T04: &str = "The Seller may terminate this Agreement if the Buyer is added to the SDN List.";

fn t04_with(settings: &Settings, text: &str) -> Finding {
    let doc = Document::parse(text.to_string());
    lint(&doc, RuleSet::builtin(), settings)
        .into_iter()
        .find(|f| f.code == "T04")
        .expect("T04 fires")
}

#[test]
fn governing_law_says_what_it_changes() {
    for (law, want) in [
        (Jurisdiction::HongKong, "Annex III"),
        (Jurisdiction::Uk, "English law"),
        (Jurisdiction::Singapore, "Singapore law"),
        (Jurisdiction::Prc, "applies AFSL Art. 12"),
    ] {
        let mut s = Settings::default();
        s.profile.governing_law = Some(law.clone());
        let f = t04_with(&s, T04);
        assert!(
            f.reasons.iter().any(|r| r.contains(want)),
            "{law:?}: {:?}",
            f.reasons
        );
    }
    // Lamesa belongs with English law.
    let mut s = Settings::default();
    s.profile.governing_law = Some(Jurisdiction::Uk);
    let doc = Document::parse(
        "Non-payment by the Guarantor is not an Event of Default where the amount was held back in order to comply with any mandatory provision of law.".to_string(),
    );
    let f = lint(&doc, RuleSet::builtin(), &s);
    let t05 = f.iter().find(|f| f.code == "T05").expect("T05");
    assert!(
        t05.reasons
            .iter()
            .any(|r| r.contains("English law") && r.contains("Lamesa"))
    );
}

#[test]
fn chinese_writing_alone_is_not_a_prc_nexus() {
    let doc = Document::parse("如买方被列入SDN清单，卖方有权解除本合同。".to_string());
    let nexus = Settings::default().profile.prc_nexus(&doc);
    assert_eq!(nexus, Nexus::Unknown);
}

#[test]
fn a_taiwan_company_is_not_a_prc_party_by_default() {
    assert_eq!(
        Jurisdiction::from_name("Taiwan"),
        Some(Jurisdiction::Taiwan)
    );
    assert!(!Jurisdiction::Taiwan.is_prc());
    let mut s = Settings::default();
    s.profile.governing_law = Some(Jurisdiction::Taiwan);
    let f = t04_with(&s, T04);
    assert!(
        f.reasons
            .iter()
            .any(|r| r.contains("not treated as a PRC party"))
    );
}

#[test]
fn act_for_frames_message_severity_and_order() {
    let neutral = t04_with(&Settings::default(), T04);
    assert_eq!(neutral.severity, Severity::Error);

    let mut s = Settings::default();
    s.profile.act_for = ActFor::PrcParty;
    let prc = t04_with(&s, T04);
    assert_eq!(prc.severity, Severity::Error);
    assert!(prc.message.contains("Acting for the PRC party"));
    assert_eq!(prc.suggestions[0].title, neutral.suggestions[0].title);

    s.profile.act_for = ActFor::UsExporter;
    let us = t04_with(&s, T04);
    assert_eq!(us.severity, Severity::Warning, "{:?}", us.reasons);
    assert!(us.message.contains("Acting for the US exporter"));
    // The middle ground comes first for the side that asks for the clause.
    assert_eq!(us.suggestions[0].title, neutral.suggestions[1].title);
}

#[test]
fn act_for_is_read_from_comity_toml() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comity.toml");
    std::fs::write(&path, "[profile]\nact_for = \"lender\"\n").unwrap();
    let c = Config::load(&path).expect("loads");
    assert_eq!(c.settings().profile.act_for, ActFor::Lender);
    std::fs::write(&path, "[profile]\nact_for = \"bank\"\n").unwrap();
    assert!(Config::load(&path).is_err(), "an unknown value is an error");
    assert_eq!(ActFor::parse("third_country"), Some(ActFor::ThirdCountry));
    let _ = Lang::En;
}

#[test]
fn show_suppressed_lists_what_a_comment_removed() {
    let text = "<!-- comity: allow T04 reason=\"approved by GC\" -->\nThe Seller may terminate this Agreement if the Buyer is added to the SDN List.\n";
    let doc = Document::parse(text.to_string());
    let hidden = lint(&doc, RuleSet::builtin(), &Settings::default());
    assert!(!hidden.iter().any(|f| f.code == "T04"));
    let s = Settings {
        show_suppressed: true,
        ..Settings::default()
    };
    let shown = lint(&doc, RuleSet::builtin(), &s);
    let f = shown.iter().find(|f| f.code == "T04").expect("shown");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.starts_with("[suppressed]"));
    assert!(
        f.reasons
            .iter()
            .any(|r| r.contains("line 1") && r.contains("approved by GC"))
    );
}

#[test]
fn verbose_human_output_shows_why_cost_and_full_wording() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(
        &path,
        "The Seller may terminate this Agreement if the Buyer is added to the SDN List.\n",
    )
    .unwrap();
    let run = |v: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_comity"));
        c.args(["check", "--color", "never"]);
        if v {
            c.arg("-v");
        }
        let out = c.arg(&path).output().unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let plain = run(false);
    let verbose = run(true);
    assert!(!plain.contains("US-side cost of deleting it"));
    assert!(verbose.contains("why: "), "{verbose}");
    assert!(
        verbose.contains("US-side cost of deleting it: "),
        "{verbose}"
    );
    // Every suggested wording, in full: the T04 replacement ends with its
    // last sentence, not with "…".
    assert!(
        verbose.contains("the amount so paid is credited against the debt."),
        "{verbose}"
    );
    for line in verbose.lines().filter(|l| l.contains("help:")) {
        assert!(!line.trim_end().ends_with('…'), "{line}");
    }
}

fn graded(text: &str, settings: &Settings) -> Vec<Finding> {
    let doc = Document::parse(text.to_string());
    lint(&doc, RuleSet::builtin(), settings)
}

#[test]
fn a_licence_route_is_not_an_error() {
    for text in [
        "If payment to the Seller would be prohibited by U.S. sanctions, the Buyer shall apply to OFAC for a specific licence without delay and shall pay the Price once licensed.",
        "如向卖方付款将违反美国制裁，买方应及时向OFAC申请许可，并在取得许可后付款。",
    ] {
        for f in graded(text, &Settings::default()) {
            assert!(
                f.severity < Severity::Error,
                "{text}: {} {:?}",
                f.code,
                f.reasons
            );
        }
    }
}

#[test]
fn over_graded_clauses_are_capped() {
    let s = Settings::default();
    let pause = graded(
        "Seller may suspend deliveries until it obtains a BIS licence.",
        &s,
    );
    assert!(
        pause.iter().all(|f| f.severity < Severity::Error),
        "{pause:#?}"
    );
    let uflpa = graded(
        "Supplier shall indemnify Buyer against all losses arising from the detention of any Goods by U.S. Customs and Border Protection under the UFLPA.",
        &s,
    );
    assert!(
        uflpa.iter().all(|f| f.severity < Severity::Error),
        "{uflpa:#?}"
    );
    // Screening: no PRC party shown is a warning; with one, an error.
    let text = "Distributor shall screen every order against the Entity List and shall reject any order placed by a listed person.";
    let unknown = graded(text, &s);
    assert_eq!(
        unknown.iter().find(|f| f.code == "T09").unwrap().severity,
        Severity::Warning
    );
    let mut prc = Settings::default();
    prc.profile.prc_party = Some(true);
    let known = graded(text, &prc);
    assert_eq!(
        known.iter().find(|f| f.code == "T09").unwrap().severity,
        Severity::Error
    );
}
