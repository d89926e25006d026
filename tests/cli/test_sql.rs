//! `codexa sql` over a log the test builds through the real commands: the
//! typed views give the figures counted by hand, writes are refused, a bad
//! statement gets DuckDB's message with its position, and the output
//! shapes (table, JSON, CSV) hold.

use serde_json::{Value, json};

use crate::common::{TestEnv, extend_config, ok_as, run_as, stderr, stdout};

/// A repository with a thread of three messages, one policy decision that
/// needs approval, and that approval granted by a person.
fn history(env: &TestEnv) -> std::path::PathBuf {
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: codex, role: worker}\n  boss: {provider: other, role: human}\n",
    );
    let th = ok_as(
        env,
        &repo,
        Some("boss"),
        &["thread", "new", "Rate limits", "--participants", "worker-a"],
    );
    ok_as(
        env,
        &repo,
        Some("boss"),
        &["post", &th, "worker-a: add the middleware"],
    );
    ok_as(env, &repo, Some("worker-a"), &["post", &th, "on it"]);
    ok_as(env, &repo, Some("worker-a"), &["post", &th, "done, see PR"]);
    let out = run_as(
        env,
        &repo,
        Some("worker-a"),
        &[
            "policy",
            "eval",
            "--action",
            "git.push",
            "--subject",
            "origin/main",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let id = ok_as(
        env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "git.push",
            "--subject",
            "origin/main",
        ],
    );
    ok_as(env, &repo, Some("boss"), &["approve", &id]);
    repo
}

fn sql_json(env: &TestEnv, dir: &std::path::Path, q: &str) -> Value {
    let out = env
        .codexa(dir)
        .args(["sql", "--format", "json", q])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn the_views_answer_with_the_figures_of_the_log() {
    let env = TestEnv::new();
    let repo = history(&env);
    let n = sql_json(&env, &repo, "SELECT count(*) AS n FROM messages");
    assert_eq!(n, json!([{"n": 3}]));
    let by = sql_json(
        &env,
        &repo,
        "SELECT actor_id, count(*) AS n FROM messages GROUP BY actor_id ORDER BY actor_id",
    );
    assert_eq!(
        by,
        json!([{"actor_id": "boss", "n": 1}, {"actor_id": "worker-a", "n": 2}])
    );
    let threads = sql_json(
        &env,
        &repo,
        "SELECT title, messages, closed_at FROM threads",
    );
    assert_eq!(
        threads,
        json!([{"title": "Rate limits", "messages": 3, "closed_at": null}])
    );
    let approvals = sql_json(
        &env,
        &repo,
        "SELECT action, subject, kind, decision, decided_by FROM approvals",
    );
    assert_eq!(
        approvals,
        json!([{"action": "git.push", "subject": "origin/main", "kind": "publish", "decision": "approve", "decided_by": "boss"}])
    );
    let policy = sql_json(
        &env,
        &repo,
        "SELECT decision, reason_code FROM policy_decisions",
    );
    assert_eq!(policy[0]["decision"], "require_approval");
    // Every event is there, with its envelope columns typed.
    let total = sql_json(
        &env,
        &repo,
        "SELECT count(*) AS n, min(seq) AS first FROM events",
    );
    assert_eq!(total[0]["n"].as_u64().unwrap() as usize, env.count(&repo));
    assert_eq!(total[0]["first"], 1);
}

#[test]
fn tables_csv_and_the_schema() {
    let env = TestEnv::new();
    let repo = history(&env);
    let out = env
        .codexa(&repo)
        .args([
            "sql",
            "SELECT actor_id, body FROM messages ORDER BY ts LIMIT 2",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["actor_id", "body"]
    );
    assert!(lines[1].starts_with("boss"), "{text}");
    assert_eq!(lines.len(), 3, "{text}");

    let csv = env
        .codexa(&repo)
        .args([
            "sql",
            "--format",
            "csv",
            "SELECT 'a,b' AS x, NULL AS y, 2 AS z",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout(&csv), "x,y,z\n\"a,b\",,2\n");

    let schema = env
        .codexa(&repo)
        .args(["sql", "--schema"])
        .output()
        .unwrap();
    let text = stdout(&schema);
    for view in [
        "events",
        "messages",
        "threads",
        "approvals",
        "policy_decisions",
        "governance_blocks",
        "triggers",
        "agent_sessions",
        "discover_runs",
    ] {
        assert!(
            text.contains(&format!("{view}: ")),
            "{view} missing:\n{text}"
        );
    }
}

#[test]
fn sql_reads_only_and_names_syntax_errors() {
    let env = TestEnv::new();
    let repo = history(&env);
    let before = env.count(&repo);
    for write in [
        "DELETE FROM events",
        "COPY events TO '/tmp/x.csv'",
        "CREATE TABLE t (x INT)",
        "ATTACH 'x.db'",
    ] {
        let out = env.codexa(&repo).args(["sql", write]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{write}");
        assert!(
            stderr(&out).contains("only reads"),
            "{write}: {}",
            stderr(&out)
        );
    }
    // Several statements: DuckDB's parser counts them (quoting tricks
    // included) before anything is prepared, so nothing runs.
    for several in [
        "SELECT 1; DROP VIEW events",
        "SELECT $$'$$; COPY (SELECT 1) TO 'planted.parquet'; SELECT $$'$$ AS y",
    ] {
        let out = env.codexa(&repo).args(["sql", several]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{several}");
        assert!(
            stderr(&out).contains("one query at a time"),
            "{}",
            stderr(&out)
        );
    }
    // A write inside a query (DuckDB parses it as a SELECT with a COPY
    // or DELETE in its WITH), and parameters, are refused too.
    for inside in [
        "WITH w AS (COPY (SELECT 1) TO 'planted.parquet' (FORMAT parquet)) SELECT 1",
        "WITH w AS (DELETE FROM live RETURNING *) SELECT 1",
        "SELECT $\"$ $$) AS q; COPY (SELECT 1) TO 'planted.parquet' (FORMAT parquet); SELECT * FROM (SELECT 1\"",
    ] {
        let out = env.codexa(&repo).args(["sql", inside]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{inside}");
        assert!(
            stderr(&out).contains("only reads: the query holds"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!repo.join("planted.parquet").exists());
    let out = env
        .codexa(&repo)
        .args(["sql", "SELECT 1; SELECT 2"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("one statement at a time (2 given)"),
        "{}",
        stderr(&out)
    );
    let out = env
        .codexa(&repo)
        .args(["sql", "--format", "csv", "SELECT count(*) AS n FROM events"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the views are still there: {}",
        stderr(&out)
    );
    // A trailing comment does not swallow the query around it.
    let out = env
        .codexa(&repo)
        .args(["sql", "--format", "csv", "SELECT 2 AS n -- two"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "n\n2\n", "{}", stderr(&out));
    // Reading files directly is off too: only the views.
    let out = env
        .codexa(&repo)
        .args(["sql", "SELECT * FROM read_csv('/etc/passwd')"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let out = env
        .codexa(&repo)
        .args(["sql", "SELECT nope FROM events"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("SQL error") && err.contains("nope"), "{err}");
    let out = env
        .codexa(&repo)
        .args(["sql", "SELECT FROM WHERE"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("LINE 1"), "{}", stderr(&out));
    assert_eq!(env.count(&repo), before, "nothing written");
}

/// The hook payloads Claude Code sends, from `tests/fixtures/hooks/`, fed
/// through `codexa hook claude`: the session's row in `agent_sessions`.
#[test]
fn agent_sessions_fold_the_hook_transitions() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hooks/claude");
    for name in [
        "session_start",
        "user_prompt_submit",
        "stop",
        "user_prompt_submit",
        "notification",
        "session_end",
    ] {
        let payload = std::fs::read_to_string(dir.join(format!("{name}.json")))
            .unwrap()
            .replace("{{repo}}", repo.to_str().unwrap());
        let out = env
            .codexa(&repo)
            .args(["hook", "claude"])
            .write_stdin(payload)
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", stderr(&out));
    }
    let transitions = env.query(&repo, &["--type", "agent.*"]);
    let count = |t: &str| transitions.iter().filter(|e| e["type"] == t).count();
    assert!(count("agent.turn_started") >= 1, "{transitions:#?}");
    let rows = sql_json(
        &env,
        &repo,
        "SELECT session_id, provider, turns, waits, ended_at IS NOT NULL AS ended, last_event FROM agent_sessions",
    );
    assert_eq!(
        rows,
        json!([{
            "session_id": transitions[0]["stream"]["id"],
            "provider": "claude",
            "turns": count("agent.turn_started"),
            "waits": count("agent.waiting_approval") + count("agent.waiting_input"),
            "ended": true,
            "last_event": "agent.session_ended",
        }])
    );
}
