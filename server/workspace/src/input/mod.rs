//! Reading drafts from disk: text encodings and file kinds.
//!
//! Text files may be UTF-8 (with or without a byte-order mark) or UTF-16 with
//! a byte-order mark, as Word and Windows tools in China often write them.
//! Anything else is an error that names the file and the problem; nothing is
//! guessed or silently replaced.

pub mod docx;

use std::fmt;
use std::path::{Path, PathBuf};

/// Files larger than this are refused rather than read into memory.
pub const MAX_TEXT_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug)]
pub enum InputError {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    Binary {
        path: PathBuf,
    },
    InvalidUtf8 {
        path: PathBuf,
        offset: usize,
        line: usize,
    },
    InvalidUtf16 {
        path: PathBuf,
    },
    Docx {
        path: PathBuf,
        message: String,
    },
    Unsupported {
        path: PathBuf,
        extension: String,
    },
}

impl InputError {
    pub fn path(&self) -> &Path {
        match self {
            InputError::Io { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::Binary { path }
            | InputError::InvalidUtf8 { path, .. }
            | InputError::InvalidUtf16 { path }
            | InputError::Docx { path, .. }
            | InputError::Unsupported { path, .. } => path,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io { path, error } => write!(f, "{}: cannot read: {error}", path.display()),
            InputError::TooLarge { path, size, limit } => write!(
                f,
                "{}: file is {} MB, larger than the {} MB limit",
                path.display(),
                size / 1_000_000,
                limit / 1_000_000
            ),
            InputError::Binary { path } => {
                write!(
                    f,
                    "{}: looks like a binary file (it contains NUL bytes), not a text draft",
                    path.display()
                )
            }
            InputError::InvalidUtf8 { path, offset, line } => write!(
                f,
                "{}: not valid UTF-8 (first bad byte at offset {offset}, line {line}); save the draft as UTF-8 or UTF-16 with a byte-order mark",
                path.display()
            ),
            InputError::InvalidUtf16 { path } => {
                write!(
                    f,
                    "{}: has a UTF-16 byte-order mark but is not valid UTF-16",
                    path.display()
                )
            }
            InputError::Docx { path, message } => {
                write!(f, "{}: cannot read as .docx: {message}", path.display())
            }
            InputError::Unsupported { path, extension } => {
                write!(
                    f,
                    "{}: unsupported file type .{extension} (Comity reads .txt, .md and .docx)",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for InputError {}

/// The byte-order mark and encoding a text file was stored with, so that a
/// fix can write it back the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

/// Decodes the bytes of a text file.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Encoding), InputError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(path, rest).map(|s| (s, Encoding::Utf8Bom));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(path, rest, u16::from_le_bytes).map(|s| (s, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(path, rest, u16::from_be_bytes).map(|s| (s, Encoding::Utf16Be));
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err(InputError::Binary {
            path: path.to_path_buf(),
        });
    }
    utf8(path, bytes).map(|s| (s, Encoding::Utf8))
}

fn utf8(path: &Path, bytes: &[u8]) -> Result<String, InputError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = memchr::memchr_iter(b'\n', &bytes[..offset]).count() + 1;
            Err(InputError::InvalidUtf8 {
                path: path.to_path_buf(),
                offset,
                line,
            })
        }
    }
}

fn utf16(path: &Path, bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, InputError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(InputError::InvalidUtf16 {
            path: path.to_path_buf(),
        });
    }
    let units = bytes.chunks_exact(2).map(|c| read([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| InputError::InvalidUtf16 {
            path: path.to_path_buf(),
        })
}

/// Encodes text the way it was read.
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16Le => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
            out
        }
        Encoding::Utf16Be => {
            let mut out = vec![0xFE, 0xFF];
            out.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
            out
        }
    }
}

/// The kinds of file Comity reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Text,
    Markdown,
    Docx,
}

impl FileKind {
    pub fn of(path: &Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" | "contract" => Some(FileKind::Text),
            "md" | "markdown" | "mdown" => Some(FileKind::Markdown),
            "docx" => Some(FileKind::Docx),
            _ => None,
        }
    }
}

/// A text draft read from disk.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: String,
    pub encoding: Encoding,
    pub kind: FileKind,
}

/// Reads a text or Markdown draft (not .docx) from disk.
pub fn read_text_file(path: &Path) -> Result<SourceText, InputError> {
    let meta = std::fs::metadata(path).map_err(|error| InputError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    if meta.len() > MAX_TEXT_BYTES {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit: MAX_TEXT_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(|error| InputError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let (text, encoding) = decode(path, &bytes)?;
    let kind = FileKind::of(path).unwrap_or(FileKind::Text);
    Ok(SourceText {
        text,
        encoding,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms() {
        let p = Path::new("x.txt");
        assert_eq!(
            decode(p, b"\xEF\xBB\xBFhi").unwrap(),
            ("hi".to_string(), Encoding::Utf8Bom)
        );
        let le = encode("制裁", Encoding::Utf16Le);
        assert_eq!(
            decode(p, &le).unwrap(),
            ("制裁".to_string(), Encoding::Utf16Le)
        );
        let be = encode("制裁", Encoding::Utf16Be);
        assert_eq!(
            decode(p, &be).unwrap(),
            ("制裁".to_string(), Encoding::Utf16Be)
        );
    }

    #[test]
    fn rejects_binary_and_bad_utf8_with_location() {
        let p = Path::new("x.txt");
        assert!(matches!(decode(p, b"a\0b"), Err(InputError::Binary { .. })));
        let err = decode(p, b"ok\nbad \xFF here").unwrap_err();
        assert!(
            matches!(
                err,
                InputError::InvalidUtf8 {
                    offset: 7,
                    line: 2,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("x.txt"));
    }
}
