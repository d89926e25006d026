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
use crate::store::view::LineView;
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
    /// Foreign writer folders (see `store::trust`) left out of the branch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<String>,
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
        let fork = state.forked;
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
        let commit = match publish(store, &repo, local_head, remote_head, &mut report)? {
            Published::Moved(c) => c,
            // Another sync moved codexa/state meanwhile: go round again.
            Published::Raced => continue,
        };
        report.commit = commit.map(|c| c.to_string());
        let Some(r) = remote else {
            return Ok(report);
        };
        if commit.is_none() || remote_head == commit {
            return Ok(report);
        }
        match git_cli::push_state(&store.workdir, r)? {
            Push::Done => {
                report.pushed = true;
                if let Some(c) = commit {
                    repo.reference(&git_cli::tracking_ref(r), c, true, "codexa sync: pushed")?;
                }
                return Ok(report);
            }
            Push::Rejected => continue,
        }
    }
    Err(Error::io(format!(
        "codexa/state kept moving while this sync ran ({MAX_ROUNDS} rounds)"
    ))
    .hint("other clones are syncing right now; run `codexa sync` again in a moment"))
}

/// How one of a writer's segments compares across the two sides.
enum Side {
    Same,
    /// The remote's is longer and starts with ours (or we lack it): take it.
    TakeRemote,
    /// Ours is longer and starts with the remote's (or the remote lacks it).
    KeepLocal,
    /// Neither is a prefix of the other.
    Diverged,
}

fn compare(local: Option<&[u8]>, remote: Option<&[u8]>) -> Side {
    match (local, remote) {
        (_, None) => Side::KeepLocal,
        (None, Some(_)) => Side::TakeRemote,
        (Some(l), Some(r)) if l == r => Side::Same,
        (Some(l), Some(r)) if r.starts_with(l) => Side::TakeRemote,
        (Some(l), Some(r)) if l.starts_with(r) => Side::KeepLocal,
        _ => Side::Diverged,
    }
}

/// Step 3: bring the remote's lines into the store, under the lock.
///
/// Per writer, segments are compared in order. Where the two sides diverge,
/// the remote's chain from that segment on is taken (it is published, and
/// other clones may already hold it) and the local copies of those segments
/// are kept under `forks/`, so both sides survive and every clone converges
/// on the same `events/`. The remote's `forks/` come along too.
fn merge_remote(
    store: &Store,
    repo: &Repository,
    head: Oid,
    report: &mut SyncReport,
) -> Result<()> {
    let remote_tree = repo.find_commit(head)?.tree()?;
    let remote_files = tree::event_files(repo, &remote_tree)?;
    let _lock = StoreLock::acquire(&store.lock_path())?;
    // Whatever the merge brings may be what an agent's trust is read from.
    let _moved = EpochOnDrop(store);
    let own = writer::read(&store.writer_file())?.map(|w| w.writer);
    let events_dir = store.events_dir();

    struct Write {
        writer: String,
        number: u32,
        bytes: Vec<u8>,
        local_len: u64,
        replaces: bool,
    }
    let mut writes: Vec<Write> = Vec::new();
    let mut own_changed = false;
    for (w, remote_segs) in &remote_files {
        let local_segs: BTreeMap<u32, Vec<u8>> = segment::list_writer(&events_dir, w)?
            .into_iter()
            .map(|s| Ok((s.number, fs_err::read(&s.path)?)))
            .collect::<Result<_>>()?;
        let mut diverged_at: Option<u32> = None;
        let numbers: std::collections::BTreeSet<u32> = local_segs
            .keys()
            .chain(remote_segs.keys())
            .copied()
            .collect();
        for n in &numbers {
            let remote_blob = match remote_segs.get(n) {
                Some(oid) => Some(repo.find_blob(*oid)?),
                None => None,
            };
            let local = local_segs.get(n).map(Vec::as_slice);
            let remote = remote_blob.as_ref().map(|b| b.content());
            let side = if diverged_at.is_some() {
                // Past a divergence the remote's chain is taken wholesale.
                match (local, remote) {
                    (l, r) if l == r => Side::Same,
                    _ => Side::Diverged,
                }
            } else {
                compare(local, remote)
            };
            match side {
                Side::Same | Side::KeepLocal if diverged_at.is_none() => {}
                Side::Same => {}
                Side::TakeRemote => writes.push(Write {
                    writer: w.clone(),
                    number: *n,
                    bytes: remote.unwrap_or_default().to_vec(),
                    local_len: local.map_or(0, |l| l.len() as u64),
                    replaces: false,
                }),
                Side::KeepLocal | Side::Diverged => {
                    diverged_at.get_or_insert(*n);
                    if let Some(l) = local {
                        let oid = Oid::hash_object(git2::ObjectType::Blob, l)?;
                        let kept = store.forks_dir().join(w).join(format!(
                            "{}.{}.jsonl",
                            &segment_name(*n)[..6],
                            &oid.to_string()[..12]
                        ));
                        write_atomic(&kept, l)?;
                        report.forks.push(ForkReport {
                            path: format!("events/{w}/{}", segment_name(*n)),
                            local_bytes: l.len() as u64,
                            remote_bytes: remote.map_or(0, |r| r.len() as u64),
                            kept_as: kept.display().to_string(),
                        });
                    }
                    writes.push(Write {
                        writer: w.clone(),
                        number: *n,
                        bytes: remote.unwrap_or_default().to_vec(),
                        local_len: 0,
                        replaces: true,
                    });
                }
            }
        }
        if own.as_deref() == Some(w.as_str()) && writes.iter().any(|x| x.writer == *w) {
            own_changed = true;
        }
    }

    // Verify what the touched writers' chains would be, before writing.
    if !writes.is_empty() {
        let mut candidate = MemSource {
            files: BTreeMap::new(),
        };
        for x in &writes {
            if candidate.files.contains_key(&x.writer) {
                continue;
            }
            let mut segs = BTreeMap::new();
            for s in segment::list_writer(&events_dir, &x.writer)? {
                segs.insert(s.number, fs_err::read(&s.path)?);
            }
            candidate.files.insert(x.writer.clone(), segs);
        }
        for x in &writes {
            let segs = candidate.files.entry(x.writer.clone()).or_default();
            if x.bytes.is_empty() {
                segs.remove(&x.number);
            } else {
                segs.insert(x.number, x.bytes.clone());
            }
        }
        let checked = verify::verify(&candidate, &|_| {})?;
        if let Some(f) = checked.faults.first() {
            return Err(Error::integrity(format!(
                "lines from the remote's codexa/state would break a chain: {} line {}: {}",
                f.file.replace("(incoming) ", ""),
                f.line,
                f.message
            ))
            .hint("nothing was imported; run `codexa events verify --ref <remote>/codexa/state` and `codexa events verify`"));
        }
    }

    let mut replaced = false;
    for x in writes {
        let dir = events_dir.join(&x.writer);
        fs_err::create_dir_all(&dir)?;
        let path = dir.join(segment_name(x.number));
        let tail = &x.bytes[(x.local_len as usize).min(x.bytes.len())..];
        report.imported += tail.iter().filter(|b| **b == b'\n').count() as u64;
        if x.replaces && x.bytes.is_empty() {
            // Our diverged segment beyond the remote's chain: kept in forks/.
            fs_err::remove_file(&path)?;
        } else if x.replaces || x.local_len == 0 {
            write_atomic(&path, &x.bytes)?;
        } else {
            let mut f = fs_err::OpenOptions::new().append(true).open(&path)?;
            f.write_all(tail)?;
            f.sync_data()?;
        }
        replaced |= x.replaces;
        sync_dir(&dir);
    }
    copy_remote_forks(repo, &remote_tree, store)?;
    if replaced {
        // Lines were replaced, not extended: the index must start over.
        crate::store::index::Index::invalidate(store);
    }
    if own_changed && let Some(old) = writer::read(&store.writer_file())? {
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

/// Bring the remote's `forks/` files into the store, so every clone keeps
/// (and republishes) every diverging copy.
fn copy_remote_forks(repo: &Repository, remote_tree: &git2::Tree, store: &Store) -> Result<()> {
    let Some(forks) = remote_tree.get_name("forks") else {
        return Ok(());
    };
    let forks = repo.find_tree(forks.id())?;
    for writer in forks.iter() {
        let (Ok(w), Some(git2::ObjectType::Tree)) = (writer.name(), writer.kind()) else {
            continue;
        };
        if !segment::valid_writer_id(w) {
            continue;
        }
        for file in repo.find_tree(writer.id())?.iter() {
            let Ok(name) = file.name() else { continue };
            if name.starts_with('.') || !name.ends_with(".jsonl") || name.contains('/') {
                continue;
            }
            let path = store.forks_dir().join(w).join(name);
            if !path.exists() {
                write_atomic(&path, repo.find_blob(file.id())?.content())?;
            }
        }
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
) -> Result<Published> {
    let base_files: EventFiles = match local_head {
        Some(h) => tree::event_files(repo, &repo.find_commit(h)?.tree()?)?,
        None => EventFiles::new(),
    };
    let mut entries: BTreeMap<String, Oid> = BTreeMap::new();
    let mut published: BTreeMap<String, u64> = BTreeMap::new();
    let odb = repo.odb()?;
    // A folder that is neither this clone's, nor came through sync (on the
    // local branch, or the remote's just merged), nor accepted by a person
    // is never published: that would make a planted chain look synced here
    // and on every other clone.
    let from_remote = match remote_head {
        Some(r) => crate::store::trust::writers_in_commit(repo, r)?,
        None => Default::default(),
    };
    let withheld: Vec<String> = crate::store::trust::foreign_writers(store)?
        .into_iter()
        .filter(|w| !from_remote.contains(w))
        .collect();
    // Lengths taken under the store lock: never a line still being written.
    for seg in store.stable_segments()? {
        if withheld.contains(&seg.writer) {
            continue;
        }
        let path = format!("events/{}/{}", seg.writer, segment_name(seg.number));
        let base = base_files
            .get(&seg.writer)
            .and_then(|s| s.get(&seg.number))
            .copied();
        let base_len = match base {
            Some(oid) => Some(odb.read_header(oid)?.0 as u64),
            None => None,
        };
        // Segments only grow: one as long as its published blob is that blob.
        // (Not after a fork replaced a file's content this sync.)
        if let (Some(oid), Some(len)) = (base, base_len)
            && len == seg.len
            && report.forks.is_empty()
        {
            entries.insert(path, oid);
            continue;
        }
        let mut bytes = Vec::with_capacity(seg.len as usize);
        {
            use std::io::Read;
            fs_err::File::open(&seg.path)?
                .take(seg.len)
                .read_to_end(&mut bytes)?;
        }
        // A torn last line (not yet repaired) is not published.
        let end = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        if end == 0 {
            continue;
        }
        let bytes = &bytes[..end];
        let oid = repo.blob(bytes)?;
        let new_from = match (base, base_len) {
            (Some(old), _) if old == oid => bytes.len(),
            (Some(_), Some(len)) => (len as usize).min(bytes.len()),
            _ => 0,
        };
        for line in bytes[new_from..].split(|b| *b == b'\n') {
            if let Some(v) = LineView::parse(line) {
                *published.entry(v.kind.into_owned()).or_default() += 1;
            }
        }
        entries.insert(path, oid);
    }
    if let Ok(forks) = std::fs::read_dir(store.forks_dir()) {
        for w in forks.flatten() {
            let name = w.file_name().to_string_lossy().into_owned();
            if !segment::valid_writer_id(&name) || !w.path().is_dir() {
                continue;
            }
            for f in std::fs::read_dir(w.path())?.flatten() {
                let file = f.file_name().to_string_lossy().into_owned();
                // Skip temporary files of an interrupted atomic write.
                if file.starts_with('.') || !file.ends_with(".jsonl") {
                    continue;
                }
                let bytes = fs_err::read(f.path())?;
                entries.insert(format!("forks/{name}/{file}"), repo.blob(&bytes)?);
            }
        }
    }
    entries.insert("README.md".into(), repo.blob(tree::README.as_bytes())?);
    report.withheld = withheld;
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
        return Ok(Published::Moved(local_head));
    }
    // The remote already holds exactly this: fast-forward, no new commit.
    if let Some(r) = remote_head {
        let remote_tree = repo.find_commit(r)?.tree()?.id();
        let local_is_behind = match local_head {
            None => true,
            Some(l) => repo.graph_descendant_of(r, l)?,
        };
        if remote_tree == tree_id && local_is_behind {
            if !move_ref(repo, local_head, r)? {
                return Ok(Published::Raced);
            }
            return Ok(Published::Moved(Some(r)));
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
    if !move_ref(repo, local_head, commit)? {
        return Ok(Published::Raced);
    }
    report.committed = true;
    for (k, n) in published {
        *report.published.entry(k).or_default() += n;
    }
    Ok(Published::Moved(Some(commit)))
}

/// What step 4 did to `codexa/state`.
enum Published {
    /// The branch is at this commit (or there is nothing to publish yet).
    Moved(Option<Oid>),
    /// Another process moved the branch between our read and our update.
    Raced,
}

/// Move `codexa/state` only if nobody else moved it since we read it;
/// `false` when somebody did.
fn move_ref(repo: &Repository, expected: Option<Oid>, to: Oid) -> Result<bool> {
    let result = match expected {
        Some(old) => repo.reference_matching(STATE_REF, to, true, old, "codexa sync"),
        None => repo.reference(STATE_REF, to, false, "codexa sync"),
    };
    match result {
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::Modified | git2::ErrorCode::Exists | git2::ErrorCode::Locked
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
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

/// Lines once published must still be in the store: each segment on the
/// local `codexa/state` must be a prefix of the local file. This catches
/// what chain checks alone cannot, such as the newest events of a chain (or
/// a whole chain) removed after they were shared.
pub fn check_published(store: &Store) -> Result<Vec<verify::Fault>> {
    let repo = store.repo()?;
    let Ok(head) = repo.refname_to_id(STATE_REF) else {
        return Ok(Vec::new());
    };
    let files = tree::event_files(&repo, &repo.find_commit(head)?.tree()?)?;
    let mut faults = Vec::new();
    for (w, segs) in files {
        for (n, oid) in segs {
            let path = store.events_dir().join(&w).join(segment_name(n));
            let published = repo.find_blob(oid)?;
            let local = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => return Err(e.into()),
            };
            let size = published.size();
            if local.len() < size || !local.starts_with(published.content()) {
                faults.push(verify::Fault {
                    file: path.display().to_string(),
                    line: 0,
                    writer: w.clone(),
                    message: format!(
                        "codexa/state published {size} bytes of this segment, but the local file {} (events published earlier were removed or changed)",
                        if local.is_empty() { "is missing".to_string() } else { format!("has {} bytes that differ", local.len()) }
                    ),
                });
            }
        }
    }
    Ok(faults)
}

/// Moves the trust mark when a merge ends, however it ends (a merge that
/// failed half-way may still have written lines).
struct EpochOnDrop<'a>(&'a Store);

impl Drop for EpochOnDrop<'_> {
    fn drop(&mut self) {
        crate::store::trust_epoch::bump(self.0);
    }
}
