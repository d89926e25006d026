//! Running `codexa` and reading what it printed.
//!
//! [`CommandOutput`] is a run's whole behaviour in one value: what it
//! printed on stdout, on stderr, and how it exited, rendered the way a
//! reviewer reads it, so that one inline snapshot (`insta`) states all of
//! it:
//!
//! ```text
//! created .codexa/config.yaml
//! [stderr]
//! Error: …
//! [exit status: 1]
//! ```
//!
//! The other helpers run `codexa` as someone (`--as`) and read its stdout
//! as text or JSON.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::process::{ExitStatus, Output};

use serde_json::Value;

use super::TestEnv;

/// What one command did: stdout, stderr and exit status, with the test's
/// temporary directory shown as `[TMP]`. Its [`Display`](fmt::Display) is
/// stdout, then a `[stderr]` line and stderr when there is any, then
/// `[exit status: N]` when the command failed; ids and hashes become
/// numbered placeholders there (see [`TestEnv::redact`]), numbered across
/// both streams. A stream whose last line lacks its newline is followed by
/// `[no newline at end]`, which a snapshot would not show otherwise.
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub status: ExitStatus,
}

impl fmt::Display for CommandOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn push_stream(text: &mut String, stream: &str) {
            text.push_str(stream);
            if !stream.is_empty() && !stream.ends_with('\n') {
                text.push_str("\n[no newline at end]\n");
            }
        }
        let mut text = String::new();
        push_stream(&mut text, &self.stdout);
        if !self.stderr.is_empty() {
            text.push_str("[stderr]\n");
            push_stream(&mut text, &self.stderr);
        }
        if !self.status.success() {
            match self.status.code() {
                Some(code) => text.push_str(&format!("[exit status: {code}]\n")),
                None => text.push_str(&format!("[{}]\n", self.status)),
            }
        }
        f.write_str(&redact_ids(&text))
    }
}

impl TestEnv {
    /// `codexa ARGS` in `dir`: its whole output, whatever the exit status.
    pub fn run(&self, dir: &Path, args: &[&str]) -> CommandOutput {
        self.command_output(&self.codexa(dir).args(args).output().unwrap())
    }

    /// The whole output of a command run in this environment (one built
    /// with [`TestEnv::codexa`], e.g. to give it stdin).
    pub fn command_output(&self, out: &Output) -> CommandOutput {
        let tmp = self.root().to_str().unwrap();
        CommandOutput {
            stdout: stdout(out).replace(tmp, "[TMP]"),
            stderr: stderr(out).replace(tmp, "[TMP]"),
            status: out.status,
        }
    }
}

/// A command's stdout, as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A command's stderr, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// JSON Lines as values, blank lines skipped.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// `codexa [--as NAME] ARGS` in `dir`; its output whatever the exit code.
pub fn run_as(env: &TestEnv, dir: &Path, speaker: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = env.codexa(dir);
    if let Some(name) = speaker {
        cmd.args(["--as", name]);
    }
    cmd.args(args).output().unwrap()
}

/// `run_as`, asserting success; returns trimmed stdout.
pub fn ok_as(env: &TestEnv, dir: &Path, speaker: Option<&str>, args: &[&str]) -> String {
    let out = run_as(env, dir, speaker, args);
    assert!(
        out.status.success(),
        "codexa {args:?} as {speaker:?} failed ({:?}):\n{}{}",
        out.status.code(),
        stdout(&out),
        stderr(&out)
    );
    stdout(&out).trim().to_string()
}

/// `--format json` output of a command as one JSON value.
pub fn json_as(env: &TestEnv, dir: &Path, speaker: Option<&str>, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let text = ok_as(env, dir, speaker, &all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// See [`TestEnv::redact`].
pub fn redact_ids(text: &str) -> String {
    const CROCKFORD: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const HEX: &str = "0123456789abcdef";
    // A run's steps, tool calls and artifacts take their ids from their
    // events' ids, which vary with the writer's.
    let kinds: [(&str, usize, &str, &str); 6] = [
        ("wr_", 26, CROCKFORD, "WRITER"),
        ("evt_", 26, CROCKFORD, "EVT"),
        ("sha256:", 64, HEX, "SHA"),
        ("step_", 26, CROCKFORD, "STEP"),
        ("tc_", 26, CROCKFORD, "TC"),
        ("art_", 26, CROCKFORD, "ART"),
    ];
    let mut seen: [BTreeMap<String, usize>; 6] = Default::default();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        let at_word_start = out
            .chars()
            .last()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        if at_word_start {
            for (k, (prefix, len, alphabet, label)) in kinds.iter().enumerate() {
                let Some(after) = rest.strip_prefix(prefix) else {
                    continue;
                };
                if after.len() < *len
                    || !after.as_bytes()[..*len]
                        .iter()
                        .all(|b| alphabet.as_bytes().contains(b))
                {
                    continue;
                }
                let token = &rest[..prefix.len() + len];
                let next = seen[k].len() + 1;
                let n = *seen[k].entry(token.to_string()).or_insert(next);
                out.push_str(&format!("[{label}-{n}]"));
                rest = &rest[prefix.len() + len..];
                continue 'scan;
            }
        }
        let c = rest.chars().next().unwrap();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[test]
fn redaction_numbers_ids_in_order_and_keeps_the_rest() {
    let text = "wr_01KDVDNA00WK3BTC2FRKDFB7B8 evt_01KDVDNA00HMCYCZKGB0XCKRQA \
                wr_01KDVDNA00WK3BTC2FRKDFB7B8 sha256:8565505df81859e5b052419bca362efc4deed5662d97ed1ede2d81b964a771fa \
                xwr_01KDVDNA00WK3BTC2FRKDFB7B8 wr_short";
    assert_eq!(
        redact_ids(text),
        "[WRITER-1] [EVT-1] [WRITER-1] [SHA-1] xwr_01KDVDNA00WK3BTC2FRKDFB7B8 wr_short"
    );
}

#[test]
fn command_output_reads_stdout_then_stderr_then_a_failed_status() {
    use std::os::unix::process::ExitStatusExt;
    let failed = CommandOutput {
        stdout: "one\n".into(),
        stderr: "Error: wr_01KDVDNA00WK3BTC2FRKDFB7B8\nno newline".into(),
        status: ExitStatus::from_raw(1 << 8),
    };
    assert_eq!(
        failed.to_string(),
        "one\n[stderr]\nError: [WRITER-1]\nno newline\n[no newline at end]\n[exit status: 1]\n"
    );
    let quiet = CommandOutput {
        stdout: String::new(),
        stderr: String::new(),
        status: ExitStatus::from_raw(0),
    };
    assert_eq!(quiet.to_string(), "");
}

/// Assert `out` exited with `code` and said `says` on stderr.
pub fn assert_fails(out: &Output, code: i32, says: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{}{err}", stdout(out));
    assert!(err.contains(says), "expected {says:?} in: {err}");
}
