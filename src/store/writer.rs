//! This clone's writer identity.
//!
//! Only one clone appends to `events/<writer-id>/`, so two clones never write
//! the same file. The id carries a fingerprint of where it lives (machine id,
//! path and inode of the git common directory): a copied clone (`cp -r`,
//! rsync, a restored image on another machine) sees a mismatch and takes a
//! new id rather than growing a second, diverging chain under the old one.
//!
//! A fork is declared when the machine id differs, or when both the path and
//! the inode differ. A `mv` of the repository keeps the inode, and a backup
//! restored in place keeps the path: neither can have a live twin, so
//! neither forks.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::clock;
use crate::error::{Error, Result};
use crate::fsutil::write_atomic;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub machine: String,
    pub path: String,
    pub inode: u64,
}

impl Fingerprint {
    pub fn of(common_dir: &Path) -> Fingerprint {
        use std::os::unix::fs::MetadataExt;
        let inode = std::fs::metadata(common_dir).map(|m| m.ino()).unwrap_or(0);
        Fingerprint {
            machine: machine_id(),
            path: common_dir.to_string_lossy().into_owned(),
            inode,
        }
    }

    /// Is `self` (what writer.json recorded) a different copy than `here`?
    pub fn is_fork_of(&self, here: &Fingerprint) -> bool {
        self.machine != here.machine || (self.path != here.path && self.inode != here.inode)
    }
}

fn machine_id() -> String {
    for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
        if let Ok(id) = std::fs::read_to_string(path) {
            let id = id.trim();
            if !id.is_empty() {
                return id.to_string();
            }
        }
    }
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| format!("host:{}", h.trim()))
        .unwrap_or_else(|_| "unknown".to_string())
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WriterFile {
    pub writer: String,
    pub fingerprint: Fingerprint,
    pub created: String,
    /// Set when this id replaced another after a copy; with the two fields
    /// below it lets the first append of the new chain record
    /// `writer.forked_from` even if the command that forked was cut short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forked_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fork_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_fingerprint: Option<Fingerprint>,
    /// Every id this clone wrote under before `forked_from`, oldest first:
    /// its own chains, which count as its own however often it forked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<String>,
}

impl WriterFile {
    /// This clone's writer ids: the current one and every one it left.
    pub fn own_ids(&self) -> Vec<String> {
        let mut out = self.earlier.clone();
        out.extend(self.forked_from.iter().cloned());
        out.push(self.writer.clone());
        out
    }
}

pub struct WriterState {
    pub file: WriterFile,
    /// This call took a new id after a copy. What it forked from, and why,
    /// is in `file` (`forked_from`, `fork_reason`, `previous_fingerprint`),
    /// where the new chain's first append reads it.
    pub forked: bool,
}

pub fn read(path: &Path) -> Result<Option<WriterFile>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::integrity(format!(
                "{} is not a valid writer file: {e}",
                path.display()
            ))
            .hint("restore it from a backup; it names this clone's chain in events/")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(format!("could not read {}", path.display())).caused_by(e)),
    }
}

fn new_writer(common_dir: &Path) -> WriterFile {
    let now = clock::now_ms();
    let fingerprint = Fingerprint::of(common_dir);
    let context = format!("writer:{}", fingerprint.path);
    WriterFile {
        writer: clock::prefixed_id("wr", now, &context),
        fingerprint,
        created: clock::format_ms(now),
        forked_from: None,
        fork_reason: None,
        previous_fingerprint: None,
        earlier: Vec::new(),
    }
}

/// Load this clone's writer, creating it or forking it as needed. Call with
/// the store lock held: it may write `writer.json`.
pub fn ensure(path: &Path, common_dir: &Path) -> Result<WriterState> {
    let here = Fingerprint::of(common_dir);
    match read(path)? {
        Some(existing) if !existing.fingerprint.is_fork_of(&here) => Ok(WriterState {
            file: existing,
            forked: false,
        }),
        Some(existing) => {
            let reason = if existing.fingerprint.machine != here.machine {
                "machine id changed (clone copied to another machine)"
            } else {
                "path and inode of the git directory changed (clone copied)"
            };
            take_new_id(path, common_dir, existing, reason)
        }
        None => {
            let file = new_writer(common_dir);
            write_atomic(path, &serde_json::to_vec_pretty(&file).unwrap_or_default())?;
            Ok(WriterState {
                file,
                forked: false,
            })
        }
    }
}

/// Abandon `old` (its chain stays as it is) and continue under a new id.
pub fn take_new_id(
    path: &Path,
    common_dir: &Path,
    old: WriterFile,
    reason: &str,
) -> Result<WriterState> {
    let mut file = new_writer(common_dir);
    file.earlier = old.earlier.clone();
    file.earlier.extend(old.forked_from.clone());
    file.forked_from = Some(old.writer.clone());
    file.fork_reason = Some(reason.to_string());
    file.previous_fingerprint = Some(old.fingerprint.clone());
    write_atomic(path, &serde_json::to_vec_pretty(&file).unwrap_or_default())?;
    Ok(WriterState { file, forked: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(machine: &str, path: &str, inode: u64) -> Fingerprint {
        Fingerprint {
            machine: machine.into(),
            path: path.into(),
            inode,
        }
    }

    #[test]
    fn fork_rules() {
        let base = fp("m", "/a/.git", 1);
        assert!(!base.is_fork_of(&fp("m", "/a/.git", 1)));
        assert!(
            !base.is_fork_of(&fp("m", "/b/.git", 1)),
            "a move is not a fork"
        );
        assert!(
            !base.is_fork_of(&fp("m", "/a/.git", 2)),
            "restored in place"
        );
        assert!(base.is_fork_of(&fp("m", "/b/.git", 2)), "cp -r");
        assert!(
            base.is_fork_of(&fp("other", "/a/.git", 1)),
            "another machine"
        );
    }
}
