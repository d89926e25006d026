//! Running a resolved phrase: the command it stands for, as a process of
//! this very binary. The only part of phrases that starts anything.

use crate::error::{Error, Result};

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
