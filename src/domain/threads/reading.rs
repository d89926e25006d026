//! The messages `read` shows, from the index.
//!
//! `read` is what an agent runs on every turn to see what is new. Folding
//! the whole thread for it read and parsed every message ever posted; the
//! index already holds each message's id, author and place, which number
//! the messages and tell the unread ones apart. Only the messages shown are
//! read from the log, with the thread's other events (its own, the read
//! cursors, the acknowledgements). A test holds the answer to the one
//! folding the thread gives.

use std::collections::HashSet;

use super::{Message, Selection, acks, fold, message_id, message_of};
use crate::error::Result;
use crate::store::index::{Filter, Index, Row};
use crate::workspace::Workspace;

/// What `read` shows of a thread, and which of those were unread.
pub(super) struct Selected {
    pub shown: Vec<Message>,
    pub unread: HashSet<String>,
}

/// The messages of `thread_id` that `selection` picks for `who`; `None`
/// when there is no such thread. One query for the thread's rows; the
/// thread's own events, read cursors and acknowledgements are read and
/// folded as folding the whole thread does, and of its messages only the
/// ones picked.
pub(super) fn select(
    index: &Index,
    ws: &Workspace,
    thread_id: &str,
    who: &str,
    selection: Selection,
) -> Result<Option<Selected>> {
    let stream = Filter {
        stream_type: Some("thread".into()),
        stream_id: Some(thread_id.to_string()),
        ..Filter::default()
    };
    let rows = index.rows(&stream)?;
    let (posted, others): (Vec<&Row>, Vec<&Row>) =
        rows.iter().partition(|r| r.kind == "message.posted");
    let events = index.events_of(&ws.store.events_dir(), others)?;
    let Some(thread) = fold(thread_id, &events) else {
        return Ok(None);
    };
    let seen = thread.reads.get(who);
    let mut unread = HashSet::new();
    let mut picked = Vec::new();
    for (i, row) in posted.into_iter().enumerate() {
        let number = i as u64 + 1;
        let id = message_id(&row.id);
        let is_unread = row.actor_id != who && !seen.is_some_and(|s| s.contains(&id));
        let pick = match selection {
            Selection::Unread => is_unread,
            Selection::All => true,
            Selection::After(n) => number > n,
        };
        if pick {
            picked.push((number, row));
            if is_unread {
                unread.insert(id);
            }
        }
    }
    let shown_events = index.events_of(&ws.store.events_dir(), picked.iter().map(|(_, r)| *r))?;
    let mut shown: Vec<Message> = picked
        .iter()
        .zip(&shown_events)
        .map(|((number, _), e)| message_of(thread_id, e, *number))
        .collect();
    for (msg, by) in acks(&events) {
        if let Some(m) = shown.iter_mut().find(|m| m.id == msg)
            && !m.acked_by.iter().any(|a| *a == by)
        {
            m.acked_by.push(by.to_string());
        }
    }
    Ok(Some(Selected { shown, unread }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{names, people, say};
    use super::super::{Selection, ack, close, create, load, read};
    use super::*;

    /// What folding the whole thread shows, and the unread among it.
    fn by_folding(ws: &Workspace, id: &str, who: &str, selection: Selection) -> Selected {
        let thread = load(ws, id).unwrap();
        let unread: HashSet<String> = thread
            .unread_for(who)
            .iter()
            .map(|m| m.id.clone())
            .collect();
        let shown: Vec<Message> = thread
            .messages
            .iter()
            .filter(|m| match selection {
                Selection::Unread => unread.contains(&m.id),
                Selection::All => true,
                Selection::After(n) => m.number > n,
            })
            .cloned()
            .collect();
        let unread = shown
            .iter()
            .filter(|m| unread.contains(&m.id))
            .map(|m| m.id.clone())
            .collect();
        Selected { shown, unread }
    }

    #[test]
    fn what_read_shows_from_the_index_is_what_folding_the_thread_shows() {
        let (_dir, ws) = crate::workspace::temporary();
        let (sam, a, b) = people();
        let t = create(
            &ws,
            &sam,
            "plan",
            &names(&["sam", "worker-a", "worker-b"]),
            None,
        )
        .unwrap();
        let check = |stage: &str| {
            let index = Index::open(&ws.store).unwrap();
            for who in ["sam", "worker-a", "worker-b", "nobody"] {
                for selection in [
                    Selection::Unread,
                    Selection::All,
                    Selection::After(0),
                    Selection::After(2),
                    Selection::After(99),
                ] {
                    let got = select(&index, &ws, &t.id, who, selection).unwrap().unwrap();
                    let want = by_folding(&ws, &t.id, who, selection);
                    assert_eq!(
                        serde_json::to_value(&got.shown).unwrap(),
                        serde_json::to_value(&want.shown).unwrap(),
                        "{stage}: {who} {selection:?}"
                    );
                    assert_eq!(got.unread, want.unread, "{stage}: {who} {selection:?}");
                }
            }
        };
        check("empty");
        let first = say(&ws, &sam, &t.id, "start with the parser", &["worker-a"]);
        say(&ws, &a, &t.id, "on it", &[]);
        say(&ws, &sam, &t.id, "and the docs", &[]);
        check("three messages");
        read(&ws, &a, &t.id, Selection::Unread, false).unwrap();
        read(&ws, &b, &t.id, Selection::Unread, true).unwrap();
        ack(&ws, &a, &first, Some("taken")).unwrap();
        ack(&ws, &a, &first, None).unwrap();
        ack(&ws, &b, &first, None).unwrap();
        check("read, peeked and acked");
        say(&ws, &b, &t.id, "review please", &["sam"]);
        read(&ws, &sam, &t.id, Selection::After(3), false).unwrap();
        check("read from a number on");
        close(&ws, &sam, &t.id).unwrap();
        check("closed");
        let nothing = select(
            &Index::open(&ws.store).unwrap(),
            &ws,
            "th_none",
            "sam",
            Selection::All,
        );
        assert!(nothing.unwrap().is_none());
    }
}
