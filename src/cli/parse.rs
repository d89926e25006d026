//! Parsing the command line without building every command's arguments.
//!
//! clap's derive builds the whole command tree (every command, every
//! argument, every help text) before it looks at the first word, and for
//! the small commands agents run on every turn that was the largest single
//! cost after loading the binary. So the commands are declared twice from
//! one list: `Command`, the tree as it always was, and `Deferred`, the same
//! tree whose commands build their arguments only when they are the one
//! being run.
//!
//! A command line is parsed with `Deferred` first. What it parses is the
//! same value the full tree would give (the same arguments, built the same
//! way, for the one command run). Anything else (help, a usage error,
//! completions) goes to the full tree, whose output is the reference: a
//! root `--help` lists every command's summary, which only the full tree
//! holds.

use clap::Parser;
use clap::error::ErrorKind;

use super::{Cli, Command};

/// Declares `Command` (the full tree) and `Deferred` (the same commands,
/// each built only when it runs) from one list, and turns one into the
/// other. A command with subcommands of its own is marked `[subcommand]`
/// after its type: in the full tree it is `#[command(subcommand)]`; in the
/// deferred tree it is wrapped in [`Nested`], so its subcommands too are
/// built only when it runs (clap builds a subcommand enum's commands at
/// once, deferred or not, and a dozen of them were a quarter of every
/// command's page faults).
macro_rules! commands {
    (
        $(#[$enum_meta:meta])*
        pub enum Command {
            $( $(#[$meta:meta])* $variant:ident($args:ty) $([$nested:ident])?, )*
        }
    ) => {
        $(#[$enum_meta])*
        #[derive(clap::Subcommand, Debug)]
        pub enum Command {
            $( $(#[$meta])* $(#[command($nested)])? $variant($args), )*
        }

        $(#[$enum_meta])*
        #[derive(clap::Subcommand, Debug)]
        #[command(defer = true)]
        pub(crate) enum Deferred {
            $( $(#[$meta])* $variant($crate::cli::parse::deferred_type!($($nested)? $args)), )*
        }

        /// Each command alone, in a tree of its own: the narrowed parse
        /// builds the one being run and no other.
        mod single {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[derive(clap::Subcommand, Debug)]
                #[command(defer = true)]
                pub(crate) enum $variant {
                    $(#[$meta])* $variant($crate::cli::parse::deferred_type!($($nested)? $args)),
                }
            )*
        }

        impl Command {
            /// `root` with the command called `name` as its one
            /// subcommand; `None` when no command has that name (an alias
            /// is not known here: it goes to the whole tree). Asking a
            /// command its name builds nothing.
            pub(crate) fn single(name: &str, root: clap::Command) -> Option<clap::Command> {
                use clap::Subcommand;
                $(
                    if single::$variant::has_subcommand(name) {
                        return Some(single::$variant::augment_subcommands(root));
                    }
                )*
                None
            }

            /// What a tree from `single(name, …)` parsed, as the full tree
            /// would give it.
            pub(crate) fn from_single(
                name: &str,
                matches: &clap::ArgMatches,
            ) -> Result<Command, clap::Error> {
                use clap::{FromArgMatches, Subcommand};
                $(
                    if single::$variant::has_subcommand(name) {
                        let single::$variant::$variant(a) =
                            single::$variant::from_arg_matches(matches)?;
                        return Ok(Command::$variant($crate::cli::parse::unwrap_nested!($($nested)? a)));
                    }
                )*
                Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))
            }
        }

        impl From<Deferred> for Command {
            fn from(d: Deferred) -> Command {
                match d {
                    $( Deferred::$variant(a) => Command::$variant(
                        $crate::cli::parse::unwrap_nested!($($nested)? a)
                    ), )*
                }
            }
        }
    };
}

/// The type a command takes in the deferred tree.
macro_rules! deferred_type {
    (subcommand $t:ty) => { $crate::cli::parse::Nested<$t> };
    ($t:ty) => { $t };
}

/// A deferred tree's value as the full tree has it.
macro_rules! unwrap_nested {
    (subcommand $a:ident) => {
        $a.0
    };
    ($a:ident) => {
        $a
    };
}

pub(crate) use {deferred_type, unwrap_nested};

/// A command's subcommands as arguments, so the deferred tree can build
/// them when the command runs, as it does any command's arguments. It
/// sets up the command as `#[command(subcommand)]` does: a subcommand is
/// required, and without one the command's help is the error.
#[derive(Debug)]
pub(crate) struct Nested<T>(pub T);

impl<T: clap::Subcommand> clap::FromArgMatches for Nested<T> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(m).map(Nested)
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(m)
    }
}

impl<T: clap::Subcommand> clap::Args for Nested<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        T::augment_subcommands(cmd)
            .subcommand_required(true)
            .arg_required_else_help(true)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        T::augment_subcommands_for_update(cmd)
            .subcommand_required(true)
            .arg_required_else_help(true)
    }
}

pub(crate) use commands;

/// The process's command line, parsed. A `--version` is answered from the
/// deferred tree (it names only the program); every other error or help
/// request is produced by the full tree, exactly as before.
pub fn parse() -> Result<Cli, clap::Error> {
    parse_from(std::env::args_os())
}

pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    if let Some(cli) = narrowed(&args) {
        return Ok(cli);
    }
    match Cli::<super::Deferred>::try_parse_from(&args) {
        Ok(cli) => Ok(Cli {
            global: cli.global,
            command: cli.command.into(),
        }),
        Err(e) if e.kind() == ErrorKind::DisplayVersion => Err(e),
        Err(_) => Cli::<Command>::try_parse_from(&args),
    }
}

/// The global flags and whether each takes a value: what may come before
/// the command's name.
const GLOBALS: &[(&str, bool)] = &[
    ("--format", true),
    ("--quiet", false),
    ("-q", false),
    ("--color", true),
    ("-C", true),
    ("--as", true),
];

/// The command's name in `args`: the first word after the global flags.
fn command_name(args: &[std::ffi::OsString]) -> Option<&str> {
    let mut words = args.iter().skip(1).map(|a| a.to_str());
    while let Some(word) = words.next() {
        let word = word?;
        if !word.starts_with('-') {
            return Some(word);
        }
        let (flag, attached) = match word.split_once('=') {
            Some((flag, _)) => (flag, true),
            None => (word, false),
        };
        match GLOBALS.iter().find(|(name, _)| *name == flag) {
            Some((_, true)) if !attached => {
                words.next()?;
            }
            Some(_) => {}
            // `-Cdir`, or a flag that is not global: leave it to clap.
            None => return None,
        }
    }
    None
}

/// Parse with a tree holding only the command being run. clap copies the
/// global flags into every command of a tree before it parses, which for
/// a tree of fifty commands was a fifth of a short command's page faults.
/// `None` (and the caller parses the usual way) when the command is not
/// found, or when anything does not parse: errors and help always come
/// from the full tree.
fn narrowed(args: &[std::ffi::OsString]) -> Option<Cli> {
    use clap::{Args, FromArgMatches};
    let name = command_name(args)?;
    let root = super::GlobalArgs::augment_args(clap::Command::new("codexa"))
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .subcommand_required(true);
    let root = Command::single(name, root)?;
    let matches = root.try_get_matches_from(args).ok()?;
    Some(Cli {
        global: super::GlobalArgs::from_arg_matches(&matches).ok()?,
        command: Command::from_single(name, &matches).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
        args.iter().map(Into::into).collect()
    }

    #[test]
    fn the_command_name_is_the_first_word_after_the_global_flags() {
        let name = |a: &[&str]| command_name(&os(a)).map(str::to_string);
        assert_eq!(name(&["codexa", "read", "th_1"]).as_deref(), Some("read"));
        assert_eq!(
            name(&[
                "codexa",
                "--format",
                "json",
                "-q",
                "--as=lead",
                "-C",
                "/x",
                "post",
                "a"
            ])
            .as_deref(),
            Some("post")
        );
        assert_eq!(
            name(&["codexa", "--color=never", "run", "list"]).as_deref(),
            Some("run")
        );
        assert_eq!(name(&["codexa", "-Cdir", "read"]), None, "left to clap");
        assert_eq!(name(&["codexa", "--version"]), None);
        assert_eq!(name(&["codexa", "--format"]), None);
    }

    /// A narrowed parse gives what the whole tree gives, global flags before
    /// or after the command.
    #[test]
    fn a_narrowed_parse_reads_as_the_whole_tree_does() {
        for line in [
            &["codexa", "--format", "json", "read", "th_1", "--peek"][..],
            &["codexa", "read", "th_1", "--peek", "--as", "lead", "-q"],
            &["codexa", "-C", "/tmp", "run", "claim", "--ttl", "30s"],
            &[
                "codexa", "events", "query", "--type", "x", "--format", "text",
            ],
            &["codexa", "sql", "SELECT 1"],
            &["codexa", "analyze", "activity"],
            &["codexa", "hook", "claude"],
            &[
                "codexa",
                "--as",
                "w",
                "policy",
                "eval",
                "--action",
                "tool.bash",
                "--subject",
                "ls",
            ],
        ] {
            let narrow = narrowed(&os(line)).unwrap_or_else(|| panic!("{line:?} did not narrow"));
            let whole = Cli::<Command>::try_parse_from(line).unwrap();
            assert_eq!(format!("{narrow:?}"), format!("{whole:?}"), "{line:?}");
        }
        assert!(
            narrowed(&os(&["codexa", "read"])).is_none(),
            "an error goes to the whole tree"
        );
        assert!(narrowed(&os(&["codexa", "nope"])).is_none());
    }
    use clap::CommandFactory;

    #[test]
    fn deferred_tree_is_valid() {
        Cli::<super::super::Deferred>::command().debug_assert();
    }

    /// Each command's `--help`, usage errors and version, from the deferred
    /// tree alone, read exactly as from the full tree.
    #[test]
    fn deferred_commands_answer_as_the_full_tree() {
        let full = Cli::<Command>::command();
        for sub in full.get_subcommands() {
            let name = sub.get_name();
            for tail in [&["--help"][..], &["--no-such-flag"], &["--version"], &[]] {
                let argv: Vec<&str> = ["codexa", name].iter().chain(tail).copied().collect();
                let render = |r: Result<clap::ArgMatches, clap::Error>| match r {
                    Ok(_) => "parsed".to_string(),
                    Err(e) => format!("{:?}\n{}", e.kind(), e.render()),
                };
                let deferred = Cli::<super::super::Deferred>::command()
                    .term_width(100)
                    .try_get_matches_from(&argv);
                let whole = Cli::<Command>::command()
                    .term_width(100)
                    .try_get_matches_from(&argv);
                assert_eq!(render(deferred), render(whole), "{argv:?}");
            }
        }
    }
}
