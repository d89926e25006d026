//! `codexa analyze triggers`: how waking agents went — outcomes, how long
//! delivery waited for a quiet pane, and how long confirmation took.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Spread, Window, count};
use crate::analytics::Analytics;
use codexa::error::Result;

/// One target's jobs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TargetRow {
    pub target: String,
    pub jobs: u64,
    pub delivered: u64,
    pub fell_back: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Triggers {
    pub window: Window,
    /// Jobs requested in the window.
    pub jobs: u64,
    /// Jobs by outcome: delivered, failed, blocked, pending.
    pub outcomes: BTreeMap<String, u64>,
    /// Delivered through the fallback (`codex exec resume`).
    pub fell_back: u64,
    /// Jobs that waited at least once for a busy pane, and the re-checks.
    pub deferred_jobs: u64,
    pub deferrals: u64,
    /// Request to first attempt, over jobs that made one.
    pub defer_ms: Spread,
    /// Last attempt to confirmed delivery, over delivered jobs.
    pub latency_ms: Spread,
    /// Failure and block reasons.
    pub reasons: BTreeMap<String, u64>,
    pub targets: Vec<TargetRow>,
}

impl Analytics {
    pub fn triggers(&self, window: &Window) -> Result<Triggers> {
        let from = format!("triggers WHERE {}", window.sql("requested_at"));
        let outcomes = self.tally(&format!(
            "SELECT outcome, count(*) FROM {from} GROUP BY ALL"
        ))?;
        let reasons = self.tally(&format!(
            "SELECT reason_code, count(*) FROM {from} AND reason_code IS NOT NULL GROUP BY ALL"
        ))?;
        let totals = self.rows(
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE fell_back AND outcome = 'delivered'), \
                        count(*) FILTER (WHERE deferrals > 0), sum(deferrals) FROM {from}"
            ),
            |r| Ok([count(r, 0)?, count(r, 1)?, count(r, 2)?, count(r, 3)?]),
        )?;
        let [jobs, fell_back, deferred_jobs, deferrals] =
            totals.first().copied().unwrap_or_default();
        let targets = self.rows(
            &format!(
                "SELECT coalesce(target, '?'), count(*), count(*) FILTER (WHERE outcome = 'delivered'), \
                        count(*) FILTER (WHERE outcome = 'delivered' AND fell_back), \
                        count(*) FILTER (WHERE outcome = 'failed') \
                 FROM {from} GROUP BY ALL ORDER BY 2 DESC, 1"
            ),
            |r| {
                Ok(TargetRow {
                    target: r.get(0)?,
                    jobs: count(r, 1)?,
                    delivered: count(r, 2)?,
                    fell_back: count(r, 3)?,
                    failed: count(r, 4)?,
                })
            },
        )?;
        Ok(Triggers {
            window: window.clone(),
            jobs,
            outcomes,
            fell_back,
            deferred_jobs,
            deferrals,
            defer_ms: self.spread("defer_ms", &from)?,
            latency_ms: self.spread("latency_ms", &from)?,
            reasons,
            targets,
        })
    }
}
