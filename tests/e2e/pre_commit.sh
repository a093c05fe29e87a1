#!/usr/bin/env bash
# pre-commit try-repo: the hook in .pre-commit-hooks.yaml fails on a repository
# with a risky draft and passes once the clause is replaced with neutral
# wording. Needs `pre-commit` (pip install pre-commit) and git; skips with a
# reason when pre-commit is missing, unless COMITY_REQUIRE_EXTERNAL=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "${COMITY_REQUIRE_EXTERNAL:-}" = "1" ]; then
    echo "pre-commit is not installed" >&2; exit 1
  fi
  echo "skipped: pre-commit is not installed"; exit 0
fi

# try-repo clones committed files only: use a snapshot of the working tree.
snapshot="$(mktemp -d)"
work="$(mktemp -d)"
trap 'rm -rf "$snapshot" "$work"' EXIT
git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$snapshot")
git -C "$snapshot" init -q && git -C "$snapshot" add -A && git -C "$snapshot" -c user.email=ci@comity -c user.name=ci commit -qm snapshot

cd "$work"
git init -q
cat > draft.md <<'MD'
## 7. Export Control

7.1 The Buyer shall comply with all U.S. export control laws, including the Export Administration Regulations.
MD
git add draft.md

# Building the hook's binary: reuse the project's target folder, skip LTO.
export CARGO_TARGET_DIR="$root/target/pre-commit"
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export PRE_COMMIT_HOME="$root/target/pre-commit-home"

if pre-commit try-repo "$snapshot" comity --files draft.md; then
  echo "FAIL: the hook passed on a risky draft" >&2; exit 1
fi
echo "ok: the hook failed on the risky draft"

cat > draft.md <<'MD'
## 7. Export Control

7.1 Each Party shall comply with the export control and sanctions laws applicable to it, and nothing in this Agreement requires either Party to breach the PRC Anti-Foreign Sanctions Law.
MD
git add draft.md
pre-commit try-repo "$snapshot" comity --files draft.md
echo "ok: the hook passed once the clause was replaced"
