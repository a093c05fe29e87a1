//! Document-level facts the rules need (trigger words, tainted defined terms,
//! the PRC nexus) and the signals of one sentence.

use std::collections::HashSet;
use std::rc::Rc;

use comity_document::{ClauseId, DefinitionForm, Document, TermId, TermMatcher};
use comity_rules::lexicon::Hit;
use comity_rules::{CompiledDetect, GroupId, RuleSet};
use comity_text::Span;

use super::settings::{Nexus, Settings};

/// Ids of the groups the engine itself reasons with.
#[derive(Debug, Clone)]
pub struct Ids {
    pub us_law: GroupId,
    pub us_authority: GroupId,
    pub us_list: GroupId,
    pub un_list: GroupId,
    pub us_generic: GroupId,
    pub control_word: GroupId,
    pub sanctions_term: GroupId,
    pub chips: GroupId,
    pub vendors: GroupId,
    pub xinjiang: GroupId,
    pub sec889: GroupId,
    pub third_country: GroupId,
    pub po_target: GroupId,
    pub mandatory_law: GroupId,
    pub un: GroupId,
    pub negation: GroupId,
    pub self_only: GroupId,
    pub blocking_law: GroupId,
    pub blocking_eu: GroupId,
    pub blocking_waiver: GroupId,
    pub carve_out_words: GroupId,
    pub own_law: GroupId,
    pub permitted_by_law: GroupId,
    pub escalator: GroupId,
    pub adverse_action: GroupId,
    pub recital: GroupId,
    pub dcs: GroupId,
    pub commentary: GroupId,
    pub obligation: GroupId,
    pub prohibition: GroupId,
    pub defines_term: GroupId,
    pub us_nexus: GroupId,
    pub us_list_any: GroupId,
    pub chinese_target: GroupId,
    pub tainted_term: GroupId,
    pub unresolved_term: GroupId,
    pub un_only: GroupId,
    pub eccn: GroupId,
    pub non_us_regime: GroupId,
    pub back_ref: GroupId,
    pub description: GroupId,
    pub end_use: GroupId,
    pub news: GroupId,
    pub designation: GroupId,
    pub us_code: GroupId,
    pub covered: GroupId,
    pub chinese_ref: GroupId,
    pub list_word: GroupId,
}

impl Ids {
    pub fn for_rules(rules: &RuleSet) -> Ids {
        Ids::new(rules)
    }

    fn new(rules: &RuleSet) -> Ids {
        let l = &rules.lexicon;
        Ids {
            us_law: l.id("us_law"),
            us_authority: l.id("us_authority"),
            us_list: l.id("us_list"),
            un_list: l.id("un_list"),
            us_generic: l.id("us_generic"),
            control_word: l.id("control_word"),
            sanctions_term: l.id("sanctions_term"),
            chips: l.id("chips"),
            vendors: l.id("vendors"),
            xinjiang: l.id("xinjiang"),
            sec889: l.id("sec889"),
            third_country: l.id("third_country"),
            po_target: l.id("po_target"),
            mandatory_law: l.id("mandatory_law"),
            un: l.id("un"),
            negation: l.id("negation"),
            self_only: l.id("self_only"),
            blocking_law: l.id("blocking_law"),
            blocking_eu: l.id("blocking_eu"),
            blocking_waiver: l.id("blocking_waiver"),
            carve_out_words: l.id("carve_out_words"),
            own_law: l.id("own_law"),
            permitted_by_law: l.id("permitted_by_law"),
            escalator: l.id("escalator"),
            adverse_action: l.id("adverse_action"),
            recital: l.id("recital"),
            dcs: l.id("dcs"),
            commentary: l.id("commentary"),
            obligation: l.id("obligation"),
            prohibition: l.id("prohibition"),
            defines_term: l.id("defines_term"),
            us_nexus: l.id("us_nexus"),
            us_list_any: l.id("us_list_any"),
            chinese_target: l.id("chinese_target"),
            tainted_term: l.id("tainted_term"),
            unresolved_term: l.id("unresolved_term"),
            un_only: l.id("un_only"),
            eccn: l.id("eccn"),
            non_us_regime: l.id("non_us_regime"),
            back_ref: l.id("back_ref"),
            description: l.id("description"),
            end_use: l.id("end_use"),
            news: l.id("news"),
            designation: l.id("designation"),
            us_code: l.id("us_code"),
            covered: l.id("covered"),
            chinese_ref: l.id("chinese_ref"),
            list_word: l.id("list_word"),
        }
    }

    /// Groups that by themselves name a US measure.
    fn is_us_measure(&self, g: GroupId) -> bool {
        g == self.us_law || g == self.us_authority || g == self.us_list
    }
}

/// What a defined term's definition brings into the clauses that use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    /// The words in the definition that name the measure ("OFAC", "实体清单").
    pub regime: String,
    /// The definition names a US list of designated persons.
    pub lists: bool,
    /// The definition names PRC chips, vendors or Xinjiang.
    pub chinese: bool,
    /// The measure is only inferred from an undefined sanctions term.
    pub unresolved: bool,
}

/// Document-level facts for the engine.
#[derive(Debug)]
pub struct Analysis {
    pub ids: Ids,
    triggers: Vec<Hit>,
    pub taint: Vec<Option<Taint>>,
    /// Uses of tainted terms, by position.
    tainted_uses: Vec<(TermId, Span)>,
    unresolved: Vec<Span>,
    used: Vec<bool>,
    /// How often each defined term is used (outside its definition and the
    /// places that define it), in the analysed scope.
    pub use_counts: Vec<usize>,
    pub nexus: Nexus,
    fragment: bool,
    candidate_blocks: Vec<usize>,
    /// Whether "Party"/"Parties" is a defined or capitalised word in the text.
    pub party_capitalised: bool,
    /// Whether the draft calls itself "Agreement" anywhere.
    pub says_agreement: bool,
    /// Words looked up in the whole text (` Word `) and whether they occur:
    /// a re-lint must know which, to notice when an edit changes the answer.
    words: std::cell::RefCell<Vec<(String, bool)>>,
    /// Defined terms by name, built when a suggestion first needs it.
    term_index: std::cell::OnceCell<TermIndex>,
    /// The signal groups of the headings above each clause's sentences
    /// (its own and its ancestors'), worked out when a sentence under the
    /// clause is first linted: every sentence under a heading shares them.
    headings: std::cell::RefCell<std::collections::HashMap<ClauseId, Rc<[bool]>>>,
    /// Where each term that is not inline is defined, `(term start, term)`,
    /// sorted: finds the definitions a sentence makes without reading every
    /// definition of the draft for each sentence.
    defining_starts: std::cell::OnceCell<Vec<(usize, TermId)>>,
}

/// Lookups of defined terms by name, so that filling in a suggestion does
/// not read every definition of a draft that defines thousands.
#[derive(Debug, Default)]
pub struct TermIndex {
    /// Name → the first definition of that name that is not inline.
    pub first_named: std::collections::HashMap<String, usize>,
    /// The longest such name, in bytes.
    pub longest: usize,
    /// Every word of every defined term (any form).
    pub words: std::collections::HashSet<String>,
}

impl TermIndex {
    pub fn new(terms: &[comity_document::DefinedTerm]) -> TermIndex {
        let mut index = TermIndex::default();
        for (i, t) in terms.iter().enumerate() {
            index
                .words
                .extend(t.term.split_whitespace().map(str::to_string));
            if t.form != comity_document::DefinitionForm::Inline {
                index.first_named.entry(t.term.clone()).or_insert(i);
                index.longest = index.longest.max(t.term.len());
            }
        }
        index
    }
}

/// What a re-lint already knows about the whole document, so that a scoped
/// analysis need not read all of it.
pub struct Known {
    /// Which terms carry a US measure, when no definition changed.
    pub taint: Option<Vec<Option<Taint>>>,
    /// Whether each defined term is used anywhere.
    pub used: Vec<bool>,
    pub fragment_and_party: (bool, bool),
    pub says_agreement: bool,
    /// Words already looked up, still valid for the edited text.
    pub words: Vec<(String, bool)>,
}

/// How often each defined term is used among `occurrences` (sorted): not
/// where a term is defined, nor inside the term's own definition.
pub fn use_counts(
    terms: &[comity_document::DefinedTerm],
    occurrences: &[(TermId, Span)],
) -> Vec<usize> {
    let mut sites: Vec<Span> = terms.iter().map(|t| t.term_span).collect();
    sites.sort_by_key(|s| s.start);
    let longest = sites.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut counts = vec![0; terms.len()];
    for &(id, span) in occurrences {
        // Only sites starting less than `longest` before the use can reach it.
        let i = sites.partition_point(|s| s.start <= span.end);
        let at_site = sites[..i]
            .iter()
            .rev()
            .take_while(|d| d.start + longest >= span.start)
            .any(|d| d.overlaps(&span));
        if !at_site && !terms[id].definition_span.covers(&span) {
            counts[id] += 1;
        }
    }
    counts
}

/// The items of `items` (sorted by start) that start inside `span`.
fn starting_in<T>(items: &[T], span: Span, start: impl Fn(&T) -> usize) -> &[T] {
    let a = items.partition_point(|x| start(x) < span.start);
    let b = items.partition_point(|x| start(x) < span.end.max(span.start + 1));
    &items[a..b.max(a)]
}

/// The longest span in a list, for bounding a backward search.
fn longest<'a>(spans: impl Iterator<Item = &'a Span>) -> usize {
    spans.map(|s| s.len()).max().unwrap_or(0)
}

/// Whether any of `spans` (sorted by start, none longer than `max_len`)
/// overlaps `span`.
fn any_overlapping(spans: &[Span], max_len: usize, span: Span) -> bool {
    let i = spans.partition_point(|s| s.start <= span.end);
    spans[..i]
        .iter()
        .rev()
        .take_while(|d| d.start + max_len >= span.start)
        .any(|d| d.overlaps(&span))
}

fn slice_in(hits: &[Hit], span: Span) -> &[Hit] {
    let start = hits.partition_point(|h| h.span.start < span.start);
    let end = hits.partition_point(|h| h.span.start < span.end);
    &hits[start..end.max(start)]
}

impl Analysis {
    pub fn new(doc: &Document, rules: &RuleSet, settings: &Settings) -> Analysis {
        let matcher = TermMatcher::of_terms(doc.terms());
        Analysis::scoped(doc, rules, settings, None, &matcher, None)
    }

    /// An analysis limited to `scope` (plus the definitions, which decide
    /// which terms carry a US measure): only blocks in the scope are
    /// candidates. Used to re-lint the blocks an edit touched.
    pub fn scoped(
        doc: &Document,
        rules: &RuleSet,
        settings: &Settings,
        scope: Option<&[Span]>,
        all_terms: &TermMatcher,
        known: Option<Known>,
    ) -> Analysis {
        Analysis::scoped_with(doc, rules, settings, scope, all_terms, known, None)
    }

    /// [`Analysis::scoped`] over the whole document, with its trigger words
    /// already found by [`crate::prefilter`] (not scanned again).
    pub(crate) fn whole_with_triggers(
        doc: &Document,
        rules: &RuleSet,
        settings: &Settings,
        all_terms: &TermMatcher,
        triggers: Vec<Hit>,
    ) -> Analysis {
        Analysis::scoped_with(doc, rules, settings, None, all_terms, None, Some(triggers))
    }

    fn scoped_with(
        doc: &Document,
        rules: &RuleSet,
        settings: &Settings,
        scope: Option<&[Span]>,
        all_terms: &TermMatcher,
        known: Option<Known>,
        found: Option<Vec<Hit>>,
    ) -> Analysis {
        let ids = Ids::new(rules);
        let text = doc.text();
        let terms = doc.terms();
        let whole = [Span::new(0, text.len())];
        let (known_taint, known) = match known {
            Some(mut k) => (k.taint.take(), Some(k)),
            None => (None, None),
        };
        // Definitions are read too, for taint, unless it is already known.
        let definitions = terms
            .iter()
            .map(|t| t.definition_span)
            .filter(|_| known_taint.is_none());
        let mut spans: Vec<Span> = match scope {
            None => whole.to_vec(),
            Some(s) => s.iter().copied().chain(definitions).collect(),
        };
        spans.sort_by_key(|s| (s.start, s.end));
        let mut merged: Vec<Span> = Vec::new();
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        let mut triggers = match found {
            // Found over the whole text, which is then the one merged span.
            Some(found) if scope.is_none() => found,
            _ => {
                let mut triggers = Vec::new();
                for s in &merged {
                    rules.lexicon.scan_triggers(text, *s, &mut triggers);
                }
                triggers
            }
        };
        triggers.sort_by_key(|h| (h.span.start, h.span.end));
        triggers.dedup();

        // Every occurrence of every defined term (longest first).
        let occurrences: Vec<(TermId, Span)> = if terms.is_empty() {
            Vec::new()
        } else {
            let mut v: Vec<(TermId, Span)> = merged
                .iter()
                .flat_map(|s| all_terms.find(text, *s))
                .collect();
            v.sort_by_key(|(_, s)| (s.start, s.end));
            v.dedup();
            v
        };
        let defined: HashSet<&str> = terms.iter().map(|t| t.term.as_str()).collect();
        let defining_sites: Vec<Span> = terms.iter().map(|t| t.term_span).collect();

        // Sanctions-like terms that are not defined in the text.
        let mut unresolved: Vec<Span> = Vec::new();
        let st: Vec<&Hit> = triggers
            .iter()
            .filter(|h| h.group == ids.sanctions_term)
            .collect();
        let st_spans: Vec<Span> = st.iter().map(|h| h.span).collect();
        let st_longest = longest(st_spans.iter());
        let occ_spans: Vec<Span> = occurrences.iter().map(|(_, s)| *s).collect();
        let occ_longest = longest(occ_spans.iter());
        for h in &st {
            let covered_by_longer = {
                let i = st_spans.partition_point(|s| s.start <= h.span.start);
                st_spans[..i]
                    .iter()
                    .rev()
                    .take_while(|o| o.start + st_longest >= h.span.start)
                    .any(|o| *o != h.span && o.covers(&h.span))
            };
            // Part of a longer name found by another group ("Sanctions and
            // Anti-Money Laundering Act 2018", a regime's own title).
            let covered_by_longer = covered_by_longer
                || slice_in(
                    &triggers,
                    Span::new(h.span.start.saturating_sub(80), h.span.start + 1),
                )
                .iter()
                .any(|o| {
                    o.group != ids.sanctions_term && o.span != h.span && o.span.covers(&h.span)
                });
            let inside_defined = any_overlapping(&occ_spans, occ_longest, h.span);
            let word = h.span.text(text);
            let singular = word.strip_suffix('s').unwrap_or(word);
            if !covered_by_longer
                && !inside_defined
                && !defined.contains(word)
                && !defined.contains(singular)
            {
                unresolved.push(h.span);
            }
        }
        // A term defined without quote marks ("Sanctioned Entity means …")
        // is read from its definition: one that names no US measure keeps
        // every use of the word from counting as one.
        let mut not_us: Vec<&str> = Vec::new();
        for s in &unresolved {
            if let Some(def) = bare_definition(text, *s) {
                let names_us = slice_in(&triggers, def)
                    .iter()
                    .any(|h| ids.is_us_measure(h.group) || h.group == ids.us_generic);
                if !names_us {
                    not_us.push(s.text(text));
                }
            }
        }
        // An undefined Chinese "restricted party" term (受限制方) counts as a
        // US measure only in a text that names the US somewhere; sanctions
        // terms ("Sanctioned Person", 受制裁方) are read as US-inclusive, as
        // lenders write them.
        let mut names_us: Option<bool> = None;
        unresolved.retain(|s| {
            let word = s.text(text);
            if not_us.contains(&word) {
                return false;
            }
            // 受制裁方 reads like "Sanctioned Person"; 受限制方 ("restricted
            // party") names no one's measure until the text names the US.
            if word.is_ascii() || word.contains("制裁") {
                return true;
            }
            *names_us.get_or_insert_with(|| text_names_us(text))
        });

        let taint = match known_taint {
            Some(t) => t,
            None => Analysis::taint(doc, rules, &ids, &triggers, &unresolved, &occurrences),
        };

        let use_counts = use_counts(terms, &occurrences);
        let mut sites = defining_sites.clone();
        sites.sort_by_key(|s| s.start);
        let sites_longest = longest(sites.iter());
        let mut tainted_uses = Vec::new();
        for &(id, span) in &occurrences {
            if any_overlapping(&sites, sites_longest, span) {
                continue;
            }
            if taint[id].is_some() && !qualified_by_other_regime(text, span) {
                tainted_uses.push((id, span));
            }
        }

        let in_scope = |o: usize| {
            scope.is_none_or(|sc| {
                sc.iter()
                    .any(|s| s.start <= o && o < s.end.max(s.start + 1))
            })
        };
        let mut blocks: Vec<usize> = triggers
            .iter()
            .map(|h| h.span.start)
            .chain(tainted_uses.iter().map(|(_, s)| s.start))
            .chain(unresolved.iter().map(|s| s.start))
            .filter(|&o| in_scope(o))
            .filter_map(|o| doc.block_at(o))
            .collect();
        blocks.sort_unstable();
        blocks.dedup();

        let (used, (fragment, party_capitalised), says_agreement, words) = match known {
            Some(k) => (k.used, k.fragment_and_party, k.says_agreement, k.words),
            None => (
                use_counts.iter().map(|&n| n > 0).collect(),
                Analysis::fragment_and_party(doc),
                memchr::memmem::find(text.as_bytes(), b"Agreement").is_some(),
                Vec::new(),
            ),
        };
        Analysis {
            use_counts,
            ids,
            triggers,
            taint,
            tainted_uses,
            unresolved,
            used,
            nexus: settings.profile.prc_nexus(doc),
            fragment,
            candidate_blocks: blocks,
            party_capitalised,
            says_agreement,
            words: std::cell::RefCell::new(words),
            term_index: std::cell::OnceCell::new(),
            headings: Default::default(),
            defining_starts: std::cell::OnceCell::new(),
        }
    }

    /// Taint: definitions that name a US measure, directly or through another term.
    fn taint(
        doc: &Document,
        rules: &RuleSet,
        ids: &Ids,
        triggers: &[Hit],
        unresolved: &[Span],
        occurrences: &[(TermId, Span)],
    ) -> Vec<Option<Taint>> {
        let text = doc.text();
        let terms = doc.terms();
        let mut taint: Vec<Option<Taint>> = vec![None; terms.len()];
        for (i, t) in terms.iter().enumerate() {
            if t.form == DefinitionForm::Inline && !looks_like_sanctions_term(&t.term) {
                continue;
            }
            let hits: Vec<&Hit> = slice_in(triggers, t.definition_span)
                .iter()
                .filter(|h| !t.term_span.overlaps(&h.span))
                .collect();
            let direct = direct_taint(ids, text, &hits, &rules.lexicon.regimes)
                .or_else(|| authority_taint(ids, text, &t.term, &hits));
            // An undefined sanctions word in a definition that names another
            // jurisdiction's lists (SECO, the EU) is that jurisdiction's.
            taint[i] = direct.or_else(|| {
                if names_other_regime(rules, ids, text, t.definition_span) {
                    return None;
                }
                starting_in(unresolved, t.definition_span, |s| s.start)
                    .iter()
                    .find(|s| t.definition_span.covers(s) && !t.term_span.overlaps(s))
                    .map(|s| Taint {
                        regime: s.text(text).to_string(),
                        lists: false,
                        chinese: false,
                        unresolved: true,
                    })
            });
        }
        for _ in 0..4 {
            let mut changed = false;
            for (i, t) in terms.iter().enumerate() {
                if taint[i].is_some()
                    || (t.form == DefinitionForm::Inline && !looks_like_sanctions_term(&t.term))
                {
                    continue;
                }
                let inherited = starting_in(occurrences, t.definition_span, |(_, s)| s.start)
                    .iter()
                    .filter(|(j, s)| {
                        *j != i && t.definition_span.covers(s) && !t.term_span.overlaps(s)
                    })
                    .find_map(|(j, _)| taint[*j].clone().map(|tt| (j, tt)));
                if let Some((j, tt)) = inherited {
                    taint[i] = Some(Taint {
                        regime: format!("“{}”", terms[*j].term),
                        ..tt
                    });
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }

        taint
    }

    /// The document's defined terms by name.
    pub fn term_index(&self, doc: &Document) -> &TermIndex {
        self.term_index.get_or_init(|| TermIndex::new(doc.terms()))
    }

    /// Whether ` word ` (with a space either side) occurs anywhere in the text.
    pub fn text_has_word(&self, text: &str, word: &str) -> bool {
        if let Some((_, has)) = self.words.borrow().iter().find(|(w, _)| w == word) {
            return *has;
        }
        let has = memchr::memmem::find(text.as_bytes(), format!(" {word} ").as_bytes()).is_some();
        self.words.borrow_mut().push((word.to_string(), has));
        has
    }

    /// The words looked up so far with [`Analysis::text_has_word`].
    pub fn words(&self) -> Vec<(String, bool)> {
        self.words.borrow().clone()
    }

    /// Whether the text is a fragment (one clause, a clause-library entry)
    /// and whether it spells "Party" with a capital.
    pub fn fragment_and_party(doc: &Document) -> (bool, bool) {
        let text = doc.text();
        let defined = |w: &str| doc.terms().iter().any(|t| t.term == w);
        let fragment = doc.clauses().len() <= 1 && doc.blocks().len() <= 3;
        let party = defined("Party")
            || defined("Parties")
            || text.contains("the Parties")
            || text.contains("each Party")
            || text.contains("Each Party");
        (fragment, party)
    }

    /// The trigger hits of one group, in order.
    pub fn hits_of(&self, group: GroupId) -> impl Iterator<Item = &Hit> + '_ {
        self.triggers.iter().filter(move |h| h.group == group)
    }

    pub fn candidate_blocks(&self) -> impl Iterator<Item = usize> + '_ {
        self.candidate_blocks.iter().copied()
    }

    pub fn is_fragment(&self) -> bool {
        self.fragment
    }

    pub fn term_used_operatively(&self, term: TermId) -> bool {
        self.used.get(term).copied().unwrap_or(false)
    }

    pub fn has_trigger_in(&self, span: Span) -> bool {
        !slice_in(&self.triggers, span).is_empty()
            || starting_in(&self.tainted_uses, span, |(_, s)| s.start)
                .iter()
                .any(|(_, s)| span.covers(s))
            || starting_in(&self.unresolved, span, |s| s.start)
                .iter()
                .any(|s| span.covers(s))
    }

    /// The signals of one sentence of block `b`.
    pub fn signals(&self, doc: &Document, rules: &RuleSet, b: usize, sentence: Span) -> Signals {
        let ids = self.ids.clone();
        let text = doc.text();
        let n = rules.lexicon.group_count();
        let mut first: Vec<Option<Span>> = vec![None; n];
        let mut hits: Vec<Hit> = slice_in(&self.triggers, sentence)
            .iter()
            .filter(|h| sentence.covers(&h.span))
            .copied()
            .collect();
        let n_trigger = hits.len();
        rules.lexicon.scan_context(text, sentence, &mut hits);
        // A context word inside the name of a list is part of the name, not of
        // the sentence: "Blocked" in "Blocked Persons List", 拒绝 in
        // 拒绝往来人员清单, "End-User" in "Military End-User List".
        let list_names: Vec<Span> = hits[..n_trigger]
            .iter()
            .filter(|h| {
                h.regime.is_some_and(|r| {
                    rules.lexicon.regimes[r as usize].kind == comity_rules::schema::RegimeKind::List
                })
            })
            .map(|h| h.span)
            .collect();
        if !list_names.is_empty() {
            // Sorted by start (the trigger hits are); only names starting
            // at most the longest name's length before a word can cover it.
            let longest_name = longest(list_names.iter());
            let context = hits.split_off(n_trigger);
            hits.extend(context.into_iter().filter(|h| {
                let i = list_names.partition_point(|l| l.start <= h.span.start);
                !list_names[..i]
                    .iter()
                    .rev()
                    .take_while(|l| l.start + longest_name >= h.span.end)
                    .any(|l| l.covers(&h.span) && *l != h.span)
            }));
        }
        let mark = |g: GroupId, s: Span, first: &mut Vec<Option<Span>>| {
            if first[g].is_none_or(|f| s.start < f.start) {
                first[g] = Some(s);
            }
        };
        for h in &hits {
            mark(h.group, h.span, &mut first);
        }
        // Derived: US nexus and its sources.
        let mut nexus_spans: Vec<Span> = Vec::new();
        let mut regime: Option<String> = None;
        let mut list_chinese = false;
        // The US Government as such (a customer, a grantor of "restricted
        // rights") is a measure only where the sentence speaks of sanctions,
        // export controls, lists or designations.
        let measure_context = [ids.control_word, ids.designation, ids.us_list, ids.end_use]
            .iter()
            .any(|&g| first[g].is_some());
        for h in &hits {
            let bare_government = h
                .regime
                .is_some_and(|r| rules.lexicon.regimes[r as usize].id == "us-government")
                && {
                    let w =
                        comity_rules::script::to_simplified(h.span.text(text)).to_ascii_lowercase();
                    w.ends_with("government") || w.starts_with("government") || w == "美国政府"
                };
            if ids.is_us_measure(h.group) && (!bare_government || measure_context) {
                nexus_spans.push(h.span);
                regime.get_or_insert_with(|| h.span.text(text).to_string());
                if h.group == ids.us_list {
                    mark(ids.us_list_any, h.span, &mut first);
                    if h.regime
                        .is_some_and(|r| rules.lexicon.regimes[r as usize].targets_chinese_persons)
                    {
                        list_chinese = true;
                    }
                }
            }
        }
        // An export classification number (5D002, EAR99) places the item
        // under the EAR; Section 889 and the UFLPA are US law.
        for g in [ids.eccn, ids.sec889] {
            if let Some(s) = first[g] {
                nexus_spans.push(s);
                regime.get_or_insert_with(|| s.text(text).to_string());
            }
        }
        // A US Code citation ("10 U.S.C. 4875") with a country or a control
        // word: a US statute restricting trade.
        if let Some(s) = first[ids.us_code]
            && [
                ids.control_word,
                ids.third_country,
                ids.chinese_ref,
                ids.covered,
            ]
            .iter()
            .any(|&g| first[g].is_some())
        {
            nexus_spans.push(s);
            regime.get_or_insert_with(|| s.text(text).to_string());
        }
        // "U.S." close to an export-control or sanctions word.
        let generic: Vec<Span> = hits
            .iter()
            .filter(|h| h.group == ids.us_generic)
            .map(|h| h.span)
            .collect();
        let mut control: Vec<Span> = hits
            .iter()
            .filter(|h| h.group == ids.control_word)
            .map(|h| h.span)
            .collect();
        control.sort_by_key(|c| c.start);
        let control_longest = longest(control.iter());
        let mut generic_nexus: Vec<Span> = Vec::new();
        for g in &generic {
            // The first control word (in text order) within 120 bytes.
            let from = control.partition_point(|c| c.start + control_longest + 120 < g.start);
            if let Some(c) = control[from..]
                .iter()
                .take_while(|c| c.start <= g.end + 120)
                .find(|c| gap(g, c) <= 120)
            {
                let s = g.union(c);
                nexus_spans.push(s);
                generic_nexus.push(s);
                regime.get_or_insert_with(|| s.text(text).to_string());
            }
        }
        // A list kept by a US authority or "the U.S. government" is a US list
        // of designated persons, named or not.
        if let Some(list) = first[ids.list_word]
            && hits.iter().any(|h| {
                (h.group == ids.us_authority || h.group == ids.us_generic)
                    && gap(&h.span, &list) <= 120
            })
        {
            mark(ids.us_list_any, list, &mut first);
        }
        let mut via_term: Option<TermId> = None;
        for (id, s) in starting_in(&self.tainted_uses, sentence, |(_, s)| s.start)
            .iter()
            .filter(|(_, s)| sentence.covers(s))
        {
            mark(ids.tainted_term, *s, &mut first);
            nexus_spans.push(*s);
            let t = self.taint[*id].as_ref().expect("tainted uses have a taint");
            if regime.is_none() {
                via_term = Some(*id);
                regime = Some(format!("“{}”", doc.terms()[*id].term));
            }
            if t.lists {
                mark(ids.us_list_any, *s, &mut first);
                list_chinese = true;
            }
            if t.chinese {
                mark(ids.chinese_target, *s, &mut first);
            }
        }
        let mut unresolved_only = false;
        for s in starting_in(&self.unresolved, sentence, |s| s.start)
            .iter()
            .filter(|s| sentence.covers(s))
        {
            mark(ids.unresolved_term, *s, &mut first);
            if regime.is_none() {
                unresolved_only = true;
                regime = Some(format!("“{}”", s.text(text)));
            }
            nexus_spans.push(*s);
            mark(ids.us_list_any, *s, &mut first);
        }
        let strong_nexus = hits
            .iter()
            .any(|h| h.group == ids.us_law || h.group == ids.us_authority)
            || first[ids.eccn].is_some()
            || first[ids.sec889].is_some()
            || first[ids.tainted_term].is_some()
            || !generic_nexus.is_empty();
        for s in &nexus_spans {
            mark(ids.us_nexus, *s, &mut first);
        }
        let prc_present = !matches!(self.nexus, Nexus::Absent(_));
        if list_chinese
            && prc_present
            && let Some(s) = first[ids.us_list_any]
        {
            mark(ids.chinese_target, s, &mut first);
        }
        for g in [ids.chips, ids.vendors, ids.xinjiang, ids.po_target] {
            if let Some(s) = first[g] {
                mark(ids.chinese_target, s, &mut first);
            }
        }
        if (first[ids.un].is_some() || first[ids.un_list].is_some())
            && first[ids.us_nexus].is_none()
        {
            let s = first[ids.un].or(first[ids.un_list]).unwrap();
            mark(ids.un_only, s, &mut first);
        }
        // Definitions made in this sentence.
        let defined_here = starting_in(self.defining_starts(doc), sentence, |&(s, _)| s)
            .iter()
            .filter(|&&(_, t)| sentence.covers(&doc.terms()[t].term_span))
            .map(|&(_, t)| t)
            .min();
        if let Some(t) = defined_here {
            mark(ids.defines_term, doc.terms()[t].term_span, &mut first);
        }
        // The headings above the sentence, for rules that look at them.
        let heading = match doc.clause_of_block(b) {
            Some(c) => self.headings_above(doc, rules, c),
            None => vec![false; n].into(),
        };
        Signals {
            ids,
            first,
            heading,
            regime,
            via_term,
            unresolved_only,
            defined_here,
            sentence,
            strong_nexus,
        }
    }

    fn defining_starts(&self, doc: &Document) -> &[(usize, TermId)] {
        self.defining_starts.get_or_init(|| {
            let mut v: Vec<(usize, TermId)> = doc
                .terms()
                .iter()
                .enumerate()
                .filter(|(_, t)| t.form != DefinitionForm::Inline)
                .map(|(i, t)| (t.term_span.start, i))
                .collect();
            v.sort_unstable();
            v
        })
    }

    /// The groups of clause `c`'s heading and its ancestors' headings, as a
    /// flag per group. Cached per clause; a clause's set is its parent's
    /// plus its own heading's.
    fn headings_above(&self, doc: &Document, rules: &RuleSet, c: ClauseId) -> Rc<[bool]> {
        if let Some(h) = self.headings.borrow().get(&c) {
            return h.clone();
        }
        let clause = &doc.clauses()[c];
        let mut flags: Vec<bool> = match clause.parent {
            Some(p) => self.headings_above(doc, rules, p).to_vec(),
            None => vec![false; rules.lexicon.group_count()],
        };
        if let Some(hs) = clause.heading_span {
            for g in heading_groups(rules, doc.text(), hs) {
                flags[g] = true;
            }
        }
        let flags: Rc<[bool]> = flags.into();
        self.headings.borrow_mut().insert(c, flags.clone());
        flags
    }
}

/// Whether a term's occurrence names another regime's measures
/// ("联合国安理会制裁", "UN Sanctions", "EU sanctions"), and so is not a use
/// of the defined term.
fn qualified_by_other_regime(text: &str, span: Span) -> bool {
    let before: String = text[..span.start]
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let before = comity_rules::script::to_simplified(before.trim_end()).into_owned();
    [
        "联合国",
        "安理会",
        "欧盟",
        "英国",
        "中国",
        "我国",
        "UN",
        "U.N.",
        "EU",
        "UK",
        "PRC",
        "United Nations",
        "Security Council",
    ]
    .iter()
    .any(|q| before.ends_with(q))
}

/// Whether an inline-defined term reads like a sanctions term (`(the "Sanctions Laws")`).
fn looks_like_sanctions_term(term: &str) -> bool {
    let t = term.to_lowercase();
    [
        "sanction",
        "export",
        "trade control",
        "restricted",
        "embargo",
        "制裁",
        "出口管制",
        "受限制",
    ]
    .iter()
    .any(|k| t.contains(k))
}

/// Whether `span` names the export-control or sanctions law of a
/// jurisdiction other than the US.
fn names_other_regime(rules: &RuleSet, ids: &Ids, text: &str, span: Span) -> bool {
    let mut hits = Vec::new();
    rules.lexicon.scan_context(text, span, &mut hits);
    hits.iter().any(|h| h.group == ids.non_us_regime)
}

/// A definition by an authority list that includes the US: "Sanctioning
/// Authority" means the UN, the EU, the UK, the United States…; the term
/// then carries the US measure into every clause that uses it.
fn authority_taint(ids: &Ids, text: &str, term: &str, hits: &[&Hit]) -> Option<Taint> {
    let t = term.to_lowercase();
    let sanctions_like = looks_like_sanctions_term(term)
        || ["authorit", "list", "regime", "机构", "当局", "清单", "名单"]
            .iter()
            .any(|k| t.contains(k));
    if !sanctions_like {
        return None;
    }
    let us = hits.iter().find(|h| h.group == ids.us_generic)?;
    Some(Taint {
        regime: us.span.text(text).to_string(),
        lists: false,
        chinese: false,
        unresolved: false,
    })
}

/// The definition a term at `span` makes without quote marks ("Sanctioned
/// Entity means …", 受限制方是指…): the rest of its sentence.
fn bare_definition(text: &str, span: Span) -> Option<Span> {
    let after = &text[span.end..];
    let rest = after.trim_start_matches(['"', '”', '’', '\'', ' ']);
    let lead = [
        "means",
        "shall mean",
        "has the meaning",
        "refers to",
        "是指",
        "系指",
        "指",
    ];
    let word = lead.iter().find(|w| rest.starts_with(*w))?;
    let start = span.end + (after.len() - rest.len()) + word.len();
    let tail = &text[start..];
    let end = tail
        .find(". ")
        .or_else(|| tail.find(".\n"))
        .or_else(|| tail.find('。'))
        .or_else(|| tail.find("\n\n"))
        .unwrap_or(tail.len().min(1000));
    Some(Span::new(start, start + end))
}

/// Whether the text names the United States anywhere.
fn text_names_us(text: &str) -> bool {
    [
        "美国",
        "美國",
        "U.S.",
        "United States",
        "OFAC",
        "EAR",
        "ITAR",
        "USA",
    ]
    .iter()
    .any(|w| memchr::memmem::find(text.as_bytes(), w.as_bytes()).is_some())
}

fn gap(a: &Span, b: &Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

fn direct_taint(
    ids: &Ids,
    text: &str,
    hits: &[&Hit],
    regimes: &[comity_rules::lexicon::RegimeInfo],
) -> Option<Taint> {
    let mut regime: Option<String> = None;
    let mut lists = false;
    let mut chinese = false;
    for h in hits {
        if ids.is_us_measure(h.group) {
            regime.get_or_insert_with(|| h.span.text(text).to_string());
            if h.group == ids.us_list
                && h.regime
                    .is_some_and(|r| regimes[r as usize].targets_chinese_persons)
            {
                lists = true;
            }
        }
        if h.group == ids.chips || h.group == ids.vendors || h.group == ids.xinjiang {
            regime.get_or_insert_with(|| h.span.text(text).to_string());
            chinese = true;
        }
    }
    if regime.is_none() {
        let generic = hits.iter().find(|h| h.group == ids.us_generic);
        let control = hits.iter().find(|h| h.group == ids.control_word);
        if let (Some(g), Some(c)) = (generic, control)
            && gap(&g.span, &c.span) <= 160
        {
            regime = Some(g.span.union(&c.span).text(text).to_string());
        }
    }
    regime.map(|regime| Taint {
        regime,
        lists,
        chinese,
        unresolved: false,
    })
}

/// The signal groups a clause heading (`span` of `text`) puts on every
/// sentence under it: the lexicon's words and patterns in it, and
/// `recital` for a heading that names the recitals. Sorted, without repeats.
pub(crate) fn heading_groups(rules: &RuleSet, text: &str, span: Span) -> Vec<GroupId> {
    let mut hits = Vec::new();
    rules.lexicon.scan_context(text, span, &mut hits);
    rules.lexicon.scan_triggers(text, span, &mut hits);
    let mut groups: Vec<GroupId> = hits.into_iter().map(|h| h.group).collect();
    let h = comity_rules::script::to_simplified(span.text(text)).to_lowercase();
    if ["recital", "background", "whereas", "鉴于", "背景", "序言"]
        .iter()
        .any(|k| h.contains(k))
    {
        groups.push(rules.lexicon.id("recital"));
    }
    groups.sort_unstable();
    groups.dedup();
    groups
}

/// The signals found in one sentence.
#[derive(Debug, Clone)]
pub struct Signals {
    pub ids: Ids,
    /// The first match of each group in the sentence.
    first: Vec<Option<Span>>,
    /// Groups present in the headings above the sentence.
    heading: Rc<[bool]>,
    /// The words naming the foreign measure, for messages.
    pub regime: Option<String>,
    /// The defined term through which the measure comes, if no other word names it.
    pub via_term: Option<TermId>,
    /// The measure comes only from an undefined sanctions term.
    pub unresolved_only: bool,
    defined_here: Option<TermId>,
    pub sentence: Span,
    /// The US measure is named as a US law, authority, classification or
    /// defined term, not only by a list name other jurisdictions also use
    /// ("Entity List", 实体名单) or an undefined sanctions term.
    pub strong_nexus: bool,
}

impl Signals {
    pub fn has(&self, g: GroupId) -> bool {
        self.first[g].is_some()
    }

    /// Marks group `g` as found at `span` (words the sentence takes from
    /// its context: a list's lead-in, a measure named earlier).
    pub fn inherit(&mut self, g: GroupId, span: Span) {
        if self.first[g].is_none() {
            self.first[g] = Some(span);
        }
    }

    /// Every group present in the sentence with its first match (for `comity trace`).
    pub fn present(&self) -> impl Iterator<Item = (GroupId, Span)> + '_ {
        self.first
            .iter()
            .enumerate()
            .filter_map(|(g, s)| s.map(|s| (g, s)))
    }

    pub fn span_of(&self, g: GroupId) -> Option<Span> {
        self.first[g]
    }

    pub fn in_heading(&self, g: GroupId) -> bool {
        self.heading[g]
    }

    pub fn defined_here(&self) -> Option<TermId> {
        self.defined_here
    }

    /// Whether anything in the sentence could make it a finding at all.
    pub fn nexus_candidate(&self) -> bool {
        let i = &self.ids;
        [
            i.us_nexus,
            i.chips,
            i.vendors,
            i.xinjiang,
            i.sec889,
            i.third_country,
            i.po_target,
            i.mandatory_law,
        ]
        .iter()
        .any(|&g| self.has(g))
    }

    /// The §7 patterns that keep a sentence from being a finding, with the reason.
    pub fn suppressed_globally(&self) -> Option<&'static str> {
        let i = &self.ids;
        // A recital describes; one that goes on to bind a party ("鉴于……，
        // 受资助方承诺不得……") is operative after all.
        if (self.has(i.recital) || self.heading[i.recital]) && !self.has(i.prohibition) {
            return Some("recital or background: describes, does not bind");
        }
        if self.has(i.commentary) {
            return Some("commentary about the law, not contract wording");
        }
        if self.has(i.negation) {
            return Some("disclaims an obligation rather than imposing one");
        }
        if self.has(i.self_only) {
            return Some("a party restricts only its own conduct");
        }
        // A waiver of the law's remedies is not a carve-out (issue 21).
        // … and a bare mention of it is not one either.
        if self.has(i.blocking_law) && !self.has(i.blocking_waiver) && self.has(i.carve_out_words) {
            return Some("carved out for the PRC Anti-Foreign Sanctions Law or Blocking Rules");
        }
        if self.has(i.un_only) && !self.has(i.third_country) && !self.has(i.chips) {
            return Some("names only UN Security Council measures, which China implements");
        }
        if self.has(i.dcs) {
            return Some("a statutory shipping-document legend");
        }
        if self.has(i.news) {
            return Some(
                "news, questions and answers or guidance: describes measures, binds no one",
            );
        }
        if self.has(i.non_us_regime)
            && (!self.has(i.us_nexus) || !self.strong_nexus)
            && !self.has(i.us_generic)
            && !self.has(i.po_target)
        {
            return Some(
                "names only the export-control or sanctions law of a jurisdiction other than the US",
            );
        }
        None
    }

    /// The spans that satisfy a detection alternative, if it matches.
    pub fn satisfies(&self, d: &CompiledDetect) -> Option<Vec<Span>> {
        if d.none.iter().any(|&g| self.has(g)) {
            return None;
        }
        let mut spans = Vec::new();
        for alts in &d.all {
            let found = alts
                .iter()
                .filter_map(|&g| self.first[g])
                .min_by_key(|s| s.start)?;
            spans.push(found);
        }
        if !d.heading.is_empty() && !d.heading.iter().any(|&g| self.heading[g] || self.has(g)) {
            return None;
        }
        Some(spans)
    }
}
