//! The house rules that ARCHITECTURE.md states, checked on the tree itself: the pure build of
//! hexin-core depends on no SQLite, HTTP or async runtime, and no module imports, directly or
//! through others, a module that imports it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The crate names in `cargo tree -p hexin-core -e normal` with `args`.
fn core_dependencies(args: &[&str]) -> BTreeSet<String> {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "-p", "hexin-core", "-e", "normal", "--prefix", "none", "--format", "{p}"])
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().filter_map(|l| l.split_whitespace().next()).map(str::to_owned).collect()
}

const DEVICE_ONLY: [&str; 4] = ["rusqlite", "reqwest", "tokio", "hyper"];

#[test]
fn the_pure_core_builds_without_sqlite_http_or_tokio() {
    let pure = core_dependencies(&[]);
    assert!(pure.contains("image") && pure.contains("p256"), "{pure:?}");
    for name in DEVICE_ONLY {
        assert!(!pure.contains(name), "the default build of hexin-core pulls in {name}");
    }
    let device = core_dependencies(&["--features", "delivery"]);
    for name in DEVICE_ONLY {
        assert!(device.contains(name), "the delivery feature no longer needs {name}: update DEVICE_ONLY");
    }
}

#[test]
fn no_import_cycles_in_core_or_cli() {
    for (src, reexports) in [("core/src", CORE_REEXPORTS), ("cli/src", &[][..])] {
        let graph = module_graph(&root().join(src), reexports);
        assert!(graph.len() > 3, "{src}: no modules found");
        for depth in 1..=3 {
            let cycles = cycles(&collapse(&graph, depth));
            assert!(cycles.is_empty(), "{src}: import cycles between modules (depth {depth}): {cycles:?}");
        }
    }
}

/// Names hexin-core's root re-exports, and the module each comes from: `use crate::Report`
/// depends on `capture`.
const CORE_REEXPORTS: &[(&str, &str)] = &[
    ("Report", "capture"),
    ("Verdict", "capture"),
    ("Finding", "capture"),
    ("Metrics", "capture"),
    ("Output", "capture"),
    ("Code", "code"),
    ("Message", "code"),
    ("Severity", "code"),
    ("Error", "error"),
    ("FailureKind", "error"),
    ("MaterialKind", "material"),
    ("Policy", "policy"),
    ("Problem", "problem"),
];

/// Module path (`capture::intake`) → the modules its non-test code names through `crate::…`,
/// `super::…` or a root re-export. Comments are skipped; `#[cfg(test)]` ends a file's scan.
fn module_graph(src: &Path, reexports: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
    let files: Vec<(Vec<String>, String)> = rust_files(src)
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
                parts.pop();
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text
                .lines()
                .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            (parts, code)
        })
        .collect();
    let modules: BTreeSet<String> = files.iter().map(|(parts, _)| parts.join("::")).collect();
    // The longest prefix of `path` that is a module: `capture::intake::decode` → `capture::intake`.
    let module_of = |path: &str| {
        let segments: Vec<&str> = path.split("::").collect();
        (1..=segments.len()).rev().map(|n| segments[..n].join("::")).find(|m| modules.contains(m))
    };
    let mut graph = BTreeMap::new();
    for (parts, code) in &files {
        let parent = parts[..parts.len().saturating_sub(1)].join("::");
        let mut named: Vec<String> = paths_after(code, "crate::");
        named.extend(paths_after(code, "super::").into_iter().map(|p| if parent.is_empty() { p } else { format!("{parent}::{p}") }));
        // `use crate::{a, b::c}` names several paths at once.
        for group in code.split("crate::{").skip(1) {
            named.extend(group.split('}').next().unwrap_or("").split(',').map(|i| i.trim().to_string()));
        }
        let uses: BTreeSet<String> = named
            .iter()
            .filter_map(|path| match reexports.iter().find(|(name, _)| *name == path.split("::").next().unwrap_or("")) {
                Some((_, from)) => Some(from.to_string()),
                None => module_of(path),
            })
            .collect();
        graph.insert(parts.join("::"), uses);
    }
    graph
}

/// The `::`-joined path after each `prefix` (`crate::capture::intake::decode(` →
/// `capture::intake::decode`).
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    code.match_indices(prefix)
        .filter(|(i, _)| !code[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$'))
        .map(|(i, _)| {
            let rest = &code[i + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            rest[..end].trim_end_matches(':').to_string()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The graph between modules cut to `depth` path segments; edges inside one unit, and to the
/// crate root, are dropped.
fn collapse(graph: &BTreeMap<String, BTreeSet<String>>, depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let unit = |m: &str| m.split("::").take(depth).collect::<Vec<_>>().join("::");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in graph {
        for to in tos {
            let (a, b) = (unit(from), unit(to));
            if !a.is_empty() && !b.is_empty() && a != b && !b.starts_with(&format!("{a}::")) && !a.starts_with(&format!("{b}::")) {
                out.entry(a).or_default().insert(b);
            }
        }
    }
    out
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        for w in s.graph.get(v).into_iter().flatten() {
            if !s.index.contains_key(w.as_str()) {
                visit(s, w);
                let lw = s.low[w.as_str()];
                s.low.insert(v, s.low[v].min(lw));
            } else if s.stack.contains(&w.as_str()) {
                let iw = s.index[w.as_str()];
                s.low.insert(v, s.low[v].min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let at = s.stack.iter().position(|x| *x == v).unwrap();
            let component: Vec<String> = s.stack.drain(at..).map(str::to_owned).collect();
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut s = State { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: vec![], found: vec![] };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("policy", vec!["capture::rules"]),
        ("capture::rules", vec!["filing"]),
        ("filing", vec!["policy"]),
        ("package", vec!["policy"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    let found = cycles(&collapse(&graph, 1));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].iter().collect::<BTreeSet<_>>(), ["capture", "filing", "policy"].iter().map(|s| s.to_string()).collect::<BTreeSet<_>>().iter().collect());
    assert_eq!(paths_after("use crate::capture::intake::decode;", "crate::"), ["capture::intake::decode"]);
    assert_eq!(paths_after("$crate::out::write; use crate::{a, b};", "crate::"), Vec::<String>::new());
}
