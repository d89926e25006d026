//! Threads and messages through the binary, for the tests of every command
//! that reads or writes them.

use std::path::Path;

use serde_json::Value;

use super::{TestEnv, json_as, ok_as};

/// `thread new TITLE --participants P` as `speaker`; returns the thread id.
pub fn new_thread(
    env: &TestEnv,
    dir: &Path,
    speaker: Option<&str>,
    title: &str,
    participants: &str,
) -> String {
    let id = ok_as(
        env,
        dir,
        speaker,
        &["thread", "new", title, "--participants", participants],
    );
    assert!(id.starts_with("th_"), "thread new printed {id:?}");
    id
}

/// `post TH TEXT [EXTRA…]` as `speaker`, asserting success; returns the
/// message id it printed.
pub fn post_ok(
    env: &TestEnv,
    dir: &Path,
    speaker: Option<&str>,
    thread: &str,
    text: &str,
    extra: &[&str],
) -> String {
    let mut args = vec!["post", thread, text];
    args.extend_from_slice(extra);
    let id = ok_as(env, dir, speaker, &args);
    assert!(id.starts_with("msg_"), "post printed {id:?}");
    id
}

/// `thread show TH --format json`.
pub fn show(env: &TestEnv, dir: &Path, thread: &str) -> Value {
    json_as(env, dir, None, &["thread", "show", thread])
}

/// The thread's messages from `thread show`.
pub fn messages(env: &TestEnv, dir: &Path, thread: &str) -> Vec<Value> {
    show(env, dir, thread)["messages"]
        .as_array()
        .expect("messages is a list")
        .clone()
}

/// A field of each message, as strings.
pub fn field(messages: &[Value], key: &str) -> Vec<String> {
    messages
        .iter()
        .map(|m| m[key].as_str().unwrap_or_default().to_string())
        .collect()
}
