//! `codexa analyze runs`: how durable work flows — runs made and ended per
//! day, how long they wait in the queue and take to run, leases lost,
//! why runs fail, and the incidents still open.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Spread, Window, count, ts_text};
use crate::analytics::Analytics;
use codexa::error::Result;

/// One day (UTC): runs created that day, and runs that ended that day by
/// how they ended.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DayRow {
    pub day: String,
    pub created: u64,
    pub completed: u64,
    pub failed: u64,
    pub cancelled: u64,
}

/// A failure reason and how many runs failed with it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReasonRow {
    pub reason: String,
    pub runs: u64,
}

/// An incident nobody has resolved yet.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OpenIncident {
    pub incident_id: String,
    pub severity: String,
    pub title: String,
    pub run_id: Option<String>,
    pub opened_at: String,
    /// How long it has been open, to the time of asking.
    pub age_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Runs {
    pub window: Window,
    /// Runs created in the window.
    pub created: u64,
    /// Those runs by status as of now.
    pub by_status: BTreeMap<String, u64>,
    /// Throughput: each day of the window that saw a run created or ended.
    pub days: Vec<DayRow>,
    /// Created to first claimed, over runs created in the window and claimed.
    pub queue_wait_ms: Spread,
    /// Started to ended (the attempt that finished), over runs that ended
    /// in the window after starting.
    pub run_ms: Spread,
    /// Leases of runs created in the window that ran out without a
    /// heartbeat, and the runs that lost one.
    pub lease_expiries: u64,
    pub runs_with_expiries: u64,
    /// Why runs created in the window failed, the most common first.
    pub failure_reasons: Vec<ReasonRow>,
    /// Incidents opened in the window.
    pub incidents_opened: u64,
    /// Those still open, the most severe first, then the oldest.
    pub open_incidents: Vec<OpenIncident>,
}

impl Analytics {
    pub fn runs(&self, window: &Window) -> Result<Runs> {
        let from = format!("runs WHERE {}", window.sql("created_at"));
        let by_status = self.tally(&format!("SELECT status, count(*) FROM {from} GROUP BY ALL"))?;
        let days = self.rows(
            &format!(
                "WITH made AS (
                   SELECT CAST(created_at AS DATE) AS day, 1 AS created, NULL AS ended
                   FROM {from}
                 ), ended AS (
                   SELECT CAST(ended_at AS DATE) AS day, 0 AS created, status AS ended
                   FROM runs WHERE ended_at IS NOT NULL AND {}
                 )
                 SELECT strftime(day, '%Y-%m-%d'), sum(created),
                        count(*) FILTER (WHERE ended = 'completed'),
                        count(*) FILTER (WHERE ended = 'failed'),
                        count(*) FILTER (WHERE ended = 'cancelled')
                 FROM (SELECT * FROM made UNION ALL SELECT * FROM ended)
                 GROUP BY day ORDER BY day",
                window.sql("ended_at")
            ),
            |r| {
                Ok(DayRow {
                    day: r.get(0)?,
                    created: count(r, 1)?,
                    completed: count(r, 2)?,
                    failed: count(r, 3)?,
                    cancelled: count(r, 4)?,
                })
            },
        )?;
        let expiries = self.rows(
            &format!(
                "SELECT sum(lease_expiries), count(*) FILTER (WHERE lease_expiries > 0) FROM {from}"
            ),
            |r| Ok([count(r, 0)?, count(r, 1)?]),
        )?;
        let [lease_expiries, runs_with_expiries] = expiries.first().copied().unwrap_or_default();
        let failure_reasons = self.rows(
            &format!(
                "SELECT coalesce(failure_reason, '?'), count(*) FROM {from} AND status = 'failed' \
                 GROUP BY ALL ORDER BY 2 DESC, 1"
            ),
            |r| {
                Ok(ReasonRow {
                    reason: r.get(0)?,
                    runs: count(r, 1)?,
                })
            },
        )?;
        let incidents = format!("incidents WHERE {}", window.sql("opened_at"));
        let open_incidents = self.rows(
            &format!(
                "SELECT incident_id, coalesce(severity, ''), coalesce(title, ''), run_id, {}, open_ms \
                 FROM {incidents} AND status = 'open' \
                 ORDER BY list_position(['critical', 'high', 'medium', 'low'], severity), \
                          opened_at, incident_id",
                ts_text("opened_at")
            ),
            |r| {
                Ok(OpenIncident {
                    incident_id: r.get(0)?,
                    severity: r.get(1)?,
                    title: r.get(2)?,
                    run_id: r.get(3)?,
                    opened_at: r.get(4)?,
                    age_ms: r.get(5)?,
                })
            },
        )?;
        Ok(Runs {
            window: window.clone(),
            created: by_status.values().sum(),
            by_status,
            days,
            queue_wait_ms: self.spread("queue_wait_ms", &from)?,
            run_ms: self.spread(
                "run_ms",
                &format!(
                    "runs WHERE ended_at IS NOT NULL AND {}",
                    window.sql("ended_at")
                ),
            )?,
            lease_expiries,
            runs_with_expiries,
            failure_reasons,
            incidents_opened: self.count(&format!("SELECT count(*) FROM {incidents}"))? as u64,
            open_incidents,
        })
    }
}
