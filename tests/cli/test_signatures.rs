//! Decisions a person can prove: with `approvals.require_signature`,
//! `approve|deny|hold` sign with the person's SSH key and a decision counts
//! only when its signature verifies against `.codexa/allowed_signers`.
//! Keys are throwaway ed25519 keys made by the real `ssh-keygen` in the
//! test's directory; planted decisions are appended through the library,
//! as anything able to write to the store could.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use codexa::store::{Actor, NewEvent, StreamRef};
use codexa::workspace::Workspace;

use crate::common::{
    EXIT_REQUIRE_APPROVAL, TestEnv, eval, extend_config, ok_as, run_as, state_of, stderr, stdout,
};

const MAIN: [&str; 4] = ["--action", "git.push", "--subject", "origin/main"];
const DEV: [&str; 4] = ["--action", "git.push", "--subject", "origin/dev"];
const EMAIL: &str = "test@example.com";

/// A new ed25519 key without a passphrase; the private key's path.
fn keygen(env: &TestEnv, name: &str) -> PathBuf {
    let dir = env.path("keys");
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join(name);
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&key)
        .output()
        .expect("run ssh-keygen");
    assert!(out.status.success(), "ssh-keygen: {}", stderr(&out));
    key
}

/// List `key` for `principal` in the repository's allowed signers.
fn allow(repo: &Path, principal: &str, key: &Path) {
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let mut words = public.split_whitespace();
    let line = format!(
        "{principal} {} {}\n",
        words.next().unwrap(),
        words.next().unwrap()
    );
    let path = repo.join(".codexa/allowed_signers");
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    text.push_str(&line);
    std::fs::write(path, text).unwrap();
}

/// Set `approvals.require_signature` (the block is always the config's
/// last, so it is replaced whole).
fn require_signature(repo: &Path, on: bool) {
    let path = repo.join(".codexa/config.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept = text.split("\napprovals:\n").next().unwrap().to_string();
    std::fs::write(&path, kept).unwrap();
    extend_config(repo, &format!("approvals:\n  require_signature: {on}\n"));
}

/// A repository with an agent that asks, signatures required, and the test
/// user's key named by git and listed in the allowed signers.
fn signed_repo(env: &TestEnv) -> (PathBuf, PathBuf) {
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: codex, role: worker}\n",
    );
    require_signature(&repo, true);
    let key = keygen(env, "person");
    env.git(&repo, &["config", "user.signingKey", key.to_str().unwrap()]);
    allow(&repo, EMAIL, &key);
    (repo, key)
}

fn request(env: &TestEnv, repo: &Path, args: &[&str]) -> String {
    let mut all = vec!["approval", "request"];
    all.extend_from_slice(args);
    let id = ok_as(env, repo, Some("worker-a"), &all);
    assert!(id.starts_with("appr_"), "{id}");
    id
}

fn show(env: &TestEnv, repo: &Path, id: &str) -> Value {
    serde_json::from_str(&ok_as(
        env,
        repo,
        None,
        &["approval", "show", id, "--format", "json"],
    ))
    .unwrap()
}

/// The data of every `approval.decided` on `id`'s stream, oldest first.
fn decided_data(env: &TestEnv, repo: &Path, id: &str) -> Vec<Value> {
    env.query(repo, &["--type", "approval.decided"])
        .into_iter()
        .filter(|e| e["stream"]["id"] == id)
        .map(|e| e["data"].clone())
        .collect()
}

/// Append an `approval.decided` on `id`'s stream through the library, as
/// anything able to write to the store could, bypassing `codexa approve`
/// (and its refusal of codexa's own event types). It runs in this test's
/// process, on the real clock: later than any frozen test time.
fn plant(repo: &Path, id: &str, data: &Value) {
    let ws = Workspace::open(repo).expect("open the workspace");
    let event = NewEvent::new(
        "approval.decided",
        StreamRef {
            kind: "approval".into(),
            id: id.to_string(),
        },
        Actor {
            kind: "user".into(),
            id: "Test User".into(),
        },
        data.clone(),
    );
    ws.append(vec![event]).expect("plant a decision");
}

#[test]
fn a_signed_approval_verifies_and_opens_the_gate() {
    let env = TestEnv::new();
    let (repo, _key) = signed_repo(&env);
    let id = request(&env, &repo, &MAIN);
    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &MAIN).0,
        EXIT_REQUIRE_APPROVAL
    );

    ok_as(&env, &repo, None, &["approve", &id, "--reason", "release"]);
    let data = &decided_data(&env, &repo, &id)[0];
    assert_eq!(data["signer"], EMAIL);
    assert!(data["signed_at"].is_string(), "{data:#}");
    assert!(
        data["signature"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN SSH SIGNATURE-----"),
        "{data:#}"
    );

    let (code, d) = eval(&env, &repo, Some("worker-a"), &MAIN);
    assert_eq!(
        (code, d["reason_code"].clone()),
        (0, Value::from(format!("approved:{id}")))
    );

    let a = show(&env, &repo, &id);
    assert_eq!(a["status"], "approved");
    let decision = &a["decisions"][0];
    assert_eq!(decision["verified"], true);
    assert_eq!(decision["counts"], true);
    assert_eq!(decision["signer"], EMAIL);
    assert_eq!(decision["verification"], format!("signed by {EMAIL}"));
    let text = ok_as(&env, &repo, None, &["approval", "show", &id]);
    assert!(
        text.contains(&format!("[verified: signed by {EMAIL}]")),
        "{text}"
    );
}

#[test]
fn an_unsigned_decision_is_unverified_and_the_gate_ignores_it() {
    let env = TestEnv::new();
    let (repo, _key) = signed_repo(&env);
    let id = request(&env, &repo, &MAIN);
    // An approval made while signatures were off, as an older codexa or a
    // clone without the setting would record it.
    require_signature(&repo, false);
    ok_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(eval(&env, &repo, Some("worker-a"), &MAIN).0, 0);
    require_signature(&repo, true);

    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &MAIN).0,
        EXIT_REQUIRE_APPROVAL
    );
    let a = show(&env, &repo, &id);
    assert_eq!(a["status"], "pending", "{a:#}");
    assert_eq!(a["decisions"][0]["verified"], false);
    assert_eq!(a["decisions"][0]["counts"], false);
    assert!(
        a["decisions"][0]["verification"]
            .as_str()
            .unwrap()
            .contains("unsigned"),
        "{a:#}"
    );
    let row = ok_as(&env, &repo, None, &["approvals"]);
    assert!(row.contains("pending"), "{row}");
    assert!(row.contains("(1 unverified decision ignored)"), "{row}");
    let text = ok_as(&env, &repo, None, &["approval", "show", &id]);
    assert!(text.contains("[UNVERIFIED, ignored: unsigned"), "{text}");

    // A decision planted straight into the store is no better.
    plant(
        &repo,
        &id,
        &serde_json::json!({"decision": "approve", "by": "Test User", "signer": EMAIL,
            "signed_at": "2026-01-01T00:00:00.000Z",
            "signature": "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"}),
    );
    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &MAIN).0,
        EXIT_REQUIRE_APPROVAL
    );
    // The agent asking again finds its request still pending.
    assert_eq!(request(&env, &repo, &MAIN), id);
    let a = show(&env, &repo, &id);
    assert_eq!(a["decisions"][1]["verified"], false);

    // Without the setting decisions count as before, and a signature
    // present is still checked and shown.
    require_signature(&repo, false);
    let a = show(&env, &repo, &id);
    assert_eq!(a["status"], "approved");
    assert_eq!(a["decisions"][0]["verified"], Value::Null);
    assert_eq!(a["decisions"][1]["verified"], false);
    assert_eq!(a["decisions"][1]["counts"], true);
}

#[test]
fn a_key_not_in_allowed_signers_does_not_count() {
    let env = TestEnv::new();
    let (repo, key) = signed_repo(&env);
    let id = request(&env, &repo, &MAIN);

    // Signing with a key nobody listed is refused before anything is written.
    let stranger = keygen(&env, "stranger");
    env.git(
        &repo,
        &["config", "user.signingKey", stranger.to_str().unwrap()],
    );
    let before = state_of(&env, &repo);
    let out = run_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("does not verify"), "{err}");
    assert!(err.contains("not listed"), "{err}");
    assert!(err.contains(".codexa/allowed_signers"), "{err}");
    assert_eq!(before, state_of(&env, &repo), "a refused decision wrote");

    // Listed, it signs; taken off the list again, its decision stops
    // counting (the cached outcome was for the old list).
    let original = std::fs::read_to_string(repo.join(".codexa/allowed_signers")).unwrap();
    allow(&repo, EMAIL, &stranger);
    ok_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(eval(&env, &repo, Some("worker-a"), &MAIN).0, 0);
    std::fs::write(repo.join(".codexa/allowed_signers"), original).unwrap();
    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &MAIN).0,
        EXIT_REQUIRE_APPROVAL
    );
    let a = show(&env, &repo, &id);
    assert_eq!(a["decisions"][0]["verified"], false);
    assert!(
        a["decisions"][0]["verification"]
            .as_str()
            .unwrap()
            .contains("not listed"),
        "{a:#}"
    );

    // A signer claiming someone else's principal does not verify either.
    env.git(&repo, &["config", "user.signingKey", key.to_str().unwrap()]);
    allow(&repo, "other@example.com", &stranger);
    let mut forged = decided_data(&env, &repo, &id)[0].clone();
    forged["signer"] = Value::from("other@example.com");
    plant(&repo, &id, &forged);
    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &MAIN).0,
        EXIT_REQUIRE_APPROVAL
    );
}

#[test]
fn a_signature_does_not_carry_over_to_another_approval_or_decision() {
    let env = TestEnv::new();
    let (repo, _key) = signed_repo(&env);
    let main = request(&env, &repo, &MAIN);
    let dev = request(&env, &repo, &DEV);
    ok_as(&env, &repo, None, &["approve", &main]);
    let signed = decided_data(&env, &repo, &main)[0].clone();

    plant(&repo, &dev, &signed);
    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &DEV).0,
        EXIT_REQUIRE_APPROVAL
    );
    let a = show(&env, &repo, &dev);
    assert_eq!(a["status"], "pending");
    assert_eq!(a["decisions"][0]["verified"], false);
    assert!(
        a["decisions"][0]["verification"]
            .as_str()
            .unwrap()
            .contains("does not match this decision"),
        "{a:#}"
    );

    // Turned into a deny by hand, the signature no longer fits.
    let mut altered = signed.clone();
    altered["reason"] = Value::from("changed my mind");
    plant(&repo, &main, &altered);
    assert_eq!(show(&env, &repo, &main)["decisions"][1]["verified"], false);

    // A person denies, minutes later; replaying their earlier signed
    // approve later in the log does not bring it back: signed decisions go
    // by signed time.
    env.advance(Duration::from_secs(5 * 60));
    let out = env.codexa(&repo).args(["deny", &main]).output().unwrap();
    assert!(out.status.success(), "deny: {}", stderr(&out));
    plant(&repo, &main, &signed);
    let a = show(&env, &repo, &main);
    let decisions = a["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 4);
    let last = &decisions[3];
    assert_eq!(
        (last["decision"].as_str(), last["verified"].as_bool()),
        (Some("approve"), Some(true)),
        "{a:#}"
    );
    assert_eq!(a["status"], "denied", "{a:#}");
    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &MAIN).0,
        EXIT_REQUIRE_APPROVAL
    );
}

#[test]
fn deny_and_hold_are_signed_too() {
    let env = TestEnv::new();
    let (repo, _key) = signed_repo(&env);
    let id = request(&env, &repo, &MAIN);
    ok_as(&env, &repo, None, &["hold", &id, "--reason", "after lunch"]);
    let a = show(&env, &repo, &id);
    assert_eq!(a["status"], "held");
    assert_eq!(a["decisions"][0]["verified"], true);
    ok_as(&env, &repo, None, &["deny", "origin/main"]);
    let a = show(&env, &repo, &id);
    assert_eq!(a["status"], "denied");
    assert_eq!(a["decisions"][1]["verified"], true);
    for d in decided_data(&env, &repo, &id) {
        assert!(d["signature"].is_string(), "{d:#}");
    }
}

#[test]
fn without_a_key_nothing_is_decided() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        "agents:\n  worker-a: {provider: codex, role: worker}\n",
    );
    require_signature(&repo, true);
    let id = request(&env, &repo, &MAIN);
    let before = state_of(&env, &repo);
    let out = run_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no SSH key"), "{err}");
    assert!(err.contains("ssh-keygen -t ed25519"), "{err}");
    assert!(err.contains("user.signingKey"), "{err}");

    env.git(
        &repo,
        &["config", "user.signingKey", "key::ssh-ed25519 AAAAC3Nz"],
    );
    let out = run_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("literal key"), "{}", stderr(&out));

    env.git(&repo, &["config", "user.signingKey", "~/.ssh/missing"]);
    let out = run_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a key file"), "{}", stderr(&out));
    assert_eq!(before, state_of(&env, &repo), "a refused decision wrote");
}

#[test]
fn approvals_signing_key_names_the_key_with_a_home_path() {
    let env = TestEnv::new();
    let (repo, key) = signed_repo(&env);
    env.git(&repo, &["config", "--unset", "user.signingKey"]);
    let ssh = env.home().join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    std::fs::copy(&key, ssh.join("decide")).unwrap();
    std::fs::copy(key.with_extension("pub"), ssh.join("decide.pub")).unwrap();
    extend_config(&repo, "  signing_key: ~/.ssh/decide\n");
    let id = request(&env, &repo, &MAIN);
    ok_as(&env, &repo, None, &["approve", &id]);
    assert_eq!(eval(&env, &repo, Some("worker-a"), &MAIN).0, 0);
}

/// The cache of outcomes sits in the git directory, which the agents'
/// user can write: a file there saying a forged signature is good must not
/// make it count. Only failed checks are kept; a good one is checked again.
#[test]
fn a_planted_cache_entry_does_not_verify_a_forged_signature() {
    let env = TestEnv::new();
    let (repo, _key) = signed_repo(&env);
    let id = request(&env, &repo, &MAIN);
    ok_as(&env, &repo, None, &["approve", &id]);
    let cache = env.store_dir(&repo).join("cache/signatures");
    let entries = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&cache)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    assert!(entries().is_empty(), "a good outcome was cached");

    // Without ssh-keygen a good signature cannot be checked, so it does
    // not count; with it back, it does.
    let empty = env.path("empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let gated = |env: &TestEnv| {
        env.codexa(&repo)
            .env("PATH", &empty)
            .args(["--as", "worker-a", "policy", "eval", "--format", "json"])
            .args(MAIN)
            .output()
            .unwrap()
    };
    let out = gated(&env);
    assert_eq!(
        out.status.code(),
        Some(EXIT_REQUIRE_APPROVAL),
        "{}",
        stdout(&out)
    );
    assert_eq!(eval(&env, &repo, Some("worker-a"), &MAIN).0, 0);

    // A forged decision on a second approval fails its check (cached as a
    // failure); rewriting every cache file to "good" changes nothing.
    let other = request(
        &env,
        &repo,
        &["--action", "git.push", "--subject", "origin/dev"],
    );
    let mut forged = decided_data(&env, &repo, &id)[0].clone();
    forged["reason"] = Value::from("forged");
    plant(&repo, &other, &forged);
    let dev = ["--action", "git.push", "--subject", "origin/dev"];
    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &dev).0,
        EXIT_REQUIRE_APPROVAL
    );
    assert!(!entries().is_empty(), "the failed check was not cached");
    for f in entries() {
        std::fs::write(&f, "good\nplanted\n").unwrap();
    }
    assert_eq!(
        eval(&env, &repo, Some("worker-a"), &dev).0,
        EXIT_REQUIRE_APPROVAL
    );
}

/// PATH with `dir` first.
fn path_before(dir: &Path) -> String {
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// `policy eval` for the main push as worker-a, with `path` as PATH.
fn eval_with_path(env: &TestEnv, repo: &Path, path: &str) -> std::process::Output {
    env.codexa(repo)
        .env("PATH", path)
        .args(["--as", "worker-a", "policy", "eval", "--format", "json"])
        .args(MAIN)
        .output()
        .unwrap()
}

#[test]
fn a_hanging_ssh_keygen_is_cut_short() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let (repo, _key) = signed_repo(&env);
    let id = request(&env, &repo, &MAIN);
    ok_as(&env, &repo, None, &["approve", &id]);
    // Altered copies: each one more signature to check.
    let signed = decided_data(&env, &repo, &id)[0].clone();
    for n in 0..4 {
        let mut copy = signed.clone();
        copy["reason"] = Value::from(format!("copy {n}"));
        plant(&repo, &id, &copy);
    }
    // No outcome of a check that failed for want of time is kept.
    let cache = env.store_dir(&repo).join("cache/signatures");
    let _ = std::fs::remove_dir_all(&cache);

    let slow = env.path("slow-bin");
    std::fs::create_dir_all(&slow).unwrap();
    let script = slow.join("ssh-keygen");
    std::fs::write(&script, "#!/bin/sh\nexec sleep 30\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = path_before(slow.as_path());
    let started = std::time::Instant::now();
    let out = eval_with_path(&env, &repo, &path);
    let took = started.elapsed();
    // Only an ssh-keygen that root owns is run: a test that is not root
    // cannot put a hanging one there, and the real one verifies instead.
    if std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&slow).unwrap()) != 0 {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        return;
    }
    // Unverified within the bound (two seconds for all five checks
    // together), not after the sleep nor a second per check.
    assert_eq!(
        out.status.code(),
        Some(EXIT_REQUIRE_APPROVAL),
        "{}",
        stderr(&out)
    );
    assert!(
        took < std::time::Duration::from_millis(4500),
        "took {took:?}"
    );
    let a: Value = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["approval", "show", &id, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        a["decisions"][0]["verified"], true,
        "a timeout was cached: {a:#}"
    );
}

/// An `ssh-keygen` in a folder others can write (as `~/.local/bin` is the
/// agents' user's) is never run, so a stand-in that says yes to anything
/// cannot make a forged decision count.
#[test]
fn an_ssh_keygen_others_can_write_is_not_trusted() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let (repo, _key) = signed_repo(&env);
    let id = request(&env, &repo, &MAIN);
    let mut forged = serde_json::json!({
        "decision": "approve",
        "by": "Test User",
        "signer": "test@example.com",
        "signed_at": "2026-01-01T00:00:00.000Z",
        "signature": "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
    });
    forged["reason"] = Value::from("forged");
    plant(&repo, &id, &forged);
    let yes = env.path("yes-bin");
    std::fs::create_dir_all(&yes).unwrap();
    std::fs::write(yes.join("ssh-keygen"), "#!/bin/sh\nexit 0\n").unwrap();
    std::fs::set_permissions(
        yes.join("ssh-keygen"),
        std::fs::Permissions::from_mode(0o777),
    )
    .unwrap();
    std::fs::set_permissions(&yes, std::fs::Permissions::from_mode(0o777)).unwrap();
    let path = path_before(yes.as_path());
    let out = eval_with_path(&env, &repo, &path);
    assert_eq!(
        out.status.code(),
        Some(EXIT_REQUIRE_APPROVAL),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_decision_arriving_through_sync_must_verify_too() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let here = env.clone_of(&remote, "here");
    let there = env.clone_of(&remote, "there");
    for repo in [&here, &there] {
        extend_config(
            repo,
            "agents:\n  worker-a: {provider: codex, role: worker}\n",
        );
    }
    // `there` does not require signatures and approves unsigned.
    let id = request(&env, &there, &MAIN);
    ok_as(&env, &there, None, &["approve", &id]);
    ok_as(&env, &there, None, &["sync"]);

    require_signature(&here, true);
    let key = keygen(&env, "here");
    allow(&here, EMAIL, &key);
    ok_as(&env, &here, None, &["sync"]);
    assert_eq!(show(&env, &here, &id)["decisions"][0]["verified"], false);
    assert_eq!(
        eval(&env, &here, Some("worker-a"), &MAIN).0,
        EXIT_REQUIRE_APPROVAL
    );
}

#[test]
fn doctor_reports_the_signing_setup() {
    let env = TestEnv::new();
    let (repo, key) = signed_repo(&env);
    let finding = |env: &TestEnv| env.doctor_finding(&repo, "approvals.signatures");
    let (_, f) = finding(&env);
    assert_eq!(f["status"], "ok", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("is listed"),
        "{f:#}"
    );

    let stranger = keygen(&env, "stranger");
    env.git(
        &repo,
        &["config", "user.signingKey", stranger.to_str().unwrap()],
    );
    let (_, f) = finding(&env);
    assert_eq!(f["status"], "warn", "{f:#}");
    let public = std::fs::read_to_string(stranger.with_extension("pub")).unwrap();
    let blob = public.split_whitespace().nth(1).unwrap();
    assert!(f["fix"].as_str().unwrap().contains(blob), "{f:#}");

    env.git(&repo, &["config", "user.signingKey", key.to_str().unwrap()]);
    std::fs::write(repo.join(".codexa/allowed_signers"), "not a signer line\n").unwrap();
    let (code, f) = finding(&env);
    assert_eq!(
        (code, f["status"].as_str()),
        (Some(1), Some("error")),
        "{f:#}"
    );
    assert_eq!(f["line"], 1);

    std::fs::remove_file(repo.join(".codexa/allowed_signers")).unwrap();
    let (code, f) = finding(&env);
    assert_eq!(
        (code, f["status"].as_str()),
        (Some(1), Some("error")),
        "{f:#}"
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("no decision counts"),
        "{f:#}"
    );
}
