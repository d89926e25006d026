//! The watch engine behind `codexa watch`, `status`, `wait` and the MCP
//! tool `agents_status`: one poll reads tmux's panes, the process table
//! and (in one tmux call) the screens of the panes that hold an agent,
//! steps each pane instance's track, and resolves every pane against the
//! hook sources. Between polls, `hooks_changed` notices a hook within
//! milliseconds (the spool grew) and `refresh` re-resolves without
//! touching tmux, so deterministic changes show at once.
//!
//! Tracks persist in `cache/agents/poller.json`, so consecutive `status`
//! runs share history; evidence switches are logged, with their reasons,
//! to `cache/agents/resolver.log` (JSON lines).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::activity::{Activity, Evidence, Presence};
use super::classify::Classifier;
use super::procs::ProcTable;
use super::resolve::{self, PaneInput, PaneView, Switch};
use super::sessions::{self, SessionState};
use super::track::{Timing, Track};
use crate::clock;
use crate::error::Result;
use crate::store::Store;
use crate::tmux::{PaneRow, Tmux};
use crate::workspace::Workspace;

/// Gone panes' tracks are kept this long, so a pane id reused soon after
/// (a restarted server) still counts as a new generation.
const TOMBSTONE_MS: i64 = 10 * 60 * 1000;
/// `resolver.log` is rotated past this size.
const RESOLVER_LOG_MAX: u64 = 1 << 20;

/// What changed on one pane between two snapshots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `appeared`, `changed` or `gone`.
    pub change: &'static str,
    pub ts: String,
    #[serde(flatten)]
    pub pane: PaneView,
    /// The pane's presence, evidence and activity before (not for `appeared`).
    pub previous: Option<Value>,
}

pub struct Monitor {
    pub tmux: Tmux,
    store: Option<Store>,
    classifier: Classifier,
    pub timing: Timing,
    /// Participants configured with `pane:` (a target or `%id`).
    configured: Vec<(String, String)>,
    tracks: HashMap<String, Track>,
    rows: Vec<PaneRow>,
    /// Each pane's agent signature and the pids in its process tree.
    trees: HashMap<String, Tree>,
    spool_seen: Option<(u64, u64)>,
    session_cache: sessions::SessionCache,
    last: Vec<PaneView>,
}

/// What a poll saw under one pane.
#[derive(Clone, Default)]
struct Tree {
    signature: Option<super::classify::Signature>,
    pids: HashSet<u32>,
}

/// A track's key: pane ids are unique per server only.
fn key(row: &PaneRow) -> String {
    format!("{}|{}", row.socket, row.id)
}

fn tracks_path(store: &Store) -> PathBuf {
    sessions::dir(store).join("poller.json")
}

impl Monitor {
    /// Open in the repository around `start` (its config, its hook
    /// sources); outside one, with the built-in patterns and no hooks.
    pub fn open(start: &Path, tmux: Tmux) -> Result<Monitor> {
        let (store, config) = match Workspace::open(start) {
            Ok(ws) => (Some(ws.store), ws.config),
            Err(e) if e.kind() == crate::ErrorKind::User && Store::locate(start).is_err() => {
                (None, crate::config::defaults().clone())
            }
            Err(e) => return Err(e),
        };
        let configured = config
            .agents
            .iter()
            .filter_map(|(name, a)| Some((a.pane.clone()?, name.clone())))
            .collect();
        let tracks = store
            .as_ref()
            .and_then(|s| std::fs::read(tracks_path(s)).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Ok(Monitor {
            tmux,
            classifier: Classifier::from_config(&config.watch)?,
            timing: Timing::from_config(&config.watch),
            store,
            configured,
            tracks,
            rows: Vec::new(),
            trees: HashMap::new(),
            spool_seen: None,
            session_cache: sessions::SessionCache::default(),
            last: Vec::new(),
        })
    }

    pub fn has_store(&self) -> bool {
        self.store.is_some()
    }

    /// The latest snapshot.
    pub fn snapshot(&self) -> &[PaneView] {
        &self.last
    }

    fn sessions(&mut self) -> Vec<SessionState> {
        match &self.store {
            Some(store) => self.session_cache.load_all(store),
            None => Vec::new(),
        }
    }

    /// Has a hook written since the last look? One `stat`.
    pub fn hooks_changed(&mut self) -> bool {
        let Some(store) = &self.store else {
            return false;
        };
        let sig = std::fs::metadata(sessions::spool_path(store))
            .ok()
            .map(|m| {
                use std::os::unix::fs::MetadataExt;
                (m.ino(), m.len())
            });
        let changed = sig != self.spool_seen;
        self.spool_seen = sig;
        changed
    }

    /// A full poll: tmux, processes, screens; then resolve.
    pub fn poll(&mut self) -> Result<Vec<Change>> {
        let now = clock::now_ms();
        let rows = self.tmux.list_panes()?;
        let procs = ProcTable::read();
        let sessions = self.sessions();
        let mut trees = HashMap::new();
        let mut to_capture = Vec::new();
        for row in &rows {
            let tree = Tree {
                signature: self.classifier.signature(&procs, row.pid, &row.command),
                pids: procs.tree(row.pid).iter().map(|p| p.pid).collect(),
            };
            let bound = resolve::binding(row, &sessions, &|p| tree.pids.contains(&p)).is_some();
            if tree.signature.is_some() || bound {
                to_capture.push(row);
            }
            trees.insert(key(row), tree);
            // A new pid under a known pane id is a new generation.
            let k = key(row);
            let generation = match self.tracks.get(&k) {
                Some(t) if t.pid == row.pid => t.generation,
                Some(t) => t.generation + 1,
                None => 1,
            };
            if self.tracks.get(&k).is_none_or(|t| t.pid != row.pid) {
                self.tracks.insert(k, Track::new(row.pid, generation, now));
            }
        }
        let ids: Vec<&str> = to_capture.iter().map(|r| r.id.as_str()).collect();
        let screens = self.tmux.capture_screens(&ids)?;
        for (row, screen) in to_capture.iter().zip(&screens) {
            if screen.is_empty() {
                continue;
            }
            let reading = self.classifier.read(screen);
            if let Some(t) = self.tracks.get_mut(&key(row)) {
                t.step(&reading, now, &self.timing);
            }
        }
        self.tracks.retain(|_, t| {
            now - t.last_seen_ms < TOMBSTONE_MS || rows.iter().any(|r| r.pid == t.pid)
        });
        for row in &rows {
            if let Some(t) = self.tracks.get_mut(&key(row)) {
                t.last_seen_ms = now;
            }
        }
        self.rows = rows;
        self.trees = trees;
        let changes = self.resolve_all(&sessions, now);
        self.save_tracks();
        Ok(changes)
    }

    /// Re-resolve the last poll's panes against the hook sources as they
    /// are now, without asking tmux (for hooks noticed between polls).
    pub fn refresh(&mut self) -> Vec<Change> {
        let sessions = self.sessions();
        self.resolve_all(&sessions, clock::now_ms())
    }

    /// One settled snapshot (for `status`, `wait` and `agents_status`): a
    /// poll, and a second one after the stable window when a pane's screen
    /// suggests a state the window has not yet allowed (first sight of an
    /// idle prompt, with no history from an earlier run).
    pub fn poll_settled(&mut self) -> Result<&[PaneView]> {
        self.poll()?;
        if self.unsettled() {
            std::thread::sleep(std::time::Duration::from_millis(
                self.timing.stable_ms as u64 + 50,
            ));
            self.poll()?;
        }
        Ok(&self.last)
    }

    /// Panes whose screen suggests a state the stable window has not yet
    /// allowed.
    fn unsettled(&self) -> bool {
        self.last.iter().any(|v| {
            v.evidence == Evidence::Heuristic
                && self
                    .rows
                    .iter()
                    .find(|r| r.id == v.pane)
                    .and_then(|r| self.tracks.get(&key(r)))
                    .is_some_and(|t| t.pending)
        })
    }

    fn configured_for(&self, row: &PaneRow) -> Option<String> {
        self.configured
            .iter()
            .find(|(target, _)| *target == row.id || *target == row.target())
            .map(|(_, name)| name.clone())
    }

    fn resolve_all(&mut self, sessions: &[SessionState], now: i64) -> Vec<Change> {
        let mut views = Vec::with_capacity(self.rows.len());
        let mut switches = Vec::new();
        let rows = std::mem::take(&mut self.rows);
        for row in &rows {
            let k = key(row);
            let tree = self.trees.get(&k).cloned().unwrap_or_default();
            let configured = self.configured_for(row);
            let Some(track) = self.tracks.get_mut(&k) else {
                continue;
            };
            let (view, switch) = resolve::resolve(
                PaneInput {
                    row,
                    signature: tree.signature,
                    busy_tree: tree.pids.len() > 1,
                    session: resolve::binding(row, sessions, &|p| tree.pids.contains(&p)),
                    configured,
                },
                track,
                now,
                &self.timing,
            );
            switches.extend(switch);
            views.push(view);
        }
        self.rows = rows;
        views.sort_by(|a, b| (&a.session, a.window, a.index).cmp(&(&b.session, b.window, b.index)));
        self.log_switches(&switches, now);
        let changes = diff(&self.last, &views, now);
        self.last = views;
        changes
    }

    fn save_tracks(&self) {
        if let Some(store) = &self.store {
            let sorted: BTreeMap<_, _> = self.tracks.iter().collect();
            // Best effort: without it the next `status` starts afresh.
            let _ = crate::fsutil::replace_cache_file(
                &tracks_path(store),
                &serde_json::to_vec(&sorted).unwrap_or_default(),
            );
        }
    }

    fn log_switches(&self, switches: &[Switch], now: i64) {
        let Some(store) = &self.store else { return };
        if switches.is_empty() {
            return;
        }
        let path = sessions::dir(store).join("resolver.log");
        let _ = std::fs::create_dir_all(sessions::dir(store));
        // Kept short: the last megabyte, and the one before it.
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > RESOLVER_LOG_MAX) {
            let _ = std::fs::rename(&path, path.with_file_name("resolver.1.log"));
        }
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let mut out = Vec::new();
            for s in switches {
                let mut v = serde_json::to_value(s).unwrap_or_default();
                v["ts"] = Value::String(clock::format_ms(now));
                let _ = serde_json::to_writer(&mut out, &v);
                out.push(b'\n');
            }
            let _ = f.write_all(&out);
        }
    }
}

fn brief(v: &PaneView) -> Value {
    serde_json::json!({
        "presence": v.presence,
        "evidence": v.evidence,
        "activity": v.activity,
    })
}

/// The changes from `before` to `after`, keyed by pane instance.
fn diff(before: &[PaneView], after: &[PaneView], now: i64) -> Vec<Change> {
    let ts = clock::format_ms(now);
    let id = |v: &PaneView| (v.pane.clone(), v.generation);
    let old: HashMap<_, _> = before.iter().map(|v| (id(v), v)).collect();
    let new: HashMap<_, _> = after.iter().map(|v| (id(v), v)).collect();
    let mut out = Vec::new();
    for v in after {
        match old.get(&id(v)) {
            None => out.push(Change {
                change: "appeared",
                ts: ts.clone(),
                pane: v.clone(),
                previous: None,
            }),
            Some(o) if differs(o, v) => out.push(Change {
                change: "changed",
                ts: ts.clone(),
                pane: v.clone(),
                previous: Some(brief(o)),
            }),
            Some(_) => {}
        }
    }
    for v in before {
        if !new.contains_key(&id(v)) {
            out.push(Change {
                change: "gone",
                ts: ts.clone(),
                pane: v.clone(),
                previous: Some(brief(v)),
            });
        }
    }
    out
}

/// A change worth a line: what the pane is, not how old its evidence is.
fn differs(a: &PaneView, b: &PaneView) -> bool {
    a.presence != b.presence
        || a.evidence != b.evidence
        || a.activity != b.activity
        || a.session_id != b.session_id
        || a.participant != b.participant
        || a.title != b.title
}

/// Rows in display order: sessions holding a pane that needs attention
/// first, and within a session, attention first.
pub fn display_order(views: &[PaneView]) -> Vec<&PaneView> {
    let mut attention_sessions: Vec<&str> = views
        .iter()
        .filter(|v| v.attention)
        .map(|v| v.session.as_str())
        .collect();
    attention_sessions.dedup();
    let mut out: Vec<&PaneView> = views.iter().collect();
    out.sort_by_key(|v| {
        (
            !attention_sessions.contains(&v.session.as_str()),
            v.session.clone(),
            !v.attention,
            v.presence != Presence::Managed,
            v.window,
            v.index,
        )
    });
    out
}

/// Which pane `target` names: `%id`, `session:window.pane`, `session:window`
/// (a window with one pane), a participant, a session id (or a prefix of
/// six characters or more), or a tmux session name holding one agent.
pub fn find<'a>(views: &'a [PaneView], target: &str) -> std::result::Result<&'a PaneView, String> {
    let exact: Vec<&PaneView> = views
        .iter()
        .filter(|v| {
            v.pane == target
                || v.target == target
                || v.participant.as_deref() == Some(target)
                || v.session_id.as_deref() == Some(target)
        })
        .collect();
    let candidates = if exact.is_empty() {
        views
            .iter()
            .filter(|v| {
                format!("{}:{}", v.session, v.window) == target
                    || (v.session == target && v.presence == Presence::Managed)
                    || (target.len() >= 6
                        && v.session_id
                            .as_deref()
                            .is_some_and(|s| s.starts_with(target)))
            })
            .collect()
    } else {
        exact
    };
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("no pane matches `{target}`")),
        many => Err(format!(
            "`{target}` matches {} panes ({}); name one by %id or session:window.pane",
            many.len(),
            many.iter()
                .map(|v| v.pane.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Does `activity` satisfy `wait --until`?
pub fn reached(until: &str, v: &PaneView) -> bool {
    match until {
        "idle" => v.activity == Activity::Idle,
        "waiting" => v.activity.is_waiting(),
        // The agent stopped working: idle, waiting, failed or gone.
        _ => {
            matches!(
                v.activity,
                Activity::Idle
                    | Activity::WaitingApproval
                    | Activity::WaitingInput
                    | Activity::Error
            ) || v.presence == Presence::Unmanaged
        }
    }
}
