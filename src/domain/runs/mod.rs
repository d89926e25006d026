//! Durable work: runs that workers (engines, scripts, agents) claim under
//! a lease, start, and complete or fail, with the steps, tool calls and
//! artifacts of each.
//!
//! Every change is decided under the store lock against the run as its
//! events fold (`fold`), so within a clone two claimers never both win,
//! a transition the status forbids never lands, and a token from a lease
//! that was since replaced is refused (`lease`). Across clones the log is
//! merged at `sync`: if two clones claimed one run between syncs, the
//! earlier claim stands and the other clone's claim, and whatever was done
//! under it, show as conflicts in `run show` and change nothing.

pub mod artifacts;
pub mod fold;
pub mod inspect;
pub mod lease;
pub mod tool_calls;

use serde::Serialize;
use serde_json::{Value, json};

pub use fold::{Action, Artifact, Run, Status, Step, ToolCall};

use crate::clock;
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::store::{Event, NewEvent, StreamRef};
use crate::workspace::Workspace;

/// A run's own stream: its status, lease and steps. Short however much
/// work it records, so claims and the gate's hooks fold it cheaply.
pub fn stream(id: &str) -> StreamRef {
    StreamRef {
        kind: "run".into(),
        id: id.to_string(),
    }
}

/// The stream of a run's tool calls and artifacts, which can grow to
/// thousands of events on a long run.
pub fn work_stream(id: &str) -> StreamRef {
    StreamRef {
        kind: WORK_STREAM.into(),
        id: id.to_string(),
    }
}

pub const WORK_STREAM: &str = "run_work";

/// A new event of `run`, correlated with it: tool calls and artifacts on
/// its work stream, everything else on its own.
fn event(run: &Run, kind: &str, speaker: &Speaker, data: Value) -> NewEvent {
    let is_work = kind.starts_with("run.toolcall_") || kind == "run.artifact_added";
    let on = if is_work {
        work_stream(&run.id)
    } else {
        stream(&run.id)
    };
    let mut e = NewEvent::new(kind, on, speaker.actor(), data);
    e.correlation_id = Some(run.correlation_id.clone());
    e
}

fn not_found(id: &str) -> Error {
    Error::not_found(format!("no run `{id}`")).hint("list runs with `codexa run list --all`")
}

/// The events of one of a run's streams.
fn stream_events(index: &Index, ws: &Workspace, kind: &str, id: &str) -> Result<Vec<Event>> {
    index.events(
        &ws.store.events_dir(),
        &Filter {
            stream_type: Some(kind.into()),
            stream_id: Some(id.to_string()),
            ..Filter::default()
        },
        None,
        false,
    )
}

/// A run with everything it recorded.
pub(crate) fn load_with(index: &Index, ws: &Workspace, id: &str) -> Result<Run> {
    let mut events = stream_events(index, ws, "run", id)?;
    events.extend(stream_events(index, ws, WORK_STREAM, id)?);
    fold::fold(id, &events).ok_or_else(|| not_found(id))
}

/// A run's status, lease and steps, without its tool calls and artifacts:
/// all a claim, a lease's step or a hook needs.
pub(crate) fn load_status(index: &Index, ws: &Workspace, id: &str) -> Result<Run> {
    fold::fold(id, &stream_events(index, ws, "run", id)?).ok_or_else(|| not_found(id))
}

pub fn load(ws: &Workspace, id: &str) -> Result<Run> {
    if !ws.store.exists() {
        return Err(not_found(id));
    }
    load_with(&Index::open(&ws.store)?, ws, id)
}

/// What `run create` asks.
#[derive(Debug, Clone, Default)]
pub struct NewRun {
    pub title: String,
    pub kind: Option<String>,
    pub input: Option<Value>,
    pub correlation_id: Option<String>,
    pub for_participant: Option<String>,
}

/// `codexa run create`: a queued run.
pub fn create(ws: &Workspace, speaker: &Speaker, new: NewRun) -> Result<Run> {
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Error::user("a run needs a title")
            .hint("say what the work is: `--title \"rebuild the index\"`"));
    }
    let kind = new.kind.as_deref().unwrap_or("default");
    if !crate::store::event::valid_name(kind) {
        return Err(Error::user(format!("`{kind}` is not a kind of work"))
            .hint("use lowercase words joined by `.`, `_` or `-`, e.g. `review`"));
    }
    if let Some(c) = &new.correlation_id
        && c.trim().is_empty()
    {
        return Err(Error::user("`--correlation-id` is empty").hint("give an id, or leave it out"));
    }
    let now = clock::now_ms();
    let (report, id) = ws.append_planned(|index| {
        // Ids are random; under a test seed they are derived, so two runs
        // made in one millisecond with one title take the next free one.
        let mut n = 0u32;
        let id = loop {
            let id = clock::prefixed_id("run", now, &format!("run:{title}:{n}"));
            if index
                .query(
                    &Filter {
                        stream_type: Some("run".into()),
                        stream_id: Some(id.clone()),
                        ..Filter::default()
                    },
                    Some(1),
                    false,
                )?
                .is_empty()
            {
                break id;
            }
            n += 1;
        };
        let mut data = json!({ "title": title, "kind": kind });
        if let Some(input) = &new.input {
            data["input"] = input.clone();
        }
        if let Some(p) = &new.for_participant {
            data["for"] = json!(p);
        }
        let mut e = NewEvent::new("run.created", stream(&id), speaker.actor(), data);
        e.correlation_id = Some(new.correlation_id.clone().unwrap_or_else(|| id.clone()));
        Ok((vec![e], id))
    })?;
    debug_assert!(!report.results.is_empty());
    load(ws, &id)
}

/// Which runs `run list` shows.
#[derive(Debug, Clone, Default)]
pub struct Listing<'a> {
    pub status: Option<Status>,
    /// Every run, not only those still open.
    pub all: bool,
    /// Only runs for this participant or held by it.
    pub mine: Option<&'a str>,
}

/// The runs asked for, oldest first.
pub fn list(ws: &Workspace, which: &Listing) -> Result<Vec<Run>> {
    if !ws.store.exists() {
        return Ok(Vec::new());
    }
    let index = Index::open(&ws.store)?;
    let final_wanted = which.all || which.status.is_some_and(Status::is_final);
    let runs: Vec<Run> = if final_wanted {
        let mut events = Vec::new();
        for kind in ["run", WORK_STREAM] {
            events.extend(index.events(
                &ws.store.events_dir(),
                &Filter {
                    stream_type: Some(kind.into()),
                    ..Filter::default()
                },
                None,
                false,
            )?);
        }
        crate::store::event::by_stream(events)
            .into_iter()
            .filter_map(|(id, events)| fold::fold(&id, &events))
            .collect()
    } else {
        index
            .open_streams("run")?
            .iter()
            .map(|id| load_with(&index, ws, id))
            .collect::<Result<_>>()?
    };
    Ok(runs
        .into_iter()
        .filter(|r| which.status.is_none_or(|s| r.status == s))
        .filter(|r| which.mine.is_none_or(|me| is_mine(r, me)))
        .collect())
}

fn is_mine(run: &Run, me: &str) -> bool {
    run.for_participant.as_deref() == Some(me) || run.lease.as_ref().is_some_and(|l| l.worker == me)
}

/// What `run claim` asks.
#[derive(Debug, Clone, Default)]
pub struct ClaimRequest {
    /// This run; else the oldest claimable one.
    pub run: Option<String>,
    pub worker: Option<String>,
    pub ttl_ms: Option<i64>,
    /// Only runs of this kind.
    pub kind: Option<String>,
}

/// A claim that won: the run as it now stands, and the lease's token.
#[derive(Debug, Clone, Serialize)]
pub struct Claimed {
    pub run: Run,
    pub token: String,
    /// Leases this claim found expired and recorded on the way.
    pub expired: Vec<String>,
}

/// The shortest and longest lease a claim may ask for.
pub const TTL_RANGE_MS: (i64, i64) = (1_000, 86_400_000);

/// Who a claim is for. From under an agent, only the agent itself.
fn worker_of(speaker: &Speaker, asked: Option<&str>) -> Result<String> {
    match asked.map(str::trim) {
        None | Some("") => Ok(speaker.name.clone()),
        Some(w) if speaker.under.is_some() && w != speaker.name => Err(Error::blocked(format!(
            "{} may claim runs only for itself, not for `{w}`",
            speaker.name
        ))
        .hint("leave out `--worker`: the lease is yours")),
        Some(w) => Ok(w.to_string()),
    }
}

/// `codexa run claim`.
pub fn claim(ws: &Workspace, speaker: &Speaker, req: &ClaimRequest) -> Result<Claimed> {
    let worker = worker_of(speaker, req.worker.as_deref())?;
    if let Some(ttl) = req.ttl_ms
        && !(TTL_RANGE_MS.0..=TTL_RANGE_MS.1).contains(&ttl)
    {
        return Err(Error::user("`--ttl` must be between 1s and 24h")
            .hint("give a duration like 30s, 10m or 2h"));
    }
    let now = clock::now_ms();
    let store = &ws.store;
    let (report, outcome) = ws.append_planned(|index| {
        let mut events = Vec::new();
        let mut expired = Vec::new();
        let candidates = match &req.run {
            Some(id) => vec![id.clone()],
            None => index.open_streams("run")?,
        };
        let mut chosen = None;
        for id in &candidates {
            let run = load_status(index, ws, id)?;
            let fits = run.for_participant.as_deref().is_none_or(|p| p == worker)
                && req.kind.as_deref().is_none_or(|k| k == run.kind);
            let settled = lease::settle(&run, now, |w| lease::agent_evidence(store, w), &speaker.actor());
            let lapsed = settled.iter().any(|e| e.kind == "run.lease_expired");
            if lapsed {
                expired.push(run.id.clone());
            }
            events.extend(settled);
            let free = run.status == Status::Queued || lapsed;
            if free && fits {
                chosen = Some(run);
                break;
            }
            if req.run.is_some() {
                return Ok((events, Err(why_not_claimable(&run, &worker, req, now))));
            }
        }
        let Some(run) = chosen else {
            return Ok((
                events,
                Err(Error::conflict("nothing to claim: no queued run".to_string() + &match &req.kind {
                    Some(k) => format!(" of kind `{k}`"),
                    None => String::new(),
                } + &format!(" for {worker}"))
                .hint("create one with `codexa run create --title T`, or see them with `codexa run list`")),
            ));
        };
        let ttl = req.ttl_ms.unwrap_or_else(|| ws.config.runs.ttl_ms(&run.kind));
        let fence = run.last_fence + 1;
        let token = lease::new_token(&run.id, fence, now);
        events.push(event(
            &run,
            "run.claimed",
            speaker,
            json!({
                "worker": worker,
                "fence": fence,
                "token_sha256": lease::token_hash(&token),
                "ttl_ms": ttl,
                "expires_at": clock::format_ms(now + ttl),
            }),
        ));
        Ok((events, Ok((run.id, token, expired))))
    })?;
    drop(report);
    let (id, token, expired) = outcome?;
    Ok(Claimed {
        run: load(ws, &id)?,
        token,
        expired,
    })
}

fn why_not_claimable(run: &Run, worker: &str, req: &ClaimRequest, now: i64) -> Error {
    if let Some(p) = run.for_participant.as_deref().filter(|p| *p != worker) {
        return Error::conflict(format!("{} is for {p}, not for {worker}", run.id))
            .hint("claim without an id to take the oldest run meant for you");
    }
    if let Some(k) = req.kind.as_deref().filter(|k| *k != run.kind) {
        return Error::conflict(format!("{} is of kind `{}`, not `{k}`", run.id, run.kind));
    }
    match &run.lease {
        Some(l) if !run.lease_expired(now) => Error::conflict(format!(
            "{} is {}: held by {} (lease {}) until {}",
            run.id,
            run.status.as_str(),
            l.worker,
            l.fence,
            l.expires_at
        ))
        .hint("it becomes claimable when its lease runs out without a heartbeat"),
        Some(l) => Error::conflict(format!(
            "{} is {} and its lease ran out at {}, but {} is still at work (its hooks spoke recently); the lease was renewed",
            run.id,
            run.status.as_str(),
            l.expires_at,
            l.worker
        )),
        None => Error::conflict(format!(
            "{}: {}",
            run.id,
            fold::refusal(run.status, Action::Claim)
        )),
    }
}

/// What a token-holding worker does with its lease.
#[derive(Debug, Clone)]
pub enum Move {
    Heartbeat,
    Release,
    Start,
    Complete { output: Option<Value> },
    Fail { reason: String },
}

impl Move {
    fn action(&self) -> Action {
        match self {
            Move::Heartbeat => Action::Heartbeat,
            Move::Release => Action::Release,
            Move::Start => Action::Start,
            Move::Complete { .. } => Action::Complete,
            Move::Fail { .. } => Action::Fail,
        }
    }
}

/// `run heartbeat|release|start|complete|fail ID --token T`. A lease that
/// ran out is settled first (renewed from its agent's hooks, or recorded
/// as expired, which makes the token stale), so a worker that missed its
/// heartbeat learns it here and never completes a run taken from it.
pub fn act(ws: &Workspace, speaker: &Speaker, id: &str, token: &str, step: Move) -> Result<Run> {
    if let Move::Fail { reason } = &step
        && reason.trim().is_empty()
    {
        return Err(
            Error::user("a failure needs a reason").hint("say why: `--reason \"tests fail\"`")
        );
    }
    let now = clock::now_ms();
    let store = &ws.store;
    let (_, outcome) = ws.append_planned(|index| {
        let run = load_status(index, ws, id)?;
        let action = step.action();
        if !run.status.allows().contains(&action) {
            return Err(Error::conflict(format!("{}: {}", run.id, fold::refusal(run.status, action))));
        }
        let mut events = lease::settle(&run, now, |w| lease::agent_evidence(store, w), &speaker.actor());
        if events.iter().any(|e| e.kind == "run.lease_expired") {
            let l = run.lease.as_ref().expect("an expired lease was held");
            return Ok((
                events,
                Err(Error::conflict(format!(
                    "lease {} on {} ran out at {} without a heartbeat; the run is claimable again and your token is stale",
                    l.fence, run.id, l.expires_at
                ))
                .hint(format!("claim it again with `codexa run claim {}` if it is still yours to do", run.id))),
            ));
        }
        // From under an agent, only its own lease, whatever token it found.
        if let Some(l) = &run.lease
            && speaker.under.is_some()
            && l.worker != speaker.name
        {
            return Err(Error::blocked(format!(
                "{} holds no lease on {}: {} does",
                speaker.name, run.id, l.worker
            ))
            .hint("an agent works only on runs it claimed itself"));
        }
        lease::check(&run, token)?;
        let l = run.lease.as_ref().expect("check passed, so a lease is held");
        // The token's hash too: two clones that claimed one run between
        // syncs both hold a fence 1, and only the hash tells whose lease
        // an event was done under.
        let mut data = json!({ "fence": l.fence, "token_sha256": l.token_sha256 });
        match &step {
            Move::Heartbeat => data["expires_at"] = json!(clock::format_ms(now + l.ttl_ms)),
            Move::Release => data["worker"] = json!(l.worker),
            Move::Start => {}
            Move::Complete { output } => {
                if let Some(o) = output {
                    data["output"] = o.clone();
                }
            }
            Move::Fail { reason } => data["reason"] = json!(reason.trim()),
        }
        let kind = match action {
            Action::Heartbeat => "run.heartbeat",
            Action::Release => "run.released",
            Action::Start => "run.started",
            Action::Complete => "run.completed",
            _ => "run.failed",
        };
        events.push(event(&run, kind, speaker, data));
        Ok((events, Ok(())))
    })?;
    outcome?;
    load(ws, id)
}

/// `codexa run cancel`: a person, or the agent that made the run.
pub fn cancel(ws: &Workspace, speaker: &Speaker, id: &str, reason: Option<&str>) -> Result<Run> {
    ws.append_planned(|index| {
        let run = load_status(index, ws, id)?;
        if speaker.under.is_some() && run.created_by != speaker.actor().to_string() {
            return Err(Error::blocked(format!(
                "{} may cancel only runs it created; {} was created by {}",
                speaker.name, run.id, run.created_by
            ))
            .hint("ask a person to cancel it"));
        }
        if !run.status.allows().contains(&Action::Cancel) {
            return Err(Error::conflict(format!(
                "{}: {}",
                run.id,
                fold::refusal(run.status, Action::Cancel)
            )));
        }
        let mut data = json!({});
        if let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) {
            data["reason"] = json!(r);
        }
        Ok((vec![event(&run, "run.cancelled", speaker, data)], ()))
    })?;
    load(ws, id)
}

/// `codexa run expire`: settle every open run whose lease ran out
/// (renewed from its agent's hooks, or expired with an incident when it
/// was running). Returns what was recorded.
pub fn expire(ws: &Workspace, speaker: &Speaker) -> Result<Vec<Event>> {
    let now = clock::now_ms();
    let store = &ws.store;
    let (report, ()) = ws.append_planned(|index| {
        let mut events = Vec::new();
        for id in index.open_streams("run")? {
            let run = load_status(index, ws, &id)?;
            events.extend(lease::settle(
                &run,
                now,
                |w| lease::agent_evidence(store, w),
                &speaker.actor(),
            ));
        }
        Ok((events, ()))
    })?;
    Ok(report
        .results
        .into_iter()
        .filter(|a| a.new)
        .map(|a| a.event)
        .collect())
}

/// From under an agent, only work on a run it holds, made, or is meant
/// for: its records are its own.
fn vouch_for_work(run: &Run, speaker: &Speaker) -> Result<()> {
    let me = speaker.actor().to_string();
    if speaker.under.is_none() || run.created_by == me || is_mine(run, &speaker.name) {
        return Ok(());
    }
    Err(Error::blocked(format!(
        "{} may record work only on runs it holds, made, or is meant for; {} is not one",
        speaker.name, run.id
    ))
    .hint("claim the run first, or record on your own run"))
}

/// Refuse adding to a run that has ended.
fn open_for_work(run: &Run, what: &str) -> Result<()> {
    if run.status.is_final() {
        return Err(Error::conflict(format!(
            "{} is {}: {what} can no longer be added",
            run.id,
            run.status.as_str()
        )));
    }
    Ok(())
}

/// `codexa run step add ID --name N`.
pub fn add_step(ws: &Workspace, speaker: &Speaker, id: &str, name: &str) -> Result<Step> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::user("a step needs a name").hint("say what it does: `--name build`"));
    }
    let (report, ()) = ws.append_planned(|index| {
        let run = load_status(index, ws, id)?;
        vouch_for_work(&run, speaker)?;
        open_for_work(&run, "steps")?;
        Ok((
            vec![event(
                &run,
                "run.step_added",
                speaker,
                json!({ "name": name }),
            )],
            (),
        ))
    })?;
    let made = report
        .results
        .first()
        .ok_or_else(|| Error::internal("adding a step appended nothing"))?;
    let step_id = fold::child_id("step", &made.event.id);
    load(ws, id)?
        .step(&step_id)
        .cloned()
        .ok_or_else(|| Error::internal(format!("step {step_id} is not in its run after adding it")))
}

/// The run a step, tool call or artifact belongs to, by its id.
pub(crate) fn run_of_child(index: &Index, ws: &Workspace, child: &str, what: &str) -> Result<Run> {
    let missing = || {
        Error::not_found(format!("no {what} `{child}`")).hint(
            "`codexa inspect run ID` shows a run's steps, tool calls and artifacts with their ids",
        )
    };
    let event_id = fold::event_of_child(child).ok_or_else(missing)?;
    let made = index
        .event_by_id(&ws.store.events_dir(), &event_id)?
        .filter(|e| e.stream.kind == "run" || e.stream.kind == WORK_STREAM)
        .ok_or_else(missing)?;
    load_status(index, ws, &made.stream.id)
}

/// The event that made a step, tool call or artifact, by its id.
pub(crate) fn event_of(index: &Index, ws: &Workspace, child: &str) -> Result<Option<Event>> {
    match fold::event_of_child(child) {
        Some(id) => index.event_by_id(&ws.store.events_dir(), &id),
        None => Ok(None),
    }
}
