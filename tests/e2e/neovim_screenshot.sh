#!/usr/bin/env bash
# Takes a real screenshot of Neovim running the plugin in editors/neovim
# against `comity lsp`, and saves it to tests/e2e/screenshots/neovim.png.
#
#   bash tests/e2e/neovim_screenshot.sh
#
# How: Neovim (Debian's 0.7.2 or later, started with -u NONE and a throwaway
# HOME/XDG tree, so no user configuration is read) runs in a detached tmux
# session of fixed size on a copy of tests/fixtures/en-supply-agreement.md.
# A Lua start-up file waits for the diagnostics, moves the cursor to the first
# error (else the first finding) and opens the diagnostic float, whose last
# line is the legal citation ("Legal basis: ..."). The pane is captured with
# its colours (tmux capture-pane -e), turned into an HTML page by a small
# Python converter below, and that page is rendered to PNG by headless
# Chromium.
#
# Needs nvim, tmux, python3 and chromium (with a CJK font, fonts-noto-cjk).
# Neovim, tmux and Chromium are installed with apt-get when missing and the
# script runs as root. When one of them is still absent the script prints why
# and exits 0, unless COMITY_REQUIRE_EXTERNAL=1, when it fails. Takes a few
# seconds once comity is built.
# COMITY_SHOT_KEEP=<dir> keeps a copy of the work folder (the captured
# screen.ansi, screen.html, nvim.err) for debugging.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
shots="$root/tests/e2e/screenshots"
png="$shots/neovim.png"
fixture="$root/tests/fixtures/en-supply-agreement.md"
cols=110
rows=32

skip_or_fail() {
  if [ "${COMITY_REQUIRE_EXTERNAL:-}" = 1 ]; then
    echo "neovim_screenshot: FAIL: $1" >&2
    exit 1
  fi
  echo "neovim_screenshot: skipped: $1"
  exit 0
}

find_chromium() {
  command -v chromium || command -v chromium-browser || true
}

missing=()
command -v nvim >/dev/null || missing+=(neovim)
command -v tmux >/dev/null || missing+=(tmux)
[ -n "$(find_chromium)" ] || missing+=(chromium fonts-noto-cjk)
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "neovim_screenshot: installing ${missing[*]} with apt-get" >&2
  {
    apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >&2 || echo "neovim_screenshot: apt-get could not install ${missing[*]}" >&2
fi

nvim=$(command -v nvim || true)
[ -n "$nvim" ] || skip_or_fail "nvim is not installed (apt-get install neovim)"
command -v tmux >/dev/null || skip_or_fail "tmux is not installed (apt-get install tmux)"
command -v python3 >/dev/null || skip_or_fail "python3 is not installed"
chromium=$(find_chromium)
[ -n "$chromium" ] || skip_or_fail "chromium is not installed (apt-get install chromium fonts-noto-cjk)"
[ -f "$fixture" ] || {
  echo "neovim_screenshot: FAIL: $fixture is missing" >&2
  exit 1
}
nvim_version=$("$nvim" --version | head -1 | sed 's/^NVIM v//')

cargo build --quiet --bin comity
mkdir -p "$shots" "$target"
target=$(cd "$target" && pwd)
comity="$target/debug/comity"

work=$(mktemp -d)
session="comity-shot-$$"
sock="$work/tmux.sock"
cleanup() {
  tmux -S "$sock" kill-server >/dev/null 2>&1 || true
  [ -n "${COMITY_SHOT_KEEP:-}" ] && cp -r "$work" "$COMITY_SHOT_KEEP"; rm -rf "$work"
}
trap cleanup EXIT

# A private home: nothing of the user's Neovim, tmux or Chromium set-up.
mkdir -p "$work/home" "$work/config" "$work/data" "$work/state" "$work/cache" "$work/run" "$work/doc"
chmod 700 "$work/run"
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
  XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/run"
doc="$work/doc/supply-agreement.md"
cp "$fixture" "$doc"

# The Lua start-up file: set-up, then wait for the diagnostics and open the
# float; writes $work/ready (or $work/failed with the reason) when done.
cat >"$work/init.lua" <<'LUA'
local env = function(name)
  return assert(os.getenv("COMITY_SHOT_" .. name), name)
end
local plugin, comity, doc, work = env("PLUGIN"), env("BIN"), env("DOC"), env("WORK")
vim.opt.runtimepath:prepend(plugin)
vim.o.termguicolors = true
vim.o.background = "dark"
vim.cmd("filetype on")
vim.cmd("syntax on")
vim.cmd("colorscheme desert")
-- desert leaves these to Neovim 0.7's defaults (a grey sign column, a
-- magenta float); quieter ones read better in a screenshot.
vim.cmd([[
  highlight SignColumn guibg=grey20
  highlight LineNr guifg=grey50 guibg=grey20
  highlight NormalFloat guifg=#eeeeee guibg=#24262b
  highlight FloatBorder guifg=#8a8f98 guibg=#24262b
  highlight NonText guibg=grey20
]])
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.laststatus = 2
vim.o.ruler = false
vim.o.showmode = false
vim.o.swapfile = false
vim.o.shortmess = vim.o.shortmess .. "IF"
vim.o.linebreak = true
require("comity").setup({ cmd = { comity, "lsp" }, treesitter = false })
-- A stable name in the status line rather than the temporary path.
vim.cmd("cd " .. vim.fn.fnameescape(vim.fn.fnamemodify(doc, ":h")))
vim.cmd("edit " .. vim.fn.fnameescape(vim.fn.fnamemodify(doc, ":t")))

local function finish(name, text)
  local f = io.open(work .. "/" .. name, "w")
  f:write(text or "")
  f:close()
end

local deadline = vim.loop.now() + 20000
local timer = vim.loop.new_timer()
timer:start(200, 200, vim.schedule_wrap(function()
  local diags = vim.diagnostic.get(0)
  if #diags == 0 then
    if vim.loop.now() > deadline then
      timer:stop()
      finish("failed", "no diagnostics after 20 s")
    end
    return
  end
  timer:stop()
  table.sort(diags, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  local pick = diags[1]
  for _, d in ipairs(diags) do
    if d.severity == vim.diagnostic.severity.ERROR then
      pick = d
      break
    end
  end
  vim.api.nvim_win_set_cursor(0, { pick.lnum + 1, pick.col })
  -- The finding's line near the top, with a few lines of context above.
  vim.cmd("normal! zt")
  vim.cmd("execute \"normal! 4\\<C-y>\"")
  vim.api.nvim_win_set_cursor(0, { pick.lnum + 1, pick.col })
  vim.diagnostic.open_float(nil, {
    scope = "cursor",
    border = "rounded",
    source = "always",
    header = "",
  })
  vim.cmd("redraw!")
  vim.defer_fn(function()
    finish("ready", string.format("%d diagnostics; float on line %d (%s)", #diags, pick.lnum + 1,
      tostring(pick.code)))
  end, 700)
end))
LUA

# Starts Neovim in a fixed-size tmux session with no status line.
cat >"$work/tmux.conf" <<'TMUX'
set -g status off
set -g default-terminal tmux-256color
set -g escape-time 0
TMUX
infocmp tmux-256color >/dev/null 2>&1 || echo "set -g default-terminal screen-256color" >>"$work/tmux.conf"
cat >"$work/nvim.sh" <<'SH'
#!/bin/sh
exec "$COMITY_SHOT_NVIM" -u NONE -i NONE -n -c "luafile $COMITY_SHOT_WORK/init.lua" 2>"$COMITY_SHOT_WORK/nvim.err"
SH
chmod +x "$work/nvim.sh"
export COMITY_SHOT_NVIM="$nvim" COMITY_SHOT_PLUGIN="$root/editors/neovim" COMITY_SHOT_BIN="$comity" \
  COMITY_SHOT_DOC="$doc" COMITY_SHOT_WORK="$work"
tmux -S "$sock" -f "$work/tmux.conf" new-session -d -s "$session" -x "$cols" -y "$rows" "$work/nvim.sh"

for _ in $(seq 1 250); do
  [ -e "$work/ready" ] || [ -e "$work/failed" ] && break
  tmux -S "$sock" has-session -t "$session" 2>/dev/null || break
  sleep 0.1
done
if [ ! -e "$work/ready" ]; then
  tmux -S "$sock" capture-pane -p -t "$session" 2>/dev/null >&2 || true
  cat "$work/nvim.err" >&2 2>/dev/null || true
  echo "neovim_screenshot: FAIL: $(cat "$work/failed" 2>/dev/null || echo "Neovim did not show the diagnostic float")" >&2
  exit 1
fi
sleep 0.5
tmux -S "$sock" capture-pane -p -e -N -t "$session" >"$work/screen.ansi"
cursor=$(tmux -S "$sock" display-message -p -t "$session" '#{cursor_x} #{cursor_y}')
grep -q "Legal basis:" "$work/screen.ansi" || {
  cat "$work/screen.ansi" >&2
  echo "neovim_screenshot: FAIL: the float does not show the legal basis" >&2
  exit 1
}

# ANSI (SGR) screen -> HTML grid.
python3 - "$work/screen.ansi" "$work/screen.html" \
  "Neovim $nvim_version — comity lsp — supply-agreement.md" "$cols" "$rows" $cursor <<'PY'
import html
import re
import sys
import unicodedata

src, dst, title = sys.argv[1], sys.argv[2], sys.argv[3]
cols, rows, cursor_x, cursor_y = (int(a) for a in sys.argv[4:8])
text = open(src, encoding="utf-8", errors="replace").read()

DEFAULT_FG = "#d4d4d4"
DEFAULT_BG = "#333333"  # desert's Normal background (grey20)
BASE16 = [
    "#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
    "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff",
]


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        r, g, b = steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
        return "#%02x%02x%02x" % (r, g, b)
    v = 8 + 10 * (n - 232)
    return "#%02x%02x%02x" % (v, v, v)


class Attr:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.ul = None  # underline colour (SGR 58)
        self.bold = self.italic = self.underline = self.reverse = self.strike = self.dim = False

    def key(self):
        return (self.fg, self.bg, self.ul, self.bold, self.italic, self.underline,
                self.reverse, self.strike, self.dim)


def extended(params, i):
    """Parses 38/48 colour arguments at params[i] (the 38/48 itself);
    returns (colour or None, next index)."""
    head = params[i]
    if len(head) > 1:  # colon form: 38:2::r:g:b or 38:5:n
        sub = head[1:]
        if sub and sub[0] == "5" and len(sub) >= 2:
            return xterm256(int(sub[1] or 0) % 256), i + 1
        if sub and sub[0] == "2":
            rgb = [s for s in sub[1:]]
            if len(rgb) >= 4:
                rgb = rgb[-3:]
            if len(rgb) == 3:
                r, g, b = (int(x or 0) for x in rgb)
                return "#%02x%02x%02x" % (r, g, b), i + 1
        return None, i + 1
    kind = params[i + 1][0] if i + 1 < len(params) else ""
    if kind == "5" and i + 2 < len(params):
        return xterm256(int(params[i + 2][0] or 0) % 256), i + 3
    if kind == "2" and i + 4 < len(params):
        r, g, b = (int(params[i + k][0] or 0) for k in (2, 3, 4))
        return "#%02x%02x%02x" % (r, g, b), i + 5
    return None, len(params)


# SGR codes that set attributes to fixed values.
SGR_SET = {
    1: [("bold", True)],
    2: [("dim", True)],
    3: [("italic", True)],
    7: [("reverse", True)],
    9: [("strike", True)],
    21: [("underline", True)],
    22: [("bold", False), ("dim", False)],
    23: [("italic", False)],
    24: [("underline", False)],
    27: [("reverse", False)],
    29: [("strike", False)],
    39: [("fg", None)],
    49: [("bg", None)],
    59: [("ul", None)],
}


def sgr(attr, arg):
    params = [p.split(":") for p in (arg.split(";") if arg else ["0"])]
    i = 0
    while i < len(params):
        code = int(params[i][0] or 0)
        if code in (38, 48, 58):
            colour, i = extended(params, i)
            if code == 38:
                attr.fg = colour
            elif code == 48:
                attr.bg = colour
            else:
                attr.ul = colour
            continue
        if code == 0:
            attr.reset()
        elif code == 4:
            attr.underline = len(params[i]) < 2 or params[i][1] != "0"
        elif code in SGR_SET:
            for name, value in SGR_SET[code]:
                setattr(attr, name, value)
        elif 30 <= code <= 37:
            attr.fg = BASE16[code - 30]
        elif 40 <= code <= 47:
            attr.bg = BASE16[code - 40]
        elif 90 <= code <= 97:
            attr.fg = BASE16[code - 90 + 8]
        elif 100 <= code <= 107:
            attr.bg = BASE16[code - 100 + 8]
        i += 1


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


ESC = re.compile(r"\x1b\[([0-9;:?]*)([A-Za-z])|\x1b[()][A-Za-z0-9]|\x1b.")
lines = text.split("\n")
if lines and lines[-1] == "":
    lines.pop()
out = []
attr = Attr()
for row, line in enumerate(lines[:rows]):
    chars = []  # [key, character, column]
    used = 0
    pos = 0
    for m in list(ESC.finditer(line)) + [None]:
        chunk = line[pos:m.start()] if m else line[pos:]
        for ch in chunk.replace("\t", " ").replace("\r", ""):
            chars.append([attr.key(), ch, used])
            used += width(ch)
        if m is None:
            break
        if m.group(2) == "m":
            sgr(attr, m.group(1))
        pos = m.end()
    # The rest of the row keeps the background of the current attribute.
    chars.extend([attr.key(), " ", c] for c in range(used, cols))
    # tmux does not capture the cursor: draw it as a reversed cell.
    if row == cursor_y:
        for cell in chars:
            if cell[2] == cursor_x:
                k = list(cell[0])
                k[6] = not k[6]
                cell[0] = tuple(k)
    runs = []  # [key, text]
    for key, ch, _ in chars:
        if runs and runs[-1][0] == key:
            runs[-1][1] += ch
        else:
            runs.append([key, ch])
    cells = []
    for (fg, bg, ul, bold, italic, underline, reverse, strike, dim), chunk in runs:
        f, b = fg or DEFAULT_FG, bg or DEFAULT_BG
        if reverse:
            f, b = b, f
        style = ["color:" + f]
        if b != DEFAULT_BG:
            style.append("background:" + b)
        if bold:
            style.append("font-weight:bold")
        if italic:
            style.append("font-style:italic")
        deco = [d for d, on in (("underline", underline), ("line-through", strike)) if on]
        if deco:
            style.append("text-decoration:" + " ".join(deco))
            if underline and ul:
                style.append("text-decoration-color:" + ul)
        if dim:
            style.append("opacity:.7")
        # Double-width characters get a box two cells wide so the grid holds
        # whatever width the font gives them.
        body = []
        for ch in chunk:
            e = html.escape(ch)
            body.append('<i class="w">%s</i>' % e if width(ch) == 2 else e)
        cells.append('<span style="%s">%s</span>' % (";".join(style), "".join(body)))
    out.append('<div class="r">%s</div>' % "".join(cells))

page = """<!doctype html>
<html><head><meta charset="utf-8"><title>%(title)s</title>
<style>
html, body { margin: 0; padding: 0; background: #0e0e10; }
.win { position: absolute; left: 0; top: 0; width: %(w)dpx; background: %(bg)s; }
.bar { height: 30px; background: #2d2d30; color: #c8c8c8; display: flex;
       align-items: center; justify-content: center; position: relative;
       font: 13px 'DejaVu Sans', 'Noto Sans CJK SC', sans-serif; border-bottom: 1px solid #111; }
.dots { position: absolute; left: 12px; top: 9px; height: 12px; }
.dots b { float: left; width: 12px; height: 12px; border-radius: 6px; margin-right: 8px; }
.grid { padding: 6px 8px 8px 8px; }
.r { height: %(lh)dpx; line-height: %(lh)dpx; white-space: pre; overflow: hidden;
     font-family: 'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', monospace; font-size: %(fs)dpx;
     color: %(fg)s; }
.r span { display: inline-block; height: %(lh)dpx; vertical-align: top; }
.w { font-style: inherit; display: inline-block; width: 2ch; text-align: center; }
</style></head><body><div class="win">
<div class="bar"><span class="dots"><b style="background:#ff5f57"></b><b style="background:#febc2e"></b><b style="background:#28c840"></b></span>%(title)s</div>
<div class="grid">
%(rows)s
</div></div></body></html>
"""
FS, LH, CH = 16, 19, 9.64  # font size, line height, DejaVu Sans Mono advance (0.602 em)
with open(dst, "w", encoding="utf-8") as fh:
    fh.write(page % {
        "title": html.escape(title),
        "w": int(cols * CH + 16 + 0.999),
        "bg": DEFAULT_BG,
        "fg": DEFAULT_FG,
        "fs": FS,
        "lh": LH,
        "rows": "\n".join(out),
    })
PY

# Window size: the grid (9.64 px a cell at 16 px DejaVu Sans Mono, 19 px a
# row) plus the title bar and padding.
width=$(python3 -c "import math; print(math.ceil($cols * 9.64 + 16))")
height=$((rows * 19 + 30 + 1 + 14))
profile="$work/chromium"
log="$work/chromium.log"
rm -f "$png"
if ! timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update \
  --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --force-device-scale-factor=1 \
  --screenshot="$png" --window-size="$width,$height" "file://$work/screen.html" >"$log" 2>&1; then
  cat "$log" >&2
  echo "neovim_screenshot: FAIL: chromium could not render the screen" >&2
  exit 1
fi
if [ ! -s "$png" ]; then
  cat "$log" >&2
  echo "neovim_screenshot: FAIL: no screenshot written" >&2
  exit 1
fi
echo "neovim_screenshot: $(cat "$work/ready")"
echo "neovim_screenshot: wrote ${png#"$root"/} ($(wc -c <"$png") bytes, ${width}x${height})"
