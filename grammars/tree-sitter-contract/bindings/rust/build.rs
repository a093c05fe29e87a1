#[path = "vocabulary_gen.rs"]
mod vocabulary_gen;

fn main() {
    // The vocabulary: a Rust module for Comity's fast path, and the header
    // the scanner includes (the committed copy in src/ is checked against
    // this one by tests/vocabulary.rs).
    let json = std::fs::read_to_string("vocabulary.json").expect("vocabulary.json is readable");
    let vocabulary: serde_json::Value =
        serde_json::from_str(&json).expect("vocabulary.json is valid JSON");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(
        out.join("vocabulary.rs"),
        vocabulary_gen::rust_module(&vocabulary),
    )
    .expect("OUT_DIR is writable");
    std::fs::write(
        out.join("vocabulary.h"),
        vocabulary_gen::c_header(&vocabulary),
    )
    .expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=vocabulary.json");
    println!("cargo:rerun-if-changed=bindings/rust/vocabulary_gen.rs");

    let src = std::path::Path::new("src");
    cc::Build::new()
        .std("c11")
        .include(src)
        .file(src.join("parser.c"))
        .file(src.join("scanner.c"))
        .opt_level(3)
        .warnings(false)
        .compile("tree-sitter-contract");
    println!("cargo:rerun-if-changed=src/parser.c");
    println!("cargo:rerun-if-changed=src/scanner.c");
    println!("cargo:rerun-if-changed=src/vocabulary.h");
    println!("cargo:rerun-if-changed=src/tree_sitter/parser.h");
}
