//! `codexa sync`: share the event log on the `codexa/state` branch.
//!
//! 1. Under the store lock, settle this clone's writer (repairing a torn
//!    line, taking a new id after a copy).
//! 2. Fetch the remote's `codexa/state` with the user's git.
//! 3. Under the lock, merge file by file: where one side is a prefix of the
//!    other the longer wins; anything else is a fork, reported and kept on
//!    both sides (the remote's copy under `forks/`). Incoming chains are
//!    verified in memory before a byte is written; other writers' new lines
//!    are copied into the store. Lines under this clone's own writer id that
//!    it did not write mean a copy shares the id: this clone moves to a new
//!    id and records `writer.forked_from`.
//! 4. Without the lock (appends go on meanwhile), snapshot every segment up
//!    to its last complete line into blobs and a tree, commit it with the
//!    local and remote heads as parents, and move only `codexa/state`.
//! 5. Push that one ref; if the remote moved, go round again.
//!
//! The work tree, the user's index, HEAD and every other branch are never
//! touched, and git hooks are never run.
//!
//! Sync appends no event of its own: the branch's history is its record. A
//! `sync.completed` event would itself be new to the other clone, whose sync
//! would record one in turn, and two clones would never settle.

pub mod git_cli;
pub mod tree;

use std::collections::BTreeMap;
use std::io::Write;

use git2::{Oid, Repository, Signature};
use serde::Serialize;

use crate::clock;
use crate::error::{Error, Result};
use crate::fsutil::{sync_dir, write_atomic};
use crate::store::lock::StoreLock;
use crate::store::segment::{self, segment_name};
use crate::store::verify::{self, SegmentSource};
use crate::store::{Store, writer};
use git_cli::{Push, STATE_REF};
use tree::{EventFiles, MemSource, TreeSource};

/// A file where neither side is a prefix of the other.
#[derive(Debug, Clone, Serialize)]
pub struct ForkReport {
    pub path: String,
    pub local_bytes: u64,
    pub remote_bytes: u64,
    /// Where the remote's version is kept.
    pub kept_as: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct SyncReport {
    pub remote: Option<String>,
    /// The `codexa/state` commit after sync.
    pub commit: Option<String>,
    /// True when this sync made a new commit.
    pub committed: bool,
    pub pushed: bool,
    /// Events new on the branch in this sync, by type.
    pub published: BTreeMap<String, u64>,
    /// Lines of other writers copied into this clone's store.
    pub imported: u64,
    pub forks: Vec<ForkReport>,
    /// Set when this clone had to take a new writer id.
    pub new_writer: Option<String>,
}

const MAX_ROUNDS: usize = 5;

/// Run a whole sync. `remote` is a configured remote name, or `None` to
/// publish locally only.
pub fn sync(store: &Store, remote: Option<&str>) -> Result<SyncReport> {
    let repo = store.repo()?;
    if let Some(r) = remote {
        repo.find_remote(r).map_err(|e| {
            Error::user(format!("no git remote named `{r}`"))
                .hint("list remotes with `git remote -v`, or pass `--remote NAME`")
                .caused_by(e)
        })?;
    }
    let mut report = SyncReport {
        remote: remote.map(str::to_string),
        ..SyncReport::default()
    };
    {
        let _lock = StoreLock::acquire(&store.lock_path())?;
        let state = writer::ensure(&store.writer_file(), &store.common_dir)?;
        let fork = state.fork.is_some();
        let id = state.file.writer.clone();
        store.append_locked(state, Vec::new())?;
        if fork {
            report.new_writer = Some(id);
        }
    }
    for _round in 0..MAX_ROUNDS {
        let remote_head = match remote {
            Some(r) if git_cli::fetch_state(&store.workdir, r)? => {
                Some(repo.refname_to_id(&git_cli::tracking_ref(r))?)
            }
            _ => None,
        };
        if let Some(head) = remote_head {
            merge_remote(store, &repo, head, &mut report)?;
        }
        let local_head = repo.refname_to_id(STATE_REF).ok();
        let commit = publish(store, &repo, local_head, remote_head, &mut report)?;
        report.commit = commit.map(|c| c.to_string());
        let Some(r) = remote else { break };
        if commit.is_none() || remote_head == commit {
            break;
        }
        match git_cli::push_state(&store.workdir, r)? {
            Push::Done => {
                report.pushed = true;
                if let Some(c) = commit {
                    repo.reference(&git_cli::tracking_ref(r), c, true, "codexa sync: pushed")?;
                }
                break;
            }
            Push::Rejected => continue,
        }
    }
    Ok(report)
}

/// Step 3: bring the remote's lines into the store.
fn merge_remote(
    store: &Store,
    repo: &Repository,
    head: Oid,
    report: &mut SyncReport,
) -> Result<()> {
    let remote_tree = repo.find_commit(head)?.tree()?;
    let remote_files = tree::event_files(repo, &remote_tree)?;
    let _lock = StoreLock::acquire(&store.lock_path())?;
    let own = writer::read(&store.writer_file())?.map(|w| w.writer);
    let events_dir = store.events_dir();

    // Decide per file, reading only what differs.
    let mut writes: Vec<(String, u32, Vec<u8>, u64)> = Vec::new(); // writer, seg, bytes, local len
    let mut forks: Vec<(String, u32, Vec<u8>, u64)> = Vec::new();
    let mut own_foreign_lines = false;
    for (w, segs) in &remote_files {
        for (n, oid) in segs {
            let path = events_dir.join(w).join(segment_name(*n));
            let local = match std::fs::read(&path) {
                Ok(b) => Some(b),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(e.into()),
            };
            if let Some(local) = &local
                && Oid::hash_object(git2::ObjectType::Blob, local)? == *oid
            {
                continue;
            }
            let blob = repo.find_blob(*oid)?;
            let remote_bytes = blob.content();
            let local_len = local.as_ref().map_or(0, |l| l.len() as u64);
            match &local {
                Some(l) if remote_bytes.starts_with(l) || l.is_empty() => {}
                None => {}
                Some(l) if l.starts_with(remote_bytes) => continue,
                Some(_) => {
                    forks.push((w.clone(), *n, remote_bytes.to_vec(), local_len));
                    if own.as_deref() == Some(w) {
                        own_foreign_lines = true;
                    }
                    continue;
                }
            }
            if own.as_deref() == Some(w) {
                own_foreign_lines = true;
            }
            writes.push((w.clone(), *n, remote_bytes.to_vec(), local_len));
        }
    }

    // Verify what the touched writers' chains would be, before writing.
    if !writes.is_empty() {
        let mut candidate = MemSource {
            files: BTreeMap::new(),
        };
        for (w, _, _, _) in &writes {
            if candidate.files.contains_key(w) {
                continue;
            }
            let mut segs = BTreeMap::new();
            for s in segment::list_writer(&events_dir, w)? {
                segs.insert(s.number, fs_err::read(&s.path)?);
            }
            candidate.files.insert(w.clone(), segs);
        }
        for (w, n, bytes, _) in &writes {
            candidate
                .files
                .get_mut(w)
                .map(|s| s.insert(*n, bytes.clone()));
        }
        let checked = verify::verify(&candidate, &|_| {})?;
        if let Some(f) = checked.faults.first() {
            return Err(Error::integrity(format!(
                "the remote's codexa/state fails verification: {} line {}: {}",
                f.file.replace("(incoming) ", ""),
                f.line,
                f.message
            ))
            .hint("nothing was imported; run `codexa events verify --ref <remote>/codexa/state` and ask whoever pushed it"));
        }
    }

    for (w, n, bytes, local_len) in writes {
        let dir = events_dir.join(&w);
        fs_err::create_dir_all(&dir)?;
        let path = dir.join(segment_name(n));
        let new_lines = bytes[local_len as usize..]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        if local_len == 0 {
            write_atomic(&path, &bytes)?;
        } else {
            let mut f = fs_err::OpenOptions::new().append(true).open(&path)?;
            f.write_all(&bytes[local_len as usize..])?;
            f.sync_data()?;
        }
        sync_dir(&dir);
        report.imported += new_lines;
    }
    let short = head.to_string()[..12].to_string();
    for (w, n, bytes, local_len) in forks {
        let kept = store
            .forks_dir()
            .join(&w)
            .join(format!("{}.{short}.jsonl", &segment_name(n)[..6]));
        write_atomic(&kept, &bytes)?;
        report.forks.push(ForkReport {
            path: format!("events/{w}/{}", segment_name(n)),
            local_bytes: local_len,
            remote_bytes: bytes.len() as u64,
            kept_as: kept.display().to_string(),
        });
    }
    if own_foreign_lines && let Some(old) = writer::read(&store.writer_file())? {
        let state = writer::take_new_id(
            &store.writer_file(),
            &store.common_dir,
            old,
            "sync found lines under this clone's writer id that it did not write (a copy shares the id)",
        )?;
        report.new_writer = Some(state.file.writer.clone());
        store.append_locked(state, Vec::new())?;
    }
    Ok(())
}

/// Step 4: commit the store's complete lines to `codexa/state`.
fn publish(
    store: &Store,
    repo: &Repository,
    local_head: Option<Oid>,
    remote_head: Option<Oid>,
    report: &mut SyncReport,
) -> Result<Option<Oid>> {
    let base_files: EventFiles = match local_head {
        Some(h) => tree::event_files(repo, &repo.find_commit(h)?.tree()?)?,
        None => EventFiles::new(),
    };
    let mut entries: BTreeMap<String, Oid> = BTreeMap::new();
    let mut published: BTreeMap<String, u64> = BTreeMap::new();
    for seg in segment::list_all(&store.events_dir())? {
        let bytes = fs_err::read(&seg.path)?;
        // A line being appended right now is not complete: leave it out.
        let end = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        if end == 0 {
            continue;
        }
        let bytes = &bytes[..end];
        let oid = repo.blob(bytes)?;
        let old_len = match base_files.get(&seg.writer).and_then(|s| s.get(&seg.number)) {
            Some(old) if *old == oid => 0..0,
            Some(old) => repo.find_blob(*old)?.size()..bytes.len(),
            None => 0..bytes.len(),
        };
        for line in bytes[old_len]
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
        {
            if let Ok(v) = serde_json::from_slice::<TypeOnly>(line) {
                *published.entry(v.kind).or_default() += 1;
            }
        }
        entries.insert(
            format!("events/{}/{}", seg.writer, segment_name(seg.number)),
            oid,
        );
    }
    if let Ok(forks) = std::fs::read_dir(store.forks_dir()) {
        for w in forks.flatten() {
            for f in std::fs::read_dir(w.path())?.flatten() {
                let bytes = fs_err::read(f.path())?;
                entries.insert(
                    format!(
                        "forks/{}/{}",
                        w.file_name().to_string_lossy(),
                        f.file_name().to_string_lossy()
                    ),
                    repo.blob(&bytes)?,
                );
            }
        }
    }
    entries.insert("README.md".into(), repo.blob(tree::README.as_bytes())?);
    let tree_id = tree::write_tree(repo, &entries)?;

    let local_tree = local_head
        .map(|h| repo.find_commit(h).and_then(|c| c.tree()).map(|t| t.id()))
        .transpose()?;
    let remote_is_behind = match (remote_head, local_head) {
        (None, _) => true,
        (Some(r), Some(l)) => r == l || repo.graph_descendant_of(l, r)?,
        (Some(_), None) => false,
    };
    if local_tree == Some(tree_id) && remote_is_behind {
        return Ok(local_head);
    }
    // The remote already holds exactly this: fast-forward, no new commit.
    if let Some(r) = remote_head {
        let remote_tree = repo.find_commit(r)?.tree()?.id();
        let local_is_behind = match local_head {
            None => true,
            Some(l) => repo.graph_descendant_of(r, l)?,
        };
        if remote_tree == tree_id && local_is_behind {
            move_ref(repo, local_head, r)?;
            return Ok(Some(r));
        }
    }
    let mut parents = Vec::new();
    if let Some(l) = local_head {
        parents.push(repo.find_commit(l)?);
    }
    if let Some(r) = remote_head
        && !remote_is_behind
    {
        parents.push(repo.find_commit(r)?);
    }
    let total: u64 = published.values().sum();
    let mut message = if total == 0 {
        "codexa: merge codexa/state".to_string()
    } else {
        let mut by_count: Vec<_> = published.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let parts: Vec<String> = by_count.iter().map(|(k, n)| format!("{n} {k}")).collect();
        format!(
            "codexa: {total} event{} ({})",
            if total == 1 { "" } else { "s" },
            parts.join(", ")
        )
    };
    if parents.len() > 1 {
        message.push_str("\n\nMerged with the remote's codexa/state.");
    }
    let sig = signature(repo)?;
    let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
    let tree = repo.find_tree(tree_id)?;
    let commit = repo.commit(None, &sig, &sig, &message, &tree, &parent_refs)?;
    move_ref(repo, local_head, commit)?;
    report.committed = true;
    for (k, n) in published {
        *report.published.entry(k).or_default() += n;
    }
    Ok(Some(commit))
}

#[derive(serde::Deserialize)]
struct TypeOnly {
    #[serde(rename = "type")]
    kind: String,
}

/// Move `codexa/state` only if nobody else moved it since we read it.
fn move_ref(repo: &Repository, expected: Option<Oid>, to: Oid) -> Result<()> {
    let result = match expected {
        Some(old) => repo.reference_matching(STATE_REF, to, true, old, "codexa sync"),
        None => repo.reference(STATE_REF, to, false, "codexa sync"),
    };
    result.map(|_| ()).map_err(|e| {
        Error::io("codexa/state moved while sync ran (another sync?)")
            .hint("run `codexa sync` again")
            .caused_by(e)
    })
}

fn signature(repo: &Repository) -> Result<Signature<'static>> {
    let time = git2::Time::new(clock::now_ms() / 1000, 0);
    let (name, email) = match repo.signature() {
        Ok(s) => (
            s.name().unwrap_or("codexa").to_string(),
            s.email().unwrap_or("codexa@localhost").to_string(),
        ),
        Err(_) => ("codexa".to_string(), "codexa@localhost".to_string()),
    };
    Ok(Signature::new(&name, &email, &time)?)
}

/// Verify the event files of a ref (for CI: `events verify --ref`).
pub fn verify_ref(
    store_repo: Repository,
    reference: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<verify::VerifyReport> {
    let source = TreeSource::new(store_repo, reference)?;
    let report = verify::verify(&source as &dyn SegmentSource, progress)?;
    Ok(report)
}
