//! Finding the repository around a folder without libgit2, for the common
//! case: a plain clone, entered anywhere in its work tree.
//!
//! libgit2's discovery reads the system, global and repository config and
//! checks ownership along the way, about forty system calls and a sixth of
//! the instructions of a short command such as `read`, which agents run on
//! every turn. For a `.git` folder with nothing unusual about it the answer
//! is fixed by the layout alone, and this finds it with a handful of
//! `stat`s and one read of `.git/config`. Anything less plain (a `GIT_*`
//! variable that moves the repository, a `.git` file of a worktree or
//! submodule, a symlink, config that moves the work tree or makes the
//! repository bare, includes, extensions, another owner, a file-system
//! boundary) gets `None`, and libgit2 decides as before; a test holds the
//! two to the same answers. Like git, and unlike libgit2, `core.worktree`
//! and `core.bare` are taken from the repository's own config only, not
//! from the user's or the system's.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The variables with which git (and libgit2, opened from the
/// environment) finds a repository elsewhere than by walking up.
const MOVING_VARIABLES: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
];

/// The git directory and the work tree of the plain clone around `start`,
/// both absolute and free of symlinks; `None` when libgit2 must decide.
pub(super) fn plain(start: &Path) -> Option<(PathBuf, PathBuf)> {
    if MOVING_VARIABLES
        .iter()
        .any(|v| std::env::var_os(v).is_some())
    {
        return None;
    }
    let start = std::fs::canonicalize(start).ok()?;
    // libgit2's paths pass through UTF-8 on the way to the store: a path
    // that is not is left to it, so both ways name the same place.
    start.to_str()?;
    let mut device = None;
    for dir in start.ancestors() {
        // Discovery stops at a file-system boundary.
        let here = std::fs::metadata(dir).ok()?.dev();
        if *device.get_or_insert(here) != here {
            return None;
        }
        // libgit2 first asks whether the folder is itself a git directory
        // (inside `.git/`, or a bare repository).
        if std::fs::symlink_metadata(dir.join("HEAD")).is_ok() {
            return None;
        }
        match std::fs::symlink_metadata(dir.join(".git")) {
            Ok(m) if m.is_dir() && Some(m.dev()) == device => return plain_git_dir(dir),
            Ok(_) => return None,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => return None,
        }
    }
    None
}

/// `workdir/.git` if it is a whole git directory of this user's whose
/// config leaves the work tree where it is.
fn plain_git_dir(workdir: &Path) -> Option<(PathBuf, PathBuf)> {
    let git_dir = workdir.join(".git");
    let is = |name: &str, dir: bool| {
        std::fs::symlink_metadata(git_dir.join(name))
            .is_ok_and(|m| if dir { m.is_dir() } else { m.is_file() })
    };
    // A `commondir` of any kind (a file, or a symlink git would follow)
    // points the repository elsewhere.
    let points_away = std::fs::symlink_metadata(git_dir.join("commondir")).is_ok();
    if !(is("HEAD", false) && is("objects", true) && is("refs", true)) || points_away {
        return None;
    }
    let me = rustix::process::geteuid().as_raw();
    let owned = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.uid() == me);
    if !(owned(&git_dir) && owned(workdir)) {
        return None;
    }
    let config = std::fs::read_to_string(git_dir.join("config")).ok()?;
    plain_config(&config).then(|| (git_dir, workdir.to_path_buf()))
}

/// True when no line of the repository's config could move the work tree,
/// make the repository bare, pull in other files or ask for an extension.
/// Judged line by line, generously: a line merely mentioning one of these
/// (a comment, another section) also sends the decision to libgit2.
fn plain_config(text: &str) -> bool {
    text.lines().all(|line| {
        let whole: String = line
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        // A setting may follow its section's header on the same line
        // (`[core] bare = true`).
        let l = match whole.strip_prefix('[') {
            Some(rest) => rest.split_once(']').map_or("", |(_, after)| after),
            None => whole.as_str(),
        };
        let version_ok = l
            .strip_prefix("repositoryformatversion=")
            .is_none_or(|v| v == "0" || v == "1");
        let bare_ok = l == "bare=false" || !l.starts_with("bare");
        version_ok
            && bare_ok
            && !whole.contains("worktree")
            && !whole.contains("include")
            && !whole.contains("extensions")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn git(dir: &Path, args: &[&str]) {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    /// What libgit2 says of `start`: the common directory and work tree,
    /// or that it found no usable repository.
    fn by_libgit2(start: &Path) -> Option<(PathBuf, PathBuf)> {
        Store::locate_with_libgit2(start)
            .ok()
            .map(|s| (s.common_dir, s.workdir))
    }

    #[test]
    fn the_plain_answer_is_libgit2s_or_none() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        let repo = root.join("repo");
        std::fs::create_dir_all(repo.join("src/deep")).unwrap();
        git(&repo, &["init", "-q"]);
        git(&repo, &["commit", "-q", "--allow-empty", "-m", "first"]);
        git(&repo, &["worktree", "add", "-q", "../wt"]);
        git(&root, &["init", "-q", "--bare", "bare.git"]);
        let moved = root.join("moved");
        std::fs::create_dir_all(moved.join("tree")).unwrap();
        git(&moved, &["init", "-q"]);
        git(&moved, &["config", "core.worktree", "tree"]);
        let linked = root.join("linked");
        std::fs::create_dir(&linked).unwrap();
        std::os::unix::fs::symlink(repo.join(".git"), linked.join(".git")).unwrap();
        std::fs::create_dir(root.join("none")).unwrap();
        // `.git/commondir` as a symlink to a file naming another repository.
        let pointed = root.join("pointed");
        std::fs::create_dir(&pointed).unwrap();
        git(&pointed, &["init", "-q"]);
        std::fs::write(
            root.join("elsewhere"),
            root.join("bare.git").to_str().unwrap(),
        )
        .unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere"), pointed.join(".git/commondir")).unwrap();

        let plain_ones = [repo.clone(), repo.join("src/deep")];
        for start in &plain_ones {
            let found = plain(start).unwrap_or_else(|| panic!("{start:?} is plain"));
            assert_eq!(found, (repo.join(".git"), repo.clone()));
            assert_eq!(Some(found), by_libgit2(start), "{start:?}");
        }
        for start in [
            repo.join(".git"),
            repo.join(".git/refs"),
            root.join("wt"),
            root.join("bare.git"),
            moved.clone(),
            linked.clone(),
            root.join("none"),
            pointed.clone(),
        ] {
            assert_eq!(plain(&start), None, "{start:?} is left to libgit2");
        }
        // Where libgit2 finds a repository the plain walk declined, it is
        // not the plain answer (so declining changed nothing).
        assert_ne!(
            by_libgit2(&moved).map(|(_, w)| w),
            Some(moved.clone()),
            "core.worktree moves the work tree"
        );
    }

    #[test]
    fn config_that_could_move_the_tree_is_not_plain() {
        let ordinary = "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n[user]\n\tname = x\n";
        assert!(plain_config(ordinary));
        for odd in [
            "[core]\n\tbare = true\n",
            "[core]\n\tbare\n",
            "[core]\n\tBare = yes\n",
            "[core]\n\tworktree = ../x\n",
            "[core]\n\tworkTree = ../x\n",
            "[include]\n\tpath = other\n",
            "[includeIf \"gitdir:~/\"]\n\tpath = other\n",
            "[core]\n\trepositoryformatversion = 2\n",
            "[extensions]\n\tobjectformat = sha256\n",
            "[core] bare = true\n",
            "[core]bare\n",
            "[core] repositoryformatversion = 2\n",
        ] {
            assert!(!plain_config(odd), "{odd}");
        }
    }
}
