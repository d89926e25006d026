//! Reading a git command line as git does: global options before the
//! subcommand (some take a value: `-C X`, `-c k=v`, `--attr-source X`),
//! then aliases, from `-c alias.X=…` on the line and from git config,
//! expanded (an alias starting with `!` is a shell line).

use std::cell::OnceCell;
use std::path::PathBuf;

use super::lex::{self, Tok, Word};
use super::shells::quote;
use super::{Invocation, Reader};

/// What the reader and the push mapping need from the repository.
pub trait GitView {
    /// A config value (`alias.p`, `branch.main.remote`), as git reads it
    /// (repository, global and system files).
    fn config(&self, key: &str) -> Option<String>;
    /// The branch HEAD names; None when detached or unknown.
    fn head_branch(&self) -> Option<String> {
        None
    }
    /// Whether a local tag of that name exists.
    fn has_tag(&self, _name: &str) -> bool {
        false
    }
    /// The git directory of the work tree (for a linked worktree, its own
    /// under the common directory).
    fn git_dir(&self) -> Option<PathBuf> {
        None
    }
    /// The first of `paths` (folders or files of the work tree) whose
    /// content at revision `rev` differs from HEAD's; None when they agree
    /// or `rev` does not resolve.
    fn differs_at(&self, _rev: &str, _paths: &[&str]) -> Option<String> {
        None
    }
}

/// No repository: no aliases, no configured remotes.
pub struct NoRepo;

impl GitView for NoRepo {
    fn config(&self, _key: &str) -> Option<String> {
        None
    }
}

/// The repository around a directory, opened on first use (most lines
/// never need it).
pub struct RepoView {
    start: PathBuf,
    repo: OnceCell<Option<git2::Repository>>,
    /// The config files as read once (a line may look up many keys).
    config: OnceCell<Option<git2::Config>>,
}

impl RepoView {
    pub fn new(start: PathBuf) -> RepoView {
        RepoView {
            start,
            repo: OnceCell::new(),
            config: OnceCell::new(),
        }
    }

    fn repo(&self) -> Option<&git2::Repository> {
        self.repo
            .get_or_init(|| crate::store::open_repo(&self.start).ok())
            .as_ref()
    }
}

impl GitView for RepoView {
    fn config(&self, key: &str) -> Option<String> {
        self.config
            .get_or_init(|| self.repo()?.config().ok()?.snapshot().ok())
            .as_ref()?
            .get_string(key)
            .ok()
    }

    fn head_branch(&self) -> Option<String> {
        let head = self.repo()?.find_reference("HEAD").ok()?;
        let target = head.symbolic_target().ok().flatten()?;
        Some(target.strip_prefix("refs/heads/")?.to_string())
    }

    fn has_tag(&self, name: &str) -> bool {
        self.repo()
            .is_some_and(|r| r.find_reference(&format!("refs/tags/{name}")).is_ok())
    }

    fn git_dir(&self) -> Option<PathBuf> {
        Some(self.repo()?.path().to_path_buf())
    }

    fn differs_at(&self, rev: &str, paths: &[&str]) -> Option<String> {
        let repo = self.repo()?;
        let there = repo.revparse_single(rev).ok()?.peel_to_tree().ok()?;
        let here = repo.head().ok()?.peel_to_tree().ok()?;
        let id = |tree: &git2::Tree, path: &str| {
            tree.get_path(std::path::Path::new(path))
                .ok()
                .map(|e| e.id())
        };
        paths
            .iter()
            .find(|p| id(&here, p) != id(&there, p))
            .map(|p| p.to_string())
    }
}

/// A fixed view for tests.
#[cfg(test)]
#[derive(Default)]
pub struct FixedView {
    pub config: std::collections::HashMap<String, String>,
    pub branch: Option<String>,
    pub tags: Vec<String>,
    /// Revisions whose `.codexa` differs from HEAD's.
    pub other_gates: Vec<String>,
}

#[cfg(test)]
impl GitView for FixedView {
    fn config(&self, key: &str) -> Option<String> {
        self.config.get(key).cloned()
    }
    fn head_branch(&self) -> Option<String> {
        self.branch.clone()
    }
    fn has_tag(&self, name: &str) -> bool {
        self.tags.iter().any(|t| t == name)
    }
    fn differs_at(&self, rev: &str, _paths: &[&str]) -> Option<String> {
        self.other_gates
            .iter()
            .any(|r| r == rev)
            .then(|| ".codexa".to_string())
    }
}

/// git's own commands: an alias of the same name is ignored by git.
const BUILTINS: &[&str] = &[
    "add",
    "am",
    "annotate",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bundle",
    "cat-file",
    "check-attr",
    "check-ignore",
    "check-mailmap",
    "check-ref-format",
    "checkout",
    "checkout-index",
    "cherry",
    "cherry-pick",
    "clean",
    "clone",
    "column",
    "commit",
    "commit-graph",
    "commit-tree",
    "config",
    "count-objects",
    "credential",
    "describe",
    "diff",
    "diff-files",
    "diff-index",
    "diff-tree",
    "difftool",
    "fast-export",
    "fast-import",
    "fetch",
    "fetch-pack",
    "for-each-ref",
    "format-patch",
    "fsck",
    "gc",
    "grep",
    "hash-object",
    "help",
    "hook",
    "index-pack",
    "init",
    "interpret-trailers",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "maintenance",
    "merge",
    "merge-base",
    "merge-file",
    "merge-tree",
    "mktag",
    "mktree",
    "mv",
    "notes",
    "pull",
    "push",
    "range-diff",
    "read-tree",
    "rebase",
    "reflog",
    "remote",
    "repack",
    "replace",
    "rerere",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "send-pack",
    "shortlog",
    "show",
    "show-branch",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "stripspace",
    "submodule",
    "switch",
    "symbolic-ref",
    "tag",
    "update-index",
    "update-ref",
    "var",
    "verify-commit",
    "verify-pack",
    "verify-tag",
    "version",
    "whatchanged",
    "worktree",
    "write-tree",
];

/// Global options whose value is the next word.
const VALUED: &[&str] = &[
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--super-prefix",
    "--attr-source",
    "--config-env",
    "--list-cmds",
];

/// Global options that print something and run no subcommand.
const QUERIES: &[&str] = &[
    "--exec-path",
    "--html-path",
    "--man-path",
    "--info-path",
    "--version",
    "-v",
    "--help",
    "-h",
];

/// `key=value` (a bare key is `true`), the key lowercased where git
/// compares without case (section and variable name).
fn config_pair(text: &str) -> (String, String) {
    let (k, v) = text.split_once('=').unwrap_or((text, "true"));
    (k.to_ascii_lowercase(), v.to_string())
}

impl Reader<'_> {
    /// `git [global options] SUBCOMMAND ARG…`.
    pub(super) fn git(&mut self, mut args: Vec<Word>, inv: &Invocation, depth: usize) {
        loop {
            let mut config = Vec::new();
            let mut i = 0;
            while let Some(w) = args.get(i) {
                let t = w.text.as_str();
                if QUERIES.contains(&t) {
                    self.emit("git", &args, inv);
                    return;
                }
                if VALUED.contains(&t) {
                    if let Some(v) = args.get(i + 1) {
                        match t {
                            "-c" => config.push(config_pair(&v.text)),
                            "--config-env" => config.push(config_env(&v.text)),
                            _ => {}
                        }
                    }
                    i += 2;
                } else if let Some(v) = t.strip_prefix("--config-env=") {
                    config.push(config_env(v));
                    i += 1;
                } else if t.starts_with('-') {
                    i += 1;
                } else {
                    break;
                }
            }
            let Some(sub) = args.get(i) else {
                self.emit_git("git", &[], inv, config);
                return;
            };
            if sub.dynamic {
                self.opaque("a git subcommand from an expansion");
                return;
            }
            let name = sub.text.clone();
            let key = format!("alias.{name}");
            let alias = if BUILTINS.contains(&name.as_str()) {
                None
            } else {
                let lower = key.to_ascii_lowercase();
                match config.iter().rev().find(|(k, _)| *k == lower) {
                    Some((_, v)) if v.starts_with('$') => {
                        self.opaque("a git alias from the environment");
                        return;
                    }
                    Some((_, v)) => Some(v.clone()),
                    None => self.repo.config(&key),
                }
            };
            let Some(alias) = alias else {
                self.emit_git("git", &args[i..], inv, config);
                return;
            };
            if self.aliases_left == 0 {
                self.opaque("too many git aliases to read");
                return;
            }
            self.aliases_left -= 1;
            if let Some(line) = alias.strip_prefix('!') {
                // A shell command; git appends the alias's arguments.
                let mut line = line.to_string();
                for a in &args[i + 1..] {
                    line.push(' ');
                    line.push_str(&quote(&a.text));
                }
                self.line(&line, depth + 1);
                return;
            }
            let Some(words) = alias_words(&alias) else {
                self.opaque(format!("a git alias `{name}` that does not read"));
                return;
            };
            let mut expanded: Vec<Word> = args[..i].to_vec();
            expanded.extend(words);
            expanded.extend(args[i + 1..].iter().cloned());
            args = expanded;
        }
    }
}

/// `--config-env key=ENVVAR`: the value is the variable's.
fn config_env(text: &str) -> (String, String) {
    let (k, v) = config_pair(text);
    (k, format!("${v}"))
}

/// An alias's words, split as git splits them (quotes and backslashes,
/// no expansions).
fn alias_words(alias: &str) -> Option<Vec<Word>> {
    let lexed = lex::lex(alias, 0).ok()?;
    lexed
        .toks
        .into_iter()
        .map(|t| match t {
            Tok::Word(w) => Some(Word::literal(&w.text)),
            _ => None,
        })
        .collect()
}
