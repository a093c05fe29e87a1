/* Generated from vocabulary.json by bindings/rust/build.rs: do not edit.
 * Rewrite it with `COMITY_WRITE_VOCABULARY=1 cargo test -p tree-sitter-contract --test vocabulary`. */
#ifndef TREE_SITTER_CONTRACT_VOCABULARY_H
#define TREE_SITTER_CONTRACT_VOCABULARY_H

#include <stdbool.h>
#include <stdint.h>

static const char *const VOCAB_XREF_KEYWORDS[] = {
    "Section",
    "section",
    "SECTION",
    "Clause",
    "clause",
    "CLAUSE",
    "Article",
    "article",
    "ARTICLE",
    "Paragraph",
    "paragraph",
    "Schedule",
    "schedule",
    "SCHEDULE",
    "Annex",
    "ANNEX",
    "Exhibit",
    "EXHIBIT",
    "Appendix",
    "APPENDIX",
    "Appendices",
    "Part",
    "PART",
    "Sub-clause",
    "sub-clause",
};
#define VOCAB_XREF_KEYWORDS_LEN 25

static const char *const VOCAB_DEFINITION_VERBS[] = {
    "means",
    "mean",
    "shall mean",
    "shall have the meaning",
    "shall include",
    "has the meaning",
    "have the meaning",
    "includes",
    "refers to",
};
#define VOCAB_DEFINITION_VERBS_LEN 9

static const char *const VOCAB_ABBREVIATIONS[] = {
    "u.s",
    "u.k",
    "e.u",
    "p.r.c",
    "p.r",
    "u.n",
    "no",
    "nos",
    "co",
    "ltd",
    "inc",
    "corp",
    "llc",
    "plc",
    "pte",
    "s.a",
    "n.a",
    "b.v",
    "n.v",
    "e.g",
    "i.e",
    "etc",
    "cf",
    "vs",
    "v",
    "art",
    "arts",
    "sec",
    "secs",
    "para",
    "paras",
    "cl",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "fig",
    "approx",
    "dept",
    "govt",
    "reg",
    "regs",
    "c.f.r",
    "u.s.c",
    "f.r",
    "fed",
    "incl",
    "min",
    "max",
    "viz",
    "al",
    "ref",
    "sch",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "hk",
    "sar",
};
#define VOCAB_ABBREVIATIONS_LEN 70

#define VOCAB_ZH_VERB 0x6307

static inline bool vocab_is_zh_verb_lead(int32_t c) {
  return c == 0x662F ||
         c == 0x7CFB ||
         c == 0x610F ||
         c == 0x7279 ||
         c == 0xFF1A ||
         c == 0x003A;
}

static inline bool vocab_is_hspace(int32_t c) {
  return c == 0x0020 ||
         c == 0x0009 ||
         c == 0x000C ||
         c == 0x000B ||
         c == 0x00A0 ||
         c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) ||
         c == 0x202F ||
         c == 0x205F ||
         c == 0x3000 ||
         c == 0xFEFF;
}

static inline bool vocab_is_newline(int32_t c) {
  return c == 0x000D ||
         c == 0x000A ||
         c == 0x2028 ||
         c == 0x2029;
}

static inline bool vocab_is_cn_numeral(int32_t c) {
  return c == 0x4E00 ||
         c == 0x4E8C ||
         c == 0x4E09 ||
         c == 0x56DB ||
         c == 0x4E94 ||
         c == 0x516D ||
         c == 0x4E03 ||
         c == 0x516B ||
         c == 0x4E5D ||
         c == 0x5341 ||
         c == 0x767E ||
         c == 0x5343 ||
         c == 0x96F6 ||
         c == 0x3007 ||
         c == 0x4E24;
}

static inline bool vocab_is_bullet(int32_t c) {
  return c == 0x002D ||
         c == 0x002A ||
         c == 0x002B ||
         c == 0x2022 ||
         c == 0x00B7 ||
         c == 0x25AA ||
         c == 0x25CF;
}

#endif
