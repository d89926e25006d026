//! Which streams are still open, kept by the read index as it catches up,
//! so "the oldest queued run" or "the open incidents" cost what the open
//! ones cost, not what the whole history holds.
//!
//! A stream type with a lifecycle names the event that opens a stream and
//! the events that close it for good. The index keeps one row per open
//! stream, in the order they were opened. Lines from several writers can
//! be indexed in any order, so an opening event adds its row only when no
//! closing event of that stream is indexed yet, and a closing event removes
//! it whenever it comes: the table ends the same whatever the order.
//!
//! The rows are a shortcut to candidates, never the answer: readers fold
//! each stream's events to learn its state.

use rusqlite::{Transaction, params};

use crate::store::view::LineView;

/// A stream type whose streams open and close.
pub struct Lifecycle {
    pub stream_type: &'static str,
    pub opened_by: &'static str,
    pub closed_by: &'static [&'static str],
}

/// Every stream type the index tracks this way.
pub const LIFECYCLES: &[Lifecycle] = &[
    Lifecycle {
        stream_type: "run",
        opened_by: "run.created",
        closed_by: &["run.completed", "run.failed", "run.cancelled"],
    },
    Lifecycle {
        stream_type: "incident",
        opened_by: "incident.opened",
        closed_by: &["incident.resolved"],
    },
];

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS open_streams (
    stream_type TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    opened_ts TEXT NOT NULL,
    opened_id TEXT NOT NULL,
    PRIMARY KEY (stream_type, stream_id)
);
CREATE INDEX IF NOT EXISTS open_streams_order ON open_streams(stream_type, opened_ts, opened_id);
";

/// Note what `e` (already inserted into `events`) does to its stream's
/// lifecycle, if its type has one.
pub fn record(tx: &Transaction<'_>, e: &LineView<'_>) -> rusqlite::Result<()> {
    let Some(life) = LIFECYCLES
        .iter()
        .find(|l| l.stream_type == e.stream.kind.as_ref())
    else {
        return Ok(());
    };
    let kind = e.kind.as_ref();
    if life.closed_by.contains(&kind) {
        tx.prepare_cached("DELETE FROM open_streams WHERE stream_type = ?1 AND stream_id = ?2")?
            .execute(params![life.stream_type, e.stream.id])?;
    } else if kind == life.opened_by {
        let closed = life
            .closed_by
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        // The types are constants above, never input: safe to inline.
        let sql = format!(
            "INSERT OR IGNORE INTO open_streams (stream_type, stream_id, opened_ts, opened_id)
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (
                 SELECT 1 FROM events WHERE stream_type = ?1 AND stream_id = ?2 AND type IN ({closed}))"
        );
        tx.prepare_cached(&sql)?
            .execute(params![life.stream_type, e.stream.id, e.ts, e.id])?;
    }
    Ok(())
}
