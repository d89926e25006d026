//! `codexa events append|import|query|show|tail` and the read index.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{TestEnv, json_lines, state_of, stderr, stdout};

/// Under the test clock and seed the whole log is a function of the inputs:
/// only the temporary path and what derives from it (writer id, hence event
/// ids and hashes) are redacted.
#[test]
fn query_output_is_deterministic() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    env.codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "task.created",
            "--stream",
            "thread:th_1",
            "--actor",
            "agent:worker-a",
            "--correlation-id",
            "corr-1",
            "--data",
            r#"{"title":"Plan the release","tags":["b","a"]}"#,
        ])
        .assert()
        .success();
    env.codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "note.posted",
            "--stream",
            "thread:th_1",
            "--actor",
            "user:alice",
            "--idempotency-key",
            "msg-1",
            "--data",
            r#"{"text":"héllo","n":1.5}"#,
        ])
        .assert()
        .success();

    let out = env
        .codexa(&repo)
        .args(["events", "query"])
        .output()
        .unwrap();
    insta::assert_snapshot!(env.command_output(&out), @r#"
    {"actor":{"id":"codexa","kind":"service"},"causation_id":null,"correlation_id":null,"data":{"created":[".codexa/config.yaml",".codexa/policy.yaml"],"store":"[TMP]/repo/.git/codexa","writer":"[WRITER-1]"},"hash":"[SHA-1]","id":"[EVT-1]","idempotency_key":null,"prev":null,"provenance":{"config":"[SHA-2]"},"seq":1,"stream":{"id":"[WRITER-1]","type":"workspace"},"ts":"2026-01-01T00:00:00.000Z","type":"workspace.initialized","v":1,"writer":"[WRITER-1]"}
    {"actor":{"id":"worker-a","kind":"agent"},"causation_id":null,"correlation_id":"corr-1","data":{"tags":["b","a"],"title":"Plan the release"},"hash":"[SHA-3]","id":"[EVT-2]","idempotency_key":null,"prev":"[SHA-1]","provenance":{"config":"[SHA-2]"},"seq":2,"stream":{"id":"th_1","type":"thread"},"ts":"2026-01-01T00:00:01.000Z","type":"task.created","v":1,"writer":"[WRITER-1]"}
    {"actor":{"id":"alice","kind":"user"},"causation_id":null,"correlation_id":null,"data":{"n":1.5,"text":"héllo"},"hash":"[SHA-4]","id":"[EVT-3]","idempotency_key":"msg-1","prev":"[SHA-3]","provenance":{"config":"[SHA-2]"},"seq":3,"stream":{"id":"th_1","type":"thread"},"ts":"2026-01-01T00:00:02.000Z","type":"note.posted","v":1,"writer":"[WRITER-1]"}
    "#);

    let text = env.run(
        &repo,
        &[
            "events",
            "query",
            "--format",
            "text",
            "--stream",
            "thread:th_1",
        ],
    );
    insta::assert_snapshot!(text, @r"
         2  2026-01-01T00:00:01.000Z  task.created             thread:th_1                  agent:worker-a
         3  2026-01-01T00:00:02.000Z  note.posted              thread:th_1                  user:alice
    ");

    let stored = std::fs::read_to_string(env.segment(&repo)).unwrap();
    assert_eq!(
        stored,
        stdout(&out),
        "query prints the stored lines as they are"
    );
}

#[test]
fn append_prints_the_id_and_json_format_prints_the_line() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");

    let id = env.append(&repo, "note.added", "note:n1", r#"{"text":"one"}"#);
    let out = env
        .codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:n2",
            "--data",
            r#"{"text":"two"}"#,
            "--format",
            "json",
        ])
        .output()
        .unwrap();

    assert!(out.status.success());
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["seq"], 3);
    // Stamped with the test clock's time for this command.
    assert_eq!(line["ts"], env.now_ts());
    assert_eq!(line["data"], json!({"text": "two"}));
    assert_eq!(line["actor"], json!({"kind": "user", "id": "Test User"}));
    let events = env.query(&repo, &[]);
    assert_eq!(events[1]["id"], id.as_str());
    assert_eq!(events[2], line);
    assert_eq!(events[2]["prev"], events[1]["hash"]);
}

#[test]
fn append_reads_data_from_a_file_and_from_stdin() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let file = env.path("data.json");
    std::fs::write(&file, r#"{"from":"file"}"#).unwrap();

    env.codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:f",
        ])
        .arg(format!("--data=@{}", file.display()))
        .assert()
        .success();
    env.codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:s",
            "--data",
            "-",
        ])
        .write_stdin(r#"{"from":"stdin"}"#)
        .assert()
        .success();

    let data: Vec<Value> = env
        .query(&repo, &["--type", "note.added"])
        .into_iter()
        .map(|e| e["data"].clone())
        .collect();
    assert_eq!(
        data,
        vec![json!({"from": "file"}), json!({"from": "stdin"})]
    );
}

#[test]
fn the_same_idempotency_key_twice_appends_one_event() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let append = || {
        env.codexa(&repo)
            .args([
                "events",
                "append",
                "--type",
                "note.added",
                "--stream",
                "note:n1",
                "--idempotency-key",
                "retry-me",
                "--data",
                r#"{"text":"once"}"#,
            ])
            .output()
            .unwrap()
    };

    let first = append();
    let second = append();

    assert!(first.status.success() && second.status.success());
    assert_eq!(stdout(&first), stdout(&second));
    assert!(
        stderr(&second).contains("already recorded under this idempotency key; nothing appended"),
        "{}",
        stderr(&second)
    );
    let notes = env.query(&repo, &["--type", "note.added"]);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["id"], stdout(&first).trim());
    assert_eq!(env.count(&repo), 2);
}

#[test]
fn import_with_a_repeated_key_appends_it_once() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let file = env.path("events.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"type":"note.added","stream":"note:n1","data":{"i":1},"idempotency_key":"k1"}"#,
            r#"{"type":"note.added","stream":"note:n1","data":{"i":2},"idempotency_key":"k1"}"#,
            r#"{"type":"note.added","stream":{"type":"note","id":"n2"},"data":{"i":3},"actor":"agent:bot"}"#,
            "",
        ]
        .join("\n"),
    )
    .unwrap();

    let out = env.run(&repo, &["events", "import", file.to_str().unwrap()]);
    insta::assert_snapshot!(out, @"imported 2 events (1 already recorded)");

    let notes = env.query(&repo, &["--type", "note.added"]);
    let data: Vec<Value> = notes.iter().map(|e| e["data"].clone()).collect();
    assert_eq!(data, vec![json!({"i": 1}), json!({"i": 3})]);
    assert_eq!(notes[1]["actor"], json!({"kind": "agent", "id": "bot"}));

    // Importing the same file again appends nothing: every key is known,
    // and the line without a key is new again.
    let again = env
        .codexa(&repo)
        .args(["events", "import", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["lines"], 3);
    assert_eq!(report["appended"], 1);
    assert_eq!(report["existing"], 2);
    assert_eq!(env.count(&repo), 4);
}

#[test]
fn import_with_a_bad_line_names_it_and_appends_nothing() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let file = env.path("bad.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"type":"note.added","stream":"note:n1","data":{"i":1}}"#,
            r#"{"type":"note.added","stream":"note:n1","data":{"i":2}}"#,
            r#"{"type":"note.added","stream":"note:n1","data":{"i":3}"#,
            r#"{"type":"note.added","stream":"note:n1","data":{"i":4}}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let before = state_of(&env, &repo);

    let out = env.run(&repo, &["events", "import", file.to_str().unwrap()]);

    insta::assert_snapshot!(out, @r#"
    [stderr]
    Error: [TMP]/bad.jsonl line 3: EOF while parsing an object at line 1 column 54
    Hint: each line is {"type": …, "stream": "TYPE:ID", "data": {…}}; nothing was imported
    [exit status: 1]
    "#);
    assert_eq!(env.count(&repo), 1);
    assert_eq!(state_of(&env, &repo), before);

    // A line with a bad stream is refused the same way, from stdin.
    let out = env
        .codexa(&repo)
        .args(["events", "import", "-"])
        .write_stdin(
            "{\"type\":\"note.added\",\"stream\":\"note:n1\",\"data\":{}}\n\
             {\"type\":\"note.added\",\"stream\":\"no-id\",\"data\":{}}\n",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("stdin line 2: "), "{}", stderr(&out));
    assert_eq!(state_of(&env, &repo), before);
}

/// Six events on known streams, types and actors, each appended a step of
/// the test clock after the last, so that `(ts, id)` order is append order.
fn filter_fixture(env: &TestEnv) -> (std::path::PathBuf, Vec<String>) {
    let repo = env.init_repo("repo");
    let mut ids = Vec::new();
    for (kind, stream, actor, corr) in [
        ("note.added", "note:a", "user:alice", None),
        ("note.added", "note:b", "agent:bot", Some("c1")),
        ("note.edited", "note:a", "user:alice", Some("c1")),
        ("notebook.opened", "notebook:x", "user:alice", None),
        ("task.created", "task:t1", "agent:bot", None),
        ("note.added", "note:a", "agent:bot", None),
    ] {
        let mut cmd = env.codexa(&repo);
        cmd.args(["events", "append", "--type", kind, "--stream", stream])
            .args(["--actor", actor, "--data", "{}"]);
        if let Some(c) = corr {
            cmd.args(["--correlation-id", c]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        ids.push(stdout(&out).trim().to_string());
    }
    (repo, ids)
}

fn ids_of(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn query_filters() {
    let env = TestEnv::new();
    let (repo, ids) = filter_fixture(&env);
    let q = |args: &[&str]| ids_of(&env.query(&repo, args));
    let pick = |which: &[usize]| which.iter().map(|i| ids[*i].clone()).collect::<Vec<_>>();

    // Oldest first: the init event, then the six in order.
    assert_eq!(q(&[])[1..], ids[..]);
    assert_eq!(q(&["--type", "note.added"]), pick(&[0, 1, 5]));
    // A prefix ends in `*` and matches by prefix only: `note.*` is not
    // `notebook.opened`.
    assert_eq!(q(&["--type", "note.*"]), pick(&[0, 1, 2, 5]));
    assert_eq!(q(&["--type", "note*"]), pick(&[0, 1, 2, 3, 5]));
    assert_eq!(q(&["--stream", "note:a"]), pick(&[0, 2, 5]));
    assert_eq!(q(&["--stream", "note"]), pick(&[0, 1, 2, 5]));
    assert_eq!(q(&["--actor", "agent:bot"]), pick(&[1, 4, 5]));
    assert_eq!(q(&["--actor", "alice"]), pick(&[0, 2, 3]));
    assert_eq!(q(&["--correlation-id", "c1"]), pick(&[1, 2]));
    assert_eq!(q(&["--limit", "2"]), ids_of(&env.query(&repo, &[]))[..2]);
    assert_eq!(q(&["--type", "note.*", "--limit", "3"]), pick(&[0, 1, 2]));
    // seq: init is 1, so the fourth appended event has seq 5.
    assert_eq!(q(&["--from-seq", "5"]), pick(&[3, 4, 5]));
    assert_eq!(q(&["--from-seq", "5", "--stream", "note:a"]), pick(&[5]));
    let writer = env.writer_id(&repo);
    assert_eq!(q(&["--writer", &writer]).len(), 7);
    assert_eq!(q(&["--writer", "wr_00000000000000000000000000"]).len(), 0);
    assert_eq!(q(&["--since", "2000-01-01"]).len(), 7);
    assert_eq!(q(&["--until", "2000-01-01"]).len(), 0);
    assert_eq!(q(&["--since", "1h"]).len(), 7);
    // The init ran at the test clock's start, the six a second apart after it.
    assert_eq!(q(&["--since", "2026-01-01T00:00:04Z"]), pick(&[3, 4, 5]));
    assert_eq!(q(&["--until", "2026-01-01T00:00:03Z"])[1..], pick(&[0, 1]));
    assert_eq!(q(&["--type", "nothing.here"]).len(), 0);

    let bad = env
        .codexa(&repo)
        .args(["events", "query", "--since", "yesterday-ish"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("--since: "), "{}", stderr(&bad));
}

#[test]
fn show_finds_an_event_and_an_unknown_id_fails_with_a_hint() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let id = env.append(&repo, "note.added", "note:n1", r#"{"text":"find me"}"#);
    env.append(&repo, "note.added", "note:n2", r#"{"text":"not me"}"#);

    let text = env
        .codexa(&repo)
        .args(["events", "show", &id])
        .output()
        .unwrap();
    assert!(text.status.success());
    let shown: Value = serde_json::from_slice(&text.stdout).unwrap();
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["data"]["text"], "find me");

    let json = env
        .codexa(&repo)
        .args(["events", "show", &id, "--format", "json"])
        .output()
        .unwrap();
    let stored = std::fs::read_to_string(env.segment(&repo)).unwrap();
    assert_eq!(
        stdout(&json),
        format!("{}\n", stored.lines().nth(1).unwrap())
    );

    let missing = env.run(&repo, &["events", "show", "evt_01KDVDNA0000000000000000"]);
    insta::assert_snapshot!(missing, @r"
    [stderr]
    Error: no event with id `evt_01KDVDNA0000000000000000`
    Hint: list ids with `codexa events query --limit 20`
    [exit status: 1]
    ");
}

#[test]
fn tail_prints_the_latest_events_oldest_first() {
    let env = TestEnv::new();
    let (repo, ids) = filter_fixture(&env);

    let tail = |args: &[&str]| {
        let out = env
            .codexa(&repo)
            .args(["events", "tail"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        ids_of(&json_lines(&stdout(&out)))
    };

    assert_eq!(tail(&["-n", "2"]), ids[4..]);
    assert_eq!(tail(&["-n", "0"]), Vec::<String>::new());
    assert_eq!(
        tail(&["-n", "2", "--type", "note.added"]),
        [ids[1].clone(), ids[5].clone()]
    );
    assert_eq!(tail(&["--from-seq", "6"]), ids[4..]);
    // Ten by default: all seven here.
    assert_eq!(tail(&[]).len(), 7);
}

/// A follower sees an event another process appends. The follower may not
/// have taken its starting point yet when the test first appends, so warm-up
/// events are appended until one arrives; the event under test is appended
/// only after that and must arrive within 2 seconds.
#[test]
fn tail_follow_prints_events_appended_by_another_process() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let mut child = env
        .std_codexa(&repo)
        .args(["events", "tail", "--follow", "-n", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel::<Value>();
    let reader = BufReader::new(child.stdout.take().unwrap());
    let reading = std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                break;
            }
        }
    });

    let start = Instant::now();
    let first = loop {
        env.append(&repo, "warmup.ping", "test:tail", "{}");
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(500)) {
            break e;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the follower printed nothing in 30 s"
        );
    };
    assert_eq!(first["type"], "warmup.ping");

    let id = env.append(&repo, "note.added", "note:followed", r#"{"x":1}"#);
    let sent = Instant::now();
    let arrived = loop {
        let left = Duration::from_secs(2).saturating_sub(sent.elapsed());
        match rx.recv_timeout(left) {
            Ok(e) if e["id"] == id.as_str() => break e,
            Ok(e) => assert_eq!(e["type"], "warmup.ping", "unexpected {e}"),
            Err(_) => panic!("the followed event did not arrive within 2 s"),
        }
    };
    assert_eq!(arrived["data"], json!({"x": 1}));

    child.kill().unwrap();
    child.wait().unwrap();
    reading.join().unwrap();
}

#[test]
fn a_deleted_cache_is_rebuilt_and_index_rebuild_prints_the_count() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    for i in 0..5 {
        env.append(&repo, "note.added", "note:n", &format!(r#"{{"i":{i}}}"#));
    }
    let all = env.query(&repo, &[]);
    assert_eq!(all.len(), 6);
    let cache = env.store_dir(&repo).join("cache");
    assert!(cache.join("index.sqlite").is_file());

    std::fs::remove_dir_all(&cache).unwrap();
    assert_eq!(env.query(&repo, &[]), all);
    assert!(
        cache.join("index.sqlite").is_file(),
        "query rebuilt the index"
    );
    let id = all[3]["id"].as_str().unwrap();
    std::fs::remove_dir_all(&cache).unwrap();
    env.codexa(&repo)
        .args(["events", "show", id])
        .assert()
        .success();

    let out = env
        .codexa(&repo)
        .args(["index", "rebuild"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("indexed 6 events in "), "{text}");

    // A corrupt index is a cache, not an error.
    std::fs::write(cache.join("index.sqlite"), b"not a database").unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(cache.join(format!("index.sqlite{suffix}")));
    }
    assert_eq!(env.query(&repo, &[]), all);

    let json = env
        .codexa(&repo)
        .args(["index", "rebuild", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["events"], 6);
}

#[test]
fn query_of_a_repository_without_a_store_prints_nothing() {
    let env = TestEnv::new();
    let repo = env.repo("repo");
    let out = env.run(&repo, &["events", "query"]);
    insta::assert_snapshot!(out, @"");
    assert!(!repo.join(".git/codexa").exists());
    let ids: BTreeSet<String> = env.ids(&repo).into_iter().collect();
    assert!(ids.is_empty());
}

/// Regression: events of one writer that share a millisecond (an import, a
/// frozen clock) read back shuffled, because queries sort by `(ts, id)` and
/// ids were random within the millisecond. Ids are now monotonic.
#[test]
fn regression_events_of_one_millisecond_read_back_in_seq_order() {
    let env = TestEnv::real_clock();
    let repo = env.init_repo("repo");
    let lines: String = (0..300)
        .map(|i| {
            format!("{{\"type\":\"bulk.item\",\"stream\":\"bulk:b\",\"data\":{{\"i\":{i}}}}}\n")
        })
        .collect();
    env.codexa(&repo)
        .args(["events", "import", "-"])
        .write_stdin(lines)
        .assert()
        .success();

    let events = env.query(&repo, &[]);
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=301).collect::<Vec<_>>());
    let shared_ms = events
        .windows(2)
        .filter(|w| w[0]["ts"] == w[1]["ts"])
        .count();
    assert!(
        shared_ms > 0,
        "the import should put several events in one millisecond"
    );
}

/// The index reads only the segments that can still change; when the last
/// one shrinks (a log cut back by hand or restored), it starts over from
/// every segment, sealed ones included.
#[test]
fn regression_a_shrunk_last_segment_reindexes_every_segment() {
    let env = TestEnv::real_clock();
    let repo = env.init_repo("repo");
    std::fs::write(
        repo.join(".codexa/config.yaml"),
        "version: 1\nstore:\n  segment_max_bytes: 65536\n",
    )
    .unwrap();
    env.import_notes(&repo, 300, 400);
    assert_eq!(env.count(&repo), 301);
    let dir = env
        .store_dir(&repo)
        .join("events")
        .join(env.writer_id(&repo));
    let mut segments: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    segments.sort();
    assert!(segments.len() >= 3);
    let last = segments.last().unwrap();
    let text = std::fs::read_to_string(last).unwrap();
    let mut kept: Vec<&str> = text.lines().collect();
    kept.pop();
    std::fs::write(last, format!("{}\n", kept.join("\n"))).unwrap();
    assert_eq!(env.count(&repo), 300);
}

/// The index is a cache written without fsync: a row that points at the
/// wrong line (as a power loss could leave) is refused, not printed, and
/// the next command answers from a rebuilt index.
#[test]
fn regression_a_stale_index_row_is_refused_and_the_index_rebuilt() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let a = env.append(&repo, "note.added", "note:a", r#"{"n":"a"}"#);
    env.append(&repo, "note.added", "note:b", r#"{"n":"b"}"#);
    assert_eq!(env.query(&repo, &["--stream", "note:a"]).len(), 1);
    let db = env.store_dir(&repo).join("cache").join("index.sqlite");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        // Point note:a's row at note:b's line.
        conn.execute(
            "UPDATE events SET offset = (SELECT offset FROM events WHERE stream_id = 'b'),
                               len = (SELECT len FROM events WHERE stream_id = 'b')
             WHERE stream_id = 'a'",
            [],
        )
        .unwrap();
    }
    let out = env
        .codexa(&repo)
        .args(["events", "query", "--stream", "note:a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("did not match the event log"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty(), "a wrong answer was printed");
    let again = env.query(&repo, &["--stream", "note:a"]);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["id"], a.as_str());
}

/// Found in review: `events append` took idempotency keys in codexa's own
/// namespaces, so a script (or an agent) could record an event under the
/// key an approval request would use next; the request then found "its"
/// event already there and opened nothing. Such keys are refused by
/// `append` and `import`, with a hint; keys of one's own still work.
#[test]
fn regression_codexas_own_idempotency_keys_are_refused() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    env.codexa(&repo)
        .args([
            "approval",
            "request",
            "--action",
            "git.push",
            "--subject",
            "shop@main",
        ])
        .assert()
        .success();
    let requested = env.query(&repo, &["--type", "approval.requested"]);
    let real_key = requested[0]["idempotency_key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(real_key.starts_with("approval.requested:"), "{real_key}");
    let before = state_of(&env, &repo);
    for key in [
        real_key.as_str(),
        "approval.requested:git.push:other@main",
        "report.governance:x",
        "seed:th_1:p:c",
    ] {
        let out = env
            .codexa(&repo)
            .args([
                "events",
                "append",
                "--type",
                "note.added",
                "--stream",
                "note:1",
            ])
            .args(["--data", "{}", "--idempotency-key", key])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{key}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains("codexa's own namespace"), "{err}");
        assert!(err.contains("Hint:"), "{err}");
        let line =
            json!({"type": "note.added", "stream": "note:1", "data": {}, "idempotency_key": key});
        let out = env
            .codexa(&repo)
            .args(["events", "import", "-"])
            .write_stdin(format!("{line}\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{key}: {}", stdout(&out));
        assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("codexa's own namespace"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(state_of(&env, &repo), before, "a refusal changed the store");
    env.codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:1",
        ])
        .args([
            "--data",
            "{}",
            "--idempotency-key",
            "mytool:approval.requested:1",
        ])
        .assert()
        .success();
}
