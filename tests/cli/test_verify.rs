//! `codexa events verify`: a healthy log, a crash's torn line and its
//! repair, tampering and deletion named by file and line, and a damaged end
//! of the chain (a complete line that is not an event, an altered last
//! line, lines cut off, the newest segment deleted), which verify names and
//! appends refuse.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{TestEnv, extend_config, stderr, stdout};

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

    let out = env.run(&repo, &["events", "verify"]);

    insta::assert_snapshot!(redact_size(&env, &repo, &out.to_string()), @r"
    [WRITER-1]: 4 events in 1 segment(s), seq 1..4
    ok: 4 events in 1 chain(s), [SEGMENT SIZE] bytes verified
    ");
    let (code, report) = verify_json(&env, &repo);
    assert_eq!(code, 0);
    assert_eq!(report["ok"], true);
    assert_eq!(report["events"], 4);
    assert_eq!(report["faults"], serde_json::json!([]));
}

/// What a crash in the middle of the next append would leave: the start
/// of a line like the last one, without its newline.
fn tear_a_write_onto(segment: &std::path::Path) -> Vec<u8> {
    let mut bytes = std::fs::read(segment).unwrap();
    assert_eq!(bytes.last(), Some(&b'\n'));
    let start = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let fragment = bytes[start..bytes.len() - 40].to_vec();
    bytes.extend_from_slice(&fragment);
    std::fs::write(segment, &bytes).unwrap();
    fragment
}

/// A crash mid-write leaves a last line without its newline. verify names
/// it; the next append terminates it, records `log.repaired` naming segment,
/// line and sha256, and the log verifies again, the fragment kept as it was.
#[test]
fn a_torn_last_line_is_reported_then_repaired_by_the_next_append() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 3);
    let segment = env.segment(&repo);
    let fragment = tear_a_write_onto(&segment);
    let seg_path = segment.to_str().unwrap();

    let out = env
        .codexa(&repo)
        .args(["events", "verify"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("FAIL {seg_path} line 5: torn last line")),
        "{text}"
    );
    insta::assert_snapshot!(env.command_output(&out), @"
    FAIL [TMP]/repo/.git/codexa/events/[WRITER-1]/000001.jsonl line 5: torn last line: a write was cut off (crash?); the next append repairs it
    [WRITER-1]: stops being valid after seq 4 (see FAIL above)
    [stderr]
    hint: a changed or missing line cannot be repaired here: restore the store from a clone or `git show codexa/state:events/…`; `codexa doctor` says how to recover
    [exit status: 1]
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
    assert_eq!(repairs[0]["seq"], 5, "the torn write never counted");

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

    let out = env.run(&repo, &["events", "verify"]);
    insta::assert_snapshot!(redact_size(&env, &repo, &out.to_string()), @r"
    [WRITER-1]: 6 events in 1 segment(s), seq 1..6, 1 repaired crash fragment(s)
    ok: 6 events in 1 chain(s), [SEGMENT SIZE] bytes verified
    ");
    // Queries skip the fragment.
    assert_eq!(env.count(&repo), 6);
}

/// What `events append` does to a damaged chain: refuses, names the place
/// and says what to do, and changes nothing on disk.
fn assert_append_refused(env: &TestEnv, repo: &std::path::Path, expect: &str) {
    let before = crate::common::state_of(env, repo);
    let out = env
        .codexa(repo)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:n",
        ])
        .args(["--data", "{}"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("event chain is damaged"), "{err}");
    assert!(err.contains(expect), "expected {expect:?} in:\n{err}");
    assert!(
        err.contains("Hint:") && err.contains("codexa doctor"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
    assert_eq!(
        crate::common::state_of(env, repo),
        before,
        "nothing written"
    );
}

/// A complete line (it has its newline) that is not an event is not what a
/// crash leaves: it is damage, named by verify and refused by append, not
/// "repaired" away.
#[test]
fn regression_a_complete_garbage_last_line_is_damage_not_a_crash() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 2);
    let segment = env.segment(&repo);
    let mut bytes = std::fs::read(&segment).unwrap();
    bytes.extend_from_slice(b"{\"planted\": true}\n");
    std::fs::write(&segment, &bytes).unwrap();

    let (code, text) = env.verify(&repo);
    assert_eq!(code, 1);
    assert!(
        text.contains("line 4: line is not a valid event and no repair event names it"),
        "{text}"
    );
    assert_append_refused(
        &env,
        &repo,
        &format!("{} line 4: a complete line", segment.display()),
    );
    assert!(env.query(&repo, &["--type", "log.repaired"]).is_empty());
}

/// A last line whose hash does not match its content was altered after it
/// was written; the old code linked the next append onto it.
#[test]
fn regression_an_altered_last_line_is_refused() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 2);
    let segment = env.segment(&repo);
    let text = std::fs::read_to_string(&segment).unwrap();
    assert!(text.contains(r#""data":{"i":2}"#));
    std::fs::write(
        &segment,
        text.replace(r#""data":{"i":2}"#, r#""data":{"i":9}"#),
    )
    .unwrap();

    let (code, out) = env.verify(&repo);
    assert_eq!(code, 1);
    assert!(out.contains("line 3: hash does not match"), "{out}");
    assert_append_refused(&env, &repo, "line 3: the last event's hash does not match");
}

/// A person accepts this clone's chain as it now ends; the
/// `writer.accepted` events so far.
fn accept_own_end(env: &TestEnv, repo: &std::path::Path, reason: &str) -> Vec<Value> {
    let writer = env.writer_id(repo);
    let out = env
        .codexa(repo)
        .args(["events", "accept", &writer, "--reason", reason])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    env.query(repo, &["--type", "writer.accepted"])
}

/// Whole lines cut off the end leave a valid but shorter chain; the head
/// record beside writer.json knows what was appended.
#[test]
fn regression_a_chain_cut_at_a_line_boundary_is_refused() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 3);
    env.keep_first_lines(&repo, 2);

    let (code, out) = env.verify(&repo);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the chain ends at seq 2, but this clone appended up to seq 4"),
        "{out}"
    );
    assert_append_refused(&env, &repo, "its newest lines were removed");

    // A person who knows the lines are gone for good accepts the end as it
    // is; appends go on from there, and the record says what was lost.
    let accepted = accept_own_end(&env, &repo, "lost in a restore");
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["seq"], 3);
    assert_eq!(accepted[0]["data"]["seq"], 2);
    assert_eq!(accepted[0]["data"]["lost"]["seq"], 4);
    env.append(&repo, "note.added", "note:n", "{}");
    env.assert_verifies(&repo);
}

/// Emptying the head record, or putting anything but one in its place,
/// does not switch off the check for a cut chain: verify names it, appends
/// are refused (at once, even for a FIFO), and a person accepts the end.
#[test]
fn regression_an_emptied_head_record_is_damage_not_forgotten() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 3);
    env.keep_first_lines(&repo, 2);
    let head = repo.join(".git/codexa/head.json");
    std::fs::write(&head, "").unwrap();

    let (code, out) = env.verify(&repo);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("head record does not hold a head record"),
        "{out}"
    );
    assert_append_refused(&env, &repo, "does not hold a head record");

    // A symlink to a record elsewhere is not followed.
    std::fs::remove_file(&head).unwrap();
    let elsewhere = env.root().join("elsewhere.json");
    std::fs::write(&elsewhere, "{}").unwrap();
    std::os::unix::fs::symlink(&elsewhere, &head).unwrap();
    assert_append_refused(&env, &repo, "cannot be opened as a file");

    let accepted = accept_own_end(&env, &repo, "looked");
    assert_eq!(accepted[0]["data"]["seq"], 2);
    let why = accepted[0]["data"]["head_unreadable"].as_str().unwrap();
    assert!(why.starts_with("cannot be opened as a file"), "{why}");
    env.append(&repo, "note.added", "note:n", "{}");
    env.assert_verifies(&repo);
}

/// Deleting the newest segment leaves a valid chain of the older ones.
#[test]
fn regression_a_deleted_newest_segment_is_refused() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(&repo, "store:\n  segment_max_bytes: 65536\n");
    env.import_notes(&repo, 200, 400);
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
    assert!(segments.len() >= 2, "{segments:?}");
    std::fs::remove_file(segments.last().unwrap()).unwrap();

    let (code, out) = env.verify(&repo);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("its newest lines were removed"), "{out}");
    assert_append_refused(&env, &repo, "its newest lines were removed");
    let (code, chain) = env.doctor_finding(&repo, "events.chains");
    assert_eq!(code, Some(1));
    let fix = chain["fix"].as_str().unwrap();
    assert!(fix.contains("git show codexa/state:events/"), "{fix}");
    assert!(fix.contains("codexa events accept"), "{fix}");
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
/// and named in the head record before it was terminated) and the repair
/// event's own torn line. Each gets its own `log.repaired`, and the log
/// verifies.
#[test]
fn regression_a_crash_during_a_repair_leaves_two_fragments_both_named() {
    let env = TestEnv::new();
    let repo = log_with_notes(&env, 3);
    let seg = env.segment(&repo);
    let mut bytes = std::fs::read(&seg).unwrap();
    let first = b"{\"v\":1,\"id\":\"evt_cut";
    bytes.extend_from_slice(first);
    bytes.extend_from_slice(b"\n{\"v\":1,\"id\":\"evt_cut_again");
    std::fs::write(&seg, &bytes).unwrap();
    // What the interrupted repair recorded before terminating the first.
    let head_path = env.store_dir(&repo).join("head.json");
    let mut head: Value = serde_json::from_slice(&std::fs::read(&head_path).unwrap()).unwrap();
    head["repairing"] = serde_json::json!([{
        "segment": "000001.jsonl",
        "line": 5,
        "sha256": format!("sha256:{}", hex::encode(Sha256::digest(first))),
    }]);
    std::fs::write(&head_path, head.to_string()).unwrap();
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
    env.keep_first_lines(&repo, 2);
    let (code, out) = env.verify(&repo);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("codexa/state published"), "{out}");
}
