//! Complexity results kept between runs, by content. Parsing is most of
//! what `discover` costs on a large tree, and between two iterations most
//! files have not changed: a file whose language and bytes hash to a known
//! key reuses its result. The cache lives in the store's `cache/` (machine
//! local, disposable) and holds only the entries the last run used, so it
//! never grows past the tree. A different codexa version ignores it (the
//! counting rules may have changed).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::complexity::FileComplexity;
use crate::store::Store;

#[derive(Serialize, Deserialize, Default)]
struct Saved {
    version: String,
    entries: HashMap<String, FileComplexity>,
}

pub struct ComplexityCache {
    path: Option<PathBuf>,
    old: HashMap<String, FileComplexity>,
    used: Mutex<HashMap<String, FileComplexity>>,
}

fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The key of `bytes` in `language`.
pub fn key(language: &str, bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(language.as_bytes());
    h.update([0]);
    h.update(bytes);
    hex::encode(&h.finalize()[..16])
}

impl ComplexityCache {
    /// No cache: every file is parsed.
    pub fn none() -> ComplexityCache {
        ComplexityCache {
            path: None,
            old: HashMap::new(),
            used: Mutex::new(HashMap::new()),
        }
    }

    /// The store's cache; an unreadable or stale one is an empty one.
    pub fn load(store: &Store) -> ComplexityCache {
        let path = store.cache_dir().join("discover").join("complexity.json");
        let old = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Saved>(&b).ok())
            .filter(|s| s.version == version())
            .map(|s| s.entries)
            .unwrap_or_default();
        ComplexityCache {
            path: Some(path),
            old,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// The result for `key`, computed by `compute` when not known.
    pub fn get_or(&self, key: String, compute: impl FnOnce() -> FileComplexity) -> FileComplexity {
        let found = self.old.get(&key).cloned().unwrap_or_else(compute);
        if self.path.is_some()
            && let Ok(mut used) = self.used.lock()
        {
            used.insert(key, found.clone());
        }
        found
    }

    /// How many results came from the cache this run.
    pub fn hits(&self) -> usize {
        self.used
            .lock()
            .map(|u| u.keys().filter(|k| self.old.contains_key(*k)).count())
            .unwrap_or(0)
    }

    /// Keep this run's entries for the next. Best effort: the cache is
    /// disposable, so a failure to write it costs only speed.
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        let Ok(used) = self.used.lock() else { return };
        let saved = Saved {
            version: version(),
            entries: used.clone(),
        };
        if let Ok(bytes) = serde_json::to_vec(&saved) {
            let _ = crate::fsutil::replace_cache_file(path, &bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_reused_by_content_and_kept_for_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        git2::Repository::init(dir.path()).unwrap();
        let store = Store::locate(dir.path()).unwrap();
        let result = FileComplexity {
            total: 3,
            estimated: false,
            functions: Vec::new(),
        };
        let c = ComplexityCache::load(&store);
        let k = key("Rust", b"fn a() {}");
        assert_eq!(c.get_or(k.clone(), || result.clone()), result);
        assert_eq!(c.hits(), 0);
        c.save();
        let again = ComplexityCache::load(&store);
        let got = again.get_or(k, || panic!("must come from the cache"));
        assert_eq!(got, result);
        assert_eq!(again.hits(), 1);
        assert_ne!(
            key("Rust", b"x"),
            key("Python", b"x"),
            "the language is part of the key"
        );
    }
}
