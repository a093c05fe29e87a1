-- Registers Comity's tree-sitter grammar with nvim-treesitter, when that
-- plugin is installed, so that `:TSInstall contract` builds it from this
-- checkout. The queries are in editors/neovim/queries/contract/ (copies of
-- the grammar's), found on the runtimepath once the plugin is.
--
-- The parser is generated with ABI 15, which needs Neovim 0.11 or later.

local M = {}

local function this_dir()
  local source = debug.getinfo(1, "S").source
  return vim.fn.fnamemodify(source:sub(2), ":p:h")
end

--- The grammar in this checkout: <repo>/grammars/tree-sitter-contract.
function M.grammar_dir()
  -- editors/neovim/lua/comity/ -> repository root
  local root = vim.fn.fnamemodify(this_dir(), ":h:h:h:h")
  return root .. "/grammars/tree-sitter-contract"
end

local FILES = { "src/parser.c", "src/scanner.c" }

-- nvim-treesitter's `master` branch: a table of parser configurations.
local function register_master(parsers, dir)
  local configs = parsers.get_parser_configs()
  configs.contract = {
    install_info = {
      url = dir,
      files = FILES,
      requires_generate_from_grammar = false,
    },
    filetype = "contract",
  }
end

-- nvim-treesitter's `main` branch: the parsers module is the table, rebuilt
-- and announced with `User TSUpdate`.
local function register_main(dir)
  local function register()
    local ok, parsers = pcall(require, "nvim-treesitter.parsers")
    if ok and type(parsers) == "table" then
      parsers.contract = {
        install_info = { path = dir, files = FILES },
        tier = 2,
      }
    end
  end
  vim.api.nvim_create_autocmd("User", { pattern = "TSUpdate", callback = register })
  register()
end

--- Registers the grammar if nvim-treesitter is present; returns whether it was.
--- `dir` overrides the grammar's location (a path or a git URL).
function M.setup(dir)
  dir = dir or M.grammar_dir()
  local ok, parsers = pcall(require, "nvim-treesitter.parsers")
  if ok and type(parsers) == "table" then
    if type(parsers.get_parser_configs) == "function" then
      register_master(parsers, dir)
    else
      register_main(dir)
    end
  end
  -- Highlight and fold contract buffers with the parser once it is installed
  -- (nvim-treesitter `main` and plain Neovim do not start it themselves).
  if vim.treesitter and vim.treesitter.start then
    vim.api.nvim_create_autocmd("FileType", {
      group = vim.api.nvim_create_augroup("comity_treesitter", { clear = true }),
      pattern = "contract",
      callback = function(args)
        if pcall(vim.treesitter.start, args.buf, "contract") and vim.treesitter.foldexpr then
          vim.wo.foldmethod = "expr"
          vim.wo.foldexpr = "v:lua.vim.treesitter.foldexpr()"
        end
      end,
    })
  end
  return ok
end

return M
