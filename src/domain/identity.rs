//! Who is speaking. In order: `--as NAME`, `$CODEXA_AGENT`, then the git
//! user as a person. (The watch feature adds the session bound to
//! `$TMUX_PANE` between the last two.) Participants and their roles come
//! from `agents:` in config; a configured participant whose role is `human`
//! is a person, every other one an agent.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::store::{Actor, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// The participant name used in threads, mentions and cursors.
    pub name: String,
    /// `agent` or `user`.
    pub kind: String,
    pub role: String,
    /// `claude`, `codex`, `other`; none for people not in config.
    pub provider: Option<String>,
}

impl Speaker {
    pub fn actor(&self) -> Actor {
        Actor {
            kind: self.kind.clone(),
            id: self.name.clone(),
        }
    }

    pub fn is_agent(&self) -> bool {
        self.kind == "agent"
    }

    /// What authority rules match on: the name, `role:<role>`, and for
    /// people `user:<name>`.
    pub fn labels(&self) -> Vec<String> {
        let mut out = vec![self.name.clone(), format!("role:{}", self.role)];
        if !self.is_agent() {
            out.push(format!("user:{}", self.name));
        }
        out
    }
}

/// A configured participant by name.
pub fn participant(config: &Value, name: &str) -> Option<Speaker> {
    let entry = config.get("agents")?.get(name)?;
    let role = entry
        .get("role")
        .and_then(Value::as_str)
        .unwrap_or("agent")
        .to_string();
    Some(Speaker {
        name: name.to_string(),
        kind: if role == "human" { "user" } else { "agent" }.to_string(),
        role,
        provider: entry
            .get("provider")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// Every configured participant name.
pub fn participant_names(config: &Value) -> Vec<String> {
    config
        .get("agents")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn git_user(store: &Store) -> Option<String> {
    store
        .repo()
        .ok()?
        .config()
        .ok()?
        .get_string("user.name")
        .ok()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
}

fn person(name: &str) -> Speaker {
    Speaker {
        name: name.to_string(),
        kind: "user".into(),
        role: "human".into(),
        provider: None,
    }
}

/// Resolve the speaker for a command.
pub fn resolve(store: &Store, config: &Value, as_name: Option<&str>) -> Result<Speaker> {
    // An agent's environment names it; it stays an agent whatever `--as` or
    // the config says, so the guards meant for agents cannot be sidestepped
    // by claiming to be a person.
    let env_agent = std::env::var("CODEXA_AGENT")
        .ok()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty());
    if let Some(name) = as_name.map(str::trim).filter(|n| !n.is_empty()) {
        let speaker = if let Some(p) = participant(config, name) {
            p
        } else if git_user(store).as_deref() == Some(name) {
            person(name)
        } else {
            let known = participant_names(config);
            return Err(Error::user(format!("`--as {name}` names no participant")).hint(
                if known.is_empty() {
                    "add it under `agents:` in .codexa/config.yaml, e.g. `agents: {worker-a: {provider: claude, role: worker}}`".to_string()
                } else {
                    format!(
                        "known participants: {}; add others under `agents:` in .codexa/config.yaml",
                        known.join(", ")
                    )
                },
            ));
        };
        if let Some(agent) = &env_agent
            && *agent != speaker.name
        {
            let what = if speaker.is_agent() {
                "another agent,"
            } else {
                "the person"
            };
            return Err(Error::user(format!(
                "agent {agent} (from $CODEXA_AGENT) may not speak as {what} {name}"
            ))
            .hint(
                "an agent speaks only as itself; people speak from a shell without $CODEXA_AGENT",
            ));
        }
        return Ok(speaker);
    }
    if let Some(agent) = env_agent {
        let mut speaker = participant(config, &agent).unwrap_or(Speaker {
            name: agent.clone(),
            kind: "agent".into(),
            role: "agent".into(),
            provider: None,
        });
        speaker.kind = "agent".into();
        return Ok(speaker);
    }
    let name = git_user(store)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".to_string());
    Ok(participant(config, &name).unwrap_or_else(|| person(&name)))
}
