//! Each agent's figures in a daily snapshot, from its trust ledger
//! (`codexa::domain::trust`): what it asked for and how that was decided,
//! the policy denials it hit, its runs, tool calls and incidents, and the
//! level it stands at per action and subject. The ledger is the one `trust
//! show` and the gate read, so a snapshot and `trust show` cannot disagree
//! about what an agent earned.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use codexa::clock::parse_ms;
use codexa::domain::trust::{self, ledger::FactKind, ledger::Ledger};
use codexa::error::Result;
use codexa::workspace::Workspace;

/// Requests and their outcomes over a span of time: one day, or the whole
/// log up to the snapshot.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Requests {
    /// Approval requests the agent made.
    pub approvals_asked: u64,
    /// Decisions on its requests that count (the latest that counts per
    /// request), by when they were made.
    pub approved: u64,
    pub denied: u64,
    pub held: u64,
    /// Actions of its that a policy rule denied.
    pub policy_denials: u64,
    /// Incidents opened on its work.
    pub incidents: u64,
}

/// The level an agent stands at for one action and subject.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LevelRow {
    pub action: String,
    pub subject: Option<String>,
    /// new, learning, trusted or proven.
    pub tier: String,
    pub score: f64,
    pub approved: u32,
    pub denied: u32,
    pub held: u32,
}

/// One agent in a snapshot.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Agent {
    /// What happened on the snapshot's day.
    pub day: Requests,
    /// Over the whole log up to the snapshot.
    pub totals: Requests,
    /// Over the whole log, as `trust show` counts them.
    pub runs_completed: u64,
    pub runs_failed: u64,
    pub tool_calls_succeeded: u64,
    pub tool_calls_failed: u64,
    /// Incidents on its work not yet resolved.
    pub open_incidents: u64,
    /// Its level per action and subject at the end of the day, the most
    /// recently used first: what `trust show` would say then.
    pub levels: Vec<LevelRow>,
}

/// `[start, end)` in ms.
type Span = (i64, i64);

fn within(at_ms: i64, span: Option<Span>) -> bool {
    span.is_none_or(|(start, end)| at_ms >= start && at_ms < end)
}

/// What `l` records within `span` (everything when `None`).
fn requests(l: &Ledger, span: Option<Span>) -> Requests {
    let at = |ts: &str| parse_ms(ts).unwrap_or(0);
    let facts = |kind: FactKind| {
        l.facts
            .iter()
            .filter(|f| f.kind == kind && within(f.at_ms, span))
            .count() as u64
    };
    Requests {
        approvals_asked: l
            .approvals
            .iter()
            .filter(|a| within(at(&a.requested_at), span))
            .count() as u64,
        approved: facts(FactKind::Approved),
        denied: facts(FactKind::Denied),
        held: facts(FactKind::Held),
        policy_denials: facts(FactKind::PolicyDenied),
        incidents: l
            .incidents
            .iter()
            .filter(|i| within(at(&i.opened_at), span))
            .count() as u64,
    }
}

/// One agent's figures for the day `[start, end)`, as of the last moment
/// of the day, so taking the snapshot again the same day changes it only
/// when the log did. The levels and run counts come from the ledger `trust
/// show` reads (the window); the totals from the whole history.
pub fn agent(ws: &Workspace, name: &str, day: Span) -> Result<Agent> {
    let end = day.1 - 1;
    let l = trust::ledger::gather(ws, name, end)?;
    let whole = trust::ledger::gather_since(ws, name, 0, end)?;
    let levels = trust::levels(&l, end, &ws.config.trust)
        .into_iter()
        .map(|r| LevelRow {
            action: r.action,
            subject: r.subject,
            tier: r.level.tier.as_str().to_string(),
            score: r.level.score,
            approved: r.level.approved,
            denied: r.level.denied,
            held: r.level.held,
        })
        .collect();
    Ok(Agent {
        day: requests(&whole, Some(day)),
        totals: requests(&whole, None),
        runs_completed: l.runs_completed,
        runs_failed: l.runs_failed,
        tool_calls_succeeded: l.tool_calls_succeeded,
        tool_calls_failed: l.tool_calls_failed,
        open_incidents: whole
            .incidents
            .iter()
            .filter(|i| i.status == "open")
            .count() as u64,
        levels,
    })
}

/// Every agent trust is judged for (those configured as agents), by name.
pub fn all(ws: &Workspace, day: Span) -> Result<BTreeMap<String, Agent>> {
    trust::ledger::agents(ws)?
        .into_iter()
        .map(|name| Ok((name.clone(), agent(ws, &name, day)?)))
        .collect()
}
