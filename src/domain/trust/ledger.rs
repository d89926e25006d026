//! An agent's ledger: what the log says it did and how that went — the
//! approvals it asked for and how they were decided, the policy denials
//! it hit, the runs and tool calls it finished, the incidents on its work.
//! A projection: nothing here is written, everything is read.

use serde::Serialize;
use serde_json::Value;

use crate::domain::approvals::{self, Approval};
use crate::domain::incidents::{self, Incident};
use crate::error::Result;
use crate::store::index::{Filter, Index};
use crate::workspace::Workspace;

/// One thing that happened, as the level counts it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub kind: FactKind,
    pub action: String,
    pub subject: Option<String>,
    pub at_ms: i64,
    /// The approval or event it comes from.
    pub source: String,
    /// A decision's or denial's reason, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// A request a person approved.
    Approved,
    /// A request a person denied.
    Denied,
    /// A request a person held.
    Held,
    /// A request still waiting, or expired undecided.
    Asked,
    /// A policy rule denied the action.
    PolicyDenied,
}

/// Everything the log says about one agent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ledger {
    pub agent: String,
    pub facts: Vec<Fact>,
    pub runs_completed: u64,
    pub runs_failed: u64,
    pub tool_calls_succeeded: u64,
    pub tool_calls_failed: u64,
    /// Incidents on the agent's work, oldest first.
    pub incidents: Vec<Incident>,
    /// The agent's requests, for the evidence behind a recommendation and
    /// the constraints it learned.
    #[serde(skip)]
    pub approvals: Vec<Approval>,
}

impl Ledger {
    /// When the latest incident on the agent's work was opened.
    pub fn last_incident_ms(&self) -> Option<i64> {
        self.incidents
            .iter()
            .filter_map(|i| crate::clock::parse_ms(&i.opened_at))
            .max()
    }
}

fn ms(ts: &str) -> i64 {
    crate::clock::parse_ms(ts).unwrap_or(0)
}

/// What one request of the agent's counts as.
fn fact_of(a: &Approval) -> Fact {
    // The decision that counts, whatever happened since: an approval that
    // later expired was still granted.
    let decided = a.deciding().and_then(|d| {
        let kind = match d.decision.as_str() {
            "approve" => FactKind::Approved,
            "deny" => FactKind::Denied,
            "hold" => FactKind::Held,
            _ => return None,
        };
        Some((kind, ms(&d.at), d.reason.clone()))
    });
    let (kind, at, reason) = decided.unwrap_or((FactKind::Asked, ms(&a.requested_at), None));
    Fact {
        kind,
        action: a.action.clone(),
        subject: Some(a.subject.clone()),
        at_ms: at,
        source: a.id.clone(),
        reason,
    }
}

fn count(index: &Index, kind: &str, agent: &str) -> Result<u64> {
    index.count_matching(&Filter {
        kind: Some(kind.into()),
        actor_kind: Some("agent".into()),
        actor_id: Some(agent.into()),
        ..Filter::default()
    })
}

/// Read `agent`'s ledger from the log.
pub fn gather(ws: &Workspace, agent: &str) -> Result<Ledger> {
    let mut ledger = Ledger {
        agent: agent.to_string(),
        ..Ledger::default()
    };
    if !ws.store.exists() {
        return Ok(ledger);
    }
    ledger.approvals = approvals::list(ws)?
        .into_iter()
        .filter(|a| a.requested_by == agent)
        .collect();
    ledger.facts = ledger.approvals.iter().map(fact_of).collect();
    let index = Index::open(&ws.store)?;
    // Only the window can count, and an agent's gate records one event per
    // gated call: reading back further would make the gate's cost grow
    // with the agent's whole history.
    let window = ws.config.trust.window_days * 86_400_000;
    let evaluated = index.events(
        &ws.store.events_dir(),
        &Filter {
            kind: Some("policy.evaluated".into()),
            actor_kind: Some("agent".into()),
            actor_id: Some(agent.into()),
            since: Some(crate::clock::format_ms(crate::clock::now_ms() - window)),
            ..Filter::default()
        },
        None,
        false,
    )?;
    for e in evaluated {
        if e.data.get("decision").and_then(Value::as_str) != Some("deny") {
            continue;
        }
        let text = |k: &str| e.data.get(k).and_then(Value::as_str).map(str::to_string);
        ledger.facts.push(Fact {
            kind: FactKind::PolicyDenied,
            action: text("action").unwrap_or_default(),
            subject: text("subject"),
            at_ms: ms(&e.ts),
            source: e.id.clone(),
            reason: text("reason_code"),
        });
    }
    ledger.facts.sort_by_key(|f| f.at_ms);
    ledger.runs_completed = count(&index, "run.completed", agent)?;
    ledger.runs_failed = count(&index, "run.failed", agent)?;
    ledger.tool_calls_succeeded = count(&index, "run.toolcall_succeeded", agent)?;
    ledger.tool_calls_failed = count(&index, "run.toolcall_failed", agent)?;
    ledger.incidents = incidents::list(ws, true)?
        .into_iter()
        .filter(|i| i.agent.as_deref() == Some(agent))
        .collect();
    Ok(ledger)
}

/// Every agent the log has requests, denials or runs from, by name.
pub fn agents(ws: &Workspace) -> Result<Vec<String>> {
    let mut names: std::collections::BTreeSet<String> = approvals::list(ws)?
        .into_iter()
        .map(|a| a.requested_by)
        .collect();
    for p in ws.config.agents.keys() {
        names.insert(p.clone());
    }
    Ok(names.into_iter().collect())
}
