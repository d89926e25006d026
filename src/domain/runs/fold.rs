//! A run as its events make it: the fold of the stream `run:<id>`, with
//! its steps, tool calls and artifacts. Pure: events in, state out.
//!
//! Events are applied in the log's order (`ts`, then id). One that the
//! state at that point does not allow (a second claim of a held run, a
//! start under a lease that was since replaced, anything after the run
//! ended) changes nothing and is kept as a conflict: within a clone the
//! commands check under the store lock, so conflicts arise only when two
//! clones acted on one run between syncs, and the fold settles them the
//! same way everywhere (the earlier claim wins).

use serde::Serialize;
use serde_json::Value;

use crate::store::Event;

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Queued,
    Claimed,
    Running,
    Completed,
    Failed,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Queued,
        Status::Claimed,
        Status::Running,
        Status::Completed,
        Status::Failed,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Claimed => "claimed",
            Status::Running => "running",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Completed, failed and cancelled runs never change again.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Completed | Status::Failed | Status::Cancelled)
    }

    /// What may happen to a run in this status.
    pub fn allows(self) -> &'static [Action] {
        match self {
            Status::Queued => &[Action::Claim, Action::Cancel],
            Status::Claimed => &[
                Action::Heartbeat,
                Action::Release,
                Action::Start,
                Action::Fail,
                Action::Cancel,
            ],
            Status::Running => &[
                Action::Heartbeat,
                Action::Release,
                Action::Complete,
                Action::Fail,
                Action::Cancel,
            ],
            Status::Completed | Status::Failed | Status::Cancelled => &[],
        }
    }
}

/// Something done to a run's status or lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Claim,
    Heartbeat,
    Release,
    Start,
    Complete,
    Fail,
    Cancel,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Claim => "claim",
            Action::Heartbeat => "heartbeat",
            Action::Release => "release",
            Action::Start => "start",
            Action::Complete => "complete",
            Action::Fail => "fail",
            Action::Cancel => "cancel",
        }
    }

    /// Does doing this need the current lease's token?
    pub fn needs_token(self) -> bool {
        !matches!(self, Action::Claim | Action::Cancel)
    }

    fn of_event(kind: &str) -> Option<Action> {
        Some(match kind {
            "run.claimed" => Action::Claim,
            "run.heartbeat" => Action::Heartbeat,
            "run.released" => Action::Release,
            "run.started" => Action::Start,
            "run.completed" => Action::Complete,
            "run.failed" => Action::Fail,
            "run.cancelled" => Action::Cancel,
            _ => return None,
        })
    }
}

/// The event behind a node of the run's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRef {
    pub id: String,
    pub ts: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// `kind:id`.
    pub actor: String,
}

impl EventRef {
    fn of(e: &Event) -> EventRef {
        EventRef {
            id: e.id.clone(),
            ts: e.ts.clone(),
            kind: e.kind.clone(),
            actor: e.actor.to_string(),
        }
    }
}

/// Who holds a claimed or running run, and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lease {
    pub worker: String,
    /// Grows with every claim of this run: a token names the lease it was
    /// given for, so one from an earlier claim never passes.
    pub fence: u64,
    #[serde(skip)]
    pub token_sha256: String,
    pub ttl_ms: i64,
    pub claimed_at: String,
    pub expires_at: String,
    #[serde(skip)]
    pub expires_ms: i64,
    /// The actor that claimed (`kind:id`).
    pub claimed_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolCall {
    pub id: String,
    pub tool: String,
    pub input: Value,
    /// `running`, `succeeded` or `failed`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub started_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// `command` (`codexa toolcall`) or `hook` (recorded from an agent's hooks).
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_use_id: Option<String>,
    pub events: Vec<EventRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Artifact {
    pub id: String,
    /// `text`, `json`, `file` or `uri`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    pub step: String,
    pub run: String,
    pub events: Vec<EventRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub id: String,
    pub name: String,
    pub tool_calls: Vec<ToolCall>,
    pub artifacts: Vec<Artifact>,
    pub events: Vec<EventRef>,
}

/// An event the fold did not apply, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub event: EventRef,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub id: String,
    pub title: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// The participant the run is meant for, if any.
    #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
    pub for_participant: Option<String>,
    pub correlation_id: String,
    pub created_at: String,
    pub created_by: String,
    pub status: Status,
    pub lease: Option<Lease>,
    /// The highest fence handed out so far.
    pub last_fence: u64,
    /// Who held the latest lease (held now or not): whom an incident
    /// about the run concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_worker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    pub lease_expiries: u32,
    pub updated_at: String,
    pub steps: Vec<Step>,
    pub events: Vec<EventRef>,
    pub conflicts: Vec<Conflict>,
}

impl Run {
    /// Is the lease past its expiry at `now_ms`?
    pub fn lease_expired(&self, now_ms: i64) -> bool {
        self.lease.as_ref().is_some_and(|l| now_ms >= l.expires_ms)
    }

    /// May a new claim take it at `now_ms` (once an expired lease is
    /// recorded as expired)?
    pub fn claimable(&self, now_ms: i64) -> bool {
        self.status == Status::Queued || (!self.status.is_final() && self.lease_expired(now_ms))
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn tool_call(&self, id: &str) -> Option<&ToolCall> {
        self.steps
            .iter()
            .flat_map(|s| &s.tool_calls)
            .find(|t| t.id == id)
    }

    fn step_mut(&mut self, id: &str) -> Option<&mut Step> {
        self.steps.iter_mut().find(|s| s.id == id)
    }

    fn tool_call_mut(&mut self, id: &str) -> Option<&mut ToolCall> {
        self.steps
            .iter_mut()
            .flat_map(|s| s.tool_calls.iter_mut())
            .find(|t| t.id == id)
    }
}

/// The id a step, tool call or artifact takes from the event that made
/// it: `step_<ULID>` for `evt_<ULID>`, so finding one is a lookup by id.
pub fn child_id(prefix: &str, event_id: &str) -> String {
    format!("{prefix}_{}", event_id.trim_start_matches("evt_"))
}

/// The event that made a step, tool call or artifact.
pub fn event_of_child(child: &str) -> Option<String> {
    let (prefix, ulid) = child.split_once('_')?;
    (["step", "tc", "art"].contains(&prefix) && ulid.len() == 26).then(|| format!("evt_{ulid}"))
}

fn text(data: &Value, key: &str) -> Option<String> {
    data.get(key).and_then(Value::as_str).map(str::to_string)
}

fn number(data: &Value, key: &str) -> Option<i64> {
    data.get(key).and_then(Value::as_i64)
}

/// Fold a run's events (any order; they are sorted here). `None` when
/// they hold no `run.created`.
pub fn fold(id: &str, events: &[Event]) -> Option<Run> {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| (&a.ts, &a.id).cmp(&(&b.ts, &b.id)));
    let created = sorted.iter().position(|e| e.kind == "run.created")?;
    let first = sorted[created];
    let mut run = Run {
        id: id.to_string(),
        title: text(&first.data, "title").unwrap_or_default(),
        kind: text(&first.data, "kind").unwrap_or_else(|| "default".into()),
        input: first.data.get("input").cloned(),
        for_participant: text(&first.data, "for"),
        correlation_id: first
            .correlation_id
            .clone()
            .unwrap_or_else(|| id.to_string()),
        created_at: first.ts.clone(),
        created_by: first.actor.to_string(),
        status: Status::Queued,
        lease: None,
        last_fence: 0,
        last_worker: None,
        output: None,
        failure: None,
        cancel_reason: None,
        lease_expiries: 0,
        updated_at: first.ts.clone(),
        steps: Vec::new(),
        events: vec![EventRef::of(first)],
        conflicts: Vec::new(),
    };
    for (i, e) in sorted.iter().enumerate() {
        if i == created {
            continue;
        }
        if let Err(reason) = apply(&mut run, e) {
            run.conflicts.push(Conflict {
                event: EventRef::of(e),
                reason,
            });
        } else {
            run.updated_at = e.ts.clone();
        }
    }
    Some(run)
}

/// Why `action` is not allowed in `status`, in the words the commands use.
pub fn refusal(status: Status, action: Action) -> String {
    let allowed = status.allows();
    if allowed.is_empty() {
        format!(
            "the run is {}: it cannot {}; a {} run never changes again",
            status.as_str(),
            action.as_str(),
            status.as_str()
        )
    } else {
        format!(
            "the run is {}: it cannot {} (a {} run can: {})",
            status.as_str(),
            action.as_str(),
            status.as_str(),
            allowed
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn apply(run: &mut Run, e: &Event) -> Result<(), String> {
    let data = &e.data;
    if let Some(action) = Action::of_event(&e.kind) {
        if !run.status.allows().contains(&action) {
            return Err(refusal(run.status, action));
        }
        if action.needs_token() {
            let fence = number(data, "fence").unwrap_or(-1);
            let held = run.lease.as_ref().map_or(-1, |l| l.fence as i64);
            if fence != held {
                return Err(format!(
                    "under lease {fence}, but the run's lease is {held}"
                ));
            }
            same_claim(run, data)?;
        }
        match action {
            Action::Claim => {
                let fence = number(data, "fence").unwrap_or(0);
                if fence <= run.last_fence as i64 {
                    return Err(format!(
                        "claims with fence {fence}, not above the last ({})",
                        run.last_fence
                    ));
                }
                let expires_at = text(data, "expires_at").unwrap_or_default();
                run.last_fence = fence as u64;
                run.last_worker = text(data, "worker");
                run.lease = Some(Lease {
                    worker: text(data, "worker").unwrap_or_default(),
                    fence: fence as u64,
                    token_sha256: text(data, "token_sha256").unwrap_or_default(),
                    ttl_ms: number(data, "ttl_ms").unwrap_or(0),
                    claimed_at: e.ts.clone(),
                    expires_ms: crate::clock::parse_ms(&expires_at).unwrap_or(0),
                    expires_at,
                    claimed_by: e.actor.to_string(),
                });
                run.status = Status::Claimed;
            }
            Action::Heartbeat => renew(run, data),
            Action::Release => {
                run.lease = None;
                run.status = Status::Queued;
            }
            Action::Start => run.status = Status::Running,
            Action::Complete => {
                run.lease = None;
                run.output = data.get("output").cloned();
                run.status = Status::Completed;
            }
            Action::Fail => {
                run.lease = None;
                run.failure = text(data, "reason");
                run.status = Status::Failed;
            }
            Action::Cancel => {
                run.lease = None;
                run.cancel_reason = text(data, "reason");
                run.status = Status::Cancelled;
            }
        }
        run.events.push(EventRef::of(e));
        return Ok(());
    }
    match e.kind.as_str() {
        "run.lease_expired" | "run.lease_renewed" => {
            let fence = number(data, "fence").unwrap_or(-1);
            match &run.lease {
                Some(l) if l.fence as i64 == fence => {}
                _ => return Err(format!("names lease {fence}, which is not the run's lease")),
            }
            same_claim(run, data)?;
            if e.kind == "run.lease_expired" {
                run.lease = None;
                run.status = Status::Queued;
                run.lease_expiries += 1;
            } else {
                renew(run, data);
            }
            run.events.push(EventRef::of(e));
        }
        "run.step_added" => {
            if run.status.is_final() {
                return Err(refusal_to_add(run.status, "steps"));
            }
            run.steps.push(Step {
                id: child_id("step", &e.id),
                name: text(data, "name").unwrap_or_default(),
                tool_calls: Vec::new(),
                artifacts: Vec::new(),
                events: vec![EventRef::of(e)],
            });
        }
        "run.toolcall_started" => {
            if run.status.is_final() {
                return Err(refusal_to_add(run.status, "tool calls"));
            }
            let step = text(data, "step").unwrap_or_default();
            let call = ToolCall::started(e);
            run.step_mut(&step)
                .ok_or_else(|| format!("names step {step}, which this run does not have"))?
                .tool_calls
                .push(call);
        }
        "run.toolcall_succeeded" | "run.toolcall_failed" => {
            let id = text(data, "toolcall").unwrap_or_default();
            run.tool_call_mut(&id)
                .ok_or_else(|| format!("names tool call {id}, which this run does not have"))?
                .end(e)?;
        }
        "run.artifact_added" => {
            if run.status.is_final() {
                return Err(refusal_to_add(run.status, "artifacts"));
            }
            let step = text(data, "step").unwrap_or_default();
            let artifact = Artifact {
                id: child_id("art", &e.id),
                kind: text(data, "kind").unwrap_or_default(),
                sha256: text(data, "sha256"),
                bytes: data.get("bytes").and_then(Value::as_u64),
                name: text(data, "name"),
                uri: text(data, "uri"),
                step: step.clone(),
                run: run.id.clone(),
                events: vec![EventRef::of(e)],
            };
            run.step_mut(&step)
                .ok_or_else(|| format!("names step {step}, which this run does not have"))?
                .artifacts
                .push(artifact);
        }
        "run.created" => return Err("a second run.created for one run".into()),
        other => return Err(format!("`{other}` is not an event of a run")),
    }
    Ok(())
}

/// A lease event must carry the hash of the token its claim handed out:
/// two clones that claimed one run between syncs both hold a lease with
/// the same fence, and only the hash tells whose an event is.
fn same_claim(run: &Run, data: &Value) -> Result<(), String> {
    let held = run.lease.as_ref().map(|l| l.token_sha256.as_str());
    match text(data, "token_sha256") {
        Some(h) if Some(h.as_str()) == held => Ok(()),
        Some(_) => {
            Err("under another claim's lease with the same number (made in another clone)".into())
        }
        None => Err("names no lease token".into()),
    }
}

impl ToolCall {
    /// A tool call as its `run.toolcall_started` event makes it.
    pub fn started(e: &Event) -> ToolCall {
        let data = &e.data;
        ToolCall {
            id: child_id("tc", &e.id),
            tool: text(data, "tool").unwrap_or_default(),
            input: data.get("input").cloned().unwrap_or(Value::Null),
            status: "running",
            output: None,
            error: None,
            started_at: e.ts.clone(),
            ended_at: None,
            duration_ms: None,
            source: text(data, "source").unwrap_or_else(|| "command".into()),
            tool_use_id: text(data, "tool_use_id"),
            events: vec![EventRef::of(e)],
        }
    }

    /// End it with its `run.toolcall_succeeded` or `run.toolcall_failed`.
    pub fn end(&mut self, e: &Event) -> Result<(), String> {
        if self.status != "running" {
            return Err(format!("tool call {} already {}", self.id, self.status));
        }
        let data = &e.data;
        let started = crate::clock::parse_ms(&self.started_at).unwrap_or(0);
        let ended = crate::clock::parse_ms(&e.ts).unwrap_or(started);
        self.status = if e.kind == "run.toolcall_succeeded" {
            "succeeded"
        } else {
            "failed"
        };
        self.output = data.get("output").cloned();
        self.error = text(data, "error");
        self.ended_at = Some(e.ts.clone());
        self.duration_ms = Some(number(data, "duration_ms").unwrap_or(ended - started));
        self.events.push(EventRef::of(e));
        Ok(())
    }
}

fn renew(run: &mut Run, data: &Value) {
    if let (Some(lease), Some(at)) = (run.lease.as_mut(), text(data, "expires_at")) {
        lease.expires_ms = crate::clock::parse_ms(&at).unwrap_or(lease.expires_ms);
        lease.expires_at = at;
    }
}

fn refusal_to_add(status: Status, what: &str) -> String {
    format!(
        "the run is {}: {what} can no longer be added",
        status.as_str()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An event of run `run_1` at second `s`, from writer `w`.
    fn ev(s: i64, w: &str, kind: &str, data: Value) -> Event {
        let mut e = Event::sample(kind, data);
        e.id = format!(
            "evt_{}",
            crate::clock::ulid_at(s * 1000, &format!("{w}{s}{kind}"))
        );
        e.seq = s as u64;
        e.ts = crate::clock::format_ms(s * 1000);
        e.writer = w.into();
        e.stream.kind = "run".into();
        e.stream.id = "run_1".into();
        e
    }

    fn claimed(s: i64, w: &str, worker: &str, fence: u64) -> Event {
        ev(
            s,
            w,
            "run.claimed",
            json!({"worker": worker, "fence": fence, "token_sha256": "sha256:x", "ttl_ms": 10_000,
                   "expires_at": crate::clock::format_ms((s + 10) * 1000)}),
        )
    }

    #[test]
    fn a_second_clone_s_later_claim_and_its_work_are_conflicts() {
        let mut b_claim = claimed(3, "b", "wb", 1);
        b_claim.data["token_sha256"] = json!("sha256:b");
        let events = vec![
            ev(1, "a", "run.created", json!({"title": "t"})),
            claimed(2, "a", "wa", 1),
            // Another clone claimed too, between syncs, a moment later,
            // with the same fence, and started under its own token.
            b_claim,
            ev(
                4,
                "b",
                "run.started",
                json!({"fence": 1, "token_sha256": "sha256:b"}),
            ),
            ev(
                5,
                "a",
                "run.started",
                json!({"fence": 1, "token_sha256": "sha256:x"}),
            ),
        ];
        let run = fold("run_1", &events).unwrap();
        assert_eq!(run.status, Status::Running);
        assert_eq!(run.lease.as_ref().unwrap().worker, "wa");
        let reasons: Vec<&str> = run.conflicts.iter().map(|c| c.reason.as_str()).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].contains("the run is claimed: it cannot claim"));
        assert!(reasons[1].contains("another claim's lease"), "{reasons:?}");
    }

    #[test]
    fn a_token_of_an_earlier_lease_changes_nothing() {
        let events = vec![
            ev(1, "a", "run.created", json!({"title": "t"})),
            claimed(2, "a", "w", 1),
            ev(
                3,
                "a",
                "run.lease_expired",
                json!({"fence": 1, "token_sha256": "sha256:x"}),
            ),
            claimed(4, "a", "w", 2),
            ev(
                5,
                "a",
                "run.completed",
                json!({"fence": 1, "token_sha256": "sha256:x"}),
            ),
        ];
        let run = fold("run_1", &events).unwrap();
        assert_eq!(run.status, Status::Claimed);
        assert_eq!(run.lease_expiries, 1);
        assert_eq!(
            run.conflicts[0].reason,
            "the run is claimed: it cannot complete (a claimed run can: heartbeat, release, start, fail, cancel)"
        );
    }

    #[test]
    fn an_event_without_its_lease_s_token_hash_changes_nothing() {
        let events = vec![
            ev(1, "a", "run.created", json!({"title": "t"})),
            claimed(2, "a", "w", 1),
            ev(3, "a", "run.completed", json!({"fence": 1})),
            ev(
                4,
                "b",
                "run.lease_expired",
                json!({"fence": 1, "token_sha256": "sha256:other"}),
            ),
        ];
        let run = fold("run_1", &events).unwrap();
        assert_eq!(run.status, Status::Claimed);
        assert_eq!(run.conflicts.len(), 2, "{:?}", run.conflicts);
    }

    #[test]
    fn a_fence_must_grow() {
        let events = vec![
            ev(1, "a", "run.created", json!({"title": "t"})),
            claimed(2, "a", "w", 1),
            ev(
                3,
                "a",
                "run.released",
                json!({"fence": 1, "token_sha256": "sha256:x"}),
            ),
            claimed(4, "a", "w", 1),
        ];
        let run = fold("run_1", &events).unwrap();
        assert_eq!(run.status, Status::Queued);
        assert!(run.conflicts[0].reason.contains("not above the last (1)"));
    }

    #[test]
    fn steps_tool_calls_and_artifacts_hang_off_their_events() {
        let step = ev(3, "a", "run.step_added", json!({"name": "build"}));
        let step_id = child_id("step", &step.id);
        let call = ev(
            4,
            "a",
            "run.toolcall_started",
            json!({"step": step_id, "tool": "Bash", "input": {}}),
        );
        let call_id = child_id("tc", &call.id);
        let events = vec![
            ev(1, "a", "run.created", json!({"title": "t"})),
            step,
            call,
            ev(
                6,
                "a",
                "run.toolcall_succeeded",
                json!({"toolcall": call_id}),
            ),
            ev(
                7,
                "a",
                "run.artifact_added",
                json!({"step": step_id, "kind": "uri", "uri": "https://x"}),
            ),
            ev(
                8,
                "a",
                "run.toolcall_failed",
                json!({"toolcall": call_id, "error": "late"}),
            ),
        ];
        let run = fold("run_1", &events).unwrap();
        let s = &run.steps[0];
        assert_eq!(s.tool_calls[0].status, "succeeded");
        assert_eq!(
            s.tool_calls[0].duration_ms,
            Some(2000),
            "from the events' times"
        );
        assert_eq!(s.artifacts[0].uri.as_deref(), Some("https://x"));
        assert_eq!(run.conflicts.len(), 1, "a tool call ends once");
        assert_eq!(
            event_of_child(&call_id).as_deref(),
            Some(call_id.replacen("tc_", "evt_", 1).as_str())
        );
        assert_eq!(event_of_child("tc_short"), None);
    }
}
