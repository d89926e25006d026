//! The resolved config remembered in the store's cache, so a command whose
//! config did not change reads one small file instead of parsing every
//! layer's YAML, merging them, filling in the schema's defaults (parsing
//! the 20 KB config schema) and hashing the result twice: together a
//! quarter of a short command's instructions.
//!
//! A record is used only when everything the resolution depended on is
//! still as it was. Resolving is a function of the work dir, `$HOME`,
//! `$CODEXA_CONFIG_HOME`, the codexa that runs, and what it found on disk;
//! the record names the first four and lists every look at the disk the
//! resolution took ([`Probe`]: whether the user layer is a file, what each
//! path canonicalises to, the sha256 of each layer's bytes). Recalling
//! takes those looks again and compares: the layers are read whole and
//! hashed each time, so an edit is seen at once whatever the file's size
//! or times say, and a file that appeared, vanished or became a link
//! elsewhere changes an answer too. The codexa is named by its version and
//! its executable's identity (device, inode, size, modification time), so
//! a rebuilt binary whose defaults or parsing changed under the same
//! version number does not read an older binary's answer.
//!
//! Only a valid config is remembered, so every error message comes from a
//! full resolution as before. The record is replaced by renaming a
//! complete file over it (a reader sees the old record or the new, never
//! half), and a record that cannot be read or parsed, or does not match,
//! is ignored and written again by the resolution that follows.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Config, Env, Layer};
use crate::fsutil::sha256_tagged;

/// One look at the file system that resolving the config took, with what it
/// saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Probe {
    /// Whether the path is a regular file (`Path::is_file`).
    IsFile(PathBuf, bool),
    /// What the path canonicalises to; `None` when that failed.
    Canonical(PathBuf, Option<PathBuf>),
    /// The sha256 of the bytes read from the path.
    Content(PathBuf, String),
}

impl Probe {
    /// Whether looking again sees the same.
    fn holds(&self) -> bool {
        match self {
            Probe::IsFile(path, was) => path.is_file() == *was,
            Probe::Canonical(path, was) => std::fs::canonicalize(path).ok() == *was,
            Probe::Content(path, was) => {
                std::fs::read(path).is_ok_and(|bytes| sha256_tagged(&bytes) == *was)
            }
        }
    }
}

/// Where the resolved config is remembered; `None` remembers nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedCache(Option<PathBuf>);

/// What resolving depended on besides the disk.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Inputs {
    codexa: String,
    workdir: PathBuf,
    home: Option<PathBuf>,
    config_home: Option<PathBuf>,
}

impl Inputs {
    fn of(workdir: &Path, env: &Env) -> Option<Inputs> {
        Some(Inputs {
            codexa: codexa_identity()?,
            workdir: super::layers::absolute(workdir),
            home: env.home.clone(),
            config_home: env.config_home.clone(),
        })
    }
}

/// The file's content.
#[derive(Serialize, Deserialize)]
struct Record {
    inputs: Inputs,
    probes: Vec<Probe>,
    layers: Vec<Layer>,
    hash: String,
    value: Value,
}

impl ResolvedCache {
    pub fn at(path: PathBuf) -> ResolvedCache {
        ResolvedCache(Some(path))
    }

    pub fn none() -> ResolvedCache {
        ResolvedCache(None)
    }

    /// The config remembered for `workdir` under `env`, when every input
    /// and every probe still holds.
    pub fn recall(&self, workdir: &Path, env: &Env) -> Option<Config> {
        let path = self.0.as_ref()?;
        let bytes = std::fs::read(path).ok()?;
        let record: Record = serde_json::from_slice(&bytes).ok()?;
        if record.inputs != Inputs::of(workdir, env)? || !record.probes.iter().all(Probe::holds) {
            return None;
        }
        // Read into the types afresh: the types are this binary's, and the
        // value passed the schema when it was remembered.
        let mut config = Config::deserialize(&record.value).ok()?;
        config.value = record.value;
        config.layers = record.layers;
        config.hash = record.hash;
        Some(config)
    }

    /// Remembers `config`, resolved from `probes`. Best effort: a failure
    /// only means resolving again next time. Nothing is created where there
    /// is no store.
    pub fn remember(&self, workdir: &Path, env: &Env, probes: Vec<Probe>, config: &Config) {
        let Some(path) = &self.0 else { return };
        let Some(inputs) = Inputs::of(workdir, env) else {
            return;
        };
        let record = Record {
            inputs,
            probes,
            layers: config.layers.clone(),
            hash: config.hash.clone(),
            value: config.value.clone(),
        };
        // A path that is not UTF-8 cannot be written as JSON, and a value
        // that would not read back the same (a float a shortest printing
        // rounds differently) must not be recalled: neither is remembered.
        let Ok(bytes) = serde_json::to_vec(&record) else {
            return;
        };
        let reads_back = serde_json::from_slice::<Record>(&bytes)
            .is_ok_and(|back| back.value == config.value && back.probes == record.probes);
        if reads_back && super::valid_cache::folder_ready(path) {
            let _ = crate::fsutil::replace_cache_file(path, &bytes);
        }
    }
}

/// This codexa: its version and its executable's identity. `None` when the
/// executable cannot be found, and then nothing is remembered.
fn codexa_identity() -> Option<String> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {} {}",
        env!("CARGO_PKG_VERSION"),
        file_id(&meta),
        meta.len(),
        modified.as_nanos()
    ))
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!("{}:{}", meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> String {
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CONFIG_FILE, ValidCache, load_with};

    struct Repo {
        _t: tempfile::TempDir,
        work: PathBuf,
        cache: PathBuf,
        env: Env,
    }

    fn repo(text: &str) -> Repo {
        let t = tempfile::tempdir().unwrap();
        let work = t.path().join("repo");
        std::fs::create_dir_all(work.join(".codexa")).unwrap();
        std::fs::write(work.join(CONFIG_FILE), text).unwrap();
        let cache = t.path().join("store/cache/config-resolved");
        std::fs::create_dir_all(t.path().join("store")).unwrap();
        let env = Env {
            home: Some(t.path().join("home")),
            config_home: None,
            valid_cache: ValidCache::none(),
            resolved_cache: ResolvedCache::at(cache.clone()),
        };
        Repo {
            _t: t,
            work,
            cache,
            env,
        }
    }

    /// The config as resolved without any cache.
    fn fresh(r: &Repo) -> Config {
        let env = Env {
            resolved_cache: ResolvedCache::none(),
            ..r.env.clone()
        };
        load_with(&r.work, &env).unwrap()
    }

    /// Write `text` over `path` keeping its size and modification time.
    fn rewrite_in_place(path: &Path, text: &str) {
        let before = std::fs::metadata(path).unwrap();
        assert_eq!(before.len(), text.len() as u64, "same size");
        std::fs::write(path, text).unwrap();
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(before.modified().unwrap()).unwrap();
        let after = std::fs::metadata(path).unwrap();
        assert_eq!(after.modified().unwrap(), before.modified().unwrap());
    }

    #[test]
    fn a_recalled_config_is_the_resolved_one() {
        let r =
            repo("version: 1\nsync:\n  remote: upstream\nstore:\n  segment_max_bytes: 65536.0\n");
        let first = load_with(&r.work, &r.env).unwrap();
        assert!(r.cache.is_file());
        let recalled = r.env.resolved_cache.recall(&r.work, &r.env).unwrap();
        assert_eq!(recalled, first);
        assert_eq!(recalled, fresh(&r));
        assert_eq!(recalled.hash, first.hash);
        assert_eq!(load_with(&r.work, &r.env).unwrap(), first);
    }

    #[test]
    fn an_edit_of_the_same_size_and_time_is_seen_at_once() {
        let r = repo("version: 1\nsync:\n  remote: aaaa\n");
        assert_eq!(load_with(&r.work, &r.env).unwrap().sync.remote, "aaaa");
        rewrite_in_place(
            &r.work.join(CONFIG_FILE),
            "version: 1\nsync:\n  remote: bbbb\n",
        );
        assert!(r.env.resolved_cache.recall(&r.work, &r.env).is_none());
        let now = load_with(&r.work, &r.env).unwrap();
        assert_eq!(now.sync.remote, "bbbb");
        assert_eq!(now, fresh(&r));
    }

    #[test]
    fn a_change_in_any_layer_is_seen() {
        let r = repo("version: 1\nextends: [../team.yaml]\n");
        let team = r.work.join("team.yaml");
        std::fs::write(&team, "sync:\n  remote: team1\n").unwrap();
        assert_eq!(load_with(&r.work, &r.env).unwrap().sync.remote, "team1");
        rewrite_in_place(&team, "sync:\n  remote: team2\n");
        assert_eq!(load_with(&r.work, &r.env).unwrap().sync.remote, "team2");
        // The user layer appearing counts too.
        let user = r.env.user_layer().unwrap();
        std::fs::create_dir_all(user.parent().unwrap()).unwrap();
        std::fs::write(&user, "store:\n  segment_max_bytes: 70000\n").unwrap();
        let now = load_with(&r.work, &r.env).unwrap();
        assert_eq!(now.store.segment_max_bytes, 70000);
        assert_eq!(now, fresh(&r));
        // And going away.
        std::fs::remove_file(&user).unwrap();
        assert_eq!(load_with(&r.work, &r.env).unwrap(), fresh(&r));
        // So does a layer that now resolves to another file with the same
        // bytes: which files are the same decides what is applied once.
        #[cfg(unix)]
        {
            std::fs::write(r.work.join("copy.yaml"), "sync:\n  remote: team2\n").unwrap();
            let probe = Probe::Canonical(team.clone(), std::fs::canonicalize(&team).ok());
            assert!(probe.holds());
            std::fs::remove_file(&team).unwrap();
            std::os::unix::fs::symlink(r.work.join("copy.yaml"), &team).unwrap();
            assert!(!probe.holds());
            assert!(r.env.resolved_cache.recall(&r.work, &r.env).is_none());
        }
    }

    #[test]
    fn a_damaged_record_is_ignored_and_rewritten() {
        let r = repo("version: 1\nsync:\n  remote: upstream\n");
        let good = load_with(&r.work, &r.env).unwrap();
        let record = std::fs::read(&r.cache).unwrap();
        for damage in [
            b"".to_vec(),
            b"not json".to_vec(),
            record[..record.len() / 2].to_vec(),
            br#"{"inputs":1}"#.to_vec(),
        ] {
            std::fs::write(&r.cache, &damage).unwrap();
            assert!(r.env.resolved_cache.recall(&r.work, &r.env).is_none());
            assert_eq!(load_with(&r.work, &r.env).unwrap(), good);
            assert_eq!(std::fs::read(&r.cache).unwrap(), record, "rewritten");
        }
        // A record for other inputs (another work dir) is not used.
        let moved = Env {
            home: Some(PathBuf::from("/elsewhere")),
            ..r.env.clone()
        };
        assert!(r.env.resolved_cache.recall(&r.work, &moved).is_none());
    }

    #[test]
    fn an_invalid_config_is_never_remembered() {
        let r = repo("version: 1\nsyncc:\n  remote: x\n");
        let first = load_with(&r.work, &r.env).unwrap_err();
        assert!(!r.cache.exists());
        let again = load_with(&r.work, &r.env).unwrap_err();
        assert_eq!(first.message(), again.message());
        assert_eq!(first.hint_text(), again.hint_text());
        // Valid, then broken: the error is the full resolution's.
        std::fs::write(r.work.join(CONFIG_FILE), "version: 1\n").unwrap();
        load_with(&r.work, &r.env).unwrap();
        std::fs::write(
            r.work.join(CONFIG_FILE),
            "version: 1\nsyncc:\n  remote: x\n",
        )
        .unwrap();
        assert_eq!(
            load_with(&r.work, &r.env).unwrap_err().message(),
            first.message()
        );
    }

    #[test]
    fn nothing_is_remembered_without_a_store() {
        let mut r = repo("version: 1\n");
        r.env.resolved_cache = ResolvedCache::at(r.work.join("no-store/cache/config-resolved"));
        load_with(&r.work, &r.env).unwrap();
        assert!(!r.work.join("no-store").exists());
    }
}
