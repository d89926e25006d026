//! One `discover` iteration: walk and measure, mine history, find
//! components and their purpose, rank hotspots and zones, write the
//! manifests (atomically, and only the files whose bytes change), then
//! append `discover.completed` with the timings of each phase, the counts,
//! the sha256 of every output, and what changed since the previous run.
//!
//! `--focus PATH` is a follow-up on one area: it measures only the files
//! under PATH (history is still read whole, for coupling partners) and
//! writes `manifests/focus/<path>.md`, leaving the other manifests alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use serde::Serialize;
use serde_json::{Value, json};

use super::cache::ComplexityCache;
use super::components;
use super::files::{self, WalkOptions};
use super::findings::{self, Findings};
use super::history::{self, History, HistoryOptions};
use super::intent;
use super::manifest::{MANIFESTS, Provenance, SYSTEM_MANIFEST};
use super::zones;
use crate::config::{Config, DiscoverConfig};
use crate::error::{Error, Result};
use crate::store::index::{Filter, Index};
use crate::store::{NewEvent, StreamRef};
use crate::workspace::Workspace;

/// The event each run appends.
pub const EVENT: &str = "discover.completed";

/// What the command asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A folder or file to look at in depth (relative to the work tree).
    pub focus: Option<String>,
}

/// How the run reports progress (the command draws a bar on a terminal).
pub trait Progress: Sync {
    /// A phase begins; `total` is its number of steps, 0 when unknown.
    fn phase(&self, name: &str, total: u64);
    fn tick(&self, done: u64);
    fn done(&self);
}

/// Settings from `discover:` in config.
#[derive(Debug, Clone)]
pub struct Settings {
    pub exclude: Vec<String>,
    pub history: HistoryOptions,
    pub max_parse_bytes: u64,
    pub hotspots: usize,
    /// sha256 of the `discover:` settings in effect: the manifests'
    /// provenance. Not the whole config's hash, so a personal layer's
    /// other keys (say `watch.poll_ms`) do not rewrite tracked manifests.
    pub hash: String,
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        let d = &config.discover;
        Settings {
            exclude: d.exclude.clone(),
            history: HistoryOptions::from(d),
            max_parse_bytes: d.max_parse_bytes,
            hotspots: d.hotspots,
            // Hashed from the merged value, not the typed section: the value
            // keeps the config's own key order, which the manifests already
            // written were hashed with, so an unchanged config leaves their
            // provenance as it was.
            hash: crate::fsutil::sha256_tagged(
                serde_json::to_string(config.value.get("discover").unwrap_or(&Value::Null))
                    .unwrap_or_default()
                    .as_bytes(),
            ),
        }
    }
}

impl From<&DiscoverConfig> for HistoryOptions {
    fn from(d: &DiscoverConfig) -> HistoryOptions {
        HistoryOptions {
            max_commits: d.history_commits,
            min_revs: d.coupling.min_revisions,
            min_shared: d.coupling.min_shared,
            min_degree: d.coupling.min_degree,
            max_changeset: d.coupling.max_changeset,
        }
    }
}

/// One output file and what happened to it.
#[derive(Debug, Clone, Serialize)]
pub struct Output {
    pub path: String,
    pub sha256: String,
    /// Its bytes changed (or it is new) this run.
    pub changed: bool,
}

/// What changed since the previous full run.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Changes {
    /// Whether there was a previous run to compare with.
    pub previous: bool,
    pub new_hotspots: Vec<String>,
    pub gone_hotspots: Vec<String>,
    /// Zones that are new or whose risk changed, as `Z-01 src/billing (high, was medium)`.
    pub zones_moved: Vec<String>,
    /// Zones of the previous run no longer found, as `src/billing (high)`.
    pub zones_gone: Vec<String>,
    pub components_added: Vec<String>,
    pub components_removed: Vec<String>,
}

/// The run, as `--format json` prints it and `discover.completed` records it.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub head: Option<String>,
    pub focus: Option<String>,
    pub files: u64,
    pub code: u64,
    pub commits: usize,
    pub components: usize,
    pub hotspots: Vec<String>,
    pub zones: Vec<Value>,
    pub component_names: Vec<String>,
    /// Files that could not be read, with why.
    pub unreadable: Vec<(String, String)>,
    pub timings_ms: BTreeMap<String, u64>,
    /// Files whose complexity came from the cache (unchanged since a run).
    pub cached_files: u64,
    pub outputs: Vec<Output>,
    pub changes: Changes,
    pub event_id: Option<String>,
}

struct Clock {
    start: Instant,
    timings: BTreeMap<String, u64>,
}

impl Clock {
    fn lap(&mut self, phase: &str) {
        let now = Instant::now();
        self.timings
            .insert(phase.to_string(), (now - self.start).as_millis() as u64);
        self.start = now;
    }
}

/// Write `bytes` to `rel` under the work tree unless it already holds them.
fn put(root: &Path, rel: &str, bytes: &[u8]) -> Result<Output> {
    let changed = crate::fsutil::write_if_changed(&root.join(rel), bytes)?;
    Ok(Output {
        path: rel.to_string(),
        sha256: crate::fsutil::sha256_tagged(bytes),
        changed,
    })
}

fn yaml<T: Serialize>(value: &T, what: &str) -> Result<String> {
    crate::config::yaml::to_text(value)
        .map_err(|e| Error::io(format!("could not write {what} as YAML: {e}")))
}

/// The last full run's record, if any.
fn previous_run(ws: &Workspace) -> Result<Option<Value>> {
    let index = Index::open(&ws.store)?;
    let found = index.events(
        &ws.store.events_dir(),
        &Filter {
            kind: Some(EVENT.into()),
            stream_type: Some("discover".into()),
            stream_id: Some("repository".into()),
            ..Filter::default()
        },
        Some(1),
        true,
    )?;
    Ok(found.into_iter().next().map(|e| e.data))
}

fn strings(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A zone's identity across runs: its files (ids are ranks, names can
/// repeat or grow a `+N`).
fn zone_key(files: &[String]) -> String {
    crate::fsutil::sha256_tagged(files.join("\n").as_bytes())["sha256:".len()..][..16].to_string()
}

/// Compare with the previous run's record.
fn compare(previous: Option<&Value>, now: &Summary) -> Changes {
    let Some(prev) = previous else {
        return Changes::default();
    };
    let was_hot = strings(prev.get("hotspots"));
    let is_hot: BTreeSet<String> = now.hotspots.iter().cloned().collect();
    let was_comp = strings(prev.get("component_names"));
    let is_comp: BTreeSet<String> = now.component_names.iter().cloned().collect();
    // Zones are matched by their files (older records: by name).
    let ident = |z: &Value| {
        z.get("key")
            .or_else(|| z.get("name"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let old: BTreeMap<String, (String, String)> = prev
        .get("zones")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|z| {
            let name = z["name"].as_str().unwrap_or_default().to_string();
            let risk = z["risk"].as_str().unwrap_or_default().to_string();
            (ident(z), (name, risk))
        })
        .collect();
    let keyed = old.keys().any(|k| !k.is_empty()) && prev["zones"][0].get("key").is_some();
    let now_ident = |z: &Value| {
        if keyed {
            z["key"].as_str().unwrap_or_default().to_string()
        } else {
            z["name"].as_str().unwrap_or_default().to_string()
        }
    };
    let zones_moved = now
        .zones
        .iter()
        .filter_map(|z| {
            let (id, name, risk) = (z["id"].as_str()?, z["name"].as_str()?, z["risk"].as_str()?);
            match old.get(&now_ident(z)) {
                Some((_, r)) if r == risk => None,
                Some((_, r)) => Some(format!("{id} {name} ({risk}, was {r})")),
                None => Some(format!("{id} {name} ({risk}, new)")),
            }
        })
        .collect();
    let current: BTreeSet<String> = now.zones.iter().map(now_ident).collect();
    let zones_gone = old
        .iter()
        .filter(|(k, _)| !current.contains(*k))
        .map(|(_, (name, risk))| format!("{name} ({risk})"))
        .collect();
    Changes {
        previous: true,
        new_hotspots: is_hot.difference(&was_hot).cloned().collect(),
        gone_hotspots: was_hot.difference(&is_hot).cloned().collect(),
        zones_moved,
        zones_gone,
        components_added: is_comp.difference(&was_comp).cloned().collect(),
        components_removed: was_comp.difference(&is_comp).cloned().collect(),
    }
}

/// The work tree relative form of `--focus`, checked to exist inside it.
fn focus_path(root: &Path, focus: &str) -> Result<String> {
    let candidate = if Path::new(focus).is_absolute() {
        std::path::PathBuf::from(focus)
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| root.to_path_buf())
            .join(focus)
    };
    let real = candidate
        .canonicalize()
        .or_else(|_| root.join(focus).canonicalize())
        .map_err(|_| {
            Error::user(format!("--focus {focus}: no such file or folder"))
                .hint("give a path inside the repository, e.g. `--focus src/billing`")
        })?;
    let root_real = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let rel = real.strip_prefix(&root_real).map_err(|_| {
        Error::user(format!(
            "--focus {focus}: outside the repository {}",
            root.display()
        ))
        .hint("give a path inside the repository")
    })?;
    let rel = files::relative(Path::new(""), rel);
    Ok(if rel.is_empty() { ".".into() } else { rel })
}

/// Run one iteration.
pub fn run(ws: &Workspace, opts: &Options, progress: &dyn Progress) -> Result<Summary> {
    ws.require_initialized()?;
    let root = ws.store.workdir.clone();
    let settings = Settings::from_config(&ws.config);
    let focus = opts
        .focus
        .as_deref()
        .map(|f| focus_path(&root, f))
        .transpose()?;
    let mut clock = Clock {
        start: Instant::now(),
        timings: BTreeMap::new(),
    };

    progress.phase("walking", 0);
    let walk_root = match focus.as_deref() {
        Some(f) if f != "." => root.join(f),
        _ => root.clone(),
    };
    let walked = files::walk(
        &walk_root,
        &WalkOptions {
            excludes: &settings.exclude,
        },
    )?;
    let mut paths = walked.files;
    if walk_root.is_file() {
        paths = vec![walk_root.clone()];
    }
    clock.lap("walk");

    // Measuring (the files) and mining (the history) share nothing: both
    // at once, each timed on its own.
    progress.phase("measuring", paths.len() as u64);
    let cached = ComplexityCache::load(&ws.store);
    let ((measured, unreadable, measure_ms), (mined, history_ms)) = rayon::join(
        || {
            let t = Instant::now();
            let tick = |n| progress.tick(n);
            let (m, u) =
                files::measure_all(&root, &paths, settings.max_parse_bytes, &cached, &tick);
            (m, u, t.elapsed().as_millis() as u64)
        },
        || {
            let t = Instant::now();
            let h = ws
                .store
                .repo()
                .and_then(|repo| history::mine(&repo, &settings.history));
            (h, t.elapsed().as_millis() as u64)
        },
    );
    let history: History = mined?;
    let mut unreadable = unreadable;
    unreadable.extend(walked.errors);
    cached.save();
    clock.lap("measure_and_history");
    clock.timings.insert("measure".into(), measure_ms);
    clock.timings.insert("history".into(), history_ms);

    progress.phase("components", 0);
    let mut comps = components::detect(&root, &measured);
    intent::fill(&root, &mut comps);
    clock.lap("components");

    let hotspots = zones::hotspots(&measured, &history, settings.hotspots);
    let zone_list = zones::zones(&measured, &history, &hotspots);
    clock.lap("zones");

    progress.phase("writing", 0);
    let findings = Findings {
        provenance: Provenance {
            head: history.head.clone(),
            config: settings.hash.clone(),
            codexa: env!("CARGO_PKG_VERSION").to_string(),
            commits: history.commits,
            oldest_commit: history.oldest.clone(),
        },
        files: &measured,
        history: &history,
        components: &comps,
        hotspots: &hotspots,
        zones: &zone_list,
    };
    let outputs = match focus.as_deref() {
        Some(f) => write_focus(&root, f, &findings)?,
        None => write_all(&root, &findings)?,
    };
    clock.lap("write");
    progress.done();

    let mut summary = Summary {
        head: history.head.clone(),
        focus: focus.clone(),
        files: measured.len() as u64,
        code: measured.iter().map(|f| f.code).sum(),
        commits: history.commits,
        components: comps.len(),
        hotspots: hotspots.iter().map(|h| h.path.clone()).collect(),
        zones: zone_list
            .iter()
            .map(|z| {
                json!({"id": z.id, "name": z.name, "risk": z.risk, "score": z.score,
                       "key": zone_key(&z.files)})
            })
            .collect(),
        component_names: comps.iter().map(|c| c.name.clone()).collect(),
        unreadable,
        timings_ms: clock.timings.clone(),
        cached_files: cached.hits() as u64,
        outputs,
        changes: Changes::default(),
        event_id: None,
    };
    if focus.is_none() {
        summary.changes = compare(previous_run(ws)?.as_ref(), &summary);
    }
    let data = serde_json::to_value(&summary)
        .map_err(|e| Error::io(format!("could not encode the run: {e}")))?;
    let stream = StreamRef {
        kind: "discover".into(),
        id: if focus.is_some() {
            "focus"
        } else {
            "repository"
        }
        .into(),
    };
    let who = crate::domain::identity::resolve(&ws.store, &ws.config, None)?.actor();
    let report = ws.append(vec![NewEvent::new(EVENT, stream, who, data)])?;
    summary.event_id = report.results.first().map(|a| a.event.id.clone());
    Ok(summary)
}

/// The full set: system manifest, Markdown, one model per component
/// (stale models of components that are gone are removed).
fn write_all(root: &Path, f: &Findings<'_>) -> Result<Vec<Output>> {
    // Everything is rendered and checked before the first byte is written:
    // a broken template override or an invalid manifest changes nothing.
    let manifest = f.manifest();
    let value = serde_json::to_value(&manifest)
        .map_err(|e| Error::io(format!("could not encode the system manifest: {e}")))?;
    let problems =
        crate::config::schema::validate("system_manifest", &value).map_err(Error::internal)?;
    if let Some(p) = problems.first() {
        return Err(Error::internal(format!(
            "the system manifest discover made does not match schemas/system_manifest.schema.json: {} at {}",
            p.what, p.pointer
        ))
        .report_with("the repository's shape"));
    }
    let mut planned: Vec<(String, Vec<u8>)> = vec![(
        SYSTEM_MANIFEST.to_string(),
        yaml(&manifest, "the system manifest")?.into_bytes(),
    )];
    let detailed_zones: Vec<Value> = f
        .zones
        .iter()
        .map(|z| serde_json::to_value(z).unwrap_or_default())
        .collect();
    let ctx = json!({
        "head": manifest.provenance.head,
        "config": manifest.provenance.config,
        "commits": manifest.provenance.commits,
        "hotspots": manifest.hotspots,
        "zones": detailed_zones,
        "components": manifest.components,
    });
    for (name, template) in [
        ("change_zones.md", "change_zones.md.j2"),
        ("intent_map.md", "intent_map.md.j2"),
    ] {
        let text = crate::templates::render(root, template, &ctx)?;
        planned.push((format!("{MANIFESTS}/{name}"), text.into_bytes()));
    }
    let mut keep = BTreeSet::new();
    for (name, model) in f.models() {
        planned.push((
            format!("{MANIFESTS}/system_model/{name}"),
            yaml(&model, "a system model")?.into_bytes(),
        ));
        keep.insert(name);
    }
    let stale: Vec<std::path::PathBuf> =
        std::fs::read_dir(root.join(MANIFESTS).join("system_model"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".yaml") && !keep.contains(&name)
            })
            .map(|e| e.path())
            .collect();
    let mut out = Vec::with_capacity(planned.len());
    for (rel, bytes) in &planned {
        out.push(put(root, rel, bytes)?);
    }
    for path in stale {
        fs_err::remove_file(path)?;
    }
    Ok(out)
}

/// The focus page for `focus`.
fn write_focus(root: &Path, focus: &str, f: &Findings<'_>) -> Result<Vec<Output>> {
    let files = f.files_under(focus, &|_| false);
    let paths: Vec<String> = files.iter().map(|m| m.path.clone()).collect();
    let partners: Vec<Value> = f
        .history
        .couplings
        .iter()
        .filter_map(|c| {
            let (here, other) = if paths.binary_search(&c.a).is_ok() {
                (&c.a, &c.b)
            } else if paths.binary_search(&c.b).is_ok() {
                (&c.b, &c.a)
            } else {
                return None;
            };
            Some(json!({"here": here, "other": other, "degree": c.degree, "shared": c.shared}))
        })
        .collect();
    let ctx = json!({
        "focus": focus,
        "head": f.provenance.head,
        "files": files,
        "code": files.iter().map(|m| m.code).sum::<u64>(),
        "complexity": files.iter().map(|m| u64::from(m.complexity)).sum::<u64>(),
        "functions": f.functions_in(&paths, 200),
        "partners": partners,
    });
    let text = crate::templates::render(root, "focus.md.j2", &ctx)?;
    let name = if focus == "." {
        "root".to_string()
    } else {
        findings::slug(focus)
    };
    Ok(vec![put(
        root,
        &format!("{MANIFESTS}/focus/{name}.md"),
        text.as_bytes(),
    )?])
}
