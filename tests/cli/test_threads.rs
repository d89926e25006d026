//! Threads between agents and people: `thread new/list/show/close`, `post`,
//! `read`, `inbox`, `ack`, who is speaking (`--as`, `$CODEXA_AGENT`, the git
//! user), message numbers under concurrent posters, and threads shared
//! between clones by `sync`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::{
    AGENTS, TestEnv, extend_config, field, json_as, messages, new_thread, ok_as, post_ok, run_as,
    show, stderr, stdout,
};

fn numbers(messages: &[Value]) -> Vec<u64> {
    messages
        .iter()
        .map(|m| m["number"].as_u64().unwrap())
        .collect()
}

fn sync(env: &TestEnv, dir: &Path) {
    let out = env.codexa(dir).arg("sync").output().unwrap();
    assert!(
        out.status.success(),
        "sync failed in {}: {}{}",
        dir.display(),
        stdout(&out),
        stderr(&out)
    );
}

/// Assert a failed command: exit 1, the message and a hint on stderr.
fn assert_fails_with_hint(out: &Output, message: &str, hint: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(err.contains(message), "expected {message:?} in: {err}");
    let hint_line = err
        .lines()
        .find(|l| l.starts_with("Hint:"))
        .unwrap_or_else(|| panic!("no hint in: {err}"));
    assert!(
        hint_line.contains(hint),
        "expected {hint:?} in: {hint_line}"
    );
}

#[test]
fn two_participants_converse_read_reply_and_ack() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);

    let th = new_thread(&env, &repo, Some("lead"), "Rate limiting", "worker-a");
    let created = show(&env, &repo, &th);
    assert_eq!(created["title"], "Rate limiting");
    assert_eq!(created["room"], "general");
    assert_eq!(created["created_by"], "lead");
    assert_eq!(created["status"], "open");
    assert_eq!(created["closed_at"], Value::Null);
    assert_eq!(
        created["participants"],
        serde_json::json!(["lead", "worker-a"])
    );
    assert_eq!(created["messages"], serde_json::json!([]));

    // Nothing for worker-a yet.
    assert_eq!(
        json_as(&env, &repo, Some("worker-a"), &["inbox"]),
        serde_json::json!([])
    );

    let first = post_ok(
        &env,
        &repo,
        Some("lead"),
        &th,
        "Please take the token bucket, @worker-a",
        &["--mention", "worker-a"],
    );

    // worker-a: one unread, one mention; the author has nothing unread.
    let inbox = json_as(&env, &repo, Some("worker-a"), &["inbox"]);
    let rows = inbox.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{inbox:#}");
    assert_eq!(rows[0]["thread"], th.as_str());
    assert_eq!(rows[0]["title"], "Rate limiting");
    assert_eq!(rows[0]["room"], "general");
    assert_eq!(rows[0]["status"], "open");
    assert_eq!(rows[0]["unread"], 1);
    assert_eq!(rows[0]["mentions"], 1);
    assert!(rows[0]["last_message_at"].is_string(), "{inbox:#}");
    assert_eq!(
        json_as(&env, &repo, Some("lead"), &["inbox"]),
        serde_json::json!([])
    );
    let text = ok_as(&env, &repo, Some("worker-a"), &["inbox"]);
    assert!(text.contains("1 unread (1 mention)"), "{text}");

    // --peek shows it and leaves it unread.
    let peek = json_as(&env, &repo, Some("worker-a"), &["read", &th, "--peek"]);
    assert_eq!(peek["marked_read"], false);
    assert_eq!(peek["reader"], "worker-a");
    assert_eq!(
        field(peek["messages"].as_array().unwrap(), "id"),
        [first.as_str()]
    );
    let inbox = json_as(&env, &repo, Some("worker-a"), &["inbox"]);
    assert_eq!(inbox[0]["unread"], 1, "peek marked it read: {inbox:#}");

    // read shows it once; a second read shows nothing.
    let read = json_as(&env, &repo, Some("worker-a"), &["read", &th]);
    assert_eq!(read["marked_read"], true);
    assert_eq!(read["thread"], th.as_str());
    let shown = read["messages"].as_array().unwrap();
    assert_eq!(field(shown, "id"), [first.as_str()]);
    assert_eq!(shown[0]["body"], "Please take the token bucket, @worker-a");
    assert_eq!(shown[0]["author"], "lead");
    assert_eq!(shown[0]["author_kind"], "agent");
    assert_eq!(shown[0]["number"], 1);
    let again = json_as(&env, &repo, Some("worker-a"), &["read", &th]);
    assert_eq!(again["messages"], serde_json::json!([]), "{again:#}");
    let out = run_as(&env, &repo, Some("worker-a"), &["read", &th]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "", "nothing unread prints no message");
    assert_eq!(
        json_as(&env, &repo, Some("worker-a"), &["inbox"]),
        serde_json::json!([])
    );
    // --all still shows every message.
    let all = json_as(&env, &repo, Some("worker-a"), &["read", &th, "--all"]);
    assert_eq!(
        field(all["messages"].as_array().unwrap(), "id"),
        [first.as_str()]
    );

    // worker-a replies; lead has one unread, no mention.
    let reply = post_ok(
        &env,
        &repo,
        Some("worker-a"),
        &th,
        "On it.",
        &["--reply-to", &first],
    );
    let inbox = json_as(&env, &repo, Some("lead"), &["inbox"]);
    assert_eq!(inbox.as_array().unwrap().len(), 1, "{inbox:#}");
    assert_eq!(inbox[0]["unread"], 1);
    assert_eq!(inbox[0]["mentions"], 0);
    let since = json_as(&env, &repo, Some("lead"), &["read", &th, "--since", "1"]);
    assert_eq!(
        field(since["messages"].as_array().unwrap(), "id"),
        [reply.as_str()]
    );

    // A reply to a message that is not in the thread is refused.
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["post", &th, "x", "--reply-to", "msg_NOPE"],
    );
    assert_fails_with_hint(&out, "no such message", "codexa thread show");

    // worker-a acks the first message.
    let acked = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &["ack", &first, "--note", "bucket done"],
    );
    assert!(acked.contains(&first), "{acked}");

    let thread = show(&env, &repo, &th);
    let msgs = thread["messages"].as_array().unwrap();
    assert_eq!(numbers(msgs), [1, 2]);
    assert_eq!(field(msgs, "id"), [first.as_str(), reply.as_str()]);
    assert_eq!(msgs[0]["mentions"], serde_json::json!(["worker-a"]));
    assert_eq!(msgs[0]["reply_to"], Value::Null);
    assert_eq!(msgs[0]["acked_by"], serde_json::json!(["worker-a"]));
    assert_eq!(msgs[0]["thread"], th.as_str());
    assert_eq!(msgs[1]["author"], "worker-a");
    assert_eq!(msgs[1]["reply_to"], first.as_str());
    assert_eq!(msgs[1]["acked_by"], serde_json::json!([]));
    assert!(msgs[1].get("redactions").is_none(), "{thread:#}");
    for key in ["id", "ts", "body", "author_kind"] {
        assert!(msgs[1][key].is_string(), "{key} in {thread:#}");
    }

    // msg_X is the message of event evt_X, on the thread's stream.
    let stream = format!("thread:{th}");
    let posted = env.query(&repo, &["--type", "message.posted", "--stream", &stream]);
    let event_ids: Vec<String> = posted
        .iter()
        .map(|e| e["id"].as_str().unwrap().replacen("evt_", "msg_", 1))
        .collect();
    assert_eq!(event_ids, [first.as_str(), reply.as_str()]);
    let acks = env.query(&repo, &["--type", "message.acked"]);
    assert_eq!(acks.len(), 1);
    assert_eq!(acks[0]["data"]["note"], "bucket done");
    assert_eq!(acks[0]["data"]["participant"], "worker-a");
    env.assert_verifies(&repo);
}

#[test]
fn message_numbers_stay_gapless_when_four_processes_post_at_once() {
    const POSTERS: usize = 4;
    const POSTS: usize = 25;
    let env = TestEnv::real_clock();
    let repo = env.init_repo("repo");
    let names: Vec<String> = (0..POSTERS).map(|p| format!("poster-{p}")).collect();
    let mut yaml = String::from("agents:\n  lead: {provider: claude, role: lead}\n");
    for n in &names {
        yaml.push_str(&format!("  {n}: {{provider: codex, role: worker}}\n"));
    }
    yaml.push_str(
        "governance:\n  loop_guard: {max_agent_messages: 1000}\n  rate_guard: {max_posts_per_minute: 1000}\n",
    );
    extend_config(&repo, &yaml);
    let th = new_thread(&env, &repo, Some("lead"), "Busy", &names.join(","));

    let printed: Vec<(String, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|name| {
                let (env, repo, th) = (&env, &repo, &th);
                s.spawn(move || {
                    let mut ids = Vec::new();
                    for i in 1..=POSTS {
                        let body = format!("{name} says {i}");
                        let out = env
                            .std_codexa(repo)
                            .env("CODEXA_AGENT", name)
                            .args(["post", th, &body])
                            .output()
                            .unwrap();
                        assert!(
                            out.status.success(),
                            "{name} post {i} failed ({:?}): {}",
                            out.status.code(),
                            stderr(&out)
                        );
                        ids.push((stdout(&out).trim().to_string(), body));
                    }
                    ids
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });

    let msgs = messages(&env, &repo, &th);
    let total = POSTERS * POSTS;
    assert_eq!(msgs.len(), total);
    assert_eq!(numbers(&msgs), (1..=total as u64).collect::<Vec<_>>());
    // Thread order is (ts, id).
    let keys: Vec<(String, String)> = msgs
        .iter()
        .map(|m| {
            (
                m["ts"].as_str().unwrap().to_string(),
                m["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "messages are not in (ts, id) order");
    // Every body exactly once, under the id its post printed.
    let bodies = field(&msgs, "body");
    for (id, body) in &printed {
        assert_eq!(
            bodies.iter().filter(|b| *b == body).count(),
            1,
            "{body:?} is not in the thread exactly once"
        );
        let m = msgs.iter().find(|m| m["id"] == id.as_str()).unwrap();
        assert_eq!(m["body"], body.as_str());
        let author = body.split(' ').next().unwrap();
        assert_eq!(m["author"], author);
        assert_eq!(m["author_kind"], "agent");
    }
    let distinct: BTreeSet<&String> = printed.iter().map(|(id, _)| id).collect();
    assert_eq!(distinct.len(), total, "ids printed twice");
    // Each poster's messages keep the order it posted them in.
    for name in &names {
        let mine: Vec<String> = bodies
            .iter()
            .filter(|b| b.starts_with(&format!("{name} ")))
            .cloned()
            .collect();
        let expected: Vec<String> = (1..=POSTS).map(|i| format!("{name} says {i}")).collect();
        assert_eq!(mine, expected);
    }
    assert!(
        env.query(&repo, &["--type", "governance.blocked"])
            .is_empty()
    );
    env.assert_verifies(&repo);
}

#[test]
fn a_retry_with_the_same_idempotency_key_posts_once() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let th = new_thread(&env, &repo, Some("lead"), "Retries", "worker-a");

    let key = ["--idempotency-key", "deploy-42"];
    let first = post_ok(&env, &repo, Some("lead"), &th, "Deploying", &key);
    let out = run_as(
        &env,
        &repo,
        Some("lead"),
        &["post", &th, "Deploying", "--idempotency-key", "deploy-42"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), first, "the retry printed another id");
    assert!(
        stderr(&out).contains("already posted"),
        "retry stderr: {}",
        stderr(&out)
    );
    // Another key is another message.
    let other = post_ok(
        &env,
        &repo,
        Some("lead"),
        &th,
        "Deploying",
        &["--idempotency-key", "deploy-43"],
    );
    assert_ne!(other, first);

    let msgs = messages(&env, &repo, &th);
    assert_eq!(field(&msgs, "id"), [first.as_str(), other.as_str()]);
    assert_eq!(numbers(&msgs), [1, 2]);
    assert_eq!(
        env.query(&repo, &["--type", "message.posted"]).len(),
        2,
        "the retry appended an event"
    );

    // Keys are per store: one already used in another thread is refused
    // as bad input, naming the key, and nothing is posted.
    let other_th = new_thread(&env, &repo, Some("lead"), "Elsewhere", "worker-a");
    let out = run_as(
        &env,
        &repo,
        Some("lead"),
        &[
            "post",
            &other_th,
            "Deploying",
            "--idempotency-key",
            "deploy-42",
        ],
    );
    assert_fails_with_hint(&out, "deploy-42", "unique");
    assert_eq!(stdout(&out), "");
    assert!(messages(&env, &repo, &other_th).is_empty());
    assert_eq!(env.query(&repo, &["--type", "message.posted"]).len(), 2);
}

#[test]
fn thread_list_filters_by_room_and_membership() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  lead: {provider: claude, role: lead}\n  worker-a: {provider: codex, role: worker}\n  worker-b: {provider: codex, role: worker}\n",
    );
    let list_ids = |speaker: Option<&str>, args: &[&str]| -> Vec<String> {
        let mut all = vec!["thread", "list"];
        all.extend_from_slice(args);
        let v = json_as(&env, &repo, speaker, &all);
        field(v.as_array().unwrap(), "id")
    };
    assert!(list_ids(None, &[]).is_empty());

    let general = new_thread(&env, &repo, Some("lead"), "General plan", "worker-a");
    let api = ok_as(
        &env,
        &repo,
        Some("lead"),
        &[
            "thread",
            "new",
            "API limits",
            "--participants",
            "worker-b",
            "--room",
            "api",
        ],
    );
    let api2 = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "thread",
            "new",
            "API docs",
            "--participants",
            "worker-a",
            "--room",
            "api",
        ],
    );
    post_ok(&env, &repo, Some("lead"), &general, "one", &[]);
    post_ok(&env, &repo, Some("worker-a"), &general, "two", &[]);

    let all = json_as(&env, &repo, None, &["thread", "list"]);
    let rows = all.as_array().unwrap();
    assert_eq!(
        field(rows, "id"),
        [general.as_str(), api.as_str(), api2.as_str()],
        "oldest first"
    );
    assert_eq!(rows[0]["messages"], 2);
    assert_eq!(rows[0]["room"], "general");
    assert_eq!(rows[0]["status"], "open");
    assert_eq!(
        rows[1]["participants"],
        serde_json::json!(["lead", "worker-b"])
    );
    assert_eq!(rows[2]["participants"], serde_json::json!(["worker-a"]));

    assert_eq!(
        list_ids(None, &["--room", "api"]),
        [api.as_str(), api2.as_str()]
    );
    assert_eq!(list_ids(None, &["--room", "general"]), [general.as_str()]);
    assert!(list_ids(None, &["--room", "nowhere"]).is_empty());
    assert_eq!(
        list_ids(Some("lead"), &["--mine"]),
        [general.as_str(), api.as_str()]
    );
    assert_eq!(
        list_ids(Some("worker-a"), &["--mine"]),
        [general.as_str(), api2.as_str()]
    );
    assert_eq!(list_ids(Some("worker-b"), &["--mine"]), [api.as_str()]);
    assert_eq!(
        list_ids(Some("worker-b"), &["--mine", "--room", "general"]),
        Vec::<String>::new()
    );
    // CODEXA_AGENT speaks when there is no --as.
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", "worker-b")
        .args(["--format", "json", "thread", "list", "--mine"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(field(v.as_array().unwrap(), "id"), [api.as_str()]);

    // The text listing names every thread.
    let text = ok_as(&env, &repo, None, &["thread", "list"]);
    for id in [&general, &api, &api2] {
        assert!(text.contains(id.as_str()), "{text}");
    }
    assert!(text.contains("General plan"), "{text}");
}

#[test]
fn a_closed_thread_refuses_posts() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let th = new_thread(&env, &repo, Some("lead"), "Short-lived", "worker-a");
    post_ok(&env, &repo, Some("worker-a"), &th, "before", &[]);
    ok_as(&env, &repo, Some("lead"), &["thread", "close", &th]);

    let thread = show(&env, &repo, &th);
    assert_eq!(thread["status"], "closed");
    assert!(thread["closed_at"].is_string(), "{thread:#}");

    let out = run_as(&env, &repo, Some("worker-a"), &["post", &th, "after"]);
    assert_fails_with_hint(&out, "is closed", "codexa thread new");
    assert_eq!(stdout(&out), "");
    assert_eq!(field(&messages(&env, &repo, &th), "body"), ["before"]);
    // Closing again changes nothing.
    let before = env.count(&repo);
    ok_as(&env, &repo, Some("lead"), &["thread", "close", &th]);
    assert_eq!(env.count(&repo), before);
}

#[test]
fn an_unknown_thread_or_speaker_fails_with_a_hint() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let th = new_thread(&env, &repo, Some("lead"), "Real", "worker-a");
    let before = env.count(&repo);

    let missing = "th_01KDVDNA00NOSUCHTHREAD0000";
    for args in [
        vec!["post", missing, "hello"],
        vec!["read", missing],
        vec!["thread", "show", missing],
        vec!["thread", "close", missing],
    ] {
        let out = run_as(&env, &repo, Some("lead"), &args);
        assert_fails_with_hint(&out, "no thread", "codexa thread list");
    }
    let out = run_as(
        &env,
        &repo,
        Some("lead"),
        &["ack", "msg_01KDVDNA00NOSUCHMESSAGE000"],
    );
    assert_fails_with_hint(&out, "no message", "msg_");

    for args in [vec!["post", th.as_str(), "hello"], vec!["inbox"]] {
        let out = run_as(&env, &repo, Some("unknown-name"), &args);
        assert_fails_with_hint(&out, "`--as unknown-name` names no participant", "lead");
        let hint = stderr(&out);
        assert!(
            hint.contains("known participants: lead, worker-a"),
            "{hint}"
        );
    }
    // The git user may speak as themselves.
    let id = post_ok(&env, &repo, Some("Test User"), &th, "a person", &[]);
    let msgs = messages(&env, &repo, &th);
    assert_eq!(field(&msgs, "id"), [id.as_str()]);
    assert_eq!(msgs[0]["author"], "Test User");
    assert_eq!(msgs[0]["author_kind"], "user");
    assert_eq!(env.count(&repo), before + 1, "a refusal appended something");
}

#[test]
fn two_clones_share_a_thread_through_sync() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let a = env.clone_of(&remote, "a");
    let b = env.clone_of(&remote, "b");
    extend_config(&a, AGENTS);
    extend_config(&b, AGENTS);

    let th = new_thread(&env, &a, Some("lead"), "Across clones", "worker-a");
    let m1 = post_ok(&env, &a, Some("lead"), &th, "from A, first", &[]);
    sync(&env, &a);
    sync(&env, &b);

    // B sees A's thread and its unread message.
    let inbox = json_as(&env, &b, Some("worker-a"), &["inbox"]);
    assert_eq!(inbox[0]["thread"], th.as_str(), "{inbox:#}");
    assert_eq!(inbox[0]["unread"], 1);
    let read = json_as(&env, &b, Some("worker-a"), &["read", &th]);
    assert_eq!(
        field(read["messages"].as_array().unwrap(), "id"),
        [m1.as_str()]
    );

    let m2 = post_ok(
        &env,
        &b,
        Some("worker-a"),
        &th,
        "from B",
        &["--reply-to", &m1],
    );
    let m3 = post_ok(&env, &a, Some("lead"), &th, "from A, meanwhile", &[]);
    sync(&env, &b);
    sync(&env, &a);
    sync(&env, &b);

    let in_a = messages(&env, &a, &th);
    let in_b = messages(&env, &b, &th);
    let ids_a = field(&in_a, "id");
    assert_eq!(
        ids_a,
        field(&in_b, "id"),
        "the clones order the thread differently"
    );
    assert_eq!(
        ids_a.iter().collect::<BTreeSet<_>>(),
        [&m1, &m2, &m3].into_iter().collect::<BTreeSet<_>>()
    );
    assert_eq!(numbers(&in_a), [1, 2, 3]);
    assert_eq!(numbers(&in_b), [1, 2, 3]);
    assert_eq!(in_a, in_b);
    let m2_in_a = in_a.iter().find(|m| m["id"] == m2.as_str()).unwrap();
    assert_eq!(m2_in_a["author"], "worker-a");
    assert_eq!(m2_in_a["reply_to"], m1.as_str());

    // worker-a read m1 in B; after sync A knows it too, so only m3 is unread.
    let unread = json_as(&env, &a, Some("worker-a"), &["read", &th, "--peek"]);
    assert_eq!(
        field(unread["messages"].as_array().unwrap(), "id"),
        [m3.as_str()]
    );
    env.assert_verifies(&a);
    env.assert_verifies(&b);
}

/// `post` numbers the new message from a count in the index when every
/// message is dated before it, and reads the messages when one is not (a
/// clock that stood still, or one elsewhere ahead) or when it replies:
/// the number it prints is the thread's own either way.
#[test]
fn post_prints_the_number_the_thread_gives_however_it_counted() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let th = new_thread(&env, &repo, Some("lead"), "numbers", "worker-a");
    let post_at = |text: &str, frozen: Option<&str>, extra: &[&str]| -> Value {
        let mut cmd = env.codexa(&repo);
        if let Some(ts) = frozen {
            cmd.env("CODEXA_TEST_NOW", ts);
        }
        let out = cmd
            .args(["--as", "lead", "--format", "json", "post", &th, text])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["message"].clone()
    };
    // The stepping clock: each later than the last.
    let first = post_at("one", None, &[]);
    assert_eq!(first["number"], 1);
    assert_eq!(post_at("two", None, &[])["number"], 2);
    // Two at one frozen moment: the second finds a message not dated
    // before it.
    let frozen = "2027-01-01T00:00:00Z";
    assert_eq!(post_at("three", Some(frozen), &[])["number"], 3);
    assert_eq!(post_at("four", Some(frozen), &[])["number"], 4);
    let id = first["id"].as_str().unwrap();
    assert_eq!(post_at("five", None, &["--reply-to", id])["number"], 5);
    let shown = json_as(&env, &repo, Some("lead"), &["thread", "show", &th]);
    assert_eq!(
        numbers(shown["messages"].as_array().unwrap()),
        [1, 2, 3, 4, 5]
    );
}

/// Printed for people, a message's id is dimmed only where colour is
/// wanted, and escape sequences an agent put in a body are shown written
/// out, never acted on.
#[test]
fn read_colours_only_where_asked_and_shows_escapes_in_bodies_written_out() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, AGENTS);
    let th = new_thread(&env, &repo, Some("lead"), "Colours", "worker-a");
    let plain = post_ok(&env, &repo, Some("lead"), &th, "plain words", &[]);
    let piped = ok_as(&env, &repo, Some("worker-a"), &["read", &th, "--peek"]);
    assert!(
        piped.contains(&plain) && !piped.contains('\u{1b}'),
        "{piped:?}"
    );
    let coloured = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &["--color", "always", "read", &th, "--peek"],
    );
    assert!(
        coloured.contains(&format!("\u{1b}[2m  {plain}\u{1b}[0m")),
        "{coloured:?}"
    );

    post_ok(
        &env,
        &repo,
        Some("lead"),
        &th,
        "\u{1b}[31mred\u{1b}[0m, café\u{7}",
        &[],
    );
    let piped = ok_as(&env, &repo, Some("worker-a"), &["read", &th, "--peek"]);
    assert!(piped.contains("    ^[[31mred, café^G"), "{piped:?}");
    assert!(
        !piped.contains('\u{1b}') && !piped.contains('\u{7}'),
        "{piped:?}"
    );

    // An operating system command left open would run to its terminator,
    // across newlines: it must not hide the messages after it.
    post_ok(&env, &repo, Some("lead"), &th, "see log\u{1b}]0;", &[]);
    let after = post_ok(&env, &repo, Some("lead"), &th, "the real request", &[]);
    let piped = ok_as(&env, &repo, Some("worker-a"), &["read", &th, "--peek"]);
    assert!(piped.contains("    see log^[]0;"), "{piped:?}");
    assert!(
        piped.contains(&after) && piped.contains("    the real request"),
        "{piped:?}"
    );
}
