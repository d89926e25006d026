//! The push gate in git's own `pre-push` hook: every ref update an agent
//! pushes goes to the policy with its real remote ref and kind (new,
//! fast-forward, force, delete), whatever ran git; people push as before.
//! Each test pushes to a real bare remote and checks the push did not (or
//! did) reach it.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::{TestEnv, ok_as, stderr, stdout, under_agent};

/// A clone of a shared remote with the hooks installed and a new commit on
/// `main` to push.
fn clone_with_hook(env: &TestEnv) -> (PathBuf, PathBuf) {
    let remote = env.shared_remote();
    let clone = env.clone_of(&remote, "clone");
    ok_as(env, &clone, None, &["hooks", "install", "--git"]);
    commit(env, &clone, "a.txt");
    (remote, clone)
}

fn commit(env: &TestEnv, dir: &Path, file: &str) {
    std::fs::write(dir.join(file), file).unwrap();
    env.git(dir, &["add", file]);
    env.git(dir, &["commit", "-q", "-m", file]);
}

fn remote_head(env: &TestEnv, remote: &Path, branch: &str) -> String {
    let out = env.git_output(remote, &["rev-parse", "--verify", "-q", branch]);
    stdout(&out).trim().to_string()
}

fn git_under_agent(env: &TestEnv, dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["git"];
    all.extend_from_slice(args);
    under_agent(env, dir, &all, &[])
}

fn pending(env: &TestEnv, dir: &Path) -> Vec<Value> {
    serde_json::from_str(&ok_as(
        env,
        dir,
        None,
        &["approvals", "--status", "pending", "--format", "json"],
    ))
    .unwrap()
}

#[test]
fn an_agents_push_waits_for_a_person_and_then_goes_through() {
    let env = TestEnv::new();
    let (remote, clone) = clone_with_hook(&env);
    let before = remote_head(&env, &remote, "main");

    let out = git_under_agent(&env, &clone, &["push", "origin", "main"]);
    assert!(!out.status.success(), "the push went through");
    assert_eq!(
        remote_head(&env, &remote, "main"),
        before,
        "the push reached the remote"
    );
    let err = stderr(&out);
    assert!(err.contains("git_push_requires_approval"), "{err}");
    assert!(
        err.contains("git.push on origin/main by agent:claude"),
        "{err}"
    );
    let open = pending(&env, &clone);
    assert_eq!(open.len(), 1, "{open:?}");
    let id = open[0]["id"].as_str().unwrap().to_string();
    assert!(err.contains(&id), "{err}");
    assert_eq!(open[0]["action"], "git.push");
    assert_eq!(open[0]["subject"], "origin/main");

    // Every way of running git meets the same hook, and a retry opens no
    // second request.
    for args in [
        vec!["-c", "alias.p=push", "p", "origin", "main"],
        vec!["--attr-source", "HEAD", "push", "origin", "main"],
        vec!["push", "origin", "HEAD:refs/heads/main"],
    ] {
        let out = git_under_agent(&env, &clone, &args);
        assert!(!out.status.success(), "{args:?} went through");
    }
    let script = env.path("push.sh");
    std::fs::write(&script, "#!/bin/sh\ngit push -q origin main\n").unwrap();
    let out = under_agent(&env, &clone, &["sh", script.to_str().unwrap()], &[]);
    assert!(!out.status.success(), "a script's push went through");
    assert_eq!(remote_head(&env, &remote, "main"), before);
    assert_eq!(pending(&env, &clone).len(), 1);

    // The person approves with one command; the agent's push then goes.
    ok_as(&env, &clone, None, &["approve", &id]);
    let out = git_under_agent(&env, &clone, &["push", "-q", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        remote_head(&env, &remote, "main"),
        env.git(&clone, &["rev-parse", "HEAD"])
    );
}

#[test]
fn an_approval_for_one_branch_does_not_cover_another_or_a_force_or_a_delete() {
    let env = TestEnv::new();
    let (remote, clone) = clone_with_hook(&env);
    // The person publishes main (a.txt) first; feature starts from it.
    env.git(&clone, &["push", "-q", "origin", "main"]);
    env.git(&clone, &["checkout", "-q", "-b", "feature"]);
    let approval = ok_as(
        &env,
        &clone,
        None,
        &[
            "approval",
            "request",
            "--action",
            "git.push",
            "--subject",
            "origin/feature",
        ],
    );
    // Someone other than the requester decides: the test's git user asked,
    // so a configured person approves.
    let boss_cfg = clone.join(".codexa/config.yaml");
    let mut cfg = std::fs::read_to_string(&boss_cfg).unwrap();
    cfg.push_str("\nagents:\n  boss: {provider: other, role: human}\n");
    std::fs::write(&boss_cfg, cfg).unwrap();
    ok_as(&env, &clone, Some("boss"), &["approve", &approval]);
    let ok = git_under_agent(&env, &clone, &["push", "-q", "origin", "feature"]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    // Rewrite history on the branch and push it over main by force.
    env.git(&clone, &["reset", "-q", "--hard", "HEAD~1"]);
    commit(&env, &clone, "other.txt");
    let main_before = remote_head(&env, &remote, "main");
    let out = git_under_agent(&env, &clone, &["push", "--force", "origin", "feature:main"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("git.push.force on origin/main"),
        "{}",
        stderr(&out)
    );
    assert_eq!(remote_head(&env, &remote, "main"), main_before);
    let out = git_under_agent(&env, &clone, &["push", "--force", "origin", "feature"]);
    assert!(
        stderr(&out).contains("git.push.force on origin/feature"),
        "{}",
        stderr(&out)
    );
    let out = git_under_agent(&env, &clone, &["push", "origin", "--delete", "main"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("git.push.delete on origin/main"),
        "{}",
        stderr(&out)
    );
    assert_eq!(remote_head(&env, &remote, "main"), main_before);
}

#[test]
fn a_person_pushes_as_before_and_records_nothing() {
    let env = TestEnv::new();
    let (remote, clone) = clone_with_hook(&env);
    let events = env.count(&clone);
    env.git(&clone, &["push", "-q", "origin", "main"]);
    assert_eq!(
        remote_head(&env, &remote, "main"),
        env.git(&clone, &["rev-parse", "HEAD"])
    );
    assert_eq!(env.count(&clone), events);
}

#[test]
fn a_hook_already_there_is_kept_and_still_decides() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let clone = env.clone_of(&remote, "clone");
    // The project keeps its hooks in the work tree (core.hooksPath), with a
    // pre-push of its own that logs what it was given and refuses `stop`.
    env.git(&clone, &["config", "core.hooksPath", ".githooks"]);
    let hooks = clone.join(".githooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let own = "#!/bin/sh\necho \"$1 $(cat)\" >> \"$(dirname \"$0\")/seen\"\n\
               [ -e \"$(dirname \"$0\")/stop\" ] && exit 1\nexit 0\n";
    std::fs::write(hooks.join("pre-push"), own).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            hooks.join("pre-push"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    let out = env
        .codexa(&clone)
        .args(["hooks", "install", "--git"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("pre-push.codexa-chained"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-push.codexa-chained")).unwrap(),
        own
    );
    // Installing again changes nothing.
    let again = env
        .codexa(&clone)
        .args(["hooks", "install", "--git"])
        .output()
        .unwrap();
    assert!(
        stderr(&again).contains("already installed"),
        "{}",
        stderr(&again)
    );

    commit(&env, &clone, "a.txt");
    env.git(&clone, &["push", "-q", "origin", "main"]);
    let seen = std::fs::read_to_string(hooks.join("seen")).unwrap();
    assert!(seen.starts_with("origin refs/heads/main "), "{seen}");
    // Its refusal still stops a push.
    std::fs::write(hooks.join("stop"), "").unwrap();
    commit(&env, &clone, "b.txt");
    let out = env.git_output(&clone, &["push", "-q", "origin", "main"]);
    assert!(!out.status.success());
}

#[test]
fn worktrees_share_the_hook() {
    let env = TestEnv::new();
    let (remote, clone) = clone_with_hook(&env);
    let tree = env.path("tree");
    env.git(
        &clone,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "side",
            tree.to_str().unwrap(),
        ],
    );
    commit(&env, &tree, "side.txt");
    let out = git_under_agent(&env, &tree, &["push", "origin", "side"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("git.push on origin/side"),
        "{}",
        stderr(&out)
    );
    assert_eq!(remote_head(&env, &remote, "side"), "");
}

/// A `pre-push` git ignores (not executable) is kept, and codexa ignores
/// it as git did: a person's push still goes.
#[test]
fn a_hook_git_ignored_stays_ignored() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let clone = env.clone_of(&remote, "clone");
    let hook = clone.join(".git/hooks/pre-push");
    std::fs::write(&hook, "#!/bin/sh\nexit 1\n").unwrap();
    ok_as(&env, &clone, None, &["hooks", "install", "--git"]);
    assert!(clone.join(".git/hooks/pre-push.codexa-chained").is_file());
    commit(&env, &clone, "a.txt");
    env.git(&clone, &["push", "-q", "origin", "main"]);
    assert_eq!(
        remote_head(&env, &remote, "main"),
        env.git(&clone, &["rev-parse", "HEAD"])
    );
}
