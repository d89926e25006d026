//! `codexa policy eval|explain`: the gate's decisions through the binary —
//! exit codes 0 allow, 4 require_approval, 5 deny; the JSON shape; the
//! example policy's defaults; the kill switch; `policy.evaluated` recorded
//! by eval and nothing by explain.

use std::path::Path;

use serde_json::Value;

use crate::common::{
    EXIT_DENY, EXIT_REQUIRE_APPROVAL, TestEnv, decision_of, eval, extend_config, run_as, stderr,
    stdout,
};

/// A repository using tests/fixtures/policy/matrix.yaml, with participants.
fn matrix_repo(env: &TestEnv) -> std::path::PathBuf {
    let repo = env.init_repo("repo");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy/matrix.yaml"),
        repo.join(".codexa/policy.yaml"),
    )
    .unwrap();
    extend_config(
        &repo,
        "agents:\n  lead: {provider: claude, role: lead}\n  worker-a: {provider: codex, role: worker}\n",
    );
    repo
}

#[test]
fn the_example_policy_gates_agents_pushes_and_external_writes() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: codex, role: worker}\n",
    );
    let (code, d) = eval(
        &env,
        &repo,
        Some("worker-a"),
        &["--action", "git.push", "--subject", "origin/main"],
    );
    assert_eq!(code, EXIT_REQUIRE_APPROVAL, "{d:#}");
    assert_eq!(d["decision"], "require_approval");
    assert_eq!(d["reason_code"], "git_push_requires_approval");
    assert_eq!(d["rule"], "git-push");
    assert_eq!(d["actor"], "agent:worker-a");
    assert_eq!(d["subject"], "origin/main");
    assert_eq!(d["zone"], "supervised");
    assert!(d.get("approval").is_none());
    // Every kind of push, and writes to the gate's own files, wait for a
    // person when an agent asks.
    for (action, reason) in [
        ("git.push.force", "force_push_requires_approval"),
        ("git.push.delete", "push_delete_requires_approval"),
        ("git.push.no_verify", "push_without_hooks_requires_approval"),
        ("control.write", "control_write_requires_approval"),
        ("shell.opaque", "opaque_command_requires_approval"),
    ] {
        let (code, d) = eval(&env, &repo, Some("worker-a"), &["--action", action]);
        assert_eq!(
            (code, d["reason_code"].as_str()),
            (EXIT_REQUIRE_APPROVAL, Some(reason))
        );
        let (code, d) = eval(&env, &repo, None, &["--action", action]);
        assert_eq!(
            (code, d["reason_code"].as_str()),
            (0, Some("default_allow"))
        );
    }
    // People push as before.
    let (code, d) = eval(
        &env,
        &repo,
        None,
        &["--action", "git.push", "--subject", "origin/main"],
    );
    assert_eq!((code, d["actor"].as_str()), (0, Some("user:Test User")));

    let (code, d) = eval(&env, &repo, None, &["--action", "external.http.post"]);
    assert_eq!(code, EXIT_REQUIRE_APPROVAL, "{d:#}");
    assert_eq!(d["reason_code"], "external_write_requires_approval");

    let (code, d) = eval(&env, &repo, None, &["--action", "fs.read"]);
    assert_eq!(code, 0, "{d:#}");
    assert_eq!(d["decision"], "allow");
    assert_eq!(d["reason_code"], "default_allow");
    assert_eq!(d["rule"], Value::Null);

    // The same without a policy file: the built-in policy is the example.
    std::fs::remove_file(repo.join(".codexa/policy.yaml")).unwrap();
    let (code, _) = eval(&env, &repo, Some("worker-a"), &["--action", "git.push"]);
    assert_eq!(code, EXIT_REQUIRE_APPROVAL);

    // Text: decision, reason code and rule on stdout.
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["policy", "eval", "--action", "git.push"],
    );
    assert_eq!(
        stdout(&out),
        "require_approval git_push_requires_approval (rule git-push)\n"
    );
    assert!(
        stderr(&out).contains("codexa approval request"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_matrix_policy_decides_by_first_match_with_exit_codes() {
    let env = TestEnv::new();
    let repo = matrix_repo(&env);
    #[rustfmt::skip]
    let rows: &[(Option<&str>, &[&str], i32, &str)] = &[
        (Some("worker-a"), &["--action", "fs.read", "--zone", "high_stakes"], 0, "reads_are_free"),
        (Some("worker-a"), &["--action", "shell.exec"], EXIT_REQUIRE_APPROVAL, "workers_ask_for_shell"),
        (Some("worker-a"), &["--action", "shell.exec", "--zone", "sandbox"], 0, "sandbox_is_free"),
        (Some("worker-a"), &["--action", "shell.exec", "--subject", "scratch/x.sh"], 0, "sandbox_is_free"),
        (Some("lead"), &["--action", "shell.exec"], 0, "default_allow"),
        (Some("lead"), &["--action", "external.write"], EXIT_DENY, "high_stakes_agents"),
        (None, &["--action", "external.write"], EXIT_REQUIRE_APPROVAL, "high_stakes_people"),
        (None, &["--action", "git.push", "--subject", "origin/main"], EXIT_DENY, "no_push_to_main"),
        (None, &["--action", "git.push", "--subject", "origin/dev"], EXIT_REQUIRE_APPROVAL, "push_needs_approval"),
        (None, &["--action", "git.push", "--subject", "infra/prod"], EXIT_REQUIRE_APPROVAL, "high_stakes_people"),
    ];
    for (who, args, want_code, want_reason) in rows {
        let (code, d) = eval(&env, &repo, *who, args);
        assert_eq!(
            (code, d["reason_code"].as_str().unwrap()),
            (*want_code, *want_reason),
            "{args:?} as {who:?}: {d:#}"
        );
    }
    // Every eval was recorded on the action's stream.
    let recorded = env.query(&repo, &["--type", "policy.evaluated"]);
    assert_eq!(recorded.len(), rows.len());
    let push = env.query(
        &repo,
        &["--type", "policy.evaluated", "--stream", "policy:git.push"],
    );
    assert_eq!(push.len(), 3);
    assert_eq!(push[0]["data"]["decision"], "deny");
    assert_eq!(push[0]["data"]["actor"], "user:Test User");
    assert_eq!(push[0]["actor"]["id"], "Test User");
}

#[test]
fn explain_says_why_each_rule_did_not_match_and_records_nothing() {
    let env = TestEnv::new();
    let repo = matrix_repo(&env);
    let before = env.count(&repo);
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["policy", "explain", "--action", "shell.exec"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("rule reads: allow reads_are_free   no match"),
        "{text}"
    );
    assert!(
        text.contains("action: `shell.exec` does not match `fs.read`"),
        "{text}"
    );
    assert!(
        text.contains("zone: `supervised` is not `sandbox`"),
        "{text}"
    );
    assert!(
        text.contains("rule worker-shell: require_approval workers_ask_for_shell → decides"),
        "{text}"
    );
    assert!(text.contains("kill switch: off"), "{text}");
    assert!(
        text.contains("decision: require_approval workers_ask_for_shell (rule worker-shell)"),
        "{text}"
    );
    let out = run_as(
        &env,
        &repo,
        Some("lead"),
        &[
            "policy",
            "explain",
            "--action",
            "shell.exec",
            "--format",
            "json",
        ],
    );
    let e: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(e["default_used"], true);
    let ws = &e["rules"][3];
    assert_eq!(ws["rule"], "worker-shell");
    assert_eq!(ws["failed"][0], "role: `lead` is not `worker`");
    assert_eq!(env.count(&repo), before, "explain appended events");
}

#[test]
fn the_kill_switch_denies_external_actions_from_config_or_env() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let args = ["--action", "external.http.post", "--subject", "api"];
    let (code, _) = eval(&env, &repo, None, &args);
    assert_eq!(code, EXIT_REQUIRE_APPROVAL);

    // From the environment.
    let mut cmd = env.codexa(&repo);
    cmd.env("CODEXA_KILL_SWITCH_EXTERNAL_WRITE", "1")
        .args(["policy", "eval", "--format", "json"])
        .args(args);
    let (code, d) = decision_of(&cmd.output().unwrap());
    assert_eq!(code, EXIT_DENY);
    assert_eq!(d["reason_code"], "kill_switch");
    // Non-external actions are untouched.
    let mut cmd = env.codexa(&repo);
    cmd.env("CODEXA_KILL_SWITCH_EXTERNAL_WRITE", "1")
        .args(["policy", "eval", "--action", "fs.read"]);
    assert_eq!(cmd.output().unwrap().status.code(), Some(0));

    // From config.
    extend_config(&repo, "kill_switch:\n  external_write: true\n");
    let (code, d) = eval(&env, &repo, None, &args);
    assert_eq!((code, d["decision"].as_str()), (EXIT_DENY, Some("deny")));
    assert_eq!(d["reason_code"], "kill_switch");
    let out = run_as(
        &env,
        &repo,
        None,
        &["policy", "explain", "--action", "external.write"],
    );
    assert!(
        stdout(&out).contains("kill switch: on, and the action is external: denied"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn bad_requests_and_an_invalid_policy_are_errors_with_a_line() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let out = run_as(
        &env,
        &repo,
        None,
        &["policy", "eval", "--action", "Git Push"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not an action name"),
        "{}",
        stderr(&out)
    );
    // A valid policy is remembered as valid (by its content) so later calls
    // skip the schema; an edit is checked afresh.
    let out = run_as(
        &env,
        &repo,
        None,
        &["policy", "eval", "--action", "tool.read"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(env.store_dir(&repo).join("cache/policy-valid").is_file());
    std::fs::write(
        repo.join(".codexa/policy.yaml"),
        "version: 1\ndefault: {decision: allow, reason_code: ok}\nrules:\n  - action: git.push\n    decision: maybe\n    reason_code: x\n",
    )
    .unwrap();
    let out = run_as(
        &env,
        &repo,
        None,
        &["policy", "eval", "--action", "git.push"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".codexa/policy.yaml:5"),
        "{}",
        stderr(&out)
    );
}

/// `git push` writes to another machine: the kill switch stops it too,
/// even when approved.
#[test]
fn the_kill_switch_also_stops_git_push() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let out = env
        .codexa(&repo)
        .env("CODEXA_KILL_SWITCH_EXTERNAL_WRITE", "1")
        .args([
            "policy",
            "eval",
            "--action",
            "git.push",
            "--subject",
            "repo@main",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reason_code"], "kill_switch");
}
