//! What the gate keeps of an agent's ledger between calls, in the store's
//! cache: the window's facts and its latest incident, valid while the
//! trust mark (`store::trust_epoch`) has not moved and for at most a day
//! (the window slides). The gate consults trust on every call a rule with
//! `trust` matches; reading one small file instead of the log keeps that
//! call as cheap as one without the condition.
//!
//! The facts are read over the window plus a day, so for that day a level
//! can be computed from them for any `now` (`level` keeps to the window).

use serde::{Deserialize, Serialize};

use super::ledger::{self, Fact, Ledger};
use crate::store::index::Index;
use crate::workspace::Workspace;

const DAY_MS: i64 = 86_400_000;

#[derive(Serialize, Deserialize)]
struct Record {
    key: String,
    computed_ms: i64,
    facts: Vec<Fact>,
    last_incident_ms: Option<i64>,
}

/// Everything the facts depend on besides the log: codexa, the agent, the
/// window, and how approvals' signatures are judged.
fn key(ws: &Workspace, agent: &str, mark: &str) -> String {
    let signers = std::fs::read(ws.store.codexa_dir().join("allowed_signers")).unwrap_or_default();
    format!(
        "{} {mark} {agent} {} {} {}",
        env!("CARGO_PKG_VERSION"),
        ws.config.trust.window_days,
        ws.config.approvals.require_signature,
        crate::fsutil::sha256_tagged(&signers)
    )
}

fn path(ws: &Workspace, agent: &str) -> std::path::PathBuf {
    // The name is checked plain (`identity::valid_participant_name`) before
    // it names anyone; hash it anyway so no name can leave the folder.
    let name = crate::fsutil::sha256_tagged(agent.as_bytes());
    ws.store
        .cache_dir()
        .join("trust")
        .join(&name["sha256:".len()..])
}

/// `agent`'s facts for a level at `now_ms`: remembered, or read and
/// remembered. A ledger that cannot be read earns nothing.
pub fn facts(ws: &Workspace, agent: &str, now_ms: i64) -> Ledger {
    let mark = crate::store::trust_epoch::read(&ws.store);
    let key = key(ws, agent, &mark);
    let file = path(ws, agent);
    let recalled = std::fs::read(&file)
        .ok()
        .and_then(|b| serde_json::from_slice::<Record>(&b).ok())
        .filter(|r| r.key == key && r.computed_ms <= now_ms && now_ms - r.computed_ms < DAY_MS);
    if let Some(r) = recalled {
        return Ledger {
            agent: agent.to_string(),
            facts: r.facts,
            last_incident: r.last_incident_ms,
            ..Ledger::default()
        };
    }
    let window = ws.config.trust.window_days * DAY_MS;
    let read = Index::open(&ws.store)
        .and_then(|index| ledger::facts(ws, &index, agent, now_ms - window - DAY_MS, now_ms));
    let Ok(l) = read else {
        return Ledger::default();
    };
    let record = Record {
        key,
        computed_ms: now_ms,
        facts: l.facts.clone(),
        last_incident_ms: l.last_incident_ms(),
    };
    if let Ok(bytes) = serde_json::to_vec(&record)
        && ws.store.exists()
    {
        let _ = crate::fsutil::replace_cache_file(&file, &bytes);
    }
    l
}
