//! Agent hooks through the binary: the payloads in `tests/fixtures/hooks/`
//! fed to `codexa hook claude|codex`, and the answers read back.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use super::{TestEnv, stderr, stdout};

/// The payload `tests/fixtures/hooks/NAME`, with `{{repo}}` and
/// `{{outside}}` filled in.
pub fn fixture(env: &TestEnv, repo: &Path, name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hooks")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .trim()
        .replace("{{repo}}", repo.to_str().unwrap())
        .replace("{{outside}}", env.path("outside").to_str().unwrap())
}

/// `codexa hook AGENT` with `stdin`, extra environment and arguments.
pub fn hook_with(
    env: &TestEnv,
    dir: &Path,
    agent: &str,
    stdin: &str,
    vars: &[(&str, &str)],
    args: &[&str],
) -> Output {
    let mut cmd = env.codexa(dir);
    cmd.args(["hook", agent]).args(args).write_stdin(stdin);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// A hook's answer: exit code 0 and, unless it printed nothing, one line
/// of JSON holding only `hookSpecificOutput`, which is returned. `what`
/// names the run in failure messages.
pub fn parse_answer(out: &Output, what: &str) -> Option<Value> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: {}{}",
        stdout(out),
        stderr(out)
    );
    let text = stdout(out);
    if text.trim().is_empty() {
        return None;
    }
    assert_eq!(text.lines().count(), 1, "{what}: one line of JSON: {text}");
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["hookSpecificOutput"], "{text}");
    Some(v["hookSpecificOutput"].clone())
}

/// (event, decision) from either answer shape: PreToolUse's
/// `permissionDecision`, PermissionRequest's `decision.behavior`.
pub fn decision(a: &Value) -> (&str, &str) {
    let d = a["permissionDecision"]
        .as_str()
        .or_else(|| a["decision"]["behavior"].as_str())
        .unwrap();
    (a["hookEventName"].as_str().unwrap(), d)
}

/// The reason an answer gives, which codexa's policy wrote.
pub fn reason(a: &Value) -> &str {
    let r = a["permissionDecisionReason"]
        .as_str()
        .or_else(|| a["decision"]["message"].as_str())
        .unwrap();
    assert!(r.starts_with("codexa policy: "), "{r}");
    r
}
