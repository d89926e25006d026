//! The policy's denials, kept by the read index as it catches up: the gate
//! records a `policy.evaluated` for every gated call an agent makes, and
//! an agent's trust counts only the few that were denials. Reading the
//! lines back to find those would make every trust-gated call grow with
//! the agent's work; this table answers from the index alone.

use rusqlite::{Transaction, params};

use crate::store::view::LineView;

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS denials (
    writer TEXT NOT NULL,
    id TEXT PRIMARY KEY,
    ts TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT,
    reason_code TEXT
);
CREATE INDEX IF NOT EXISTS denials_actor ON denials(actor_id, ts);
";

/// One denial as the table holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub writer: String,
    pub id: String,
    pub ts: String,
    pub actor_kind: String,
    pub action: String,
    pub subject: Option<String>,
    pub reason_code: Option<String>,
}

#[derive(serde::Deserialize)]
struct Decision<'a> {
    #[serde(borrow)]
    decision: Option<&'a str>,
    #[serde(borrow)]
    action: Option<&'a str>,
    subject: Option<String>,
    reason_code: Option<String>,
}

/// Note `e` (already inserted into `events`) when it is a denial.
pub fn record(tx: &Transaction<'_>, writer: &str, e: &LineView<'_>) -> rusqlite::Result<()> {
    if e.kind != "policy.evaluated" {
        return Ok(());
    }
    let Ok(d) = serde_json::from_str::<Decision>(e.data.get()) else {
        return Ok(());
    };
    if d.decision != Some("deny") {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT OR IGNORE INTO denials (writer, id, ts, actor_kind, actor_id, action, subject, reason_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        writer,
        e.id,
        e.ts,
        e.actor.kind,
        e.actor.id,
        d.action.unwrap_or_default(),
        d.subject,
        d.reason_code
    ])?;
    Ok(())
}
