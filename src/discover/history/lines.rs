//! Lines added and removed, as `git diff --numstat` counts them, for the
//! changes to files at HEAD: the expensive part of mining, so it runs
//! last, only for changes that count, one file's changes in a row so each
//! blob is read once.

use git2::{DiffLineType, DiffOptions, ErrorCode, Oid, Repository};

use super::attrs::DiffAttr;
use super::git_error;
use crate::error::Result;

/// A content diff to run: one change to a file at HEAD.
pub(super) struct LineJob {
    pub(super) old_id: Oid,
    pub(super) new_id: Oid,
    /// The name at that commit, for error messages.
    pub(super) path: String,
    pub(super) attr: DiffAttr,
}

/// Lines added and removed by one file's changes (newest first), as `git
/// diff --numstat` counts them: no whitespace ignored, binary content 0 and
/// 0 (changes binary by attribute never get here). Context lines do not
/// change the counts, so none are asked for.
pub(super) fn file_line_counts(repo: &Repository, changes: &[LineJob]) -> Result<(u64, u64)> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0).interhunk_lines(0);
    let (mut added, mut removed) = (0u64, 0u64);
    // The old side of the previous (newer) change, kept for reuse.
    let mut kept: Option<git2::Blob> = None;
    for change in changes {
        let counted = (|| -> Result<(), git2::Error> {
            let new = match kept.take() {
                Some(blob) if blob.id() == change.new_id => Some(blob),
                _ => load_blob(repo, change.new_id)?,
            };
            let old = load_blob(repo, change.old_id)?;
            let mut line_cb =
                |_: git2::DiffDelta, _: Option<git2::DiffHunk>, line: git2::DiffLine| {
                    match line.origin_value() {
                        DiffLineType::Addition => added += 1,
                        DiffLineType::Deletion => removed += 1,
                        _ => {}
                    }
                    true
                };
            opts.force_text(change.attr == DiffAttr::Text);
            // No paths: the attributes are settled already.
            repo.diff_blobs(
                old.as_ref(),
                None,
                new.as_ref(),
                None,
                Some(&mut opts),
                None,
                None,
                None,
                Some(&mut line_cb),
            )?;
            kept = old;
            Ok(())
        })();
        // A partial clone (`--filter=blob:none`) lacks blobs it never
        // fetched, and libgit2 cannot fetch them: the revision still
        // counts, its lines cannot.
        let counted = match counted {
            Err(e) if e.code() == ErrorCode::NotFound => {
                kept = None;
                Ok(())
            }
            other => other,
        };
        counted.map_err(|e| {
            git_error(
                &format!(
                    "could not diff {} ({} → {})",
                    change.path, change.old_id, change.new_id
                ),
                e,
            )
        })?;
    }
    Ok((added, removed))
}

/// The blob `id`, or none for the zero id (the missing side of an
/// addition).
fn load_blob(repo: &Repository, id: Oid) -> Result<Option<git2::Blob<'_>>, git2::Error> {
    if id.is_zero() {
        Ok(None)
    } else {
        repo.find_blob(id).map(Some)
    }
}
