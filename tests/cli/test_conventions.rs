//! What every command keeps: exit codes (the table in README.md),
//! `--format json`, `--quiet`, quiet broken pipes, no colour in pipes, and
//! errors that say what to do and change nothing on disk.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use serde_json::Value;

use crate::common::{TestEnv, state_of, stderr, stdout};

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    for args in [
        &["events", "query", "--no-such-flag"][..],
        &["no-such-command"],
        &["events", "append", "--type", "note.added"], // missing --stream, --data
        &["events", "query", "--limit", "many"],
        &["--format", "yaml", "events", "query"],
    ] {
        let out = env.codexa(&repo).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(
            stderr(&out).starts_with("error: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    insta::assert_snapshot!(env.run(&repo, &["events", "query", "--bogus"]), @r"
    [stderr]
    error: unexpected argument '--bogus' found

    Usage: codexa events query [OPTIONS]

    For more information, try '--help'.
    [exit status: 2]
    ");
}

#[test]
fn version_and_help_exit_0_on_stdout() {
    let env = TestEnv::new();
    let dir = env.root();
    let out = env.codexa(dir).arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        format!("codexa {}\n", env!("CARGO_PKG_VERSION"))
    );
    let help = env.codexa(dir).args(["events", "--help"]).output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(
        stdout(&help).contains("Usage: codexa events"),
        "{}",
        stdout(&help)
    );
    assert_eq!(stderr(&help), "");
}

#[test]
fn completions_are_printed_for_each_shell() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env
            .codexa(env.root())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = stdout(&out);
        assert!(script.contains("codexa"), "{shell}");
        let committed = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("completions")
                .join(match shell {
                    "bash" => "codexa.bash",
                    "zsh" => "_codexa",
                    _ => "codexa.fish",
                }),
        )
        .unwrap();
        assert_eq!(script, committed, "completions/ for {shell} is stale");
    }
}

/// `codexa events query | head -1`: the reader goes away after one line;
/// codexa exits 0 without an error message.
#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let lines: String = (0..5000)
        .map(|i| {
            format!(
                "{{\"type\":\"bulk.item\",\"stream\":\"bulk:b\",\"data\":{{\"i\":{i},\"pad\":\"{}\"}}}}\n",
                "x".repeat(64)
            )
        })
        .collect();
    env.codexa(&repo)
        .args(["events", "import", "-"])
        .write_stdin(lines)
        .assert()
        .success();

    for format in ["json", "text"] {
        let mut child = env
            .std_codexa(&repo)
            .args(["events", "query", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        reader.read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        drop(reader); // close the read end, as `head -1` does
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{format}: {err}");
        assert!(!err.contains("Error"), "{format}: {err}");
        assert_eq!(err, "", "{format}");
    }
}

#[test]
fn quiet_silences_status_but_not_data() {
    let env = TestEnv::new();
    let repo = env.repo("repo");

    let init = env
        .codexa(&repo)
        .args(["init", "--quiet"])
        .output()
        .unwrap();
    assert!(init.status.success());
    assert_eq!(stderr(&init), "", "no hints under --quiet");
    assert!(stdout(&init).contains("created .codexa/config.yaml"));

    let loud = env
        .codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:n",
            "--data",
            "{}",
        ])
        .output()
        .unwrap();
    assert!(
        stderr(&loud).starts_with("appended note.added (seq 2) to wr_"),
        "{}",
        stderr(&loud)
    );

    let quiet = env
        .codexa(&repo)
        .args([
            "-q",
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:n",
            "--data",
            "{}",
        ])
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "");
    assert!(stdout(&quiet).trim().starts_with("evt_"));

    let sync = env
        .codexa(&repo)
        .args(["sync", "--quiet"])
        .output()
        .unwrap();
    assert!(sync.status.success());
    assert_eq!(stderr(&sync), "", "no `no remote` status under --quiet");

    // Errors are not status: --quiet keeps them.
    let err = env
        .codexa(&repo)
        .args(["events", "show", "evt_missing", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(1));
    assert!(stderr(&err).contains("Error: no event with id"));
}

#[test]
fn json_format_is_json_everywhere() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let json = |args: &[&str]| -> Value {
        let out = env
            .codexa(&repo)
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed non-JSON ({e}): {}", stdout(&out)))
    };

    let event = json(&[
        "events",
        "append",
        "--type",
        "note.added",
        "--stream",
        "note:n",
        "--data",
        "{}",
    ]);
    assert_eq!(event["type"], "note.added");
    assert_eq!(
        json(&["events", "show", event["id"].as_str().unwrap()]),
        event
    );
    assert_eq!(json(&["events", "verify"])["ok"], true);
    assert_eq!(json(&["index", "rebuild"])["events"], 2);
    assert_eq!(json(&["init"])["store_created"], false);
    assert_eq!(json(&["doctor"])["ok"], true);
    let sync = json(&["sync"]);
    assert_eq!(sync["committed"], true);
    assert_eq!(sync["remote"], Value::Null);

    // Streams are JSON Lines without asking; text on request.
    let query = env
        .codexa(&repo)
        .args(["events", "query"])
        .output()
        .unwrap();
    assert_eq!(stdout(&query).lines().count(), 2);
    for line in stdout(&query).lines() {
        serde_json::from_str::<Value>(line).unwrap();
    }
    let text = env
        .codexa(&repo)
        .args(["events", "tail", "--format", "text"])
        .output()
        .unwrap();
    assert!(serde_json::from_str::<Value>(stdout(&text).lines().next().unwrap()).is_err());
}

/// Pipes and `NO_COLOR` get no escape codes; `--color always` does.
#[test]
fn colour_only_when_wanted() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let segment = env.segment(&repo);
    let mut bytes = std::fs::read(&segment).unwrap();
    bytes.truncate(bytes.len() - 5);
    std::fs::write(&segment, bytes).unwrap();

    let plain = env
        .codexa(&repo)
        .args(["events", "verify"])
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(1));
    assert!(!plain.stdout.contains(&0x1b) && !plain.stderr.contains(&0x1b));
    let no_env = env
        .codexa(&repo)
        .env_remove("NO_COLOR")
        .args(["events", "verify"])
        .output()
        .unwrap();
    assert!(!no_env.stdout.contains(&0x1b), "a pipe gets no colour");

    let forced = env
        .codexa(&repo)
        .env_remove("NO_COLOR")
        .args(["--color", "always", "events", "verify"])
        .output()
        .unwrap();
    assert!(stdout(&forced).contains("\u{1b}["), "{}", stdout(&forced));
}

/// Each bad input is refused with `Error:` and a `Hint:`, exit 1, and not a
/// byte of `.codexa/` or the store changes.
#[test]
fn errors_say_what_to_do_and_change_nothing_on_disk() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    env.append(&repo, "note.added", "note:n", "{}");
    let before = state_of(&env, &repo);
    fn append<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["events", "append"];
        args.extend_from_slice(extra);
        args
    }

    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            append(&[
                "--type",
                "note.added",
                "--stream",
                "note:n",
                "--data",
                "{not json",
            ]),
            "--data is not valid JSON (line 1, column 2)",
        ),
        (
            append(&[
                "--type",
                "note.added",
                "--stream",
                "note:n",
                "--data",
                "[1,2]",
            ]),
            "event data must be a JSON object",
        ),
        (
            append(&[
                "--type",
                "note.added",
                "--stream",
                "no-colon",
                "--data",
                "{}",
            ]),
            "stream `no-colon` is not TYPE:ID",
        ),
        (
            append(&["--type", "Note Added", "--stream", "note:n", "--data", "{}"]),
            "event type `Note Added` is not a valid name",
        ),
        (
            append(&[
                "--type",
                "note.added",
                "--stream",
                "note:n",
                "--data",
                "{}",
                "--actor",
                "robot:r2",
            ]),
            "actor kind `robot` is not one of user, agent, service",
        ),
        (
            append(&[
                "--type",
                "note.added",
                "--stream",
                "note:n",
                "--data",
                "@/no/such/file.json",
            ]),
            "could not read --data from /no/such/file.json",
        ),
        (
            append(&[
                "--type",
                "log.repaired",
                "--stream",
                "writer:w",
                "--data",
                "{}",
            ]),
            "`log.repaired` on `writer:w` is codexa's own to write",
        ),
        (
            vec!["events", "show", "evt_01KDVDNA0000000000000000"],
            "no event with id",
        ),
        (
            vec!["events", "verify", "--ref", "no-such-ref"],
            "`no-such-ref` does not name a commit",
        ),
        (
            vec!["sync", "--remote", "nowhere"],
            "no git remote named `nowhere`",
        ),
        (
            vec!["events", "import", "/no/such/events.jsonl"],
            "could not read events",
        ),
    ];
    for (args, message) in cases {
        let out = env.codexa(&repo).args(&args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.starts_with("Error: "), "{args:?}: {err}");
        assert!(
            err.contains(message),
            "{args:?}: expected {message:?} in {err}"
        );
        assert!(err.contains("\nHint: "), "{args:?}: no hint in {err}");
        assert_eq!(stdout(&out), "", "{args:?}");
        assert_eq!(state_of(&env, &repo), before, "{args:?} changed something");
    }
    assert!(
        env.git(&repo, &["branch", "--list", "codexa/state"])
            .is_empty()
    );
}

/// An I/O failure says what codexa was doing and to which path, with the
/// system's reason below it: each once, whether the error came straight
/// from the file system or under a headline of codexa's own.
#[test]
fn an_io_error_says_each_line_once() {
    let env = TestEnv::new();
    let repo = env.repo("repo");
    // A file where `init` makes the `.codexa/` folder.
    std::fs::write(repo.join(".codexa"), "").unwrap();
    let out = env.codexa(&repo).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = env.redact(&stderr(&out));
    insta::assert_snapshot!(err, @r"
    Error: failed to create directory `[TMP]/repo/.codexa`
    Caused by: File exists (os error 17)
    ");

    let repo = env.init_repo("initialized");
    let out = env
        .codexa(&repo)
        .args(["post", "th_x", "--file", "missing.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err2 = stderr(&out);
    insta::assert_snapshot!(err2, @r"
    Error: could not read the message from missing.md
    Caused by: failed to open file `missing.md`
    Caused by: No such file or directory (os error 2)
    Hint: `@FILE` names a regular file of at most 64 MiB; check the path
    ");
    for text in [err, err2] {
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.split_once(": ").map_or(l, |(_, rest)| rest))
            .collect();
        let once: std::collections::BTreeSet<&str> = lines.iter().copied().collect();
        assert_eq!(once.len(), lines.len(), "a line is said twice: {text}");
    }
}

/// A repository where nobody ran `codexa init`: writing is refused with the
/// command to run, and nothing is created.
#[test]
fn appending_before_init_says_to_run_init() {
    let env = TestEnv::new();
    let repo = env.repo("repo");

    let out = env.run(
        &repo,
        &[
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:n",
            "--data",
            "{}",
        ],
    );

    insta::assert_snapshot!(out, @r"
    [stderr]
    Error: codexa is not set up in [TMP]/repo (no .codexa/ folder)
    Hint: run `codexa init`
    [exit status: 1]
    ");
    assert!(!repo.join(".codexa").exists());
    assert!(!repo.join(".git/codexa").exists());
}

#[test]
fn dash_c_runs_as_if_started_in_dir() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    let id = env.append(&repo, "note.added", "note:n", "{}");
    let out = env
        .codexa(env.root())
        .arg("-C")
        .arg(&repo)
        .args(["events", "show", &id, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let event: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(event["id"], id.as_str());
}
