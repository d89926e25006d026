//! Many processes appending to one clone at once: the lock keeps one
//! gapless chain, nothing lost, nothing doubled.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::common::{TestEnv, stderr, stdout};

const WORKERS: u64 = 4;
const APPENDS: u64 = 500;

/// Run `per_worker` appends on each of `WORKERS` threads, each append its
/// own `codexa` process; returns the ids the processes printed.
fn hammer(
    env: &TestEnv,
    repo: &Path,
    per_worker: u64,
    args: fn(u64, u64) -> Vec<String>,
) -> Vec<String> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|p| {
                s.spawn(move || {
                    let mut ids = Vec::new();
                    for i in 1..=per_worker {
                        let out = env
                            .std_codexa(repo)
                            .args(["events", "append", "-q"])
                            .args(args(p, i))
                            .output()
                            .unwrap();
                        assert!(
                            out.status.success(),
                            "worker {p} append {i} failed: {}",
                            stderr(&out)
                        );
                        assert_eq!(stderr(&out), "", "--quiet leaves stderr empty");
                        ids.push(stdout(&out).trim().to_string());
                    }
                    ids
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

#[test]
fn four_processes_appending_500_each_lose_and_double_nothing() {
    let env = TestEnv::real_clock();
    let repo = env.init_repo("repo");

    let printed = hammer(&env, &repo, APPENDS, |p, i| {
        vec![
            "--type".into(),
            "conc.item".into(),
            "--stream".into(),
            format!("worker:w{p}"),
            "--data".into(),
            format!(r#"{{"p":{p},"i":{i}}}"#),
        ]
    });

    let total = (WORKERS * APPENDS) as usize;
    assert_eq!(printed.len(), total);
    let (code, text) = env.verify(&repo);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("seq 1..2001"), "{text}");

    let events = env.query(&repo, &[]);
    assert_eq!(events.len(), total + 1, "2,000 appends and the init event");
    let items: Vec<&Value> = events.iter().filter(|e| e["type"] == "conc.item").collect();
    assert_eq!(items.len(), total);
    let mut seen: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    for e in &items {
        let key = (
            e["data"]["p"].as_u64().unwrap(),
            e["data"]["i"].as_u64().unwrap(),
        );
        *seen.entry(key).or_default() += 1;
    }
    for p in 0..WORKERS {
        for i in 1..=APPENDS {
            assert_eq!(seen.get(&(p, i)), Some(&1), "data {{p:{p}, i:{i}}}");
        }
    }
    let stored: BTreeSet<&str> = items.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let printed: BTreeSet<&str> = printed.iter().map(String::as_str).collect();
    assert_eq!(stored, printed, "every printed id is stored, once");

    // One gapless chain, read back in seq order, time never going back.
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=total as u64 + 1).collect::<Vec<_>>());
    assert!(
        events
            .windows(2)
            .all(|w| w[0]["ts"].as_str() <= w[1]["ts"].as_str()),
        "ts went backwards"
    );
    // Each worker's own appends keep their order in the chain.
    for p in 0..WORKERS {
        let is: Vec<u64> = items
            .iter()
            .filter(|e| e["data"]["p"] == p)
            .map(|e| e["data"]["i"].as_u64().unwrap())
            .collect();
        assert_eq!(is, (1..=APPENDS).collect::<Vec<_>>());
    }
}

/// Retries racing each other with one idempotency key append one event.
#[test]
fn concurrent_retries_with_one_idempotency_key_append_once() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");

    let printed = hammer(&env, &repo, 5, |p, i| {
        vec![
            "--type".into(),
            "job.started".into(),
            "--stream".into(),
            "job:j1".into(),
            "--idempotency-key".into(),
            "job-j1-start".into(),
            "--data".into(),
            format!(r#"{{"p":{p},"i":{i}}}"#),
        ]
    });

    let distinct: BTreeSet<&String> = printed.iter().collect();
    assert_eq!(
        distinct.len(),
        1,
        "every retry printed the first id: {distinct:?}"
    );
    let jobs = env.query(&repo, &["--type", "job.started"]);
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0]["id"], printed[0].as_str());
    env.assert_verifies(&repo);
}

/// `events verify` beside a process appending: the head record it checks
/// the chain against is read with the lengths it verifies, so an append
/// landing between the two never reads as lines cut off the chain.
#[test]
fn verify_beside_appends_finds_nothing_cut() {
    let env = TestEnv::real_clock();
    let repo = env.init_repo("repo");
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0..150 {
                let out = env
                    .std_codexa(&repo)
                    .args(["events", "append", "-q", "--type", "note.added"])
                    .args(["--stream", "note:race", "--data"])
                    .arg(format!("{{\"i\":{i}}}"))
                    .output()
                    .unwrap();
                assert!(out.status.success(), "append {i}: {}", stderr(&out));
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let mut verified = 0;
        while !done.load(std::sync::atomic::Ordering::SeqCst) || verified == 0 {
            let out = env
                .std_codexa(&repo)
                .args(["events", "verify"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "verify {verified} during appends: {}{}",
                stdout(&out),
                stderr(&out)
            );
            verified += 1;
        }
    });
}
