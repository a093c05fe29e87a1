-- Comity for Neovim: starts `comity lsp` for contract, Markdown and text
-- buffers, and adds :ComityExplain.
--
-- Works from Neovim 0.7 (vim.lsp.start_client) to current releases
-- (vim.lsp.config + vim.lsp.enable), picking the newest API present.

local M = {}

M.defaults = {
  cmd = { "comity", "lsp" },
  filetypes = { "contract", "markdown", "text" },
  root_markers = { "comity.toml", ".git" },
  -- comity.toml's shape: { profile = {...}, rules = {...}, lint = {...} }
  settings = {},
  -- How :ComityExplain shows a rule: "split" or "float".
  explain = "split",
  -- Register the tree-sitter grammar with nvim-treesitter (if installed).
  treesitter = true,
  -- Where the grammar is: a path or git URL; nil means this checkout's
  -- grammars/tree-sitter-contract.
  grammar = nil,
}

M.config = vim.deepcopy(M.defaults)

local uv = vim.uv or vim.loop

local function has(feature)
  return vim.fn.has(feature) == 1
end

-- Clients this module started itself, one per root (the 0.7 path only;
-- vim.lsp.start and vim.lsp.enable reuse clients on their own).
local clients_by_root = {}

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function parent(dir)
  local p = vim.fn.fnamemodify(dir, ":h")
  if p == dir then
    return nil
  end
  return p
end

--- The directory that holds comity.toml or .git above `path`, else the
--- file's own directory.
function M.root_dir(path)
  local start = vim.fn.fnamemodify(path, ":p:h")
  -- comity.toml wins over .git: the nearest of each marker, in marker order.
  for _, marker in ipairs(M.config.root_markers) do
    local dir = start
    while dir do
      if exists(dir .. "/" .. marker) then
        return dir
      end
      dir = parent(dir)
    end
  end
  return start
end

-- A buffer worth linting: a real file, not a help page or a scratch buffer.
local function is_file_buffer(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) then
    return false
  end
  if vim.bo[bufnr].buftype ~= "" then
    return false
  end
  return vim.api.nvim_buf_get_name(bufnr) ~= ""
end

-- The client configuration common to every API generation.
local function client_config(root)
  local config = {
    name = "comity",
    cmd = M.config.cmd,
    root_dir = root,
  }
  local settings = M.config.settings
  -- An empty Lua table would be sent as a JSON array; send nothing instead.
  if type(settings) == "table" and next(settings) ~= nil then
    -- The server reads comity.toml-shaped settings from initializationOptions
    -- and from the "comity" section of workspace/configuration.
    config.init_options = { settings = settings }
    config.settings = { comity = settings }
  end
  return config
end

-- Neovim 0.7: one client per root, attached by hand.
local function attach_legacy(bufnr)
  if not is_file_buffer(bufnr) then
    return
  end
  local root = M.root_dir(vim.api.nvim_buf_get_name(bufnr))
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    local config = client_config(root)
    config.workspace_folders = {
      { uri = vim.uri_from_fname(root), name = root },
    }
    config.on_exit = function()
      if clients_by_root[root] == id then
        clients_by_root[root] = nil
      end
    end
    id = vim.lsp.start_client(config)
    if not id then
      vim.notify("comity: could not start " .. table.concat(M.config.cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

-- Neovim 0.8–0.10: vim.lsp.start reuses a client with the same name and root.
local function attach_start(bufnr)
  if not is_file_buffer(bufnr) then
    return
  end
  local root = M.root_dir(vim.api.nvim_buf_get_name(bufnr))
  vim.lsp.start(client_config(root), { bufnr = bufnr })
end

local augroup

local function on_filetypes(callback)
  augroup = vim.api.nvim_create_augroup("comity", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = augroup,
    pattern = M.config.filetypes,
    callback = function(args)
      callback(args.buf)
    end,
  })
  -- Buffers already open when setup() runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      local ft = vim.bo[bufnr].filetype
      if vim.tbl_contains(M.config.filetypes, ft) then
        callback(bufnr)
      end
    end
  end
end

local function register_filetype()
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { contract = "contract" } })
  end
  -- Neovim 0.7 only consults vim.filetype.add with g:do_filetype_lua; the
  -- autocommand covers it (ftdetect/comity.vim does the same when the
  -- plugin is on the runtimepath at startup).
  vim.cmd([[
    augroup comity_ftdetect
      autocmd!
      autocmd BufRead,BufNewFile *.contract setfiletype contract
    augroup END
  ]])
end

--- Finds the comity client attached to a buffer.
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local list
  if vim.lsp.get_clients then
    list = vim.lsp.get_clients({ bufnr = bufnr, name = "comity" })
  elseif has("nvim-0.8") then
    list = vim.lsp.get_active_clients({ bufnr = bufnr, name = "comity" })
  else
    list = {}
    for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if c.name == "comity" then
        table.insert(list, c)
      end
    end
  end
  return list[1]
end

--- Sends a request through one client, on any Neovim version.
function M.request(client, method, params, handler, bufnr)
  if has("nvim-0.11") then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- The comity diagnostic under the cursor, if any.
local function diagnostic_at_cursor()
  local bufnr = vim.api.nvim_get_current_buf()
  local cursor = vim.api.nvim_win_get_cursor(0)
  local row, col = cursor[1] - 1, cursor[2]
  local best
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local end_lnum = d.end_lnum or d.lnum
    local end_col = d.end_col or d.col
    local after_start = row > d.lnum or (row == d.lnum and col >= d.col)
    local before_end = row < end_lnum or (row == end_lnum and col <= end_col)
    if after_start and before_end and d.code and (d.source == nil or d.source == "comity") then
      best = best or d
    end
  end
  if best then
    return best
  end
  -- Else the first comity diagnostic on the cursor's line.
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = row })) do
    if d.code and (d.source == nil or d.source == "comity") then
      return d
    end
  end
end

-- Chinese text in a diagnostic message means the finding was in Chinese.
local function lang_of(text)
  if text and text:find("[\228-\233][\128-\191][\128-\191]") then
    return "zh"
  end
  return "en"
end

local function show_markdown(markdown, title)
  local lines = vim.split(markdown, "\n", { plain = true })
  if M.config.explain == "float" then
    vim.lsp.util.open_floating_preview(lines, "markdown", { border = "rounded" })
    return
  end
  vim.cmd("botright new")
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  pcall(vim.api.nvim_buf_set_name, buf, "comity://" .. title)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "markdown"
  vim.keymap.set("n", "q", "<cmd>close<cr>", { buffer = buf, silent = true })
end

--- :ComityExplain [CODE] — the rule's documentation, in the language of the
--- finding under the cursor (or `lang`).
function M.explain(code, lang)
  local bufnr = vim.api.nvim_get_current_buf()
  local diag
  if not code or code == "" then
    diag = diagnostic_at_cursor()
    if not diag then
      vim.notify("comity: no finding under the cursor; give a code, e.g. :ComityExplain T05", vim.log.levels.WARN)
      return
    end
    code = tostring(diag.code)
  end
  code = code:upper()
  lang = lang or lang_of(diag and diag.message)
  local client = M.client(bufnr)
  if not client then
    vim.notify("comity: the language server is not running for this buffer", vim.log.levels.WARN)
    return
  end
  local params = { command = "comity.explainRule", arguments = { code, lang } }
  M.request(client, "workspace/executeCommand", params, function(err, result)
    if err then
      vim.notify("comity: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if type(result) ~= "string" then
      vim.notify("comity: no explanation for " .. code, vim.log.levels.WARN)
      return
    end
    show_markdown(result, code)
  end, bufnr)
end

local function create_commands()
  vim.api.nvim_create_user_command("ComityExplain", function(opts)
    local args = vim.split(vim.trim(opts.args or ""), "%s+", { trimempty = true })
    local code = args[1]
    M.explain(code, args[2])
  end, {
    nargs = "*",
    desc = "Explain a Comity rule: the finding under the cursor, or CODE [en|zh]",
  })
end

--- require("comity").setup{ cmd = {...}, settings = {...}, filetypes = {...} }
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  -- Lists replace the defaults rather than merging index by index.
  for _, key in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts and opts[key] then
      M.config[key] = opts[key]
    end
  end

  register_filetype()
  create_commands()
  if M.config.treesitter then
    require("comity.treesitter").setup(M.config.grammar)
  end

  if vim.lsp.config and vim.lsp.enable then
    -- Current releases: lsp/comity.lua on the runtimepath holds the
    -- defaults; this overrides them.
    local config = client_config(nil)
    config.name = nil
    config.filetypes = M.config.filetypes
    config.root_markers = M.config.root_markers
    config.root_dir = function(bufnr, on_dir)
      if is_file_buffer(bufnr) then
        on_dir(M.root_dir(vim.api.nvim_buf_get_name(bufnr)))
      end
    end
    vim.lsp.config("comity", config)
    vim.lsp.enable("comity")
  elseif vim.lsp.start then
    on_filetypes(attach_start)
  else
    on_filetypes(attach_legacy)
  end
end

return M
