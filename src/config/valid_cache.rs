//! A record, in the store's cache, that some content was already found
//! valid against its schema, so a command that reads it on every call need
//! not compile the schema again (compiling one is a fifth of a short
//! command's time). The key names codexa's version and the content's
//! sha256: a new codexa or an edited file validates afresh. The record sits
//! under the git directory, which an agent's tools may not write without
//! a person's say; it never stands in for the content, which is read
//! whole each time.

use std::path::{Path, PathBuf};

use crate::fsutil::sha256_tagged;

/// Where one kind of content's record lives; `None` remembers nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidCache(Option<PathBuf>);

impl ValidCache {
    pub fn at(path: PathBuf) -> ValidCache {
        ValidCache(Some(path))
    }

    pub fn none() -> ValidCache {
        ValidCache(None)
    }

    /// The key for `content`.
    pub fn key(content: &[u8]) -> String {
        format!("{} {}", env!("CARGO_PKG_VERSION"), sha256_tagged(content))
    }

    /// Whether `key` was recorded as valid.
    pub fn knows(&self, key: &str) -> bool {
        self.0
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .is_some_and(|k| k.trim() == key)
    }

    /// Records `key` as valid. Best effort: a failure only means validating
    /// again next time. The cache folder is made when the folder above it
    /// (the store) exists; nothing is created where there is no store.
    pub fn remember(&self, key: &str) {
        let Some(path) = &self.0 else { return };
        if folder_ready(path) {
            let _ = crate::fsutil::write_atomic(path, key.as_bytes());
        }
    }
}

/// Whether the cache folder holding `path` exists, made when the folder
/// above it (the store) exists: a cache is never what creates a store.
pub(super) fn folder_ready(path: &Path) -> bool {
    let Some(folder) = path.parent() else {
        return false;
    };
    folder.is_dir()
        || (folder.parent().is_some_and(Path::is_dir) && std::fs::create_dir(folder).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_a_key_and_only_that_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ValidCache::at(dir.path().join("x-valid"));
        let (a, b) = (ValidCache::key(b"a"), ValidCache::key(b"b"));
        assert!(!cache.knows(&a));
        cache.remember(&a);
        assert!(cache.knows(&a));
        assert!(!cache.knows(&b));
        let made = ValidCache::at(dir.path().join("cache/x-valid"));
        made.remember(&a);
        assert!(made.knows(&a));
        let nowhere = ValidCache::at(dir.path().join("no-store/cache/x-valid"));
        nowhere.remember(&a);
        assert!(!nowhere.knows(&a));
        assert!(!ValidCache::none().knows(&a));
    }
}
