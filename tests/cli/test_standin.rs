//! The stand-in agents (`tests/fixtures/agents/`) take typing as the real
//! agents do, on a real private tmux server: what is typed waits in the
//! input box until Enter, a bracketed paste keeps its newlines, Enter
//! submits the draft exactly once and runs the UserPromptSubmit hook from
//! inside the pane, nothing typed is ever run by a shell, and the approval
//! dialog has no input box. Tests of codexa that type into agents' panes
//! rely on all of this, so it is proven here first.
//!
//! Nothing waits a fixed time to assert: every expectation is polled until
//! it holds or `DEADLINE` passes. The one deliberate wait is the gap a
//! person leaves between a paste and Enter, which the Codex stand-in, like
//! Codex, needs to tell that Enter from the paste.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Agent, HookRun, Server, TestEnv, claude_event, eventually, stderr, stdout};

/// Both stand-ins: what holds for the one holds for the other.
const PROVIDERS: [&str; 2] = ["claude", "codex"];

/// The gap a test leaves between a paste and the Enter that submits it:
/// past the 120 ms in which Codex takes an Enter as part of a paste.
const AFTER_PASTE: Duration = Duration::from_millis(150);

/// An initialised repository (the hooks record in its store) and a private
/// tmux server for the test `test`.
fn setup<'a>(env: &'a TestEnv, test: &str) -> (PathBuf, Server<'a>) {
    (env.init_repo("shop"), Server::new(env, test))
}

/// Wait until `agent`'s input box shows `draft`.
fn shows(agent: &Agent, draft: &str) {
    eventually(
        &format!("{}'s box to show {draft:?}", agent.pane),
        || match agent.input_box() {
            Some(d) if d == draft => Ok(()),
            other => Err(format!("{other:?} on\n{}", agent.capture())),
        },
    );
}

/// Wait until `agent` has submitted `n` prompts; all it has submitted.
fn submitted(agent: &Agent, n: usize) -> Vec<String> {
    eventually(&format!("{} prompts from {}", n, agent.pane), || {
        let prompts = agent.prompts();
        if prompts.len() >= n {
            Ok(prompts)
        } else {
            Err(format!("{prompts:?} on\n{}", agent.capture()))
        }
    })
}

/// `text` as the stand-ins draw it: control characters but newline as
/// `^X`, DEL as `^?`.
fn drawn(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\x7f' => out.push_str("^?"),
            c if c < ' ' => {
                out.push('^');
                out.push(char::from(c as u8 + 64));
            }
            c => out.push(c),
        }
    }
    out
}

/// Sleep until `d` has passed since `since` (no assertion waits on it).
fn sleep_past(since: Instant, d: Duration) {
    if let Some(left) = d.checked_sub(since.elapsed()) {
        std::thread::sleep(left);
    }
}

/// Pane `pane` in `codexa status --format json`.
fn status_of(env: &TestEnv, repo: &Path, server: &Server, pane: &str) -> Value {
    let out = env
        .codexa(repo)
        .args(["status", "--format", "json", "--socket", &server.socket])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let views: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    views
        .into_iter()
        .find(|v| v["pane"] == pane)
        .unwrap_or_else(|| panic!("no pane {pane}: {}", stdout(&out)))
}

/// The UserPromptSubmit the `k`-th submit (from 1) ran, as the hook spool
/// holds it; the hook answered with silence and logged no failure. The
/// hooks run one after the other, so the `k`-th in the spool is its.
fn spooled_prompt(agent: &Agent, k: usize) -> Value {
    let silent = HookRun {
        status: 0,
        stdout: String::new(),
        stderr: String::new(),
    };
    assert_eq!(agent.submit_hook(k), silent, "the hook of prompt {k}");
    agent.assert_no_hook_failure();
    let prompts: Vec<Value> = agent
        .spooled()
        .into_iter()
        .filter(|p| p["hook_event_name"] == "UserPromptSubmit")
        .collect();
    assert!(prompts.len() >= k, "{prompts:#?}");
    prompts[k - 1].clone()
}

#[test]
fn typed_text_waits_in_the_box_and_enter_submits_it_once_through_the_hook() {
    let env = TestEnv::real_clock();
    let (repo, server) = setup(&env, "typed");
    for provider in PROVIDERS {
        let mut agent = Agent::start(&env, &server, &repo, provider, provider, "idle");
        let sid = format!("typed-{provider}-session");
        agent.set_session(&sid);
        shows(&agent, "");

        // Typed, not submitted: every key was read before the box was
        // drawn, so an Enter among them would have submitted first.
        let text = "Fix the flaky build";
        server.type_keys(&agent.pane, text);
        shows(&agent, text);
        assert_eq!(agent.prompts(), Vec::<String>::new());

        server.keys(&agent.pane, &["Enter"]);
        assert_eq!(submitted(&agent, 1), [text]);
        let raw = spooled_prompt(&agent, 1);
        assert_eq!(
            raw,
            {
                let mut v = json!({
                    "hook_event_name": "UserPromptSubmit",
                    "session_id": sid,
                    "prompt": text,
                    "cwd": repo,
                });
                if provider == "claude" {
                    v["transcript_path"] = json!(
                        env.home()
                            .join(format!(".claude/projects/standin/{sid}.jsonl"))
                    );
                    v["permission_mode"] = json!("default");
                }
                v
            },
            "{provider}"
        );
        // The box is empty again, the agent busy, and codexa knows the
        // session from the hook sent from inside the pane.
        shows(&agent, "");
        assert!(
            agent.capture().contains("esc to interrupt"),
            "{}",
            agent.capture()
        );
        let v = status_of(&env, &repo, &server, &agent.pane);
        assert_eq!(
            (&v["evidence"], &v["activity"], &v["session_id"]),
            (&json!("deterministic"), &json!("running"), &json!(sid)),
            "{v:#}"
        );
        assert_eq!(v["title"], text, "{v:#}");

        // Enter on the empty box submits nothing: the key typed after it
        // shows, so that Enter was read.
        server.keys(&agent.pane, &["Enter"]);
        server.type_keys(&agent.pane, "x");
        shows(&agent, "x");
        assert_eq!(agent.prompts(), [text], "{provider}");

        // Backspace takes back a character (a whole UTF-8 one), Ctrl-C the
        // whole draft.
        server.type_keys(&agent.pane, "é");
        server.keys(&agent.pane, &["BSpace"]);
        shows(&agent, "x");
        server.keys(&agent.pane, &["C-c"]);
        shows(&agent, "");
        assert_eq!(agent.prompts(), [text], "{provider}");
        assert_eq!(agent.spooled().len(), 1, "one hook: {:#?}", agent.spooled());
    }
}

#[test]
fn a_bracketed_paste_keeps_its_newlines_and_a_later_enter_submits_it_whole() {
    let env = TestEnv::real_clock();
    let (repo, server) = setup(&env, "paste");
    let text = "Refactor the cache:\n- keep the public API\n\n- drop the global lock";
    for provider in PROVIDERS {
        let agent = Agent::start(&env, &server, &repo, provider, provider, "idle");
        let pasted = Instant::now();
        server.paste(&agent.pane, text, &[]);
        shows(&agent, text);
        assert_eq!(agent.prompts(), Vec::<String>::new(), "{provider}");

        sleep_past(pasted, AFTER_PASTE);
        server.keys(&agent.pane, &["Enter"]);
        assert_eq!(submitted(&agent, 1), [text], "{provider}");
        assert_eq!(spooled_prompt(&agent, 1)["prompt"], text, "{provider}");
        shows(&agent, "");
    }
}

#[test]
fn an_enter_right_behind_a_paste_submits_to_claude_and_is_a_newline_to_codex() {
    let env = TestEnv::real_clock();
    let (repo, server) = setup(&env, "burst");
    let text = "one\ntwo";
    // The Enter goes in the same tmux command as the paste: it reaches the
    // pane right behind it, well inside Codex's 120 ms.
    let claude = Agent::start(&env, &server, &repo, "claude", "claude", "idle");
    server.paste(
        &claude.pane,
        text,
        &[";", "send-keys", "-t", &claude.pane, "Enter"],
    );
    assert_eq!(submitted(&claude, 1), [text]);

    // Codex draws a paste once the 120 ms have passed, so once it shows,
    // the next Enter is an Enter again.
    let codex = Agent::start(&env, &server, &repo, "codex", "codex", "idle");
    server.paste(
        &codex.pane,
        text,
        &[";", "send-keys", "-t", &codex.pane, "Enter"],
    );
    shows(&codex, "one\ntwo\n");
    assert_eq!(codex.prompts(), Vec::<String>::new());
    server.keys(&codex.pane, &["Enter"]);
    assert_eq!(submitted(&codex, 1), ["one\ntwo\n"]);
}

#[test]
fn a_swallowed_enter_leaves_the_draft_and_the_next_enter_submits_it() {
    let env = TestEnv::real_clock();
    let (repo, server) = setup(&env, "swallow");
    for provider in PROVIDERS {
        let mut agent = Agent::start(&env, &server, &repo, provider, provider, "idle");
        agent.swallow(1);
        let text = "Run the tests again";
        server.type_keys(&agent.pane, text);
        server.keys(&agent.pane, &["Enter"]);
        eventually("the Enter to be swallowed", || match agent.swallowed() {
            1 => Ok(()),
            n => Err(format!("{n} swallowed")),
        });
        shows(&agent, text);
        assert_eq!(agent.prompts(), Vec::<String>::new(), "{provider}");

        server.keys(&agent.pane, &["Enter"]);
        assert_eq!(submitted(&agent, 1), [text], "{provider}");
        assert_eq!(agent.swallowed(), 1, "{provider}");
        assert_eq!(spooled_prompt(&agent, 1)["prompt"], text, "{provider}");
    }
}

#[test]
fn typed_and_pasted_text_arrives_literally_and_nothing_in_it_runs() {
    let env = TestEnv::real_clock();
    let (repo, server) = setup(&env, "literal");
    let marker = env.path("ran");
    let m = marker.display();
    let typed = [
        format!("$(touch {m})"),
        format!("`touch {m}`"),
        format!("; touch {m};"),
        format!("\"double\" 'single' \\ back\\\\slash && touch {m} | cat"),
        "C-c".to_string(),
        "Enter".to_string(),
        "-n leading dash".to_string(),
        "--".to_string(),
        "%s %n $HOME ${HOME} \\u0041 \\n !! #{pane_id}".to_string(),
        "héllo ✓ — ünïcode".to_string(),
    ];
    // Pasted, as it comes: tabs, CR, ESC sequences, a bell, Ctrl-C, DEL.
    let pasted =
        format!("tab\there\r\nCR LF\n\x1b[31mred\x1b[0m \x07 \x03 \x7f\n$(touch {m})\n`touch {m}`");
    for provider in PROVIDERS {
        let agent = Agent::start(&env, &server, &repo, provider, provider, "idle");
        let mut sent: Vec<String> = Vec::new();
        for text in &typed {
            server.type_keys(&agent.pane, text);
            shows(&agent, text);
            server.keys(&agent.pane, &["Enter"]);
            sent.push(text.clone());
            assert_eq!(submitted(&agent, sent.len()), sent, "{provider}");
        }
        let at = Instant::now();
        server.paste(&agent.pane, &pasted, &[]);
        shows(&agent, &drawn(&pasted));
        sleep_past(at, AFTER_PASTE);
        server.keys(&agent.pane, &["Enter"]);
        sent.push(pasted.clone());
        assert_eq!(submitted(&agent, sent.len()), sent, "{provider}");

        // The hook got each byte for byte, through its JSON.
        for (k, text) in sent.iter().enumerate() {
            assert_eq!(spooled_prompt(&agent, k + 1)["prompt"], text.as_str());
        }
        assert!(!marker.exists(), "something typed ran");
        assert_eq!(
            status_of(&env, &repo, &server, &agent.pane)["presence"],
            "managed",
            "the stand-in runs on after Ctrl-C"
        );
    }
}

#[test]
fn the_approval_dialog_replaces_the_input_box_and_takes_the_keys() {
    let env = TestEnv::real_clock();
    let (repo, server) = setup(&env, "dialog");
    for provider in PROVIDERS {
        let mut agent = Agent::start(&env, &server, &repo, provider, provider, "idle");
        let draft = "Half-written thought";
        server.type_keys(&agent.pane, draft);
        shows(&agent, draft);

        agent.screen("approval");
        eventually("the dialog", || match agent.input_box() {
            None => Ok(()),
            Some(d) => Err(format!("a box with {d:?} on\n{}", agent.capture())),
        });
        assert!(!agent.capture().contains(draft), "{}", agent.capture());
        server.type_keys(&agent.pane, "2");
        server.keys(&agent.pane, &["Enter"]);
        eventually("the keys to reach the dialog", || {
            match agent.dialog_keys().as_str() {
                "2\r" => Ok(()),
                keys => Err(format!("{keys:?}")),
            }
        });
        assert_eq!(agent.prompts(), Vec::<String>::new(), "{provider}");

        // The draft comes back with the box, without the dialog's keys.
        agent.screen("idle");
        shows(&agent, draft);
        server.keys(&agent.pane, &["Enter"]);
        assert_eq!(submitted(&agent, 1), [draft], "{provider}");
    }
}

/// A codexa stand-in for the hooks: it reads the payload and prints the
/// file `answer`, whatever the event.
fn answering_codexa(env: &TestEnv, answer: &Path) -> PathBuf {
    let path = env.path("answering-codexa");
    let script = format!("#!/bin/sh\ncat > /dev/null\ncat '{}'\n", answer.display());
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A script just written may still be open for writing in a child that
    // another test thread forked at that moment (until that child execs):
    // exec fails with ETXTBSY until then. Once it has run, it runs.
    std::fs::write(answer, "").unwrap();
    eventually("the answering codexa to run", || {
        std::process::Command::new(&path)
            .stdin(std::process::Stdio::null())
            .output()
            .map(drop)
            .map_err(|e| e.to_string())
    });
    path
}

#[test]
fn a_stop_hook_that_blocks_hands_its_reason_on_and_the_agent_keeps_going() {
    let env = TestEnv::real_clock();
    let (repo, server) = setup(&env, "handoff");
    let answer = env.path("answer.json");
    let fake = answering_codexa(&env, &answer);
    let reason = "Review the diff:\n\"tests\" first, then `git push`; é ✓";
    for provider in PROVIDERS {
        let mut agent = Agent::start_with(
            &env,
            &server,
            &repo,
            provider,
            provider,
            "idle",
            &[("CODEXA_BIN", fake.to_str().unwrap())],
        );
        let stop = claude_event(&env, &repo, "handoff", "Stop", json!({}));
        let block = json!({"decision": "block", "reason": reason}).to_string();
        std::fs::write(&answer, format!("{block}\n")).unwrap();

        // Another event's block is not a Stop's: nothing handed on.
        let other = claude_event(&env, &repo, "handoff", "PostToolUse", json!({}));
        assert_eq!(agent.hook(&other), format!("{block}\n"));
        assert_eq!(agent.handoffs(), Vec::<String>::new(), "{provider}");

        // A Stop that does not block lets the agent stop.
        std::fs::write(&answer, "{\"decision\":\"approve\",\"reason\":\"fine\"}").unwrap();
        agent.hook(&stop);
        std::fs::write(&answer, "").unwrap();
        agent.run_hook("shhook", &stop);
        assert_eq!(agent.handoffs(), Vec::<String>::new(), "{provider}");
        assert!(
            !agent.capture().contains("esc to interrupt"),
            "{}",
            agent.capture()
        );

        // A Stop that blocks: the reason, byte for byte, and busy again.
        std::fs::write(&answer, format!("{block}\n")).unwrap();
        agent.hook(&stop);
        assert_eq!(agent.handoffs(), [reason], "{provider}");
        // Through `sh -c` too, and with the JSON spaced out.
        std::fs::write(
            &answer,
            serde_json::to_string_pretty(&json!({"reason": "again", "decision": "block"})).unwrap(),
        )
        .unwrap();
        agent.run_hook("shhook", &stop);
        assert_eq!(agent.handoffs(), [reason, "again"], "{provider}");
        eventually("the busy screen", || {
            let screen = agent.capture();
            if screen.contains("esc to interrupt") {
                Ok(())
            } else {
                Err(screen)
            }
        });
    }
}
