//! A job's file, `<store>/cache/trigger/jobs/<job>.json`: the prompt as it
//! is to be typed (the log holds it redacted), and how far the job got.
//! The process running a job holds a lock on `<job>.lock` for as long as it
//! runs it: `trigger drain` takes only jobs whose lock it can take, so a job
//! is run by one process at a time, and one left behind by a crash (the
//! lock goes with its process) is finished by the next drain.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Pending,
    /// Text was typed into the pane: a process taking the job over looks
    /// for it there before typing anything again.
    Typed,
    Delivered,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub target: String,
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    pub requested_by: String,
    /// The requester is an agent (else a person): the job's events are
    /// theirs, whichever process runs it (a worker cut loose from the
    /// requester's tree, a person's drain).
    #[serde(default)]
    pub requested_by_agent: bool,
    pub requested_ms: i64,
    pub state: JobState,
    /// Where the evidence stood before Enter, once typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<super::evidence::Mark>,
}

impl Job {
    /// Who the job's events are recorded as: its requester.
    pub fn requester(&self, config: &crate::config::Config) -> crate::domain::identity::Speaker {
        use crate::domain::identity::{Speaker, participant};
        match participant(config, &self.requested_by) {
            Some(s) if s.is_agent() == self.requested_by_agent => s,
            _ if self.requested_by_agent => Speaker::agent(&self.requested_by, None),
            _ => Speaker::person(&self.requested_by),
        }
    }

    pub fn finished(&self) -> bool {
        matches!(self.state, JobState::Delivered | JobState::Failed)
    }
}

fn dir(store: &Store) -> PathBuf {
    store.cache_dir().join("trigger/jobs")
}

fn path(store: &Store, id: &str) -> PathBuf {
    dir(store).join(format!("{id}.json"))
}

pub fn save(store: &Store, job: &Job) -> Result<()> {
    fs_err::create_dir_all(dir(store))?;
    let bytes = serde_json::to_vec_pretty(job).unwrap_or_default();
    crate::fsutil::write_atomic(&path(store, &job.id), &bytes)?;
    Ok(())
}

/// A job by id; a clear error when there is none.
pub fn load(store: &Store, id: &str) -> Result<Job> {
    let bytes = std::fs::read(path(store, id)).map_err(|_| {
        Error::not_found(format!("no trigger job {id} on this machine"))
            .hint("`codexa trigger list` shows the jobs")
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::user(format!("{}: {e}", path(store, id).display())))
}

/// Every job on this machine, oldest first.
pub fn all(store: &Store) -> Vec<Job> {
    let Ok(entries) = std::fs::read_dir(dir(store)) else {
        return Vec::new();
    };
    let mut jobs: Vec<Job> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .filter_map(|e| serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok())
        .collect();
    jobs.sort_by(|a, b| (a.requested_ms, &a.id).cmp(&(b.requested_ms, &b.id)));
    jobs
}

/// The job's lock if no other process holds it, held until dropped.
pub fn try_own(store: &Store, id: &str) -> Result<Option<std::fs::File>> {
    let p = dir(store).join(format!("{id}.lock"));
    let f = crate::store::lock::open(&p)?;
    match f.try_lock() {
        Ok(()) => Ok(Some(f)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Error::io(format!("cannot lock {}", p.display())).caused_by(e))
        }
    }
}

/// Start `codexa trigger drain --job JOB` in a process group of its own,
/// detached from this one: it delivers the job while the caller returns.
pub fn start_worker(cwd: &std::path::Path, id: &str) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe()
        .map_err(|e| Error::io("cannot find codexa's own program").caused_by(e))?;
    std::process::Command::new(exe)
        .args(["trigger", "drain", "--job", id])
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| Error::io("cannot start the trigger worker").caused_by(e))?;
    Ok(())
}

/// Whether the log vouches for `job` as a job to run: it holds the
/// `trigger.requested` the job claims (same target and prompt, as the log
/// keeps it: redacted) and no outcome for it yet. A job file is in a folder
/// any process of this user can write; only a request that passed the gate
/// is in the log (scripts may not append `trigger.requested`), so a job
/// without one was not asked for through codexa, and one the log shows
/// finished is not run again whatever its file says.
pub fn on_record(ws: &crate::workspace::Workspace, job: &Job) -> Result<bool> {
    let index = crate::store::index::Index::open(&ws.store)?;
    let filter = crate::store::index::Filter {
        kind: Some("trigger.*".into()),
        stream_type: Some("trigger".into()),
        stream_id: Some(job.id.clone()),
        ..Default::default()
    };
    let events = index.events(&ws.store.events_dir(), &filter, None, false)?;
    let redactor = crate::redact::Redactor::from_config(&ws.config.redaction)?;
    let (prompt, _) = redactor.text(&job.prompt);
    let requested = events.iter().any(|e| {
        e.kind == "trigger.requested"
            && e.data.get("target").and_then(serde_json::Value::as_str) == Some(job.target.as_str())
            && e.data.get("prompt").and_then(serde_json::Value::as_str) == Some(prompt.as_str())
    });
    let finished = events
        .iter()
        .any(|e| matches!(e.kind.as_str(), "trigger.delivered" | "trigger.failed"));
    Ok(requested && !finished)
}
