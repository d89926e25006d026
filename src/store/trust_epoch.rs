//! A mark that changes whenever the log gains something an agent's trust
//! is read from (an approval's request or decision, an incident, a policy
//! denial, a writer accepted, lines brought by `sync`), so a reader can
//! keep what it derived from them until the mark moves. The gate's
//! trust-conditioned rules read it on every call instead of the log.
//!
//! The mark is a fresh random id written over the old one after the events
//! are durable: a reader that took the mark before it read the log, and
//! finds the same mark later, knows nothing it depends on was added since.

use std::path::PathBuf;

use serde_json::Value;

use crate::store::{Event, Store};

fn path(store: &Store) -> PathBuf {
    store.cache_dir().join("trust-epoch")
}

/// The mark as it is now ("" where there is no store). A mark that is
/// missing, or there but not whole (a crash can leave the cache file
/// empty), is moved first: what was derived under a lost or deleted mark
/// must not be taken for current.
pub fn read(store: &Store) -> String {
    match std::fs::read_to_string(path(store)) {
        Ok(mark) if ulid::Ulid::from_string(&mark).is_ok() => mark,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !store.exists() => String::new(),
        Ok(_) | Err(_) => {
            bump(store);
            std::fs::read_to_string(path(store))
                .ok()
                .filter(|mark| ulid::Ulid::from_string(mark).is_ok())
                .unwrap_or_else(damaged)
        }
    }
}

/// A mark no record was derived under, for a mark that cannot be read.
fn damaged() -> String {
    format!("unreadable-{}", ulid::Ulid::generate())
}

/// Move the mark. Best effort: a failure to write leaves the old mark,
/// which only the write that failed could have moved, and that write is
/// itself the failure the caller reports.
pub fn bump(store: &Store) {
    let mark = ulid::Ulid::generate().to_string();
    let _ = crate::fsutil::replace_cache_file(&path(store), mark.as_bytes());
}

/// Does `e` change what trust is read from?
pub fn touches(e: &Event) -> bool {
    let kind = e.kind.as_str();
    kind.starts_with("approval.")
        || kind.starts_with("incident.")
        || kind.starts_with("writer.")
        || (kind == "policy.evaluated"
            && e.data.get("decision").and_then(Value::as_str) == Some("deny"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: &str, data: Value) -> Event {
        Event::sample(kind, data)
    }

    #[test]
    fn what_trust_is_read_from_moves_the_mark_and_nothing_else_does() {
        for kind in [
            "approval.requested",
            "approval.decided",
            "incident.opened",
            "writer.accepted",
        ] {
            assert!(touches(&event(kind, json!({}))), "{kind}");
        }
        assert!(touches(&event(
            "policy.evaluated",
            json!({"decision": "deny"})
        )));
        assert!(!touches(&event(
            "policy.evaluated",
            json!({"decision": "allow"})
        )));
        assert!(!touches(&event("message.posted", json!({}))));
        assert!(!touches(&event("run.toolcall_started", json!({}))));
    }

    #[test]
    fn a_mark_left_empty_or_deleted_is_moved_not_taken_for_an_old_one() {
        let (_dir, ws) = crate::workspace::temporary();
        let first = read(&ws.store);
        assert!(ulid::Ulid::from_string(&first).is_ok(), "{first:?}");
        assert_eq!(read(&ws.store), first, "kept while nothing moves it");
        std::fs::remove_file(path(&ws.store)).unwrap();
        let mark = read(&ws.store);
        assert!(ulid::Ulid::from_string(&mark).is_ok(), "{mark:?}");
        assert_ne!(mark, first, "a deleted mark is a new one");
        std::fs::write(path(&ws.store), "").unwrap();
        let moved = read(&ws.store);
        assert!(ulid::Ulid::from_string(&moved).is_ok(), "{moved:?}");
        assert_ne!(moved, mark);
        assert_eq!(read(&ws.store), moved, "moved once, then kept");
    }
}
