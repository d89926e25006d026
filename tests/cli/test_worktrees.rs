//! `codexa worktree add|list|remove` on real git repositories: a worktree
//! is made on its own branch from the ref asked for, with the ignored files
//! config lists; removing one never loses work that exists nowhere else,
//! and never touches a worktree codexa did not make.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{
    AGENTS, BIN, TestEnv, assert_fails, extend_config, json_as, ok_as, run_as, stderr, under_agent,
};

/// A repository with a second commit on `main`, `.env` ignored and
/// present, and `worktrees.copy: [.env]`.
fn repo(env: &TestEnv) -> PathBuf {
    let repo = env.init_repo("shop");
    extend_config(
        &repo,
        &format!("{AGENTS}worktrees:\n  copy: [.env, missing.txt]\n"),
    );
    std::fs::write(repo.join(".gitignore"), ".env\n").unwrap();
    std::fs::write(repo.join(".env"), "TOKEN=local\n").unwrap();
    env.git(&repo, &["add", ".gitignore", ".codexa"]);
    env.git(&repo, &["commit", "-q", "-m", "setup"]);
    std::fs::write(repo.join("app.txt"), "v1\n").unwrap();
    env.git(&repo, &["add", "app.txt"]);
    env.git(&repo, &["commit", "-q", "-m", "app"]);
    repo
}

fn list(env: &TestEnv, repo: &Path) -> Vec<Value> {
    json_as(env, repo, None, &["worktree", "list"])
        .as_array()
        .unwrap()
        .clone()
}

fn named<'a>(all: &'a [Value], name: &str) -> &'a Value {
    all.iter()
        .find(|w| w["name"] == name)
        .unwrap_or_else(|| panic!("no worktree {name} in {all:?}"))
}

#[test]
fn a_worktree_is_made_on_its_branch_from_the_ref_with_the_ignored_files() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let first = env.git(&repo, &["rev-parse", "HEAD~1"]).trim().to_string();
    let path = ok_as(
        &env,
        &repo,
        None,
        &[
            "worktree",
            "add",
            "worker-a",
            "--name",
            "worker-a-ch1",
            "--from",
            "HEAD~1",
        ],
    );
    let path = PathBuf::from(path.trim());
    assert_eq!(
        path,
        repo.parent().unwrap().join("shop.worktrees/worker-a-ch1")
    );
    assert_eq!(
        std::fs::read_to_string(path.join(".env")).unwrap(),
        "TOKEN=local\n"
    );
    assert!(
        !path.join("app.txt").exists(),
        "made from HEAD~1, before app.txt"
    );
    assert_eq!(env.git(&path, &["rev-parse", "HEAD"]).trim(), first);
    assert_eq!(
        env.git(&path, &["branch", "--show-current"]).trim(),
        "codexa/worker-a-ch1"
    );

    let all = list(&env, &repo);
    let w = named(&all, "worker-a-ch1");
    assert_eq!(w["codexa"], true);
    assert_eq!(w["agent"], "worker-a");
    assert_eq!(w["branch"], "codexa/worker-a-ch1");
    assert_eq!(
        (w["ahead"].as_u64(), w["behind"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(w["dirty"], false);
    let events = ok_as(
        &env,
        &repo,
        None,
        &["events", "query", "--type", "worktree.created"],
    );
    let e: Value = serde_json::from_str(events.lines().next().unwrap()).unwrap();
    assert_eq!(e["data"]["copied"], serde_json::json!([".env"]));

    // A bad name or ref changes nothing.
    let out = run_as(
        &env,
        &repo,
        None,
        &["worktree", "add", "worker-a", "--name", "../x"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a worktree name"),
        "{}",
        stderr(&out)
    );
    let out = run_as(
        &env,
        &repo,
        None,
        &["worktree", "add", "worker-a", "--from", "nope"],
    );
    assert_fails(&out, 1, "names no commit");
    assert_eq!(list(&env, &repo).len(), 1);
}

#[test]
fn remove_keeps_work_that_exists_nowhere_else_and_only_touches_its_own() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let path = PathBuf::from(
        ok_as(
            &env,
            &repo,
            None,
            &["worktree", "add", "worker-a", "--name", "wa"],
        )
        .trim(),
    );

    // Uncommitted work: refused, named.
    std::fs::write(path.join("notes.txt"), "half done\n").unwrap();
    let out = run_as(&env, &repo, None, &["worktree", "remove", "wa"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("uncommitted changes"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("notes.txt"), "{}", stderr(&out));
    assert!(path.join("notes.txt").exists());

    // Committed but on no other branch or remote: refused, the commit named.
    env.git(&path, &["add", "notes.txt"]);
    env.git(&path, &["commit", "-q", "-m", "agent work"]);
    let all = list(&env, &repo);
    assert_eq!(named(&all, "wa")["ahead"], 1);
    let out = run_as(&env, &repo, None, &["worktree", "remove", "wa"]);
    assert_fails(&out, 1, "agent work");
    assert!(path.exists());

    // Merged into main: nothing would be lost; removed, the branch kept.
    env.git(&repo, &["merge", "-q", "--ff-only", "codexa/wa"]);
    let out = ok_as(&env, &repo, None, &["worktree", "remove", "wa"]);
    assert!(out.contains("wa"), "{out}");
    assert!(!path.exists());
    assert_eq!(
        env.git(&repo, &["branch", "--list", "codexa/wa"]).trim(),
        "codexa/wa"
    );
    assert!(list(&env, &repo).is_empty());

    // --force throws work away, --delete-branch the branch too.
    let p2 = PathBuf::from(
        ok_as(
            &env,
            &repo,
            None,
            &["worktree", "add", "worker-a", "--name", "wb"],
        )
        .trim(),
    );
    std::fs::write(p2.join("scratch.txt"), "x").unwrap();
    ok_as(
        &env,
        &repo,
        None,
        &["worktree", "remove", "wb", "--force", "--delete-branch"],
    );
    assert!(!p2.exists());
    assert_eq!(
        env.git(&repo, &["branch", "--list", "codexa/wb"]).trim(),
        ""
    );

    // A worktree a person made is listed as theirs and never removed.
    let mine = repo.parent().unwrap().join("mine");
    env.git(
        &repo,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "mine",
            mine.to_str().unwrap(),
        ],
    );
    let all = list(&env, &repo);
    assert_eq!(named(&all, "mine")["codexa"], false);
    let out = run_as(
        &env,
        &repo,
        None,
        &["worktree", "remove", "mine", "--force"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not made by codexa"),
        "{}",
        stderr(&out)
    );
    assert!(mine.exists());
}

#[test]
fn an_agent_removes_only_its_own_worktrees_and_never_by_force() {
    let env = TestEnv::new();
    let repo = repo(&env);
    ok_as(
        &env,
        &repo,
        None,
        &["worktree", "add", "worker-a", "--name", "wa"],
    );
    ok_as(
        &env,
        &repo,
        None,
        &["worktree", "add", "lead", "--name", "ld"],
    );
    let agent = |args: &[&str]| {
        let mut all = vec![BIN];
        all.extend_from_slice(args);
        under_agent(&env, &repo, &all, &[("CODEXA_AGENT", "worker-a")])
    };
    let out = agent(&["worktree", "remove", "ld"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let out = agent(&["worktree", "remove", "wa", "--force"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let out = agent(&["worktree", "add", "lead", "--name", "ld2"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(list(&env, &repo).len(), 2, "nothing changed");
    let out = agent(&["worktree", "remove", "wa"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_folder_replaced_by_a_persons_worktree_is_theirs() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let path = PathBuf::from(
        ok_as(
            &env,
            &repo,
            None,
            &["worktree", "add", "worker-a", "--name", "wa"],
        )
        .trim(),
    );
    std::fs::remove_dir_all(&path).unwrap();
    env.git(&repo, &["worktree", "prune"]);
    env.git(
        &repo,
        &["worktree", "add", "-q", "--detach", path.to_str().unwrap()],
    );
    std::fs::write(path.join("mine.txt"), "x").unwrap();
    env.git(&path, &["add", "mine.txt"]);
    env.git(&path, &["commit", "-q", "-m", "the person's work"]);
    let all = list(&env, &repo);
    assert_eq!(named(&all, "wa")["codexa"], false, "{all:?}");
    let out = run_as(&env, &repo, None, &["worktree", "remove", "wa", "--force"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not made by codexa"),
        "{}",
        stderr(&out)
    );
    assert!(path.join("mine.txt").exists());
}

#[test]
fn ignored_files_made_in_a_worktree_are_work_too() {
    let env = TestEnv::new();
    let repo = repo(&env);
    let path = PathBuf::from(
        ok_as(
            &env,
            &repo,
            None,
            &["worktree", "add", "worker-a", "--name", "wa"],
        )
        .trim(),
    );
    // The copied `.env`, unchanged, may go; a changed one, or a new ignored
    // file, may not.
    std::fs::write(path.join(".env"), "TOKEN=changed-by-the-agent\n").unwrap();
    let out = run_as(&env, &repo, None, &["worktree", "remove", "wa"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ignored files that exist only there"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(".env"), "{}", stderr(&out));
    std::fs::write(path.join(".env"), "TOKEN=local\n").unwrap();
    ok_as(&env, &repo, None, &["worktree", "remove", "wa"]);
    assert!(!path.exists());
}
