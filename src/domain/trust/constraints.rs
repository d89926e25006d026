//! Constraints an agent learned: each reason a person gave when denying
//! or holding its request, and each resolution note of an incident on its
//! work. They go into the agent's next brief (`seed`) and are served to it
//! over MCP, so the same mistake is not made twice; a person retires one
//! that no longer holds (`trust.constraint_retired`).

use serde::Serialize;
use serde_json::json;

use super::ledger::Ledger;
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::{NewEvent, StreamRef};
use crate::workspace::Workspace;

#[derive(Debug, Clone, Serialize)]
pub struct Constraint {
    /// `con_` and the ULID of the event it comes from.
    pub id: String,
    pub agent: String,
    /// What the person said.
    pub text: String,
    /// The action and subject it was said about, when a request (null
    /// for an incident's note).
    pub action: Option<String>,
    pub subject: Option<String>,
    /// The approval or incident it comes from.
    pub source: String,
    pub by: String,
    pub at: String,
}

fn id_of(event_or_incident: &str) -> String {
    let ulid = event_or_incident
        .split_once('_')
        .map_or(event_or_incident, |(_, u)| u);
    format!("con_{ulid}")
}

/// Every constraint `ledger`'s agent learned, retired or not.
fn all(ledger: &Ledger) -> Vec<Constraint> {
    let mut out = Vec::new();
    for a in &ledger.approvals {
        for d in a.decisions.iter().filter(|d| d.counts) {
            let said = d.reason.as_deref().map(str::trim).unwrap_or_default();
            if !matches!(d.decision.as_str(), "deny" | "hold") || said.is_empty() {
                continue;
            }
            out.push(Constraint {
                id: id_of(&d.event_id),
                agent: ledger.agent.clone(),
                text: said.to_string(),
                action: Some(a.action.clone()),
                subject: Some(a.subject.clone()),
                source: a.id.clone(),
                by: d.by.clone(),
                at: d.at.clone(),
            });
        }
    }
    for i in &ledger.incidents {
        let said = i.resolution.as_deref().map(str::trim).unwrap_or_default();
        // Only a person's note teaches: one agent must not put words in
        // another's brief.
        let by_person = i
            .resolved_by
            .as_deref()
            .is_some_and(|b| b.starts_with("user:"));
        if said.is_empty() || !by_person {
            continue;
        }
        out.push(Constraint {
            id: id_of(&i.id),
            agent: ledger.agent.clone(),
            text: said.to_string(),
            action: None,
            subject: None,
            source: i.id.clone(),
            by: i.resolved_by.clone().unwrap_or_default(),
            at: i.resolved_at.clone().unwrap_or_default(),
        });
    }
    out.sort_by(|a, b| a.at.cmp(&b.at));
    out
}

fn retired(ws: &Workspace) -> Result<Vec<String>> {
    super::recorded(ws, "trust.constraint_retired", "constraint")
}

/// The constraints in force for `ledger`'s agent, oldest first.
pub fn of(ws: &Workspace, ledger: &Ledger) -> Result<Vec<Constraint>> {
    let gone = retired(ws)?;
    Ok(all(ledger)
        .into_iter()
        .filter(|c| !gone.contains(&c.id))
        .collect())
}

/// `codexa trust constraints AGENT`.
pub fn for_agent(ws: &Workspace, agent: &str) -> Result<Vec<Constraint>> {
    of(
        ws,
        &super::ledger::gather_since(ws, agent, 0, crate::clock::now_ms())?,
    )
}

/// `codexa trust retire CON`: a person says a constraint no longer holds.
pub fn retire(
    ws: &Workspace,
    speaker: &Speaker,
    id: &str,
    reason: Option<&str>,
) -> Result<Constraint> {
    super::person_only(speaker, "retire a constraint")?;
    let found = super::ledger::agents(ws)?
        .into_iter()
        .map(|agent| for_agent(ws, &agent))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            Error::not_found(format!("no constraint `{id}` in force"))
                .hint("list them with `codexa trust constraints AGENT`")
        })?;
    let mut data = json!({ "constraint": id, "agent": found.agent });
    if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        data["reason"] = json!(r);
    }
    let mut e = NewEvent::new(
        "trust.constraint_retired",
        StreamRef {
            kind: "trust".into(),
            id: found.agent.clone(),
        },
        speaker.actor(),
        data,
    );
    e.idempotency_key = Some(format!("trust.constraint_retired:{id}"));
    ws.append(vec![e])?;
    Ok(found)
}
