//! Commands that run another command the line does not show as one: git
//! settings and variables that name a program (`-c core.sshCommand=…`,
//! `GIT_SSH_COMMAND=…`), git subcommands that run a shell line
//! (`rebase -x`, `bisect run`, `submodule foreach`), and programs that run
//! a command from an option or trace another one (`tar
//! --checkpoint-action=exec=…`, `strace`). Whatever those run could push
//! without git's hooks or decide an approval, so they are `shell.opaque`.

use crate::agents::shell::{Command, Reading};

/// git settings whose value is a command git runs.
const GIT_COMMAND_SETTINGS: &[&str] = &[
    "core.sshcommand",
    "core.pager",
    "core.editor",
    "core.fsmonitor",
    "core.askpass",
    "sequence.editor",
    "diff.external",
    "gpg.program",
    "gpg.ssh.program",
    "credential.helper",
    "uploadpack.packobjectshook",
];

/// Variables naming a command that git, ssh or a shell runs.
const COMMAND_VARIABLES: &[&str] = &[
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "GIT_PAGER",
    "GIT_EXTERNAL_DIFF",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "BASH_ENV",
    "ENV",
    "PROMPT_COMMAND",
    "EDITOR",
    "VISUAL",
    "PAGER",
];

/// Programs that run (or take over) another program in ways not read
/// here.
const RUNNERS: &[&str] = &[
    "strace",
    "ltrace",
    "valgrind",
    "gdb",
    "unshare",
    "chronic",
    "parallel",
    "expect",
    "screen",
    "dtach",
    "abduco",
    "daemonize",
    "sg",
    "nsenter",
    "firejail",
    "bwrap",
    "proot",
];

/// Why `reading` runs a command it does not show, if it does.
pub fn why(reading: &Reading) -> Option<String> {
    if let Some(v) = reading
        .assigned
        .iter()
        .find(|v| COMMAND_VARIABLES.contains(&v.as_str()))
    {
        return Some(format!("{v} names a command to run"));
    }
    reading.commands.iter().find_map(command)
}

fn command(c: &Command) -> Option<String> {
    if RUNNERS.contains(&c.program.as_str()) {
        return Some(format!("{} running another program", c.program));
    }
    if let Some(v) = c
        .env
        .iter()
        .find(|v| COMMAND_VARIABLES.contains(&v.as_str()))
    {
        return Some(format!("{v} names a command to run"));
    }
    match c.program.as_str() {
        "git" => git(c),
        "tar" | "gtar" | "bsdtar" => tar(c),
        _ => None,
    }
}

fn git(c: &Command) -> Option<String> {
    if let Some((key, _)) = c
        .git_config
        .iter()
        .find(|(k, _)| GIT_COMMAND_SETTINGS.contains(&k.to_ascii_lowercase().as_str()))
    {
        return Some(format!("git -c {key} runs a command"));
    }
    let args: Vec<&str> = c.args.iter().map(|w| w.text.as_str()).collect();
    let has = |names: &[&str]| {
        args.iter().any(|a| {
            names
                .iter()
                .any(|n| a == n || a.starts_with(&format!("{n}=")))
        })
    };
    let runs = match args.first().copied() {
        Some("rebase") => has(&["-x", "--exec"]),
        Some("bisect") => args.get(1) == Some(&"run"),
        Some("submodule") => args.contains(&"foreach"),
        Some("filter-branch" | "filter-repo") => true,
        Some("difftool" | "mergetool") => has(&["-x", "--extcmd", "-t", "--tool"]),
        _ => false,
    };
    runs.then(|| format!("git {} running a command", args[0]))
}

fn tar(c: &Command) -> Option<String> {
    let runs = c.args.iter().any(|w| {
        let t = w.text.as_str();
        t.starts_with("--checkpoint-action=exec")
            || t.starts_with("--to-command")
            || t.starts_with("--use-compress-program")
            || t.starts_with("--info-script")
            || t.starts_with("--new-volume-script")
            || t == "-I"
            || t == "-F"
    });
    runs.then(|| "tar running a command".to_string())
}
