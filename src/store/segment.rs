//! Segment files: `events/<writer>/<NNNNNN>.jsonl`, numbered from 1. A writer
//! appends to its highest-numbered segment and opens the next one when a line
//! would take it past the size limit.

use std::path::{Path, PathBuf};

use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentFile {
    pub writer: String,
    pub number: u32,
    pub path: PathBuf,
    pub len: u64,
}

pub fn segment_name(number: u32) -> String {
    format!("{number:06}.jsonl")
}

/// `000012.jsonl` → 12.
pub fn parse_segment_name(name: &str) -> Option<u32> {
    let stem = name.strip_suffix(".jsonl")?;
    if stem.len() != 6 || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    stem.parse().ok().filter(|n| *n > 0)
}

/// Writer ids are what `writer.json` holds; a folder that is not one is
/// ignored rather than guessed at.
pub fn valid_writer_id(name: &str) -> bool {
    name.starts_with("wr_")
        && name.len() <= 64
        && name[3..].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Every segment of one writer, in order.
pub fn list_writer(events_dir: &Path, writer: &str) -> Result<Vec<SegmentFile>> {
    let dir = events_dir.join(writer);
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => {
            return Err(fs_err::read_dir(&dir)
                .err()
                .map(Into::into)
                .unwrap_or(e.into()));
        }
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(number) = parse_segment_name(&name.to_string_lossy()) else {
            continue;
        };
        let len = entry.metadata()?.len();
        out.push(SegmentFile {
            writer: writer.to_string(),
            number,
            path: entry.path(),
            len,
        });
    }
    out.sort_by_key(|s| s.number);
    Ok(out)
}

/// The writer folders present in the store, sorted.
pub fn list_writers(events_dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(events_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if valid_writer_id(&name) && entry.file_type()?.is_dir() {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Every segment of every writer.
pub fn list_all(events_dir: &Path) -> Result<Vec<SegmentFile>> {
    let mut out = Vec::new();
    for writer in list_writers(events_dir)? {
        out.extend(list_writer(events_dir, &writer)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_reject_strays() {
        assert_eq!(segment_name(7), "000007.jsonl");
        assert_eq!(parse_segment_name("000007.jsonl"), Some(7));
        assert_eq!(parse_segment_name("7.jsonl"), None);
        assert_eq!(parse_segment_name("000000.jsonl"), None);
        assert_eq!(parse_segment_name(".000001.jsonl.tmp"), None);
        assert!(valid_writer_id("wr_01JABC"));
        assert!(!valid_writer_id("wr_../x"));
    }
}
