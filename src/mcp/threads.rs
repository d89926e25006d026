//! The thread tools: the MCP face of `codexa thread list|new|show`, `post`,
//! `read`, `inbox` and `ack`. Each tool is one method that calls the same
//! `domain::threads` function as its CLI command and answers with the JSON
//! that command prints under `--format json`.
//!
//! Input structs refuse unknown fields, so a misspelt argument is an error
//! the agent sees instead of a silently ignored option.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Reply, Server};
use crate::domain::threads::{self, Post, PostOutcome, Selection};
use crate::error::Error;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadListArgs {
    /// Only threads in this room.
    #[serde(default)]
    pub room: Option<String>,
    /// Only threads the speaker takes part in.
    #[serde(default)]
    pub mine: bool,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadCreateArgs {
    /// What the thread is about.
    pub title: String,
    /// Who takes part: participant names (the speaker is always added).
    pub participants: Vec<String>,
    /// The room that groups related threads (default: general).
    #[serde(default)]
    pub room: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadShowArgs {
    /// The thread id (`th_…`).
    pub thread: String,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostArgs {
    /// The thread id (`th_…`).
    pub thread: String,
    /// The message, in markdown. Secrets in it are masked before it is logged.
    pub body: String,
    /// The id (`msg_…`) of the message this one answers.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Participants whose attention this message calls.
    #[serde(default)]
    pub mentions: Vec<String>,
    /// A retry with the same key returns the first message and posts nothing.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// Wake the thread's other participants who have it unread.
    #[serde(default)]
    pub wake: bool,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerArgs {
    /// The participant to wake (omit with `thread` to wake everyone there with unread messages).
    #[serde(default)]
    pub participant: Option<String>,
    /// The prompt to give (default: what is unread for them, in `thread` or their inbox).
    #[serde(default)]
    pub prompt: Option<String>,
    /// The thread the wake is about.
    #[serde(default)]
    pub thread: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

/// One wake requested: the job, delivered by a worker of its own, or the
/// refusal.
fn wake_reply(
    woken: Vec<(
        String,
        Result<crate::trigger::Job, crate::domain::governance::Blocked>,
    )>,
) -> serde_json::Value {
    let rows: Vec<_> = woken
        .into_iter()
        .map(|(name, r)| match r {
            Ok(job) => json!({"participant": name, "outcome": "requested", "job": job.id}),
            Err(b) => json!({"participant": name, "outcome": "blocked", "reason_code": b.reason_code, "message": b.message}),
        })
        .collect();
    json!(rows)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadArgs {
    /// The thread id (`th_…`).
    pub thread: String,
    /// Do not mark anything read.
    #[serde(default)]
    pub peek: bool,
    /// Every message, read or not (excludes `since`).
    #[serde(default)]
    pub all: bool,
    /// Only messages numbered above this number.
    #[serde(default)]
    pub since: Option<u64>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InboxArgs {
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AckArgs {
    /// The message id (`msg_…`).
    pub message: String,
    /// What was done, for the record.
    #[serde(default)]
    pub note: Option<String>,
    /// Speak as this participant (default: the server's $CODEXA_AGENT, else the git user).
    #[serde(default, rename = "as")]
    pub speaker: Option<String>,
}

/// `post`'s refusal: `{"outcome": "blocked", action, participant,
/// reason_code, message, clears_at?, hint}`.
#[derive(Serialize)]
struct BlockedReply<'a> {
    #[serde(flatten)]
    outcome: &'a PostOutcome,
    hint: &'static str,
}

#[tool_router(router = thread_tools, vis = "pub(crate)")]
impl Server {
    /// List threads, oldest first: id, title, room, status, participants, message count.
    #[tool]
    async fn thread_list(&self, Parameters(a): Parameters<ThreadListArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let member = a.mine.then_some(who.name.as_str());
            let list = threads::list(ws, a.room.as_deref(), member)?;
            let rows: Vec<_> = list.iter().map(|t| t.summary()).collect();
            Reply::ok(&rows)
        })
        .await
    }

    /// Start a thread with participants; the speaker is always one. Answers the thread.
    #[tool]
    async fn thread_create(&self, Parameters(a): Parameters<ThreadCreateArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let thread = threads::create(ws, who, &a.title, &a.participants, a.room.as_deref())?;
            Reply::ok(&thread)
        })
        .await
    }

    /// A thread and all its messages, without marking anything read.
    #[tool]
    async fn thread_show(&self, Parameters(a): Parameters<ThreadShowArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, _who| {
            Reply::ok(&threads::load(ws, &a.thread)?)
        })
        .await
    }

    /// Post a message to a thread. Answers {outcome: "posted", message, new}; a
    /// governance guard's refusal is an error {outcome: "blocked", reason_code, message}.
    #[tool]
    async fn post(&self, Parameters(a): Parameters<PostArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            crate::store::event::refuse_reserved_key(a.idempotency_key.as_deref())?;
            let outcome = threads::post(
                ws,
                who,
                &a.thread,
                Post {
                    body: &a.body,
                    reply_to: a.reply_to.as_deref(),
                    mentions: &a.mentions,
                    idempotency_key: a.idempotency_key.as_deref(),
                },
            )?;
            match &outcome {
                PostOutcome::Posted { message, .. } if a.wake => {
                    let woken = crate::trigger::wake_thread(ws, who, &message.thread)?;
                    let mut v = serde_json::to_value(&outcome).unwrap_or_default();
                    v["woken"] = wake_reply(woken);
                    Reply::ok(&v)
                }
                PostOutcome::Posted { .. } => Reply::ok(&outcome),
                // The CLI's shape plus the hint, which the CLI prints on
                // stderr where an agent would never see it.
                PostOutcome::Blocked(b) => Reply::refused(&BlockedReply {
                    outcome: &outcome,
                    hint: b.hint(),
                }),
            }
        })
        .await
    }

    /// Wake an agent: its prompt is delivered to its pane (or handed over at
    /// its next Stop, or through its resume command) by a worker of its own,
    /// after the gate allowed it. Answers [{participant, outcome:
    /// "requested", job} or {participant, outcome: "blocked", reason_code,
    /// message}]; follow a job with `codexa trigger show JOB`.
    #[tool]
    async fn trigger(&self, Parameters(a): Parameters<TriggerArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let Some(target) = a.participant else {
                let Some(th) = a.thread.as_deref() else {
                    return Err(Error::user(
                        "say whom to wake: `participant`, or `thread` for everyone there",
                    ));
                };
                return Reply::ok(&wake_reply(crate::trigger::wake_thread(ws, who, th)?));
            };
            let prompt = match (a.prompt, a.thread.as_deref()) {
                (Some(p), _) => p,
                (None, Some(th)) => crate::trigger::thread_prompt(ws, &target, th)?,
                (None, None) => crate::trigger::inbox_prompt(ws, &target)?,
            };
            let wake = crate::trigger::Wake {
                target: &target,
                prompt: &prompt,
                thread: a.thread.as_deref(),
            };
            let requested = crate::trigger::request(ws, who, &wake)?;
            if let Ok(job) = &requested {
                crate::trigger::jobs::start_worker(&ws.store.workdir, &job.id)?;
            }
            Reply::ok(&wake_reply(vec![(target.clone(), requested)]))
        })
        .await
    }

    /// The messages of a thread you have not read, marked read (unless peek);
    /// `all` for every message, `since` for those numbered above N.
    #[tool]
    async fn read(&self, Parameters(a): Parameters<ReadArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            let selection = match (a.all, a.since) {
                (true, Some(_)) => {
                    return Err(Error::user("`all` and `since` exclude each other")
                        .hint("pass one of them, or neither for the unread messages"));
                }
                (true, None) => Selection::All,
                (false, Some(n)) => Selection::After(n),
                (false, None) => Selection::Unread,
            };
            let peek = a.peek;
            let messages = threads::read(ws, who, &a.thread, selection, peek)?;
            Reply::ok(&json!({
                "thread": a.thread,
                "reader": who.name,
                "marked_read": !peek,
                "messages": messages,
            }))
        })
        .await
    }

    /// Threads with messages you have not read (those you take part in, and
    /// any that mention you), mentions first, then the newest.
    #[tool]
    async fn inbox(&self, Parameters(a): Parameters<InboxArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            Reply::ok(&threads::inbox(ws, who)?)
        })
        .await
    }

    /// Record that you acted on a message; answers the message with its acks.
    #[tool]
    async fn ack(&self, Parameters(a): Parameters<AckArgs>) -> CallToolResult {
        self.call(a.speaker, move |ws, who| {
            Reply::ok(&threads::ack(ws, who, &a.message, a.note.as_deref())?)
        })
        .await
    }
}
