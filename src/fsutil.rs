//! Small file-system helpers every writer of `.codexa/` and the store uses.

use std::io::Write;
use std::path::Path;

use crate::error::Result;

/// Replace `path` with `bytes` atomically: a temporary file in the same
/// folder, written and fsynced, then renamed over the target and the folder
/// fsynced. A crash leaves either the old or the new file, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs_err::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A fresh name, opened only if nothing is there: a file or symlink
    // planted at a guessable name (pid-based) must not be written through.
    let nonce = ulid::Ulid::generate().random();
    let tmp = dir.join(format!(".{name}.tmp-{}-{nonce:x}", std::process::id()));
    {
        let mut f = fs_err::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    if let Err(e) = fs_err::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    sync_dir(dir);
    Ok(())
}

/// `write_atomic`, unless `path` already holds exactly `bytes`: generated
/// files (manifests, seeds, snapshots) are rewritten only when they change,
/// so a rerun leaves their times and git status alone. True when written.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    write_atomic(path, bytes)?;
    Ok(true)
}

/// Replace a cache file: a temporary file beside it renamed over it, so a
/// reader sees the old bytes or the new, never half; no fsync, because a
/// cache lost in a crash is rebuilt (the store's `cache/`). The folder is
/// created when missing.
pub fn replace_cache_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// fsync a directory so a new or renamed entry survives a crash. Failure is
/// ignored: some file systems refuse to open directories for sync.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Lowercase hex sha256 of `bytes`, prefixed `sha256:` as the envelope uses.
pub fn sha256_tagged(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

/// Open `path` for reading only if it is a regular file, without waiting:
/// a FIFO opened plainly would block until something writes to it, and a
/// device (`/dev/zero`) never ends.
pub fn open_regular(path: &Path) -> std::io::Result<fs_err::File> {
    use fs_err::os::unix::fs::OpenOptionsExt;
    let file = fs_err::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}
