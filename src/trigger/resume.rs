//! The fallback: the provider's own way to give a session a prompt without
//! its pane (`codex exec resume <id> <prompt>`), an argument vector from
//! config run in the session's working directory, its output kept in the
//! store's cache. Nothing goes through a shell: the prompt is one argument,
//! whatever it holds.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::ResumeConfig;

/// How the fallback ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resumed {
    Done,
    /// Another process (the agent's own TUI) holds the session: the
    /// provider refused to resume it.
    Held,
    Failed(String),
}

/// `template` with `{session_id}` and `{prompt}` replaced in each argument.
/// A prompt that starts with `-` gets a `--` before it, so the program
/// takes it as text, not as an option.
pub fn argv(template: &[String], session_id: &str, prompt: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(template.len() + 1);
    for a in template {
        if a == "{prompt}" && prompt.starts_with('-') {
            out.push("--".to_string());
        }
        out.push(
            a.replace("{session_id}", session_id)
                .replace("{prompt}", prompt),
        );
    }
    out
}

/// A session id that is safe to pass as an argument: what the agents use
/// (letters, digits, `-`, `_`, `.`, `:`), not starting with `-` (a hook
/// payload could name any id, and one like `--dangerously-…` would be
/// read as an option).
pub fn safe_session_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

pub fn template<'a>(cfg: &'a ResumeConfig, provider: &str) -> Option<&'a [String]> {
    match provider {
        "codex" => Some(&cfg.codex),
        "claude" => Some(&cfg.claude),
        _ => None,
    }
}

/// Run `argv` in `cwd`, stdout and stderr to `log`, for at most `limit`.
pub fn run(argv: &[String], cwd: &Path, log: &Path, limit: Duration) -> Resumed {
    let Some((program, args)) = argv.split_first() else {
        return Resumed::Failed("the resume command is empty".into());
    };
    if let Some(dir) = log.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let (out, err) = match std::fs::File::create(log).and_then(|f| Ok((f.try_clone()?, f))) {
        Ok(pair) => pair,
        Err(e) => return Resumed::Failed(format!("cannot write {}: {e}", log.display())),
    };
    let child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Resumed::Failed(format!("cannot run {program}: {e}")),
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Resumed::Failed(format!(
                    "{program} still ran after {} s: stopped",
                    limit.as_secs()
                ));
            }
        }
    };
    let said = std::fs::read_to_string(log).unwrap_or_default();
    if said.contains("active writer") {
        return Resumed::Held;
    }
    if status.success() {
        Resumed::Done
    } else {
        let last = said
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        Resumed::Failed(format!("{program} exited with {status}: {last}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_read_as_options_are_not_passed_and_prompts_that_do_are_marked() {
        assert!(safe_session_id("0199a1b2-7f3c-2a10"));
        assert!(!safe_session_id("--dangerously-skip-permissions"));
        assert!(!safe_session_id("a b"));
        assert!(!safe_session_id(""));
        let t: Vec<String> = ["codex", "exec", "resume", "{session_id}", "{prompt}"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            argv(&t, "th-1", "-n go"),
            ["codex", "exec", "resume", "th-1", "--", "-n go"]
        );
    }

    #[test]
    fn placeholders_fill_arguments_and_nothing_else() {
        let t: Vec<String> = ["codex", "exec", "resume", "{session_id}", "{prompt}"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            argv(&t, "th-1", "$(rm -rf /); `x` {session_id}"),
            [
                "codex",
                "exec",
                "resume",
                "th-1",
                "$(rm -rf /); `x` {session_id}"
            ]
        );
    }
}
