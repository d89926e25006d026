//! codexa's library core: the event store, config, sharing through git, and
//! the workspace operations commands are built from. Two front ends call the
//! same operations: the command line in `cli` (the only module that knows
//! about clap and terminals) and the MCP server in `mcp`.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod agents;
pub mod budget;
pub mod cli;
pub mod clock;
pub mod config;
pub mod discover;
pub mod doctor;
pub mod domain;
pub mod error;
pub mod fsutil;
pub mod loops;
pub mod mcp;
pub mod redact;
pub mod store;
pub mod sync;
pub mod templates;
pub mod text;
pub mod tmux;
pub mod trigger;
pub mod workspace;
pub mod worktrees;

pub use error::{Error, ErrorKind, Result};
