//! Approvals through the binary: request (idempotent while pending), the
//! inbox, approve/deny/hold by id or subject, who may decide (people, never
//! themselves, not agents), expiry as the test clock moves on, and how an
//! approval turns `policy eval`'s require_approval into allow — except under
//! the kill switch.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::common::{
    EXIT_DENY, EXIT_REQUIRE_APPROVAL, TestEnv, decision_of, eval, extend_config, ok_as, run_as,
    stderr, stdout,
};

const PUSH: [&str; 4] = ["--action", "git.push", "--subject", "origin/main"];

fn repo_with_agents(env: &TestEnv) -> std::path::PathBuf {
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: codex, role: worker}\n  boss: {provider: other, role: human}\n",
    );
    repo
}

/// `approval request` as `who`; the printed id.
fn request(env: &TestEnv, dir: &Path, who: Option<&str>, extra: &[&str]) -> String {
    let mut args = vec!["approval", "request"];
    args.extend_from_slice(&PUSH);
    args.extend_from_slice(extra);
    let id = ok_as(env, dir, who, &args);
    assert!(id.starts_with("appr_"), "{id}");
    id
}

fn list(env: &TestEnv, dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["approvals", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok_as(env, dir, None, &all)).unwrap()
}

#[test]
fn an_approval_allows_a_gated_action_and_is_recorded() {
    let env = TestEnv::new();
    let repo = repo_with_agents(&env);
    let id = request(&env, &repo, Some("worker-a"), &["--reason", "release 1.2"]);
    // A retry while pending answers with the same id.
    assert_eq!(
        request(&env, &repo, Some("worker-a"), &["--reason", "again"]),
        id
    );
    let pending = list(&env, &repo, &["--status", "pending"]);
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["id"], id.as_str());
    // A push leaves the machine: its default kind is `publish`, as people
    // say it ("approve publish for …").
    assert_eq!(pending[0]["kind"], "publish");
    assert_eq!(pending[0]["requested_by"], "worker-a");
    assert_eq!(pending[0]["reason"], "release 1.2");

    let (code, _) = eval(&env, &repo, Some("worker-a"), &PUSH);
    assert_eq!(code, EXIT_REQUIRE_APPROVAL);

    ok_as(
        &env,
        &repo,
        None,
        &["approve", &id, "--reason", "looks fine"],
    );
    let (code, d) = eval(&env, &repo, Some("worker-a"), &PUSH);
    assert_eq!(code, 0, "{d:#}");
    assert_eq!(d["decision"], "allow");
    assert_eq!(d["reason_code"], format!("approved:{id}"));
    assert_eq!(d["approval"], id.as_str());
    // Only for that subject.
    let (code, _) = eval(
        &env,
        &repo,
        Some("worker-a"),
        &["--action", "git.push", "--subject", "origin/dev"],
    );
    assert_eq!(code, EXIT_REQUIRE_APPROVAL);
    assert!(list(&env, &repo, &["--status", "pending"]).is_empty());
    assert_eq!(list(&env, &repo, &["--status", "approved"]).len(), 1);

    let shown: Value = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["approval", "show", &id, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(shown["status"], "approved");
    assert_eq!(shown["decisions"][0]["by"], "Test User");
    assert_eq!(shown["decisions"][0]["reason"], "looks fine");

    let requested = env.query(&repo, &["--type", "approval.requested"]);
    assert_eq!(requested.len(), 1, "the retry appended a second request");
    assert_eq!(requested[0]["stream"]["id"], id.as_str());
    assert_eq!(requested[0]["stream"]["type"], "approval");
    let decided = env.query(&repo, &["--type", "approval.decided"]);
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["data"]["decision"], "approve");
    assert_eq!(decided[0]["data"]["by"], "Test User");
    assert_eq!(env.query(&repo, &["--type", "policy.evaluated"]).len(), 3);
}

#[test]
fn the_kill_switch_beats_an_approval() {
    let env = TestEnv::new();
    let repo = repo_with_agents(&env);
    let args = ["--action", "external.write", "--subject", "slack"];
    let mut req = vec!["approval", "request"];
    req.extend_from_slice(&args);
    let id = ok_as(&env, &repo, Some("worker-a"), &req);
    ok_as(&env, &repo, None, &["approve", &id]);
    let (code, d) = eval(&env, &repo, Some("worker-a"), &args);
    assert_eq!(
        (code, d["reason_code"].as_str()),
        (0, Some(format!("approved:{id}").as_str()))
    );

    let mut cmd = env.codexa(&repo);
    cmd.env("CODEXA_KILL_SWITCH_EXTERNAL_WRITE", "1")
        .args(["--as", "worker-a", "policy", "eval", "--format", "json"])
        .args(args);
    let (code, d) = decision_of(&cmd.output().unwrap());
    assert_eq!(
        (code, d["reason_code"].as_str()),
        (EXIT_DENY, Some("kill_switch"))
    );
    assert!(d.get("approval").is_none());

    extend_config(&repo, "kill_switch:\n  external_write: true\n");
    let (code, d) = eval(&env, &repo, Some("worker-a"), &args);
    assert_eq!(
        (code, d["reason_code"].as_str()),
        (EXIT_DENY, Some("kill_switch"))
    );
}

#[test]
fn nobody_decides_their_own_request_and_agents_decide_nothing() {
    let env = TestEnv::new();
    let repo = repo_with_agents(&env);
    let mine = request(&env, &repo, None, &[]);
    let out = run_as(&env, &repo, None, &["approve", &mine]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("self-approval is refused"),
        "{}",
        stderr(&out)
    );

    // An agent, by --as or by $CODEXA_AGENT, may not decide.
    let out = run_as(&env, &repo, Some("worker-a"), &["approve", &mine]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("may not decide approvals"),
        "{}",
        stderr(&out)
    );
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", "worker-a")
        .args(["deny", &mine])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(env.query(&repo, &["--type", "approval.decided"]).is_empty());

    // Another person may; so may a role the policy names as approver.
    ok_as(&env, &repo, Some("boss"), &["hold", &mine]);
    std::fs::write(
        repo.join(".codexa/policy.yaml"),
        "version: 1\ndefault: {decision: allow, reason_code: ok}\napprovers: [worker]\n",
    )
    .unwrap();
    ok_as(&env, &repo, Some("worker-a"), &["approve", &mine]);
    assert_eq!(list(&env, &repo, &[])[0]["status"], "approved");

    // Unknown ids fail with a hint.
    let out = run_as(&env, &repo, None, &["approve", "appr_nothing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Hint:"), "{}", stderr(&out));
}

#[test]
fn decide_by_subject_deny_hold_and_change_of_mind() {
    let env = TestEnv::new();
    let repo = repo_with_agents(&env);
    let push = request(&env, &repo, Some("worker-a"), &[]);
    let design = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "design.review",
            "--subject",
            "origin/main",
            "--kind",
            "design",
        ],
    );
    // Two open requests on one subject: ambiguous, listing both.
    let out = run_as(&env, &repo, None, &["approve", "origin/main"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&push) && err.contains(&design), "{err}");
    // --kind narrows it.
    let held = ok_as(
        &env,
        &repo,
        None,
        &["hold", "origin/main", "--kind", "design"],
    );
    assert!(held.starts_with(&design) && held.contains("held"), "{held}");
    assert_eq!(list(&env, &repo, &["--status", "held"]).len(), 1);
    // A held request is still open, so the subject is still ambiguous…
    assert_eq!(
        run_as(&env, &repo, None, &["deny", "origin/main"])
            .status
            .code(),
        Some(1)
    );
    ok_as(
        &env,
        &repo,
        None,
        &[
            "deny",
            "origin/main",
            "--kind",
            "publish",
            "--reason",
            "not today",
        ],
    );
    let (code, _) = eval(&env, &repo, Some("worker-a"), &PUSH);
    assert_eq!(code, EXIT_REQUIRE_APPROVAL);
    // …and now only the design one is open.
    ok_as(&env, &repo, None, &["approve", "origin/main"]);
    let by_id = |id: &str| {
        list(&env, &repo, &["--subject", "origin/main"])
            .into_iter()
            .find(|a| a["id"] == id)
            .unwrap()
    };
    assert_eq!(by_id(&push)["status"], "denied");
    assert_eq!(by_id(&design)["status"], "approved");
    // A decided approval changes by id; both decisions stay.
    ok_as(&env, &repo, None, &["approve", &push]);
    let p = by_id(&push);
    assert_eq!(p["status"], "approved");
    assert_eq!(p["decisions"].as_array().unwrap().len(), 2);
    assert_eq!(env.query(&repo, &["--type", "approval.decided"]).len(), 4);
    // Text inbox lists both.
    let text = ok_as(&env, &repo, None, &["approvals"]);
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[test]
fn approvals_expire() {
    let env = TestEnv::new();
    let repo = repo_with_agents(&env);
    let id = request(&env, &repo, Some("worker-a"), &["--expires", "1h"]);
    ok_as(&env, &repo, None, &["approve", &id]);
    let eval_push = || {
        let mut cmd = env.codexa(&repo);
        cmd.args(["--as", "worker-a", "policy", "eval", "--format", "json"])
            .args(PUSH);
        decision_of(&cmd.output().unwrap())
    };
    // Half an hour on, it is in force; two hours on, it has expired.
    env.advance(Duration::from_secs(30 * 60));
    let (code, d) = eval_push();
    assert_eq!(code, 0, "{d:#}");
    assert_eq!(d["reason_code"], format!("approved:{id}"));
    env.advance(Duration::from_secs(90 * 60));
    let (code, d) = eval_push();
    assert_eq!(code, EXIT_REQUIRE_APPROVAL, "{d:#}");
    let out = env
        .codexa(&repo)
        .args(["approvals", "--status", "expired", "--format", "json"])
        .output()
        .unwrap();
    let expired: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["id"], id.as_str());
    // Past expiry it cannot be approved again, only asked for anew.
    let out = env.codexa(&repo).args(["approve", &id]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("expired"), "{}", stderr(&out));
    // A bad expiry is refused.
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "a.b",
            "--subject",
            "s",
            "--expires",
            "soon",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
}

/// What a person is asked to approve reads as what the agent wrote: a
/// carriage return, escape sequences that hide or move text, or a
/// character that reverses it are shown written out, in the list a person
/// decides from, on a terminal's colours or a pipe.
#[test]
fn a_subject_cannot_hide_what_it_says_from_the_person_deciding() {
    let env = TestEnv::new();
    let repo = repo_with_agents(&env);
    let subject = "npm:left-pad\rnpm:trusted \u{1b}[8mhidden\u{1b}[0m \u{202e}txt.exe";
    ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "external.write",
            "--subject",
            subject,
            "--reason",
            "\u{1b}[2Jclean screen",
        ],
    );
    for colour in ["never", "always"] {
        let shown = ok_as(&env, &repo, None, &["--color", colour, "approvals"]);
        assert!(
            shown.contains("npm:left-pad^Mnpm:trusted ^[[8mhidden"),
            "{colour}: {shown:?}"
        );
        assert!(shown.contains("<U+202E>txt.exe"), "{colour}: {shown:?}");
        assert!(
            !shown.contains('\r') && !shown.contains("\u{1b}[8m"),
            "{shown:?}"
        );
        assert!(!shown.contains("\u{1b}[2J"), "{shown:?}");
    }
    // Scripts reading JSON get the subject exactly as written.
    let listed = list(&env, &repo, &[]);
    assert_eq!(listed[0]["subject"], subject);

    // A subject holding a newline cannot add a row that reads as codexa's.
    let forged = "origin/feature\nappr_01FAKE  pending  git.push  origin/docs";
    ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "git.push",
            "--subject",
            forged,
        ],
    );
    let shown = ok_as(&env, &repo, None, &["approvals"]);
    assert!(
        shown.contains("origin/feature\\nappr_01FAKE  pending"),
        "{shown:?}"
    );
    assert!(
        !shown.lines().any(|l| l.starts_with("appr_01FAKE")),
        "{shown:?}"
    );

    // clap quoting a refused argument, even in colour, passes on no
    // escape sequence of the argument's.
    let out = env
        .std_codexa(&repo)
        .args(["approvals", "--status", "pend\u{1b}[2J\u{1b}]0;x\u{7}"])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("invalid value 'pend"), "{err:?}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}
