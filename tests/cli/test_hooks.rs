//! Agent hooks through the binary: `codexa hook claude|codex` answering
//! every payload in `tests/fixtures/hooks/` (allow, deny or ask from the
//! policy gate, with `policy.evaluated` recorded and approvals opened; other
//! events silent), the fail mode for broken input, a config rule overriding
//! the default action table, and `codexa hooks install` with `doctor`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{
    TestEnv, decision, extend_config, fixture, hook_with, ok_as, parse_answer, reason, stderr,
    stdout,
};

/// Run a fixture through `codexa hook`; exit code must be 0. The answer's
/// `hookSpecificOutput`, or None when nothing was printed.
fn answer(env: &TestEnv, dir: &Path, name: &str, vars: &[(&str, &str)]) -> Option<Value> {
    let agent = name.split('/').next().unwrap();
    let out = hook_with(env, dir, agent, &fixture(env, dir, name), vars, &[]);
    parse_answer(&out, name)
}

fn evaluated(env: &TestEnv, dir: &Path) -> Vec<Value> {
    env.query(dir, &["--type", "policy.evaluated"])
}

fn approvals(env: &TestEnv, dir: &Path) -> Vec<Value> {
    serde_json::from_str(&ok_as(env, dir, None, &["approvals", "--format", "json"])).unwrap()
}

/// fixture, answer as (event, decision) or None, the action recorded.
type Row<'a> = (&'a str, Option<(&'a str, &'a str)>, Option<&'a str>);

/// Every fixture has a stated outcome here, so a new payload cannot go
/// untested: (fixture, answer as (event, decision) or None for silence,
/// the action recorded).
#[test]
fn every_fixture_round_trips() {
    #[rustfmt::skip]
    let table: &[Row] = &[
        ("claude/pre_tool_use_git_push.json", Some(("PreToolUse", "ask")), Some("git.push")),
        ("claude/pre_tool_use_ls.json", None, Some("shell.exec")),
        ("claude/pre_tool_use_webfetch.json", Some(("PreToolUse", "ask")), Some("external.read")),
        ("claude/pre_tool_use_write_outside.json", None, Some("fs.write_outside")),
        ("claude/pre_tool_use_write_inside.json", None, Some("tool.write")),
        ("claude/permission_request_publish.json", None, Some("shell.exec")),
        ("claude/session_start.json", None, None),
        ("claude/user_prompt_submit.json", None, None),
        ("claude/notification.json", None, None),
        ("claude/stop.json", None, None),
        ("claude/session_end.json", None, None),
        ("codex/pre_tool_use_bash.json", None, Some("shell.exec")),
        ("codex/stop.json", None, None),
    ];
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hooks");
    let mut on_disk = Vec::new();
    for agent in ["claude", "codex"] {
        for f in std::fs::read_dir(root.join(agent)).unwrap() {
            on_disk.push(format!(
                "{agent}/{}",
                f.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    on_disk.retain(|n| !n.contains("notify"));
    on_disk.sort();
    let mut listed: Vec<String> = table.iter().map(|r| r.0.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every fixture needs a row");

    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    for (name, want, action) in table {
        let before = evaluated(&env, &repo).len();
        let got = answer(&env, &repo, name, &[]);
        assert_eq!(got.as_ref().map(decision), *want, "{name}: {got:?}");
        let after = evaluated(&env, &repo);
        match action {
            Some(a) => {
                assert_eq!(after.len(), before + 1, "{name}");
                assert_eq!(after.last().unwrap()["data"]["action"], *a, "{name}");
            }
            None => assert_eq!(after.len(), before, "{name} recorded something"),
        }
    }
}

#[test]
fn git_push_asks_opens_one_approval_then_allows_once_approved() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let push = "claude/pre_tool_use_git_push.json";

    let a = answer(&env, &repo, push, &[]).unwrap();
    assert_eq!(decision(&a), ("PreToolUse", "ask"));
    let open = approvals(&env, &repo);
    assert_eq!(open.len(), 1, "{open:#?}");
    let id = open[0]["id"].as_str().unwrap().to_string();
    assert_eq!(open[0]["action"], "git.push");
    assert_eq!(open[0]["subject"], "origin/main");
    assert_eq!(open[0]["requested_by"], "claude");
    assert_eq!(open[0]["status"], "pending");
    let r = reason(&a);
    assert!(r.contains("git_push_requires_approval"), "{r}");
    assert!(r.contains(&format!("codexa approve {id}")), "{r}");

    let ev = evaluated(&env, &repo);
    assert_eq!(ev.len(), 1);
    let d = &ev[0]["data"];
    assert_eq!(d["action"], "git.push");
    assert_eq!(d["subject"], "origin/main");
    assert_eq!(d["actor"], "agent:claude");
    assert_eq!(d["decision"], "require_approval");
    assert_eq!(d["rule"], "git-push");
    assert_eq!(ev[0]["actor"]["id"], "claude");

    // Asking again opens nothing new.
    let again = answer(&env, &repo, push, &[]).unwrap();
    assert_eq!(decision(&again), ("PreToolUse", "ask"));
    assert!(reason(&again).contains(&id));
    assert_eq!(approvals(&env, &repo).len(), 1);

    // The git user (a person) approves; the next push is allowed.
    ok_as(&env, &repo, None, &["approve", &id]);
    let allowed = answer(&env, &repo, push, &[]).unwrap();
    assert_eq!(decision(&allowed), ("PreToolUse", "allow"));
    assert!(
        reason(&allowed).contains(&format!("approved:{id}")),
        "{allowed}"
    );
    let last = evaluated(&env, &repo).pop().unwrap();
    assert_eq!(last["data"]["decision"], "allow");
    assert_eq!(last["data"]["approval"], id.as_str());
}

#[test]
fn the_kill_switch_denies_external_actions() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let fetch = "claude/pre_tool_use_webfetch.json";
    let a = answer(&env, &repo, fetch, &[]).unwrap();
    assert_eq!(decision(&a), ("PreToolUse", "ask"));
    assert!(
        reason(&a).contains("external.read on https://docs.example.org/guide"),
        "{a}"
    );

    let kill = [("CODEXA_KILL_SWITCH_EXTERNAL_WRITE", "1")];
    let d = answer(&env, &repo, fetch, &kill).unwrap();
    assert_eq!(decision(&d), ("PreToolUse", "deny"));
    assert!(reason(&d).starts_with("codexa policy: kill_switch"), "{d}");
    // The kill switch beats an approval too.
    let id = approvals(&env, &repo)[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(
        decision(&answer(&env, &repo, fetch, &[]).unwrap()).1,
        "allow"
    );
    assert_eq!(
        decision(&answer(&env, &repo, fetch, &kill).unwrap()).1,
        "deny"
    );
    // And through config.
    extend_config(&repo, "kill_switch:\n  external_write: true\n");
    assert_eq!(
        decision(&answer(&env, &repo, fetch, &[]).unwrap()).1,
        "deny"
    );
}

#[test]
fn writes_outside_the_repository_are_their_own_action() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    answer(&env, &repo, "claude/pre_tool_use_write_outside.json", &[]);
    let last = evaluated(&env, &repo).pop().unwrap();
    assert_eq!(last["data"]["action"], "fs.write_outside");
    assert_eq!(
        last["data"]["subject"],
        env.path("outside/notes.md").to_str().unwrap()
    );
    // A policy can gate it.
    std::fs::write(
        repo.join(".codexa/policy.yaml"),
        "version: 1\ndefault: {decision: allow, reason_code: default_allow}\n\
         rules:\n  - {id: outside, action: fs.write_outside, decision: deny, reason_code: stay_in_the_repo}\n",
    )
    .unwrap();
    let a = answer(&env, &repo, "claude/pre_tool_use_write_outside.json", &[]).unwrap();
    assert_eq!(decision(&a), ("PreToolUse", "deny"));
    assert!(
        reason(&a).contains("stay_in_the_repo (rule outside)"),
        "{a}"
    );
    // Nothing but the default allows writing inside: no opinion, so the
    // agent's own permission settings decide.
    let inside = answer(&env, &repo, "claude/pre_tool_use_write_inside.json", &[]);
    assert_eq!(inside, None);
}

#[test]
fn the_actor_is_codexa_agent_or_the_provider() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    answer(&env, &repo, "codex/pre_tool_use_bash.json", &[]);
    answer(
        &env,
        &repo,
        "claude/pre_tool_use_ls.json",
        &[("CODEXA_AGENT", "builder")],
    );
    let ev = evaluated(&env, &repo);
    let actors: Vec<&str> = ev
        .iter()
        .map(|e| e["data"]["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors, ["agent:codex", "agent:builder"]);
    assert_eq!(ev[0]["data"]["subject"], "cargo");
    assert_eq!(ev[1]["data"]["subject"], "ls");
}

#[test]
fn codex_notify_takes_the_last_argument_says_nothing_and_records_the_turn() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let before = env.count(&repo);
    let payload = fixture(&env, &repo, "codex/notify_turn_complete.json");
    // stdin closed, payload as the last argument.
    let mut cmd = env.codexa(&repo);
    cmd.args(["hook", "codex", &payload]);
    let out = cmd.output().unwrap();
    assert_eq!(parse_answer(&out, "notify"), None);
    assert_eq!(stderr(&out), "");
    // The completed turn is a transition worth one event.
    assert_eq!(env.count(&repo), before + 1);
    // A hook payload on stdin still answers.
    let stdin = fixture(&env, &repo, "codex/pre_tool_use_bash.json");
    let out = hook_with(&env, &repo, "codex", &stdin, &[], &[]);
    assert!(out.status.success());
    // Only the default allows it: silence, and the gate recorded it.
    assert_eq!(parse_answer(&out, "codex"), None);
    assert_eq!(
        evaluated(&env, &repo).last().unwrap()["data"]["action"],
        "shell.exec"
    );
}

#[test]
fn broken_input_gets_the_fail_mode_and_exit_0() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    for (agent, stdin) in [
        ("claude", "{\"hook_event_name\": \"PreTo"),
        ("claude", ""),
        ("codex", "[]"),
    ] {
        let out = hook_with(&env, &repo, agent, stdin, &[], &[]);
        let a = parse_answer(&out, stdin).unwrap();
        assert_eq!(decision(&a), ("PreToolUse", "ask"), "{stdin:?}");
        assert!(reason(&a).contains("hook_error (fail mode ask)"), "{a}");
    }
    let log = env.store_dir(&repo).join("cache/hooks.log");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("not JSON"), "{text}");
    assert!(text.contains("empty hook payload"), "{text}");
    // A gated event without a tool name is an internal error, not a crash.
    // (PermissionRequest has no "ask": failing to ask is letting its
    // dialog go ahead, so the answer is silence.)
    let odd = r#"{"hook_event_name": "PermissionRequest", "unknown": 1}"#;
    assert_eq!(
        parse_answer(&hook_with(&env, &repo, "claude", odd, &[], &[]), odd),
        None
    );
    assert!(evaluated(&env, &repo).is_empty());

    extend_config(&repo, "hooks:\n  fail_mode: deny\n");
    let a = parse_answer(
        &hook_with(&env, &repo, "claude", "not json", &[], &[]),
        "deny",
    )
    .unwrap();
    assert_eq!(decision(&a), ("PreToolUse", "deny"));
    assert!(reason(&a).contains("fail mode deny"), "{a}");

    // Outside any repository: still an answer, still exit 0.
    let outside = env.path("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let push = fixture(&env, &outside, "claude/pre_tool_use_git_push.json");
    let a = parse_answer(
        &hook_with(&env, &outside, "claude", &push, &[], &[]),
        "outside",
    )
    .unwrap();
    assert_eq!(decision(&a), ("PreToolUse", "ask"));
}

#[test]
fn a_config_rule_overrides_the_default_table() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let publish = "claude/permission_request_publish.json";
    // By default `npm publish` is just a shell command: no rule, silence.
    assert_eq!(answer(&env, &repo, publish, &[]), None);
    extend_config(
        &repo,
        "hooks:\n  actions:\n    - {tool: Bash, command: \"npm publish*\", action: external.write, subject: \"npm:{repo}\"}\n",
    );
    // require_approval on a PermissionRequest: silence (the dialog asks
    // the person) and an approval request opened.
    assert_eq!(answer(&env, &repo, publish, &[]), None);
    assert_eq!(approvals(&env, &repo).len(), 1);
    let last = evaluated(&env, &repo).pop().unwrap();
    assert_eq!(last["data"]["action"], "external.write");
    assert_eq!(last["data"]["subject"], "npm:shop");
    assert_eq!(last["data"]["rule"], "external-writes");
    // Other commands still follow the defaults.
    answer(&env, &repo, "claude/pre_tool_use_ls.json", &[]);
    assert_eq!(
        evaluated(&env, &repo).pop().unwrap()["data"]["action"],
        "shell.exec"
    );
}

fn doctor_status(env: &TestEnv, dir: &Path, check: &str) -> String {
    let (_, f) = env.doctor_finding(dir, check);
    if f["status"] == "warn" {
        assert_eq!(f["fix"], "codexa hooks install");
    }
    f["status"].as_str().unwrap().to_string()
}

#[test]
fn hooks_install_merges_keeps_other_keys_and_is_idempotent() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let claude = repo.join(".claude/settings.local.json");
    std::fs::create_dir_all(claude.parent().unwrap()).unwrap();
    let mine = r#"{"permissions": {"allow": ["Bash(ls:*)"]}, "model": "opus",
      "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]}}"#;
    std::fs::write(&claude, mine).unwrap();
    assert_eq!(doctor_status(&env, &repo, "hooks.claude"), "warn");
    assert_eq!(doctor_status(&env, &repo, "hooks.codex"), "warn");

    // A dry run prints the diff and writes nothing.
    let out = env
        .codexa(&repo)
        .args(["hooks", "install", "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(diff.contains("--- a/.claude/settings.local.json"), "{diff}");
    assert!(
        diff.contains("--- /dev/null\n+++ b/.codex/hooks.json"),
        "{diff}"
    );
    assert!(
        diff.contains("+            \"command\": \"codexa hook codex\","),
        "{diff}"
    );
    assert!(stderr(&out).contains("dry run: nothing written"));
    assert_eq!(std::fs::read_to_string(&claude).unwrap(), mine);
    assert!(!repo.join(".codex").exists());

    let out = env
        .codexa(&repo)
        .args(["hooks", "install"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), diff);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&claude).unwrap()).unwrap();
    assert_eq!(v["permissions"]["allow"][0], "Bash(ls:*)");
    assert_eq!(v["model"], "opus");
    assert_eq!(v["hooks"]["Stop"][0]["hooks"][0]["command"], "say done");
    for ev in ["PreToolUse", "PermissionRequest"] {
        assert_eq!(
            v["hooks"][ev],
            serde_json::json!([{"matcher": "*", "hooks": [{"type": "command", "command": "codexa hook claude", "timeout": 10}]}]),
            "{ev}"
        );
    }
    let codex = std::fs::read_to_string(repo.join(".codex/hooks.json")).unwrap();
    assert!(codex.starts_with("{\n  \"hooks\": {\n"), "{codex}");
    let c: Value = serde_json::from_str(&codex).unwrap();
    assert_eq!(
        c["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
        "codexa hook codex"
    );
    assert_eq!(doctor_status(&env, &repo, "hooks.claude"), "ok");
    assert_eq!(doctor_status(&env, &repo, "hooks.codex"), "ok");

    // A second run changes nothing, and says so.
    let settled = std::fs::read_to_string(&claude).unwrap();
    let out = env
        .codexa(&repo)
        .args(["hooks", "install"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains(".claude/settings.local.json: already installed, nothing to change"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&claude).unwrap(), settled);
    assert_eq!(
        std::fs::read_to_string(repo.join(".codex/hooks.json")).unwrap(),
        codex
    );
}

#[test]
fn hooks_install_one_agent_only() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let out = env
        .codexa(&repo)
        .args(["hooks", "install", "--codex"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(repo.join(".codex/hooks.json").exists());
    assert!(!repo.join(".claude").exists());
    assert_eq!(doctor_status(&env, &repo, "hooks.codex"), "ok");
    assert_eq!(doctor_status(&env, &repo, "hooks.claude"), "warn");
}

/// A risky action waits for a person, end to end: an agent's push asks
/// and opens an approval; a person approves it with the phrase people use;
/// the push is allowed; the kill switch then denies it anyway.
#[test]
fn journey_a_risky_push_waits_for_a_person() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let push = "claude/pre_tool_use_git_push.json";
    let agent = [("CODEXA_AGENT", "worker-a")];
    let first = answer(&env, &repo, push, &agent).unwrap();
    assert_eq!(decision(&first), ("PreToolUse", "ask"));
    let pending = approvals(&env, &repo);
    assert_eq!(pending.len(), 1);
    let subject = pending[0]["subject"].as_str().unwrap().to_string();
    let phrase = format!("approve publish for {subject}");
    let out = env.codexa(&repo).args(["ask", &phrase]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let allowed = answer(&env, &repo, push, &agent).unwrap();
    assert_eq!(decision(&allowed), ("PreToolUse", "allow"));
    assert!(reason(&allowed).contains("approved:appr_"), "{allowed}");
    let killed = answer(
        &env,
        &repo,
        push,
        &[
            ("CODEXA_AGENT", "worker-a"),
            ("CODEXA_KILL_SWITCH_EXTERNAL_WRITE", "1"),
        ],
    )
    .unwrap();
    assert_eq!(decision(&killed), ("PreToolUse", "deny"));
}

/// Found in review: pushes hidden behind wrappers, chains and `sh -c` were
/// plain shell commands, and an agent could approve its own request by
/// running `codexa approve` (which, without `$CODEXA_AGENT`, speaks as the
/// git user).
#[test]
fn regression_hidden_pushes_are_gated_and_agents_cannot_decide() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let bash = |command: &str| {
        serde_json::json!({
            "session_id": "s", "cwd": repo.to_str().unwrap(), "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": {"command": command}, "tool_use_id": "t"
        })
        .to_string()
    };
    for cmd in [
        "cd . && git push origin main",
        "env GIT_TRACE=0 git -C . push",
        "bash -c 'git push'",
        "/usr/bin/git --no-pager push",
    ] {
        let out = hook_with(&env, &repo, "claude", &bash(cmd), &[], &[]);
        let a = parse_answer(&out, cmd).unwrap();
        assert_eq!(decision(&a), ("PreToolUse", "ask"), "{cmd}");
    }
    for cmd in [
        "codexa approve appr_X",
        "cd . && codexa --as me deny x",
        "sh -c 'codexa ask \"approve publish for x\"'",
    ] {
        let out = hook_with(&env, &repo, "claude", &bash(cmd), &[], &[]);
        let a = parse_answer(&out, cmd).unwrap();
        assert_eq!(decision(&a), ("PreToolUse", "deny"), "{cmd}");
        assert!(reason(&a).contains("agents_may_not_decide"), "{a}");
    }
    // Scripts may not forge codexa's own events through the low-level door.
    let out = env
        .codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "approval.decided",
            "--stream",
            "approval:appr_X",
            "--data",
            "{}",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is codexa's own to write"),
        "{}",
        stderr(&out)
    );
}

/// Found in review: `hooks install` replaced a symlinked settings file
/// with a regular one.
#[test]
fn regression_hooks_install_writes_through_a_symlink() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let real = env.path("dotfiles-settings.json");
    std::fs::write(&real, "{\"model\": \"opus\"}\n").unwrap();
    std::fs::create_dir_all(repo.join(".claude")).unwrap();
    let link = repo.join(".claude/settings.local.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    env.codexa(&repo)
        .args(["hooks", "install", "--claude"])
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    assert_eq!(v["model"], "opus");
    assert!(v["hooks"]["PreToolUse"].is_array(), "{v}");
}
