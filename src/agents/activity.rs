//! The words every source and view of agent state share:
//! presence, evidence, activity.

use serde::{Deserialize, Serialize};

/// What an agent in a pane is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Asked to approve a tool call: a person must answer.
    WaitingApproval,
    /// Asked a question (or a dialog is open): a person must answer.
    WaitingInput,
    /// Failed (an API error on screen, the pane's process died).
    Error,
    /// Working on a turn.
    Running,
    /// Done with its turn, at its input prompt.
    Idle,
    /// No evidence either way.
    Unknown,
}

impl Activity {
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::Running => "running",
            Activity::Idle => "idle",
            Activity::WaitingInput => "waiting_input",
            Activity::WaitingApproval => "waiting_approval",
            Activity::Error => "error",
            Activity::Unknown => "unknown",
        }
    }

    /// Does a person need to act?
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Activity::WaitingApproval | Activity::WaitingInput | Activity::Error
        )
    }

    pub fn is_waiting(self) -> bool {
        matches!(self, Activity::WaitingApproval | Activity::WaitingInput)
    }
}

impl std::fmt::Display for Activity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Is an agent in the pane?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Managed,
    Unmanaged,
}

/// What the pane's state rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The agent's own hook events.
    Deterministic,
    /// Reading the pane's screen and process tree.
    Heuristic,
    /// Nothing: no agent seen.
    None,
}
