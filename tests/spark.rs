//! The JSONL stream as a map step on Apache Spark (`examples/spark/`), in
//! local mode on two cores: about 10,000 generated clauses (English and
//! Chinese, flagged and not, and a few bad lines) answered by Spark, one
//! `comity` process per partition, must equal one `comity check --input
//! jsonl` run on the same input, line for line. The same session checks the
//! DataFrame recipe (answers joined back by id, input errors kept as rows)
//! and .docx files read with `binaryFiles` and extracted by Comity itself.
//! A second test drives the Hadoop streaming mapper with the streaming
//! protocol (no Hadoop needed).
//!
//! Needs PySpark and Java: a missing one skips the Spark test, unless
//! `COMITY_REQUIRE_EXTERNAL=1` (as in `.ci/run`, which installs both).

#[path = "support/docx.rs"]
mod docx_support;
#[path = "support/process.rs"]
mod process;
use docx_support::docx;
use process::run_with_timeout;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(240);
const CLAUSES: usize = 10_000;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn comity() -> &'static str {
    env!("CARGO_BIN_EXE_comity")
}

fn required() -> bool {
    std::env::var("COMITY_REQUIRE_EXTERNAL").as_deref() == Ok("1")
}

/// Whether `cmd` runs and exits 0; if not, the test is skipped (or fails
/// when outside programs are required).
fn available(what: &str, cmd: &mut Command) -> bool {
    let ok = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if required() {
            panic!("{what} is not installed, and COMITY_REQUIRE_EXTERNAL=1 requires it");
        }
        println!("skipped: {what} not installed");
    }
    ok
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("comity-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a command to completion (killed after `TIMEOUT`), feeding it
/// `stdin`; returns its status (None on timeout), stdout and stderr.
fn run(cmd: Command, stdin: Vec<u8>) -> (Option<ExitStatus>, Vec<u8>, String) {
    let ran = run_with_timeout(cmd, Some(stdin), TIMEOUT);
    let stderr = String::from_utf8_lossy(&ran.stderr).into_owned();
    (ran.status, ran.stdout, stderr)
}

/// A small deterministic generator (64-bit LCG), so the input is the same
/// on every machine.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        items[((self.0 >> 33) as usize) % items.len()]
    }
}

const PARTIES: &[&str] = &[
    "the Buyer",
    "the Supplier",
    "the Licensee",
    "the Distributor",
];
const GOODS: &[&str] = &["the Products", "the Licensed Software", "the Equipment"];
const ZH_PARTIES: &[&str] = &["买方", "卖方", "被许可方", "经销商"];
const ZH_GOODS: &[&str] = &["产品", "许可软件", "设备"];

/// One clause of the generated library, from a template chosen by `kind`.
fn clause(kind: usize, r: &mut Lcg) -> (String, Option<&'static str>) {
    let (p, g) = (r.pick(PARTIES), r.pick(GOODS));
    let (zp, zg) = (r.pick(ZH_PARTIES), r.pick(ZH_GOODS));
    match kind % 8 {
        // English that gives effect to US export controls or sanctions.
        0 => (
            format!(
                "{p} shall comply with all U.S. export control laws, including the EAR, in using {g}."
            ),
            None,
        ),
        1 => (
            format!(
                "{p} represents that it is not listed on the SDN List or the Entity List and is not owned by any person so listed."
            ),
            Some("en"),
        ),
        // English that does not.
        2 => (
            format!("{p} shall deliver {g} to the delivery point within thirty (30) days."),
            None,
        ),
        3 => (
            format!(
                "Each Party shall comply with all laws applicable to it in performing its obligations concerning {g}."
            ),
            Some("en"),
        ),
        // Chinese that gives effect to them.
        4 => (
            format!(
                "{zp}应遵守美国出口管制法律，包括《出口管理条例》，不得将{zg}转让给任何第三方。"
            ),
            None,
        ),
        5 => (
            format!("如{zp}被列入美国财政部特别指定国民清单，另一方有权立即终止本合同。"),
            Some("zh"),
        ),
        // Chinese that does not.
        6 => (
            format!("{zp}应于收到发票后三十日内支付{zg}的价款。"),
            Some("zh"),
        ),
        _ => (
            format!("各方应遵守所有适用的法律法规，{zp}应妥善保管{zg}。"),
            None,
        ),
    }
}

/// The input: `CLAUSES` lines; a few are bad in the ways a real library is
/// (not JSON, an unknown language, no text, a blank line, a number as text).
fn library() -> String {
    let mut r = Lcg(22);
    let mut out = String::new();
    for i in 0..CLAUSES {
        let line = match i {
            17 => "this line is not JSON".to_string(),
            2_500 => serde_json::json!({"id": format!("c{i:05}"), "text": "Buyer shall comply with the EAR.", "lang": "fr"}).to_string(),
            5_001 => serde_json::json!({"id": format!("c{i:05}")}).to_string(),
            7_777 => String::new(),
            9_990 => serde_json::json!({"id": format!("c{i:05}"), "text": 5}).to_string(),
            _ => {
                let (text, lang) = clause(i * 7 + (i / 8), &mut r);
                let mut v = serde_json::json!({"id": format!("c{i:05}"), "text": text});
                if let Some(l) = lang {
                    v["lang"] = l.into();
                }
                v.to_string()
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The lines of a Spark output directory, part by part, in order.
fn spark_output(dir: &Path) -> Vec<String> {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("part-")
        })
        .collect();
    parts.sort();
    assert!(
        std::fs::metadata(dir.join("_SUCCESS")).is_ok(),
        "{}: the job did not finish",
        dir.display()
    );
    parts
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn codes(findings: &serde_json::Value) -> Vec<String> {
    findings
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| format!("{}@{}..{}", f["code"], f["start"], f["end"]))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn spark_local_mode_equals_one_stream_run_line_for_line() {
    if !available(
        "PySpark (python3 -m pip install pyspark)",
        Command::new("python3").args(["-c", "import pyspark"]),
    ) || !available("Java", Command::new("java").arg("-version"))
    {
        return;
    }
    let dir = tempdir("spark");
    let input = library();
    std::fs::write(dir.join("clauses.jsonl"), &input).unwrap();

    // The reference: one process, the whole input.
    let mut single = Command::new(comity());
    single
        .args(["check", "--input", "jsonl", "-"])
        .current_dir(&dir);
    let (status, stdout, stderr) = run(single, input.clone().into_bytes());
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(2),
        "input errors exit 2: {stderr}"
    );
    let expected: Vec<String> = String::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        expected.len(),
        CLAUSES - 1,
        "the blank line is not answered"
    );
    let answers: Vec<serde_json::Value> = expected
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let flagged = answers
        .iter()
        .filter(|a| a["findings"].as_array().is_some_and(|f| !f.is_empty()))
        .count();
    let errors = answers.iter().filter(|a| a.get("error").is_some()).count();
    assert_eq!(errors, 4, "the four bad lines");
    assert!(
        (2_500..7_500).contains(&flagged),
        "a mix of flagged and unflagged clauses: {flagged} flagged"
    );

    // .docx files for binaryFiles: one flagged, one clean, one corrupt.
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("supply.docx"),
        docx(&[
            "1. Delivery",
            "The Supplier shall deliver the Products within thirty (30) days.",
            "2. The Buyer shall comply with all U.S. export control laws, including the EAR, in using the Products.",
        ]),
    )
    .unwrap();
    std::fs::write(
        docs.join("采购合同.docx"),
        docx(&["买方应于收到发票后三十日内支付价款。"]),
    )
    .unwrap();
    std::fs::write(docs.join("broken.docx"), b"this is not a zip archive").unwrap();

    let mut spark = Command::new("python3");
    spark
        .arg(repo().join("examples/spark/comity_spark.py"))
        .args(["--comity", comity(), "--master", "local[2]"])
        .args(["--partitions", "4"])
        .args(["--jsonl", "clauses.jsonl", "answers"])
        .args(["--dataframe", "clauses.jsonl", "joined"])
        .args(["--docx", "docs", "docx-answers"])
        .current_dir(&dir);
    let started = Instant::now();
    let (status, stdout, stderr) = run(spark, Vec::new());
    let took = started.elapsed();
    assert!(
        status.is_some_and(|s| s.success()),
        "the Spark job ran ({status:?} after {took:?}):\n{}\n{stderr}",
        String::from_utf8_lossy(&stdout)
    );
    println!("Spark local[2]: {took:.1?} for {CLAUSES} clauses, three jobs, JVM start included");

    // 1. Line for line the same as the single run, error lines included.
    let got = spark_output(&dir.join("answers"));
    assert_eq!(got.len(), expected.len(), "one answer per non-blank line");
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(g, e, "answer {} differs", i + 1);
    }

    // 2. The DataFrame joined back by id: each row carries its own answer;
    // a row Comity cannot read keeps its place with the error.
    // The input's ids, paired with the single run's answers (one answer per
    // non-blank line, in order).
    let by_id: HashMap<String, &serde_json::Value> = input
        .lines()
        .filter(|l| !l.trim().is_empty())
        .zip(&answers)
        .filter_map(|(l, a)| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            Some((v["id"].as_str()?.to_string(), a))
        })
        .collect();
    let joined: Vec<serde_json::Value> = spark_output(&dir.join("joined"))
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids = joined.iter().filter(|r| r["id"].is_string()).count();
    assert_eq!(ids, by_id.len(), "every row with an id is in the join");
    for row in joined.iter().filter(|r| r["id"].is_string()) {
        let id = row["id"].as_str().unwrap();
        if id == "c09990" {
            // A DataFrame has typed columns: Spark's reader made the
            // number 5 the string "5", which the DataFrame sends as text.
            assert!(row["findings"].as_array().is_some_and(|f| f.is_empty()));
            continue;
        }
        let answer = by_id[id];
        match answer.get("error") {
            Some(e) => assert_eq!(&row["error"], e, "{id}: {row}"),
            None => {
                assert!(row.get("error").is_none(), "{id}: {row}");
                assert_eq!(
                    codes(&row["findings"]),
                    codes(&answer["findings"]),
                    "{id}: {row}"
                );
            }
        }
    }
    let row_errors = joined.iter().filter(|r| r["error"].is_string()).count();
    assert!(row_errors >= 2, "lang fr and no text are error rows");

    // 3. .docx read with binaryFiles, extracted by Comity.
    let docx_rows: Vec<serde_json::Value> = spark_output(&dir.join("docx-answers"))
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docx_rows.len(), 3, "{docx_rows:#?}");
    let row = |name: &str| {
        docx_rows
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no row for {name}: {docx_rows:#?}"))
    };
    let supply = &row("supply.docx")["findings"];
    assert!(
        supply
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "T01" && f["paragraph"]["number"] == 3),
        "{supply:#}"
    );
    assert_eq!(row("采购合同.docx")["findings"], serde_json::json!([]));
    assert!(
        row("broken.docx")["error"]
            .as_str()
            .unwrap()
            .contains("not a valid .docx (zip) archive"),
        "{:#}",
        row("broken.docx")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The Hadoop streaming mapper, fed as Hadoop streaming feeds it
/// (`<byte offset>\t<line>` with `stream.map.input.ignoreKey=false`), gives
/// the stream's answers keyed by file and byte offset.
#[test]
fn hadoop_streaming_mapper_answers_keyed_by_offset() {
    if !available("python3", Command::new("python3").arg("--version")) {
        return;
    }
    let input: String = library()
        .lines()
        .take(600)
        .map(|l| format!("{l}\n"))
        .collect();
    let mut offset = 0;
    let mut streamed = String::new();
    let mut offsets = Vec::new();
    for line in input.split_inclusive('\n') {
        streamed.push_str(&format!("{offset}\t{line}"));
        if !line.trim().is_empty() {
            offsets.push(offset);
        }
        offset += line.len();
    }
    let mut single = Command::new(comity());
    single.args(["check", "--input", "jsonl", "-"]);
    let (_, expected, _) = run(single, input.into_bytes());
    let expected = String::from_utf8(expected).unwrap();

    let mut mapper = Command::new("python3");
    mapper
        .arg(repo().join("examples/spark/hadoop_mapper.py"))
        .env("COMITY", comity())
        .env("mapreduce_map_input_file", "hdfs:///lib/clauses.jsonl");
    let (status, stdout, stderr) = run(mapper, streamed.into_bytes());
    assert!(status.is_some_and(|s| s.success()), "{stderr}");
    let stdout = String::from_utf8(stdout).unwrap();
    let got: Vec<(&str, &str)> = stdout
        .lines()
        .map(|l| l.split_once('\t').expect("key\\tanswer"))
        .collect();
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(got.len(), expected.len());
    assert!(expected.iter().any(|l| l.contains("\"error\"")));
    for ((key, answer), (want, offset)) in got.iter().zip(expected.iter().zip(&offsets)) {
        assert_eq!(answer, want);
        assert_eq!(*key, format!("hdfs:///lib/clauses.jsonl:{offset}"));
    }
}
