//! `codexa status`, `watch --stream` and `wait` against a real tmux server.
//!
//! Every test starts its own tmux server on a private socket and runs
//! stand-in agents in its panes ([`Server`] and [`Agent`], in
//! `common::tmux`): scripts that draw Claude- or Codex-like screens and,
//! when told, run `codexa hook` from inside their pane as the real agents
//! do. The clock is real (the hooks run under a stand-in named as an
//! agent, which ignores the test clock by design), and each repository
//! sets small `watch:` timings so the stable and disagreement windows pass
//! quickly; the windows' exact edges are unit-tested in `agents::monitor`,
//! on a fake tmux and a clock that moves only when told. Nothing waits a
//! fixed time to assert: every expectation is polled until it holds or
//! `DEADLINE` passes.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::common::{
    Agent, DEADLINE, Server, TestEnv, claude_event, eventually, extend_config, stderr, stdout,
};

/// Every key of a pane in `status --format json` (and of a `watch
/// --stream` line, which adds `change`, `ts` and `previous`).
const VIEW_KEYS: [&str; 23] = [
    "pane",
    "generation",
    "target",
    "session",
    "window",
    "index",
    "window_name",
    "presence",
    "evidence",
    "activity",
    "attention",
    "provider",
    "participant",
    "session_id",
    "title",
    "title_source",
    "age_ms",
    "since_ms",
    "reason",
    "signature",
    "command",
    "pid",
    "cwd",
];

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// `codexa` in `dir` with the test's environment (TestEnv's `LC_ALL=C`:
/// codexa must read tmux whatever the locale).
fn std_codexa(env: &TestEnv, dir: &Path) -> Command {
    env.std_codexa(dir)
}

fn codexa(env: &TestEnv, dir: &Path) -> assert_cmd::Command {
    assert_cmd::Command::from_std(std_codexa(env, dir))
}

/// A repository whose `watch:` config is `settings` (YAML, indented).
fn watch_repo(env: &TestEnv, settings: &str) -> PathBuf {
    let repo = env.init_repo("shop");
    extend_config(&repo, &format!("watch:\n{settings}"));
    repo
}

/// `codexa status --format json [ARGS]` on `server`'s socket.
fn status_with(env: &TestEnv, repo: &Path, server: &Server, args: &[&str]) -> Vec<Value> {
    let out = codexa(env, repo)
        .args(["status", "--format", "json", "--socket", &server.socket])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "status failed: {}{}",
        stdout(&out),
        stderr(&out)
    );
    serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("status printed no JSON array ({e}): {}", stdout(&out)))
}

fn status(env: &TestEnv, repo: &Path, server: &Server) -> Vec<Value> {
    status_with(env, repo, server, &[])
}

/// Pane `id` in a snapshot.
fn pane(views: &[Value], id: &str) -> Value {
    views
        .iter()
        .find(|v| v["pane"] == id)
        .unwrap_or_else(|| panic!("no pane {id} in {views:#?}"))
        .clone()
}

/// One status of pane `id`.
fn status_of(env: &TestEnv, repo: &Path, server: &Server, id: &str) -> Value {
    pane(&status(env, repo, server), id)
}

/// What a pane is, in one line, for failure messages.
fn brief(v: &Value) -> String {
    format!(
        "{} {} {} {} (reason {}, generation {}, session {}, title {})",
        v["pane"],
        v["presence"],
        v["evidence"],
        v["activity"],
        v["reason"],
        v["generation"],
        v["session_id"],
        v["title"]
    )
}

/// Run `status` until pane `id` satisfies `ok`; that view.
fn status_until(
    env: &TestEnv,
    repo: &Path,
    server: &Server,
    id: &str,
    what: &str,
    ok: impl Fn(&Value) -> bool,
) -> Value {
    eventually(&format!("{id} to be {what}"), || {
        let v = status_of(env, repo, server, id);
        if ok(&v) { Ok(v) } else { Err(brief(&v)) }
    })
}

fn activity_is(activity: &'static str) -> impl Fn(&Value) -> bool {
    move |v| v["activity"] == activity
}

fn reason(v: &Value) -> &str {
    v["reason"].as_str().unwrap()
}

/// The resolver's log of evidence switches (`cache/agents/resolver.log`).
fn resolver_log(env: &TestEnv, repo: &Path) -> Vec<Value> {
    let path = env.store_dir(repo).join("cache/agents/resolver.log");
    crate::common::json_lines(&std::fs::read_to_string(path).unwrap_or_default())
}

/// The events on the session's stream `agent_session:<id>`, oldest first.
fn session_events(env: &TestEnv, repo: &Path, id: &str) -> Vec<Value> {
    env.query(repo, &["--stream", &format!("agent_session:{id}")])
}

/// Each event's `type`.
fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

/// The inode of `cache/agents/poller.json`, which every poll of tmux
/// replaces (a new file renamed over it): a change shows that a `wait` or
/// `watch` started meanwhile has polled.
fn poller_inode(env: &TestEnv, repo: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    let path = env.store_dir(repo).join("cache/agents/poller.json");
    std::fs::metadata(path).map(|m| m.ino()).ok()
}

/// A child process killed on drop.
struct Running(Child);

impl Running {
    /// Wait for it to exit, at most `DEADLINE`; its output and how long
    /// that took from `since`.
    fn finish(mut self, since: Instant) -> (Output, Duration) {
        let status = eventually("the command to exit", || {
            self.0
                .try_wait()
                .unwrap()
                .ok_or_else(|| "still running".to_string())
        });
        let took = since.elapsed();
        let mut out = Output {
            status,
            stdout: Vec::new(),
            stderr: Vec::new(),
        };
        if let Some(mut s) = self.0.stdout.take() {
            s.read_to_end(&mut out.stdout).unwrap();
        }
        if let Some(mut s) = self.0.stderr.take() {
            s.read_to_end(&mut out.stderr).unwrap();
        }
        (out, took)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_codexa(env: &TestEnv, repo: &Path, args: &[&str]) -> Running {
    Running(
        std_codexa(env, repo)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    )
}

#[test]
fn screens_say_running_waiting_and_idle_and_a_plain_shell_is_unmanaged() {
    let env = TestEnv::real_clock();
    // A long stable window, to see that idle waits for it.
    let stable_ms = 1500;
    let repo = watch_repo(&env, &format!("  poll_ms: 100\n  stable_ms: {stable_ms}\n"));
    let server = Server::new(&env, "screens");
    let mut claude = Agent::start(&env, &server, &repo, "claude", "claude", "busy");
    let mut codex = Agent::start(&env, &server, &repo, "codex", "codex", "busy");
    let shell = server.shell("shell", &repo);

    // Busy: a spinner (Claude), "esc to interrupt" (Codex): running at once.
    for agent in [&claude, &codex] {
        let v = status_until(
            &env,
            &repo,
            &server,
            &agent.pane,
            "running",
            activity_is("running"),
        );
        assert_eq!(v["presence"], "managed", "{v:#}");
        assert_eq!(v["evidence"], "heuristic", "{v:#}");
        assert_eq!(v["provider"], agent.provider, "{v:#}");
        assert_eq!(v["signature"]["class"], agent.provider, "{v:#}");
        assert!(
            v["signature"]["reason"]
                .as_str()
                .unwrap()
                .starts_with(&format!("process:{} (pid ", agent.provider)),
            "{v:#}"
        );
        assert_eq!(v["attention"], false, "{v:#}");
        assert_eq!(v["session_id"], Value::Null, "{v:#}");
        assert_eq!(v["title_source"], "pane", "{v:#}");
        assert!(reason(&v).starts_with("busy:"), "{v:#}");
    }
    let claude_busy = status_of(&env, &repo, &server, &claude.pane);
    assert!(
        reason(&claude_busy).contains("ing…"),
        "the spinner decides: {claude_busy:#}"
    );
    let codex_busy = status_of(&env, &repo, &server, &codex.pane);
    assert!(
        reason(&codex_busy).contains("esc to interrupt"),
        "{codex_busy:#}"
    );

    // A plain shell: no agent, no evidence.
    let v = status_of(&env, &repo, &server, &shell);
    assert_eq!(v["presence"], "unmanaged", "{v:#}");
    assert_eq!(v["evidence"], "none", "{v:#}");
    assert_eq!(v["activity"], "unknown", "{v:#}");
    assert_eq!(v["attention"], false, "{v:#}");
    assert_eq!(v["provider"], Value::Null, "{v:#}");
    assert_eq!(v["signature"], Value::Null, "{v:#}");
    assert_eq!(v["age_ms"], Value::Null, "{v:#}");

    // An approval prompt: waiting for a person, at once.
    claude.screen("approval");
    codex.screen("approval");
    for agent in [&claude, &codex] {
        let v = status_until(
            &env,
            &repo,
            &server,
            &agent.pane,
            "waiting_approval",
            activity_is("waiting_approval"),
        );
        assert_eq!(v["attention"], true, "{v:#}");
        assert_eq!(v["evidence"], "heuristic", "{v:#}");
        assert!(reason(&v).starts_with("approval:"), "{v:#}");
    }
    let attention = status_with(&env, &repo, &server, &["--attention"]);
    let shown: BTreeSet<&str> = attention
        .iter()
        .map(|v| v["pane"].as_str().unwrap())
        .collect();
    assert_eq!(
        shown,
        BTreeSet::from([claude.pane.as_str(), codex.pane.as_str()]),
        "{attention:#?}"
    );

    // The input box alone: idle, but only once the screen has been still
    // for the stable window. Every poll after `switched` saw the new screen
    // no earlier than `switched`, so the pane cannot have turned idle
    // before `switched + stable_ms`.
    let switched = now_ms();
    claude.screen("idle");
    codex.screen("idle");
    for agent in [&claude, &codex] {
        let v = status_until(
            &env,
            &repo,
            &server,
            &agent.pane,
            "idle",
            activity_is("idle"),
        );
        let since = v["since_ms"].as_i64().unwrap();
        assert!(
            since >= switched + stable_ms,
            "idle {} ms after the switch, inside the {stable_ms} ms window: {v:#}",
            since - switched
        );
        assert_eq!(v["attention"], false, "{v:#}");
        assert_eq!(v["evidence"], "heuristic", "{v:#}");
        assert!(reason(&v).starts_with("prompt:"), "{v:#}");
    }
    assert!(
        status_with(&env, &repo, &server, &["--attention"]).is_empty(),
        "nobody needs a person any more"
    );
}

#[test]
fn hooks_from_inside_the_pane_win_until_the_screen_disagrees_and_the_next_hook_wins_again() {
    let env = TestEnv::real_clock();
    let disagree_ms = 1000;
    let repo = watch_repo(
        &env,
        &format!(
            "  poll_ms: 100\n  stable_ms: 300\n  disagree_ms: {disagree_ms}\n  stale_running_ms: 600000\n"
        ),
    );
    let server = Server::new(&env, "hooks");
    let mut claude = Agent::start(&env, &server, &repo, "claude", "claude", "idle");
    let sid = "3f2b9c1e-7d4a-4e6b-9a0c-5d8e1f2a3b4c";
    let ev = |name: &str, extra: Value| claude_event(&env, &repo, sid, name, extra);

    let v = status_until(&env, &repo, &server, &claude.pane, "heuristic", |v| {
        v["evidence"] == "heuristic"
    });
    assert_eq!(v["session_id"], Value::Null);

    // Each hook is recorded before it returns: the next status shows it.
    let out = claude.hook(&ev("SessionStart", json!({"source": "startup"})));
    assert_eq!(out, "", "SessionStart is answered with silence");
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(v["evidence"], "deterministic", "{v:#}");
    assert_eq!(v["activity"], "idle", "{v:#}");
    assert_eq!(v["session_id"], sid, "{v:#}");
    assert_eq!(v["provider"], "claude", "{v:#}");
    assert_eq!(v["reason"], "hook:SessionStart", "{v:#}");
    assert_eq!(v["title_source"], "pane", "no prompt yet: {v:#}");

    claude.hook(&ev(
        "UserPromptSubmit",
        json!({"prompt": "Fix the flaky build\nThe integration test times out on CI."}),
    ));
    claude.screen("busy");
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(
        (&v["evidence"], &v["activity"]),
        (&json!("deterministic"), &json!("running")),
        "{v:#}"
    );
    assert_eq!(v["title"], "Fix the flaky build", "{v:#}");
    assert_eq!(v["title_source"], "session", "{v:#}");
    assert_eq!(v["reason"], "hook:UserPromptSubmit", "{v:#}");

    claude.hook(&ev(
        "Notification",
        json!({"message": "Claude needs your permission to use Bash",
               "notification_type": "permission_prompt"}),
    ));
    claude.screen("approval");
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(
        (&v["evidence"], &v["activity"], &v["attention"]),
        (
            &json!("deterministic"),
            &json!("waiting_approval"),
            &json!(true)
        ),
        "{v:#}"
    );

    claude.hook(&ev("Stop", json!({"stop_hook_active": false})));
    claude.screen("idle");
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(
        (&v["evidence"], &v["activity"], &v["attention"]),
        (&json!("deterministic"), &json!("idle"), &json!(false)),
        "{v:#}"
    );

    // The transitions are in the event log, on the session's stream.
    let events = session_events(&env, &repo, sid);
    assert_eq!(
        types(&events),
        [
            "agent.session_started",
            "agent.turn_started",
            "agent.waiting_approval",
            "agent.turn_completed"
        ],
        "{events:#?}"
    );
    let hook_events: Vec<&Value> = events.iter().map(|e| &e["data"]["hook_event"]).collect();
    assert_eq!(
        hook_events,
        ["SessionStart", "UserPromptSubmit", "Notification", "Stop"]
    );
    for e in &events {
        let d = &e["data"];
        assert_eq!(d["provider"], "claude", "{e:#}");
        assert_eq!(d["session_id"], sid, "{e:#}");
        assert_eq!(d["pane"], claude.pane.as_str(), "{e:#}");
        assert_eq!(d["participant"], "claude", "{e:#}");
        assert_eq!(d["cwd"], repo.to_str().unwrap(), "{e:#}");
        assert_eq!(
            e["actor"],
            json!({"id": "claude", "kind": "agent"}),
            "{e:#}"
        );
    }
    assert_eq!(events[0]["data"]["detail"], "startup");
    assert_eq!(events[2]["data"]["detail"], "permission_prompt");
    assert_eq!(events[2]["data"]["activity"], "waiting_approval");

    // A second turn is interrupted: the prompt is back on screen, and no
    // Stop comes. The screen disagrees for `disagree_ms`; then it decides.
    claude.hook(&ev(
        "UserPromptSubmit",
        json!({"prompt": "Now update the docs"}),
    ));
    claude.screen("busy");
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(
        (&v["evidence"], &v["activity"]),
        (&json!("deterministic"), &json!("running")),
        "{v:#}"
    );
    assert_eq!(
        v["title"], "Fix the flaky build",
        "the first prompt names it"
    );
    let interrupted = now_ms();
    claude.screen("idle");
    let v = status_until(&env, &repo, &server, &claude.pane, "stale", |v| {
        v["evidence"] != "deterministic"
    });
    assert!(
        now_ms() - interrupted >= disagree_ms,
        "stale after {} ms, before the {disagree_ms} ms window",
        now_ms() - interrupted
    );
    assert_eq!(v["evidence"], "heuristic", "{v:#}");
    assert_eq!(v["activity"], "idle", "{v:#}");
    assert_eq!(v["presence"], "managed", "{v:#}");
    assert!(reason(&v).starts_with("prompt:"), "{v:#}");
    let demoted = resolver_log(&env, &repo);
    let last = demoted.last().unwrap();
    assert_eq!(
        (&last["pane"], &last["from"], &last["to"]),
        (
            &json!(claude.pane),
            &json!("deterministic"),
            &json!("heuristic")
        ),
        "{demoted:#?}"
    );
    assert!(
        last["reason"]
            .as_str()
            .unwrap()
            .starts_with("screen shows idle for "),
        "{last:#}"
    );
    // It stays demoted while no hook speaks.
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(v["evidence"], "heuristic", "{v:#}");

    // The next hook event re-promotes the hooks at once.
    claude.hook(&ev("Stop", json!({"stop_hook_active": false})));
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(v["evidence"], "deterministic", "{v:#}");
    assert_eq!(v["activity"], "idle", "{v:#}");
    assert_eq!(v["reason"], "hook:Stop", "{v:#}");
    let last = resolver_log(&env, &repo).pop().unwrap();
    assert_eq!(last["to"], "deterministic", "{last:#}");
    assert_eq!(last["reason"], "hook Stop re-promotes", "{last:#}");

    // The session ends: the pane is the screen's again.
    claude.hook(&ev("SessionEnd", json!({"reason": "prompt_input_exit"})));
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(v["evidence"], "heuristic", "{v:#}");
    assert_eq!(v["session_id"], Value::Null, "{v:#}");
    assert_eq!(v["presence"], "managed", "the stand-in still runs: {v:#}");

    let events = session_events(&env, &repo, sid);
    assert_eq!(
        types(&events)[4..],
        [
            "agent.turn_started",
            "agent.turn_completed",
            "agent.session_ended"
        ],
        "{events:#?}"
    );
    assert_eq!(events[6]["data"]["detail"], "prompt_input_exit");
    env.assert_verifies(&repo);
}

#[test]
fn a_running_session_that_stops_sending_hooks_goes_stale_until_the_next_hook() {
    let env = TestEnv::real_clock();
    let stale_ms = 1000;
    let repo = watch_repo(
        &env,
        &format!(
            "  poll_ms: 100\n  stable_ms: 300\n  disagree_ms: 600000\n  stale_running_ms: {stale_ms}\n"
        ),
    );
    let server = Server::new(&env, "stale");
    let mut claude = Agent::start(&env, &server, &repo, "claude", "claude", "busy");
    let sid = "stale-running-session";
    let ev = |name: &str, extra: Value| claude_event(&env, &repo, sid, name, extra);

    claude.hook(&ev("SessionStart", json!({"source": "startup"})));
    let started = now_ms();
    claude.hook(&ev(
        "UserPromptSubmit",
        json!({"prompt": "Refactor the cache"}),
    ));
    let v = status_until(&env, &repo, &server, &claude.pane, "stale", |v| {
        v["evidence"] == "heuristic"
    });
    assert!(now_ms() - started > stale_ms);
    assert_eq!(v["activity"], "running", "the spinner still shows: {v:#}");
    assert_eq!(v["session_id"], sid, "still the session's pane: {v:#}");
    let last = resolver_log(&env, &repo).pop().unwrap();
    assert!(
        last["reason"].as_str().unwrap().starts_with("no hook for "),
        "{last:#}"
    );

    // Any hook event brings the hooks back at once.
    claude.hook(&ev(
        "PostToolUse",
        json!({"tool_name": "Read", "tool_input": {"file_path": "README.md"},
               "tool_response": {"type": "text"}}),
    ));
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(v["evidence"], "deterministic", "{v:#}");
    assert_eq!(v["activity"], "running", "{v:#}");
    assert_eq!(v["reason"], "hook:PostToolUse", "{v:#}");
}

#[test]
fn an_agent_that_is_the_panes_own_process_binds_through_its_hook_shell() {
    // `tmux new-window claude`: the agent is the pane's first process, and
    // it runs hook commands through `sh -c`, a shell gone by the next poll.
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    let server = Server::new(&env, "own");
    let mut claude = Agent::start(&env, &server, &repo, "own", "claude", "idle");
    let sid = "own-process-session";
    let start = claude_event(
        &env,
        &repo,
        sid,
        "SessionStart",
        json!({"source": "startup"}),
    );
    claude.run_hook("shhook", &start);
    let prompt = claude_event(
        &env,
        &repo,
        sid,
        "UserPromptSubmit",
        json!({"prompt": "Tidy"}),
    );
    claude.run_hook("shhook", &prompt);
    let v = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(v["evidence"], "deterministic", "{v:#}");
    assert_eq!(v["session_id"], sid, "{v:#}");
    assert_eq!(v["activity"], "running", "{v:#}");
}

#[test]
fn codex_hooks_and_notify_from_inside_the_pane_bind_its_thread() {
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    let server = Server::new(&env, "codex");
    let mut codex = Agent::start(&env, &server, &repo, "codex", "codex", "busy");
    let thread = "01a2b3c4-d5e6-7f80-9a1b-2c3d4e5f6a7b";

    status_until(
        &env,
        &repo,
        &server,
        &codex.pane,
        "running",
        activity_is("running"),
    );
    // A session already running when its first hook arrives binds the pane.
    let out = codex.hook(&json!({
        "cwd": repo,
        "hook_event_name": "PreToolUse",
        "model": "gpt-5-codex",
        "permission_mode": "on-request",
        "session_id": thread,
        "tool_name": "Bash",
        "tool_input": {"command": "cargo test --quiet"},
        "transcript_path": env.home().join(".codex/sessions/rollout.jsonl"),
        "turn_id": "1",
    }));
    assert_eq!(out, "", "a test run is left to Codex's own settings");
    let v = status_of(&env, &repo, &server, &codex.pane);
    assert_eq!(
        (&v["evidence"], &v["activity"], &v["provider"]),
        (&json!("deterministic"), &json!("running"), &json!("codex")),
        "{v:#}"
    );
    assert_eq!(v["session_id"], thread, "{v:#}");

    codex.notify(&json!({
        "type": "agent-turn-complete",
        "thread-id": thread,
        "turn-id": "1",
        "cwd": repo,
        "input-messages": ["Rename the parser module"],
        "last-assistant-message": "Renamed; imports updated.",
    }));
    codex.screen("idle");
    let v = status_of(&env, &repo, &server, &codex.pane);
    assert_eq!(
        (&v["evidence"], &v["activity"]),
        (&json!("deterministic"), &json!("idle")),
        "{v:#}"
    );
    assert_eq!(v["reason"], "hook:notify:agent-turn-complete", "{v:#}");
    assert_eq!(v["title"], "Rename the parser module", "{v:#}");
    assert_eq!(v["title_source"], "session", "{v:#}");

    let events = session_events(&env, &repo, thread);
    assert_eq!(
        types(&events),
        ["agent.session_bound", "agent.turn_completed"],
        "{events:#?}"
    );
    assert_eq!(events[0]["data"]["pane"], codex.pane.as_str());
    assert_eq!(events[0]["data"]["model"], "gpt-5-codex");
    assert_eq!(
        events[1]["data"]["hook_event"],
        "notify:agent-turn-complete"
    );
    assert_eq!(events[1]["actor"], json!({"id": "codex", "kind": "agent"}));
    env.assert_verifies(&repo);
}

#[test]
fn a_respawned_pane_is_a_new_generation_and_does_not_inherit_the_binding() {
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    let server = Server::new(&env, "reuse");
    let mut claude = Agent::start(&env, &server, &repo, "work", "claude", "busy");
    let old_sid = "old-session-in-this-pane";
    claude.hook(&claude_event(
        &env,
        &repo,
        old_sid,
        "SessionStart",
        json!({"source": "startup"}),
    ));
    claude.hook(&claude_event(
        &env,
        &repo,
        old_sid,
        "UserPromptSubmit",
        json!({"prompt": "Old work"}),
    ));
    let before = status_of(&env, &repo, &server, &claude.pane);
    assert_eq!(before["evidence"], "deterministic", "{before:#}");
    assert_eq!(before["session_id"], old_sid, "{before:#}");
    assert_eq!(before["generation"], 1, "{before:#}");
    let old_pid = before["pid"].as_u64().unwrap();

    // Same `%id`, a new process: a new generation with nothing bound.
    let id = claude.pane.clone();
    let mut claude = claude.respawn(&env, &server, "claude", "busy");
    assert_eq!(claude.pane, id);
    let v = eventually(&format!("{id}'s new process to be seen running"), || {
        let v = status_of(&env, &repo, &server, &id);
        if v["pid"].as_u64() != Some(old_pid) {
            // Never, in any snapshot, the old session's state.
            assert_eq!(v["session_id"], Value::Null, "inherited: {v:#}");
            assert_ne!(v["evidence"], "deterministic", "inherited: {v:#}");
            assert_eq!(v["generation"], 2, "{v:#}");
        }
        if v["pid"].as_u64() != Some(old_pid) && v["activity"] == "running" {
            Ok(v)
        } else {
            Err(brief(&v))
        }
    });
    assert_eq!(v["evidence"], "heuristic", "{v:#}");
    assert_eq!(v["presence"], "managed", "{v:#}");
    assert_eq!(v["title_source"], "pane", "{v:#}");
    assert_ne!(v["title"], "Old work", "{v:#}");

    // The new process's own hooks bind the new generation.
    let new_sid = "new-session-in-this-pane";
    claude.hook(&claude_event(
        &env,
        &repo,
        new_sid,
        "SessionStart",
        json!({"source": "startup"}),
    ));
    let views = status(&env, &repo, &server);
    let v = pane(&views, &id);
    assert_eq!(v["evidence"], "deterministic", "{v:#}");
    assert_eq!(v["session_id"], new_sid, "{v:#}");
    assert_eq!(v["generation"], 2, "{v:#}");
    assert!(
        views.iter().all(|v| v["session_id"] != old_sid),
        "{views:#?}"
    );
}

#[test]
fn an_agent_restarted_in_the_same_shell_does_not_inherit_the_crashed_session() {
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    let server = Server::new(&env, "restart");
    let shell = server.shell("work", &repo);
    let mut first = Agent::typed_into(&env, &server, &repo, &shell, "first", "claude", "busy");
    let sid = "crashed-session";
    first.hook(&claude_event(
        &env,
        &repo,
        sid,
        "SessionStart",
        json!({"source": "startup"}),
    ));
    first.hook(&claude_event(
        &env,
        &repo,
        sid,
        "UserPromptSubmit",
        json!({"prompt": "Old work"}),
    ));
    let v = status_of(&env, &repo, &server, &shell);
    assert_eq!(
        (&v["evidence"], &v["session_id"]),
        (&json!("deterministic"), &json!(sid)),
        "{v:#}"
    );

    // It dies without SessionEnd: only the shell is left.
    first.crash();
    status_until(&env, &repo, &server, &shell, "a shell again", |v| {
        v["presence"] == "unmanaged"
    });

    // Another agent starts from that shell: same pane, same shell, a new
    // process that has sent no hook yet.
    let _second = Agent::typed_into(&env, &server, &repo, &shell, "second", "claude", "idle");
    let v = status_until(&env, &repo, &server, &shell, "managed", |v| {
        v["presence"] == "managed"
    });
    assert_eq!(v["session_id"], Value::Null, "inherited: {v:#}");
    assert_ne!(v["evidence"], "deterministic", "inherited: {v:#}");
    assert_ne!(v["title"], "Old work", "inherited: {v:#}");
}

#[test]
fn status_json_has_the_documented_shape_and_text_lists_every_pane() {
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    extend_config(
        &repo,
        "agents:\n  reviewer:\n    provider: codex\n    role: reviewer\n    pane: \"c-codex:0.0\"\n",
    );
    let server = Server::new(&env, "shape");
    let shell = server.shell("a-shell", &repo);
    let claude = Agent::start(&env, &server, &repo, "b-claude", "claude", "approval");
    let codex = Agent::start(&env, &server, &repo, "c-codex", "codex", "idle");
    status_until(
        &env,
        &repo,
        &server,
        &claude.pane,
        "waiting_approval",
        activity_is("waiting_approval"),
    );
    status_until(
        &env,
        &repo,
        &server,
        &codex.pane,
        "idle",
        activity_is("idle"),
    );

    // `$CODEXA_TMUX_SOCKET` names the server as `--socket` does.
    let out = codexa(&env, &repo)
        .args(["status", "--format", "json"])
        .env("CODEXA_TMUX_SOCKET", &server.socket)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let views: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let views = views.as_array().expect("an array");
    assert_eq!(views.len(), 3, "{views:#?}");
    let keys: BTreeSet<&str> = VIEW_KEYS.into_iter().collect();
    for v in views {
        let got: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(got, keys, "{v:#}");
        for k in ["generation", "window", "index", "pid"] {
            assert!(v[k].is_u64(), "{k}: {v:#}");
        }
        assert!(v["since_ms"].is_i64(), "{v:#}");
        assert!(v["attention"].is_boolean(), "{v:#}");
        for k in [
            "target",
            "session",
            "window_name",
            "title",
            "reason",
            "command",
        ] {
            assert!(v[k].is_string(), "{k}: {v:#}");
        }
        assert_eq!(v["cwd"], repo.to_str().unwrap(), "{v:#}");
        assert_eq!(
            v["target"],
            format!(
                "{}:{}.{}",
                v["session"].as_str().unwrap(),
                v["window"],
                v["index"]
            ),
        );
    }
    let by_pane = |id: &str| views.iter().find(|v| v["pane"] == id).unwrap();
    for (id, provider) in [(&claude.pane, "claude"), (&codex.pane, "codex")] {
        let v = by_pane(id);
        let sig: BTreeSet<&str> = v["signature"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            sig,
            BTreeSet::from(["class", "reason", "confidence"]),
            "{v:#}"
        );
        assert_eq!(v["signature"]["class"], provider);
        assert!(v["age_ms"].is_i64(), "{v:#}");
        assert_eq!(v["generation"], 1);
    }
    let sh = by_pane(&shell);
    assert_eq!(
        (&sh["presence"], &sh["signature"], &sh["age_ms"]),
        (&json!("unmanaged"), &Value::Null, &Value::Null)
    );
    assert_eq!(by_pane(&codex.pane)["participant"], "reviewer");
    assert_eq!(by_pane(&claude.pane)["participant"], Value::Null);

    // Text: a summary, then the sessions, the one that needs a person first.
    let out = codexa(&env, &repo)
        .args(["status", "--socket", &server.socket])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "3 panes, 2 with an agent, 1 need you", "{text}");
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
    };
    assert!(at("b-claude:") < at("a-shell:"), "{text}");
    assert!(at("a-shell:") < at("c-codex:"), "{text}");
    let row = |id: &str| lines[at(&format!(" {id} "))];
    let claude_row = row(&claude.pane);
    assert!(claude_row.starts_with('!'), "{claude_row}");
    for word in ["b-claude:0.0", "claude", "waiting_approval", "screen"] {
        assert!(claude_row.contains(word), "{word} in {claude_row}");
    }
    let codex_row = row(&codex.pane);
    for word in ["c-codex:0.0", "codex", "reviewer", "idle", "screen"] {
        assert!(codex_row.contains(word), "{word} in {codex_row}");
    }
    let shell_row = row(&shell);
    assert!(shell_row.contains("a-shell:0.0"), "{shell_row}");
    assert!(shell_row.contains("unmanaged"), "{shell_row}");

    // No server on the socket: no panes, not an error.
    let none = format!("{}-nothing", server.socket);
    let out = codexa(&env, &repo)
        .args(["status", "--socket", &none])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("no tmux panes"), "{}", stderr(&out));
    let out = codexa(&env, &repo)
        .args(["status", "--format", "json", "--socket", &none])
        .output()
        .unwrap();
    assert_eq!(stdout(&out).trim(), "[]");
}

#[test]
fn status_sees_the_panes_in_the_c_locale() {
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    let server = Server::new(&env, "locale");
    let shell = server.shell("shell", &repo);
    let claude = Agent::start(&env, &server, &repo, "claude", "claude", "busy");
    // As cron, a systemd unit or a bare container runs it: LC_ALL=C (and
    // TestEnv's own environment, unlike `codexa()` here).
    for locale in [Some("C"), None] {
        let mut cmd = env.codexa(&repo);
        cmd.args(["status", "--format", "json", "--socket", &server.socket]);
        match locale {
            Some(l) => cmd.env("LC_ALL", l),
            None => cmd
                .env_remove("LC_ALL")
                .env_remove("LC_CTYPE")
                .env_remove("LANG"),
        };
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let views: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
        let panes: BTreeSet<&str> = views.iter().map(|v| v["pane"].as_str().unwrap()).collect();
        assert_eq!(
            panes,
            BTreeSet::from([shell.as_str(), claude.pane.as_str()]),
            "locale {locale:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn status_attention_with_nobody_waiting_does_not_say_there_are_no_panes() {
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    let server = Server::new(&env, "calm");
    let claude = Agent::start(&env, &server, &repo, "claude", "claude", "busy");
    status_until(
        &env,
        &repo,
        &server,
        &claude.pane,
        "running",
        activity_is("running"),
    );
    let out = codexa(&env, &repo)
        .args(["status", "--attention", "--socket", &server.socket])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("no tmux panes"),
        "one pane runs, none needs a person: {}",
        stderr(&out)
    );
}

#[test]
fn wait_returns_when_the_pane_gets_there_times_out_with_124_and_fails_for_unknown_or_gone_panes() {
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    let server = Server::new(&env, "wait");
    let mut claude = Agent::start(&env, &server, &repo, "claude", "claude", "busy");
    let doomed = Agent::start(&env, &server, &repo, "doomed", "claude", "busy");
    for a in [&claude, &doomed] {
        status_until(
            &env,
            &repo,
            &server,
            &a.pane,
            "running",
            activity_is("running"),
        );
    }
    let socket = server.socket.as_str();

    // Busy, then idle: `wait --until idle` returns 0 with the pane, and
    // not before. (It has seen the pane busy once it has polled: every
    // poll replaces `poller.json`.)
    let polled = poller_inode(&env, &repo);
    assert!(polled.is_some(), "status keeps poller.json");
    let mut waiting = spawn_codexa(
        &env,
        &repo,
        &[
            "wait",
            &claude.pane,
            "--until",
            "idle",
            "--timeout",
            "30",
            "--socket",
            socket,
            "--format",
            "json",
        ],
    );
    eventually("wait's first poll", || {
        if poller_inode(&env, &repo) != polled {
            Ok(())
        } else {
            Err("poller.json unchanged".into())
        }
    });
    assert!(
        waiting.0.try_wait().unwrap().is_none(),
        "wait returned while the pane was busy"
    );
    let started = Instant::now();
    claude.screen("idle");
    let (out, _) = waiting.finish(started);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["pane"], claude.pane.as_str(), "{v:#}");
    assert_eq!(v["activity"], "idle", "{v:#}");
    // Text: `%N target activity`.
    let out = codexa(&env, &repo)
        .args(["wait", "claude:0.0", "--until", "idle", "--socket", socket])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        format!("{} claude:0.0 idle", claude.pane)
    );

    // Still busy: `--until waiting --timeout 1` gives up with 124.
    let started = Instant::now();
    let (out, took) = spawn_codexa(
        &env,
        &repo,
        &[
            "wait",
            &doomed.pane,
            "--until",
            "waiting",
            "--timeout",
            "1",
            "--socket",
            socket,
        ],
    )
    .finish(started);
    assert_eq!(
        out.status.code(),
        Some(124),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(took >= Duration::from_secs(1), "gave up after {took:?}");
    assert!(took < Duration::from_secs(8), "gave up only after {took:?}");
    let err = stderr(&out);
    assert!(err.contains("timed out"), "{err}");
    assert!(err.contains("is running, not waiting"), "{err}");

    // Unknown: exit 1, saying so.
    let out = codexa(&env, &repo)
        .args([
            "wait",
            "%999",
            "--until",
            "idle",
            "--timeout",
            "5",
            "--socket",
            socket,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no pane matches `%999`"),
        "{}",
        stderr(&out)
    );

    // A timeout that is not a number of seconds is a usage error, not a panic.
    for bad in ["inf", "nan", "1e19", "soon"] {
        let out = codexa(&env, &repo)
            .args(["wait", "%0", "--timeout", bad, "--socket", socket])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "--timeout {bad}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("--timeout"), "{}", stderr(&out));
    }

    // Gone while waited for: exit 1. `wait` names its pane from its first
    // poll: once `poller.json` is a new file, the pane may go.
    let before = poller_inode(&env, &repo);
    let waiting = spawn_codexa(
        &env,
        &repo,
        &[
            "wait",
            &doomed.pane,
            "--until",
            "idle",
            "--timeout",
            "30",
            "--socket",
            socket,
        ],
    );
    eventually("wait's first poll", || {
        if poller_inode(&env, &repo) != before {
            Ok(())
        } else {
            Err("poller.json unchanged".into())
        }
    });
    server.tmux(&["kill-pane", "-t", &doomed.pane]);
    let (out, _) = waiting.finish(Instant::now());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains(&format!("pane {} (doomed:0.0) is gone", doomed.pane)),
        "{err}"
    );
}

/// The next `watch --stream` line satisfying `ok`, within `DEADLINE`;
/// every line read is checked for the documented keys and kept in `seen`.
fn next_line(
    rx: &mpsc::Receiver<String>,
    seen: &mut Vec<Value>,
    what: &str,
    ok: impl Fn(&Value) -> bool,
) -> Value {
    let mut keys: BTreeSet<&str> = VIEW_KEYS.into_iter().collect();
    keys.extend(["change", "ts", "previous"]);
    let start = Instant::now();
    loop {
        let left = DEADLINE.saturating_sub(start.elapsed());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("no {what} line ({e}); the stream so far: {seen:#?}"));
        let v: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        let got: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(got, keys, "{line}");
        seen.push(v.clone());
        if ok(&v) {
            return v;
        }
    }
}

#[test]
fn watch_stream_prints_every_pane_then_a_line_per_change() {
    let env = TestEnv::real_clock();
    let repo = watch_repo(&env, "  poll_ms: 100\n  stable_ms: 300\n");
    let server = Server::new(&env, "stream");
    let mut claude = Agent::start(&env, &server, &repo, "claude", "claude", "idle");
    let shell = server.shell("shell", &repo);
    // The stand-in runs (a pane's process is tmux itself until it execs).
    status_until(
        &env,
        &repo,
        &server,
        &claude.pane,
        "idle",
        activity_is("idle"),
    );

    let mut watch = spawn_codexa(
        &env,
        &repo,
        &["watch", "--stream", "--socket", &server.socket],
    );
    let (tx, rx) = mpsc::channel::<String>();
    let reader = BufReader::new(watch.0.stdout.take().unwrap());
    let reading = std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen: Vec<Value> = Vec::new();

    // First, every pane, as it is.
    let mut appeared = BTreeSet::new();
    for _ in 0..2 {
        let v = next_line(&rx, &mut seen, "appeared", |v| v["change"] == "appeared");
        assert_eq!(v["previous"], Value::Null, "{v:#}");
        appeared.insert(v["pane"].as_str().unwrap().to_string());
    }
    assert_eq!(
        appeared,
        BTreeSet::from([claude.pane.clone(), shell.clone()])
    );
    assert_eq!(seen.len(), 2, "the first lines are the panes: {seen:#?}");
    let first = seen.iter().find(|v| v["pane"] == claude.pane).unwrap();
    assert_eq!(
        (&first["evidence"], &first["activity"]),
        (&json!("heuristic"), &json!("idle")),
        "{first:#}"
    );

    // The screen asks for approval: a change, heuristic.
    claude.screen("approval");
    let v = next_line(&rx, &mut seen, "changed", |v| v["pane"] == claude.pane);
    assert_eq!(v["change"], "changed", "{v:#}");
    assert_eq!(v["previous"]["activity"], "idle", "{v:#}");
    let v = if v["activity"] == "waiting_approval" {
        v
    } else {
        next_line(&rx, &mut seen, "waiting_approval", |v| {
            v["pane"] == claude.pane && v["activity"] == "waiting_approval"
        })
    };
    assert_eq!(
        (&v["evidence"], &v["activity"], &v["attention"]),
        (
            &json!("heuristic"),
            &json!("waiting_approval"),
            &json!(true)
        ),
        "{v:#}"
    );

    // A hook from inside the pane: a change at once, deterministic.
    let sid = "streamed-session";
    claude.hook(&claude_event(
        &env,
        &repo,
        sid,
        "UserPromptSubmit",
        json!({"prompt": "Stream me"}),
    ));
    let v = next_line(&rx, &mut seen, "deterministic", |v| {
        v["pane"] == claude.pane && v["evidence"] == "deterministic"
    });
    assert_eq!(v["change"], "changed", "{v:#}");
    assert_eq!(v["activity"], "running", "{v:#}");
    assert_eq!(v["session_id"], sid, "{v:#}");
    assert_eq!(v["title"], "Stream me", "{v:#}");
    assert_eq!(
        v["previous"],
        json!({"presence": "managed", "evidence": "heuristic", "activity": "waiting_approval"}),
        "{v:#}"
    );

    // A pane closes: `gone`, with what it was.
    server.tmux(&["kill-session", "-t", "shell"]);
    let v = next_line(&rx, &mut seen, "gone", |v| v["change"] == "gone");
    assert_eq!(v["pane"], shell.as_str(), "{v:#}");
    assert_eq!(
        v["previous"],
        json!({"presence": "unmanaged", "evidence": "none", "activity": "unknown"}),
        "{v:#}"
    );

    drop(watch);
    reading.join().unwrap();
}
