//! The two network steps of `sync`, run through the user's own `git` so its
//! credential helpers, SSH config and proxies apply (libgit2 would need its
//! own copies of all of them). Argument vectors only, never a shell.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

pub const STATE_BRANCH: &str = "codexa/state";
pub const STATE_REF: &str = "refs/heads/codexa/state";

pub fn tracking_ref(remote: &str) -> String {
    format!("refs/remotes/{remote}/{STATE_BRANCH}")
}

/// `git ARGS` in `workdir`, its output whatever its status.
pub(crate) fn git(workdir: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .args(args)
        .current_dir(workdir)
        .output()
        .map_err(|e| {
            Error::io("could not run `git`")
                .hint("install git and make sure it is on PATH")
                .caused_by(e)
        })
}

/// Fetch the remote's `codexa/state` into its tracking ref. `Ok(false)` when
/// the remote has no such branch yet.
pub fn fetch_state(workdir: &Path, remote: &str) -> Result<bool> {
    let probe = git(workdir, &["ls-remote", "--exit-code", remote, STATE_REF])?;
    match probe.status.code() {
        Some(0) => {}
        Some(2) => return Ok(false),
        _ => {
            return Err(Error::io(format!(
                "could not reach remote `{remote}`: {}",
                String::from_utf8_lossy(&probe.stderr).trim()
            ))
            .hint(format!(
                "check `git remote -v` and that `git fetch {remote}` works"
            )));
        }
    }
    let refspec = format!("+{STATE_REF}:{}", tracking_ref(remote));
    let out = git(
        workdir,
        &[
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "--quiet",
            remote,
            &refspec,
        ],
    )?;
    if !out.status.success() {
        return Err(Error::io(format!(
            "`git fetch {remote}` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
        .hint(format!("check that `git fetch {remote}` works")));
    }
    Ok(true)
}

/// Outcome of a push attempt.
pub enum Push {
    Done,
    /// The remote moved since the fetch; merge again and retry.
    Rejected,
}

/// Push that one ref. `--no-verify`: the user's pre-push hooks guard code,
/// and sync must never run them.
pub fn push_state(workdir: &Path, remote: &str) -> Result<Push> {
    let refspec = format!("{STATE_REF}:{STATE_REF}");
    let out = git(
        workdir,
        &[
            "push",
            "--no-verify",
            "--porcelain",
            "--quiet",
            remote,
            &refspec,
        ],
    )?;
    if out.status.success() {
        return Ok(Push::Done);
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if text.contains("[rejected]")
        || text.contains("non-fast-forward")
        || text.contains("fetch first")
    {
        return Ok(Push::Rejected);
    }
    Err(
        Error::io(format!("`git push {remote}` failed: {}", text.trim()))
            .hint(format!("check that you may push to `{remote}`")),
    )
}
