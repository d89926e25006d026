//! The append lock: one file, `<store>/lock`, created once and never replaced
//! or deleted, so every process locks the same inode. The OS releases the
//! lock when the holder exits, crash included.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long to wait for another process's append, in milliseconds. Appends
/// hold the lock for milliseconds; a holder that does not let go (a stuck
/// or hostile process) must not hang every command. Agent hooks shorten it
/// (`set_wait`): an agent that times out the hook would run the tool call
/// unjudged.
static WAIT_MS: AtomicU64 = AtomicU64::new(30_000);

/// Set how long this process waits for the store lock.
pub fn set_wait(wait: Duration) {
    WAIT_MS.store(wait.as_millis() as u64, Ordering::Relaxed);
}

pub struct StoreLock {
    file: File,
}

impl StoreLock {
    /// Wait until this process holds the lock (see `set_wait` for how long).
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
        let wait = Duration::from_millis(WAIT_MS.load(Ordering::Relaxed));
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(StoreLock { file }),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::io(format!(
                        "another process has held {} for {} s",
                        path.display(),
                        wait.as_secs()
                    ))
                    .hint("find it with `fuser` or `lsof` on that file; codexa appends take milliseconds"));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(
                        Error::io(format!("could not lock {}", path.display())).caused_by(e)
                    );
                }
            }
        }
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}
