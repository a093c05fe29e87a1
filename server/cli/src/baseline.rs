//! Baselines: accept the findings a clause library already has, and report
//! only new ones. Entries are keyed on the file and a content fingerprint
//! (rule + normalised sentence), so they survive renumbering and moves.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::report::FileResult;

#[derive(Serialize, Deserialize, Debug, Default)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub fingerprint: String,
    /// For people reading the file; not part of the key.
    #[serde(default)]
    pub clause: Option<String>,
    #[serde(default)]
    pub excerpt: String,
}

pub fn from_results(results: &[FileResult]) -> Baseline {
    let mut entries = Vec::new();
    for r in results {
        for f in &r.findings {
            entries.push(Entry {
                path: r.path.clone(),
                code: f.code.clone(),
                fingerprint: f.fingerprint.clone(),
                clause: f.clause.clone(),
                excerpt: comity_workspace::outline::excerpt(f.sentence.text(&r.text), 120),
            });
        }
    }
    Baseline {
        version: 1,
        entries,
    }
}

pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
    let b: Baseline = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a Comity baseline: {e}", path.display()))?;
    if b.version != 1 {
        return Err(format!(
            "{}: baseline version {} is not supported",
            path.display(),
            b.version
        ));
    }
    Ok(b)
}

/// Drops findings recorded in the baseline, each entry matching at most one finding.
pub fn filter(results: &mut [FileResult], baseline: &Baseline) -> usize {
    let mut f = Filter::new(baseline);
    results.iter_mut().map(|r| f.apply(r)).sum()
}

/// Removes recorded findings file by file, each baseline entry once.
pub struct Filter {
    budget: HashMap<(String, String, String), usize>,
}

impl Filter {
    pub fn new(baseline: &Baseline) -> Filter {
        let mut budget: HashMap<(String, String, String), usize> = HashMap::new();
        for e in &baseline.entries {
            *budget
                .entry((e.path.clone(), e.code.clone(), e.fingerprint.clone()))
                .or_default() += 1;
        }
        Filter { budget }
    }

    /// Drops the findings of `r` that the baseline records; returns how many.
    pub fn apply(&mut self, r: &mut FileResult) -> usize {
        let mut removed = 0;
        r.findings.retain(|f| {
            let key = (r.path.clone(), f.code.clone(), f.fingerprint.clone());
            match self.budget.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    removed += 1;
                    false
                }
                _ => true,
            }
        });
        removed
    }
}
