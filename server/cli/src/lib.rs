//! The `comity` command line: a thin adapter over the engine. It never
//! imports the language server; the binary dispatches `comity lsp` to it.

mod args;
mod baseline;
mod check;
mod contexts;
mod eval;
mod explain;
pub mod fix;
pub mod html;
mod inputs;
pub mod report;
mod rules_test;
pub mod sarif;
mod sink;
mod stream;
mod trace;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use comity_document::Document;
use comity_finding::Severity;
use comity_workspace::input;
use comity_workspace::outline::Outline;

pub use args::CheckArgs;
pub use eval::{Evaluation, evaluate};

#[derive(Parser, Debug)]
#[command(
    name = "comity",
    version,
    about = "Lints contract drafts for clauses that implement US export controls or sanctions, citing the PRC Anti-Foreign Sanctions Law.",
    after_help = "Findings are a drafting aid, not legal advice. See README.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint drafts (.txt, .md, .docx), folders of them, or a JSONL stream of clauses.
    Check(CheckArgs),
    /// Print what the engine sees in a draft: clauses, definitions, parties, governing law.
    Outline {
        /// The draft (.txt or .md).
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutlineFormat::Text)]
        format: OutlineFormat,
    },
    /// Explain a rule: what it flags, why, the law, the US-side cost, neutral wording.
    Explain {
        /// A rule code, e.g. T05.
        code: String,
        /// Language of the explanation.
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value_t = OutlineFormat::Text)]
        format: OutlineFormat,
        /// Print the trigger literals of the prefilter, one per line (for the
        /// ripgrep comparison in server/benches/bench.sh).
        #[arg(long, hide = true)]
        anchors: bool,
        /// Run the examples of the rule files in DIR (a firm's own rules)
        /// and print each one's result; exit 1 if one fails, 2 if a file
        /// does not load.
        #[arg(long, value_name = "DIR")]
        test: Option<PathBuf>,
    },
    /// Measure precision and recall on a labelled JSONL file of clauses.
    Eval {
        /// Lines of {"id", "text", "flag": true|false, "category"?, "lang"?}.
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutlineFormat::Text)]
        format: OutlineFormat,
        /// Which part of a corpus split by document (`doc`) to measure: the
        /// test split is the documents listed in the split file, dev the rest.
        /// The misses of the test split are never listed.
        #[arg(long, value_enum, default_value_t = eval::SplitArg::All)]
        split: eval::SplitArg,
        /// The split file (`test_docs = [...]`); by default
        /// tests/corpus/real-split.toml when the corpus has `doc` fields.
        #[arg(long)]
        split_file: Option<PathBuf>,
    },
    /// Show, sentence by sentence, what the engine found, which rule
    /// matched or why none did, and what downgraded or removed a finding.
    Trace {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutlineFormat::Text)]
        format: OutlineFormat,
        /// Also list sentences with no trigger word.
        #[arg(long)]
        all: bool,
    },
    /// Run the language server on standard input and output.
    Lsp,
    /// Print a JSON schema: `rule` (clauses/*.toml), `config` (comity.toml), `report` (--format json), `outline`.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutlineFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    En,
    Zh,
}

impl LangArg {
    pub fn lang(self) -> comity_text::Lang {
        match self {
            LangArg::En => comity_text::Lang::En,
            LangArg::Zh => comity_text::Lang::Zh,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SchemaKind {
    Rule,
    Config,
    Report,
    Outline,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Info,
    Warning,
    Error,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Info => Severity::Info,
            FailOn::Warning => Severity::Warning,
            FailOn::Error => Severity::Error,
        }
    }
}

/// Exit status when findings at or above `--fail-on` were reported.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit status for usage and input errors.
pub(crate) const EXIT_ERROR: u8 = 2;

/// The command given on the command line (usage errors exit here).
pub fn parse() -> Command {
    Cli::parse().command
}

/// Runs a command. `comity lsp` is not this crate's: the binary hands it to
/// the language server, and here it is a usage error.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check(args) => check::run(args),
        Command::Outline { file, format } => outline(file, format),
        Command::Explain { code, lang } => explain::explain(&code, lang.lang()),
        Command::Rules {
            test: Some(dir), ..
        } => rules_test::run(&dir),
        Command::Rules { anchors: true, .. } => explain::anchors(),
        Command::Rules { format, .. } => explain::rules(format),
        Command::Eval {
            file,
            format,
            split,
            split_file,
        } => eval::run(&file, format, split, split_file.as_deref()),
        Command::Trace { file, format, all } => trace::run(&file, format, all),
        Command::Schema { which } => schema(which),
        Command::Lsp => {
            eprintln!("error: the language server is started by the `comity` binary");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The exit code of a run: input errors first, then failing findings unless
/// `--exit-zero`.
pub(crate) fn outcome(errors: bool, failing: bool, exit_zero: bool) -> ExitCode {
    if errors {
        ExitCode::from(EXIT_ERROR)
    } else if failing && !exit_zero {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes to stdout; a closed pipe (`comity … | head`) is not an error.
pub(crate) fn emit(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), ExitCode> {
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    finish_output(f(&mut lock).and_then(|_| lock.flush()))
}

/// The outcome of writing a report to stdout: a closed pipe is not an error;
/// any other failure is said on stderr.
pub(crate) fn finish_output(written: std::io::Result<()>) -> Result<(), ExitCode> {
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            Err(ExitCode::from(EXIT_ERROR))
        }
    }
}

fn outline(file: PathBuf, format: OutlineFormat) -> ExitCode {
    // A .docx is read through its document XML, like `comity check` does.
    let text = if input::FileKind::of(&file) == Some(input::FileKind::Docx) {
        input::docx::read_docx(&file).map(|d| d.text)
    } else {
        input::read_text_file(&file).map(|s| s.text)
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let doc = Document::parse(text);
    let outline = Outline::of(&doc);
    let r = emit(|out| match format {
        OutlineFormat::Text => writeln!(out, "{}\n{}", file.display(), outline.to_text()),
        OutlineFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &outline).map_err(std::io::Error::other)?;
            writeln!(out)
        }
    });
    r.err().unwrap_or(ExitCode::SUCCESS)
}

fn schema(which: SchemaKind) -> ExitCode {
    let schema = match which {
        SchemaKind::Rule => schemars::schema_for!(comity_rules::schema::RuleFile),
        SchemaKind::Config => schemars::schema_for!(comity_workspace::config::ConfigFile),
        SchemaKind::Report => schemars::schema_for!(report::JsonReport),
        SchemaKind::Outline => schemars::schema_for!(comity_workspace::outline::Outline),
    };
    emit(|out| {
        serde_json::to_writer_pretty(&mut *out, &schema).map_err(std::io::Error::other)?;
        writeln!(out)
    })
    .err()
    .unwrap_or(ExitCode::SUCCESS)
}
