//! `codexa completions`.

use crate::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Ctx, ExitStatus};

/// Print a shell completion script.
///
/// Print a completion script, e.g. `codexa completions bash >
/// ~/.local/share/bash-completion/completions/codexa`. The scripts are also
/// committed in `completions/`.
#[derive(clap::Args, Debug)]
pub struct Args {
    pub shell: Shell,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<ExitStatus> {
    let script = render(args.shell);
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    out.write_all(&script)
        .map_err(|e| crate::Error::io("could not write to stdout").caused_by(e))?;
    let _ = ctx;
    Ok(ExitStatus::Success)
}

pub fn render(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut <Cli>::command(), "codexa", &mut buf);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed scripts must match what this build generates.
    #[test]
    fn committed_completions_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
        for (shell, file) in [
            (Shell::Bash, "codexa.bash"),
            (Shell::Zsh, "_codexa"),
            (Shell::Fish, "codexa.fish"),
        ] {
            let want = render(shell);
            let path = dir.join(file);
            if std::env::var_os("CODEXA_UPDATE_COMPLETIONS").is_some() {
                std::fs::write(&path, &want).unwrap();
            }
            let have = std::fs::read(&path).unwrap_or_default();
            assert!(
                have == want,
                "{} is stale: run `CODEXA_UPDATE_COMPLETIONS=1 cargo test completions`",
                path.display()
            );
        }
    }
}
