//! Installing git's `pre-push` hook, which runs `codexa hook pre-push`.
//!
//! The hook goes where git looks for hooks: `core.hooksPath` when set
//! (relative to the work tree, `~` expanded), else the `hooks/` folder of
//! the git common directory, which every worktree of the clone shares. A
//! `pre-push` already there is never replaced silently: it is kept beside
//! ours as `pre-push.codexa-chained`, and codexa runs it after its own
//! check with the same arguments and input, so its verdict still counts.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::Store;

/// What marks the hook as codexa's.
pub const MARKER: &str = "# codexa pre-push hook";
/// Where a hook that was there before ours is kept.
pub const CHAINED: &str = "pre-push.codexa-chained";

/// What an install would do.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The hook file, as a person would find it.
    pub file: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub changed: bool,
    /// The hook that was there before, when it is kept and chained.
    pub chained: Option<String>,
    #[serde(skip)]
    pub after: String,
}

/// The folder git runs hooks from.
pub fn hooks_dir(store: &Store) -> Result<PathBuf> {
    let repo = store.repo()?;
    let configured = repo
        .config()
        .ok()
        .and_then(|c| c.get_path("core.hooksPath").ok());
    Ok(match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => store.workdir.join(p),
        None => store.common_dir.join("hooks"),
    })
}

/// A word for `sh`, single-quoted.
fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The hook: codexa by the path it was installed from, else from PATH.
/// Without either the hook fails and git refuses the push: a gate that
/// cannot run does not open.
pub fn script(exe: &Path) -> String {
    format!(
        "#!/bin/sh\n{MARKER}: each ref update goes to codexa's policy gate.\n\
         # Installed by `codexa hooks install`; a hook that was here before is\n\
         # kept as {CHAINED} and run after codexa's check.\n\
         codexa={}\n\
         [ -x \"$codexa\" ] || codexa=codexa\n\
         exec \"$codexa\" hook pre-push \"$@\"\n",
        sh_quote(&exe.display().to_string())
    )
}

/// Whether `text` is a hook codexa wrote.
pub fn is_ours(text: &str) -> bool {
    text.lines().nth(1).is_some_and(|l| l.starts_with(MARKER))
}

/// Work out the install of the `pre-push` hook for `store`'s clone.
pub fn plan(store: &Store, exe: &Path) -> Result<Plan> {
    let dir = hooks_dir(store)?;
    let path = dir.join("pre-push");
    let file = path
        .strip_prefix(&store.workdir)
        .unwrap_or(&path)
        .display()
        .to_string();
    let after = script(exe);
    let before = match std::fs::read(&path) {
        Ok(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display())).caused_by(e)),
    };
    let (changed, chained) = match before.as_deref() {
        Some(text) if is_ours(text) => (text != after, None),
        Some(text) => {
            let keep = dir.join(CHAINED);
            // Kept already by an install that stopped before writing ours.
            let kept_already = std::fs::read(&keep).is_ok_and(|k| k == text.as_bytes());
            if keep.exists() && !kept_already {
                return Err(Error::user(format!(
                    "{} is not codexa's hook, and {} already exists",
                    path.display(),
                    keep.display()
                ))
                .hint(format!(
                    "merge the two by hand (codexa runs {CHAINED} after its own check), remove {}, then run `codexa hooks install` again",
                    path.display()
                )));
            }
            (true, Some(keep.display().to_string()))
        }
        None => (true, None),
    };
    Ok(Plan {
        file,
        path,
        changed,
        chained,
        after,
    })
}

/// Write the plan: copy the old hook aside (kept, to be chained), then
/// rename ours over it, already executable, so that no push ever finds the
/// hook missing or not executable (git would skip it).
pub fn apply(plan: &Plan) -> Result<()> {
    if !plan.changed {
        return Ok(());
    }
    let dir = plan.path.parent().unwrap_or(Path::new("."));
    let io = |what: String| move |e: std::io::Error| Error::io(what).caused_by(e);
    std::fs::create_dir_all(dir).map_err(io(format!("cannot create {}", dir.display())))?;
    if let Some(keep) = &plan.chained {
        std::fs::copy(&plan.path, keep)
            .map_err(io(format!("cannot copy {} to {keep}", plan.path.display())))?;
    }
    let tmp = dir.join(format!(".pre-push.codexa-{}", std::process::id()));
    write_executable(&tmp, plan.after.as_bytes())
        .and_then(|()| std::fs::rename(&tmp, &plan.path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io(format!("cannot write {}", plan.path.display())).caused_by(e)
        })
}

fn write_executable(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o755);
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Whether the `pre-push` hook is codexa's.
pub fn installed(store: &Store) -> Result<bool> {
    let path = hooks_dir(store)?.join("pre-push");
    Ok(std::fs::read_to_string(path).is_ok_and(|t| is_ours(&t)))
}

/// Run the hook that was there before ours, with git's arguments and the
/// input codexa read; how it ended, or `None` when there is none to run (a
/// hook that cannot start refuses).
pub fn run_chained(
    store: &Store,
    args: &[String],
    input: &str,
) -> Result<Option<std::process::ExitStatus>> {
    use std::io::Write;
    let path = hooks_dir(store)?.join(CHAINED);
    // A hook git would not run (missing, or not executable) is not run
    // here either.
    if !is_executable(&path) {
        return Ok(None);
    }
    let mut child = std::process::Command::new(&path)
        .args(args)
        .current_dir(&store.workdir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| Error::io(format!("cannot run {}", path.display())).caused_by(e))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input closes the pipe early: not
        // an error of ours.
        let _ = stdin.write_all(input.as_bytes());
    }
    let status = child
        .wait()
        .map_err(|e| Error::io(format!("cannot wait for {}", path.display())).caused_by(e))?;
    Ok(Some(status))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_quotes_its_path_and_is_recognised() {
        let s = script(Path::new("/opt/it's/codexa"));
        assert!(s.contains(r"codexa='/opt/it'\''s/codexa'"), "{s}");
        assert!(is_ours(&s));
        assert!(!is_ours("#!/bin/sh\necho mine\n"));
    }
}
