//! Reading the log into DuckDB, fast enough to ask about a million events.
//!
//! Parsing JSON is what costs: a full log is hundreds of megabytes of it.
//! But a segment a writer has moved past never changes again, so each
//! sealed segment is converted once to Parquet in
//! `cache/analytics/v1/<writer>/<NNNNNN>-<length>.parquet` (the length in
//! the name: a segment that somehow changed, say a synced fork, is
//! converted again; `v1`: the layout of the copies, bumped when it
//! changes) and read from there ever after. Only the segment each writer is
//! still appending to is parsed as JSON each time, into a table, so every
//! query of one question sees the same events.
//!
//! Nothing here takes the store's lock, so no post or hook ever waits on a
//! question. A line being appended while it is read is torn at its end;
//! `ignore_errors` skips it (it is there next time), as it skips the crash
//! fragments a repair event names. Cache files are written to a temporary
//! name, fsynced and renamed, so two questions at once, or a crash, leave
//! either no file or a whole one; a copy that cannot be read all the same
//! is made again, and one that cannot be made is read as JSON instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use duckdb::Connection;

use super::{db_error, literal};
use codexa::error::Result;
use codexa::store::Store;
use codexa::store::segment::{self, SegmentFile};

/// Told about the one long step, converting sealed segments: their total
/// size first, then each one done.
pub trait Progress {
    fn begin(&self, total_bytes: u64);
    fn advance(&self, bytes: u64);
    fn end(&self);
}

/// The envelope's columns, typed, as `read_json` takes them.
const COLUMNS: &str = "{v: 'INTEGER', id: 'VARCHAR', seq: 'UBIGINT', ts: 'VARCHAR', \
writer: 'VARCHAR', actor: 'STRUCT(kind VARCHAR, id VARCHAR)', type: 'VARCHAR', \
stream: 'STRUCT(type VARCHAR, id VARCHAR)', correlation_id: 'VARCHAR', \
causation_id: 'VARCHAR', idempotency_key: 'VARCHAR', provenance: 'JSON', data: 'JSON', \
prev: 'VARCHAR', hash: 'VARCHAR'}";

/// The same columns as a table definition.
const TABLE: &str = "(v INTEGER, id VARCHAR, seq UBIGINT, ts VARCHAR, writer VARCHAR, \
actor STRUCT(kind VARCHAR, id VARCHAR), type VARCHAR, stream STRUCT(type VARCHAR, id VARCHAR), \
correlation_id VARCHAR, causation_id VARCHAR, idempotency_key VARCHAR, provenance JSON, \
data JSON, prev VARCHAR, hash VARCHAR)";

/// Every column in order, JSON ones cast back (Parquet stores them as text).
const PROJECTION: &str = "v, id, seq, ts, writer, actor, type, stream, correlation_id, \
causation_id, idempotency_key, CAST(provenance AS JSON) AS provenance, \
CAST(data AS JSON) AS data, prev, hash";

/// What a line needs to count as an event. `ignore_errors` turns a line
/// cut short (a crash, or an append caught mid-write) into a row of
/// whatever it could read; without these it is not an event.
const WHOLE: &str = "id IS NOT NULL AND ts IS NOT NULL AND type IS NOT NULL AND hash IS NOT NULL";

/// The layout of the Parquet copies: bump it when `COLUMNS` or
/// `PROJECTION` change, and old copies are left behind (and removed).
const CACHE_VERSION: &str = "v1";

/// Where the Parquet copies live.
pub fn cache_dir(store: &Store) -> PathBuf {
    store.cache_dir().join("analytics").join(CACHE_VERSION)
}

/// DuckDB reads `*`, `?` and `[` in a file name as a pattern, with no way
/// to escape them; a store under such a path is named rather than misread.
fn check_path(path: &Path) -> Result<()> {
    let text = path.to_string_lossy();
    if text.contains(['*', '?', '[']) {
        return Err(codexa::error::Error::user(format!(
            "cannot analyse the log at {text}: DuckDB reads `*`, `?` and `[` in a path as a pattern"
        ))
        .hint("move or rename the repository's folder to a path without them"));
    }
    Ok(())
}

/// `read_json` over some segment files.
fn read_json(files: &[&Path]) -> String {
    let list: Vec<String> = files
        .iter()
        .map(|p| literal(&p.to_string_lossy()))
        .collect();
    format!(
        "read_json([{}], format = 'newline_delimited', columns = {COLUMNS}, \
         ignore_errors = true, maximum_object_size = 67108864)",
        list.join(", ")
    )
}

/// The cache file for a sealed segment.
fn parquet_for(store: &Store, seg: &SegmentFile) -> PathBuf {
    cache_dir(store)
        .join(&seg.writer)
        .join(format!("{:06}-{}.parquet", seg.number, seg.len))
}

/// Convert one sealed segment to its Parquet copy.
fn convert(conn: &Connection, seg: &SegmentFile, target: &Path) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs_err::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        target.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let copy = format!(
        "COPY (SELECT {PROJECTION} FROM {} WHERE {WHOLE}) TO {} (FORMAT parquet)",
        read_json(&[&seg.path]),
        literal(&tmp.to_string_lossy())
    );
    let written = conn
        .execute_batch(&copy)
        .map_err(|e| db_error(&format!("cannot copy {} to Parquet", seg.path.display()), e))
        .and_then(|()| {
            // Whole on disk before it has its name: a power cut must not
            // leave a torn copy that later questions would trust.
            fs_err::File::open(&tmp)?.sync_all()?;
            fs_err::rename(&tmp, target)?;
            Ok(())
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    codexa::fsutil::sync_dir(dir);
    Ok(())
}

/// `NNNNNN-LEN.parquet` → (NNNNNN, LEN).
fn parse_copy_name(name: &str) -> Option<(u32, u64)> {
    let (number, len) = name.strip_suffix(".parquet")?.split_once('-')?;
    Some((number.parse().ok()?, len.parse().ok()?))
}

/// Last changed more than `secs` ago.
fn older_than(entry: &std::fs::DirEntry, secs: u64) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() > secs))
}

/// An hour: past any question still reading a copy.
const HOUR: u64 = 3600;

/// Remove copies no question can want, once they are an hour old (another
/// process may have just made a copy of a segment this one's listing
/// predates, and be reading it): of segments that are gone, of an earlier
/// length of a segment, stray temporary files, and copies in another
/// layout (a day old: two installed versions must not take turns).
fn prune(store: &Store, segments: &[SegmentFile]) {
    let current: BTreeMap<(&str, u32), u64> = segments
        .iter()
        .map(|s| ((s.writer.as_str(), s.number), s.len))
        .collect();
    let root = cache_dir(store);
    if let Ok(versions) = std::fs::read_dir(root.parent().unwrap_or(&root)) {
        for v in versions.flatten() {
            if v.file_name() != CACHE_VERSION && older_than(&v, 24 * HOUR) {
                let _ = std::fs::remove_dir_all(v.path());
            }
        }
    }
    let Ok(writers) = std::fs::read_dir(&root) else {
        return;
    };
    for w in writers.flatten() {
        let writer = w.file_name().to_string_lossy().into_owned();
        let Ok(files) = std::fs::read_dir(w.path()) else {
            continue;
        };
        for f in files.flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            let unwanted = match parse_copy_name(&name) {
                _ if name.starts_with('.') => true,
                Some((number, len)) => current.get(&(writer.as_str(), number)) != Some(&len),
                None => false,
            };
            let remove = unwanted && older_than(&f, HOUR);
            if remove {
                let _ = std::fs::remove_file(f.path());
            }
        }
    }
}

/// `raw` over the copies and the table `live`; its count of events.
fn define_raw(conn: &Connection, copies: &[(&SegmentFile, PathBuf)]) -> duckdb::Result<i64> {
    conn.execute_batch("DROP VIEW IF EXISTS raw;")?;
    let raw = if copies.is_empty() {
        "CREATE VIEW raw AS SELECT * FROM live;".to_string()
    } else {
        let list: Vec<String> = copies
            .iter()
            .map(|(_, p)| literal(&p.to_string_lossy()))
            .collect();
        format!(
            "CREATE VIEW raw AS SELECT {PROJECTION} FROM read_parquet([{}]) \
             UNION ALL SELECT * FROM live;",
            list.join(", ")
        )
    };
    conn.execute_batch(&raw)?;
    conn.query_row("SELECT count(*) FROM raw", [], |r| r.get::<_, i64>(0))
}

/// Load the log of `store` into the view `raw`; returns how many events.
pub fn load(conn: &Connection, store: &Store, progress: &dyn Progress) -> Result<u64> {
    check_path(&store.events_dir())?;
    check_path(&cache_dir(store))?;
    // Foreign writer folders (see `store::trust`) are not part of the log;
    // deciding which they are must not wait for the store lock either.
    let present = segment::list_writers(&store.events_dir())?;
    let foreign = codexa::store::trust::foreign_without_waiting(store, present)?;
    let all: Vec<SegmentFile> = segment::list_all(&store.events_dir())?
        .into_iter()
        .filter(|s| !foreign.contains(&s.writer))
        .collect();
    // The last segment of each writer may still grow; the rest are sealed.
    let mut last: BTreeMap<&str, u32> = BTreeMap::new();
    for seg in &all {
        let n = last.entry(seg.writer.as_str()).or_default();
        *n = (*n).max(seg.number);
    }
    let (live, sealed): (Vec<&SegmentFile>, Vec<&SegmentFile>) = all
        .iter()
        .partition(|s| last.get(s.writer.as_str()) == Some(&s.number));

    let mut copies: Vec<(&SegmentFile, PathBuf)> = Vec::new();
    let mut missing = Vec::new();
    for seg in sealed {
        let target = parquet_for(store, seg);
        if target.is_file() {
            copies.push((seg, target));
        } else {
            missing.push((seg, target));
        }
    }
    // Segments read as JSON this time: the live ones, and any sealed one
    // whose copy could not be made (a full disk, a read-only cache): the
    // question is still answered, only slower.
    let mut json: Vec<&Path> = live.iter().map(|s| s.path.as_path()).collect();
    if !missing.is_empty() {
        progress.begin(missing.iter().map(|(s, _)| s.len).sum());
        // After one failure (the disk is full, the folder is not writable)
        // the rest are not tried: each attempt parses a whole segment.
        let mut failed = false;
        for (seg, target) in missing {
            if !failed && convert(conn, seg, &target).is_ok() {
                copies.push((seg, target));
            } else {
                failed = true;
                json.push(&seg.path);
            }
            progress.advance(seg.len);
        }
        progress.end();
    }
    prune(store, &all);

    let live_sql = if json.is_empty() {
        format!("CREATE TABLE live {TABLE};")
    } else {
        format!(
            "CREATE TABLE live AS SELECT {PROJECTION} FROM {} WHERE {WHOLE};",
            read_json(&json)
        )
    };
    conn.execute_batch(&live_sql)
        .map_err(|e| db_error("cannot read the event log", e))?;

    let n = match define_raw(conn, &copies) {
        Ok(n) => n,
        Err(_) => {
            // A copy that does not read (damaged on disk, or removed under
            // us): make those again from their segments, else read the
            // segments' JSON, and try once more.
            let mut redo = Vec::new();
            copies.retain(|(seg, path)| {
                let ok = conn
                    .query_row(
                        &format!(
                            // Not a bare count, which reads only the footer: read
                            // a column's pages too.
                            "SELECT count(hash) FROM read_parquet({})",
                            literal(&path.to_string_lossy())
                        ),
                        [],
                        |r| r.get::<_, i64>(0),
                    )
                    .is_ok();
                if !ok {
                    let _ = std::fs::remove_file(path);
                    redo.push((*seg, path.clone()));
                }
                ok
            });
            let mut fallback = Vec::new();
            for (seg, target) in redo {
                if convert(conn, seg, &target).is_ok() {
                    copies.push((seg, target));
                } else {
                    fallback.push(seg.path.as_path());
                }
            }
            if !fallback.is_empty() {
                conn.execute_batch(&format!(
                    "INSERT INTO live SELECT {PROJECTION} FROM {} WHERE {WHOLE};",
                    read_json(&fallback)
                ))
                .map_err(|e| db_error("cannot read the event log", e))?;
            }
            define_raw(conn, &copies).map_err(|e| {
                db_error(
                    &format!(
                        "cannot read the event log's cache in {}",
                        cache_dir(store).display()
                    ),
                    e,
                )
            })?
        }
    };
    Ok(n.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_names_round_trip() {
        assert_eq!(
            parse_copy_name("000012-4194000.parquet"),
            Some((12, 4_194_000))
        );
        assert_eq!(parse_copy_name(".000012-1.parquet.77.tmp"), None);
        assert_eq!(parse_copy_name("notes.txt"), None);
    }

    #[test]
    fn pattern_characters_in_paths_are_named() {
        assert!(check_path(Path::new("/home/u/proj/.git/codexa/events")).is_ok());
        let e = check_path(Path::new("/home/u/proj[1]/.git/codexa/events")).unwrap_err();
        assert!(e.message().contains("proj[1]"), "{}", e.message());
    }
}
