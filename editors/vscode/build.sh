#!/usr/bin/env bash
# Builds the Comity VS Code extension: npm ci (from package-lock.json),
# type check, esbuild bundle, vsce package. Needs node >= 20 and the npm
# registry, nothing else. Logs go to stderr; the last line on stdout is the
# absolute path of the .vsix.
#
#   editors/vscode/build.sh                       # -> editors/vscode/comity-0.1.0.vsix
#   COMITY_BINARY=target/release/comity editors/vscode/build.sh
#       # also bundles the server as bin/comity, in a platform-specific
#       # package (COMITY_VSCE_TARGET, default linux-x64)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${COMITY_BINARY:-}" ]; then
  [ -x "$COMITY_BINARY" ] || { echo "build.sh: COMITY_BINARY=$COMITY_BINARY is not an executable" >&2; exit 2; }
  COMITY_BINARY="$(cd "$(dirname "$COMITY_BINARY")" && pwd)/$(basename "$COMITY_BINARY")"
fi
cd "$here"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "build.sh: node >= 20 is needed (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 2
fi

version=$(node -p 'require("./package.json").version')
name=$(node -p 'require("./package.json").name')

{
  npm ci --no-audit --no-fund --prefer-offline
  npm run --silent typecheck
  npm run --silent bundle
} >&2

rm -rf bin
target_args=()
vsix="$here/$name-$version.vsix"
if [ -n "${COMITY_BINARY:-}" ]; then
  target=${COMITY_VSCE_TARGET:-linux-x64}
  mkdir -p bin
  cp "$COMITY_BINARY" bin/comity
  chmod 755 bin/comity
  target_args=(--target "$target")
  vsix="$here/$name-$target-$version.vsix"
fi

rm -f "$vsix"
# vscode:prepublish bundles again (under a second), so that a
# bare `npx vsce package` is never stale.
npx --no-install vsce package --no-dependencies "${target_args[@]}" --out "$vsix" \
  --baseImagesUrl https://github.com/comity-lint/comity/raw/HEAD/editors/vscode \
  --baseContentUrl https://github.com/comity-lint/comity/blob/HEAD/editors/vscode >&2
rm -rf bin

[ -s "$vsix" ] || { echo "build.sh: no package written" >&2; exit 1; }
echo "$vsix"
