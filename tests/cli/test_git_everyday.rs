//! Everyday git is never blocked by the log, and never loses an event:
//! status, checkout, stash, pull --rebase, clean -fdx, add -A, worktrees.

use std::path::{Path, PathBuf};

use crate::common::TestEnv;

/// A clone (of a remote with `.codexa/` committed) with a few events.
fn busy_clone(env: &TestEnv) -> (PathBuf, PathBuf) {
    let remote = env.shared_remote();
    let clone = env.clone_of(&remote, "work");
    for i in 0..3 {
        env.append(&clone, "note.added", "note:n", &format!(r#"{{"i":{i}}}"#));
    }
    (remote, clone)
}

fn append_one(env: &TestEnv, dir: &Path, tag: &str) -> String {
    env.append(
        dir,
        "note.added",
        "note:n",
        &format!(r#"{{"tag":"{tag}"}}"#),
    )
}

#[test]
fn status_stays_clean_while_events_are_appended() {
    let env = TestEnv::new();
    let (_, clone) = busy_clone(&env);
    assert_eq!(env.git(&clone, &["status", "--porcelain", "--ignored"]), "");
    append_one(&env, &clone, "more");
    assert_eq!(env.git(&clone, &["status", "--porcelain", "--ignored"]), "");
    assert_eq!(env.count(&clone), 4);
}

#[test]
fn checkout_to_another_branch_and_back() {
    let env = TestEnv::new();
    let (_, clone) = busy_clone(&env);
    let before = env.ids(&clone);

    env.git(&clone, &["checkout", "-q", "-b", "other"]);
    std::fs::write(clone.join("other.txt"), "other\n").unwrap();
    env.git(&clone, &["add", "other.txt"]);
    env.git(&clone, &["commit", "-q", "-m", "on other"]);
    let on_other = append_one(&env, &clone, "on-other");
    env.git(&clone, &["checkout", "-q", "main"]);

    let mut expected = before;
    expected.push(on_other);
    assert_eq!(env.ids(&clone), expected);
    assert!(!clone.join("other.txt").exists());
    assert_eq!(env.git(&clone, &["status", "--porcelain"]), "");
    env.assert_verifies(&clone);
}

#[test]
fn stash_and_pop_a_real_change_while_appending() {
    let env = TestEnv::new();
    let (_, clone) = busy_clone(&env);
    std::fs::write(clone.join("README.md"), "# changed, not committed\n").unwrap();

    env.git(&clone, &["stash", "-q"]);
    assert_eq!(
        std::fs::read_to_string(clone.join("README.md")).unwrap(),
        "# test repository\n"
    );
    append_one(&env, &clone, "while-stashed");
    env.git(&clone, &["stash", "pop", "-q"]);

    assert_eq!(
        std::fs::read_to_string(clone.join("README.md")).unwrap(),
        "# changed, not committed\n"
    );
    assert_eq!(env.git(&clone, &["status", "--porcelain"]), "M README.md");
    assert_eq!(env.count(&clone), 4);
    env.assert_verifies(&clone);
}

#[test]
fn pull_rebase_over_a_new_upstream_commit() {
    let env = TestEnv::new();
    let (remote, clone) = busy_clone(&env);
    // Upstream moves on.
    let other = env.clone_of(&remote, "other");
    std::fs::write(other.join("upstream.txt"), "from upstream\n").unwrap();
    env.git(&other, &["add", "upstream.txt"]);
    env.git(&other, &["commit", "-q", "-m", "upstream change"]);
    env.git(&other, &["push", "-q", "origin", "main"]);
    // Meanwhile: a local commit and more events.
    std::fs::write(clone.join("local.txt"), "local\n").unwrap();
    env.git(&clone, &["add", "local.txt"]);
    env.git(&clone, &["commit", "-q", "-m", "local change"]);
    append_one(&env, &clone, "before-pull");
    let before = env.ids(&clone);

    env.git(&clone, &["pull", "-q", "--rebase", "origin", "main"]);

    assert!(clone.join("upstream.txt").is_file());
    assert_eq!(
        env.git(&clone, &["log", "--format=%s", "-2"]),
        "local change\nupstream change"
    );
    assert_eq!(env.ids(&clone), before);
    append_one(&env, &clone, "after-pull");
    assert_eq!(env.count(&clone), 5);
    assert_eq!(env.git(&clone, &["status", "--porcelain"]), "");
    env.assert_verifies(&clone);
}

#[test]
fn clean_fdx_removes_untracked_files_and_no_event() {
    let env = TestEnv::new();
    let (_, clone) = busy_clone(&env);
    std::fs::write(clone.join("scratch.txt"), "untracked\n").unwrap();
    std::fs::write(clone.join(".gitignore"), "build/\n").unwrap();
    std::fs::create_dir(clone.join("build")).unwrap();
    std::fs::write(clone.join("build/out.o"), "ignored\n").unwrap();
    let before = env.ids(&clone);

    env.git(&clone, &["clean", "-q", "-fdx"]);

    assert!(!clone.join("scratch.txt").exists());
    assert!(!clone.join("build").exists());
    assert_eq!(env.ids(&clone), before);
    append_one(&env, &clone, "after-clean");
    env.assert_verifies(&clone);
}

#[test]
fn add_all_and_commit_never_sweep_events_into_a_commit() {
    let env = TestEnv::new();
    let (_, clone) = busy_clone(&env);
    std::fs::write(clone.join("code.rs"), "fn main() {}\n").unwrap();
    append_one(&env, &clone, "uncommitted");

    env.git(&clone, &["add", "-A"]);
    env.git(&clone, &["commit", "-q", "-m", "code"]);

    let files = env.git(&clone, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "code.rs");
    let tracked = env.git(&clone, &["ls-files"]);
    assert!(!tracked.contains("jsonl"), "{tracked}");
}

/// A worktree shares the clone's store (the git common directory): events
/// appended in either are seen from both, under one writer id.
#[test]
fn worktrees_share_one_log_and_one_writer() {
    let env = TestEnv::new();
    let repo = env.init_repo("main-checkout");
    env.git(&repo, &["worktree", "add", "-q", "../wt"]);
    let wt = env.path("wt");
    assert_eq!(env.store_dir(&wt), env.store_dir(&repo));

    let from_wt = env.append(&wt, "note.added", "note:wt", r#"{"where":"worktree"}"#);
    let seen = env.query(&repo, &["--stream", "note:wt"]);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["id"], from_wt.as_str());

    let from_main = env.append(&repo, "note.added", "note:main", r#"{"where":"main"}"#);
    let seen = env.query(&wt, &["--stream", "note:main"]);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["id"], from_main.as_str());

    let writers: Vec<String> = env
        .query(&wt, &[])
        .iter()
        .map(|e| e["writer"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(writers.len(), 3);
    assert!(writers.iter().all(|w| *w == env.writer_id(&repo)));
    assert_eq!(env.writer_id(&wt), env.writer_id(&repo));
    assert!(!repo.join(".git/worktrees/wt/codexa").exists());
    assert_eq!(env.git(&wt, &["status", "--porcelain"]), "");
    env.assert_verifies(&wt);
}
