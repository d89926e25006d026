//! The programs that run other programs: wrappers (`env`, `timeout`,
//! `xargs`, `find -exec`, …) are peeled off with their own options, shells
//! given `-c` have their body read as a line, and code handed to an
//! interpreter inline (`python -c`, `perl -e`, `eval`) is opaque.

use super::lex::{self, Tok, Word};
use super::{Invocation, MAX_DEPTH, MAX_UNWRAP, Reader};

/// One option as parsed: its letter or long name, and its value.
struct Opt {
    name: String,
    value: Option<Word>,
}

impl Opt {
    fn is(&self, names: &[&str]) -> bool {
        names.contains(&self.name.as_str())
    }
}

/// A program's options: the letters and long names that take a value.
struct Spec {
    values: &'static str,
    long_values: &'static [&'static str],
}

const FLAGS_ONLY: Spec = Spec {
    values: "",
    long_values: &[],
};

/// Options up to the first operand (or past `--`), as getopt with `+`
/// reads them; and where the operands start.
fn options(args: &[Word], spec: &Spec) -> (Vec<Opt>, usize) {
    let mut opts = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if t == "--" {
            return (opts, i + 1);
        }
        if t == "-" || !t.starts_with('-') {
            break;
        }
        i += 1;
        if let Some(long) = t.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) => opts.push(Opt {
                    name: name.to_string(),
                    value: Some(Word {
                        text: value.to_string(),
                        ..w.clone()
                    }),
                }),
                None if spec.long_values.contains(&long) => {
                    opts.push(Opt {
                        name: long.to_string(),
                        value: args.get(i).cloned(),
                    });
                    i += 1;
                }
                None => opts.push(Opt {
                    name: long.to_string(),
                    value: None,
                }),
            }
            continue;
        }
        let letters = &t[1..];
        for (k, c) in letters.char_indices() {
            if spec.values.contains(c) {
                let rest = &letters[k + c.len_utf8()..];
                let value = if rest.is_empty() {
                    i += 1;
                    args.get(i - 1).cloned()
                } else {
                    Some(Word {
                        text: rest.to_string(),
                        ..w.clone()
                    })
                };
                opts.push(Opt {
                    name: c.to_string(),
                    value,
                });
                break;
            }
            opts.push(Opt {
                name: c.to_string(),
                value: None,
            });
        }
    }
    (opts, i.min(args.len()))
}

fn has(opts: &[Opt], names: &[&str]) -> bool {
    opts.iter().any(|o| o.is(names))
}

fn value<'o>(opts: &'o [Opt], names: &[&str]) -> Option<&'o Word> {
    opts.iter()
        .rev()
        .find(|o| o.is(names))
        .and_then(|o| o.value.as_ref())
}

/// The program a command word runs: its file name. None when the name
/// itself comes from an expansion (`$X`, `g*t`); a directory from one
/// (`"$(git --exec-path)/git-push"`) still leaves the name known.
fn program_name(w: &Word) -> Option<String> {
    let literal = &w.text[w.literal_from.min(w.text.len())..];
    if w.dynamic && !literal.contains('/') {
        return None;
    }
    let name = w.text.rsplit('/').next().unwrap_or(&w.text);
    (!name.is_empty()).then(|| name.to_string())
}

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "rbash"];

/// `python3.12`, `pypy3`: Python by its name.
fn is_python(name: &str) -> bool {
    ["python", "pypy"].iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    })
}

/// Quote `text` for a shell line (reading it back gives `text`).
pub(super) fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

impl Reader<'_> {
    /// Peel wrappers off `inv` and record what runs in the end.
    pub(super) fn run(&mut self, mut inv: Invocation, depth: usize) {
        for _ in 0..MAX_UNWRAP {
            let Some(head) = inv.argv.first() else {
                return;
            };
            if head.text.is_empty() && !head.dynamic {
                // `""`: bash finds no such command.
                return;
            }
            let Some(name) = program_name(head) else {
                self.opaque("a command word from an expansion");
                return;
            };
            let args: Vec<Word> = inv.argv[1..].to_vec();
            let inner = match self.unwrap(&name, &args, &inv, depth) {
                Next::Done => return,
                Next::Run(start) => args[start.min(args.len())..].to_vec(),
                Next::Argv(argv) => argv,
            };
            if inner.is_empty() {
                return;
            }
            inv.argv = inner;
        }
        self.opaque("too many wrappers to read");
    }

    /// What `name args…` runs next.
    fn unwrap(&mut self, name: &str, args: &[Word], inv: &Invocation, depth: usize) -> Next {
        match name {
            "env" => self.env(args, depth),
            "command" => {
                let (opts, at) = options(args, &FLAGS_ONLY);
                if has(&opts, &["v", "V"]) {
                    self.emit(name, args, inv);
                    return Next::Done;
                }
                Next::Run(at)
            }
            "builtin" | "nohup" | "busybox" => Next::Run(0),
            "exec" => self.operands(
                args,
                &Spec {
                    values: "a",
                    long_values: &[],
                },
            ),
            "setsid" | "unbuffer" => self.operands(args, &FLAGS_ONLY),
            "nice" => self.operands(
                args,
                &Spec {
                    values: "n",
                    long_values: &["adjustment"],
                },
            ),
            "stdbuf" => self.operands(
                args,
                &Spec {
                    values: "ioe",
                    long_values: &["input", "output", "error"],
                },
            ),
            "time" => self.operands(
                args,
                &Spec {
                    values: "fo",
                    long_values: &["format", "output"],
                },
            ),
            "caffeinate" => self.operands(
                args,
                &Spec {
                    values: "tw",
                    long_values: &[],
                },
            ),
            "timeout" => {
                let (_, at) = options(
                    args,
                    &Spec {
                        values: "sk",
                        long_values: &["signal", "kill-after"],
                    },
                );
                // The duration comes first.
                Next::Run(at + 1)
            }
            "sudo" | "doas" => self.sudo(name, args, inv, depth),
            "su" | "runuser" => {
                let (opts, _) = options(
                    args,
                    &Spec {
                        values: "cgGsw",
                        long_values: &[
                            "command",
                            "shell",
                            "group",
                            "supp-group",
                            "whitelist-environment",
                        ],
                    },
                );
                match value(&opts, &["c", "command"]) {
                    Some(body) => self.shell_body(name, body, depth),
                    None => self.emit(name, args, inv),
                }
                Next::Done
            }
            "xargs" => self.xargs(args, inv),
            "flock" => {
                let (opts, at) = options(
                    args,
                    &Spec {
                        values: "Ew",
                        long_values: &["timeout", "wait", "conflict-exit-code"],
                    },
                );
                let rest = &args[at..];
                let dash_c = rest
                    .get(1)
                    .is_some_and(|w| w.text == "-c" || w.text == "--command");
                if dash_c || has(&opts, &["c", "command"]) {
                    let body = if dash_c { rest.get(2) } else { rest.get(1) };
                    if let Some(body) = body {
                        self.shell_body(name, body, depth);
                    }
                    return Next::Done;
                }
                Next::Run(at + 1)
            }
            "watch" => {
                let (opts, at) = options(
                    args,
                    &Spec {
                        values: "nq",
                        long_values: &["interval", "equexit"],
                    },
                );
                if has(&opts, &["x", "exec"]) {
                    return Next::Run(at);
                }
                // watch hands its words, joined, to `sh -c`.
                self.shell_words(name, &args[at..], depth);
                Next::Done
            }
            "ionice" => {
                let (opts, at) = options(
                    args,
                    &Spec {
                        values: "cnpPu",
                        long_values: &["class", "classdata", "pid", "pgid", "uid"],
                    },
                );
                if has(&opts, &["p", "P", "u", "pid", "pgid", "uid"]) {
                    self.emit(name, args, inv);
                    return Next::Done;
                }
                Next::Run(at)
            }
            "chrt" => {
                let (opts, at) = options(
                    args,
                    &Spec {
                        values: "TPD",
                        long_values: &["sched-runtime", "sched-period", "sched-deadline"],
                    },
                );
                if has(&opts, &["p", "pid"]) {
                    self.emit(name, args, inv);
                    return Next::Done;
                }
                let priority = args
                    .get(at)
                    .is_some_and(|w| w.text.chars().all(|c| c.is_ascii_digit()));
                Next::Run(at + usize::from(priority))
            }
            "taskset" => {
                let (opts, at) = options(args, &FLAGS_ONLY);
                if has(&opts, &["p", "pid"]) {
                    self.emit(name, args, inv);
                    return Next::Done;
                }
                // The mask (or, with -c, the CPU list) comes first.
                Next::Run(at + 1)
            }
            "find" => {
                self.find(args, inv, depth);
                Next::Done
            }
            "chroot" => {
                let (_, at) = options(
                    args,
                    &Spec {
                        values: "",
                        long_values: &["userspec", "groups"],
                    },
                );
                // The new root comes first.
                Next::Run(at + 1)
            }
            "systemd-run" => self.operands(
                args,
                &Spec {
                    values: "pEMHu",
                    long_values: &[
                        "unit",
                        "property",
                        "setenv",
                        "uid",
                        "gid",
                        "working-directory",
                        "machine",
                        "host",
                        "slice",
                        "description",
                    ],
                },
            ),
            "script" => {
                let (opts, _) = options(
                    args,
                    &Spec {
                        values: "cEIOoBTt",
                        long_values: &[
                            "command",
                            "echo",
                            "log-in",
                            "log-out",
                            "log-io",
                            "log-timing",
                        ],
                    },
                );
                match value(&opts, &["c", "command"]) {
                    Some(body) => self.shell_body(name, body, depth),
                    None => self.emit(name, args, inv),
                }
                Next::Done
            }
            "ssh" => {
                // The command runs in the remote user's shell, which may be
                // this machine's.
                let (_, at) = options(
                    args,
                    &Spec {
                        values: "BbcDEeFIiJLlmOoPpQRSWw",
                        long_values: &[],
                    },
                );
                self.emit(name, args, inv);
                self.shell_words(name, args.get(at + 1..).unwrap_or_default(), depth);
                Next::Done
            }
            "at" | "batch" => {
                self.emit(name, args, inv);
                let (opts, _) = options(
                    args,
                    &Spec {
                        values: "qfMmt",
                        long_values: &[],
                    },
                );
                if !has(&opts, &["f", "l", "d", "r", "c"]) {
                    self.opaque(format!("{name} reading commands from its input"));
                }
                Next::Done
            }
            "tmux" => {
                self.emit(name, args, inv);
                self.tmux(args, depth);
                Next::Done
            }
            "trap" => {
                // `trap 'cmd' SIGNAL…` runs cmd later, on the signal.
                match args.first() {
                    Some(code) if !code.text.starts_with('-') && args.len() > 1 => {
                        self.shell_body(name, code, depth)
                    }
                    _ => self.emit(name, args, inv),
                }
                Next::Done
            }
            "eval" => {
                self.emit(name, args, inv);
                self.opaque("eval");
                // What it most likely runs, for the checks that look for
                // particular programs.
                self.shell_words(name, args, depth);
                Next::Done
            }
            "source" | "." => {
                self.emit(name, args, inv);
                self.opaque(format!("{name} of a file"));
                Next::Done
            }
            "git" => {
                self.git(args.to_vec(), inv, depth);
                Next::Done
            }
            _ if name.starts_with("git-") && name.len() > 4 => {
                // git's exec-path programs: `git-push` is `git push`.
                let mut argv = vec![Word::literal(&name[4..])];
                argv.extend(args.iter().cloned());
                self.git(argv, inv, depth);
                Next::Done
            }
            _ if SHELLS.contains(&name) => {
                self.shell(name, args, inv, depth);
                Next::Done
            }
            _ if self.shell_aliases.contains_key(name) => {
                self.shell_alias(name, args, depth);
                Next::Done
            }
            _ => {
                if let Some(why) = inline_code(name, args, inv.stdin_fed) {
                    self.opaque(why);
                }
                self.emit(name, args, inv);
                Next::Done
            }
        }
    }

    /// tmux runs commands in other panes, outside the agent's process
    /// tree: keys typed with `send-keys`, and the shell commands of
    /// `new-window`, `split-window`, `new-session`, `respawn-*`,
    /// `run-shell`, `if-shell` and `tmux -c` are read as lines.
    fn tmux(&mut self, args: &[Word], depth: usize) {
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

    /// A shell alias the line defined: its text, then the arguments, read
    /// as a line.
    fn shell_alias(&mut self, name: &str, args: &[Word], depth: usize) {
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

    fn operands(&self, args: &[Word], spec: &Spec) -> Next {
        Next::Run(options(args, spec).1)
    }

    /// `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=VALUE…] [CMD…]`.
    fn env(&mut self, args: &[Word], depth: usize) -> Next {
        let (opts, at) = options(
            args,
            &Spec {
                values: "uCS",
                long_values: &["unset", "chdir", "split-string"],
            },
        );
        if let Some(split) = value(&opts, &["S", "split-string"]) {
            // The string is split into words that stand where it stood.
            let Some(words) = self.words_of(split, "env -S", depth) else {
                return Next::Done;
            };
            let mut argv = vec![Word::literal("env")];
            argv.extend(words);
            argv.extend(args[at..].iter().cloned());
            return Next::Argv(argv);
        }
        let mut i = at;
        while let Some(name) = args.get(i).and_then(super::assignment_name) {
            self.out.assigned.push(name.to_string());
            i += 1;
        }
        Next::Run(i)
    }

    /// A string's words as a shell splits them; None (and opaque) when
    /// that cannot be known.
    fn words_of(&mut self, w: &Word, what: &str, depth: usize) -> Option<Vec<Word>> {
        if w.dynamic {
            self.opaque(format!("{what} with words from an expansion"));
            return None;
        }
        match lex::lex(&w.text, depth.min(MAX_DEPTH)) {
            Ok(lexed) => {
                let mut words = Vec::new();
                for t in lexed.toks {
                    match t {
                        Tok::Word(w) if !w.dynamic => words.push(w),
                        _ => {
                            self.opaque(format!("{what} with more than words"));
                            return None;
                        }
                    }
                }
                Some(words)
            }
            Err(u) => {
                self.opaque(u.0);
                None
            }
        }
    }

    fn sudo(&mut self, name: &str, args: &[Word], inv: &Invocation, depth: usize) -> Next {
        let spec = if name == "doas" {
            Spec {
                values: "uC",
                long_values: &[],
            }
        } else {
            Spec {
                values: "ugCDprtTU",
                long_values: &[
                    "user",
                    "group",
                    "close-from",
                    "chdir",
                    "prompt",
                    "role",
                    "type",
                    "command-timeout",
                    "other-user",
                    "host",
                ],
            }
        };
        let (opts, at) = options(args, &spec);
        if has(
            &opts,
            &["e", "edit", "l", "list", "v", "validate", "k", "K"],
        ) && !has(&opts, &["s", "i"])
        {
            self.emit(name, args, inv);
            return Next::Done;
        }
        let mut i = at;
        while let Some(n) = args.get(i).and_then(super::assignment_name) {
            self.out.assigned.push(n.to_string());
            i += 1;
        }
        if has(&opts, &["s", "shell", "i", "login"]) {
            // The command, if any, goes to the user's shell as `-c`.
            self.shell_words(name, &args[i..], depth);
            return Next::Done;
        }
        Next::Run(i)
    }

    /// `xargs [options] [CMD [ARG…]]`: CMD runs with words from stdin.
    fn xargs(&mut self, args: &[Word], inv: &Invocation) -> Next {
        let (opts, at) = options(
            args,
            &Spec {
                values: "adEILnPs",
                long_values: &[
                    "arg-file",
                    "delimiter",
                    "max-args",
                    "max-procs",
                    "max-chars",
                    "process-slot-var",
                ],
            },
        );
        let replace = value(&opts, &["I", "i", "replace"])
            .map(|w| w.text.clone())
            .or_else(|| has(&opts, &["i", "replace"]).then(|| "{}".to_string()));
        let Some(program) = args.get(at) else {
            self.emit("echo", &[], inv);
            return Next::Done;
        };
        if let Some(r) = replace
            && !r.is_empty()
            && program.text.contains(&r)
        {
            self.opaque("xargs running a command from its input");
            return Next::Done;
        }
        Next::Run(at)
    }

    /// `find … -exec CMD … ;` (and `-execdir`, `-ok`, `-okdir`, ending in
    /// `;` or `+`): find runs, and so does each CMD.
    fn find(&mut self, args: &[Word], inv: &Invocation, depth: usize) {
        self.emit("find", args, inv);
        let mut i = 0;
        while i < args.len() {
            let t = args[i].text.as_str();
            i += 1;
            if !matches!(t, "-exec" | "-execdir" | "-ok" | "-okdir") {
                continue;
            }
            let start = i;
            while i < args.len() && args[i].text != ";" && args[i].text != "+" {
                i += 1;
            }
            let argv = args[start..i].to_vec();
            i += 1;
            if argv.first().is_some_and(|w| w.text.contains("{}")) {
                self.opaque("find running a command named by a file");
                continue;
            }
            self.run(
                Invocation {
                    argv,
                    env: inv.env.clone(),
                    stdin_fed: false,
                },
                depth,
            );
        }
    }

    /// `bash [options] -c BODY`, `bash [options] FILE`, or a shell reading
    /// commands from stdin.
    fn shell(&mut self, name: &str, args: &[Word], inv: &Invocation, depth: usize) {
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
    fn shell_body(&mut self, name: &str, body: &Word, depth: usize) {
        if body.dynamic {
            self.opaque(format!("{name} running commands from an expansion"));
            return;
        }
        self.line(&body.text, depth + 1);
    }

    /// Words a program joins with spaces and hands to a shell.
    fn shell_words(&mut self, name: &str, words: &[Word], depth: usize) {
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

/// What a wrapper leads to.
enum Next {
    /// Nothing more to read (already recorded).
    Done,
    /// The command starting at this index of the wrapper's arguments.
    Run(usize),
    /// A new command line (`env -S` split its string).
    Argv(Vec<Word>),
}

/// Why `name args…` runs code that is not on the line as a command: an
/// interpreter given code inline, or reading it from a pipe or
/// here-document.
fn inline_code(name: &str, args: &[Word], stdin_fed: bool) -> Option<String> {
    // Per interpreter: the option letters that take code, those whose
    // value may be the next word, and those whose value can only be
    // attached (both end a cluster).
    let (code, next_word, attached): (&[char], &str, &str) = if is_python(name) {
        (&['c'], "WXQ", "")
    } else {
        match name {
            "node" | "nodejs" | "bun" => (&['e', 'p'], "r", ""),
            "perl" => (&['e', 'E'], "", "iIMmxCdD"),
            "ruby" => (&['e'], "IrCEFKTWx", ""),
            "php" => (&['r', 'R', 'B', 'E'], "cdfzt", ""),
            "lua" | "luajit" | "osascript" | "Rscript" => (&['e'], "l", ""),
            "awk" | "gawk" | "mawk" | "nawk" => return awk_runs_commands(args),
            "deno" if args.first().is_some_and(|w| w.text == "eval") => {
                return Some("deno eval".into());
            }
            _ => return None,
        }
    };
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if t == "-" {
            return Some(format!("{name} reading code from its input"));
        }
        if matches!(t, "--eval" | "--print" | "--command") || t.starts_with("--eval=") {
            return Some(format!("{name} {t}"));
        }
        if t.starts_with("--") {
            continue;
        }
        let Some(letters) = t.strip_prefix('-') else {
            // A script file: its code is not on the line, as for any program.
            return None;
        };
        for (k, c) in letters.char_indices() {
            if code.contains(&c) {
                return Some(format!("{name} -{c}"));
            }
            if c == 'm' && is_python(name) {
                return None;
            }
            if next_word.contains(c) {
                // `-W ignore`: the value is the next word.
                if k + c.len_utf8() == letters.len() {
                    i += 1;
                }
                break;
            }
            if attached.contains(c) {
                break;
            }
        }
    }
    stdin_fed.then(|| format!("{name} reading code from its input"))
}

/// An awk program that starts commands (`system(…)`, `| "cmd"`,
/// `"cmd" | getline`).
fn awk_runs_commands(args: &[Word]) -> Option<String> {
    let (_, at) = options(
        args,
        &Spec {
            values: "fFv",
            long_values: &[],
        },
    );
    let program = args.get(at)?;
    let t = program.text.replace(' ', "");
    (t.contains("system(") || t.contains("|\"") || t.contains("\"|") || t.contains("|&"))
        .then(|| "awk running commands".to_string())
}
