//! Which agent, if any, this process runs under.
//!
//! An agent runs its tools, its hooks and its MCP servers as its own child
//! processes, as the same OS user as the person beside it, and it can set
//! any environment variable or flag it likes. What it cannot change is who
//! its ancestors are: a `codexa` with `claude` (or `codex`, or a program
//! configured under `watch.agents`) above it in the process tree is that
//! agent's tool, whatever `--as`, `$CODEXA_AGENT` or the git config say.
//!
//! The limit: a process that leaves the agent's tree (started through
//! `tmux new-window`, `setsid` with its parent gone, `systemd-run`, `at`,
//! `ssh localhost`) has tmux, init or a service manager above it instead.
//! Decisions signed with the person's SSH key close that door where a
//! project requires them (`approvals.require_signature`).

use std::sync::OnceLock;

use super::classify::AgentNames;
use super::procs;

/// The nearest ancestor that is an agent's program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentAncestor {
    pub pid: u32,
    /// The program as a person would name it (`claude`, `codex-x86_64…`).
    pub program: String,
    /// `claude`, `codex` or `other`.
    pub provider: String,
}

/// This process's ancestors with their program names, nearest first; read
/// from `/proc` once per process (it cannot change under a running
/// process: an orphan is re-parented, never given a new agent parent).
fn chain() -> &'static [(u32, String)] {
    static CHAIN: OnceLock<Vec<(u32, String)>> = OnceLock::new();
    CHAIN.get_or_init(|| {
        procs::ancestors()
            .into_iter()
            .filter_map(|pid| procs::program_of(pid).map(|name| (pid, name)))
            .collect()
    })
}

/// The nearest ancestor whose program `names` knows as an agent.
pub fn agent_ancestor(names: &AgentNames) -> Option<AgentAncestor> {
    find(chain(), names)
}

/// Whether a known agent program (the built-in names; config is not read
/// here) is among this process's ancestors. Settings meant for tests only
/// (a frozen clock, seeded ids) are refused to such a process: an agent
/// that could turn the clock back would revive expired approvals.
pub fn under_known_agent() -> bool {
    static UNDER: OnceLock<bool> = OnceLock::new();
    *UNDER
        .get_or_init(|| find(chain(), &AgentNames::from_config(&serde_json::Value::Null)).is_some())
}

fn find(chain: &[(u32, String)], names: &AgentNames) -> Option<AgentAncestor> {
    chain.iter().find_map(|(pid, program)| {
        names.provider_of(program).map(|provider| AgentAncestor {
            pid: *pid,
            program: program.clone(),
            provider: provider.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_nearest_agent_program_wins() {
        let names = AgentNames::from_config(&json!({"watch": {"agents": {"other": ["my-agent"]}}}));
        let chain: Vec<(u32, String)> =
            [(40, "bash"), (30, "my-agent"), (20, "claude"), (1, "init")]
                .iter()
                .map(|(p, n)| (*p, n.to_string()))
                .collect();
        let found = find(&chain, &names).unwrap();
        assert_eq!((found.pid, found.provider.as_str()), (30, "other"));
        assert_eq!(find(&chain[2..], &names).unwrap().provider, "claude");
        assert_eq!(find(&chain[3..], &names), None);
        let codex = vec![(9, "codex-x86_64-unknown-linux-musl".to_string())];
        assert_eq!(find(&codex, &names).unwrap().provider, "codex");
    }
}
