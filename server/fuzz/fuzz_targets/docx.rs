//! The .docx reader on arbitrary bytes (seed the corpus with real .docx files
//! so that mutations reach the XML): an error or text, never a panic; the
//! paragraph map stays inside the text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = comity_workspace::input::docx::docx_text(Path::new("fuzz.docx"), data) {
        for p in &d.paragraphs {
            assert!(p.offset <= d.text.len() && d.text.is_char_boundary(p.offset));
            let _ = d.locate(p.offset);
        }
        let _ = comity_engine::lint(
            &comity_document::Document::parse(d.text),
            comity_rules::RuleSet::builtin(),
            &comity_engine::Settings::default(),
        );
    }
});
