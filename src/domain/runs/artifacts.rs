//! Artifacts: what a run's step produced. Text, JSON and files are stored
//! by content under `.codexa/artifacts/<sha256>` (beside the code, so they
//! are committed and travel with it; one copy however often they are
//! added); a URI is only recorded. Secrets are masked before anything is
//! stored, as they are in the log.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};

use super::fold::{self, Artifact};
use super::{event, load, open_for_work, run_of_child, vouch_for_work};
use crate::domain::identity::Speaker;
use crate::error::{Error, Result};
use crate::redact::Redactor;
use crate::store::index::{Filter, Index};
use crate::workspace::Workspace;

/// What is being added.
#[derive(Debug, Clone)]
pub enum Content {
    Text(String),
    Json(Value),
    File(PathBuf),
    Uri(String),
}

/// An artifact as added, with what was masked in it.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    #[serde(flatten)]
    pub artifact: Artifact,
    /// The stored copy existed already (same content).
    pub deduplicated: bool,
    /// Secrets masked before storing, by pattern name and count.
    pub masked: Masked,
}

/// The folder of stored artifacts.
pub fn dir(ws: &Workspace) -> PathBuf {
    ws.store.codexa_dir().join("artifacts")
}

fn too_big(what: &str, bytes: u64, max: u64) -> Error {
    Error::user(format!(
        "{what} is {bytes} bytes, over the artifact limit of {max} bytes; nothing was stored"
    ))
    .hint("store it elsewhere and add it with `--uri`, or raise `runs.artifact_max_bytes` in .codexa/config.yaml")
}

/// Secrets masked, by pattern name and count.
type Masked = Vec<(String, usize)>;

/// The bytes to store for `content` (masked), or `None` for a URI.
fn bytes_of(content: &Content, max: u64, redactor: &Redactor) -> Result<Option<(Vec<u8>, Masked)>> {
    let text = match content {
        Content::Uri(_) => return Ok(None),
        Content::Text(t) => t.clone(),
        Content::Json(v) => serde_json::to_string_pretty(v)
            .map_err(|e| Error::internal("could not write JSON back out").caused_by(e))?,
        Content::File(path) => {
            let file = crate::fsutil::open_regular(path).map_err(|e| {
                Error::user(format!("cannot read `--file {}`", path.display()))
                    .hint("`--file` names a regular file to store; check the path")
                    .caused_by(e)
            })?;
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            if len > max {
                return Err(too_big(&path.display().to_string(), len, max));
            }
            let mut bytes = Vec::new();
            // Read one byte past the limit: a file that grew since is caught too.
            file.take(max + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(format!("reading {}", path.display())).caused_by(e))?;
            if bytes.len() as u64 > max {
                return Err(too_big(
                    &path.display().to_string(),
                    bytes.len() as u64,
                    max,
                ));
            }
            match String::from_utf8(bytes) {
                Ok(t) => t,
                // Binary content has nothing the text patterns could find.
                Err(e) => return Ok(Some((e.into_bytes(), Vec::new()))),
            }
        }
    };
    if text.len() as u64 > max {
        return Err(too_big("the artifact", text.len() as u64, max));
    }
    let (masked_text, masked) = redactor.text(&text);
    Ok(Some((masked_text.into_bytes(), masked)))
}

/// Store `bytes` under their hash unless a sound copy is there; true when
/// it was.
fn store(dir: &Path, hex: &str, bytes: &[u8]) -> Result<bool> {
    let path = dir.join(hex);
    if let Ok(existing) = fs_err::read(&path)
        && crate::fsutil::sha256_tagged(&existing) == format!("sha256:{hex}")
    {
        return Ok(true);
    }
    crate::fsutil::write_atomic(&path, bytes)?;
    Ok(false)
}

/// `codexa artifact add STEP (--text|--json|--file|--uri)`.
pub fn add(
    ws: &Workspace,
    speaker: &Speaker,
    step: &str,
    content: &Content,
    name: Option<&str>,
) -> Result<Added> {
    let max = ws.config.runs.artifact_max_bytes;
    let redactor = Redactor::from_config(&ws.config.redaction)?;
    if let Content::Uri(u) = content
        && (u.trim().is_empty() || !u.contains(':') || u.chars().any(char::is_control))
    {
        return Err(Error::user(format!("`{}` is not a URI", u.escape_debug()))
            .hint("give a scheme, e.g. `https://…` or `s3://bucket/key`"));
    }
    if let Some(n) = name
        && (n.trim().is_empty() || n.chars().any(char::is_control))
    {
        return Err(
            Error::user(format!("`--name {}` is not a name", n.escape_debug()))
                .hint("give a short name without control characters"),
        );
    }
    let folder = dir(ws);
    if std::fs::symlink_metadata(&folder).is_ok_and(|m| !m.is_dir()) {
        return Err(Error::user(format!(
            "{} is not a folder (a link, or a file)",
            folder.display()
        ))
        .hint("artifacts are stored only in a real folder: remove it and add the artifact again"));
    }
    // Check the run before storing anything.
    {
        let index = Index::open(&ws.store)?;
        let run = run_of_child(&index, ws, step, "step")?;
        vouch_for_work(&run, speaker)?;
        open_for_work(&run, "artifacts")?;
    }
    let stored = bytes_of(content, max, &redactor)?;
    let (kind, default_name) = match content {
        Content::Text(_) => ("text", None),
        Content::Json(_) => ("json", None),
        Content::File(p) => (
            "file",
            p.file_name().map(|n| n.to_string_lossy().into_owned()),
        ),
        Content::Uri(_) => ("uri", None),
    };
    let mut data = json!({ "step": step, "kind": kind });
    let mut deduplicated = false;
    let mut masked = Vec::new();
    if let Some((bytes, m)) = &stored {
        let tagged = crate::fsutil::sha256_tagged(bytes);
        let hex = tagged.trim_start_matches("sha256:").to_string();
        deduplicated = store(&folder, &hex, bytes)?;
        data["sha256"] = json!(tagged);
        data["bytes"] = json!(bytes.len());
        masked = m.clone();
    }
    if let Content::Uri(u) = content {
        data["uri"] = json!(u.trim());
    }
    if let Some(n) = name.map(str::to_string).or(default_name) {
        data["name"] = json!(n);
    }
    let (report, run_id) = ws.append_planned(|index| {
        let run = run_of_child(index, ws, step, "step")?;
        vouch_for_work(&run, speaker)?;
        open_for_work(&run, "artifacts")?;
        Ok((
            vec![event(&run, "run.artifact_added", speaker, data.clone())],
            run.id,
        ))
    })?;
    let made = report
        .results
        .first()
        .ok_or_else(|| Error::internal("adding an artifact appended nothing"))?;
    let id = fold::child_id("art", &made.event.id);
    let artifact = all_of(&load(ws, &run_id)?)
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| {
            Error::internal(format!("artifact {id} is not in {run_id} after adding it"))
        })?;
    Ok(Added {
        artifact,
        deduplicated,
        masked,
    })
}

fn all_of(run: &super::Run) -> Vec<Artifact> {
    run.steps.iter().flat_map(|s| s.artifacts.clone()).collect()
}

/// Which artifacts `artifact list` shows.
#[derive(Debug, Clone, Default)]
pub struct Listing<'a> {
    pub run: Option<&'a str>,
    pub step: Option<&'a str>,
}

/// Artifacts, oldest first: of one run or step, or all.
pub fn list(ws: &Workspace, which: &Listing) -> Result<Vec<Artifact>> {
    if !ws.store.exists() {
        return Ok(Vec::new());
    }
    let index = Index::open(&ws.store)?;
    let runs: Vec<super::Run> = match (which.run, which.step) {
        (_, Some(step)) => {
            let run = run_of_child(&index, ws, step, "step")?;
            vec![super::load_with(&index, ws, &run.id)?]
        }
        (Some(run), None) => vec![super::load_with(&index, ws, run)?],
        (None, None) => {
            let made = index.events(
                &ws.store.events_dir(),
                &Filter {
                    kind: Some("run.artifact_added".into()),
                    ..Filter::default()
                },
                None,
                false,
            )?;
            crate::store::event::by_stream(made)
                .iter()
                .map(|(id, _)| super::load_with(&index, ws, id))
                .collect::<Result<_>>()?
        }
    };
    let mut out: Vec<Artifact> = runs
        .iter()
        .flat_map(all_of)
        .filter(|a| which.step.is_none_or(|s| a.step == s))
        .collect();
    out.sort_by(|a, b| a.events[0].ts.cmp(&b.events[0].ts).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// One artifact by id.
pub fn show(ws: &Workspace, id: &str) -> Result<Artifact> {
    let index = Index::open(&ws.store)?;
    let run = run_of_child(&index, ws, id, "artifact")?;
    all_of(&super::load_with(&index, ws, &run.id)?)
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| Error::not_found(format!("no artifact `{id}`")))
}

/// What `artifact cat` prints: the stored bytes, checked against their
/// hash, or a URI artifact's URI.
pub fn content(ws: &Workspace, a: &Artifact) -> Result<Vec<u8>> {
    let Some(tagged) = &a.sha256 else {
        return Ok(format!("{}\n", a.uri.clone().unwrap_or_default()).into_bytes());
    };
    let hex = tagged.trim_start_matches("sha256:");
    let path = dir(ws).join(hex);
    let bytes = fs_err::read(&path).map_err(|e| {
        Error::not_found(format!("the stored copy of {} is missing: {}", a.id, path.display()))
            .hint("artifacts live in .codexa/artifacts/; check it out from git, or add the artifact again")
            .caused_by(e)
    })?;
    if crate::fsutil::sha256_tagged(&bytes) != *tagged {
        return Err(Error::integrity(format!(
            "{} does not hold what {} recorded (its sha256 differs)",
            path.display(),
            a.id
        ))
        .hint("restore the file from git (`git checkout -- .codexa/artifacts/`)"));
    }
    Ok(bytes)
}
