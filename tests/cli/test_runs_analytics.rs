//! The `runs`, `steps`, `tool_calls` and `incidents` views and `codexa
//! analyze runs`, over runs made through the real commands, each at a
//! chosen time. The expected figures are worked out here from the times
//! the test chose; the views' fold of each run is checked against the
//! fold the commands themselves use (`run list --all`).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::{TestEnv, extend_config};
use crate::test_analytics::{assert_spread, at, report};

/// When the questions are asked.
const NOW: &str = "2026-01-06T14:00:00Z";

fn day1(time: &str) -> String {
    format!("2026-01-05T{time}Z")
}

fn day2(time: &str) -> String {
    format!("2026-01-06T{time}Z")
}

/// A queued run's id.
fn create(env: &TestEnv, repo: &Path, ts: &str, title: &str) -> String {
    at(
        env,
        repo,
        ts,
        Some("boss"),
        &["run", "create", "--title", title],
    )
}

/// `run claim [ARGS…]` as `worker`: the run's id and the lease token.
fn claim(env: &TestEnv, repo: &Path, ts: &str, worker: &str, args: &[&str]) -> (String, String) {
    let mut all = vec!["run", "claim"];
    all.extend_from_slice(args);
    let out = at(env, repo, ts, Some(worker), &all);
    let (run, token) = out.split_once(' ').expect("RUN TOKEN");
    (run.to_string(), token.to_string())
}

/// `run VERB RUN --token T [ARGS…]` as `worker`.
fn act(
    env: &TestEnv,
    repo: &Path,
    ts: &str,
    worker: &str,
    lease: &(String, String),
    verb: &str,
    args: &[&str],
) {
    let mut all = vec!["run", verb, &lease.0, "--token", &lease.1];
    all.extend_from_slice(args);
    at(env, repo, ts, Some(worker), &all);
}

/// The first word a command printed: the id it made.
fn made(out: String) -> String {
    out.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

struct History {
    repo: PathBuf,
    /// r1 … r8 in the order they were created.
    runs: Vec<String>,
    /// r3's lease that ran out under it.
    lost_incident: String,
    disk_incident: String,
}

/// Eight runs over two days:
/// - r1: waits 2 min, runs 7 min with a step, a tool call (90 s) and an
///   artifact, completes;
/// - r2: waits 5 min, runs 1 min, fails ("tests fail");
/// - r3: waits 1 min, starts under a 30 s lease that runs out; the next
///   claim (worker-b) records the expiry and an incident, starts again,
///   a failed tool call, fails after 8 min ("tests fail");
/// - r4: created late on day 1, waits 9 h, runs 10 min with a heartbeat,
///   completes;
/// - r5: waits 1 min, fails without starting ("no disk");
/// - r6: cancelled while queued; r7: still queued;
/// - r8: claimed for 30 min at 13:00, overdue when asked at 14:00.
///
/// Plus two incidents opened by a person, one of them resolved.
fn history(env: &TestEnv) -> History {
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: codex, role: worker}\n  \
         worker-b: {provider: claude, role: worker}\n  boss: {provider: other, role: human}\n",
    );
    let (a, b) = ("worker-a", "worker-b");
    let r1 = create(env, &repo, &day1("09:00:00"), "index the docs");
    let r2 = create(env, &repo, &day1("09:01:00"), "upgrade the parser");
    let l1 = claim(env, &repo, &day1("09:02:00"), a, &[]);
    assert_eq!(l1.0, r1, "the oldest queued run is claimed first");
    act(env, &repo, &day1("09:03:00"), a, &l1, "start", &[]);
    let step = at(
        env,
        &repo,
        &day1("09:04:00"),
        Some(a),
        &["run", "step", "add", &r1, "--name", "compile"],
    );
    let call = made(at(
        env,
        &repo,
        &day1("09:04:00"),
        Some(a),
        &[
            "toolcall",
            "start",
            &step,
            "--tool",
            "Bash",
            "--input",
            r#"{"cmd":"make"}"#,
        ],
    ));
    at(
        env,
        &repo,
        &day1("09:05:30"),
        Some(a),
        &["toolcall", "succeed", &call],
    );
    at(
        env,
        &repo,
        &day1("09:06:00"),
        Some(a),
        &["artifact", "add", &step, "--text", "build log"],
    );
    let l2 = claim(env, &repo, &day1("09:06:00"), b, &[]);
    assert_eq!(l2.0, r2);
    act(env, &repo, &day1("09:07:00"), b, &l2, "start", &[]);
    act(
        env,
        &repo,
        &day1("09:08:00"),
        b,
        &l2,
        "fail",
        &["--reason", "tests fail"],
    );
    act(
        env,
        &repo,
        &day1("09:10:00"),
        a,
        &l1,
        "complete",
        &["--output", r#"{"pages":12}"#],
    );

    let r3 = create(env, &repo, &day1("09:20:00"), "migrate the store");
    let l3 = claim(env, &repo, &day1("09:21:00"), a, &["--ttl", "30s"]);
    act(env, &repo, &day1("09:21:10"), a, &l3, "start", &[]);
    // Nothing heartbeats; the next claim finds the lease run out.
    let l3b = claim(env, &repo, &day1("09:30:00"), b, &[]);
    assert_eq!(l3b.0, r3);
    act(env, &repo, &day1("09:31:00"), b, &l3b, "start", &[]);
    let step3 = at(
        env,
        &repo,
        &day1("09:32:00"),
        Some(b),
        &["run", "step", "add", &r3, "--name", "test"],
    );
    let call3 = made(at(
        env,
        &repo,
        &day1("09:33:00"),
        Some(b),
        &["toolcall", "start", &step3, "--tool", "cargo"],
    ));
    at(
        env,
        &repo,
        &day1("09:33:20"),
        Some(b),
        &["toolcall", "fail", &call3, "--error", "exit 101"],
    );
    act(
        env,
        &repo,
        &day1("09:39:00"),
        b,
        &l3b,
        "fail",
        &["--reason", "tests fail"],
    );

    let r4 = create(env, &repo, &day1("23:00:00"), "nightly rebuild");
    let l4 = claim(env, &repo, &day2("08:00:00"), a, &[]);
    act(env, &repo, &day2("08:01:00"), a, &l4, "start", &[]);
    // Past its 10-minute default lease, so it heartbeats on the way.
    act(env, &repo, &day2("08:06:00"), a, &l4, "heartbeat", &[]);
    act(env, &repo, &day2("08:11:00"), a, &l4, "complete", &[]);

    let r5 = create(env, &repo, &day2("09:00:00"), "archive logs");
    let l5 = claim(env, &repo, &day2("09:01:00"), b, &[]);
    act(
        env,
        &repo,
        &day2("09:02:00"),
        b,
        &l5,
        "fail",
        &["--reason", "no disk"],
    );

    let r6 = create(env, &repo, &day2("10:00:00"), "obsolete");
    at(
        env,
        &repo,
        &day2("10:05:00"),
        Some("boss"),
        &["run", "cancel", &r6, "--reason", "not needed"],
    );
    let r7 = create(env, &repo, &day2("11:00:00"), "waits");
    let flaky = made(at(
        env,
        &repo,
        &day2("12:00:00"),
        Some("boss"),
        &[
            "incident",
            "open",
            "--title",
            "flaky CI",
            "--severity",
            "low",
        ],
    ));
    let disk_incident = made(at(
        env,
        &repo,
        &day2("12:10:00"),
        Some("boss"),
        &[
            "incident",
            "open",
            "--title",
            "disk full",
            "--severity",
            "critical",
            "--run",
            &r5,
        ],
    ));
    let r8 = create(env, &repo, &day2("12:30:00"), "held too long");
    claim(env, &repo, &day2("13:00:00"), a, &[&r8, "--ttl", "30m"]);
    at(
        env,
        &repo,
        &day2("13:00:00"),
        Some("boss"),
        &["incident", "resolve", &flaky],
    );
    let lost: Value = serde_json::from_str(&at(
        env,
        &repo,
        NOW,
        None,
        &["incident", "list", "--format", "json"],
    ))
    .unwrap();
    let lost_incident = lost
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["run"] == json!(r3))
        .expect("the lost lease of a running run opened an incident")["id"]
        .as_str()
        .unwrap()
        .to_string();
    History {
        repo,
        runs: vec![r1, r2, r3, r4, r5, r6, r7, r8],
        lost_incident,
        disk_incident,
    }
}

fn sql(env: &TestEnv, repo: &Path, q: &str) -> Vec<Value> {
    let out = at(env, repo, NOW, None, &["sql", "--format", "json", q]);
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_run_views_fold_runs_as_the_commands_do() {
    let env = TestEnv::new();
    let h = history(&env);
    let rows = sql(
        &env,
        &h.repo,
        "SELECT run_id, status, worker, fence, claims, lease_expiries, heartbeats, failure_reason, \
                queue_wait_ms, run_ms, total_ms, steps, tool_calls, artifacts, \
                strftime(started_at, '%H:%M:%S') AS started, \
                strftime(lease_expires_at, '%H:%M') AS lease_until, lease_overdue, \
                output->>'pages' AS pages \
         FROM runs ORDER BY created_at",
    );
    let ids: Vec<&str> = rows.iter().map(|r| r["run_id"].as_str().unwrap()).collect();
    assert_eq!(ids, h.runs.iter().map(String::as_str).collect::<Vec<_>>());

    // The commands' own fold agrees on every run's status, lease and failure.
    let listed: Value = serde_json::from_str(&at(
        &env,
        &h.repo,
        NOW,
        None,
        &["run", "list", "--all", "--format", "json"],
    ))
    .unwrap();
    for run in listed.as_array().unwrap() {
        let row = rows.iter().find(|r| r["run_id"] == run["id"]).unwrap();
        assert_eq!(row["status"], run["status"], "{row}");
        assert_eq!(
            row["fence"].as_u64().unwrap_or(0),
            run["last_fence"].as_u64().unwrap()
        );
        assert_eq!(row["lease_expiries"], run["lease_expiries"], "{row}");
        assert_eq!(
            row["failure_reason"],
            run.get("failure").cloned().unwrap_or(Value::Null)
        );
        assert_eq!(row["steps"], json!(run["steps"].as_array().unwrap().len()));
    }

    let by = |i: usize| &rows[i];
    assert_eq!(by(0)["queue_wait_ms"], 120_000);
    assert_eq!(by(0)["run_ms"], 420_000);
    assert_eq!(by(0)["total_ms"], 600_000);
    assert_eq!(
        (&by(0)["steps"], &by(0)["tool_calls"], &by(0)["artifacts"]),
        (&json!(1), &json!(1), &json!(1))
    );
    assert_eq!(by(0)["pages"], "12");
    // r3: lost its first lease while running; the second lease finished it,
    // and its run time is that attempt's.
    assert_eq!(by(2)["status"], "failed");
    assert_eq!(by(2)["worker"], "worker-b");
    assert_eq!((&by(2)["fence"], &by(2)["claims"]), (&json!(2), &json!(2)));
    assert_eq!(by(2)["lease_expiries"], 1);
    assert_eq!(by(2)["started"], "09:31:00");
    assert_eq!(by(2)["run_ms"], 480_000);
    assert_eq!(by(2)["queue_wait_ms"], 60_000);
    assert_eq!(
        (&by(3)["heartbeats"], &by(3)["run_ms"]),
        (&json!(1), &json!(600_000))
    );
    // r5 failed without starting: no run time.
    assert_eq!(by(4)["run_ms"], Value::Null);
    assert_eq!(by(4)["failure_reason"], "no disk");
    // r6 cancelled, r7 queued: never claimed.
    assert_eq!(by(5)["status"], "cancelled");
    assert_eq!(
        (&by(6)["status"], &by(6)["worker"]),
        (&json!("queued"), &Value::Null)
    );
    // r8: held, its lease ran out at 13:30, and nothing has recorded it.
    assert_eq!(by(7)["status"], "claimed");
    assert_eq!(by(7)["lease_until"], "13:30");
    assert_eq!(by(7)["lease_overdue"], true);
    for (i, row) in rows.iter().enumerate().take(7) {
        assert_eq!(row["lease_overdue"], false, "r{}", i + 1);
        assert_eq!(row["lease_until"], Value::Null, "r{}", i + 1);
    }

    let steps = sql(
        &env,
        &h.repo,
        "SELECT name, run_id, tool_calls, tool_calls_failed, tool_ms, artifacts FROM steps ORDER BY added_at",
    );
    assert_eq!(
        steps,
        vec![
            json!({"name": "compile", "run_id": h.runs[0], "tool_calls": 1, "tool_calls_failed": 0, "tool_ms": 90000, "artifacts": 1}),
            json!({"name": "test", "run_id": h.runs[2], "tool_calls": 1, "tool_calls_failed": 1, "tool_ms": 20000, "artifacts": 0}),
        ]
    );
    let calls = sql(
        &env,
        &h.repo,
        "SELECT tool, source, status, duration_ms, error, input->>'cmd' AS cmd, started_by \
         FROM tool_calls ORDER BY started_at",
    );
    assert_eq!(
        calls,
        vec![
            json!({"tool": "Bash", "source": "command", "status": "succeeded", "duration_ms": 90000, "error": null, "cmd": "make", "started_by": "worker-a"}),
            json!({"tool": "cargo", "source": "command", "status": "failed", "duration_ms": 20000, "error": "exit 101", "cmd": null, "started_by": "worker-b"}),
        ]
    );

    let incidents = sql(
        &env,
        &h.repo,
        "SELECT incident_id, title, severity, status, run_id, open_ms FROM incidents ORDER BY opened_at",
    );
    let hours = |h: f64| (h * 3_600_000.0) as i64;
    assert_eq!(incidents.len(), 3, "{incidents:?}");
    assert_eq!(incidents[0]["incident_id"], json!(h.lost_incident));
    assert_eq!(incidents[0]["severity"], "high");
    assert_eq!(incidents[0]["run_id"], json!(h.runs[2]));
    assert_eq!(incidents[0]["status"], "open");
    // Opened 2026-01-05 09:30, asked 2026-01-06 14:00.
    assert_eq!(incidents[0]["open_ms"], hours(28.5));
    assert_eq!(
        (
            &incidents[1]["title"],
            &incidents[1]["status"],
            &incidents[1]["open_ms"]
        ),
        (&json!("flaky CI"), &json!("resolved"), &json!(hours(1.0)))
    );
    assert_eq!(incidents[2]["incident_id"], json!(h.disk_incident));
    assert_eq!(incidents[2]["run_id"], json!(h.runs[4]));
}

#[test]
fn analyze_runs_reports_throughput_durations_expiries_and_failures() {
    let env = TestEnv::new();
    let h = history(&env);
    let r = report(&env, &h.repo, NOW, &["analyze", "runs"]);
    assert_eq!(r["created"], 8);
    assert_eq!(
        r["by_status"],
        json!({"completed": 2, "failed": 3, "cancelled": 1, "queued": 1, "claimed": 1})
    );
    assert_eq!(
        r["days"],
        json!([
            {"day": "2026-01-05", "created": 4, "completed": 1, "failed": 2, "cancelled": 0},
            {"day": "2026-01-06", "created": 4, "completed": 1, "failed": 1, "cancelled": 1},
        ])
    );
    let min = 60_000.0;
    assert_spread(
        &r["queue_wait_ms"],
        &[2.0 * min, 5.0 * min, min, 540.0 * min, min, 30.0 * min],
    );
    assert_spread(&r["run_ms"], &[7.0 * min, min, 8.0 * min, 10.0 * min]);
    assert_eq!(
        (&r["lease_expiries"], &r["runs_with_expiries"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(
        r["failure_reasons"],
        json!([{"reason": "tests fail", "runs": 2}, {"reason": "no disk", "runs": 1}])
    );
    assert_eq!(r["incidents_opened"], 3);
    let open: Vec<(&str, &str)> = r["open_incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["incident_id"].as_str().unwrap(),
                i["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        open,
        vec![
            (h.disk_incident.as_str(), "critical"),
            (h.lost_incident.as_str(), "high")
        ],
        "the most severe first"
    );
    assert_eq!(r["open_incidents"][0]["age_ms"], 110 * 60_000);

    // A window counts the runs created in it, and run time over the runs
    // that ended in it.
    let since = report(
        &env,
        &h.repo,
        NOW,
        &["analyze", "runs", "--since", "2026-01-06"],
    );
    assert_eq!(since["created"], 4);
    assert_eq!(
        since["days"],
        json!([{"day": "2026-01-06", "created": 4, "completed": 1, "failed": 1, "cancelled": 1}])
    );
    assert_spread(&since["run_ms"], &[10.0 * min]);
    assert_eq!(since["lease_expiries"], 0);
    assert_eq!(
        since["failure_reasons"],
        json!([{"reason": "no disk", "runs": 1}])
    );
    assert_eq!(since["incidents_opened"], 2);
    assert_eq!(since["open_incidents"].as_array().unwrap().len(), 1);

    let text = at(&env, &h.repo, NOW, None, &["analyze", "runs"]);
    for want in [
        "Runs, all history: 8 created",
        "queue wait: p50 3.5 min",
        "run time:   p50 7.5 min",
        "1 expired without a heartbeat, on 1 run(s)",
        "tests fail",
        "Incidents: 3 opened, 2 still open",
        "disk full",
    ] {
        assert!(text.contains(want), "{want:?} not in:\n{text}");
    }
}

#[test]
fn analyze_runs_on_a_log_without_runs() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let r = report(&env, &repo, NOW, &["analyze", "runs"]);
    assert_eq!(r["created"], 0);
    assert_eq!(r["days"], json!([]));
    assert_eq!(r["queue_wait_ms"]["count"], 0);
    assert_eq!(r["open_incidents"], json!([]));
    let text = at(&env, &repo, NOW, None, &["analyze", "runs"]);
    assert!(text.starts_with("Runs, all history: 0 created"), "{text}");
}
