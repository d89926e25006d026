//! `codexa start` and `codexa stop` on a real private tmux server, with a
//! stand-in `claude` on PATH that records its arguments, its `CODEXA_AGENT`
//! and its working directory, and leaves on Ctrl-C as the real one does.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::{
    AGENTS, Server, TestEnv, assert_fails, eventually, extend_config, recording_agents, stderr,
    stdout, with_agents,
};

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}{}", stdout(out), stderr(out));
    serde_json::from_str(&stdout(out)).unwrap()
}

fn recorded_argv(record: &Path) -> Vec<String> {
    let path = record.with_extension("argv");
    let bytes = eventually("the stand-in to record its arguments", || {
        std::fs::read(&path).map_err(|e| e.to_string())
    });
    bytes
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8(a.to_vec()).unwrap())
        .collect()
}

#[test]
fn start_binds_the_pane_from_birth_passes_the_prompt_as_an_argument_and_stop_ends_it() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    extend_config(&repo, AGENTS);
    let server = Server::new(&env, "start");
    let (bin, record) = recording_agents(&env);
    let prompt = "fix `make` $(touch pwned); echo \"q\" 'q' C-c Enter\nsecond line";
    let started = json(&with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &[
            "--format",
            "json",
            "start",
            "lead",
            "--prompt",
            prompt,
            "--worktree",
            "lead-ch1",
        ],
    ));
    let pane = started["pane"].as_str().unwrap().to_string();
    let session_id = started["session_id"].as_str().unwrap().to_string();
    assert_eq!(session_id.len(), 36, "a UUID: {session_id}");

    // Bound before the agent has said anything.
    let list = json(&with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["--format", "json", "session", "list"],
    ));
    let s = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["participant"] == "lead")
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(s["pane"], pane.as_str());
    assert_eq!(s["session_id"], session_id.as_str());

    // The prompt is the last argument, byte for byte; nothing ran it.
    assert_eq!(
        recorded_argv(&record),
        ["--session-id", session_id.as_str(), prompt]
    );
    assert_eq!(
        std::fs::read_to_string(record.with_extension("agent")).unwrap(),
        "lead"
    );
    let cwd = std::fs::read_to_string(record.with_extension("cwd")).unwrap();
    let worktree = repo.parent().unwrap().join("shop.worktrees/lead-ch1");
    assert_eq!(Path::new(cwd.trim()), worktree);
    assert!(!worktree.join("pwned").exists() && !repo.join("pwned").exists());
    let events = stdout(&with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["events", "query", "--type", "agent.started"],
    ));
    let e: Value = serde_json::from_str(events.lines().next().unwrap()).unwrap();
    assert_eq!(e["data"]["pane"], pane.as_str());
    assert_eq!(e["data"]["worktree"], "lead-ch1");

    let stopped = json(&with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["--format", "json", "stop", "lead"],
    ));
    assert_eq!(stopped[0]["pane"], pane.as_str());
    assert_eq!(stopped[0]["killed"], false, "it left on Ctrl-C");
    // Its window was the session's only one: the server may be gone too.
    let panes = server
        .command(&["list-panes", "-a", "-F", "#{pane_id}"])
        .output()
        .unwrap();
    assert!(
        !stdout(&panes).lines().any(|p| p == pane),
        "{}",
        stdout(&panes)
    );
    assert!(worktree.exists(), "the worktree stays");
    let list = json(&with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["--format", "json", "session", "list"],
    ));
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|s| s["participant"] != "lead"),
        "{list}"
    );
}

#[test]
fn the_gate_refusing_agent_start_starts_nothing() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    extend_config(&repo, AGENTS);
    std::fs::write(
        repo.join(".codexa/policy.yaml"),
        "version: 1\ndefault: {decision: allow, reason_code: default_allow}\nrules:\n  - {id: people-start-agents, action: agent.start, decision: require_approval, reason_code: start_needs_approval}\n",
    )
    .unwrap();
    let server = Server::new(&env, "start-gate");
    let (bin, record) = recording_agents(&env);
    let out = with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["start", "lead", "--prompt", "go", "--worktree"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("start_needs_approval"),
        "{}",
        stderr(&out)
    );
    assert!(!record.with_extension("argv").exists(), "nothing ran");
    assert!(
        !repo.parent().unwrap().join("shop.worktrees").exists(),
        "no worktree"
    );
    let sessions = server.command(&["list-sessions"]).output().unwrap();
    assert!(
        !sessions.status.success(),
        "no tmux server was even started"
    );
}

#[test]
fn an_agent_is_told_when_its_hooks_will_not_run_where_it_starts() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    extend_config(&repo, AGENTS);
    let server = Server::new(&env, "start-hooks");
    let (bin, _) = recording_agents(&env);

    // No hooks installed: said before the agent starts.
    let started = json(&with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["--format", "json", "start", "lead"],
    ));
    let warnings = started["warnings"].as_array().unwrap();
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("hooks install --claude"),
        "{started}"
    );

    // Installed (in a file git ignores): a worktree gets a copy, and the
    // agent started there is heard.
    let out = env
        .codexa(&repo)
        .args(["hooks", "install", "--claude", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let args = [
        "--format",
        "json",
        "start",
        "lead",
        "--worktree",
        "lead-hooked",
        "--window",
        "w2",
    ];
    let started = json(&with_agents(&env, &repo, &server, &bin, &args));
    assert_eq!(started["warnings"], serde_json::json!([]), "{started}");
    let wt = repo.parent().unwrap().join("shop.worktrees/lead-hooked");
    assert!(wt.join(".claude/settings.local.json").is_file());

    // Codex: installed but not trusted is not working, and doctor says so.
    let out = env
        .codexa(&repo)
        .args(["hooks", "install", "--codex", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let doctor = |env: &TestEnv| -> Value {
        let out = env
            .codexa(&repo)
            .args(["doctor", "--format", "json"])
            .output()
            .unwrap();
        let all: Value = serde_json::from_str(&stdout(&out)).unwrap();
        all["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "hooks.codex_trust")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let found = doctor(&env);
    assert_eq!(found["status"], "warn", "{found}");
    assert!(
        found["message"]
            .as_str()
            .unwrap()
            .contains("skips them silently"),
        "{found}"
    );
    // Trusted (the records Codex keeps): nothing to report.
    let file = repo.join(".codex/hooks.json").canonicalize().unwrap();
    let hooks: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let mut toml = String::new();
    for event in hooks["hooks"].as_object().unwrap().keys() {
        let snake: String = event
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let sep = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                sep.into_iter().chain([c.to_ascii_lowercase()])
            })
            .collect();
        toml.push_str(&format!(
            "[hooks.state.\"{}:{snake}:0:0\"]\ntrusted_hash = \"sha256:00\"\n",
            file.display()
        ));
    }
    std::fs::create_dir_all(env.home().join(".codex")).unwrap();
    std::fs::write(env.home().join(".codex/config.toml"), toml).unwrap();
    assert_eq!(doctor(&env), Value::Null);
}

#[test]
fn a_codex_started_by_codexa_is_rebound_to_its_thread_by_its_first_hook_from_its_pane() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    // The interactive stand-in, which runs hooks from inside its pane.
    let ctl = env.path("ctl-codex");
    std::fs::create_dir_all(&ctl).unwrap();
    let script = crate::common::fixture_agent("codex");
    extend_config(
        &repo,
        &format!(
            "agents:\n  worker-a: {{provider: codex, role: worker, command: [{script:?}, {:?}, idle]}}\n",
            ctl.display().to_string()
        ),
    );
    let server = Server::new(&env, "start-codex");
    let (bin, _) = recording_agents(&env);
    let started = json(&with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["--format", "json", "start", "worker-a"],
    ));
    let pane = started["pane"].as_str().unwrap().to_string();
    let bound = started["session_id"].as_str().unwrap().to_string();
    assert!(bound.starts_with("start-"), "{bound}");
    eventually("the stand-in to be ready", || {
        ctl.join("ready")
            .exists()
            .then_some(())
            .ok_or("not yet".to_string())
    });
    let live = |env: &TestEnv| -> Vec<String> {
        let list = json(&with_agents(
            env,
            &repo,
            &server,
            &bin,
            &["--format", "json", "session", "list"],
        ));
        list.as_array()
            .unwrap()
            .iter()
            .filter(|s| s["participant"] == "worker-a")
            .map(|s| s["session_id"].as_str().unwrap().to_string())
            .collect()
    };
    let hook = |session: &str| {
        serde_json::json!({
            "hook_event_name": "SessionStart", "session_id": session, "cwd": repo, "source": "startup"
        })
        .to_string()
    };

    // A hook run elsewhere, naming the pane, ends nothing.
    let socket = server.tmux(&["display-message", "-p", "#{socket_path}"]);
    let out = env
        .codexa(&repo)
        .args(["hook", "codex"])
        .env("TMUX_PANE", &pane)
        .env("TMUX", format!("{socket},1,0"))
        .env("CODEXA_AGENT", "worker-a")
        .write_stdin(hook("forged"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(live(&env).contains(&bound), "{:?}", live(&env));

    // Its own first hook, from inside its pane, names its thread.
    let payload = env.path("first-hook.json");
    std::fs::write(&payload, hook("th-real")).unwrap();
    std::fs::write(
        ctl.join("cmd.1.tmp"),
        format!("hook {}\n", payload.display()),
    )
    .unwrap();
    std::fs::rename(ctl.join("cmd.1.tmp"), ctl.join("cmd.1")).unwrap();
    eventually("the stand-in to run its hook", || {
        std::fs::read_to_string(ctl.join("ack.1")).map_err(|e| e.to_string())
    });
    let now = live(&env);
    assert!(
        now.contains(&"th-real".to_string()) && !now.contains(&bound),
        "{now:?}"
    );
}

#[test]
fn a_first_prompt_follows_the_wake_rules_and_names_are_checked() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    extend_config(
        &repo,
        &format!(
            "{AGENTS}governance:\n  authority:\n    rules:\n      - {{from: worker-a, to: lead, actions: [wake], decision: deny}}\n"
        ),
    );
    let server = Server::new(&env, "start-rules");
    let (bin, record) = recording_agents(&env);
    let as_worker = ["--as", "worker-a", "start", "lead", "--prompt", "do X"];
    let out = with_agents(&env, &repo, &server, &bin, &as_worker);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("authority_denied"),
        "{}",
        stderr(&out)
    );
    let out = with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["start", "lead", "--window", "x#{host}"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a window name"),
        "{}",
        stderr(&out)
    );
    assert!(!record.with_extension("argv").exists(), "nothing started");
}

#[test]
fn a_missing_agent_program_is_an_error_before_anything_is_made() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let missing = env.path("not-installed/claude");
    extend_config(
        &repo,
        &format!(
            "agents:\n  lead: {{provider: claude, role: lead, command: [{:?}]}}\n",
            missing.display().to_string()
        ),
    );
    let server = Server::new(&env, "start-missing");
    let (bin, _) = recording_agents(&env);
    let out = with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["start", "lead", "--worktree", "wt"],
    );
    assert_fails(&out, 1, "is not installed here");
    assert!(
        stderr(&out).contains("agents.lead.command"),
        "{}",
        stderr(&out)
    );
    assert!(
        !repo.parent().unwrap().join("shop.worktrees").exists(),
        "no worktree"
    );
}
