//! The read index: a SQLite file in `cache/` that maps ids, streams, types,
//! actors, correlation ids and idempotency keys to (segment, offset, length),
//! so a read costs what its answer costs, not what the history costs.
//!
//! It is a cache. Each segment's indexed length is recorded; every open
//! compares those with the files and indexes only what grew (own appends,
//! lines `sync` brought in), so no writer ever has to update it by hand. A
//! missing, unreadable or outdated index is deleted and rebuilt from the log.
//! SQLite (WAL) serialises the processes that catch up at the same time, and
//! `INSERT OR IGNORE` on `(writer, seq)` makes a repeated catch-up harmless.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::error::Result;
use crate::store::Store;
pub use crate::store::filter::Filter;
use crate::store::segment::{self, SegmentFile};
use crate::store::view::LineView;
use crate::store::{denials, lifecycle};

const SCHEMA_VERSION: i64 = 5;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS files (
    writer TEXT NOT NULL,
    segment INTEGER NOT NULL,
    indexed_len INTEGER NOT NULL,
    seen_len INTEGER NOT NULL,
    PRIMARY KEY (writer, segment)
);
CREATE TABLE IF NOT EXISTS events (
    writer TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    ts TEXT NOT NULL,
    type TEXT NOT NULL,
    stream_type TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    correlation_id TEXT,
    idempotency_key TEXT,
    segment INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    len INTEGER NOT NULL,
    PRIMARY KEY (writer, seq)
);
CREATE INDEX IF NOT EXISTS events_id ON events(id);
CREATE INDEX IF NOT EXISTS events_stream ON events(stream_type, stream_id, ts, id);
CREATE INDEX IF NOT EXISTS events_type ON events(type, ts, id);
CREATE INDEX IF NOT EXISTS events_ts ON events(ts, id);
CREATE INDEX IF NOT EXISTS events_actor ON events(actor_id, ts);
CREATE INDEX IF NOT EXISTS events_corr ON events(correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_key ON events(idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS published (writer TEXT PRIMARY KEY);
";

/// How far each `(writer, segment)` file has been indexed, in bytes.
pub type Positions = HashMap<(String, u32), u64>;

/// Where one event's line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub writer: String,
    pub segment: u32,
    pub offset: u64,
    pub len: u64,
}

/// One event as the index holds it: enough to count, order and attribute
/// it without reading its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    /// The event's type.
    pub kind: String,
    pub ts: String,
    pub stream_id: String,
    pub actor_id: String,
    pub location: Location,
}

pub struct Index {
    conn: Connection,
    /// Writer folders that do not count (see `store::trust`): indexed, so
    /// accepting one costs no rebuild, but left out of every answer.
    foreign: Vec<String>,
}

impl Index {
    pub fn path(store: &Store) -> PathBuf {
        store.cache_dir().join("index.sqlite")
    }

    /// Open (creating or rebuilding as needed) and catch up with what the
    /// log held when the store lock was free: never a line still being
    /// written, which a failed write could yet take back.
    pub fn open(store: &Store) -> Result<Index> {
        Self::open_with(store, |from| store.stable_tails(from))
    }

    /// `open` for a caller that already holds the store lock.
    pub fn open_locked(store: &Store) -> Result<Index> {
        let events_dir = store.events_dir();
        Self::open_with(store, |from| {
            let mut files = Vec::new();
            for writer in segment::list_writers(&events_dir)? {
                let first = from.get(&writer).copied().unwrap_or(0);
                files.extend(segment::list_writer_from(&events_dir, &writer, first)?);
            }
            Ok(files)
        })
    }

    /// Open, then catch up with the segments `tails` lists from each
    /// writer's last indexed segment on. What the index knows of the files
    /// is read once: when nothing grew (most commands), that one read also
    /// says which writers are indexed, and nothing is written.
    fn open_with(
        store: &Store,
        tails: impl Fn(&HashMap<String, u32>) -> Result<Vec<SegmentFile>>,
    ) -> Result<Index> {
        let mut index = Self::open_db(store)?;
        let mut present = None;
        // A second pass only after the index was emptied (a shrunk log):
        // then nothing is known and every segment is read.
        for _ in 0..2 {
            let known = index.known_files()?;
            let files = tails(&known.last_segments())?;
            match index.catch_up(&files, &known.seen())? {
                CatchUp::Current => {
                    present = Some(known.writers());
                    break;
                }
                CatchUp::Indexed => break,
                CatchUp::Emptied => {}
            }
        }
        index.foreign = index.find_foreign(store, present)?;
        Ok(index)
    }

    /// The writer folders this index leaves out of its answers.
    pub fn foreign_writers(&self) -> &[String] {
        &self.foreign
    }

    /// Which indexed writers are foreign; acceptances are read from the
    /// index itself (people's `writer.accepted` events in own chains).
    /// `present`: the indexed writers, when already read.
    fn find_foreign(&self, store: &Store, present: Option<Vec<String>>) -> Result<Vec<String>> {
        let present: Vec<String> = match present {
            Some(present) => present,
            None => {
                let mut stmt = self
                    .conn
                    .prepare_cached("SELECT DISTINCT writer FROM files")?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                rows.collect::<std::result::Result<_, _>>()?
            }
        };
        crate::store::trust::foreign_among(
            store,
            present,
            |unknown| self.published(store, unknown),
            |own| self.accepted(own),
        )
    }

    /// Which writers came through `sync` (see `trust`), asked for
    /// `unknown`: remembered here once seen on `codexa/state`, which sync
    /// only ever adds to, so a synced clone reads the git branch only when
    /// a writer it has not classified appears, not on every query.
    pub fn published(
        &self,
        store: &Store,
        unknown: &[String],
    ) -> Result<std::collections::BTreeSet<String>> {
        let mut known: std::collections::BTreeSet<String> = {
            let mut stmt = self.conn.prepare_cached("SELECT writer FROM published")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        if unknown.iter().all(|w| known.contains(w)) {
            return Ok(known);
        }
        let found = crate::store::trust::published_writers(store)?;
        for w in found.difference(&known) {
            // Best effort: an index that cannot remember asks git again.
            let _ = self
                .conn
                .prepare_cached("INSERT OR IGNORE INTO published (writer) VALUES (?1)")
                .and_then(|mut insert| insert.execute([w]));
        }
        known.extend(found);
        Ok(known)
    }

    /// The writers people accepted (`writer.accepted` by a user) in the
    /// chains `own`, as far as this index has caught up.
    pub fn accepted(&self, own: &[String]) -> Result<std::collections::BTreeSet<String>> {
        let marks = vec!["?"; own.len()].join(", ");
        let sql = format!(
            "SELECT stream_id FROM events WHERE type = ?1 AND actor_kind = 'user'
             AND writer IN ({marks})"
        );
        let mut args: Vec<rusqlite::types::Value> =
            vec![crate::store::trust::ACCEPTED.to_string().into()];
        args.extend(own.iter().map(|w| w.clone().into()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The index as it is, without catching up (which waits for the store
    /// lock): for readers that must never wait, such as analytics.
    pub fn open_as_is(store: &Store) -> Result<Index> {
        Self::open_db(store)
    }

    /// Every segment the index has a row for, with how far it was seen.
    fn known_files(&self) -> Result<KnownFiles> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT writer, segment, seen_len FROM files")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, i64>(2)? as u64,
            ))
        })?;
        Ok(KnownFiles(rows.collect::<std::result::Result<_, _>>()?))
    }

    fn open_db(store: &Store) -> Result<Index> {
        let path = Self::path(store);
        fs_err::create_dir_all(store.cache_dir())?;
        match Self::open_retrying(&path) {
            Ok(i) => Ok(i),
            // A damaged cache is not worth an error: start it afresh. Other
            // failures (another process holding it busy) are reported.
            Err(e) if is_corrupt(&e) => {
                remove_db(&path);
                Ok(Self::open_at(&path)?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// `open_at`, tried again for a while when SQLite answers "busy" at
    /// once: while another process rebuilds the shared WAL index (the first
    /// to open after the last one closed), a new connection's first read
    /// is refused without waiting on the busy timeout. Within the process's
    /// deadline (an agent hook's budget), if any.
    fn open_retrying(path: &Path) -> rusqlite::Result<Index> {
        let until = std::time::Instant::now() + crate::budget::cap(Duration::from_secs(5));
        loop {
            match Self::open_at(path) {
                Err(e) if is_busy(&e) && std::time::Instant::now() < until => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    fn open_at(path: &Path) -> rusqlite::Result<Index> {
        let conn = Connection::open(path)?;
        // Within the process's deadline (an agent hook's budget), if any.
        conn.busy_timeout(crate::budget::cap(Duration::from_secs(30)))?;
        // WAL lets readers run beside a writer. No fsync at all: the index
        // is a cache of the log, and the checkpoint fsync each short process
        // paid when closing was a third of a `post`. An application crash
        // cannot damage it; after a power loss it may lose its latest rows
        // (caught up again from the recorded lengths) or, rarely, be
        // damaged: SQLite's own check finds corruption (the index is then
        // rebuilt), and every line read through it is checked against what
        // was asked (`Index::events`), so a wrong answer is refused, not
        // given.
        conn.pragma_update(None, "synchronous", "OFF")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            // The journal mode is stored in the file: set once, at creation.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.execute_batch(
                "DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS published;
                 DROP TABLE IF EXISTS open_streams; DROP TABLE IF EXISTS denials;",
            )?;
            conn.execute_batch(SCHEMA)?;
            conn.execute_batch(lifecycle::SCHEMA)?;
            conn.execute_batch(denials::SCHEMA)?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        Ok(Index {
            conn,
            foreign: Vec::new(),
        })
    }

    /// Throw the index away and build it again from the log.
    pub fn rebuild(store: &Store) -> Result<(Index, u64)> {
        remove_db(&Self::path(store));
        let index = Self::open(store)?;
        let count = index.count()?;
        Ok((index, count))
    }

    /// Drop the index so the next open rebuilds it: for when a segment's
    /// content was replaced rather than extended (a fork settled by sync).
    pub fn invalidate(store: &Store) {
        remove_db(&Self::path(store));
    }

    /// The policy's denials of `actor_id` since `since` (envelope `ts`),
    /// oldest first, from the index alone (see `store::denials`).
    pub fn denials(&self, actor_id: &str, since: &str) -> Result<Vec<denials::Denial>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT writer, id, ts, actor_kind, action, subject, reason_code FROM denials
             WHERE actor_id = ?1 AND ts >= ?2 ORDER BY ts, id",
        )?;
        let rows = stmt.query_map(params![actor_id, since], |r| {
            Ok(denials::Denial {
                writer: r.get(0)?,
                id: r.get(1)?,
                ts: r.get(2)?,
                actor_kind: r.get(3)?,
                action: r.get(4)?,
                subject: r.get(5)?,
                reason_code: r.get(6)?,
            })
        })?;
        let all: Vec<denials::Denial> = rows.collect::<std::result::Result<_, _>>()?;
        Ok(all
            .into_iter()
            .filter(|d| !self.foreign.contains(&d.writer))
            .collect())
    }

    /// The open streams of `stream_type` (see `store::lifecycle`), oldest
    /// opened first.
    pub fn open_streams(&self, stream_type: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT stream_id FROM open_streams WHERE stream_type = ?1 ORDER BY opened_ts, opened_id",
        )?;
        let rows = stmt.query_map([stream_type], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn count(&self) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM events")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    pub fn query(&self, filter: &Filter, limit: Option<u64>, last: bool) -> Result<Vec<Location>> {
        self.view().query(filter, limit, last)
    }

    /// The rows of the events matching `filter`, ordered by `(ts, id)`,
    /// from the index alone (no line is read).
    pub fn rows(&self, filter: &Filter) -> Result<Vec<Row>> {
        self.view().rows(filter)
    }

    /// The events of `rows`, read from the log and checked to be the ones
    /// the index says (a line that is not is a stale index, which is reset).
    pub fn events_of<'r>(
        &self,
        events_dir: &Path,
        rows: impl IntoIterator<Item = &'r Row>,
    ) -> Result<Vec<crate::store::Event>> {
        let mut reader = LineReader::new(events_dir);
        rows.into_iter()
            .map(|row| {
                self.checked_line(&mut reader, &row.location, |e| e.id == row.id)
                    .map(|(_, e)| e)
            })
            .collect()
    }

    /// Read the line of each of `rows` and hand it to `each`, checked to be
    /// the event the index says it is (a line that is not is a stale index,
    /// which is reset, as `lines` does). Only the lines `may_matter` (a quick
    /// look at the raw bytes) lets through are parsed; a line passed over
    /// is still checked to hold the event's id.
    pub fn each_line<'r>(
        &self,
        events_dir: &Path,
        rows: impl IntoIterator<Item = &'r Row>,
        may_matter: impl Fn(&[u8]) -> bool,
        mut each: impl FnMut(&Row, &crate::store::view::LineView<'_>),
    ) -> Result<()> {
        let mut reader = LineReader::new(events_dir);
        for row in rows {
            let line = reader.read(&row.location)?;
            if !may_matter(&line) {
                let id = format!("\"{}\"", row.id);
                if memchr::memmem::find(&line, id.as_bytes()).is_none() {
                    return Err(self.reset());
                }
                continue;
            }
            match crate::store::view::LineView::parse(&line) {
                Some(v) if v.id == row.id && v.writer == row.location.writer => each(row, &v),
                _ => return Err(self.reset()),
            }
        }
        Ok(())
    }

    /// How many events match `filter`, from the index alone.
    pub fn count_matching(&self, filter: &Filter) -> Result<u64> {
        self.view().count(filter)
    }

    /// The actor kinds of the newest `n` events matching `filter`, newest
    /// first, from the index alone (no line is read).
    pub fn recent_actor_kinds(&self, filter: &Filter, n: u64) -> Result<Vec<String>> {
        let (where_sql, args) = self.view().where_clause(filter);
        let sql = format!(
            "SELECT actor_kind FROM events {where_sql} ORDER BY ts DESC, id DESC LIMIT {n}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

/// What a catch-up found.
enum CatchUp {
    /// Every segment was indexed as far as it goes: nothing was written.
    Current,
    /// What had grown is indexed now.
    Indexed,
    /// The log had shrunk: the index was emptied and must be caught up
    /// again from every segment.
    Emptied,
}

/// The index's `files` rows: `(writer, segment, seen_len)`.
struct KnownFiles(Vec<(String, u32, u64)>);

impl KnownFiles {
    /// Each writer's highest indexed segment: segments before it are
    /// sealed, so catching up looks only from there on.
    fn last_segments(&self) -> HashMap<String, u32> {
        let mut last = HashMap::new();
        for (writer, segment, _) in &self.0 {
            let at = last.entry(writer.clone()).or_insert(*segment);
            *at = (*at).max(*segment);
        }
        last
    }

    /// How far each segment was seen.
    fn seen(&self) -> Positions {
        self.0
            .iter()
            .map(|(writer, segment, len)| ((writer.clone(), *segment), *len))
            .collect()
    }

    /// The writers indexed, each once.
    fn writers(&self) -> Vec<String> {
        let mut writers: Vec<String> = self.0.iter().map(|(w, _, _)| w.clone()).collect();
        writers.sort();
        writers.dedup();
        writers
    }
}

/// Read-only queries over a connection or an open transaction.
struct IndexView<'c> {
    conn: &'c Connection,
    /// Writers left out of every answer.
    exclude: &'c [String],
}

impl Index {
    fn view(&self) -> IndexView<'_> {
        IndexView {
            conn: &self.conn,
            exclude: &self.foreign,
        }
    }
}

impl IndexView<'_> {
    /// How far each segment is indexed.
    fn lengths(&self) -> Result<Positions> {
        self.column_lengths("indexed_len")
    }

    /// `(writer, segment) → column` for a length column of `files`.
    fn column_lengths(&self, column: &str) -> Result<Positions> {
        let sql = format!("SELECT writer, segment, {column} FROM files");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, u32>(1)?),
                r.get::<_, i64>(2)? as u64,
            ))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

impl Index {
    /// Index whatever `files` (every segment that can have changed, with
    /// the lengths to read up to) hold beyond what was indexed; `seen`, how
    /// far each segment was seen when last looked at, tells whether there
    /// can be anything (read before `files` were listed: a catch-up by
    /// another process in between only makes this one look under the write
    /// lock and find nothing to do).
    fn catch_up(&mut self, files: &[SegmentFile], seen: &Positions) -> Result<CatchUp> {
        if files
            .iter()
            .all(|f| seen.get(&(f.writer.clone(), f.number)) == Some(&f.len))
        {
            return Ok(CatchUp::Current);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read under SQLite's write lock: another process may have caught
        // up since, possibly further than our lengths (it looked later).
        let known = IndexView {
            conn: &tx,
            exclude: &[],
        }
        .lengths()?;
        // Indexed further than a file now is: the log was cut or replaced
        // (an index merely ahead of our lengths, because another process
        // looked later, is not that).
        let shrank = files.iter().any(|f| {
            known
                .get(&(f.writer.clone(), f.number))
                .is_some_and(|indexed| {
                    *indexed > f.len
                        && std::fs::metadata(&f.path).map_or(true, |m| m.len() < *indexed)
                })
        });
        if shrank {
            // The log was cut or replaced under us (restored, edited): start over.
            tx.execute_batch("DELETE FROM events; DELETE FROM files; DELETE FROM open_streams; DELETE FROM denials;")?;
            tx.commit()?;
            return Ok(CatchUp::Emptied);
        }
        let (mut indexed_one, mut out_of_time) = (false, false);
        {
            let mut insert = tx.prepare_cached(INSERT_EVENT)?;
            let mut set_len = tx.prepare_cached(
                "INSERT INTO files (writer, segment, indexed_len, seen_len) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (writer, segment) DO UPDATE
                 SET indexed_len = excluded.indexed_len, seen_len = excluded.seen_len",
            )?;
            for file in files {
                // Past the process's deadline (an agent hook's budget, after
                // a `sync` brought many lines): keep the whole segments
                // indexed so far, so the next command goes on from there
                // instead of starting over and running out of time again.
                if indexed_one && crate::budget::passed() {
                    out_of_time = true;
                    break;
                }
                let key = (file.writer.clone(), file.number);
                let from = known.get(&key).copied().unwrap_or(0);
                if from >= file.len {
                    // Nothing new (another process may have indexed further,
                    // having looked later). An empty segment still gets its
                    // row, so the quick check above can pass.
                    if !known.contains_key(&key) {
                        set_len.execute(params![
                            file.writer,
                            file.number,
                            from as i64,
                            file.len as i64
                        ])?;
                    }
                    continue;
                }
                let consumed = index_file_tail(file, from, |offset, line| {
                    // Not an event (a repaired crash fragment): verify reports
                    // it; reads skip it.
                    let Some(e) = LineView::parse(line) else {
                        return Ok(());
                    };
                    insert_event(&mut insert, &file.writer, file.number, offset, line, &e)?;
                    lifecycle::record(&tx, &e)?;
                    denials::record(&tx, &file.writer, &e)?;
                    Ok(())
                })?;
                set_len.execute(params![
                    file.writer,
                    file.number,
                    consumed as i64,
                    file.len as i64
                ])?;
                indexed_one = true;
            }
        }
        tx.commit()?;
        if out_of_time {
            return Err(crate::error::Error::io(
                "ran out of time catching up the index with the log; what was indexed is kept for the next command",
            )
            .hint("run any codexa command from a terminal (e.g. `codexa events tail -n 1`) to finish the catch-up"));
        }
        Ok(CatchUp::Indexed)
    }

    /// The events matching `filter`, read from the log and checked against
    /// it: a line that does not match is a stale index, which is reset.
    pub fn events(
        &self,
        events_dir: &Path,
        filter: &Filter,
        limit: Option<u64>,
        last: bool,
    ) -> Result<Vec<crate::store::Event>> {
        Ok(self
            .lines(events_dir, filter, limit, last)?
            .into_iter()
            .map(|(_, e)| e)
            .collect())
    }

    /// `events`, with each event's line as stored (for printing it as is).
    pub fn lines(
        &self,
        events_dir: &Path,
        filter: &Filter,
        limit: Option<u64>,
        last: bool,
    ) -> Result<Vec<(Vec<u8>, crate::store::Event)>> {
        let mut reader = LineReader::new(events_dir);
        self.query(filter, limit, last)?
            .iter()
            .map(|loc| self.checked_line(&mut reader, loc, |e| filter.matches(e)))
            .collect()
    }

    /// The line at `loc` and its event, which must be `loc`'s writer's and
    /// pass `is_asked`: anything else is a stale index, which is reset.
    fn checked_line(
        &self,
        reader: &mut LineReader,
        loc: &Location,
        is_asked: impl Fn(&crate::store::Event) -> bool,
    ) -> Result<(Vec<u8>, crate::store::Event)> {
        let line = reader.read(loc)?;
        match serde_json::from_slice::<crate::store::Event>(&line) {
            Ok(e) if e.writer == loc.writer && is_asked(&e) => Ok((line, e)),
            _ => Err(self.reset()),
        }
    }

    /// One event by id, checked against the log.
    pub fn event_by_id(&self, events_dir: &Path, id: &str) -> Result<Option<crate::store::Event>> {
        Ok(self.line_by_id(events_dir, id)?.map(|(_, e)| e))
    }

    /// `event_by_id`, with the line as stored (for printing it as is).
    pub fn line_by_id(
        &self,
        events_dir: &Path,
        id: &str,
    ) -> Result<Option<(Vec<u8>, crate::store::Event)>> {
        self.checked_one(events_dir, self.find_by_id(id)?, |e| e.id == id)
    }

    /// The first event recorded under an idempotency key, checked.
    pub fn event_by_key(
        &self,
        events_dir: &Path,
        key: &str,
    ) -> Result<Option<crate::store::Event>> {
        Ok(self
            .checked_one(events_dir, self.find_by_key(key)?, |e| {
                e.idempotency_key.as_deref() == Some(key)
            })?
            .map(|(_, e)| e))
    }

    fn checked_one(
        &self,
        events_dir: &Path,
        loc: Option<Location>,
        ok: impl Fn(&crate::store::Event) -> bool,
    ) -> Result<Option<(Vec<u8>, crate::store::Event)>> {
        let Some(loc) = loc else { return Ok(None) };
        let line = LineReader::new(events_dir).read(&loc)?;
        match serde_json::from_slice::<crate::store::Event>(&line) {
            Ok(e) if ok(&e) => Ok(Some((line, e))),
            _ => Err(self.reset()),
        }
    }

    /// Empty the index (the next open rebuilds it) and say so.
    fn reset(&self) -> crate::error::Error {
        let _ = self.conn.execute_batch(
            "DELETE FROM events; DELETE FROM files; DELETE FROM open_streams; DELETE FROM denials;",
        );
        stale()
    }

    pub fn find_by_id(&self, id: &str) -> Result<Option<Location>> {
        self.find_one("id", id)
    }

    pub fn find_by_key(&self, key: &str) -> Result<Option<Location>> {
        self.find_one("idempotency_key", key)
    }

    fn find_one(&self, column: &str, value: &str) -> Result<Option<Location>> {
        let filter = Filter::default();
        let (where_sql, mut args) = self.view().where_clause(&filter);
        args.push(value.to_string().into());
        let column_test = format!("{column} = ?{}", args.len());
        let where_sql = if where_sql.is_empty() {
            format!("WHERE {column_test}")
        } else {
            format!("{where_sql} AND {column_test}")
        };
        let sql = format!(
            "SELECT writer, segment, offset, len FROM events {where_sql}
             ORDER BY ts, id LIMIT 1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row(rusqlite::params_from_iter(args), location_of)
            .optional()?)
    }

    /// A query plus how far each segment was indexed when it ran, read in
    /// one transaction: a follower starts exactly where the answer ends.
    pub fn snapshot(
        &mut self,
        filter: &Filter,
        limit: Option<u64>,
        last: bool,
    ) -> Result<(Positions, Vec<Location>)> {
        let tx = self.conn.transaction()?;
        let (positions, locations) = {
            let me = IndexView {
                conn: &tx,
                exclude: &self.foreign,
            };
            (me.lengths()?, me.query(filter, limit, last)?)
        };
        tx.commit()?;
        Ok((positions, locations))
    }
}

impl IndexView<'_> {
    /// `filter` as a WHERE clause and its arguments, foreign writers left out.
    fn where_clause(&self, filter: &Filter) -> (String, Vec<rusqlite::types::Value>) {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let mut push = |clause: &str, value: rusqlite::types::Value| {
            args.push(value);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        };
        for condition in filter.conditions() {
            let (clause, value) = condition.sql();
            push(&clause, value);
        }
        for w in self.exclude {
            push("writer != ?", w.clone().into());
        }
        let where_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        (where_sql, args)
    }

    /// How many events match `filter` (no line is read).
    pub fn count(&self, filter: &Filter) -> Result<u64> {
        let (where_sql, args) = self.where_clause(filter);
        let sql = format!("SELECT count(*) FROM events {where_sql}");
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Events matching `filter`, ordered by `(ts, id)`. With `last`, only the
    /// newest `n` (still returned oldest first).
    pub fn query(&self, filter: &Filter, limit: Option<u64>, last: bool) -> Result<Vec<Location>> {
        let (where_sql, args) = self.where_clause(filter);
        let order = if last { "DESC" } else { "ASC" };
        let limit_sql = limit.map(|n| format!("LIMIT {n}")).unwrap_or_default();
        let sql = format!(
            "SELECT writer, segment, offset, len FROM events {where_sql}
             ORDER BY ts {order}, id {order} {limit_sql}"
        );
        // Cached: listing threads runs this once per thread, same text.
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), location_of)?;
        let mut out = rows.collect::<std::result::Result<Vec<_>, _>>()?;
        if last {
            out.reverse();
        }
        Ok(out)
    }

    fn rows(&self, filter: &Filter) -> Result<Vec<Row>> {
        let (where_sql, args) = self.where_clause(filter);
        let sql = format!(
            "SELECT writer, segment, offset, len, id, ts, stream_id, actor_id, type FROM events
             {where_sql} ORDER BY ts, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(Row {
                location: location_of(r)?,
                id: r.get(4)?,
                ts: r.get(5)?,
                stream_id: r.get(6)?,
                actor_id: r.get(7)?,
                kind: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }
}

/// Records one event's line in the index (run with `insert_event`).
const INSERT_EVENT: &str =
    "INSERT OR REPLACE INTO events (writer, seq, id, ts, type, stream_type, stream_id,
     actor_kind, actor_id, correlation_id, idempotency_key, segment, offset, len)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/// Index `line`, whose event is `e`, found at `offset` of `writer`'s
/// segment `segment`, with `INSERT_EVENT` prepared as `insert`.
fn insert_event(
    insert: &mut rusqlite::Statement<'_>,
    writer: &str,
    segment: u32,
    offset: u64,
    line: &[u8],
    e: &LineView<'_>,
) -> rusqlite::Result<usize> {
    insert.execute(params![
        writer,
        e.seq as i64,
        e.id,
        e.ts,
        e.kind,
        e.stream.kind,
        e.stream.id,
        e.actor.kind,
        e.actor.id,
        e.correlation_id,
        e.idempotency_key,
        segment,
        offset as i64,
        line.len() as i64,
    ])
}

fn location_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Location> {
    Ok(Location {
        writer: r.get(0)?,
        segment: r.get(1)?,
        offset: r.get::<_, i64>(2)? as u64,
        len: r.get::<_, i64>(3)? as u64,
    })
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Call `each(offset, line)` for every complete line of `file` from byte
/// `from`; returns the offset after the last complete line.
pub fn index_file_tail(
    file: &SegmentFile,
    from: u64,
    mut each: impl FnMut(u64, &[u8]) -> Result<()>,
) -> Result<u64> {
    let mut f = fs_err::File::open(&file.path)?;
    f.seek(SeekFrom::Start(from))?;
    let mut buf = Vec::with_capacity((file.len - from) as usize);
    f.by_ref().take(file.len - from).read_to_end(&mut buf)?;
    let mut pos = 0usize;
    while let Some(nl) = memchr::memchr(b'\n', &buf[pos..]) {
        let line = &buf[pos..pos + nl];
        each(from + pos as u64, line)?;
        pos += nl + 1;
    }
    Ok(from + pos as u64)
}

/// Reads lines by location. Segment files stay open between reads, and
/// each read fetches a window of the file around the line, so the many
/// nearby lines of one answer (a thread's messages, a query's rows) cost a
/// few reads instead of one system call each.
pub struct LineReader {
    events_dir: PathBuf,
    open: HashMap<(String, u32), fs_err::File>,
    /// The last window read: (writer, segment, file offset, bytes).
    window: Option<(String, u32, u64, Vec<u8>)>,
}

/// How much of a segment one read fetches.
const WINDOW: u64 = 16 * 1024;

impl LineReader {
    pub fn new(events_dir: &Path) -> LineReader {
        LineReader {
            events_dir: events_dir.to_path_buf(),
            open: HashMap::new(),
            window: None,
        }
    }

    pub fn read(&mut self, loc: &Location) -> Result<Vec<u8>> {
        use std::collections::hash_map::Entry;
        if let Some((w, n, start, bytes)) = &self.window
            && *w == loc.writer
            && *n == loc.segment
            && loc.offset >= *start
            && loc.offset + loc.len <= *start + bytes.len() as u64
        {
            let from = (loc.offset - start) as usize;
            return Ok(bytes[from..from + loc.len as usize].to_vec());
        }
        let f = match self.open.entry((loc.writer.clone(), loc.segment)) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(fs_err::File::open(
                self.events_dir
                    .join(&loc.writer)
                    .join(segment::segment_name(loc.segment)),
            )?),
        };
        let bytes =
            read_window(f.file(), loc.offset, WINDOW.max(loc.len) as usize).map_err(|e| {
                crate::error::Error::io(format!("could not read {}", f.path().display()))
                    .caused_by(e)
            })?;
        if (bytes.len() as u64) < loc.len {
            return Err(crate::error::Error::integrity(format!(
                "the read index points past the end of {} segment {}",
                loc.writer, loc.segment
            ))
            .hint("run `codexa index rebuild`"));
        }
        let line = bytes[..loc.len as usize].to_vec();
        self.window = Some((loc.writer.clone(), loc.segment, loc.offset, bytes));
        Ok(line)
    }
}

/// Up to `len` bytes of `file` from `offset`, fewer only at its end, in as
/// few positioned reads as the kernel allows (one, nearly always; a `seek`
/// and `read_to_end` took a `lseek` and two reads per window).
fn read_window(file: &std::fs::File, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut bytes = vec![0; len];
    let mut filled = 0;
    while filled < len {
        match file.read_at(&mut bytes[filled..], offset + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// The index pointed at something the log does not hold there.
fn stale() -> crate::error::Error {
    crate::error::Error::integrity(
        "the read index did not match the event log (a crash while it was being written?)",
    )
    .hint("it has been reset and is rebuilt from the log by the next command; run this one again")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Actor, Event, StreamRef};

    /// An event from a row of words: writer, seq, ts, type, stream
    /// (`type/id`), actor (`kind/id`), correlation id (`-` for none).
    fn event(row: &str) -> Event {
        let w: Vec<&str> = row.split_whitespace().collect();
        let pair = |s: &str| {
            let (a, b) = s.split_once('/').unwrap();
            (a.to_string(), b.to_string())
        };
        let ((stream_kind, stream_id), (actor_kind, actor_id)) = (pair(w[4]), pair(w[5]));
        Event {
            v: 1,
            id: format!("evt_{}_{}", w[0], w[1]),
            seq: w[1].parse().unwrap(),
            ts: w[2].into(),
            writer: w[0].into(),
            actor: Actor {
                kind: actor_kind,
                id: actor_id,
            },
            kind: w[3].into(),
            stream: StreamRef {
                kind: stream_kind,
                id: stream_id,
            },
            correlation_id: (w[6] != "-").then(|| w[6].to_string()),
            causation_id: None,
            idempotency_key: None,
            provenance: None,
            data: serde_json::json!({}),
            prev: None,
            hash: "sha256:0".into(),
        }
    }

    /// A filter from `field=value` words; no words, the empty filter.
    fn filter(words: &str) -> Filter {
        let mut f = Filter::default();
        for word in words.split_whitespace() {
            let (field, value) = word.split_once('=').unwrap();
            let v = Some(value.to_string());
            match field {
                "kind" => f.kind = v,
                "stream_type" => f.stream_type = v,
                "stream_id" => f.stream_id = v,
                "actor_kind" => f.actor_kind = v,
                "actor_id" => f.actor_id = v,
                "since" => f.since = v,
                "until" => f.until = v,
                "correlation_id" => f.correlation_id = v,
                "writer" => f.writer = v,
                "from_seq" => f.from_seq = Some(value.parse().unwrap()),
                _ => panic!("no filter field {field}"),
            }
        }
        f
    }

    /// The filter answered by the index's SQL and in memory gives the same
    /// events, for every filter below over the same events: the WHERE
    /// clause and `Filter::matches` are one definition read two ways.
    #[test]
    fn sql_and_memory_agree() {
        let events: Vec<Event> = [
            "w1 1 2026-01-01T00:00:00.000Z message thread/th_1 user/ann -",
            "w1 2 2026-01-01T00:00:01.000Z message.posted thread/th_1 user/ann c1",
            "w1 3 2026-01-01T00:00:02.000Z message.acked thread/th_2 agent/bot c1",
            "w2 1 2026-01-01T00:00:02.000Z messages.archived thread/th_2 agent/bot -",
            "w2 2 2026-01-02T00:00:00.000Z approval.requested approval/appr_1 agent/bot c2",
            "w2 3 2026-01-03T00:00:00.000Z approval.decided approval/appr_1 user/boss c2",
            "w3 7 2026-01-03T00:00:00.000Z loop.planned loop/LP-001 service/codexa -",
        ]
        .into_iter()
        .map(event)
        .collect();
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        // Indexed as the log's lines are: each event as its stored line.
        let mut insert = conn.prepare(INSERT_EVENT).unwrap();
        for e in &events {
            let line = serde_json::to_vec(e).unwrap();
            let view = LineView::parse(&line).expect("a valid line");
            insert_event(&mut insert, &e.writer, 1, 0, &line, &view).unwrap();
        }
        let filters: Vec<Filter> = [
            "",
            "kind=message",
            "kind=message.*",
            "kind=message*",
            "kind=*",
            "kind=nothing.*",
            "stream_type=thread stream_id=th_2",
            "actor_kind=agent",
            "actor_id=boss",
            "since=2026-01-01T00:00:02.000Z",
            "until=2026-01-01T00:00:02.000Z",
            "since=2026-01-01T00:00:01.000Z until=2026-01-03T00:00:00.000Z",
            "correlation_id=c1",
            "writer=w2 from_seq=2",
            "from_seq=3",
            "kind=approval.* actor_kind=user correlation_id=c2",
        ]
        .into_iter()
        .map(filter)
        .collect();
        let view = IndexView {
            conn: &conn,
            exclude: &[],
        };
        for filter in &filters {
            let (where_sql, args) = view.where_clause(filter);
            let sql = format!("SELECT id FROM events {where_sql} ORDER BY ts, id");
            let mut stmt = conn.prepare(&sql).unwrap();
            let by_sql: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get(0))
                .unwrap()
                .collect::<std::result::Result<_, _>>()
                .unwrap();
            let mut in_memory: Vec<&Event> = events.iter().filter(|e| filter.matches(e)).collect();
            in_memory.sort_by(|a, b| (&a.ts, &a.id).cmp(&(&b.ts, &b.id)));
            let in_memory: Vec<String> = in_memory.iter().map(|e| e.id.clone()).collect();
            assert_eq!(by_sql, in_memory, "{filter:?}");
        }
        // The set is not trivial: some filters keep some events, not all.
        let kept = |f: &Filter| events.iter().filter(|e| f.matches(e)).count();
        assert_eq!(
            kept(&filters[2]),
            2,
            "message.* is not message nor messages.*"
        );
        assert_eq!(kept(&filters[3]), 4);
        assert_eq!(kept(&filters[5]), 0);
    }
}
