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

/// The segment numbers of one writer, in order, from the folder's names
/// alone (no `stat` per file: a long-lived log has hundreds of segments, and
/// only the last ones can change).
pub fn numbers(events_dir: &Path, writer: &str) -> Result<Vec<u32>> {
    let dir = events_dir.join(writer);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(_) => {
            return Err(fs_err::read_dir(&dir).err().map_or_else(
                || crate::error::Error::io(format!("could not list {}", dir.display())),
                Into::into,
            ));
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        if let Some(n) = parse_segment_name(&entry?.file_name().to_string_lossy()) {
            out.push(n);
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// One segment with its current length.
pub fn stat(events_dir: &Path, writer: &str, number: u32) -> Result<SegmentFile> {
    let path = events_dir.join(writer).join(segment_name(number));
    let len = fs_err::metadata(&path)?.len();
    Ok(SegmentFile {
        writer: writer.to_string(),
        number,
        path,
        len,
    })
}

/// Every segment of one writer numbered `from` or later, in order.
pub fn list_writer_from(events_dir: &Path, writer: &str, from: u32) -> Result<Vec<SegmentFile>> {
    let mut out = Vec::new();
    for n in numbers(events_dir, writer)?
        .into_iter()
        .filter(|n| *n >= from)
    {
        match stat(events_dir, writer, n) {
            Ok(seg) => out.push(seg),
            // Gone between listing and stat (a sync settling a fork).
            Err(e) if !events_dir.join(writer).join(segment_name(n)).exists() => drop(e),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Every segment of one writer, in order.
pub fn list_writer(events_dir: &Path, writer: &str) -> Result<Vec<SegmentFile>> {
    list_writer_from(events_dir, writer, 0)
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
