//! Reading and writing the `codexa/state` tree with git's object plumbing:
//! blobs and trees are written straight into the object database and never
//! pass through the user's index or work tree.
//!
//! Tree layout: `events/<writer>/<NNNNNN>.jsonl`, `forks/<writer>/…` for
//! diverging copies kept after a fork, and a README for people browsing the
//! branch.

use std::collections::BTreeMap;
use std::sync::Mutex;

use git2::{ObjectType, Oid, Repository, Tree};

use crate::error::{Error, Result};
use crate::store::segment::{parse_segment_name, valid_writer_id};
use crate::store::verify::SegmentSource;

/// `writer → segment → blob` of a tree's `events/`.
pub type EventFiles = BTreeMap<String, BTreeMap<u32, Oid>>;

pub const README: &str = "\
This branch is written by `codexa sync`. It holds the codexa event log of
every clone: events/<writer-id>/<NNNNNN>.jsonl, one hash-chained chain per
clone. Do not edit it by hand; check it with
`codexa events verify --ref <this branch>`.
";

/// The event files of `tree` (ignoring anything that is not one).
pub fn event_files(repo: &Repository, tree: &Tree) -> Result<EventFiles> {
    let mut out = EventFiles::new();
    let Some(events) = tree.get_name("events") else {
        return Ok(out);
    };
    let events = repo.find_tree(events.id())?;
    for writer in events.iter() {
        let Ok(name) = writer.name() else { continue };
        if !valid_writer_id(name) || writer.kind() != Some(ObjectType::Tree) {
            continue;
        }
        let wtree = repo.find_tree(writer.id())?;
        let segs = out.entry(name.to_string()).or_default();
        for seg in wtree.iter() {
            if let (Some(n), Some(ObjectType::Blob)) =
                (seg.name().ok().and_then(parse_segment_name), seg.kind())
            {
                segs.insert(n, seg.id());
            }
        }
    }
    Ok(out)
}

/// A `SegmentSource` over a commit's tree, for `events verify --ref`.
pub struct TreeSource {
    repo: Mutex<Repository>,
    files: EventFiles,
    label: String,
}

impl TreeSource {
    pub fn new(repo: Repository, reference: &str) -> Result<TreeSource> {
        let files = {
            let object = repo.revparse_single(reference).map_err(|e| {
                Error::user(format!("`{reference}` does not name a commit in this repository"))
                    .hint("fetch it first, e.g. `git fetch origin codexa/state`, then use `origin/codexa/state`")
                    .caused_by(e)
            })?;
            let tree = object.peel_to_tree().map_err(|e| {
                Error::user(format!("`{reference}` is not a commit or tree")).caused_by(e)
            })?;
            event_files(&repo, &tree)?
        };
        Ok(TreeSource {
            repo: Mutex::new(repo),
            files,
            label: reference.to_string(),
        })
    }
}

impl SegmentSource for TreeSource {
    fn writers(&self) -> Result<Vec<String>> {
        Ok(self.files.keys().cloned().collect())
    }
    fn segments(&self, writer: &str) -> Result<Vec<u32>> {
        Ok(self
            .files
            .get(writer)
            .map(|s| s.keys().copied().collect())
            .unwrap_or_default())
    }
    fn read(&self, writer: &str, number: u32) -> Result<Vec<u8>> {
        let oid = self.files[writer][&number];
        let repo = self.repo.lock().unwrap_or_else(|p| p.into_inner());
        Ok(repo.find_blob(oid)?.content().to_vec())
    }
    fn label(&self, writer: &str, number: u32) -> String {
        format!(
            "{}:events/{writer}/{}",
            self.label,
            crate::store::segment::segment_name(number)
        )
    }
}

/// Segments held in memory: what the store would hold after a merge, checked
/// before anything is written.
pub struct MemSource {
    pub files: BTreeMap<String, BTreeMap<u32, Vec<u8>>>,
}

impl SegmentSource for MemSource {
    fn writers(&self) -> Result<Vec<String>> {
        Ok(self.files.keys().cloned().collect())
    }
    fn segments(&self, writer: &str) -> Result<Vec<u32>> {
        Ok(self.files[writer].keys().copied().collect())
    }
    fn read(&self, writer: &str, number: u32) -> Result<Vec<u8>> {
        Ok(self.files[writer][&number].clone())
    }
    fn label(&self, writer: &str, number: u32) -> String {
        format!(
            "(incoming) events/{writer}/{}",
            crate::store::segment::segment_name(number)
        )
    }
}

/// Write a nested tree from `path → blob` entries (paths use `/`).
pub fn write_tree(repo: &Repository, entries: &BTreeMap<String, Oid>) -> Result<Oid> {
    #[derive(Default)]
    struct Dir {
        files: BTreeMap<String, Oid>,
        dirs: BTreeMap<String, Dir>,
    }
    let mut root = Dir::default();
    for (path, oid) in entries {
        let mut parts: Vec<&str> = path.split('/').collect();
        let file = parts.pop().unwrap_or_default();
        let mut dir = &mut root;
        for part in parts {
            dir = dir.dirs.entry(part.to_string()).or_default();
        }
        dir.files.insert(file.to_string(), *oid);
    }
    fn write(repo: &Repository, dir: &Dir) -> Result<Oid> {
        let mut builder = repo.treebuilder(None)?;
        for (name, sub) in &dir.dirs {
            let oid = write(repo, sub)?;
            builder.insert(name, oid, 0o040000)?;
        }
        for (name, oid) in &dir.files {
            builder.insert(name, *oid, 0o100644)?;
        }
        Ok(builder.write()?)
    }
    write(repo, &root)
}
