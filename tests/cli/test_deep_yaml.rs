//! Files nested 20,000 levels deep (an agent can write `.codexa/`) are
//! refused with an error naming the file and line, never a stack
//! overflow: config (`doctor`), policy (`policy eval`), a phrase file
//! (`ask`), and through the hook, which answers with the fail mode as for
//! any broken policy. A hook payload nested as deep is refused too.

use std::path::Path;
use std::process::Output;

use crate::common::{
    TestEnv, decision, extend_config, fixture, hook_with, parse_answer, reason, stderr, stdout,
};

const DEEP: usize = 20_000;
const REFUSAL: &str = "nest more than 64 levels";

/// A document `prefix` followed by a key `deep` holding each shape, with
/// the line where the refusal points: block lists (which nest on one
/// line), flow lists, flow mappings, and block mappings (which nest by
/// indentation, so 2,000 levels: 20,000 would take 200 MB of spaces).
fn shapes(prefix: &str) -> Vec<(String, usize)> {
    let first = prefix.lines().count() + 1;
    let block_mappings: String = (1..2_000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    vec![
        (
            format!("{prefix}deep:\n{}x\n", "- ".repeat(DEEP)),
            first + 1,
        ),
        (
            format!("{prefix}deep: {}{}\n", "[".repeat(DEEP), "]".repeat(DEEP)),
            first,
        ),
        (
            format!(
                "{prefix}deep: {}1{}\n",
                "{a: ".repeat(DEEP),
                "}".repeat(DEEP)
            ),
            first,
        ),
        // The top-level mapping is the first level and the one on the line
        // below `deep:` the second: the 65th starts 64 lines below `deep:`.
        (format!("{prefix}deep:\n{block_mappings}"), first + 64),
    ]
}

/// The command ended by itself (no signal, no abort) and says `needle`.
fn assert_refused(out: &Output, needle: &str) {
    let text = format!("{}{}", stdout(out), stderr(out));
    assert!(
        out.status.code().is_some_and(|c| c != 0),
        "exit {:?}: {text}",
        out.status
    );
    assert!(text.contains(needle), "`{needle}` not in: {text}");
    assert!(text.contains(REFUSAL), "{text}");
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn regression_deep_config_is_refused_by_doctor_and_the_hook_fails_safe() {
    for (text, line) in shapes("version: 1\n") {
        let env = TestEnv::new();
        let repo = env.init_repo("shop");
        write(&repo.join(".codexa/config.yaml"), &text);
        let out = env.codexa(&repo).arg("doctor").output().unwrap();
        assert_refused(&out, &format!("config.yaml:{line}"));
        // Config unreadable: the hook's own default fail mode.
        let push = fixture(&env, &repo, "claude/pre_tool_use_git_push.json");
        let a = parse_answer(&hook_with(&env, &repo, "claude", &push, &[], &[]), "hook").unwrap();
        assert_eq!(decision(&a), ("PreToolUse", "ask"));
        assert!(reason(&a).contains(REFUSAL), "{a}");
    }
}

#[test]
fn regression_deep_policy_is_refused_and_the_hook_answers_with_the_fail_mode() {
    for (text, line) in shapes("version: 1\nrules: []\n") {
        let env = TestEnv::new();
        let repo = env.init_repo("shop");
        extend_config(&repo, "hooks:\n  fail_mode: deny\n");
        write(&repo.join(".codexa/policy.yaml"), &text);
        let out = env
            .codexa(&repo)
            .args(["policy", "eval", "--action", "git.push"])
            .output()
            .unwrap();
        assert_refused(&out, &format!("policy.yaml:{line}"));
        let push = fixture(&env, &repo, "claude/pre_tool_use_git_push.json");
        let a = parse_answer(&hook_with(&env, &repo, "claude", &push, &[], &[]), "hook").unwrap();
        assert_eq!(decision(&a), ("PreToolUse", "deny"));
        assert!(reason(&a).contains("fail mode deny"), "{a}");
        assert!(reason(&a).contains(REFUSAL), "{a}");
    }
}

#[test]
fn regression_a_deep_phrase_file_is_refused_by_ask() {
    for (text, line) in shapes("version: 1\nphrases: []\n") {
        let env = TestEnv::new();
        let repo = env.init_repo("shop");
        write(&repo.join(".codexa/commands/deep.yaml"), &text);
        let out = env
            .codexa(&repo)
            .args(["ask", "--dry-run", "what is unread"])
            .output()
            .unwrap();
        assert_refused(&out, &format!(".codexa/commands/deep.yaml:{line}"));
    }
}

/// serde_json stops at 128 levels: a payload built deeper is a payload
/// that does not parse, answered with the fail mode.
#[test]
fn a_deep_hook_payload_gets_the_fail_mode() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let payload = format!(
        "{{\"hook_event_name\": \"PreToolUse\", \"tool_input\": {}{}}}",
        "[".repeat(DEEP),
        "]".repeat(DEEP)
    );
    let a = parse_answer(
        &hook_with(&env, &repo, "claude", &payload, &[], &[]),
        "deep",
    )
    .unwrap();
    assert_eq!(decision(&a), ("PreToolUse", "ask"));
    assert!(reason(&a).contains("recursion limit"), "{a}");
}
