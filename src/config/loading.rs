//! Loading the config: every layer read and merged, the merged value
//! validated against the schema (each problem traced to the file and line
//! that set it), then read into a [`Config`] (the schema's defaults filled
//! in, each section typed, the whole hashed for provenance).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::finding::issue_finding;
use super::valid_cache::ValidCache;
use super::{CONFIG_FILE, Config, Env, Finding, Probe, Status, defaults, layers, schema};
use crate::error::{Error, Result};

/// One file that went into the resolved config, in merge order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    pub path: PathBuf,
    pub sha256: String,
}

/// What `codexa doctor config` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigReport {
    pub findings: Vec<Finding>,
    pub layers: Vec<Layer>,
    /// Present when the config is valid.
    pub resolved_hash: Option<String>,
    /// Present when the config is valid.
    pub resolved: Option<Value>,
}

/// Resolve and validate the config of the work tree at `workdir`, using
/// `$HOME` and `$CODEXA_CONFIG_HOME` for the user layer. A missing
/// `.codexa/config.yaml` gives the defaults and no layers (the user layer is
/// only read for an initialised workspace).
pub fn load(workdir: &Path) -> Result<Config> {
    load_with(workdir, &Env::from_process())
}

/// [`load`] with an explicit environment. A config resolved before from
/// the same inputs comes from `env.resolved_cache`; one resolved now is
/// remembered there when valid.
pub fn load_with(workdir: &Path, env: &Env) -> Result<Config> {
    if let Some(config) = env.resolved_cache.recall(workdir, env) {
        return Ok(config);
    }
    let eval = evaluate(workdir, env);
    let mut errors = eval.findings.iter().filter(|f| f.status == Status::Error);
    if let Some(first) = errors.next() {
        let more = errors.count();
        let mut hint = first.fix.clone().unwrap_or_default();
        if more > 0 {
            if !hint.is_empty() {
                hint.push_str("; ");
            }
            hint.push_str(&format!(
                "{more} more problem{}: run `codexa doctor config` to see them all",
                if more == 1 { "" } else { "s" }
            ));
        }
        let err = Error::user(format!("invalid config: {}", first.message));
        return Err(if hint.is_empty() { err } else { err.hint(hint) });
    }
    let config = eval.resolved.ok_or_else(|| {
        // evaluate() leaves `resolved` empty only alongside an error finding.
        Error::user("invalid config").hint("run `codexa doctor config`")
    })?;
    if let Some(probes) = eval.probes {
        env.resolved_cache.remember(workdir, env, probes, &config);
    }
    Ok(config)
}

/// Check the config the way [`load`] reads it, reporting every problem as a
/// finding, plus one ok finding per layer read (with its sha256) and a
/// final "config valid" when all is well. Never fails.
pub fn doctor_config(workdir: &Path) -> ConfigReport {
    doctor_config_with(workdir, &Env::from_process())
}

/// [`doctor_config`] with an explicit environment.
pub fn doctor_config_with(workdir: &Path, env: &Env) -> ConfigReport {
    let eval = evaluate(workdir, env);
    ConfigReport {
        findings: eval.findings,
        layers: eval.layers,
        resolved_hash: eval.resolved.as_ref().map(|r| r.hash.clone()),
        resolved: eval.resolved.map(|r| r.value),
    }
}

struct Evaluation {
    findings: Vec<Finding>,
    layers: Vec<Layer>,
    resolved: Option<Config>,
    /// What `resolved` was read from, when it came from the layers.
    probes: Option<Vec<Probe>>,
}

impl Evaluation {
    /// No config: `findings` say why.
    fn failed(findings: Vec<Finding>, layers: Vec<Layer>) -> Evaluation {
        Evaluation {
            findings,
            layers,
            resolved: None,
            probes: None,
        }
    }
}

fn evaluate(workdir: &Path, env: &Env) -> Evaluation {
    let repo_file = workdir.join(CONFIG_FILE);
    let mut findings = Vec::new();
    match repo_file.try_exists() {
        Ok(true) => {}
        Ok(false) => {
            findings.push(Finding::warn(
                "config.file",
                format!("no {CONFIG_FILE}; built-in defaults apply"),
                Some("codexa init".into()),
                Some(CONFIG_FILE.into()),
            ));
            return Evaluation {
                findings,
                layers: Vec::new(),
                resolved: Some(defaults().clone()),
                probes: None,
            };
        }
        Err(e) => {
            findings.push(Finding::error(
                "config.read",
                format!("cannot check {CONFIG_FILE}: {e}"),
                Some(format!(
                    "check the permissions of {}",
                    workdir.join(".codexa").display()
                )),
                Some(CONFIG_FILE.into()),
                None,
            ));
            return Evaluation::failed(findings, Vec::new());
        }
    }

    let stack = layers::resolve(&repo_file, workdir, env);
    let layers: Vec<Layer> = stack
        .layers
        .iter()
        .map(|l| Layer {
            path: l.path.clone(),
            sha256: l.sha256.clone(),
        })
        .collect();
    for l in &stack.layers {
        findings.push(Finding::ok(
            "config.layer",
            format!("read {} ({})", l.shown, l.sha256),
            Some(l.shown.clone()),
        ));
    }
    if !stack.problems.is_empty() {
        // Without every layer the merged value means little; schema errors
        // from it would only mislead (e.g. `version` missing because the
        // layer setting it failed to read).
        findings.extend(stack.problems);
        return Evaluation::failed(findings, layers);
    }

    let merged = layers::merge(&stack.layers);
    // A config already found valid (same merged value, same codexa) need not
    // be validated again. The record lives in the store's cache, never in
    // `.codexa/`.
    let cache = &env.valid_cache;
    let key = ValidCache::key(&crate::store::event::canonical(&merged));
    let issues = if cache.knows(&key) {
        Ok(Vec::new())
    } else {
        let issues = schema::validate("config", &merged);
        if matches!(&issues, Ok(found) if found.is_empty()) {
            cache.remember(&key);
        }
        issues
    };
    let issues = match issues {
        Ok(issues) => issues,
        Err(e) => {
            findings.push(Finding::error("config.schema", e, None, None, None));
            return Evaluation::failed(findings, layers);
        }
    };
    if !issues.is_empty() {
        // Report in reading order: by layer, then line, so a user can fix
        // top to bottom (jsonschema's order follows the schema instead).
        let mut located: Vec<_> = issues
            .iter()
            .map(|issue| {
                let at = layers::origin(&stack.layers, &issue.pointer);
                let order = at.map(|(l, line)| {
                    let idx = stack.layers.iter().position(|x| std::ptr::eq(x, l));
                    (idx.unwrap_or(usize::MAX), line)
                });
                (
                    order.unwrap_or((usize::MAX, 0)),
                    issue,
                    at.map(|(l, line)| (l.shown.clone(), line)),
                )
            })
            .collect();
        located.sort_by_key(|(order, _, _)| *order);
        for (_, issue, at) in located {
            findings.push(issue_finding("config.schema", issue, at));
        }
        return Evaluation::failed(findings, layers);
    }
    match Config::from_value(merged) {
        Ok(mut resolved) => {
            findings.push(Finding::ok("config.schema", "config valid", None));
            resolved.layers = layers.clone();
            Evaluation {
                findings,
                layers,
                resolved: Some(resolved),
                probes: Some(stack.probes),
            }
        }
        Err(e) => {
            findings.push(Finding::error(
                "config.schema",
                format!("codexa cannot read the config it found valid: {e}"),
                Some("please report this as a bug in codexa, with the config".into()),
                None,
                None,
            ));
            Evaluation::failed(findings, layers)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{EXAMPLE_FILES, yaml};
    use crate::error::ErrorKind;
    use crate::fsutil::sha256_tagged;

    fn repo(text: &str) -> (tempfile::TempDir, PathBuf, Env) {
        let t = tempfile::tempdir().unwrap();
        let w = t.path().join("repo");
        std::fs::create_dir_all(w.join(".codexa")).unwrap();
        std::fs::write(w.join(CONFIG_FILE), text).unwrap();
        let env = Env {
            home: Some(t.path().join("home")),
            config_home: None,
            valid_cache: ValidCache::none(),
            resolved_cache: crate::config::ResolvedCache::none(),
        };
        (t, w, env)
    }

    fn errors(r: &ConfigReport) -> Vec<&Finding> {
        r.findings
            .iter()
            .filter(|f| f.status == Status::Error)
            .collect()
    }

    #[test]
    fn missing_file_gives_defaults() {
        let t = tempfile::tempdir().unwrap();
        let env = Env::default();
        let r = load_with(t.path(), &env).unwrap();
        assert!(r.layers.is_empty());
        assert_eq!((&r.store, &r.sync), (&defaults().store, &defaults().sync));
        assert_eq!(r.value["version"], 1);
        assert!(r.hash.starts_with("sha256:"));
        let report = doctor_config_with(t.path(), &env);
        assert_eq!(report.findings[0].status, Status::Warn);
        assert_eq!(report.findings[0].fix.as_deref(), Some("codexa init"));
        assert_eq!(report.resolved_hash.as_deref(), Some(r.hash.as_str()));
    }

    #[test]
    fn example_config_loads_to_defaults() {
        let (_t, w, env) = repo(EXAMPLE_FILES[0].1);
        let r = load_with(&w, &env).unwrap();
        assert_eq!((&r.store, &r.sync), (&defaults().store, &defaults().sync));
        assert_eq!(r.layers.len(), 1);
        assert!(r.value.get("extends").is_none());
        // Identical to having no file at all: the example pins nothing.
        let none = load_with(tempfile::tempdir().unwrap().path(), &env).unwrap();
        assert_eq!(r.value, none.value);
        assert_eq!(r.hash, none.hash);
    }

    #[test]
    fn settings_and_hash_follow_values() {
        let (_t, w, env) =
            repo("version: 1\nstore:\n  segment_max_bytes: 65536\nsync:\n  remote: upstream\n");
        let r = load_with(&w, &env).unwrap();
        assert_eq!(r.store.segment_max_bytes, 65536);
        assert_eq!(r.sync.remote, "upstream");
        let canon = serde_json_canonicalizer::to_vec(&r.value).unwrap();
        assert_eq!(r.hash, sha256_tagged(&canon));
        assert_eq!(
            r.layers[0].sha256,
            sha256_tagged(std::fs::read(w.join(CONFIG_FILE)).unwrap().as_slice())
        );
    }

    #[test]
    fn doctor_reports_layers_then_valid() {
        let (_t, w, env) = repo("version: 1\n");
        let r = doctor_config_with(&w, &env);
        assert_eq!(r.findings.len(), 2, "{:?}", r.findings);
        assert_eq!(r.findings[0].check, "config.layer");
        assert!(r.findings[0].message.contains("sha256:"));
        assert_eq!(r.findings[1].message, "config valid");
        assert!(r.resolved.is_some() && r.resolved_hash.is_some());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["findings"][1]["status"], "ok");
    }

    #[test]
    fn unknown_key_with_line_and_suggestion() {
        let (_t, w, env) =
            repo("version: 1\nsync:\n  remote: origin\nstore:\n  segmnt_max_bytes: 70000\n");
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs.len(), 1, "{:?}", r.findings);
        assert_eq!(
            errs[0].message,
            "unknown key `segmnt_max_bytes` in `store` at .codexa/config.yaml:5; did you mean `segment_max_bytes`?"
        );
        assert_eq!(errs[0].line, Some(5));
        assert_eq!(errs[0].file.as_deref(), Some(".codexa/config.yaml"));
        assert_eq!(
            errs[0].fix.as_deref(),
            Some("rename `segmnt_max_bytes` to `segment_max_bytes` at .codexa/config.yaml:5")
        );
        assert!(r.resolved.is_none() && r.resolved_hash.is_none());

        let err = load_with(&w, &env).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::User);
        assert!(
            err.message().contains(".codexa/config.yaml:5"),
            "{}",
            err.message()
        );
        assert!(err.hint_text().unwrap().contains("rename"));
    }

    #[test]
    fn unknown_top_level_key() {
        let (_t, w, env) = repo("version: 1\nsyncc:\n  remote: x\n");
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(
            errs[0].message,
            "unknown key `syncc` at .codexa/config.yaml:2; did you mean `sync`?"
        );
    }

    #[test]
    fn error_in_extended_layer_names_that_layer() {
        let (t, w, env) = repo("version: 1\nextends: [../team.yaml]\nsync:\n  remote: origin\n");
        std::fs::write(
            w.join("team.yaml"),
            "# team defaults\nstore:\n  segment_max_bytes: 1024\n",
        )
        .unwrap();
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs.len(), 1, "{:?}", r.findings);
        assert_eq!(errs[0].file.as_deref(), Some("team.yaml"));
        assert_eq!(errs[0].line, Some(3));
        assert!(
            errs[0].message.contains("`store.segment_max_bytes`"),
            "{}",
            errs[0].message
        );
        assert!(errs[0].message.contains("65536"), "{}", errs[0].message);
        // Overridden in the repo file, the bad value no longer matters.
        std::fs::write(
            w.join(CONFIG_FILE),
            "version: 1\nextends: [../team.yaml]\nstore:\n  segment_max_bytes: 65536\n",
        )
        .unwrap();
        let r = load_with(&w, &env).unwrap();
        assert_eq!(r.store.segment_max_bytes, 65536);
        assert_eq!(r.layers.len(), 2);
        drop(t);
    }

    #[test]
    fn yaml_syntax_error_is_an_error_with_line() {
        let (_t, w, env) = repo("version: 1\nsync:\n  remote: \"origin\n");
        let err = load_with(&w, &env).unwrap_err();
        assert!(
            err.message()
                .starts_with("invalid config: .codexa/config.yaml:"),
            "{}",
            err.message()
        );
        assert!(
            err.message().contains("YAML syntax error"),
            "{}",
            err.message()
        );
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs[0].check, "config.yaml");
        assert!(errs[0].line.unwrap() >= 3);
    }

    #[test]
    fn missing_extends_target_is_reported_with_fix() {
        let (_t, w, env) = repo("version: 1\nextends:\n  - ../gone.yaml\n");
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(3));
        assert!(errs[0].fix.as_deref().unwrap().contains("create gone.yaml"));
        assert!(load_with(&w, &env).is_err());
    }

    #[test]
    fn missing_version_points_at_repo_file() {
        let (_t, w, env) = repo("sync:\n  remote: origin\n");
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(
            errs[0].message,
            "missing required key `version` at .codexa/config.yaml:1"
        );
        assert_eq!(
            errs[0].fix.as_deref(),
            Some("add `version: 1` at the top level (.codexa/config.yaml:1)")
        );
    }

    #[test]
    fn several_problems_are_all_reported() {
        let (_t, w, env) = repo(
            "version: 2\nagents:\n  bob:\n    provider: gpt\n    role: reviewer\n    colour: red\n",
        );
        let r = doctor_config_with(&w, &env);
        let errs = errors(&r);
        assert_eq!(errs.len(), 3, "{:#?}", errs);
        let lines: Vec<_> = errs.iter().map(|f| f.line.unwrap()).collect();
        assert!(
            lines.contains(&1) && lines.contains(&4) && lines.contains(&6),
            "{lines:?}"
        );
        let err = load_with(&w, &env).unwrap_err();
        assert!(
            err.hint_text().unwrap().contains("2 more problems"),
            "{:?}",
            err.hint_text()
        );
    }

    /// Every commented-out key in the example config is at its default:
    /// uncommenting them all must change neither value nor hash, and must
    /// cover every setting the schema fills in.
    #[test]
    fn example_config_comments_are_the_defaults() {
        let uncommented: String = EXAMPLE_FILES[0]
            .1
            .lines()
            .map(|l| {
                let key = l.strip_prefix("# ").filter(|rest| {
                    let t = rest.trim_start();
                    let name: String = t
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    !name.is_empty()
                        && (t[name.len()..].starts_with(": ") || &t[name.len()..] == ":")
                });
                format!("{}\n", key.unwrap_or(l))
            })
            .collect();
        let (_t, w, env) = repo(&uncommented);
        let pinned = load_with(&w, &env).unwrap();
        let stock = load_with(tempfile::tempdir().unwrap().path(), &Env::default()).unwrap();
        assert_eq!(pinned.value, stock.value, "{uncommented}");
        assert_eq!(pinned.hash, stock.hash);
        // And the uncommented file spells out every default-bearing setting.
        let explicit = yaml::parse(&uncommented).unwrap().value;
        let mut filled = explicit.clone();
        schema::apply_defaults("config", &mut filled);
        assert_eq!(filled, explicit, "the example lacks a commented default");
    }
}
