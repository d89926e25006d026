//! The library's one error type: what went wrong, in words a user can act on,
//! plus an optional hint (a command to run, a file to fix). The CLI renders it
//! as `Error:` / `Caused by:` / `Hint:`; nothing here knows about terminals.

use std::fmt;

/// What kind of failure this is; the CLI maps kinds to exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad input or a precondition the user can fix (exit 1).
    User,
    /// Something asked for does not exist (exit 1).
    NotFound,
    /// The event log or a published branch failed verification (exit 1).
    Integrity,
    /// An I/O, git or database failure (exit 1).
    Io,
    /// Refused by a governance guard (exit 3); the refusal was recorded.
    Blocked,
    /// The state moved or does not allow it (exit 6): a lease token that
    /// is no longer current, a transition the run's status forbids, no run
    /// to claim. Nothing was changed; look again before retrying.
    Conflict,
    /// A bug in codexa itself, such as an embedded schema that does not
    /// compile or a built-in template that does not parse (exit 70): the
    /// hint asks for a bug report.
    Internal,
}

#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    /// Already told to the user in the command's own output (say, as JSON
    /// on stdout): only the exit code is left to give.
    reported: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
            source: None,
            reported: false,
        }
    }

    pub fn user(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::User, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    pub fn integrity(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Integrity, message)
    }

    pub fn io(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Io, message)
    }

    pub fn blocked(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Blocked, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    /// A bug in codexa, not in what the user gave it; the hint asks for a
    /// report with the command and its output ([`Error::report_with`] names
    /// something else to attach).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message).report_with("the command you ran and this output")
    }

    /// For a bug: what a report of it should include.
    pub fn report_with(self, what: &str) -> Self {
        self.hint(format!(
            "this is a bug in codexa {}; please report it with {what}",
            env!("CARGO_PKG_VERSION")
        ))
    }

    /// Attach a hint: what the user should do next.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach the underlying cause.
    pub fn caused_by(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Mark the error as already told to the user by the command's own
    /// output, so the command line only exits with its kind's code.
    pub fn reported(mut self) -> Self {
        self.reported = true;
        self
    }

    pub fn is_reported(&self) -> bool {
        self.reported
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn hint_text(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// True when the root cause is a closed stdout (`codexa … | head`).
    pub fn is_broken_pipe(&self) -> bool {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = self
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(e) = cur {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return true;
            }
            cur = e.source();
        }
        false
    }

    /// The headline (always there), then each cause below it, every text
    /// said once: what the CLI prints as `Error:` and `Caused by:` lines
    /// (see `said_once`).
    pub fn lines(&self) -> Vec<String> {
        said_once(&texts(self))
    }
}

/// `error` and its causes, each as its own text.
fn texts(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    std::iter::successors(Some(error), |e| e.source())
        .map(ToString::to_string)
        .collect()
}

/// An error chain's texts with each said once. Errors often repeat their
/// cause: an `io::Error` wrapping another error shows that error's text, so
/// a chain can hold the same text twice in a row; and an error whose text
/// ends in `: <its cause>` says the cause that is also printed below it. A
/// line's tail that a later line says is cut, and a line already said is
/// left out.
fn said_once(texts: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let mut line = text.as_str();
        for later in &texts[i + 1..] {
            if let Some(head) = line
                .strip_suffix(later.as_str())
                .and_then(|h| h.strip_suffix(": "))
            {
                line = head;
            }
        }
        // The headline stays, whatever it says: it is the first line.
        if i == 0 || (!line.is_empty() && !lines.iter().any(|l| l == line)) {
            lines.push(line.to_string());
        }
    }
    lines
}

/// An error and its causes on one line, `what: why: why`, each said once:
/// for messages that are a single line (a doctor finding, a hook's reason).
pub fn chain_text(error: &(dyn std::error::Error + 'static)) -> String {
    said_once(&texts(error)).join(": ")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        // fs_err's errors say what was being done and to which path, and
        // have the operating system's error as their cause. The message
        // holds both, for callers that show only the message; printed, the
        // headline is what and where, and the reason is the cause below it.
        let message = chain_text(&e);
        Error::io(message).caused_by(e)
    }
}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::io(format!("git: {}", e.message())).caused_by(e)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let busy = matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        let hint = if busy {
            "another codexa process held the index too long; retry"
        } else {
            "run `codexa index rebuild`; the index is a cache and is rebuilt from the log"
        };
        Error::io("the event index (SQLite) failed")
            .hint(hint)
            .caused_by(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(texts: &[&str]) -> Vec<String> {
        texts.iter().map(ToString::to_string).collect()
    }

    /// A real failure through `?`: the headline is what was being done and
    /// to which path, the cause is the system's reason, each said once; the
    /// message alone still holds both.
    #[test]
    fn an_io_error_says_what_and_where_then_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.yaml");
        let why = std::fs::read(&path).unwrap_err().to_string();
        let e = Error::from(fs_err::read(&path).unwrap_err());
        let what = format!("failed to open file `{}`", path.display());
        assert_eq!(e.lines(), [what.clone(), why.clone()]);
        assert_eq!(e.message(), format!("{what}: {why}"));
        assert_eq!(chain_text(&e), format!("{what}: {why}"));
    }

    /// An error of codexa's own over an I/O error: three lines, none
    /// repeated.
    #[test]
    fn a_cause_under_a_headline_keeps_its_own_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("message.md");
        let e = Error::user("could not read the message from message.md")
            .caused_by(fs_err::read_to_string(&path).unwrap_err());
        let lines = e.lines();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0], "could not read the message from message.md");
        assert!(lines[1].starts_with("failed to open file `"), "{lines:?}");
    }

    #[test]
    fn chains_that_repeat_themselves_are_said_once() {
        // An io::Error wrapping an error shows its text again.
        assert_eq!(said_once(&owned(&["A", "A"])), ["A"]);
        // An error whose text ends with its cause's says it below only.
        assert_eq!(said_once(&owned(&["git: x: y", "y"])), ["git: x", "y"]);
        assert_eq!(said_once(&owned(&["A: B", "A", "B"])), ["A", "B"]);
        assert_eq!(
            said_once(&owned(&["A: B: C", "B: C", "C"])),
            ["A", "B", "C"]
        );
        // Nothing repeated: all kept, in order.
        assert_eq!(
            said_once(&owned(&["could not read x", "A: B"])),
            ["could not read x", "A: B"]
        );
    }
}
