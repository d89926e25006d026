//! Prompt-first phrases: a catalogue that maps what a
//! person or agent types — `approve design for CH-010`, `what is unread` —
//! to the one deterministic `codexa` command it stands for.
//!
//! The catalogue is data: the YAML files in the repository's `commands/`
//! folder, embedded in the binary, then `.codexa/commands/*.yaml` in the
//! work tree (in name order), whose phrases extend it or, with the same
//! pattern as an earlier phrase, replace it. The format is in
//! `commands/README.md` and `schemas/commands.schema.json`.
//!
//! A phrase pattern is words separated by spaces. A literal word matches
//! case-insensitively; `{name}` matches one word (anything without
//! whitespace) and may carry literal punctuation after it (`{thread}:`); a
//! final `{name...}` takes the rest of the phrase, spacing and punctuation
//! included. Extra spaces and a trailing `.`, `?` or `!` are ignored.
//!
//! Resolution only fills slots into the argv template: each argv item stays
//! one argument of the re-executed binary, never shell text, and the values
//! are validated by the command they are passed to. One thing is refused
//! here: a slot value that would turn an argument into an option (a
//! leading `-` before any `--`), or `approve --as=boss` could change who
//! speaks.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::config::{self, yaml};
use crate::error::{Error, Result};

/// Where a project's phrases live, relative to the work tree.
pub const PROJECT_DIR: &str = ".codexa/commands";

/// The built-in catalogue: the repository's `commands/*.yaml`.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "commands/approvals.yaml",
        include_str!("../../commands/approvals.yaml"),
    ),
    (
        "commands/threads.yaml",
        include_str!("../../commands/threads.yaml"),
    ),
    (
        "commands/store.yaml",
        include_str!("../../commands/store.yaml"),
    ),
    (
        "commands/loops.yaml",
        include_str!("../../commands/loops.yaml"),
    ),
    (
        "commands/reports.yaml",
        include_str!("../../commands/reports.yaml"),
    ),
];

/// One word of a phrase pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A literal word, lowercased.
    Word(String),
    /// `{name}` (one word) or `{name...}` (the rest), with literal text
    /// that must follow it in the same word.
    Slot {
        name: String,
        greedy: bool,
        suffix: String,
    },
}

/// One catalogue entry.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The pattern as written, e.g. `approve {kind} for {subject}`.
    pub phrase: String,
    /// The codexa arguments it stands for, with `{slot}` placeholders.
    pub argv: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The file that defined it: `commands/….yaml` (built in) or
    /// `.codexa/commands/….yaml`.
    pub source: String,
    #[serde(skip)]
    parts: Vec<Part>,
}

impl Entry {
    /// Build an entry, checking the pattern and that every placeholder in
    /// `argv` names one of its slots. The error says what to change.
    pub fn new(
        phrase: &str,
        argv: Vec<String>,
        description: Option<String>,
        source: &str,
    ) -> std::result::Result<Entry, String> {
        let parts = parse_pattern(phrase)?;
        if argv.is_empty() {
            return Err("`argv` is empty: give the codexa arguments the phrase stands for".into());
        }
        if command_words(&argv).first() == Some(&"ask") {
            return Err("`argv` may not start with `ask`: a phrase must stand for a command, not for another phrase".into());
        }
        let slots: Vec<&str> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Slot { name, .. } => Some(name.as_str()),
                Part::Word(_) => None,
            })
            .collect();
        for item in &argv {
            for piece in template(item)? {
                if let Piece::Slot(name) = piece
                    && !slots.contains(&name)
                {
                    return Err(format!(
                        "`argv` uses `{{{name}}}`, which the phrase has no slot for (slots: {})",
                        if slots.is_empty() {
                            "none".to_string()
                        } else {
                            slots
                                .iter()
                                .map(|s| format!("{{{s}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ));
                }
            }
        }
        Ok(Entry {
            phrase: phrase.split_whitespace().collect::<Vec<_>>().join(" "),
            argv,
            description,
            source: source.to_string(),
            parts,
        })
    }

    /// What makes two patterns "the same": their literal words
    /// (lowercased) and slot shapes, whatever the slots are called.
    pub fn key(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Word(w) => w.clone(),
                Part::Slot { greedy, suffix, .. } => {
                    format!("{{{}}}{suffix}", if *greedy { "..." } else { "" })
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn literal_words(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Word(w) => Some(w.as_str()),
            Part::Slot { .. } => None,
        })
    }

    fn greedy(&self) -> bool {
        matches!(self.parts.last(), Some(Part::Slot { greedy: true, .. }))
    }

    /// The slot values when `input` fits this pattern.
    fn matches(&self, input: &Input) -> Option<BTreeMap<String, String>> {
        let words = &input.words;
        let fits = if self.greedy() {
            words.len() >= self.parts.len()
        } else {
            words.len() == self.parts.len()
        };
        if !fits {
            return None;
        }
        let mut values = BTreeMap::new();
        for (part, &(start, word)) in self.parts.iter().zip(words) {
            match part {
                Part::Word(w) => {
                    if word.to_lowercase() != *w {
                        return None;
                    }
                }
                Part::Slot {
                    name, greedy: true, ..
                } => {
                    // The rest as typed: inner spacing and a final `?` are
                    // part of a message.
                    values.insert(name.clone(), input.full[start..].trim_end().to_string());
                }
                Part::Slot { name, suffix, .. } => {
                    let cut = word.len().checked_sub(suffix.len())?;
                    if cut == 0
                        || !word.is_char_boundary(cut)
                        || !word[cut..].eq_ignore_ascii_case(suffix)
                    {
                        return None;
                    }
                    values.insert(name.clone(), word[..cut].to_string());
                }
            }
        }
        Some(values)
    }
}

/// A piece of an argv item: literal text or a placeholder.
enum Piece<'a> {
    Text(&'a str),
    Slot(&'a str),
}

fn valid_slot_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Split an argv item into text and `{name}` placeholders.
fn template(item: &str) -> std::result::Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = item;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let Some(len) = rest[open..].find('}') else {
            return Err(format!("`{item}` in `argv` has a `{{` without its `}}`"));
        };
        let name = &rest[open + 1..open + len];
        if !valid_slot_name(name) {
            return Err(format!(
                "`{{{name}}}` in `argv` is not a slot name (lowercase letters, digits and `_`)"
            ));
        }
        out.push(Piece::Slot(name));
        rest = &rest[open + len + 1..];
    }
    if rest.contains('}') {
        return Err(format!("`{item}` in `argv` has a `}}` without its `{{`"));
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Parse a phrase pattern into words and slots.
fn parse_pattern(phrase: &str) -> std::result::Result<Vec<Part>, String> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty() {
        return Err("the phrase is empty".into());
    }
    let mut parts = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let Some(body) = word.strip_prefix('{') else {
            if word.contains('{') || word.contains('}') {
                return Err(format!(
                    "`{word}`: a slot must start its word, e.g. `{{name}}` or `{{name}}:`"
                ));
            }
            parts.push(Part::Word(word.to_lowercase()));
            continue;
        };
        let Some(close) = body.find('}') else {
            return Err(format!("`{word}` has a `{{` without its `}}`"));
        };
        let (inner, suffix) = (&body[..close], &body[close + 1..]);
        if suffix.contains('{') || suffix.contains('}') {
            return Err(format!("`{word}`: one slot per word"));
        }
        let (name, greedy) = match inner.strip_suffix("...") {
            Some(n) => (n, true),
            None => (inner, false),
        };
        if !valid_slot_name(name) {
            return Err(format!(
                "`{{{inner}}}` is not a slot name: use lowercase letters, digits and `_`, e.g. `{{subject}}`"
            ));
        }
        if greedy && (i + 1 != words.len() || !suffix.is_empty()) {
            return Err(format!(
                "`{word}`: only the last word may take the rest (`{{{name}...}}`), with nothing after it"
            ));
        }
        if seen.iter().any(|s| s == name) {
            return Err(format!("slot `{{{name}}}` appears twice"));
        }
        seen.push(name.to_string());
        parts.push(Part::Slot {
            name: name.to_string(),
            greedy,
            suffix: suffix.to_string(),
        });
    }
    Ok(parts)
}

/// A typed phrase: the text as given (trimmed) and its words with their
/// byte offsets, after a trailing `.`, `?` or `!` is set aside.
struct Input<'a> {
    full: &'a str,
    words: Vec<(usize, &'a str)>,
}

impl<'a> Input<'a> {
    fn new(text: &'a str) -> Input<'a> {
        let full = text.trim();
        let matched = full.trim_end_matches(['.', '?', '!']).trim_end();
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in matched.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    words.push((s, &matched[s..i]));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, &matched[s..]));
        }
        Input { full, words }
    }
}

/// A phrase resolved to its command.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    /// What was typed (trimmed).
    pub phrase: String,
    /// The catalogue pattern it matched.
    pub pattern: String,
    /// The command for display: `codexa approve CH-010 --kind design`,
    /// shell-quoted so it can be pasted. Never run through a shell.
    pub command: String,
    /// The codexa arguments, one item per argument, without `codexa`.
    pub argv: Vec<String>,
    /// The catalogue file of the pattern.
    pub source: String,
}

/// Why a phrase resolved to nothing: the message, and the closest phrases.
#[derive(Debug, Clone, Serialize)]
pub struct Unresolved {
    pub phrase: String,
    pub message: String,
    /// Up to three catalogue patterns, closest first.
    pub suggestions: Vec<String>,
}

impl Unresolved {
    /// As a codexa error, the suggestions in the hint.
    pub fn to_error(&self) -> Error {
        let hint = if self.suggestions.is_empty() {
            "`codexa ask --list` shows every phrase".to_string()
        } else {
            format!(
                "did you mean {}? (`codexa ask --list` shows every phrase)",
                self.suggestions
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Error::user(self.message.clone()).hint(hint)
    }
}

/// The catalogue: built-in phrases, then the project's.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub entries: Vec<Entry>,
}

impl Catalogue {
    /// The embedded `commands/*.yaml`.
    pub fn builtin() -> Catalogue {
        let mut cat = Catalogue {
            entries: Vec::new(),
        };
        for (name, text) in BUILTIN {
            let doc = yaml::parse(text).unwrap_or_else(|e| panic!("{name}: {}", e.message));
            let entries =
                entries_from(&doc, name).unwrap_or_else(|e| panic!("{name}: {}", e.message()));
            cat.add(entries);
        }
        cat
    }

    /// The built-in catalogue extended by `.codexa/commands/*.yaml` under
    /// `workdir` (when there is a work tree). A bad file is an error naming
    /// `file:line`: a catalogue that half-loads would run what nobody wrote.
    pub fn load(workdir: Option<&Path>) -> Result<Catalogue> {
        let mut cat = Catalogue::builtin();
        let Some(workdir) = workdir else {
            return Ok(cat);
        };
        let dir = workdir.join(PROJECT_DIR);
        let Ok(read) = fs_err::read_dir(&dir) else {
            return Ok(cat);
        };
        let mut files: Vec<_> = read
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        for path in files {
            let shown = format!(
                "{PROJECT_DIR}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            cat.add(load_file(&path, &shown)?);
        }
        Ok(cat)
    }

    /// Add entries: one with the same pattern as an existing entry takes
    /// its place; the others go at the end.
    fn add(&mut self, entries: Vec<Entry>) {
        for e in entries {
            let key = e.key();
            match self.entries.iter_mut().find(|x| x.key() == key) {
                Some(old) => *old = e,
                None => self.entries.push(e),
            }
        }
    }

    /// Resolve a typed phrase. When several patterns fit, the one with the
    /// most literal words wins (`approve design for CH-010` is the
    /// kind-and-subject phrase, not a subject called `design for CH-010`),
    /// then one without a rest-of-phrase slot, then the earlier.
    pub fn resolve(&self, phrase: &str) -> std::result::Result<Resolved, Unresolved> {
        let input = Input::new(phrase);
        let unresolved = |message: String, suggestions: Vec<String>| Unresolved {
            phrase: input.full.to_string(),
            message,
            suggestions,
        };
        if input.words.is_empty() {
            return Err(unresolved("the phrase is empty".into(), Vec::new()));
        }
        let best = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.matches(&input).map(|v| (i, e, v)))
            .max_by_key(|(i, e, _)| {
                (
                    e.literal_words().count(),
                    !e.greedy(),
                    std::cmp::Reverse(*i),
                )
            });
        let Some((_, entry, values)) = best else {
            return Err(unresolved(
                format!("no phrase in the catalogue matches `{}`", input.full),
                self.suggest(input.full, 3),
            ));
        };
        let mut argv = Vec::with_capacity(entry.argv.len());
        let mut options_end = false;
        for item in &entry.argv {
            let mut out = String::new();
            // Placeholders were checked when the entry was built.
            for piece in template(item).unwrap_or_default() {
                match piece {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Slot(name) => out.push_str(values.get(name).map_or("", String::as_str)),
                }
            }
            if !options_end && out.starts_with('-') && !item.starts_with('-') {
                return Err(unresolved(
                    format!(
                        "`{out}` would be read as an option by `codexa {}`, not as a value",
                        entry.argv[0]
                    ),
                    vec![entry.phrase.clone()],
                ));
            }
            if item == "--" {
                options_end = true;
            }
            argv.push(out);
        }
        Ok(Resolved {
            phrase: input.full.to_string(),
            pattern: entry.phrase.clone(),
            command: display(&argv),
            argv,
            source: entry.source.clone(),
        })
    }

    /// The patterns closest to `phrase`, best first, at most `n`: scored by
    /// how many of a pattern's literal words the phrase has (a word within a
    /// typo or two counts for less), then by how close the word counts are.
    pub fn suggest(&self, phrase: &str, n: usize) -> Vec<String> {
        let input = Input::new(phrase);
        let typed: Vec<String> = input
            .words
            .iter()
            .map(|(_, w)| w.trim_end_matches([',', ':', ';']).to_lowercase())
            .collect();
        let mut scored: Vec<(u32, usize, usize, &Entry)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let score: u32 = e
                    .literal_words()
                    .map(|lit| {
                        typed
                            .iter()
                            .map(|w| {
                                if w == lit {
                                    10
                                } else if edit_distance(w, lit) <= (lit.chars().count() / 4).max(1)
                                {
                                    6
                                } else {
                                    0
                                }
                            })
                            .max()
                            .unwrap_or(0)
                    })
                    .sum();
                (score > 0).then(|| (score, typed.len().abs_diff(e.parts.len()), i, e))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut out: Vec<String> = Vec::new();
        for (_, _, _, e) in scored {
            if out.len() == n {
                break;
            }
            if !out.contains(&e.phrase) {
                out.push(e.phrase.clone());
            }
        }
        out
    }
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `codexa ARGV` for display, each item quoted for a POSIX shell when it
/// needs to be.
pub fn display(argv: &[String]) -> String {
    let mut out = String::from("codexa");
    for a in argv {
        out.push(' ');
        out.push_str(&shell_quote(a));
    }
    out
}

/// An entry's argv template for display: like [`display`], with
/// `{slot}` placeholders left bare.
pub fn display_template(argv: &[String]) -> String {
    let mut out = String::from("codexa");
    for a in argv {
        out.push(' ');
        if a.contains('{') && !a.contains(['\'', ' ']) {
            out.push_str(a);
        } else {
            out.push_str(&shell_quote(a));
        }
    }
    out
}

fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A validated catalogue file's entries; semantic errors (a bad slot, an
/// unknown placeholder) name the file and line.
fn entries_from(doc: &yaml::Doc, shown: &str) -> Result<Vec<Entry>> {
    let list = doc
        .value
        .get("phrases")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let phrase = item.get("phrase").and_then(Value::as_str).unwrap_or("");
        let argv: Vec<String> = item
            .get("argv")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let description = item
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        let entry = Entry::new(phrase, argv, description, shown).map_err(|why| {
            let line = doc
                .lines
                .get(&format!("/phrases/{i}"))
                .copied()
                .unwrap_or(1);
            Error::user(format!("{shown}:{line}: phrase `{phrase}`: {why}")).hint(format!(
                "correct the phrase at {shown}:{line}; see commands/README.md for the format"
            ))
        })?;
        out.push(entry);
    }
    Ok(out)
}

/// Global options that take a value as the next argument (`-C DIR`,
/// `--as NAME`, …); `--as=NAME` and `-CDIR` carry it in the same one.
const VALUED_LONG_OPTIONS: &[&str] = &["as", "format", "color"];

/// The first two words of a codexa argument list that are neither options
/// nor option values: the subcommand, and the one after it (`events
/// accept`, `approval request`).
pub fn command_words(argv: &[String]) -> Vec<&str> {
    let mut words = Vec::new();
    let mut items = argv.iter().map(String::as_str);
    let mut options_end = false;
    while words.len() < 2
        && let Some(item) = items.next()
    {
        if options_end || item == "-" || !item.starts_with('-') {
            words.push(item);
        } else if item == "--" {
            options_end = true;
        } else if let Some(long) = item.strip_prefix("--") {
            if VALUED_LONG_OPTIONS.contains(&long) {
                items.next();
            }
        } else if item.ends_with('C') {
            // A cluster of short flags (`-qC`) whose `C` takes the next
            // argument; `-CDIR` holds its value.
            items.next();
        }
    }
    words
}

/// The command an argument list runs when that command decides approvals
/// or what counts as the log (`approve`, `deny`, `hold`, `events accept`,
/// and every `approval` subcommand but `request` and `show`), whatever
/// global options come first: only a person may run those, so a phrase a
/// project (or an agent editing it) adds may not stand for one.
pub fn decides(argv: &[String]) -> Option<String> {
    match command_words(argv).as_slice() {
        [cmd @ ("approve" | "deny" | "hold"), ..] => Some(cmd.to_string()),
        ["events", "accept", ..] => Some("events accept".into()),
        ["approval", sub, ..] if !matches!(*sub, "request" | "show") => {
            Some(format!("approval {sub}"))
        }
        _ => None,
    }
}

/// A project phrase may not choose its command from what is typed (a slot
/// among the command words) nor stand for a deciding one (see `decides`).
fn refuse_deciding(entries: &[Entry], doc: &yaml::Doc, shown: &str) -> Result<()> {
    for (i, e) in entries.iter().enumerate() {
        let words = command_words(&e.argv);
        let chosen = match words.as_slice() {
            [first, ..] if first.contains('{') => Some(first),
            ["events" | "approval", second, ..] if second.contains('{') => Some(second),
            _ => None,
        };
        let why = if let Some(word) = chosen {
            format!("`{word}` lets what is typed choose the command")
        } else if let Some(cmd) = decides(&e.argv) {
            format!("`codexa {cmd}` decides approvals, which only a person does")
        } else {
            continue;
        };
        let line = [format!("/phrases/{i}/argv"), format!("/phrases/{i}")]
            .iter()
            .find_map(|p| doc.lines.get(p).copied())
            .unwrap_or(1);
        return Err(Error::user(format!(
            "{shown}:{line}: phrase `{}`: {why}; a project's phrases may not",
            e.phrase
        ))
        .hint(format!(
            "remove the phrase at {shown}:{line}: a person types `codexa approve|deny|hold …` (or the built-in phrases) to decide"
        )));
    }
    Ok(())
}

/// Check a project catalogue file against the schema, then read it.
fn load_file(path: &Path, shown: &str) -> Result<Vec<Entry>> {
    config::require_valid_file(
        "commands",
        path,
        shown,
        "phrase catalogue",
        "see commands/README.md for the format",
    )?;
    let text = fs_err::read_to_string(path)
        .map_err(|e| Error::io(format!("cannot read {shown}")).caused_by(e))?;
    let doc = yaml::parse(&text)
        .map_err(|e| Error::user(format!("{shown}:{}: {}", e.line, e.message)).hint(e.fix))?;
    let entries = entries_from(&doc, shown)?;
    refuse_deciding(&entries, &doc, shown)?;
    Ok(entries)
}

/// The process that runs a resolved command: this very binary, the global
/// flags first, then the argv, each item one argument — never a shell.
pub fn command(globals: &[String], argv: &[String]) -> Result<std::process::Command> {
    if std::env::var_os(NESTED_ENV).is_some() {
        // A phrase whose command is (however disguised) `ask` again would
        // run forever, each process waiting on the next.
        return Err(
            Error::user("a phrase's command may not run `codexa ask` in turn")
                .hint("fix the phrase in .codexa/commands/ so it names a command other than ask"),
        );
    }
    let exe = std::env::current_exe()
        .map_err(|e| Error::io("cannot find the codexa binary to run the command").caused_by(e))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args(globals).args(argv).env(NESTED_ENV, "1");
    Ok(cmd)
}

/// Set in the process a phrase runs, so a phrase cannot run `ask` again.
pub const NESTED_ENV: &str = "CODEXA_ASK_NESTED";

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(cat: &Catalogue, phrase: &str) -> Vec<String> {
        match cat.resolve(phrase) {
            Ok(r) => r.argv,
            Err(e) => panic!("`{phrase}` did not resolve: {e:?}"),
        }
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn builtin_files_are_valid_against_the_schema() {
        for (name, text) in BUILTIN {
            let doc = yaml::parse(text).unwrap();
            let issues = config::schema::validate("commands", &doc.value).unwrap();
            assert!(issues.is_empty(), "{name}: {issues:#?}");
            let on_disk =
                std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap();
            assert_eq!(&on_disk, text, "{name}");
        }
        // Every commands/*.yaml is embedded.
        let mut files: Vec<String> =
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("commands"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml"))
                .map(|n| format!("commands/{n}"))
                .collect();
        files.sort();
        let mut embedded: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(files, embedded);
    }

    #[test]
    fn every_catalogue_phrase_resolves_with_its_slots() {
        let cat = Catalogue::builtin();
        let table: &[(&str, &[&str])] = &[
            (
                "approve design for CH-010",
                &["approve", "CH-010", "--kind", "design"],
            ),
            (
                "deny design for CH-010",
                &["deny", "CH-010", "--kind", "design"],
            ),
            (
                "hold design for CH-010",
                &["hold", "CH-010", "--kind", "design"],
            ),
            ("approve CH-010", &["approve", "CH-010"]),
            ("deny appr_01ABC", &["deny", "appr_01ABC"]),
            ("hold CH-010", &["hold", "CH-010"]),
            (
                "show pending approvals",
                &["approvals", "--status", "pending"],
            ),
            ("show approvals", &["approvals"]),
            (
                "show approvals for CH-010",
                &["approvals", "--subject", "CH-010"],
            ),
            ("show approval appr_1", &["approval", "show", "appr_1"]),
            (
                "request design approval for CH-010",
                &[
                    "approval",
                    "request",
                    "--action",
                    "design.review",
                    "--subject",
                    "CH-010",
                    "--kind",
                    "design",
                ],
            ),
            (
                "request approval to git.push origin/main",
                &[
                    "approval",
                    "request",
                    "--action",
                    "git.push",
                    "--subject",
                    "origin/main",
                ],
            ),
            (
                "can I git.push origin/main",
                &[
                    "policy",
                    "eval",
                    "--action",
                    "git.push",
                    "--subject",
                    "origin/main",
                ],
            ),
            (
                "can I shell.exec",
                &["policy", "eval", "--action", "shell.exec"],
            ),
            (
                "evaluate external.write on CH-010",
                &[
                    "policy",
                    "eval",
                    "--action",
                    "external.write",
                    "--subject",
                    "CH-010",
                ],
            ),
            (
                "explain git.push on origin/main",
                &[
                    "policy",
                    "explain",
                    "--action",
                    "git.push",
                    "--subject",
                    "origin/main",
                ],
            ),
            (
                "post to th_01: looks good",
                &["post", "th_01", "--", "looks good"],
            ),
            ("what is unread", &["inbox"]),
            ("show my inbox", &["inbox"]),
            ("read th_01", &["read", "th_01"]),
            ("show thread th_01", &["thread", "show", "th_01"]),
            ("show threads", &["thread", "list"]),
            ("verify the event log", &["events", "verify"]),
            ("sync", &["sync"]),
            ("sync the log", &["sync"]),
            ("check the config", &["doctor", "config"]),
            ("check everything", &["doctor"]),
            ("discover", &["discover"]),
            ("plan next loop", &["loop", "plan"]),
            (
                "plan next loop for billing retries",
                &["loop", "plan", "--goal", "billing retries"],
            ),
            ("seed the plan", &["seed", "--from", "loop-plan"]),
            (
                "seed the plan to th_01",
                &["seed", "--from", "loop-plan", "--post", "th_01"],
            ),
            (
                "publish governance report",
                &["report", "governance", "--publish"],
            ),
            ("show governance report", &["report", "governance"]),
            ("take snapshot", &["snapshot"]),
            ("show trend", &["analyze", "trend"]),
            ("show activity", &["analyze", "activity"]),
            (
                "show activity since 7d",
                &["analyze", "activity", "--since", "7d"],
            ),
            ("show approvals report", &["analyze", "approvals"]),
        ];
        for (phrase, want) in table {
            assert_eq!(argv(&cat, phrase), v(want), "{phrase}");
        }
        // Every catalogue phrase is in the table above.
        for e in &cat.entries {
            assert!(
                table
                    .iter()
                    .any(|(p, _)| cat.resolve(p).is_ok_and(|r| r.pattern == e.phrase)),
                "no test phrase for `{}`",
                e.phrase
            );
        }
    }

    #[test]
    fn case_spacing_and_trailing_punctuation_are_tolerated() {
        let cat = Catalogue::builtin();
        let want = v(&["approve", "CH-010", "--kind", "design"]);
        for phrase in [
            "Approve design for CH-010",
            "APPROVE design FOR CH-010.",
            "  approve   design\tfor CH-010  ",
            "approve design for CH-010?",
            "approve design for CH-010!",
        ] {
            assert_eq!(argv(&cat, phrase), want, "{phrase:?}");
        }
        assert_eq!(argv(&cat, "What is unread?"), v(&["inbox"]));
        assert_eq!(
            argv(&cat, "Verify the event log."),
            v(&["events", "verify"])
        );
        // Slot values keep their case.
        assert_eq!(argv(&cat, "approve ch-010"), v(&["approve", "ch-010"]));
        // The colon after the thread is part of the pattern.
        assert!(cat.resolve("post to th_01 looks good").is_err());
    }

    #[test]
    fn the_greedy_slot_takes_the_rest_as_typed() {
        let cat = Catalogue::builtin();
        assert_eq!(
            argv(&cat, "post to th_01: ship it?  Then   tell @lead."),
            v(&["post", "th_01", "--", "ship it?  Then   tell @lead."])
        );
        assert_eq!(
            argv(&cat, "Post To th_01: - a list item"),
            v(&["post", "th_01", "--", "- a list item"])
        );
        assert!(cat.resolve("post to th_01:").is_err());
    }

    #[test]
    fn a_value_that_would_be_an_option_is_refused() {
        let cat = Catalogue::builtin();
        let e = cat.resolve("approve --as=boss").unwrap_err();
        assert!(e.message.contains("option"), "{e:?}");
        assert!(cat.resolve("approve -x for CH-010").is_err());
        assert!(cat.resolve("request -h approval for CH-010").is_err());
    }

    #[test]
    fn near_misses_get_the_closest_phrases() {
        let cat = Catalogue::builtin();
        let e = cat.resolve("aprove design for CH-010").unwrap_err();
        assert_eq!(e.suggestions[0], "approve {kind} for {subject}", "{e:?}");
        assert!(e.suggestions.len() <= 3);
        let e = cat.resolve("show pending approval").unwrap_err();
        assert_eq!(e.suggestions[0], "show pending approvals", "{e:?}");
        let e = cat.resolve("verify the log").unwrap_err();
        assert_eq!(e.suggestions[0], "verify the event log", "{e:?}");
        let e = cat.resolve("xyzzy").unwrap_err();
        assert!(e.suggestions.is_empty(), "{e:?}");
        assert!(e.to_error().hint_text().unwrap().contains("--list"));
    }

    #[test]
    fn project_entries_replace_the_same_pattern_and_extend() {
        let mut cat = Catalogue::builtin();
        let n = cat.entries.len();
        cat.add(vec![
            Entry::new("SYNC", v(&["sync", "--remote", "upstream"]), None, "p").unwrap(),
            Entry::new("approve {k} for {s}", v(&["approve", "{s}"]), None, "p").unwrap(),
            Entry::new("ship {subject}", v(&["approve", "{subject}"]), None, "p").unwrap(),
        ]);
        assert_eq!(cat.entries.len(), n + 1);
        assert_eq!(argv(&cat, "sync"), v(&["sync", "--remote", "upstream"]));
        assert_eq!(argv(&cat, "approve design for X"), v(&["approve", "X"]));
        assert_eq!(argv(&cat, "ship X"), v(&["approve", "X"]));
    }

    #[test]
    fn bad_patterns_are_refused_with_the_reason() {
        let bad: &[(&str, &[&str], &str)] = &[
            ("approve {Kind}", &["approve"], "slot name"),
            ("post {text...} now", &["post"], "last word"),
            ("approve {x} {x}", &["approve"], "twice"),
            ("approve x{y}", &["approve"], "start its word"),
            ("approve {subject}", &["approve", "{subjet}"], "no slot for"),
            ("again {x}", &["ask", "{x}"], "ask"),
            ("nothing", &[], "empty"),
        ];
        for (phrase, av, why) in bad {
            let e = Entry::new(phrase, v(av), None, "t").unwrap_err();
            assert!(e.contains(why), "{phrase}: {e}");
        }
    }

    #[test]
    fn deciding_commands_are_found_past_global_options() {
        for argv in [
            v(&["approve", "{id}"]),
            v(&["--as", "boss", "deny", "x"]),
            v(&["--as=boss", "hold", "x"]),
            v(&["-C", "/repo", "--format", "json", "approve", "x"]),
            v(&["-qC", "/repo", "approve"]),
            v(&["-C/repo", "--quiet", "approve"]),
            v(&["events", "accept", "wr_1"]),
            v(&["--color", "never", "events", "--quiet", "accept", "wr_1"]),
            v(&["approval", "decide", "x"]),
        ] {
            assert!(decides(&argv).is_some(), "{argv:?}");
        }
        for argv in [
            v(&["approvals", "--status", "pending"]),
            v(&["approval", "request", "--action", "git.push"]),
            v(&["approval", "show", "x"]),
            v(&["events", "append"]),
            v(&["post", "th", "--", "approve"]),
            v(&["--as", "approve", "post", "x"]),
            v(&["policy", "eval", "approve"]),
        ] {
            assert_eq!(decides(&argv), None, "{argv:?}");
        }
        assert_eq!(command_words(&v(&["-", "x"])), vec!["-", "x"]);
    }

    #[test]
    fn ask_is_refused_behind_global_options_too() {
        let err = Entry::new(
            "again {x...}",
            v(&["--as", "boss", "ask", "{x}"]),
            None,
            "t",
        )
        .unwrap_err();
        assert!(err.contains("may not start with `ask`"), "{err}");
    }

    #[test]
    fn display_quotes_for_the_shell() {
        assert_eq!(
            display(&v(&["post", "th_1", "--", "it's done; rm -rf /"])),
            r"codexa post th_1 -- 'it'\''s done; rm -rf /'"
        );
        assert_eq!(
            display(&v(&["approve", "CH-010", "--kind", "design"])),
            "codexa approve CH-010 --kind design"
        );
    }
}
