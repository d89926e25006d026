//! Whether a prompt reached the agent, from evidence recorded after a
//! mark taken before Enter: the session's `UserPromptSubmit` hook holding
//! the text (every hook payload is in the spool), or, for Claude, a new
//! `user` or queued record in the session's transcript holding it. The
//! pane changing is not proof: a screen redraws for many reasons.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde_json::Value;

use crate::agents::sessions::{self, SessionState};
use crate::store::Store;

/// Where the evidence stood before Enter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mark {
    spool: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    transcript: Option<u64>,
}

impl Mark {
    /// A mark at `spool` bytes of the spool (no transcript).
    pub fn at_spool(spool: u64) -> Mark {
        Mark {
            spool,
            transcript: None,
        }
    }
}

/// What confirmed a delivery; `confirmed_by` of `trigger.delivered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Hook,
    Transcript,
    Screen,
    ExitStatus,
}

impl Proof {
    pub fn as_str(self) -> &'static str {
        match self {
            Proof::Hook => "hook",
            Proof::Transcript => "transcript",
            Proof::Screen => "screen",
            Proof::ExitStatus => "exit_status",
        }
    }
}

fn len_of(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

pub fn mark(store: &Store, session: &SessionState) -> Mark {
    Mark {
        spool: len_of(&sessions::spool_path(store)).unwrap_or(0),
        transcript: session
            .transcript
            .as_deref()
            .map(|t| len_of(Path::new(t)).unwrap_or(0)),
    }
}

/// The end of a text as it is compared: line ends made `\n`, outer
/// whitespace dropped, the last 200 characters (a long prompt may come
/// back wrapped or cut at its start, hardly at its end).
pub fn tail(text: &str) -> String {
    let t = text.replace("\r\n", "\n").replace('\r', "\n");
    let t = t.trim();
    let n = t.chars().count();
    t.chars().skip(n.saturating_sub(200)).collect()
}

/// Whether the end of `text` is what the input box shows at its end:
/// compared without whitespace, since the box wraps long lines.
pub fn still_in_box(draft: &str, text: &str) -> bool {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<Vec<char>>()
    };
    let (d, t) = (squash(draft), squash(text));
    let end = &t[t.len().saturating_sub(40)..];
    !end.is_empty() && d.ends_with(end)
}

fn holds(haystack: &str, tail: &str) -> bool {
    !tail.is_empty() && haystack.replace("\r\n", "\n").contains(tail)
}

/// Bytes appended to `path` since `from` (all of it if it was replaced by
/// a shorter file).
fn since(path: &Path, from: u64) -> String {
    let Ok(mut f) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let start = if len < from { 0 } else { from };
    if f.seek(SeekFrom::Start(start)).is_err() {
        return String::new();
    }
    let mut out = Vec::new();
    let _ = f.take(64 << 20).read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The hook payloads of `session` spooled since `mark`.
fn hooks_since(store: &Store, session: &SessionState, mark: &Mark) -> Vec<Value> {
    since(&sessions::spool_path(store), mark.spool)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v.get("raw").cloned())
        .filter(|raw| {
            let id = raw
                .get("session_id")
                .or_else(|| raw.get("thread-id"))
                .and_then(Value::as_str);
            id == Some(session.session_id.as_str())
        })
        .collect()
}

/// The spool's length now.
pub fn spool_len(store: &Store) -> u64 {
    len_of(&sessions::spool_path(store)).unwrap_or(0)
}

/// Any hook of `session` since `mark`: it is working on what it was given.
pub fn any_hook(store: &Store, session: &SessionState, mark: &Mark) -> bool {
    !hooks_since(store, session, mark).is_empty()
}

/// What proves `text` was submitted to `session` since `mark`, if anything.
pub fn submitted(store: &Store, session: &SessionState, mark: &Mark, text: &str) -> Option<Proof> {
    let want = tail(text);
    let by_hook = hooks_since(store, session, mark).iter().any(|raw| {
        raw.get("hook_event_name").and_then(Value::as_str) == Some("UserPromptSubmit")
            && raw
                .get("prompt")
                .and_then(Value::as_str)
                .is_some_and(|p| holds(p, &want))
    });
    if by_hook {
        return Some(Proof::Hook);
    }
    let (Some(path), Some(from)) = (session.transcript.as_deref(), mark.transcript) else {
        return None;
    };
    since(Path::new(path), from)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .any(|r| {
            let kind = r.get("type").and_then(Value::as_str);
            matches!(kind, Some("user" | "queue-operation")) && holds(&text_of(&r), &want)
        })
        .then_some(Proof::Transcript)
}

/// The text a transcript record holds: `message.content` as a string or
/// as text parts, or a queued record's `content`.
fn text_of(record: &Value) -> String {
    let content = record
        .pointer("/message/content")
        .or_else(|| record.get("content"));
    match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_ignore_line_ends_and_outer_space() {
        assert_eq!(tail("  a\r\nb \n"), "a\nb");
        assert_eq!(tail(&"x".repeat(300)).len(), 200);
        assert!(holds("say a\r\nb please", &tail("a\nb please")));
        assert!(!holds("anything", ""));
    }

    #[test]
    fn text_wrapped_in_the_box_is_still_recognised() {
        let text = "please look at the failing build on main and tell me what broke it";
        assert!(still_in_box(
            "please look at the failing build on\nmain and tell me what broke it",
            text
        ));
        assert!(!still_in_box("", text));
        assert!(!still_in_box("a draft of a person", text));
    }

    #[test]
    fn a_prompt_is_proven_by_its_hook_or_its_transcript_after_the_mark_only() {
        use crate::agents::Provider;
        use crate::agents::activity::Activity;
        use crate::agents::sessions::BoundBy;
        let dir = tempfile::tempdir().unwrap();
        git2::Repository::init(dir.path()).unwrap();
        let store = Store::locate(dir.path()).unwrap();
        let transcript = dir.path().join("s1.jsonl");
        std::fs::write(
            &transcript,
            "{\"type\":\"user\",\"message\":{\"content\":\"do it\"}}\n",
        )
        .unwrap();
        let session = SessionState {
            provider: Provider::Claude,
            session_id: "s1".into(),
            activity: Activity::Idle,
            event: "Stop".into(),
            last_ms: 1,
            started_ms: 1,
            ended_ms: None,
            pane: Some("%1".into()),
            socket: None,
            ancestors: vec![],
            agent_pid: None,
            participant: Some("lead".into()),
            title: None,
            cwd: None,
            model: None,
            transcript: Some(transcript.display().to_string()),
            evidence: BoundBy::Hook,
        };
        let ctx = crate::agents::sessions::PaneContext::default();
        let spool =
            |raw: serde_json::Value| sessions::spool(&store, Provider::Claude, &raw, 1, &ctx);
        spool(
            serde_json::json!({"hook_event_name": "UserPromptSubmit", "session_id": "s1", "prompt": "do it"}),
        );
        let mark = mark(&store, &session);
        assert_eq!(
            submitted(&store, &session, &mark, "do it"),
            None,
            "what came before the mark proves nothing"
        );

        // Another session's hook, then the transcript gains the prompt.
        spool(
            serde_json::json!({"hook_event_name": "UserPromptSubmit", "session_id": "s2", "prompt": "do it"}),
        );
        assert_eq!(submitted(&store, &session, &mark, "do it"), None);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&transcript)
            .unwrap();
        use std::io::Write;
        writeln!(f, "{{\"type\":\"user\",\"message\":{{\"content\":[{{\"type\":\"text\",\"text\":\"do it\"}}]}}}}").unwrap();
        assert_eq!(
            submitted(&store, &session, &mark, "do it"),
            Some(Proof::Transcript)
        );
        spool(
            serde_json::json!({"hook_event_name": "UserPromptSubmit", "session_id": "s1", "prompt": "  do it\n"}),
        );
        assert_eq!(
            submitted(&store, &session, &mark, "do it"),
            Some(Proof::Hook)
        );
        assert!(any_hook(&store, &session, &mark));
    }

    #[test]
    fn transcript_records_give_their_text() {
        let user: Value = serde_json::json!({"type": "user", "message": {"content": [{"type": "text", "text": "hello"}]}});
        assert_eq!(text_of(&user), "hello");
        let queued: Value = serde_json::json!({"type": "queue-operation", "content": "later"});
        assert_eq!(text_of(&queued), "later");
    }
}
