//! What codexa means by its events: identities, threads and messages, the
//! governance guards, and the redaction every written string passes. Built
//! on the store; nothing here knows about clap or terminals.

pub mod governance;
pub mod identity;
pub mod redact;
pub mod threads;
