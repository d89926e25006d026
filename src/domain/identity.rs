//! Who is speaking.
//!
//! A codexa process that runs under an agent's program (see
//! `agents::lineage`) is that agent, whatever it claims: its name comes
//! from `$CODEXA_AGENT`, else the session its hooks bound to that agent's
//! process, else the provider (`claude`, `codex`); `--as` may only repeat
//! that name. Anywhere else, in order: `--as NAME`, `$CODEXA_AGENT`, then
//! the git user as a person. Participants and their roles come from
//! `agents:` in config; a configured participant whose role is `human` is
//! a person, every other one an agent.

use serde::Serialize;

use crate::agents::classify::AgentNames;
use crate::agents::lineage::{AgentAncestor, agent_ancestor};
use crate::config::Config;
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
    /// The agent program this process runs under, when it does: such a
    /// speaker is an agent by proof, not by its own say, and never decides
    /// what only a person may.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
}

impl Speaker {
    /// An agent that config does not describe.
    pub fn agent(name: &str, provider: Option<&str>) -> Speaker {
        Speaker {
            name: name.to_string(),
            kind: "agent".into(),
            role: "agent".into(),
            provider: provider.map(str::to_string),
            under: None,
        }
    }

    /// A person that config does not describe.
    pub fn person(name: &str) -> Speaker {
        Speaker {
            name: name.to_string(),
            kind: "user".into(),
            role: "human".into(),
            provider: None,
            under: None,
        }
    }

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
pub fn participant(config: &Config, name: &str) -> Option<Speaker> {
    let entry = config.agents.get(name)?;
    let kind = if entry.role == "human" {
        "user"
    } else {
        "agent"
    };
    Some(Speaker {
        name: name.to_string(),
        kind: kind.to_string(),
        role: entry.role.clone(),
        provider: Some(entry.provider.clone()),
        under: None,
    })
}

/// Every configured participant name.
pub fn participant_names(config: &Config) -> Vec<String> {
    config.agents.keys().cloned().collect()
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

fn env_agent() -> Option<String> {
    std::env::var("CODEXA_AGENT")
        .ok()
        .map(|a| a.trim().to_string())
        .filter(|a| valid_participant_name(a))
}

/// A name a participant can go by: letters, digits, `_`, `-` and `.`,
/// starting with a letter or digit. Names end up in events, policy rules
/// and terminal lines; a control character or a quote in one could forge
/// any of them.
pub fn valid_participant_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// The participant the hooks bound to the agent process `pid`, if any.
///
/// The first binding of the process stands: a later session claiming the
/// same process under another name (a child run with `CODEXA_AGENT`
/// changed) cannot take its place.
///
///
/// A binding found is kept for the rest of the process: a hook asks who it
/// speaks for several times (to record the session, for the gate, for its
/// answer), each read is every session file on the machine, and the first
/// binding of a process never changes. No binding is not kept: a
/// long-running process (the MCP server) may start before its agent's
/// session is bound.
pub(crate) fn bound_participant(store: &Store, pid: u32) -> Option<String> {
    type Seen = Vec<(std::path::PathBuf, u32, String)>;
    static SEEN: std::sync::Mutex<Seen> = std::sync::Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, name)) = seen.iter().find(|(r, p, _)| *r == store.root && *p == pid) {
        return Some(name.clone());
    }
    let name = crate::agents::sessions::load_all(store)
        .into_iter()
        .filter(|s| s.agent_pid == Some(pid) && !s.ended() && s.participant.is_some())
        .min_by_key(|s| (s.started_ms, s.session_id.clone()))
        .and_then(|s| s.participant)?;
    seen.push((store.root.clone(), pid, name.clone()));
    Some(name)
}

/// The speaker for a process under `ancestor`, an agent's program.
fn agent_by_lineage(
    store: &Store,
    config: &Config,
    as_name: Option<&str>,
    ancestor: &AgentAncestor,
) -> Result<Speaker> {
    // The binding first: `$CODEXA_AGENT` is the agent's own say, which a
    // child can change; the session bound to the agent's process is not.
    let name = bound_participant(store, ancestor.pid)
        .or_else(env_agent)
        .unwrap_or_else(|| match ancestor.provider.as_str() {
            "other" => ancestor.program.clone(),
            provider => provider.to_string(),
        });
    let mut speaker = agent_named(
        config,
        &name,
        Some(ancestor.provider.as_str()).filter(|p| *p != "other"),
    );
    speaker.under = Some(ancestor.program.clone());
    if let Some(asked) = as_name
        && asked != name
    {
        return Err(Error::user(format!(
            "`--as {asked}`: this codexa runs under the agent program `{}` (pid {}), so it speaks only as agent `{name}`",
            ancestor.program, ancestor.pid
        ))
        .hint("an agent speaks as itself; what a person says or decides, that person says from their own terminal"));
    }
    Ok(speaker)
}

/// An agent called `name`: its configured entry, or a bare agent of
/// `provider`. A name the config gives a person stays the agent's name but
/// brings none of the person's standing: the agent keeps kind `agent` and
/// the plain `agent` role, so rules written for the person's role (policy
/// `role:`, authority `role:`) do not reach it.
fn agent_named(config: &Config, name: &str, provider: Option<&str>) -> Speaker {
    match participant(config, name) {
        Some(speaker) if speaker.is_agent() => speaker,
        _ => Speaker::agent(name, provider),
    }
}

/// Refuse an actor named by hand (`events append --actor`, an imported
/// line's `actor`) when `speaker`, who is acting, runs under an agent's
/// program and the actor is not that agent: from an agent's process tree
/// every event is that agent's.
pub fn vouch(speaker: &Speaker, claimed: &Actor) -> Result<()> {
    let Some(program) = &speaker.under else {
        return Ok(());
    };
    if *claimed == speaker.actor() {
        return Ok(());
    }
    Err(Error::user(format!(
        "actor `{}:{}`: this codexa runs under the agent program `{program}`, so its events are agent `{}`'s",
        claimed.kind, claimed.id, speaker.name
    ))
    .hint("leave the actor out: events from an agent are recorded as that agent"))
}

/// Resolve the speaker for a command.
pub fn resolve(store: &Store, config: &Config, as_name: Option<&str>) -> Result<Speaker> {
    let as_name = as_name.map(str::trim).filter(|n| !n.is_empty());
    if let Some(ancestor) = agent_ancestor(&AgentNames::from_config(&config.watch)) {
        return agent_by_lineage(store, config, as_name, &ancestor);
    }
    // Outside an agent's process tree, an agent's environment still names
    // it: it stays an agent whatever `--as` or the config says.
    let env_agent = env_agent();
    if let Some(name) = as_name {
        let speaker = if let Some(p) = participant(config, name) {
            p
        } else if git_user(store).as_deref() == Some(name) {
            Speaker::person(name)
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
        return Ok(agent_named(config, &agent, None));
    }
    let name = git_user(store)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "unknown".to_string());
    Ok(participant(config, &name).unwrap_or_else(|| Speaker::person(&name)))
}
