//! The store: where the event log lives and how to reach it.
//!
//! The log sits in the git *common* directory (`.git/` of the main clone,
//! shared by every worktree), under `codexa/`, so nothing a user does to
//! code branches can touch it. This module finds that place;
//! its submodules append, index and verify.

pub mod append;
pub mod chain_tail;
pub mod denials;
pub mod event;
pub mod filter;
pub mod head;
pub mod index;
pub mod lifecycle;
mod locate;
pub mod lock;
pub mod segment;
pub mod trust;
pub mod trust_epoch;
pub mod verify;
pub mod view;
pub mod writer;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub use event::{Actor, Event, NewEvent, StreamRef};

/// The paths of one clone: its work tree, its git common directory and the
/// store inside it.
#[derive(Debug, Clone)]
pub struct Store {
    /// Top of the current work tree (the worktree the command runs in).
    pub workdir: PathBuf,
    /// `git rev-parse --git-common-dir`, absolute.
    pub common_dir: PathBuf,
    /// `<common_dir>/codexa`.
    pub root: PathBuf,
    /// `store.segment_max_bytes` from the config, when one was read; see
    /// [`Store::segment_max_bytes`].
    pub segment_max_bytes: Option<u64>,
}

impl Store {
    /// Find the repository around `start` (honouring `GIT_DIR` and friends,
    /// as hooks run with them set) and the store's place in it.
    pub fn locate(start: &Path) -> Result<Store> {
        if let Some((common_dir, workdir)) = locate::plain(start) {
            return Ok(Store::at(common_dir, workdir));
        }
        Self::locate_with_libgit2(start)
    }

    fn at(common_dir: PathBuf, workdir: PathBuf) -> Store {
        Store {
            root: common_dir.join("codexa"),
            workdir,
            common_dir,
            segment_max_bytes: None,
        }
    }

    /// `locate` by libgit2, for every layout but the plainest.
    fn locate_with_libgit2(start: &Path) -> Result<Store> {
        let repo = open_repo(start)?;
        let workdir = repo.workdir().map(Path::to_path_buf).ok_or_else(|| {
            Error::user(format!(
                "{} is a bare repository; codexa needs a work tree",
                repo.path().display()
            ))
            .hint("run codexa inside a clone or worktree of the repository")
        })?;
        Ok(Store::at(absolute(repo.commondir()), absolute(&workdir)))
    }

    /// The size at which a writer starts a new segment file. A store found
    /// without its config (readers, checks) takes the schema's default, and
    /// only when it appends: most never do, so they never read the schema.
    pub fn segment_max_bytes(&self) -> u64 {
        self.segment_max_bytes
            .unwrap_or_else(|| crate::config::defaults().store.segment_max_bytes)
    }

    pub fn events_dir(&self) -> PathBuf {
        self.root.join("events")
    }

    pub fn writer_dir(&self, writer: &str) -> PathBuf {
        self.events_dir().join(writer)
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.root.join("cache")
    }

    pub fn forks_dir(&self) -> PathBuf {
        self.root.join("forks")
    }

    pub fn lock_path(&self) -> PathBuf {
        self.root.join("lock")
    }

    pub fn writer_file(&self) -> PathBuf {
        self.root.join("writer.json")
    }

    /// What this clone's writer last appended (see `head`).
    pub fn head_file(&self) -> PathBuf {
        self.root.join("head.json")
    }

    /// The project folder tracked with the code.
    pub fn codexa_dir(&self) -> PathBuf {
        self.workdir.join(".codexa")
    }

    /// True once this clone has a writer (the store was created).
    pub fn exists(&self) -> bool {
        self.writer_file().is_file()
    }

    /// Every segment, with the length it had while no append was running
    /// (taken under the store lock). Readers use these lengths so they never
    /// see a line a failing write could still take back.
    pub fn stable_segments(&self) -> Result<Vec<segment::SegmentFile>> {
        self.stable_tails(&std::collections::HashMap::new())
    }

    /// Like `stable_segments`, but for each writer only the segments
    /// numbered at or after `from[writer]` (earlier ones are sealed and
    /// cannot have changed): what keeps a reader's cost flat as the log
    /// grows to hundreds of segments.
    pub fn stable_tails(
        &self,
        from: &std::collections::HashMap<String, u32>,
    ) -> Result<Vec<segment::SegmentFile>> {
        let _lock = self.lock_if_created()?;
        self.tails_from(from)
    }

    /// `stable_segments`, and this clone's head record as it stood then,
    /// read under the same hold of the lock: an append between the two
    /// would make the record newer than the lengths, which reads as lines
    /// cut off the chain.
    pub fn stable_segments_and_head(&self) -> Result<(Vec<segment::SegmentFile>, head::Recorded)> {
        let _lock = self.lock_if_created()?;
        let segments = self.tails_from(&std::collections::HashMap::new())?;
        Ok((segments, head::read(&self.head_file())))
    }

    fn lock_if_created(&self) -> Result<Option<lock::StoreLock>> {
        if self.exists() {
            Ok(Some(lock::StoreLock::acquire(&self.lock_path())?))
        } else {
            Ok(None)
        }
    }

    fn tails_from(
        &self,
        from: &std::collections::HashMap<String, u32>,
    ) -> Result<Vec<segment::SegmentFile>> {
        let events_dir = self.events_dir();
        let mut out = Vec::new();
        for writer in segment::list_writers(&events_dir)? {
            let first = from.get(&writer).copied().unwrap_or(0);
            out.extend(segment::list_writer_from(&events_dir, &writer, first)?);
        }
        Ok(out)
    }

    /// Open the git repository this store belongs to.
    pub fn repo(&self) -> Result<git2::Repository> {
        open_repo(&self.workdir)
    }
}

pub(crate) fn open_repo(start: &Path) -> Result<git2::Repository> {
    let flags = git2::RepositoryOpenFlags::FROM_ENV;
    let ceilings: [&Path; 0] = [];
    git2::Repository::open_ext(start, flags, ceilings).map_err(|e| {
        Error::user(format!(
            "{} is not inside a git repository",
            start.display()
        ))
        .hint("cd into a git repository, or run `git init` first")
        .caused_by(e)
    })
}

fn absolute(p: &Path) -> PathBuf {
    let p = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    // canonicalize keeps a trailing slash off; strip one if git2 left it.
    PathBuf::from(p.to_string_lossy().trim_end_matches('/'))
}
