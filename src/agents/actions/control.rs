//! The gate's own files are control: `.codexa/` of the work tree (config,
//! policy, phrase files), the agents' settings that install the hook
//! (`.claude/settings*.json`, `.codex/`), and the git directory (`.git/`,
//! the common directory wherever it is, with the store in it), and the
//! person's own settings that steer the gate (codexa's user config layer,
//! the global git config, the agents' user settings). A tool
//! that writes one, or a command line that does (best effort: redirections,
//! `tee`, `cp`/`mv`/`install`/`ln`/`rsync` destinations, `sed -i`,
//! `perl -i`, `rm`, `touch`, `truncate`, `chmod`, `dd of=`, `curl -o`,
//! `git config` writes), maps to `control.write`.

use std::path::{Path, PathBuf};

use super::pathglob::path_glob;

use super::{Call, resolve};
use crate::agents::shell::{Command, GitView, Word};

/// The control path `call` writes (relative to the work tree when inside
/// it), if any.
pub fn written(call: &Call) -> Option<String> {
    let roots = Roots::of(call);
    if super::alt_glob("Write|Edit|MultiEdit|NotebookEdit", call.tool) {
        let p = call.resolved_path()?;
        return roots.is_control(&p).then(|| roots.subject(&p));
    }
    call.shell_command()?;
    let reading = call.reading();
    let redirected = reading.writes.iter().map(|t| (&t.word, &t.dirs));
    for (word, dirs) in redirected {
        if let Some(s) = roots.target(call.cwd, dirs, word) {
            return Some(s);
        }
    }
    for c in &reading.commands {
        if let Some(file) = git_config_file(c, &roots) {
            return Some(roots.subject(&file));
        }
        if let Some(s) = rewritten(c, call.repo) {
            return Some(s);
        }
        let dir = roots.dir(call.cwd, &c.dirs);
        let fed: Vec<PathBuf> = reading
            .reads
            .iter()
            .map(|t| roots.dir(call.cwd, &t.dirs).join(&t.word.text))
            .collect();
        for path in patched(c, &dir, &fed) {
            if let Some(s) = roots.target(call.cwd, &c.dirs, &Word::literal(&path)) {
                return Some(s);
            }
        }
        for word in targets(c) {
            if let Some(s) = roots.target(call.cwd, &c.dirs, &word) {
                return Some(s);
            }
        }
    }
    None
}

/// Where control files live for one call.
struct Roots<'a> {
    workdir: PathBuf,
    /// The git common directory.
    git_dirs: Vec<PathBuf>,
    /// Asked for the work tree's own git directory only for paths the
    /// others do not decide (it opens the repository).
    repo: &'a dyn GitView,
    home: Option<PathBuf>,
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// The names under the work tree that are control (a `.claude` file only
/// when it is a settings file).
const CONTROL_DIRS: &[&str] = &[".codexa", ".codex", ".git"];

impl<'a> Roots<'a> {
    fn of(call: &Call<'a>) -> Roots<'a> {
        Roots {
            workdir: canonical(call.workdir),
            git_dirs: call.common_dir.map(canonical).into_iter().collect(),
            repo: call.repo,
            home: std::env::var_os("HOME").map(PathBuf::from),
        }
    }

    fn is_control(&self, p: &Path) -> bool {
        if let Ok(rel) = p.strip_prefix(&self.workdir) {
            let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
            match parts.next().as_deref() {
                Some(first) if CONTROL_DIRS.contains(&first) => return true,
                Some(".claude") => match (parts.next(), parts.next()) {
                    (None, _) => return true,
                    (Some(name), None) => {
                        return name.starts_with("settings") && name.ends_with(".json");
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        self.git_dirs.iter().any(|d| p.starts_with(d))
            || self
                .repo
                .git_dir()
                .is_some_and(|d| p.starts_with(canonical(&d)))
            || self.hooks_dir().is_some_and(|d| p.starts_with(d))
            || self.personal(p)
    }

    /// The person's own settings that steer the gate from outside the
    /// repository: codexa's user config layer (`fail_mode`, `budget_ms`,
    /// `hooks.actions`), the global git config (`core.hooksPath`,
    /// aliases), and the agents' user settings (which can switch hooks
    /// off).
    fn personal(&self, p: &Path) -> bool {
        let Some(home) = &self.home else {
            return false;
        };
        let env_dir = |var: &str, default: PathBuf| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or(default)
        };
        let xdg = env_dir("XDG_CONFIG_HOME", home.join(".config"));
        let dirs = [
            env_dir("CODEXA_CONFIG_HOME", home.join(".config/codexa")),
            home.join(".codex"),
            xdg.join("git"),
        ];
        if dirs.iter().any(|d| p.starts_with(canonical(d))) {
            return true;
        }
        let files = [".gitconfig", ".claude.json", ".claude"];
        if files.iter().any(|f| p == canonical(&home.join(f))) {
            return true;
        }
        let claude = canonical(&home.join(".claude"));
        p.parent() == Some(claude.as_path())
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("settings") && n.ends_with(".json"))
    }

    /// `core.hooksPath` when set: the folder with git's `pre-push` hook,
    /// which may sit in the work tree (`.githooks/`) or anywhere else.
    fn hooks_dir(&self) -> Option<PathBuf> {
        let configured = self.repo.config("core.hooksPath")?;
        let path = self
            .tilde(&configured)
            .unwrap_or_else(|| PathBuf::from(&configured));
        Some(canonical(&if path.is_absolute() {
            path
        } else {
            self.workdir.join(path)
        }))
    }

    fn subject(&self, p: &Path) -> String {
        match p.strip_prefix(&self.workdir) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
            _ => p.display().to_string(),
        }
    }

    /// Where `dirs` (a line's `cd`s) lead from `cwd`.
    fn dir(&self, cwd: &Path, dirs: &[String]) -> PathBuf {
        let mut at = cwd.to_path_buf();
        for d in dirs {
            match self.tilde(d) {
                Some(p) => at = p,
                None if d == "-" => {}
                None => at = resolve(&at, Path::new(d)),
            }
        }
        at
    }

    /// `~` and `~/x` against HOME.
    fn tilde(&self, text: &str) -> Option<PathBuf> {
        let home = self.home.as_ref()?;
        if text == "~" {
            return Some(home.clone());
        }
        text.strip_prefix("~/").map(|rest| home.join(rest))
    }

    /// The subject when `word`, written from `cwd` after `dirs`, is a
    /// control path. Expansions of the working directory and HOME are
    /// replaced; a target still unknown after that is control when it
    /// names a control directory, and a glob when it could match one.
    ///
    /// A `cd` may not have run (`false && cd x`) or may have been undone
    /// (`(cd x); …`, `bash -c 'cd x'`), so the word is tried from where
    /// the line starts and from after each `cd` before it.
    fn target(&self, cwd: &Path, dirs: &[String], word: &Word) -> Option<String> {
        self.bases(cwd, dirs)
            .iter()
            .find_map(|base| self.target_from(base, word))
    }

    /// Where the line is before its first `cd` and after each of them (the
    /// first and the latest ones when a line holds very many).
    fn bases(&self, cwd: &Path, dirs: &[String]) -> Vec<PathBuf> {
        const MOST: usize = 32;
        let mut out = vec![cwd.to_path_buf()];
        let mut at = cwd.to_path_buf();
        for (i, d) in dirs.iter().enumerate() {
            at = match self.tilde(d) {
                Some(p) => p,
                None if d == "-" => at,
                None => resolve(&at, Path::new(d)),
            };
            if i < MOST || dirs.len() - i <= MOST {
                out.push(at.clone());
            }
        }
        out
    }

    fn target_from(&self, base: &Path, word: &Word) -> Option<String> {
        let mut text = word.text.clone();
        if word.dynamic {
            let here = base.display().to_string();
            for var in ["${PWD}", "$PWD", "$(pwd)", "`pwd`"] {
                text = text.replace(var, &here);
            }
            if let Some(home) = &self.home {
                for var in ["${HOME}", "$HOME"] {
                    text = text.replace(var, &home.display().to_string());
                }
            }
        }
        let path = self
            .tilde(&text)
            .unwrap_or_else(|| resolve(base, Path::new(&text)));
        let unknown = text.contains('$') || text.contains('`') || text.contains('…');
        if unknown {
            let named = [".codexa", ".codex/", ".git/", ".claude/settings"]
                .iter()
                .any(|n| text.contains(n) || text.ends_with(n.trim_end_matches('/')));
            return named.then_some(text);
        }
        if word.dynamic && text.contains(['*', '?', '[', '{']) {
            return self.glob_hits(&path).map(|p| self.subject(&p));
        }
        self.is_control(&path).then(|| self.subject(&path))
    }

    /// A control path the glob `pattern` could name (`.c*` names
    /// `.codexa`).
    fn glob_hits(&self, pattern: &Path) -> Option<PathBuf> {
        let mut candidates: Vec<PathBuf> = CONTROL_DIRS
            .iter()
            .chain(&[
                ".claude",
                ".claude/settings.json",
                ".claude/settings.local.json",
            ])
            .map(|c| self.workdir.join(c))
            .collect();
        candidates.extend(self.git_dirs.iter().cloned());
        candidates.into_iter().find(|c| path_glob(pattern, c))
    }
}

/// Options of a program that writes: which take a value.
struct Valued {
    short: &'static str,
    long: &'static [&'static str],
}

/// The operands of `args` (options may come anywhere, as GNU tools take
/// them; all words after `--` are operands), and the options seen with
/// their values.
fn operands<'w>(
    args: &'w [Word],
    spec: &Valued,
) -> (Vec<&'w Word>, Vec<(String, Option<&'w str>)>) {
    let mut ops = Vec::new();
    let mut opts = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if t == "--" {
            ops.extend(args[i..].iter());
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, v)) => opts.push((name.to_string(), Some(v))),
                None if spec.long.contains(&long) => {
                    opts.push((long.to_string(), args.get(i).map(|w| w.text.as_str())));
                    i += 1;
                }
                None => opts.push((long.to_string(), None)),
            }
            continue;
        }
        if t.len() > 1 && t.starts_with('-') {
            for (k, c) in t[1..].char_indices() {
                if spec.short.contains(c) {
                    let rest = &t[1 + k + c.len_utf8()..];
                    let v = if rest.is_empty() {
                        i += 1;
                        args.get(i - 1).map(|w| w.text.as_str())
                    } else {
                        Some(rest)
                    };
                    opts.push((c.to_string(), v));
                    break;
                }
                opts.push((c.to_string(), None));
            }
            continue;
        }
        ops.push(w);
    }
    (ops, opts)
}

/// Every value given to the options `names`, as words that keep whether
/// the word they came from is decided at run time (`-o "$HOME/x"`).
fn opt_words(args: &[Word], opts: &[(String, Option<&str>)], names: &[&str]) -> Vec<Word> {
    opts.iter()
        .filter(|(n, _)| names.contains(&n.as_str()))
        .filter_map(|(_, v)| *v)
        .map(|v| value_word(args, v))
        .collect()
}

/// An option's value as a word, dynamic when the argument it came from is.
fn value_word(args: &[Word], value: &str) -> Word {
    let mut w = Word::literal(value);
    w.dynamic = args.iter().any(|a| a.dynamic && a.text.ends_with(value));
    w
}

fn opt<'o>(opts: &'o [(String, Option<&'o str>)], names: &[&str]) -> Option<Option<&'o str>> {
    opts.iter()
        .rev()
        .find(|(n, _)| names.contains(&n.as_str()))
        .map(|(_, v)| *v)
}

/// The files a command writes, from its arguments (best effort).
fn targets(c: &Command) -> Vec<Word> {
    let args = &c.args;
    let none = Valued {
        short: "",
        long: &[],
    };
    match c.program.as_str() {
        "tee" | "rm" | "unlink" | "shred" | "touch" | "mkdir" | "rmdir" => {
            owned_words(operands(args, &none).0)
        }
        "cp" | "mv" | "install" | "ln" | "rsync" => {
            let (ops, opts) = operands(
                args,
                &Valued {
                    short: "tSgmo",
                    long: &["target-directory", "suffix", "group", "mode", "owner"],
                },
            );
            let (dest, sources) = match opt(&opts, &["t", "target-directory"]) {
                Some(Some(dir)) => (Some(value_word(args, dir)), &ops[..]),
                _ => match ops.split_last() {
                    Some((last, rest)) => (Some((*last).clone()), rest),
                    None => (None, &ops[..]),
                },
            };
            let Some(dest) = dest else {
                return Vec::new();
            };
            // The destination, and what lands in it when it is a folder
            // (`cp x/.gitconfig ~/`).
            let mut out = vec![dest.clone()];
            for src in sources {
                let name = src
                    .text
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                if !name.is_empty() && name != "." && name != ".." {
                    let mut inside = dest.clone();
                    inside.text = format!("{}/{name}", dest.text.trim_end_matches('/'));
                    out.push(inside);
                }
            }
            // A move takes its sources away: removing a control file is
            // writing it.
            if c.program == "mv" {
                out.extend(owned_words(sources.to_vec()));
            }
            out
        }
        "sort" => {
            let (_, opts) = operands(
                args,
                &Valued {
                    short: "okStT",
                    long: &["output", "key", "field-separator", "buffer-size"],
                },
            );
            opt_words(args, &opts, &["o", "output"])
        }
        // Paths git writes from the index or a commit, or removes.
        // Plumbing that writes a path into the index or the work tree;
        // `--cacheinfo MODE,OBJECT,PATH` names its path last.
        "git" if matches!(c.arg(0), Some("update-index" | "checkout-index")) => args[1..]
            .iter()
            .map(|w| match w.text.rsplit_once(',') {
                Some((_, path)) if w.text.matches(',').count() == 2 => Word::literal(path),
                _ => w.clone(),
            })
            .filter(|w| !w.text.starts_with('-'))
            .collect(),
        "git" if matches!(c.arg(0), Some("checkout" | "restore" | "rm" | "mv")) => owned_words(
            operands(
                &args[1..],
                &Valued {
                    short: "sb",
                    long: &["source", "pathspec-from-file", "conflict"],
                },
            )
            .0,
        ),
        "sed" => {
            let in_place = args.iter().any(|w| {
                w.text.starts_with("--in-place") || flag_cluster_with_i(&w.text, "nErsuz")
            });
            if !in_place {
                return Vec::new();
            }
            let (ops, opts) = operands(
                args,
                &Valued {
                    short: "efl",
                    long: &["expression", "file", "line-length"],
                },
            );
            // Without -e/-f the first operand is the script.
            let script_given = opt(&opts, &["e", "f", "expression", "file"]).is_some();
            owned_words(ops.into_iter().skip(usize::from(!script_given)).collect())
        }
        "perl" => {
            if !args
                .iter()
                .any(|w| flag_cluster_with_i(&w.text, "pnlaws0123456789"))
            {
                return Vec::new();
            }
            let (ops, opts) = operands(
                args,
                &Valued {
                    short: "eEIMm",
                    long: &[],
                },
            );
            let code_given = opt(&opts, &["e", "E"]).is_some();
            owned_words(ops.into_iter().skip(usize::from(!code_given)).collect())
        }
        "truncate" => owned_words(
            operands(
                args,
                &Valued {
                    short: "sr",
                    long: &["size", "reference"],
                },
            )
            .0,
        ),
        "chmod" | "chown" | "chgrp" => {
            // The mode or owner comes first; chmod's may look like an
            // option (`-w`).
            let mode = |t: &str| {
                t.len() > 1 && t.starts_with('-') && t[1..].chars().all(|c| "rwxXst".contains(c))
            };
            let reference = args.iter().any(|w| w.text.starts_with("--reference"));
            args.iter()
                .filter(|w| !w.text.starts_with('-') || (c.program == "chmod" && mode(&w.text)))
                .skip(usize::from(!reference))
                .cloned()
                .collect()
        }
        "dd" => args
            .iter()
            .filter_map(|w| w.text.strip_prefix("of="))
            .map(|v| value_word(args, v))
            .collect(),
        // `-o FILE`, `-sSLo FILE`, `--output=FILE`, `-OFILE`, …
        "curl" => {
            let (_, opts) = operands(
                args,
                &Valued {
                    short: "oAbcCdDeEFHKmrTuUwxXyYz",
                    long: &[
                        "output", "data", "header", "user", "request", "url", "config",
                    ],
                },
            );
            opt_words(args, &opts, &["o", "output"])
        }
        "wget" => {
            let (_, opts) = operands(
                args,
                &Valued {
                    short: "OoaeiPUtTwQ",
                    long: &["output-document", "output-file", "directory-prefix"],
                },
            );
            opt_words(args, &opts, &["O", "output-document"])
        }
        _ => Vec::new(),
    }
}

/// `-i`, `-i.bak`, `-ni`, `-pi`: a cluster of `flags` then `i` (editing
/// in place, with an optional backup suffix).
fn flag_cluster_with_i(word: &str, flags: &str) -> bool {
    match word.strip_prefix('-') {
        Some(letters) if !letters.starts_with('-') => {
            let before: String = letters.chars().take_while(|c| *c != 'i').collect();
            before.len() < letters.len() && before.chars().all(|c| flags.contains(c))
        }
        _ => false,
    }
}

/// The config file `git config …` writes, if it writes one.
fn git_config_file(c: &Command, roots: &Roots) -> Option<PathBuf> {
    if c.program != "git" || c.arg(0) != Some("config") {
        return None;
    }
    let args = &c.args[1..];
    let (ops, opts) = operands(
        args,
        &Valued {
            short: "f",
            long: &["file", "blob", "type", "default", "comment", "value", "url"],
        },
    );
    let has = |names: &[&str]| opt(&opts, names).is_some();
    let read_only = has(&[
        "get",
        "get-all",
        "get-regexp",
        "get-urlmatch",
        "get-color",
        "get-colorbool",
        "l",
        "list",
    ]);
    let writes_flag = has(&[
        "unset",
        "unset-all",
        "add",
        "replace-all",
        "rename-section",
        "remove-section",
        "e",
        "edit",
    ]);
    let verb = ops.first().map(|w| w.text.as_str());
    let writes = match verb {
        Some("set" | "unset" | "rename-section" | "remove-section" | "edit") => true,
        Some("get" | "list") => false,
        _ => writes_flag || (!read_only && ops.len() >= 2),
    };
    if !writes {
        return None;
    }
    if let Some(Some(f)) = opt(&opts, &["f", "file"]) {
        return Some(resolve(&roots.workdir, Path::new(f)));
    }
    if has(&["global"]) {
        return roots.home.as_ref().map(|h| h.join(".gitconfig"));
    }
    if has(&["system"]) {
        return Some(PathBuf::from("/etc/gitconfig"));
    }
    let git_dir = roots
        .git_dirs
        .first()
        .cloned()
        .unwrap_or_else(|| roots.workdir.join(".git"));
    Some(git_dir.join(if has(&["worktree"]) {
        "config.worktree"
    } else {
        "config"
    }))
}

/// The paths the patch files of `git apply|am` or `patch` (run in `dir`,
/// with the files `fed` to the line's stdin) would write: the files exist
/// when the call is judged, so they are read (the first MiB of each)
/// rather than guessed at.
fn patched(c: &Command, dir: &Path, fed: &[PathBuf]) -> Vec<String> {
    let mut out = Vec::new();
    let files: Vec<Word> = match (c.program.as_str(), c.arg(0)) {
        ("git", Some("apply" | "am")) => owned_words(
            operands(
                &c.args[1..],
                &Valued {
                    short: "pC",
                    long: &["directory", "exclude", "include", "whitespace"],
                },
            )
            .0,
        ),
        ("patch", _) => {
            let (ops, opts) = operands(
                &c.args,
                &Valued {
                    short: "pidoDBVFrYz",
                    long: &["input", "directory", "output", "strip"],
                },
            );
            // `patch [ORIGINAL [PATCH]]`: the original is written too.
            out.extend(ops.first().map(|w| w.text.clone()));
            let mut files: Vec<Word> = ops.into_iter().skip(1).cloned().collect();
            if let Some(Some(input)) = opt(&opts, &["i", "input"]) {
                files.push(Word::literal(input));
            }
            files
        }
        _ => return Vec::new(),
    };
    let named = files.iter().map(|f| dir.join(&f.text));
    let from_stdin = if c.program == "patch" || files.is_empty() {
        fed
    } else {
        &[]
    };
    for path in named.chain(from_stdin.iter().cloned()) {
        // Only a regular file: opening a FIFO the agent named would block
        // the hook until its time runs out.
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut std::io::Read::take(file, 1 << 20), &mut text);
        for line in text.lines() {
            let named = line
                .strip_prefix("+++ ")
                .or_else(|| line.strip_prefix("--- "))
                .map(|rest| rest.split('\t').next().unwrap_or(rest).trim());
            if let Some(name) = named.filter(|n| *n != "/dev/null") {
                // git's `a/` and `b/` prefixes (what `-p1` strips).
                let name = name
                    .strip_prefix("a/")
                    .or_else(|| name.strip_prefix("b/"))
                    .unwrap_or(name);
                out.push(name.to_string());
            }
        }
    }
    out
}

/// The control files a whole tree can carry, as paths in a commit.
const TREE_CONTROL: &[&str] = &[
    ".codexa",
    ".codex",
    ".claude/settings.json",
    ".claude/settings.local.json",
];

/// A git command that moves the work tree to another revision (`reset
/// --hard REV`, `checkout REV`, `switch`, `restore --source REV`,
/// `read-tree -u REV`, `merge`, `cherry-pick`, `rebase`, `stash
/// pop|apply`): the control path whose content at that revision differs
/// from HEAD's, as `PATH (as at REV)`. A commit an agent made of its own
/// policy becomes the work tree this way without any file being written
/// on the line.
fn rewritten(c: &Command, repo: &dyn GitView) -> Option<String> {
    if c.program != "git" {
        return None;
    }
    let args: Vec<&str> = c.args.iter().map(|w| w.text.as_str()).collect();
    let (sub, rest) = args.split_first()?;
    let operands = || {
        rest.iter()
            .take_while(|a| **a != "--")
            .copied()
            .filter(|a| !a.starts_with('-'))
            .collect::<Vec<&str>>()
    };
    let revs: Vec<String> = match *sub {
        "reset"
            if rest
                .iter()
                .any(|a| matches!(*a, "--hard" | "--merge" | "--keep")) =>
        {
            operands().into_iter().take(1).map(str::to_string).collect()
        }
        "checkout" | "switch" | "merge" | "cherry-pick" | "rebase" | "read-tree" => {
            operands().into_iter().map(str::to_string).collect()
        }
        "restore" => rest
            .windows(2)
            .filter(|w| matches!(w[0], "-s" | "--source"))
            .map(|w| w[1].to_string())
            .chain(
                rest.iter()
                    .filter_map(|a| a.strip_prefix("--source="))
                    .map(str::to_string),
            )
            .collect(),
        "stash" if matches!(rest.first(), Some(&"pop" | &"apply")) => {
            vec![rest.get(1).copied().unwrap_or("stash@{0}").to_string()]
        }
        _ => Vec::new(),
    };
    revs.iter().find_map(|rev| {
        repo.differs_at(rev, TREE_CONTROL)
            .map(|path| format!("{path} (as at {rev})"))
    })
}

fn owned_words(words: Vec<&Word>) -> Vec<Word> {
    words.into_iter().cloned().collect()
}
