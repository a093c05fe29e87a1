//! What a `comity check` run reads: the files and folders named, walked
//! through the workspace's resolver, and standard input.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use comity_workspace::input::{self, FileKind, docx::DocxText};

use super::args::CheckArgs;
use super::contexts::Contexts;
use super::report::FileResult;

/// One thing to lint: a file on disk or standard input.
pub(crate) enum Input {
    File(PathBuf),
    Stdin { name: PathBuf },
}

impl Input {
    /// The path reported for it.
    pub(crate) fn display(&self) -> String {
        match self {
            Input::File(p) | Input::Stdin { name: p } => p.display().to_string(),
        }
    }
}

pub(crate) fn collect_inputs(
    args: &CheckArgs,
    contexts: &Contexts,
) -> (Vec<Input>, Vec<FileResult>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut overrides = ignore::overrides::OverrideBuilder::new(".");
    for g in &args.exclude {
        if let Err(e) = overrides.add(&format!("!{g}")) {
            errors.push(error_result(g, format!("--exclude {g}: {e}")));
        }
    }
    let overrides = overrides.build().ok();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("-"));
            inputs.push(Input::Stdin { name });
            continue;
        }
        if !path.exists() && !path.is_symlink() {
            errors.push(error_result(
                &path.display().to_string(),
                format!("{}: no such file or folder", path.display()),
            ));
            continue;
        }
        if path.is_file() {
            // A file named explicitly is linted whatever the exclusions say.
            inputs.push(Input::File(path.clone()));
            continue;
        }
        if !path.is_dir() {
            // A FIFO, socket or device named explicitly: reading it could
            // block forever, and it is not a draft.
            errors.push(error_result(
                &path.display().to_string(),
                format!(
                    "{}: not a regular file or folder (a pipe, socket or device); not read",
                    path.display()
                ),
            ));
            continue;
        }
        let (found, walk_errors) = contexts.resolver().discover(path, overrides.as_ref());
        errors.extend(walk_errors.into_iter().map(|(p, e)| error_result(&p, e)));
        inputs.extend(found.into_iter().map(Input::File));
    }
    (inputs, errors)
}

/// Reads an input: its name (to find its comity.toml from), its text, and
/// for a `.docx` the paragraphs its text came from.
pub(crate) fn read(input: &Input) -> (PathBuf, Result<String, String>, Option<Arc<DocxText>>) {
    let mut docx = None;
    let (name, read) = match input {
        Input::File(p) if FileKind::of(p) == Some(FileKind::Docx) => {
            let r = input::docx::read_docx(p)
                .map_err(|e| e.to_string())
                .map(|d| {
                    let text = d.text.clone();
                    docx = Some(Arc::new(d));
                    text
                });
            (p.clone(), r)
        }
        Input::File(p) => (p.clone(), read_source(p)),
        Input::Stdin { name } => {
            let mut bytes = Vec::new();
            let r = std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| format!("<stdin>: cannot read: {e}"))
                .and_then(|_| {
                    input::decode(name, &bytes)
                        .map(|(t, _)| t)
                        .map_err(|e| e.to_string())
                });
            (name.clone(), r)
        }
    };
    (name, read, docx)
}

pub(crate) fn error_result(path: &str, message: String) -> FileResult {
    FileResult {
        path: path.to_string(),
        text: Arc::new(String::new()),
        findings: Vec::new(),
        error: Some(message),
        notices: Vec::new(),
        docx: None,
    }
}

fn read_source(path: &Path) -> Result<String, String> {
    match FileKind::of(path) {
        Some(FileKind::Docx) => Err(format!(
            "{}: .docx input is not supported in this build",
            path.display()
        )),
        Some(_) => input::read_text_file(path)
            .map(|s| s.text)
            .map_err(|e| e.to_string()),
        None => match path.extension().and_then(|e| e.to_str()) {
            Some(ext) => Err(input::InputError::Unsupported {
                path: path.to_path_buf(),
                extension: ext.to_string(),
            }
            .to_string()),
            None => input::read_text_file(path)
                .map(|s| s.text)
                .map_err(|e| e.to_string()),
        },
    }
}
