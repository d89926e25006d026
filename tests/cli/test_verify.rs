//! `codexa events verify`: a healthy log, a crash's torn line and its
//! repair, tampering and deletion named by file and line.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{TestEnv, stderr, stdout};

/// A repository with the init event and `n` notes: `n + 1` lines.
fn log_with_notes(env: &TestEnv, n: usize) -> std::path::PathBuf {
    let repo = env.init_repo("repo");
    for i in 1..=n {
        env.append(&repo, "note.added", "note:n", &format!(r#"{{"i":{i}}}"#));
    }
    repo
}

fn verify_json(env: &TestEnv, repo: &std::path::Path) -> (i32, Value) {
    let out = env
        .codexa(repo)
        .args(["events", "verify", "--format", "json"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).expect("verify --format json prints JSON"),
    )
}

/// The byte count verify reports is the segment's size, which depends on
/// the temporary path (the init event records the store's path).
fn redact_size(env: &TestEnv, repo: &std::path::Path, text: &str) -> String {
    let len = std::fs::metadata(env.segment(repo)).unwrap().len();
    let sized = format!(" {len} bytes verified");
    assert!(text.contains(&sized), "expected{sized} in:\n{text}");
    env.redact(&text.replace(&sized, " [SEGMENT SIZE] bytes verified"))
}

#[test]
fn a_healthy_log_verifies() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 3);

    let out = env
        .codexa(&repo)
        .args(["events", "verify"])
        .output()
        .unwrap();

    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(redact_size(&env, &repo, &stdout(&out)), @r"
    [WRITER-1]: 4 events in 1 segment(s), seq 1..4
    ok: 4 events in 1 chain(s), [SEGMENT SIZE] bytes verified
    ");
    let (code, report) = verify_json(&env, &repo);
    assert_eq!(code, 0);
    assert_eq!(report["ok"], true);
    assert_eq!(report["events"], 4);
    assert_eq!(report["faults"], serde_json::json!([]));
}

/// A crash mid-write leaves a last line without its newline. verify names
/// it; the next append terminates it, records `log.repaired` naming segment,
/// line and sha256, and the log verifies again, the fragment kept as it was.
#[test]
fn a_torn_last_line_is_reported_then_repaired_by_the_next_append() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 4);
    let segment = env.segment(&repo);
    let mut bytes = std::fs::read(&segment).unwrap();
    assert_eq!(bytes.last(), Some(&b'\n'));
    bytes.truncate(bytes.len() - 40); // the newline and 39 bytes of the last event
    std::fs::write(&segment, &bytes).unwrap();
    let fragment = bytes[bytes.iter().rposition(|b| *b == b'\n').unwrap() + 1..].to_vec();
    let seg_path = segment.to_str().unwrap();

    let out = env
        .codexa(&repo)
        .args(["events", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("FAIL {seg_path} line 5: torn last line")),
        "{text}"
    );
    insta::assert_snapshot!(env.redact(&text), @r"
    FAIL [TMP]/repo/.git/codexa/events/[WRITER-1]/000001.jsonl line 5: torn last line: a write was cut off (crash?); the next append repairs it
    [WRITER-1]: stops being valid after seq 4 (see FAIL above)
    ");
    let (_, report) = verify_json(&env, &repo);
    assert_eq!(report["ok"], false);
    assert_eq!(report["faults"][0]["file"], seg_path);
    assert_eq!(report["faults"][0]["line"], 5);

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
        .args(["--data", r#"{"after":"crash"}"#])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("note: recorded log.repaired"),
        "{}",
        stderr(&out)
    );
    let new_id = stdout(&out).trim().to_string();

    let repairs = env.query(&repo, &["--type", "log.repaired"]);
    assert_eq!(repairs.len(), 1);
    let data = &repairs[0]["data"];
    assert_eq!(data["segment"], "000001.jsonl");
    assert_eq!(data["line"], 5);
    assert_eq!(data["bytes"], fragment.len());
    assert_eq!(
        data["sha256"],
        format!("sha256:{}", hex::encode(Sha256::digest(&fragment)))
    );
    assert_eq!(repairs[0]["seq"], 5, "the torn event never counted");

    // The fragment stays, terminated, as line 5; repair and the new event follow.
    let text = std::fs::read_to_string(&segment).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[4].as_bytes(), &fragment[..]);
    assert!(text.ends_with('\n'));
    let last: Value = serde_json::from_str(lines[6]).unwrap();
    assert_eq!(last["id"], new_id.as_str());
    assert_eq!(last["seq"], 6);
    assert_eq!(last["prev"], repairs[0]["hash"]);

    let out = env
        .codexa(&repo)
        .args(["events", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    insta::assert_snapshot!(redact_size(&env, &repo, &stdout(&out)), @r"
    [WRITER-1]: 6 events in 1 segment(s), seq 1..6, 1 repaired crash fragment(s)
    ok: 6 events in 1 chain(s), [SEGMENT SIZE] bytes verified
    ");
    // Queries skip the fragment.
    assert_eq!(env.count(&repo), 6);
}

/// A repair interrupted between its two writes leaves the fragment
/// terminated but unnamed: the next append still names it.
#[test]
fn a_terminated_but_unnamed_fragment_is_repaired_too() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 2);
    let segment = env.segment(&repo);
    let mut bytes = std::fs::read(&segment).unwrap();
    bytes.truncate(bytes.len() - 30);
    bytes.push(b'\n');
    std::fs::write(&segment, &bytes).unwrap();

    let (code, text) = env.verify(&repo);
    assert_eq!(code, 1);
    assert!(
        text.contains("line 3: line is not a valid event and no repair event names it"),
        "{text}"
    );

    env.append(&repo, "note.added", "note:n", "{}");
    let repairs = env.query(&repo, &["--type", "log.repaired"]);
    assert_eq!(repairs.len(), 1);
    assert_eq!(repairs[0]["data"]["line"], 3);
    let lines = std::fs::read_to_string(&segment).unwrap().lines().count();
    assert_eq!(lines, 5, "no extra newline: fragment, repair, new event");
    env.assert_verifies(&repo);
}

/// One changed byte in the data of an old line: verify names exactly that
/// line, in text and in JSON, and the append after it does not hide it.
#[test]
fn a_tampered_old_line_is_named_exactly() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 5);
    let segment = env.segment(&repo);
    let text = std::fs::read_to_string(&segment).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 6);
    // Line 3 holds {"i":2}; make it {"i":7} (same length, still valid JSON).
    assert!(lines[2].contains(r#""data":{"i":2}"#), "{}", lines[2]);
    lines[2] = lines[2].replace(r#""data":{"i":2}"#, r#""data":{"i":7}"#);
    std::fs::write(&segment, lines.join("\n") + "\n").unwrap();
    let seg_path = segment.to_str().unwrap();

    let out = env
        .codexa(&repo)
        .args(["events", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "FAIL {seg_path} line 3: hash does not match the event's content (altered)\n"
        )),
        "{text}"
    );
    let fails = text.lines().filter(|l| l.starts_with("FAIL")).count();
    assert_eq!(fails, 1, "{text}");
    assert!(stderr(&out).contains("hint:"), "{}", stderr(&out));

    let (code, report) = verify_json(&env, &repo);
    assert_eq!(code, 1);
    assert_eq!(report["ok"], false);
    let faults = report["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 1, "{report}");
    assert_eq!(faults[0]["line"], 3);
    assert_eq!(faults[0]["file"], seg_path);
    assert_eq!(faults[0]["writer"], env.writer_id(&repo).as_str());

    // Appending more does not launder it.
    env.append(&repo, "note.added", "note:n", "{}");
    let (code, report) = verify_json(&env, &repo);
    assert_eq!(code, 1);
    assert_eq!(report["faults"][0]["line"], 3);
}

#[test]
fn a_deleted_line_is_a_seq_gap_at_that_line() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 4);
    let segment = env.segment(&repo);
    let text = std::fs::read_to_string(&segment).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(2);
    std::fs::write(&segment, lines.join("\n") + "\n").unwrap();

    let (code, report) = verify_json(&env, &repo);

    assert_eq!(code, 1);
    assert_eq!(report["faults"][0]["line"], 3);
    assert_eq!(
        report["faults"][0]["message"],
        "seq 4 where 3 was expected (a gap or a repeat)"
    );
}

#[test]
fn verify_without_a_store_has_nothing_to_check() {
    let env = TestEnv::new();
    let repo = env.repo("repo");
    let (code, text) = env.verify(&repo);
    assert_eq!(code, 0, "{text}");
    assert!(!repo.join(".git/codexa").exists());
}

/// A crash during a repair leaves two fragments: the first (terminated,
/// unnamed) and the repair event's own torn line. Each gets its own
/// `log.repaired`, and the log verifies.
#[test]
fn regression_a_crash_during_a_repair_leaves_two_fragments_both_named() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 3);
    let seg = env.segment(&repo);
    let mut bytes = std::fs::read(&seg).unwrap();
    bytes.extend_from_slice(b"{\"v\":1,\"id\":\"evt_cut\n{\"v\":1,\"id\":\"evt_cut_again");
    std::fs::write(&seg, &bytes).unwrap();
    assert_eq!(env.verify(&repo).0, 1);
    env.append(&repo, "note.added", "note:n", r#"{"after":true}"#);
    env.assert_verifies(&repo);
    let repairs = env.query(&repo, &["--type", "log.repaired"]);
    let lines: Vec<u64> = repairs
        .iter()
        .map(|e| e["data"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![5, 6]);
}

/// A crash that lost only the final newline leaves a whole, linked event: it
/// is kept as the event it is, not named as a fragment.
#[test]
fn regression_an_event_that_lost_only_its_newline_is_adopted() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 3);
    let before = env.count(&repo);
    let seg = env.segment(&repo);
    let mut bytes = std::fs::read(&seg).unwrap();
    assert_eq!(bytes.pop(), Some(b'\n'));
    std::fs::write(&seg, &bytes).unwrap();
    env.append(&repo, "note.added", "note:n", r#"{"after":true}"#);
    env.assert_verifies(&repo);
    assert_eq!(env.count(&repo), before + 1);
    assert!(env.query(&repo, &["--type", "log.repaired"]).is_empty());
}

/// Cutting whole events off the end of a chain leaves a valid chain; the
/// published `codexa/state` is what shows they existed.
#[test]
fn events_removed_after_sync_are_caught_against_codexa_state() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 3);
    env.codexa(&repo).arg("sync").assert().success();
    env.assert_verifies(&repo);
    let seg = env.segment(&repo);
    let text = std::fs::read_to_string(&seg).unwrap();
    let kept: Vec<&str> = text.lines().take(2).collect();
    std::fs::write(&seg, format!("{}\n", kept.join("\n"))).unwrap();
    let (code, out) = env.verify(&repo);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("codexa/state published"), "{out}");
}
