//! Components: the parts a repository declares in its workspace manifests
//! (Cargo workspace members and packages, npm/yarn/pnpm workspaces,
//! pyproject.toml projects, go.mod modules), else its top-level source
//! folders. Each file belongs to the deepest component holding it; files
//! outside every component belong to `root`. Each component knows its
//! languages, lines, entry points, the other components it depends on
//! (Cargo path dependencies, npm dependencies naming a workspace package)
//! and what it says it is for (see `intent`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::files::FileMeasure;

/// One component.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Component {
    pub name: String,
    /// Its folder, relative to the work tree (`.` for the root).
    pub path: String,
    /// `cargo`, `npm`, `python`, `go`, `folder` or `root`.
    pub kind: String,
    pub files: u64,
    pub code: u64,
    pub comments: u64,
    pub blanks: u64,
    pub complexity: u64,
    /// Lines of code by language, largest first.
    pub languages: Vec<(String, u64)>,
    pub entry_points: Vec<String>,
    pub depends_on: Vec<String>,
    /// What it is for, and where that was read.
    pub purpose: Option<String>,
    pub purpose_source: Option<String>,
}

/// A declared component before files are assigned.
#[derive(Debug, Clone)]
struct Declared {
    name: String,
    path: String,
    kind: &'static str,
    /// Names of the packages it depends on (resolved to components later).
    deps: Vec<String>,
    /// Paths of path dependencies, relative to the work tree.
    path_deps: Vec<String>,
    entry_points: Vec<String>,
    description: Option<(String, String)>,
}

fn read_toml(path: &Path) -> Option<toml::Table> {
    std::fs::read_to_string(path)
        .ok()?
        .parse::<toml::Table>()
        .ok()
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// `a/b/../c` → `a/c`; `.` for empty.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

fn join(dir: &str, rel: &str) -> String {
    if dir == "." {
        normalise(rel)
    } else {
        normalise(&format!("{dir}/{rel}"))
    }
}

/// Expand a workspace member pattern (`crates/*`, `packages/**`) to the
/// folders under `root` that hold `manifest`.
fn expand(root: &Path, pattern: &str, manifest: &str) -> Vec<String> {
    let pattern = normalise(pattern.trim_end_matches('/'));
    let Some(star) = pattern.find('*') else {
        return if root.join(&pattern).join(manifest).is_file() {
            vec![pattern]
        } else {
            Vec::new()
        };
    };
    let base = pattern[..star].trim_end_matches('/');
    let base = if base.is_empty() { "." } else { base };
    let Ok(entries) = std::fs::read_dir(root.join(base)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().join(manifest).is_file())
        .map(|e| join(base, &e.file_name().to_string_lossy()))
        .collect();
    out.sort();
    out
}

fn cargo_package(root: &Path, dir: &str) -> Option<Declared> {
    let t = read_toml(&root.join(dir).join("Cargo.toml"))?;
    let pkg = t.get("package")?.as_table()?;
    let name = pkg.get("name")?.as_str()?.to_string();
    let mut deps = Vec::new();
    let mut path_deps = Vec::new();
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(d) = t.get(section).and_then(|d| d.as_table()) {
            for (dep, spec) in d {
                deps.push(dep.clone());
                if let Some(p) = spec.get("path").and_then(|p| p.as_str()) {
                    path_deps.push(join(dir, p));
                }
            }
        }
    }
    let mut entry_points = Vec::new();
    for f in ["src/main.rs", "src/lib.rs"] {
        if root.join(dir).join(f).is_file() {
            entry_points.push(join(dir, f));
        }
    }
    if let Some(bins) = t.get("bin").and_then(|b| b.as_array()) {
        for b in bins {
            if let Some(p) = b.get("path").and_then(|p| p.as_str()) {
                entry_points.push(join(dir, p));
            }
        }
    }
    let description = pkg
        .get("description")
        .and_then(|d| d.as_str())
        .map(|d| (d.trim().to_string(), join(dir, "Cargo.toml")));
    Some(Declared {
        name,
        path: dir.to_string(),
        kind: "cargo",
        deps,
        path_deps,
        entry_points,
        description,
    })
}

fn npm_package(root: &Path, dir: &str) -> Option<Declared> {
    let v = read_json(&root.join(dir).join("package.json"))?;
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| folder_name(dir));
    let mut deps = Vec::new();
    for section in ["dependencies", "devDependencies", "peerDependencies"] {
        if let Some(d) = v.get(section).and_then(Value::as_object) {
            deps.extend(d.keys().cloned());
        }
    }
    let mut entry_points = Vec::new();
    if let Some(main) = v.get("main").and_then(Value::as_str) {
        entry_points.push(join(dir, main));
    }
    match v.get("bin") {
        Some(Value::String(b)) => entry_points.push(join(dir, b)),
        Some(Value::Object(m)) => {
            entry_points.extend(m.values().filter_map(Value::as_str).map(|b| join(dir, b)))
        }
        _ => {}
    }
    let description = v
        .get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.trim().is_empty())
        .map(|d| (d.trim().to_string(), join(dir, "package.json")));
    Some(Declared {
        name,
        path: dir.to_string(),
        kind: "npm",
        deps,
        path_deps: Vec::new(),
        entry_points,
        description,
    })
}

fn python_project(root: &Path, dir: &str) -> Option<Declared> {
    let t = read_toml(&root.join(dir).join("pyproject.toml"))?;
    let project = t.get("project").and_then(|p| p.as_table());
    let poetry = t
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.as_table());
    let table = project.or(poetry)?;
    let name = table
        .get("name")
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| folder_name(dir));
    let mut entry_points = Vec::new();
    if let Some(scripts) = table.get("scripts").and_then(|s| s.as_table()) {
        entry_points.extend(
            scripts
                .values()
                .filter_map(|v| v.as_str())
                .map(str::to_string),
        );
    }
    let description = table
        .get("description")
        .and_then(|d| d.as_str())
        .map(|d| (d.trim().to_string(), join(dir, "pyproject.toml")));
    Some(Declared {
        name,
        path: dir.to_string(),
        kind: "python",
        deps: Vec::new(),
        path_deps: Vec::new(),
        entry_points,
        description,
    })
}

fn go_module(root: &Path, dir: &str) -> Option<Declared> {
    let text = std::fs::read_to_string(root.join(dir).join("go.mod")).ok()?;
    let module = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("module "))
        .map(|m| m.trim().to_string())?;
    let mut entry_points = Vec::new();
    if root.join(dir).join("main.go").is_file() {
        entry_points.push(join(dir, "main.go"));
    }
    Some(Declared {
        name: module,
        path: dir.to_string(),
        kind: "go",
        deps: Vec::new(),
        path_deps: Vec::new(),
        entry_points,
        description: None,
    })
}

fn folder_name(dir: &str) -> String {
    if dir == "." {
        "root".into()
    } else {
        dir.rsplit('/').next().unwrap_or(dir).to_string()
    }
}

/// `packages:` of pnpm-workspace.yaml (exclusions, `!…`, are skipped).
fn pnpm_workspaces(root: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(root.join("pnpm-workspace.yaml")) else {
        return Vec::new();
    };
    crate::config::yaml::parse(&text)
        .ok()
        .and_then(|d| d.value.get("packages").and_then(Value::as_array).cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .filter(|p| !p.starts_with('!'))
        .map(str::to_string)
        .collect()
}

/// The components the manifests at the root (and their workspaces) declare.
fn declared(root: &Path) -> Vec<Declared> {
    let mut out = Vec::new();
    if let Some(t) = read_toml(&root.join("Cargo.toml")) {
        if let Some(members) = t
            .get("workspace")
            .and_then(|w| w.get("members"))
            .and_then(|m| m.as_array())
        {
            for m in members.iter().filter_map(|m| m.as_str()) {
                out.extend(
                    expand(root, m, "Cargo.toml")
                        .iter()
                        .filter_map(|d| cargo_package(root, d)),
                );
            }
        }
        out.extend(cargo_package(root, "."));
    }
    if let Some(v) = read_json(&root.join("package.json")) {
        let mut patterns: Vec<String> = match v.get("workspaces") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::Object(o)) => o
                .get("packages")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        // pnpm keeps its workspaces in pnpm-workspace.yaml.
        patterns.extend(pnpm_workspaces(root));
        for p in patterns {
            out.extend(
                expand(root, &p, "package.json")
                    .iter()
                    .filter_map(|d| npm_package(root, d)),
            );
        }
        out.extend(npm_package(root, "."));
    }
    out.extend(python_project(root, "."));
    out.extend(go_module(root, "."));
    // One component per folder: the first manifest found wins.
    let mut seen = BTreeSet::new();
    out.retain(|d| seen.insert(d.path.clone()));
    out
}

/// Top-level folders holding code, for repositories that declare nothing.
fn folders(files: &[FileMeasure]) -> Vec<Declared> {
    let mut dirs: BTreeMap<String, u64> = BTreeMap::new();
    for f in files.iter().filter(|f| f.code > 0) {
        if let Some((top, _)) = f.path.split_once('/') {
            *dirs.entry(top.to_string()).or_default() += f.code;
        }
    }
    dirs.into_keys()
        .map(|d| Declared {
            name: d.clone(),
            path: d,
            kind: "folder",
            deps: Vec::new(),
            path_deps: Vec::new(),
            entry_points: Vec::new(),
            description: None,
        })
        .collect()
}

/// Is `path` inside folder `dir`?
pub fn contains(dir: &str, path: &str) -> bool {
    dir == "."
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Find the components of the repository at `root` and assign `files`.
pub fn detect(root: &Path, files: &[FileMeasure]) -> Vec<Component> {
    let mut decl = declared(root);
    if decl.is_empty() {
        decl = folders(files);
    }
    if !decl.iter().any(|d| d.path == ".") {
        decl.push(Declared {
            name: "root".into(),
            path: ".".into(),
            kind: "root",
            deps: Vec::new(),
            path_deps: Vec::new(),
            entry_points: Vec::new(),
            description: None,
        });
    }
    // Deepest first, so a file goes to the most specific component.
    let mut order: Vec<usize> = (0..decl.len()).collect();
    order.sort_by_key(|i| {
        std::cmp::Reverse(decl[*i].path.matches('/').count() + usize::from(decl[*i].path != "."))
    });
    let mut comps: Vec<Component> = decl
        .iter()
        .map(|d| Component {
            name: d.name.clone(),
            path: d.path.clone(),
            kind: d.kind.to_string(),
            entry_points: d.entry_points.clone(),
            ..Component::default()
        })
        .collect();
    let mut langs: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); comps.len()];
    for f in files {
        let Some(i) = order
            .iter()
            .copied()
            .find(|i| contains(&decl[*i].path, &f.path))
        else {
            continue;
        };
        let c = &mut comps[i];
        c.files += 1;
        c.code += f.code;
        c.comments += f.comments;
        c.blanks += f.blanks;
        c.complexity += u64::from(f.complexity);
        if let Some(l) = &f.language
            && f.code > 0
        {
            *langs[i].entry(l.clone()).or_default() += f.code;
        }
    }
    for (i, c) in comps.iter_mut().enumerate() {
        let mut l: Vec<(String, u64)> = std::mem::take(&mut langs[i]).into_iter().collect();
        l.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        c.languages = l;
    }
    // Dependencies between components: by package name or by path.
    let by_name: BTreeMap<&str, &str> = decl
        .iter()
        .map(|d| (d.name.as_str(), d.name.as_str()))
        .collect();
    let by_path: BTreeMap<&str, &str> = decl
        .iter()
        .map(|d| (d.path.as_str(), d.name.as_str()))
        .collect();
    for (i, d) in decl.iter().enumerate() {
        let mut on: BTreeSet<String> = d
            .deps
            .iter()
            .filter_map(|n| by_name.get(n.as_str()))
            .chain(d.path_deps.iter().filter_map(|p| by_path.get(p.as_str())))
            .map(|n| n.to_string())
            .collect();
        on.remove(&d.name);
        comps[i].depends_on = on.into_iter().collect();
        if let Some((text, source)) = &d.description {
            comps[i].purpose = Some(text.clone());
            comps[i].purpose_source = Some(source.clone());
        }
    }
    // A root component with nothing in it and nothing declared says nothing.
    comps.retain(|c| c.kind != "root" || c.files > 0);
    comps.sort_by(|a, b| a.path.cmp(&b.path).then(a.name.cmp(&b.name)));
    comps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, code: u64, lang: &str) -> FileMeasure {
        FileMeasure {
            path: path.into(),
            language: Some(lang.into()),
            bytes: code * 10,
            code,
            comments: 0,
            blanks: 0,
            complexity: 1,
            estimated: false,
            functions: Vec::new(),
            skipped: None,
        }
    }

    #[test]
    fn cargo_workspaces_give_members_with_dependencies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let w = |p: &str, s: &str| {
            std::fs::create_dir_all(root.join(p).parent().unwrap()).unwrap();
            std::fs::write(root.join(p), s).unwrap();
        };
        w("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
        w(
            "crates/core/Cargo.toml",
            "[package]\nname = \"shop-core\"\ndescription = \"Orders and prices\"\n",
        );
        w("crates/core/src/lib.rs", "");
        w(
            "crates/api/Cargo.toml",
            "[package]\nname = \"shop-api\"\n[dependencies]\nshop-core = { path = \"../core\" }\nserde = \"1\"\n",
        );
        w("crates/api/src/main.rs", "");
        let files = [
            file("crates/core/src/lib.rs", 100, "Rust"),
            file("crates/api/src/main.rs", 40, "Rust"),
            file("scripts/x.py", 5, "Python"),
        ];
        let comps = detect(root, &files);
        let names: Vec<&str> = comps.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["root", "shop-api", "shop-core"]);
        let api = &comps[1];
        assert_eq!(api.depends_on, ["shop-core"]);
        assert_eq!(api.entry_points, ["crates/api/src/main.rs"]);
        assert_eq!((api.files, api.code), (1, 40));
        let core = &comps[2];
        assert_eq!(core.purpose.as_deref(), Some("Orders and prices"));
        assert_eq!(
            core.purpose_source.as_deref(),
            Some("crates/core/Cargo.toml")
        );
        assert_eq!(comps[0].languages, [("Python".to_string(), 5)]);
    }

    #[test]
    fn pnpm_workspaces_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("package.json"),
            r#"{"name": "mono", "private": true}"#,
        )
        .unwrap();
        std::fs::write(
            root.join("pnpm-workspace.yaml"),
            "packages:\n  - 'apps/*'\n  - '!apps/old'\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("apps/web")).unwrap();
        std::fs::write(
            root.join("apps/web/package.json"),
            r#"{"name": "@mono/web", "description": "The shop front", "dependencies": {"mono": "1"}}"#,
        )
        .unwrap();
        let comps = detect(root, &[file("apps/web/index.ts", 12, "TypeScript")]);
        let names: Vec<&str> = comps.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["mono", "@mono/web"]);
        assert_eq!(comps[1].depends_on, ["mono"]);
        assert_eq!(comps[1].purpose.as_deref(), Some("The shop front"));
    }

    #[test]
    fn without_manifests_top_folders_are_components() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            file("lib/a.rb", 10, "Ruby"),
            file("app/b.rb", 20, "Ruby"),
            file("x.rb", 1, "Ruby"),
        ];
        let comps = detect(dir.path(), &files);
        let names: Vec<(&str, &str)> = comps
            .iter()
            .map(|c| (c.name.as_str(), c.kind.as_str()))
            .collect();
        assert_eq!(
            names,
            [("root", "root"), ("app", "folder"), ("lib", "folder")]
        );
        assert!(contains("app", "app/b.rb") && !contains("app", "apple/c.rb"));
    }
}
