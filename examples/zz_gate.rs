use comity::Span;
use comity::rules::RuleSet;
use std::collections::BTreeMap;
fn main() {
    let rules = RuleSet::builtin();
    let lx = &rules.lexicon;
    let dir = std::env::args().nth(1).unwrap();
    let mut combos: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let t = std::fs::read_to_string(&p).unwrap();
        let mut hits = Vec::new();
        lx.scan_triggers(&t, Span::new(0, t.len()), &mut hits);
        let mut groups: std::collections::BTreeSet<String> = hits
            .iter()
            .map(|h| match h.regime {
                Some(r) => format!("R:{}", lx.regimes[r as usize].country),
                None => lx.name(h.group).to_string(),
            })
            .collect();
        groups.insert(String::new());
        total += 1;
        *combos
            .entry(groups.into_iter().collect::<Vec<_>>().join(","))
            .or_default() += 1;
    }
    let mut v: Vec<_> = combos.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    for (k, n) in v.iter().take(40) {
        println!("{n:5} {k}");
    }
    println!("{total}");
}
