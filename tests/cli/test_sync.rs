//! `codexa sync`: clones sharing the log through a bare remote's
//! `codexa/state`, a copied clone (`cp -r`), and publishing without a remote.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{TestEnv, stderr, stdout};

fn sync(env: &TestEnv, dir: &Path) -> String {
    let out = env.codexa(dir).arg("sync").output().unwrap();
    assert!(
        out.status.success(),
        "sync failed in {}: {}{}",
        dir.display(),
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

fn id_set(env: &TestEnv, dir: &Path) -> BTreeSet<String> {
    env.ids(dir).into_iter().collect()
}

fn rev(env: &TestEnv, dir: &Path, what: &str) -> String {
    env.git(dir, &["rev-parse", what])
}

/// Both clones hold every event, verify, and the published branch verifies.
fn assert_converged(env: &TestEnv, clones: &[&Path], expected: &BTreeSet<String>) {
    for dir in clones {
        let have = id_set(env, dir);
        let missing: Vec<_> = expected.difference(&have).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", dir.display());
        env.assert_verifies(dir);
        env.git(dir, &["fetch", "-q", "origin"]);
        let out = env
            .codexa(dir)
            .args(["events", "verify", "--ref", "origin/codexa/state"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "verify --ref failed in {}: {}",
            dir.display(),
            stdout(&out)
        );
    }
    let sets: Vec<_> = clones.iter().map(|d| id_set(env, d)).collect();
    assert!(sets.windows(2).all(|w| w[0] == w[1]), "clones differ");
}

#[test]
fn two_clones_converge_through_a_bare_remote_and_main_never_moves() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let a = env.clone_of(&remote, "a");
    let b = env.clone_of(&remote, "b");
    let main_remote = env.git(&remote, &["rev-parse", "main"]);
    let (main_a, main_b) = (rev(&env, &a, "main"), rev(&env, &b, "main"));
    let mut all = BTreeSet::new();

    // Round one: A, B, A, B.
    all.insert(env.append(&a, "note.added", "note:a", r#"{"from":"a","round":1}"#));
    all.insert(env.append(&b, "note.added", "note:b", r#"{"from":"b","round":1}"#));
    all.insert(env.append(&b, "note.added", "note:b", r#"{"from":"b","round":1.5}"#));
    let first = sync(&env, &a);
    assert!(first.contains("pushed codexa/state to origin"), "{first}");
    let second = sync(&env, &b);
    assert!(
        second.contains("imported 1 event(s) from other clones"),
        "{second}"
    );
    sync(&env, &a);
    sync(&env, &b);
    assert_converged(&env, &[&a, &b], &all);

    // Round two: B, A, B, with new events on both sides first.
    all.insert(env.append(&a, "note.added", "note:a", r#"{"from":"a","round":2}"#));
    all.insert(env.append(&b, "note.added", "note:b", r#"{"from":"b","round":2}"#));
    sync(&env, &b);
    sync(&env, &a);
    sync(&env, &b);
    assert_converged(&env, &[&a, &b], &all);
    assert_eq!(id_set(&env, &a).len(), 5);

    // Settled: another sync changes nothing.
    let settled = sync(&env, &a);
    assert!(settled.contains("is up to date"), "{settled}");
    assert!(!settled.contains("imported"), "{settled}");

    // The code branch gained nothing, anywhere; the work trees are clean.
    assert_eq!(env.git(&remote, &["rev-parse", "main"]), main_remote);
    assert_eq!(rev(&env, &a, "main"), main_a);
    assert_eq!(rev(&env, &b, "main"), main_b);
    for dir in [&a, &b] {
        assert_eq!(env.git(dir, &["status", "--porcelain"]), "");
        assert_eq!(env.git(dir, &["symbolic-ref", "HEAD"]), "refs/heads/main");
    }

    // The branch holds one folder per writer and a README, nothing else.
    let tree = env.git(&a, &["ls-tree", "-r", "--name-only", "origin/codexa/state"]);
    let expected = format!(
        "README.md\nevents/{}/000001.jsonl\nevents/{}/000001.jsonl",
        env.writer_id(&a).min(env.writer_id(&b)),
        env.writer_id(&a).max(env.writer_id(&b)),
    );
    assert_eq!(tree, expected);
    // Published bytes are the store's bytes.
    let own = format!(
        "origin/codexa/state:events/{}/000001.jsonl",
        env.writer_id(&a)
    );
    assert_eq!(
        env.git(&a, &["show", &own]) + "\n",
        std::fs::read_to_string(env.segment(&a)).unwrap()
    );
}

#[test]
fn a_tampered_published_branch_fails_verify_ref() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let a = env.clone_of(&remote, "a");
    env.append(&a, "note.added", "note:a", r#"{"n":1}"#);
    env.append(&a, "note.added", "note:a", r#"{"n":2}"#);
    sync(&env, &a);

    // Someone rewrites the branch by hand: change line 1 and push it.
    let w = env.clone_of(&remote, "w");
    env.git(&w, &["checkout", "-q", "codexa/state"]);
    let file = w
        .join("events")
        .join(env.writer_id(&a))
        .join("000001.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen(r#"{"n":1}"#, r#"{"n":9}"#, 1)).unwrap();
    env.git(&w, &["commit", "-q", "-am", "rewrite history"]);
    env.git(&w, &["push", "-q", "origin", "codexa/state"]);

    env.git(&a, &["fetch", "-q", "origin"]);
    let out = env
        .codexa(&a)
        .args(["events", "verify", "--ref", "origin/codexa/state"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let expected = format!(
        "FAIL origin/codexa/state:events/{}/000001.jsonl line 1: hash does not match",
        env.writer_id(&a)
    );
    assert!(stdout(&out).starts_with(&expected), "{}", stdout(&out));
    // The local log is untouched and still verifies.
    env.assert_verifies(&a);
}

/// A `cp -r` of a clone takes a new writer id on its first write and records
/// `writer.forked_from`; both copies then share everything through sync.
#[test]
fn a_copied_clone_forks_its_writer_and_both_copies_converge() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let original = env.clone_of(&remote, "original");
    let mut all = BTreeSet::new();
    all.insert(env.append(&original, "note.added", "note:o", r#"{"n":0}"#));
    sync(&env, &original);
    let original_writer = env.writer_id(&original);

    let copy = env.path("copy");
    let cp = std::process::Command::new("cp")
        .arg("-r")
        .arg(&original)
        .arg(&copy)
        .status()
        .unwrap();
    assert!(cp.success());

    let out = env
        .codexa(&copy)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:c",
        ])
        .args(["--data", r#"{"n":1}"#])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("note: recorded writer.forked_from"),
        "{}",
        stderr(&out)
    );
    all.insert(stdout(&out).trim().to_string());
    let copy_writer = env.writer_id(&copy);
    assert_ne!(copy_writer, original_writer);
    sync(&env, &copy);

    all.insert(env.append(&original, "note.added", "note:o", r#"{"n":2}"#));
    sync(&env, &original);
    sync(&env, &copy);
    sync(&env, &original);

    assert_converged(&env, &[&original, &copy], &all);
    assert_eq!(
        env.writer_id(&original),
        original_writer,
        "the original keeps its id"
    );

    let forks = env.query(&copy, &["--type", "writer.forked_from"]);
    assert_eq!(forks.len(), 1);
    assert_eq!(forks[0]["data"]["from"], original_writer.as_str());
    assert_eq!(forks[0]["writer"], copy_writer.as_str());
    assert_eq!(forks[0]["seq"], 1, "the new chain starts with the notice");
    // The original sees the notice too, after sync.
    assert_eq!(
        env.query(&original, &["--type", "writer.forked_from"]),
        forks
    );
    let writer_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.store_dir(&copy).join("writer.json")).unwrap())
            .unwrap();
    assert_eq!(writer_json["forked_from"], original_writer.as_str());
    // Only the copy's new chain grew: the original's chain has no foreign line.
    let original_chain = env.query(&copy, &["--writer", &original_writer]);
    assert_eq!(original_chain.len(), 2);
}

#[test]
fn sync_without_a_remote_publishes_the_branch_locally() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    env.append(&repo, "note.added", "note:n", "{}");
    let head = rev(&env, &repo, "HEAD");

    let out = env.codexa(&repo).arg("sync").output().unwrap();

    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no remote `origin`: publishing codexa/state locally only"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("2 new event(s) published"),
        "{}",
        stdout(&out)
    );
    let out = env
        .codexa(&repo)
        .args(["events", "verify", "--ref", "codexa/state"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(rev(&env, &repo, "HEAD"), head);
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    let log = env.git(&repo, &["log", "--format=%s", "codexa/state"]);
    assert_eq!(
        log,
        "codexa: 2 events (1 note.added, 1 workspace.initialized)"
    );

    // Nothing new: no new commit.
    let again = env.codexa(&repo).arg("sync").output().unwrap();
    assert!(
        stdout(&again).contains("is up to date"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        env.git(&repo, &["rev-list", "--count", "codexa/state"]),
        "1"
    );
}

/// Two copies that share one writer id without noticing (a VM image booted
/// twice: same machine id, same path) both append, then sync. The branch
/// keeps the first-published chain, the other side's lines are kept under
/// `forks/` on both clones, the late copy moves to a new writer id, and
/// further syncs settle instead of flipping the file back and forth.
#[test]
fn regression_copies_sharing_a_writer_id_fork_once_and_settle() {
    let env = TestEnv::real_clock();
    let remote = env.shared_remote();
    let x = env.clone_of(&remote, "x");
    env.append(&x, "note.added", "note:x", r#"{"n":0}"#);
    sync(&env, &x);
    let y = env.path("y");
    let cp = std::process::Command::new("cp")
        .arg("-r")
        .arg(&x)
        .arg(&y)
        .status()
        .unwrap();
    assert!(cp.success());
    // Make the copy's fingerprint its own, so it does not notice the copy.
    let writer_file = env.store_dir(&y).join("writer.json");
    let mut w: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&writer_file).unwrap()).unwrap();
    let git_dir = y.join(".git").canonicalize().unwrap();
    use std::os::unix::fs::MetadataExt;
    w["fingerprint"]["path"] = git_dir.to_string_lossy().into_owned().into();
    w["fingerprint"]["inode"] = std::fs::metadata(&git_dir).unwrap().ino().into();
    std::fs::write(&writer_file, serde_json::to_vec(&w).unwrap()).unwrap();
    let shared = env.writer_id(&x);
    assert_eq!(env.writer_id(&y), shared);

    let from_x = env.append(&x, "note.added", "note:x", r#"{"n":1}"#);
    let from_y = env.append(&y, "note.added", "note:y", r#"{"n":2}"#);
    sync(&env, &x);
    let out = env.codexa(&y).arg("sync").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("fork:"), "{}", stderr(&out));
    assert_ne!(env.writer_id(&y), shared, "the late copy takes a new id");
    let after_fork = env.append(&y, "note.added", "note:y", r#"{"n":3}"#);

    for _ in 0..2 {
        sync(&env, &x);
        sync(&env, &y);
    }
    // Settled: one more round commits nothing new.
    let head = env.git(&remote, &["rev-parse", "codexa/state"]);
    sync(&env, &x);
    sync(&env, &y);
    assert_eq!(env.git(&remote, &["rev-parse", "codexa/state"]), head);

    for dir in [&x, &y] {
        let ids = id_set(&env, dir);
        assert!(
            ids.contains(&from_x) && ids.contains(&after_fork),
            "{}",
            dir.display()
        );
        env.assert_verifies(dir);
        // The diverged copy is kept, on both clones.
        let forks = env.store_dir(dir).join("forks").join(&shared);
        let kept: Vec<_> = std::fs::read_dir(&forks).unwrap().flatten().collect();
        assert_eq!(kept.len(), 1, "{}", dir.display());
        let text = std::fs::read_to_string(kept[0].path()).unwrap();
        assert!(text.contains(&from_y));
        let out = env.codexa(dir).arg("doctor").output().unwrap();
        assert!(stdout(&out).contains("events.forks"), "{}", stdout(&out));
    }
}

/// Logs larger than one segment publish, import and verify across segments.
#[test]
fn clones_share_logs_that_span_several_segments() {
    let env = TestEnv::real_clock();
    let remote = env.shared_remote();
    let a = env.clone_of(&remote, "a");
    let b = env.clone_of(&remote, "b");
    for dir in [&a, &b] {
        std::fs::write(
            dir.join(".codexa/config.yaml"),
            "version: 1\nstore:\n  segment_max_bytes: 65536\n",
        )
        .unwrap();
    }
    env.import_notes(&a, 400, 300);
    let segments = std::fs::read_dir(env.store_dir(&a).join("events").join(env.writer_id(&a)))
        .unwrap()
        .count();
    assert!(segments >= 3, "{segments} segments");
    sync(&env, &a);
    sync(&env, &b);
    assert_eq!(env.count(&b), env.count(&a));
    env.assert_verifies(&b);
}
