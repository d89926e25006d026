//! `codexa` and `codexa-analytics`: the commands that need DuckDB run in
//! the second binary, found beside the first, so DuckDB is never mapped
//! into the commands agents run on every turn.

use std::path::{Path, PathBuf};

use crate::common::{BIN, TestEnv};

/// `codexa` (and, when `with_analytics`, its sibling) installed alone in
/// the test's folder `dir`, as `cargo install` would leave them. Linked
/// where it can be, else copied: never onto an existing file, which may be
/// a link to the build's own binary.
fn install(env: &TestEnv, dir: &str, with_analytics: bool) -> PathBuf {
    let bin = env.path(dir);
    std::fs::create_dir(&bin).unwrap();
    let from = Path::new(BIN);
    let mut names = vec!["codexa"];
    if with_analytics {
        names.push("codexa-analytics");
    }
    for name in names {
        let src = from.with_file_name(name);
        let dst = bin.join(name);
        if std::fs::hard_link(&src, &dst).is_err() {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
    bin.join("codexa")
}

fn sql(env: &TestEnv, codexa: &Path, repo: &Path) -> std::process::Output {
    let mut cmd = std::process::Command::new(codexa);
    cmd.args(["sql", "SELECT 41 + 1 AS answer", "--format", "csv"])
        .current_dir(repo);
    env.apply_env(&mut cmd);
    cmd.output().unwrap()
}

#[test]
fn analytics_commands_run_in_the_sibling_binary_and_say_so_when_it_is_missing() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");

    let alone = install(&env, "alone", false);
    let out = sql(&env, &alone, &repo);
    insta::assert_snapshot!(env.command_output(&out), @"
    [stderr]
    Error: could not run [TMP]/alone/codexa-analytics for this analytics command
    Caused by: No such file or directory (os error 2)
    Hint: the analytics commands (sql, analyze, export, report, snapshot) run in `codexa-analytics`, which `cargo install --path .` installs beside codexa: install both, or put it in [TMP]/alone
    [exit status: 1]
    ");

    let both = install(&env, "both", true);
    let out = sql(&env, &both, &repo);
    insta::assert_snapshot!(env.command_output(&out), @r"
    answer
    42
    ");
}

/// Someone who calls DuckDB from the library would put it back into every
/// start of `codexa`; this is where that shows.
#[test]
fn codexa_itself_links_no_duckdb() {
    let bytes = std::fs::read(BIN).unwrap();
    let finder = memchr::memmem::Finder::new(b"duckdb_open");
    assert!(finder.find(&bytes).is_none(), "codexa links DuckDB");
    let analytics = std::fs::read(Path::new(BIN).with_file_name("codexa-analytics")).unwrap();
    assert!(finder.find(&analytics).is_some());
}
