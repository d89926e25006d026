//! A workspace: one clone's store plus its resolved config. The operations
//! here (init, appending with provenance) are what every command shares.

use std::path::Path;

use serde::Serialize;
use serde_json::json;

use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::fsutil::write_atomic;
use crate::redact::{Redaction, Redactor};
use crate::store::append::{AppendReport, system_actor};
use crate::store::{Event, NewEvent, Store, StreamRef};

pub struct Workspace {
    pub store: Store,
    pub config: Config,
}

impl Workspace {
    /// Find the repository around `start` and load its config.
    pub fn open(start: &Path) -> Result<Workspace> {
        let mut store = Store::locate(start)?;
        let env = config::Env {
            valid_cache: config::ValidCache::at(store.cache_dir().join("config-valid")),
            resolved_cache: config::ResolvedCache::at(store.cache_dir().join("config-resolved")),
            ..config::Env::from_process()
        };
        let config = config::load_with(&store.workdir, &env)?;
        store.segment_max_bytes = Some(config.store.segment_max_bytes);
        Ok(Workspace { store, config })
    }

    /// Where this clone remembers a policy already found valid.
    pub fn policy_cache(&self) -> config::ValidCache {
        config::ValidCache::at(self.store.cache_dir().join("policy-valid"))
    }

    /// True when `.codexa/` exists in this work tree (a fresh clone of an
    /// initialised repository has it tracked), or this clone already has a
    /// store (a worktree of a branch from before `.codexa/` was committed).
    pub fn is_initialized(&self) -> bool {
        self.store.codexa_dir().is_dir() || self.store.exists()
    }

    /// Commands that write need an initialised clone; the store itself is
    /// created on demand.
    pub fn require_initialized(&self) -> Result<()> {
        if self.is_initialized() {
            Ok(())
        } else {
            Err(Error::user(format!(
                "codexa is not set up in {} (no .codexa/ folder)",
                self.store.workdir.display()
            ))
            .hint("run `codexa init`"))
        }
    }

    /// `{config: sha256:…}`: which resolved config an event was written under.
    pub fn provenance(&self) -> serde_json::Value {
        json!({ "config": self.config.hash })
    }

    /// Validate, redact, stamp provenance, append.
    pub fn append(&self, events: Vec<NewEvent>) -> Result<AppendReport> {
        self.append_guarded(events, None)
    }

    /// `append` with a guard run under the store lock (see `Guard`).
    ///
    /// Every event's data passes the redaction filter here, the one door
    /// all writes go through; what was masked is listed in the event's
    /// `provenance.redactions`, so readers know, and so does the writer
    /// (`post` says what was masked).
    pub fn append_guarded(
        &self,
        mut events: Vec<NewEvent>,
        guard: Option<crate::store::append::Guard>,
    ) -> Result<AppendReport> {
        self.require_initialized()?;
        let redactor = Redactor::from_config(&self.config.redaction)?;
        for e in &mut events {
            self.prepare(e, &redactor)?;
        }
        // What a guard records instead (e.g. `governance.blocked`) passes the
        // same door: validated, redacted, with provenance.
        let guarded = guard.map(|g| {
            move |index: &crate::store::index::Index| -> Result<Option<NewEvent>> {
                match g(index)? {
                    Some(mut e) => {
                        self.prepare(&mut e, &redactor)?;
                        Ok(Some(e))
                    }
                    None => Ok(None),
                }
            }
        });
        let guarded_ref = guarded.as_ref().map(|g| g as crate::store::append::Guard);
        self.store.append_guarded(events, guarded_ref)
    }

    /// `Store::append_planned` through the same door as `append`: the
    /// planned events are validated, redacted and stamped like any other.
    pub fn append_planned<T>(
        &self,
        plan: impl FnOnce(&crate::store::index::Index) -> Result<(Vec<NewEvent>, T)>,
    ) -> Result<(AppendReport, T)> {
        self.require_initialized()?;
        let redactor = Redactor::from_config(&self.config.redaction)?;
        self.store.append_planned(|index| {
            let (mut events, out) = plan(index)?;
            for e in &mut events {
                self.prepare(e, &redactor)?;
            }
            Ok((events, out))
        })
    }

    /// Validate one event, mask secrets in its data and in the envelope's
    /// free-form strings (actor, stream id, keys, correlation ids), and
    /// stamp provenance, listing any redaction.
    fn prepare(&self, e: &mut NewEvent, redactor: &Redactor) -> Result<()> {
        e.validate()?;
        // Data that could come from outside (a type scripts may append) is
        // checked against its schema always. codexa's own types are built by
        // its own code; checking them compiles a schema, which is most of a
        // gate's decision, so only builds with debug assertions (every test
        // run) check each one codexa writes.
        if cfg!(debug_assertions) || !crate::store::event::reserved_type(&e.kind) {
            config::validate_event_data(&e.kind, &e.data)?;
        }
        let mut redactions = redactor.value(&mut e.data);
        for (path, field) in [
            ("/actor/id", Some(&mut e.actor.id)),
            ("/stream/id", Some(&mut e.stream.id)),
            ("/idempotency_key", e.idempotency_key.as_mut()),
            ("/correlation_id", e.correlation_id.as_mut()),
            ("/causation_id", e.causation_id.as_mut()),
        ] {
            if let Some(text) = field {
                let (masked, found) = redactor.text(text);
                if !found.is_empty() {
                    *text = masked;
                    redactions.extend(found.into_iter().map(|(kind, count)| Redaction {
                        kind,
                        path: path.to_string(),
                        count,
                    }));
                }
            }
        }
        let mut provenance = e.provenance.take().unwrap_or_else(|| self.provenance());
        if !redactions.is_empty()
            && let Some(map) = provenance.as_object_mut()
        {
            map.insert(
                "redactions".into(),
                serde_json::to_value(&redactions).unwrap_or_default(),
            );
        }
        e.provenance = Some(provenance);
        Ok(())
    }
}

#[derive(Debug, Serialize)]
pub struct InitReport {
    pub workdir: String,
    /// Files written under `.codexa/` (relative paths).
    pub created: Vec<String>,
    /// Example files that were already there and left untouched.
    pub kept: Vec<String>,
    pub store: String,
    pub store_created: bool,
    pub writer: String,
    pub event: Option<Event>,
}

impl InitReport {
    pub fn changed(&self) -> bool {
        !self.created.is_empty() || self.store_created
    }
}

/// `codexa init`: write what is missing of `.codexa/` and create the store.
/// Existing files are never rewritten, so a second run changes nothing.
pub fn init(start: &Path) -> Result<InitReport> {
    let store = Store::locate(start)?;
    let codexa = store.codexa_dir();
    let mut created = Vec::new();
    let mut kept = Vec::new();
    for (rel, contents) in config::EXAMPLE_FILES {
        let path = codexa.join(rel);
        if path.exists() {
            kept.push(format!(".codexa/{rel}"));
        } else {
            write_atomic(&path, contents.as_bytes())?;
            created.push(format!(".codexa/{rel}"));
        }
    }
    let ws = Workspace::open(start)?;
    let store_created = !ws.store.exists();
    let writer = ws.store.ensure_writer()?.file.writer;
    let mut event = None;
    if !created.is_empty() || store_created {
        let report = ws.append(vec![NewEvent::new(
            "workspace.initialized",
            StreamRef {
                kind: "workspace".into(),
                id: writer.clone(),
            },
            system_actor(),
            json!({
                "writer": writer,
                "created": created,
                "store": ws.store.root.display().to_string(),
            }),
        )])?;
        event = report.results.into_iter().next().map(|a| a.event);
    }
    Ok(InitReport {
        workdir: ws.store.workdir.display().to_string(),
        created,
        kept,
        store: ws.store.root.display().to_string(),
        store_created,
        writer,
        event,
    })
}

/// An initialised workspace in a new git repository under a temporary
/// directory (removed when the `TempDir` drops), for unit tests of code
/// that reads and writes the log.
#[cfg(test)]
pub fn temporary() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    git2::Repository::init(dir.path()).expect("a git repository");
    init(dir.path()).expect("codexa init");
    let ws = Workspace::open(dir.path()).expect("the workspace");
    (dir, ws)
}
