//! Secrets never reach the log or git: every event's data passes the
//! redaction filter (built-in credential patterns plus `redaction.patterns`
//! from config) before it is written, `provenance.redactions` says what was
//! masked where, and `post` tells the writer.

use std::path::Path;

use serde_json::Value;

use crate::common::{
    AGENTS, TestEnv, extend_config, files_under, json_as, messages, new_thread, ok_as, post_ok,
    run_as, stderr, stdout,
};

const AWS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// The body lines of a (fake) PEM private key, each checked on its own.
const PEM_BODY: [&str; 2] = [
    "MIIEowIBAAKCAQEAcodexaFAKEkeyBODYlineONEqwertyuiopasdfghjklzxcv",
    "bnmCODEXAfakeKEYbodyLINEtwo0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
];
const GITHUB_TOKEN: &str = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
const OPENAI_KEY: &str = "sk-proj-codexaFAKEopenaiKEY0123456789";
const TICKET: &str = "TCK-4821";
const PASSWORD: &str = "hunter2-codexa-pw";
const JSON_PASSWORD: &str = "s3cr3t-codexa-json";

/// The message body with every secret of the main test.
fn secret_message() -> String {
    format!(
        "Deploy creds for staging:\n\
         aws_access_key_id = {AWS_KEY}\n\
         aws_secret_access_key = {AWS_SECRET}\n\
         and the deploy key:\n\
         -----BEGIN RSA PRIVATE KEY-----\n{}\n{}\n-----END RSA PRIVATE KEY-----\n\
         Rotate them after.",
        PEM_BODY[0], PEM_BODY[1]
    )
}

/// Strings that must never be stored: every secret these tests write.
fn secrets() -> Vec<&'static str> {
    let mut all = vec![
        AWS_KEY,
        AWS_SECRET,
        GITHUB_TOKEN,
        OPENAI_KEY,
        TICKET,
        PASSWORD,
        JSON_PASSWORD,
    ];
    all.extend(PEM_BODY);
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Assert no file under `dir` (recursively, nothing skipped) holds a secret;
/// returns how many files were read.
fn assert_no_secret_in_files(dir: &Path) -> usize {
    let files = files_under(dir, &[]);
    for (path, bytes) in &files {
        for s in secrets() {
            assert!(
                !contains(bytes, s),
                "{s:?} is stored in {}",
                dir.join(path).display()
            );
        }
    }
    files.len()
}

/// Assert no git object in the repository at `dir` (any ref, loose or
/// packed, decompressed) holds a secret.
fn assert_no_secret_in_git_objects(env: &TestEnv, dir: &Path) {
    let out = env.git_output(dir, &["cat-file", "--batch-all-objects", "--batch"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!out.stdout.is_empty());
    for s in secrets() {
        assert!(
            !contains(&out.stdout, s),
            "{s:?} is in a git object of {}",
            dir.display()
        );
    }
}

#[test]
fn a_posted_secret_is_masked_before_it_reaches_the_store_or_git() {
    let env = TestEnv::new();
    let remote = env.shared_remote();
    let repo = env.clone_of(&remote, "a");
    extend_config(
        &repo,
        &format!(
            "{AGENTS}redaction:\n  patterns:\n    - {{name: ticket, regex: \"TCK-[0-9]+\"}}\n"
        ),
    );
    let th = new_thread(&env, &repo, Some("lead"), "Staging creds", "worker-a");

    let out = run_as(&env, &repo, Some("lead"), &["post", &th, &secret_message()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    assert!(id.starts_with("msg_"), "{id}");
    let err = stderr(&out);
    assert!(err.contains("masked a secret before logging"), "{err}");
    for kind in ["aws_access_key", "aws_secret_key", "private_key"] {
        assert!(err.contains(&format!("[REDACTED:{kind}]")), "{kind}: {err}");
    }
    for s in secrets() {
        assert!(!err.contains(s), "stderr repeats {s:?}");
    }

    // A second message through stdin, and a config pattern.
    let out = env
        .codexa(&repo)
        .args(["--as", "worker-a", "post", &th])
        .write_stdin(format!("key {OPENAI_KEY} for {TICKET}, as agreed"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("masked a secret before logging"),
        "{}",
        stderr(&out)
    );

    // What a reader sees.
    let text = ok_as(&env, &repo, None, &["thread", "show", &th]);
    for marker in [
        "[REDACTED:aws_access_key]",
        "[REDACTED:aws_secret_key]",
        "[REDACTED:private_key]",
        "[REDACTED:openai_key]",
        "[REDACTED:ticket]",
    ] {
        assert!(text.contains(marker), "{marker} missing:\n{text}");
    }
    assert!(text.contains("Rotate them after."), "{text}");
    for s in secrets() {
        assert!(!text.contains(s), "thread show prints {s:?}");
    }
    let msgs = messages(&env, &repo, &th);
    assert_eq!(msgs[0]["id"], id.as_str());
    assert!(
        msgs[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("Deploy creds for staging:\n"),
        "{:#}",
        msgs[0]
    );
    assert_eq!(
        msgs[1]["body"],
        "key [REDACTED:openai_key] for [REDACTED:ticket], as agreed"
    );
    let kinds = |m: &Value| -> Vec<String> {
        let mut k: Vec<String> = m["redactions"]
            .as_array()
            .unwrap_or_else(|| panic!("no redactions in {m:#}"))
            .iter()
            .map(|r| {
                assert_eq!(r["path"], "/body", "{r}");
                assert_eq!(r["count"], 1, "{r}");
                r["kind"].as_str().unwrap().to_string()
            })
            .collect();
        k.sort();
        k
    };
    assert_eq!(
        kinds(&msgs[0]),
        ["aws_access_key", "aws_secret_key", "private_key"]
    );
    assert_eq!(kinds(&msgs[1]), ["openai_key", "ticket"]);

    // The event itself carries the redactions in its provenance.
    let posted = env.query(&repo, &["--type", "message.posted"]);
    assert_eq!(posted.len(), 2);
    assert_eq!(posted[0]["id"], id.replacen("msg_", "evt_", 1).as_str());
    assert_eq!(
        posted[0]["provenance"]["redactions"], msgs[0]["redactions"],
        "{:#}",
        posted[0]
    );
    assert!(posted[0]["provenance"]["config"].is_string());

    // Nothing anywhere in the store holds a secret: segments, index, cache.
    let store = env.store_dir(&repo);
    assert!(store.join("cache/index.sqlite").is_file());
    assert!(assert_no_secret_in_files(&store) >= 3);

    // Nor does the published branch, after sync, nor any git object.
    let out = env.codexa(&repo).arg("sync").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = env.git(&repo, &["ls-tree", "-r", "codexa/state"]);
    let mut published = String::new();
    for line in tree.lines() {
        let (meta, _path) = line.split_once('\t').unwrap();
        let blob = meta.split_whitespace().nth(2).unwrap();
        published.push_str(&env.git(&repo, &["cat-file", "-p", blob]));
    }
    assert!(
        published.contains("[REDACTED:private_key]"),
        "the published branch lacks the message:\n{published}"
    );
    for s in secrets() {
        assert!(!published.contains(s), "{s:?} is published on codexa/state");
    }
    let grep = env.git_output(
        &repo,
        &[
            "grep",
            "-F",
            "-e",
            AWS_KEY,
            "-e",
            PEM_BODY[0],
            "codexa/state",
        ],
    );
    assert_eq!(grep.status.code(), Some(1), "{}", stdout(&grep));
    assert_no_secret_in_git_objects(&env, &repo);
    assert_no_secret_in_git_objects(&env, &remote);
    // Every file of the test, work trees, stores and remote included.
    assert_no_secret_in_files(env.root());
    env.assert_verifies(&repo);
}

#[test]
fn every_write_is_filtered_events_append_and_config_patterns_included() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    extend_config(
        &repo,
        &format!(
            "{AGENTS}redaction:\n  patterns:\n    - {{name: ticket, regex: \"TCK-[0-9]+\"}}\n"
        ),
    );
    let data = serde_json::json!({
        "text": format!("pushed with {GITHUB_TOKEN}"),
        "nested": {"list": ["fine", GITHUB_TOKEN]},
        "ref": format!("fixes {TICKET}"),
        "n": 7,
    });
    let id = env.append(&repo, "note.added", "note:1", &data.to_string());
    let events = env.query(&repo, &["--type", "note.added"]);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e["id"], id.as_str());
    assert_eq!(e["data"]["text"], "pushed with [REDACTED:github_token]");
    assert_eq!(
        e["data"]["nested"]["list"],
        serde_json::json!(["fine", "[REDACTED:github_token]"])
    );
    assert_eq!(e["data"]["ref"], "fixes [REDACTED:ticket]");
    assert_eq!(e["data"]["n"], 7);
    let mut found: Vec<(String, String, u64)> = e["provenance"]["redactions"]
        .as_array()
        .unwrap_or_else(|| panic!("no provenance.redactions in {e:#}"))
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["path"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("github_token".into(), "/nested/list/1".into(), 1),
            ("github_token".into(), "/text".into(), 1),
            ("ticket".into(), "/ref".into(), 1),
        ]
    );

    // Thread titles and ack notes are event data too.
    let th = new_thread(
        &env,
        &repo,
        Some("lead"),
        &format!("Incident {TICKET}"),
        "worker-a",
    );
    let msg = post_ok(&env, &repo, Some("lead"), &th, "plain text", &[]);
    let out = run_as(&env, &repo, Some("worker-a"), &["post", &th, "plain reply"]);
    assert!(out.status.success());
    assert!(
        !stderr(&out).contains("masked"),
        "a clean post warned: {}",
        stderr(&out)
    );
    ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &["ack", &msg, "--note", &format!("rotated {GITHUB_TOKEN}")],
    );
    let thread = json_as(&env, &repo, None, &["thread", "show", &th]);
    assert_eq!(thread["title"], "Incident [REDACTED:ticket]");
    assert!(thread["messages"][1].get("redactions").is_none());
    let acks = env.query(&repo, &["--type", "message.acked"]);
    assert_eq!(acks[0]["data"]["note"], "rotated [REDACTED:github_token]");

    // Password assignments keep the name and lose the value, written as
    // shell, YAML or JSON.
    let body = format!(
        "db: password={PASSWORD} user=bob\nor in the JSON config: {{\"user\": \"bob\", \"password\": \"{JSON_PASSWORD}\"}}"
    );
    let out = run_as(&env, &repo, Some("lead"), &["post", &th, &body]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("masked a secret before logging"));
    let thread = json_as(&env, &repo, None, &["thread", "show", &th]);
    let stored = thread["messages"][2]["body"].as_str().unwrap();
    assert!(
        stored.starts_with("db: password=[REDACTED:password] user=bob\n"),
        "{stored}"
    );
    assert!(
        stored.contains("\"password\": [REDACTED:password]"),
        "{stored}"
    );
    assert!(!stored.contains(JSON_PASSWORD), "{stored}");

    assert_no_secret_in_files(&env.store_dir(&repo));
    env.assert_verifies(&repo);
}
