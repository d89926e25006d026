//! `codexa analyze approvals`: how fast people answer, and what still waits.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Spread, Window, count, ts_text};
use crate::analytics::Analytics;
use codexa::error::Result;

/// One kind of approval (`design`, `publish`, `action`…).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KindRow {
    pub kind: String,
    pub requested: u64,
    pub approved: u64,
    pub denied: u64,
    pub waiting: u64,
}

/// A request nobody has answered yet (pending, or held).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Pending {
    pub approval_id: String,
    pub action: String,
    pub subject: String,
    pub kind: String,
    pub requested_by: String,
    pub requested_at: String,
    pub status: String,
    /// How long it has waited, to the time of asking.
    pub age_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Approvals {
    pub window: Window,
    /// Requests made in the window.
    pub requested: u64,
    /// By status as of now: approved, denied, held, pending, expired.
    pub by_status: BTreeMap<String, u64>,
    /// Request to the first approve or deny, over answered requests.
    pub turnaround_ms: Spread,
    /// Unanswered requests (pending or held), oldest first.
    pub waiting: Vec<Pending>,
    pub by_kind: Vec<KindRow>,
}

impl Analytics {
    pub fn approvals(&self, window: &Window) -> Result<Approvals> {
        let from = format!("approvals WHERE {}", window.sql("requested_at"));
        let by_status = self.tally(&format!("SELECT status, count(*) FROM {from} GROUP BY ALL"))?;
        let waiting = self.rows(
            &format!(
                "SELECT approval_id, coalesce(action, ''), coalesce(subject, ''), kind, \
                        coalesce(requested_by, ''), {}, status, \
                        epoch_ms(getvariable('now')) - epoch_ms(requested_at) \
                 FROM {from} AND status IN ('pending', 'held') ORDER BY requested_at, approval_id",
                ts_text("requested_at")
            ),
            |r| {
                Ok(Pending {
                    approval_id: r.get(0)?,
                    action: r.get(1)?,
                    subject: r.get(2)?,
                    kind: r.get(3)?,
                    requested_by: r.get(4)?,
                    requested_at: r.get(5)?,
                    status: r.get(6)?,
                    age_ms: r.get(7)?,
                })
            },
        )?;
        let by_kind = self.rows(
            &format!(
                "SELECT kind, count(*), count(*) FILTER (WHERE status = 'approved'), \
                        count(*) FILTER (WHERE status = 'denied'), \
                        count(*) FILTER (WHERE status IN ('pending', 'held')) \
                 FROM {from} GROUP BY ALL ORDER BY 2 DESC, 1"
            ),
            |r| {
                Ok(KindRow {
                    kind: r.get(0)?,
                    requested: count(r, 1)?,
                    approved: count(r, 2)?,
                    denied: count(r, 3)?,
                    waiting: count(r, 4)?,
                })
            },
        )?;
        Ok(Approvals {
            window: window.clone(),
            requested: by_status.values().sum(),
            by_status,
            turnaround_ms: self.spread("epoch_ms(answered_at) - epoch_ms(requested_at)", &from)?,
            waiting,
            by_kind,
        })
    }
}
