//! Shells and shell-like runners: `bash [options] -c BODY` (the body is
//! read as a line), a shell reading its input (opaque), words a program
//! hands to a shell, and aliases the line itself defines.

use super::lex::Word;
use super::{Invocation, Reader};

/// Programs that take `-c BODY` as bash does.
pub(super) const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "rbash"];

/// Quote `text` for a shell line (reading it back gives `text`).
pub(super) fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

impl Reader<'_> {
    /// A shell alias the line defined: its text, then the arguments, read
    /// as a line.
    pub(super) fn shell_alias(&mut self, name: &str, args: &[Word], depth: usize) {
        if self.aliases_left == 0 {
            self.opaque("too many aliases to read");
            return;
        }
        self.aliases_left -= 1;
        let mut line = self.shell_aliases.get(name).cloned().unwrap_or_default();
        for a in args {
            line.push(' ');
            line.push_str(&quote(&a.text));
        }
        self.line(&line, depth + 1);
    }

    /// `bash [options] -c BODY`, `bash [options] FILE`, or a shell reading
    /// commands from stdin.
    pub(super) fn shell(&mut self, name: &str, args: &[Word], inv: &Invocation, depth: usize) {
        let mut i = 0;
        let mut command = false;
        let mut stdin = false;
        while let Some(w) = args.get(i) {
            let t = w.text.as_str();
            if t == "--" || t == "-" {
                i += 1;
                break;
            }
            if let Some(long) = t.strip_prefix("--") {
                i += if matches!(long, "rcfile" | "init-file") {
                    2
                } else {
                    1
                };
                continue;
            }
            if (t.starts_with('-') || t.starts_with('+')) && t.len() > 1 {
                i += 1;
                for c in t[1..].chars() {
                    match c {
                        'c' => command = true,
                        's' => stdin = true,
                        // `-o pipefail`, `-O extglob`: an option name follows.
                        'o' | 'O' => i += 1,
                        _ => {}
                    }
                }
                continue;
            }
            break;
        }
        if command {
            if let Some(body) = args.get(i) {
                self.shell_body(name, body, depth);
            }
            return;
        }
        if stdin || i >= args.len() {
            self.emit(name, args, inv);
            self.opaque(format!("{name} reading commands from its input"));
            return;
        }
        // A script file: what it runs is not on the line.
        self.emit(name, args, inv);
    }

    /// A `-c` body: read as a line of its own.
    pub(super) fn shell_body(&mut self, name: &str, body: &Word, depth: usize) {
        if body.dynamic {
            self.opaque(format!("{name} running commands from an expansion"));
            return;
        }
        self.line(&body.text, depth + 1);
    }

    /// Words a program joins with spaces and hands to a shell.
    pub(super) fn shell_words(&mut self, name: &str, words: &[Word], depth: usize) {
        if words.is_empty() {
            return;
        }
        if words.iter().any(|w| w.dynamic) {
            self.opaque(format!("{name} running commands from an expansion"));
        }
        let text: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        self.line(&text.join(" "), depth + 1);
    }
}
