//! `codexa init`: outside a repository, first run, second run, fresh clone.

use serde_json::Value;

use crate::common::{TestEnv, files_under, state_of};

#[test]
fn init_outside_a_git_repository_fails_with_a_hint_and_creates_nothing() {
    let env = TestEnv::new();
    let outside = env.path("not-a-repo");
    std::fs::create_dir(&outside).unwrap();
    let before = files_under(env.root(), &[]);

    let out = env.run(&outside, &["init"]);

    insta::assert_snapshot!(out, @"
    [stderr]
    Error: [TMP]/not-a-repo is not inside a git repository
    Caused by: could not find repository at '[TMP]/not-a-repo'; class=Repository (6); code=NotFound (-3)
    Hint: cd into a git repository, or run `git init` first
    [exit status: 1]
    ");
    assert_eq!(files_under(env.root(), &[]), before, "init wrote something");
    assert!(!outside.join(".codexa").exists());
    assert!(!env.config_home().exists());
}

#[test]
fn first_init_creates_config_policy_and_store_and_records_it() {
    let env = TestEnv::new();
    let repo = env.repo("repo");

    let out = env.run(&repo, &["init"]);

    insta::assert_snapshot!(out, @r#"
    created .codexa/config.yaml
    created .codexa/policy.yaml
    created event store [TMP]/repo/.git/codexa (writer [WRITER-1])
    [stderr]
    hint: commit .codexa/ like code: git add .codexa && git commit -m "codexa"
    hint: share the event log with other clones: codexa sync
    "#);

    assert!(repo.join(".codexa/config.yaml").is_file());
    assert!(repo.join(".codexa/policy.yaml").is_file());
    let store = env.store_dir(&repo);
    assert_eq!(store, repo.join(".git/codexa"));
    assert!(store.join("writer.json").is_file());
    assert!(store.join("lock").is_file());

    let events = env.query(&repo, &[]);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e["type"], "workspace.initialized");
    assert_eq!(e["seq"], 1);
    assert_eq!(e["prev"], Value::Null);
    assert_eq!(e["writer"], env.writer_id(&repo).as_str());
    assert_eq!(
        e["data"]["created"],
        serde_json::json!([".codexa/config.yaml", ".codexa/policy.yaml"])
    );
    let segment = std::fs::read_to_string(env.segment(&repo)).unwrap();
    assert_eq!(segment.lines().count(), 1);

    // The log is in the git directory: git sees only the new `.codexa/`.
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "?? .codexa/");
}

#[test]
fn second_init_changes_nothing() {
    let env = TestEnv::new();
    let repo = env.repo("repo");
    env.codexa(&repo).arg("init").assert().success();
    let segment = env.segment(&repo);
    let segment_before = std::fs::read(&segment).unwrap();
    let before = state_of(&env, &repo);

    let out = env.run(&repo, &["init"]);

    insta::assert_snapshot!(out, @"
    Already initialized; nothing changed.
    [stderr]
    store: [TMP]/repo/.git/codexa (writer [WRITER-1])
    ");
    assert_eq!(std::fs::read(&segment).unwrap(), segment_before);
    assert_eq!(state_of(&env, &repo), before);
    assert_eq!(env.count(&repo), 1);
}

/// A clone of a repository whose `.codexa/` is committed: init only creates
/// this clone's store, and tracked files stay byte for byte as they were.
#[test]
fn init_in_a_fresh_clone_only_creates_the_store() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let clone = env.clone_of(&remote, "clone");
    let tracked = files_under(&clone.join(".codexa"), &[]);
    let head = env.git(&clone, &["rev-parse", "HEAD"]);
    assert!(!clone.join(".git/codexa").exists());

    let out = env.run(&clone, &["init"]);

    insta::assert_snapshot!(out, @"
    kept    .codexa/config.yaml (already there)
    kept    .codexa/policy.yaml (already there)
    created event store [TMP]/clone/.git/codexa (writer [WRITER-1])
    [stderr]
    hint: share the event log with other clones: codexa sync
    ");
    assert_eq!(env.git(&clone, &["status", "--porcelain"]), "");
    assert_eq!(files_under(&clone.join(".codexa"), &[]), tracked);
    assert_eq!(env.git(&clone, &["rev-parse", "HEAD"]), head);
    let events = env.query(&clone, &[]);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["type"], "workspace.initialized");
    assert_eq!(events[0]["data"]["created"], serde_json::json!([]));

    // And again: nothing more.
    let again = env.run(&clone, &["init"]);
    insta::assert_snapshot!(again, @"
    Already initialized; nothing changed.
    [stderr]
    store: [TMP]/clone/.git/codexa (writer [WRITER-1])
    ");
    assert_eq!(env.count(&clone), 1);
}

/// Without `codexa init`, the first append in a fresh clone creates the
/// store by itself and touches nothing tracked.
#[test]
fn first_append_in_a_fresh_clone_creates_the_store() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let clone = env.clone_of(&remote, "clone");
    let tracked = files_under(&clone.join(".codexa"), &[]);

    let id = env.append(&clone, "note.added", "note:n1", r#"{"text":"hi"}"#);

    assert!(env.store_dir(&clone).join("writer.json").is_file());
    assert_eq!(env.git(&clone, &["status", "--porcelain"]), "");
    assert_eq!(files_under(&clone.join(".codexa"), &[]), tracked);
    assert_eq!(env.ids(&clone), vec![id]);
    env.assert_verifies(&clone);
}

#[test]
fn init_reports_json() {
    let env = TestEnv::new();
    let repo = env.repo("repo");

    let out = env
        .codexa(&repo)
        .args(["init", "--format", "json"])
        .output()
        .unwrap();

    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["created"],
        serde_json::json!([".codexa/config.yaml", ".codexa/policy.yaml"])
    );
    assert_eq!(report["store_created"], true);
    assert_eq!(report["writer"], env.writer_id(&repo).as_str());
    assert_eq!(report["event"]["type"], "workspace.initialized");
}
