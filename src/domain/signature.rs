//! SSH signatures on approval decisions: signing with the person's key and
//! checking against `.codexa/allowed_signers`, both through `ssh-keygen -Y`
//! as git's SSH commit signing does, under a namespace of codexa's own so a
//! signature made for git (or anything else) never counts here.
//!
//! Checking runs on the agent hook's path, so `ssh-keygen` gets a bounded
//! wait. A failed check is cached on disk, keyed by what decides it (the
//! message, the signature, the allowed signers' bytes), so a planted
//! decision costs one process, not one per hook. A check that passed is
//! never taken from the cache: the cache sits in the git directory, which
//! the agents' user can write, and a file saying "good" would be a
//! signature anyone could make. The key's time of validity is judged at
//! the signed time (`verify-time`), so an outcome never changes with the
//! clock.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::config::ApprovalsConfig;
use crate::error::{Error, Result};
use crate::store::Store;

/// The `-n` namespace every codexa signature is made and checked under.
pub const NAMESPACE: &str = "codexa-approval@v1";
/// Who may sign, relative to the work dir (git's allowed-signers format).
pub const ALLOWED_SIGNERS: &str = ".codexa/allowed_signers";

/// A check runs on the agent hook's path: past this it counts as not
/// verified (and is not cached), rather than holding the agent up.
const VERIFY_TIMEOUT: Duration = Duration::from_millis(1000);
/// All the checks one command makes, together: many unchecked decisions
/// (planted, say) cannot add up to a hook that misses its answer.
const CHECKS_BUDGET: Duration = Duration::from_millis(2000);
/// Signing may wait for a person typing a passphrase or confirming a use of
/// their key in ssh-agent (`ssh-add -c`).
const SIGN_TIMEOUT: Duration = Duration::from_secs(120);

/// `approvals:` in the resolved config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Decisions count only when signed by a listed key.
    pub require: bool,
    /// `approvals.signing_key`, as written.
    pub signing_key: Option<String>,
}

impl Settings {
    pub fn from_config(approvals: &ApprovalsConfig) -> Settings {
        Settings {
            require: approvals.require_signature,
            signing_key: approvals
                .signing_key
                .as_deref()
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string),
        }
    }
}

/// The person's key and the principal their signatures are checked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// A private key file, or a public one whose private half ssh-agent
    /// holds (as git's `user.signingKey` may name either).
    pub key: PathBuf,
    /// Where the key was named, for messages.
    pub key_from: &'static str,
    /// git's `user.email`, the principal git's SSH signing uses too.
    pub principal: String,
}

const KEY_HINT: &str = "make a key with `ssh-keygen -t ed25519` and name it: `git config user.signingKey ~/.ssh/id_ed25519.pub`, or `approvals.signing_key` in your user config (~/.config/codexa/config.yaml)";

fn git_string(store: &Store, key: &str) -> Option<String> {
    store
        .repo()
        .ok()?
        .config()
        .ok()?
        .get_string(key)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `~/x` under `$HOME`; other relative paths under the work dir.
fn expand(path: &str, workdir: &Path) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    let p = PathBuf::from(path);
    if p.is_absolute() { p } else { workdir.join(p) }
}

/// Who signs from this shell: the key from `approvals.signing_key`, else
/// git's `user.signingKey`, and git's `user.email`.
pub fn signer(store: &Store, settings: &Settings) -> Result<Signer> {
    let (named, key_from) = match &settings.signing_key {
        Some(k) => (k.clone(), "approvals.signing_key"),
        None => match git_string(store, "user.signingkey") {
            Some(k) => (k, "git's user.signingKey"),
            None => {
                return Err(Error::user(
                    "no SSH key to sign approval decisions with (approvals.require_signature is on)",
                )
                .hint(KEY_HINT));
            }
        },
    };
    if named.starts_with("key::") {
        return Err(Error::user(format!(
            "{key_from} is a literal key (`key::…`); codexa signs with a key file"
        ))
        .hint(KEY_HINT));
    }
    let key = expand(&named, &store.workdir);
    if !key.is_file() {
        return Err(Error::user(format!(
            "{key_from} names `{named}`, which is not a key file ({})",
            key.display()
        ))
        .hint(KEY_HINT));
    }
    let principal = git_string(store, "user.email").ok_or_else(|| {
        Error::user("git has no user.email: signed decisions name the signer by it")
            .hint("set it: `git config --global user.email you@example.com`")
    })?;
    Ok(Signer {
        key,
        key_from,
        principal,
    })
}

/// A folder only this user can read, removed when dropped: the message,
/// signature and allowed signers handed to `ssh-keygen`.
struct PrivateDir {
    path: PathBuf,
    /// Numbers the output files of each run, so runs never share one.
    runs: std::cell::Cell<u32>,
}

impl PrivateDir {
    fn new() -> Result<PrivateDir> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut last = None;
        for n in 0..16u32 {
            let dir = base.join(format!("codexa-sig-{}-{nanos:08x}-{n}", std::process::id()));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => {
                    return Ok(PrivateDir {
                        path: dir,
                        runs: std::cell::Cell::new(0),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => {
                    return Err(Error::io(format!(
                        "could not make a private folder in {}",
                        base.display()
                    ))
                    .caused_by(e)
                    .hint("check that $TMPDIR exists and is writable"));
                }
            }
        }
        Err(Error::io("could not make a private temporary folder")
            .caused_by(last.unwrap_or_else(|| std::io::Error::other("name taken"))))
    }

    fn file(&self, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.path.join(name);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| Error::io(format!("could not write {}", path.display())).caused_by(e))?;
        f.write_all(bytes)
            .map_err(|e| Error::io(format!("could not write {}", path.display())).caused_by(e))?;
        Ok(path)
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// How one run of `ssh-keygen` ended.
enum Run {
    Done {
        status: ExitStatus,
        stdout: String,
        stderr: String,
    },
    /// Not installed (or not startable).
    Missing(String),
    /// Killed at the deadline.
    TimedOut,
}

/// Run `ssh-keygen ARGS` with stdin from `input`, waiting at most
/// `timeout`. Output goes to files in `dir`, so a chatty child can never
/// block on a full pipe while we wait.
fn ssh_keygen(
    dir: &PrivateDir,
    args: &[&std::ffi::OsStr],
    input: &Path,
    timeout: Duration,
) -> Result<Run> {
    let open = |p: &Path| {
        std::fs::File::open(p)
            .map_err(|e| Error::io(format!("could not open {}", p.display())).caused_by(e))
    };
    let run = dir.runs.get() + 1;
    dir.runs.set(run);
    let out_path = dir.file(&format!("stdout-{run}"), b"")?;
    let err_path = dir.file(&format!("stderr-{run}"), b"")?;
    let out_file = std::fs::OpenOptions::new()
        .write(true)
        .open(&out_path)
        .map_err(|e| Error::io("could not open ssh-keygen's output").caused_by(e))?;
    let err_file = std::fs::OpenOptions::new()
        .write(true)
        .open(&err_path)
        .map_err(|e| Error::io("could not open ssh-keygen's output").caused_by(e))?;
    let Some(program) = trusted_ssh_keygen() else {
        return Ok(Run::Missing(
            "no ssh-keygen on PATH in a folder only root can write".into(),
        ));
    };
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::from(open(input)?))
        .stdout(Stdio::from(out_file))
        .stderr(Stdio::from(err_file))
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Ok(Run::Missing(e.to_string())),
    };
    let started = Instant::now();
    // ssh-keygen answers in about 5 ms: poll finely, so the wait adds
    // little to it, and coarser only for a person typing a passphrase.
    let mut step = Duration::from_micros(250);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(Run::TimedOut);
            }
            Ok(None) => {
                std::thread::sleep(step);
                step = (step * 2).min(if timeout > VERIFY_TIMEOUT {
                    Duration::from_millis(20)
                } else {
                    Duration::from_millis(2)
                });
            }
            Err(e) => return Err(Error::io("could not wait for ssh-keygen").caused_by(e)),
        }
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Ok(Run::Done {
        status,
        stdout: read(&out_path),
        stderr: read(&err_path),
    })
}

/// ssh-keygen's own words, without the lines that only announce work.
fn said(stderr: &str) -> String {
    stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Signing data on standard input"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Sign `message` with `signer`'s key; the armored `SSH SIGNATURE`.
pub fn sign(signer: &Signer, message: &[u8]) -> Result<String> {
    let dir = PrivateDir::new()?;
    let input = dir.file("message", message)?;
    let args: [&std::ffi::OsStr; 6] = [
        "-Y".as_ref(),
        "sign".as_ref(),
        "-f".as_ref(),
        signer.key.as_os_str(),
        "-n".as_ref(),
        NAMESPACE.as_ref(),
    ];
    match ssh_keygen(&dir, &args, &input, SIGN_TIMEOUT)? {
        Run::Done { status, stdout, .. }
            if status.success() && stdout.contains("BEGIN SSH SIGNATURE") =>
        {
            Ok(stdout)
        }
        Run::Done { stderr, .. } => Err(Error::user(format!(
            "ssh-keygen could not sign with {} (from {}): {}",
            signer.key.display(),
            signer.key_from,
            said(&stderr)
        ))
        .hint("check the key file; a key held in ssh-agent needs `ssh-add` first, a passphrase needs a terminal")),
        Run::Missing(e) => Err(Error::user(format!(
            "ssh-keygen is needed to sign approval decisions and could not be run: {e}"
        ))
        .hint("install OpenSSH's client tools (e.g. `apt-get install openssh-client`)")),
        Run::TimedOut => Err(Error::user(format!(
            "ssh-keygen did not sign within {} s",
            SIGN_TIMEOUT.as_secs()
        ))
        .hint("answer ssh-agent's confirmation or the passphrase prompt, then decide again")),
    }
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub verified: bool,
    /// Why, in words: `signed by …`, or what is wrong.
    pub reason: String,
}

impl Check {
    fn bad(reason: impl Into<String>) -> Check {
        Check {
            verified: false,
            reason: reason.into(),
        }
    }
}

/// One signature to check: the exact bytes signed, the armored signature,
/// the principal it claims and when it was made (RFC 3339).
pub struct Signed<'a> {
    pub message: &'a [u8],
    pub signature: &'a str,
    pub principal: &'a str,
    pub signed_at: &'a str,
}

/// Checks signatures against one work tree's allowed signers, caching the
/// outcomes in the store's cache.
pub struct Verifier {
    allowed_path: PathBuf,
    cache_dir: PathBuf,
    /// The allowed signers' bytes, read at the first check (`None`: no file).
    allowed: std::sync::OnceLock<Option<Vec<u8>>>,
    /// When `CHECKS_BUDGET` runs out, from the first run of ssh-keygen.
    deadline: std::sync::OnceLock<Instant>,
}

impl Verifier {
    pub fn new(store: &Store) -> Verifier {
        Verifier {
            allowed_path: store.workdir.join(ALLOWED_SIGNERS),
            cache_dir: store.cache_dir().join("signatures"),
            allowed: std::sync::OnceLock::new(),
            deadline: std::sync::OnceLock::new(),
        }
    }

    /// How long the next run of ssh-keygen may take: what is left of this
    /// command's checks, a second at most on the hook's path (which has a
    /// deadline of its own to keep), the whole of it for a person's command
    /// on a busy machine.
    fn time_left(&self) -> Duration {
        let now = Instant::now();
        let deadline = *self.deadline.get_or_init(|| now + CHECKS_BUDGET);
        let left = deadline.saturating_duration_since(now);
        match crate::budget::deadline() {
            Some(_) => crate::budget::cap(left.min(VERIFY_TIMEOUT)),
            None => left,
        }
    }

    fn allowed(&self) -> Option<&[u8]> {
        self.allowed
            .get_or_init(|| std::fs::read(&self.allowed_path).ok())
            .as_deref()
    }

    /// Does `s` verify for its principal against the allowed signers?
    pub fn check(&self, s: &Signed) -> Check {
        let Some(allowed) = self.allowed() else {
            return Check::bad(format!(
                "no {ALLOWED_SIGNERS} to check the signature against"
            ));
        };
        let Some(when) = verify_time(s.signed_at) else {
            return Check::bad("the signature's time is missing or not a time");
        };
        if s.principal.is_empty() || s.principal.contains(['\n', '\r', '\0']) {
            return Check::bad("the signature names no signer");
        }
        let key = cache_key(s, allowed);
        let cached = self.cache_dir.join(&key);
        if let Some(hit) = read_cached(&cached) {
            return hit;
        }
        match self.run_check(s, allowed, &when) {
            Ok(Some(check)) => {
                // Best effort: a cache that cannot be written only means
                // checking again next time.
                if !check.verified {
                    let text = format!("bad\n{}\n", check.reason);
                    let _ = crate::fsutil::replace_cache_file(&cached, text.as_bytes());
                }
                check
            }
            Ok(None) => Check::bad(
                "ssh-keygen did not answer in time (this command's checks are bounded), so the signature could not be checked",
            ),
            Err(e) => Check::bad(e.message().to_string()),
        }
    }

    /// `Ok(None)` when ssh-keygen ran out of time: no outcome to cache.
    fn run_check(&self, s: &Signed, allowed: &[u8], when: &str) -> Result<Option<Check>> {
        let dir = PrivateDir::new()?;
        let message = dir.file("message", s.message)?;
        let sig = dir.file("signature", s.signature.as_bytes())?;
        let signers = dir.file("allowed_signers", allowed)?;
        let time = format!("verify-time={when}");
        let args: [&std::ffi::OsStr; 12] = [
            "-Y".as_ref(),
            "verify".as_ref(),
            "-f".as_ref(),
            signers.as_os_str(),
            "-I".as_ref(),
            s.principal.as_ref(),
            "-n".as_ref(),
            NAMESPACE.as_ref(),
            "-s".as_ref(),
            sig.as_os_str(),
            "-O".as_ref(),
            time.as_ref(),
        ];
        let left = self.time_left();
        if left.is_zero() {
            return Ok(None);
        }
        match ssh_keygen(&dir, &args, &message, left)? {
            Run::Done { status, .. } if status.success() => Ok(Some(Check {
                verified: true,
                reason: format!("signed by {}", s.principal),
            })),
            Run::Done { .. } => self.why_not(&dir, s, &signers, &sig),
            Run::Missing(e) => Err(Error::user(format!(
                "ssh-keygen could not be run to check the signature: {e}"
            ))),
            Run::TimedOut => Ok(None),
        }
    }

    /// A failed check, explained: whose key signed, if the allowed signers
    /// know it at all.
    fn why_not(
        &self,
        dir: &PrivateDir,
        s: &Signed,
        signers: &Path,
        sig: &Path,
    ) -> Result<Option<Check>> {
        let empty = dir.file("empty", b"")?;
        let args: [&std::ffi::OsStr; 6] = [
            "-Y".as_ref(),
            "find-principals".as_ref(),
            "-f".as_ref(),
            signers.as_os_str(),
            "-s".as_ref(),
            sig.as_os_str(),
        ];
        let left = self.time_left();
        if left.is_zero() {
            return Ok(None);
        }
        let reason = match ssh_keygen(dir, &args, &empty, left)? {
            Run::Done { status, stdout, .. } if status.success() => {
                let listed: Vec<&str> = stdout
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                if listed.contains(&s.principal) {
                    "the signature does not match this decision (made for another approval or decision, or altered)".to_string()
                } else {
                    format!(
                        "signed by a key {ALLOWED_SIGNERS} lists for {}, not for {}",
                        listed.join(", "),
                        s.principal
                    )
                }
            }
            Run::Done { stderr, .. } if stderr.contains("No principal matched") => {
                format!("the key that signed is not listed in {ALLOWED_SIGNERS}")
            }
            Run::Done { stderr, .. } => {
                format!("the signature does not verify ({})", said(&stderr))
            }
            Run::Missing(e) => {
                return Err(Error::user(format!("ssh-keygen could not be run: {e}")));
            }
            Run::TimedOut => return Ok(None),
        };
        Ok(Some(Check::bad(reason)))
    }
}

/// `YYYYMMDDHHMMSSZ`, ssh-keygen's form, of an RFC 3339 time.
fn verify_time(rfc3339: &str) -> Option<String> {
    let ts: jiff::Timestamp = rfc3339.parse().ok()?;
    Some(ts.strftime("%Y%m%d%H%M%SZ").to_string())
}

/// The cache file's name: sha256 over every input of the check, each
/// length-prefixed so no two sets of inputs run together the same way.
fn cache_key(s: &Signed, allowed: &[u8]) -> String {
    let mut h = Sha256::new();
    for part in [
        NAMESPACE.as_bytes(),
        s.message,
        s.signature.as_bytes(),
        s.principal.as_bytes(),
        s.signed_at.as_bytes(),
        allowed,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    hex::encode(h.finalize())
}

/// A failed check from the cache (only failures are kept: see the module's
/// comment).
fn read_cached(path: &Path) -> Option<Check> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != "bad" {
        return None;
    }
    Some(Check {
        verified: false,
        reason: lines.next().unwrap_or_default().to_string(),
    })
}

/// The `ssh-keygen` to trust with a check: the first on PATH whose file
/// and folder are root's and writable by nobody else. One in a folder the
/// agents' user can write (`~/.local/bin`, a folder put first on PATH for
/// one command) could answer "verified" for anything.
pub(crate) fn trusted_ssh_keygen() -> Option<PathBuf> {
    #[cfg(unix)]
    fn root_only(p: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).is_ok_and(|m| m.uid() == 0 && m.mode() & 0o022 == 0)
    }
    #[cfg(not(unix))]
    fn root_only(_: &Path) -> bool {
        true
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| dir.is_absolute() && root_only(dir))
        .map(|dir| dir.join("ssh-keygen"))
        .find(|file| file.is_file() && root_only(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_time_is_ssh_keygens_form() {
        assert_eq!(
            verify_time("2026-01-01T10:20:30.456Z").as_deref(),
            Some("20260101102030Z")
        );
        assert_eq!(verify_time("soon"), None);
    }

    #[test]
    fn cache_keys_separate_their_inputs() {
        let s = |m: &'static [u8], sig: &'static str| Signed {
            message: m,
            signature: sig,
            principal: "a@b",
            signed_at: "2026-01-01T00:00:00.000Z",
        };
        assert_ne!(
            cache_key(&s(b"ab", "c"), b""),
            cache_key(&s(b"a", "bc"), b"")
        );
        assert_ne!(
            cache_key(&s(b"a", "b"), b"x"),
            cache_key(&s(b"a", "b"), b"y")
        );
        assert_eq!(
            cache_key(&s(b"a", "b"), b"x"),
            cache_key(&s(b"a", "b"), b"x")
        );
    }

    #[test]
    fn settings_default_to_off() {
        assert_eq!(
            Settings::from_config(&crate::config::defaults().approvals),
            Settings::default()
        );
        let on = crate::config::Config::from_value(serde_json::json!({
            "approvals": {"require_signature": true, "signing_key": " ~/.ssh/k "}
        }))
        .unwrap();
        let on = Settings::from_config(&on.approvals);
        assert!(on.require);
        assert_eq!(on.signing_key.as_deref(), Some("~/.ssh/k"));
    }
}
