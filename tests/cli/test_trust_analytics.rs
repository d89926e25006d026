//! Trust in the daily snapshots and `codexa analyze trust`, on the test
//! clock: an agent earns `learning` on day one, `proven` on day two, and
//! loses it to an incident on day three; each day's snapshot records its
//! figures as `trust show` gives them, and the report reads the trend back.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{AGENTS, TestEnv, extend_config, json_as, ok_as, run_as};
use crate::test_analytics::deny_force_push;
use crate::test_trust::{decided, incident_on_worker_a};

const HOUR: Duration = Duration::from_secs(3600);
/// worker-a's push to origin/feature, approved.
fn approved_push(env: &TestEnv, repo: &Path) {
    decided(env, repo, "git.push", "origin/feature", "approve");
}

/// `snapshot --format json` now: the snapshot written.
fn snapshot(env: &TestEnv, repo: &Path) -> Value {
    json_as(env, repo, None, &["snapshot"])
}

/// The levels of `trust show` as a snapshot records them.
fn shown_levels(env: &TestEnv, repo: &Path) -> (Value, Value) {
    let shown = json_as(env, repo, None, &["trust", "show", "worker-a"]);
    let levels: Vec<Value> = shown["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            json!({
                "action": l["action"], "subject": l["subject"], "tier": l["tier"],
                "score": l["score"], "approved": l["approved"], "denied": l["denied"],
                "held": l["held"],
            })
        })
        .collect();
    (Value::from(levels), shown)
}

#[test]
fn snapshots_record_each_agents_trust_and_analyze_trust_reads_the_trend() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    deny_force_push(&repo);

    // Day one (2026-01-01): three pushes approved, one write denied, one
    // force-push the policy denies.
    for _ in 0..3 {
        approved_push(&env, &repo);
    }
    decided(&env, &repo, "external.write", "docs", "deny");
    let denied = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["policy", "eval", "--action", "git.force_push"],
    );
    assert_eq!(denied.status.code(), Some(5));
    let (levels, shown) = shown_levels(&env, &repo);
    let one = snapshot(&env, &repo);
    assert_eq!(one["date"], "2026-01-01");
    let a = &one["agents"]["worker-a"];
    assert_eq!(
        a["day"],
        json!({"approvals_asked": 4, "approved": 3, "denied": 1, "held": 0,
               "policy_denials": 1, "incidents": 0})
    );
    assert_eq!(a["totals"], a["day"], "everything happened today");
    assert_eq!(a["levels"], levels, "as `trust show` gives them");
    assert_eq!(a["levels"][0]["tier"], "new", "the latest: the force-push");
    for key in [
        "runs_completed",
        "runs_failed",
        "tool_calls_succeeded",
        "tool_calls_failed",
    ] {
        assert_eq!(a[key], shown[key], "{key}");
    }
    assert!(
        one["agents"]["lead"]["levels"]
            .as_array()
            .unwrap()
            .is_empty(),
        "configured agents are there with nothing earned"
    );

    // Day two: seven more; proven on pushes (a denial elsewhere does not
    // count against them). Day one ended at about 06:00.
    env.advance(20 * HOUR);
    for _ in 0..7 {
        approved_push(&env, &repo);
    }
    let two = snapshot(&env, &repo);
    assert_eq!(two["date"], "2026-01-02");
    let a = &two["agents"]["worker-a"];
    assert_eq!(
        (
            a["day"]["approved"].as_u64(),
            a["totals"]["approved"].as_u64()
        ),
        (Some(7), Some(10))
    );
    assert_eq!(a["levels"], shown_levels(&env, &repo).0);

    // Day three: an incident on its work takes what it earned.
    env.advance(12 * HOUR);
    incident_on_worker_a(&env, &repo);
    let three = snapshot(&env, &repo);
    assert_eq!(three["date"], "2026-01-03");
    let a = &three["agents"]["worker-a"];
    assert_eq!(
        (a["day"]["incidents"].as_u64(), a["open_incidents"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(a["levels"], shown_levels(&env, &repo).0);

    // A snapshot from before agents were recorded still reads.
    let old = serde_json::to_string_pretty(&json!({
        "date": "2025-12-31",
        "day": one["day"],
        "totals": one["totals"],
    }))
    .unwrap();
    std::fs::write(repo.join(".codexa/reports/snapshots/2025-12-31.json"), old).unwrap();

    let t = json_as(&env, &repo, None, &["analyze", "trust"]);
    assert_eq!(t["snapshots"], 4);
    let names: Vec<&str> = t["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agent"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["lead", "worker-a"]);
    let w = &t["agents"][1];
    let per_day: Vec<(&str, u64, u64, u64)> = w["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap(),
                d["approved"].as_u64().unwrap(),
                d["denied"].as_u64().unwrap() + d["policy_denials"].as_u64().unwrap(),
                d["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        per_day,
        [
            ("2026-01-01", 3, 2, 0),
            ("2026-01-02", 7, 0, 0),
            ("2026-01-03", 0, 0, 1)
        ]
    );
    let push = |c: &Value| c["action"] == "git.push" && c["subject"] == "origin/feature";
    let moves: Vec<(&str, &str, &str)> = w["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| push(c))
        .map(|c| {
            (
                c["date"].as_str().unwrap(),
                c["from"].as_str().unwrap(),
                c["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("2026-01-02", "learning", "proven"),
            ("2026-01-03", "proven", "new")
        ]
    );

    // --since and --until as the other reports take them.
    let since = json_as(
        &env,
        &repo,
        None,
        &[
            "analyze",
            "trust",
            "--since",
            "2026-01-02",
            "--until",
            "2026-01-03",
        ],
    );
    assert_eq!(since["snapshots"], 1);
    assert!(since["agents"][1]["changes"].as_array().unwrap().is_empty());

    let text = ok_as(&env, &repo, None, &["analyze", "trust"]);
    assert!(
        text.starts_with("Trust, all history: 2 agent(s) over 4 snapshot(s)"),
        "{text}"
    );
    assert!(
        text.contains("2026-01-02  git.push origin/feature: learning → proven"),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with("2026-01-02") && l.contains("proven"))
        .unwrap_or_else(|| panic!("a row for day two: {text}"));
    assert!(row.split_whitespace().nth(2) == Some("7"), "{row}");
}
