//! Ask the history: DuckDB over the event log.
//!
//! Each question opens an in-memory database: DuckDB locks a database file
//! per process, and the log's writers must never wait on analytics. The
//! log is read in place ([`load`]): sealed segments through a Parquet copy
//! kept in the store's cache (made once, the first time a segment is read
//! after it fills), the segment each writer is still appending to as JSON.
//! The views in `views.sql` sit on top. Then file access is switched off
//! except for those files and the configuration is locked, so the question
//! asked can read the views and nothing else.

pub mod export;
pub mod governance;
mod load;
pub mod reports;
pub mod snapshot;
pub mod sql;

use duckdb::Connection;

use codexa::clock;
use codexa::error::{Error, Result};
use codexa::store::Store;

/// The views and what each holds, for `codexa sql --schema`.
pub const VIEWS: &[(&str, &str)] = &[
    (
        "events",
        "every event of every writer, with its envelope; data and provenance as JSON",
    ),
    ("messages", "one row per message posted"),
    (
        "threads",
        "one row per thread, with its message count and when it closed",
    ),
    (
        "approvals",
        "one row per approval request with its latest decision and status (approved, denied, held, pending, expired)",
    ),
    (
        "policy_decisions",
        "one row per decision of the policy gate (`policy.evaluated`)",
    ),
    (
        "governance_blocks",
        "one row per action the governance guards refused (`governance.blocked`)",
    ),
    (
        "triggers",
        "one row per trigger job: outcome, deferrals, attempts, defer time and delivery latency",
    ),
    (
        "agent_sessions",
        "one row per agent session seen through its hooks (`agent.*`)",
    ),
    (
        "discover_runs",
        "one row per `codexa discover` run: counts, hotspots in rank order, timings",
    ),
    (
        "runs",
        "one row per run: status, lease holder and fence, created/claimed/started/ended times, queue wait and run time, lease expiries, failure reason",
    ),
    (
        "steps",
        "one row per step of a run, with its tool calls and artifacts",
    ),
    (
        "tool_calls",
        "one row per tool call of a run's step: tool, source, status, duration, error",
    ),
    (
        "incidents",
        "one row per incident: severity, run, open or resolved, how long it was open",
    ),
];

const VIEW_SQL: &str = include_str!("views.sql");

/// An in-memory database over the log of one store, with its views.
pub struct Analytics {
    pub conn: Connection,
    /// Lines of the log read (torn lines skipped).
    pub events: u64,
    /// The moment the question is asked: pending ages and expiries are
    /// measured from it.
    pub now_ms: i64,
}

pub(crate) fn db_error(what: &str, e: duckdb::Error) -> Error {
    Error::io(format!("{what}: {e}"))
}

/// A SQL string literal.
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// How much of the database stays open after loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Only the log's files may be read, nothing written: for questions.
    Locked,
    /// File access stays on: for `export`, which writes Parquet files.
    Open,
}

impl Analytics {
    /// Load the log for a question. `progress` is told the bytes of the
    /// long first scan (`total` first, then each step done); a line torn by
    /// a crash mid-append is skipped; no lock of the store is taken.
    pub fn open(store: &Store, progress: &dyn load::Progress) -> Result<Analytics> {
        Self::open_with(store, progress, Access::Locked)
    }

    fn open_with(
        store: &Store,
        progress: &dyn load::Progress,
        access: Access,
    ) -> Result<Analytics> {
        let conn = Connection::open_in_memory().map_err(|e| db_error("cannot start DuckDB", e))?;
        let loaded = load::load(&conn, store, progress)?;
        let now_ms = clock::now_ms();
        conn.execute_batch(&format!(
            "SET VARIABLE now = CAST({} AS TIMESTAMP);",
            literal(clock::format_ms(now_ms).trim_end_matches('Z'))
        ))
        .map_err(|e| db_error("cannot set the time", e))?;
        conn.execute_batch(VIEW_SQL)
            .map_err(|e| db_error("cannot define the views", e))?;
        if access == Access::Locked {
            // From here on a question can reach the Parquet copies (the
            // views read them; the newest segments are already in a table)
            // and no other file, and change no setting.
            conn.execute_batch(&format!(
                "SET allowed_directories = [{}]; SET enable_external_access = false; \
                 SET lock_configuration = true;",
                literal(&load::cache_dir(store).to_string_lossy())
            ))
            .map_err(|e| db_error("cannot lock DuckDB down", e))?;
        }
        Ok(Analytics {
            conn,
            events: loaded,
            now_ms,
        })
    }

    /// One number from a query with no parameters (0 when NULL).
    pub(crate) fn count(&self, sql: &str) -> Result<i64> {
        self.conn
            .query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
            .map(Option::unwrap_or_default)
            .map_err(|e| db_error("query failed", e))
    }
}

pub use load::Progress;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted() {
        assert_eq!(literal("a'b"), "'a''b'");
    }
}
