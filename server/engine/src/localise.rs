//! Findings on traditional-Chinese text are worded in traditional
//! characters: the messages, reasons and replacement wording are converted
//! from the rule library's simplified Chinese (OpenCC tables, `hanconv`).

use comity_finding::Finding;
use comity_rules::script;
use comity_text::Lang;

/// `f`, worded in the script of `sentence` (unchanged unless both are
/// Chinese and the sentence is in traditional characters).
pub fn in_script_of(sentence: &str, mut f: Finding) -> Finding {
    if f.lang != Lang::Zh || !script::is_traditional(sentence) {
        return f;
    }
    f.message = script::to_traditional(&f.message);
    for r in &mut f.reasons {
        *r = script::to_traditional(r);
    }
    for r in &mut f.related {
        r.message = script::to_traditional(&r.message);
    }
    let suggestions: Vec<_> = f
        .suggestions
        .iter()
        .cloned()
        .map(|mut s| {
            s.title = script::to_traditional(&s.title);
            s.replacement = script::to_traditional(&s.replacement);
            s.note = script::to_traditional(&s.note);
            s
        })
        .collect();
    f.suggestions = suggestions.into();
    f
}
