//! Progressive trust, end to end on the test clock: an agent's pushes to
//! one branch approved ten times earn a recommendation with exactly those
//! approvals as evidence; a person accepts it and the next push is allowed
//! without asking; an incident on the agent's work then takes the level
//! back and the rule stops matching. An agent can see but never decide.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::common::{
    AGENTS, BIN, TestEnv, assert_fails, extend_config, json_as, ok_as, run_as, under_agent,
};

/// `policy eval` for worker-a's push: (exit code, decision JSON).
fn push_decision(env: &TestEnv, repo: &Path) -> (i32, Value) {
    let out = run_as(
        env,
        repo,
        Some("worker-a"),
        &[
            "--format",
            "json",
            "policy",
            "eval",
            "--action",
            "git.push",
            "--subject",
            "origin/feature",
        ],
    );
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), v)
}

/// worker-a asks for `action` on `subject` (for an hour) and a person
/// answers `verb` (approve, deny, hold); the clock then moves two hours,
/// past the request's hour. The request's id.
pub(crate) fn decided(
    env: &TestEnv,
    repo: &Path,
    action: &str,
    subject: &str,
    verb: &str,
) -> String {
    let args = [
        "approval",
        "request",
        "--action",
        action,
        "--subject",
        subject,
    ];
    let id = ok_as(
        env,
        repo,
        Some("worker-a"),
        &[&args[..], &["--expires", "1h"]].concat(),
    );
    ok_as(env, repo, None, &[verb, &id]);
    env.advance(Duration::from_secs(2 * 3600));
    id
}

/// A run worker-a claimed, and an incident opened on it.
pub(crate) fn incident_on_worker_a(env: &TestEnv, repo: &Path) {
    let run = ok_as(env, repo, None, &["run", "create", "--title", "deploy"]);
    ok_as(
        env,
        repo,
        None,
        &["run", "claim", &run, "--worker", "worker-a"],
    );
    let incident = ["incident", "open", "--title", "pushed a broken build"];
    ok_as(
        env,
        repo,
        None,
        &[&incident[..], &["--severity", "high", "--run", &run]].concat(),
    );
}

#[test]
fn approvals_earn_a_rule_a_person_accepts_and_an_incident_takes_it_back() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let mut evidence = Vec::new();
    for _ in 0..10 {
        let (code, d) = push_decision(&env, &repo);
        assert_eq!(code, 4, "asks first: {d}");
        // Each approval is for this push only: the next one asks again.
        evidence.push(decided(
            &env,
            &repo,
            "git.push",
            "origin/feature",
            "approve",
        ));
    }
    let shown = json_as(&env, &repo, None, &["trust", "show", "worker-a"]);
    assert_eq!(shown["levels"][0]["tier"], "proven", "{shown}");
    assert_eq!(shown["levels"][0]["approved"], 10);

    let recs = json_as(&env, &repo, None, &["trust", "recommend"]);
    let recs = recs.as_array().unwrap();
    assert_eq!(recs.len(), 1, "{recs:?}");
    let rec = &recs[0];
    assert_eq!(rec["agent"], "worker-a");
    assert_eq!(rec["action"], "git.push");
    assert_eq!(rec["subject"], "origin/feature");
    let got: Vec<&str> = rec["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(got, evidence, "exactly those approvals");
    assert!(
        rec["diff"]
            .as_str()
            .unwrap()
            .contains("+    trust: {min: proven}")
    );
    let rec_id = rec["id"].as_str().unwrap().to_string();

    // An agent sees it, but cannot accept or decline it.
    let as_agent = |args: &[&str]| {
        let mut all = vec![BIN];
        all.extend_from_slice(args);
        under_agent(&env, &repo, &all, &[("CODEXA_AGENT", "worker-a")])
    };
    let policy_before = std::fs::read(repo.join(".codexa/policy.yaml")).unwrap();
    assert_fails(
        &as_agent(&["trust", "accept", &rec_id]),
        3,
        "only a person can",
    );
    assert_fails(
        &as_agent(&["trust", "decline", &rec_id]),
        3,
        "only a person can",
    );
    assert_eq!(
        std::fs::read(repo.join(".codexa/policy.yaml")).unwrap(),
        policy_before
    );

    ok_as(&env, &repo, None, &["trust", "accept", &rec_id]);
    let policy = std::fs::read_to_string(repo.join(".codexa/policy.yaml")).unwrap();
    assert!(
        policy.contains("id: earned-worker-a-git-push-origin-feature"),
        "{policy}"
    );
    let (code, d) = push_decision(&env, &repo);
    assert_eq!((code, d["decision"].as_str()), (0, Some("allow")), "{d}");
    let rule = d["rule"].as_str().unwrap().to_string();
    assert!(
        rule.starts_with("earned-worker-a-git-push-origin-feature-"),
        "{rule}"
    );
    let explained = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "policy",
            "explain",
            "--action",
            "git.push",
            "--subject",
            "origin/feature",
        ],
    );
    assert!(
        explained.contains("trust: proven (10 approved"),
        "{explained}"
    );
    let accepted = env.query(&repo, &["--type", "trust.accepted"]);
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["data"]["rule"], rule.as_str());
    assert!(
        json_as(&env, &repo, None, &["trust", "recommend"])
            .as_array()
            .unwrap()
            .is_empty(),
        "accepted: not proposed again"
    );

    // An incident on worker-a's work: what it earned is reset.
    incident_on_worker_a(&env, &repo);
    let (code, d) = push_decision(&env, &repo);
    assert_eq!(code, 4, "asks again: {d}");
    let explained = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "policy",
            "explain",
            "--action",
            "git.push",
            "--subject",
            "origin/feature",
        ],
    );
    assert!(
        explained.contains("trust: `worker-a` is new"),
        "the rule's trust condition stops matching: {explained}"
    );
    let shown = json_as(&env, &repo, None, &["trust", "show", "worker-a"]);
    assert_eq!(shown["levels"][0]["tier"], "new");
    assert_eq!(shown["incidents"].as_array().unwrap().len(), 1);
}

#[test]
fn a_declined_recommendation_stays_declined_until_the_evidence_changes() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, &format!("{AGENTS}trust:\n  recommend_after: 2\n"));
    let approve_one = || decided(&env, &repo, "external.write", "docs", "approve");
    approve_one();
    approve_one();
    let recs = json_as(&env, &repo, None, &["trust", "recommend", "worker-a"]);
    let first = recs[0]["id"].as_str().unwrap().to_string();
    ok_as(
        &env,
        &repo,
        None,
        &["trust", "decline", &first, "--reason", "not yet"],
    );
    assert!(
        json_as(&env, &repo, None, &["trust", "recommend"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_fails(
        &run_as(&env, &repo, None, &["trust", "accept", &first]),
        1,
        "no recommendation",
    );
    approve_one();
    let again = json_as(&env, &repo, None, &["trust", "recommend"]);
    assert_eq!(
        again.as_array().unwrap().len(),
        1,
        "new evidence: proposed again"
    );
    assert_ne!(again[0]["id"].as_str().unwrap(), first);
    assert_eq!(again[0]["evidence"].as_array().unwrap().len(), 3);
}

#[test]
fn constraints_come_from_a_persons_reasons_and_a_person_retires_them() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let asked = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "git.push.force",
            "--subject",
            "origin/main",
        ],
    );
    ok_as(
        &env,
        &repo,
        None,
        &["hold", &asked, "--reason", "never force-push main"],
    );
    let silent = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "external.write",
            "--subject",
            "x",
        ],
    );
    ok_as(&env, &repo, None, &["deny", &silent]);
    let list = json_as(&env, &repo, None, &["trust", "constraints", "worker-a"]);
    let list = list.as_array().unwrap();
    assert_eq!(
        list.len(),
        1,
        "only a decision with a reason teaches: {list:?}"
    );
    assert_eq!(list[0]["text"], "never force-push main");
    let con = list[0]["id"].as_str().unwrap().to_string();

    let out = under_agent(
        &env,
        &repo,
        &[BIN, "trust", "retire", &con],
        &[("CODEXA_AGENT", "worker-a")],
    );
    assert_fails(&out, 3, "only a person can");
    ok_as(
        &env,
        &repo,
        None,
        &["trust", "retire", &con, "--reason", "main is protected now"],
    );
    let left = json_as(&env, &repo, None, &["trust", "constraints", "worker-a"]);
    assert!(left.as_array().unwrap().is_empty());
}

/// What another agent says about an agent's work does not count: an
/// incident it opens resets nothing, its note teaches nothing, and a
/// subject approved literally never becomes a pattern.
#[test]
fn only_people_and_codexa_move_an_agents_level_or_its_constraints() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, &format!("{AGENTS}trust:\n  recommend_after: 2\n"));
    for subject in ["origin/feature", "origin/*"] {
        for _ in 0..2 {
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
                    subject,
                    "--expires",
                    "1h",
                ],
            );
            ok_as(&env, &repo, None, &["approve", &id]);
            env.advance(Duration::from_secs(2 * 3600));
        }
    }
    let recs = json_as(&env, &repo, None, &["trust", "recommend"]);
    let subjects: Vec<&str> = recs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["origin/feature"], "a literal `*` is no pattern");

    let run = ok_as(&env, &repo, None, &["run", "create", "--title", "t"]);
    ok_as(
        &env,
        &repo,
        None,
        &["run", "claim", &run, "--worker", "worker-a"],
    );
    let as_lead = |args: &[&str]| {
        let mut all = vec![BIN];
        all.extend_from_slice(args);
        under_agent(&env, &repo, &all, &[("CODEXA_AGENT", "lead")])
    };
    let opened = as_lead(&[
        "incident",
        "open",
        "--title",
        "x",
        "--severity",
        "low",
        "--run",
        &run,
    ]);
    assert_eq!(opened.status.code(), Some(0));
    let id = String::from_utf8_lossy(&opened.stdout).trim().to_string();
    let resolved = as_lead(&[
        "incident",
        "resolve",
        &id,
        "--resolution",
        "you may force-push",
    ]);
    assert_eq!(resolved.status.code(), Some(0));
    let shown = json_as(&env, &repo, None, &["trust", "show", "worker-a"]);
    assert!(shown["incidents"].as_array().unwrap().is_empty(), "{shown}");
    assert!(
        shown["constraints"].as_array().unwrap().is_empty(),
        "{shown}"
    );
    assert_eq!(
        json_as(&env, &repo, None, &["trust", "recommend"])
            .as_array()
            .unwrap()
            .len(),
        1,
        "the agent's incident resets nothing"
    );
}

/// A config that would make every agent proven for nothing is refused,
/// naming the key: a level needs at least one approval.
#[test]
fn trust_levels_of_zero_are_refused() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        &format!("{AGENTS}trust:\n  levels: {{learning: 0, trusted: 0, proven: 0}}\n"),
    );
    assert_fails(
        &run_as(&env, &repo, None, &["trust", "show", "worker-a"]),
        1,
        "`trust.levels.learning`: 0 is less than the minimum of 1",
    );
}
