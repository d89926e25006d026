//! `codexa analyze policy`: what the gate decided and why, and what the
//! governance guards refused.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Window, count};
use crate::analytics::Analytics;
use codexa::error::Result;

/// Decisions with one reason code.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReasonRow {
    pub decision: String,
    pub reason_code: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    pub window: Window,
    /// Gate decisions recorded (`policy.evaluated`).
    pub decisions: u64,
    /// By decision: allow, deny, require_approval.
    pub by_decision: BTreeMap<String, u64>,
    /// By decision and reason code, most first (`approved:<id>` counted
    /// as `approved`).
    pub reasons: Vec<ReasonRow>,
    /// Decisions the kill switch forced.
    pub kill_switch: u64,
    /// Decisions an approval turned into allow.
    pub approved: u64,
    /// Governance refusals (`governance.blocked`) by reason code.
    pub blocks: BTreeMap<String, u64>,
}

impl Analytics {
    pub fn policy(&self, window: &Window) -> Result<Policy> {
        let from = format!("policy_decisions WHERE {}", window.sql("ts"));
        let reasons = self.rows(
            &format!(
                "SELECT coalesce(decision, '?'), \
                        CASE WHEN reason_code LIKE 'approved:%' THEN 'approved' \
                             ELSE coalesce(reason_code, '?') END, count(*) FROM {from} \
                 GROUP BY ALL ORDER BY 3 DESC, 1, 2"
            ),
            |r| {
                Ok(ReasonRow {
                    decision: r.get(0)?,
                    reason_code: r.get(1)?,
                    count: count(r, 2)?,
                })
            },
        )?;
        let mut by_decision = BTreeMap::new();
        for row in &reasons {
            *by_decision.entry(row.decision.clone()).or_insert(0) += row.count;
        }
        let kill_switch = reasons
            .iter()
            .filter(|r| r.reason_code == codexa::domain::policy::KILL_SWITCH_REASON)
            .map(|r| r.count)
            .sum();
        let approved = reasons
            .iter()
            .filter(|r| r.reason_code == "approved")
            .map(|r| r.count)
            .sum();
        let blocks = self.tally(&format!(
            "SELECT coalesce(reason_code, '?'), count(*) FROM governance_blocks WHERE {} GROUP BY ALL",
            window.sql("ts")
        ))?;
        Ok(Policy {
            window: window.clone(),
            decisions: reasons.iter().map(|r| r.count).sum(),
            by_decision,
            reasons,
            kill_switch,
            approved,
            blocks,
        })
    }
}
