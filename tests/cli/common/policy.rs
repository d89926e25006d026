//! The policy gate as a script sees it: `policy eval`'s exit codes and
//! JSON decision.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use super::{TestEnv, run_as, stderr, stdout};

/// `policy eval`'s exit code for `require_approval`.
pub const EXIT_REQUIRE_APPROVAL: i32 = 4;
/// `policy eval`'s exit code for `deny`.
pub const EXIT_DENY: i32 = 5;

/// `policy eval` as `speaker`, JSON; its exit code and decision.
pub fn eval(env: &TestEnv, dir: &Path, speaker: Option<&str>, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["policy", "eval", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_as(env, dir, speaker, &all);
    decision_of(&out)
}

/// A `policy eval --format json` run: its exit code and decision.
pub fn decision_of(out: &Output) -> (i32, Value) {
    let code = out.status.code().unwrap();
    let v: Value = serde_json::from_str(&stdout(out)).unwrap_or_else(|e| {
        panic!(
            "policy eval printed no JSON ({e}), exit {code}: {}{}",
            stdout(out),
            stderr(out)
        )
    });
    (code, v)
}
