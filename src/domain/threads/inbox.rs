//! `codexa inbox`: what is unread for a participant, from the index.
//!
//! Agents ask this on every turn, so it must not cost the size of every
//! thread. The threads themselves (their `thread.*` events) are folded as
//! usual; the messages are counted from the index's rows, which hold each
//! message's id, author and time; the reader's own `message.read` events
//! give what was read. Only the unread messages' lines are read, for their
//! mentions. An agent that reads its messages pays for the few it has not
//! read, not for the thousands it has.
//!
//! The answer is the one folding every thread gives (a test holds the two
//! together), with one narrowing: a read cursor counts for the participant
//! who recorded it. codexa writes `message.read` only as the reader, and
//! scripts cannot write `message.*` events.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{fold, message_id, read_events, shown_to, strings};
use crate::domain::identity::Speaker;
use crate::error::Result;
use crate::store::index::{Filter, Index, Row};
use crate::workspace::Workspace;

/// One line of `codexa inbox`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboxRow {
    pub thread: String,
    pub title: String,
    pub room: String,
    pub status: String,
    pub unread: usize,
    /// Unread messages that mention the speaker.
    pub mentions: usize,
    pub last_message_at: Option<String>,
}

/// Threads the speaker is in or mentioned in that hold unread messages,
/// mentions first, then newest.
pub fn inbox(ws: &Workspace, speaker: &Speaker) -> Result<Vec<InboxRow>> {
    if !ws.store.exists() {
        return Ok(Vec::new());
    }
    let index = Index::open(&ws.store)?;
    let me = speaker.name.as_str();
    let read = shown_to(&index, ws, me, None)?;
    let posted = index.rows(&on_threads("message.posted"))?;
    let mut last: HashMap<&str, &str> = HashMap::new();
    let mut unread: HashMap<&str, Vec<&Row>> = HashMap::new();
    for r in &posted {
        last.insert(&r.stream_id, &r.ts);
        let seen = read
            .get(&r.stream_id)
            .is_some_and(|ids| ids.contains(&message_id(&r.id)));
        if r.actor_id != me && !seen {
            unread.entry(&r.stream_id).or_default().push(r);
        }
    }
    let mentioning = mentioning(&index, ws, unread.values().flatten().copied(), me)?;

    let heads = read_events(&index, ws, &on_threads("thread.*"))?;
    // Threads in the order `thread list` gives them: by their creation.
    let order: Vec<String> = heads
        .iter()
        .filter(|e| e.kind == "thread.created")
        .map(|e| e.stream.id.clone())
        .collect();
    let mut by_thread: HashMap<String, Vec<crate::store::Event>> = HashMap::new();
    for e in heads {
        by_thread.entry(e.stream.id.clone()).or_default().push(e);
    }
    let mut rows = Vec::new();
    for id in &order {
        let id = id.as_str();
        let Some(t) = by_thread.get(id).and_then(|events| fold(id, events)) else {
            continue;
        };
        let Some(waiting) = unread.get(id) else {
            continue;
        };
        let mentions = waiting
            .iter()
            .filter(|r| mentioning.contains(r.id.as_str()))
            .count();
        if !(t.participants.iter().any(|p| p == me) || mentions > 0) {
            continue;
        }
        rows.push(InboxRow {
            thread: t.id,
            title: t.title,
            room: t.room,
            status: t.status,
            unread: waiting.len(),
            mentions,
            last_message_at: last.get(id).map(|ts| ts.to_string()),
        });
    }
    rows.sort_by(|a, b| {
        (b.mentions > 0)
            .cmp(&(a.mentions > 0))
            .then(b.last_message_at.cmp(&a.last_message_at))
    });
    Ok(rows)
}

fn on_threads(kind: &str) -> Filter {
    Filter {
        kind: Some(kind.into()),
        stream_type: Some("thread".into()),
        ..Filter::default()
    }
}

/// The ids of the events among `rows` (message posts) whose mentions name
/// `who`.
fn mentioning<'r>(
    index: &Index,
    ws: &Workspace,
    rows: impl IntoIterator<Item = &'r Row>,
    who: &str,
) -> Result<HashSet<String>> {
    #[derive(Deserialize)]
    struct Posted<'a> {
        #[serde(default, borrow)]
        mentions: Option<Vec<Cow<'a, str>>>,
    }
    // A line can name `who` only where their name stands quoted, or where
    // something is escaped (`\u…` could spell it): the rest are not parsed.
    let quoted = format!("\"{who}\"");
    let may_name = |line: &[u8]| {
        let has = |s: &[u8]| memchr::memmem::find(line, s).is_some();
        has(quoted.as_bytes()) || has(b"\\u")
    };
    let mut out = HashSet::new();
    index.each_line(&ws.store.events_dir(), rows, may_name, |row, line| {
        let named = match serde_json::from_str::<Posted>(line.data.get()) {
            Ok(p) => p.mentions.unwrap_or_default().iter().any(|m| m == who),
            // Not a list of names: what folding the thread would make of it.
            Err(_) => serde_json::from_str::<Value>(line.data.get())
                .is_ok_and(|d| strings(&d["mentions"]).iter().any(|m| m == who)),
        };
        if named {
            out.insert(row.id.clone());
        }
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{names, people, say};
    use super::super::{Selection, close, create, list, read};
    use super::*;

    /// The inbox as folding every thread whole gives it.
    fn by_folding(ws: &Workspace, speaker: &Speaker) -> Vec<InboxRow> {
        let mut rows = Vec::new();
        for t in list(ws, None, None).unwrap() {
            let member = t.participants.contains(&speaker.name);
            let unread = t.unread_for(&speaker.name);
            let mentions = unread
                .iter()
                .filter(|m| m.mentions.contains(&speaker.name))
                .count();
            if unread.is_empty() || !(member || mentions > 0) {
                continue;
            }
            rows.push(InboxRow {
                thread: t.id.clone(),
                title: t.title.clone(),
                room: t.room.clone(),
                status: t.status.clone(),
                unread: unread.len(),
                mentions,
                last_message_at: t.messages.last().map(|m| m.ts.clone()),
            });
        }
        rows.sort_by(|a, b| {
            (b.mentions > 0)
                .cmp(&(a.mentions > 0))
                .then(b.last_message_at.cmp(&a.last_message_at))
        });
        rows
    }

    #[test]
    fn the_inbox_from_the_index_is_the_one_folding_gives() {
        let (_dir, ws) = crate::workspace::temporary();
        let (sam, a, b) = people();
        let plan = create(&ws, &sam, "plan", &names(&["sam", "worker-a"]), None).unwrap();
        let review = create(
            &ws,
            &sam,
            "review",
            &names(&["sam", "worker-b"]),
            Some("ops"),
        )
        .unwrap();
        let done = create(&ws, &sam, "done", &names(&["worker-a", "worker-b"]), None).unwrap();
        let quiet = create(&ws, &sam, "quiet", &names(&["worker-a"]), None).unwrap();

        say(&ws, &sam, &plan.id, "start with the parser", &[]);
        say(&ws, &a, &plan.id, "on it", &[]);
        say(&ws, &sam, &plan.id, "and the docs", &["worker-a"]);
        // worker-a is no member of review, but is mentioned there.
        say(
            &ws,
            &sam,
            &review.id,
            "worker-a, look at this",
            &["worker-a", "worker-b"],
        );
        say(&ws, &b, &review.id, "looking", &[]);
        say(&ws, &b, &done.id, "finished", &["worker-a"]);
        close(&ws, &sam, &done.id).unwrap();
        say(&ws, &sam, &quiet.id, "nothing to do", &[]);

        let everyone = [&sam, &a, &b];
        let check = |stage: &str| {
            for who in everyone {
                assert_eq!(
                    inbox(&ws, who).unwrap(),
                    by_folding(&ws, who),
                    "{stage}: {}",
                    who.name
                );
            }
        };
        check("nothing read");
        let unread =
            |who: &Speaker| -> usize { inbox(&ws, who).unwrap().iter().map(|r| r.unread).sum() };
        assert_eq!(unread(&a), 6, "plan 2, review 2, done 1, quiet 1");

        read(&ws, &a, &plan.id, Selection::Unread, false).unwrap();
        read(&ws, &a, &quiet.id, Selection::Unread, true).unwrap();
        read(&ws, &b, &review.id, Selection::All, false).unwrap();
        check("some read");
        assert_eq!(unread(&a), 4, "plan read; peeking reads nothing");

        say(&ws, &sam, &plan.id, "one more", &["worker-b"]);
        check("a new message after reading");
        let rows = inbox(&ws, &a).unwrap();
        assert_eq!(rows[0].mentions, 1, "mentions first: {rows:?}");
    }
}
