//! End-to-end tests: the real `codexa` binary in temporary git repositories,
//! one module per command area. Every test builds its own [`common::TestEnv`]
//! (a clean HOME and environment, a test clock that steps with each command
//! and seeded ids, unless a test needs real time).

mod common;

mod test_analytics;
mod test_approvals;
mod test_ask;
mod test_concurrency;
mod test_control;
mod test_conventions;
mod test_deep_yaml;
mod test_discover;
mod test_doctor;
mod test_events;
mod test_git_everyday;
mod test_governance;
mod test_hook_budget;
mod test_hooks;
mod test_init;
mod test_lineage;
mod test_loops;
mod test_policy;
mod test_push_gate;
mod test_redaction;
mod test_signatures;
mod test_sql;
mod test_sync;
mod test_threads;
mod test_trust;
mod test_verify;
mod test_watch;
