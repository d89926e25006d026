//! Git worktrees codexa makes for agents: one branch `codexa/<name>` in a
//! folder of its own under `worktrees.dir` (default `../<repo>.worktrees/`),
//! with the ignored files a build needs (`worktrees.copy`) copied in.
//!
//! Which worktrees codexa made is in the log (`worktree.created`, codexa's
//! own type: scripts cannot append it), not in a file beside the worktree
//! that anything could write; `remove` takes away only those, and never
//! work that exists nowhere else: uncommitted changes, or commits no other
//! branch or remote holds, are named and kept unless `--force`. git runs
//! as the user's own `git`, with argument vectors.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};

use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::store::{NewEvent, StreamRef};
use crate::sync::git_cli::git;
use crate::workspace::Workspace;

/// One worktree of the repository, as `worktree list` shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Worktree {
    /// The folder's name (codexa's worktrees: `<participant>-<tag>`).
    pub name: String,
    pub path: String,
    pub branch: Option<String>,
    /// Made by codexa (a `worktree.created` in the log).
    pub codexa: bool,
    /// The participant it was made for.
    pub agent: Option<String>,
    /// The ref it was made from, and commits ahead of / behind it.
    pub base: Option<String>,
    pub ahead: Option<u64>,
    pub behind: Option<u64>,
    /// Uncommitted changes (tracked or untracked files).
    pub dirty: bool,
}

/// `git ARGS` in `dir`: its stdout, or an error with git's own words.
fn git_ok(dir: &Path, args: &[&str]) -> Result<String> {
    let out = git(dir, args)?;
    if !out.status.success() {
        return Err(Error::io(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Where worktrees go: `worktrees.dir` (relative to the top folder), else
/// `../<repo>.worktrees`.
pub fn root(ws: &Workspace) -> PathBuf {
    let top = &ws.store.workdir;
    match &ws.config.worktrees.dir {
        Some(d) => top.join(d),
        None => {
            let name = top
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "repo".into());
            top.parent()
                .unwrap_or(top)
                .join(format!("{name}.worktrees"))
        }
    }
}

/// A worktree name: letters, digits, `.`, `_`, `-`, not starting with `-`
/// or `.` (it becomes a folder and part of a branch name).
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with(['-', '.'])
        && !name.contains("..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::user(format!("`{name}` is not a worktree name"))
            .hint("use letters, digits, `.`, `_` and `-`, starting with a letter or digit"))
    }
}

/// What `create` made.
#[derive(Debug, Clone, Serialize)]
pub struct Created {
    pub name: String,
    pub path: String,
    pub branch: String,
    pub base: String,
    pub copied: Vec<String>,
}

/// Make worktree `name` on a new branch `codexa/<name>` from `from` for
/// `agent`, copy `worktrees.copy` into it, and record `worktree.created`.
pub fn create(
    ws: &Workspace,
    who: &Speaker,
    name: &str,
    agent: &str,
    from: &str,
) -> Result<Created> {
    check_name(name)?;
    if !ws.config.agents.contains_key(agent) {
        return Err(
            Error::user(format!("{agent} is not a participant in config"))
                .hint("name one under `agents:` in .codexa/config.yaml"),
        );
    }
    let top = &ws.store.workdir;
    let base = git_ok(
        top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{from}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        Error::user(format!("`{from}` names no commit here"))
            .hint("give --from a branch, tag or commit of this repository")
    })?
    .trim()
    .to_string();
    let branch = format!("codexa/{name}");
    if git(
        top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/heads/{branch}"),
        ],
    )?
    .status
    .success()
    {
        return Err(Error::user(format!("the branch {branch} already exists"))
            .hint("pick another name, or remove the worktree that uses it"));
    }
    let dir = root(ws);
    fs_err::create_dir_all(&dir)?;
    let path = dir.join(name);
    if path.exists() {
        return Err(Error::user(format!("{} already exists", path.display()))
            .hint("pick another name, or remove what is there"));
    }
    let path_s = path.to_string_lossy().into_owned();
    git_ok(
        top,
        &["worktree", "add", "--quiet", "-b", &branch, &path_s, &base],
    )?;
    let mut copied = Vec::new();
    // The agents' hook settings that are kept out of git come along, so an
    // agent started there is gated and heard as it is here.
    let local_hooks = [".claude/settings.local.json"];
    for rel in ws
        .config
        .worktrees
        .copy
        .iter()
        .map(String::as_str)
        .chain(local_hooks)
    {
        if !path.join(rel).exists() && copy_into(top, &path, rel)? {
            copied.push(rel.to_string());
        }
    }
    let created = Created {
        name: name.to_string(),
        path: path_s,
        branch,
        base: from.to_string(),
        copied,
    };
    let mut data = serde_json::to_value(&created).unwrap_or(Value::Null);
    data["agent"] = json!(agent);
    data["base_commit"] = json!(base);
    ws.append(vec![NewEvent::new(
        "worktree.created",
        stream(name),
        who.actor(),
        data,
    )])?;
    Ok(created)
}

/// Copy `rel` from `top` into `dest` (a file, keeping its permissions);
/// whether there was one to copy. A path leaving the repository is
/// refused.
fn copy_into(top: &Path, dest: &Path, rel: &str) -> Result<bool> {
    let clean = Path::new(rel);
    if clean.is_absolute()
        || clean
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(Error::user(format!(
            "worktrees.copy: `{rel}` is not a path inside the repository"
        ))
        .hint("list paths relative to the repository's top folder, e.g. `.env`"));
    }
    let from = top.join(clean);
    if !from.is_file() {
        return Ok(false);
    }
    let to = dest.join(clean);
    if let Some(parent) = to.parent() {
        fs_err::create_dir_all(parent)?;
    }
    fs_err::copy(&from, &to)?;
    Ok(true)
}

fn stream(name: &str) -> StreamRef {
    StreamRef {
        kind: "worktree".into(),
        id: name.to_string(),
    }
}

/// The `worktree.created` events of the log, by name (the last for each),
/// less those a later `worktree.removed` ended.
fn made(ws: &Workspace) -> Result<std::collections::BTreeMap<String, Value>> {
    let index = Index::open(&ws.store)?;
    let filter = Filter {
        kind: Some("worktree.*".into()),
        stream_type: Some("worktree".into()),
        ..Filter::default()
    };
    let mut out = std::collections::BTreeMap::new();
    for e in index.events(&ws.store.events_dir(), &filter, None, false)? {
        match e.kind.as_str() {
            "worktree.created" => {
                out.insert(e.stream.id.clone(), e.data.clone());
            }
            "worktree.removed" => {
                out.remove(&e.stream.id);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Every worktree of the repository (the main one left out), codexa's
/// marked, with branch, agent, ahead/behind its base and dirty or clean.
pub fn list(ws: &Workspace) -> Result<Vec<Worktree>> {
    let made = made(ws)?;
    let top = &ws.store.workdir;
    let porcelain = git_ok(top, &["worktree", "list", "--porcelain"])?;
    let mut out = Vec::new();
    for (i, block) in porcelain.split("\n\n").enumerate() {
        let mut path = None;
        let mut branch = None;
        for line in block.lines() {
            if let Some(p) = line.strip_prefix("worktree ") {
                path = Some(p.to_string());
            } else if let Some(b) = line.strip_prefix("branch refs/heads/") {
                branch = Some(b.to_string());
            }
        }
        let Some(path) = path else { continue };
        // The first block is the main worktree.
        if i == 0 {
            continue;
        }
        let name = Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // codexa's only while it is still what codexa made: at the path
        // recorded and on the branch made for it (a folder replaced by a
        // person's own worktree, or one switched to another branch or a
        // detached HEAD, is left to the person).
        let record = made.get(&name).filter(|d| {
            d.get("path").and_then(Value::as_str) == Some(path.as_str())
                && branch.as_deref() == d.get("branch").and_then(Value::as_str)
        });
        let base_commit = record
            .and_then(|d| d.get("base_commit"))
            .and_then(Value::as_str);
        let (ahead, behind) = match (base_commit, &branch) {
            (Some(base), Some(b)) => ahead_behind(top, base, b),
            _ => (None, None),
        };
        let dirty = Path::new(&path).is_dir()
            && local_work(ws, top, Path::new(&path))
                .map(|(changed, ignored)| !changed.is_empty() || !ignored.is_empty())
                .unwrap_or(false);
        out.push(Worktree {
            name,
            path,
            branch,
            codexa: record.is_some(),
            agent: record
                .and_then(|d| d.get("agent"))
                .and_then(Value::as_str)
                .map(str::to_string),
            base: record
                .and_then(|d| d.get("base"))
                .and_then(Value::as_str)
                .map(str::to_string),
            ahead,
            behind,
            dirty,
        });
    }
    Ok(out)
}

fn ahead_behind(top: &Path, base: &str, branch: &str) -> (Option<u64>, Option<u64>) {
    let range = format!("{base}...refs/heads/{branch}");
    let Ok(text) = git_ok(top, &["rev-list", "--left-right", "--count", &range]) else {
        return (None, None);
    };
    let mut n = text.split_whitespace().map(|x| x.parse::<u64>().ok());
    let behind = n.next().flatten();
    let ahead = n.next().flatten();
    (ahead, behind)
}

/// Commits on `branch` that no other branch and no remote-tracking ref
/// holds: work that removing the branch would lose.
fn unpublished(top: &Path, branch: &str) -> Result<Vec<String>> {
    let text = git_ok(
        top,
        &[
            "log",
            "--format=%h %s",
            &format!("refs/heads/{branch}"),
            "--not",
            // Patterns for `--branches` name branches without `refs/heads/`.
            &format!("--exclude={branch}"),
            "--branches",
            "--remotes",
        ],
    )?;
    Ok(text.lines().map(str::to_string).collect())
}

/// What worktree `wt` holds that would be lost with it: `(uncommitted
/// changes as `status --porcelain` shows them, ignored files)`, leaving out
/// the copies `create` made (`worktrees.copy` and the agents' local
/// settings) while they equal the repository's own.
fn local_work(ws: &Workspace, top: &Path, wt: &Path) -> Result<(Vec<String>, Vec<String>)> {
    let text = git_ok(
        wt,
        &[
            "status",
            "--porcelain",
            "--ignored",
            "--untracked-files=all",
        ],
    )?;
    let copied: Vec<&str> = ws
        .config
        .worktrees
        .copy
        .iter()
        .map(String::as_str)
        .chain([".claude/settings.local.json"])
        .collect();
    let unchanged_copy = |rel: &str| {
        copied.contains(&rel)
            && std::fs::read(wt.join(rel)).ok() == std::fs::read(top.join(rel)).ok()
    };
    let (mut changed, mut ignored) = (Vec::new(), Vec::new());
    for line in text.lines() {
        if let Some(rel) = line.strip_prefix("!! ") {
            if !unchanged_copy(rel) {
                ignored.push(rel.to_string());
            }
        } else if let Some(rel) = line.strip_prefix("?? ") {
            if !unchanged_copy(rel) {
                changed.push(line.to_string());
            }
        } else {
            changed.push(line.to_string());
        }
    }
    Ok((changed, ignored))
}

/// What `remove` did.
#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    pub name: String,
    pub path: String,
    pub branch: Option<String>,
    pub branch_deleted: bool,
}

/// Remove codexa's worktree `name`: refused (nothing changed) when it holds
/// uncommitted changes, or its branch commits found on no other branch or
/// remote, unless `force`; the branch stays unless `delete_branch`.
/// Records `worktree.removed`.
pub fn remove(
    ws: &Workspace,
    who: &Speaker,
    name: &str,
    force: bool,
    delete_branch: bool,
) -> Result<Removed> {
    let all = list(ws)?;
    let Some(wt) = all.iter().find(|w| w.name == name) else {
        return Err(Error::not_found(format!("no worktree named {name}"))
            .hint("`codexa worktree list` shows them"));
    };
    if !wt.codexa {
        return Err(Error::user(format!(
            "{} was not made by codexa: it is left alone",
            wt.path
        ))
        .hint(format!(
            "remove it yourself with `git worktree remove {}`",
            wt.path
        )));
    }
    let top = &ws.store.workdir;
    if !force {
        let mut why = Vec::new();
        // Ignored files go with the folder too, and plain `status` does not
        // show them: only the copies codexa put there, unchanged, may go.
        let (changed, ignored) = local_work(ws, top, Path::new(&wt.path))?;
        if !changed.is_empty() {
            why.push(format!(
                "uncommitted changes:\n  {}",
                changed
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
        if !ignored.is_empty() {
            why.push(format!(
                "ignored files that exist only there:\n  {}",
                ignored
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
        // The branch stays by default, but an agent's branch that nobody
        // else holds is easily forgotten once its folder is gone: that
        // work is named and kept until pushed, merged, or thrown away.
        if let Some(b) = &wt.branch {
            let commits = unpublished(top, b)?;
            if !commits.is_empty() {
                why.push(format!(
                    "commits on {b} that no other branch or remote has:\n  {}",
                    commits
                        .iter()
                        .take(10)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n  ")
                ));
            }
        }
        if !why.is_empty() {
            return Err(Error::user(format!(
                "not removing {}: it holds work that exists nowhere else\n{}",
                wt.path,
                why.join("\n")
            ))
            .hint("commit and push (or merge) it first, or pass --force to throw it away"));
        }
    }
    let mut args = vec!["worktree", "remove"];
    if force {
        args.push("--force");
    }
    args.push(&wt.path);
    git_ok(top, &args)?;
    let mut branch_deleted = false;
    if delete_branch && let Some(b) = &wt.branch {
        git_ok(top, &["branch", if force { "-D" } else { "-d" }, b])?;
        branch_deleted = true;
    }
    git_ok(top, &["worktree", "prune"])?;
    let removed = Removed {
        name: name.to_string(),
        path: wt.path.clone(),
        branch: wt.branch.clone(),
        branch_deleted,
    };
    let mut data = serde_json::to_value(&removed).unwrap_or(Value::Null);
    data["forced"] = json!(force);
    ws.append(vec![NewEvent::new(
        "worktree.removed",
        stream(name),
        who.actor(),
        data,
    )])?;
    Ok(removed)
}
