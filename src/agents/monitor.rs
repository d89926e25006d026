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
//!
//! The monitor reads the world through [`Sources`]: a tmux client, a clock
//! and the process table. The program uses the real ones; unit tests give
//! it a fake tmux, a clock that moves only when told (so the stable,
//! disagreement and staleness windows pass without sleeping) and a
//! process table of their own.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::activity::{Activity, Evidence, Presence};
use super::classify::Classifier;
use super::procs::ProcTable;
use super::resolve::{self, PaneInput, PaneView, Switch};
use super::sessions::{self, SessionState};
use super::track::{Timing, Track};
use crate::clock::{self, Clock, SystemClock};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::tmux::{self, PaneRow};
use crate::workspace::Workspace;

/// Gone panes' tracks are kept this long, so a pane id reused soon after
/// (a restarted server) still counts as a new generation.
const TOMBSTONE_MS: i64 = 10 * 60 * 1000;
/// `resolver.log` is rotated past this size.
const RESOLVER_LOG_MAX: u64 = 1 << 20;
/// How often `follow` looks at the hook spool between polls.
const HOOK_CHECK: Duration = Duration::from_millis(20);

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

/// Where a monitor reads the world.
pub struct Sources {
    pub tmux: Box<dyn tmux::Client>,
    pub clock: Box<dyn Clock>,
    /// A snapshot of the processes, taken once per poll.
    pub procs: Box<dyn Fn() -> ProcTable>,
}

impl Sources {
    /// `tmux`, the system clock and `/proc`.
    pub fn system(tmux: impl tmux::Client + 'static) -> Sources {
        Sources {
            tmux: Box::new(tmux),
            clock: Box::new(SystemClock),
            procs: Box::new(ProcTable::read),
        }
    }
}

pub struct Monitor {
    pub tmux: Box<dyn tmux::Client>,
    clock: Box<dyn Clock>,
    procs: Box<dyn Fn() -> ProcTable>,
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
    pub fn open(start: &Path, tmux: impl tmux::Client + 'static) -> Result<Monitor> {
        let (store, config) = match Workspace::open(start) {
            Ok(ws) => (Some(ws.store), ws.config),
            Err(e) if e.kind() == crate::ErrorKind::User && Store::locate(start).is_err() => {
                (None, crate::config::defaults().clone())
            }
            Err(e) => return Err(e),
        };
        Monitor::new(&config, store, Sources::system(tmux))
    }

    /// A monitor with `config`'s patterns, timings and configured panes,
    /// reading hooks from (and keeping its tracks in) `store` when there
    /// is one.
    pub fn new(config: &Config, store: Option<Store>, sources: Sources) -> Result<Monitor> {
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
            tmux: sources.tmux,
            clock: sources.clock,
            procs: sources.procs,
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
        let now = self.clock.now_ms();
        let rows = self.tmux.list_panes()?;
        let procs = (self.procs)();
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
        let now = self.clock.now_ms();
        self.resolve_all(&sessions, now)
    }

    /// One settled snapshot (for `status`, `wait` and `agents_status`): a
    /// poll, and a second one after the stable window when a pane's screen
    /// suggests a state the window has not yet allowed (first sight of an
    /// idle prompt, with no history from an earlier run).
    pub fn poll_settled(&mut self) -> Result<&[PaneView]> {
        self.poll()?;
        if self.unsettled() {
            self.clock
                .sleep(Duration::from_millis(self.timing.stable_ms as u64 + 50));
            self.poll()?;
        }
        Ok(&self.last)
    }

    /// The instant `timeout` from now, by this monitor's clock.
    pub fn deadline(&self, timeout: Duration) -> Instant {
        self.clock.instant() + timeout
    }

    /// Poll on the configured interval, and look at the hook spool every
    /// `HOOK_CHECK` in between; `each` gets every batch of changes with the
    /// snapshot after them, and says whether to go on. False at the
    /// deadline.
    pub fn follow(
        &mut self,
        deadline: Option<Instant>,
        mut each: impl FnMut(&[Change], &[PaneView]) -> Result<bool>,
    ) -> Result<bool> {
        let poll_every = Duration::from_millis(self.timing.poll_ms as u64);
        let mut next_poll = self.clock.instant();
        loop {
            let changes = if self.clock.instant() >= next_poll {
                next_poll = self.clock.instant() + poll_every;
                self.hooks_changed();
                self.poll()?
            } else if self.hooks_changed() {
                self.refresh()
            } else {
                Vec::new()
            };
            if !changes.is_empty() && !each(&changes, &self.last)? {
                return Ok(true);
            }
            if deadline.is_some_and(|d| self.clock.instant() >= d) {
                return Ok(false);
            }
            self.clock.sleep(HOOK_CHECK);
        }
    }

    /// `wait`: poll once, pin the pane `target` names (that instance: a
    /// new process in the pane is not it), and follow until it reaches
    /// `until` (see `reached`), goes away, or `deadline` passes.
    pub fn wait(&mut self, target: &str, until: &str, deadline: Option<Instant>) -> Result<Waited> {
        // One poll, not a settled one: the loop below keeps polling, and a
        // settling pause could outlast the deadline.
        self.poll()?;
        let pinned = find(&self.last, target)
            .map_err(|e| {
                Error::user(e).hint("`codexa status` lists the panes and their participants")
            })?
            .clone();
        let mut outcome = check(&pinned, until, &self.last);
        if outcome.is_none() {
            self.follow(deadline, |_, views| {
                outcome = check(&pinned, until, views);
                Ok(outcome.is_none())
            })?;
        }
        Ok(outcome.unwrap_or(Waited::TimedOut(pinned)))
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

/// How a `wait` ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Waited {
    /// The pane reached the state; for `any`, a pane that went away counts,
    /// shown unmanaged with the reason `pane is gone`.
    Reached(PaneView),
    /// The pane went away before it reached the state; why, in words.
    Gone(String),
    /// The deadline passed first; the pane as first seen.
    TimedOut(PaneView),
}

/// What `wait` found in `views`: the pinned pane in the state asked for,
/// or gone; none while it is still on its way.
fn check(pinned: &PaneView, until: &str, views: &[PaneView]) -> Option<Waited> {
    match views
        .iter()
        .find(|v| v.pane == pinned.pane && v.generation == pinned.generation)
    {
        Some(v) if reached(until, v) => Some(Waited::Reached(v.clone())),
        Some(_) => None,
        // The agent's pane closed: it is certainly not working any more.
        None if until == "any" => Some(Waited::Reached(PaneView {
            presence: Presence::Unmanaged,
            evidence: Evidence::None,
            activity: Activity::Unknown,
            attention: false,
            reason: "pane is gone".into(),
            ..pinned.clone()
        })),
        None => Some(Waited::Gone(format!(
            "pane {} ({}) is gone",
            pinned.pane, pinned.target
        ))),
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::agents::Provider;
    use crate::agents::procs::Proc;
    use crate::agents::sessions::{Observation, PaneContext};
    use crate::clock::ManualClock;
    use crate::tmux::fake::{self, FakeTmux};

    const BUSY: &str = "● Reading files\n\n✻ Pondering… (12s · esc to interrupt)\n\n╭──────╮\n│ >    │\n╰──────╯\n";
    const IDLE: &str = "● Done.\n\n╭──────╮\n│ >    │\n╰──────╯\n  ? for shortcuts\n";
    const SHELL: &str = "$ ls\nfoo\n$ ";
    /// 2026-01-01T00:00:00Z.
    const T0: i64 = 1_767_225_600_000;

    /// Claude under a shell in pane `%1` (pids 100, then 101), a plain
    /// shell in `%2` (pid 200).
    fn procs() -> ProcTable {
        let mut t = ProcTable::default();
        t.insert(Proc::new(100, 1, vec!["-bash".into()]));
        t.insert(Proc::new(
            101,
            100,
            vec!["node".into(), "/usr/local/bin/claude".into()],
        ));
        t.insert(Proc::new(200, 1, vec!["bash".into()]));
        t
    }

    /// Claude's pane `%1` showing `screen`, and a shell in `%2`.
    fn panes(screen: &str) -> FakeTmux {
        let tmux = FakeTmux::default();
        tmux.open(fake::row("%1", 100, "claude", "work"), screen);
        tmux.open(fake::row("%2", 200, "bash", "shell"), SHELL);
        tmux
    }

    /// A monitor of `tmux` on `clock`, with `watch` timings and its hooks
    /// and tracks in `store`.
    fn monitor(
        tmux: &FakeTmux,
        clock: impl Clock + 'static,
        watch: Value,
        store: Option<Store>,
    ) -> Monitor {
        let sources = Sources {
            tmux: Box::new(tmux.clone()),
            clock: Box::new(clock),
            procs: Box::new(procs),
        };
        let config = Config::from_value(json!({ "version": 1, "watch": watch })).unwrap();
        Monitor::new(&config, store, sources).unwrap()
    }

    fn view<'a>(views: &'a [PaneView], pane: &str) -> &'a PaneView {
        views.iter().find(|v| v.pane == pane).unwrap()
    }

    #[test]
    fn the_input_box_is_idle_only_once_the_screen_has_been_still_for_the_window() {
        let clock = ManualClock::at(T0);
        let watch = json!({"stable_ms": 1500});
        let tmux = panes(BUSY);
        let mut m = monitor(&tmux, clock.clone(), watch, None);
        let first = m.poll().unwrap();
        assert_eq!(first.len(), 2);
        assert!(first.iter().all(|c| c.change == "appeared"), "{first:?}");
        let claude = view(m.snapshot(), "%1");
        assert_eq!(
            (claude.presence, claude.evidence, claude.activity),
            (Presence::Managed, Evidence::Heuristic, Activity::Running)
        );
        let shell = view(m.snapshot(), "%2");
        assert_eq!(
            (shell.presence, shell.activity),
            (Presence::Unmanaged, Activity::Unknown)
        );

        tmux.show("%1", IDLE);
        clock.advance(Duration::from_millis(100));
        let switched = clock.now_ms();
        for _ in 0..14 {
            m.poll().unwrap();
            assert_eq!(view(m.snapshot(), "%1").activity, Activity::Running);
            clock.advance(Duration::from_millis(100));
        }
        clock.advance(Duration::from_millis(100));
        let changes = m.poll().unwrap();
        assert_eq!(changes.len(), 1, "{changes:?}");
        let c = &changes[0];
        assert_eq!((c.change, c.pane.activity), ("changed", Activity::Idle));
        assert_eq!(c.previous.as_ref().unwrap()["activity"], "running");
        assert_eq!(c.pane.since_ms, switched + 1500);
        assert_eq!(c.ts, clock::format_ms(switched + 1500));
    }

    #[test]
    fn a_settled_snapshot_waits_out_the_window_on_the_monitors_clock() {
        let clock = ManualClock::at(T0);
        let watch = json!({"stable_ms": 1500});
        let mut m = monitor(&panes(IDLE), clock.clone(), watch, None);
        let started = std::time::Instant::now();
        let views = m.poll_settled().unwrap();
        assert_eq!(view(views, "%1").activity, Activity::Idle);
        assert_eq!(clock.now_ms(), T0 + 1550, "one wait of the window");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "it did not sleep"
        );
        // Settled already: no second wait.
        m.poll_settled().unwrap();
        assert_eq!(clock.now_ms(), T0 + 1550);
    }

    /// Record hook `event` of session `s1` in `store` as the hook does
    /// (the session's state, then the spool line), sent at `now` from pane
    /// `%1` under its claude (pid 101).
    fn hook(store: &Store, event: &str, now: i64) {
        let raw = json!({"hook_event_name": event, "session_id": "s1", "prompt": "Fix CI"});
        let obs = Observation::of(Provider::Claude, &raw).unwrap();
        let ctx = PaneContext {
            pane: Some("%1".into()),
            socket: Some(fake::row("%1", 0, "", "").socket),
            ancestors: vec![101, 100, 1],
            agent_pid: Some(101),
        };
        sessions::observe(store, &obs, &ctx, None, now).unwrap();
        sessions::spool(store, Provider::Claude, &raw, now, &ctx);
    }

    fn resolver_log(store: &Store) -> Vec<Value> {
        let text = std::fs::read_to_string(sessions::dir(store).join("resolver.log")).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn hooks_win_until_a_running_agent_falls_silent_and_the_next_hook_wins_again() {
        let (_dir, ws) = crate::workspace::temporary();
        let store = ws.store;
        let clock = ManualClock::at(T0);
        let watch = json!({"stable_ms": 300, "stale_running_ms": 10_000, "disagree_ms": 600_000});
        let mut m = monitor(&panes(BUSY), clock.clone(), watch, Some(store.clone()));
        hook(&store, "SessionStart", T0);
        hook(&store, "UserPromptSubmit", T0);
        m.poll().unwrap();
        let v = view(m.snapshot(), "%1");
        assert_eq!(
            (v.evidence, v.activity, v.session_id.as_deref()),
            (Evidence::Deterministic, Activity::Running, Some("s1"))
        );
        assert_eq!(v.reason, "hook:UserPromptSubmit");

        clock.advance(Duration::from_millis(10_000));
        m.poll().unwrap();
        assert_eq!(view(m.snapshot(), "%1").evidence, Evidence::Deterministic);
        clock.advance(Duration::from_millis(1));
        m.poll().unwrap();
        let v = view(m.snapshot(), "%1");
        assert_eq!(
            (v.evidence, v.activity),
            (Evidence::Heuristic, Activity::Running)
        );
        let last = resolver_log(&store).pop().unwrap();
        assert_eq!(last["reason"], "no hook for 10001 ms while running");
        assert_eq!(last["ts"], clock::format_ms(T0 + 10_001));

        // A hook between polls: `refresh` shows it without asking tmux.
        clock.advance(Duration::from_millis(5));
        m.hooks_changed();
        hook(&store, "PostToolUse", clock.now_ms());
        assert!(m.hooks_changed(), "the spool grew");
        let changes = m.refresh();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].pane.evidence, Evidence::Deterministic);
        assert_eq!(
            resolver_log(&store).pop().unwrap()["reason"],
            "hook PostToolUse re-promotes"
        );
    }

    #[test]
    fn a_screen_that_disagrees_for_the_window_overrules_the_hooks() {
        let (_dir, ws) = crate::workspace::temporary();
        let store = ws.store;
        let clock = ManualClock::at(T0);
        let watch = json!({"stable_ms": 300, "disagree_ms": 1000, "stale_running_ms": 600_000});
        let tmux = panes(BUSY);
        let mut m = monitor(&tmux, clock.clone(), watch, Some(store.clone()));
        hook(&store, "SessionStart", T0);
        hook(&store, "UserPromptSubmit", T0);
        m.poll().unwrap();
        // Interrupted: the prompt is back, and no Stop comes.
        tmux.show("%1", IDLE);
        let mut demoted_at = None;
        for _ in 0..40 {
            clock.advance(Duration::from_millis(100));
            m.poll().unwrap();
            if view(m.snapshot(), "%1").evidence == Evidence::Heuristic {
                demoted_at = Some(clock.now_ms());
                break;
            }
        }
        // The prompt first seen at +100 ms, idle once still for 300 ms,
        // then disagreeing with the hooks for 1000 ms more.
        assert_eq!(demoted_at, Some(T0 + 1400));
        let v = view(m.snapshot(), "%1");
        assert_eq!(
            (v.activity, v.session_id.as_deref()),
            (Activity::Idle, Some("s1"))
        );
        let last = resolver_log(&store).pop().unwrap();
        assert!(
            last["reason"]
                .as_str()
                .unwrap()
                .starts_with("screen shows idle for 1000 ms"),
            "{last}"
        );
    }

    /// A clock that does `then` once it has been slept on past `at`.
    struct Then<F: Fn()> {
        clock: ManualClock,
        at: i64,
        then: F,
    }

    impl<F: Fn()> Clock for Then<F> {
        fn now_ms(&self) -> i64 {
            self.clock.now_ms()
        }

        fn instant(&self) -> Instant {
            self.clock.instant()
        }

        fn sleep(&self, d: Duration) {
            let before = self.clock.now_ms();
            self.clock.sleep(d);
            if before < self.at && self.clock.now_ms() >= self.at {
                (self.then)();
            }
        }
    }

    /// A monitor whose pane `%1` shows `screen`, and whose clock calls
    /// `then` with the fake tmux once `after_ms` have passed.
    fn scripted(
        screen: &str,
        after_ms: i64,
        then: impl Fn(&FakeTmux) + 'static,
    ) -> (Monitor, ManualClock) {
        let clock = ManualClock::at(T0);
        let tmux = panes(screen);
        let handle = tmux.clone();
        let script = Then {
            clock: clock.clone(),
            at: T0 + after_ms,
            then: move || then(&handle),
        };
        let watch = json!({"stable_ms": 300, "poll_ms": 100});
        (monitor(&tmux, script, watch, None), clock)
    }

    #[test]
    fn wait_follows_a_pane_until_it_gets_there_goes_away_or_time_runs_out() {
        let (mut m, clock) = scripted(BUSY, 2_000, |tmux| tmux.show("%1", IDLE));
        let deadline = m.deadline(Duration::from_secs(30));
        let Waited::Reached(v) = m.wait("work:0.0", "idle", Some(deadline)).unwrap() else {
            panic!("not reached")
        };
        assert_eq!((v.pane.as_str(), v.activity), ("%1", Activity::Idle));
        // Idle once the new screen has been still for the window.
        let waited = clock.now_ms() - T0;
        assert!((2_300..2_500).contains(&waited), "{waited} ms");

        let (mut m, clock) = scripted(BUSY, 60_000, |tmux| tmux.show("%1", IDLE));
        let deadline = m.deadline(Duration::from_secs(1));
        let outcome = m.wait("%1", "waiting", Some(deadline)).unwrap();
        assert!(
            matches!(outcome, Waited::TimedOut(ref v) if v.pane == "%1"),
            "{outcome:?}"
        );
        assert!((1_000..1_100).contains(&(clock.now_ms() - T0)));

        let (mut m, _) = scripted(BUSY, 500, |tmux| tmux.close("%1"));
        let outcome = m.wait("%1", "idle", None).unwrap();
        assert_eq!(outcome, Waited::Gone("pane %1 (work:0.0) is gone".into()));
        let (mut m, _) = scripted(BUSY, 500, |tmux| tmux.close("%1"));
        let Waited::Reached(v) = m.wait("%1", "any", None).unwrap() else {
            panic!("a pane gone is an agent stopped")
        };
        assert_eq!(
            (v.presence, v.reason.as_str()),
            (Presence::Unmanaged, "pane is gone")
        );

        let (mut m, _) = scripted(BUSY, 0, |_| ());
        let e = m.wait("%9", "idle", None).unwrap_err();
        assert_eq!(e.message(), "no pane matches `%9`");
    }
}
