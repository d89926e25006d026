//! Threads and messages between agents and people.
//!
//! Everything is an event on the thread's stream (`thread:th_…`):
//! `thread.created`, `thread.closed`, `message.posted`, `message.read`,
//! `message.acked`, `governance.blocked`. A thread is the fold of its
//! stream, read through the index, so its cost is the thread's size, not the
//! log's.
//!
//! - **Message ids** are the event's: `msg_X` is the message posted by event
//!   `evt_X`, so a message is found by id in one index lookup, and an
//!   idempotent retry returns the same id.
//! - **Numbers** 1, 2, 3… are positions in thread order, `(ts, id)`. Within
//!   a clone that order is the order of appends; a `sync` can bring a
//!   message from another clone with an earlier time, which renumbers the
//!   ones after it — refer to messages by id where it must stay stable.
//! - **Read cursors** are `message.read` events listing the ids a
//!   participant was shown, appended to the reader's own clone's chain: no
//!   file is ever written by two clones, and a message that arrives late by
//!   `sync` is still unread, which a "read up to number N" cursor would get
//!   wrong.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Value, json};

mod inbox;
mod reading;
#[cfg(test)]
mod test_support;

pub use inbox::{InboxRow, inbox};

use crate::domain::governance::{self, Blocked};
use crate::domain::identity::{self, Speaker};
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::store::{Event, NewEvent, StreamRef};
use crate::workspace::Workspace;

pub const DEFAULT_ROOM: &str = "general";

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: String,
    pub number: u64,
    pub thread: String,
    pub author: String,
    /// `agent` or `user`.
    pub author_kind: String,
    pub body: String,
    pub reply_to: Option<String>,
    pub mentions: Vec<String>,
    pub ts: String,
    /// Who recorded acting on it.
    pub acked_by: Vec<String>,
    /// What the redaction filter masked in it, if anything.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub redactions: Vec<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Thread {
    pub id: String,
    pub title: String,
    pub room: String,
    pub participants: Vec<String>,
    pub created_by: String,
    pub created_at: String,
    /// `open` or `closed`.
    pub status: String,
    pub closed_at: Option<String>,
    pub messages: Vec<Message>,
    /// participant → ids of messages shown to them.
    #[serde(skip)]
    reads: HashMap<String, HashSet<String>>,
}

/// A thread without its messages: one row of `thread list --format json`
/// and of the MCP `thread_list` tool.
#[derive(Debug, Clone, Serialize)]
pub struct Summary<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub room: &'a str,
    pub status: &'a str,
    pub participants: &'a [String],
    pub messages: usize,
    pub created_at: &'a str,
}

impl Thread {
    pub fn summary(&self) -> Summary<'_> {
        Summary {
            id: &self.id,
            title: &self.title,
            room: &self.room,
            status: &self.status,
            participants: &self.participants,
            messages: self.messages.len(),
            created_at: &self.created_at,
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == "open"
    }

    /// Messages `who` has not been shown (their own count as read).
    pub fn unread_for(&self, who: &str) -> Vec<&Message> {
        let seen = self.reads.get(who);
        self.messages
            .iter()
            .filter(|m| m.author != who && !seen.is_some_and(|s| s.contains(&m.id)))
            .collect()
    }

    pub fn message(&self, id: &str) -> Option<&Message> {
        self.messages.iter().find(|m| m.id == id)
    }
}

/// `msg_X` for event `evt_X`, and back.
pub fn message_id(event_id: &str) -> String {
    format!("msg_{}", event_id.trim_start_matches("evt_"))
}

fn event_id(message_id: &str) -> Option<String> {
    message_id.strip_prefix("msg_").map(|u| format!("evt_{u}"))
}

fn thread_stream(id: &str) -> StreamRef {
    StreamRef {
        kind: "thread".into(),
        id: id.to_string(),
    }
}

/// A participant or mention name: what `agents:` keys allow.
pub(crate) fn check_name(name: &str, what: &str) -> Result<()> {
    let noun = if what == "room" {
        "room name"
    } else {
        "participant name"
    };
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(
            Error::user(format!("{what} `{name}` is not a valid {noun}"))
                .hint("names are letters, digits, `_`, `.` and `-`, e.g. worker-a"),
        )
    }
}

fn read_events(index: &Index, ws: &Workspace, filter: &Filter) -> Result<Vec<Event>> {
    index.events(&ws.store.events_dir(), filter, None, false)
}

/// The message a `message.posted` event carries.
fn message_of(thread_id: &str, e: &Event, number: u64) -> Message {
    Message {
        id: message_id(&e.id),
        number,
        thread: thread_id.to_string(),
        author: e.actor.id.clone(),
        author_kind: e.actor.kind.clone(),
        body: e.data["body"].as_str().unwrap_or_default().to_string(),
        reply_to: e.data["reply_to"].as_str().map(str::to_string),
        mentions: strings(&e.data["mentions"]),
        ts: e.ts.clone(),
        acked_by: Vec::new(),
        redactions: e
            .provenance
            .as_ref()
            .and_then(|p| p.get("redactions"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
    }
}

/// Fold a thread's events (in `(ts, id)` order) into its state.
fn fold(id: &str, events: &[Event]) -> Option<Thread> {
    let created = events.iter().find(|e| e.kind == "thread.created")?;
    let mut thread = Thread {
        id: id.to_string(),
        title: created.data["title"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        room: created.data["room"]
            .as_str()
            .unwrap_or(DEFAULT_ROOM)
            .to_string(),
        participants: strings(&created.data["participants"]),
        created_by: created.actor.id.clone(),
        created_at: created.ts.clone(),
        status: "open".into(),
        closed_at: None,
        messages: Vec::new(),
        reads: HashMap::new(),
    };
    for e in events {
        match e.kind.as_str() {
            "thread.closed" => {
                thread.status = "closed".into();
                thread.closed_at = Some(e.ts.clone());
            }
            "message.posted" => {
                let number = thread.messages.len() as u64 + 1;
                thread.messages.push(message_of(id, e, number));
            }
            "message.read" => {
                let who = e.data["participant"].as_str().unwrap_or(&e.actor.id);
                thread
                    .reads
                    .entry(who.to_string())
                    .or_default()
                    .extend(strings(&e.data["messages"]));
            }
            _ => {}
        }
    }
    for (msg, who) in acks(events) {
        if let Some(m) = thread.messages.iter_mut().find(|m| m.id == msg)
            && !m.acked_by.iter().any(|a| *a == who)
        {
            m.acked_by.push(who.to_string());
        }
    }
    Some(thread)
}

/// `(message, participant)` of each acknowledgement among `events`, in
/// order.
fn acks(events: &[Event]) -> Vec<(&str, &str)> {
    events
        .iter()
        .filter(|e| e.kind == "message.acked")
        .filter_map(|e| Some((e.data["message"].as_str()?, e.data["participant"].as_str()?)))
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn load_with(index: &Index, ws: &Workspace, id: &str) -> Result<Option<Thread>> {
    let events = read_events(
        index,
        ws,
        &Filter {
            stream_type: Some("thread".into()),
            stream_id: Some(id.to_string()),
            ..Filter::default()
        },
    )?;
    Ok(fold(id, &events))
}

/// Thread → ids of the messages `who` was shown (in `thread`, or in every
/// thread), from their own `message.read` events: a cursor counts for the
/// participant who recorded it, and codexa records one only as the reader.
fn shown_to(
    index: &Index,
    ws: &Workspace,
    who: &str,
    thread: Option<&str>,
) -> Result<HashMap<String, HashSet<String>>> {
    let filter = Filter {
        kind: Some("message.read".into()),
        stream_type: Some("thread".into()),
        stream_id: thread.map(str::to_string),
        actor_id: Some(who.into()),
        ..Filter::default()
    };
    let mut out: HashMap<String, HashSet<String>> = HashMap::new();
    for e in read_events(index, ws, &filter)? {
        if e.data["participant"].as_str().unwrap_or(&e.actor.id) == who {
            out.entry(e.stream.id)
                .or_default()
                .extend(strings(&e.data["messages"]));
        }
    }
    Ok(out)
}

/// The thread's events of `kind` (exact, or `prefix.*`).
fn of_kind(id: &str, kind: &str) -> Filter {
    Filter {
        kind: Some(kind.to_string()),
        stream_type: Some("thread".into()),
        stream_id: Some(id.to_string()),
        ..Filter::default()
    }
}

/// The thread without read cursors and acks: its `thread.*` events and,
/// with `messages`, its messages; index lookups that skip the
/// `message.read` events which grow with every reader.
fn load_posts_with(
    index: &Index,
    ws: &Workspace,
    id: &str,
    messages: bool,
) -> Result<Option<Thread>> {
    let mut events = read_events(index, ws, &of_kind(id, "thread.*"))?;
    if messages {
        events.extend(read_events(index, ws, &of_kind(id, "message.posted"))?);
    }
    Ok(fold(id, &events))
}

/// What `post` saw of the thread's messages under the lock, to number the
/// new one without reading the thread again.
enum Before {
    /// `count` messages, every one dated before `at` (the common case: the
    /// new message, dated at or after `at`, follows them all). Counted in
    /// the index, no message read.
    Counted { count: u64, at: i64 },
    /// The messages themselves: a reply (its target is checked), or a
    /// thread holding a message dated at or after now (a clock elsewhere
    /// ahead of this one).
    Loaded(Vec<Message>),
}

fn not_found(id: &str) -> Error {
    Error::not_found(format!("no thread `{id}`")).hint("list threads with `codexa thread list`")
}

/// One thread by id, or a not-found error with a hint.
pub fn load(ws: &Workspace, id: &str) -> Result<Thread> {
    if !ws.store.exists() {
        return Err(not_found(id));
    }
    let index = Index::open(&ws.store)?;
    load_with(&index, ws, id)?.ok_or_else(|| not_found(id))
}

/// Every thread, oldest first, optionally in one room or with one member.
pub fn list(ws: &Workspace, room: Option<&str>, member: Option<&str>) -> Result<Vec<Thread>> {
    if !ws.store.exists() {
        return Ok(Vec::new());
    }
    let index = Index::open(&ws.store)?;
    let created = read_events(
        &index,
        ws,
        &Filter {
            kind: Some("thread.created".into()),
            ..Filter::default()
        },
    )?;
    let mut out = Vec::new();
    for e in created {
        if room.is_some_and(|r| e.data["room"].as_str().unwrap_or(DEFAULT_ROOM) != r) {
            continue;
        }
        if let Some(t) = load_with(&index, ws, &e.stream.id)?
            && member.is_none_or(|m| t.participants.iter().any(|p| p == m))
        {
            out.push(t);
        }
    }
    Ok(out)
}

/// `codexa thread new`.
pub fn create(
    ws: &Workspace,
    speaker: &Speaker,
    title: &str,
    participants: &[String],
    room: Option<&str>,
) -> Result<Thread> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::user("a thread needs a title")
            .hint("codexa thread new \"Rate limiting for /api\" --participants lead,worker-a"));
    }
    let room = room.unwrap_or(DEFAULT_ROOM);
    check_name(room, "room")?;
    let mut members: Vec<String> = Vec::new();
    for p in participants
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        check_name(p, "participant")?;
        if !members.iter().any(|m| m == p) {
            members.push(p.to_string());
        }
    }
    if !members.contains(&speaker.name) {
        members.insert(0, speaker.name.clone());
    }
    let id = crate::clock::prefixed_id(
        "th",
        crate::clock::now_ms(),
        &format!("thread:{}:{title}:{}", speaker.name, crate::clock::now_ms()),
    );
    // Starting a thread addresses its participants: an authority rule that
    // denies posting to one of them denies starting a thread with them too,
    // or a new thread would be a way around it. (The default decision is
    // about posting to threads one is not in, so it does not apply here:
    // the starter is in the thread.)
    let from = speaker.labels();
    for p in members.iter().filter(|p| **p != speaker.name) {
        let (allowed, why) =
            governance::authority(&ws.config.governance, "post", &from, &labels_of(ws, p));
        if !allowed && why.is_some() {
            let blocked = Blocked {
                action: "thread.create".into(),
                participant: speaker.name.clone(),
                reason_code: "authority_denied".into(),
                message: format!(
                    "{} may not start a thread with {p} ({})",
                    speaker.name,
                    why.unwrap_or_else(|| "governance.authority.default is deny".into())
                ),
                clears_at: None,
            };
            ws.append(vec![blocked.event(speaker, thread_stream(&id))])?;
            return Err(blocked.to_error());
        }
    }
    let event = NewEvent::new(
        "thread.created",
        thread_stream(&id),
        speaker.actor(),
        json!({ "title": title, "room": room, "participants": members }),
    );
    ws.append(vec![event])?;
    load(ws, &id)
}

/// What authority rules match a participant on: its name, `role:<role>`
/// from config, and `user:<name>` for people (and for names config does
/// not list, which are people's git names).
fn labels_of(ws: &Workspace, name: &str) -> Vec<String> {
    identity::participant(&ws.config, name)
        .map(|s| s.labels())
        .unwrap_or_else(|| vec![name.to_string(), format!("user:{name}")])
}

/// `codexa thread close`.
pub fn close(ws: &Workspace, speaker: &Speaker, id: &str) -> Result<Thread> {
    let thread = load(ws, id)?;
    if speaker.is_agent() && !thread.participants.contains(&speaker.name) {
        return Err(Error::user(format!(
            "{} is not in thread {id} and may not close it",
            speaker.name
        ))
        .hint("a participant or a person closes a thread"));
    }
    if thread.is_open() {
        ws.append(vec![NewEvent::new(
            "thread.closed",
            thread_stream(id),
            speaker.actor(),
            json!({ "by": speaker.name }),
        )])?;
    }
    load(ws, id)
}

/// What `post` did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PostOutcome {
    Posted {
        message: Message,
        /// False when an earlier post with the same idempotency key answered.
        new: bool,
    },
    Blocked(Blocked),
}

/// What a post says.
pub struct Post<'a> {
    pub body: &'a str,
    pub reply_to: Option<&'a str>,
    pub mentions: &'a [String],
    pub idempotency_key: Option<&'a str>,
}

/// `codexa post`: check, redact, guard, append; the message with its number.
///
/// The thread is read once, under the store lock inside the guard, where
/// the checks (it exists, is open, the reply target is in it) and the
/// governance guards see the same fresh state, and once after the append
/// for the message's number.
pub fn post(ws: &Workspace, speaker: &Speaker, thread_id: &str, post: Post) -> Result<PostOutcome> {
    if post.body.trim().is_empty() {
        return Err(Error::user("the message is empty")
            .hint("pass the text as an argument, with --file, or on stdin"));
    }
    for m in post.mentions {
        check_name(m, "mention")?;
    }
    let mut event = NewEvent::new(
        "message.posted",
        thread_stream(thread_id),
        speaker.actor(),
        json!({
            "body": post.body,
            "reply_to": post.reply_to,
            "mentions": post.mentions,
        }),
    );
    event.idempotency_key = post.idempotency_key.map(str::to_string);
    let settings = &ws.config.governance;
    let events_dir = ws.store.events_dir();
    // The thread as the guard saw it under the lock: no other message can
    // land between that look and the append, so the new message's number
    // follows from it without reading the thread again.
    let seen: std::cell::RefCell<Option<Before>> = std::cell::RefCell::new(None);
    let guard = |index: &Index| -> Result<Option<NewEvent>> {
        // Under the lock: the rate window ends, and the new message is
        // dated no earlier than, now.
        let now = crate::clock::now_ms();
        let posted = of_kind(thread_id, "message.posted");
        let ahead = index.count_matching(&Filter {
            since: Some(crate::clock::format_ms(now)),
            ..posted.clone()
        })?;
        let read_messages = post.reply_to.is_some() || ahead > 0;
        let thread = load_posts_with(index, ws, thread_id, read_messages)?
            .ok_or_else(|| not_found(thread_id))?;
        if !thread.is_open() {
            return Err(Error::user(format!("thread {thread_id} is closed"))
                .hint("start a new thread with `codexa thread new`"));
        }
        if let Some(r) = post.reply_to
            && thread.message(r).is_none()
        {
            return Err(
                Error::user(format!("--reply-to {r}: no such message in {thread_id}")).hint(
                    format!("see the thread's messages with `codexa thread show {thread_id}`"),
                ),
            );
        }
        let participants: Vec<(String, Vec<String>)> = thread
            .participants
            .iter()
            .map(|p| (p.to_string(), labels_of(ws, p)))
            .collect();
        let blocked = governance::check_post(
            settings,
            index,
            &events_dir,
            speaker,
            thread_id,
            &participants,
            now,
        )?
        .map(|b| b.event(speaker, thread_stream(thread_id)));
        *seen.borrow_mut() = Some(if read_messages {
            Before::Loaded(thread.messages)
        } else {
            Before::Counted {
                count: index.count_matching(&posted)?,
                at: now,
            }
        });
        Ok(blocked)
    };
    if !ws.store.exists() {
        return Err(not_found(thread_id));
    }
    let report = ws.append_guarded(vec![event], Some(&guard))?;
    if let Some(blocked) = report.blocked {
        return Blocked::from_event(&blocked)
            .map(PostOutcome::Blocked)
            .ok_or_else(|| Error::io("governance.blocked event without its reason"));
    }
    let appended = report
        .results
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("append returned no event"))?;
    // Keys are per store: a replay of an event that is not a post to this
    // thread is a reused key, not a retry (nothing was appended).
    if !appended.new
        && (appended.event.kind != "message.posted"
            || appended.event.stream.id != thread_id
            || appended.event.actor != speaker.actor())
    {
        return Err(Error::user(format!(
            "--idempotency-key {}: already used by {} ({} on {})",
            post.idempotency_key.unwrap_or_default(),
            appended.event.id,
            appended.event.kind,
            appended.event.stream
        ))
        .hint("use a key unique to this post; only a retry of the same post repeats its key"));
    }
    let e = &appended.event;
    let dated = crate::clock::parse_ms(&e.ts);
    let message = match (appended.new, seen.into_inner()) {
        (true, Some(Before::Counted { count, at })) if dated.is_some_and(|ts| ts >= at) => {
            message_of(thread_id, e, count + 1)
        }
        (true, Some(Before::Loaded(before))) => {
            // Its place in (ts, id) order among the messages already there.
            let key = (e.ts.as_str(), e.id.trim_start_matches("evt_"));
            let earlier = before
                .iter()
                .filter(|m| (m.ts.as_str(), m.id.trim_start_matches("msg_")) < key)
                .count();
            message_of(thread_id, e, earlier as u64 + 1)
        }
        // A retry answered by the first post: read where it stands now.
        _ => {
            let id = message_id(&appended.event.id);
            load(ws, thread_id)?
                .message(&id)
                .cloned()
                .ok_or_else(|| Error::io(format!("message {id} not found after posting")))?
        }
    };
    Ok(PostOutcome::Posted {
        message,
        new: appended.new,
    })
}

/// Which messages `read` shows.
#[derive(Debug, Clone, Copy)]
pub enum Selection {
    Unread,
    All,
    /// Messages numbered above N.
    After(u64),
}

/// `codexa read`: the selected messages; unless `peek`, the unread ones
/// among them are marked read for the speaker.
pub fn read(
    ws: &Workspace,
    speaker: &Speaker,
    thread_id: &str,
    selection: Selection,
    peek: bool,
) -> Result<Vec<Message>> {
    if !ws.store.exists() {
        return Err(not_found(thread_id));
    }
    let selected = {
        let index = Index::open(&ws.store)?;
        reading::select(&index, ws, thread_id, &speaker.name, selection)?
            .ok_or_else(|| not_found(thread_id))?
    };
    let (shown, unread) = (selected.shown, selected.unread);
    let newly_read: Vec<&str> = shown
        .iter()
        .filter(|m| unread.contains(&m.id))
        .map(|m| m.id.as_str())
        .collect();
    if !peek && !newly_read.is_empty() {
        ws.append(vec![NewEvent::new(
            "message.read",
            thread_stream(thread_id),
            speaker.actor(),
            json!({ "participant": speaker.name, "messages": newly_read }),
        )])?;
    }
    Ok(shown)
}

/// `codexa ack`: record that a message was acted on.
pub fn ack(
    ws: &Workspace,
    speaker: &Speaker,
    message: &str,
    note: Option<&str>,
) -> Result<Message> {
    let not_found = || {
        Error::not_found(format!("no message `{message}`"))
            .hint("message ids look like msg_01…; see them with `codexa read TH --all`")
    };
    let evt = event_id(message).ok_or_else(not_found)?;
    if !ws.store.exists() {
        return Err(not_found());
    }
    let index = Index::open(&ws.store)?;
    let posted = index
        .event_by_id(&ws.store.events_dir(), &evt)?
        .ok_or_else(not_found)?;
    if posted.kind != "message.posted" || posted.stream.kind != "thread" {
        return Err(not_found());
    }
    let thread_id = posted.stream.id.clone();
    ws.append(vec![NewEvent::new(
        "message.acked",
        thread_stream(&thread_id),
        speaker.actor(),
        json!({ "participant": speaker.name, "message": message, "note": note }),
    )])?;
    let thread = load(ws, &thread_id)?;
    thread.message(message).cloned().ok_or_else(not_found)
}
