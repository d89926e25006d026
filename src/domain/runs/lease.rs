//! Leases: the token a claim hands out, how it is checked, and what
//! happens when one runs out.
//!
//! A token is `<fence>.<secret>`. The fence is the run's claim count, so
//! it only grows; the log keeps only the token's sha256, so reading the
//! log does not give anyone the lease. A token passes only while its fence
//! is the run's current lease and its hash matches: one from an earlier
//! claim (even the same worker's) is refused.

use serde::Serialize;
use serde_json::json;

use crate::agents::sessions::registry;
use crate::clock;
use crate::domain::incidents::{self, Opening};
use crate::domain::runs::fold::{Lease, Run, Status};
use crate::error::{Error, Result};
use crate::fsutil::sha256_tagged;
use crate::store::{Actor, NewEvent, Store};

/// A new token for the lease numbered `fence` on `run`.
pub fn new_token(run: &str, fence: u64, now_ms: i64) -> String {
    let secret = clock::ulid_at(now_ms, &format!("lease:{run}:{fence}"));
    format!("{fence}.{}", secret.to_string().to_lowercase())
}

pub fn token_hash(token: &str) -> String {
    sha256_tagged(token.trim().as_bytes())
}

/// Check `token` against the run's current lease.
pub fn check(run: &Run, token: &str) -> Result<()> {
    let token = token.trim();
    let fence = token
        .split_once('.')
        .and_then(|(f, _)| f.parse::<u64>().ok())
        .ok_or_else(|| {
            Error::user(format!("`{token}` is not a lease token"))
                .hint("pass the token `codexa run claim` printed, e.g. `--token 3.01j…`")
        })?;
    let Some(lease) = &run.lease else {
        return Err(Error::conflict(format!(
            "{} holds no lease now (it is {}): token {fence} is stale",
            run.id,
            run.status.as_str()
        ))
        .hint(claim_hint(run)));
    };
    if lease.fence != fence {
        return Err(Error::conflict(format!(
            "token {fence} is stale: {} is under lease {} now, held by {} since {}",
            run.id, lease.fence, lease.worker, lease.claimed_at
        ))
        .hint("a lease once replaced never comes back; stop work on this run"));
    }
    if lease.token_sha256 != token_hash(token) {
        return Err(Error::conflict(format!(
            "that is not the token of lease {fence} on {}",
            run.id
        ))
        .hint("pass the token exactly as `codexa run claim` printed it"));
    }
    Ok(())
}

fn claim_hint(run: &Run) -> String {
    if run.status == Status::Queued {
        format!("claim it again with `codexa run claim {}`", run.id)
    } else {
        "see where it stands with `codexa run show ID`".into()
    }
}

/// An agent that is evidently still at work on a run it holds: its
/// session is bound to a pane, its process runs, and its hooks spoke
/// within the lease's length.
#[derive(Debug, Clone, Serialize)]
pub struct Alive {
    pub session: String,
    pub pane: String,
    pub last_hook_at: String,
    #[serde(skip)]
    pub last_hook_ms: i64,
    /// The agent's process still runs (even if its hooks went quiet).
    pub process_running: bool,
}

/// What the registry says about `worker` as an agent, if it has a live
/// session: the newest.
pub fn agent_evidence(store: &Store, worker: &str) -> Option<Alive> {
    let s = registry::live_for(store, worker).into_iter().next()?;
    let running = s
        .agent_pid
        .is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
    Some(Alive {
        session: s.session_id.clone(),
        pane: s.pane.clone().unwrap_or_default(),
        last_hook_at: clock::format_ms(s.last_ms),
        last_hook_ms: s.last_ms,
        process_running: running,
    })
}

/// What to record about a lease that ran out, seen at `now_ms`: either it
/// is renewed from the holder's own hooks (an agent still at work), or it
/// expires, with an incident when the run was running or its agent still
/// looks alive. Nothing when the lease has not run out.
pub fn settle(
    run: &Run,
    now_ms: i64,
    evidence: impl FnOnce(&str) -> Option<Alive>,
    actor: &Actor,
) -> Vec<NewEvent> {
    let Some(lease) = run.lease.as_ref().filter(|_| run.lease_expired(now_ms)) else {
        return Vec::new();
    };
    let seen = evidence(&lease.worker);
    let stream = super::stream(&run.id);
    let correlated = |mut e: NewEvent| {
        e.correlation_id = Some(run.correlation_id.clone());
        e
    };
    if let Some(alive) = &seen
        && alive.process_running
        && now_ms - alive.last_hook_ms < lease.ttl_ms
    {
        let expires = alive.last_hook_ms + lease.ttl_ms;
        let mut e = NewEvent::new(
            "run.lease_renewed",
            stream,
            actor.clone(),
            json!({
                "fence": lease.fence,
                "worker": lease.worker,
                "expires_at": clock::format_ms(expires),
                "evidence": alive,
            }),
        );
        e.idempotency_key = Some(format!(
            "run.lease_renewed:{}:{}:{}",
            run.id, lease.fence, alive.last_hook_ms
        ));
        return vec![correlated(e)];
    }
    let mut data = json!({
        "fence": lease.fence,
        "worker": lease.worker,
        "expired_at": lease.expires_at,
        "status": run.status.as_str(),
    });
    if let Some(alive) = &seen {
        data["evidence"] = json!(alive);
    }
    let mut expired = NewEvent::new("run.lease_expired", stream, actor.clone(), data);
    expired.idempotency_key = Some(format!("run.lease_expired:{}:{}", run.id, lease.fence));
    let mut out = vec![correlated(expired)];
    if let Some(why) = incident_reason(run, lease, seen.as_ref()) {
        let key = format!("run.lease_expired:{}:{}", run.id, lease.fence);
        let title = format!("lease expired: {}", run.title);
        let opening = Opening {
            title: &title,
            severity: "high",
            run: Some(&run.id),
            key: Some(&key),
            detail: Some(&why),
        };
        let mut incident = incidents::opening(&opening, actor, now_ms);
        incident.idempotency_key = Some(format!("incident.opened:{key}"));
        out.push(correlated(incident));
    }
    out
}

/// Why a lost lease deserves a person's look, if it does.
fn incident_reason(run: &Run, lease: &Lease, seen: Option<&Alive>) -> Option<String> {
    let alive = seen.filter(|a| a.process_running).map(|a| {
        format!(
            "; its agent is still running in pane {} (session {}), hooks last heard {}",
            a.pane, a.session, a.last_hook_at
        )
    });
    match (run.status, alive) {
        (Status::Running, alive) => Some(format!(
            "{} was running under {} (lease {}) and missed its heartbeat at {}{}",
            run.id,
            lease.worker,
            lease.fence,
            lease.expires_at,
            alive.unwrap_or_default()
        )),
        (_, Some(alive)) => Some(format!(
            "{} was claimed by {} (lease {}), which missed its heartbeat at {}{alive}",
            run.id, lease.worker, lease.fence, lease.expires_at
        )),
        _ => None,
    }
}
