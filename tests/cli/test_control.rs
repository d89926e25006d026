//! Control that holds against an eager agent, through `codexa hook claude`:
//! writes to the gate's own files are `control.write`, a push maps to the
//! ref it really updates (`git.push.force` on `origin/main` for
//! `feature:main`), a line that cannot be read is `shell.opaque`, git
//! aliases from the repository's config are followed, and deciding
//! commands are refused through every door the reader knows.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::{TestEnv, extend_config, ok_as, stderr, stdout};

/// A policy that asks about control writes, opaque lines and every kind of
/// push, so each answer shows which action the call mapped to.
const POLICY: &str = "version: 1\n\
default: {decision: allow, reason_code: default_allow}\n\
rules:\n\
  - {id: control, action: control.write, decision: require_approval, reason_code: control_needs_approval}\n\
  - {id: opaque, action: shell.opaque, decision: require_approval, reason_code: unreadable_command}\n\
  - {id: pushes, action: git.push.**, decision: require_approval, reason_code: push_needs_approval}\n";

fn repo(env: &TestEnv) -> std::path::PathBuf {
    let repo = env.init_repo("shop");
    std::fs::write(repo.join(".codexa/policy.yaml"), POLICY).unwrap();
    repo
}

/// A PreToolUse payload for `tool` with `input`, answered by the hook: the
/// decision (None for silence) and the reason.
fn hook(env: &TestEnv, repo: &Path, tool: &str, input: Value) -> Option<(String, String)> {
    let payload = json!({
        "session_id": "s-control",
        "cwd": repo,
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": input,
    });
    let out = env
        .codexa(repo)
        .args(["hook", "claude"])
        .write_stdin(payload.to_string())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    if text.trim().is_empty() {
        return None;
    }
    let v: Value = serde_json::from_str(&text).unwrap();
    let a = &v["hookSpecificOutput"];
    Some((
        a["permissionDecision"].as_str().unwrap().to_string(),
        a["permissionDecisionReason"].as_str().unwrap().to_string(),
    ))
}

fn bash(env: &TestEnv, repo: &Path, command: &str) -> Option<(String, String)> {
    hook(env, repo, "Bash", json!({ "command": command }))
}

/// The action and subject of the last `policy.evaluated`.
fn last_evaluated(env: &TestEnv, repo: &Path) -> (String, String) {
    let ev = env.query(repo, &["--type", "policy.evaluated"]);
    let d = &ev.last().expect("a policy.evaluated event")["data"];
    (
        d["action"].as_str().unwrap().to_string(),
        d["subject"].as_str().unwrap_or_default().to_string(),
    )
}

fn approvals(env: &TestEnv, repo: &Path) -> Vec<Value> {
    serde_json::from_str(&ok_as(env, repo, None, &["approvals", "--format", "json"])).unwrap()
}

fn pair(a: &str, s: &str) -> (String, String) {
    (a.to_string(), s.to_string())
}

#[test]
fn writing_the_policy_is_control_and_needs_approval() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let (decision, reason) = hook(
        &env,
        &repo,
        "Write",
        json!({"file_path": repo.join(".codexa/policy.yaml"), "content": "rules: []\n"}),
    )
    .unwrap();
    assert_eq!(decision, "ask", "{reason}");
    assert!(
        reason.contains("control_needs_approval (rule control)"),
        "{reason}"
    );
    assert_eq!(
        last_evaluated(&env, &repo),
        pair("control.write", ".codexa/policy.yaml")
    );
    let open = approvals(&env, &repo);
    assert_eq!(open.len(), 1, "{open:#?}");
    assert_eq!(open[0]["action"], "control.write");
    assert_eq!(open[0]["subject"], ".codexa/policy.yaml");
    let id = open[0]["id"].as_str().unwrap();
    assert!(reason.contains(id), "{reason}");

    // Even a config rule that maps every tool call to an allowed action
    // does not switch it off.
    extend_config(
        &repo,
        "hooks:\n  actions:\n    - {tool: \"*\", action: tool.anything, subject: x}\n",
    );
    let (decision, _) = hook(
        &env,
        &repo,
        "Edit",
        json!({"file_path": ".codexa/config.yaml", "old_string": "a", "new_string": "b"}),
    )
    .unwrap();
    assert_eq!(decision, "ask");
    assert_eq!(
        last_evaluated(&env, &repo),
        pair("control.write", ".codexa/config.yaml")
    );
    // The agents' own settings and the git directory are control too.
    for (path, subject) in [
        (".claude/settings.local.json", ".claude/settings.local.json"),
        (".codex/hooks.json", ".codex/hooks.json"),
        (".git/hooks/pre-push", ".git/hooks/pre-push"),
    ] {
        hook(&env, &repo, "Write", json!({ "file_path": path }));
        assert_eq!(last_evaluated(&env, &repo), pair("control.write", subject));
    }
}

#[test]
fn shell_writes_to_control_files_are_control() {
    let env = TestEnv::new();
    let repo = repo(&env);
    for (line, subject) in [
        ("echo x > .codexa/policy.yaml", ".codexa/policy.yaml"),
        (
            "cd .codexa && sed -i 's/require_approval/allow/' policy.yaml",
            ".codexa/policy.yaml",
        ),
        (
            "printf 'rules: []' | tee .codexa/policy.yaml",
            ".codexa/policy.yaml",
        ),
        ("cp /tmp/p .claude/settings.json", ".claude/settings.json"),
        ("git config core.hooksPath /dev/null", ".git/config"),
        (
            "bash -c 'echo x >> .git/codexa/events/w/000001.jsonl'",
            ".git/codexa/events/w/000001.jsonl",
        ),
    ] {
        let (decision, reason) = bash(&env, &repo, line).unwrap();
        assert_eq!(decision, "ask", "{line}: {reason}");
        assert_eq!(
            last_evaluated(&env, &repo),
            pair("control.write", subject),
            "{line}"
        );
    }
    // Nothing was written.
    assert_eq!(
        std::fs::read_to_string(repo.join(".codexa/policy.yaml")).unwrap(),
        POLICY
    );
}

#[test]
fn a_push_is_judged_on_the_ref_it_updates() {
    let env = TestEnv::new();
    let repo = repo(&env);
    env.git(&repo, &["checkout", "-q", "-b", "feature"]);
    for (line, action, subject) in [
        (
            "git push --force origin feature:main",
            "git.push.force",
            "origin/main",
        ),
        (
            "git push origin --delete main",
            "git.push.delete",
            "origin/main",
        ),
        ("git push origin feature", "git.push", "origin/feature"),
        ("git push", "git.push", "origin/feature"),
        (
            "git push --no-verify origin main",
            "git.push.no_verify",
            "origin/main",
        ),
        (
            "timeout 5 git push -f origin main",
            "git.push.force",
            "origin/main",
        ),
        (
            "bash --norc -c 'git push origin :main'",
            "git.push.delete",
            "origin/main",
        ),
    ] {
        let (decision, reason) = bash(&env, &repo, line).unwrap();
        assert_eq!(decision, "ask", "{line}: {reason}");
        assert!(
            reason.contains(&format!("{action} on {subject}")),
            "{line}: {reason}"
        );
        assert_eq!(last_evaluated(&env, &repo), pair(action, subject), "{line}");
    }
    // An approval for the feature branch does not cover a force push to
    // main: each is its own request.
    let open = approvals(&env, &repo);
    let feature = open
        .iter()
        .find(|a| a["action"] == "git.push" && a["subject"] == "origin/feature")
        .expect("a request for origin/feature");
    ok_as(
        &env,
        &repo,
        None,
        &["approve", feature["id"].as_str().unwrap()],
    );
    let (decision, _) = bash(&env, &repo, "git push origin feature").unwrap();
    assert_eq!(decision, "allow");
    let (decision, _) = bash(&env, &repo, "git push --force origin feature:main").unwrap();
    assert_eq!(decision, "ask");
}

#[test]
fn the_remote_and_aliases_come_from_git_config() {
    let env = TestEnv::new();
    let repo = repo(&env);
    env.git(&repo, &["config", "alias.ship", "push --force"]);
    env.git(&repo, &["config", "branch.main.remote", "upstream"]);
    bash(&env, &repo, "git ship");
    assert_eq!(
        last_evaluated(&env, &repo),
        pair("git.push.force", "upstream/main")
    );
    // A shell alias is a command line of its own.
    env.git(
        &repo,
        &[
            "config",
            "alias.sync-up",
            "!git fetch && git push origin :old",
        ],
    );
    bash(&env, &repo, "git sync-up");
    assert_eq!(
        last_evaluated(&env, &repo),
        pair("git.push.delete", "origin/old")
    );
    // The user's global config counts too.
    let global = env.home().join(".gitconfig");
    let mut text = std::fs::read_to_string(&global).unwrap();
    text.push_str("[alias]\n\tpub = push --no-verify\n");
    std::fs::write(&global, text).unwrap();
    bash(&env, &repo, "git pub origin main");
    assert_eq!(
        last_evaluated(&env, &repo),
        pair("git.push.no_verify", "origin/main")
    );
}

#[test]
fn unreadable_lines_are_opaque() {
    let env = TestEnv::new();
    let repo = repo(&env);
    for (line, subject) in [
        ("eval \"$(echo git push)\"", "eval"),
        ("git${IFS}push", "a command word from an expansion"),
        (
            "python3 -c 'import subprocess; subprocess.run([\"git\", \"push\"])'",
            "python3 -c",
        ),
        (
            "bash <<< 'git push'",
            "bash reading commands from its input",
        ),
    ] {
        let (decision, reason) = bash(&env, &repo, line).unwrap();
        assert_eq!(decision, "ask", "{line}: {reason}");
        assert!(
            reason.contains("unreadable_command (rule opaque)"),
            "{reason}"
        );
        assert_eq!(
            last_evaluated(&env, &repo),
            pair("shell.opaque", subject),
            "{line}"
        );
    }
    // A readable line is not.
    assert_eq!(bash(&env, &repo, "ls -la && cargo test"), None);
    assert_eq!(last_evaluated(&env, &repo), pair("shell.exec", "ls,cargo"));
}

#[test]
fn deciding_commands_are_refused_through_every_door() {
    let env = TestEnv::new();
    let repo = repo(&env);
    env.git(&repo, &["config", "alias.ok", "!codexa approve"]);
    let before = env.query(&repo, &["--type", "policy.evaluated"]).len();
    for line in [
        "codexa approve appr_1",
        "codexa --as alice approve appr_1",
        "timeout 5 codexa approve appr_1",
        "bash --norc -c 'codexa approve appr_1'",
        "env -S 'codexa approve appr_1'",
        "find . -maxdepth 0 -exec codexa deny appr_1 \\;",
        "echo appr_1 | xargs codexa hold",
        "git -c 'alias.a=!codexa approve' a appr_1",
        "git ok appr_1",
        "$'\\x63odexa' approve appr_1",
        "/usr/local/bin/codexa ask 'approve appr_1'",
        "codexa events accept w_foreign",
        "tmux send-keys -t agents:0 'codexa approve appr_1' Enter",
    ] {
        let (decision, reason) = bash(&env, &repo, line).unwrap();
        assert_eq!(decision, "deny", "{line}: {reason}");
        assert!(reason.contains("agents_may_not_decide"), "{line}: {reason}");
    }
    // Refused before the gate: nothing evaluated.
    assert_eq!(
        env.query(&repo, &["--type", "policy.evaluated"]).len(),
        before
    );
    // Reading decisions is fine.
    assert_eq!(bash(&env, &repo, "codexa approvals --status pending"), None);
}

/// The person's own settings steer the gate from outside the repository:
/// codexa's user config layer (a `fail_mode: allow` there would let a held
/// lock open every call), the global git config (`core.hooksPath`) and
/// the agents' user settings. Writing them is control too.
#[test]
fn the_persons_own_settings_are_control() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let home = env.home();
    let layer = env.config_home().join("config.yaml");
    for (tool, input) in [
        (
            "Write",
            json!({"file_path": layer, "content": "hooks: {fail_mode: allow}\n"}),
        ),
        (
            "Write",
            json!({"file_path": home.join(".gitconfig"), "content": ""}),
        ),
        (
            "Edit",
            json!({"file_path": home.join(".claude/settings.json")}),
        ),
        (
            "Write",
            json!({"file_path": home.join(".codex/config.toml"), "content": ""}),
        ),
        (
            "Bash",
            json!({"command": format!("printf 'hooks:\\n  fail_mode: allow\\n' > {}", layer.display())}),
        ),
        (
            "Bash",
            json!({"command": "echo '[core] hooksPath=/dev/null' >> ~/.gitconfig"}),
        ),
        ("Bash", json!({"command": "cp /tmp/evil/.gitconfig ~/"})),
        (
            "Bash",
            json!({"command": "cp -t ~/.claude /tmp/evil/settings.json"}),
        ),
        ("Bash", json!({"command": "rm -rf ~/.claude"})),
        (
            "Write",
            json!({"file_path": home.join(".claude.json"), "content": "{}"}),
        ),
    ] {
        let (decision, reason) = hook(&env, &repo, tool, input.clone()).expect("an answer");
        assert_eq!(decision, "ask", "{tool} {input}: {reason}");
        assert!(reason.contains("control.write"), "{reason}");
    }
    // Elsewhere in the home folder is not control.
    let other = hook(
        &env,
        &repo,
        "Write",
        json!({"file_path": home.join("notes.txt"), "content": "x"}),
    );
    assert!(other.is_none_or(|(_, r)| !r.contains("control.write")));
}

/// Programs that write files their own way: a patch is read from disk to
/// see what it changes, git's path-taking commands name their paths, a
/// move takes its source away.
#[test]
fn patches_restores_and_moves_of_control_files_are_control() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let patch = "diff --git a/.codexa/policy.yaml b/.codexa/policy.yaml\n\
                 --- a/.codexa/policy.yaml\n\
                 +++ b/.codexa/policy.yaml\n\
                 @@ -1 +1,2 @@\n version: 1\n+# anything goes\n";
    std::fs::write(env.path("open.patch"), patch).unwrap();
    let harmless = patch.replace(".codexa/policy.yaml", "src/lib.rs");
    std::fs::write(env.path("fix.patch"), harmless).unwrap();
    let open = env.path("open.patch").display().to_string();
    let fix = env.path("fix.patch").display().to_string();
    for line in [
        format!("git apply {open}"),
        format!("git apply --index -p1 < {open}"),
        format!("patch -p1 < {open}"),
        format!("patch -p1 -i {open}"),
        format!("patch -p1 --input={open}"),
        "(cd /tmp); rm -rf .codexa".to_string(),
        "false && cd /tmp; echo x > .codexa/policy.yaml".to_string(),
        "bash -c 'cd /tmp'; rm .codexa/policy.yaml".to_string(),
        "git checkout HEAD~1 -- .codexa/policy.yaml".to_string(),
        "git restore --source HEAD~1 .codexa/policy.yaml".to_string(),
        "git rm -q .codexa/policy.yaml".to_string(),
        "mv .git/hooks/pre-push /tmp/".to_string(),
        "sort -o .codexa/policy.yaml /tmp/p".to_string(),
        "git update-index --cacheinfo 100644,0123456789abcdef0123456789abcdef01234567,.codexa/allowed_signers".to_string(),
        "git checkout-index -f .codexa/allowed_signers".to_string(),
    ] {
        let (decision, reason) = bash(&env, &repo, &line).expect("an answer");
        assert_eq!(decision, "ask", "{line}: {reason}");
        assert!(reason.contains("control.write"), "{line}: {reason}");
    }
    // A patch "file" that is a FIFO is not opened (it would block the hook).
    let fifo = env.path("fifo.patch");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let started = std::time::Instant::now();
    let _ = bash(&env, &repo, &format!("git apply {}", fifo.display()));
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    for line in [
        format!("git apply {fix}"),
        format!("patch -p1 < {fix}"),
        "git checkout -- src/lib.rs".to_string(),
        "mv a.txt b.txt".to_string(),
    ] {
        let answer = bash(&env, &repo, &line);
        assert!(
            answer
                .as_ref()
                .is_none_or(|(_, r)| !r.contains("control.write")),
            "{line}: {answer:?}"
        );
    }
}

/// A commit of the agent's own that changes the gate's files becomes the
/// work tree without any file written on the line: moving the work tree to
/// a revision whose `.codexa` differs from HEAD's is a control write.
#[test]
fn moving_the_work_tree_to_another_gate_is_control() {
    let env = TestEnv::new();
    let repo = repo(&env);
    env.git(&repo, &["add", ".codexa"]);
    env.git(&repo, &["commit", "-q", "-m", "policy"]);
    env.git(&repo, &["checkout", "-q", "-b", "side"]);
    std::fs::write(
        repo.join(".codexa/policy.yaml"),
        "version: 1\ndefault: {decision: allow, reason_code: ok}\n",
    )
    .unwrap();
    env.git(&repo, &["commit", "-q", "-am", "open the gate"]);
    env.git(&repo, &["checkout", "-q", "main"]);
    for line in [
        "git reset --hard side",
        "git checkout side",
        "git switch side",
        "git merge side",
        "git restore --source side .",
        "git read-tree -u --reset side",
    ] {
        let (decision, reason) = bash(&env, &repo, line).expect("an answer");
        assert_eq!(decision, "ask", "{line}: {reason}");
        assert!(reason.contains(".codexa (as at side)"), "{line}: {reason}");
    }
    for line in [
        "git reset --hard HEAD",
        "git checkout -b other",
        "git switch main",
    ] {
        let answer = bash(&env, &repo, line);
        assert!(
            answer
                .as_ref()
                .is_none_or(|(_, r)| !r.contains("control.write")),
            "{line}: {answer:?}"
        );
    }
}
