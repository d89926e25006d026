//! Repositories to run in: a fresh one, an initialised one, a bare remote
//! and its clones, config added to a clone, and the files a command could
//! change, for tests that check it changed nothing.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::TestEnv;

impl TestEnv {
    /// A new repository with one commit (a README) on `main`.
    pub fn repo(&self, name: &str) -> PathBuf {
        let dir = self.root().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        self.git(&dir, &["init", "-q"]);
        std::fs::write(dir.join("README.md"), "# test repository\n").unwrap();
        self.git(&dir, &["add", "README.md"]);
        self.git(&dir, &["commit", "-q", "-m", "initial commit"]);
        dir
    }

    /// A repository with `codexa init` run and `.codexa/` committed.
    pub fn init_repo(&self, name: &str) -> PathBuf {
        let dir = self.repo(name);
        self.codexa(&dir).args(["init", "-q"]).assert().success();
        self.git(&dir, &["add", ".codexa"]);
        self.git(&dir, &["commit", "-q", "-m", "codexa init"]);
        dir
    }

    /// A bare repository, e.g. the shared remote.
    pub fn bare(&self, name: &str) -> PathBuf {
        let dir = self.root().join(name);
        self.git(self.root(), &["init", "-q", "--bare", name]);
        dir
    }

    /// A bare remote `remote.git` whose `main` holds a committed `.codexa/`
    /// (pushed from an initialised `seed` repository).
    pub fn shared_remote(&self) -> PathBuf {
        let remote = self.bare("remote.git");
        let seed = self.init_repo("seed");
        self.git(
            &seed,
            &["remote", "add", "origin", remote.to_str().unwrap()],
        );
        self.git(&seed, &["push", "-q", "origin", "main"]);
        remote
    }

    /// `git clone remote name`.
    pub fn clone_of(&self, remote: &Path, name: &str) -> PathBuf {
        self.git(
            self.root(),
            &[
                OsStr::new("clone"),
                OsStr::new("-q"),
                remote.as_os_str(),
                OsStr::new(name),
            ],
        );
        self.root().join(name)
    }
}

/// Append YAML (top-level keys) to the clone's `.codexa/config.yaml`,
/// uncommitted: codexa reads the work tree's file.
pub fn extend_config(dir: &Path, yaml: &str) {
    let path = dir.join(".codexa/config.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(yaml);
    std::fs::write(&path, text).unwrap();
}

/// Every file under `dir` with its bytes; paths relative to `dir`. `skip`
/// names top-level entries to leave out (e.g. `cache`, a rebuildable index).
pub fn files_under(dir: &Path, skip: &[&str]) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, skip: &[&str], out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(base).unwrap().to_path_buf();
            if rel.components().count() == 1
                && skip.iter().any(|s| rel.as_os_str() == OsStr::new(s))
            {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                walk(base, &path, skip, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, skip, &mut out);
    out
}

/// A snapshot of what a command could change: the work tree's `.codexa/`
/// and the store (without its rebuildable cache).
pub fn state_of(env: &TestEnv, dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    for (p, b) in files_under(&dir.join(".codexa"), &[]) {
        all.insert(Path::new(".codexa").join(p), b);
    }
    for (p, b) in files_under(&env.store_dir(dir), &["cache"]) {
        all.insert(Path::new("store").join(p), b);
    }
    all
}
