//! The append lock: one file, `<store>/lock`, created once and never replaced
//! or deleted, so every process locks the same inode. The OS releases the
//! lock when the holder exits, crash included.
//!
//! `wait_for` is the one way codexa waits for a file lock (this one, and the
//! agent sessions' locks): bounded by `WAIT` and by the process's deadline
//! (see `crate::budget`), so no holder can hang a command.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long to wait for another process's lock. Appends hold the lock for
/// milliseconds; a holder that does not let go (a stuck or hostile process)
/// must not hang every command.
const WAIT: Duration = Duration::from_secs(30);

pub struct StoreLock {
    file: File,
}

impl StoreLock {
    /// Wait until this process holds the lock (see `wait_for`).
    pub fn acquire(path: &Path) -> Result<StoreLock> {
        let file = acquire(path, "the store's append lock")?;
        Ok(StoreLock { file })
    }
}

/// The lock file at `path` (made, with its folder, when missing), not yet
/// locked: for a caller that only tries it.
pub fn open(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        fs_err::create_dir_all(dir)?;
    }
    Ok(fs_err::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)?
        .into_parts()
        .0)
}

/// The lock file at `path`, locked (see `wait_for`; `what` names it for
/// people); released when the file is dropped.
pub fn acquire(path: &Path, what: &str) -> Result<File> {
    let file = open(path)?;
    wait_for(&file, path, what)?;
    Ok(file)
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Take an exclusive lock on `file` (opened from `path`; `what` names it
/// for people), waiting while another process holds it: at most `WAIT`,
/// and never past the process's deadline.
pub fn wait_for(file: &File, path: &Path, what: &str) -> Result<()> {
    let start = Instant::now();
    let mut noted = None;
    loop {
        let wait = crate::budget::cap(WAIT.saturating_sub(start.elapsed()));
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if !wait.is_zero() => {
                noted.get_or_insert_with(|| {
                    crate::budget::doing(format!(
                        "waiting for {what} ({}), held by another process",
                        path.display()
                    ))
                });
                std::thread::sleep(wait.min(Duration::from_millis(2)));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let hint = "find the holder with `fuser` or `lsof` on that file; codexa holds it for milliseconds";
                let held = start.elapsed();
                let message = if held < WAIT {
                    format!(
                        "ran out of time after {} ms waiting for {what} ({}): another process holds it",
                        held.as_millis(),
                        path.display()
                    )
                } else {
                    format!(
                        "another process has held {what} ({}) for {} s",
                        path.display(),
                        WAIT.as_secs()
                    )
                };
                return Err(Error::io(message).hint(hint));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::io(format!("could not lock {}", path.display())).caused_by(e));
            }
        }
    }
}
