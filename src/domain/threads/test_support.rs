//! What the threads' unit tests share: a person and two agents, and
//! posting as one of them.

use super::{Post, PostOutcome, post};
use crate::domain::identity::Speaker;
use crate::workspace::Workspace;

/// `sam` (a person), `worker-a` and `worker-b` (agents).
pub fn people() -> (Speaker, Speaker, Speaker) {
    (
        Speaker::person("sam"),
        Speaker::agent("worker-a", Some("codex")),
        Speaker::agent("worker-b", Some("claude")),
    )
}

pub fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

/// Post `body` as `who`, mentioning `mentions`; the message's id.
pub fn say(ws: &Workspace, who: &Speaker, thread: &str, body: &str, mentions: &[&str]) -> String {
    let mentions = names(mentions);
    let p = Post {
        body,
        reply_to: None,
        mentions: &mentions,
        idempotency_key: None,
    };
    match post(ws, who, thread, p).unwrap() {
        PostOutcome::Posted { message, .. } => message.id,
        other => panic!("{body}: {other:?}"),
    }
}
