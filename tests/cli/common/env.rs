//! The environment every end-to-end test runs in: a temporary directory with
//! its own HOME (a `.gitconfig` naming a test user), no inherited `CODEXA_*`
//! or `GIT_*` variables, `CODEXA_CONFIG_HOME` inside the directory, colour
//! off, and by default a frozen clock and seeded ids, so that output can be
//! compared exactly once the temporary path is redacted.
//!
//! Writer ids derive from the seed and the git directory's path, event ids
//! from the seed, writer and seq, so they differ between runs (the path
//! does); [`TestEnv::redact`] replaces each with a numbered placeholder that
//! keeps the structure (which `prev` is which `hash`) visible in snapshots.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use super::{json_lines, redact_ids, stderr, stdout};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_codexa");
/// What `CODEXA_TEST_NOW` freezes the clock at.
pub const TEST_NOW: &str = "2026-01-01T00:00:00Z";
/// The envelope form of [`TEST_NOW`].
pub const TEST_TS: &str = "2026-01-01T00:00:00.000Z";
pub const TEST_SEED: &str = "codexa-cli-tests";

pub struct TestEnv {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    deterministic: bool,
}

impl TestEnv {
    /// Frozen clock and seeded ids.
    pub fn new() -> TestEnv {
        Self::build(true)
    }

    /// The real clock and random ids, for tests that need time to move.
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
        }
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

    /// Give `cmd` this environment's clean set of variables.
    pub fn apply_env(&self, cmd: &mut std::process::Command) {
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
            cmd.env("CODEXA_TEST_NOW", TEST_NOW)
                .env("CODEXA_TEST_SEED", TEST_SEED);
        }
    }

    /// `codexa` in `dir`, as a plain `std::process::Command` (for children
    /// a test spawns and reads from itself).
    pub fn std_codexa(&self, dir: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(BIN);
        cmd.current_dir(dir);
        self.apply_env(&mut cmd);
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

    /// Replace the temporary directory with `[TMP]`, and every writer id,
    /// event id and sha256 with a numbered placeholder (`[WRITER-1]`,
    /// `[EVT-2]`, `[SHA-3]`), numbered in order of first appearance.
    pub fn redact(&self, text: &str) -> String {
        redact_ids(&text.replace(self.root.to_str().unwrap(), "[TMP]"))
    }
}
