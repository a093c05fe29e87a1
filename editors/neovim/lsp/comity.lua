-- Comity's language server for Neovim 0.11+ (`vim.lsp.enable("comity")`),
-- in nvim-lspconfig's style. Settings take comity.toml's shape and are also
-- sent as initializationOptions by require("comity").setup().
return {
  cmd = { "comity", "lsp" },
  filetypes = { "contract", "markdown", "text" },
  root_markers = { "comity.toml", ".git" },
  settings = {},
}
