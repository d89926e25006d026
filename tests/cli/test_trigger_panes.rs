//! `codexa trigger` delivering into agents' panes on a real private tmux
//! server, to the stand-in agents (`tests/fixtures/agents/`): they run
//! their hooks as their own children from inside the pane, a dialog takes
//! the input box's place, and typed text sits in the box until Enter.
//!
//! The trigger runs on the test clock: its waits (the quiet window, the
//! re-checks, the maximum defer) move its clock on without waiting them
//! out, so a 20 s window passes in a fraction of a second. The stand-ins'
//! hooks run under a program named as an agent and keep the real clock,
//! which the collision policy never takes as proof of quiet. Nothing here
//! waits a fixed time: every expectation is polled until it holds.

use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};

use serde_json::{Value, json};

use crate::common::{
    AGENTS, Agent, Server, TestEnv, claude_event, eventually, extend_config, hooked_agent as agent,
    ok_as, stderr, stdout,
};

/// A repository whose participants are `lead` (Claude) and `worker-a`
/// (Codex), with a private tmux server.
fn setup<'a>(env: &'a TestEnv, test: &str) -> (PathBuf, Server<'a>) {
    let repo = env.init_repo("shop");
    extend_config(&repo, AGENTS);
    (repo, Server::new(env, test))
}

/// `participant`'s stand-in in a pane of its own, its session started
/// (`session`) through its own hook, showing `screen`.
fn busy(env: &TestEnv, repo: &Path, a: &mut Agent, session: &str) {
    a.screen("busy");
    a.hook(&claude_event(
        env,
        repo,
        session,
        "UserPromptSubmit",
        json!({"prompt": "earlier work"}),
    ));
}

/// The agent's turn ends.
fn idle(env: &TestEnv, repo: &Path, a: &mut Agent, session: &str) -> String {
    a.screen("idle");
    a.hook(&claude_event(
        env,
        repo,
        session,
        "Stop",
        json!({"stop_hook_active": false}),
    ))
}

/// `codexa --as lead trigger ARGS…` started in the background, with
/// `path` (if any) ahead on PATH.
fn spawn_trigger(env: &TestEnv, repo: &Path, args: &[&str], path: Option<&Path>) -> Child {
    spawn_trigger_as(env, repo, "lead", args, path)
}

/// `spawn_trigger` as `who`.
fn spawn_trigger_as(
    env: &TestEnv,
    repo: &Path,
    who: &str,
    args: &[&str],
    path: Option<&Path>,
) -> Child {
    let mut cmd = env.std_codexa(repo);
    cmd.args(["--as", who, "trigger"]).args(args);
    if let Some(dir) = path {
        let old = std::env::var("PATH").unwrap_or_default();
        cmd.env("PATH", format!("{}:{old}", dir.display()));
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.spawn().unwrap()
}

fn finish(child: Child) -> Output {
    child.wait_with_output().unwrap()
}

/// Wait for `child` to end delivered, saying `says`.
fn delivered(child: Child, says: &str) -> Output {
    let out = finish(child);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains(says), "{}", stderr(&out));
    out
}

/// The events of the `trigger` streams, oldest first.
fn trigger_events(env: &TestEnv, repo: &Path) -> Vec<Value> {
    ok_as(env, repo, None, &["events", "query", "--stream", "trigger"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `(type, the field that says what happened)` of each event.
fn steps(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| {
            let d = &e["data"];
            let what = ["reason", "confirmed_by", "method", "reason_code"]
                .iter()
                .find_map(|k| d[k].as_str())
                .unwrap_or("");
            (e["type"].as_str().unwrap().to_string(), what.to_string())
        })
        .collect()
}

/// Wait until a `trigger.deferred` with `reason` is in the log, while
/// `trigger` (the process expected to record it) still runs.
fn deferred_for(env: &TestEnv, repo: &Path, reason: &str, mut trigger: Option<&mut Child>) {
    eventually(&format!("trigger.deferred ({reason})"), || {
        let events = trigger_events(env, repo);
        if steps(&events).contains(&("trigger.deferred".into(), reason.into())) {
            return Ok(());
        }
        if let Some(t) = trigger.as_deref_mut()
            && let Ok(Some(status)) = t.try_wait()
        {
            let mut err = String::new();
            if let Some(e) = t.stderr.as_mut() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            panic!(
                "the trigger ended ({status}) before deferring: {err}\n{:?}",
                steps(&events)
            );
        }
        Err(format!("{:?}", steps(&events)))
    });
}

/// A stand-in `codex` for the resume fallback: it records its arguments
/// (one per line) and its working directory, then says `answer` and exits
/// with `status`.
fn resume_standin(env: &TestEnv, answer: &str, status: i32) -> (PathBuf, PathBuf) {
    let bin = env.path("resume-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let record = env.path("resume-record");
    let script = format!(
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{rec}.argv'\npwd > '{rec}.cwd'\necho '{answer}'\nexit {status}\n",
        rec = record.display()
    );
    let path = bin.join("codex");
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    (bin, record)
}

#[test]
fn busy_then_idle_defers_then_types_once_and_the_hook_confirms() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-busy");
    let mut a = agent(&env, &server, &repo, "worker-a", "codex", "th-busy", "idle");
    busy(&env, &repo, &mut a, "th-busy");
    let text = "Please rerun the failing tests and report back";
    let mut child = spawn_trigger(&env, &repo, &["worker-a", "--prompt", text], None);
    deferred_for(&env, &repo, "agent_busy", Some(&mut child));
    idle(&env, &repo, &mut a, "th-busy");
    delivered(child, "confirmed by hook");
    assert_eq!(
        a.prompts(),
        [text],
        "the agent received the text exactly once"
    );

    let got = steps(&trigger_events(&env, &repo));
    assert_eq!(got.first().unwrap().0, "trigger.requested");
    assert!(
        got.contains(&("trigger.deferred".into(), "agent_busy".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("trigger.deferred".into(), "not_quiet".into())),
        "{got:?}"
    );
    assert_eq!(
        got[got.len() - 2..],
        [
            ("trigger.attempted".to_string(), "send_keys".to_string()),
            ("trigger.delivered".to_string(), "hook".to_string())
        ]
    );
}

#[test]
fn a_mid_turn_claude_session_takes_the_prompt_at_its_stop_and_nothing_is_typed() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-stop");
    let mut a = agent(&env, &server, &repo, "lead", "claude", "s-lead", "idle");
    busy(&env, &repo, &mut a, "s-lead");
    let text = "When you are done: rebase on main";
    let mut child = spawn_trigger_as(&env, &repo, "worker-a", &["lead", "--prompt", text], None);
    deferred_for(&env, &repo, "agent_busy", Some(&mut child));
    // Its Stop hook answers with the prompt; the agent goes on with it.
    eventually("the hand-off to be queued", || {
        let queued = env.store_dir(&repo).join("cache/trigger/handoff");
        let n = walk_count(&queued, ".json");
        if n == 1 {
            Ok(())
        } else {
            Err(format!("{n} queued"))
        }
    });
    let answer = a.hook(&claude_event(
        &env,
        &repo,
        "s-lead",
        "Stop",
        json!({"stop_hook_active": false}),
    ));
    let answer: Value = serde_json::from_str(answer.trim()).unwrap();
    assert_eq!(answer, json!({"decision": "block", "reason": text}));
    assert_eq!(a.handoffs(), [text]);
    // Its next hook: it is working on it.
    a.hook(&claude_event(
        &env,
        &repo,
        "s-lead",
        "PreToolUse",
        json!({"tool_name": "Bash", "tool_input": {"command": "git status"}, "tool_use_id": "t1"}),
    ));
    delivered(child, "delivered by stop_handoff");
    assert!(
        a.prompts().is_empty(),
        "nothing was typed: {:?}",
        a.prompts()
    );
    // The next Stop hands over nothing more.
    let quiet = a.hook(&claude_event(
        &env,
        &repo,
        "s-lead",
        "Stop",
        json!({"stop_hook_active": true}),
    ));
    assert_eq!(quiet.trim(), "");
}

fn walk_count(dir: &Path, ext: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk_count(&p, ext)
            } else {
                usize::from(p.to_string_lossy().ends_with(ext))
            }
        })
        .sum()
}

#[test]
fn never_quiet_within_the_max_defer_falls_back_to_codex_exec_resume() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-never");
    let mut a = agent(
        &env, &server, &repo, "worker-a", "codex", "th-never", "idle",
    );
    busy(&env, &repo, &mut a, "th-never");
    let (bin, record) = resume_standin(&env, "ok", 0);
    let text = "read th_1; then `make` $(nothing) 'quoted'";
    let out = finish(spawn_trigger(
        &env,
        &repo,
        &["worker-a", "--prompt", text],
        Some(&bin),
    ));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let argv = std::fs::read_to_string(record.with_extension("argv")).unwrap();
    assert_eq!(argv, format!("exec\nresume\nth-never\n{text}\n"));
    let cwd = std::fs::read_to_string(record.with_extension("cwd")).unwrap();
    assert_eq!(
        Path::new(cwd.trim()).canonicalize().unwrap(),
        repo.canonicalize().unwrap()
    );
    let got = steps(&trigger_events(&env, &repo));
    assert_eq!(
        got[got.len() - 2..],
        [
            ("trigger.attempted".to_string(), "exec_resume".to_string()),
            ("trigger.delivered".to_string(), "exit_status".to_string())
        ]
    );
    assert!(a.prompts().is_empty(), "nothing typed into a busy pane");
}

#[test]
fn a_dead_pane_falls_back_and_a_thread_held_elsewhere_is_its_own_failure() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-dead");
    let a = agent(&env, &server, &repo, "worker-a", "codex", "th-dead", "idle");
    a.crash();
    let (bin, _) = resume_standin(
        &env,
        "Error: thread th-dead already has an active writer",
        1,
    );
    let out = finish(spawn_trigger(
        &env,
        &repo,
        &["worker-a", "--prompt", "go"],
        Some(&bin),
    ));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stderr(&out).contains("thread_held"), "{}", stderr(&out));
    let events = trigger_events(&env, &repo);
    let attempted = events
        .iter()
        .find(|e| e["type"] == "trigger.attempted")
        .unwrap();
    assert_eq!(attempted["data"]["after"], "pane_gone");
    assert_eq!(events.last().unwrap()["data"]["reason_code"], "thread_held");
}

#[test]
fn a_swallowed_enter_is_sent_again_without_the_text_and_a_draft_is_never_typed_over() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-enter");
    let mut a = agent(
        &env, &server, &repo, "worker-a", "codex", "th-enter", "idle",
    );
    idle(&env, &repo, &mut a, "th-enter");
    a.swallow(1);
    let text = "summarise the open threads";
    let out = finish(spawn_trigger(
        &env,
        &repo,
        &["worker-a", "--prompt", text],
        None,
    ));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(a.swallowed(), 1);
    assert_eq!(a.prompts(), [text], "the text is not doubled");

    // A person's draft: the wake waits, then goes to the fallback; the
    // draft is untouched.
    idle(&env, &repo, &mut a, "th-enter");
    server.type_keys(&a.pane, "half a thought");
    eventually("the draft in the box", || match a.input_box() {
        Some(d) if d == "half a thought" => Ok(()),
        other => Err(format!("{other:?}")),
    });
    let (bin, _) = resume_standin(&env, "ok", 0);
    let out = finish(spawn_trigger(
        &env,
        &repo,
        &["worker-a", "--prompt", "another"],
        Some(&bin),
    ));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let got = steps(&trigger_events(&env, &repo));
    assert!(
        got.contains(&("trigger.deferred".into(), "draft_in_box".into())),
        "{got:?}"
    );
    assert_eq!(a.input_box().as_deref(), Some("half a thought"));
    assert_eq!(a.prompts(), [text]);
}

#[test]
fn injection_strings_arrive_literally_typed_or_pasted() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-inject");
    let mut a = agent(&env, &server, &repo, "worker-a", "codex", "th-inj", "idle");
    idle(&env, &repo, &mut a, "th-inj");
    let marker = env.path("pwned");
    let one = format!(
        "-n $(touch {m}) `touch {m}`; echo \"q\" 'q' C-c Enter \\ end;",
        m = marker.display()
    );
    let two = format!(
        "first line $(touch {m})\nsecond; line C-c\n-third",
        m = marker.display()
    );
    for text in [&one, &two] {
        let out = finish(spawn_trigger(
            &env,
            &repo,
            &["worker-a", "--prompt", text],
            None,
        ));
        assert!(
            out.status.success(),
            "{text}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        idle(&env, &repo, &mut a, "th-inj");
    }
    assert_eq!(a.prompts(), [one.clone(), two.clone()]);
    assert!(!marker.exists(), "nothing was executed");
    let methods: Vec<String> = steps(&trigger_events(&env, &repo))
        .into_iter()
        .filter(|(t, _)| t == "trigger.attempted")
        .map(|(_, m)| m)
        .collect();
    assert_eq!(
        methods,
        ["paste", "paste"],
        "a text ending in ';' and a multi-line one are pasted"
    );
}

/// The pid of the process whose command line holds `needle` (a sequence
/// of arguments), from `/proc`.
fn pid_running(needle: &[&str]) -> Option<u32> {
    let want = needle.join("\0");
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
        String::from_utf8_lossy(&cmdline)
            .contains(&want)
            .then_some(pid)
    })
}

#[test]
fn a_job_whose_worker_died_is_finished_once_by_concurrent_drains() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-drain");
    let mut a = agent(
        &env, &server, &repo, "worker-a", "codex", "th-drain", "idle",
    );
    busy(&env, &repo, &mut a, "th-drain");
    let job = ok_as(
        &env,
        &repo,
        Some("lead"),
        &[
            "trigger",
            "worker-a",
            "--prompt",
            "drained once",
            "--no-wait",
        ],
    );
    assert!(job.starts_with("trg_"), "{job}");
    deferred_for(&env, &repo, "agent_busy", None);
    let worker = eventually("the job's worker", || {
        pid_running(&["drain", "--job", &job]).ok_or("not running".to_string())
    });
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &worker.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    eventually("the worker to be gone", || {
        match pid_running(&["drain", "--job", &job]) {
            None => Ok(()),
            Some(p) => Err(format!("{p} still runs")),
        }
    });
    idle(&env, &repo, &mut a, "th-drain");
    let drains: Vec<Child> = (0..2)
        .map(|_| {
            let mut cmd = env.std_codexa(&repo);
            cmd.args(["--as", "lead", "trigger", "drain"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for d in drains {
        let out = finish(d);
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    }
    assert_eq!(a.prompts(), ["drained once"]);
    let delivered = trigger_events(&env, &repo)
        .into_iter()
        .filter(|e| e["type"] == "trigger.delivered")
        .count();
    assert_eq!(delivered, 1);

    // What analytics make of the run.
    let report: Value = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["analyze", "triggers", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(report["jobs"], 1, "{report}");
    assert_eq!(report["outcomes"]["delivered"], 1, "{report}");
    assert_eq!(report["deferred_jobs"], 1, "{report}");
}

#[test]
fn an_agent_bound_by_hand_is_typed_to_and_confirmed_from_its_screen() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-bound");
    // Started without hooks that name it: bound by a person.
    let a = Agent::start(&env, &server, &repo, "bound", "codex", "idle");
    ok_as(
        &env,
        &repo,
        None,
        &[
            "session",
            "bind",
            "worker-a",
            "--pane",
            &a.pane,
            "--provider",
            "codex",
            "--socket",
            &server.socket,
        ],
    );
    let out = finish(spawn_trigger(
        &env,
        &repo,
        &["worker-a", "--prompt", "check the queue"],
        None,
    ));
    assert!(
        out.status.success(),
        "{}{}\nprompts: {:?}\nscreen:\n{}\nevents: {:?}",
        stdout(&out),
        stderr(&out),
        a.prompts(),
        a.capture(),
        steps(&trigger_events(&env, &repo))
    );
    assert!(
        stderr(&out).contains("confirmed by screen"),
        "{}",
        stderr(&out)
    );
    assert_eq!(a.prompts(), ["check the queue"]);
}

#[test]
fn a_binding_made_from_outside_a_pane_never_gets_its_shell_typed_into() {
    let env = TestEnv::new();
    let (repo, server) = setup(&env, "trig-forged");
    // A person's shell, and an agent elsewhere naming that pane in a hook
    // it runs itself.
    let shell = server.shell("person", &repo);
    let socket = server.tmux(&["display-message", "-p", "#{socket_path}"]);
    let payload = |event: &str| claude_event(&env, &repo, "forged", event, json!({})).to_string();
    for event in ["SessionStart", "Stop"] {
        let file = env.path(&format!("forged-{event}.json"));
        std::fs::write(&file, payload(event)).unwrap();
        let out = crate::common::under_agent(
            &env,
            &repo,
            &[
                "sh",
                "-c",
                "\"$0\" hook claude < \"$1\"",
                crate::common::BIN,
                file.to_str().unwrap(),
            ],
            &[
                ("TMUX_PANE", shell.as_str()),
                ("TMUX", &format!("{socket},1,0")),
                ("CODEXA_AGENT", "lead"),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let marker = env.path("typed-into-the-shell");
    let out = finish(spawn_trigger(
        &env,
        &repo,
        &["lead", "--prompt", &format!("touch {}", marker.display())],
        None,
    ));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stderr(&out).contains("pane_gone"), "{}", stderr(&out));
    let screen = server.tmux(&["capture-pane", "-p", "-t", &shell]);
    assert!(
        !screen.contains("touch"),
        "nothing typed into the shell:\n{screen}"
    );
    assert!(!marker.exists());
}
