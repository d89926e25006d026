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
//! fsynced (an append pays one rename, not two more fsyncs).
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
use crate::fsutil::{replace_cache_file, write_atomic};

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

/// The head record, if there is a readable one. A missing record (a store
/// from before it existed, or a fresh one) and an unreadable one (a crash
/// during a replacement on a file system that lost its data) both mean
/// "nothing known": the next append writes it again.
pub fn read(path: &Path) -> Option<Head> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Replace the record after an append's lines are fsynced (see the module
/// comment for why this replacement is not fsynced itself).
pub fn record(path: &Path, head: &Head) -> Result<()> {
    let bytes = serde_json::to_vec(head).unwrap_or_default();
    replace_cache_file(path, &bytes).map_err(|e| {
        crate::error::Error::io(format!("could not write {}", path.display())).caused_by(e)
    })
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
}
