//! The head record: what this clone's writer last appended (seq and hash),
//! kept in `<git-common-dir>/codexa/head.json`, beside `writer.json` and
//! outside `events/`, so that cutting lines off the end of the chain, or
//! deleting its newest segment, cannot take the record with it.
//!
//! Crash ordering: the record is replaced only after the lines it names are
//! fsynced, so it is never ahead of the durable log. It may be behind (a
//! crash between the append's fsync and the replacement, or a power loss
//! that lost the unsynced replacement): a log longer than the record is
//! normal; a log shorter than it, or holding another line at its seq, lost
//! lines. Because being behind is harmless, the common replacement is not
//! fsynced (an append pays no more fsyncs than its lines').
//!
//! The record is kept in a slot of fixed size (its JSON padded with spaces)
//! and rewritten in place: overwriting bytes the file already has, at the
//! same length, leaves the old record or the new after a crash, never an
//! empty file, and costs no block allocation. Renaming a new file over the
//! old one made ext4 write it out first, about 150 µs of every append. A
//! record that does not fit the slot (a long list of repairs), and a file
//! that is not one slot long (missing, or from an older codexa), are
//! written whole by a rename. Only appends, under the store lock, rewrite
//! it, and every reader reads it under the lock too.
//!
//! The one exception is a repair: before a crash fragment is terminated
//! (which turns it into a complete line), the record names the fragments
//! about to be repaired, durably. A crash between terminating and naming
//! them then leaves complete non-event lines the record vouches for, and
//! the next append finishes the repair; any other complete non-event line is
//! damage, not a crash.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::fsutil::{replace_by_rename, write_atomic};

/// A crash fragment a repair is about to terminate and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRepair {
    /// The segment's file name, `NNNNNN.jsonl`.
    pub segment: String,
    /// 1-based line number in that segment.
    pub line: u64,
    /// `sha256:` of the fragment's bytes.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub writer: String,
    /// The last seq appended (0: none yet).
    pub seq: u64,
    /// Its hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repairing: Vec<PendingRepair>,
}

/// How a writer's chain compares with its head record, when it lost lines.
pub fn damage(head: &Head, last_seq: u64, last_hash: Option<&str>) -> Option<String> {
    if last_seq < head.seq {
        return Some(format!(
            "the chain ends at seq {last_seq}, but this clone appended up to seq {} ({}): its newest lines were removed (cut off, or a segment deleted)",
            head.seq,
            head.hash.as_deref().unwrap_or("-")
        ));
    }
    if last_seq == head.seq && last_hash != head.hash.as_deref() {
        return Some(format!(
            "the event at seq {last_seq} is not the one this clone appended ({}): the end of the chain was replaced",
            head.hash.as_deref().unwrap_or("-")
        ));
    }
    None
}

/// What the head record's place holds: a record, none, or why not one.
pub type Recorded = std::result::Result<Option<Head>, String>;

/// The head record: `Ok(None)` when there is none (a store from before it
/// existed, or a fresh one: nothing known, and the next append writes it),
/// `Err` with the reason when there is something there that is not one.
/// Rewritten in place, a record does not come out of a crash unreadable;
/// emptying or garbling it would otherwise switch off the check for a cut
/// chain, so that is damage for a person to look at, not "nothing known".
/// Read without following a symlink or waiting on a FIFO, and only so much.
pub fn read(path: &Path) -> Recorded {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be opened as a file: {e}")),
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err("is not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.by_ref()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("is larger than {MAX_BYTES} bytes"));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("does not hold a head record ({e})"))
}

/// The most a head record is read of: a slot, or a record naming many
/// repairs.
const MAX_BYTES: u64 = 1 << 20;

/// The size of the record's slot.
const SLOT: usize = 512;

/// Replace the record after an append's lines are fsynced (see the module
/// comment for why this replacement is not fsynced itself, and why it is
/// written in place).
pub fn record(path: &Path, head: &Head) -> Result<()> {
    let mut bytes = serde_json::to_vec(head).unwrap_or_default();
    if bytes.len() < SLOT {
        bytes.resize(SLOT - 1, b' ');
        bytes.push(b'\n');
    }
    if bytes.len() == SLOT && overwrite_slot(path, &bytes).is_ok() {
        return Ok(());
    }
    replace_by_rename(path, &bytes).map_err(|e| {
        crate::error::Error::io(format!("could not write {}", path.display())).caused_by(e)
    })
}

/// Write `bytes` over the record if the file there is a regular file of
/// exactly one slot (a symlink is not followed).
fn overwrite_slot(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::{FileExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.len() != SLOT as u64 {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    file.write_all_at(bytes, 0)
}

/// Replace the record durably, before a repair terminates fragments.
pub fn record_durably(path: &Path, head: &Head) -> Result<()> {
    write_atomic(path, &serde_json::to_vec(head).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(seq: u64, hash: &str) -> Head {
        Head {
            writer: "wr_a".into(),
            seq,
            hash: Some(hash.into()),
            repairing: Vec::new(),
        }
    }

    #[test]
    fn a_log_ahead_of_its_head_is_fine_behind_or_different_is_damage() {
        let h = head(5, "sha256:e");
        assert_eq!(damage(&h, 5, Some("sha256:e")), None);
        assert_eq!(
            damage(&h, 7, Some("sha256:g")),
            None,
            "crash before the record"
        );
        let cut = damage(&h, 3, Some("sha256:c")).unwrap();
        assert!(
            cut.contains("ends at seq 3") && cut.contains("up to seq 5"),
            "{cut}"
        );
        let replaced = damage(&h, 5, Some("sha256:x")).unwrap();
        assert!(replaced.contains("replaced"), "{replaced}");
        assert!(damage(&h, 0, None).is_some(), "every segment deleted");
    }

    #[test]
    fn the_record_is_rewritten_in_its_slot_and_a_long_one_whole() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("head.json");
        let size = |p: &Path| std::fs::metadata(p).unwrap().len();
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();

        record(&path, &head(1, "sha256:a")).unwrap();
        assert_eq!(size(&path), SLOT as u64);
        assert_eq!(read(&path).unwrap(), Some(head(1, "sha256:a")));
        let first = inode(&path);
        record(&path, &head(12345, "sha256:b")).unwrap();
        assert_eq!(read(&path).unwrap(), Some(head(12345, "sha256:b")));
        assert_eq!(inode(&path), first, "rewritten in place");

        let mut repairing = head(12346, "sha256:c");
        repairing.repairing = (1..20)
            .map(|line| PendingRepair {
                segment: "000001.jsonl".into(),
                line,
                sha256: format!("sha256:{line:064}"),
            })
            .collect();
        record(&path, &repairing).unwrap();
        assert!(size(&path) > SLOT as u64);
        assert_eq!(read(&path).unwrap(), Some(repairing));
        record(&path, &head(12347, "sha256:d")).unwrap();
        assert_eq!(size(&path), SLOT as u64);
        assert_eq!(read(&path).unwrap(), Some(head(12347, "sha256:d")));
    }

    /// A symlink (or anything but a one-slot file) where the record goes is
    /// replaced by a record, never written through.
    #[test]
    fn a_symlink_in_the_records_place_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, vec![b' '; SLOT]).unwrap();
        let path = dir.path().join("head.json");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        record(&path, &head(3, "sha256:e")).unwrap();
        assert_eq!(std::fs::read(&elsewhere).unwrap(), vec![b' '; SLOT]);
        assert!(!std::fs::symlink_metadata(&path).unwrap().is_symlink());
        assert_eq!(read(&path).unwrap(), Some(head(3, "sha256:e")));
    }

    /// Anything but a record where the record goes is said to be so at
    /// once: a FIFO is not waited on, a symlink not followed.
    #[test]
    fn what_is_not_a_record_is_named_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("head.json");
        assert_eq!(read(&path), Ok(None), "none yet");
        std::fs::write(&path, "").unwrap();
        assert!(
            read(&path)
                .unwrap_err()
                .contains("does not hold a head record")
        );
        std::fs::remove_file(&path).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(read(&path).unwrap_err(), "is not a regular file");
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(dir.path().join("x"), &path).unwrap();
        assert!(
            read(&path)
                .unwrap_err()
                .starts_with("cannot be opened as a file")
        );
    }
}
