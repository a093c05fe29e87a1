" Comity: *.contract files are contract drafts (works from Neovim 0.7 on).
autocmd BufRead,BufNewFile *.contract setfiletype contract
