//! Agents as tests stand them in: the configured pair most tests use, and a
//! program named like an agent (`claude`) that runs codexa as its child,
//! so that codexa sees an agent among its ancestors as it would in use.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::{BIN, TestEnv};

/// Two configured agents, the usual pair of these tests.
pub const AGENTS: &str = "\
agents:
  lead: {provider: claude, role: lead}
  worker-a: {provider: codex, role: worker}
";

/// A folder holding a stand-in agent program named `name`: it runs its
/// arguments as a child (never `exec`, which would take it out of the
/// tree) and exits with their status.
pub fn agent_bin(env: &TestEnv, name: &str) -> PathBuf {
    let dir = env.path("agent-bin");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    if path.exists() {
        return dir;
    }
    std::fs::write(&path, "#!/bin/sh\n\"$@\"\nstatus=$?\nexit $status\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir
}

/// `claude ARGS…` in `dir` (the stand-in runs ARGS as its child), with the
/// test's clean environment plus `vars`.
pub fn under_agent(env: &TestEnv, dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let claude = agent_bin(env, "claude").join("claude");
    // An agent runs in a tmux pane: a session of its own, led by the pane's
    // shell. Without one, the agent would share the session of whatever
    // ran the tests, which inside a container can be numbered 0 or 1 and
    // then tells nothing about who started a process cut loose.
    let mut cmd = std::process::Command::new("setsid");
    cmd.arg("-w").arg(claude).args(args).current_dir(dir);
    env.apply_env(&mut cmd);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    // A script just written may still be open for writing in a child that
    // another test thread forked at that moment (until that child execs):
    // exec then fails with ETXTBSY, so try again.
    for _ in 0..50 {
        match cmd.output() {
            Err(e) if e.raw_os_error() == Some(26) => {
                std::thread::sleep(std::time::Duration::from_millis(10))
            }
            result => return result.unwrap(),
        }
    }
    panic!("the agent stand-in stayed busy")
}

/// `codexa ARGS…` run by the stand-in agent.
pub fn codexa_under_agent(env: &TestEnv, dir: &Path, args: &[&str]) -> Output {
    let mut all = vec![BIN];
    all.extend_from_slice(args);
    under_agent(env, dir, &all, &[])
}
