//! tmux runs commands in other panes, outside the agent's process tree:
//! what it would run there is read like any line.

use super::Reader;
use super::lex::Word;
use super::options::{Spec, has, options, value};

impl Reader<'_> {
    /// tmux runs commands in other panes, outside the agent's process
    /// tree: keys typed with `send-keys`, and the shell commands of
    /// `new-window`, `split-window`, `new-session`, `respawn-*`,
    /// `run-shell`, `if-shell` and `tmux -c` are read as lines.
    pub(super) fn tmux(&mut self, args: &[Word], depth: usize) {
        let (opts, at) = options(
            args,
            &Spec {
                values: "LSfcT",
                long_values: &[],
            },
        );
        if let Some(body) = value(&opts, &["c"]) {
            self.shell_body("tmux", body, depth);
        }
        // Several commands are separated by `;` words.
        for cmd in args[at..].split(|w| w.text == ";") {
            let Some((sub, rest)) = cmd.split_first() else {
                continue;
            };
            let values = match sub.text.as_str() {
                "send-keys" | "send" => {
                    self.tmux_keys(rest, depth);
                    continue;
                }
                "new-session" | "new" => "cefFnstxy",
                "new-window" | "neww" => "ceFnt",
                "split-window" | "splitw" => "celtFp",
                "respawn-pane" | "respawnp" | "respawn-window" | "respawnw" => "cet",
                "run-shell" | "run" => "cdt",
                "if-shell" | "if" => "t",
                _ => continue,
            };
            let (_, at) = options(
                rest,
                &Spec {
                    values,
                    long_values: &[],
                },
            );
            let operands = &rest[at..];
            // if-shell's first operand is its shell command; the others
            // are tmux commands.
            let command = if matches!(sub.text.as_str(), "if-shell" | "if") {
                &operands[..operands.len().min(1)]
            } else {
                operands
            };
            self.shell_words("tmux", command, depth);
        }
    }

    /// `send-keys [-l] KEY…`: what the keys type, read as a line.
    fn tmux_keys(&mut self, rest: &[Word], depth: usize) {
        let (opts, at) = options(
            rest,
            &Spec {
                values: "tNc",
                long_values: &[],
            },
        );
        let literal = has(&opts, &["l"]);
        let keys = &rest[at..];
        if keys.iter().any(|w| w.dynamic) {
            self.opaque("tmux typing keys from an expansion");
        }
        let mut typed = String::new();
        for key in keys {
            match key.text.as_str() {
                k if literal => typed.push_str(k),
                "Enter" | "C-m" | "KPEnter" | "C-j" => typed.push('\n'),
                "Space" => typed.push(' '),
                "Tab" => typed.push('\t'),
                k => typed.push_str(k),
            }
        }
        self.line(&typed, depth + 1);
    }
}
