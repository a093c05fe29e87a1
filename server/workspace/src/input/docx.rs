//! Reading `.docx` drafts: paragraphs, headings, tables and list numbering
//! (from `word/numbering.xml`) turned into text the document model reads,
//! with a map back to paragraphs so findings can be located in Word.
//!
//! Limits protect against hostile files: the archive may hold at most
//! `MAX_ENTRIES` entries, and at most `MAX_XML_BYTES` are inflated from any
//! part (a zip bomb stops there with an error). XML entities other than the
//! five predefined ones and character references are never expanded, so
//! external entities cannot be used to read files.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::InputError;

pub const MAX_ENTRIES: usize = 10_000;
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_DOCX_BYTES: u64 = 256 * 1024 * 1024;

/// A paragraph of the source and where its text starts in the extracted text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// One-based paragraph number in the document body (tables included).
    pub number: usize,
    pub offset: usize,
}

#[derive(Clone, Debug)]
pub struct DocxText {
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
}

impl DocxText {
    /// The paragraph number and character offset within it of a byte offset.
    pub fn locate(&self, offset: usize) -> Option<(usize, usize)> {
        let i = self
            .paragraphs
            .partition_point(|p| p.offset <= offset)
            .checked_sub(1)?;
        let p = &self.paragraphs[i];
        Some((
            p.number,
            self.text[p.offset..offset.min(self.text.len())]
                .chars()
                .count(),
        ))
    }
}

fn docx_err(path: &Path, message: impl Into<String>) -> InputError {
    InputError::Docx {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Reads a .docx file from disk.
pub fn read_docx(path: &Path) -> Result<DocxText, InputError> {
    let meta = std::fs::metadata(path).map_err(|error| InputError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    if meta.len() > MAX_DOCX_BYTES {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_DOCX_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(|error| InputError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    docx_text(path, &bytes)
}

/// Extracts the text of a .docx held in memory.
pub fn docx_text(path: &Path, bytes: &[u8]) -> Result<DocxText, InputError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| docx_err(path, format!("not a valid .docx (zip) archive: {e}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(docx_err(
            path,
            format!(
                "the archive has {} entries, more than the {MAX_ENTRIES} allowed",
                archive.len()
            ),
        ));
    }
    let document = read_part(&mut archive, path, "word/document.xml")?
        .ok_or_else(|| docx_err(path, "no word/document.xml: not a Word document"))?;
    let numbering = match read_part(&mut archive, path, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(path, &xml)?,
        None => Numbering::default(),
    };
    let styles = match read_part(&mut archive, path, "word/styles.xml")? {
        Some(xml) => heading_styles(&xml),
        None => HashMap::new(),
    };
    extract(path, &document, &numbering, &styles)
}

fn read_part(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    path: &Path,
    name: &str,
) -> Result<Option<String>, InputError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(docx_err(path, format!("cannot read {name}: {e}"))),
    };
    let declared = file.size();
    if declared > MAX_XML_BYTES {
        return Err(docx_err(
            path,
            format!(
                "{name} would inflate to {} MB, more than the {} MB limit (possible zip bomb)",
                declared / 1_000_000,
                MAX_XML_BYTES / 1_000_000
            ),
        ));
    }
    let mut out = Vec::new();
    file.take(MAX_XML_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| docx_err(path, format!("cannot inflate {name}: {e}")))?;
    if out.len() as u64 > MAX_XML_BYTES {
        return Err(docx_err(
            path,
            format!(
                "{name} inflates past the {} MB limit (possible zip bomb)",
                MAX_XML_BYTES / 1_000_000
            ),
        ));
    }
    String::from_utf8(out)
        .map(Some)
        .map_err(|_| docx_err(path, format!("{name} is not UTF-8 XML")))
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Paragraph styles that are headings, with their level (Heading1 → 1).
fn heading_styles(xml: &str) -> HashMap<String, u8> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "style" => current = attr(&e, "styleId"),
                "name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, "val")) {
                        let lower = name.to_lowercase();
                        if let Some(level) = lower
                            .strip_prefix("heading ")
                            .and_then(|n| n.trim().parse::<u8>().ok())
                        {
                            out.insert(id.clone(), level);
                        } else if lower == "title" {
                            out.insert(id.clone(), 1);
                        }
                    }
                }
                "outlineLvl" => {
                    if let (Some(id), Some(l)) =
                        (&current, attr(&e, "val").and_then(|v| v.parse::<u8>().ok()))
                    {
                        out.entry(id.clone()).or_insert(l + 1);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

#[derive(Clone, Debug, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// List numbering definitions: numId → abstractNum → levels.
#[derive(Clone, Debug, Default)]
struct Numbering {
    abstract_levels: HashMap<String, Vec<Level>>,
    num_to_abstract: HashMap<String, String>,
}

impl Numbering {
    fn parse(path: &Path, xml: &str) -> Result<Numbering, InputError> {
        let mut n = Numbering::default();
        let mut reader = Reader::from_str(xml);
        let mut cur_abstract: Option<String> = None;
        let mut cur_num: Option<String> = None;
        let mut cur_level: Option<usize> = None;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                    "abstractNum" => cur_abstract = attr(&e, "abstractNumId"),
                    "num" => cur_num = attr(&e, "numId"),
                    "abstractNumId" => {
                        if let (Some(num), Some(a)) = (&cur_num, attr(&e, "val")) {
                            n.num_to_abstract.insert(num.clone(), a);
                        }
                    }
                    "lvl" => {
                        let ilvl = attr(&e, "ilvl")
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0)
                            .min(8);
                        cur_level = Some(ilvl);
                        if let Some(a) = &cur_abstract {
                            let levels = n.abstract_levels.entry(a.clone()).or_default();
                            if levels.len() <= ilvl {
                                levels.resize(
                                    ilvl + 1,
                                    Level {
                                        start: 1,
                                        ..Level::default()
                                    },
                                );
                            }
                        }
                    }
                    tag @ ("numFmt" | "lvlText" | "start") => {
                        if let (Some(a), Some(l), Some(v)) =
                            (&cur_abstract, cur_level, attr(&e, "val"))
                            && let Some(level) =
                                n.abstract_levels.get_mut(a).and_then(|ls| ls.get_mut(l))
                        {
                            match tag {
                                "numFmt" => level.format = v,
                                "lvlText" => level.text = v,
                                _ => level.start = v.parse().unwrap_or(1),
                            }
                        }
                    }
                    _ => {}
                },
                Ok(Event::End(e)) => match e.local_name().as_ref() {
                    "abstractNum" => cur_abstract = None,
                    "num" => cur_num = None,
                    "lvl" => cur_level = None,
                    _ => {}
                },
                Ok(Event::Eof) => break,
                Err(e) => return Err(docx_err(path, format!("word/numbering.xml: {e}"))),
                _ => {}
            }
        }
        Ok(n)
    }
}

fn format_number(n: u32, format: &str) -> String {
    const ROMAN: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let roman = |mut v: u32| {
        let mut s = String::new();
        for (value, sym) in ROMAN {
            while v >= value {
                s.push_str(sym);
                v -= value;
            }
        }
        s
    };
    let letter = |v: u32| {
        let v = v.max(1) - 1;
        let c = (b'a' + (v % 26) as u8) as char;
        c.to_string().repeat(v as usize / 26 + 1)
    };
    match format {
        "lowerLetter" => letter(n),
        "upperLetter" => letter(n).to_uppercase(),
        "lowerRoman" => roman(n),
        "upperRoman" => roman(n).to_uppercase(),
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "chineseLegalSimplified" => comity_text::chinese_number(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).unwrap().to_string()
        }
        "bullet" | "none" => String::new(),
        _ => n.to_string(),
    }
}

/// Paragraph properties collected while reading a `w:p`.
#[derive(Default)]
struct ParaProps {
    style: Option<String>,
    num_id: Option<String>,
    ilvl: usize,
}

fn extract(
    path: &Path,
    xml: &str,
    numbering: &Numbering,
    styles: &HashMap<String, u8>,
) -> Result<DocxText, InputError> {
    let mut reader = Reader::from_str(xml);
    let mut text = String::new();
    let mut paragraphs = Vec::new();
    let mut para = String::new();
    let mut props = ParaProps::default();
    let mut in_text = false;
    let mut in_para = false;
    let mut counters: HashMap<String, [u32; 9]> = HashMap::new();
    let mut number = 0usize;
    let mut cell_depth = 0usize;
    let mut row_cells: Vec<String> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| docx_err(path, format!("word/document.xml: {e}")))?;
        match event {
            Event::DocType(_) => {
                // Entities declared here are never expanded.
            }
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "p" => {
                    in_para = true;
                    para.clear();
                    props = ParaProps::default();
                }
                "pStyle" => props.style = attr(&e, "val"),
                "numId" => props.num_id = attr(&e, "val"),
                "ilvl" => {
                    props.ilvl = attr(&e, "val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                        .min(8)
                }
                "t" => in_text = true,
                "ta" if in_para => para.push('\t'),
                "br" | "cr" if in_para => para.push(' '),
                "tc" => cell_depth += 1,
                "tr" => row_cells.clear(),
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(&t),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else {
                    match &*r {
                        "amp" => para.push('&'),
                        "lt" => para.push('<'),
                        "gt" => para.push('>'),
                        "quot" => para.push('"'),
                        "apos" => para.push('\''),
                        _ => {} // an undeclared or external entity: dropped, never resolved
                    }
                }
            }
            Event::CData(t) if in_text => {
                para.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0))
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    in_para = false;
                    number += 1;
                    let prefix = list_prefix(&props, numbering, &mut counters);
                    let heading = props
                        .style
                        .as_ref()
                        .and_then(|s| styles.get(s).copied().or_else(|| builtin_heading(s)));
                    let mut line = String::new();
                    if let Some(level) = heading {
                        line.push_str(&"#".repeat(level.clamp(1, 6) as usize));
                        line.push(' ');
                    }
                    if !prefix.is_empty() {
                        line.push_str(&prefix);
                        line.push(' ');
                    }
                    line.push_str(para.trim_end());
                    let line = line.replace(['\r', '\n'], " ");
                    if cell_depth > 0 {
                        row_cells.push(line);
                        continue;
                    }
                    if line.trim().is_empty() {
                        continue;
                    }
                    paragraphs.push(Paragraph {
                        number,
                        offset: text.len(),
                    });
                    text.push_str(&line);
                    text.push_str("\n\n");
                }
                "tc" => cell_depth = cell_depth.saturating_sub(1),
                "tr" => {
                    let row: Vec<&str> = row_cells
                        .iter()
                        .map(|c| c.trim())
                        .filter(|c| !c.is_empty())
                        .collect();
                    if !row.is_empty() {
                        paragraphs.push(Paragraph {
                            number,
                            offset: text.len(),
                        });
                        text.push_str(&row.join("\t"));
                        text.push_str("\n\n");
                    }
                    row_cells.clear();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(DocxText { text, paragraphs })
}

fn builtin_heading(style: &str) -> Option<u8> {
    let lower = style.to_lowercase();
    lower
        .strip_prefix("heading")
        .and_then(|n| n.trim().parse::<u8>().ok())
}

/// The list number of a paragraph ("1.1", "(a)", "第一条"), advancing the counters.
fn list_prefix(
    props: &ParaProps,
    numbering: &Numbering,
    counters: &mut HashMap<String, [u32; 9]>,
) -> String {
    let Some(num_id) = &props.num_id else {
        return String::new();
    };
    if num_id == "0" {
        return String::new();
    }
    let Some(levels) = numbering
        .num_to_abstract
        .get(num_id)
        .and_then(|a| numbering.abstract_levels.get(a))
    else {
        return String::new();
    };
    let ilvl = props.ilvl.min(levels.len().saturating_sub(1));
    let abstract_key = numbering.num_to_abstract[num_id].clone();
    let c = counters.entry(abstract_key).or_insert_with(|| {
        let mut init = [0u32; 9];
        for (i, l) in levels.iter().enumerate().take(9) {
            init[i] = l.start.saturating_sub(1);
        }
        init
    });
    c[ilvl] += 1;
    for (deeper, level) in levels.iter().enumerate().take(9).skip(ilvl + 1) {
        c[deeper] = level.start.saturating_sub(1);
    }
    let level = &levels[ilvl];
    if level.format == "bullet" {
        return "-".to_string();
    }
    let mut out = level.text.clone();
    for (i, l) in levels.iter().enumerate().take(ilvl + 1) {
        out = out.replace(
            &format!("%{}", i + 1),
            &format_number(c[i].max(1), &l.format),
        );
    }
    out
}
