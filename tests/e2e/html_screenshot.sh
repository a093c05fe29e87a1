#!/usr/bin/env bash
# Renders the HTML pre-signing review of tests/fixtures with headless
# Chromium and saves a screenshot to tests/e2e/screenshots/html-report.png.
#
#   bash tests/e2e/html_screenshot.sh
#
# Chromium (and the Noto CJK fonts) are installed with apt-get when missing
# and the script runs as root. When Chromium is still absent the script
# prints why and exits 0, unless COMITY_REQUIRE_EXTERNAL=1, when it fails.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
shots="$root/tests/e2e/screenshots"
png="$shots/html-report.png"

find_chromium() {
  command -v chromium || command -v chromium-browser || true
}

skip_or_fail() {
  if [ "${COMITY_REQUIRE_EXTERNAL:-}" = 1 ]; then
    echo "html_screenshot: FAIL: $1" >&2
    exit 1
  fi
  echo "html_screenshot: skipped: $1"
  exit 0
}

chromium=$(find_chromium)
if [ -z "$chromium" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "html_screenshot: installing chromium and CJK fonts with apt-get" >&2
  {
    apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium fonts-noto-cjk fonts-liberation2
  } >&2 || echo "html_screenshot: apt-get could not install chromium" >&2
  chromium=$(find_chromium)
fi
[ -n "$chromium" ] || skip_or_fail "chromium is not installed (apt-get install chromium fonts-noto-cjk)"

if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh-cn family 2>/dev/null)" ]; then
  echo "html_screenshot: warning: no Chinese font found; Chinese text will not render (apt-get install fonts-noto-cjk)" >&2
fi

cargo build --quiet --bin comity
mkdir -p "$shots" "$target"
target=$(cd "$target" && pwd)
html="$target/review.html"
"$target/debug/comity" check --format html --exit-zero tests/fixtures >"$html"
grep -q "Comity pre-signing review" "$html" || {
  echo "html_screenshot: FAIL: $html is not the HTML report" >&2
  exit 1
}

profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
rm -f "$png"
if ! timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update \
  --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$png" --window-size=1280,2000 "file://$html" >"$log" 2>&1; then
  cat "$log" >&2
  echo "html_screenshot: FAIL: chromium could not render $html" >&2
  exit 1
fi
if [ ! -s "$png" ]; then
  cat "$log" >&2
  echo "html_screenshot: FAIL: no screenshot written" >&2
  exit 1
fi
echo "html_screenshot: wrote ${png#"$root"/} ($(wc -c <"$png") bytes) from ${html#"$root"/}"
