//! Embeds the built-in rule library: every rule file `clauses/*.toml` (so a
//! new `T16.toml` is loaded without being listed anywhere) and the data
//! files the rules use. Writes `$OUT_DIR/builtin_rules.rs`, which
//! `src/lib.rs` includes.

use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The data files of `clauses/`: every other `*.toml` there is a rule file.
const DATA_FILES: [(&str, &str); 4] = [
    ("BUILTIN_LEXICON", "lexicon.toml"),
    ("BUILTIN_REGIMES", "regimes.toml"),
    ("BUILTIN_INSTRUMENTS", "instruments.toml"),
    ("BUILTIN_PROHIBITION_ORDERS", "prohibition_orders.toml"),
];

fn main() {
    // This crate is server/rules; the library is clauses/ at the top.
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let clauses = manifest.join("../../clauses");
    println!("cargo:rerun-if-changed={}", clauses.display());
    let mut names: Vec<String> = std::fs::read_dir(&clauses)
        .unwrap_or_else(|e| panic!("{}: {e}", clauses.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let include = |path: &Path| {
        println!("cargo:rerun-if-changed={}", path.display());
        format!("include_str!({:?})", path.display().to_string())
    };
    let mut out = String::from(
        "/// The rule files of the built-in library (`clauses/*.toml` but the\n\
         /// data files), embedded in the binary; found by `server/build.rs`.\n\
         pub const BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n",
    );
    for name in names
        .iter()
        .filter(|n| !DATA_FILES.iter().any(|(_, data)| data == n))
    {
        writeln!(out, "    ({name:?}, {}),", include(&clauses.join(name))).unwrap();
    }
    out.push_str("];\n\n");
    for (constant, file) in DATA_FILES {
        assert!(
            names.iter().any(|n| n == file),
            "clauses/{file} is missing: the rule library needs it"
        );
        writeln!(
            out,
            "pub const {constant}: &str = {};",
            include(&clauses.join(file))
        )
        .unwrap();
    }
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(dest.join("builtin_rules.rs"), out).expect("OUT_DIR is writable");
}
