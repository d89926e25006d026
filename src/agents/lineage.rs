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

/// How far up the tree is read: far deeper than any real chain, so a
/// chain that goes on past it was built to hide what is above it.
const MAX_DEPTH: usize = 4096;

/// What this process can learn of where it came from, read from `/proc`
/// once per process (it cannot change under a running process: an orphan
/// is re-parented, never given a new agent parent).
#[derive(Debug, Default)]
struct Lineage {
    /// Ancestors with their program names, nearest first.
    chain: Vec<(u32, String)>,
    /// The walk reached `MAX_DEPTH` before init.
    too_deep: bool,
    /// When the leader of this process's session is neither this process
    /// nor one of its ancestors, the process was cut loose from the tree
    /// that started it (`( cmd & )` in a script: the subshell exits, init
    /// adopts the command). The session's other processes, with their
    /// programs, still say who started it; empty otherwise.
    session: Vec<(u32, String)>,
}

fn lineage() -> &'static Lineage {
    static LINEAGE: OnceLock<Lineage> = OnceLock::new();
    LINEAGE.get_or_init(read)
}

fn read() -> Lineage {
    // This process as `/proc` numbers it: in a PID namespace of its own
    // (`unshare -pf`) `getpid` gives the namespace's number, while a
    // `/proc` mounted outside it still shows the agent above.
    let Some(me) = procs::proc_self() else {
        return Lineage::default();
    };
    let Some((mut ppid, sid)) = procs::parent_and_session(me) else {
        return Lineage::default();
    };
    let mut out = Lineage::default();
    loop {
        if out.chain.len() >= MAX_DEPTH {
            out.too_deep = true;
            break;
        }
        if ppid == 0 {
            break;
        }
        out.chain
            .push((ppid, procs::program_of(ppid).unwrap_or_default()));
        if ppid == 1 {
            break;
        }
        match procs::parent_and_session(ppid) {
            Some((next, _)) => ppid = next,
            None => break,
        }
    }
    let leader_above = sid == me || out.chain.iter().any(|(p, _)| *p == sid);
    if sid > 1 && !leader_above && !out.too_deep {
        out.session = procs::in_session(sid)
            .into_iter()
            .filter(|p| *p != me)
            .filter_map(|p| procs::program_of(p).map(|name| (p, name)))
            .collect();
    }
    out
}

/// This process's ancestors with their programs, nearest first.
pub fn ancestors() -> &'static [(u32, String)] {
    &lineage().chain
}

/// The agent this process runs under: the nearest ancestor whose program
/// `names` knows as an agent; else, for a process cut loose from its
/// tree, an agent in its session; else, for a tree too deep to read to
/// the top, an unnamed agent (nothing a person starts looks like that).
pub fn agent_ancestor(names: &AgentNames) -> Option<AgentAncestor> {
    find(lineage(), names)
}

/// Whether a known agent program (the built-in names; config is not read
/// here) is among this process's ancestors. Settings meant for tests only
/// (a frozen clock, seeded ids) are refused to such a process: an agent
/// that could turn the clock back would revive expired approvals.
pub fn under_known_agent() -> bool {
    static UNDER: OnceLock<bool> = OnceLock::new();
    *UNDER.get_or_init(|| find(lineage(), &AgentNames::builtin()).is_some())
}

fn first_agent(procs: &[(u32, String)], names: &AgentNames) -> Option<AgentAncestor> {
    procs.iter().find_map(|(pid, program)| {
        names.provider_of(program).map(|provider| AgentAncestor {
            pid: *pid,
            program: program.clone(),
            provider: provider.to_string(),
        })
    })
}

fn find(lineage: &Lineage, names: &AgentNames) -> Option<AgentAncestor> {
    first_agent(&lineage.chain, names)
        .or_else(|| first_agent(&lineage.session, names))
        .or_else(|| {
            lineage.too_deep.then(|| AgentAncestor {
                pid: 0,
                program: format!("(a process tree over {MAX_DEPTH} deep)"),
                provider: "other".into(),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn procs(list: &[(u32, &str)]) -> Vec<(u32, String)> {
        list.iter().map(|(p, n)| (*p, n.to_string())).collect()
    }

    #[test]
    fn the_nearest_agent_program_wins() {
        let config = json!({"watch": {"agents": {"other": ["my-agent"]}}});
        let names =
            AgentNames::from_config(&crate::config::Config::from_value(config).unwrap().watch);
        let chain = procs(&[(40, "bash"), (30, "my-agent"), (20, "claude"), (1, "init")]);
        let of = |chain: &[(u32, String)]| {
            find(
                &Lineage {
                    chain: chain.to_vec(),
                    ..Lineage::default()
                },
                &names,
            )
        };
        let found = of(&chain).unwrap();
        assert_eq!((found.pid, found.provider.as_str()), (30, "other"));
        assert_eq!(of(&chain[2..]).unwrap().provider, "claude");
        assert_eq!(of(&chain[3..]), None);
        let codex = procs(&[(9, "codex-x86_64-unknown-linux-musl")]);
        assert_eq!(of(&codex).unwrap().provider, "codex");
    }

    #[test]
    fn a_process_cut_loose_or_hidden_deep_is_still_an_agents() {
        let names = AgentNames::builtin();
        // Adopted by init; its session still holds the agent.
        let orphan = Lineage {
            chain: procs(&[(1, "init")]),
            session: procs(&[(50, "bash"), (20, "claude")]),
            ..Lineage::default()
        };
        assert_eq!(find(&orphan, &names).unwrap().pid, 20);
        let deep = Lineage {
            chain: procs(&[(40, "sh"), (39, "sh"), (38, "sh")]),
            too_deep: true,
            ..Lineage::default()
        };
        assert_eq!(find(&deep, &names).unwrap().provider, "other");
        // This very process: a test harness under no agent.
        assert!(!read().too_deep);
        assert!(!ancestors().is_empty());
    }
}
