//! The workspace's layering (ARCHITECTURE.md), read from `cargo metadata`:
//! a dependency between crates that the architecture rules out fails here,
//! whatever the code compiles to.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Each crate of the workspace and the crates of the workspace it may
/// depend on (normal, build or dev dependencies alike). A crate missing from
/// this table fails the test, so that a new crate is placed on purpose.
const ALLOWED: &[(&str, &[&str])] = &[
    ("tree-sitter-contract", &[]),
    ("comity-text", &[]),
    ("comity-finding", &["comity-text"]),
    // The document model knows the grammar and text, nothing of rules.
    ("comity-document", &["comity-text", "tree-sitter-contract"]),
    // Rules never see a document: the engine brings the two together.
    ("comity-rules", &["comity-text", "comity-finding"]),
    (
        "comity-engine",
        &[
            "comity-text",
            "comity-finding",
            "comity-document",
            "comity-rules",
        ],
    ),
    (
        "comity-workspace",
        &[
            "comity-text",
            "comity-finding",
            "comity-document",
            "comity-rules",
            "comity-engine",
        ],
    ),
    // The two front ends are siblings: neither imports the other.
    (
        "comity-cli",
        &[
            "comity-text",
            "comity-finding",
            "comity-document",
            "comity-rules",
            "comity-engine",
            "comity-workspace",
        ],
    ),
    (
        "comity-lsp",
        &[
            "comity-text",
            "comity-finding",
            "comity-document",
            "comity-rules",
            "comity-engine",
            "comity-workspace",
        ],
    ),
    // The binary: dispatches to one front end or the other; its dev
    // dependencies are the integration tests', which may use any crate.
    ("comity", &["comity-cli", "comity-lsp"]),
];

/// Outside crates only one workspace crate may use.
const ONLY: &[(&str, &str)] = &[
    // Only the language server knows the protocol's types.
    ("tower-lsp-server", "comity-lsp"),
    ("lsp-types", "comity-lsp"),
    ("ls-types", "comity-lsp"),
    ("tokio", "comity-lsp"),
    // Only the command line parses arguments.
    ("clap", "comity-cli"),
];

struct Dep {
    name: String,
    dev: bool,
    workspace: bool,
}

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

/// Each workspace package's dependencies, by package name.
fn dependencies(meta: &Value) -> BTreeMap<String, Vec<Dep>> {
    let packages = meta["packages"].as_array().expect("packages");
    let members: BTreeSet<&str> = packages
        .iter()
        .map(|p| p["name"].as_str().expect("package name"))
        .collect();
    packages
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .map(|d| {
                    let name = d["name"].as_str().expect("dependency name").to_string();
                    Dep {
                        dev: d["kind"].as_str() == Some("dev"),
                        workspace: members.contains(name.as_str()),
                        name,
                    }
                })
                .collect();
            (p["name"].as_str().unwrap().to_string(), deps)
        })
        .collect()
}

/// The forbidden edges of a workspace's dependency table.
fn violations(deps: &BTreeMap<String, Vec<Dep>>) -> Vec<String> {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut bad = Vec::new();
    for (package, deps) in deps {
        let Some(ok) = allowed.get(package.as_str()) else {
            bad.push(format!(
                "{package}: a crate the layering table (tests/layering.rs, ARCHITECTURE.md) does not place"
            ));
            continue;
        };
        for d in deps {
            // The binary's dev dependencies are the integration tests'.
            if package == "comity" && d.dev {
                continue;
            }
            if d.workspace && !ok.contains(&d.name.as_str()) {
                bad.push(format!("{package} → {}: not allowed", d.name));
            }
            for (outside, owner) in ONLY {
                if d.name == *outside && package != owner {
                    bad.push(format!(
                        "{package} → {}: only {owner} may depend on it",
                        d.name
                    ));
                }
            }
        }
    }
    bad
}

#[test]
fn no_crate_depends_on_what_the_architecture_rules_out() {
    let deps = dependencies(&metadata());
    for (name, _) in ALLOWED {
        assert!(
            deps.contains_key(*name),
            "{name} is in the layering table but not in the workspace"
        );
    }
    let bad = violations(&deps);
    assert!(
        bad.is_empty(),
        "forbidden dependencies:\n{}",
        bad.join("\n")
    );
}

#[test]
fn forbidden_edges_are_reported() {
    let dep = |name: &str, dev: bool| Dep {
        name: name.to_string(),
        dev,
        workspace: name.starts_with("comity"),
    };
    let mut deps = BTreeMap::new();
    deps.insert(
        "comity-document".to_string(),
        vec![dep("comity-text", false), dep("comity-rules", true)],
    );
    deps.insert(
        "comity-rules".to_string(),
        vec![dep("comity-document", false)],
    );
    deps.insert("comity-cli".to_string(), vec![dep("comity-lsp", false)]);
    deps.insert("comity-engine".to_string(), vec![dep("clap", false)]);
    deps.insert(
        "comity-workspace".to_string(),
        vec![dep("tower-lsp-server", false)],
    );
    deps.insert("comity-new".to_string(), vec![]);
    deps.insert("comity".to_string(), vec![dep("comity-engine", true)]);
    let bad = violations(&deps);
    assert_eq!(
        bad,
        [
            "comity-cli → comity-lsp: not allowed",
            "comity-document → comity-rules: not allowed",
            "comity-engine → clap: only comity-cli may depend on it",
            "comity-new: a crate the layering table (tests/layering.rs, ARCHITECTURE.md) does not place",
            "comity-rules → comity-document: not allowed",
            "comity-workspace → tower-lsp-server: only comity-lsp may depend on it",
        ]
    );
}
