//! Who is an agent is decided by the process tree: a `codexa` started
//! (directly or through shells, git and hooks) by a program named `claude`
//! is that agent, whatever `--as`, `$CODEXA_AGENT` or `events append
//! --actor` claim. The agent stand-in is a small script named `claude` that
//! runs its arguments as its own child, as Claude Code runs its Bash tool,
//! its hooks and its MCP servers.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{
    BIN, TestEnv, codexa_under_agent, extend_config, new_thread, ok_as, run_as, stderr, stdout,
    under_agent,
};

/// Extra environment variables for a command.
type Vars<'a> = Vec<(&'a str, &'a str)>;

fn repo(env: &TestEnv) -> PathBuf {
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: claude, role: worker}\n  boss: {provider: other, role: human}\n",
    );
    repo
}

fn request_push(env: &TestEnv, dir: &Path) -> String {
    let out = codexa_under_agent(
        env,
        dir,
        &[
            "approval",
            "request",
            "--action",
            "git.push",
            "--subject",
            "origin/main",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).trim().to_string()
}

fn status_of(env: &TestEnv, dir: &Path, id: &str) -> String {
    let shown: Value = serde_json::from_str(&ok_as(
        env,
        dir,
        None,
        &["approval", "show", id, "--format", "json"],
    ))
    .unwrap();
    shown["status"].as_str().unwrap().to_string()
}

#[test]
fn nothing_under_an_agent_decides_an_approval() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let id = request_push(&env, &repo);
    // Without $CODEXA_AGENT the agent is named after its program.
    let requested: Value = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["approval", "show", &id, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(requested["requested_by"], "claude");

    // Every way of claiming to be someone else is refused, and nothing is
    // decided: as itself, as the git user, as a configured person, through
    // $CODEXA_AGENT naming a person, and through the phrase door.
    let attempts: Vec<(Vec<&str>, Vars)> = vec![
        (vec!["approve", &id], vec![]),
        (vec!["--as", "Test User", "approve", &id], vec![]),
        (vec!["--as", "boss", "deny", &id], vec![]),
        (vec!["hold", &id], vec![("CODEXA_AGENT", "boss")]),
        (vec!["approve", &id], vec![("CODEXA_AGENT", "")]),
        (vec!["ask", "approve publish for origin/main"], vec![]),
    ];
    for (args, vars) in attempts {
        let mut all = vec![BIN];
        all.extend_from_slice(&args);
        let out = under_agent(&env, &repo, &all, &vars);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?} {vars:?} was not refused:\n{}{}",
            stdout(&out),
            stderr(&out)
        );
        // The refusal names no door but the person.
        assert!(!stderr(&out).contains("approvers:"), "{}", stderr(&out));
        assert_eq!(status_of(&env, &repo, &id), "pending", "{args:?}");
    }
    let refused = codexa_under_agent(&env, &repo, &["--as", "Test User", "approve", &id]);
    assert!(
        stderr(&refused).contains("runs under the agent program `claude`"),
        "{}",
        stderr(&refused)
    );

    // The person, from their own shell, decides with one command.
    ok_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(status_of(&env, &repo, &id), "approved");
}

#[test]
fn an_agent_speaks_only_as_itself() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let thread = new_thread(&env, &repo, None, "plan", "worker-a,boss");
    // As itself (its $CODEXA_AGENT name) it may say so with --as.
    let mine = under_agent(
        &env,
        &repo,
        &[BIN, "--as", "worker-a", "post", &thread, "done"],
        &[("CODEXA_AGENT", "worker-a")],
    );
    assert!(mine.status.success(), "{}", stderr(&mine));
    // Not as a person, nor as another participant.
    for who in ["boss", "Test User"] {
        let out = under_agent(
            &env,
            &repo,
            &[BIN, "--as", who, "post", &thread, "approved, ship it"],
            &[("CODEXA_AGENT", "worker-a")],
        );
        assert_eq!(out.status.code(), Some(1), "--as {who}: {}", stderr(&out));
    }
    // An event appended from under the agent is the agent's; claiming a
    // person's actor is refused and writes nothing.
    const NOTE: [&str; 8] = [
        "events",
        "append",
        "--type",
        "note.added",
        "--stream",
        "note:x",
        "--data",
        "{}",
    ];
    let before = env.count(&repo);
    let forged = codexa_under_agent(
        &env,
        &repo,
        &[&NOTE[..], &["--actor", "user:Test User"]].concat(),
    );
    assert_eq!(forged.status.code(), Some(1), "{}", stderr(&forged));
    assert_eq!(env.count(&repo), before);
    let own = codexa_under_agent(&env, &repo, &NOTE);
    assert!(own.status.success(), "{}", stderr(&own));
    let notes = env.query(&repo, &["--type", "note.added"]);
    assert_eq!(notes[0]["actor"]["kind"], "agent");
    assert_eq!(notes[0]["actor"]["id"], "claude");
}

#[test]
fn the_session_binding_names_an_agent_without_codexa_agent() {
    let env = TestEnv::new();
    let repo = repo(&env);
    // One agent process: its SessionStart hook (with $CODEXA_AGENT, as
    // `codexa start` sets it) binds the session to it; a later codexa the
    // same agent runs without the variable is still worker-a.
    let payload = r#"{"hook_event_name":"SessionStart","session_id":"s-1","source":"startup"}"#;
    let script = format!(
        "printf '%s' '{payload}' | CODEXA_AGENT=worker-a '{BIN}' hook claude && \
         '{BIN}' events append --type note.added --stream note:y --data '{{}}'"
    );
    let out = under_agent(&env, &repo, &["sh", "-c", &script], &[("TMUX_PANE", "%7")]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let notes = env.query(&repo, &["--type", "note.added"]);
    assert_eq!(notes[0]["actor"]["id"], "worker-a", "{notes:?}");
}

/// The frozen test clock and seeded ids are for tests: under an agent the
/// clock is the real one, so an agent cannot turn time back to before an
/// approval expired (the pre-push hook runs with the agent's environment).
#[test]
fn an_agent_cannot_turn_the_clock_back() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let push = ["--action", "git.push", "--subject", "origin/main"];
    let mut request = vec!["approval", "request", "--expires", "1h"];
    request.extend_from_slice(&push);
    let id = ok_as(&env, &repo, Some("worker-a"), &request);
    ok_as(&env, &repo, Some("boss"), &["approve", &id]);
    let mut eval = vec!["policy", "eval"];
    eval.extend_from_slice(&push);
    // At the frozen time the approval is in force…
    let frozen = run_as(&env, &repo, Some("worker-a"), &eval);
    assert_eq!(frozen.status.code(), Some(0), "{}", stderr(&frozen));
    // …but the agent's codexa, given the same variable, lives in real
    // time, long after the hour ran out.
    let mut all = vec![BIN];
    all.extend_from_slice(&eval);
    let out = under_agent(&env, &repo, &all, &[("CODEXA_AGENT", "worker-a")]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// Two ways of hiding the agent above a process: a chain of shells deeper
/// than a short walk up the tree reads, and a process cut loose from the
/// tree (`( cmd & )`: the subshell exits and init adopts the command)
/// while the agent, in the same session, goes on running.
#[test]
fn an_agent_deep_down_or_cut_loose_still_cannot_decide() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let id = request_push(&env, &repo);
    let deep = env.path("deep.sh");
    std::fs::write(
        &deep,
        "n=$1; shift\nif [ \"$n\" -gt 0 ]; then sh \"$0\" $((n-1)) \"$@\"; exit $?; fi\n\"$@\"\n",
    )
    .unwrap();
    let out = under_agent(
        &env,
        &repo,
        &["sh", deep.to_str().unwrap(), "70", BIN, "approve", &id],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(status_of(&env, &repo, &id), "pending");

    // The agent's shell starts the command cut loose, then waits for its
    // result (as the agent itself lives on after its tool call).
    let done = env.path("done");
    let script = format!(
        "( {{ '{BIN}' approve {id} 2>'{err}'; echo $? > '{done}.tmp'; mv '{done}.tmp' '{done}'; }} & )\n\
         while [ ! -e '{done}' ]; do sleep 0.02; done\n",
        err = env.path("err").display(),
        done = done.display()
    );
    let out = under_agent(&env, &repo, &["sh", "-c", &script], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let code = std::fs::read_to_string(&done).unwrap();
    let err = std::fs::read_to_string(env.path("err")).unwrap();
    assert_eq!(code.trim(), "1", "{err}");
    assert!(err.contains("may not decide"), "{err}");
    assert_eq!(status_of(&env, &repo, &id), "pending");
}

/// codexa keys its own events under its event types (`approval.requested:…`):
/// an agent posting a message under such a key first would make the
/// approval request it triggers find "its" event and fail, so `post` (as
/// `events append`) refuses those keys and writes nothing.
#[test]
fn an_agent_cannot_post_under_codexas_own_keys() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let thread = new_thread(&env, &repo, None, "plan", "worker-a");
    let before = env.count(&repo);
    for key in ["approval.requested:abc", "seed:th_1:p:c"] {
        let out = codexa_under_agent(
            &env,
            &repo,
            &["post", &thread, "hello", "--idempotency-key", key],
        );
        assert_eq!(out.status.code(), Some(1), "{key}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("codexa's own namespace"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(env.count(&repo), before);
}

/// `$CODEXA_AGENT` may name the agent after a person (`boss`, `role:
/// human` in config), but it brings none of boss's standing: the agent
/// keeps kind `agent` and the plain `agent` role, so a policy rule for
/// people's role does not answer it, under an agent's program or outside.
#[test]
fn an_agent_named_after_a_person_gets_none_of_its_role() {
    let env = TestEnv::new();
    let repo = repo(&env);
    std::fs::write(
        repo.join(".codexa/policy.yaml"),
        "version: 1\ndefault: {decision: deny, reason_code: default_deny}\nrules:\n  - {action: git.push, role: human, decision: allow, reason_code: people_push}\n",
    )
    .unwrap();
    let eval = ["--format", "json", "policy", "eval", "--action", "git.push"];
    let mut args = vec![BIN];
    args.extend_from_slice(&eval);
    let out = under_agent(&env, &repo, &args, &[("CODEXA_AGENT", "boss")]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["role"], "agent", "{v}");
    assert_eq!(v["actor"], "agent:boss", "{v}");
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", "boss")
        .args(eval)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    // The person, from a shell of their own, is answered by the rule.
    let out = run_as(&env, &repo, Some("boss"), &eval);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// An agent that finds the log cut and the head record emptied (or empties
/// it itself) cannot clear the refusal: accepting the chain's end is a
/// person's decision, whatever it claims and however it runs codexa; the
/// appends stay refused until a person accepts.
#[test]
fn an_agent_cannot_accept_a_cut_chain_or_an_emptied_head_record() {
    let env = TestEnv::new();
    let repo = repo(&env);
    for i in 0..3 {
        env.append(&repo, "note.added", "note:n", &format!("{{\"i\":{i}}}"));
    }
    env.keep_first_lines(&repo, 2);
    std::fs::write(repo.join(".git/codexa/head.json"), "").unwrap();

    let writer = env.writer_id(&repo);
    let accept = format!("{BIN} --as 'Test User' events accept {writer} --reason fine");
    let attempts: Vec<Vec<&str>> = vec![
        vec![BIN, "events", "accept", &writer, "--reason", "fine"],
        vec![BIN, "--as", "boss", "events", "accept", &writer],
        vec!["bash", "-c", &accept],
    ];
    for args in attempts {
        let out = under_agent(&env, &repo, &args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
        assert!(env.query(&repo, &["--type", "writer.accepted"]).is_empty());
    }
    let post = codexa_under_agent(
        &env,
        &repo,
        &[
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:n",
            "--data",
            "{}",
        ],
    );
    assert_eq!(post.status.code(), Some(1));
    assert!(stderr(&post).contains("head record"), "{}", stderr(&post));

    // The person, from their own shell, accepts; appends go on.
    ok_as(
        &env,
        &repo,
        None,
        &["events", "accept", &writer, "--reason", "looked"],
    );
    env.append(&repo, "note.added", "note:n", "{}");
    env.assert_verifies(&repo);
}
