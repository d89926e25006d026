//! `codexa session list|show|bind|unbind`: the session registry over what
//! the agents' hooks record, and bindings by hand for agents started
//! without hooks.
//!
//! Sessions are recorded by running `codexa hook claude` as the hooks do,
//! with `$TMUX_PANE` naming a pane (no tmux is needed to record). `bind`
//! asks a real tmux for the pane, so its tests start a private server
//! (`tmux -L`, killed when the test ends, panic or not) with one shell in
//! it. Nothing sleeps: times come from the test clock, and the one command
//! run inside a pane is awaited with `tmux wait-for`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::{
    AGENTS, BIN, Server, TestEnv, agent_bin, extend_config, hook_with, json_as, state_of, stderr,
    stdout, under_agent,
};

/// The keys of `session list --format json` rows, as the README documents.
const ROW_KEYS: [&str; 19] = [
    "participant",
    "provider",
    "session_id",
    "pane",
    "agent_pid",
    "socket",
    "cwd",
    "transcript",
    "title",
    "model",
    "activity",
    "event",
    "evidence",
    "started_ms",
    "last_seen_ms",
    "age_ms",
    "ended",
    "ended_ms",
    "live",
];

/// An initialised repository with the usual pair of agents configured.
fn repo(env: &TestEnv) -> PathBuf {
    let repo = env.init_repo("shop");
    extend_config(&repo, AGENTS);
    repo
}

/// Claude's hook event `event` for session `id`, sent as participant
/// `agent` (none: without `$CODEXA_AGENT`) from pane `pane`, working in
/// `/src/shop` (a fixed path: tables' widths stay the same on any machine).
fn hook(env: &TestEnv, repo: &Path, agent: Option<&str>, pane: &str, id: &str, event: Value) {
    let mut payload = event;
    payload["session_id"] = json!(id);
    payload["cwd"] = json!("/src/shop");
    let mut vars = vec![("TMUX_PANE", pane), ("TMUX", "/tmp/codexa-test,1,0")];
    if let Some(a) = agent {
        vars.push(("CODEXA_AGENT", a));
    }
    let out = hook_with(env, repo, "claude", &payload.to_string(), &vars, &[]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

/// Three sessions as their hooks report them: lead's in pane %1 (the
/// newest), worker-a's in %2, ended, and one named by no participant in %3.
fn three_sessions(env: &TestEnv, repo: &Path) {
    let start = |transcript: &str| {
        json!({"hook_event_name": "SessionStart", "source": "startup",
               "transcript_path": transcript, "model": "opus"})
    };
    hook(
        env,
        repo,
        None,
        "%3",
        "a1b2c3d4-anon",
        start("/t/anon.jsonl"),
    );
    hook(
        env,
        repo,
        Some("worker-a"),
        "%2",
        "9e01f2a3-work",
        start("/t/w.jsonl"),
    );
    let end = json!({"hook_event_name": "SessionEnd", "reason": "exit"});
    hook(env, repo, Some("worker-a"), "%2", "9e01f2a3-work", end);
    hook(
        env,
        repo,
        Some("lead"),
        "%1",
        "7f3c2a10-lead",
        start("/t/lead.jsonl"),
    );
    let prompt = json!({"hook_event_name": "UserPromptSubmit", "prompt": "Fix CI"});
    hook(env, repo, Some("lead"), "%1", "7f3c2a10-lead", prompt);
}

fn keys(row: &Value) -> BTreeSet<&str> {
    row.as_object()
        .unwrap_or_else(|| panic!("an object: {row}"))
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn list_shows_live_sessions_newest_first_in_the_documented_shape() {
    let env = TestEnv::new();
    let repo = repo(&env);
    three_sessions(&env, &repo);

    let rows = json_as(&env, &repo, None, &["session", "list"]);
    let rows = rows.as_array().expect("an array");
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["session_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["7f3c2a10-lead", "a1b2c3d4-anon"],
        "live only, newest first"
    );
    let documented: BTreeSet<&str> = ROW_KEYS.into_iter().collect();
    for r in rows {
        assert_eq!(keys(r), documented);
    }
    let lead = &rows[0];
    assert_eq!(
        lead,
        &json!({
            "participant": "lead", "provider": "claude", "session_id": "7f3c2a10-lead",
            "pane": "%1", "agent_pid": null, "socket": "/tmp/codexa-test",
            "cwd": "/src/shop", "transcript": "/t/lead.jsonl", "title": "Fix CI", "model": "opus",
            "activity": "running", "event": "UserPromptSubmit", "evidence": "hook",
            "started_ms": lead["started_ms"], "last_seen_ms": lead["last_seen_ms"],
            "age_ms": 1000, "ended": false, "ended_ms": null, "live": true
        })
    );
    assert_eq!(rows[1]["participant"], Value::Null, "not told: null");

    let all = json_as(&env, &repo, None, &["session", "list", "--all"]);
    let ended: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ended"] == true)
        .collect();
    assert_eq!(ended.len(), 1, "{all:#}");
    assert_eq!(ended[0]["session_id"], "9e01f2a3-work");
    assert!(ended[0]["ended_ms"].is_i64() && ended[0]["live"] == false);

    insta::assert_snapshot!(env.run(&repo, &["session", "list"]), @r"
    PARTICIPANT  PROVIDER  SESSION        PANE  PID  ACTIVITY  SEEN  EVIDENCE  STATE  CWD        TRANSCRIPT
    lead         claude    7f3c2a10-lead  %1      -  running   3s    hook      live   /src/shop  /t/lead.jsonl
    -            claude    a1b2c3d4-anon  %3      -  idle      7s    hook      live   /src/shop  /t/anon.jsonl
    ");
}

#[test]
fn show_finds_a_session_by_id_prefix_participant_or_pane_and_names_what_matches_nothing() {
    let env = TestEnv::new();
    let repo = repo(&env);
    three_sessions(&env, &repo);
    for r in ["7f3c2a10-lead", "7f3c", "lead", "%1"] {
        let v = json_as(&env, &repo, None, &["session", "show", r]);
        assert_eq!(v["session_id"], "7f3c2a10-lead", "{r}");
        assert_eq!(keys(&v), ROW_KEYS.into_iter().collect());
    }
    let ended = json_as(&env, &repo, None, &["session", "show", "9e01"]);
    assert_eq!(ended["ended"], true, "an ended session by its id");

    insta::assert_snapshot!(env.run(&repo, &["session", "show", "lead"]), @r"
    session:     claude 7f3c2a10-lead
    participant: lead
    pane:        %1
    pid:         -
    socket:      /tmp/codexa-test
    cwd:         /src/shop
    transcript:  /t/lead.jsonl
    title:       Fix CI
    model:       opus
    activity:    running (UserPromptSubmit)
    evidence:    hook
    started:     2026-01-01T00:00:04.000Z
    last seen:   2026-01-01T00:00:05.000Z (6s ago)
    ended:       no
    ");
    let before = state_of(&env, &repo);
    insta::assert_snapshot!(env.run(&repo, &["session", "show", "nobody"]), @r"
    [stderr]
    Error: no agent session matches `nobody`
    Hint: REF is a session id (or a unique prefix of one), a participant or a pane `%N`; list the sessions with `codexa session list --all`
    [exit status: 1]
    ");
    insta::assert_snapshot!(env.run(&repo, &["session", "show", "worker-a"]), @r"
    [stderr]
    Error: participant `worker-a` has no live session (1 ended)
    Hint: list the sessions with `codexa session list --all`, then name one by its session id
    [exit status: 1]
    ");
    assert_eq!(state_of(&env, &repo), before);
}

#[test]
fn bad_bind_input_is_named_and_changes_nothing() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let sessions = env.store_dir(&repo).join("cache/agents/sessions");
    let before = state_of(&env, &repo);
    let cases: [&[&str]; 6] = [
        &["lead", "--pane", "7"],
        &["no good", "--pane", "%1"],
        &["stranger", "--pane", "%1"],
        &["lead", "--pane", "%1", "--cwd", "no/such/dir"],
        &["lead", "--pane", "%1", "--transcript", "none.jsonl"],
        &["lead", "--pane", "%1", "--session-id", "has space"],
    ];
    let mut all = String::new();
    for args in cases {
        let mut full = vec!["session", "bind"];
        full.extend_from_slice(args);
        let out = env.run(&repo, &full);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out}");
        all.push_str(&format!("$ codexa session bind {}\n{out}", args.join(" ")));
    }
    insta::assert_snapshot!(all, @r"
    $ codexa session bind lead --pane 7
    [stderr]
    Error: `--pane 7` is not a tmux pane id
    Hint: give the pane's `%N` id: run `tmux display-message -p '#{pane_id}'` in that pane
    [exit status: 1]
    $ codexa session bind no good --pane %1
    [stderr]
    Error: PARTICIPANT `no good` is not a valid participant name
    Hint: names are letters, digits, `_`, `.` and `-`, e.g. worker-a
    [exit status: 1]
    $ codexa session bind stranger --pane %1
    [stderr]
    Error: participant `stranger` is not under `agents:` in config, so its provider is unknown
    Hint: pass `--provider claude` or `--provider codex`, or add it under `agents:` in .codexa/config.yaml
    [exit status: 1]
    $ codexa session bind lead --pane %1 --cwd no/such/dir
    [stderr]
    Error: `--cwd no/such/dir`: no such directory
    Hint: give the path of an existing directory
    [exit status: 1]
    $ codexa session bind lead --pane %1 --transcript none.jsonl
    [stderr]
    Error: `--transcript none.jsonl`: no such file
    Hint: give the path of an existing file
    [exit status: 1]
    $ codexa session bind lead --pane %1 --session-id has space
    [stderr]
    Error: `--session-id has space` is not a session id
    Hint: give the agent's session id (printable ASCII, no spaces, up to 128 characters), or leave it out for a new `bind-…` id
    [exit status: 1]
    ");
    assert_eq!(state_of(&env, &repo), before);
    assert!(!sessions.exists(), "no session file");
}

/// The pid of the first process of `pane`.
fn pane_pid(server: &Server, pane: &str) -> u64 {
    server
        .tmux(&["display-message", "-p", "-t", pane, "#{pane_pid}"])
        .parse()
        .unwrap()
}

/// The `agent.*` events of the log, as (type, actor id, data).
fn agent_events(env: &TestEnv, repo: &Path) -> Vec<(String, String, Value)> {
    env.query(repo, &["--type", "agent.*"])
        .into_iter()
        .map(|e| {
            let kind = e["type"].as_str().unwrap().to_string();
            let actor = e["actor"]["id"].as_str().unwrap().to_string();
            (kind, actor, e["data"].clone())
        })
        .collect()
}

#[test]
fn bind_pins_the_panes_process_logs_it_and_unbind_ends_it() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let server = Server::new(&env, "sessions-bind");
    let pane = server.shell("agents", &repo);
    let socket = server.socket.as_str();

    // A pane the server does not have: named, nothing written.
    let before = state_of(&env, &repo);
    let missing = env.run(
        &repo,
        &[
            "session", "bind", "lead", "--pane", "%99", "--socket", socket,
        ],
    );
    assert_eq!(missing.status.code(), Some(1), "{missing}");
    assert!(
        missing
            .stderr
            .contains("`--pane %99`: no such tmux pane (its panes are %"),
        "{missing}"
    );
    assert_eq!(state_of(&env, &repo), before);

    let bound = json_as(
        &env,
        &repo,
        None,
        &[
            "session", "bind", "lead", "--pane", &pane, "--socket", socket,
        ],
    );
    let id = bound["session_id"].as_str().unwrap().to_string();
    assert!(
        id.starts_with("bind-") && id.len() == "bind-".len() + 26,
        "{id}"
    );
    assert_eq!(
        (&bound["participant"], &bound["provider"], &bound["pane"]),
        (&json!("lead"), &json!("claude"), &json!(pane)),
        "the provider from config"
    );
    assert_eq!(
        bound["agent_pid"],
        pane_pid(&server, &pane),
        "the pane instance"
    );
    assert_eq!(
        (&bound["evidence"], &bound["activity"], &bound["cwd"]),
        (&json!("bind"), &json!("unknown"), &json!(repo)),
        "the pane's directory"
    );
    let listed = json_as(&env, &repo, None, &["session", "list"]);
    assert_eq!(listed[0], {
        let mut later = bound.clone();
        later["age_ms"] = json!(1000);
        later
    });
    // Bound so already: the same session, nothing written or logged.
    let file = env
        .store_dir(&repo)
        .join(format!("cache/agents/sessions/claude-{id}.json"));
    let before = (state_of(&env, &repo), std::fs::read(&file).unwrap());
    let again = env.run(
        &repo,
        &[
            "session", "bind", "lead", "--pane", &pane, "--socket", socket,
        ],
    );
    assert_eq!(again.stdout.trim(), id, "{again}");
    assert!(
        again.stderr.contains("already bound lead to pane"),
        "{again}"
    );
    assert_eq!(
        (state_of(&env, &repo), std::fs::read(&file).unwrap()),
        before
    );

    // A live session another participant holds is not taken over.
    let taken = env.run(
        &repo,
        &[
            "session",
            "bind",
            "worker-a",
            "--pane",
            &pane,
            "--socket",
            socket,
            "--provider",
            "claude",
            "--session-id",
            &id,
        ],
    );
    assert_eq!(taken.status.code(), Some(1), "{taken}");
    assert!(taken.stderr.contains("is bound to `lead`"), "{taken}");

    ok(&env, &repo, &["session", "unbind", "lead"]);
    let gone = json_as(&env, &repo, None, &["session", "list"]);
    assert_eq!(gone, json!([]));
    let shown = json_as(&env, &repo, None, &["session", "show", &id]);
    assert_eq!(
        (&shown["ended"], &shown["live"]),
        (&json!(true), &json!(false))
    );
    let again = env.run(&repo, &["session", "unbind", &id]);
    assert!(again.stderr.contains("had ended already"), "{again}");

    let events = agent_events(&env, &repo);
    let summary: Vec<(&str, &str, &str, &str)> = events
        .iter()
        .map(|(k, a, d)| {
            (
                k.as_str(),
                a.as_str(),
                d["hook_event"].as_str().unwrap(),
                d["evidence"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("agent.session_bound", "Test User", "session bind", "bind"),
            ("agent.session_ended", "Test User", "session unbind", "bind"),
        ],
        "by whoever ran them, once"
    );
    assert_eq!(events[0].2["participant"], "lead");
}

/// `codexa ARGS` in `dir`, asserting success.
fn ok(env: &TestEnv, dir: &Path, args: &[&str]) {
    let out = env.run(dir, args);
    assert!(out.status.success(), "codexa {args:?}: {out}");
}

#[test]
fn an_agent_binds_and_unbinds_only_itself_and_only_its_own_pane() {
    let env = TestEnv::real_clock();
    let repo = repo(&env);
    let server = Server::new(&env, "sessions-guard");
    let pane = server.shell("agents", &repo);
    let socket = server.socket.as_str();
    hook(
        &env,
        &repo,
        Some("worker-a"),
        "%2",
        "9e01f2a3-work",
        json!({"hook_event_name": "SessionStart", "source": "startup"}),
    );
    let sessions = env.store_dir(&repo).join("cache/agents/sessions");
    let files = || {
        let mut names: Vec<String> = std::fs::read_dir(&sessions)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        (
            names,
            state_of(&env, &repo),
            std::fs::read(sessions.join("claude-9e01f2a3-work.json")).unwrap(),
        )
    };
    let before = files();
    let as_lead = [("CODEXA_AGENT", "lead")];
    let refused = |args: &[&str], why: &str| {
        let mut all = vec![BIN];
        all.extend_from_slice(args);
        let out = under_agent(&env, &repo, &all, &as_lead);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
        assert_eq!(files(), before, "{args:?} wrote nothing");
    };
    refused(
        &[
            "session", "bind", "worker-a", "--pane", &pane, "--socket", socket,
        ],
        "agent `lead` may not bind `worker-a`",
    );
    refused(
        &[
            "session", "bind", "lead", "--pane", &pane, "--socket", socket,
        ],
        &format!("agent `lead` may not bind pane {pane}"),
    );
    refused(
        &["session", "unbind", "worker-a"],
        "agent `lead` may not unbind `worker-a`",
    );

    // From inside its own pane, the agent binds itself. The pane runs the
    // stand-in agent, which runs codexa and then says it is done.
    let claude = agent_bin(&env, "claude").join("claude");
    let out = env.path("bind.out");
    let script = "\"$@\" >bind.out 2>&1; echo $? >>bind.out; tmux wait-for -S bound";
    // The pane stays when its process exits, so its pid can be read after.
    server.tmux(&["set-option", "-g", "remain-on-exit", "on"]);
    server.tmux(&[
        "respawn-pane",
        "-k",
        "-t",
        &pane,
        "-c",
        env.root().to_str().unwrap(),
        "-e",
        "CODEXA_AGENT=lead",
        "--",
        claude.to_str().unwrap(),
        "sh",
        "-c",
        script,
        "sh",
        BIN,
        "-C",
        repo.to_str().unwrap(),
        "--format",
        "json",
        "session",
        "bind",
        "lead",
        "--pane",
        &pane,
        "--socket",
        socket,
    ]);
    server.tmux(&["wait-for", "bound"]);
    let text = std::fs::read_to_string(&out).unwrap();
    let (json_text, code) = text.trim_end().rsplit_once('\n').unwrap_or(("", &text));
    assert_eq!(code, "0", "{text}");
    let bound: Value = serde_json::from_str(json_text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(
        (&bound["participant"], &bound["pane"]),
        (&json!("lead"), &json!(pane))
    );
    assert_eq!(
        bound["agent_pid"],
        pane_pid(&server, &pane),
        "the agent is the pane's process"
    );

    // Its own session, the agent may unbind.
    let own = under_agent(&env, &repo, &[BIN, "session", "unbind", "lead"], &as_lead);
    assert!(own.status.success(), "{}", stderr(&own));
    let events = agent_events(&env, &repo);
    let kinds: Vec<(&str, &str)> = events
        .iter()
        .map(|(k, a, _)| (k.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("agent.session_started", "worker-a"),
            ("agent.session_bound", "lead"),
            ("agent.session_ended", "lead"),
        ]
    );
}
