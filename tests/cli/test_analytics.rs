//! `codexa analyze`, `export parquet`, `report governance` and `snapshot`
//! over logs the tests build through the real commands, each at a chosen
//! time (`CODEXA_TEST_NOW` per command). Expected figures are worked out
//! here, independently of DuckDB: counts from `events query`, percentiles
//! by linear interpolation in plain Rust.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::{TestEnv, extend_config, stderr, stdout};

/// `codexa [--as WHO] ARGS` at time `ts`; stdout, asserting success.
pub(crate) fn at(env: &TestEnv, dir: &Path, ts: &str, who: Option<&str>, args: &[&str]) -> String {
    let out = run_at(env, dir, ts, who, args);
    assert!(
        out.status.success(),
        "codexa {args:?} at {ts} failed ({:?}):\n{}{}",
        out.status.code(),
        stdout(&out),
        stderr(&out)
    );
    stdout(&out).trim().to_string()
}

fn run_at(
    env: &TestEnv,
    dir: &Path,
    ts: &str,
    who: Option<&str>,
    args: &[&str],
) -> std::process::Output {
    let mut cmd = env.codexa(dir);
    cmd.env("CODEXA_TEST_NOW", ts);
    if let Some(w) = who {
        cmd.args(["--as", w]);
    }
    cmd.args(args).output().unwrap()
}

/// A report as JSON, asked at time `now`.
pub(crate) fn report(env: &TestEnv, dir: &Path, now: &str, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&at(env, dir, now, None, &all)).unwrap()
}

/// The q-quantile of `values` by linear interpolation between closest
/// ranks (numpy's default), worked out here rather than by DuckDB.
pub(crate) fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pos = (v.len() - 1) as f64 * q;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

pub(crate) fn assert_spread(spread: &Value, values: &[f64]) {
    assert_eq!(spread["count"], values.len(), "{spread}");
    for (key, q) in [("p50", 0.5), ("p95", 0.95)] {
        let got = spread[key].as_f64().unwrap();
        let want = quantile(values, q);
        assert!((got - want).abs() < 1e-6, "{key}: {got} != {want}");
    }
    let max = values.iter().cloned().fold(f64::MIN, f64::max);
    assert_eq!(spread["max"].as_f64().unwrap(), max);
}

const PEOPLE_AND_AGENTS: &str = "agents:\n  worker-a: {provider: codex, role: worker}\n  \
     worker-b: {provider: claude, role: worker}\n  boss: {provider: other, role: human}\n";

fn repo_with_team(env: &TestEnv) -> PathBuf {
    let repo = env.init_repo("repo");
    extend_config(&repo, PEOPLE_AND_AGENTS);
    repo
}

#[test]
fn activity_counts_events_and_messages_per_actor_and_day() {
    let env = TestEnv::new();
    let repo = repo_with_team(&env);
    let th = at(
        &env,
        &repo,
        "2026-01-02T09:00:00Z",
        Some("boss"),
        &[
            "thread",
            "new",
            "Plan",
            "--participants",
            "worker-a,worker-b",
        ],
    );
    at(
        &env,
        &repo,
        "2026-01-02T09:01:00Z",
        Some("boss"),
        &["post", &th, "worker-a: start"],
    );
    at(
        &env,
        &repo,
        "2026-01-02T09:02:00Z",
        Some("worker-a"),
        &["post", &th, "on it"],
    );
    at(
        &env,
        &repo,
        "2026-01-02T23:59:59Z",
        Some("boss"),
        &["post", &th, "thanks"],
    );
    for (i, ts) in [
        "2026-01-03T08:00:00Z",
        "2026-01-03T08:30:00Z",
        "2026-01-03T09:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        at(
            &env,
            &repo,
            ts,
            Some("worker-a"),
            &["post", &th, &format!("step {i}")],
        );
    }
    at(
        &env,
        &repo,
        "2026-01-03T10:00:00Z",
        Some("worker-b"),
        &["post", &th, "reviewed"],
    );
    at(
        &env,
        &repo,
        "2026-01-03T11:00:00Z",
        Some("boss"),
        &["read", &th],
    );

    // The same figures, counted from the log's own query command.
    let mut want: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for e in env.query(&repo, &[]) {
        let day = e["ts"].as_str().unwrap()[..10].to_string();
        let actor = format!(
            "{}:{}",
            e["actor"]["kind"].as_str().unwrap(),
            e["actor"]["id"].as_str().unwrap()
        );
        let slot = want.entry((day, actor)).or_default();
        slot.0 += 1;
        slot.1 += u64::from(e["type"] == "message.posted");
    }
    let got = report(
        &env,
        &repo,
        "2026-01-04T00:00:00Z",
        &["analyze", "activity"],
    );
    let rows: BTreeMap<(String, String), (u64, u64)> = got["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                (
                    r["day"].as_str().unwrap().to_string(),
                    r["actor"].as_str().unwrap().to_string(),
                ),
                (
                    r["events"].as_u64().unwrap(),
                    r["messages"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(rows, want);
    assert_eq!(got["messages"], 7);
    assert_eq!(got["events"].as_u64().unwrap() as usize, env.count(&repo));
    let worker_a_day3 = rows
        .iter()
        .find(|((d, a), _)| d == "2026-01-03" && a.ends_with(":worker-a"))
        .unwrap();
    assert_eq!(worker_a_day3.1, &(3, 3));

    // The window: the 3rd only; `--until` is exclusive.
    let day3 = report(
        &env,
        &repo,
        "2026-01-04T00:00:00Z",
        &[
            "analyze",
            "activity",
            "--since",
            "2026-01-03",
            "--until",
            "2026-01-04",
        ],
    );
    assert_eq!(day3["messages"], 4);
    assert_eq!(day3["days"], 1);
    assert!(
        day3["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["day"] == "2026-01-03")
    );
    // Ages count back from now.
    let recent = report(
        &env,
        &repo,
        "2026-01-03T10:30:00Z",
        &["analyze", "activity", "--since", "2h"],
    );
    assert_eq!(recent["messages"], 3, "{recent:#}");

    let text = at(
        &env,
        &repo,
        "2026-01-04T00:00:00Z",
        None,
        &["analyze", "activity"],
    );
    assert!(text.starts_with("Activity, all history:"), "{text}");
    assert!(text.contains("day         actor"), "{text}");

    // A bad window is named.
    let out = run_at(
        &env,
        &repo,
        "2026-01-04T00:00:00Z",
        None,
        &["analyze", "activity", "--since", "yesterday"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--since"), "{}", stderr(&out));
    let out = run_at(
        &env,
        &repo,
        "2026-01-04T00:00:00Z",
        None,
        &[
            "analyze",
            "activity",
            "--since",
            "2026-01-03",
            "--until",
            "2026-01-02",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not before"), "{}", stderr(&out));
}

/// One trigger job, as the trigger worker records it.
/// A trigger job's events, appended at their times (`trigger.requested`
/// is codexa's own type: the test setting lets a test write it).
fn job(env: &TestEnv, repo: &Path, id: &str, steps: &[(&str, &str, Value)]) {
    for (ts, kind, data) in steps {
        let mut cmd = env.codexa(repo);
        cmd.env("CODEXA_TEST_NOW", ts)
            .env("CODEXA_TEST_APPEND_RESERVED", "1")
            .args([
                "events",
                "append",
                "--type",
                kind,
                "--stream",
                &format!("trigger:{id}"),
                "--data",
                &data.to_string(),
            ]);
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{kind} at {ts}: {}", stderr(&out));
    }
}

#[test]
fn triggers_report_outcomes_defer_time_and_latency() {
    let env = TestEnv::new();
    let repo = repo_with_team(&env);
    let req = |t: &str| json!({"target": t, "requested_by": "boss"});
    let attempt = |n: u32, m: &str| json!({"attempt": n, "method": m});
    let busy = json!({"reason": "pane_busy", "activity": "running"});
    job(
        &env,
        &repo,
        "job-1",
        &[
            (
                "2026-01-02T10:00:00.000Z",
                "trigger.requested",
                req("worker-a"),
            ),
            (
                "2026-01-02T10:00:00.500Z",
                "trigger.attempted",
                attempt(1, "send_keys"),
            ),
            (
                "2026-01-02T10:00:01.700Z",
                "trigger.delivered",
                json!({"confirmed_by": "hook"}),
            ),
        ],
    );
    job(
        &env,
        &repo,
        "job-2",
        &[
            (
                "2026-01-02T10:05:00.000Z",
                "trigger.requested",
                req("worker-a"),
            ),
            ("2026-01-02T10:05:05.000Z", "trigger.deferred", busy.clone()),
            ("2026-01-02T10:05:10.000Z", "trigger.deferred", busy.clone()),
            (
                "2026-01-02T10:05:21.000Z",
                "trigger.attempted",
                attempt(1, "paste"),
            ),
            (
                "2026-01-02T10:05:23.000Z",
                "trigger.delivered",
                json!({"confirmed_by": "screen"}),
            ),
        ],
    );
    job(
        &env,
        &repo,
        "job-3",
        &[
            (
                "2026-01-02T10:10:00.000Z",
                "trigger.requested",
                req("worker-b"),
            ),
            ("2026-01-02T10:10:05.000Z", "trigger.deferred", busy.clone()),
            (
                "2026-01-02T10:10:30.000Z",
                "trigger.attempted",
                attempt(1, "send_keys"),
            ),
            (
                "2026-01-02T10:10:40.000Z",
                "trigger.attempted",
                attempt(2, "exec_resume"),
            ),
            (
                "2026-01-02T10:10:48.000Z",
                "trigger.delivered",
                json!({"confirmed_by": "exit_status"}),
            ),
        ],
    );
    job(
        &env,
        &repo,
        "job-4",
        &[
            (
                "2026-01-02T10:20:00.000Z",
                "trigger.requested",
                req("worker-a"),
            ),
            ("2026-01-02T10:20:05.000Z", "trigger.deferred", busy.clone()),
            ("2026-01-02T10:20:10.000Z", "trigger.deferred", busy.clone()),
            ("2026-01-02T10:20:15.000Z", "trigger.deferred", busy.clone()),
            (
                "2026-01-02T10:21:00.000Z",
                "trigger.failed",
                json!({"reason_code": "defer_timeout"}),
            ),
        ],
    );
    job(
        &env,
        &repo,
        "job-5",
        &[(
            "2026-01-02T10:30:00.000Z",
            "trigger.requested",
            req("worker-b"),
        )],
    );
    job(
        &env,
        &repo,
        "job-6",
        &[
            (
                "2026-01-03T11:00:00.000Z",
                "trigger.requested",
                req("worker-a"),
            ),
            (
                "2026-01-03T11:00:00.250Z",
                "trigger.attempted",
                attempt(1, "send_keys"),
            ),
            (
                "2026-01-03T11:00:00.900Z",
                "trigger.delivered",
                json!({"confirmed_by": "hook"}),
            ),
            // A retry that raced the confirmation does not count in latency.
            (
                "2026-01-03T11:00:01.500Z",
                "trigger.attempted",
                attempt(2, "send_keys"),
            ),
        ],
    );
    // A malformed trigger event is refused by its schema, and changes nothing.
    let before = env.count(&repo);
    let out = run_at(
        &env,
        &repo,
        "2026-01-03T12:00:00Z",
        None,
        &[
            "events",
            "append",
            "--type",
            "trigger.attempted",
            "--stream",
            "trigger:job-7",
            "--data",
            "{\"method\": \"telepathy\"}",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(env.count(&repo), before);

    let r = report(
        &env,
        &repo,
        "2026-01-04T00:00:00Z",
        &["analyze", "triggers"],
    );
    assert_eq!(r["jobs"], 6);
    assert_eq!(
        r["outcomes"],
        json!({"delivered": 4, "failed": 1, "pending": 1})
    );
    assert_eq!(r["fell_back"], 1);
    assert_eq!(r["deferred_jobs"], 3);
    assert_eq!(r["deferrals"], 6);
    assert_eq!(r["reasons"], json!({"defer_timeout": 1}));
    // Request to first attempt; last attempt to confirmation.
    assert_spread(&r["defer_ms"], &[500.0, 21_000.0, 30_000.0, 250.0]);
    assert_spread(&r["latency_ms"], &[1_200.0, 2_000.0, 8_000.0, 650.0]);
    assert_eq!(
        r["targets"],
        json!([
            {"target": "worker-a", "jobs": 4, "delivered": 3, "fell_back": 0, "failed": 1},
            {"target": "worker-b", "jobs": 2, "delivered": 1, "fell_back": 1, "failed": 0},
        ])
    );
    // The window is on the request time.
    let day2 = report(
        &env,
        &repo,
        "2026-01-04T00:00:00Z",
        &["analyze", "triggers", "--until", "2026-01-03"],
    );
    assert_eq!(day2["jobs"], 5);
    assert_spread(&day2["latency_ms"], &[1_200.0, 2_000.0, 8_000.0]);

    let text = at(
        &env,
        &repo,
        "2026-01-04T00:00:00Z",
        None,
        &["analyze", "triggers"],
    );
    assert!(
        text.contains("outcomes:   4 delivered, 1 failed, 1 pending"),
        "{text}"
    );
    assert!(text.contains("latency:    p50 1.6 s"), "{text}");
}

#[test]
fn approvals_report_turnaround_and_what_still_waits() {
    let env = TestEnv::new();
    let repo = repo_with_team(&env);
    let request = |ts: &str, subject: &str| {
        at(
            &env,
            &repo,
            ts,
            Some("worker-a"),
            &[
                "approval",
                "request",
                "--action",
                "deploy.staging",
                "--subject",
                subject,
                "--kind",
                "release",
            ],
        )
    };
    let decide = |ts: &str, verb: &str, id: &str| {
        at(&env, &repo, ts, Some("boss"), &[verb, id]);
    };
    // In time order: the store keeps each writer's times non-decreasing.
    let a1 = request("2026-01-05T09:00:00Z", "svc-1");
    decide("2026-01-05T09:10:00Z", "approve", &a1);
    let a2 = request("2026-01-05T09:30:00Z", "svc-2");
    let a3 = request("2026-01-05T10:00:00Z", "svc-3");
    decide("2026-01-05T10:05:00Z", "hold", &a3);
    decide("2026-01-05T11:30:00Z", "deny", &a2);
    decide("2026-01-05T12:00:00Z", "approve", &a3);
    let a4 = request("2026-01-05T13:00:00Z", "svc-4");
    let a5 = request("2026-01-05T14:00:00Z", "svc-5");
    decide("2026-01-05T14:30:00Z", "hold", &a5);
    let a6 = request("2026-01-05T15:00:00Z", "svc-6");
    decide("2026-01-05T15:01:00Z", "approve", &a6);

    let r = report(
        &env,
        &repo,
        "2026-01-05T18:00:00Z",
        &["analyze", "approvals"],
    );
    assert_eq!(r["requested"], 6);
    assert_eq!(
        r["by_status"],
        json!({"approved": 3, "denied": 1, "held": 1, "pending": 1})
    );
    // Turnaround runs to the first approve or deny; a hold is not an answer.
    let minutes = |m: f64| m * 60_000.0;
    assert_spread(
        &r["turnaround_ms"],
        &[minutes(10.0), minutes(120.0), minutes(120.0), minutes(1.0)],
    );
    let waiting: Vec<(String, String, i64)> = r["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["approval_id"].as_str().unwrap().to_string(),
                w["status"].as_str().unwrap().to_string(),
                w["age_ms"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        waiting,
        [
            (a4.clone(), "pending".to_string(), 5 * 3_600_000),
            (a5.clone(), "held".to_string(), 4 * 3_600_000)
        ]
    );
    assert_eq!(
        r["by_kind"],
        json!([{"kind": "release", "requested": 6, "approved": 3, "denied": 1, "waiting": 2}])
    );

    // The view folds statuses as `codexa approvals` does, expiry included.
    let expiring = at(
        &env,
        &repo,
        "2026-01-05T16:00:00Z",
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "deploy.staging",
            "--subject",
            "svc-7",
            "--kind",
            "release",
            "--expires",
            "1h",
        ],
    );
    let expiring_held = at(
        &env,
        &repo,
        "2026-01-05T16:10:00Z",
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "deploy.staging",
            "--subject",
            "svc-8",
            "--kind",
            "release",
            "--expires",
            "1h",
        ],
    );
    decide("2026-01-05T16:20:00Z", "hold", &expiring_held);
    let listed: Value = serde_json::from_str(&at(
        &env,
        &repo,
        "2026-01-05T18:00:00Z",
        None,
        &["approvals", "--format", "json"],
    ))
    .unwrap();
    let want: BTreeMap<String, String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let viewed: Value = serde_json::from_str(&at(
        &env,
        &repo,
        "2026-01-05T18:00:00Z",
        None,
        &[
            "sql",
            "--format",
            "json",
            "SELECT approval_id, status FROM approvals",
        ],
    ))
    .unwrap();
    let got: BTreeMap<String, String> = viewed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["approval_id"].as_str().unwrap().to_string(),
                a["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(got[&expiring], "expired");
    assert_eq!(got[&expiring_held], "expired");

    // Requests in a window; statuses as of now.
    let morning = report(
        &env,
        &repo,
        "2026-01-05T18:00:00Z",
        &["analyze", "approvals", "--until", "2026-01-05T12:00:00Z"],
    );
    assert_eq!(morning["requested"], 3);
    let text = at(
        &env,
        &repo,
        "2026-01-05T18:00:00Z",
        None,
        &["analyze", "approvals"],
    );
    assert!(
        text.contains("Waiting for a decision, oldest first:"),
        "{text}"
    );
    assert!(text.contains(&a4) && text.contains("5.0 h"), "{text}");
}

/// A policy with a rule that denies, appended to the default one.
pub(crate) fn deny_force_push(repo: &Path) {
    let path = repo.join(".codexa/policy.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(
        "\n  - id: no-force-push\n    action: git.force_push\n    decision: deny\n    reason_code: force_push_forbidden\n",
    );
    std::fs::write(&path, text).unwrap();
}

/// The same governance history for the policy report and the governance
/// report: allows, denials, one kill-switch stop, an approval that opens
/// the gate, a held request, and a loop-guard block.
fn governance_history(env: &TestEnv) -> PathBuf {
    let repo = repo_with_team(env);
    deny_force_push(&repo);
    extend_config(
        &repo,
        "governance:\n  loop_guard: {max_agent_messages: 1}\n",
    );
    let eval = |ts: &str, action: &str, code: i32, kill: bool| {
        let mut cmd = env.codexa(&repo);
        cmd.env("CODEXA_TEST_NOW", ts);
        if kill {
            cmd.env("CODEXA_KILL_SWITCH_EXTERNAL_WRITE", "1");
        }
        let out = cmd
            .args([
                "--as",
                "worker-a",
                "policy",
                "eval",
                "--action",
                action,
                "--subject",
                "origin/main",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{action}: {}", stderr(&out));
    };
    eval("2026-01-06T09:00:00Z", "shell.exec", 0, false);
    eval("2026-01-06T09:01:00Z", "shell.exec", 0, false);
    eval("2026-01-06T09:02:00Z", "git.push", 4, false);
    eval("2026-01-06T09:03:00Z", "git.force_push", 5, false);
    eval("2026-01-06T09:04:00Z", "git.force_push", 5, false);
    eval("2026-01-06T09:05:00Z", "external.write", 5, true);
    let id = at(
        env,
        &repo,
        "2026-01-06T09:10:00Z",
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "git.push",
            "--subject",
            "origin/main",
            "--reason",
            "release 1.2",
        ],
    );
    at(
        env,
        &repo,
        "2026-01-06T09:20:00Z",
        Some("boss"),
        &["approve", &id],
    );
    eval("2026-01-06T09:21:00Z", "git.push", 0, false);
    let held = at(
        env,
        &repo,
        "2026-01-06T09:30:00Z",
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "external.write",
            "--subject",
            "status-page",
        ],
    );
    at(
        env,
        &repo,
        "2026-01-06T09:31:00Z",
        Some("boss"),
        &["hold", &held],
    );
    let th = at(
        env,
        &repo,
        "2026-01-06T10:00:00Z",
        Some("boss"),
        &["thread", "new", "Release", "--participants", "worker-a"],
    );
    at(
        env,
        &repo,
        "2026-01-06T10:01:00Z",
        Some("worker-a"),
        &["post", &th, "tagging"],
    );
    let out = run_at(
        env,
        &repo,
        "2026-01-06T10:02:00Z",
        Some("worker-a"),
        &["post", &th, "tagged"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    repo
}

#[test]
fn policy_report_counts_decisions_by_reason() {
    let env = TestEnv::new();
    let repo = governance_history(&env);
    let r = report(&env, &repo, "2026-01-07T00:00:00Z", &["analyze", "policy"]);
    assert_eq!(r["decisions"], 7);
    assert_eq!(
        r["by_decision"],
        json!({"allow": 3, "deny": 3, "require_approval": 1})
    );
    assert_eq!(r["kill_switch"], 1);
    assert_eq!(r["approved"], 1);
    assert_eq!(r["blocks"], json!({"loop_guard": 1}));
    assert_eq!(
        r["reasons"],
        json!([
            {"decision": "allow", "reason_code": "default_allow", "count": 2},
            {"decision": "deny", "reason_code": "force_push_forbidden", "count": 2},
            {"decision": "allow", "reason_code": "approved", "count": 1},
            {"decision": "deny", "reason_code": "kill_switch", "count": 1},
            {"decision": "require_approval", "reason_code": "git_push_requires_approval", "count": 1},
        ])
    );
    let early = report(
        &env,
        &repo,
        "2026-01-07T00:00:00Z",
        &["analyze", "policy", "--until", "2026-01-06T09:03:00Z"],
    );
    assert_eq!(early["decisions"], 3);
}

/// Approval ids, numbered in order of appearance.
fn redact_approvals(text: &str) -> String {
    let re = regex::Regex::new(r"appr_[0-9A-Z]{26}").unwrap();
    let mut seen: Vec<String> = Vec::new();
    re.replace_all(text, |c: &regex::Captures| {
        let id = c[0].to_string();
        let n = seen.iter().position(|s| *s == id).unwrap_or_else(|| {
            seen.push(id.clone());
            seen.len() - 1
        });
        format!("[APPR-{}]", n + 1)
    })
    .into_owned()
}

const GOVERNANCE_REPORT: &str = "\
# Governance report, 2026-01-07

Covers the whole history, through 2026-01-06T10:02:00.000Z. Rendered by `codexa report governance` from the event log; every figure can be checked with `codexa sql`.

## Summary

- Approval requests: 2 (1 approved, 1 held)
- Policy decisions: 7, of which 3 denied
- Kill switch: stopped 1 action(s)
- Governance blocks: 1
- Event log: verified, every chain intact

## Approvals

| approval | kind | action | subject | requested by | requested | status | decisions |
|---|---|---|---|---|---|---|---|
| `[APPR-1]` | publish | `git.push` | `origin/main` | worker-a | 2026-01-06T09:10:00.000Z | approved | approve by boss at 2026-01-06T09:20:00.000Z |
| `[APPR-2]` | publish | `external.write` | `status-page` | worker-a | 2026-01-06T09:30:00.000Z | held | hold by boss at 2026-01-06T09:31:00.000Z |

## Policy denials

| time | action | subject | actor | zone | reason | rule |
|---|---|---|---|---|---|---|
| 2026-01-06T09:03:00.000Z | `git.force_push` | `origin/main` | agent:worker-a | supervised | `force_push_forbidden` | no-force-push |
| 2026-01-06T09:04:00.000Z | `git.force_push` | `origin/main` | agent:worker-a | supervised | `force_push_forbidden` | no-force-push |
| 2026-01-06T09:05:00.000Z | `external.write` | `origin/main` | agent:worker-a | supervised | `kill_switch` | external-writes |

## Kill switch

| time | action | subject | actor |
|---|---|---|---|
| 2026-01-06T09:05:00.000Z | `external.write` | `origin/main` | agent:worker-a |

## Governance blocks

| time | action | participant | reason | message |
|---|---|---|---|---|
| 2026-01-06T10:02:00.000Z | post | worker-a | `loop_guard` | `MESSAGE` |

## Event log

`codexa events verify` passes: every hash and link of every writer's chain is intact.
";

#[test]
fn governance_report_renders_and_publishes_once() {
    let env = TestEnv::new();
    let repo = governance_history(&env);
    let now = "2026-01-07T08:00:00Z";
    let markdown = at(&env, &repo, now, None, &["report", "governance"]);
    // The block's message is the guard's own words; check it separately.
    let message = regex::Regex::new(r"\| `loop_guard` \| `([^`]*)` \|").unwrap();
    let said = message.captures(&markdown).expect("a block row")[1].to_string();
    assert!(said.contains('1'), "{said}");
    let shown = redact_approvals(&markdown).replace(&said, "MESSAGE");
    assert_eq!(format!("{shown}\n"), GOVERNANCE_REPORT, "got:\n{shown}");

    // Publish: the file, and one event with its hash.
    let first = report(&env, &repo, now, &["report", "governance", "--publish"]);
    assert_eq!(first["new"], true);
    assert_eq!(first["path"], ".codexa/reports/governance-2026-01-07.md");
    let file = repo.join(".codexa/reports/governance-2026-01-07.md");
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&bytes).trim_end(),
        markdown.trim_end()
    );
    let published = env.query(&repo, &["--type", "report.published"]);
    assert_eq!(published.len(), 1);
    let sha = format!(
        "sha256:{}",
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes))
    );
    assert_eq!(published[0]["data"]["sha256"], sha);
    assert_eq!(
        published[0]["data"]["path"],
        ".codexa/reports/governance-2026-01-07.md"
    );

    // The same inputs again (a message posted since is not one of them):
    // the same bytes, no second event.
    let th = env.query(&repo, &["--type", "thread.created"])[0]["stream"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    at(
        &env,
        &repo,
        "2026-01-07T07:00:00Z",
        Some("boss"),
        &["post", &th, "all good"],
    );
    let count = env.count(&repo);
    let again = at(
        &env,
        &repo,
        now,
        None,
        &["report", "governance", "--publish"],
    );
    assert!(again.contains("already published"), "{again}");
    assert_eq!(env.count(&repo), count);
    assert_eq!(std::fs::read(&file).unwrap(), bytes);

    // The prompt-first phrase runs the same command; a new decision
    // changes the report, so it is published again.
    let held = env
        .query(&repo, &["--type", "approval.decided"])
        .last()
        .unwrap()["stream"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    at(
        &env,
        &repo,
        "2026-01-07T07:30:00Z",
        Some("boss"),
        &["approve", &held],
    );
    let out = run_at(
        &env,
        &repo,
        now,
        None,
        &["ask", "publish governance report"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("published .codexa/reports/governance-2026-01-07.md"),
        "{}",
        stdout(&out)
    );
    let published = env.query(&repo, &["--type", "report.published"]);
    assert_eq!(published.len(), 2);
    assert_eq!(published[0]["data"]["replaces"], Value::Null);
    assert_eq!(
        published[1]["data"]["replaces"], sha,
        "the bytes it replaced"
    );
    env.assert_verifies(&repo);

    // Another window the same day replaces the day's file (and says so);
    // going back to the first window changes it back, which is recorded
    // too; only a publication that changes nothing records nothing.
    let n_published = |env: &TestEnv| env.query(&repo, &["--type", "report.published"]).len();
    let windowed = report(
        &env,
        &repo,
        now,
        &[
            "report",
            "governance",
            "--publish",
            "--since",
            "2026-01-06T09:30:00Z",
        ],
    );
    assert_eq!(windowed["new"], true);
    assert_eq!(n_published(&env), 3);
    let back = report(&env, &repo, now, &["report", "governance", "--publish"]);
    assert_eq!(back["new"], true, "the file changed back: {back}");
    assert_eq!(n_published(&env), 4);
    let same = report(&env, &repo, now, &["report", "governance", "--publish"]);
    assert_eq!(same["new"], false);
    assert_eq!(n_published(&env), 4);

    // Reserved: scripts cannot forge a publication.
    let out = run_at(
        &env,
        &repo,
        now,
        None,
        &[
            "events",
            "append",
            "--type",
            "report.published",
            "--stream",
            "report:governance",
            "--data",
            "{}",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_project_template_overrides_the_report() {
    let env = TestEnv::new();
    let repo = governance_history(&env);
    let own = repo.join(".codexa/templates/governance.md.j2");
    std::fs::create_dir_all(own.parent().unwrap()).unwrap();
    std::fs::write(
        &own,
        "denied {{ denials | length }}, blocked {{ blocks | length }}\n",
    )
    .unwrap();
    let text = at(
        &env,
        &repo,
        "2026-01-07T00:00:00Z",
        None,
        &["report", "governance"],
    );
    assert_eq!(text, "denied 3, blocked 1");
    std::fs::write(&own, "{{ nope.nothing }}\n").unwrap();
    let out = run_at(
        &env,
        &repo,
        "2026-01-07T00:00:00Z",
        None,
        &["report", "governance", "--publish"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".codexa/templates/governance.md.j2 line 1"),
        "{}",
        stderr(&out)
    );
    assert!(!repo.join(".codexa/reports").exists(), "nothing written");
}

#[test]
fn snapshots_are_one_file_per_day_and_make_a_trend() {
    let env = TestEnv::new();
    let repo = governance_history(&env);
    let out = at(&env, &repo, "2026-01-06T23:00:00Z", None, &["snapshot"]);
    assert!(
        out.starts_with("wrote .codexa/reports/snapshots/2026-01-06.json"),
        "{out}"
    );
    let file = repo.join(".codexa/reports/snapshots/2026-01-06.json");
    let first = std::fs::read_to_string(&file).unwrap();
    let snap: Value = serde_json::from_str(&first).unwrap();
    let day_events = env
        .query(&repo, &["--since", "2026-01-06", "--until", "2026-01-07"])
        .len();
    assert_eq!(snap["day"]["events"].as_u64().unwrap() as usize, day_events);
    assert_eq!(snap["day"]["messages"], 1);
    assert_eq!(
        snap["day"]["policy"],
        json!({"allow": 3, "deny": 3, "require_approval": 1})
    );
    assert_eq!(snap["day"]["governance_blocks"], 1);
    assert_eq!(snap["day"]["approvals_requested"], 2);
    assert_eq!(snap["day"]["approvals_answered"], 1);
    assert_eq!(snap["totals"]["approvals_waiting"], 1);
    assert_eq!(snap["totals"]["open_threads"], 1);

    // Again the same day: the same file, untouched.
    let again = at(&env, &repo, "2026-01-06T23:30:00Z", None, &["snapshot"]);
    assert!(again.starts_with("unchanged"), "{again}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);

    // The next day: a second file; the trend reads both.
    let th = env.query(&repo, &["--type", "thread.created"])[0]["stream"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    at(
        &env,
        &repo,
        "2026-01-07T09:00:00Z",
        Some("boss"),
        &["post", &th, "day two"],
    );
    at(&env, &repo, "2026-01-07T10:00:00Z", None, &["snapshot"]);
    let trend = report(&env, &repo, "2026-01-08T00:00:00Z", &["analyze", "trend"]);
    let dates: Vec<&str> = trend
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-01-06", "2026-01-07"]);
    assert_eq!(trend[1]["day"]["messages"], 1);
    assert_eq!(trend[1]["totals"]["messages"], 2);
    let since = report(
        &env,
        &repo,
        "2026-01-08T00:00:00Z",
        &["analyze", "trend", "--since", "2026-01-07"],
    );
    assert_eq!(since.as_array().unwrap().len(), 1);
    let text = at(
        &env,
        &repo,
        "2026-01-08T00:00:00Z",
        None,
        &["analyze", "trend"],
    );
    assert_eq!(text.lines().count(), 3, "{text}");

    // A damaged snapshot is named, with what to do.
    std::fs::write(&file, "{ nope").unwrap();
    let out = run_at(
        &env,
        &repo,
        "2026-01-08T00:00:00Z",
        None,
        &["analyze", "trend"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("2026-01-06.json line 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn parquet_export_reads_back_with_the_same_counts() {
    let env = TestEnv::new();
    let repo = governance_history(&env);
    let out_dir = env.path("export");
    let listed = report(
        &env,
        &repo,
        "2026-01-07T00:00:00Z",
        &["export", "parquet", out_dir.to_str().unwrap()],
    );
    let files = listed.as_array().unwrap();
    assert_eq!(files.len(), 13, "one file per view: {listed:#}");
    let db = duckdb::Connection::open_in_memory().unwrap();
    for f in files {
        let view = f["view"].as_str().unwrap();
        let path = out_dir.join(format!("{view}.parquet"));
        let back: i64 = db
            .query_row(
                &format!("SELECT count(*) FROM read_parquet('{}')", path.display()),
                [],
                |r| r.get(0),
            )
            .unwrap();
        let asked: Value = serde_json::from_str(&at(
            &env,
            &repo,
            "2026-01-07T00:00:00Z",
            None,
            &[
                "sql",
                "--format",
                "json",
                &format!("SELECT count(*) AS n FROM {view}"),
            ],
        ))
        .unwrap();
        assert_eq!(back, asked[0]["n"].as_i64().unwrap(), "{view}");
        assert_eq!(back as u64, f["rows"].as_u64().unwrap(), "{view}");
    }
    let events: i64 = db
        .query_row(
            &format!(
                "SELECT count(*) FROM read_parquet('{}')",
                out_dir.join("events.parquet").display()
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events as usize, env.count(&repo));
    // Typed columns survive: JSON data can be taken apart by the reader.
    let reason: String = db
        .query_row(
            &format!("SELECT reason_code FROM read_parquet('{}') WHERE decision = 'deny' ORDER BY ts LIMIT 1", out_dir.join("policy_decisions.parquet").display()),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reason, "force_push_forbidden");
    // A file where the folder should be: refused, nothing written.
    let file = env.path("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let out = run_at(
        &env,
        &repo,
        "2026-01-07T00:00:00Z",
        None,
        &["export", "parquet", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not a folder"), "{}", stderr(&out));
}

/// Many small segments: the sealed ones are read through the Parquet cache,
/// which is made once; a torn last line is skipped; and questions are
/// answered while another process holds the store's lock.
#[test]
fn sealed_segments_are_cached_and_questions_never_wait_for_the_lock() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, "store:\n  segment_max_bytes: 65536\n");
    let lines: String = (0..600)
        .map(|i| format!("{{\"type\": \"demo.tick\", \"stream\": \"demo:s{}\", \"data\": {{\"n\": {i}, \"pad\": \"{}\"}}}}\n", i % 7, "x".repeat(200)))
        .collect();
    let input = env.path("ticks.jsonl");
    std::fs::write(&input, lines).unwrap();
    at(
        &env,
        &repo,
        "2026-01-02T00:00:00Z",
        None,
        &["events", "import", input.to_str().unwrap()],
    );
    let segments = std::fs::read_dir(env.segment(&repo).parent().unwrap())
        .unwrap()
        .count();
    assert!(segments >= 3, "{segments} segments");

    let count = |env: &TestEnv| -> i64 {
        let v: Value = serde_json::from_str(&at(env, &repo, "2026-01-03T00:00:00Z", None, &["sql", "--format", "json", "SELECT count(*) AS n, sum(CAST(data->>'n' AS INTEGER)) AS s FROM events WHERE type = 'demo.tick'"])).unwrap();
        assert_eq!(v[0]["s"], (0..600).sum::<i64>());
        v[0]["n"].as_i64().unwrap()
    };
    assert_eq!(count(&env), 600);
    let cache = env.store_dir(&repo).join("cache/analytics");
    let cached: Vec<_> = walk(&cache);
    assert_eq!(cached.len(), segments - 1, "{cached:?}");
    let stamps: Vec<_> = cached
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    assert_eq!(count(&env), 600);
    let again: Vec<_> = walk(&cache)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    assert_eq!(stamps, again, "the cache is made once");

    // A copy torn on disk is made again from its segment.
    std::fs::write(&cached[0], b"PAR1 torn").unwrap();
    assert_eq!(count(&env), 600);
    assert!(std::fs::read(&cached[0]).unwrap().len() > 100, "made again");

    // No room for the cache (here: a file where its folder goes): the
    // question is answered from the JSON all the same.
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::write(&cache, "in the way").unwrap();
    assert_eq!(count(&env), 600);
    std::fs::remove_file(&cache).unwrap();

    // A line torn mid-append is skipped, not fatal.
    use std::io::Write;
    let mut live = std::fs::OpenOptions::new()
        .append(true)
        .open(env.segment(&repo))
        .unwrap();
    live.write_all(b"{\"v\":1,\"id\":\"evt_torn").unwrap();
    drop(live);
    assert_eq!(count(&env), 600);

    // Another process holds the append lock: questions do not wait for it.
    let mut holder = std::process::Command::new("flock")
        .arg(env.store_dir(&repo).join("lock"))
        .args(["sleep", "30"])
        .spawn()
        .expect("flock(1) from util-linux");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let out = run_at(
        &env,
        &repo,
        "2026-01-03T00:00:00Z",
        None,
        &["analyze", "activity", "--format", "json"],
    );
    let took = started.elapsed();
    let _ = holder.kill();
    let _ = holder.wait();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        took < std::time::Duration::from_secs(20),
        "waited {took:?} for the lock"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out.sort();
    out
}
