//! History: churn and co-change coupling mined from git, the way code-maat
//! reads `git log --numstat --no-merges` — but through libgit2, so discover
//! needs no `git` binary and no log parsing.
//!
//! The window is the last `max_commits` non-merge commits reachable from
//! HEAD, newest first by committer time (the order `git log -n N` lists).
//! Merges are skipped as `--no-merges` skips them: their diff against the
//! first parent repeats the work of the branch they bring in, which would
//! count every line twice. Every other commit is diffed against its first
//! parent (a root commit, or a shallow clone's boundary, against the empty
//! tree), with rename detection on.
//!
//! Only files in HEAD's tree are reported: history of deleted files says
//! nothing about today's hotspots. A name refers to the file at it today,
//! except across a rename, which hands the history under the old name to
//! the new one (walking newest to oldest, a map from each name at that point
//! in history to the name at HEAD is carried and rewritten at each rename).
//!
//! The work is done in three passes, because line counts are the expensive
//! part and most of them can be skipped:
//!
//! 1. in parallel, each commit's tree diff and rename detection (no content
//!    diffs yet: `tree_diff`);
//! 2. sequentially, newest first, renames are applied and each change is
//!    given the file at HEAD it belongs to, if any, and counted (`metrics`);
//! 3. in parallel, line counts for the changes that belong to a file at HEAD
//!    only, one file's changes in a row so each blob is read once — blobs
//!    of deleted files, of mode changes and of files binary by attribute
//!    (`attrs`) are never read (`lines`).
//!
//! `Repository` is `Send` but not `Sync`, so each rayon worker opens its own
//! handle on the same git directory.
//!
//! The numbers are `git log --numstat -M --no-merges`'s (the tests compare
//! them), with two known differences on real histories: renames are found
//! by libgit2's similarity measure, which now and then pairs a file git
//! calls new (in ripgrep, `path_printer.rs` → `path.rs`, a move its commit
//! message names), and of two commits with the same committer time the
//! walk may list either first, so `last_commit` can name the other one.

mod attrs;
mod lines;
mod metrics;
#[cfg(test)]
mod tests;
mod tree_diff;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use git2::{Delta, ErrorCode, Oid, Repository, Sort};
use rayon::prelude::*;
use serde::Serialize;

use self::attrs::{Attrs, DiffAttr};
use self::lines::{LineJob, file_line_counts};
use self::metrics::Tally;
use self::tree_diff::{RawDelta, commit_deltas};
use crate::error::{Error, Result};

/// Which commits to read and when two files count as coupled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryOptions {
    /// How many non-merge commits from HEAD to read (as `git log
    /// --no-merges -n N`). Old history says little about where work happens
    /// now, and reading all of it would cost as much as the rest of
    /// discover together on a long-lived repository.
    pub max_commits: usize,
    /// Each file of a pair needs at least this many revisions in the window
    /// to be coupled: two changes together prove nothing.
    pub min_revs: u32,
    /// A pair needs at least this many commits touching both.
    pub min_shared: u32,
    /// A pair needs at least this degree (percent, see [`Coupling::degree`]).
    pub min_degree: u32,
    /// Commits touching more files than this (every file the commit
    /// touches, at HEAD or not) are left out of coupling, but not of churn:
    /// a reformat or a licence-header sweep couples everything with
    /// everything and drowns the real pairs.
    pub max_changeset: usize,
}

impl Default for HistoryOptions {
    /// The schema's defaults for `discover:` (code-maat's thresholds, and a
    /// window of a thousand commits).
    fn default() -> Self {
        HistoryOptions::from(&crate::config::defaults().discover)
    }
}

/// What the window says about one file at HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileHistory {
    /// Commits in the window touching the file (a rename or a mode change
    /// alone counts too, as `git log --numstat` lists it).
    pub revisions: u32,
    /// Lines added, as `git log --numstat` counts them (0 for binary files,
    /// which git shows as `-`).
    pub added: u64,
    /// Lines removed, likewise.
    pub removed: u64,
    /// Distinct author names (after `.mailmap`, as `git log` shows them),
    /// sorted.
    pub authors: Vec<String>,
    /// Unix seconds of the newest commit touching the file. Committer time,
    /// not author time: it is when the change reached this branch (a rebase
    /// or cherry-pick keeps the author date of long ago), and the walk is
    /// ordered by it.
    pub last_change: i64,
    /// That commit's full hex id.
    pub last_commit: String,
}

/// Two files at HEAD that tend to change in the same commits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coupling {
    /// The lesser path of the two.
    pub a: String,
    /// The greater path.
    pub b: String,
    /// Commits touching both (commits over `max_changeset` files excluded).
    pub shared: u32,
    /// `shared / average(revs_a, revs_b) * 100`, rounded down (code-maat's
    /// degree): 100 means the two always change together.
    pub degree: u32,
    /// `a`'s revisions in the window.
    pub revs_a: u32,
    /// `b`'s revisions in the window.
    pub revs_b: u32,
}

/// The mined window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct History {
    /// Non-merge commits examined.
    pub commits: usize,
    /// HEAD's id; none for an empty repository.
    pub head: Option<String>,
    /// The oldest commit in the window.
    pub oldest: Option<String>,
    /// Files at HEAD touched in the window, by repo-relative path with `/`
    /// separators. A file untouched in the window is absent.
    pub files: BTreeMap<String, FileHistory>,
    /// Pairs meeting every threshold, by degree (highest first), then
    /// shared revisions (most first), then paths.
    pub couplings: Vec<Coupling>,
}

/// A commit of the window, as the walk found it.
struct CommitInfo {
    id: Oid,
    /// Committer time, unix seconds.
    time: i64,
    author: String,
}

/// Mine the window of history ending at HEAD. An unborn HEAD (a repository
/// with no commit yet) gives an empty history; a shallow clone's history
/// ends at its boundary.
///
/// While it runs, libgit2's re-hashing of every object read is off, for the
/// whole process (see [`NoHashVerification`]).
pub fn mine(repo: &Repository, opts: &HistoryOptions) -> Result<History> {
    let head = match repo.head() {
        Ok(head) => head,
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
            return Ok(History::default());
        }
        Err(e) => return Err(git_error("could not read HEAD", e)),
    };
    let head_commit = head
        .peel_to_commit()
        .map_err(|e| git_error("HEAD does not point at a commit", e))?;
    let head_tree = head_commit
        .tree()
        .map_err(|e| git_error("could not read HEAD's tree", e))?;

    // Files at HEAD, indexed in path order so that index order is path
    // order (coupling pairs come out with `a < b` for free).
    let mut paths = Vec::new();
    list_blobs(repo, &head_tree, "", &mut paths)?;
    paths.sort_unstable();
    paths.dedup();

    let _fast_reads = NoHashVerification::start();
    let commits = walk(repo, head_commit.id(), opts.max_commits)?;

    // Pass 1: tree diffs with rename detection, in parallel.
    let git_dir = repo.path();
    let deltas: Vec<Vec<RawDelta>> = commits
        .par_iter()
        .map_init(
            || open_worker(git_dir),
            |worker, commit| {
                let worker = worker
                    .as_ref()
                    .map_err(|e| Error::io(e.message().to_string()))?;
                commit_deltas(worker, commit.id)
                    .map_err(|e| git_error(&format!("could not diff commit {}", commit.id), e))
            },
        )
        .collect::<Result<_>>()?;

    // Pass 2: newest to oldest, give each change the file at HEAD it
    // belongs to, following renames. `alias` maps a name at this point in
    // history to the file at HEAD it stands for.
    let mut alias: HashMap<String, u32> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), i as u32))
        .collect();
    let mut tally = Tally::new(paths.len());
    // Per file at HEAD, its content changes, newest first.
    let mut jobs: Vec<Vec<LineJob>> = (0..paths.len()).map(|_| Vec::new()).collect();
    let mut attrs = Attrs::new(repo);
    for (ci, (commit, deltas)) in commits.iter().zip(&deltas).enumerate() {
        let mut touched: Vec<u32> = Vec::new();
        for d in deltas {
            if d.status == Delta::Deleted {
                continue;
            }
            let Some(&file) = alias.get(&d.new_path) else {
                continue;
            };
            touched.push(file);
            if d.old_id == d.new_id {
                continue; // a mode change or a pure rename: no lines
            }
            let attr = attrs.of(&d.old_path)?.and(attrs.of(&d.new_path)?);
            if attr != DiffAttr::Binary {
                jobs[file as usize].push(LineJob {
                    old_id: d.old_id,
                    new_id: d.new_id,
                    path: d.new_path.clone(),
                    attr,
                });
            }
        }
        let coupled = deltas.len() <= opts.max_changeset;
        tally.commit(ci, &commit.author, touched, coupled);
        // Before this commit a renamed file went by its old name, and the
        // new name was nobody's (or some other file's, not this one's).
        // Removals first, so that two files swapping names both survive.
        let renamed: Vec<(&str, Option<u32>)> = deltas
            .iter()
            .filter(|d| d.status == Delta::Renamed)
            .map(|d| (d.old_path.as_str(), alias.remove(&d.new_path)))
            .collect();
        for (old, file) in renamed {
            if let Some(file) = file {
                alias.insert(old.to_string(), file);
            }
        }
    }

    // Pass 3: line counts, in parallel, one file's changes at a time so
    // that each blob is read once: a change's old side is usually the next
    // older change's new side.
    let counts: Vec<(usize, u64, u64)> = jobs
        .par_iter()
        .enumerate()
        .filter(|(_, changes)| !changes.is_empty())
        .map_init(
            || open_worker(git_dir),
            |worker, (file, changes)| {
                let worker = worker
                    .as_ref()
                    .map_err(|e| Error::io(e.message().to_string()))?;
                let (added, removed) = file_line_counts(worker, changes)?;
                Ok((file, added, removed))
            },
        )
        .collect::<Result<_>>()?;
    for (file, added, removed) in counts {
        tally.lines(file, added, removed);
    }
    let (files, couplings) = tally.finish(&paths, &commits, opts);

    Ok(History {
        commits: commits.len(),
        head: Some(head_commit.id().to_string()),
        oldest: commits.last().map(|c| c.id.to_string()),
        files,
        couplings,
    })
}

/// While alive, libgit2 does not re-hash the objects it reads to check them
/// against their ids. git itself does not either on ordinary reads, and
/// here the (collision-detecting, slow) SHA-1 of every blob diffed was a
/// third of the time. The setting is process-wide: it is put back to
/// libgit2's default (on) when the guard drops, and a concurrent reader in
/// the meantime merely goes unchecked.
struct NoHashVerification;

impl NoHashVerification {
    fn start() -> Self {
        git2::opts::strict_hash_verification(false);
        NoHashVerification
    }
}

impl Drop for NoHashVerification {
    fn drop(&mut self) {
        git2::opts::strict_hash_verification(true);
    }
}

fn git_error(what: &str, e: git2::Error) -> Error {
    Error::io(format!("{what}: {}", e.message())).caused_by(e)
}

/// A worker's own handle on the repository: objects and config only, no
/// work tree. Attributes are read once per path on the caller's handle
/// instead ([`Attrs`]); without a work tree, what libgit2 still looks up
/// for each blob pair on its own costs less.
fn open_worker(git_dir: &Path) -> Result<Repository> {
    Repository::open_bare(git_dir).map_err(|e| {
        git_error(
            &format!("could not reopen the repository at {}", git_dir.display()),
            e,
        )
    })
}

/// Every blob under `tree` (files and symlinks; submodules are commits, not
/// files, and are left out), as `prefix`-relative paths. Written by hand
/// rather than with `Tree::walk`, which gives up on a directory whose name
/// is not UTF-8.
fn list_blobs(
    repo: &Repository,
    tree: &git2::Tree,
    prefix: &str,
    out: &mut Vec<String>,
) -> Result<()> {
    for entry in tree.iter() {
        let name = String::from_utf8_lossy(entry.name_bytes());
        let path = format!("{prefix}{name}");
        match entry.kind() {
            Some(git2::ObjectType::Blob) => out.push(path),
            Some(git2::ObjectType::Tree) => {
                let sub = repo.find_tree(entry.id()).map_err(|e| {
                    git_error(&format!("could not read directory {path} at HEAD"), e)
                })?;
                list_blobs(repo, &sub, &format!("{path}/"), out)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The non-merge commits of the window, newest first.
fn walk(repo: &Repository, head: Oid, max_commits: usize) -> Result<Vec<CommitInfo>> {
    let mut out = Vec::new();
    if max_commits == 0 {
        return Ok(out);
    }
    let mut revwalk = repo
        .revwalk()
        .and_then(|mut w| {
            // No sorting flag: libgit2's default is git log's own order
            // (newest first by commit date, walked lazily). `Sort::TIME`
            // would read the whole history before the first commit came
            // out: 41k commits parsed to use 1,000 on rust-analyzer.
            w.set_sorting(Sort::NONE)?;
            w.push(head)?;
            Ok(w)
        })
        .map_err(|e| git_error("could not walk the history from HEAD", e))?;
    // A broken .mailmap should not cost the whole history: raw names then.
    let mailmap = repo.mailmap().ok();
    for oid in &mut revwalk {
        let oid = match oid {
            Ok(oid) => oid,
            // A commit the walk cannot find is past a shallow clone's
            // boundary (libgit2 honours `.git/shallow`; this is the belt to
            // its braces): the history ends here.
            Err(e) if e.code() == ErrorCode::NotFound => break,
            Err(e) => return Err(git_error("could not walk the history from HEAD", e)),
        };
        let commit = repo
            .find_commit(oid)
            .map_err(|e| git_error(&format!("could not read commit {oid}"), e))?;
        if commit.parent_count() > 1 {
            continue;
        }
        let author = match &mailmap {
            Some(m) => commit.author_with_mailmap(m).ok(),
            None => None,
        };
        let author = match author {
            Some(sig) => String::from_utf8_lossy(sig.name_bytes()).into_owned(),
            None => String::from_utf8_lossy(commit.author().name_bytes()).into_owned(),
        };
        out.push(CommitInfo {
            id: oid,
            time: commit.committer().when().seconds(),
            author,
        });
        if out.len() >= max_commits {
            break;
        }
    }
    Ok(out)
}
