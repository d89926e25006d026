//! Progressive trust: what each agent has earned, from its own history.
//!
//! The ledger (`ledger`) reads what the log says an agent asked for and
//! how it went; the level (`level`) turns that into a tier per kind of
//! action, which a policy rule can require (`trust: {min: proven}`); a
//! recommendation (`recommend`) proposes the rule that would stop asking
//! when an agent's requests of one kind keep being approved, for a person
//! to accept or decline; constraints (`constraints`) are the reasons
//! people gave when they said no, kept so the agent is told next time.
//! Nothing here decides on its own: a person accepts every rule.

pub mod cache;
pub mod constraints;
pub mod ledger;
pub mod level;
pub mod recommend;

use serde::Serialize;

pub use level::{Level, Scope, Tier};

use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// One row of `trust show`: an action on a subject, and the level earned.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub action: String,
    pub subject: Option<String>,
    #[serde(flatten)]
    pub level: Level,
}

/// What `codexa trust show AGENT` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    pub agent: String,
    /// Per action and subject the agent asked about, most recent first.
    pub levels: Vec<Row>,
    pub runs_completed: u64,
    pub runs_failed: u64,
    pub tool_calls_succeeded: u64,
    pub tool_calls_failed: u64,
    pub incidents: Vec<crate::domain::incidents::Incident>,
    pub constraints: Vec<constraints::Constraint>,
}

/// `codexa trust show AGENT`: the ledger and the levels it earns, as of
/// `now_ms`.
pub fn show(ws: &Workspace, agent: &str, now_ms: i64) -> Result<Shown> {
    let l = ledger::gather(ws, agent, now_ms)?;
    Ok(Shown {
        agent: agent.to_string(),
        levels: levels(&l, now_ms, &ws.config.trust),
        runs_completed: l.runs_completed,
        runs_failed: l.runs_failed,
        tool_calls_succeeded: l.tool_calls_succeeded,
        tool_calls_failed: l.tool_calls_failed,
        constraints: constraints::for_agent(ws, agent)?,
        incidents: l.incidents,
    })
}

/// The level `l` earns at `now_ms` for each action and subject the agent
/// asked about or was denied, the most recent first.
pub fn levels(l: &ledger::Ledger, now_ms: i64, cfg: &crate::config::TrustConfig) -> Vec<Row> {
    let mut seen: Vec<(String, Option<String>)> = Vec::new();
    for f in l.facts.iter().rev() {
        let key = (f.action.clone(), f.subject.clone());
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen.into_iter()
        .map(|(action, subject)| {
            let scope = Scope {
                action: &action,
                subject: subject.as_deref(),
            };
            let level = level::level(l, scope, now_ms, cfg);
            Row {
                action: action.clone(),
                subject: subject.clone(),
                level,
            }
        })
        .collect()
}

/// The `field` of every recorded `kind` event (a person's decision about
/// trust: the recommendations declined, the constraints retired).
fn recorded(ws: &Workspace, kind: &str, field: &str) -> Result<Vec<String>> {
    use crate::store::index::{Filter, Index};
    if !ws.store.exists() {
        return Ok(Vec::new());
    }
    let index = Index::open(&ws.store)?;
    let filter = Filter {
        kind: Some(kind.into()),
        ..Filter::default()
    };
    Ok(index
        .events(&ws.store.events_dir(), &filter, None, false)?
        .into_iter()
        .filter_map(|e| e.data[field].as_str().map(str::to_string))
        .collect())
}

/// Only a person decides what an agent is trusted with: never a process
/// an agent's program runs, whatever name it gives.
pub fn person_only(speaker: &Speaker, what: &str) -> Result<()> {
    if speaker.under.is_some() || speaker.kind != "user" {
        return Err(Error::blocked(format!(
            "{} `{}` may not {what}: only a person can",
            speaker.kind, speaker.name
        ))
        .hint("a person runs it from their own terminal; tell them the recommendation id"));
    }
    Ok(())
}
