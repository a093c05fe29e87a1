//! Blocks: the line-level units of a document (headings, numbered clauses,
//! paragraphs, list items, quotes, code), read off the syntax tree.
//!
//! A block carries everything the rest of the model needs from its own text
//! (its marker, its definitions, cross-references and comments, language
//! counts), so that after an edit only the blocks of re-parsed sections are
//! rebuilt.

use serde::Serialize;
use thin_vec::ThinVec;
use tree_sitter::Node;

use super::lang::LangCounts;
use comity_text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A part-level heading: `# Title`, `ARTICLE 5`, `第五章`, `Schedule 2`.
    PartHeading,
    /// A section-level heading: `## 1. Definitions`, an ALL-CAPS title line.
    Subheading,
    /// A top-level numbered clause that opens a section: `1.`, `Section 12.`, `第五条`, `一、`.
    Article,
    /// A numbered clause inside a section: `1.1`, `(a)`, `（一）`, `1、`, `①`.
    Clause,
    Paragraph,
    ListItem,
    Quote,
    Code,
}

impl BlockKind {
    /// Text in quotes and code is quoted material, not operative wording.
    pub fn is_quoted_material(self) -> bool {
        matches!(self, BlockKind::Quote | BlockKind::Code)
    }
}

/// Which grammar token a block's marker is; [`super::numbering`] turns it into a style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerToken {
    AtxH1,
    Atx(u8),
    PartNumber,
    CapsLine,
    ArticleNumber,
    Number,
    Bullet,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Marker {
    pub token: MarkerToken,
    pub span: Span,
}

/// How a defined term is introduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DefinitionForm {
    /// `"Sanctions" means …`, `“制裁”指……`
    Means,
    /// `本协议所称“关联方”……`
    Scoped,
    /// `(the "Supplier")`, `（以下简称“卖方”）`
    Inline,
}

/// A place where a term is defined, as found in one block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DefinitionSite {
    pub form: DefinitionForm,
    /// The term itself, without quotes or emphasis.
    pub term: Span,
    /// The whole definition construct (quoted term and verb, or the parenthesis).
    pub construct: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    /// From the first character of the block to the end of its last line,
    /// without the line break.
    pub span: Span,
    pub marker: Option<Marker>,
    /// Numbered headings (`## 1. Definitions`, `ARTICLE 5 — …`) carry a number after the marker.
    pub number: Option<Span>,
    /// The text after the marker and number (the title of a heading).
    pub body: Option<Span>,
    // (Thin vectors, one word each: most blocks have none of these.)
    pub definitions: ThinVec<DefinitionSite>,
    pub cross_references: ThinVec<Span>,
    pub comments: ThinVec<Span>,
    pub lang: LangCounts,
    /// The governing-law statement in this block, if any (read once, when
    /// the block is built, so that an edit elsewhere need not read it again).
    #[serde(skip)]
    pub governing_law: Option<Box<super::governing_law::GoverningLaw>>,
}

impl Block {
    /// A block of `kind` over `span` with nothing read yet: no marker,
    /// number, body or inline constructs, no facts.
    pub(crate) fn new(kind: BlockKind, span: Span) -> Block {
        Block {
            kind,
            span,
            marker: None,
            number: None,
            body: None,
            definitions: ThinVec::new(),
            cross_references: ThinVec::new(),
            comments: ThinVec::new(),
            lang: LangCounts::default(),
            governing_law: None,
        }
    }

    /// The number of the clause this block opens, if any: `1.1`, `(a)`, `第五条`,
    /// `ARTICLE 5`, or the number in `## 1. Definitions`.
    pub fn number_span(&self) -> Option<Span> {
        if let Some(n) = self.number {
            return Some(n);
        }
        match self.marker.as_ref()?.token {
            MarkerToken::ArticleNumber | MarkerToken::Number | MarkerToken::PartNumber => {
                Some(self.marker.as_ref()?.span)
            }
            _ => None,
        }
    }

    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::PartHeading | BlockKind::Subheading)
    }

    pub fn shift(&mut self, delta: isize) {
        self.map_spans(|s| s.shifted(delta));
    }

    /// Replaces every span the block holds with `f` of it.
    pub(crate) fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        self.span = f(self.span);
        if let Some(m) = &mut self.marker {
            m.span = f(m.span);
        }
        for s in self.number.iter_mut().chain(self.body.iter_mut()) {
            *s = f(*s);
        }
        for d in &mut self.definitions {
            d.term = f(d.term);
            d.construct = f(d.construct);
        }
        for s in self
            .cross_references
            .iter_mut()
            .chain(self.comments.iter_mut())
        {
            *s = f(*s);
        }
        if let Some(g) = &mut self.governing_law {
            g.span = f(g.span);
        }
    }
}

/// The grammar's node kinds the model reads. Looked up by the node's kind
/// id in a table made once from the grammar's names, rather than by
/// comparing `Node::kind` strings (each of which is a C string read anew).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Document,
    Part,
    Section,
    Heading,
    Subheading,
    Article,
    Clause,
    Paragraph,
    ListItem,
    BlockQuote,
    CodeBlock,
    AtxH1,
    AtxMarker,
    PartNumber,
    ArticleNumber,
    Bullet,
    Number,
    CapsLine,
    QuoteMarker,
    Fence,
    CodeLine,
    LineText,
    Continuation,
    Definition,
    InlineDefinition,
    CrossReference,
    HtmlComment,
    Other,
}

impl Kind {
    fn of_name(name: &str) -> Kind {
        match name {
            "document" => Kind::Document,
            "part" => Kind::Part,
            "section" => Kind::Section,
            "heading" => Kind::Heading,
            "subheading" => Kind::Subheading,
            "article" => Kind::Article,
            "clause" => Kind::Clause,
            "paragraph" => Kind::Paragraph,
            "list_item" => Kind::ListItem,
            "block_quote" => Kind::BlockQuote,
            "code_block" => Kind::CodeBlock,
            "atx_h1" => Kind::AtxH1,
            "atx_marker" => Kind::AtxMarker,
            "part_number" => Kind::PartNumber,
            "article_number" => Kind::ArticleNumber,
            "bullet" => Kind::Bullet,
            "number" => Kind::Number,
            "caps_line" => Kind::CapsLine,
            "quote_marker" => Kind::QuoteMarker,
            "fence" => Kind::Fence,
            "code_line" => Kind::CodeLine,
            "line_text" => Kind::LineText,
            "continuation" => Kind::Continuation,
            "definition" => Kind::Definition,
            "inline_definition" => Kind::InlineDefinition,
            "cross_reference" => Kind::CrossReference,
            "html_comment" => Kind::HtmlComment,
            _ => Kind::Other,
        }
    }

    pub(crate) fn of(node: Node) -> Kind {
        static TABLE: std::sync::LazyLock<Vec<Kind>> = std::sync::LazyLock::new(|| {
            let language: tree_sitter::Language = tree_sitter_contract::LANGUAGE.into();
            (0..language.node_kind_count() as u16)
                .map(|id| {
                    language
                        .node_kind_for_id(id)
                        .map_or(Kind::Other, Kind::of_name)
                })
                .collect()
        });
        TABLE
            .get(node.kind_id() as usize)
            .copied()
            .unwrap_or(Kind::Other)
    }
}

/// The nodes whose blocks are rebuilt together: sections, and blocks that
/// sit directly in the document or in a part (including a part's heading).
pub(crate) fn is_unit_container(node: Node) -> bool {
    matches!(Kind::of(node), Kind::Document | Kind::Part)
}

/// Appends the blocks inside `node` (a unit or a container) to `out`, in order.
pub(crate) fn collect(node: Node, text: &str, out: &mut Vec<Block>) {
    collect_with(node, text, out, true);
}

/// [`collect`], reading each block's language and governing law only if
/// `facts` (an elided text reads them from the real one afterwards).
pub(crate) fn collect_with(node: Node, text: &str, out: &mut Vec<Block>, facts: bool) {
    match Kind::of(node) {
        Kind::Document | Kind::Part | Kind::Section => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                collect_with(child, text, out, facts);
            }
        }
        Kind::Heading
        | Kind::Subheading
        | Kind::Article
        | Kind::Clause
        | Kind::Paragraph
        | Kind::ListItem
        | Kind::BlockQuote
        | Kind::CodeBlock => {
            if let Some(block) = read_block(node, text, facts) {
                out.push(block);
            }
        }
        // ERROR nodes and anything unexpected: keep their text as a paragraph
        // so that nothing the user wrote becomes invisible to the linter.
        _ => {
            if (node.is_error() || node.is_missing())
                && node.child_count() > 0
                && !node.is_missing()
            {
                let before = out.len();
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    collect_with(child, text, out, facts);
                }
                if out.len() == before
                    && let Some(block) = read_block(node, text, facts)
                {
                    out.push(block);
                }
            }
        }
    }
}

fn clamp(span: Span, text: &str) -> Span {
    let len = text.len();
    Span::new(span.start.min(len), span.end.min(len))
}

fn node_span(node: Node, text: &str) -> Span {
    clamp(Span::new(node.start_byte(), node.end_byte()), text)
}

/// Trims trailing line breaks and horizontal space.
pub(super) fn trim_end(span: Span, text: &str) -> Span {
    let s = &text[span.start..span.end];
    let trimmed = s.trim_end_matches(|c: char| c.is_whitespace());
    Span::new(span.start, span.start + trimmed.len())
}

fn read_block(node: Node, text: &str, facts: bool) -> Option<Block> {
    let kind = match Kind::of(node) {
        Kind::Heading => BlockKind::PartHeading,
        Kind::Subheading => BlockKind::Subheading,
        Kind::Article => BlockKind::Article,
        Kind::Clause => BlockKind::Clause,
        Kind::ListItem => BlockKind::ListItem,
        Kind::BlockQuote => BlockKind::Quote,
        Kind::CodeBlock => BlockKind::Code,
        _ => BlockKind::Paragraph,
    };
    let span = trim_end(node_span(node, text), text);
    if span.is_empty() {
        return None;
    }
    let mut block = Block::new(kind, span);
    let mut body_start: Option<usize> = None;
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        let cspan = node_span(child, text);
        match Kind::of(child) {
            Kind::AtxH1 => {
                block.marker = Some(Marker {
                    token: MarkerToken::AtxH1,
                    span: trim_end(cspan, text),
                })
            }
            Kind::AtxMarker => {
                let hashes = cspan.text(text).bytes().take_while(|b| *b == b'#').count();
                block.marker = Some(Marker {
                    token: MarkerToken::Atx(hashes as u8),
                    span: trim_end(cspan, text),
                })
            }
            Kind::PartNumber | Kind::ArticleNumber if block.marker.is_some() => {
                block.number = Some(cspan)
            }
            Kind::PartNumber => {
                block.marker = Some(Marker {
                    token: MarkerToken::PartNumber,
                    span: cspan,
                })
            }
            Kind::ArticleNumber => {
                block.marker = Some(Marker {
                    token: MarkerToken::ArticleNumber,
                    span: cspan,
                })
            }
            Kind::Bullet => {
                block.marker = Some(Marker {
                    token: MarkerToken::Bullet,
                    span: trim_end(cspan, text),
                })
            }
            Kind::Number => {
                if block.marker.is_some() {
                    block.number = Some(cspan);
                } else {
                    block.marker = Some(Marker {
                        token: MarkerToken::Number,
                        span: cspan,
                    });
                }
            }
            Kind::CapsLine => {
                let title = trim_end(cspan, text);
                block.marker = Some(Marker {
                    token: MarkerToken::CapsLine,
                    span: Span::new(title.start, title.start),
                });
                body_start.get_or_insert(title.start);
            }
            Kind::QuoteMarker | Kind::Fence | Kind::CodeLine => {}
            Kind::LineText | Kind::Continuation => {
                body_start.get_or_insert(cspan.start);
                read_inline(child, text, &mut block);
            }
            _ => {
                body_start.get_or_insert(cspan.start);
                read_inline_node(child, text, &mut block);
            }
        }
    }
    if let Some(start) = body_start {
        let body = trim_end(Span::new(start, span.end), text);
        if !body.is_empty() {
            block.body = Some(body);
        }
    }
    if facts {
        read_facts(&mut block, text);
    }
    Some(block)
}

/// Reads what a block holds from its whole text: its language counts and
/// its governing-law statement.
pub(crate) fn read_facts(block: &mut Block, text: &str) {
    block.lang = LangCounts::of(block.span.text(text));
    block.governing_law = if block.kind.is_quoted_material() {
        None
    } else {
        super::governing_law::governing_law_in(block.span.text(text), block.span.start)
            .map(Box::new)
    };
}

fn read_inline(node: Node, text: &str, block: &mut Block) {
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        read_inline_node(child, text, block);
    }
}

fn read_inline_node(node: Node, text: &str, block: &mut Block) {
    let span = node_span(node, text);
    match Kind::of(node) {
        Kind::Definition => {
            let term = node.child_by_field_name("term").map(|t| node_span(t, text));
            let form = if node.child_by_field_name("scope").is_some() {
                DefinitionForm::Scoped
            } else {
                DefinitionForm::Means
            };
            if let Some(term) = term.and_then(|t| strip_quotes(t, text)) {
                block.definitions.push(DefinitionSite {
                    form,
                    term,
                    construct: span,
                });
            }
        }
        Kind::InlineDefinition => {
            if let Some(term) = inner_quoted(span, text) {
                block.definitions.push(DefinitionSite {
                    form: DefinitionForm::Inline,
                    term,
                    construct: span,
                });
            }
        }
        Kind::CrossReference => block.cross_references.push(span),
        Kind::HtmlComment => block.comments.push(span),
        Kind::LineText | Kind::Continuation => read_inline(node, text, block),
        _ => {}
    }
}

const QUOTES: &[char] = &[
    '"', '\u{201C}', '\u{201D}', '\u{300C}', '\u{300D}', '\u{300E}', '\u{300F}', '\u{2018}',
    '\u{2019}', '\'',
];

/// The term inside `"**X**"`, `**"X"**`, `**X**`, `“X”`, `「X」`.
pub(super) fn strip_quotes(span: Span, text: &str) -> Option<Span> {
    let s = span.text(text);
    let lead = s.len()
        - s.trim_start_matches(|c: char| QUOTES.contains(&c) || c == '*' || c == '_')
            .len();
    let trail = s.len()
        - s.trim_end_matches(|c: char| QUOTES.contains(&c) || c == '*' || c == '_')
            .len();
    if lead + trail >= s.len() {
        return None;
    }
    let inner = Span::new(span.start + lead, span.end - trail);
    let t = inner.text(text);
    let core = t.trim();
    if core.is_empty() {
        return None;
    }
    let start = inner.start + (t.len() - t.trim_start().len());
    Some(Span::new(start, start + core.len()))
}

/// The quoted term inside an inline definition `(the "Supplier")`.
pub(super) fn inner_quoted(span: Span, text: &str) -> Option<Span> {
    let s = span.text(text);
    let open = s.find(['"', '\u{201C}', '\u{300C}'])?;
    let after = &s[open..];
    let first_len = after.chars().next()?.len_utf8();
    let close_rel = after[first_len..].find(['"', '\u{201D}', '\u{300D}'])?;
    let quoted = Span::new(
        span.start + open,
        span.start + open + first_len + close_rel + 1,
    );
    // include the closing quote's full width
    let close_char = after[first_len + close_rel..].chars().next()?;
    let quoted = Span::new(quoted.start, quoted.end - 1 + close_char.len_utf8());
    strip_quotes(quoted, text)
}

#[cfg(test)]
mod tests {
    use super::Kind;

    /// Every name the table maps is a named node kind of the grammar (a
    /// misspelt one would never match), and the table agrees with the names.
    #[test]
    fn node_kinds_are_the_grammars() {
        let language: tree_sitter::Language = tree_sitter_contract::LANGUAGE.into();
        let mut mapped = 0;
        for id in 0..language.node_kind_count() as u16 {
            if let Some(name) = language.node_kind_for_id(id)
                && Kind::of_name(name) != Kind::Other
            {
                mapped += 1;
            }
        }
        for name in [
            "document",
            "part",
            "section",
            "heading",
            "subheading",
            "article",
            "clause",
            "paragraph",
            "list_item",
            "block_quote",
            "code_block",
            "atx_h1",
            "atx_marker",
            "part_number",
            "article_number",
            "bullet",
            "number",
            "caps_line",
            "quote_marker",
            "fence",
            "code_line",
            "line_text",
            "continuation",
            "definition",
            "inline_definition",
            "cross_reference",
            "html_comment",
        ] {
            assert_ne!(
                language.id_for_node_kind(name, true),
                0,
                "{name} is a named node kind"
            );
        }
        assert!(mapped >= 27, "{mapped}");
        let text = "# MASTER AGREEMENT\n\n## 1. Definitions\n\n1.1 \"Sanctions\" means OFAC sanctions (see Clause 2).\n\n- item\n\n> quoted\n\n```\ncode\n```\n\n<!-- note -->\n\nARTICLE 5 — TERM\n\n第五条 出口管制\n（一）买方（以下简称“买方”）应遵守法律。\n";
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&language).unwrap();
        let tree = parser.parse(text, None).unwrap();
        let mut stack = vec![tree.root_node()];
        let mut seen = std::collections::HashSet::new();
        while let Some(n) = stack.pop() {
            assert_eq!(Kind::of(n), Kind::of_name(n.kind()), "{}", n.kind());
            seen.insert(Kind::of(n));
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        assert!(seen.len() >= 15, "{seen:?}");
    }
}
