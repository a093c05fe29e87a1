//! Hostile inputs through the real binary: each is a clear error naming the
//! file and the problem (exit 2, the other files still linted) or a correct
//! lint, within generous time bounds, never a panic.
//!
//! The 200 MB file runs only with `COMITY_SLOW_TESTS=1` (in a debug build it
//! takes minutes and a few GB); by default a 20 MB file stands in for it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const RISKY: &str = "Buyer shall comply with all U.S. export control laws, including the EAR.\n";

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("comity-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `comity check --format json` on `paths`, with a wall-clock bound.
fn check(paths: &[&Path], limit: Duration) -> (Output, serde_json::Value) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_comity"))
        .args(["check", "--format", "json", "--color", "never"])
        .args(paths)
        .output()
        .expect("comity runs");
    let took = start.elapsed();
    assert!(took < limit, "took {took:?}, limit {limit:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON report ({e}): {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out, json)
}

/// Every error and finding message of the report, as text.
fn messages(report: &serde_json::Value) -> String {
    report.to_string()
}

fn files(report: &serde_json::Value) -> &Vec<serde_json::Value> {
    report["files"].as_array().expect("files array")
}

/// The error reported for a file whose path ends with `name`.
fn error_for(report: &serde_json::Value, name: &str) -> String {
    files(report)
        .iter()
        .find(|f| f["path"].as_str().unwrap_or("").ends_with(name))
        .and_then(|f| f["error"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no error reported for {name}: {report:#}"))
}

fn codes_for(report: &serde_json::Value, name: &str) -> Vec<String> {
    let f = files(report)
        .iter()
        .find(|f| f["path"].as_str().unwrap_or("").ends_with(name))
        .unwrap_or_else(|| panic!("{name} not reported: {report:#}"));
    f["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

const MINUTE: Duration = Duration::from_secs(60);

#[test]
fn bad_text_files_are_named_and_the_others_still_linted() {
    let dir = tempdir("text");
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("binary.txt"), b"\x7fELF\x02\x01\x01\0\0\0\0risky").unwrap();
    std::fs::write(
        dir.join("latin1.txt"),
        b"Buyer shall comply \xE9 the EAR.\n",
    )
    .unwrap();
    std::fs::write(dir.join("odd-utf16.txt"), b"\xFF\xFEa\0b").unwrap();
    std::fs::write(dir.join("risky.txt"), RISKY).unwrap();
    let (out, report) = check(&[&dir], MINUTE);
    assert_eq!(out.status.code(), Some(2), "input errors exit 2");
    let e = error_for(&report, "binary.txt");
    assert!(e.contains("binary.txt") && e.contains("binary"), "{e}");
    let e = error_for(&report, "latin1.txt");
    assert!(
        e.contains("latin1.txt") && e.contains("not valid UTF-8") && e.contains("offset 19"),
        "{e}"
    );
    let e = error_for(&report, "odd-utf16.txt");
    assert!(e.contains("odd-utf16.txt") && e.contains("UTF-16"), "{e}");
    assert!(codes_for(&report, "empty.txt").is_empty());
    assert_eq!(
        codes_for(&report, "risky.txt"),
        vec!["T01"],
        "the good file is still linted"
    );
}

#[test]
fn utf16_with_bom_and_odd_line_endings_lint_correctly() {
    let dir = tempdir("encodings");
    let utf16 = |text: &str, le: bool| -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    };
    let zh = "第一条 买方应遵守美国出口管制法律，包括《出口管理条例》。\r\n";
    std::fs::write(dir.join("le.txt"), utf16(zh, true)).unwrap();
    std::fs::write(dir.join("be.txt"), utf16(zh, false)).unwrap();
    std::fs::write(
        dir.join("crlf.txt"),
        format!("Title\r\n\r\n{}", RISKY.replace('\n', "\r\n")),
    )
    .unwrap();
    std::fs::write(
        dir.join("cr.txt"),
        format!("Title\r\r1.1 {}\r1.2 Payment is due.\r", RISKY.trim_end()),
    )
    .unwrap();
    let (out, report) = check(&[&dir], MINUTE);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    for name in ["le.txt", "be.txt"] {
        assert_eq!(codes_for(&report, name), vec!["T01"], "{name}");
    }
    for name in ["crlf.txt", "cr.txt"] {
        assert_eq!(codes_for(&report, name), vec!["T01"], "{name}");
    }
    // Lines are counted correctly with lone CR too: the finding is not on line 1.
    let cr = files(&report)
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("cr.txt"))
        .unwrap();
    let line = cr["findings"][0]["range"]["start"]["line"]
        .as_u64()
        .or_else(|| cr["findings"][0]["line"].as_u64());
    assert_ne!(line, Some(0), "{cr:#}");
}

/// Writes roughly `bytes` of contract text: one risky clause, then clean
/// numbered clauses (a document full of findings is exercised elsewhere).
fn write_big(path: &Path, bytes: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(RISKY.as_bytes()).unwrap();
    let mut written = RISKY.len();
    let mut i = 0;
    while written < bytes {
        i += 1;
        let line = format!(
            "1.{i} The Supplier shall deliver the Products to the delivery point in accordance with the agreed schedule and Annex 2.\n\n"
        );
        f.write_all(line.as_bytes()).unwrap();
        written += line.len();
    }
    f.flush().unwrap();
}

#[test]
fn a_very_large_file_is_linted_within_bounds_or_refused() {
    let dir = tempdir("large");
    let slow = std::env::var_os("COMITY_SLOW_TESTS").is_some();
    let mb = if slow { 200 } else { 20 };
    write_big(&dir.join("big.md"), mb * 1_000_000);
    std::fs::write(dir.join("risky.txt"), RISKY).unwrap();
    let (out, report) = check(&[&dir], Duration::from_secs(if slow { 1800 } else { 120 }));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(codes_for(&report, "big.md"), vec!["T01"]);
    assert_eq!(codes_for(&report, "risky.txt"), vec!["T01"]);

    // Above the 256 MB limit the file is refused by its size, without reading
    // it: a sparse file costs no disk.
    let huge = dir.join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    let (out, report) = check(&[&huge, &dir.join("risky.txt")], MINUTE);
    assert_eq!(out.status.code(), Some(2));
    let e = error_for(&report, "huge.txt");
    assert!(e.contains("huge.txt") && e.contains("limit"), "{e}");
    assert_eq!(codes_for(&report, "risky.txt"), vec!["T01"]);
}

#[test]
fn deep_numbering_and_long_lines_stay_bounded() {
    let dir = tempdir("deep");
    // A clause number 10,000 levels deep, then numbering that nests one level
    // deeper on every line for 1,000 lines, alternating styles.
    let mut deep = String::new();
    deep.push_str(&vec!["1"; 10_000].join("."));
    deep.push_str(" Buyer shall comply with all U.S. export control laws, including the EAR.\n");
    for i in 1..=1000 {
        let number = match i % 4 {
            0 => vec!["1"; i / 4 + 1].join("."),
            1 => "(a)".to_string(),
            2 => "(i)".to_string(),
            _ => "(A)".to_string(),
        };
        deep.push_str(&format!("{}{number} text {i}\n", " ".repeat(i % 64)));
    }
    // 10,000 levels of Markdown nesting too.
    deep.push_str(&">".repeat(10_000));
    deep.push_str(" quoted\n");
    deep.push_str(&format!("{}- item\n", "  ".repeat(10_000)));
    std::fs::write(dir.join("deep.md"), &deep).unwrap();
    // A 1 MB line with no break at all, and a 200 KB line of clauses.
    std::fs::write(dir.join("oneline.txt"), "word ".repeat(200_000)).unwrap();
    std::fs::write(dir.join("sentences.txt"), RISKY.trim_end().repeat(300)).unwrap();
    let (out, report) = check(&[&dir], MINUTE);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(codes_for(&report, "deep.md").contains(&"T01".to_string()));
    assert!(codes_for(&report, "oneline.txt").is_empty());
    assert!(codes_for(&report, "sentences.txt").contains(&"T01".to_string()));
}

fn docx(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

#[test]
fn hostile_docx_files_are_refused_with_clear_errors() {
    let dir = tempdir("docx");
    let good = format!(
        r#"<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>"#,
        RISKY.trim_end()
    );
    std::fs::write(
        dir.join("good.docx"),
        docx(&[("word/document.xml", good.as_bytes())]),
    )
    .unwrap();
    // Not a zip at all, and a zip cut in half.
    std::fs::write(
        dir.join("notzip.docx"),
        b"PK\x03\x04 this is not really a zip",
    )
    .unwrap();
    let whole = std::fs::read(dir.join("good.docx")).unwrap();
    std::fs::write(dir.join("truncated.docx"), &whole[..whole.len() / 2]).unwrap();
    // Malformed XML.
    std::fs::write(
        dir.join("badxml.docx"),
        docx(&[(
            "word/document.xml",
            format!("<w:document {W}><w:body><w:p><w:t>unclosed</w:body>").as_bytes(),
        )]),
    )
    .unwrap();
    // A zip bomb: 200 MB of spaces inflating from a few hundred KB.
    let bomb = vec![b' '; 200 * 1024 * 1024];
    std::fs::write(dir.join("bomb.docx"), docx(&[("word/document.xml", &bomb)])).unwrap();
    drop(bomb);
    // External entities: never resolved, so the secret never appears.
    let secret = dir.join("secret.txt.bak");
    std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
    let xxe = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{}"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document {W}><w:body><w:p><w:r><w:t>Secret: &xxe; &lol2; {}</w:t></w:r></w:p></w:body></w:document>"#,
        secret.display(),
        RISKY.trim_end()
    );
    std::fs::write(
        dir.join("xxe.docx"),
        docx(&[("word/document.xml", xxe.as_bytes())]),
    )
    .unwrap();

    let (out, report) = check(&[&dir], MINUTE);
    assert_eq!(out.status.code(), Some(2));
    for name in ["notzip.docx", "truncated.docx", "badxml.docx"] {
        let e = error_for(&report, name);
        assert!(e.contains(name) && e.contains(".docx"), "{e}");
    }
    let e = error_for(&report, "bomb.docx");
    assert!(e.contains("bomb.docx") && e.contains("zip bomb"), "{e}");
    assert!(
        !messages(&report).contains("TOP-SECRET"),
        "an external entity was resolved"
    );
    assert!(
        !messages(&report).contains("lollol"),
        "an internal entity was expanded"
    );
    assert_eq!(codes_for(&report, "xxe.docx"), vec!["T01"]);
    assert_eq!(codes_for(&report, "good.docx"), vec!["T01"]);
}

#[test]
fn a_wrong_config_names_its_file_and_key_and_other_folders_still_lint() {
    let dir = tempdir("config");
    let bad = dir.join("bad");
    let good = dir.join("good");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::create_dir_all(&good).unwrap();
    std::fs::write(
        bad.join("comity.toml"),
        "[lint]\nfail_on = 3\n\n[profile]\nprc_party = \"yes\"\n",
    )
    .unwrap();
    std::fs::write(bad.join("a.txt"), RISKY).unwrap();
    std::fs::write(good.join("b.txt"), RISKY).unwrap();
    let (out, report) = check(&[&dir], MINUTE);
    assert_eq!(out.status.code(), Some(2));
    let e = error_for(&report, "a.txt");
    assert!(
        e.contains("comity.toml") && (e.contains("fail_on") || e.contains("line 2")),
        "{e}"
    );
    assert_eq!(codes_for(&report, "b.txt"), vec!["T01"]);
}

/// User rule files cannot hold regexes (those live in the built-in
/// `clauses/lexicon.toml`); the closest hostile thing is a huge rule: 100,000
/// detect alternatives, megabyte strings, and references to unknown groups.
#[test]
fn huge_or_broken_user_rules_are_bounded_and_named() {
    let dir = tempdir("rules");
    let huge = dir.join("huge");
    let broken = dir.join("broken");
    for d in [&huge, &broken] {
        std::fs::create_dir_all(d.join("playbook")).unwrap();
        std::fs::write(
            d.join("comity.toml"),
            "[lint]\nextra_rules = [\"playbook\"]\n",
        )
        .unwrap();
        std::fs::write(d.join("draft.txt"), RISKY).unwrap();
    }
    let rule = |code: &str, detect: &str, big: &str| {
        format!(
            r#"code = "{code}"
slug = "acme-rule"
priority = 1
severity = "info"
title = {{ en = "t", zh = "t" }}
flags = {{ en = "{big}", zh = "f" }}
why = {{ en = "w", zh = "w" }}
us_side = {{ en = "u", zh = "u" }}
message = {{ en = "m", zh = "m" }}
citations = [{{ instrument = "prc-afsl", article = "12" }}]
[[replacements]]
id = "r"
title = {{ en = "t", zh = "t" }}
text = {{ en = "Each Party shall comply with the laws applicable to it.", zh = "各方遵守适用法律。" }}
risk = {{ en = "r", zh = "r" }}
applicability = "display-only"

[[examples]]
lang = "en"
text = "Buyer shall comply with all U.S. export control laws."
fires = true

[[examples]]
lang = "en"
text = "Each Party shall comply with applicable laws."
fires = false

{detect}"#
        )
    };
    let mut detect = String::new();
    for _ in 0..100_000 {
        detect.push_str(
            "[[detect]]\nall = [[\"us_nexus\"], [\"comply\"], [\"obligation\", \"prohibition\"]]\n",
        );
    }
    std::fs::write(
        huge.join("playbook/ACME01.toml"),
        rule("ACME01", &detect, &"x".repeat(2_000_000)),
    )
    .unwrap();
    std::fs::write(
        broken.join("playbook/ACME02.toml"),
        rule("ACME02", "[[detect]]\nall = [[\"no_such_group\"]]\n", "f"),
    )
    .unwrap();
    let (out, report) = check(&[&huge, &broken], Duration::from_secs(120));
    assert!(matches!(out.status.code(), Some(1) | Some(2)), "{report:#}");
    let codes = codes_for(&report, "huge/draft.txt");
    assert!(codes.contains(&"T01".to_string()), "{codes:?}");
    let e = error_for(&report, "broken/draft.txt");
    assert!(
        e.contains("ACME02.toml") && e.contains("no_such_group"),
        "{e}"
    );
}

/// Running as root, `chmod 000` leaves a file readable, so "unreadable" is
/// emulated the ways that fail for root too: a dangling symlink, a FIFO
/// (reading it would block forever), a folder named like a draft, and a
/// symlink loop.
#[cfg(unix)]
#[test]
fn symlink_loops_and_unreadable_entries_do_not_stop_the_run() {
    let dir = tempdir("links");
    let sub = dir.join("drafts");
    std::fs::create_dir_all(sub.join("folder.txt")).unwrap();
    std::fs::write(sub.join("risky.txt"), RISKY).unwrap();
    std::os::unix::fs::symlink(&dir, sub.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere.txt"), sub.join("dangling.txt")).unwrap();
    let fifo = sub.join("pipe.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );

    let (out, report) = check(&[&dir], MINUTE);
    assert_eq!(out.status.code(), Some(2), "{report:#}");
    let text = messages(&report);
    assert!(
        text.contains("loop") && text.contains("symbolic link loop"),
        "{text}"
    );
    let e = error_for(&report, "dangling.txt");
    assert!(e.contains("dangling.txt"), "{e}");
    assert_eq!(codes_for(&report, "drafts/risky.txt"), vec!["T01"]);

    // A FIFO named on the command line is refused, not read (which would hang).
    let (out, report) = check(&[&fifo, &sub.join("risky.txt")], MINUTE);
    assert_eq!(out.status.code(), Some(2), "{report:#}");
    let e = error_for(&report, "pipe.txt");
    assert!(
        e.contains("pipe.txt") && e.contains("not a regular file"),
        "{e}"
    );
    assert_eq!(codes_for(&report, "risky.txt"), vec!["T01"]);
}

/// `--fix` over many files, killed with SIGKILL at random moments: every file
/// is byte-for-byte either its original or its fully fixed version, never
/// truncated or half-written; and fixing twice changes nothing.
#[test]
fn fixes_killed_midway_leave_each_file_old_or_new_and_are_idempotent() {
    let dir = tempdir("fixkill");
    let original = |i: usize| {
        format!(
            "# Agreement {i}\n\n1.1 Payment is due in 30 days.\n\n1.2 {RISKY}\n1.3 Buyer shall not resell the Products to any person on the Entity List.\n"
        )
    };
    let n = 200;
    let fix = |d: &Path| {
        Command::new(env!("CARGO_BIN_EXE_comity"))
            .args(["check", "--fix", "--unsafe-fixes", "--color", "never"])
            .arg(d)
            .output()
            .unwrap()
    };
    // The fully fixed versions: fix a copy once.
    let golden = dir.join("golden");
    std::fs::create_dir_all(&golden).unwrap();
    for i in 0..n {
        std::fs::write(golden.join(format!("c{i:03}.md")), original(i)).unwrap();
    }
    fix(&golden);
    let fixed: Vec<Vec<u8>> = (0..n)
        .map(|i| std::fs::read(golden.join(format!("c{i:03}.md"))).unwrap())
        .collect();
    assert_ne!(
        fixed[0],
        original(0).into_bytes(),
        "the fix changes the file"
    );
    // Idempotent: a second fix changes nothing.
    fix(&golden);
    for (i, f) in fixed.iter().enumerate() {
        assert_eq!(
            &std::fs::read(golden.join(format!("c{i:03}.md"))).unwrap(),
            f,
            "second fix of c{i:03}"
        );
    }

    let work = dir.join("work");
    let mut seed = 0x9e37_79b9_u64;
    let mut saw_partial = false;
    for run in 0..8 {
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        for i in 0..n {
            std::fs::write(work.join(format!("c{i:03}.md")), original(i)).unwrap();
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(seed % 1500 + run * 50);
        let mut child = Command::new(env!("CARGO_BIN_EXE_comity"))
            .args(["check", "--fix", "--unsafe-fixes", "--color", "never"])
            .arg(&work)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let mut new = 0;
        for (i, want) in fixed.iter().enumerate() {
            let got = std::fs::read(work.join(format!("c{i:03}.md"))).unwrap();
            if &got == want {
                new += 1;
            } else {
                assert_eq!(
                    got,
                    original(i).into_bytes(),
                    "run {run} ({delay:?}): c{i:03}.md is neither old nor new"
                );
            }
        }
        saw_partial |= new > 0 && new < n;
        // Leftover temporary files are not drafts and never replace one.
        for e in std::fs::read_dir(&work).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().to_string();
            assert!(
                name.ends_with(".md") || name.starts_with(".comity-fix-"),
                "{name}"
            );
        }
    }
    eprintln!("a kill landed between the first and the last file written: {saw_partial}");
}
