//! The environment every end-to-end test runs in: a temporary directory with
//! its own HOME (a `.gitconfig` naming a test user), no inherited `CODEXA_*`
//! or `GIT_*` variables, `CODEXA_CONFIG_HOME` inside the directory, colour
//! off, and by default a test clock and seeded ids, so that output can be
//! compared exactly once the temporary path is redacted.
//!
//! The test clock (`CODEXA_TEST_NOW`, set per command) moves the way the
//! commands of a test do, as jj's `JJ_TIMESTAMP` does: the first codexa
//! command runs at [`TEST_NOW`], and each later one [`STEP`] after the one
//! before, so every command is later than the last and the times in its
//! output follow from how many commands came before it. A command's time
//! is fixed when it is built ([`TestEnv::codexa`], [`TestEnv::std_codexa`]);
//! `git` and `tmux` run at the time of the latest codexa command (a git
//! hook that runs codexa sees that). [`TestEnv::advance`] jumps the clock
//! ahead, so a rate limit that clears or an approval that expires is
//! tested without sleeping: the command after `env.advance(d)` runs `d`
//! plus one step after the one before it. A process that runs under an
//! agent's program ignores the test clock, by design (see
//! `agents::lineage::under_known_agent`): tests of hooks sent from inside
//! a stand-in agent's pane use the real clock ([`TestEnv::real_clock`]).
//!
//! Writer ids derive from the seed and the git directory's path, event ids
//! from the seed, writer and seq, so they differ between runs (the path
//! does); [`TestEnv::redact`] replaces each with a numbered placeholder that
//! keeps the structure (which `prev` is which `hash`) visible in snapshots.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use serde_json::Value;

use super::{json_lines, redact_ids, stderr, stdout};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_codexa");
/// The test clock's time at a test's first codexa command.
pub const TEST_NOW: &str = "2026-01-01T00:00:00Z";
/// The envelope form of [`TEST_NOW`].
pub const TEST_TS: &str = "2026-01-01T00:00:00.000Z";
/// How much later each codexa command runs than the one before.
pub const STEP: Duration = Duration::from_secs(1);
pub const TEST_SEED: &str = "codexa-cli-tests";

pub struct TestEnv {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    deterministic: bool,
    /// Codexa commands built so far (the test clock's steps).
    commands: AtomicI64,
    /// How far [`TestEnv::advance`] has moved the test clock, in ms.
    advanced_ms: AtomicI64,
}

impl TestEnv {
    /// The test clock and seeded ids.
    pub fn new() -> TestEnv {
        Self::build(true)
    }

    /// The real clock and random ids, for tests whose commands run
    /// concurrently, or under an agent's program, which ignores the test
    /// clock.
    pub fn real_clock() -> TestEnv {
        Self::build(false)
    }

    fn build(deterministic: bool) -> TestEnv {
        let tmp = tempfile::Builder::new()
            .prefix("codexa-cli-")
            .tempdir()
            .expect("create a temporary directory");
        // codexa prints canonical paths; compare and redact with the same.
        let root = tmp.path().canonicalize().expect("canonical tempdir");
        let home = root.join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = Test User\n\temail = test@example.com\n\
             [init]\n\tdefaultBranch = main\n\
             [protocol \"file\"]\n\tallow = always\n\
             [advice]\n\tdetachedHead = false\n",
        )
        .unwrap();
        TestEnv {
            _tmp: tmp,
            root,
            deterministic,
            commands: AtomicI64::new(0),
            advanced_ms: AtomicI64::new(0),
        }
    }

    /// Move the test clock ahead by `by`: the next codexa command runs
    /// `by` plus [`STEP`] after the one before it.
    pub fn advance(&self, by: Duration) {
        assert!(self.deterministic, "the real clock cannot be moved");
        let ms = i64::try_from(by.as_millis()).expect("a shorter jump");
        self.advanced_ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// The test clock now, in ms since the epoch: the time of the latest
    /// codexa command ([`TEST_NOW`] before the first), moved on by any
    /// [`TestEnv::advance`] since.
    pub fn now_ms(&self) -> i64 {
        let steps = (self.commands.load(Ordering::SeqCst) - 1).max(0);
        self.clock_at(steps)
    }

    /// [`TestEnv::now_ms`] in the envelope's `ts` form.
    pub fn now_ts(&self) -> String {
        ts_of(self.now_ms())
    }

    /// The time of the command after `steps` others.
    fn clock_at(&self, steps: i64) -> i64 {
        let step = i64::try_from(STEP.as_millis()).unwrap();
        ms_of(TEST_NOW) + steps * step + self.advanced_ms.load(Ordering::SeqCst)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path inside the temporary directory (nothing is created).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn home(&self) -> PathBuf {
        self.root.join("home")
    }

    /// `$CODEXA_CONFIG_HOME`; not created, so tests can see that nothing
    /// wrote there.
    pub fn config_home(&self) -> PathBuf {
        self.root.join("codexa-config-home")
    }

    /// Give `cmd` this environment's clean set of variables; with the
    /// test clock, its time now (see [`TestEnv::now_ms`]).
    pub fn apply_env(&self, cmd: &mut std::process::Command) {
        self.apply_env_at(cmd, self.now_ms());
    }

    fn apply_env_at(&self, cmd: &mut std::process::Command, now_ms: i64) {
        for (key, _) in std::env::vars_os() {
            let k = key.to_string_lossy();
            if k.starts_with("CODEXA_") || k.starts_with("GIT_") {
                cmd.env_remove(&key);
            }
        }
        cmd.env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.root.join("xdg-config"))
            .env("CODEXA_CONFIG_HOME", self.config_home())
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            // Never find a repository above the test's own directory.
            .env("GIT_CEILING_DIRECTORIES", &self.root)
            .env("LC_ALL", "C")
            .env("TZ", "UTC");
        if self.deterministic {
            let now = jiff::Timestamp::from_millisecond(now_ms).expect("a time jiff can hold");
            cmd.env("CODEXA_TEST_NOW", now.to_string())
                .env("CODEXA_TEST_SEED", TEST_SEED);
        }
    }

    /// `codexa` in `dir`, as a plain `std::process::Command` (for children
    /// a test spawns and reads from itself), one step of the test clock
    /// after the command built before it.
    pub fn std_codexa(&self, dir: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(BIN);
        cmd.current_dir(dir);
        let steps = self.commands.fetch_add(1, Ordering::SeqCst);
        self.apply_env_at(&mut cmd, self.clock_at(steps));
        cmd
    }

    /// `codexa` in `dir`, ready for assertions.
    pub fn codexa(&self, dir: &Path) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.std_codexa(dir))
    }

    /// Run `git` in `dir`; returns its output whatever the exit code.
    pub fn git_output<S: AsRef<OsStr>>(&self, dir: &Path, args: &[S]) -> Output {
        let mut cmd = std::process::Command::new("git");
        cmd.args(args).current_dir(dir);
        self.apply_env(&mut cmd);
        cmd.output().expect("run git")
    }

    /// Run `git` in `dir`, panicking on failure; returns trimmed stdout.
    pub fn git<S: AsRef<OsStr>>(&self, dir: &Path, args: &[S]) -> String {
        let out = self.git_output(dir, args);
        let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
        assert!(
            out.status.success(),
            "git {} failed in {}:\n{}{}",
            shown.join(" "),
            dir.display(),
            stdout(&out),
            stderr(&out)
        );
        stdout(&out).trim().to_string()
    }

    /// Append one event; returns its id.
    pub fn append(&self, dir: &Path, kind: &str, stream: &str, data: &str) -> String {
        let out = self
            .codexa(dir)
            .args([
                "events", "append", "--type", kind, "--stream", stream, "--data", data,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "append failed: {}{}",
            stdout(&out),
            stderr(&out)
        );
        let id = stdout(&out).trim().to_string();
        assert!(id.starts_with("evt_"), "append printed {id:?}");
        id
    }

    /// `codexa events query ARGS` as parsed JSON Lines.
    pub fn query(&self, dir: &Path, args: &[&str]) -> Vec<Value> {
        let out = self
            .codexa(dir)
            .args(["events", "query"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "query failed: {}{}",
            stdout(&out),
            stderr(&out)
        );
        json_lines(&stdout(&out))
    }

    /// How many events `events query` returns.
    /// Import `n` notes of `text_len` bytes each into `dir`'s log with one
    /// `events import` (enough, with a small `segment_max_bytes`, to fill
    /// several segments).
    pub fn import_notes(&self, dir: &Path, n: usize, text_len: usize) {
        let text = "y".repeat(text_len);
        let lines: String = (0..n)
            .map(|i| {
                format!(
                    "{{\"type\":\"note.added\",\"stream\":\"note:{i}\",\"data\":{{\"text\":\"{text}\"}}}}\n"
                )
            })
            .collect();
        let file = self.path("notes.jsonl");
        std::fs::write(&file, &lines).unwrap();
        self.codexa(dir)
            .args(["events", "import"])
            .arg(&file)
            .assert()
            .success();
    }

    /// `codexa doctor --format json` in `dir`: its exit code and the finding
    /// named `check`.
    pub fn doctor_finding(&self, dir: &Path, check: &str) -> (Option<i32>, Value) {
        let out = self
            .codexa(dir)
            .args(["doctor", "--format", "json"])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let finding = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == check)
            .unwrap_or_else(|| panic!("no {check} finding: {report}"))
            .clone();
        (out.status.code(), finding)
    }

    pub fn count(&self, dir: &Path) -> usize {
        self.query(dir, &[]).len()
    }

    /// Every event id `events query` returns.
    pub fn ids(&self, dir: &Path) -> Vec<String> {
        self.query(dir, &[])
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// `codexa events verify`'s exit code and stdout.
    pub fn verify(&self, dir: &Path) -> (i32, String) {
        let out = self
            .codexa(dir)
            .args(["events", "verify"])
            .output()
            .unwrap();
        (out.status.code().unwrap_or(-1), stdout(&out))
    }

    /// Assert `codexa events verify` passes in `dir`.
    pub fn assert_verifies(&self, dir: &Path) {
        let (code, text) = self.verify(dir);
        assert_eq!(code, 0, "verify failed in {}:\n{text}", dir.display());
    }

    /// `<git-common-dir>/codexa` of the clone at `dir`.
    pub fn store_dir(&self, dir: &Path) -> PathBuf {
        let common = self.git(dir, &["rev-parse", "--git-common-dir"]);
        dir.join(common).canonicalize().unwrap().join("codexa")
    }

    /// This clone's writer id, from `writer.json`.
    pub fn writer_id(&self, dir: &Path) -> String {
        let text = std::fs::read_to_string(self.store_dir(dir).join("writer.json")).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        v["writer"].as_str().unwrap().to_string()
    }

    /// This clone's first segment file.
    pub fn segment(&self, dir: &Path) -> PathBuf {
        self.store_dir(dir)
            .join("events")
            .join(self.writer_id(dir))
            .join("000001.jsonl")
    }

    /// Cut this clone's first segment after its first `n` lines, at a line
    /// boundary (lines lost whole).
    pub fn keep_first_lines(&self, dir: &Path, n: usize) {
        let segment = self.segment(dir);
        let text = std::fs::read_to_string(&segment).unwrap();
        let kept: Vec<&str> = text.lines().take(n).collect();
        std::fs::write(&segment, format!("{}\n", kept.join("\n"))).unwrap();
    }

    /// Replace the temporary directory with `[TMP]`, and every writer id,
    /// event id and sha256 with a numbered placeholder (`[WRITER-1]`,
    /// `[EVT-2]`, `[SHA-3]`), numbered in order of first appearance.
    pub fn redact(&self, text: &str) -> String {
        redact_ids(&text.replace(self.root.to_str().unwrap(), "[TMP]"))
    }
}

/// Milliseconds since the epoch of an RFC 3339 time.
pub fn ms_of(ts: &str) -> i64 {
    ts.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("{ts}: {e}"))
        .as_millisecond()
}

/// The envelope's `ts` form of `ms` (three fractional digits, `Z`).
pub fn ts_of(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

#[test]
fn the_test_clock_steps_with_each_command_and_jumps_when_advanced() {
    let env = TestEnv::new();
    let at = |cmd: &std::process::Command| {
        let (_, v) = cmd
            .get_envs()
            .find(|(k, _)| *k == "CODEXA_TEST_NOW")
            .expect("the test clock is set");
        v.unwrap().to_string_lossy().into_owned()
    };
    assert_eq!(env.now_ts(), TEST_TS);
    let dir = env.root().to_path_buf();
    assert_eq!(at(&env.std_codexa(&dir)), TEST_NOW);
    assert_eq!(at(&env.std_codexa(&dir)), "2026-01-01T00:00:01Z");
    let mut git = std::process::Command::new("git");
    env.apply_env(&mut git);
    assert_eq!(
        at(&git),
        "2026-01-01T00:00:01Z",
        "git runs at the latest command's time"
    );
    env.advance(Duration::from_secs(3600));
    assert_eq!(env.now_ts(), "2026-01-01T01:00:01.000Z");
    assert_eq!(at(&env.std_codexa(&dir)), "2026-01-01T01:00:02Z");
    assert_eq!(env.now_ms(), ms_of("2026-01-01T01:00:02Z"));
}
