//! Reading a shell command line well enough to see what it runs.
//!
//! Agents run compound commands: `cd x && git push`, `env FOO=1 git -C . push`,
//! `bash -c 'git push'`, `/usr/bin/git push`. Matching the action table
//! against the raw text would see only the first program, so a push or a
//! download could hide behind a harmless first word. This is not a shell
//! parser — nothing here is executed — only enough tokenising to list the
//! programs a line invokes, with their arguments, one segment each.

/// Words of one simple command, quotes removed.
fn words(text: &str) -> Vec<Vec<String>> {
    let mut segments = vec![Vec::new()];
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    let end_word = |segments: &mut Vec<Vec<String>>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            segments
                .last_mut()
                .expect("one segment")
                .push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    in_word = true;
                }
                '\\' => {
                    if let Some(n) = chars.next() {
                        word.push(n);
                        in_word = true;
                    }
                }
                c if c.is_whitespace() && c != '\n' => {
                    end_word(&mut segments, &mut word, &mut in_word)
                }
                ';' | '&' | '|' | '\n' | '(' | ')' | '`' | '{' | '}' => {
                    end_word(&mut segments, &mut word, &mut in_word);
                    if !segments.last().is_some_and(Vec::is_empty) {
                        segments.push(Vec::new());
                    }
                }
                '$' if chars.peek() == Some(&'(') => {
                    chars.next();
                    end_word(&mut segments, &mut word, &mut in_word);
                    segments.push(Vec::new());
                }
                c => {
                    word.push(c);
                    in_word = true;
                }
            },
        }
    }
    end_word(&mut segments, &mut word, &mut in_word);
    segments.retain(|s| !s.is_empty());
    segments
}

/// Wrappers that run the program after them.
const WRAPPERS: &[&str] = &[
    "env", "command", "exec", "sudo", "nohup", "time", "nice", "xargs", "builtin", "doas",
];
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh"];

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The programs `command` runs, each as `program arg…` with wrappers,
/// variable assignments and (for git) global options removed, and `sh -c`
/// bodies opened up. `git -C x push origin main` → `git push origin main`.
pub fn segments(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    collect(command, &mut out, 0);
    out
}

fn collect(command: &str, out: &mut Vec<String>, depth: usize) {
    for seg in words(command) {
        let mut i = 0;
        // Leading assignments and wrappers (and the wrappers' own options).
        while let Some(w) = seg.get(i) {
            if w.contains('=') && !w.starts_with('-') && !w.starts_with('=') {
                i += 1;
            } else if WRAPPERS.contains(&basename(w)) {
                i += 1;
                while seg.get(i).is_some_and(|w| w.starts_with('-')) {
                    // `env -u NAME`, `sudo -u user`: skip the option's value too.
                    let takes_value = matches!(seg[i].as_str(), "-u" | "-g" | "-C" | "-n");
                    i += if takes_value { 2 } else { 1 };
                }
            } else {
                break;
            }
        }
        let Some(program) = seg.get(i).map(|w| basename(w).to_string()) else {
            continue;
        };
        let rest = &seg[i + 1..];
        let shell_body = rest
            .iter()
            .position(|w| w.starts_with('-') && w.contains('c'))
            .and_then(|pos| rest.get(pos + 1));
        if SHELLS.contains(&program.as_str())
            && depth < 4
            && let Some(body) = shell_body
        {
            collect(body, out, depth + 1);
            continue;
        }
        let mut args: Vec<&str> = rest.iter().map(String::as_str).collect();
        if program == "git" {
            // Global options come before the subcommand.
            let mut j = 0;
            while let Some(a) = args.get(j) {
                if matches!(
                    *a,
                    "-C" | "-c" | "--git-dir" | "--work-tree" | "--namespace" | "--exec-path"
                ) {
                    j += 2;
                } else if a.starts_with('-') {
                    j += 1;
                } else {
                    break;
                }
            }
            args = args.split_off(j.min(args.len()));
        }
        let mut text = program;
        for a in args {
            text.push(' ');
            text.push_str(a);
        }
        out.push(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_pushes_are_found() {
        for cmd in [
            "git push origin main",
            "git -C . push",
            "git -c a=b --no-pager push",
            "env FOO=1 git push",
            "FOO=1 /usr/bin/git push",
            "command git push",
            "cd x && git push",
            "true; git push",
            "(git push)",
            "echo hi\ngit push",
            "bash -c 'git push origin main'",
            "sh -lc \"cd x && git push\"",
            "ls | xargs git push",
            "echo $(git push)",
        ] {
            let segs = segments(cmd);
            assert!(
                segs.iter().any(|s| s.starts_with("git push")),
                "{cmd}: {segs:?}"
            );
        }
        assert_eq!(segments("ls -la && rm -rf x"), vec!["ls -la", "rm -rf x"]);
        assert_eq!(segments("echo 'a && git push'"), vec!["echo a && git push"]);
    }
}
