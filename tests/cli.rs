//! The command line as users and hooks see it: exit codes, formats, the
//! JSONL stream, and bad input reported without stopping the run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn comity() -> Command {
    Command::new(env!("CARGO_BIN_EXE_comity"))
}

fn run_with_stdin(mut cmd: Command, stdin: &[u8]) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("comity runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("comity-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const RISKY: &str = "Buyer shall comply with all U.S. export control laws, including the EAR, in using the Products.\n";
const CLEAN: &str = "Each Party shall comply with all applicable laws and regulations.\n";

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempdir("exit");
    std::fs::write(dir.join("risky.txt"), RISKY).unwrap();
    std::fs::write(dir.join("clean.txt"), CLEAN).unwrap();
    let out = comity()
        .args(["check", "--color", "never"])
        .arg(dir.join("clean.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = comity()
        .args(["check", "--color", "never"])
        .arg(dir.join("risky.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("T01") && stdout.contains("Anti-Foreign Sanctions Law Art. 12"),
        "{stdout}"
    );
    let out = comity()
        .args(["check", "--fail-on", "error"])
        .arg(dir.join("risky.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning does not fail --fail-on error"
    );
    let out = comity()
        .args(["check", "--exit-zero"])
        .arg(dir.join("risky.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// A run whose only input is missing exits 2 in every format, the
/// streamed ones (which write it when there is nothing to lint) included.
#[test]
fn a_run_of_only_missing_inputs_exits_2_in_every_format() {
    let missing = std::env::temp_dir().join(format!("comity-cli-missing-{}", std::process::id()));
    for format in ["human", "json", "jsonl", "github", "sarif"] {
        let out = comity()
            .args(["check", "--format", format])
            .arg(&missing)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--format {format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("no such file or folder"),
            "--format {format}: {stdout}"
        );
    }
}

#[test]
fn bad_files_are_reported_and_the_rest_is_linted() {
    let dir = tempdir("bad");
    std::fs::write(dir.join("a-risky.txt"), RISKY).unwrap();
    std::fs::write(dir.join("b-binary.txt"), b"PK\x03\x04\x00\x00binary").unwrap();
    std::fs::write(
        dir.join("c-latin1.txt"),
        b"Buyer shall comply with the EAR \xe9t\xe9.\n",
    )
    .unwrap();
    std::fs::write(dir.join("d-clean.md"), CLEAN).unwrap();
    let out = comity()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "input errors exit 2");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let files = json["files"].as_array().unwrap();
    let by_name = |n: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(n))
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("a-risky.txt")["findings"][0]["code"], "T01");
    assert!(
        by_name("b-binary.txt")["error"]
            .as_str()
            .unwrap()
            .contains("binary")
    );
    let latin = by_name("c-latin1.txt")["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        latin.contains("c-latin1.txt") && latin.contains("UTF-8") && latin.contains("line 1"),
        "{latin}"
    );
    assert!(
        by_name("d-clean.md")["findings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(json["summary"]["files"], 4);
    assert_eq!(json["summary"]["files_with_errors"], 2);
}

#[test]
fn stdin_with_a_filename() {
    let mut cmd = comity();
    cmd.args([
        "check",
        "--format",
        "jsonl",
        "--stdin-filename",
        "draft.md",
        "-",
    ]);
    let out = run_with_stdin(cmd, RISKY.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["path"], "draft.md");
    assert_eq!(line["code"], "T01");
    assert_eq!(line["range"]["start"]["line"], 1);
}

#[test]
fn jsonl_stream_answers_every_line_in_order() {
    let input = [
        r#"{"id": 1, "text": "Buyer shall comply with the EAR in using the Products."}"#,
        r#"{"id": "two", "text": "各方应遵守所有适用的法律法规。", "lang": "zh"}"#,
        r#"this is not json"#,
        r#"{"id": 4, "text": "买方应遵守美国出口管制法律，包括《出口管理条例》。"}"#,
        "",
        r#"{"id": 5}"#,
    ]
    .join("\n");
    let mut cmd = comity();
    cmd.args(["check", "--input", "jsonl", "-"]);
    let out = run_with_stdin(cmd, input.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad line makes the run exit 2 at the end"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(lines[0]["id"], 1);
    let f = &lines[0]["findings"][0];
    assert_eq!(f["code"], "T01");
    assert_eq!(f["citations"][0]["article"], "Art. 12");
    assert!(
        f["suggestions"][0]["replacement"]
            .as_str()
            .unwrap()
            .contains("applicable to it")
    );
    assert_eq!(lines[1]["id"], "two");
    assert!(lines[1]["findings"].as_array().unwrap().is_empty());
    assert_eq!(lines[2]["line"], 3);
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .contains("not a clause object")
    );
    assert_eq!(lines[3]["id"], 4);
    let zh = &lines[3]["findings"][0];
    assert_eq!(zh["citations"][0]["article"], "第十二条");
    // Offsets count characters of the text.
    let text = "买方应遵守美国出口管制法律，包括《出口管理条例》。";
    let (s, e) = (
        zh["start"].as_u64().unwrap() as usize,
        zh["end"].as_u64().unwrap() as usize,
    );
    let chars: Vec<char> = text.chars().collect();
    assert!(e <= chars.len() && s < e);
    assert_eq!(lines[4]["line"], 6);
}

#[test]
fn github_format_annotates_lines() {
    let out = comity()
        .args(["check", "--format", "github"])
        .arg(fixture("zh-procurement-contract.md"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")),
        "{stdout}"
    );
    assert!(stdout.contains("line="));
}

#[test]
fn unknown_config_keys_are_errors_naming_file_line_and_key() {
    let dir = tempdir("config");
    std::fs::write(
        dir.join("comity.toml"),
        "[profile]\nprc_party = true\ngoverning_lw = \"PRC\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("draft.txt"), RISKY).unwrap();
    let out = comity()
        .arg("check")
        .arg(dir.join("draft.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("comity.toml") && all.contains("line 3") && all.contains("governing_lw"),
        "{all}"
    );
}

#[test]
fn config_disables_rules_and_is_found_upward() {
    let dir = tempdir("disable");
    std::fs::create_dir_all(dir.join("drafts/sub")).unwrap();
    std::fs::write(dir.join("comity.toml"), "[rules]\ndisable = [\"T01\"]\n").unwrap();
    std::fs::write(dir.join("drafts/sub/draft.txt"), RISKY).unwrap();
    let out = comity()
        .arg("check")
        .arg(dir.join("drafts"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn explain_and_rules() {
    let out = comity().args(["explain", "T05"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for section in [
        "What it flags",
        "Why it is risky",
        "Legal basis",
        "US-side cost",
        "Neutral wording",
        "Art. 12",
    ] {
        assert!(text.contains(section), "missing {section} in:\n{text}");
    }
    let out = comity().args(["explain", "T99"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = comity()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // T01–T15 and T00, the generic finding when no type fits.
    assert_eq!(rules.as_array().unwrap().len(), 16);
}

#[test]
fn fix_round_trip_keeps_bom_and_line_endings() {
    let dir = tempdir("fix");
    let path = dir.join("draft.txt");
    let original = "\u{feff}1. Export\r\n\r\n1.1 Buyer shall comply with all U.S. export control laws, including the EAR.\r\n\r\n1.2 Payment is due in 30 days.\r\n";
    std::fs::write(&path, original).unwrap();
    // --fix alone applies only safe fixes; legal rewording is never safe.
    let out = comity()
        .args(["check", "--fix"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // --diff shows the unsafe fix and writes nothing.
    let out = comity()
        .args(["check", "--diff", "--unsafe-fixes"])
        .arg(&path)
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("-1.1 Buyer shall comply") && diff.contains("+1.1 Each party shall comply"),
        "{diff}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // --fix --unsafe-fixes rewrites the clause; the neutral wording is not flagged.
    let out = comity()
        .args(["check", "--fix", "--unsafe-fixes"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.starts_with('\u{feff}'), "BOM kept");
    assert!(
        fixed.contains("applicable to it") && !fixed.contains("U.S. export control laws"),
        "{fixed}"
    );
    assert_eq!(
        fixed.matches("\r\n").count(),
        original.matches("\r\n").count(),
        "CRLF kept"
    );
    assert!(
        !fixed.replace("\r\n", "").contains('\n'),
        "no bare LF introduced"
    );
    // Fixing again changes nothing (idempotent).
    comity()
        .args(["check", "--fix", "--unsafe-fixes"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".comity-fix"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");
}

#[test]
fn suppressions_need_a_reason() {
    let dir = tempdir("suppress");
    let with_reason = "<!-- comity: allow T01 reason=\"counterparty is not a PRC entity; approved by GC\" -->\n1.1 Buyer shall comply with the EAR in using the Products.\n\n1.2 Supplier shall comply with the EAR in exporting the Products.\n";
    std::fs::write(dir.join("a.md"), with_reason).unwrap();
    let out = comity()
        .args(["check", "--format", "json"])
        .arg(dir.join("a.md"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["files"][0]["findings"].as_array().unwrap();
    assert_eq!(
        findings.len(),
        1,
        "only the next clause is covered: {findings:?}"
    );
    assert_eq!(findings[0]["clause"], "1.2");

    let without =
        "<!-- comity: allow T01 -->\n1.1 Buyer shall comply with the EAR in using the Products.\n";
    std::fs::write(dir.join("b.md"), without).unwrap();
    let out = comity()
        .args(["check", "--format", "json"])
        .arg(dir.join("b.md"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec!["S01"],
        "the unexplained suppression is itself reported"
    );

    let unused = "<!-- comity: disable T06 reason=\"no chips here\" -->\n1.1 Payment is due in 30 days.\n<!-- comity: enable T06 -->\n";
    std::fs::write(dir.join("c.md"), unused).unwrap();
    let out = comity()
        .args(["check", "--format", "json", "--report-unused"])
        .arg(dir.join("c.md"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["findings"][0]["code"], "S02");
}

#[test]
fn baseline_survives_renumbering() {
    let dir = tempdir("baseline");
    let path = dir.join("library.md");
    std::fs::write(&path, "5.1 Buyer shall comply with the EAR in using the Products.\n\n5.2 Payment is due in 30 days.\n").unwrap();
    let baseline = dir.join("baseline.json");
    let out = comity()
        .arg("check")
        .arg("--write-baseline")
        .arg(&baseline)
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // Renumbered, moved below a new clause, and a new risky clause added.
    std::fs::write(
        &path,
        "7.1 Payment is due in 30 days.\n\n7.2 Distributor shall comply with the Export Administration Regulations.\n\n7.3 Buyer shall comply with the EAR in using the Products.\n",
    )
    .unwrap();
    let out = comity()
        .args(["check", "--format", "json", "--baseline"])
        .arg(&baseline)
        .arg(&path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["files"][0]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(
        findings[0]["clause"], "7.2",
        "only the new clause is reported"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_firms_own_rules_load_from_comity_toml() {
    let dir = tempdir("playbook");
    std::fs::create_dir_all(dir.join("playbook")).unwrap();
    let t01 = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("clauses/T01-us-export-control-covenant.toml"),
    )
    .unwrap();
    // A firm's rule in the same format: flags any mention of the ITAR.
    let custom = t01
        .replace("code = \"T01\"", "code = \"ACME01\"")
        .replace(
            "slug = \"us-export-control-covenant\"",
            "slug = \"itar-mention\"",
        )
        .replace("priority = 10", "priority = 99");
    let custom = custom.replace(
        "[[detect]]\nall = [[\"us_nexus\"], [\"comply\"], [\"obligation\", \"prohibition\"]]",
        "[[detect]]\nall = [[\"us_law\"], [\"obligation\"]]",
    );
    std::fs::write(dir.join("playbook/ACME01.toml"), &custom).unwrap();
    std::fs::write(
        dir.join("comity.toml"),
        "[lint]\nextra_rules = [\"playbook\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("draft.txt"),
        "Supplier shall comply with the ITAR when exporting.\n",
    )
    .unwrap();
    let out = comity()
        .args(["check", "--format", "json"])
        .arg(dir.join("draft.txt"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["findings"][0]["code"], "ACME01", "{json}");

    // A broken playbook file is an error naming the file.
    std::fs::write(dir.join("playbook/BAD.toml"), "code = 3\n").unwrap();
    let out = comity()
        .arg("check")
        .arg(dir.join("draft.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("BAD.toml"), "{all}");
}

#[test]
fn a_dangling_link_is_reported_and_the_rest_is_linted() {
    let dir = tempdir("dangling");
    std::fs::write(dir.join("good.txt"), RISKY).unwrap();
    std::os::unix::fs::symlink(dir.join("missing-target.txt"), dir.join("gone.txt")).unwrap();
    let out = comity()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{json}");
    let files = json["files"].as_array().unwrap();
    assert!(
        files
            .iter()
            .any(|f| f["path"].as_str().unwrap().ends_with("good.txt")
                && f["findings"][0]["code"] == "T01")
    );
    assert!(
        files
            .iter()
            .any(|f| f["error"].as_str().is_some_and(|e| e.contains("gone.txt"))),
        "{json}"
    );
}

#[test]
fn fail_on_from_the_nearest_comity_toml() {
    let dir = tempdir("failon");
    std::fs::write(dir.join("comity.toml"), "[lint]\nfail_on = \"error\"\n").unwrap();
    std::fs::write(
        dir.join("draft.txt"),
        "Buyer shall comply with the EAR in using the Products.\n",
    )
    .unwrap();
    let out = comity()
        .arg("check")
        .arg(dir.join("draft.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning does not fail when comity.toml says error"
    );
}

/// Human, JSONL and GitHub output stream file by file as files finish; the
/// order must still be the path order of the collected JSON report, with
/// unreadable files in their place, whatever the threads do.
#[test]
fn streamed_formats_keep_the_order_and_counts_of_the_json_report() {
    let dir = tempdir("stream");
    for i in 0..40 {
        let body = match i % 4 {
            0 => RISKY.repeat(1 + i % 3),
            1 => CLEAN.to_string(),
            2 => format!(
                "{RISKY}\n\"Sanctions\" means the sanctions of OFAC.\n\nNo Party shall deal with any person subject to Sanctions.\n"
            ),
            _ => "甲方应遵守美国出口管制法律，包括EAR。\n".to_string(),
        };
        std::fs::write(dir.join(format!("f{i:02}.txt")), body).unwrap();
    }
    std::fs::write(dir.join("f07b.txt"), [0xffu8, 0xfe, 0x00, 0xd8, 0x41]).unwrap();
    std::fs::write(dir.join("f20b.docx"), b"not a zip").unwrap();
    let run = |format: &str| {
        let out = comity()
            .args([
                "check",
                "--threads",
                "2",
                "--color",
                "never",
                "--format",
                format,
            ])
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "unreadable files exit 2");
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let mut want: Vec<(String, Option<u64>)> = Vec::new();
    for f in json["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap().to_string();
        if f.get("error").is_some() {
            want.push((path.clone(), None));
        }
        for x in f["findings"].as_array().unwrap() {
            want.push((path.clone(), x["range"]["start"]["line"].as_u64()));
        }
    }
    assert!(want.iter().filter(|w| w.1.is_none()).count() == 2 && want.len() > 40);
    let got: Vec<(String, Option<u64>)> = run("jsonl")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let path = v["path"].as_str().unwrap().to_string();
            (path, v["range"]["start"]["line"].as_u64())
        })
        .collect();
    assert_eq!(got, want);
    let github = run("github");
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), want.len());
    for (line, (path, _)) in lines.iter().zip(&want) {
        assert!(line.contains(&format!("file={path}")), "{line} / {path}");
    }
    let human = run("human");
    let summary = &json["summary"];
    assert!(
        human.contains(&format!(
            "Found {} findings ({} error, {} warning, {} info) in {} files.",
            summary["findings"],
            summary["error"],
            summary["warning"],
            summary["info"],
            summary["files"]
        )),
        "{}",
        human.lines().rev().take(3).collect::<Vec<_>>().join("\n")
    );
    assert!(human.contains("2 files could not be linted."));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reader that stops early (`comity check … | head -1`) is not an error:
/// the run stops writing, says nothing on stderr and exits with the
/// outcome of what it linted.
#[test]
fn a_closed_pipe_ends_a_streamed_run_quietly() {
    use std::io::BufRead;
    let dir = tempdir("closed-pipe");
    for i in 0..300 {
        std::fs::write(dir.join(format!("f{i:03}.txt")), RISKY.repeat(20)).unwrap();
    }
    let mut child = comity()
        .args(["check", "--threads", "2", "--format", "jsonl"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("\"code\":\"T01\""), "{first}");
    // The reader is dropped here: the pipe is closed.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "findings were linted");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A long run (many files) lints each file as a run of that file alone
/// would: the prefilter skips neutral files without changing a report, and
/// the word DFAs a long run builds find what the NFAs find.
#[test]
fn a_long_run_reports_what_short_runs_report() {
    let dir = tempdir("long-run");
    let texts = [
        "1.1 Buyer shall comply with all U.S. export control laws, including the EAR.\n",
        "Each Party shall comply with the laws applicable to it.\n",
        "第五条 买方应遵守美国出口管制法律，包括《出口管理条例》。\n",
        "\"Sanctions\" means sanctions administered by OFAC.\n\n2. Seller may terminate if Buyer becomes subject to Sanctions.\n",
        "<!-- comity: disable T05 -->\nThe Buyer shall pay the Price.\n",
        "The Licensee shall not use the Software with Huawei Ascend chips.\n",
    ];
    for i in 0..70 {
        std::fs::write(dir.join(format!("c{i:02}.md")), texts[i % texts.len()]).unwrap();
    }
    let check = |paths: &[PathBuf]| {
        let out = comity()
            .args([
                "check",
                "--format",
                "jsonl",
                "--exit-zero",
                "--no-progress",
                "--report-unused",
            ])
            .args(paths)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let long = check(&files);
    let short: String = files
        .iter()
        .map(|f| check(std::slice::from_ref(f)))
        .collect();
    assert_eq!(long, short);
    // Neutral files give nothing; the others give their findings.
    assert!(
        long.contains("\"code\":\"T01\"") && long.contains("\"code\":\"S02\""),
        "{long}"
    );
    assert_eq!(long.lines().filter(|l| l.contains("c01.md")).count(), 0);
}
