//! Reading a command line the way bash would run it, to see every program
//! it runs. Nothing here is executed.
//!
//! Agents run compound lines (`cd x && git push`), wrap programs
//! (`timeout 5 git push`, `env -S 'git push'`, `find . -exec git push \;`),
//! nest shells (`bash --norc -c '…'`), quote in bash's ways (`$'\x67it'`)
//! and use git's own options and aliases (`git -c alias.p=push p`). The
//! reader follows each of these doors to the program behind it: per simple
//! command, the program (its file name) and its arguments with
//! assignments, wrappers and git's global options removed, what it writes
//! through redirections, and the `cd`s before it.
//!
//! What cannot be known without running the line — `eval`, `source`, a
//! command word made by an expansion, code handed to an interpreter inline,
//! a line past the reader's bounds — makes the whole reading opaque, with
//! a short description of why. Bounds (input length, nesting depth, alias
//! expansions, commands) keep a hostile line from making the hook slow.

mod git;
mod interpreters;
mod lex;
mod options;
mod parse;
mod shells;
mod tmux;
mod wrappers;

#[cfg(test)]
pub use git::FixedView;
pub use git::{GitView, NoRepo, RepoView};
pub use lex::Word;

use lex::{Lexed, Redir};

/// The longest line read; longer is opaque.
pub const MAX_INPUT: usize = 256 * 1024;
/// How deep substitutions, `sh -c` bodies and aliases may nest.
pub const MAX_DEPTH: usize = 8;
/// Alias expansions (git's and the shell's) per line.
pub const MAX_ALIASES: usize = 16;
/// Commands per line.
pub const MAX_COMMANDS: usize = 2048;
/// Wrappers peeled off one command (`env -S` can add more).
const MAX_UNWRAP: usize = 32;

/// Why a line cannot be read with certainty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

impl Unreadable {
    pub fn new(why: impl Into<String>) -> Unreadable {
        Unreadable(why.into())
    }
}

/// One program the line runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Its file name (`/usr/bin/git` is `git`; git's `git-push` is `git`
    /// with `push` as its first argument).
    pub program: String,
    /// Its arguments; for git, from the subcommand on.
    pub args: Vec<Word>,
    /// Variables assigned for it (`X=1 cmd`, `env X=1 cmd`).
    pub env: Vec<String>,
    /// The `cd` arguments run before it on the line, in order.
    pub dirs: Vec<String>,
    /// For git: `-c key=value` (and `--config-env key=ENV`, value `$ENV`).
    pub git_config: Vec<(String, String)>,
}

impl Command {
    /// `program arg…`, as text for globs.
    pub fn line(&self) -> String {
        let mut text = self.program.clone();
        for a in &self.args {
            text.push(' ');
            text.push_str(&a.text);
        }
        text
    }

    pub fn arg(&self, i: usize) -> Option<&str> {
        self.args.get(i).map(|w| w.text.as_str())
    }
}

/// A file a redirection writes, with the `cd`s before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub word: Word,
    pub dirs: Vec<String>,
}

/// What a line runs and writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    pub commands: Vec<Command>,
    /// Files written by redirections.
    pub writes: Vec<Target>,
    /// Files read by `<` redirections (a patch fed to `patch`).
    pub reads: Vec<Target>,
    /// Why the line cannot be read with certainty, when it cannot.
    pub opaque: Option<String>,
    /// Variables the line assigns or exports anywhere.
    pub assigned: Vec<String>,
}

/// Read `line`; git aliases are looked up in `git` (after any
/// `-c alias.X=…` on the line itself).
pub fn read(line: &str, git: &dyn GitView) -> Reading {
    let mut reader = Reader {
        repo: git,
        out: Reading::default(),
        dirs: Vec::new(),
        aliases_left: MAX_ALIASES,
        shell_aliases: std::collections::HashMap::new(),
    };
    reader.line(line, 0);
    reader.out
}

struct Reader<'a> {
    repo: &'a dyn GitView,
    out: Reading,
    /// `cd` arguments so far.
    dirs: Vec<String>,
    /// Git and shell alias expansions left for the line.
    aliases_left: usize,
    /// Shell aliases the line defines (`alias g='git push'`): bash expands
    /// them in the lines after (with `shopt -s expand_aliases`).
    shell_aliases: std::collections::HashMap<String, String>,
}

/// A command about to run: its words from the program on, what was
/// assigned for it, and whether its stdin is code-like input (a pipe, a
/// here-document or a here-string).
struct Invocation {
    argv: Vec<Word>,
    env: Vec<String>,
    stdin_fed: bool,
}

/// `NAME=…`, `NAME+=…`, `NAME[i]=…` with the name unquoted.
fn assignment_name(w: &Word) -> Option<&str> {
    let eq = w.text.find('=')?;
    let name = w.text[..eq].trim_end_matches('+');
    let name = name.split('[').next().unwrap_or(name);
    let ok = eq <= w.quoted_from
        && !name.is_empty()
        && name.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    ok.then_some(name)
}

impl Reader<'_> {
    fn opaque(&mut self, why: impl Into<String>) {
        if self.out.opaque.is_none() {
            self.out.opaque = Some(why.into());
        }
    }

    fn line(&mut self, text: &str, depth: usize) {
        if text.len() > MAX_INPUT {
            self.opaque("a command line too long to read");
            return;
        }
        if depth > MAX_DEPTH {
            self.opaque("commands nested too deeply");
            return;
        }
        match lex::lex(text, depth) {
            Ok(lexed) => self.lexed(&lexed, depth),
            Err(Unreadable(why)) => self.opaque(why),
        }
    }

    fn lexed(&mut self, lexed: &Lexed, depth: usize) {
        let parsed = parse::parse(&lexed.toks);
        for w in &parsed.loose {
            self.substitutions(w, depth);
        }
        for doc in &lexed.heredoc_subs {
            self.nested(doc, depth);
        }
        for simple in parsed.simples {
            self.simple(simple, depth);
        }
    }

    fn nested(&mut self, lexed: &Lexed, depth: usize) {
        if depth >= MAX_DEPTH {
            self.opaque("commands nested too deeply");
        } else {
            self.lexed(lexed, depth + 1);
        }
    }

    /// The commands bash runs while expanding `w`.
    fn substitutions(&mut self, w: &Word, depth: usize) {
        for sub in &w.subs {
            self.nested(sub, depth);
        }
    }

    fn simple(&mut self, simple: parse::Simple, depth: usize) {
        for w in &simple.words {
            self.substitutions(w, depth);
        }
        let mut stdin_fed = simple.piped;
        for (kind, target) in &simple.redirs {
            self.substitutions(target, depth);
            match kind {
                Redir::Write => self.out.writes.push(Target {
                    word: target.clone(),
                    dirs: self.dirs.clone(),
                }),
                Redir::HereDoc | Redir::HereString => stdin_fed = true,
                Redir::Read => self.out.reads.push(Target {
                    word: target.clone(),
                    dirs: self.dirs.clone(),
                }),
                Redir::Dup => {}
            }
        }
        let mut env = Vec::new();
        let mut words = simple.words.into_iter().peekable();
        while let Some(name) = words.peek().and_then(assignment_name) {
            env.push(name.to_string());
            words.next();
        }
        self.out.assigned.extend(env.iter().cloned());
        let argv: Vec<Word> = words.collect();
        if argv.is_empty() {
            return;
        }
        self.run(
            Invocation {
                argv,
                env,
                stdin_fed,
            },
            depth,
        );
    }

    /// Record one program the line runs.
    fn emit(&mut self, program: &str, args: &[Word], inv: &Invocation) {
        self.emit_git(program, args, inv, Vec::new());
    }

    fn emit_git(
        &mut self,
        program: &str,
        args: &[Word],
        inv: &Invocation,
        git_config: Vec<(String, String)>,
    ) {
        if self.out.commands.len() >= MAX_COMMANDS {
            self.opaque("too many commands to read");
            return;
        }
        self.out.commands.push(Command {
            program: program.to_string(),
            args: args.to_vec(),
            env: inv.env.clone(),
            dirs: self.dirs.clone(),
            git_config,
        });
        match program {
            "cd" | "pushd" => {
                let dir = args
                    .iter()
                    .map(|w| w.text.as_str())
                    .find(|t| !t.starts_with('-') || *t == "-")
                    .unwrap_or("~");
                self.dirs.push(dir.to_string());
            }
            "alias" => {
                for w in args {
                    if let Some((name, value)) = w.text.split_once('=') {
                        self.shell_aliases
                            .insert(name.to_string(), value.to_string());
                    }
                }
            }
            "export" | "declare" | "typeset" | "local" | "readonly" => {
                let names = args
                    .iter()
                    .filter(|w| !w.text.starts_with('-'))
                    .map(|w| w.text.split('=').next().unwrap_or_default().to_string());
                self.out.assigned.extend(names);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
