//! What the engine sees in a document: clauses, definitions, parties,
//! governing law and languages, as a serialisable outline.

use schemars::JsonSchema;
use serde::Serialize;

use comity_document::{
    Clause, ClauseKind, DefinitionForm, Document, HintKind, Jurisdiction, NumberStyle,
};
use comity_text::Lang;
use comity_text::Span;
use comity_text::lines::LineIndex;

/// Version of the outline JSON format (see `docs/outline.schema.json`).
pub const OUTLINE_FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Debug, JsonSchema)]
pub struct Outline {
    pub version: u32,
    pub languages: Vec<Lang>,
    pub primary_language: Lang,
    pub governing_law: Option<OutlineLaw>,
    pub parties: Vec<OutlineParty>,
    pub clauses: Vec<OutlineClause>,
    pub definitions: Vec<OutlineDefinition>,
}

#[derive(Serialize, Debug, JsonSchema)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Serialize, Debug, JsonSchema)]
pub struct OutlineLaw {
    pub jurisdiction: Jurisdiction,
    pub name: String,
    pub location: Location,
}

#[derive(Serialize, Debug, JsonSchema)]
pub struct OutlineHint {
    pub kind: HintKind,
    pub jurisdiction: Jurisdiction,
    pub text: String,
}

#[derive(Serialize, Debug, JsonSchema)]
pub struct OutlineParty {
    pub name: String,
    pub short_name: Option<String>,
    pub jurisdiction: Option<Jurisdiction>,
    pub hints: Vec<OutlineHint>,
    pub location: Location,
}

#[derive(Serialize, Debug, JsonSchema)]
pub struct OutlineClause {
    pub kind: ClauseKind,
    pub label: Option<String>,
    pub number: Option<String>,
    pub heading: Option<String>,
    pub style: Option<NumberStyle>,
    pub location: Location,
    pub children: Vec<OutlineClause>,
}

#[derive(Serialize, Debug, JsonSchema)]
pub struct OutlineDefinition {
    pub term: String,
    pub form: DefinitionForm,
    pub clause: Option<String>,
    pub location: Location,
    /// The defining text, shortened to 200 characters.
    pub definition: String,
}

fn location(doc: &Document, index: &LineIndex, span: Span) -> Location {
    let (line, column) = index.line_col(doc.text(), span.start);
    Location {
        line,
        column,
        start: span.start,
        end: span.end,
    }
}

/// Shortens text to `max` characters on one line.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut s: String = one_line.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

impl Outline {
    pub fn of(doc: &Document) -> Outline {
        let index = LineIndex::new(doc.text());
        let clauses = doc.clauses();
        fn build(
            doc: &Document,
            index: &LineIndex,
            clauses: &[Clause],
            id: usize,
            children: &[Vec<usize>],
        ) -> OutlineClause {
            let c = &clauses[id];
            OutlineClause {
                kind: c.kind,
                label: c.label.as_deref().map(str::to_string),
                number: c.number(doc.text()).map(str::to_string),
                heading: c.heading(doc.text()).map(str::to_string),
                style: c.style,
                location: location(doc, index, c.span),
                children: children[id]
                    .iter()
                    .map(|&k| build(doc, index, clauses, k, children))
                    .collect(),
            }
        }
        let mut children = vec![Vec::new(); clauses.len()];
        let mut roots = Vec::new();
        for (i, c) in clauses.iter().enumerate() {
            match c.parent {
                Some(p) => children[p].push(i),
                None => roots.push(i),
            }
        }
        Outline {
            version: OUTLINE_FORMAT_VERSION,
            languages: doc.languages().to_vec(),
            primary_language: doc.primary_language(),
            governing_law: doc.governing_law().map(|g| OutlineLaw {
                jurisdiction: g.jurisdiction.clone(),
                name: g.name.clone(),
                location: location(doc, &index, g.span),
            }),
            parties: doc
                .parties()
                .iter()
                .map(|p| OutlineParty {
                    name: p.name.clone(),
                    short_name: p.short_name.clone(),
                    jurisdiction: p.jurisdiction.clone(),
                    hints: p
                        .hints
                        .iter()
                        .map(|h| OutlineHint {
                            kind: h.kind,
                            jurisdiction: h.jurisdiction.clone(),
                            text: excerpt(h.span.text(doc.text()), 80),
                        })
                        .collect(),
                    location: location(doc, &index, p.name_span),
                })
                .collect(),
            clauses: roots
                .into_iter()
                .map(|r| build(doc, &index, clauses, r, &children))
                .collect(),
            definitions: doc
                .terms()
                .iter()
                .map(|t| OutlineDefinition {
                    term: t.term.clone(),
                    form: t.form,
                    clause: doc.clause_label_at(t.term_span.start),
                    location: location(doc, &index, t.term_span),
                    definition: excerpt(t.definition_span.text(doc.text()), 200),
                })
                .collect(),
        }
    }

    /// The outline as indented text for a terminal.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let langs: Vec<&str> = self.languages.iter().map(|l| l.code()).collect();
        let _ = writeln!(out, "languages: {}", langs.join(", "));
        match &self.governing_law {
            Some(g) => {
                let _ = writeln!(
                    out,
                    "governing law: {} ({}) at line {}",
                    g.name,
                    jurisdiction_name(&g.jurisdiction),
                    g.location.line
                );
            }
            None => out.push_str("governing law: not found\n"),
        }
        out.push_str("\nparties:\n");
        if self.parties.is_empty() {
            out.push_str("  (none found)\n");
        }
        for p in &self.parties {
            let short = p
                .short_name
                .as_deref()
                .map(|s| format!(" (\"{s}\")"))
                .unwrap_or_default();
            let j = p
                .jurisdiction
                .as_ref()
                .map(jurisdiction_name)
                .unwrap_or("jurisdiction unknown");
            let _ = writeln!(
                out,
                "  {}{} — {} [line {}]",
                p.name, short, j, p.location.line
            );
        }
        out.push_str("\nclauses:\n");
        fn walk(out: &mut String, c: &OutlineClause, depth: usize) {
            let indent = "  ".repeat(depth + 1);
            let number = c.label.as_deref().or(c.number.as_deref()).unwrap_or("");
            let heading = c.heading.as_deref().unwrap_or("");
            let sep = if !number.is_empty() && !heading.is_empty() {
                " "
            } else {
                ""
            };
            let title = if number.is_empty() && heading.is_empty() {
                "(untitled)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{indent}{number}{sep}{heading}{title}  [line {}]",
                c.location.line
            );
            for k in &c.children {
                walk(out, k, depth + 1);
            }
        }
        for c in &self.clauses {
            walk(&mut out, c, 0);
        }
        out.push_str("\ndefinitions:\n");
        if self.definitions.is_empty() {
            out.push_str("  (none found)\n");
        }
        for d in &self.definitions {
            let clause = d
                .clause
                .as_deref()
                .map(|c| format!(" in {c}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  “{}”{} [line {}]: {}",
                d.term,
                clause,
                d.location.line,
                excerpt(&d.definition, 90)
            );
        }
        out
    }
}

pub fn jurisdiction_name(j: &Jurisdiction) -> &str {
    match j {
        Jurisdiction::Prc => "PRC",
        Jurisdiction::HongKong => "Hong Kong",
        Jurisdiction::Macau => "Macau",
        Jurisdiction::Taiwan => "Taiwan",
        Jurisdiction::Us => "United States",
        Jurisdiction::Uk => "United Kingdom",
        Jurisdiction::Eu => "EU member state",
        Jurisdiction::Singapore => "Singapore",
        Jurisdiction::Switzerland => "Switzerland",
        Jurisdiction::Japan => "Japan",
        Jurisdiction::Other(s) => s,
    }
}
