//! .docx input: paragraphs, headings, list numbering and tables become text
//! the engine reads; findings point back to Word paragraphs; hostile archives
//! are refused with a clear error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use comity_workspace::input::docx::docx_text;

fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default();
        for (name, content) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn numbering() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}>
<w:abstractNum w:abstractNumId="7">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
</w:numbering>"#
    )
}

fn para(text: &str, num: Option<(u32, u32)>, style: Option<&str>) -> String {
    let mut p = String::from("<w:p><w:pPr>");
    if let Some(s) = style {
        p.push_str(&format!(r#"<w:pStyle w:val="{s}"/>"#));
    }
    if let Some((id, lvl)) = num {
        p.push_str(&format!(
            r#"<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{id}"/></w:numPr>"#
        ));
    }
    p.push_str("</w:pPr>");
    // Split the text over two runs, as Word does.
    let mid = text
        .char_indices()
        .nth(text.chars().count() / 2)
        .map(|(i, _)| i)
        .unwrap_or(0);
    p.push_str(&format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p>"#,
        &text[..mid],
        &text[mid..]
    ));
    p
}

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    )
}

fn supply_docx() -> Vec<u8> {
    let body = [
        para("Export Control", None, Some("Heading1")),
        para("Definitions", Some((3, 0)), None),
        para("\"Sanctions\" means sanctions administered by OFAC or the U.S. Department of Commerce.", Some((3, 1)), None),
        para("Compliance", Some((3, 0)), None),
        para("Buyer shall comply with all U.S. export control laws, including the EAR.", Some((3, 1)), None),
        para("Buyer shall not resell the Products to any person subject to Sanctions.", Some((3, 2)), None),
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Product</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ECCN 5A992</w:t></w:r></w:p></w:tc></w:tr></w:tbl>".to_string(),
    ]
    .concat();
    docx(&[
        ("word/document.xml", &document(&body)),
        ("word/numbering.xml", &numbering()),
    ])
}

#[test]
fn numbered_lists_become_clause_numbers() {
    let d = docx_text(Path::new("x.docx"), &supply_docx()).unwrap();
    assert!(d.text.contains("# Export Control"), "{}", d.text);
    assert!(d.text.contains("1. Definitions"), "{}", d.text);
    assert!(d.text.contains("1.1 \"Sanctions\" means"), "{}", d.text);
    assert!(d.text.contains("2. Compliance"), "{}", d.text);
    assert!(d.text.contains("2.1 Buyer shall comply"), "{}", d.text);
    assert!(d.text.contains("(a) Buyer shall not resell"), "{}", d.text);
    assert!(
        d.text.contains("Product\tECCN 5A992"),
        "tables keep their text: {}",
        d.text
    );
    let doc = comity_document::Document::parse(d.text.clone());
    let labels: Vec<_> = doc
        .clauses()
        .iter()
        .filter_map(|c| c.label.as_deref())
        .collect();
    assert!(
        labels.contains(&"2.1") && labels.contains(&"2.1(a)"),
        "{labels:?}"
    );
    let at = d.text.find("Buyer shall comply").unwrap();
    let (paragraph, offset) = d.locate(at).unwrap();
    assert_eq!(paragraph, 5);
    assert_eq!(offset, "2.1 ".chars().count());
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("comity-docx-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_reports_docx_findings_by_paragraph_and_never_writes_it() {
    let dir = tempdir("check");
    let path = dir.join("supply.docx");
    let bytes = supply_docx();
    std::fs::write(&path, &bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_comity"))
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["files"][0]["findings"].as_array().unwrap();
    let t01 = findings
        .iter()
        .find(|f| f["code"] == "T01")
        .expect("the covenant is flagged");
    assert_eq!(t01["paragraph"]["number"], 5);
    assert_eq!(t01["clause"], "2.1");
    let via_term = findings
        .iter()
        .find(|f| f["clause"] == "2.1(a)")
        .expect("the resale ban is flagged through the defined term");
    assert_eq!(via_term["related"][0]["term"], "Sanctions");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "a .docx is never rewritten"
    );
}

#[test]
fn hostile_archives_are_refused_with_a_reason() {
    let p = Path::new("bad.docx");
    let err = docx_text(p, b"this is not a zip").unwrap_err().to_string();
    assert!(err.contains("bad.docx") && err.contains("zip"), "{err}");
    let err = docx_text(p, &docx(&[("word/other.xml", "<x/>")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("word/document.xml"), "{err}");
    let err = docx_text(
        p,
        &docx(&[("word/document.xml", "<w:document><w:body><w:p>")]),
    )
    .map(|d| d.text);
    assert!(
        err.is_err() || err.as_ref().unwrap().is_empty(),
        "truncated XML is an error or yields nothing: {err:?}"
    );
}

#[test]
fn external_entities_are_never_resolved() {
    let secret = std::env::temp_dir().join(format!("comity-secret-{}", std::process::id()));
    std::fs::write(&secret, "TOP SECRET CONTENT").unwrap();
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{}">]><w:document {W}><w:body><w:p><w:r><w:t>Before &xxe; after &amp; done</w:t></w:r></w:p></w:body></w:document>"#,
        secret.display()
    );
    let d = docx_text(Path::new("xxe.docx"), &docx(&[("word/document.xml", &xml)])).unwrap();
    assert!(!d.text.contains("TOP SECRET"), "{}", d.text);
    assert!(d.text.contains("Before  after & done"), "{}", d.text);
}

#[test]
fn zip_bombs_stop_at_the_limit() {
    // 80 MB of zeros compresses to a few hundred KB.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..80 {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 2_000_000);
    let err = docx_text(Path::new("bomb.docx"), &bytes)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("zip bomb") && err.contains("bomb.docx"),
        "{err}"
    );
}

#[test]
fn outline_reads_a_docx() {
    // Issue 21, point 16: `comity outline draft.docx` reads the document XML.
    let dir = tempdir("outline");
    let path = dir.join("supply.docx");
    std::fs::write(&path, supply_docx()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_comity"))
        .args(["outline"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Compliance"), "{text}");
    assert!(!text.contains("PK"), "read as binary: {text}");
}
