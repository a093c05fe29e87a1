//! The `comity` binary: the command line, or with `comity lsp` the language
//! server. The two front ends never import each other; this is where they meet.

fn main() -> std::process::ExitCode {
    match comity_cli::parse() {
        comity_cli::Command::Lsp => comity_lsp::run(),
        command => comity_cli::run(command),
    }
}
