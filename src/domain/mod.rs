//! What codexa means by its events: identities, threads and messages, the
//! governance guards, the policy gate and approvals. Built on the store
//! and the workspace; nothing here knows about clap or terminals.

pub mod aliases;
pub mod allowed_signers;
pub mod approvals;
pub mod gate;
pub mod governance;
pub mod identity;
pub mod incidents;
pub mod policy;
pub mod runs;
pub mod signature;
pub mod threads;
pub mod trust;
