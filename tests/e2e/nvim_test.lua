-- Neovim end to end: the plugin in editors/neovim drives `comity lsp` on the
-- Chinese procurement contract. Run from the repository root:
--
--   COMITY_BIN=target/debug/comity timeout 60 \
--     nvim --headless --clean -c 'luafile tests/e2e/nvim_test.lua'
--
-- Exits 0 when every check passes, 1 (with the reason) otherwise.

local function log(...)
  local parts = {}
  for i = 1, select("#", ...) do
    parts[#parts + 1] = tostring(select(i, ...))
  end
  io.stdout:write(table.concat(parts, " ") .. "\n")
  io.stdout:flush()
end

local script = debug.getinfo(1, "S").source:sub(2)
local root = vim.fn.fnamemodify(script, ":p:h:h:h")

-- The position encoding the server chose: always UTF-16 on Neovim 0.7,
-- which offers nothing else; UTF-8 on releases that offer it.
local encoding = "utf-16"

-- Byte column -> LSP column within one line, in `encoding`.
local function lsp_col(line, byte_col)
  if encoding == "utf-8" then
    return math.min(byte_col, #line)
  end
  local units, i = 0, 1
  while i <= byte_col and i <= #line do
    local b = line:byte(i)
    local len = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC0 and 2 or 1
    units = units + ((len == 4 and encoding == "utf-16") and 2 or 1)
    i = i + len
  end
  return units
end

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

-- The text a diagnostic covers, from Neovim's byte columns.
local function diagnostic_text(buf, d)
  local end_lnum = d.end_lnum or d.lnum
  local lines = vim.api.nvim_buf_get_lines(buf, d.lnum, end_lnum + 1, false)
  if #lines == 0 then
    return ""
  end
  if #lines == 1 then
    return lines[1]:sub(d.col + 1, d.end_col)
  end
  lines[1] = lines[1]:sub(d.col + 1)
  lines[#lines] = lines[#lines]:sub(1, d.end_col)
  return table.concat(lines, "\n")
end

local function describe(buf, diags)
  local out = {}
  for _, d in ipairs(diags) do
    out[#out + 1] = string.format(
      "  %d:%d-%d:%d [%s] %s | %s",
      d.lnum + 1, d.col, (d.end_lnum or d.lnum) + 1, d.end_col or d.col,
      tostring(d.code), (d.message or ""):gsub("\n.*", ""), diagnostic_text(buf, d)
    )
  end
  return table.concat(out, "\n")
end

local function lsp_range(buf, d)
  local first = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] or ""
  local end_lnum = d.end_lnum or d.lnum
  local last = vim.api.nvim_buf_get_lines(buf, end_lnum, end_lnum + 1, false)[1] or ""
  return {
    start = { line = d.lnum, character = lsp_col(first, d.col) },
    ["end"] = { line = end_lnum, character = lsp_col(last, d.end_col or d.col) },
  }
end

-- The first result of a synchronous request to the comity client.
local function request(buf, method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, 10000)
  assert(responses, method .. ": no response (" .. tostring(err) .. ")")
  for _, r in pairs(responses) do
    assert(not r.err, method .. ": " .. vim.inspect(r.err))
    return r.result
  end
  error(method .. ": empty response")
end

local function hover_text(result)
  assert(result, "hover: no result")
  local c = result.contents
  if type(c) == "string" then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, item in ipairs(c) do
    parts[#parts + 1] = type(item) == "string" and item or item.value
  end
  return table.concat(parts, "\n")
end

local function run()
  local bin = os.getenv("COMITY_BIN")
  assert(bin and bin ~= "", "COMITY_BIN is not set")
  assert(vim.fn.executable(bin) == 1, "COMITY_BIN is not executable: " .. bin)
  log(string.format("nvim %d.%d.%d, vim.lsp.start: %s, vim.lsp.config: %s",
    vim.version().major, vim.version().minor, vim.version().patch,
    tostring(vim.lsp.start ~= nil), tostring(vim.lsp.config ~= nil)))

  -- Count diagnostic updates (pushed on 0.7, pulled on releases that pull),
  -- to tell a fresh set from a stale one.
  local published = 0
  vim.api.nvim_create_autocmd("DiagnosticChanged", {
    callback = function()
      published = published + 1
    end,
  })

  vim.opt.runtimepath:prepend(root .. "/editors/neovim")
  require("comity").setup({ cmd = { bin, "lsp" } })
  assert(vim.fn.exists(":ComityExplain") == 2, ":ComityExplain was not defined")

  -- A copy, because the quick fix edits it.
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  local path = dir .. "/zh-procurement-contract.md"
  local src = root .. "/tests/fixtures/zh-procurement-contract.md"
  assert(vim.fn.writefile(vim.fn.readfile(src, "b"), path, "b") == 0, "cannot copy the fixture")

  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.bo[buf].filetype == "markdown", "filetype is " .. vim.bo[buf].filetype)

  local function huawei_t13()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == "T13" and diagnostic_text(buf, d):find("华为", 1, true) then
        return d
      end
    end
  end

  local found = vim.wait(20000, function()
    return huawei_t13() ~= nil
  end, 50)
  local all = vim.diagnostic.get(buf)
  log(string.format("%d diagnostics after %d updates:", #all, published))
  log(describe(buf, all))
  assert(found, "no T13 diagnostic covering 华为 (attached clients: "
    .. tostring(require("comity").client(buf) ~= nil) .. ")")
  local d = huawei_t13()
  local client = require("comity").client(buf)
  assert(client, "no comity client attached")
  encoding = client.offset_encoding or encoding
  log("position encoding: " .. encoding)
  log("T13 covers: " .. diagnostic_text(buf, d))

  -- Hover at the start of the finding.
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  local pos = { line = d.lnum, character = lsp_col(line, d.col) }
  local hover = hover_text(request(buf, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = pos,
  }))
  assert(hover:find("第十二条", 1, true), "hover does not cite 第十二条:\n" .. hover)
  assert(hover:find("T13", 1, true), "hover does not name T13:\n" .. hover)
  log("hover: " .. hover:gsub("\n.*", ""))

  -- :ComityExplain with the cursor on the finding.
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  vim.cmd("ComityExplain")
  local explained = vim.wait(10000, function()
    return vim.fn.bufnr("comity://T13") ~= -1
  end, 50)
  assert(explained, ":ComityExplain opened no comity://T13 buffer")
  local explain_buf = vim.fn.bufnr("comity://T13")
  local explanation = buffer_text(explain_buf)
  assert(explanation:find("T13", 1, true), "explanation does not name T13:\n" .. explanation)
  log(":ComityExplain: " .. explanation:gsub("\n.*", ""))
  vim.cmd("close")
  assert(vim.api.nvim_get_current_buf() == buf, "not back in the contract buffer")

  -- The preferred quick fix.
  local range = lsp_range(buf, d)
  local actions = request(buf, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = range,
    context = {
      diagnostics = { { range = range, code = d.code, message = d.message, source = "comity" } },
    },
  })
  assert(actions and #actions > 0, "no code actions")
  local fix
  for _, a in ipairs(actions) do
    log("action: " .. a.title .. (a.isPreferred and " (preferred)" or ""))
    if not fix and a.isPreferred and a.edit and a.title:find("^T13") then
      fix = a
    end
  end
  assert(fix, "no preferred T13 quick fix")
  local new_text
  for _, edits in pairs(fix.edit.changes or {}) do
    new_text = edits[1].newText
  end
  assert(new_text and new_text ~= "", "the quick fix has no text edit")

  local before = published
  vim.lsp.util.apply_workspace_edit(fix.edit, encoding)
  local text = buffer_text(buf)
  assert(text:find(vim.trim(new_text), 1, true), "the buffer lacks the replacement:\n" .. new_text)
  assert(not vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]:find("华为", 1, true),
    "华为 is still in the clause")

  -- Fresh diagnostics, without a T13 at that clause.
  local function t13_on_clause()
    for _, x in ipairs(vim.diagnostic.get(buf)) do
      if x.code == "T13" and x.lnum <= d.lnum and (x.end_lnum or x.lnum) >= d.lnum then
        return x
      end
    end
  end
  local cleared = vim.wait(20000, function()
    return published > before and t13_on_clause() == nil
  end, 50)
  local after = vim.diagnostic.get(buf)
  log(string.format("%d diagnostics after the fix (%d updates):", #after, published - before))
  log(describe(buf, after))
  assert(cleared, published > before and "T13 still reported at the fixed clause"
    or "no diagnostics arrived after the edit")

  -- The server still agrees with the buffer: hover on the replaced clause
  -- no longer shows T13.
  local line_after = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  local h = request(buf, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = d.lnum, character = lsp_col(line_after, d.col) },
  })
  assert(not (h and hover_text(h):find("T13", 1, true)), "hover still shows T13 after the fix")
end

local ok, err = xpcall(run, debug.traceback)
if ok then
  log("PASS nvim e2e")
  vim.cmd("qall!")
else
  log("FAIL nvim e2e: " .. tostring(err))
  vim.cmd("cquit 1")
end
