//! `codexa hooks install`: add codexa's hook to the agents' project
//! settings — Claude Code's `.claude/settings.local.json` and Codex's
//! `.codex/hooks.json` — on the events it gates (`PreToolUse`,
//! `PermissionRequest`) and those that tell `watch` what the agent is doing
//! (session start and end, prompts, stops, notifications), keeping
//! every other key, and never adding a second entry for the same command.
//! No user-level file is written. Keys keep their order (the file is read
//! into an order-keeping tree, not `serde_json::Value`, whose maps sort), so
//! the diff shows only what was added.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Provider;
use crate::error::{Error, Result};
use crate::fsutil::write_atomic;

/// The hook events codexa's hook is installed on, per provider: Codex's
/// hooks have no Notification or SessionEnd.
pub fn events(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Claude => &[
            "PreToolUse",
            "PermissionRequest",
            "SessionStart",
            "UserPromptSubmit",
            "PostToolUse",
            "Notification",
            "Stop",
            "SessionEnd",
        ],
        Provider::Codex => &[
            "PreToolUse",
            "PermissionRequest",
            "SessionStart",
            "UserPromptSubmit",
            "PostToolUse",
            "Stop",
        ],
    }
}
/// Seconds the agent waits for the hook.
pub const TIMEOUT_SECS: u64 = 10;

/// JSON that keeps object keys in file order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(IndexMap<String, Json>),
}

type Object = IndexMap<String, Json>;

fn s(text: &str) -> Json {
    Json::String(text.to_string())
}

/// `{"matcher": "*", "hooks": [{"type": "command", "command": C, "timeout": 10}]}`.
fn entry(command: &str) -> Json {
    let hook = Object::from([
        ("type".to_string(), s("command")),
        ("command".to_string(), s(command)),
        ("timeout".to_string(), Json::Number(TIMEOUT_SECS.into())),
    ]);
    Json::Object(Object::from([
        ("matcher".to_string(), s("*")),
        ("hooks".to_string(), Json::Array(vec![Json::Object(hook)])),
    ]))
}

/// Where a provider's hooks go, relative to the work tree, and the command.
pub fn target(provider: Provider) -> (&'static str, &'static str) {
    match provider {
        Provider::Claude => (".claude/settings.local.json", "codexa hook claude"),
        Provider::Codex => (".codex/hooks.json", "codexa hook codex"),
    }
}

/// What an install would do to one file.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub provider: Provider,
    /// Relative to the work tree.
    pub file: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub exists: bool,
    pub changed: bool,
    /// The events an entry is added to.
    pub added: Vec<String>,
    /// Unified diff, before → after; empty when nothing changes.
    pub diff: String,
    #[serde(skip)]
    pub after: String,
}

fn has_command(entries: &[Value], command: &str) -> bool {
    entries.iter().any(|entry| {
        entry
            .get("hooks")
            .and_then(Value::as_array)
            .is_some_and(|hooks| {
                hooks.iter().any(|h| {
                    h.get("command")
                        .and_then(Value::as_str)
                        .is_some_and(|c| c.trim() == command)
                })
            })
    })
}

fn read_object(path: &Path, shown: &str) -> Result<Option<Object>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("cannot read {shown}")).caused_by(e)),
    };
    if text.trim().is_empty() {
        return Ok(Some(Object::new()));
    }
    match serde_json::from_str::<Json>(&text) {
        Ok(Json::Object(m)) => Ok(Some(m)),
        Ok(_) => Err(
            Error::user(format!("{shown} is not a JSON object")).hint(format!(
                "fix or move {shown}, then run `codexa hooks install` again"
            )),
        ),
        Err(e) => Err(
            Error::user(format!("{shown} is not valid JSON: {e}")).hint(format!(
                "fix or move {shown}, then run `codexa hooks install` again"
            )),
        ),
    }
}

/// Which of `provider`'s events lack codexa's entry in `settings`.
fn missing(settings: &Object, provider: Provider, command: &str) -> Vec<String> {
    let hooks = settings
        .get("hooks")
        .and_then(|h| serde_json::to_value(h).ok())
        .unwrap_or(Value::Null);
    events(provider)
        .iter()
        .filter(|ev| {
            let entries = hooks.get(**ev).and_then(Value::as_array);
            !entries.is_some_and(|e| has_command(e, command))
        })
        .map(|ev| ev.to_string())
        .collect()
}

fn pretty(v: &Json) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Work out the change to `provider`'s file under `workdir`.
pub fn plan(workdir: &Path, provider: Provider) -> Result<Plan> {
    let (rel, command) = target(provider);
    let path = workdir.join(rel);
    let before_text = std::fs::read_to_string(&path).ok();
    let existing = read_object(&path, rel)?;
    let exists = existing.is_some();
    let mut settings = existing.unwrap_or_default();
    let added = missing(&settings, provider, command);
    if added.is_empty() {
        return Ok(Plan {
            provider,
            file: rel.to_string(),
            path,
            exists,
            changed: false,
            added,
            diff: String::new(),
            after: before_text.unwrap_or_default(),
        });
    }
    let hooks = settings
        .entry("hooks".to_string())
        .or_insert_with(|| Json::Object(Object::new()));
    let Json::Object(hooks) = hooks else {
        return Err(
            Error::user(format!("`hooks` in {rel} is not an object")).hint(format!(
                "fix `hooks` in {rel}, then run `codexa hooks install` again"
            )),
        );
    };
    for ev in &added {
        let list = hooks
            .entry(ev.clone())
            .or_insert_with(|| Json::Array(Vec::new()));
        let Json::Array(list) = list else {
            return Err(
                Error::user(format!("`hooks.{ev}` in {rel} is not a list")).hint(format!(
                    "fix `hooks.{ev}` in {rel}, then run `codexa hooks install` again"
                )),
            );
        };
        list.push(entry(command));
    }
    let after = pretty(&Json::Object(settings));
    let before = before_text.clone().unwrap_or_default();
    let old_name = if exists {
        format!("a/{rel}")
    } else {
        "/dev/null".to_string()
    };
    let diff = similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &format!("b/{rel}"))
        .to_string();
    Ok(Plan {
        provider,
        file: rel.to_string(),
        path,
        exists,
        changed: true,
        added,
        diff,
        after,
    })
}

/// Write a plan's file (atomically), when it changes anything.
pub fn apply(plan: &Plan) -> Result<()> {
    if plan.changed {
        // Through a symlink to the file it names (a settings file kept in a
        // dotfiles repository stays a link), and with the file's own
        // permissions kept.
        let target = std::fs::canonicalize(&plan.path).unwrap_or_else(|_| plan.path.clone());
        let mode = std::fs::metadata(&target).ok().map(|m| m.permissions());
        write_atomic(&target, plan.after.as_bytes())?;
        if let Some(mode) = mode {
            let _ = std::fs::set_permissions(&target, mode);
        }
    }
    Ok(())
}

/// Whether codexa's hook is installed for `provider` in `workdir`: every
/// event has the entry. For Claude, `.claude/settings.json` counts too.
pub fn installed(workdir: &Path, provider: Provider) -> Result<bool> {
    let (rel, command) = target(provider);
    let mut files = vec![rel];
    if provider == Provider::Claude {
        files.push(".claude/settings.json");
    }
    let mut lacking: Vec<String> = events(provider).iter().map(|e| e.to_string()).collect();
    for f in files {
        if let Some(settings) = read_object(&workdir.join(f), f)? {
            let m = missing(&settings, provider, command);
            lacking.retain(|e| m.contains(e));
        }
    }
    Ok(lacking.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_keeps_other_keys_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".claude/settings.local.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            r#"{"permissions": {"allow": ["Bash(ls:*)"]}, "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "other"}]}]}}"#,
        )
        .unwrap();
        assert!(!installed(dir.path(), Provider::Claude).unwrap());
        let p = plan(dir.path(), Provider::Claude).unwrap();
        assert!(p.changed);
        assert_eq!(p.added, events(Provider::Claude));
        assert!(p.diff.contains("+    \"PreToolUse\": ["), "{}", p.diff);
        apply(&p).unwrap();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["permissions"]["allow"][0], "Bash(ls:*)");
        assert_eq!(v["hooks"]["Stop"][0]["hooks"][0]["command"], "other");
        // The user's Stop hook stays first; codexa's is added beside it.
        assert_eq!(
            v["hooks"]["Stop"][1]["hooks"][0]["command"],
            "codexa hook claude"
        );
        assert_eq!(
            v["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
            "codexa hook claude"
        );
        assert!(installed(dir.path(), Provider::Claude).unwrap());
        let again = plan(dir.path(), Provider::Claude).unwrap();
        assert!(!again.changed && again.diff.is_empty());
    }

    #[test]
    fn keys_keep_their_order_so_the_diff_only_adds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".codex/hooks.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let before = "{\n  \"zeta\": 1,\n  \"hooks\": {\n    \"Stop\": []\n  },\n  \"alpha\": {\n    \"y\": null,\n    \"x\": 1.5\n  }\n}\n";
        std::fs::write(&path, before).unwrap();
        let p = plan(dir.path(), Provider::Codex).unwrap();
        let removed: Vec<&str> = p
            .diff
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .collect();
        assert_eq!(removed, ["-    \"Stop\": []"], "{}", p.diff);
        let order: Vec<usize> = [
            "zeta", "hooks", "matcher", "type", "command", "timeout", "alpha", "\"y\"", "\"x\"",
        ]
        .iter()
        .map(|k| p.after.find(k).unwrap())
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", p.after);
    }

    #[test]
    fn broken_json_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".codex/hooks.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{ not json").unwrap();
        assert!(plan(dir.path(), Provider::Codex).is_err());
    }
}
