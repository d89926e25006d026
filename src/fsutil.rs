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
    let tmp = temp_beside(path);
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

/// A fresh temporary name beside `path`, for a file opened only if nothing
/// is there: a file or symlink planted at a guessable (pid-based) name must
/// not be written through.
fn temp_beside(path: &Path) -> std::path::PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nonce = ulid::Ulid::generate().random();
    dir.join(format!(".{name}.tmp-{}-{nonce:x}", std::process::id()))
}

/// Replace a cache file, so a reader sees the old bytes or the new, never
/// half; no fsync, because a cache lost in a crash is rebuilt (the store's
/// `cache/`), and a reader of one treats bytes it cannot parse as no cache.
/// The folder is created when missing.
///
/// The new file is swapped with the old one (`renameat2` with
/// `RENAME_EXCHANGE`) and the old one then removed, rather than renamed
/// over it: ext4 writes a file out before renaming it over another (so
/// that a crash after the rename keeps one of the two), which costs a
/// block write on every replacement, about 150 µs on the machines
/// measured, on the path of every hook. A swap is atomic for readers all
/// the same; what a crash can leave is an empty cache file, which reads
/// as no cache. A file whose loss to a crash matters uses
/// [`replace_by_rename`].
pub fn replace_cache_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace_with(path, bytes, true)
}

/// Replace a file by renaming a new one over it, without fsync: readers
/// see the old bytes or the new, and on ext4 (which writes the new file out
/// before such a rename) so does a crash, at the price of that write.
pub fn replace_by_rename(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace_with(path, bytes, false)
}

fn replace_with(path: &Path, bytes: &[u8], swap: bool) -> std::io::Result<()> {
    let tmp = temp_beside(path);
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
    };
    let mut file = match create() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
            create()?
        }
        other => other?,
    };
    let placed = file.write_all(bytes).and_then(|()| {
        drop(file);
        if swap {
            swap_into_place(&tmp, path)
        } else {
            std::fs::rename(&tmp, path).map(|()| Placed::Renamed)
        }
    });
    match placed {
        Ok(Placed::Renamed) => Ok(()),
        // After a swap the temporary name holds what was there before.
        Ok(Placed::Swapped) => match std::fs::remove_file(&tmp) {
            // A folder where the file belongs was swapped aside: put it
            // back and fail as a rename over it would have.
            Err(e) if std::fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_dir()) => {
                let _ = swap_into_place(&tmp, path);
                let _ = std::fs::remove_file(&tmp);
                Err(std::io::Error::new(
                    e.kind(),
                    format!("{} is a folder", path.display()),
                ))
            }
            _ => Ok(()),
        },
        // After a failure the temporary name holds the new bytes.
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

enum Placed {
    Swapped,
    Renamed,
}

/// Put `from` at `to`: swapped with what is there, or renamed when nothing
/// is there or the file system cannot swap.
fn swap_into_place(from: &Path, to: &Path) -> std::io::Result<Placed> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, from, CWD, to, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(Placed::Swapped),
            Err(Errno::NOENT | Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    std::fs::rename(from, to).map(|()| Placed::Renamed)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_cache_file_is_created_then_replaced_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/folder/head.json");
        replace_cache_file(&path, b"first").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        replace_cache_file(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        replace_cache_file(&path, b"3").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"3");
        assert_eq!(names(path.parent().unwrap()), ["head.json"]);
    }

    /// A reader that opened the old file keeps reading the old bytes whole:
    /// the new ones arrive as another file, never over the old one.
    #[test]
    fn a_reader_of_the_old_file_is_not_written_under() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c");
        replace_cache_file(&path, b"old bytes").unwrap();
        let mut open = std::fs::File::open(&path).unwrap();
        replace_cache_file(&path, b"new").unwrap();
        let mut seen = String::new();
        open.read_to_string(&mut seen).unwrap();
        assert_eq!(seen, "old bytes");
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    /// A symlink where the cache file should be is replaced, not followed.
    #[test]
    fn a_symlink_in_the_files_place_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, b"keep").unwrap();
        let path = dir.path().join("c");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        replace_cache_file(&path, b"cache").unwrap();
        assert_eq!(std::fs::read(&elsewhere).unwrap(), b"keep");
        assert!(!std::fs::symlink_metadata(&path).unwrap().is_symlink());
        assert_eq!(std::fs::read(&path).unwrap(), b"cache");
        assert_eq!(names(dir.path()), ["c", "elsewhere"]);
    }

    /// A folder where the cache file belongs stays where it is, and the
    /// replacement fails, as a rename over it would.
    #[test]
    fn a_folder_in_the_files_place_is_left_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"x").unwrap();
        assert!(replace_cache_file(&path, b"cache").is_err());
        assert_eq!(std::fs::read(path.join("inside")).unwrap(), b"x");
        assert_eq!(names(dir.path()), ["c"]);
    }
}
