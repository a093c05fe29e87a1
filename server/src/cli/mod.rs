//! The `comity` command line: a thin adapter over the engine.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::document::Document;
use crate::input;
use crate::outline::Outline;

#[derive(Parser, Debug)]
#[command(name = "comity", version, about = "Lints contract drafts for clauses that implement US export controls or sanctions, citing the PRC Anti-Foreign Sanctions Law.", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print what the engine sees in a draft: clauses, definitions, parties, governing law.
    Outline {
        /// The draft (.txt, .md or .docx).
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutlineFormat::Text)]
        format: OutlineFormat,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutlineFormat {
    Text,
    Json,
}

/// Exit status for usage and input errors.
pub const EXIT_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Outline { file, format } => outline(file, format),
    }
}

fn outline(file: PathBuf, format: OutlineFormat) -> ExitCode {
    let source = match input::read_text_file(&file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let doc = Document::parse(source.text);
    let outline = Outline::of(&doc);
    let mut stdout = std::io::stdout().lock();
    let result = match format {
        OutlineFormat::Text => writeln!(stdout, "{}\n{}", file.display(), outline.to_text()),
        OutlineFormat::Json => serde_json::to_writer_pretty(&mut stdout, &outline)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(stdout)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
