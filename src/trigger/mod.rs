//! Waking an agent: `codexa trigger`. A job goes governance → runtime
//! lookup → collision policy → delivery → confirmation → fallback, and
//! every step is an event on the stream `trigger:<job>`:
//! `trigger.requested`, `trigger.deferred` (each new reason to wait),
//! `trigger.attempted` (`method`), then `trigger.delivered` (`confirmed_by`)
//! or `trigger.failed` (`reason_code`).
//!
//! Delivery, best first: the hand-off at a mid-turn Claude session's next
//! Stop (`handoff`), typing into the idle pane (`typing`), and the
//! provider's resume command (`resume`). A job's file under
//! `<store>/cache/trigger/jobs/` carries what the events cannot (the
//! prompt as typed, unredacted) and is locked by the process running the
//! job, so `trigger drain` finishes jobs that no live process owns and two
//! drains never deliver one job twice.

pub mod collision;
pub mod evidence;
pub mod handoff;
pub mod jobs;
pub mod resume;
mod run;
pub(crate) use run::pane_alive;
pub mod typing;

pub use jobs::{Job, JobState};
pub use run::{Outcome, run};

use serde_json::json;

use crate::domain::governance::{self, Blocked};
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::store::{NewEvent, StreamRef};
use crate::workspace::Workspace;

/// The stream of a job's events.
pub fn stream(job: &str) -> StreamRef {
    StreamRef {
        kind: "trigger".into(),
        id: job.to_string(),
    }
}

/// What to wake whom with.
#[derive(Debug, Clone)]
pub struct Wake<'a> {
    pub target: &'a str,
    pub prompt: &'a str,
    pub thread: Option<&'a str>,
}

/// Check `who` may wake `wake.target` and record the job: the governance
/// refusal (recorded as `governance.blocked` on the job's stream) or the
/// job, with `trigger.requested` in the log and its file in the cache.
pub fn request(
    ws: &Workspace,
    who: &Speaker,
    wake: &Wake,
) -> Result<std::result::Result<Job, Blocked>> {
    check_prompt(wake.prompt)?;
    let now = crate::clock::now_ms();
    let id = crate::clock::prefixed_id("trg", now, &format!("{}:{}", who.name, wake.target));
    let target = crate::domain::identity::participant(&ws.config, wake.target)
        .unwrap_or_else(|| Speaker::agent(wake.target, None));
    if let Some(blocked) = check(ws, who, &target, wake)? {
        ws.append(vec![blocked.event(who, stream(&id))])?;
        return Ok(Err(blocked));
    }
    let job = Job {
        id: id.clone(),
        target: wake.target.to_string(),
        prompt: wake.prompt.to_string(),
        thread: wake.thread.map(str::to_string),
        requested_by: who.name.clone(),
        requested_by_agent: who.is_agent(),
        requested_ms: now,
        state: JobState::Pending,
        mark: None,
    };
    jobs::save(&ws.store, &job)?;
    let mut data = json!({
        "target": wake.target,
        "requested_by": who.name,
        "prompt": wake.prompt,
    });
    if let Some(th) = wake.thread {
        data["thread"] = json!(th);
    }
    ws.append(vec![NewEvent::new(
        "trigger.requested",
        stream(&id),
        who.actor(),
        data,
    )])?;
    Ok(Ok(job))
}

/// A prompt is text for the agent to read, typed as keys: control
/// characters would be keys of their own (Escape ends a bracketed paste,
/// a carriage return submits early), and a leading `!`, `/` or `#` is an
/// agent's own command (a shell command run without its hooks, a slash
/// command, a memory), not a prompt.
pub fn check_prompt(prompt: &str) -> Result<()> {
    if prompt.trim().is_empty() {
        return Err(Error::user("the prompt is empty").hint("give the agent something to do"));
    }
    if let Some(c) = prompt
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        return Err(Error::user(format!(
            "the prompt holds the control character U+{:04X}: it would reach the agent as a key, not as text",
            c as u32
        ))
        .hint("remove control characters (newlines and tabs are fine)"));
    }
    if let Some(first) = prompt.trim_start().chars().next()
        && matches!(first, '!' | '/' | '#')
    {
        return Err(Error::user(format!(
            "the prompt starts with `{first}`, which the agent takes as a command of its own, not as a prompt"
        ))
        .hint("start the prompt with a word"));
    }
    Ok(())
}

/// Authority (`wake`), the loop guard of the thread the wake is about,
/// the rate guard on wakes, then the policy's `trigger.wake`.
fn check(ws: &Workspace, who: &Speaker, target: &Speaker, wake: &Wake) -> Result<Option<Blocked>> {
    let blocked = |reason_code: &str, message: String| {
        governance::refusal("wake", who, reason_code, message, None)
    };
    let (allowed, why) = governance::authority(
        &ws.config.governance,
        "wake",
        &who.labels(),
        &target.labels(),
    );
    if !allowed {
        return Ok(Some(blocked(
            "authority_denied",
            format!(
                "{} may not wake {} ({})",
                who.name,
                target.name,
                why.unwrap_or_else(|| "governance.authority.default is deny".into())
            ),
        )));
    }
    let index = crate::store::index::Index::open(&ws.store)?;
    let now = crate::clock::now_ms();
    if let Some(b) = governance::check_wake(
        &ws.config.governance,
        &index,
        &ws.store.events_dir(),
        who,
        wake.thread,
        now,
    )? {
        return Ok(Some(b));
    }
    let q = crate::domain::gate::Question {
        action: "trigger.wake",
        subject: Some(wake.target),
        zone: None,
    };
    let decision = crate::domain::gate::judge(ws, who, q)?.decision;
    use crate::domain::policy::Verdict;
    match decision.decision {
        Verdict::Allow => Ok(None),
        v => Ok(Some(blocked(
            &decision.reason_code,
            format!(
                "the policy answers {} to trigger.wake of {}{}",
                v.as_str(),
                wake.target,
                decision
                    .rule
                    .map(|r| format!(" (rule {r})"))
                    .unwrap_or_default()
            ),
        ))),
    }
}

/// A prompt from a thread: how many messages wait there for `target`,
/// from whom, and how to read and answer them (`templates/wake.md.j2`).
pub fn thread_prompt(ws: &Workspace, target: &str, thread: &str) -> Result<String> {
    let t = crate::domain::threads::load(ws, thread)?;
    let unread = t.unread_for(target);
    if unread.is_empty() {
        return Err(
            Error::user(format!("{target} has nothing unread in {thread}"))
                .hint("wake them with --prompt TEXT instead"),
        );
    }
    let mut from: Vec<String> = unread.iter().map(|m| m.author.clone()).collect();
    from.dedup();
    render_prompt(
        ws,
        &json!({"count": unread.len(), "thread": thread, "title": t.title, "from": from}),
    )
}

/// A prompt from `target`'s inbox: how many messages wait, in which
/// threads.
pub fn inbox_prompt(ws: &Workspace, target: &str) -> Result<String> {
    let speaker = crate::domain::identity::participant(&ws.config, target)
        .unwrap_or_else(|| Speaker::agent(target, None));
    let rows = crate::domain::threads::inbox(ws, &speaker)?;
    let count: usize = rows.iter().map(|r| r.unread).sum();
    if count == 0 {
        return Err(Error::user(format!("{target} has nothing unread"))
            .hint("wake them with --prompt TEXT, or post to a thread of theirs first"));
    }
    let threads: Vec<&str> = rows.iter().map(|r| r.thread.as_str()).collect();
    render_prompt(
        ws,
        &json!({"count": count, "thread": null, "threads": threads}),
    )
}

fn render_prompt(ws: &Workspace, context: &serde_json::Value) -> Result<String> {
    let text = crate::templates::render(&ws.store.workdir, "wake.md.j2", context)?;
    // One line: the prompt is typed, and a newline would send it early.
    Ok(text.trim().replace(['\n', '\r'], " "))
}

/// The participants of `thread` other than `who` with messages there they
/// have not read: whom `post --wake` and `wake everyone on TH` wake.
pub fn unread_on(ws: &Workspace, who: &Speaker, thread: &str) -> Result<Vec<String>> {
    let t = crate::domain::threads::load(ws, thread)?;
    Ok(t.participants
        .iter()
        .filter(|p| **p != who.name && !t.unread_for(p).is_empty())
        .cloned()
        .collect())
}

/// Request a wake for each participant of `thread` with unread messages
/// there, each delivered by a worker of its own: the job or the refusal,
/// by participant.
pub fn wake_thread(
    ws: &Workspace,
    who: &Speaker,
    thread: &str,
) -> Result<Vec<(String, std::result::Result<Job, Blocked>)>> {
    let mut out = Vec::new();
    for target in unread_on(ws, who, thread)? {
        let prompt = thread_prompt(ws, &target, thread)?;
        let wake = Wake {
            target: &target,
            prompt: &prompt,
            thread: Some(thread),
        };
        let requested = request(ws, who, &wake)?;
        if let Ok(job) = &requested {
            jobs::start_worker(&ws.store.workdir, &job.id)?;
        }
        out.push((target, requested));
    }
    Ok(out)
}
