//! `codexa run`: the lifecycle and every transition it refuses, claims
//! raced by many processes, leases that run out on the test clock and the
//! stale tokens they leave, and the doors an agent might try.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

use crate::common::{
    AGENTS, BIN, TestEnv, assert_fails, extend_config, json_as, ok_as, run_as, stdout, under_agent,
};

/// `run claim ARGS` that must win: (run id, token).
fn claim(env: &TestEnv, repo: &Path, args: &[&str]) -> (String, String) {
    let mut all = vec!["run", "claim"];
    all.extend_from_slice(args);
    let out = ok_as(env, repo, None, &all);
    let (run, token) = out.split_once(' ').expect("RUN_ID TOKEN");
    (run.to_string(), token.to_string())
}

fn create(env: &TestEnv, repo: &Path, title: &str) -> String {
    ok_as(env, repo, None, &["run", "create", "--title", title])
}

/// The types of a run's events, oldest first.
fn run_types(env: &TestEnv, repo: &Path, run: &str) -> Vec<String> {
    env.query(repo, &["--stream", &format!("run:{run}")])
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect()
}

fn status(env: &TestEnv, repo: &Path, run: &str) -> String {
    json_as(env, repo, None, &["run", "show", run])["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A refused step: exit 6, the words expected, and nothing written.
fn refused(env: &TestEnv, repo: &Path, args: &[&str], says: &str) {
    let before = env.count(repo);
    assert_fails(&run_as(env, repo, None, args), 6, says);
    assert_eq!(env.count(repo), before, "{args:?} wrote an event");
}

#[test]
fn a_run_goes_from_queued_to_completed_and_refuses_every_step_its_status_does_not_allow() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let run = ok_as(
        &env,
        &repo,
        None,
        &[
            "run",
            "create",
            "--title",
            "rebuild the index",
            "--input",
            r#"{"full": true}"#,
        ],
    );
    assert!(run.starts_with("run_"), "{run}");
    assert_eq!(status(&env, &repo, &run), "queued");
    refused(
        &env,
        &repo,
        &["run", "start", &run, "--token", "1.x"],
        "the run is queued: it cannot start (a queued run can: claim, cancel)",
    );
    refused(
        &env,
        &repo,
        &["run", "complete", &run, "--token", "1.x"],
        "the run is queued: it cannot complete",
    );

    let (claimed, token) = claim(&env, &repo, &["--worker", "engine-1", "--ttl", "10m"]);
    assert_eq!(claimed, run);
    assert!(
        token.starts_with("cxl_1_"),
        "the first lease is fence 1: {token}"
    );
    let shown = json_as(&env, &repo, None, &["run", "show", &run]);
    assert_eq!(shown["status"], "claimed");
    assert_eq!(shown["lease"]["worker"], "engine-1");
    assert_eq!(shown["lease"]["fence"], 1);
    assert!(
        shown["lease"].get("token_sha256").is_none(),
        "no part of the token is shown"
    );
    refused(
        &env,
        &repo,
        &["run", "complete", &run, "--token", &token],
        "the run is claimed: it cannot complete (a claimed run can: heartbeat, release, start, fail, cancel)",
    );
    refused(
        &env,
        &repo,
        &["run", "claim", &run],
        &format!("{run} is claimed: held by engine-1 (lease 1)"),
    );

    ok_as(
        &env,
        &repo,
        None,
        &["run", "start", &run, "--token", &token],
    );
    assert_eq!(status(&env, &repo, &run), "running");
    refused(
        &env,
        &repo,
        &["run", "start", &run, "--token", &token],
        "the run is running: it cannot start",
    );
    let before = json_as(&env, &repo, None, &["run", "show", &run])["lease"]["expires_at"].clone();
    ok_as(
        &env,
        &repo,
        None,
        &["run", "heartbeat", &run, "--token", &token],
    );
    let after = json_as(&env, &repo, None, &["run", "show", &run])["lease"]["expires_at"].clone();
    assert!(after.as_str() > before.as_str(), "{before} → {after}");

    ok_as(
        &env,
        &repo,
        None,
        &[
            "run",
            "complete",
            &run,
            "--token",
            &token,
            "--output",
            r#"{"rows": 3}"#,
        ],
    );
    let done = json_as(&env, &repo, None, &["run", "show", &run]);
    assert_eq!(done["status"], "completed");
    assert_eq!(done["output"]["rows"], 3);
    assert_eq!(done["lease"], Value::Null);
    for (args, action) in [
        (vec!["run", "start", &run, "--token", &token], "start"),
        (vec!["run", "complete", &run, "--token", &token], "complete"),
        (
            vec!["run", "fail", &run, "--token", &token, "--reason", "late"],
            "fail",
        ),
        (
            vec!["run", "heartbeat", &run, "--token", &token],
            "heartbeat",
        ),
        (vec!["run", "release", &run, "--token", &token], "release"),
        (vec!["run", "cancel", &run], "cancel"),
        (vec!["run", "claim", &run], "claim"),
    ] {
        refused(
            &env,
            &repo,
            &args,
            &format!(
                "the run is completed: it cannot {action}; a completed run never changes again"
            ),
        );
    }
    assert_eq!(
        run_types(&env, &repo, &run),
        [
            "run.created",
            "run.claimed",
            "run.started",
            "run.heartbeat",
            "run.completed"
        ]
    );

    // Failing, releasing and cancelling.
    let other = create(&env, &repo, "flaky job");
    let (_, t1) = claim(&env, &repo, &[&other]);
    ok_as(
        &env,
        &repo,
        None,
        &["run", "release", &other, "--token", &t1],
    );
    assert_eq!(status(&env, &repo, &other), "queued");
    let (_, t2) = claim(&env, &repo, &[&other]);
    assert!(t2.starts_with("cxl_2_"), "{t2}");
    refused(
        &env,
        &repo,
        &["run", "start", &other, "--token", &t1],
        &format!("token 1 is stale: {other} is under lease 2 now"),
    );
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["run", "fail", &other, "--token", &t2, "--reason", " "],
        ),
        1,
        "a failure needs a reason",
    );
    ok_as(
        &env,
        &repo,
        None,
        &[
            "run",
            "fail",
            &other,
            "--token",
            &t2,
            "--reason",
            "tests fail",
        ],
    );
    let failed = json_as(&env, &repo, None, &["run", "show", &other]);
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["failure"], "tests fail");
    let third = create(&env, &repo, "not needed");
    ok_as(
        &env,
        &repo,
        None,
        &["run", "cancel", &third, "--reason", "duplicate"],
    );
    assert_eq!(status(&env, &repo, &third), "cancelled");

    let open = json_as(&env, &repo, None, &["run", "list"]);
    assert_eq!(open.as_array().unwrap().len(), 0, "{open}");
    let all = json_as(&env, &repo, None, &["run", "list", "--all"]);
    let statuses: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["completed", "failed", "cancelled"]);
    let failed_only = json_as(&env, &repo, None, &["run", "list", "--status", "failed"]);
    assert_eq!(failed_only.as_array().unwrap().len(), 1);
    refused(
        &env,
        &repo,
        &["run", "claim"],
        "nothing to claim: no queued run",
    );
    env.assert_verifies(&repo);
}

#[test]
fn claims_go_oldest_first_to_the_runs_meant_for_the_worker_and_its_kind() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let for_lead = ok_as(
        &env,
        &repo,
        None,
        &["run", "create", "--title", "lead's", "--for", "lead"],
    );
    let review = ok_as(
        &env,
        &repo,
        None,
        &["run", "create", "--title", "a review", "--kind", "review"],
    );
    let plain = create(&env, &repo, "anyone's");
    let (first, _) = claim(&env, &repo, &["--worker", "worker-a"]);
    assert_eq!(first, review, "the oldest run not meant for someone else");
    let (second, _) = claim(&env, &repo, &["--worker", "worker-a", "--kind", "default"]);
    assert_eq!(second, plain);
    refused(
        &env,
        &repo,
        &["run", "claim", &for_lead, "--worker", "worker-a"],
        &format!("{for_lead} is for lead, not for worker-a"),
    );
    let (third, _) = claim(&env, &repo, &["--worker", "lead"]);
    assert_eq!(third, for_lead);
    let mine = json_as(&env, &repo, Some("lead"), &["run", "list", "--mine"]);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["id"], for_lead.as_str());
}

/// Eight processes claim until the queue is empty: every run is claimed
/// exactly once, and the log still verifies.
#[test]
fn eight_racing_claimers_take_each_of_a_hundred_runs_exactly_once() {
    let env = TestEnv::real_clock();
    let repo = env.init_repo("repo");
    let mut created = BTreeSet::new();
    for i in 0..100 {
        created.insert(create(&env, &repo, &format!("job {i}")));
    }
    let won: Vec<(String, String)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..8)
            .map(|w| {
                let (env, repo) = (&env, &repo);
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let out: Output = env
                            .std_codexa(repo)
                            .args(["run", "claim", "--worker", &format!("w{w}")])
                            .output()
                            .unwrap();
                        match out.status.code() {
                            Some(0) => {
                                let text = stdout(&out);
                                let (run, _) = text.trim().split_once(' ').unwrap();
                                mine.push((run.to_string(), format!("w{w}")));
                            }
                            Some(6) => return mine,
                            other => panic!(
                                "claim failed ({other:?}): {}",
                                String::from_utf8_lossy(&out.stderr)
                            ),
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let mut by_run: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (run, worker) in &won {
        by_run.entry(run).or_default().push(worker);
    }
    assert_eq!(won.len(), 100, "one win per run: {by_run:?}");
    assert_eq!(
        by_run
            .keys()
            .map(|k| k.to_string())
            .collect::<BTreeSet<_>>(),
        created
    );
    let claims = env.query(&repo, &["--type", "run.claimed"]);
    assert_eq!(claims.len(), 100, "one claim event per run");
    env.assert_verifies(&repo);
}

#[test]
fn a_lease_that_runs_out_frees_the_run_and_leaves_every_earlier_token_stale() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, "runs:\n  kinds:\n    quick: {lease_ttl_ms: 30000}\n");
    let run = ok_as(
        &env,
        &repo,
        None,
        &["run", "create", "--title", "import", "--kind", "quick"],
    );
    let (_, old) = claim(&env, &repo, &["--worker", "w1"]);
    let shown = json_as(&env, &repo, None, &["run", "show", &run]);
    assert_eq!(shown["lease"]["ttl_ms"], 30000, "the kind's lease length");
    ok_as(&env, &repo, None, &["run", "start", &run, "--token", &old]);

    // Within the lease nobody else may take it.
    refused(
        &env,
        &repo,
        &["run", "claim", "--worker", "w2"],
        "nothing to claim",
    );
    env.advance(Duration::from_secs(60));
    // The holder comes back too late: told so, and the expiry is recorded.
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["run", "heartbeat", &run, "--token", &old],
        ),
        6,
        "without a heartbeat; the run is claimable again and your token is stale",
    );
    assert_eq!(
        run_types(&env, &repo, &run),
        [
            "run.created",
            "run.claimed",
            "run.started",
            "run.lease_expired"
        ]
    );
    assert_eq!(status(&env, &repo, &run), "queued");
    // It was running: a person is told.
    let incidents = json_as(&env, &repo, None, &["incident", "list"]);
    assert_eq!(incidents.as_array().unwrap().len(), 1, "{incidents}");
    assert_eq!(incidents[0]["run"], run.as_str());
    assert_eq!(incidents[0]["severity"], "high");
    assert!(
        incidents[0]["detail"]
            .as_str()
            .unwrap()
            .contains("was running under w1 (lease 1) and missed its heartbeat"),
        "{incidents}"
    );

    // The same worker claims again: the old token stays dead.
    let (again, new) = claim(&env, &repo, &["--worker", "w1", "--ttl", "30s"]);
    assert_eq!(again, run);
    assert!(new.starts_with("cxl_2_"), "{new}");
    refused(
        &env,
        &repo,
        &["run", "start", &run, "--token", &old],
        "token 1 is stale",
    );
    ok_as(&env, &repo, None, &["run", "start", &run, "--token", &new]);

    // A claim of the oldest run settles a lapsed lease on the way.
    env.advance(Duration::from_secs(60));
    let out = run_as(&env, &repo, None, &["run", "claim", "--worker", "w3"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::common::stderr(&out)
    );
    assert!(
        crate::common::stderr(&out).contains(&format!("recorded the expired lease on {run}")),
        "{}",
        crate::common::stderr(&out)
    );
    let shown = json_as(&env, &repo, None, &["run", "show", &run]);
    assert_eq!(shown["lease"]["fence"], 3);
    assert_eq!(shown["lease"]["worker"], "w3");
    assert_eq!(shown["lease_expiries"], 2);
    assert_eq!(
        json_as(&env, &repo, None, &["incident", "list"])
            .as_array()
            .unwrap()
            .len(),
        2,
        "one incident per lease lost while running"
    );

    // `run expire` records what ran out without anyone claiming.
    env.advance(Duration::from_secs(60));
    let swept = ok_as(&env, &repo, None, &["run", "expire"]);
    assert!(
        swept.contains(&format!("run.lease_expired {run}")),
        "{swept}"
    );
    assert_eq!(
        ok_as(&env, &repo, None, &["run", "expire"]),
        "",
        "only once"
    );
    env.assert_verifies(&repo);
}

#[test]
fn bad_arguments_are_named_and_change_nothing() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let before = env.count(&repo);
    assert_fails(
        &run_as(&env, &repo, None, &["run", "create", "--title", " "]),
        1,
        "a run needs a title",
    );
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["run", "create", "--title", "x", "--input", "{oops"],
        ),
        1,
        "--input is not valid JSON (line 1, column 2)",
    );
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["run", "create", "--title", "x", "--kind", "Big Jobs"],
        ),
        1,
        "`Big Jobs` is not a kind of work",
    );
    assert_fails(
        &run_as(&env, &repo, None, &["run", "claim", "--ttl", "5x"]),
        2,
        "`5x` is not a duration",
    );
    assert_fails(
        &run_as(&env, &repo, None, &["run", "claim", "--ttl", "2d"]),
        1,
        "`--ttl` must be between 1s and 24h",
    );
    assert_fails(
        &run_as(&env, &repo, None, &["run", "show", "run_nope"]),
        1,
        "no run `run_nope`",
    );
    let run = create(&env, &repo, "x");
    let before_token = env.count(&repo);
    let (_, token) = claim(&env, &repo, &[]);
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &["run", "start", &run, "--token", "garbage"],
        ),
        1,
        "`garbage` is not a lease token",
    );
    assert_eq!(env.count(&repo), before_token + 1);
    assert!(token.starts_with("cxl_1_"));
    assert!(before < before_token);
}

#[test]
fn an_agent_cannot_claim_for_another_cancel_what_it_did_not_make_or_forge_a_lease() {
    let env = TestEnv::real_clock();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let as_agent = |args: &[&str]| {
        let mut all = vec![BIN];
        all.extend_from_slice(args);
        under_agent(&env, &repo, &all, &[("CODEXA_AGENT", "worker-a")])
    };
    let person_run = create(&env, &repo, "a person's run");

    assert_fails(
        &as_agent(&["run", "claim", "--worker", "lead"]),
        3,
        "worker-a may claim runs only for itself, not for `lead`",
    );
    assert_fails(
        &as_agent(&["run", "cancel", &person_run]),
        3,
        "worker-a may cancel only runs it created",
    );
    // Scripts (and agents) cannot write a run's events by hand.
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &[
                "events",
                "append",
                "--type",
                "run.claimed",
                "--stream",
                &format!("run:{person_run}"),
                "--data",
                r#"{"worker": "worker-a", "fence": 9}"#,
            ],
        ),
        1,
        "codexa's own",
    );

    // Nor anything else on a run's streams.
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &[
                "events",
                "append",
                "--type",
                "note.added",
                "--stream",
                &format!("run:{person_run}"),
                "--data",
                "{}",
            ],
        ),
        1,
        "is codexa's own to write",
    );

    // The agent claims for itself; the log holds only the token's hash,
    // which is no token.
    let out = as_agent(&["run", "claim"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::common::stderr(&out)
    );
    let text = stdout(&out);
    let (run, token) = text.trim().split_once(' ').unwrap();
    assert_eq!(run, person_run);
    let claimed = env.query(&repo, &["--type", "run.claimed"]);
    assert_eq!(claimed[0]["data"]["worker"], "worker-a");
    let hash = claimed[0]["data"]["token_sha256"].as_str().unwrap();
    assert!(
        !claimed[0].to_string().contains(token),
        "the token is not in the log"
    );
    assert_fails(
        &run_as(
            &env,
            &repo,
            None,
            &[
                "run",
                "start",
                run,
                "--token",
                &format!("cxl_1_{}", &hash[7..33]),
            ],
        ),
        6,
        "that is not the token of lease 1",
    );
    // A token found elsewhere is no use to another agent: only the lease's
    // worker acts on it.
    let lead_run = create(&env, &repo, "lead's run");
    let (_, lead_token) = claim(&env, &repo, &[&lead_run, "--worker", "lead"]);
    assert_fails(
        &as_agent(&["run", "start", &lead_run, "--token", &lead_token]),
        3,
        &format!("worker-a holds no lease on {lead_run}: lead does"),
    );
    // Posted anywhere, a token is masked before it is written.
    let thread = ok_as(
        &env,
        &repo,
        None,
        &["thread", "new", "t", "--participants", "lead"],
    );
    ok_as(
        &env,
        &repo,
        None,
        &["post", &thread, &format!("use --token {lead_token}")],
    );
    let shown = ok_as(&env, &repo, None, &["thread", "show", &thread]);
    assert!(!shown.contains(&lead_token), "{shown}");
    // An agent records work only on runs it holds, made or is meant for.
    let other = create(&env, &repo, "someone else's");
    assert_fails(
        &as_agent(&["run", "step", "add", &other, "--name", "sneak"]),
        3,
        "worker-a may record work only on runs it holds, made, or is meant for",
    );
    let own = as_agent(&["run", "step", "add", run, "--name", "build"]);
    assert_eq!(
        own.status.code(),
        Some(0),
        "{}",
        crate::common::stderr(&own)
    );
}
