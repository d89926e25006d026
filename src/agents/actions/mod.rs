//! From an agent's tool call to a policy action.
//!
//! Three built-in mappings come first, because no configuration may turn
//! them off: a write to the gate's own files is `control.write` (see
//! `control`); a command line that cannot be read with certainty is
//! `shell.opaque` (see `agents::shell`); a `git push` is `git.push`,
//! `git.push.force`, `git.push.delete` or `git.push.no_verify` on
//! `REMOTE/BRANCH` (see `push`). Then an ordered table of rules, the
//! user's (`hooks.actions` in config) first, then the built-in defaults;
//! the first rule that matches names the action and its subject.
//!
//! A rule: `{tool, command?, outside_repo?, action, subject?}`.
//! - `tool`: a glob on the tool name (`*` any text; `|` separates
//!   alternatives: `Write|Edit`).
//! - `command`: a glob on `tool_input.command` (Bash); a rule with one never
//!   matches a tool without a command.
//! - `outside_repo`: for tools with a path (`tool_input.file_path`,
//!   `notebook_path` or `path`), whether it resolves outside the work tree.
//! - `action`, `subject`: templates. `{tool}`, `{command}`, `{first_word}`,
//!   `{path}`, `{url}`, `{query}`, `{repo}`, `{branch}` are replaced; in
//!   `action` the values are lowercased and reduced to action-name
//!   characters (`tool.{tool}` for `WebFetch` is `tool.webfetch`).

mod control;
mod hidden;
mod pathglob;
mod push;

use std::cell::OnceCell;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::agents::shell::{self, GitView, NoRepo, Reading};
use crate::config::HooksConfig;
use crate::domain::governance::glob;
use crate::domain::policy;
use crate::error::{Error, Result};

/// A rule of `hooks.actions`: the config's type as well as the table's, so
/// it refuses keys the schema does not allow either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub tool: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_repo: Option<bool>,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

fn rule(
    tool: &str,
    command: Option<&str>,
    outside: Option<bool>,
    action: &str,
    subject: &str,
) -> Rule {
    Rule {
        tool: tool.into(),
        command: command.map(str::to_string),
        outside_repo: outside,
        action: action.into(),
        subject: Some(subject.into()),
    }
}

/// The built-in table, consulted after the user's rules.
pub fn defaults() -> Vec<Rule> {
    vec![
        rule(
            "Bash",
            Some("curl *|wget *"),
            None,
            "external.read",
            "{url}",
        ),
        rule("WebFetch", None, None, "external.read", "{url}"),
        rule("WebSearch", None, None, "external.read", "{query}"),
        rule(
            "Write|Edit|MultiEdit|NotebookEdit",
            None,
            Some(true),
            "fs.write_outside",
            "{path}",
        ),
        rule("Bash", None, None, "shell.exec", "{first_word}"),
        rule("*", None, None, "tool.{tool}", "{tool}"),
    ]
}

/// The user's rules (`hooks.actions`) then the defaults.
pub fn table(hooks: &HooksConfig) -> Vec<Rule> {
    let mut out = hooks.actions.clone();
    out.extend(defaults());
    out
}

/// A glob with `|`-separated alternatives.
pub fn alt_glob(pattern: &str, text: &str) -> bool {
    pattern.split('|').any(|p| glob(p.trim(), text))
}

/// One tool call, as the hook payload describes it.
pub struct Call<'a> {
    pub tool: &'a str,
    pub input: &'a Value,
    /// The agent's working directory (relative paths resolve against it).
    pub cwd: &'a Path,
    /// The repository's work tree.
    pub workdir: &'a Path,
    /// The git common directory (where the store lives), when known.
    pub common_dir: Option<&'a Path>,
    /// Git config, HEAD and tags, for aliases and pushes.
    pub repo: &'a dyn GitView,
    /// The command line, read once: every rule, placeholder and check
    /// uses it.
    reading: OnceCell<Reading>,
    segments: OnceCell<Vec<String>>,
}

impl<'a> Call<'a> {
    pub fn new(tool: &'a str, input: &'a Value, cwd: &'a Path, workdir: &'a Path) -> Call<'a> {
        Call {
            tool,
            input,
            cwd,
            workdir,
            common_dir: None,
            repo: &NoRepo,
            reading: OnceCell::new(),
            segments: OnceCell::new(),
        }
    }

    /// The same call, in a repository whose common directory and config
    /// are these.
    pub fn in_repo(self, common_dir: &'a Path, repo: &'a dyn GitView) -> Call<'a> {
        Call {
            common_dir: Some(common_dir),
            repo,
            ..self
        }
    }

    /// The command line as read (empty for a tool without a command).
    pub fn reading(&self) -> &Reading {
        self.reading.get_or_init(|| match self.shell_command() {
            Some(cmd) => shell::read(cmd, self.repo),
            None => Reading::default(),
        })
    }

    /// The command's programs, each as `program arg…`.
    pub fn segments(&self) -> &[String] {
        self.segments.get_or_init(|| {
            self.reading()
                .commands
                .iter()
                .map(shell::Command::line)
                .collect()
        })
    }

    /// The command, for tools that run one in a shell (not an MCP tool
    /// that happens to take a `command`).
    fn shell_command(&self) -> Option<&str> {
        if self.tool.starts_with("mcp__") {
            return None;
        }
        self.command()
    }

    fn branch(&self) -> String {
        self.repo.head_branch().unwrap_or_else(|| "HEAD".into())
    }
}

impl Call<'_> {
    pub fn command(&self) -> Option<&str> {
        self.input
            .get("command")
            .and_then(Value::as_str)
            .map(str::trim)
    }

    pub fn path(&self) -> Option<&str> {
        ["file_path", "notebook_path", "path"]
            .iter()
            .find_map(|k| self.input.get(*k).and_then(Value::as_str))
            .filter(|p| !p.is_empty())
    }

    /// The path, absolute and normalised (symlinks resolved as far as the
    /// path exists).
    pub fn resolved_path(&self) -> Option<PathBuf> {
        self.path().map(|p| resolve(self.cwd, Path::new(p)))
    }

    /// Whether the path resolves outside the work tree; none without a path.
    pub fn outside_repo(&self) -> Option<bool> {
        let p = self.resolved_path()?;
        let root = self
            .workdir
            .canonicalize()
            .unwrap_or_else(|_| self.workdir.to_path_buf());
        Some(!p.starts_with(root))
    }

    fn url(&self) -> String {
        if let Some(u) = self.input.get("url").and_then(Value::as_str) {
            return u.to_string();
        }
        let cmd = self.command().unwrap_or_default();
        cmd.split_whitespace()
            .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .unwrap_or(cmd)
            .to_string()
    }
}

/// `cwd/p` without `.` and `..`, then with the longest existing prefix
/// canonicalised (a file about to be written does not exist yet).
pub(crate) fn resolve(cwd: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let mut lexical = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canon) = existing.canonicalize() {
            let mut out = canon;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

/// The action a call maps to, and which rule mapped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    pub action: String,
    pub subject: Option<String>,
    /// `hooks.actions[N]` or `default[N]` (0-based).
    pub rule: String,
}

fn matches(rule: &Rule, call: &Call) -> bool {
    if !alt_glob(&rule.tool, call.tool) {
        return false;
    }
    if let Some(c) = &rule.command {
        // Any program the line runs, not just its first word: a push or a
        // download must not hide behind `cd x &&` or `bash -c`.
        match call.command() {
            Some(cmd) if alt_glob(c, cmd) || call.segments().iter().any(|s| alt_glob(c, s)) => {}
            _ => return false,
        }
    }
    if let Some(want) = rule.outside_repo
        && call.outside_repo() != Some(want)
    {
        return false;
    }
    true
}

/// Lowercase, with anything but `[a-z0-9_]` made `_`: a value fit for an
/// action word.
fn action_word(text: &str) -> String {
    text.chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Fill `{name}` placeholders.
fn expand(template: &str, call: &Call, for_action: bool) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        let value = match name {
            "tool" => Some(call.tool.to_string()),
            "command" => Some(call.command().unwrap_or_default().to_string()),
            // Every program the line runs (`ls,rm`), so an allow rule for
            // `ls` does not let `ls && rm -rf x` through.
            "first_word" => Some(
                call.reading()
                    .commands
                    .iter()
                    .map(|c| c.program.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            "path" => Some(
                call.resolved_path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
            ),
            "url" => Some(call.url()),
            "query" => Some(
                call.input
                    .get("query")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ),
            "repo" => Some(
                call.workdir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            "branch" => Some(call.branch()),
            _ => None,
        };
        match value {
            Some(v) if for_action => out.push_str(&action_word(&v)),
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The action of a built-in mapping.
fn builtin(action: &str, subject: String, rule: &str) -> Mapped {
    Mapped {
        action: action.to_string(),
        subject: Some(subject),
        rule: format!("builtin:{rule}"),
    }
}

/// What `call` maps to: the built-in mappings, then the first rule of
/// `rules` that matches, expanded.
pub fn map(rules: &[Rule], user_rules: usize, call: &Call) -> Result<Mapped> {
    if let Some(path) = control::written(call) {
        return Ok(builtin("control.write", path, "control"));
    }
    if let Some(why) = &call.reading().opaque {
        return Ok(builtin("shell.opaque", why.clone(), "opaque"));
    }
    if let Some(why) = hidden::why(call.reading()) {
        return Ok(builtin("shell.opaque", why, "opaque"));
    }
    if let Some(p) = push::of(call.reading(), call.repo) {
        return Ok(builtin(p.action, p.subject, "git-push"));
    }
    let (i, rule) = rules
        .iter()
        .enumerate()
        .find(|(_, r)| matches(r, call))
        .ok_or_else(|| {
            Error::user(format!(
                "no hooks.actions rule matches tool `{}`",
                call.tool
            ))
        })?;
    let action = expand(&rule.action, call, true);
    if !policy::valid_action(&action) {
        return Err(Error::user(format!(
            "hooks.actions rule maps tool `{}` to `{action}`, which is not an action name",
            call.tool
        ))
        .hint("actions are lowercase words joined by dots, e.g. `git.push`"));
    }
    let subject = rule
        .subject
        .as_deref()
        .map(|s| expand(s, call, false).trim().to_string())
        .filter(|s| !s.is_empty());
    Ok(Mapped {
        action,
        subject,
        rule: if i < user_rules {
            format!("hooks.actions[{i}]")
        } else {
            format!("default[{}]", i - user_rules)
        },
    })
}

#[cfg(test)]
mod tests;
