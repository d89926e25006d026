//! The files a loop reads and writes: the system manifest and component
//! models `discover` wrote, the plans under `.codexa/loops/`, and a new
//! plan's folder, each with what its absence or damage tells the user.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::format::{Plan, SCHEMA};
use super::{LOOPS, MANIFEST, loops_dir, plan_file};
use crate::config::{self, yaml};
use crate::discover::manifest::{
    ComponentEntry, ComponentModel, MANIFESTS, ModelCoupling, SystemManifest,
};
use crate::error::{Error, Result};
use crate::fsutil::{sha256_tagged, write_atomic};

/// Read a loop's `plan.yaml` as a document, or none when the folder has
/// none. A file that is not YAML is an error naming it: its numbers must
/// count, and guessing them could reuse one.
pub fn read_plan_value(root: &Path, id: &str) -> Result<Option<Value>> {
    let shown = plan_file(id);
    let path = root.join(&shown);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("cannot read {shown}")).caused_by(e)),
    };
    let doc = yaml::parse(&text).map_err(|e| {
        Error::user(format!("{shown}:{}: {}", e.line, e.message))
            .hint(format!("{}; plans are read to number the next one", e.fix))
    })?;
    Ok(Some(doc.value))
}

/// Read and check the manifest: missing is the usual case (discover has
/// not run), so it gets its own message.
pub fn read_manifest(root: &Path) -> Result<(SystemManifest, String)> {
    let path = root.join(MANIFEST);
    if !path.is_file() {
        return Err(
            Error::user(format!("no {MANIFEST}: there is nothing to plan from")).hint(
                "run `codexa discover` first: it maps the repository and writes the manifest",
            ),
        );
    }
    config::require_valid_file(
        "system_manifest",
        &path,
        MANIFEST,
        "system manifest",
        "run `codexa discover` to write it again",
    )?;
    let bytes = fs_err::read(&path)?;
    let text = String::from_utf8_lossy(&bytes);
    let doc = yaml::parse(&text).map_err(|e| {
        Error::user(format!("{MANIFEST}:{}: {}", e.line, e.message))
            .hint("run `codexa discover` to write it again")
    })?;
    let manifest: SystemManifest = serde_json::from_value(doc.value).map_err(|e| {
        Error::user(format!("{MANIFEST}: {e}")).hint("run `codexa discover` to write it again")
    })?;
    Ok((manifest, sha256_tagged(&bytes)))
}

/// The couplings every component's system model lists, once each. They
/// are supporting evidence: a model that is missing or unreadable only
/// means less of it (the manifest, checked against its schema, is what a
/// plan depends on).
pub fn couplings(root: &Path, components: &[ComponentEntry]) -> Vec<ModelCoupling> {
    let dir = root.join(MANIFESTS);
    let mut out: BTreeSet<ModelCoupling> = BTreeSet::new();
    for c in components {
        let Ok(text) = std::fs::read_to_string(dir.join(&c.model)) else {
            continue;
        };
        let Ok(doc) = yaml::parse(&text) else {
            continue;
        };
        let Ok(model) = serde_json::from_value::<ComponentModel>(doc.value) else {
            continue;
        };
        out.extend(model.couplings);
    }
    out.into_iter().collect()
}

/// Read and check a plan.
pub fn load_plan(root: &Path, id: &str) -> Result<Plan> {
    let shown = plan_file(id);
    let path = root.join(&shown);
    if !path.is_file() {
        return Err(Error::not_found(format!("{LOOPS}/{id} has no plan.yaml"))
            .hint("make a new plan with `codexa loop plan`"));
    }
    config::require_valid_file(
        SCHEMA,
        &path,
        &shown,
        "loop plan",
        "make a new plan with `codexa loop plan`",
    )?;
    let text = fs_err::read_to_string(&path)?;
    let doc = yaml::parse(&text)
        .map_err(|e| Error::user(format!("{shown}:{}: {}", e.line, e.message)).hint(e.fix))?;
    serde_json::from_value(doc.value).map_err(|e| {
        Error::user(format!("{shown}: {e}")).hint("make a new plan with `codexa loop plan`")
    })
}

/// Claim the folder of loop `id` and write its `plan.yaml` and `plan.md`:
/// two plans made at once cannot both take a number. Their paths,
/// relative to the work tree.
pub fn write_plan(root: &Path, id: &str, yaml_text: &str, md: &str) -> Result<(String, String)> {
    let dir = loops_dir(root);
    fs_err::create_dir_all(&dir)?;
    match std::fs::create_dir(dir.join(id)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::user(format!("{LOOPS}/{id} appeared while planning"))
                .hint("another `codexa loop plan` ran at the same time; run it again"));
        }
        Err(e) => return Err(Error::io(format!("cannot create {LOOPS}/{id}")).caused_by(e)),
    }
    let yaml_path = plan_file(id);
    let md_path = format!("{LOOPS}/{id}/plan.md");
    write_atomic(&root.join(&yaml_path), yaml_text.as_bytes())?;
    write_atomic(&root.join(&md_path), md.as_bytes())?;
    Ok((yaml_path, md_path))
}
