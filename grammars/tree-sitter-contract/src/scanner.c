/*
 * External scanner for the contract grammar.
 *
 * It produces the coarse tokens that keep the tree small and the parse fast:
 *   TEXT_RUN       a run of ordinary text inside a line, spaces included, that
 *                  stops where another inline token (a quoted term, an inline
 *                  definition, a cross-reference, a comment) may begin;
 *   LINE_HEAD_RUN  the same at the start of a line, where it declines to start
 *                  if the line may begin with a clause number, a heading or a
 *                  list marker, so that the internal lexer can take it;
 *   MEANS          the verb of a definition ("means", "shall mean", "指"),
 *                  only where the parser accepts one (after a quoted term);
 *   SENTENCE_END   the punctuation that ends a sentence: 。！？ always, and
 *                  . ! ? when a space and a capital, digit, quote or line end
 *                  follow and the word before is not an abbreviation
 *                  ("U.S.", "No.", "Co., Ltd.", single letters, numbers).
 *
 * The scanner only decides where runs stop. Whenever it declines, the internal
 * lexer's `word` token still covers the text, so a wrong guess here costs a
 * token, never a parse error. It keeps no state between tokens.
 */
#include "tree_sitter/parser.h"
#include "vocabulary.h" /* keywords, verbs, abbreviations, classes: vocabulary.json */

#include <stdbool.h>
#include <stdint.h>

enum TokenType { TEXT_RUN, LINE_HEAD_RUN, MEANS, SENTENCE_END };

void *tree_sitter_contract_external_scanner_create(void) { return NULL; }
void tree_sitter_contract_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_contract_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_contract_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

/* Must match the grammar's `extras`. */
static inline bool is_hspace(int32_t c) { return vocab_is_hspace(c); }

static inline bool is_newline(int32_t c) { return vocab_is_newline(c); }

static inline bool is_cn_numeral(int32_t c) { return vocab_is_cn_numeral(c); }

static inline bool is_digit(int32_t c) { return c >= '0' && c <= '9'; }
static inline bool is_upper(int32_t c) { return c >= 'A' && c <= 'Z'; }
static inline bool is_lower(int32_t c) { return c >= 'a' && c <= 'z'; }
static inline bool is_alpha(int32_t c) { return is_upper(c) || is_lower(c); }

/* The lexer plus what the look-ahead helpers have done to it. */
typedef struct {
  TSLexer *lexer;
  bool moved;      /* a character was consumed since `moved` was cleared */
  bool last_space; /* the last consumed character was horizontal space */
} Cursor;

static inline int32_t peek(Cursor *c) { return c->lexer->eof(c->lexer) ? 0 : c->lexer->lookahead; }
static inline bool at_end(Cursor *c) { return c->lexer->eof(c->lexer) || is_newline(c->lexer->lookahead); }
static inline void adv(Cursor *c) {
  c->last_space = is_hspace(c->lexer->lookahead);
  c->lexer->advance(c->lexer, false);
  c->moved = true;
}

/*
 * Keywords that may begin a cross-reference ("Section 12.3", "clause 5(b)").
 * Called on the first letter of a word; consumes the word's letters. True if
 * the word is such a keyword: the internal lexer then tries cross_reference
 * and falls back to a word.
 */
static bool xref_ahead_from(Cursor *cur, char *buf, unsigned len);

static bool xref_ahead(Cursor *cur) {
  char buf[16];
  return xref_ahead_from(cur, buf, 0);
}

/* `xref_ahead` for a word whose first `len` letters (in `buf`, which has
 * room for 16) were consumed already. */
static bool xref_ahead_from(Cursor *cur, char *buf, unsigned len) {
  const char *const *keywords = VOCAB_XREF_KEYWORDS;
  while (len < 15 && (is_alpha(peek(cur)) || (peek(cur) == '-' && len > 0))) {
    buf[len++] = (char)peek(cur);
    adv(cur);
  }
  buf[len] = '\0';
  if (len < 4 || is_alpha(peek(cur))) return false;
  for (unsigned i = 0; i < VOCAB_XREF_KEYWORDS_LEN; i++) {
    const char *k = keywords[i];
    unsigned j = 0;
    while (k[j] != '\0' && k[j] == buf[j]) j++;
    if (k[j] != '\0') continue;
    if (buf[j] == '\0' || ((buf[j] == 's' || buf[j] == 'S') && buf[j + 1] == '\0') ||
        (buf[j] == 'e' && buf[j + 1] == 's' && buf[j + 2] == '\0')) {
      return true;
    }
  }
  return false;
}

/*
 * Definition verbs ("means", "shall mean", "指", "是指"). Consumes what it
 * looks at and marks the token end after a complete verb. Of English text
 * it consumes only what begins a verb ("sh" of "shares", never "she"), and
 * leaves those letters in `out` (room for 32), `*out_len` of them, so that
 * the caller can read on as a text run would have.
 */
static bool means_ahead(Cursor *cur, char *out, unsigned *out_len) {
  *out_len = 0;
  int32_t c = peek(cur);
  if (c == VOCAB_ZH_VERB /* 指 */) {
    adv(cur);
    cur->lexer->mark_end(cur->lexer);
    return true;
  }
  if (vocab_is_zh_verb_lead(c) /* 是 系 意 特 ： : */) {
    adv(cur);
    if (peek(cur) != VOCAB_ZH_VERB) return false;
    adv(cur);
    cur->lexer->mark_end(cur->lexer);
    return true;
  }
  const char *const *verbs = VOCAB_DEFINITION_VERBS;
  char *buf = out;
  unsigned len = 0;
  bool matched = false;
  while (len < 31 && (is_lower(peek(cur)) || peek(cur) == ' ')) {
    /* Only a character that continues some verb is consumed: what follows
     * is lexed as it would be where no verb is expected (a keyword of a
     * cross-reference after the space, in particular). */
    char next = (char)peek(cur);
    bool prefix = false;
    for (unsigned i = 0; i < VOCAB_DEFINITION_VERBS_LEN && !prefix; i++) {
      const char *v = verbs[i];
      unsigned j = 0;
      while (j < len && v[j] == buf[j]) j++;
      prefix = j == len && v[j] == next;
    }
    if (!prefix) break;
    buf[len++] = next;
    buf[len] = '\0';
    *out_len = len;
    adv(cur);
    /* If no verb matches, the run will end after the last letter seen. */
    if (!cur->last_space) cur->lexer->mark_end(cur->lexer);
    for (unsigned i = 0; i < VOCAB_DEFINITION_VERBS_LEN; i++) {
      const char *v = verbs[i];
      unsigned j = 0;
      while (j < len && v[j] == buf[j]) j++;
      if (j == len && v[j] == '\0' && !is_alpha(peek(cur))) {
        cur->lexer->mark_end(cur->lexer);
        matched = true;
      }
    }
  }
  return matched;
}

/*
 * Whether an inline token other than text may start here. Consumes what it
 * looks at; the caller has already marked the end of the run before it.
 * `word_start`: the previous character was a space, or this is the run start.
 */
static bool special_ahead(Cursor *cur, bool word_start) {
  int32_t c = peek(cur);
  switch (c) {
    case '"': case 0x201C: case 0x201D: case 0x300C: case 0x300E: case 0x2018: case 0xA7 /* § */:
      return true;
    case '\'':
      return word_start;
    case '*':
      adv(cur);
      return peek(cur) == '*';
    case '_':
      adv(cur);
      return peek(cur) == '_';
    case '<':
      adv(cur);
      if (peek(cur) != '!') return false;
      adv(cur);
      if (peek(cur) != '-') return false;
      adv(cur);
      return peek(cur) == '-';
    case '(':
    case 0xFF08: /* （ */
      adv(cur);
      c = peek(cur);
      /* (the "X"), (hereinafter "X"), ("X"), （以下简称“X”） … */
      return c == '"' || c == 0x201C || c == 0x300C || c == '*' || c == '_' || c == 't' || c == 'T' ||
             c == 'h' || c == 'r' || c == 'e' || c == 'c' || c == 'a' || c == 'o' || c == 'i' ||
             c == 0x4EE5 /* 以 */ || c == 0x4E0B /* 下 */ || c == 0x7B80 /* 简 */ || c == 0x5408 /* 合 */;
    case 0x7B2C: /* 第 */
      adv(cur);
      return is_digit(peek(cur)) || is_cn_numeral(peek(cur));
    case 0x672C: /* 本 */
      adv(cur);
      c = peek(cur);
      return c == 0x5408 /* 合 */ || c == 0x534F /* 协 */ || c == 0x6761 /* 条 */ || c == 0x9644 /* 附 */ ||
             c == 0x7AE0 /* 章 */;
    case 0x9644: /* 附 */
      adv(cur);
      return peek(cur) == 0x4EF6; /* 件 */
    default:
      break;
  }
  if (word_start && (c == 'S' || c == 's' || c == 'C' || c == 'c' || c == 'A' || c == 'a' || c == 'P' ||
                     c == 'p' || c == 'E' || c == 'e')) {
    return xref_ahead(cur);
  }
  return false;
}

/* Whether a line may start with a marker that the internal lexer knows
 * (a clause number, a heading, a list or quote marker, a quoted term). */
static bool marker_possible(Cursor *cur) {
  int32_t c = peek(cur);
  if (is_digit(c) || is_upper(c) || is_cn_numeral(c)) return true;
  if (c >= 0x2460 && c <= 0x2473) return true; /* ① … ⑳ */
  if (c >= 0x2776 && c <= 0x277F) return true; /* ❶ … ❿ */
  if (vocab_is_bullet(c)) return true;           /* - * + • · ▪ ● */
  switch (c) {
    case '(': case 0xFF08: case '#': case '>': case '`': case '~': case '<': case 0x7B2C /* 第 */: case 0x9644 /* 附 */:
    case 0x672C /* 本 */: case '"': case 0x201C: case 0x201D: case 0x300C: case 0x300E: case 0x2018:
    case '\'': case 0xA7: case '_':
      return true;
    default:
      break;
  }
  if (is_lower(c)) {
    /* a)  ii)  iv） */
    for (int i = 0; i < 3 && is_lower(peek(cur)); i++) adv(cur);
    return peek(cur) == ')' || peek(cur) == 0xFF09;
  }
  return false;
}

static bool is_cjk_end(int32_t c) { return c == 0x3002 /* 。 */ || c == 0xFF01 /* ！ */ || c == 0xFF1F /* ？ */; }

static bool is_closer(int32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == 0x201D || c == 0x2019 || c == 0x300D || c == 0x300F || c == 0xFF09;
}

/* Words that end with a full stop without ending the sentence. */
static bool is_abbreviation(const char *w, int len) {
  const char *const *list = VOCAB_ABBREVIATIONS;
  if (len <= 1) return true; /* "A." "J." and empty */
  bool number = true;
  for (int i = 0; i < len; i++) {
    if (!(w[i] == '.' || (w[i] >= '0' && w[i] <= '9'))) number = false;
  }
  if (number) return true;
  for (unsigned i = 0; i < VOCAB_ABBREVIATIONS_LEN; i++) {
    int j = 0;
    while (j < len && list[i][j] != '\0' && list[i][j] == w[j]) j++;
    if (j == len && list[i][j] == '\0') return true;
  }
  return false;
}

/*
 * Scans a run of text that ends before a newline, before anything
 * `special_ahead` recognises, or before a sentence end (when `ends` says the
 * parser accepts one); trailing spaces are left to `extras`.
 * `consumed`: the run already holds characters (after a failed look-ahead).
 */
static bool scan_run(Cursor *cur, enum TokenType type, bool consumed, bool ends) {
  bool word_start = !consumed || cur->last_space;
  char word[24];
  int wlen = 0;
  bool word_ascii = true;
  while (!at_end(cur)) {
    int32_t c = peek(cur);
    if (is_hspace(c)) {
      adv(cur);
      word_start = true;
      wlen = 0;
      word_ascii = true;
      continue;
    }
    if (ends && is_cjk_end(c)) {
      if (consumed) {
        cur->lexer->result_symbol = type;
        return true;
      }
      adv(cur);
      while (!at_end(cur) && is_closer(peek(cur))) adv(cur);
      cur->lexer->mark_end(cur->lexer);
      cur->lexer->result_symbol = SENTENCE_END;
      return true;
    }
    if (ends && (c == '.' || c == '!' || c == '?')) {
      /* A run that starts at the stop was cut there because the previous run
       * found a sentence end; the word before it is not known here. */
      bool abbreviation = consumed && c == '.' && word_ascii && is_abbreviation(word, wlen);
      adv(cur);
      while (!at_end(cur) && is_closer(peek(cur))) adv(cur);
      if (!consumed) cur->lexer->mark_end(cur->lexer);
      bool end = false;
      if (!abbreviation) {
        if (at_end(cur)) {
          end = true;
        } else if (is_hspace(peek(cur))) {
          while (!at_end(cur) && is_hspace(peek(cur))) adv(cur);
          int32_t n = peek(cur);
          end = at_end(cur) || is_upper(n) || is_digit(n) || n == '"' || n == 0x201C || n == '(' || n == 0xFF08 || n > 0x2E80;
        }
      }
      if (end) {
        cur->lexer->result_symbol = consumed ? type : SENTENCE_END;
        return true;
      }
      /* Not an end: what was consumed is text. */
      consumed = true;
      word_start = cur->last_space;
      if (cur->last_space) {
        wlen = 0;
        word_ascii = true;
      } else {
        cur->lexer->mark_end(cur->lexer);
        if (wlen < 23) word[wlen++] = '.';
      }
      continue;
    }
    cur->moved = false;
    if (special_ahead(cur, word_start)) {
      if (!consumed) return false;
      cur->lexer->result_symbol = type;
      return true;
    }
    /* A failed look-ahead's characters are text; otherwise take one. */
    if (!cur->moved) {
      if (c < 128 && (is_alpha(c) || is_digit(c))) {
        if (wlen < 23) word[wlen++] = (char)(is_upper(c) ? c - 'A' + 'a' : c);
      } else {
        word_ascii = false;
      }
      adv(cur);
    } else {
      word_ascii = false;
    }
    consumed = true;
    word_start = cur->last_space;
    if (!cur->last_space) cur->lexer->mark_end(cur->lexer);
  }
  if (!consumed) return false;
  cur->lexer->result_symbol = type;
  return true;
}

bool tree_sitter_contract_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  /* Error recovery asks for every symbol at once: let the internal lexer work. */
  if (valid_symbols[TEXT_RUN] && valid_symbols[LINE_HEAD_RUN] && valid_symbols[MEANS] && valid_symbols[SENTENCE_END]) {
    return false;
  }
  bool ends = valid_symbols[SENTENCE_END];

  while (!lexer->eof(lexer) && is_hspace(lexer->lookahead)) lexer->advance(lexer, true);
  Cursor cur = {lexer, false, false};
  if (at_end(&cur)) return false;

  if (valid_symbols[MEANS]) {
    char verb[32];
    unsigned verb_len = 0;
    if (means_ahead(&cur, verb, &verb_len)) {
      lexer->result_symbol = MEANS;
      return true;
    }
    if (!valid_symbols[TEXT_RUN]) return false;
    if (!cur.moved) return scan_run(&cur, TEXT_RUN, false, ends);
    /* The first letters of a word that begins like a verb and may be the
     * keyword of a cross-reference ("s" of "section", "schedule"): where
     * no verb is expected, the run would stop for the internal lexer to
     * try a cross-reference, so it stops here too. (A subtree parsed where
     * a verb was expected may be reused where none is, and the other way
     * round: the tokens must not depend on it.) */
    if (!cur.last_space && verb_len > 0 && verb_len < 16 && verb[0] == 's') {
      bool one_word = true;
      for (unsigned i = 0; i < verb_len; i++) one_word = one_word && verb[i] != ' ';
      if (one_word && xref_ahead_from(&cur, verb, verb_len)) return false;
    }
    /* The look-ahead consumed characters, which can now only be text; it
     * marked the end after the last of them that was not a space. */
    if (!cur.last_space) lexer->mark_end(lexer);
    return scan_run(&cur, TEXT_RUN, true, ends);
  }
  if (valid_symbols[LINE_HEAD_RUN]) {
    if (marker_possible(&cur)) return false;
    if (cur.moved) {
      /* Lower-case letters that turned out not to be a marker like "a)". */
      lexer->mark_end(lexer);
      return scan_run(&cur, LINE_HEAD_RUN, true, false);
    }
    return scan_run(&cur, LINE_HEAD_RUN, false, false);
  }
  if (valid_symbols[TEXT_RUN]) return scan_run(&cur, TEXT_RUN, false, ends);
  if (ends && (is_cjk_end(peek(&cur)) || peek(&cur) == '.' || peek(&cur) == '!' || peek(&cur) == '?')) {
    return scan_run(&cur, SENTENCE_END, false, true);
  }
  return false;
}
