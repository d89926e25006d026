//! An agent's ledger: what the log says it did and how that went — the
//! approvals it asked for and how they were decided, the policy denials
//! it hit, the runs and tool calls it finished, the incidents on its work.
//! A projection: nothing here is written, everything is read.

use serde::{Deserialize, Serialize};

use crate::domain::approvals::{self, Approval};
use crate::domain::incidents::{self, Incident};
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::workspace::Workspace;

/// One thing that happened, as the level counts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The latest incident's time when the incidents themselves were not
    /// kept (a ledger the gate remembered).
    #[serde(skip)]
    pub last_incident: Option<i64>,
}

impl Ledger {
    /// When the latest incident on the agent's work was opened.
    pub fn last_incident_ms(&self) -> Option<i64> {
        self.incidents
            .iter()
            .filter_map(|i| crate::clock::parse_ms(&i.opened_at))
            .chain(self.last_incident)
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

/// Stop reading once the process's deadline passed (an agent hook's
/// budget): the gate then answers with its fail mode rather than late.
fn in_time() -> Result<()> {
    if crate::budget::passed() {
        return Err(Error::io(
            "ran out of time reading the agent's trust ledger",
        ));
    }
    Ok(())
}

/// Read `agent`'s ledger from the log as of `now_ms`: only what the
/// window (`trust.window_days`) holds can count toward a level, so only
/// the window is read, whatever the length of the history.
pub fn gather(ws: &Workspace, agent: &str, now_ms: i64) -> Result<Ledger> {
    let window = ws.config.trust.window_days * 86_400_000;
    gather_since(ws, agent, now_ms - window, now_ms)
}

/// `gather` from `since_ms` on (0: the whole history, for what an agent
/// learned, which holds until a person retires it), with its runs and
/// tool calls counted.
pub fn gather_since(ws: &Workspace, agent: &str, since_ms: i64, now_ms: i64) -> Result<Ledger> {
    if !ws.store.exists() {
        return Ok(Ledger {
            agent: agent.to_string(),
            ..Ledger::default()
        });
    }
    let index = Index::open(&ws.store)?;
    let mut ledger = facts(ws, &index, agent, since_ms, now_ms)?;
    ledger.runs_completed = count(&index, "run.completed", agent)?;
    ledger.runs_failed = count(&index, "run.failed", agent)?;
    ledger.tool_calls_succeeded = count(&index, "run.toolcall_succeeded", agent)?;
    ledger.tool_calls_failed = count(&index, "run.toolcall_failed", agent)?;
    Ok(ledger)
}

/// What the gate needs of `agent`'s ledger: the facts and incidents of the
/// window, read through `index`. Only what the agent asked as an agent
/// counts, and only incidents a person or codexa opened. The approvals of
/// the window come in one query, the policy's denials from the index
/// alone: the cost follows what the window holds, not the agent's work.
pub fn facts(
    ws: &Workspace,
    index: &Index,
    agent: &str,
    since_ms: i64,
    now_ms: i64,
) -> Result<Ledger> {
    let mut ledger = Ledger {
        agent: agent.to_string(),
        ..Ledger::default()
    };
    if !ws.store.exists() {
        return Ok(ledger);
    }
    let since = crate::clock::format_ms(since_ms.max(0));
    let approval_events = index.events(
        &ws.store.events_dir(),
        &Filter {
            kind: Some("approval.*".into()),
            since: Some(since.clone()),
            ..Filter::default()
        },
        None,
        false,
    )?;
    in_time()?;
    ledger.approvals = approvals::fold_events(ws, approval_events, now_ms)
        .into_iter()
        .filter(|a| a.requested_by == agent && a.requested_by_kind == "agent")
        .collect();
    in_time()?;
    ledger.facts = ledger.approvals.iter().map(fact_of).collect();
    for d in index.denials(agent, &since)? {
        if d.actor_kind != "agent" {
            continue;
        }
        ledger.facts.push(Fact {
            kind: FactKind::PolicyDenied,
            action: d.action,
            subject: d.subject,
            at_ms: ms(&d.ts),
            source: d.id,
            reason: d.reason_code,
        });
    }
    ledger.facts.sort_by_key(|f| f.at_ms);
    ledger.incidents = incidents::opened_since(ws, index, &since)?
        .into_iter()
        .filter(|i| i.agent.as_deref() == Some(agent))
        .filter(|i| i.opened_by.starts_with("user:") || i.opened_by == "service:codexa")
        .collect();
    Ok(ledger)
}

/// The agents trust is judged for: the participants configured as agents
/// (a name only config gives can go into a policy rule; a person's own
/// requests never make an agent's rule).
pub fn agents(ws: &Workspace) -> Result<Vec<String>> {
    Ok(ws
        .config
        .agents
        .keys()
        .filter(|name| {
            crate::domain::identity::participant(&ws.config, name).is_some_and(|p| p.is_agent())
        })
        .cloned()
        .collect())
}
