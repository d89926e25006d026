//! Leases: the token a claim hands out, how it is checked, and what
//! happens when one runs out.
//!
//! A token is `cxl_<fence>_<secret>`. The fence is the run's claim
//! count, so it only grows; the log keeps only the token's sha256, so
//! reading the log does not give anyone the lease, and the distinct shape
//! lets the redaction filter mask a token wherever it is written (a
//! command line an agent's hooks report, say). A token passes only while
//! its fence is the run's current lease and its hash matches: one from an
//! earlier claim (even the same worker's) is refused.

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
    format!(
        "{TOKEN_PREFIX}{fence}_{}",
        secret.to_string().to_lowercase()
    )
}

/// How every lease token begins.
pub const TOKEN_PREFIX: &str = "cxl_";

/// The fence a token names, if it has a token's shape.
fn fence_of(token: &str) -> Option<u64> {
    let (fence, secret) = token.strip_prefix(TOKEN_PREFIX)?.split_once('_')?;
    (secret.len() == 26).then_some(())?;
    fence.parse().ok()
}

pub fn token_hash(token: &str) -> String {
    sha256_tagged(token.trim().as_bytes())
}

/// Check `token` against the run's current lease.
pub fn check(run: &Run, token: &str) -> Result<()> {
    let token = token.trim();
    let fence = fence_of(token).ok_or_else(|| {
        Error::user(format!("`{token}` is not a lease token"))
            .hint("pass the token `codexa run claim` printed, e.g. `--token cxl_3_01j…`")
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
///
/// Of its live sessions, one whose process still runs and whose hooks
/// spoke last wins: a stale session of the same name (its process gone)
/// cannot hide a working one.
pub fn agent_evidence(store: &Store, worker: &str) -> Option<Alive> {
    registry::live_for(store, worker)
        .into_iter()
        .map(|s| {
            let running = s
                .agent_pid
                .is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
            Alive {
                session: s.session_id.clone(),
                pane: s.pane.clone().unwrap_or_default(),
                last_hook_at: clock::format_ms(s.last_ms),
                last_hook_ms: s.last_ms,
                process_running: running,
            }
        })
        .max_by_key(|a| (a.process_running, a.last_hook_ms))
}

/// What to record about a lease that ran out, seen at `now_ms` by
/// `observer`: either it is renewed from the holder's own hooks (an agent
/// at work on a running run), or it expires, with an incident when the
/// run was running or its agent still looks alive. Nothing when the lease
/// has not run out. codexa records these itself, naming who looked: they
/// are not the observer's doing, and an incident codexa opens is for a
/// person to close.
pub fn settle(
    run: &Run,
    now_ms: i64,
    evidence: impl FnOnce(&str) -> Option<Alive>,
    observer: &Actor,
) -> Vec<NewEvent> {
    let Some(lease) = run.lease.as_ref().filter(|_| run.lease_expired(now_ms)) else {
        return Vec::new();
    };
    // Evidence from the future (a session file edited by hand) counts as now.
    let seen = evidence(&lease.worker).map(|mut a| {
        a.last_hook_ms = a.last_hook_ms.min(now_ms);
        a.last_hook_at = clock::format_ms(a.last_hook_ms);
        a
    });
    let stream = super::stream(&run.id);
    let actor = &crate::store::append::system_actor();
    let correlated = |mut e: NewEvent| {
        e.data["observed_by"] = json!(observer.to_string());
        e.correlation_id = Some(run.correlation_id.clone());
        e
    };
    // Only a run being worked on is kept alive by its agent's activity: a
    // claim never started is not held by hooks about something else.
    if let Some(alive) = &seen
        && run.status == Status::Running
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
                "token_sha256": lease.token_sha256,
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
        "token_sha256": lease.token_sha256,
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
            agent: Some(&lease.worker),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::runs::fold::Run;

    const TOKEN: &str = "cxl_2_01m8y9cpfb2xjsr70xd60gvg62";

    fn held(status: Status, expires_ms: i64) -> Run {
        let lease = Lease {
            worker: "lead".into(),
            fence: 2,
            token_sha256: token_hash(TOKEN),
            ttl_ms: 10_000,
            claimed_at: clock::format_ms(0),
            expires_at: clock::format_ms(expires_ms),
            expires_ms,
            claimed_by: "agent:lead".into(),
        };
        Run {
            id: "run_1".into(),
            title: "t".into(),
            kind: "default".into(),
            input: None,
            for_participant: None,
            correlation_id: "run_1".into(),
            created_at: clock::format_ms(0),
            created_by: "user:ann".into(),
            status,
            lease: Some(lease),
            last_fence: 2,
            last_worker: Some("lead".into()),
            output: None,
            failure: None,
            cancel_reason: None,
            lease_expiries: 0,
            updated_at: clock::format_ms(0),
            steps: Vec::new(),
            events: Vec::new(),
            conflicts: Vec::new(),
        }
    }

    fn alive(last_hook_ms: i64, process_running: bool) -> Alive {
        Alive {
            session: "s1".into(),
            pane: "%3".into(),
            last_hook_at: clock::format_ms(last_hook_ms),
            last_hook_ms,
            process_running,
        }
    }

    fn actor() -> Actor {
        Actor {
            kind: "service".into(),
            id: "codexa".into(),
        }
    }

    #[test]
    fn a_lease_in_time_is_left_alone() {
        let run = held(Status::Running, 10_000);
        assert!(settle(&run, 9_999, |_| None, &actor()).is_empty());
    }

    #[test]
    fn an_agent_whose_hooks_spoke_within_the_lease_keeps_it() {
        let run = held(Status::Running, 10_000);
        let e = settle(&run, 12_000, |_| Some(alive(7_000, true)), &actor());
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, "run.lease_renewed");
        assert_eq!(e[0].data["expires_at"], clock::format_ms(17_000));
    }

    #[test]
    fn hooks_keep_only_a_running_run_and_never_past_now() {
        let claimed = held(Status::Claimed, 10_000);
        let e = settle(&claimed, 12_000, |_| Some(alive(11_000, true)), &actor());
        assert_eq!(e[0].kind, "run.lease_expired", "a claim never started");
        let running = held(Status::Running, 10_000);
        let e = settle(
            &running,
            12_000,
            |_| Some(alive(i64::MAX / 2, true)),
            &actor(),
        );
        assert_eq!(e[0].data["expires_at"], clock::format_ms(22_000));
        assert_eq!(e[0].actor.id, "codexa", "codexa records it");
        assert_eq!(e[0].data["observed_by"], "service:codexa");
    }

    #[test]
    fn a_quiet_agent_still_running_loses_its_lease_with_an_incident_that_says_so() {
        let run = held(Status::Claimed, 10_000);
        let e = settle(&run, 30_000, |_| Some(alive(1_000, true)), &actor());
        let kinds: Vec<&str> = e.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["run.lease_expired", "incident.opened"]);
        let detail = e[1].data["detail"].as_str().unwrap();
        assert!(
            detail.contains("its agent is still running in pane %3"),
            "{detail}"
        );
    }

    #[test]
    fn a_lost_claim_with_no_one_running_needs_no_incident_but_a_running_run_does() {
        let claimed = settle(&held(Status::Claimed, 10_000), 30_000, |_| None, &actor());
        assert_eq!(claimed.len(), 1);
        let running = settle(
            &held(Status::Running, 10_000),
            30_000,
            |_| Some(alive(1_000, false)),
            &actor(),
        );
        assert_eq!(running.len(), 2);
        assert_eq!(running[1].data["severity"], "high");
    }

    #[test]
    fn only_the_current_lease_s_exact_token_passes() {
        let run = held(Status::Running, 10_000);
        assert!(check(&run, TOKEN).is_ok());
        assert!(
            check(&run, &format!(" {TOKEN}\n")).is_ok(),
            "as a shell passes it"
        );
        let stale = check(&run, &TOKEN.replace("cxl_2_", "cxl_1_"))
            .unwrap_err()
            .to_string();
        assert!(stale.contains("token 1 is stale"), "{stale}");
        assert!(check(&run, "cxl_2_0123456789abcdefghjkmnpqrs").is_err());
        assert!(check(&run, "nonsense").is_err());
    }
}
