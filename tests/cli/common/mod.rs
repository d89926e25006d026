//! What the end-to-end test modules share, one small module a subject:
//! the environment a test runs in ([`env`]), repositories to run in
//! ([`repo`]), running `codexa` and reading its output ([`output`]), and
//! stand-ins and helpers for agents, threads, the policy gate and hooks,
//! and stand-in agents in the panes of a private tmux server ([`tmux`]).
//! Everything is re-exported here: `use crate::common::{TestEnv, ok_as}`.

mod agents;
mod env;
mod hooks;
mod output;
mod policy;
mod repo;
mod threads;
mod tmux;

pub use agents::*;
pub use env::*;
pub use hooks::*;
pub use output::*;
pub use policy::*;
pub use repo::*;
pub use threads::*;
pub use tmux::*;
