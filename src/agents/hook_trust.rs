//! Whether the hooks `codexa hooks install` wrote will run: for Claude, an
//! entry in the settings the agent reads where it starts; for Codex, also a
//! trust record. Current Codex runs a hook from a `hooks.json` only when
//! `$CODEX_HOME/config.toml` holds `[hooks.state."<hooks.json>:<event>:
//! <group>:<handler>"]` with a `trusted_hash` for it, and skips it silently
//! otherwise (`codex exec` has no screen on which to approve it).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Provider;
use super::install::target;

/// Where codexa's hook command sits in a hooks file: `(event, group,
/// handler)` for each entry.
pub fn installed(file: &Path, command: &str) -> Vec<(String, usize, usize)> {
    let Some(v) = std::fs::read(file)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    else {
        return Vec::new();
    };
    let Some(events) = v.get("hooks").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (event, groups) in events {
        for (g, group) in groups.as_array().into_iter().flatten().enumerate() {
            let handlers = group.get("hooks").and_then(Value::as_array);
            for (h, handler) in handlers.into_iter().flatten().enumerate() {
                let cmd = handler.get("command").and_then(Value::as_str).unwrap_or("");
                if cmd.trim() == command {
                    out.push((event.clone(), g, h));
                }
            }
        }
    }
    out
}

/// `PreToolUse` → `pre_tool_use`, as Codex names events in trust keys.
fn snake(event: &str) -> String {
    let mut out = String::new();
    for (i, c) in event.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `$CODEX_HOME`, else `~/.codex`.
pub fn codex_home() -> Option<PathBuf> {
    std::env::var_os("CODEX_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".codex")))
}

/// Codex's hooks in `workdir` without a trust record in `codex_home`'s
/// `config.toml`: `(hooks.json, the keys Codex would look for)`; none when
/// codexa's hooks are not installed there or all are trusted.
pub fn untrusted_codex(
    workdir: &Path,
    codex_home: Option<&Path>,
) -> Option<(PathBuf, Vec<String>)> {
    let (rel, command) = target(Provider::Codex);
    let file = workdir.join(rel);
    let hooks = installed(&file, command);
    if hooks.is_empty() {
        return None;
    }
    let config = codex_home
        .and_then(|h| std::fs::read_to_string(h.join("config.toml")).ok())
        .and_then(|t| t.parse::<toml::Table>().ok());
    let state = config
        .as_ref()
        .and_then(|c| c.get("hooks"))
        .and_then(|h| h.get("state"))
        .and_then(|s| s.as_table());
    let path = file.canonicalize().unwrap_or(file.clone());
    let missing: Vec<String> = hooks
        .iter()
        .map(|(event, g, h)| format!("{}:{}:{g}:{h}", path.display(), snake(event)))
        .filter(|key| {
            let hash = state
                .and_then(|s| s.get(key))
                .and_then(|e| e.get("trusted_hash"))
                .and_then(|h| h.as_str());
            hash.is_none_or(str::is_empty)
        })
        .collect();
    (!missing.is_empty()).then_some((path, missing))
}

/// Whether Claude started in `dir` reads codexa's hook: in the project's
/// settings there, or the user's.
pub fn claude_hooked(dir: &Path) -> bool {
    let (rel, command) = target(Provider::Claude);
    let mut files = vec![dir.join(rel), dir.join(".claude/settings.json")];
    if let Some(home) = std::env::var_os("HOME") {
        files.push(PathBuf::from(home).join(".claude/settings.json"));
    }
    files.iter().any(|f| !installed(f, command).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codex_trust_keys_name_file_event_group_and_handler() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".codex")).unwrap();
        std::fs::write(
            dir.path().join(".codex/hooks.json"),
            r#"{"hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "other"}, {"type": "command", "command": "codexa hook codex"}]}]}}"#,
        )
        .unwrap();
        let home = dir.path().join("codex-home");
        std::fs::create_dir_all(&home).unwrap();
        let (file, missing) = untrusted_codex(dir.path(), Some(&home)).unwrap();
        let key = format!("{}:pre_tool_use:0:1", file.display());
        assert_eq!(missing, std::slice::from_ref(&key));
        std::fs::write(
            home.join("config.toml"),
            format!("[hooks.state.\"{key}\"]\ntrusted_hash = \"sha256:ab\"\n"),
        )
        .unwrap();
        assert_eq!(untrusted_codex(dir.path(), Some(&home)), None);
    }
}
