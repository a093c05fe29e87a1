//! The arguments of `comity check`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::FailOn;

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// Files and folders to lint; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// `text`: drafts. `jsonl`: lines of {"id", "text", "lang"?}, answered line by line.
    #[arg(long, value_enum, default_value_t = InputKind::Text)]
    pub input: InputKind,
    /// The name to report for standard input (and to find comity.toml from).
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Glob of files to skip (repeatable), in addition to .gitignore.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Use this configuration instead of the nearest comity.toml.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Fail (exit 1) when a finding at or above this severity is reported.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (input errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Number of threads (default: all cores). With 1, the whole run,
    /// loading the rules included, takes one thread at a time.
    #[arg(long)]
    pub threads: Option<usize>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Do not show a progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
    /// Apply suggested wording marked safe (legal rewording is rarely safe).
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply suggestions marked unsafe.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    pub diff: bool,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report suppression comments that match no finding.
    #[arg(long)]
    pub report_unused: bool,
    /// Parse every draft whole, without the batch fast path (as the
    /// environment variable COMITY_NO_FAST_PATH=1 does), to bisect a
    /// difference between `check` and the editor.
    #[arg(long, hide = true)]
    pub no_fast_path: bool,
    /// With the human format, also show why each clause is risky, the
    /// US-side cost of deleting it, and every suggested wording in full.
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// List the findings that suppression comments removed, as info, with the
    /// comment and reason (carve-out downgrades always name their clause).
    #[arg(long)]
    pub show_suppressed: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Github,
    Sarif,
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum InputKind {
    Text,
    Jsonl,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub(crate) fn use_color(args: &CheckArgs) -> bool {
    match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}
