//! The programs that run other programs: wrappers (`env`, `timeout`,
//! `xargs`, `find -exec`, …) are peeled off with their own options until
//! the program they run; each kind of runner (shells, git, tmux,
//! interpreters) is then read by its own module; `eval` and `source` are
//! opaque.

use super::interpreters::inline_code;
use super::lex::{self, Tok, Word};
use super::options::{FLAGS_ONLY, Spec, has, options, value};
use super::shells::SHELLS;
use super::{Invocation, MAX_DEPTH, MAX_UNWRAP, Reader};

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
        if input_steers(&args[at..]) {
            self.opaque("xargs giving git or codexa words from its input");
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

/// Whether words xargs adds from its input could decide what `argv` does
/// at the gate: the subcommand of a `git` or `codexa` that names none, or
/// options such as `--no-verify` for a push.
fn input_steers(argv: &[Word]) -> bool {
    // Past simple wrappers and their options (`setsid -f codexa`,
    // `timeout 5 git`), best effort.
    const SIMPLE: &[&str] = &[
        "setsid", "nohup", "nice", "timeout", "env", "command", "exec", "stdbuf", "time", "sudo",
        "doas", "ionice", "chrt", "taskset",
    ];
    let base = |w: &Word| w.text.rsplit('/').next().unwrap_or(&w.text).to_string();
    let skippable = |w: &Word| {
        SIMPLE.contains(&base(w).as_str())
            || w.text.starts_with('-')
            || w.text.contains('=')
            || w.text.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    let Some(at) = argv.iter().position(|w| !skippable(w)) else {
        return false;
    };
    let name = base(&argv[at]);
    let sub = argv[at + 1..]
        .iter()
        .map(|w| w.text.as_str())
        .find(|w| !w.starts_with('-'));
    match name.as_str() {
        "git" => sub.is_none_or(|s| matches!(s, "push" | "send-pack" | "http-push")),
        "codexa" => sub.is_none(),
        _ => false,
    }
}
