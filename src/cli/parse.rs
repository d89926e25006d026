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
/// other.
macro_rules! commands {
    (
        $(#[$enum_meta:meta])*
        pub enum Command {
            $( $(#[$meta:meta])* $variant:ident($args:ty), )*
        }
    ) => {
        $(#[$enum_meta])*
        #[derive(clap::Subcommand, Debug)]
        pub enum Command {
            $( $(#[$meta])* $variant($args), )*
        }

        $(#[$enum_meta])*
        #[derive(clap::Subcommand, Debug)]
        #[command(defer = true)]
        pub(crate) enum Deferred {
            $( $(#[$meta])* $variant($args), )*
        }

        impl From<Deferred> for Command {
            fn from(d: Deferred) -> Command {
                match d {
                    $( Deferred::$variant(a) => Command::$variant(a), )*
                }
            }
        }
    };
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
    match Cli::<super::Deferred>::try_parse_from(&args) {
        Ok(cli) => Ok(Cli {
            global: cli.global,
            command: cli.command.into(),
        }),
        Err(e) if e.kind() == ErrorKind::DisplayVersion => Err(e),
        Err(_) => Cli::<Command>::try_parse_from(&args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
