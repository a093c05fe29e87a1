//! `comity-corpus`: writes a deterministic, seeded corpus of English and
//! Chinese contracts for the benchmarks (see `server/benches/README.md`).
//!
//! ```text
//! cargo run --release --example comity-corpus -- --size 1000000 --out mixed_1m.md
//! cargo run --release --example comity-corpus -- --size 10000000 --files 2000 --out dir2000
//! ```
//!
//! `--size BYTES` total size (suffixes K, M accepted: 10K, 100M; powers of
//! ten); `--files N` writes N files of about size/N bytes into the folder
//! `--out` instead of one file; `--seed S` (default 1). Prints a one-line
//! summary (bytes, contracts, clauses, risky clauses) on stderr.

#[path = "corpus_gen.rs"]
mod corpus_gen;

use std::path::PathBuf;
use std::process::ExitCode;

fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (num, mul) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1_000),
        'm' | 'M' => (&s[..s.len() - 1], 1_000_000),
        'g' | 'G' => (&s[..s.len() - 1], 1_000_000_000),
        _ => (s, 1),
    };
    num.parse::<f64>().ok().map(|n| (n * mul as f64) as usize)
}

fn main() -> ExitCode {
    let mut size = 1_000_000usize;
    let mut files: Option<usize> = None;
    let mut seed = 1u64;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_default();
        match a.as_str() {
            "--size" => match parse_size(&val()) {
                Some(n) => size = n,
                None => return usage("bad --size"),
            },
            "--files" => match val().parse() {
                Ok(n) if n > 0 => files = Some(n),
                _ => return usage("bad --files"),
            },
            "--seed" => match val().parse() {
                Ok(n) => seed = n,
                Err(_) => return usage("bad --seed"),
            },
            "--out" => out = Some(PathBuf::from(val())),
            "-h" | "--help" => return usage(""),
            other => return usage(&format!("unknown argument {other}")),
        }
    }
    let Some(out) = out else {
        return usage("--out is required");
    };
    let result = match files {
        None => {
            let text = corpus_gen::corpus(size, seed);
            eprintln!("{}: {} bytes", out.display(), text.len());
            std::fs::write(&out, text)
        }
        Some(n) => write_folder(&out, size, n, seed),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}

fn write_folder(dir: &PathBuf, size: usize, n: usize, seed: u64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let per = (size / n).max(1_000);
    let mut rng = corpus_gen::Rng::new(seed);
    let (mut total, mut clauses, mut risky) = (0usize, 0usize, 0usize);
    for i in 0..n {
        // Leave room for the signature block and the last clause.
        let mut c = corpus_gen::contract(&mut rng, i, per.saturating_sub(250).max(400));
        corpus_gen::cut(&mut c.text, per);
        let ext = if c.markdown { "md" } else { "txt" };
        let path = dir.join(format!("{}-{i:06}.{ext}", c.lang));
        total += c.text.len();
        clauses += c.clauses;
        risky += c.risky;
        std::fs::write(path, c.text)?;
    }
    eprintln!(
        "{}: {n} files, {total} bytes, {clauses} clauses, {risky} risky ({:.1} %)",
        dir.display(),
        100.0 * risky as f64 / clauses.max(1) as f64
    );
    Ok(())
}

fn usage(msg: &str) -> ExitCode {
    if !msg.is_empty() {
        eprintln!("error: {msg}");
    }
    eprintln!("usage: comity-corpus --out PATH [--size BYTES] [--files N] [--seed S]");
    ExitCode::from(if msg.is_empty() { 0 } else { 2 })
}
