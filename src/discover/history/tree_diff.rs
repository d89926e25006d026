//! Which files a commit changes: its tree against its first parent's (the
//! empty tree for a root commit), renames found, before any content is
//! read. Only the subtrees whose ids differ are walked (see
//! `commit_deltas`).

use git2::{Delta, DiffFindOptions, DiffOptions, ErrorCode, FileMode, Oid, Repository};

/// One file changed by a commit, from its tree diff (before line counts).
pub(super) struct RawDelta {
    pub(super) status: Delta,
    pub(super) old_path: String,
    pub(super) new_path: String,
    pub(super) old_id: Oid,
    pub(super) new_id: Oid,
}

/// The files a commit changes against its first parent, renames found.
pub(super) fn commit_deltas(repo: &Repository, id: Oid) -> Result<Vec<RawDelta>, git2::Error> {
    let commit = repo.find_commit(id)?;
    let tree = commit.tree()?;
    let parent_tree = match commit.parent(0) {
        Ok(parent) => Some(parent.tree()?),
        // A root commit, or a parent past a shallow boundary that libgit2
        // did not graft away: diff against nothing, as git does.
        Err(e) if matches!(e.code(), ErrorCode::NotFound) => None,
        Err(e) => return Err(e),
    };
    let mut opts = DiffOptions::new();
    // A file turned into a symlink (or back) is one change to one path, not
    // a deletion and an addition.
    opts.include_typechange(true);
    // libgit2 reads every entry of both trees, even under subtrees whose ids
    // are the same on both sides. Find the changed paths first, descending
    // only where ids differ, and diff just those (literally, no globbing).
    // A rename pairs a removed path with an added one: both are in the set.
    if let Some(parent) = &parent_tree {
        let mut changed = Vec::new();
        if !changed_paths(repo, parent, &tree, &mut Vec::new(), &mut changed)? {
            // An unsorted (malformed) tree: leave it all to libgit2.
            changed.clear();
        } else if changed.is_empty() {
            return Ok(Vec::new());
        }
        opts.disable_pathspec_match(true);
        for path in changed {
            opts.pathspec(path);
        }
    }
    let mut diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts))?;
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;
    Ok(diff
        .deltas()
        .map(|d| {
            let (old, new) = (d.old_file(), d.new_file());
            let path = |f: &git2::DiffFile| {
                String::from_utf8_lossy(f.path_bytes().unwrap_or_default()).into_owned()
            };
            // Only blobs have lines: a side that is a submodule (a commit
            // id, usually not in this repository) counts as empty.
            let blob = |f: &git2::DiffFile| match f.mode() {
                FileMode::Blob
                | FileMode::BlobExecutable
                | FileMode::BlobGroupWritable
                | FileMode::Link => f.id(),
                _ => Oid::ZERO_SHA1,
            };
            RawDelta {
                status: d.status(),
                old_path: path(&old),
                new_path: path(&new),
                old_id: blob(&old),
                new_id: blob(&new),
            }
        })
        .collect())
}

/// Whether a tree entry's mode is a directory's (as git's `S_ISDIR`).
fn is_dir(mode: i32) -> bool {
    mode & 0o170000 == 0o040000
}

/// Git's order of tree entries: by name, a directory's as if followed by
/// `/`.
fn entry_order(a: &git2::TreeEntry, b: &git2::TreeEntry) -> std::cmp::Ordering {
    let (an, bn) = (a.name_bytes(), b.name_bytes());
    let n = an.len().min(bn.len());
    an[..n].cmp(&bn[..n]).then_with(|| {
        let next = |name: &[u8], mode: i32| {
            name.get(n)
                .copied()
                .or_else(|| is_dir(mode).then_some(b'/'))
        };
        next(an, a.filemode()).cmp(&next(bn, b.filemode()))
    })
}

/// Whether a tree's entries are in git's order (they are, unless the tree
/// was written by something broken).
fn is_sorted(tree: &git2::Tree) -> bool {
    (1..tree.len()).all(|i| match (tree.get(i - 1), tree.get(i)) {
        (Some(a), Some(b)) => entry_order(&a, &b).is_lt(),
        _ => false,
    })
}

/// `prefix` followed by `name`, as a path in the repository.
fn join(prefix: &[u8], name: &[u8]) -> Vec<u8> {
    let mut path = Vec::with_capacity(prefix.len() + name.len());
    path.extend_from_slice(prefix);
    path.extend_from_slice(name);
    path
}

/// Adds to `out` the path of `entry`, in a tree whose path is `prefix`
/// (empty, or ending in `/`): a file's (or submodule's) own, or those of
/// every file under a directory.
fn entry_paths(
    repo: &Repository,
    entry: &git2::TreeEntry,
    prefix: &mut Vec<u8>,
    out: &mut Vec<Vec<u8>>,
) -> Result<(), git2::Error> {
    if is_dir(entry.filemode()) {
        let len = prefix.len();
        prefix.extend_from_slice(entry.name_bytes());
        prefix.push(b'/');
        let tree = repo.find_tree(entry.id())?;
        let all = tree
            .iter()
            .try_for_each(|e| entry_paths(repo, &e, prefix, out));
        prefix.truncate(len);
        all
    } else {
        out.push(join(prefix, entry.name_bytes()));
        Ok(())
    }
}

/// Adds to `out` the paths of the files (and submodules) that differ
/// between `old` and `new`, whose path is `prefix`, descending only into
/// subtrees whose ids differ. False if a tree is not in git's order, when
/// `out` is incomplete.
fn changed_paths(
    repo: &Repository,
    old: &git2::Tree,
    new: &git2::Tree,
    prefix: &mut Vec<u8>,
    out: &mut Vec<Vec<u8>>,
) -> Result<bool, git2::Error> {
    if !is_sorted(old) || !is_sorted(new) {
        return Ok(false);
    }
    let (mut i, mut j) = (0, 0);
    loop {
        match (old.get(i), new.get(j)) {
            (None, None) => return Ok(true),
            (Some(a), None) => {
                entry_paths(repo, &a, prefix, out)?;
                i += 1;
            }
            (None, Some(b)) => {
                entry_paths(repo, &b, prefix, out)?;
                j += 1;
            }
            (Some(a), Some(b)) => match entry_order(&a, &b) {
                std::cmp::Ordering::Less => {
                    entry_paths(repo, &a, prefix, out)?;
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    entry_paths(repo, &b, prefix, out)?;
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    if a.id() == b.id() && a.filemode() == b.filemode() {
                        continue;
                    }
                    if is_dir(a.filemode()) {
                        // Both directories (the same name in git's order).
                        let len = prefix.len();
                        prefix.extend_from_slice(a.name_bytes());
                        prefix.push(b'/');
                        let sorted = changed_paths(
                            repo,
                            &repo.find_tree(a.id())?,
                            &repo.find_tree(b.id())?,
                            prefix,
                            out,
                        )?;
                        prefix.truncate(len);
                        if !sorted {
                            return Ok(false);
                        }
                    } else {
                        out.push(join(prefix, a.name_bytes()));
                    }
                }
            },
        }
    }
}
