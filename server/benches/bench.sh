#!/usr/bin/env bash
# Builds release, generates the benchmark corpus and prints one Markdown table
# of batch throughput vs ripgrep, scaling, cold start, peak RSS and LSP
# keystroke latency (push and pull). See server/benches/README.md.
#
#   server/benches/bench.sh            # full: 10 MB folder, 1/10/50/100 MB files, 500 edits
#   server/benches/bench.sh --quick    # 0.5 MB folder, 0.1/1 MB files, 20 edits
#   server/benches/bench.sh --smoke    # CI: debug build, tiny inputs, checks the script runs
#
# Extra arguments go to bench.py (--work DIR, --edits N).
# Tools: hyperfine and ripgrep if installed (apt-get install -y hyperfine ripgrep),
# /usr/bin/time for peak RSS, python3 (standard library only).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--smoke" ]; then
  # CI: checks that the bench code runs, on tiny inputs with debug builds.
  # The figures mean nothing.
  shift
  cargo build --quiet --bin comity
  cargo build --quiet --example comity-corpus
  exec python3 server/benches/bench.py --smoke --comity target/debug/comity \
    --corpus target/debug/examples/comity-corpus --work target/bench-corpus-smoke "$@"
fi
# Two separate builds: the example pulls in dev-dependency features (divan's
# clap), so building them together would give the CLI a different clap build.
cargo build --release --quiet --bin comity
cargo build --release --quiet --example comity-corpus
exec python3 server/benches/bench.py "$@"
