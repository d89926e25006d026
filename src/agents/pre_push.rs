//! The push gate where git pushes: `codexa hook pre-push REMOTE URL`, run
//! by git's own `pre-push` hook with one line per ref update on stdin.
//!
//! An agent's PreToolUse hook sees a command line, which an alias, a
//! script or an interpreter can hide a push in. git's `pre-push` hook sees
//! every push, whatever ran git, with what it really does: the remote, the
//! remote ref, and the old and new commits. Each update is put to the
//! policy gate as
//!
//! - `git.push` — a new ref or a fast-forward,
//! - `git.push.force` — the remote's commit is not an ancestor of the new
//!   one (history is rewritten),
//! - `git.push.delete` — the ref is deleted,
//!
//! on the subject `REMOTE/BRANCH` (`origin/main`; other refs in full:
//! `origin/refs/tags/v1.0`), the same subject the PreToolUse hook asks
//! about, so one approval serves both. A refused update stops the whole
//! push (git's rule), with the reason and the approval to ask for, which is
//! opened once (a retry finds the pending request). Only `--no-verify`
//! skips this hook; the PreToolUse reading treats that as an action of its
//! own.
//!
//! People push through the same hook: the shipped policy gates agents'
//! pushes (`actor: agent:*`), so a person's push costs one policy read and
//! records nothing.

use std::path::Path;

use serde::Serialize;

use crate::domain::approvals::{self, NewRequest};
use crate::domain::gate::{self, Question};
use crate::domain::identity::{self, Speaker};
use crate::domain::policy::{Decision, Verdict};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// One line of the hook's stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    pub local_ref: String,
    pub local_oid: String,
    pub remote_ref: String,
    pub remote_oid: String,
}

/// What an update does to the remote ref.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateKind {
    New,
    FastForward,
    Force,
    Delete,
}

impl UpdateKind {
    pub fn action(self) -> &'static str {
        match self {
            UpdateKind::New | UpdateKind::FastForward => "git.push",
            UpdateKind::Force => "git.push.force",
            UpdateKind::Delete => "git.push.delete",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UpdateKind::New => "new",
            UpdateKind::FastForward => "fast-forward",
            UpdateKind::Force => "force",
            UpdateKind::Delete => "delete",
        }
    }
}

/// git's name for "no commit" (the old side of a new ref, the new side of
/// a deletion) is all zeros.
fn is_zero(oid: &str) -> bool {
    !oid.is_empty() && oid.bytes().all(|b| b == b'0')
}

/// Parse the hook's stdin: `<local ref> <local oid> <remote ref> <remote
/// oid>` per line (SHA-1 or SHA-256 object names).
pub fn parse(input: &str) -> Result<Vec<RefUpdate>> {
    input
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let hex = |w: &str| w.len() >= 40 && w.bytes().all(|b| b.is_ascii_hexdigit());
            match words.as_slice() {
                [lr, lo, rr, ro] if hex(lo) && hex(ro) => Ok(RefUpdate {
                    local_ref: lr.to_string(),
                    local_oid: lo.to_string(),
                    remote_ref: rr.to_string(),
                    remote_oid: ro.to_string(),
                }),
                _ => Err(Error::user(format!(
                    "pre-push input line {}: `{line}` is not `<local ref> <local oid> <remote ref> <remote oid>`",
                    i + 1
                ))
                .hint("git's pre-push hook runs `codexa hook pre-push REMOTE URL` with these lines on stdin")),
            }
        })
        .collect()
}

/// New, fast-forward, force or delete: force when the remote's commit is
/// not an ancestor of the new one, including when this clone does not have
/// it (then it cannot be an ancestor of anything here).
pub fn classify(repo: &git2::Repository, u: &RefUpdate) -> UpdateKind {
    if is_zero(&u.local_oid) {
        return UpdateKind::Delete;
    }
    if is_zero(&u.remote_oid) {
        return UpdateKind::New;
    }
    if u.local_oid == u.remote_oid {
        return UpdateKind::FastForward;
    }
    let ancestor = git2::Oid::from_str(&u.local_oid)
        .and_then(|new| Ok((new, git2::Oid::from_str(&u.remote_oid)?)))
        .and_then(|(new, old)| repo.graph_descendant_of(new, old));
    match ancestor {
        Ok(true) => UpdateKind::FastForward,
        _ => UpdateKind::Force,
    }
}

/// The gate's subject for a push of `remote_ref` to `remote`: `origin/main`
/// for a branch, the full ref for anything else.
pub fn subject(remote: &str, remote_ref: &str) -> String {
    match remote_ref.strip_prefix("refs/heads/") {
        Some(branch) => format!("{remote}/{branch}"),
        None => format!("{remote}/{remote_ref}"),
    }
}

/// The gate's answer for one update.
#[derive(Debug, Clone, Serialize)]
pub struct Judged {
    pub remote_ref: String,
    pub kind: UpdateKind,
    pub decision: Decision,
    /// The approval a refused update waits for, when one was opened.
    pub approval: Option<String>,
}

impl Judged {
    pub fn allowed(&self) -> bool {
        self.decision.decision == Verdict::Allow
    }

    /// One line for the person or agent who pushed.
    pub fn render(&self) -> String {
        let d = &self.decision;
        let rule = d
            .rule
            .as_deref()
            .map(|r| format!(" (rule {r})"))
            .unwrap_or_default();
        let mut line = format!(
            "{} ({}): {}{rule}: {} on {} by {}",
            self.remote_ref,
            self.kind.as_str(),
            d.reason_code,
            d.action,
            d.subject.as_deref().unwrap_or("-"),
            d.actor
        );
        if let Some(id) = &self.approval {
            line.push_str(&format!(
                "; approval {id} is open: a person runs `codexa approve {id}`, then push again"
            ));
        }
        line
    }
}

/// Judge every update of a push to `remote` by `who`. For a person whose
/// updates are all allowed nothing is recorded; otherwise each decision is
/// recorded as `policy.evaluated` and each `require_approval` opens (or
/// finds) its approval request.
pub fn judge(
    ws: &Workspace,
    who: &Speaker,
    remote: &str,
    updates: &[RefUpdate],
) -> Result<Vec<Judged>> {
    let repo = ws.store.repo()?;
    let mut out = Vec::with_capacity(updates.len());
    for u in updates {
        let kind = classify(&repo, u);
        let subject = subject(remote, &u.remote_ref);
        let q = Question {
            action: kind.action(),
            subject: Some(&subject),
            zone: None,
        };
        // An agent's push is always recorded; a person's only when it is
        // not simply allowed.
        let decision = if who.is_agent() {
            gate::eval(ws, who, q)?
        } else {
            match gate::judge(ws, who, q)?.decision {
                d if d.decision == Verdict::Allow => d,
                _ => gate::eval(ws, who, q)?,
            }
        };
        let approval = if decision.decision == Verdict::RequireApproval {
            let why = format!("pre-push: {} {} to {remote}", kind.as_str(), u.remote_ref);
            let (a, _new) = approvals::request(
                ws,
                who,
                NewRequest {
                    action: &decision.action,
                    subject: &subject,
                    kind: None,
                    reason: Some(&why),
                    expires: None,
                },
            )?;
            Some(a.id)
        } else {
            None
        };
        out.push(Judged {
            remote_ref: u.remote_ref.clone(),
            kind,
            decision,
            approval,
        });
    }
    Ok(out)
}

/// Resolve who pushes (the agent the process runs under, or a person) and
/// judge the push.
pub fn run(start: &Path, remote: &str, input: &str) -> Result<(Speaker, Vec<Judged>)> {
    let updates = parse(input)?;
    let ws = Workspace::open(start)?;
    let who = identity::resolve(&ws.store, &ws.config, None)?;
    let judged = judge(&ws, &who, remote, &updates)?;
    Ok((who, judged))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZERO: &str = "0000000000000000000000000000000000000000";

    #[test]
    fn input_lines_parse_and_bad_ones_are_named() {
        let a = "a".repeat(40);
        let text = format!(
            "refs/heads/x {a} refs/heads/main {ZERO}\n\n(delete) {ZERO} refs/heads/old {a}\n"
        );
        let u = parse(&text).unwrap();
        assert_eq!(u.len(), 2);
        assert_eq!(u[1].remote_ref, "refs/heads/old");
        let err = parse("refs/heads/x nothex refs/heads/main 00").unwrap_err();
        assert!(err.message().contains("line 1"), "{}", err.message());
    }

    #[test]
    fn subjects_name_the_remote_branch() {
        assert_eq!(subject("origin", "refs/heads/main"), "origin/main");
        assert_eq!(subject("up", "refs/heads/feat/x"), "up/feat/x");
        assert_eq!(subject("origin", "refs/tags/v1"), "origin/refs/tags/v1");
    }

    #[test]
    fn kinds_come_from_the_commits() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        let tree = repo
            .find_tree(repo.index().unwrap().write_tree().unwrap())
            .unwrap();
        let first = repo.commit(None, &sig, &sig, "1", &tree, &[]).unwrap();
        let parent = repo.find_commit(first).unwrap();
        let second = repo
            .commit(None, &sig, &sig, "2", &tree, &[&parent])
            .unwrap();
        let other = repo
            .commit(None, &sig, &sig, "3", &tree, &[&parent])
            .unwrap();
        let update = |new: String, old: String| RefUpdate {
            local_ref: "refs/heads/x".into(),
            local_oid: new,
            remote_ref: "refs/heads/main".into(),
            remote_oid: old,
        };
        let kind = |new: &str, old: &str| classify(&repo, &update(new.into(), old.into()));
        let (f, s, o) = (first.to_string(), second.to_string(), other.to_string());
        assert_eq!(kind(&s, &f), UpdateKind::FastForward);
        assert_eq!(kind(&o, &s), UpdateKind::Force);
        assert_eq!(kind(&f, &s), UpdateKind::Force);
        assert_eq!(kind(&s, ZERO), UpdateKind::New);
        assert_eq!(kind(ZERO, &s), UpdateKind::Delete);
        // A remote commit this clone has never seen is not an ancestor.
        assert_eq!(kind(&s, &"b".repeat(40)), UpdateKind::Force);
    }
}
