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
        "sed" | "gsed" => sed(c),
        _ => None,
    }
}

/// GNU sed's `e` command and the `e` flag of `s` run a shell command.
fn sed(c: &Command) -> Option<String> {
    let mut scripts = Vec::new();
    let mut i = 0;
    let mut given = false;
    while let Some(w) = c.args.get(i) {
        i += 1;
        let t = w.text.as_str();
        if t == "-e" || t == "--expression" {
            scripts.extend(c.args.get(i).map(|w| w.text.as_str()));
            i += 1;
            given = true;
        } else if let Some(v) = t.strip_prefix("--expression=") {
            scripts.push(v);
            given = true;
        } else if t.len() > 2 && t.starts_with("-e") {
            scripts.push(&t[2..]);
            given = true;
        } else if t == "-f" || t.starts_with("--file") {
            given = true;
        } else if !t.starts_with('-') && !given {
            scripts.push(t);
            given = true;
        }
    }
    scripts
        .iter()
        .any(|s| sed_runs(s))
        .then(|| "sed running a command".to_string())
}

/// Whether a sed script has an `e` command or an `s///e`.
fn sed_runs(script: &str) -> bool {
    script.split([';', '\n']).any(|cmd| {
        // Past the address: line numbers, `$`, `/regex/`, `,`, `!`.
        let mut rest = cmd.trim_start();
        loop {
            let before = rest.len();
            rest = rest.trim_start_matches(|ch: char| ch.is_ascii_digit() || "$,!~+ ".contains(ch));
            if let Some(after) = rest.strip_prefix('/') {
                rest = after.split_once('/').map_or("", |(_, r)| r);
            }
            if rest.len() == before {
                break;
            }
        }
        let mut chars = rest.chars();
        match chars.next() {
            Some('e') => matches!(chars.next(), None | Some(' ' | '\t')),
            Some('s') => {
                let Some(d) = chars.next() else {
                    return false;
                };
                let body: String = chars.collect();
                // After the pattern and the replacement, the flags.
                let mut parts = body.splitn(3, d);
                let flags = parts.nth(2).unwrap_or("");
                flags
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .any(|c| c == 'e')
            }
            _ => false,
        }
    })
}

fn git(c: &Command) -> Option<String> {
    if let Some((key, _)) = c.git_config.iter().find(|(k, _)| runs_command(k)) {
        return Some(format!("git -c {key} runs a command"));
    }
    let args: Vec<&str> = c.args.iter().map(|w| w.text.as_str()).collect();
    // `-x CMD`, `-xCMD`, `--exec CMD`, `--exec=CMD`, and a short option in
    // a cluster (`-ix CMD`).
    let has = |names: &[&str]| {
        args.iter().any(|a| {
            names.iter().any(|n| match n.strip_prefix("--") {
                Some(_) => a == n || a.starts_with(&format!("{n}=")),
                None => {
                    let letter = n.trim_start_matches('-');
                    a.strip_prefix('-').is_some_and(|cluster| {
                        !cluster.starts_with('-') && cluster.contains(letter)
                    })
                }
            })
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

/// Whether git setting `key` (lowercased, as git reads keys) names a
/// command: one of `GIT_COMMAND_SETTINGS`, or a driver or helper in a
/// subsection (`credential.<url>.helper`, `diff.<driver>.command`,
/// `filter.<driver>.clean`, `remote.<name>.receivepack`, …).
fn runs_command(key: &str) -> bool {
    if GIT_COMMAND_SETTINGS.contains(&key) {
        return true;
    }
    let (Some((section, _)), Some((_, name))) = (key.split_once('.'), key.rsplit_once('.')) else {
        return false;
    };
    matches!(
        (section, name),
        ("credential", "helper")
            | ("diff", "command" | "textconv")
            | ("filter", "clean" | "smudge" | "process")
            | ("merge", "driver")
            | ("remote", "uploadpack" | "receivepack" | "vcs")
            | ("gpg", "program")
    )
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
