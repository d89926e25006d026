//! What a `git push` on a command line would update, read as git reads
//! `git push [options] [REMOTE [REFSPEC…]]`: the remote (else the
//! branch's push remote, else `origin`), each destination ref (else what
//! `push.default` pushes), and the kind of update. Its subject is
//! `REMOTE/BRANCH` (`origin/main`) for a branch, `REMOTE/refs/…` for other
//! refs and `REMOTE/*` for `--all`, `--tags`, `--mirror`: the same subject
//! git's `pre-push` hook judges, so one approval serves both.

use crate::agents::shell::{Command, GitView, Reading, Word};

/// How a ref is updated, least severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Push,
    Force,
    Delete,
    /// The `pre-push` hook would not run.
    NoVerify,
}

impl Kind {
    fn action(self) -> &'static str {
        match self {
            Kind::Push => "git.push",
            Kind::Force => "git.push.force",
            Kind::Delete => "git.push.delete",
            Kind::NoVerify => "git.push.no_verify",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    pub action: &'static str,
    pub subject: String,
}

/// The most severe ref update the line's pushes make (the first of them
/// when several are as severe).
pub fn of(reading: &Reading, repo: &dyn GitView) -> Option<Push> {
    let hooks_unset = reading.assigned.iter().any(|v| v.starts_with("GIT_CONFIG"));
    let mut best: Option<(Kind, String)> = None;
    for c in &reading.commands {
        if c.program != "git" {
            continue;
        }
        // git's lower-level pushes take the same operands as `git push`
        // and never run its `pre-push` hook.
        let bypass = match c.arg(0) {
            Some("push") => hooks_unset,
            Some("send-pack" | "http-push") => true,
            _ => continue,
        };
        for (kind, subject) in updates(c, repo, bypass) {
            if best.as_ref().is_none_or(|(k, _)| kind > *k) {
                best = Some((kind, subject));
            }
        }
    }
    best.map(|(kind, subject)| Push {
        action: kind.action(),
        subject,
    })
}

/// `git push`'s long options (without `--no-` forms, which negate them);
/// a prefix works, as git's option parser allows. The more severe of two
/// options sharing a prefix comes first.
const LONG: &[&str] = &[
    "delete",
    "force",
    "force-with-lease",
    "force-if-includes",
    "mirror",
    "prune",
    "verify",
    "all",
    "branches",
    "tags",
    "follow-tags",
    "atomic",
    "dry-run",
    "porcelain",
    "repo",
    "set-upstream",
    "thin",
    "quiet",
    "verbose",
    "progress",
    "recurse-submodules",
    "push-option",
    "receive-pack",
    "exec",
    "signed",
    "ipv4",
    "ipv6",
];

/// Long options whose value may be the next word.
const VALUED: &[&str] = &["repo", "push-option", "receive-pack", "exec"];

/// The long option `name` abbreviates, and whether it was negated.
fn long_option(name: &str) -> Option<(&'static str, bool)> {
    let find = |n: &str| {
        if let Some(exact) = LONG.iter().find(|o| **o == n) {
            return Some(*exact);
        }
        // git refuses an ambiguous abbreviation; reading it as the first
        // option it could be errs on the side of the more severe one
        // (`--forc` as `--force`).
        LONG.iter().find(|o| o.starts_with(n)).copied()
    };
    if let Some(o) = find(name) {
        return Some((o, false));
    }
    name.strip_prefix("no-").and_then(find).map(|o| (o, true))
}

#[derive(Default)]
struct Flags {
    force: bool,
    delete: bool,
    prune: bool,
    mirror: bool,
    every_branch: bool,
    tags: bool,
    no_verify: bool,
    repo: Option<String>,
}

/// Each ref `c` (a `git push …`) updates, with its kind and subject.
fn updates(c: &Command, repo: &dyn GitView, hooks_unset: bool) -> Vec<(Kind, String)> {
    let args = &c.args[1..];
    let mut f = Flags::default();
    let mut operands: Vec<&Word> = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if t == "--" {
            operands.extend(args[i..].iter());
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some((option, negated)) = long_option(name) else {
                continue;
            };
            let value = match value {
                None if VALUED.contains(&option) && !negated => {
                    i += 1;
                    args.get(i - 1).map(|w| w.text.clone())
                }
                v => v,
            };
            let on = !negated;
            match option {
                "force" | "force-with-lease" | "force-if-includes" => f.force = on,
                "delete" => f.delete = on,
                "prune" => f.prune = on,
                "mirror" => f.mirror = on,
                "all" | "branches" => f.every_branch = on,
                "tags" => f.tags = on,
                "verify" => f.no_verify = negated,
                "repo" => f.repo = value,
                _ => {}
            }
            continue;
        }
        if t.len() > 1 && t.starts_with('-') {
            for (k, ch) in t[1..].char_indices() {
                match ch {
                    'f' => f.force = true,
                    'd' => f.delete = true,
                    'o' => {
                        // `-o OPTION`: the rest of the word, or the next one.
                        if k + 1 == t.len() - 1 {
                            i += 1;
                        }
                        break;
                    }
                    _ => {}
                }
            }
            continue;
        }
        operands.push(w);
    }
    let no_verify =
        f.no_verify || hooks_unset || c.git_config.iter().any(|(k, _)| k == "core.hookspath");
    let branch = repo.head_branch();
    let remote = operands
        .first()
        .map(|w| w.text.clone())
        .or(f.repo.clone())
        .unwrap_or_else(|| default_remote(repo, branch.as_deref()));
    let refspecs: Vec<&str> = operands.iter().skip(1).map(|w| w.text.as_str()).collect();
    let mut out = Vec::new();
    let base = if f.force { Kind::Force } else { Kind::Push };
    if f.mirror || f.every_branch || f.tags {
        let kind = if f.prune {
            Kind::Delete
        } else if f.mirror {
            Kind::Force
        } else {
            base
        };
        out.push((kind, format!("{remote}/*")));
    }
    let mut k = 0;
    while k < refspecs.len() {
        let spec = if refspecs[k] == "tag" && k + 1 < refspecs.len() {
            k += 1;
            format!("refs/tags/{}", refspecs[k])
        } else {
            refspecs[k].to_string()
        };
        k += 1;
        out.push(refspec(&spec, &f, repo, branch.as_deref(), &remote));
    }
    if out.is_empty() {
        for (kind, name) in default_refs(repo, branch.as_deref(), &remote) {
            let kind = kind.max(base);
            out.push((kind, format!("{remote}/{name}")));
        }
    }
    if no_verify {
        for u in &mut out {
            u.0 = Kind::NoVerify;
        }
    }
    out
}

/// One refspec: `[+]SRC[:DST]`, `:DST` (delete), `SRC` (to the same name).
fn refspec(
    spec: &str,
    f: &Flags,
    repo: &dyn GitView,
    branch: Option<&str>,
    remote: &str,
) -> (Kind, String) {
    let (plus, spec) = match spec.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, spec),
    };
    let (src, dst) = match spec.split_once(':') {
        Some((s, d)) => (s, Some(d)),
        None => (spec, None),
    };
    let kind = if f.delete || src.is_empty() {
        Kind::Delete
    } else if plus || f.force {
        Kind::Force
    } else {
        Kind::Push
    };
    let dst = match dst {
        Some(d) if !d.is_empty() => d.to_string(),
        _ if matches!(src, "HEAD" | "@") => branch.unwrap_or("HEAD").to_string(),
        _ if !src.starts_with("refs/") && repo.has_tag(src) => format!("refs/tags/{src}"),
        _ => src.to_string(),
    };
    (kind, format!("{remote}/{}", short_ref(&dst)))
}

/// `refs/heads/x` is the branch `x`; other refs keep their full name.
fn short_ref(name: &str) -> &str {
    name.strip_prefix("refs/heads/").unwrap_or(name)
}

/// The remote a plain `git push` goes to.
fn default_remote(repo: &dyn GitView, branch: Option<&str>) -> String {
    let per_branch = |key: &str| branch.and_then(|b| repo.config(&format!("branch.{b}.{key}")));
    per_branch("pushRemote")
        .or_else(|| repo.config("remote.pushDefault"))
        .or_else(|| per_branch("remote"))
        .unwrap_or_else(|| "origin".into())
}

/// What a push without refspecs updates: the remote's configured push
/// refspecs, else per `push.default` (the current branch, its upstream,
/// or every matching branch).
fn default_refs(repo: &dyn GitView, branch: Option<&str>, remote: &str) -> Vec<(Kind, String)> {
    if let Some(spec) = repo.config(&format!("remote.{remote}.push")) {
        let (kind, subject) = refspec(&spec, &Flags::default(), repo, branch, remote);
        let name = subject[remote.len() + 1..].to_string();
        return vec![(kind, name)];
    }
    let current = branch.unwrap_or("HEAD").to_string();
    let mode = repo.config("push.default").unwrap_or_default();
    let name = match mode.as_str() {
        "matching" => "*".to_string(),
        "upstream" | "tracking" => branch
            .and_then(|b| repo.config(&format!("branch.{b}.merge")))
            .map(|m| short_ref(&m).to_string())
            .unwrap_or(current),
        _ => current,
    };
    vec![(Kind::Push, name)]
}
