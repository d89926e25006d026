//! The coding agents codexa works beside (Claude Code, Codex): what their
//! hooks send and accept, how a tool call maps to a policy action, and
//! installing codexa's hook into their project settings.

pub mod actions;
pub mod hooks;
pub mod install;
pub mod shell;

use serde::Serialize;

/// Which agent CLI a hook payload came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Claude,
    Codex,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Claude => "claude",
            Provider::Codex => "codex",
        }
    }
}
