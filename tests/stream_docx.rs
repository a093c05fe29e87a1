//! A `.docx` sent on the JSONL stream as base64 (`{"id", "docx_base64"}`):
//! read by the same reader as files on disk, answered in place like any line,
//! with the Word paragraph of each finding. Bad base64 or a non-Word archive
//! is an error line, and the lines after it are still answered.

#[path = "support/docx.rs"]
mod docx_support;
use docx_support::docx;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run_stream(input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_comity"))
        .args(["check", "--input", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("comity runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Standard base64 with padding, written here so the test does not share
/// code with the decoder it checks.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[test]
fn a_docx_on_the_stream_is_read_and_answered_in_place() {
    let draft = docx(&[
        "1. Definitions",
        "Each Party shall comply with all applicable laws.",
        "2. Buyer shall comply with all U.S. export control laws, including the EAR, in using the Products.",
    ]);
    let clean = docx(&["各方应遵守所有适用的法律法规。"]);
    let input = [
        serde_json::json!({"id": "a.docx", "docx_base64": base64(&draft)}).to_string(),
        serde_json::json!({"id": "bad-b64", "docx_base64": "not base64!"}).to_string(),
        serde_json::json!({"id": "zip", "docx_base64": base64(b"PK plain text")}).to_string(),
        serde_json::json!({"id": "both", "text": "x", "docx_base64": base64(&clean)}).to_string(),
        serde_json::json!({"id": "b.docx", "docx_base64": base64(&clean), "lang": "zh"})
            .to_string(),
        serde_json::json!({"id": 6, "text": "Buyer shall comply with the EAR."}).to_string(),
    ]
    .join("\n");
    let out = run_stream(&input);
    assert_eq!(
        out.status.code(),
        Some(2),
        "error lines make the run exit 2"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "{lines:#?}");

    assert_eq!(lines[0]["id"], "a.docx");
    let findings = lines[0]["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["code"] == "T01"), "{findings:#?}");
    for f in findings {
        // The export-control clause is the third paragraph of the draft.
        assert_eq!(f["paragraph"]["number"], 3, "{f:#?}");
    }

    assert_eq!(lines[1]["line"], 2);
    let e = lines[1]["error"].as_str().unwrap();
    assert!(e.contains("docx_base64: not valid base64"), "{e}");

    assert_eq!(lines[2]["line"], 3);
    let e = lines[2]["error"].as_str().unwrap();
    assert!(e.contains("not a valid .docx (zip) archive"), "{e}");

    assert_eq!(lines[3]["line"], 4);
    let e = lines[3]["error"].as_str().unwrap();
    assert!(e.contains("both \"text\" and \"docx_base64\""), "{e}");

    assert_eq!(lines[4]["id"], "b.docx");
    assert!(lines[4]["findings"].as_array().unwrap().is_empty());

    // A text line has no paragraph field.
    assert_eq!(lines[5]["id"], 6);
    let f = &lines[5]["findings"][0];
    assert_eq!(f["code"], "T01");
    assert!(f.get("paragraph").is_none(), "{f:#?}");
}
