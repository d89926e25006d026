//! Which writer folders count. Anything that can write a file can put a
//! folder under `events/` holding a perfectly chained log; what makes a
//! chain count is how it got there:
//!
//! - this clone wrote it (its id, or an id it held before a fork, from
//!   `writer.json`);
//! - `codexa sync` brought it (it is in the tree of the local
//!   `codexa/state` branch, which only sync commits);
//! - a person accepted it (`codexa events accept WRITER`, recorded as
//!   `writer.accepted` in this clone's own chain).
//!
//! Every other folder is foreign: reported by `events verify` and `doctor`,
//! never read for the domain (the read index leaves it out of every answer)
//! and never published by `sync`. Accepting takes the writer as a whole, as
//! a writer that came through sync is taken: its later lines count too.
//!
//! Deciding is cheap: a clone whose only folders are its own pays one small
//! file read; a synced clone also one query of the writers the index
//! remembers as published. Only a folder not yet classified costs a git ref
//! lookup and a tree listing, then one indexed query for acceptances.

use std::collections::BTreeSet;

use crate::error::Result;
use crate::store::{Store, writer};

/// The event type that records a person's acceptance of a writer folder.
pub const ACCEPTED: &str = "writer.accepted";

/// This clone's own writer ids (none before the store exists).
pub fn own_writers(store: &Store) -> Result<Vec<String>> {
    Ok(writer::read(&store.writer_file())?
        .map(|w| w.own_ids())
        .unwrap_or_default())
}

/// The writer folders in the tree of the local `codexa/state` branch.
pub fn published_writers(store: &Store) -> Result<BTreeSet<String>> {
    let repo = store.repo()?;
    let Ok(head) = repo.refname_to_id(crate::sync::git_cli::STATE_REF) else {
        return Ok(BTreeSet::new());
    };
    writers_in_commit(&repo, head)
}

/// The writer folders under `events/` in a commit's tree.
pub fn writers_in_commit(repo: &git2::Repository, commit: git2::Oid) -> Result<BTreeSet<String>> {
    let tree = repo.find_commit(commit)?.tree()?;
    let Some(events) = tree.get_name("events") else {
        return Ok(BTreeSet::new());
    };
    Ok(repo
        .find_tree(events.id())?
        .iter()
        .filter(|e| e.kind() == Some(git2::ObjectType::Tree))
        .filter_map(|e| e.name().ok().map(str::to_string))
        .collect())
}

/// Which of `present` are foreign. `published(unknown)` answers which
/// writers came through sync (asked only when some folder is not own),
/// `accepted(own)` which ones people accepted in the chains `own` (asked
/// only when some folder is neither own nor published).
pub fn foreign_among(
    store: &Store,
    present: impl IntoIterator<Item = String>,
    published: impl FnOnce(&[String]) -> Result<BTreeSet<String>>,
    accepted: impl FnOnce(&[String]) -> Result<BTreeSet<String>>,
) -> Result<Vec<String>> {
    let own = own_writers(store)?;
    let mut unknown: Vec<String> = present.into_iter().filter(|w| !own.contains(w)).collect();
    if unknown.is_empty() {
        return Ok(unknown);
    }
    let published = published(&unknown)?;
    unknown.retain(|w| !published.contains(w));
    if unknown.is_empty() {
        return Ok(unknown);
    }
    let accepted = accepted(&own)?;
    unknown.retain(|w| !accepted.contains(w));
    unknown.sort();
    unknown.dedup();
    Ok(unknown)
}

/// The foreign writer folders in the store, by the read index. (The index
/// still knows a folder removed since; such a one is not reported.)
pub fn foreign_writers(store: &Store) -> Result<Vec<String>> {
    if !store.exists() {
        return Ok(Vec::new());
    }
    Ok(crate::store::index::Index::open(store)?
        .foreign_writers()
        .iter()
        .filter(|w| store.writer_dir(w).is_dir())
        .cloned()
        .collect())
}

/// The foreign folders among `present` without waiting for the store lock:
/// acceptances are read from the index as far as it has caught up, so one
/// made a moment ago may count only from the next command that catches up
/// (leaving a folder out a moment too long, never counting one too early).
pub fn foreign_without_waiting(store: &Store, present: Vec<String>) -> Result<Vec<String>> {
    if !store.exists() {
        return Ok(Vec::new());
    }
    let index = crate::store::index::Index::open_as_is(store)?;
    foreign_among(
        store,
        present,
        |unknown| index.published(store, unknown),
        |own| index.accepted(own),
    )
}

/// Why `writer` is trusted, or `None` when it is foreign.
pub fn why_trusted(store: &Store, writer: &str) -> Result<Option<&'static str>> {
    if own_writers(store)?.iter().any(|w| w == writer) {
        return Ok(Some("this clone's own chain"));
    }
    if published_writers(store)?.contains(writer) {
        return Ok(Some("received through `codexa sync` (on codexa/state)"));
    }
    let own = own_writers(store)?;
    let accepted = crate::store::index::Index::open(store)?.accepted(&own)?;
    Ok(accepted.contains(writer).then_some("accepted by a person"))
}
