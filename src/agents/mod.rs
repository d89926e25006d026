//! The coding agents codexa works beside (Claude Code, Codex): what their
//! hooks send and accept, how a tool call maps to a policy action,
//! installing codexa's hook into their project settings, and seeing what
//! each agent in tmux is doing (the hook sources, the pane poller and
//! classifier, the resolver, and the monitor `watch` runs).

pub mod actions;
pub mod activity;
pub mod classify;
pub mod git_hook;
pub mod hook_budget;
pub mod hook_trust;
pub mod hooks;
pub mod install;
pub mod launch;
pub mod lineage;
pub mod monitor;
pub mod pre_push;
pub mod procs;
pub mod resolve;
pub mod sessions;
pub mod shell;
pub mod track;

use serde::{Deserialize, Serialize};

/// Which agent CLI a hook payload came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Claude,
    Codex,
}

impl Provider {
    /// `claude` or `codex`, as `as_str` writes them.
    pub fn parse(text: &str) -> Option<Provider> {
        match text {
            "claude" => Some(Provider::Claude),
            "codex" => Some(Provider::Codex),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Claude => "claude",
            Provider::Codex => "codex",
        }
    }
}
