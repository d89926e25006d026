//! Config layering: the user layer, the files named by
//! `extends` (recursively, each before the file that names it) and the repo
//! file last, merged with later-wins, maps deep-merged and lists replaced.
//! Each layer keeps its pointer → line map so a problem in the merged value
//! can be traced to the line in the file that last set it.
//!
//! `extends` entries: `~/…` is under `$HOME`; an entry beginning
//! `~/.config/codexa/` resolves under `$CODEXA_CONFIG_HOME` instead when that
//! is set (so the conventional path in a shared config still finds a
//! relocated user folder); an absolute path is used as is; anything else is
//! relative to the folder of the file that names it.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use super::yaml::{self, Doc};
use super::{Finding, Probe};
use crate::fsutil::sha256_tagged;

/// The parts of the environment layering depends on, passed in rather than
/// read inside so tests need not mutate the process environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    /// `$HOME`: what `~/` expands to.
    pub home: Option<PathBuf>,
    /// `$CODEXA_CONFIG_HOME`: replaces `~/.config/codexa` when set.
    pub config_home: Option<PathBuf>,
    /// Where to remember that a merged config was found valid (in the
    /// store's cache), so the next command skips compiling the schema.
    pub valid_cache: crate::config::ValidCache,
    /// Where to remember the resolved config (in the store's cache), so the
    /// next command with the same config need not resolve it again.
    pub resolved_cache: crate::config::ResolvedCache,
}

impl Env {
    /// Read `HOME` and `CODEXA_CONFIG_HOME`; empty values count as unset.
    pub fn from_process() -> Env {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(|v| absolute(Path::new(&v)))
        };
        Env {
            home: var("HOME"),
            config_home: var("CODEXA_CONFIG_HOME"),
            valid_cache: crate::config::ValidCache::none(),
            resolved_cache: crate::config::ResolvedCache::none(),
        }
    }

    /// `$CODEXA_CONFIG_HOME`, else `~/.config/codexa`.
    pub fn user_config_dir(&self) -> Option<PathBuf> {
        self.config_home
            .clone()
            .or_else(|| self.home.as_ref().map(|h| h.join(".config").join("codexa")))
    }

    /// The user layer, applied first whenever it exists.
    pub fn user_layer(&self) -> Option<PathBuf> {
        self.user_config_dir().map(|d| d.join("config.yaml"))
    }

    /// Where an `extends` entry written in `naming_file` points.
    pub fn expand(&self, entry: &str, naming_file: &Path) -> Result<PathBuf, String> {
        if let Some(rest) = entry.strip_prefix("~/.config/codexa/")
            && let Some(dir) = &self.config_home
        {
            return Ok(normalize(&dir.join(rest)));
        }
        if let Some(rest) = entry.strip_prefix("~/") {
            return match &self.home {
                Some(home) => Ok(normalize(&home.join(rest))),
                None => Err(format!("`{entry}` starts with `~/` but $HOME is not set")),
            };
        }
        if entry.starts_with('~') {
            return Err(format!(
                "`{entry}`: only `~/` is expanded (not `~` alone or `~user`)"
            ));
        }
        let p = Path::new(entry);
        if p.is_absolute() {
            Ok(normalize(p))
        } else {
            let base = naming_file.parent().unwrap_or(Path::new("/"));
            Ok(normalize(&base.join(p)))
        }
    }
}

/// One file read and parsed, `extends` taken out.
#[derive(Debug, Clone)]
pub struct LoadedLayer {
    pub path: PathBuf,
    /// How findings name the file: relative to the work dir, or `~/…`.
    pub shown: String,
    pub sha256: String,
    pub doc: Doc,
}

/// The layers in merge order, every problem met on the way, and every look
/// at the file system taken (what the result depends on besides the
/// environment, for the resolved config's cache).
#[derive(Debug, Default)]
pub struct Stack {
    pub layers: Vec<LoadedLayer>,
    pub problems: Vec<Finding>,
    pub probes: Vec<Probe>,
}

/// Who named a file in `extends`, for messages about it.
struct Naming {
    file: String,
    line: usize,
    entry: String,
}

struct Resolver<'a> {
    workdir: &'a Path,
    env: &'a Env,
    done: HashSet<PathBuf>,
    problems: Vec<Finding>,
    probes: Vec<Probe>,
}

/// Read the repo file at `repo_file` and everything it extends, plus the
/// user layer (first) when it exists and the repo file does not name it
/// itself. A file reached twice (a diamond) is applied once, at its first
/// place; a file reached again while its own `extends` are being read is a
/// cycle.
pub fn resolve(repo_file: &Path, workdir: &Path, env: &Env) -> Stack {
    let workdir = normalize(&absolute(workdir));
    let mut r = Resolver {
        workdir: &workdir,
        env,
        done: HashSet::new(),
        problems: Vec::new(),
        probes: Vec::new(),
    };
    let mut repo_layers = Vec::new();
    r.visit(
        &normalize(&absolute(repo_file)),
        None,
        &mut Vec::new(),
        &mut repo_layers,
    );

    let mut layers = Vec::new();
    if let Some(user) = env.user_layer()
        && r.is_file(&user)
    {
        let canon = r.canonicalize(&user).unwrap_or_else(|_| user.clone());
        if !r.done.contains(&canon) {
            r.visit(&normalize(&user), None, &mut Vec::new(), &mut layers);
        }
    }
    layers.extend(repo_layers);
    Stack {
        layers,
        problems: r.problems,
        probes: r.probes,
    }
}

impl Resolver<'_> {
    /// `Path::is_file`, recorded.
    fn is_file(&mut self, path: &Path) -> bool {
        let is = path.is_file();
        self.probes.push(Probe::IsFile(path.to_path_buf(), is));
        is
    }

    /// `fs::canonicalize`, recorded.
    fn canonicalize(&mut self, path: &Path) -> std::io::Result<PathBuf> {
        let canon = std::fs::canonicalize(path);
        let seen = canon.as_ref().ok().cloned();
        self.probes.push(Probe::Canonical(path.to_path_buf(), seen));
        canon
    }

    fn show(&self, path: &Path) -> String {
        show_path(self.workdir, self.env.home.as_deref(), path)
    }

    fn problem(
        &mut self,
        check: &str,
        file: &str,
        line: Option<usize>,
        message: String,
        fix: String,
    ) {
        self.problems.push(Finding::error(
            check,
            message,
            Some(fix),
            Some(file.to_string()),
            line,
        ));
    }

    fn visit(
        &mut self,
        path: &Path,
        named: Option<&Naming>,
        stack: &mut Vec<(PathBuf, String)>,
        out: &mut Vec<LoadedLayer>,
    ) {
        let shown = self.show(path);
        let canon = match self.canonicalize(path) {
            Ok(c) => c,
            Err(e) => {
                match named {
                    Some(n) if e.kind() == std::io::ErrorKind::NotFound => self.problem(
                        "config.extends",
                        &n.file,
                        Some(n.line),
                        format!(
                            "`extends` entry `{}` at {}:{} names {shown}, which does not exist",
                            n.entry, n.file, n.line
                        ),
                        format!(
                            "create {shown}, or remove `{}` from `extends` at {}:{}",
                            n.entry, n.file, n.line
                        ),
                    ),
                    _ => self.problem(
                        "config.read",
                        &shown,
                        None,
                        format!("cannot read {shown}: {e}"),
                        format!("check that {shown} exists and is readable"),
                    ),
                }
                return;
            }
        };
        if let Some(pos) = stack.iter().position(|(c, _)| *c == canon) {
            let mut chain: Vec<&str> = stack[pos..].iter().map(|(_, s)| s.as_str()).collect();
            chain.push(&shown);
            let chain = chain.join(" → ");
            // The root file is never on the stack when it is named, so a
            // cycle always has a naming entry; the fallback keeps messages
            // sensible if that ever changes.
            let (file, line, entry) = named
                .map(|n| (n.file.clone(), n.line, n.entry.clone()))
                .unwrap_or_else(|| (shown.clone(), 1, shown.clone()));
            self.problem(
                "config.extends",
                &file,
                Some(line),
                format!(
                    "`extends` cycle: {file}:{line} names {shown}, which already extends {file} ({chain})"
                ),
                format!("remove `{entry}` from `extends` at {file}:{line}"),
            );
            return;
        }
        if self.done.contains(&canon) {
            return;
        }
        let bytes = match fs_err::read(path) {
            Ok(b) => b,
            Err(e) => {
                self.problem(
                    "config.read",
                    &shown,
                    None,
                    format!("cannot read {shown}: {}", crate::error::chain_text(&e)),
                    format!("check that {shown} is a readable file"),
                );
                return;
            }
        };
        let sha256 = sha256_tagged(&bytes);
        self.probes
            .push(Probe::Content(path.to_path_buf(), sha256.clone()));
        let Ok(text) = String::from_utf8(bytes) else {
            self.problem(
                "config.yaml",
                &shown,
                None,
                format!("{shown} is not UTF-8 text"),
                format!("save {shown} as UTF-8"),
            );
            return;
        };
        let mut doc = match yaml::parse(&text) {
            Ok(d) => d,
            Err(e) => {
                self.problem(
                    "config.yaml",
                    &shown,
                    Some(e.line),
                    format!("{shown}:{}: {}", e.line, e.message),
                    e.fix,
                );
                return;
            }
        };
        match &doc.value {
            Value::Object(_) => {}
            // A file of only comments sets nothing.
            Value::Null => doc.value = Value::Object(Map::new()),
            other => {
                let line = doc.lines.get("").copied().unwrap_or(1);
                self.problem(
                    "config.yaml",
                    &shown,
                    Some(line),
                    format!(
                        "{shown}:{line}: the top level must be a mapping of `key: value` lines, not {}",
                        kind_of(other)
                    ),
                    format!("start {shown} with `version: 1` and write settings as `key: value`"),
                );
                return;
            }
        }
        let extends = doc.value.as_object_mut().and_then(|o| o.remove("extends"));
        let extends_lines: Vec<(String, usize)> = doc
            .lines
            .iter()
            .filter(|(p, _)| *p == "/extends" || p.starts_with("/extends/"))
            .map(|(p, l)| (p.clone(), *l))
            .collect();
        doc.lines
            .retain(|p, _| p != "/extends" && !p.starts_with("/extends/"));
        let line_of = |p: &str| extends_lines.iter().find(|(q, _)| q == p).map(|(_, l)| *l);

        stack.push((canon.clone(), shown.clone()));
        match extends {
            None | Some(Value::Null) => {}
            Some(Value::Array(entries)) => {
                for (i, entry) in entries.iter().enumerate() {
                    let line = line_of(&format!("/extends/{i}")).unwrap_or(1);
                    let Some(entry) = entry.as_str().filter(|s| !s.is_empty()) else {
                        self.problem(
                            "config.extends",
                            &shown,
                            Some(line),
                            format!("`extends` entry {i} at {shown}:{line} is not a file path"),
                            format!(
                                "write each `extends` entry as a quoted path at {shown}:{line}"
                            ),
                        );
                        continue;
                    };
                    match self.env.expand(entry, path) {
                        Ok(target) => {
                            let naming = Naming {
                                file: shown.clone(),
                                line,
                                entry: entry.to_string(),
                            };
                            self.visit(&target, Some(&naming), stack, out);
                        }
                        Err(why) => self.problem(
                            "config.extends",
                            &shown,
                            Some(line),
                            format!("`extends` entry at {shown}:{line}: {why}"),
                            format!(
                                "write an absolute path, a `~/…` path or one relative to {shown}"
                            ),
                        ),
                    }
                }
            }
            Some(other) => {
                let line = line_of("/extends").unwrap_or(1);
                let example = match &other {
                    Value::String(s) => format!("extends: [{s}]"),
                    _ => "extends: [path/to/base.yaml]".to_string(),
                };
                self.problem(
                    "config.extends",
                    &shown,
                    Some(line),
                    format!(
                        "`extends` at {shown}:{line} must be a list of file paths, not {}",
                        kind_of(&other)
                    ),
                    format!("write `{example}` at {shown}:{line}"),
                );
            }
        }
        stack.pop();
        self.done.insert(canon);
        out.push(LoadedLayer {
            path: path.to_path_buf(),
            shown,
            sha256,
            doc,
        });
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Merge layers in order: later wins, maps deep-merge, lists (and scalars)
/// replace what was there.
pub fn merge(layers: &[LoadedLayer]) -> Value {
    let mut out = Value::Object(Map::new());
    for layer in layers {
        deep_merge(&mut out, &layer.doc.value);
    }
    out
}

fn deep_merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) => deep_merge(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The layer and line that set `pointer` in the merged value: the last
/// layer holding that exact pointer. (If a later layer had replaced an
/// ancestor with a list or scalar, the pointer would either not exist in the
/// merged value or be held by that later layer, so "last holder" is exact.)
/// A pointer no layer holds falls back to its nearest held ancestor.
pub fn origin<'a>(layers: &'a [LoadedLayer], pointer: &str) -> Option<(&'a LoadedLayer, usize)> {
    let mut p = pointer;
    loop {
        if let Some(found) = layers
            .iter()
            .rev()
            .find_map(|l| l.doc.lines.get(p).map(|line| (l, *line)))
        {
            return Some(found);
        }
        if p.is_empty() {
            return None;
        }
        p = &p[..p.rfind('/').unwrap_or(0)];
    }
}

/// `path` as findings show it: relative to the work dir when inside it,
/// `~/…` when under $HOME, else in full.
pub fn show_path(workdir: &Path, home: Option<&Path>, path: &Path) -> String {
    let path = normalize(&absolute(path));
    if let Ok(rel) = path.strip_prefix(workdir) {
        return rel.display().to_string();
    }
    if let Some(home) = home
        && let Ok(rel) = path.strip_prefix(home)
    {
        return format!("~/{}", rel.display());
    }
    path.display().to_string()
}

/// An absolute path without touching the file system (symlinks are kept,
/// so messages show the path the user wrote).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Remove `.` and resolve `..` lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn env_in(dir: &Path) -> Env {
        Env {
            home: Some(dir.join("home")),
            config_home: None,
            valid_cache: crate::config::ValidCache::none(),
            resolved_cache: crate::config::ResolvedCache::none(),
        }
    }

    #[test]
    fn deep_merge_maps_and_replace_lists() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        write(
            &w,
            "base.yaml",
            "store:\n  segment_max_bytes: 70000\nsync:\n  remote: upstream\nredaction:\n  patterns:\n    - {name: a, regex: x}\n    - {name: b, regex: y}\n",
        );
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends: [../base.yaml]\nsync:\n  remote: origin2\nredaction:\n  patterns:\n    - {name: c, regex: z}\n",
        );
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert!(stack.problems.is_empty(), "{:?}", stack.problems);
        let shown: Vec<_> = stack.layers.iter().map(|l| l.shown.as_str()).collect();
        assert_eq!(shown, ["base.yaml", ".codexa/config.yaml"]);
        let merged = merge(&stack.layers);
        assert_eq!(
            merged,
            json!({
                "version": 1,
                "store": {"segment_max_bytes": 70000},
                "sync": {"remote": "origin2"},
                "redaction": {"patterns": [{"name": "c", "regex": "z"}]}
            })
        );
        // Provenance: the later layer set sync.remote, the base the store.
        let (l, line) = origin(&stack.layers, "/sync/remote").unwrap();
        assert_eq!((l.shown.as_str(), line), (".codexa/config.yaml", 4));
        let (l, line) = origin(&stack.layers, "/store/segment_max_bytes").unwrap();
        assert_eq!((l.shown.as_str(), line), ("base.yaml", 2));
        let (l, line) = origin(&stack.layers, "/redaction/patterns/0/name").unwrap();
        assert_eq!((l.shown.as_str(), line), (".codexa/config.yaml", 7));
        // `extends` is not part of the merged value nor of the line map.
        assert!(
            stack.layers[1]
                .doc
                .lines
                .keys()
                .all(|k| !k.starts_with("/extends"))
        );
    }

    #[test]
    fn scalar_replaces_map_and_map_replaces_scalar() {
        let mut v = json!({"a": {"b": 1}, "c": 2});
        deep_merge(&mut v, &json!({"a": 5, "c": {"d": 3}}));
        assert_eq!(v, json!({"a": 5, "c": {"d": 3}}));
    }

    #[test]
    fn user_layer_comes_first_and_once() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        let env = env_in(t.path());
        write(
            t.path(),
            "home/.config/codexa/config.yaml",
            "sync:\n  remote: mine\nstore:\n  segment_max_bytes: 80000\n",
        );
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nsync:\n  remote: team\n",
        );
        let stack = resolve(&repo, &w, &env);
        assert!(stack.problems.is_empty(), "{:?}", stack.problems);
        let shown: Vec<_> = stack.layers.iter().map(|l| l.shown.as_str()).collect();
        assert_eq!(
            shown,
            ["~/.config/codexa/config.yaml", ".codexa/config.yaml"]
        );
        assert_eq!(
            merge(&stack.layers),
            json!({"version": 1, "sync": {"remote": "team"}, "store": {"segment_max_bytes": 80000}})
        );

        // Named explicitly, it is applied at that place only.
        write(t.path(), "repo/team.yaml", "sync:\n  remote: team-base\n");
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends:\n  - ../team.yaml\n  - ~/.config/codexa/config.yaml\n",
        );
        let stack = resolve(&repo, &w, &env);
        let shown: Vec<_> = stack.layers.iter().map(|l| l.shown.as_str()).collect();
        assert_eq!(
            shown,
            [
                "team.yaml",
                "~/.config/codexa/config.yaml",
                ".codexa/config.yaml"
            ]
        );
        assert_eq!(merge(&stack.layers)["sync"]["remote"], "mine");
    }

    #[test]
    fn config_home_overrides_dot_config() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        let env = Env {
            home: Some(t.path().join("home")),
            config_home: Some(t.path().join("xdg")),
            valid_cache: crate::config::ValidCache::none(),
            resolved_cache: crate::config::ResolvedCache::none(),
        };
        write(t.path(), "xdg/config.yaml", "sync:\n  remote: implicit\n");
        write(
            t.path(),
            "xdg/shared.yaml",
            "store:\n  segment_max_bytes: 90000\n",
        );
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends: [~/.config/codexa/shared.yaml]\n",
        );
        let stack = resolve(&repo, &w, &env);
        assert!(stack.problems.is_empty(), "{:?}", stack.problems);
        let merged = merge(&stack.layers);
        assert_eq!(merged["sync"]["remote"], "implicit");
        assert_eq!(merged["store"]["segment_max_bytes"], 90000);
        assert_eq!(stack.layers.len(), 3);
    }

    #[test]
    fn nested_extends_resolve_relative_to_naming_file() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        write(
            t.path(),
            "shared/a.yaml",
            "extends: [sub/b.yaml]\nsync: {remote: a}\n",
        );
        write(
            t.path(),
            "shared/sub/b.yaml",
            "sync: {remote: b}\nstore: {segment_max_bytes: 65536}\n",
        );
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends: [../../shared/a.yaml]\n",
        );
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert!(stack.problems.is_empty(), "{:?}", stack.problems);
        let names: Vec<_> = stack
            .layers
            .iter()
            .map(|l| l.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["b.yaml", "a.yaml", "config.yaml"]);
        let merged = merge(&stack.layers);
        assert_eq!(merged["sync"]["remote"], "a");
        assert_eq!(merged["store"]["segment_max_bytes"], 65536);
    }

    #[test]
    fn diamond_is_applied_once() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        write(&w, "d.yaml", "sync: {remote: d}\n");
        write(&w, "b.yaml", "extends: [d.yaml]\n");
        write(&w, "c.yaml", "extends: [d.yaml]\n");
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends: [../b.yaml, ../c.yaml]\n",
        );
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert!(stack.problems.is_empty(), "{:?}", stack.problems);
        let shown: Vec<_> = stack.layers.iter().map(|l| l.shown.as_str()).collect();
        assert_eq!(shown, ["d.yaml", "b.yaml", "c.yaml", ".codexa/config.yaml"]);
    }

    #[test]
    fn cycle_is_detected_naming_both_files() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        write(&w, "a.yaml", "extends: [b.yaml]\n");
        write(&w, "b.yaml", "sync: {remote: x}\nextends:\n  - a.yaml\n");
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends: [../a.yaml]\n",
        );
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert_eq!(stack.problems.len(), 1, "{:?}", stack.problems);
        let p = &stack.problems[0];
        assert_eq!(p.check, "config.extends");
        assert_eq!(p.file.as_deref(), Some("b.yaml"));
        assert_eq!(p.line, Some(3));
        assert!(p.message.contains("cycle"), "{}", p.message);
        assert!(p.message.contains("b.yaml:3 names a.yaml"), "{}", p.message);
        assert!(
            p.message.contains("a.yaml → b.yaml → a.yaml"),
            "{}",
            p.message
        );
        assert_eq!(
            p.fix.as_deref(),
            Some("remove `a.yaml` from `extends` at b.yaml:3")
        );
    }

    #[test]
    fn self_extension_is_a_cycle() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends: [config.yaml]\n",
        );
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert_eq!(stack.problems.len(), 1, "{:?}", stack.problems);
        assert!(stack.problems[0].message.contains("cycle"));
    }

    #[test]
    fn missing_extends_target_names_entry_line() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends:\n  - ~/.config/codexa/config.yaml\n  - ../nope.yaml\n",
        );
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert_eq!(stack.problems.len(), 2, "{:?}", stack.problems);
        let p = &stack.problems[1];
        assert_eq!(p.file.as_deref(), Some(".codexa/config.yaml"));
        assert_eq!(p.line, Some(4));
        assert!(
            p.message.contains("names nope.yaml, which does not exist"),
            "{}",
            p.message
        );
        assert_eq!(
            p.fix.as_deref(),
            Some(
                "create nope.yaml, or remove `../nope.yaml` from `extends` at .codexa/config.yaml:4"
            )
        );
        assert!(
            stack.problems[0]
                .message
                .contains("~/.config/codexa/config.yaml")
        );
        assert_eq!(stack.problems[0].line, Some(3));
    }

    #[test]
    fn extends_must_be_a_list_of_strings() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends: base.yaml\n",
        );
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert_eq!(stack.problems[0].line, Some(2));
        assert_eq!(
            stack.problems[0].fix.as_deref(),
            Some("write `extends: [base.yaml]` at .codexa/config.yaml:2")
        );
        let repo = write(&w, ".codexa/config.yaml", "version: 1\nextends:\n  - 5\n");
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert_eq!(stack.problems[0].line, Some(3));
    }

    #[test]
    fn yaml_error_in_a_layer_names_that_file() {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        write(&w, "base.yaml", "sync:\n  remote: [x\n");
        let repo = write(
            &w,
            ".codexa/config.yaml",
            "version: 1\nextends: [../base.yaml]\n",
        );
        let stack = resolve(&repo, &w, &env_in(t.path()));
        assert_eq!(stack.problems.len(), 1, "{:?}", stack.problems);
        assert_eq!(stack.problems[0].file.as_deref(), Some("base.yaml"));
        assert!(
            stack.problems[0].message.starts_with("base.yaml:"),
            "{}",
            stack.problems[0].message
        );
    }

    #[test]
    fn expand_rules() {
        let env = Env {
            home: Some(PathBuf::from("/h")),
            config_home: None,
            valid_cache: crate::config::ValidCache::none(),
            resolved_cache: crate::config::ResolvedCache::none(),
        };
        let f = Path::new("/repo/.codexa/config.yaml");
        assert_eq!(
            env.expand("~/x.yaml", f).unwrap(),
            PathBuf::from("/h/x.yaml")
        );
        assert_eq!(
            env.expand("~/.config/codexa/a.yaml", f).unwrap(),
            PathBuf::from("/h/.config/codexa/a.yaml")
        );
        assert_eq!(
            env.expand("../b.yaml", f).unwrap(),
            PathBuf::from("/repo/b.yaml")
        );
        assert_eq!(
            env.expand("/abs/c.yaml", f).unwrap(),
            PathBuf::from("/abs/c.yaml")
        );
        assert!(env.expand("~bob/c.yaml", f).is_err());
        let no_home = Env::default();
        assert!(no_home.expand("~/x", f).is_err());
        let with_ch = Env {
            home: Some(PathBuf::from("/h")),
            config_home: Some(PathBuf::from("/ch")),
            valid_cache: crate::config::ValidCache::none(),
            resolved_cache: crate::config::ResolvedCache::none(),
        };
        assert_eq!(
            with_ch.expand("~/.config/codexa/a.yaml", f).unwrap(),
            PathBuf::from("/ch/a.yaml")
        );
    }
}
