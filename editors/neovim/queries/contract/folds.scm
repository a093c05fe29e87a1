(part) @fold
(section) @fold
(code_block) @fold
(block_quote) @fold
