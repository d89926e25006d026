//! Which writer folders count: a chain planted under `events/` (not this
//! clone's, not received through `codexa sync`, not accepted by a person)
//! is reported as foreign and ignored by every reader, is never published by
//! sync, and counts once a person runs `codexa events accept`.

use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{
    EXIT_REQUIRE_APPROVAL, TestEnv, eval, extend_config, ok_as, run_as, stderr, stdout,
};

const PLANTED: &str = "wr_01JPLANTED00000000000000";
const PUSH: [&str; 4] = ["--action", "git.push", "--subject", "origin/main"];

/// Write `events` (envelopes without seq, prev, writer, hash) as a valid
/// chain of `writer` in the store of `dir`, as something other than codexa
/// could: every line canonical, hashed and linked.
pub fn plant_chain(env: &TestEnv, dir: &Path, writer: &str, events: &[Value]) {
    let folder = env.store_dir(dir).join("events").join(writer);
    std::fs::create_dir_all(&folder).unwrap();
    let mut prev: Option<String> = None;
    let mut text = String::new();
    for (i, e) in events.iter().enumerate() {
        let mut e = e.clone();
        e["writer"] = json!(writer);
        e["seq"] = json!(i + 1);
        e["prev"] = json!(prev);
        let body = serde_json_canonicalizer::to_vec(&e).unwrap();
        let hash = format!("sha256:{}", hex::encode(Sha256::digest(&body)));
        e["hash"] = json!(hash);
        text.push_str(&String::from_utf8(serde_json_canonicalizer::to_vec(&e).unwrap()).unwrap());
        text.push('\n');
        prev = Some(hash);
    }
    std::fs::write(folder.join("000001.jsonl"), text).unwrap();
}

/// An event envelope by `actor` (KIND, ID), stamped with the test clock's
/// time now and an id that sorts after every event the clock has given.
pub fn envelope(
    env: &TestEnv,
    n: u32,
    actor: (&str, &str),
    kind: &str,
    stream: (&str, &str),
    data: Value,
) -> Value {
    json!({
        "v": 1,
        "id": format!("evt_7ZZZZZZZZZZZZZZZZZZZZZZZ{n:02}"),
        "ts": env.now_ts(),
        "actor": {"kind": actor.0, "id": actor.1},
        "type": kind,
        "stream": {"type": stream.0, "id": stream.1},
        "data": data,
    })
}

/// A one-line chain holding a person's approval of `approval`.
fn plant_decision(env: &TestEnv, dir: &Path, approval: &str) {
    let decided = envelope(
        env,
        1,
        ("user", "Test User"),
        "approval.decided",
        ("approval", approval),
        json!({"decision": "approve", "by": "Test User", "reason": "planted"}),
    );
    plant_chain(env, dir, PLANTED, &[decided]);
}

fn repo_with_agent(env: &TestEnv) -> std::path::PathBuf {
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: codex, role: worker}\n",
    );
    repo
}

fn status_of(env: &TestEnv, dir: &Path, id: &str) -> String {
    let list: Vec<Value> =
        serde_json::from_str(&ok_as(env, dir, None, &["approvals", "--format", "json"])).unwrap();
    let a = list.iter().find(|a| a["id"] == id).expect("the approval");
    a["status"].as_str().unwrap().to_string()
}

#[test]
fn a_planted_decision_counts_only_after_a_person_accepts_its_folder() {
    let env = TestEnv::new();
    let repo = repo_with_agent(&env);
    let mut request = vec!["approval", "request"];
    request.extend_from_slice(&PUSH);
    let id = ok_as(&env, &repo, Some("worker-a"), &request);
    plant_decision(&env, &repo, &id);

    // Not counted: still pending, and the gate still asks.
    assert_eq!(status_of(&env, &repo, &id), "pending");
    let (code, d) = eval(&env, &repo, Some("worker-a"), &PUSH);
    assert_eq!(code, EXIT_REQUIRE_APPROVAL, "{d:#}");
    assert_eq!(d["decision"], "require_approval");
    // Nor by the low-level reader, nor by the SQL views reports read.
    assert!(env.query(&repo, &["--writer", PLANTED]).is_empty());
    let planted_rows = |env: &TestEnv| -> Value {
        let q = format!("SELECT count(*) AS n FROM events WHERE writer = '{PLANTED}'");
        let out = env
            .codexa(&repo)
            .args(["sql", "--format", "json", &q])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str::<Value>(&stdout(&out)).unwrap()[0]["n"].clone()
    };
    assert_eq!(planted_rows(&env), 0);

    // Reported, with the way out, by verify and doctor.
    let folder = env.store_dir(&repo).join("events").join(PLANTED);
    let (code, text) = env.verify(&repo);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("FAIL {}: foreign writer folder", folder.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!("codexa events accept {PLANTED}")),
        "{text}"
    );
    let (code, foreign) = env.doctor_finding(&repo, "events.foreign");
    assert_eq!(code, Some(1));
    assert_eq!(foreign["status"], "error");
    assert!(
        foreign["fix"]
            .as_str()
            .unwrap()
            .contains("codexa events accept")
    );

    // Agents may not accept, whichever way they say who they are.
    let out = run_as(
        &env,
        &repo,
        Some("worker-a"),
        &["events", "accept", PLANTED],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("may not accept"), "{}", stderr(&out));
    let out = env
        .codexa(&repo)
        .env("CODEXA_AGENT", "worker-a")
        .args(["events", "accept", PLANTED])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // An unknown folder is named, not accepted.
    let out = run_as(
        &env,
        &repo,
        None,
        &["events", "accept", "wr_01JNOSUCHFOLDER0000000000"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no writer folder"),
        "{}",
        stderr(&out)
    );
    assert!(env.query(&repo, &["--type", "writer.accepted"]).is_empty());
    assert_eq!(status_of(&env, &repo, &id), "pending");

    // A person accepts it: recorded, and from then on it counts.
    ok_as(
        &env,
        &repo,
        None,
        &["events", "accept", PLANTED, "--reason", "my other laptop"],
    );
    let accepted = env.query(&repo, &["--type", "writer.accepted"]);
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["actor"]["kind"], "user");
    assert_eq!(accepted[0]["data"]["writer"], PLANTED);
    assert_eq!(accepted[0]["data"]["seq"], 1);
    assert_eq!(accepted[0]["data"]["reason"], "my other laptop");
    assert_eq!(status_of(&env, &repo, &id), "approved");
    let (code, d) = eval(&env, &repo, Some("worker-a"), &PUSH);
    assert_eq!(code, 0, "{d:#}");
    assert_eq!(planted_rows(&env), 1);
    env.assert_verifies(&repo);

    // Accepting again records nothing more.
    let out = run_as(&env, &repo, None, &["events", "accept", PLANTED]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("already counts"), "{}", stderr(&out));
    assert_eq!(env.query(&repo, &["--type", "writer.accepted"]).len(), 1);
}

/// A planted idempotency key does not answer for a real event either.
#[test]
fn a_planted_idempotency_key_does_not_swallow_a_real_append() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let planted = envelope(
        &env,
        1,
        ("user", "Test User"),
        "note.added",
        ("note", "n"),
        json!({"planted": true}),
    );
    let mut planted = planted;
    planted["idempotency_key"] = json!("k-1");
    plant_chain(&env, &repo, PLANTED, &[planted]);
    let out = env
        .codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:n",
        ])
        .args(["--data", "{}", "--idempotency-key", "k-1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mine = env.query(&repo, &["--type", "note.added"]);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["writer"], env.writer_id(&repo).as_str());
}

/// `sync` never publishes a planted folder: the other clone never sees it.
#[test]
fn sync_does_not_publish_a_planted_folder() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let a = env.clone_of(&remote, "a");
    let b = env.clone_of(&remote, "b");
    let mine = env.append(&a, "note.added", "note:a", r#"{"n":1}"#);
    plant_chain(
        &env,
        &a,
        PLANTED,
        &[envelope(
            &env,
            1,
            ("user", "Test User"),
            "note.added",
            ("note", "p"),
            json!({}),
        )],
    );

    let out = env.codexa(&a).arg("sync").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "not published: events/{PLANTED} is a foreign writer folder"
        )),
        "{}",
        stderr(&out)
    );
    let tree = env.git(&remote, &["ls-tree", "-r", "--name-only", "codexa/state"]);
    assert!(!tree.contains(PLANTED), "{tree}");
    assert!(tree.contains(&env.writer_id(&a)), "{tree}");

    let out = env.codexa(&b).arg("sync").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!env.store_dir(&b).join("events").join(PLANTED).exists());
    assert!(env.ids(&b).contains(&mine));
    env.assert_verifies(&b);
    // What came through sync is not foreign in b.
    let (code, text) = env.verify(&b);
    assert_eq!(code, 0, "{text}");
    assert!(!stdout(&env.codexa(&b).arg("doctor").output().unwrap()).contains("events.foreign"));
}

/// Removing a planted folder (what doctor suggests when it is not yours)
/// leaves nothing to report, though the read index had seen it.
#[test]
fn a_removed_planted_folder_is_no_longer_reported() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    plant_chain(
        &env,
        &repo,
        PLANTED,
        &[envelope(
            &env,
            1,
            ("user", "Test User"),
            "note.added",
            ("note", "p"),
            json!({}),
        )],
    );
    assert_eq!(env.verify(&repo).0, 1);
    std::fs::remove_dir_all(env.store_dir(&repo).join("events").join(PLANTED)).unwrap();
    env.assert_verifies(&repo);
    assert_eq!(env.count(&repo), 1, "only the init event");
}

/// A copied clone takes a new writer id; the chains it wrote under its
/// earlier ids stay its own, however often it was copied, synced or not.
#[test]
fn chains_a_clone_wrote_before_it_was_copied_stay_its_own() {
    let env = TestEnv::new();
    let original = env.init_repo("original");
    env.append(&original, "note.added", "note:n", r#"{"n":0}"#);
    let mut from = original.clone();
    let mut writers = vec![env.writer_id(&original)];
    for name in ["copy1", "copy2"] {
        let copy = env.path(name);
        let cp = std::process::Command::new("cp")
            .arg("-r")
            .arg(&from)
            .arg(&copy)
            .status()
            .unwrap();
        assert!(cp.success());
        env.append(&copy, "note.added", "note:n", r#"{"n":1}"#);
        let id = env.writer_id(&copy);
        assert!(!writers.contains(&id), "the copy forked");
        writers.push(id);
        from = copy;
    }
    let (code, text) = env.verify(&from);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("foreign"), "{text}");
    let seen: std::collections::BTreeSet<String> = env
        .query(&from, &["--type", "note.added"])
        .iter()
        .map(|e| e["writer"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(seen.len(), 3, "notes of every id count: {seen:?}");
}
