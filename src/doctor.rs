//! `codexa doctor`'s checks beyond config: policy, the event chains, the
//! store, and the tools codexa drives. Each finding says what to paste to fix
//! it.

use std::path::Path;

use crate::config::{self, Finding, Status};
use crate::store::Store;
use crate::store::verify::{self, DirSource};

fn finding(check: &str, status: Status, message: String, fix: Option<&str>) -> Finding {
    Finding {
        check: check.to_string(),
        status,
        message,
        fix: fix.map(str::to_string),
        file: None,
        line: None,
    }
}

/// Is `program` an executable file somewhere on PATH?
pub fn on_path(program: &str) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Everything but config (which `config::doctor_config` reports).
pub fn checks(workdir: &Path, store: Option<&Store>) -> Vec<Finding> {
    let mut out = config::doctor_policy(workdir);
    for (tool, why, fix) in [
        (
            "git",
            "sync and discovery",
            "install git (e.g. `apt-get install git`)",
        ),
        (
            "tmux",
            "watching and waking agents",
            "install tmux (e.g. `apt-get install tmux`)",
        ),
    ] {
        out.push(match on_path(tool) {
            Some(p) => finding(
                &format!("tools.{tool}"),
                Status::Ok,
                format!("{tool} at {}", p.display()),
                None,
            ),
            None => finding(
                &format!("tools.{tool}"),
                Status::Warn,
                format!("{tool} is not on PATH ({why} need it)"),
                Some(fix),
            ),
        });
    }
    let Some(store) = store else {
        out.push(finding(
            "store",
            Status::Error,
            "not inside a git repository".into(),
            Some("cd into a repository, then `codexa init`"),
        ));
        return out;
    };
    out.extend(hook_checks(&store.workdir));
    out.extend(codex_trust_check(&store.workdir));
    out.push(git_hook_check(store));
    out.extend(crate::domain::allowed_signers::doctor(store));
    if !store.codexa_dir().is_dir() {
        out.push(finding(
            "store.init",
            Status::Error,
            format!("no .codexa/ in {}", store.workdir.display()),
            Some("codexa init"),
        ));
    }
    if !store.exists() {
        out.push(finding(
            "store",
            Status::Warn,
            format!("no event store yet in {}", store.root.display()),
            Some("codexa init"),
        ));
        return out;
    }
    match crate::store::writer::read(&store.writer_file()) {
        Ok(Some(w)) => out.push(finding(
            "store.writer",
            Status::Ok,
            format!(
                "this clone writes as {} in {}",
                w.writer,
                store.root.display()
            ),
            None,
        )),
        Ok(None) => {}
        Err(e) => out.push(finding(
            "store.writer",
            Status::Error,
            e.message().to_string(),
            e.hint_text(),
        )),
    }
    let checked = DirSource::new(store).and_then(|source| {
        let mut report = verify::verify(&source, &|_| {})?;
        verify::check_local(store, &source, &mut report)?;
        Ok(report)
    });
    let own = crate::store::writer::read(&store.writer_file())
        .ok()
        .flatten()
        .map(|w| w.writer);
    match checked {
        Ok(report) if report.ok => out.push(finding(
            "events.chains",
            Status::Ok,
            format!(
                "{} event(s) in {} chain(s) verify",
                report.events,
                report.writers.len()
            ),
            None,
        )),
        Ok(report) => {
            for f in report.faults {
                let (check, fix) = if report.foreign.contains(&f.writer) {
                    (
                        "events.foreign",
                        format!(
                            "find out where {w} came from; if it is yours, a person runs `codexa events accept {w} --reason TEXT`, else remove the folder",
                            w = f.writer
                        ),
                    )
                } else if own.as_deref() == Some(f.writer.as_str()) {
                    ("events.chains", recover_own(&f.writer))
                } else {
                    (
                        "events.chains",
                        "another clone's chain: `codexa events verify` names the fault; `codexa sync` brings its published lines again once the damaged file is moved aside".to_string(),
                    )
                };
                out.push(Finding {
                    check: check.into(),
                    status: Status::Error,
                    message: f.message,
                    fix: Some(fix),
                    file: Some(f.file),
                    line: (f.line > 0).then_some(f.line as usize),
                });
            }
        }
        Err(e) => out.push(finding(
            "events.chains",
            Status::Error,
            e.message().to_string(),
            e.hint_text(),
        )),
    }
    if let Ok(entries) = std::fs::read_dir(store.forks_dir())
        && entries.count() > 0
    {
        out.push(finding(
            "events.forks",
            Status::Warn,
            format!("diverging copies kept in {}", store.forks_dir().display()),
            Some("compare them with the chains in events/ and tell the clone that wrote them"),
        ));
    }
    out
}

/// `hooks.git`: does git's `pre-push` hook put pushes to the gate?
/// Codex's hooks installed here but not trusted: Codex skips them
/// silently.
fn codex_trust_check(workdir: &Path) -> Option<Finding> {
    use crate::agents::hook_trust;
    let home = hook_trust::codex_home();
    let (file, missing) = hook_trust::untrusted_codex(workdir, home.as_deref())?;
    Some(finding(
        "hooks.codex_trust",
        Status::Warn,
        format!(
            "codexa's Codex hooks in {} have no trust record in $CODEX_HOME/config.toml ({} of them): Codex skips them silently, so its sessions are neither gated nor bound (missing: {})",
            file.display(),
            missing.len(),
            missing.join(", ")
        ),
        Some(
            "start `codex` in this repository and approve codexa's hooks under /hooks (`codex app-server`'s hooks/list reports each hook's trust)",
        ),
    ))
}

fn git_hook_check(store: &crate::store::Store) -> Finding {
    use crate::agents::git_hook;
    match git_hook::installed(store) {
        Ok(true) => finding(
            "hooks.git",
            Status::Ok,
            "git's pre-push hook puts every push to the policy gate".to_string(),
            None,
        ),
        Ok(false) => finding(
            "hooks.git",
            Status::Warn,
            "git's pre-push hook is not codexa's: a push an agent hides from its tool-call hook (an alias, a script) is not judged".to_string(),
            Some("codexa hooks install --git"),
        ),
        Err(e) => finding("hooks.git", Status::Warn, e.message().to_string(), e.hint_text()),
    }
}

/// How to recover this clone's own damaged chain (appends are refused
/// until then).
fn recover_own(writer: &str) -> String {
    format!(
        "restore the segment from a backup, or its published part with `git show codexa/state:events/{writer}/NNNNNN.jsonl`; \
         a complete line that is not an event, or an altered last line, can only be moved out by hand (keep a copy); \
         if newest lines are lost for good, a person accepts the chain as it now ends with `codexa events accept {writer} --reason TEXT`"
    )
}

/// `hooks.claude`, `hooks.codex`: is `codexa hook` installed in the agents'
/// project settings?
pub fn hook_checks(workdir: &Path) -> Vec<Finding> {
    use crate::agents::{Provider, install};
    [Provider::Claude, Provider::Codex]
        .into_iter()
        .map(|provider| {
            let check = format!("hooks.{}", provider.as_str());
            let (file, command) = install::target(provider);
            match install::installed(workdir, provider) {
                Ok(true) => finding(
                    &check,
                    Status::Ok,
                    format!(
                        "`{command}` runs on {} ({file})",
                        install::events(provider).join(", ")
                    ),
                    None,
                ),
                Ok(false) => finding(
                    &check,
                    Status::Warn,
                    format!(
                        "`{command}` is not installed on every event in {file}: tool calls may not be gated, and `watch` falls back to reading screens"
                    ),
                    Some("codexa hooks install"),
                ),
                Err(e) => finding(&check, Status::Warn, e.message().to_string(), e.hint_text()),
            }
        })
        .collect()
}
