; Headings
(heading title: (line_text) @markup.heading)
(heading marker: (_) @markup.heading.marker)
(subheading title: (_) @markup.heading)
(subheading marker: (atx_marker) @markup.heading.marker)

; Clause numbers
(heading number: (number) @label)
(subheading number: (number) @label)
(article number: (article_number) @label)
(clause number: (number) @label)
(list_item marker: (bullet) @punctuation.special)

; Defined terms and their definitions
(definition term: (term) @constant)
(definition verb: (means) @keyword)
(definition scope: (defines_prefix) @keyword)
(inline_definition) @constant
(quoted) @string

; Cross-references
(cross_reference) @markup.link

; Comments (suppressions) and quoted material
(html_comment) @comment
(block_quote) @markup.quote
(code_block) @markup.raw.block
(sentence_end) @punctuation.delimiter
