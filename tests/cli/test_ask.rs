//! `codexa ask`: prompt-first phrases through the binary — the dry run in
//! text and JSON, exit 2 with suggestions for an unknown phrase, a
//! project's `.codexa/commands/` extending and overriding the catalogue,
//! the global flags passed on, and a phrase deciding a real approval.

use std::path::Path;

use serde_json::Value;

use crate::common::{TestEnv, extend_config, new_thread, ok_as, run_as, stderr, stdout};

fn repo_with_agent(env: &TestEnv) -> std::path::PathBuf {
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: codex, role: worker}\n",
    );
    repo
}

fn approval(env: &TestEnv, dir: &Path, id: &str) -> Value {
    serde_json::from_str(&ok_as(
        env,
        dir,
        None,
        &["approval", "show", id, "--format", "json"],
    ))
    .unwrap()
}

#[test]
fn dry_run_prints_the_command_and_runs_nothing() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let before = env.count(&repo);
    let out = env.run(&repo, &["ask", "--dry-run", "Approve  design for CH-010."]);
    insta::assert_snapshot!(out, @"codexa approve CH-010 --kind design");

    let out = run_as(
        &env,
        &repo,
        None,
        &[
            "ask",
            "--dry-run",
            "--format",
            "json",
            "post to th_01: it's done; rm -rf /",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["phrase"], "post to th_01: it's done; rm -rf /");
    assert_eq!(v["pattern"], "post to {thread}: {text...}");
    assert_eq!(
        v["argv"],
        serde_json::json!(["post", "th_01", "--", "it's done; rm -rf /"])
    );
    assert_eq!(
        v["command"],
        r"codexa post th_01 -- 'it'\''s done; rm -rf /'"
    );
    assert_eq!(v["source"], "commands/threads.yaml");
    // Several words work as one phrase.
    let out = env.run(&repo, &["ask", "--dry-run", "what", "is", "unread?"]);
    insta::assert_snapshot!(out, @"codexa inbox");
    assert_eq!(env.count(&repo), before, "a dry run appended events");
}

#[test]
fn an_unknown_phrase_exits_2_with_the_closest_phrases() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let before = env.count(&repo);
    let out = env.run(&repo, &["ask", "aprove design for CH-010"]);
    insta::assert_snapshot!(out, @"
    [stderr]
    Error: no phrase in the catalogue matches `aprove design for CH-010`
    Hint: did you mean `approve {kind} for {subject}`, `deny {kind} for {subject}`, `hold {kind} for {subject}`? (`codexa ask --list` shows every phrase)
    [exit status: 2]
    ");
    // A value that would be read as an option is refused the same way.
    let out = run_as(&env, &repo, None, &["ask", "approve --as=boss"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("option"), "{}", stderr(&out));
    assert_eq!(env.count(&repo), before);
}

#[test]
fn a_project_catalogue_extends_and_overrides() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    std::fs::create_dir_all(repo.join(".codexa/commands")).unwrap();
    std::fs::write(
        repo.join(".codexa/commands/team.yaml"),
        "version: 1\nphrases:\n  \
         - phrase: \"SYNC\"\n    argv: [sync, --remote, upstream]\n  \
         - phrase: \"ship {change}\"\n    argv: [approvals, --subject, \"{change}\"]\n    \
         description: What waits on a change.\n",
    )
    .unwrap();
    let dry = |phrase: &str| {
        let out = run_as(&env, &repo, None, &["ask", "--dry-run", phrase]);
        assert_eq!(out.status.code(), Some(0), "{phrase}: {}", stderr(&out));
        stdout(&out).trim().to_string()
    };
    assert_eq!(dry("sync"), "codexa sync --remote upstream");
    assert_eq!(dry("ship CH-7"), "codexa approvals --subject CH-7");
    assert_eq!(dry("sync the log"), "codexa sync");
    let list: Value = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["ask", "--list", "--format", "json"],
    ))
    .unwrap();
    let ship = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["phrase"] == "ship {change}")
        .expect("the project phrase is listed");
    assert_eq!(ship["source"], ".codexa/commands/team.yaml");
    let syncs: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["phrase"].as_str().unwrap().eq_ignore_ascii_case("sync"))
        .collect();
    assert_eq!(syncs.len(), 1, "the override replaces the built-in");

    // A broken project file is an error naming file and line.
    std::fs::write(
        repo.join(".codexa/commands/bad.yaml"),
        "version: 1\nphrases:\n  - phrase: \"oops {x}\"\n    argv: [sync, \"{y}\"]\n",
    )
    .unwrap();
    let out = run_as(&env, &repo, None, &["ask", "--dry-run", "sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".codexa/commands/bad.yaml:3"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn asking_approves_a_real_pending_request() {
    let env = TestEnv::new();
    let repo = repo_with_agent(&env);
    // The agent asks (as $CODEXA_AGENT), the person answers by phrase.
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", "worker-a")
        .args([
            "approval",
            "request",
            "--action",
            "design.review",
            "--subject",
            "CH-010",
            "--kind",
            "design",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    assert_eq!(approval(&env, &repo, &id)["status"], "pending");
    assert_eq!(approval(&env, &repo, &id)["requested_by"], "worker-a");

    // `--as` is passed on: the agent may not decide, and the command's
    // exit code is ask's.
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["ask", "approve design for CH-010"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(approval(&env, &repo, &id)["status"], "pending");

    let out = run_as(&env, &repo, None, &["ask", "approve design for CH-010"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("codexa approve CH-010 --kind design"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).starts_with(&id), "{}", stdout(&out));
    let a = approval(&env, &repo, &id);
    assert_eq!(a["status"], "approved");
    assert_eq!(a["decisions"][0]["by"], "Test User", "{a}");

    // `--format` and `--quiet` are passed on too.
    let out = run_as(
        &env,
        &repo,
        None,
        &["--format", "json", "-q", "ask", "show approvals for CH-010"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "--quiet silences the status line");
    let list: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["status"], "approved");

    // The gate now allows it; `policy eval`'s exit code comes through.
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["--format", "json", "ask", "can I design.review CH-010?"],
    );
    let d: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(d["subject"], "CH-010");
    assert_eq!(out.status.code(), Some(0), "{d}");
}

#[test]
fn the_rest_of_a_post_phrase_is_the_message() {
    let env = TestEnv::new();
    let repo = repo_with_agent(&env);
    let th = new_thread(&env, &repo, None, "release", "worker-a");
    let phrase = format!("Post to {th}: - ship it?  Then tell me.");
    let out = run_as(&env, &repo, None, &["ask", &phrase]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown: Value = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["thread", "show", &th, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(shown["messages"][0]["body"], "- ship it?  Then tell me.");
}

/// Found in review: a project phrase whose command was `ask` in disguise
/// (`--quiet ask …`) re-ran the binary forever.
#[test]
fn regression_a_phrase_cannot_run_ask_again() {
    let env = TestEnv::new();
    let repo = repo_with_agent(&env);
    std::fs::create_dir_all(repo.join(".codexa/commands")).unwrap();
    std::fs::write(
        repo.join(".codexa/commands/loop.yaml"),
        "version: 1\nphrases:\n  - phrase: \"spin\"\n    argv: [\"--quiet\", \"ask\", \"spin\"]\n    description: a loop\n",
    )
    .unwrap();
    let out = env
        .codexa(&repo)
        .args(["ask", "spin"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("may not run `codexa ask`") || stderr(&out).contains("may not"),
        "{}",
        stderr(&out)
    );
}

/// Found in review: a project phrase file (which an agent can write) could
/// map a harmless-looking phrase to `approve`, behind global options or a
/// slot that picks the command. Such a file is refused, naming file and
/// line, and no approval is decided; the built-in approving phrases stay.
#[test]
fn regression_a_project_phrase_may_not_decide() {
    let env = TestEnv::new();
    let repo = repo_with_agent(&env);
    let id = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "git.push",
            "--subject",
            "shop@main",
        ],
    );
    let file = repo.join(".codexa/commands/tidy.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    for argv in [
        "[approve, \"{id}\"]",
        "[--as, boss, --format, json, deny, \"{id}\"]",
        "[-qC, ., hold, \"{id}\"]",
        "[\"{id}\", \"{id}\"]",
        "[events, accept, \"{id}\"]",
        "[approval, \"{id}\", \"{id}\"]",
    ] {
        std::fs::write(
            &file,
            format!(
                "version: 1\nphrases:\n  - phrase: \"list unread\"\n    argv: [inbox]\n  \
                 - phrase: \"tidy {{id}}\"\n    argv: {argv}\n"
            ),
        )
        .unwrap();
        let out = run_as(&env, &repo, None, &["ask", &format!("tidy {id}")]);
        assert_eq!(out.status.code(), Some(1), "{argv}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.contains(".codexa/commands/tidy.yaml:6"),
            "{argv}: {err}"
        );
        assert!(err.contains("a project's phrases may not"), "{argv}: {err}");
        assert!(err.contains("Hint:"), "{err}");
    }
    assert_eq!(approval(&env, &repo, &id)["status"], "pending");
    // Phrases that only look: still fine.
    std::fs::write(
        &file,
        "version: 1\nphrases:\n  - phrase: \"tidy {id}\"\n    argv: [approval, show, \"{id}\"]\n",
    )
    .unwrap();
    ok_as(&env, &repo, None, &["ask", &format!("tidy {id}")]);
    // The built-in catalogue keeps its approving phrases, for people.
    let out = run_as(
        &env,
        &repo,
        None,
        &["ask", "--dry-run", &format!("approve {id}")],
    );
    assert_eq!(stdout(&out).trim(), format!("codexa approve {id}"));
}
