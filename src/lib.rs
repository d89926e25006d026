//! codexa's library core: the event store, config, sharing through git, and
//! the workspace operations commands are built from. Nothing here knows about
//! clap or terminals; the doors in are the binary's `commands` module and the
//! MCP server in `mcp`, which call the same operations.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod agents;
pub mod analytics;
pub mod budget;
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
pub mod workspace;

pub use error::{Error, ErrorKind, Result};
