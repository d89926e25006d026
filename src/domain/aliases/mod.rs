//! Prompt-first phrases: a catalogue that maps what a person or agent types
//! — `approve design for CH-010`, `what is unread` — to the one
//! deterministic `codexa` command it stands for.
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
//!
//! Matching is pure and apart from the rest: `pattern` (one pattern and
//! its match), `resolve` (the best pattern of a catalogue) and `argv`
//! (which command an argument list names, and how it is shown). Reading
//! the catalogue's files is `catalogue`'s; starting the command is `run`'s.

mod argv;
mod catalogue;
mod pattern;
mod resolve;
mod run;

pub use argv::{command_words, decides, display_template};
pub use pattern::Entry;
pub use resolve::{Catalogue, Resolved, Unresolved};
pub use run::command;

#[cfg(test)]
mod testing {
    /// An argument list from literals.
    pub(super) fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }
}
