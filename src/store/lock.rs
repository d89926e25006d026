//! The append lock: one file, `<store>/lock`, created once and never replaced
//! or deleted, so every process locks the same inode. The OS releases the
//! lock when the holder exits, crash included.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};

pub struct StoreLock {
    file: File,
}

impl StoreLock {
    /// Block until this process holds the lock.
    pub fn acquire(path: &Path) -> Result<StoreLock> {
        if let Some(dir) = path.parent() {
            fs_err::create_dir_all(dir)?;
        }
        let file = fs_err::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)?
            .into_parts()
            .0;
        file.lock()
            .map_err(|e| Error::io(format!("could not lock {}", path.display())).caused_by(e))?;
        Ok(StoreLock { file })
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}
