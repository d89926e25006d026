//! What runs record besides their status: artifacts (stored by content,
//! limited in size), incidents (opened once per key), the inspector's
//! tree, and the tool calls an agent's own hooks report while it holds a
//! running run, whose activity also keeps its lease.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::{
    AGENTS, BIN, Server, TestEnv, assert_fails, claude_event, extend_config, files_under,
    hooked_agent, json_as, ms_of, ok_as, run_as, stdout, ts_of, under_agent,
};

/// A queued run with one step, claimed and started: (run, step, token).
fn started_run(env: &TestEnv, repo: &Path, title: &str) -> (String, String, String) {
    let run = ok_as(
        env,
        repo,
        None,
        &[
            "run",
            "create",
            "--title",
            title,
            "--correlation-id",
            "deploy-42",
        ],
    );
    let claimed = ok_as(
        env,
        repo,
        None,
        &["run", "claim", &run, "--worker", "engine"],
    );
    let token = claimed.split_once(' ').unwrap().1.to_string();
    ok_as(env, repo, None, &["run", "start", &run, "--token", &token]);
    let step = ok_as(
        env,
        repo,
        None,
        &["run", "step", "add", &run, "--name", "build"],
    );
    (run, step, token)
}

#[test]
fn artifacts_are_stored_once_by_content_and_never_over_the_limit() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, "runs:\n  artifact_max_bytes: 64\n");
    let (_, step, _) = started_run(&env, &repo, "report");
    let stored = repo.join(".codexa/artifacts");

    let first = json_as(
        &env,
        &repo,
        None,
        &["artifact", "add", &step, "--text", "all green"],
    );
    let again = json_as(
        &env,
        &repo,
        None,
        &["artifact", "add", &step, "--text", "all green"],
    );
    assert_ne!(first["id"], again["id"], "two artifacts");
    assert_eq!(first["sha256"], again["sha256"], "one content");
    assert_eq!(first["deduplicated"], false);
    assert_eq!(again["deduplicated"], true);
    assert_eq!(files_under(&stored, &[]).len(), 1, "one stored copy");
    let cat = ok_as(
        &env,
        &repo,
        None,
        &["artifact", "cat", first["id"].as_str().unwrap()],
    );
    assert_eq!(cat, "all green");

    std::fs::write(env.path("notes.txt"), "line\n").unwrap();
    let file = json_as(
        &env,
        &repo,
        None,
        &[
            "artifact",
            "add",
            &step,
            "--file",
            env.path("notes.txt").to_str().unwrap(),
        ],
    );
    assert_eq!(file["kind"], "file");
    assert_eq!(file["name"], "notes.txt");
    assert_eq!(file["bytes"], 5);
    let uri = json_as(
        &env,
        &repo,
        None,
        &["artifact", "add", &step, "--uri", "s3://b/k"],
    );
    assert_eq!(uri["uri"], "s3://b/k");
    assert!(uri.get("sha256").is_none());

    // A secret is masked before it is stored.
    let secret = json_as(
        &env,
        &repo,
        None,
        &[
            "artifact",
            "add",
            &step,
            "--text",
            "key AKIAIOSFODNN7EXAMPLE",
        ],
    );
    let shown = ok_as(
        &env,
        &repo,
        None,
        &["artifact", "cat", secret["id"].as_str().unwrap()],
    );
    assert!(!shown.contains("AKIAIOSFODNN7EXAMPLE"), "{shown}");

    // Over the limit: refused, and nothing on disk or in the log changes.
    let before_files = files_under(&stored, &[]);
    let before_events = env.count(&repo);
    std::fs::write(env.path("big.bin"), vec![7u8; 65]).unwrap();
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &[
                "artifact",
                "add",
                &step,
                "--file",
                env.path("big.bin").to_str().unwrap(),
            ],
        ),
        1,
        "is 65 bytes, over the artifact limit of 64 bytes; nothing was stored",
    );
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["artifact", "add", &step, "--text", &"x".repeat(65)],
        ),
        1,
        "over the artifact limit",
    );
    assert_eq!(files_under(&stored, &[]), before_files);
    assert_eq!(env.count(&repo), before_events);

    // Only a regular file is read: a FIFO would block, a device never end.
    let fifo = env.path("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    let fifo_arg = fifo.to_str().unwrap();
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["artifact", "add", &step, "--file", fifo_arg],
        ),
        1,
        "names a regular file",
    );
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["artifact", "add", &step, "--json", "@/dev/zero"],
        ),
        1,
        "could not read --json from /dev/zero",
    );
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["artifact", "add", &step, "--uri", "https://x\n\u{1b}[31m"],
        ),
        1,
        "is not a URI",
    );
    let listed = json_as(&env, &repo, None, &["artifact", "list", "--step", &step]);
    assert_eq!(listed.as_array().unwrap().len(), 5);
    // A folder swapped for a link elsewhere is not written through.
    let moved = env.path("moved-artifacts");
    std::fs::rename(&stored, &moved).unwrap();
    std::os::unix::fs::symlink(env.path("elsewhere"), &stored).unwrap();
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["artifact", "add", &step, "--text", "new"],
        ),
        1,
        "is not a folder",
    );
    std::fs::remove_file(&stored).unwrap();
    std::fs::rename(&moved, &stored).unwrap();
    // A stored copy altered by hand is caught, not printed.
    let hex = first["sha256"]
        .as_str()
        .unwrap()
        .trim_start_matches("sha256:");
    std::fs::write(stored.join(hex), "all red").unwrap();
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["artifact", "cat", first["id"].as_str().unwrap()],
        ),
        1,
        "does not hold what",
    );
}

#[test]
fn an_incident_opens_once_per_key_until_a_person_resolves_it() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let open = |key: &str| {
        json_as(
            &env,
            &repo,
            None,
            &[
                "incident",
                "open",
                "--title",
                "disk full",
                "--severity",
                "high",
                "--idempotency-key",
                key,
            ],
        )
    };
    let first = open("disk");
    let repeat = open("disk");
    assert_eq!(first["new"], true);
    assert_eq!(repeat["new"], false);
    assert_eq!(first["incident"]["id"], repeat["incident"]["id"]);
    assert_eq!(
        json_as(&env, &repo, None, &["incident", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let id = first["incident"]["id"].as_str().unwrap().to_string();

    // An agent does not close a person's incident.
    let out = under_agent(
        &env,
        &repo,
        &[BIN, "incident", "resolve", &id],
        &[("CODEXA_AGENT", "worker-a")],
    );
    assert_fails(&out, 3, "worker-a may resolve only incidents it opened");

    let resolved = json_as(
        &env,
        &repo,
        None,
        &["incident", "resolve", &id, "--resolution", "freed space"],
    );
    assert_eq!(resolved["status"], "resolved");
    assert_fails(
        &run_as(&env, &repo, None, &["incident", "resolve", &id]),
        6,
        "is already resolved",
    );
    let next = open("disk");
    assert_eq!(next["new"], true, "the trouble is back: a new incident");
    assert_ne!(next["incident"]["id"], first["incident"]["id"]);
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &[
                "incident",
                "open",
                "--title",
                "t",
                "--severity",
                "high",
                "--idempotency-key",
                "run.lease_expired:run_x:1",
            ],
        ),
        1,
        "codexa's own namespace",
    );
    let all = json_as(&env, &repo, None, &["incident", "list", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
}

#[test]
fn the_inspector_shows_the_tree_with_the_events_behind_each_node() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let (run, step, token) = started_run(&env, &repo, "deploy");
    let call = ok_as(
        &env,
        &repo,
        None,
        &[
            "toolcall",
            "start",
            &step,
            "--tool",
            "Bash",
            "--input",
            r#"{"command": "make"}"#,
        ],
    );
    env.advance(std::time::Duration::from_millis(1500));
    ok_as(
        &env,
        &repo,
        None,
        &["toolcall", "succeed", &call, "--output", r#"{"exit": 0}"#],
    );
    let failed = ok_as(
        &env,
        &repo,
        None,
        &["toolcall", "start", &step, "--tool", "Deploy"],
    );
    ok_as(
        &env,
        &repo,
        None,
        &["toolcall", "fail", &failed, "--error", "timeout"],
    );
    ok_as(
        &env,
        &repo,
        None,
        &["artifact", "add", &step, "--text", "built", "--name", "log"],
    );
    ok_as(
        &env,
        &repo,
        None,
        &[
            "incident",
            "open",
            "--title",
            "slow deploy",
            "--severity",
            "low",
            "--run",
            &run,
        ],
    );
    ok_as(
        &env,
        &repo,
        None,
        &["run", "complete", &run, "--token", &token],
    );

    insta::assert_snapshot!(
        "inspect_run",
        env.run(&repo, &["inspect", "run", &run]).to_string()
    );
    insta::assert_snapshot!(
        "inspect_correlation",
        env.run(&repo, &["inspect", "--correlation", "deploy-42"])
            .to_string()
    );
    let tree = json_as(&env, &repo, None, &["inspect", "run", &run]);
    let calls = &tree["steps"][0]["tool_calls"];
    assert_eq!(calls[0]["status"], "succeeded");
    assert_eq!(
        calls[0]["duration_ms"], 2500,
        "1.5 s moved plus one command's step"
    );
    assert_eq!(calls[1]["error"], "timeout");
    assert_eq!(tree["steps"][0]["artifacts"][0]["name"], "log");
    let kinds: Vec<&str> = tree["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["run.created", "run.claimed", "run.started", "run.completed"]
    );
    assert_fails(
        &run_as(&env, &repo, None, &["inspect", "--correlation", "nothing"]),
        1,
        "no event carries correlation id `nothing`",
    );
    assert_fails(
        &run_as(&env, &repo, None, &["inspect", "step", &step]),
        1,
        "cannot inspect `step`",
    );
}

/// `run expire` at a chosen moment (a person's command takes the test
/// clock even when the test's other parts run on the real one).
fn expire_at(env: &TestEnv, repo: &Path, ms: i64) -> String {
    let out = env
        .codexa(repo)
        .env("CODEXA_TEST_NOW", ts_of(ms))
        .args(["run", "expire"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::common::stderr(&out)
    );
    stdout(&out)
}

#[test]
fn an_agent_s_hooked_tool_calls_land_on_the_run_it_holds_and_its_activity_keeps_the_lease() {
    let env = TestEnv::real_clock();
    let repo = env.init_repo("shop");
    extend_config(
        &repo,
        &format!("{AGENTS}runs:\n  record_tool_calls: true\n"),
    );
    let server = Server::new(&env, "run_hooks");
    let mut lead = hooked_agent(&env, &server, &repo, "lead", "claude", "s-lead", "busy");
    ok_as(
        &env,
        &repo,
        None,
        &["run", "create", "--title", "fix the build", "--for", "lead"],
    );

    // Before it holds a run, its tool calls go nowhere.
    let tool = |event: &str, id: &str, extra: Value| {
        let mut v = json!({"tool_name": "Bash", "tool_input": {"command": "cargo build"}, "tool_use_id": id});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        claude_event(&env, &repo, "s-lead", event, v)
    };
    lead.hook(&tool("PreToolUse", "toolu_0", json!({})));
    assert!(
        env.query(&repo, &["--type", "run.toolcall_started"])
            .is_empty()
    );

    // The agent claims and starts the run itself, from its own shell tool.
    let claimed = lead.codexa(&["run", "claim", "--ttl", "10s"]);
    assert_eq!(claimed.status, 0, "{}", claimed.stderr);
    let (run, token) = claimed.stdout.trim().split_once(' ').unwrap();
    let (run, token) = (run.to_string(), token.to_string());
    let started = lead.codexa(&["run", "start", &run, "--token", &token]);
    assert_eq!(started.status, 0, "{}", started.stderr);

    lead.hook(&tool("PreToolUse", "toolu_1", json!({})));
    // A hook that fires twice for one call records it once.
    lead.hook(&tool("PreToolUse", "toolu_1", json!({})));
    let ok = json!({"tool_response": {"stdout": "ok"}});
    lead.hook(&tool("PostToolUse", "toolu_1", ok));
    let again = json!({"tool_response": {"stdout": "again"}});
    lead.hook(&tool("PostToolUse", "toolu_1", again));
    let big = json!({"tool_input": {"command": "x".repeat(10_000)}});
    lead.hook(&tool("PreToolUse", "toolu_2", big));
    // Its own token on a command line is masked, not written.
    let heartbeat = format!("codexa run heartbeat {run} --token {token}");
    let with_token = json!({"tool_input": {"command": heartbeat}});
    lead.hook(&tool("PreToolUse", "toolu_3", with_token));
    // A tool-use id no agent would send is not recorded.
    lead.hook(&tool("PreToolUse", &"y".repeat(500), json!({})));
    let tree = json_as(&env, &repo, None, &["inspect", "run", &run]);
    let step = &tree["steps"][0];
    assert_eq!(step["name"], "tool calls");
    let calls = step["tool_calls"].as_array().unwrap();
    assert_eq!(calls.len(), 3, "{tree}");
    assert!(!tree.to_string().contains(&token), "the token is masked");
    assert_eq!(calls[0]["tool"], "Bash");
    assert_eq!(calls[0]["source"], "hook");
    assert_eq!(calls[0]["tool_use_id"], "toolu_1");
    assert_eq!(calls[0]["status"], "succeeded");
    assert_eq!(
        calls[0]["output"]["stdout"], "ok",
        "the first ending stands"
    );
    assert!(calls[0]["duration_ms"].as_i64().unwrap() >= 0);
    assert_eq!(calls[1]["status"], "running");
    assert_eq!(calls[1]["input"]["truncated"], true, "a huge input is cut");
    assert_eq!(calls[1]["events"][0]["actor"], "agent:lead");

    // The lease ran out, but the agent's hooks spoke after it was last
    // renewed: kept, from that evidence.
    let lease_ms = |tree: &Value| ms_of(tree["lease"]["expires_at"].as_str().unwrap());
    let first_expiry = lease_ms(&tree);
    let said = expire_at(&env, &repo, first_expiry + 1);
    assert!(said.contains(&format!("run.lease_renewed {run}")), "{said}");
    let kept = json_as(&env, &repo, None, &["run", "show", &run]);
    assert_eq!(kept["status"], "running");
    assert!(lease_ms(&kept) > first_expiry);

    // Then its hooks go quiet for a whole lease while its process still
    // runs: the lease goes, and an incident says the agent looked alive.
    let said = expire_at(&env, &repo, lease_ms(&kept) + 1);
    assert!(said.contains(&format!("run.lease_expired {run}")), "{said}");
    let incidents = json_as(&env, &repo, None, &["incident", "list"]);
    let detail = incidents[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("its agent is still running in pane {}", lead.pane)),
        "{detail}"
    );
    assert_eq!(incidents[0]["opened_by"], "service:codexa");
    // The agent's token is stale from then on, and the incident is for a
    // person to close.
    let late = lead.codexa(&["run", "complete", &run, "--token", &token]);
    assert_eq!(late.status, 6, "{}", late.stderr);
    let id = incidents[0]["id"].as_str().unwrap();
    let closing = lead.codexa(&["incident", "resolve", id]);
    assert_eq!(closing.status, 3, "{}", closing.stderr);
    lead.assert_no_hook_failure();
    env.assert_verifies(&repo);
}
