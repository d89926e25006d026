//! The messages `read` shows, from the index.
//!
//! `read` is what an agent runs on every turn to see what is new. Folding
//! the whole thread for it read and parsed every message ever posted; the
//! index already holds each message's id, author and place, which number
//! the messages and tell the unread ones apart. Only the messages shown are
//! read from the log, with the thread's own events (`thread.*`) and its
//! acknowledgements. A test holds the answer to the one folding the thread
//! gives. As in `inbox`, a read cursor counts for the participant who
//! recorded it (codexa writes `message.read` only as the reader).

use std::collections::HashSet;

use super::{Message, Selection, fold, message_id, message_of, of_kind, read_events, shown_to};
use crate::error::Result;
use crate::store::index::Index;
use crate::workspace::Workspace;

/// What `read` shows of a thread, and which of those were unread.
pub(super) struct Selected {
    pub shown: Vec<Message>,
    pub unread: HashSet<String>,
}

/// The messages of `thread_id` that `selection` picks for `who`; `None`
/// when there is no such thread.
pub(super) fn select(
    index: &Index,
    ws: &Workspace,
    thread_id: &str,
    who: &str,
    selection: Selection,
) -> Result<Option<Selected>> {
    let heads = read_events(index, ws, &of_kind(thread_id, "thread.*"))?;
    if fold(thread_id, &heads).is_none() {
        return Ok(None);
    }
    let seen = shown_to(index, ws, who, Some(thread_id))?
        .remove(thread_id)
        .unwrap_or_default();
    let rows = index.rows(&of_kind(thread_id, "message.posted"))?;
    let mut unread = HashSet::new();
    let mut picked = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let number = i as u64 + 1;
        let id = message_id(&row.id);
        let is_unread = row.actor_id != who && !seen.contains(&id);
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
    let events = index.events_of(&ws.store.events_dir(), picked.iter().map(|(_, r)| *r))?;
    let mut shown: Vec<Message> = picked
        .iter()
        .zip(&events)
        .map(|((number, _), e)| message_of(thread_id, e, *number))
        .collect();
    for ack in read_events(index, ws, &of_kind(thread_id, "message.acked"))? {
        if let (Some(who), Some(msg)) = (
            ack.data["participant"].as_str(),
            ack.data["message"].as_str(),
        ) && let Some(m) = shown.iter_mut().find(|m| m.id == msg)
            && !m.acked_by.iter().any(|a| a == who)
        {
            m.acked_by.push(who.to_string());
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
