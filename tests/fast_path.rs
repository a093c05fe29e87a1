//! The batch fast path (`document/elide.rs`, `document/plain.rs`) can be
//! turned off (`comity check --no-fast-path`, `COMITY_NO_FAST_PATH=1`) to
//! bisect a difference between `check` and the editor; with it off, every
//! output is the same on the fixtures, the examples and the labelled
//! corpus as a JSONL stream.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The standard output of `comity check ARGS`, with the fast path on, off
/// by flag, and off by environment variable.
fn three_ways(args: &[&str]) -> [String; 3] {
    let run = |extra: Option<&str>, env: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_comity"));
        cmd.current_dir(root())
            .arg("check")
            .args(args)
            .args(["--exit-zero", "--no-progress", "--color", "never"])
            .env_remove("COMITY_NO_FAST_PATH");
        if let Some(flag) = extra {
            cmd.arg(flag);
        }
        if let Some(value) = env {
            cmd.env("COMITY_NO_FAST_PATH", value);
        }
        let out = cmd.output().expect("comity runs");
        assert!(
            out.status.success(),
            "comity check {args:?} {extra:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    };
    [
        run(None, None),
        run(Some("--no-fast-path"), None),
        run(None, Some("1")),
    ]
}

fn assert_same(args: &[&str]) {
    let [on, flag, env] = three_ways(args);
    assert!(!on.trim().is_empty(), "{args:?} printed nothing");
    assert!(on == flag, "{args:?}: --no-fast-path changes the output");
    assert!(
        on == env,
        "{args:?}: COMITY_NO_FAST_PATH=1 changes the output"
    );
}

#[test]
fn fixtures_read_the_same_without_the_fast_path() {
    for format in ["json", "human"] {
        assert_same(&["--format", format, "tests/fixtures"]);
    }
}

#[test]
fn examples_read_the_same_without_the_fast_path() {
    assert_same(&["--format", "json", "examples"]);
}

#[test]
fn the_labelled_corpus_streams_the_same_without_the_fast_path() {
    assert_same(&[
        "--input",
        "jsonl",
        "--format",
        "jsonl",
        "tests/corpus/labelled.jsonl",
    ]);
}

/// The switch is read once, from the environment, and can be set.
#[test]
fn the_switch_turns_the_fast_path_off() {
    // (Set explicitly: the environment of `cargo test` is not known here.)
    comity_document::set_fast_path(false);
    assert!(!comity_document::fast_path_enabled());
    let text =
        "1.1 The Supplier shall deliver the Goods under Clause 4.2.\n\n2.1 The Buyer pays.\n";
    let off = comity_document::Document::parse_once(text);
    comity_document::set_fast_path(true);
    assert!(comity_document::fast_path_enabled());
    let on = comity_document::Document::parse_once(text);
    assert_eq!(format!("{:?}", off.blocks()), format!("{:?}", on.blocks()));
}
