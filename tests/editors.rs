//! Real editors as language clients: Neovim (through the plugin in
//! `editors/neovim`) and Emacs + eglot drive `comity lsp` on the Chinese
//! procurement contract. The scripts are in `tests/e2e/`.
//!
//! A missing editor skips its test, unless `COMITY_REQUIRE_EXTERNAL=1`
//! (as in `.ci/run`), which makes it a failure.

#[path = "support/process.rs"]
mod process;
use process::run_with_timeout;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(60);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether `program` runs at all; if not, the test is skipped or fails.
fn available(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        if std::env::var("COMITY_REQUIRE_EXTERNAL").as_deref() == Ok("1") {
            panic!("{program} is not installed, and COMITY_REQUIRE_EXTERNAL=1 requires it");
        }
        println!("skipped: {program} not installed");
    }
    found
}

/// Runs a command to completion or kills it after `TIMEOUT`; returns its exit
/// status (None on timeout) and everything it wrote.
fn run(cmd: Command) -> (Option<ExitStatus>, String) {
    let ran = run_with_timeout(cmd, None, TIMEOUT);
    let mut output = String::from_utf8_lossy(&ran.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&ran.stderr);
    if !stderr.trim().is_empty() {
        output.push_str("--- stderr ---\n");
        output.push_str(&stderr);
    }
    (ran.status, output)
}

fn check(name: &str, status: Option<ExitStatus>, output: &str) {
    println!("{output}");
    match status {
        None => panic!("{name} timed out after {} s", TIMEOUT.as_secs()),
        Some(s) => assert!(s.success(), "{name} failed ({s})"),
    }
}

/// Keeps an editor away from the user's configuration, state and logs.
fn isolate(cmd: &mut Command, home: &Path) {
    cmd.current_dir(repo())
        .env("COMITY_BIN", env!("CARGO_BIN_EXE_comity"))
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"));
}

/// The Neovim plugin (loaded on the installed Neovim, 0.7.2 on Debian
/// bookworm): diagnostics at the right UTF-16 columns, hover, :ComityExplain,
/// and the preferred quick fix, after which the finding is gone.
#[test]
fn neovim_plugin_diagnoses_hovers_and_fixes() {
    if !available("nvim") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("nvim");
    cmd.args([
        "--headless",
        "--clean",
        "-c",
        "luafile tests/e2e/nvim_test.lua",
    ]);
    isolate(&mut cmd, home.path());
    let (status, output) = run(cmd);
    check("nvim", status, &output);
    assert!(output.contains("PASS nvim e2e"), "no PASS line");
}

/// Emacs + eglot: Flymake shows the T13 finding over 华为, and hover cites
/// the Anti-Foreign Sanctions Law.
#[test]
fn emacs_eglot_shows_the_finding() {
    if !available("emacs") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("emacs");
    cmd.args(["-Q", "--batch", "-l", "tests/e2e/eglot_test.el"]);
    isolate(&mut cmd, home.path());
    let (status, output) = run(cmd);
    check("emacs", status, &output);
    assert!(output.contains("PASS eglot e2e"), "no PASS line");
}

/// The plugin's queries are copies of the grammar's; they must not drift.
#[test]
fn neovim_queries_match_the_grammar() {
    for name in ["highlights.scm", "folds.scm"] {
        let grammar = repo()
            .join("grammars/tree-sitter-contract/queries")
            .join(name);
        let plugin = repo().join("editors/neovim/queries/contract").join(name);
        let a = std::fs::read_to_string(&grammar).unwrap();
        let b = std::fs::read_to_string(&plugin)
            .unwrap_or_else(|e| panic!("{}: {e}", plugin.display()));
        assert_eq!(
            a,
            b,
            "{} differs from {}; copy it again",
            plugin.display(),
            grammar.display()
        );
    }
}
