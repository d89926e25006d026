//! Governance guards on `post`: the loop guard (agents talking among
//! themselves too long), the rate guard (posts per minute) and authority
//! (who may post to a thread they are not in). A refusal exits 3, names its
//! reason code, records `governance.blocked` and appends no message.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

use crate::common::{
    AGENTS, TestEnv, extend_config, field, messages, ms_of, new_thread, ok_as, post_ok, run_as,
    stderr, stdout,
};

const EXIT_BLOCKED: i32 = 3;

/// Assert `out` is a refusal with `reason`; returns its stderr.
fn assert_blocked(out: &Output, reason: &str) -> String {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(EXIT_BLOCKED),
        "expected a refusal ({reason}); stdout: {} stderr: {err}",
        stdout(out)
    );
    assert!(
        err.contains(&format!("blocked: {reason}: ")),
        "expected `blocked: {reason}:` in: {err}"
    );
    assert!(err.contains("Hint:"), "no hint in: {err}");
    assert_eq!(stdout(out), "", "a refused post printed an id");
    err
}

/// The `governance.blocked` events on the thread's stream.
fn blocked_events(env: &TestEnv, dir: &Path, thread: &str) -> Vec<Value> {
    env.query(
        dir,
        &[
            "--type",
            "governance.blocked",
            "--stream",
            &format!("thread:{thread}"),
        ],
    )
}

#[test]
fn the_loop_guard_trips_at_n_agent_messages_and_a_person_clears_it() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  lead: {provider: claude, role: lead}\n  worker-a: {provider: codex, role: worker}\n  \
         boss: {provider: other, role: human}\n\
         governance:\n  loop_guard: {max_agent_messages: 3}\n",
    );
    let th = new_thread(&env, &repo, Some("lead"), "Ping pong", "worker-a");

    // Three agent messages in a row are allowed…
    post_ok(&env, &repo, Some("lead"), &th, "agent 1", &[]);
    post_ok(&env, &repo, Some("worker-a"), &th, "agent 2", &[]);
    let key = ["--idempotency-key", "third"];
    let third = post_ok(&env, &repo, Some("lead"), &th, "agent 3", &key);
    assert!(blocked_events(&env, &repo, &th).is_empty());

    // …the fourth is refused, recorded, and not posted.
    let out = run_as(&env, &repo, Some("worker-a"), &["post", &th, "agent 4"]);
    assert_blocked(&out, "loop_guard");
    let blocked = blocked_events(&env, &repo, &th);
    assert_eq!(blocked.len(), 1);
    let b = &blocked[0];
    assert_eq!(b["data"]["action"], "post");
    assert_eq!(b["data"]["participant"], "worker-a");
    assert_eq!(b["data"]["reason_code"], "loop_guard");
    assert!(
        b["data"]["message"].as_str().unwrap().contains('3'),
        "{b:#}"
    );
    assert_eq!(b["actor"]["id"], "worker-a");
    assert_eq!(
        field(&messages(&env, &repo, &th), "body"),
        ["agent 1", "agent 2", "agent 3"]
    );
    // $CODEXA_AGENT is an agent too, configured or not.
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", "ghost")
        .args(["post", &th, "agent via env"])
        .output()
        .unwrap();
    assert_blocked(&out, "loop_guard");
    // A retry of a post that went through is answered, not refused.
    let retry = post_ok(&env, &repo, Some("lead"), &th, "agent 3", &key);
    assert_eq!(retry, third);
    assert_eq!(blocked_events(&env, &repo, &th).len(), 2);

    // A person (the git user: no --as, no CODEXA_AGENT) may post…
    let person = post_ok(&env, &repo, None, &th, "a person steps in", &[]);
    let msgs = messages(&env, &repo, &th);
    let last = msgs.last().unwrap();
    assert_eq!(last["id"], person.as_str());
    assert_eq!(last["author"], "Test User");
    assert_eq!(last["author_kind"], "user");

    // …after which agents get another N messages, and no more.
    for i in 4..=6 {
        post_ok(
            &env,
            &repo,
            Some("worker-a"),
            &th,
            &format!("agent {i}"),
            &[],
        );
    }
    let out = run_as(&env, &repo, Some("lead"), &["post", &th, "agent 7"]);
    assert_blocked(&out, "loop_guard");
    let bodies = field(&messages(&env, &repo, &th), "body");
    assert_eq!(bodies.len(), 7, "{bodies:?}");
    assert!(
        !bodies
            .iter()
            .any(|b| b == "agent 7" || b == "agent via env")
    );
    assert_eq!(blocked_events(&env, &repo, &th).len(), 3);

    // A configured participant with role `human` is a person too.
    let boss = post_ok(&env, &repo, Some("boss"), &th, "carry on", &[]);
    let msgs = messages(&env, &repo, &th);
    let last = msgs.last().unwrap();
    assert_eq!(last["id"], boss.as_str());
    assert_eq!(last["author_kind"], "user");
    post_ok(&env, &repo, Some("lead"), &th, "agent 7", &[]);
    env.assert_verifies(&repo);
}

#[test]
fn the_rate_guard_limits_posts_per_minute_and_says_when_it_clears() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  lead: {provider: claude, role: lead}\n  worker-a: {provider: codex, role: worker}\n\
         governance:\n  rate_guard: {max_posts_per_minute: 2}\n",
    );
    let th = new_thread(&env, &repo, Some("lead"), "Fast talker", "worker-a");
    post_ok(&env, &repo, Some("lead"), &th, "one", &[]);
    post_ok(&env, &repo, Some("lead"), &th, "two", &[]);

    let out = run_as(&env, &repo, Some("lead"), &["post", &th, "three"]);
    let err = assert_blocked(&out, "rate_limited");
    assert!(err.contains("clears at "), "{err}");

    let blocked = blocked_events(&env, &repo, &th);
    assert_eq!(blocked.len(), 1);
    let data = &blocked[0]["data"];
    assert_eq!(data["reason_code"], "rate_limited");
    assert_eq!(data["participant"], "lead");
    let clears = data["clears_at"].as_str().expect("clears_at is set");
    assert!(err.contains(clears), "stderr names another time: {err}");
    // It clears a minute after the oldest post that counts.
    let first_ts = messages(&env, &repo, &th)[0]["ts"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        ms_of(clears) - ms_of(&first_ts),
        60_000,
        "{clears} vs {first_ts}"
    );

    // The limit is per participant: another one may still post.
    post_ok(&env, &repo, Some("worker-a"), &th, "my first", &[]);
    assert_eq!(
        field(&messages(&env, &repo, &th), "body"),
        ["one", "two", "my first"]
    );
    // A refusal is not a post: still refused, still two counted.
    let again = run_as(&env, &repo, Some("lead"), &["post", &th, "three"]);
    assert_blocked(&again, "rate_limited");
    assert_eq!(blocked_events(&env, &repo, &th).len(), 2);

    // Once the clock has passed clears_at, the oldest post has left the
    // window, and the post goes through.
    let wait = ms_of(clears) - env.now_ms();
    env.advance(Duration::from_millis(wait as u64));
    post_ok(&env, &repo, Some("lead"), &th, "three", &[]);
    assert!(env.now_ms() > ms_of(clears));
    assert_eq!(blocked_events(&env, &repo, &th).len(), 2);
}

const TEAM: &str = "\
agents:
  lead: {provider: claude, role: lead}
  reviewer: {provider: claude, role: reviewer}
  worker-a: {provider: codex, role: worker}
  worker-b: {provider: codex, role: worker}
";

#[test]
fn an_authority_rule_stops_a_worker_posting_to_a_thread_it_is_not_in() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        &format!(
            "{TEAM}governance:\n  authority:\n    default: allow\n    rules:\n      \
             - {{from: \"role:worker\", to: \"*\", actions: [post], decision: deny}}\n"
        ),
    );
    let th = new_thread(&env, &repo, Some("lead"), "Review", "reviewer,worker-a");

    // Not a participant, and a worker: denied.
    let out = run_as(&env, &repo, Some("worker-b"), &["post", &th, "let me in"]);
    let err = assert_blocked(&out, "authority_denied");
    assert!(err.contains("worker-b"), "{err}");
    let blocked = blocked_events(&env, &repo, &th);
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0]["data"]["reason_code"], "authority_denied");
    assert_eq!(blocked[0]["data"]["participant"], "worker-b");
    assert_eq!(blocked[0]["data"]["action"], "post");
    assert!(blocked[0]["data"].get("clears_at").is_none());

    // A worker that is a participant may post; so may anyone else the rule
    // does not cover, participant or not.
    post_ok(&env, &repo, Some("worker-a"), &th, "from a member", &[]);
    post_ok(&env, &repo, Some("reviewer"), &th, "from the reviewer", &[]);
    post_ok(&env, &repo, None, &th, "from a person outside", &[]);
    assert_eq!(
        field(&messages(&env, &repo, &th), "body"),
        [
            "from a member",
            "from the reviewer",
            "from a person outside"
        ]
    );
    assert_eq!(blocked_events(&env, &repo, &th).len(), 1);
}

#[test]
fn authority_default_deny_admits_only_participants_and_allowed_senders() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        &format!(
            "{TEAM}governance:\n  authority:\n    default: deny\n    rules:\n      \
             - {{from: \"user:*\", to: \"*\", decision: allow}}\n"
        ),
    );
    let th = new_thread(&env, &repo, Some("lead"), "Closed group", "worker-a");

    for outsider in ["reviewer", "worker-b"] {
        let out = run_as(&env, &repo, Some(outsider), &["post", &th, "hello"]);
        assert_blocked(&out, "authority_denied");
    }
    post_ok(&env, &repo, Some("worker-a"), &th, "member", &[]);
    post_ok(&env, &repo, Some("lead"), &th, "creator", &[]);
    // The git user is not a participant but `user:*` is allowed.
    post_ok(&env, &repo, None, &th, "person", &[]);
    assert_eq!(
        field(&messages(&env, &repo, &th), "body"),
        ["member", "creator", "person"]
    );
    assert_eq!(blocked_events(&env, &repo, &th).len(), 2);
}

#[test]
fn a_blocked_post_in_json_has_outcome_and_reason_code() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        &format!("{TEAM}governance:\n  authority: {{default: deny}}\n"),
    );
    let th = new_thread(&env, &repo, Some("lead"), "JSON", "worker-a");

    let out = run_as(
        &env,
        &repo,
        Some("worker-b"),
        &["--format", "json", "post", &th, "hi"],
    );
    assert_eq!(out.status.code(), Some(EXIT_BLOCKED), "{}", stderr(&out));
    // The refusal is the JSON on stdout; it is not said again on stderr.
    assert_eq!(stderr(&out), "");
    let v: Value = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)));
    assert_eq!(v["outcome"], "blocked", "{v:#}");
    assert_eq!(v["reason_code"], "authority_denied", "{v:#}");
    assert_eq!(v["participant"], "worker-b");
    assert_eq!(v["action"], "post");
    assert!(v["message"].is_string(), "{v:#}");

    // A post that goes through says so in the same shape.
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["--format", "json", "post", &th, "hi"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["outcome"], "posted", "{v:#}");
    assert_eq!(v["new"], true);
    assert_eq!(v["message"]["number"], 1);
    assert_eq!(v["message"]["body"], "hi");
    assert!(v.get("reason_code").is_none(), "{v:#}");
}

/// Found in review: an agent could clear the loop guard by speaking as a
/// person, or by naming itself after one in `$CODEXA_AGENT`.
#[test]
fn regression_an_agent_cannot_speak_as_a_person() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        &format!("{AGENTS}  alice: {{provider: other, role: human}}\n"),
    );
    let th = new_thread(&env, &repo, Some("lead"), "t", "worker-a,alice");
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", "worker-a")
        .args(["--as", "alice", "post", &th, "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("may not speak as the person alice"),
        "{}",
        stderr(&out)
    );
    // Named after a person, it is still an agent.
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", "alice")
        .args(["post", &th, "hello", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let posted: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(posted["message"]["author_kind"], "agent");
}

/// Found in review: an explicit authority rule could be sidestepped by
/// starting a new thread with the participant it protects.
#[test]
fn regression_an_authority_deny_rule_also_refuses_starting_a_thread() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        &format!(
            "{AGENTS}governance:\n  authority:\n    rules:\n      - {{from: \"role:worker\", to: \"role:lead\", actions: [post], decision: deny}}\n"
        ),
    );
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["thread", "new", "sneak", "--participants", "lead"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("authority_denied"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.query(&repo, &["--type", "governance.blocked"]).len(), 1);
    assert!(env.query(&repo, &["--type", "thread.created"]).is_empty());
}

/// Found in review: reusing another participant's idempotency key silently
/// returned their message as if it were this post.
#[test]
fn regression_another_participants_idempotency_key_is_refused() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let th = new_thread(&env, &repo, Some("lead"), "t", "worker-a");
    ok_as(
        &env,
        &repo,
        Some("lead"),
        &["post", &th, "first", "--idempotency-key", "k1"],
    );
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["post", &th, "second", "--idempotency-key", "k1"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("already used"), "{}", stderr(&out));
}

/// Found in review: secrets in the envelope (an agent name from the
/// environment) and in a guard's refusal skipped the filter.
#[test]
fn regression_envelope_strings_and_refusals_are_redacted() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        &format!("{AGENTS}governance:\n  loop_guard: {{max_agent_messages: 1}}\n"),
    );
    let token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
    let th = new_thread(&env, &repo, Some("lead"), "t", "worker-a");
    ok_as(&env, &repo, Some("lead"), &["post", &th, "go"]);
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", token)
        .args(["post", &th, "me too"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let blocked = env.query(&repo, &["--type", "governance.blocked"]);
    assert_eq!(blocked.len(), 1);
    let line = blocked[0].to_string();
    assert!(!line.contains(token), "{line}");
    assert!(line.contains("[REDACTED:github_token]"), "{line}");
    for seg in std::fs::read_dir(env.store_dir(&repo).join("events")).unwrap() {
        for f in std::fs::read_dir(seg.unwrap().path()).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            assert!(!text.contains(token));
        }
    }
}

/// Found in review: once a clock ran ahead (here the test clock set a year
/// on), every later post carried that future time (`ts` never goes
/// backwards within a writer), all of them counted as "in the last minute"
/// until the future came, and the participant could not post at all. The
/// window is the last minute by the clock, ending now.
#[test]
fn regression_a_clock_that_ran_ahead_does_not_lock_a_participant_out() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  lead: {provider: claude, role: lead}\n  worker-a: {provider: codex, role: worker}\n\
         governance:\n  rate_guard: {max_posts_per_minute: 2}\n",
    );
    let th = new_thread(&env, &repo, Some("lead"), "Time travel", "worker-a");
    let post_at = |now: &str, text: &str| {
        env.codexa(&repo)
            .env("CODEXA_TEST_NOW", now)
            .args(["--as", "lead", "post", &th, text])
            .output()
            .unwrap()
    };
    for text in ["from the future", "still there"] {
        let out = post_at("2027-01-01T00:00:00Z", text);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    // Back at the present (the test clock): not refused.
    post_ok(&env, &repo, Some("lead"), &th, "back to now", &[]);
    assert!(blocked_events(&env, &repo, &th).is_empty());

    // A clock only a little fast still counts: two posts 30 s ahead, and
    // the third, at the present, is refused.
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  lead: {provider: claude, role: lead}\n  worker-a: {provider: codex, role: worker}\n\
         governance:\n  rate_guard: {max_posts_per_minute: 2}\n",
    );
    let th = new_thread(&env, &repo, Some("lead"), "Fast clock", "worker-a");
    for text in ["one", "two"] {
        let out = env
            .codexa(&repo)
            .env("CODEXA_TEST_NOW", "2026-01-01T00:00:30Z")
            .args(["--as", "lead", "post", &th, text])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let out = run_as(&env, &repo, Some("lead"), &["post", &th, "three"]);
    assert_blocked(&out, "rate_limited");
}
