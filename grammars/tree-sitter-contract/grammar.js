/**
 * Tree-sitter grammar for contract drafts (English and Chinese) written as
 * plain text or Markdown, including text exported from Word.
 *
 * Design (see ARCHITECTURE.md):
 * - Line oriented: newlines are significant, horizontal whitespace is extra.
 * - Coarse and nested: document > part > section > block, so that an edit
 *   re-parses one section, not the whole document. Parts start at top-level
 *   headings (`# Title`, `ARTICLE 5`, `第五章`, `Schedule 2`); sections start
 *   at section-level headings and top-level clause numbers (`## 1.`, `1.`,
 *   `Section 12.`, `第五条`, `一、`, ALL-CAPS title lines).
 * - The semantic clause hierarchy (1 > 1.1 > (a)) is computed by the
 *   document model from the numbering styles; the grammar only recognises the
 *   numbers.
 * - Inline: text runs, quoted terms, definitions, inline definitions,
 *   cross-references and sentence ends (English and Chinese), produced with
 *   the help of a small external scanner (src/scanner.c).
 */

// The vocabulary (keywords, verbs, definition leads, character classes,
// limits) lives in vocabulary.json, which the scanner (src/vocabulary.h) and
// Comity's fast path read too; a test holds src/grammar.json to it.
const VOCAB = require('./vocabulary.json');
const XREF = VOCAB.cross_reference;
const DEFS = VOCAB.definitions;
const MARKERS = VOCAB.markers;
const LIMITS = VOCAB.limits;

// A code point (`U+00A0`) as a character class writes it.
function classChar(cp) {
  const n = parseInt(cp.slice(2), 16);
  const named = {0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r'};
  if (named[n]) return named[n];
  if (n >= 0x20 && n < 0x7f) return String.fromCharCode(n);
  return '\\u' + n.toString(16).toUpperCase().padStart(4, '0');
}
// The inside of a character class (`U+2000..U+200B` is a range; a `-`
// but the first is escaped).
function classOf(items) {
  return items
    .map((item, i) => item.split('..').map(classChar).map(c => (c === '-' && i > 0 ? '\\-' : c)).join('-'))
    .join('');
}
const alt = list => list.join('|');

// Horizontal whitespace, including the Word-export oddities (NBSP, ideographic
// space, zero-width space, BOM).
const HS = classOf(VOCAB.characters.horizontal_space);
const NL = classOf(VOCAB.characters.newline);
// Characters that end a word token because another inline token may start there:
// " “ ” 「 」 『 』 ( （ 第 本 § *
const BREAK = classOf(VOCAB.characters.word_break);

const CN_NUM = `[${VOCAB.characters.cn_numeral.map(cp => String.fromCodePoint(parseInt(cp.slice(2), 16))).join('')}]+`;
// The digits of one group of a clause number.
const ARABIC = `\\d{1,${LIMITS.number_digits}}`;
const QMAX = LIMITS.quoted_max;

module.exports = grammar({
  name: 'contract',

  extras: _ => [new RegExp(`[${HS}]`)],

  externals: $ => [$._text_run, $._line_head_run, $.means, $.sentence_end],

  conflicts: _ => [],

  rules: {
    document: $ => seq(
      repeat($._block),
      repeat($.section),
      repeat($.part),
    ),

    // ---------------------------------------------------------------- structure

    part: $ => prec.right(seq(
      field('heading', $.heading),
      repeat($._block),
      repeat($.section),
    )),

    section: $ => prec.right(seq(
      field('heading', choice($.subheading, $.article)),
      repeat($._block),
    )),

    _block: $ => choice(
      $.clause,
      $.paragraph,
      $.list_item,
      $.block_quote,
      $.code_block,
      $._blank_line,
    ),

    _blank_line: $ => $._newline,

    // Part-level heading: `# Title`, `ARTICLE 5 — EXPORT CONTROL`, `第五章 总则`,
    // `Schedule 2`, `Annex A`, `附件一`.
    heading: $ => seq(
      field('marker', choice($.atx_h1, $.part_number)),
      optional(field('number', choice($.number, $.article_number, $.part_number))),
      optional(field('title', alias($._line_body, $.line_text))),
      $._eol,
    ),

    // Section-level heading: `## 1. Definitions`, an ALL-CAPS title line.
    subheading: $ => choice(
      seq(
        field('marker', $.atx_marker),
        optional(field('number', choice($.number, $.article_number, $.part_number))),
        optional(field('title', alias($._line_body, $.line_text))),
        $._eol,
      ),
      field('title', $.caps_line),
    ),

    // A top-level numbered clause that opens a section: `1.`, `Section 12.`,
    // `Clause 4`, `第五条`, `第5条`, `一、`.
    article: $ => prec.right(seq(
      field('number', $.article_number),
      optional(field('body', $._body)),
      $._eol,
      repeat($.continuation),
    )),

    // A numbered clause inside a section: `1.1`, `(a)`, `(i)`, `a)`, `（一）`, `1、`, `1）`, `①`.
    clause: $ => prec.right(seq(
      field('number', $.number),
      optional(field('body', $._body)),
      $._eol,
      repeat($.continuation),
    )),

    paragraph: $ => prec.right(seq(
      field('body', $._line_body),
      $._eol,
      repeat($.continuation),
    )),

    // A wrapped line that continues the clause or paragraph above it.
    continuation: $ => seq($._line_body, $._eol),

    // Text that starts a line: the scanner's run declines where a marker may
    // start, so that the internal lexer sees it.
    _line_body: $ => seq(
      choice(alias($._line_head_run, $.text), $._inline_token),
      repeat($._inline),
    ),

    list_item: $ => seq(
      field('marker', $.bullet),
      optional(field('body', $._body)),
      $._eol,
    ),

    block_quote: $ => prec.right(repeat1(seq($.quote_marker, optional($.line_text), $._eol))),

    code_block: $ => seq(
      $.fence,
      repeat(choice($.code_line, $._newline)),
      $.fence,
    ),

    // ------------------------------------------------------------------ inline

    _body: $ => repeat1($._inline),

    // `"Sanctions" means …`, `"X" shall mean …`, `"X" has the meaning given in …`,
    // `“制裁”指……`, `“X”是指`, `本协议所称“X”…`
    definition: $ => choice(
      seq(field('term', $.term), field('verb', $.means)),
      seq(field('scope', $.defines_prefix), field('term', $.term)),
    ),

    term: $ => $._quoted,

    line_text: $ => repeat1($._inline),

    _inline: $ => choice(
      alias($._text_run, $.text),
      $._inline_token,
      $.sentence_end,
    ),

    _inline_token: $ => choice(
      $.definition,
      alias($.word, $.text),
      $.quoted,
      $.inline_definition,
      $.cross_reference,
      $.html_comment,
    ),

    quoted: $ => $._quoted,

    _quoted: _ => token(prec(3, choice(
      new RegExp(`(\\*\\*|__)?"[^"\\r\\n]{1,${QMAX}}"(\\*\\*|__)?`),
      new RegExp(`(\\*\\*|__)?\\u201C[^\\u201D\\r\\n]{1,${QMAX}}\\u201D(\\*\\*|__)?`),
      new RegExp(`\\u300C[^\\u300D\\r\\n]{1,${QMAX}}\\u300D`),
      new RegExp(`\\u300E[^\\u300F\\r\\n]{1,${QMAX}}\\u300F`),
      /\u2018[^\u2019\r\n]{1,80}\u2019/,
      /'[^'\r\n]{1,60}'/,
      new RegExp(`\\*\\*[^*\\r\\n]{1,${QMAX}}\\*\\*`),
    ))),

    // `(the "Supplier")`, `(hereinafter "Buyer")`, `（以下简称“卖方”）`
    inline_definition: _ => token(prec(4, choice(
      new RegExp(`[(\\uFF08](${alt(DEFS.inline_leads_regex)})?(\\*\\*|__)?["\\u201C][^"\\u201D\\r\\n]{1,${LIMITS.inline_term_max}}["\\u201D](\\*\\*|__)?(,? ?(or |and )?(\\*\\*|__)?["\\u201C][^"\\u201D\\r\\n]{1,${LIMITS.inline_extra_term_max}}["\\u201D](\\*\\*|__)?){0,${LIMITS.inline_extra_terms}}[)\\uFF09]`),
      new RegExp(`[(\\uFF08](${alt(DEFS.zh_inline_leads)})[:：]?["\\u201C\\u300C][^"\\u201D\\u300D\\r\\n]{1,${LIMITS.zh_inline_term_max}}["\\u201D\\u300D][)\\uFF09]`),
    ))),

    defines_prefix: _ => token(prec(5, new RegExp(`本(${alt(DEFS.defines_prefix_documents)})(中)?所称`))),

    cross_reference: _ => token(prec(4, choice(
      new RegExp(`(${alt(XREF.keywords_regex)})[ \\u00A0]+(\\d{1,3}[A-Za-z]?(\\.\\d{1,3})*|[IVXLC]{1,6}|[A-Z])(\\([a-zA-Z0-9]{1,4}\\))*`),
      /§{1,2}[ \u00A0]?\d{1,3}(\.\d{1,3})*(\([a-zA-Z0-9]{1,4}\))*/,
      new RegExp(`第(${CN_NUM}|\\d{1,3}(\\.\\d{1,3})*)(${alt(XREF.zh_units)})`),
      new RegExp(`本(${alt(XREF.zh_documents)})第?(${CN_NUM}|\\d{1,3}(\\.\\d{1,3})*)(${alt(XREF.zh_units_after_document)})?`),
      new RegExp(`附件(${CN_NUM}|\\d{1,3}|[A-Z])`),
    ))),

    // A run of non-space characters. It stops before characters that can start
    // another inline token, which may then begin the next word.
    word: _ => token(choice(
      new RegExp(`[(\\uFF08\\u7B2C\\u672C\\u00A7*]?[^${HS}${NL}${BREAK}]+`),
      new RegExp(`[${BREAK}]`),
    )),

    html_comment: _ => token(prec(6, /<!--([^-]|-[^-]|--[^>])*-->/)),

    // ------------------------------------------------------------------ markers

    atx_h1: _ => token(prec(7, /#[ \t]/)),
    atx_marker: _ => token(prec(7, /#{2,6}[ \t]/)),

    // Markers that open a part.
    part_number: _ => token(prec(7, choice(
      new RegExp(`(${alt(MARKERS.part_keywords)})[ \\u00A0]+(\\d{1,3}|[IVXLC]{1,6}|[A-Z])\\.?`),
      new RegExp(`第(${CN_NUM}|\\d{1,3})(章|编|部分)`),
      new RegExp(`附件(${CN_NUM}|\\d{1,3}|[A-Z])`),
    ))),

    // Markers that open a section.
    article_number: _ => token(prec(6, choice(
      new RegExp(`${ARABIC}\\.`),
      new RegExp(`(${alt(MARKERS.article_keywords)})[ \\u00A0]+\\d{1,3}(\\.\\d{1,3})*\\.?`),
      new RegExp(`第(${CN_NUM}|${ARABIC})条`),
      new RegExp(`${CN_NUM}[、.．]`),
    ))),

    // Numbers of clauses inside a section.
    number: _ => token(prec(6, choice(
      new RegExp(`${ARABIC}(\\.${ARABIC}){1,${LIMITS.number_groups}}\\.?`),
      /[(\uFF08][a-zA-Z]{1,3}[)\uFF09]/,
      new RegExp(`[(\\uFF08]${ARABIC}[)\\uFF09]`),
      /[a-zA-Z]{1,2}[)\uFF09]/,
      new RegExp(`${ARABIC}[)\\uFF09、]`),
      /[A-Z]\./,
      new RegExp(`[(\\uFF08]${CN_NUM}[)\\uFF09]`),
      /[\u2460-\u2473\u2776-\u277F]/,
    ))),

    bullet: _ => token(prec(6, new RegExp(`[${classOf(VOCAB.characters.bullet)}][ \\t]`))),
    quote_marker: _ => token(prec(6, />[ \t]?/)),
    fence: _ => token(prec(7, /(```|~~~)[^\r\n]*/)),
    code_line: _ => token(prec(-1, /[^\r\n]+/)),

    // An ALL-CAPS title line, e.g. `EXPORT CONTROLS AND SANCTIONS`. The line end
    // is part of the token so that a capitalised word at the start of an
    // ordinary sentence ("EAR controls apply …") is not taken for a title.
    caps_line: _ => token(prec(6, /[A-Z][A-Z0-9 ,&'\u2019\-\u2013\u2014:;\/().]*[A-Z)][:.]?[ \t]*(\r\n|\r|\n)/)),

    // The document model always parses the text followed by one virtual
    // newline, so every line, the last one included, ends with a newline.
    _eol: $ => $._newline,
    _newline: _ => /\r\n|\r|\n|\u2028|\u2029/,
  },
});
