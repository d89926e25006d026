//! The deterministic source: what agents' hook events say about their
//! sessions, kept machine-local under `<store>/cache/agents/`:
//!
//! - `spool.jsonl`: every hook payload, raw, with what codexa read from it
//!   (rotated to `spool.1.jsonl` past 8 MiB). `watch` follows its length to
//!   notice a hook within milliseconds.
//! - `sessions/<provider>-<session id>.json`: each session's latest state,
//!   replaced atomically by the hook: activity, the tmux pane it speaks
//!   from and that process's ancestry (which proves the pane instance:
//!   a pane whose pid is not among them is a later generation), title.
//!
//! The hook runs this on every event; only transitions (a session started
//! or bound to a pane, a turn started or completed, waiting for a person,
//! ended) go to the event log (see `Transition`).
//!
//! An agent started without hooks is bound by hand (`codexa session
//! bind`, see `registry`): the same file, written under the same lock,
//! marked `evidence: bind`. `registry` is also how other code asks which
//! sessions a participant has live, or which one a name means.

//!
//! What an event does to its session is worked out by [`step`], apart from
//! the files (see `state`); [`observe`] runs it between loading and saving.

pub mod registry;
mod state;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::Provider;
use crate::error::Result;
use crate::store::Store;
use crate::tmux::Client;
pub use registry::{find, live_for};
use state::str_of;
pub use state::{
    BoundBy, HookInput, Observation, PaneContext, SessionState, Step, Transition, step, title_of,
    transcript_wanted,
};

/// The spool is rotated past this size.
pub const SPOOL_MAX_BYTES: u64 = 8 << 20;
/// How much of a transcript is read looking for a title.
const TRANSCRIPT_SCAN_BYTES: u64 = 512 << 10;

pub fn dir(store: &Store) -> PathBuf {
    store.cache_dir().join("agents")
}

pub fn spool_path(store: &Store) -> PathBuf {
    dir(store).join("spool.jsonl")
}

fn sessions_dir(store: &Store) -> PathBuf {
    dir(store).join("sessions")
}

impl PaneContext {
    /// Read the environment and `/proc`; `is_agent` tells an agent's
    /// program name. Without `/proc` (not Linux), tmux says which process
    /// the pane runs, so a binding still names its pane instance.
    pub fn from_env(is_agent: &dyn Fn(&str) -> bool) -> PaneContext {
        let pane = std::env::var("TMUX_PANE")
            .ok()
            .filter(|p| p.starts_with('%'));
        let socket = std::env::var("TMUX")
            .ok()
            .and_then(|t| t.split(',').next().map(str::to_string))
            .filter(|s| !s.is_empty());
        let Some(id) = &pane else {
            return PaneContext::default();
        };
        // The same walk up the tree that decides who is speaking, read once
        // per process.
        let chain = super::lineage::ancestors();
        let agent_pid = chain
            .iter()
            .find(|(_, program)| is_agent(program))
            .map(|(pid, _)| *pid);
        // The pane's shell is a few levels up: a chain as deep as the walk
        // may read is not worth keeping in every session file.
        let mut ancestors: Vec<u32> = chain.iter().take(64).map(|(pid, _)| *pid).collect();
        if ancestors.is_empty() {
            let tmux = match &socket {
                Some(path) => crate::tmux::Tmux::with_socket(path),
                None => crate::tmux::Tmux::from_env(),
            };
            ancestors.extend(tmux.pane_pid(id));
        }
        PaneContext {
            pane,
            socket,
            ancestors,
            agent_pid,
        }
    }
}

/// A session's key, safe as a file name: `<provider>-<id>` (see
/// `file_name`).
pub fn key(provider: Provider, id: &str) -> String {
    file_name(provider, id)
        .trim_end_matches(".json")
        .to_string()
}

/// A file name for a session id from an agent: anything outside
/// `[A-Za-z0-9_-]` is replaced, and a long id is cut, so no payload can
/// name a path outside the folder.
fn file_name(provider: Provider, id: &str) -> String {
    let plain = id.len() <= 96
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        return format!("{}-{id}.json", provider.as_str());
    }
    // Cleaned ids could collide: the hash of the real id tells them apart.
    let clean: String = id
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let tag = &crate::fsutil::sha256_tagged(id.as_bytes())["sha256:".len()..][..12];
    format!("{}-{clean}-{tag}.json", provider.as_str())
}

/// A resumed Claude session's title from its transcript: the `summary`
/// line Claude writes, else the first prompt typed.
pub fn title_from_transcript(path: &Path) -> Option<String> {
    use std::io::{BufRead, Read};
    let f = std::fs::File::open(path).ok()?;
    let reader = std::io::BufReader::new(f.take(TRANSCRIPT_SCAN_BYTES));
    let mut first_prompt = None;
    for line in reader.lines() {
        let Ok(line) = line else { break };
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        match str_of(&v, "type") {
            Some("summary") => {
                if let Some(s) = str_of(&v, "summary") {
                    return title_of(s);
                }
            }
            Some("user") if first_prompt.is_none() => {
                first_prompt = v
                    .pointer("/message/content")
                    .and_then(Value::as_str)
                    .filter(|s| !s.starts_with('<'))
                    .and_then(title_of);
            }
            _ => {}
        }
    }
    first_prompt
}

pub fn load(store: &Store, provider: Provider, id: &str) -> Option<SessionState> {
    let path = sessions_dir(store).join(file_name(provider, id));
    serde_json::from_slice::<SessionState>(&std::fs::read(path).ok()?)
        .ok()
        .filter(|s| s.session_id == id)
}

/// Every session state on this machine (unreadable files skipped).
pub fn load_all(store: &Store) -> Vec<SessionState> {
    SessionCache::default().load_all(store)
}

/// Session files as last read, so a reader that looks often (`watch`, on
/// every hook) re-reads only the files a hook replaced since.
#[derive(Default)]
pub struct SessionCache {
    files: std::collections::HashMap<PathBuf, ((u64, i64, i64), SessionState)>,
}

impl SessionCache {
    /// Every session state on this machine, as `load_all`.
    pub fn load_all(&mut self, store: &Store) -> Vec<SessionState> {
        use std::os::unix::fs::MetadataExt;
        let Ok(entries) = std::fs::read_dir(sessions_dir(store)) else {
            self.files.clear();
            return Vec::new();
        };
        let mut seen = std::collections::HashMap::new();
        for e in entries.flatten() {
            if !e.file_name().to_string_lossy().ends_with(".json") {
                continue;
            }
            let path = e.path();
            let Ok(m) = std::fs::metadata(&path) else {
                continue;
            };
            // A hook replaces the file by rename: a new inode.
            let key = (m.ino(), m.mtime(), m.mtime_nsec());
            let state = match self.files.remove(&path) {
                Some((k, s)) if k == key => Some(s),
                _ => std::fs::read(&path)
                    .ok()
                    .and_then(|b| serde_json::from_slice(&b).ok()),
            };
            if let Some(state) = state {
                seen.insert(path, (key, state));
            }
        }
        self.files = seen;
        self.files.values().map(|(_, s)| s.clone()).collect()
    }
}

/// An exclusive lock on one session's state, released when dropped.
fn lock_session(store: &Store, provider: Provider, id: &str) -> Result<std::fs::File> {
    let name = file_name(provider, id);
    let path = sessions_dir(store).join(format!(".{}.lock", name.trim_end_matches(".json")));
    crate::store::lock::acquire(&path, "the agent session's lock")
}

/// Sessions silent this long are forgotten (their events stay in the log).
const FORGET_AFTER: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// Remove session files untouched for `FORGET_AFTER`, so `watch`'s reads
/// stay small; run when a session starts.
fn forget_old(store: &Store) {
    let Ok(entries) = std::fs::read_dir(sessions_dir(store)) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > FORGET_AFTER);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Replace a session's file: a temporary file renamed over it (no fsync:
/// the folder is a cache, and a lost update is repaired by the next hook).
fn save(store: &Store, s: &SessionState) -> Result<()> {
    let path = sessions_dir(store).join(file_name(s.provider, &s.session_id));
    crate::fsutil::replace_cache_file(&path, &serde_json::to_vec(s).unwrap_or_default())
        .map_err(|e| crate::Error::io(format!("cannot write {}", path.display())).caused_by(e))
}

/// Move a full spool aside. Under a lock on the spool itself, and only if
/// the path still names the file that was locked: two hooks that both see
/// it full rotate it once (the second would move the new, empty spool over
/// the full one).
fn rotate_spool(path: &Path) {
    use std::os::unix::fs::MetadataExt;
    if std::fs::metadata(path).is_ok_and(|m| m.len() <= SPOOL_MAX_BYTES) {
        return;
    }
    let Ok(f) = std::fs::File::open(path) else {
        return;
    };
    // Another hook rotating it, or a stuck holder: the spool only grows a
    // little past its limit until a later hook rotates it, so there is
    // nothing worth waiting for.
    if f.try_lock().is_err() {
        return;
    }
    let same = match (f.metadata(), std::fs::metadata(path)) {
        (Ok(locked), Ok(named)) => locked.ino() == named.ino() && locked.len() > SPOOL_MAX_BYTES,
        _ => false,
    };
    if same {
        let _ = std::fs::rename(path, path.with_file_name("spool.1.jsonl"));
    }
}

/// Append the raw payload, with what was read from it, to the spool.
pub fn spool(store: &Store, provider: Provider, raw: &Value, now: i64, ctx: &PaneContext) {
    let path = spool_path(store);
    rotate_spool(&path);
    let line = json!({
        "ts_ms": now,
        "provider": provider.as_str(),
        "pane": ctx.pane,
        "socket": ctx.socket,
        "raw": raw,
    });
    let _ = std::fs::create_dir_all(dir(store));
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        // One write call per line: concurrent hooks' lines do not interleave.
        let mut bytes = serde_json::to_vec(&line).unwrap_or_default();
        bytes.push(b'\n');
        let _ = f.write_all(&bytes);
    }
}

/// Fold an observation into its session's state and save it; the
/// transition to log, if any. `participant` names who the agent is.
pub fn observe(
    store: &Store,
    obs: &Observation,
    ctx: &PaneContext,
    participant: Option<&str>,
    now: i64,
) -> Result<Option<Transition>> {
    // One hook at a time per session: two hooks of one session (a tool
    // call and a notification) would each load, change and save, and the
    // later save would undo the other's change.
    let _lock = lock_session(store, obs.provider, &obs.session_id)?;
    let previous = load(store, obs.provider, &obs.session_id);
    let transcript_title =
        transcript_wanted(previous.as_ref(), obs).and_then(|t| title_from_transcript(Path::new(t)));
    let input = HookInput {
        obs,
        ctx,
        participant,
        transcript_title: transcript_title.as_deref(),
    };
    let step = step(previous.as_ref(), input, now);
    if step.started {
        forget_old(store);
    }
    save(store, &step.state)?;
    Ok(step.transition)
}

#[cfg(test)]
mod tests {
    use super::state::tests::claude;
    use super::*;

    #[test]
    fn only_transitions_are_logged() {
        let dir = tempfile::tempdir().unwrap();
        git2::Repository::init(dir.path()).unwrap();
        let store = Store::locate(dir.path()).unwrap();
        let ctx = PaneContext {
            pane: Some("%1".into()),
            socket: Some("/tmp/s".into()),
            ancestors: vec![42, 1],
            agent_pid: Some(42),
        };
        let mut now = 1000;
        let mut step = |v: Value, ctx: &PaneContext| {
            now += 10;
            let o = claude(v);
            observe(&store, &o, ctx, None, now).unwrap().map(|t| t.kind)
        };
        let ev = |name: &str| json!({"hook_event_name": name, "session_id": "s1"});
        assert_eq!(
            step(ev("SessionStart"), &ctx),
            Some("agent.session_started")
        );
        let prompt =
            json!({"hook_event_name": "UserPromptSubmit", "session_id": "s1", "prompt": "Fix CI"});
        assert_eq!(step(prompt, &ctx), Some("agent.turn_started"));
        assert_eq!(
            step(ev("PreToolUse"), &ctx),
            None,
            "tool calls are not transitions"
        );
        // An interrupted turn (no Stop) and a new prompt: a new turn.
        let again =
            json!({"hook_event_name": "UserPromptSubmit", "session_id": "s1", "prompt": "B"});
        assert_eq!(step(again, &ctx), Some("agent.turn_started"));
        let ask = json!({"hook_event_name": "Notification", "session_id": "s1", "notification_type": "permission_prompt"});
        assert_eq!(step(ask.clone(), &ctx), Some("agent.waiting_approval"));
        assert_eq!(
            step(ask, &ctx),
            None,
            "the same state twice is one transition"
        );
        assert_eq!(step(ev("Stop"), &ctx), Some("agent.turn_completed"));
        let idle = json!({"hook_event_name": "Notification", "session_id": "s1", "notification_type": "idle_prompt"});
        assert_eq!(step(idle, &ctx), None);
        let moved = PaneContext {
            pane: Some("%2".into()),
            ..ctx.clone()
        };
        assert_eq!(step(ev("PostToolUse"), &moved), Some("agent.session_bound"));
        assert_eq!(step(ev("SessionEnd"), &moved), Some("agent.session_ended"));
        let s = load(&store, Provider::Claude, "s1").unwrap();
        assert_eq!(s.title.as_deref(), Some("Fix CI"));
        assert_eq!((s.pane.as_deref(), s.ended()), (Some("%2"), true));
    }

    #[test]
    fn transcripts_give_resumed_sessions_a_title() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("s.jsonl");
        std::fs::write(
            &t,
            "{\"type\":\"user\",\"message\":{\"content\":\"<command>x</command>\"}}\n\
             {\"type\":\"user\",\"message\":{\"content\":\"Add rate limits\"}}\n",
        )
        .unwrap();
        assert_eq!(
            title_from_transcript(&t).as_deref(),
            Some("Add rate limits")
        );
        std::fs::write(&t, "{\"type\":\"summary\",\"summary\":\"Rate limiting\"}\n").unwrap();
        assert_eq!(title_from_transcript(&t).as_deref(), Some("Rate limiting"));
        assert_eq!(title_from_transcript(&dir.path().join("none")), None);
    }

    #[test]
    fn session_ids_cannot_escape_the_folder() {
        let name = file_name(Provider::Codex, "../../etc/passwd");
        assert!(
            name.starts_with("codex-______etc_passwd-") && !name.contains('/'),
            "{name}"
        );
        assert_ne!(
            file_name(Provider::Codex, "a/b"),
            file_name(Provider::Codex, "a.b")
        );
        assert_eq!(
            file_name(Provider::Claude, "7f3c-2a10"),
            "claude-7f3c-2a10.json"
        );
    }
}
