//! What codexa means by its events: identities, threads and messages, the
//! governance guards, the policy gate and approvals, and the redaction every
//! written string passes. Built on the store; nothing here knows about clap
//! or terminals.

pub mod aliases;
pub mod allowed_signers;
pub mod approvals;
pub mod gate;
pub mod governance;
pub mod identity;
pub mod policy;
pub mod redact;
pub mod signature;
pub mod threads;
