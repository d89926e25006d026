//! What codexa's exit codes mean, in one place. Commands return an
//! [`ExitStatus`] and errors map to one by their kind; the numbers are
//! written only here (and documented in `--help` and the README), so a
//! script that branches on them can rely on each keeping its meaning.

use std::process::ExitCode;

use crate::ErrorKind;

/// How a command ended, as its exit code tells a shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// It did what was asked (0).
    Success,
    /// Bad input, a failed check, an I/O or git error (1).
    Failure,
    /// The command line itself was wrong; `ask`: no phrase matches (2).
    Usage,
    /// Refused by governance: a guard on posts, or the push gate; the
    /// refusal was recorded (3).
    Blocked,
    /// `policy eval`: the action needs a person's approval (4).
    RequireApproval,
    /// `policy eval`: the action is denied (5).
    Deny,
    /// The run's state does not allow it now: a stale lease token, a
    /// transition its status forbids, nothing to claim (6).
    Conflict,
    /// A bug in codexa itself (70, sysexits' EX_SOFTWARE).
    Internal,
    /// `wait`: the pane did not reach the state in time (124, as
    /// `timeout(1)`).
    TimedOut,
    /// Another program's exit code, passed on as it is: the command `ask`
    /// ran, or the pre-push hook that was there before codexa's.
    External(u8),
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Blocked => 3,
            ExitStatus::RequireApproval => 4,
            ExitStatus::Deny => 5,
            ExitStatus::Conflict => 6,
            ExitStatus::Internal => 70,
            ExitStatus::TimedOut => 124,
            ExitStatus::External(code) => code,
        }
    }

    /// A program's status, passed on; one killed by a signal (no code) is
    /// a failure.
    pub fn of_child(status: std::process::ExitStatus) -> ExitStatus {
        status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .map_or(ExitStatus::Failure, ExitStatus::External)
    }
}

/// The one place an error's kind becomes an exit status.
impl From<ErrorKind> for ExitStatus {
    fn from(kind: ErrorKind) -> ExitStatus {
        match kind {
            ErrorKind::User | ErrorKind::NotFound | ErrorKind::Integrity | ErrorKind::Io => {
                ExitStatus::Failure
            }
            ErrorKind::Blocked => ExitStatus::Blocked,
            ErrorKind::Conflict => ExitStatus::Conflict,
            ErrorKind::Internal => ExitStatus::Internal,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scripts branch on these: each code means one thing, and `--help`
    /// says what.
    #[test]
    fn codes_are_distinct_and_documented() {
        let all = [
            ExitStatus::Success,
            ExitStatus::Failure,
            ExitStatus::Usage,
            ExitStatus::Blocked,
            ExitStatus::RequireApproval,
            ExitStatus::Deny,
            ExitStatus::Conflict,
            ExitStatus::Internal,
            ExitStatus::TimedOut,
        ];
        let codes: std::collections::BTreeSet<u8> = all.iter().map(|s| s.code()).collect();
        assert_eq!(codes.len(), all.len());
        let help = super::super::QUICK_START.replace('\n', " ");
        for code in codes {
            assert!(
                help.contains(&format!(": {code} ")) || help.contains(&format!("; {code} ")),
                "exit code {code} is not in the --help epilogue: {help}"
            );
        }
    }

    #[test]
    fn kinds_map_to_their_codes() {
        assert_eq!(ExitStatus::from(ErrorKind::Io).code(), 1);
        assert_eq!(ExitStatus::from(ErrorKind::Blocked).code(), 3);
        assert_eq!(ExitStatus::from(ErrorKind::Conflict).code(), 6);
        assert_eq!(ExitStatus::from(ErrorKind::Internal).code(), 70);
    }
}
