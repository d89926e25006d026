//! End-to-end tests: the real `codexa` binary in temporary git repositories,
//! one module per command area (`test_mcp` speaks to `codexa mcp` as an
//! agent's harness does; `test_schemas` checks the stored formats' samples
//! against the embedded schemas). Every test builds its own
//! [`common::TestEnv`] (a clean HOME and environment, a test clock that
//! steps with each command and seeded ids, unless a test needs real time).
//! One binary holds them all, so a change links one test executable, not
//! one per file.

mod common;

mod test_analytics;
mod test_approvals;
mod test_ask;
mod test_binaries;
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
mod test_mcp;
mod test_policy;
mod test_push_gate;
mod test_redaction;
mod test_run_records;
mod test_runs;
mod test_runs_analytics;
mod test_schemas;
mod test_sessions;
mod test_signatures;
mod test_sql;
mod test_standin;
mod test_start;
mod test_sync;
mod test_threads;
mod test_trigger;
mod test_trigger_panes;
mod test_trust;
mod test_trust_analytics;
mod test_verify;
mod test_watch;
mod test_worktrees;

/// A file in `tests/cli/` (or `common/`) that no `mod` line declares is
/// never compiled, so its tests would silently not run; and a test file
/// directly in `tests/` would be a test binary of its own to build and link.
#[test]
fn every_test_file_is_declared_as_a_module() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let rust_files = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(".rs").map(str::to_string))
            .collect();
        names.sort();
        names
    };
    for (dir, root) in [("cli", "main"), ("cli/common", "mod")] {
        let root_text =
            std::fs::read_to_string(tests.join(dir).join(format!("{root}.rs"))).unwrap();
        let declared = |name: &str| {
            root_text.lines().any(|l| {
                let l = l.trim();
                l == format!("mod {name};") || l == format!("pub mod {name};")
            })
        };
        let undeclared: Vec<String> = rust_files(&tests.join(dir))
            .into_iter()
            .filter(|n| n != root && !declared(n))
            .collect();
        assert!(
            undeclared.is_empty(),
            "declare these in tests/{dir}/{root}.rs: {undeclared:?}"
        );
    }
    assert_eq!(
        rust_files(&tests),
        Vec::<String>::new(),
        "end-to-end tests are modules of tests/cli/, one binary to link"
    );
}
