//! Reading the log into DuckDB, fast enough to ask about a million events.
//!
//! Parsing JSON is what costs: a full log is hundreds of megabytes of it.
//! But a segment a writer has moved past never changes again, so each
//! sealed segment is converted once to Parquet in
//! `cache/analytics/<writer>/<NNNNNN>-<length>.parquet` (the length in the
//! name: a segment that somehow changed, say a synced fork, is converted
//! again) and read from there ever after. Only the segment each writer is
//! still appending to is parsed as JSON each time, into a table, so every
//! query of one question sees the same events.
//!
//! Nothing here takes the store's lock, so no post or hook ever waits on a
//! question. A line being appended while it is read is torn at its end;
//! `ignore_errors` skips it (it is there next time), as it skips the crash
//! fragments a repair event names. Cache files are written to a temporary
//! name and renamed, so two questions at once, or a crash, leave either no
//! file or a whole one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use duckdb::Connection;

use super::{db_error, literal};
use crate::error::Result;
use crate::store::Store;
use crate::store::segment::{self, SegmentFile};

/// Told about the one long step, converting sealed segments: their total
/// size first, then each one done.
pub trait Progress {
    fn begin(&self, total_bytes: u64);
    fn advance(&self, bytes: u64);
    fn end(&self);
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn end(&self) {}
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

/// Where the Parquet copies live.
pub fn cache_dir(store: &Store) -> PathBuf {
    store.cache_dir().join("analytics")
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
    if let Err(e) = conn.execute_batch(&copy) {
        let _ = std::fs::remove_file(&tmp);
        return Err(db_error(&format!("cannot read {}", seg.path.display()), e));
    }
    fs_err::rename(&tmp, target)?;
    Ok(())
}

/// Remove the copies of segments that are gone or have changed.
fn prune(store: &Store, wanted: &BTreeMap<String, Vec<PathBuf>>) {
    let Ok(writers) = std::fs::read_dir(cache_dir(store)) else {
        return;
    };
    for w in writers.flatten() {
        let name = w.file_name().to_string_lossy().into_owned();
        let keep = wanted.get(&name);
        let Ok(files) = std::fs::read_dir(w.path()) else {
            continue;
        };
        for f in files.flatten() {
            let path = f.path();
            let stale_tmp = f.file_name().to_string_lossy().starts_with('.')
                && f.metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() > 3600));
            let unwanted = path.extension().is_some_and(|e| e == "parquet")
                && !keep.is_some_and(|k| k.contains(&path));
            if unwanted || stale_tmp {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// Load the log of `store` into the table `raw`; returns how many events.
pub fn load(conn: &Connection, store: &Store, progress: &dyn Progress) -> Result<u64> {
    let all = segment::list_all(&store.events_dir())?;
    // The last segment of each writer may still grow; the rest are sealed.
    let mut last: BTreeMap<&str, u32> = BTreeMap::new();
    for seg in &all {
        let n = last.entry(seg.writer.as_str()).or_default();
        *n = (*n).max(seg.number);
    }
    let (live, sealed): (Vec<&SegmentFile>, Vec<&SegmentFile>) = all
        .iter()
        .partition(|s| last.get(s.writer.as_str()) == Some(&s.number));

    let mut copies: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut missing = Vec::new();
    for seg in &sealed {
        let target = parquet_for(store, seg);
        if target.is_file() {
            copies.entry(seg.writer.clone()).or_default().push(target);
        } else {
            missing.push((*seg, target));
        }
    }
    // Segments read as JSON this time: the live ones, and any sealed one
    // whose copy could not be made (a full disk, a read-only cache): the
    // question is still answered, only slower.
    let mut json: Vec<&Path> = live.iter().map(|s| s.path.as_path()).collect();
    if !missing.is_empty() {
        progress.begin(missing.iter().map(|(s, _)| s.len).sum());
        for (seg, target) in &missing {
            if convert(conn, seg, target).is_ok() {
                copies
                    .entry(seg.writer.clone())
                    .or_default()
                    .push(target.clone());
            } else {
                json.push(&seg.path);
            }
            progress.advance(seg.len);
        }
        progress.end();
    }
    prune(store, &copies);

    let live_paths = json;
    let live_sql = if live_paths.is_empty() {
        format!("CREATE TABLE live {TABLE};")
    } else {
        format!(
            "CREATE TABLE live AS SELECT {PROJECTION} FROM {} WHERE {WHOLE};",
            read_json(&live_paths)
        )
    };
    conn.execute_batch(&live_sql)
        .map_err(|e| db_error("cannot read the event log", e))?;

    let parquet: Vec<String> = copies
        .values()
        .flatten()
        .map(|p| literal(&p.to_string_lossy()))
        .collect();
    let raw = if parquet.is_empty() {
        "CREATE VIEW raw AS SELECT * FROM live;".to_string()
    } else {
        format!(
            "CREATE VIEW raw AS SELECT {PROJECTION} FROM read_parquet([{}]) \
             UNION ALL SELECT * FROM live;",
            parquet.join(", ")
        )
    };
    conn.execute_batch(&raw)
        .map_err(|e| db_error("cannot read the event log's cache", e))?;
    let n = conn
        .query_row("SELECT count(*) FROM raw", [], |r| r.get::<_, i64>(0))
        .map_err(|e| db_error("cannot count the events", e))?;
    Ok(n.max(0) as u64)
}
