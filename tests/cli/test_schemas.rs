//! Schema tests for stored formats: every file `codexa init` writes
//! (`.codexa-example/`) and every sample in `tests/fixtures/schemas/` is
//! checked against the embedded schemas, so a schema change that rejects
//! real files, or accepts broken ones, fails here.
//!
//! Layout: `tests/fixtures/schemas/{valid,invalid}/<schema>/<name>.{yaml,json}`
//! where `<schema>` is `config`, `policy`, `event` or `events.<type>` (for
//! `schemas/events/<type>.schema.json`). An invalid YAML sample states what
//! must be reported in leading comments, `# expect: <text in a message>` and
//! optionally `# expect-line: <n>`; an invalid JSON sample does so in a
//! sibling `<name>.expect` file (JSON has no comments).

use std::path::{Path, PathBuf};

use codexa::config::{EXAMPLE_FILES, Finding, Status, check_file, schema::SCHEMAS};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `events.log.repaired` → `events/log.repaired`.
fn schema_name(dir: &str) -> String {
    match dir.strip_prefix("events.") {
        Some(kind) => format!("events/{kind}"),
        None => dir.to_string(),
    }
}

fn samples(kind: &str) -> Vec<(String, PathBuf)> {
    let base = root().join("tests/fixtures/schemas").join(kind);
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&base).unwrap_or_else(|e| panic!("{}: {e}", base.display())) {
        let dir = dir.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if matches!(
                file.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            ) {
                out.push((schema_name(&name), file));
            }
        }
    }
    out.sort();
    out
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.status == Status::Error)
        .collect()
}

/// The file a schema name is embedded from: the `agent.*` events share one.
fn file_of(name: &str) -> String {
    if name.starts_with("events/agent.") {
        "events/agent".into()
    } else {
        name.to_string()
    }
}

#[test]
fn every_schema_file_is_embedded() {
    let mut on_disk = Vec::new();
    for dir in ["schemas", "schemas/events"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".schema.json"))
            {
                let prefix = if dir == "schemas" { "" } else { "events/" };
                on_disk.push(format!("{prefix}{name}"));
            }
        }
    }
    on_disk.sort();
    let mut embedded: Vec<String> = SCHEMAS.iter().map(|(n, _)| file_of(n)).collect();
    embedded.sort();
    embedded.dedup();
    assert_eq!(
        on_disk, embedded,
        "schemas/ and config::schema::SCHEMAS disagree"
    );
    for (name, src) in SCHEMAS {
        let path = root().join(format!("schemas/{}.schema.json", file_of(name)));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            *src,
            "{}",
            path.display()
        );
    }
}

#[test]
fn example_files_are_valid() {
    let dir = root().join(".codexa-example");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = EXAMPLE_FILES.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        ".codexa-example/ and EXAMPLE_FILES disagree"
    );

    for (name, contents) in EXAMPLE_FILES {
        let path = dir.join(name);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), *contents);
        let schema = name.strip_suffix(".yaml").expect("examples are YAML");
        let findings = check_file(schema, &path, &shown(&path));
        assert!(errors(&findings).is_empty(), "{name}: {findings:#?}");
        assert_eq!(findings.last().unwrap().message, format!("{schema} valid"));
    }
}

#[test]
fn valid_samples_pass() {
    let all = samples("valid");
    assert!(all.len() >= 10, "expected the valid samples, found {all:?}");
    for (schema, path) in all {
        let findings = check_file(&schema, &path, &shown(&path));
        assert!(
            errors(&findings).is_empty(),
            "{} should be a valid {schema}: {findings:#?}",
            shown(&path)
        );
    }
}

#[test]
fn invalid_samples_fail_as_stated() {
    let all = samples("invalid");
    assert!(
        all.len() >= 10,
        "expected the invalid samples, found {all:?}"
    );
    for (schema, path) in all {
        let (expect, expect_line) = expectation(&path);
        let findings = check_file(&schema, &path, &shown(&path));
        let errs = errors(&findings);
        assert!(
            !errs.is_empty(),
            "{} should be an invalid {schema}",
            shown(&path)
        );
        let hit = errs
            .iter()
            .find(|f| f.message.contains(&expect))
            .unwrap_or_else(|| panic!("{}: no error mentions {expect:?}: {errs:#?}", shown(&path)));
        if let Some(line) = expect_line {
            assert_eq!(hit.line, Some(line), "{}: {hit:#?}", shown(&path));
        }
        // Every error says what to do about it.
        for e in &errs {
            assert!(
                e.fix.as_deref().is_some_and(|f| !f.is_empty()),
                "{}: no fix in {e:#?}",
                shown(&path)
            );
        }
    }
}

fn expectation(path: &Path) -> (String, Option<usize>) {
    if path.extension().is_some_and(|e| e == "json") {
        let side = path.with_extension("expect");
        let text = std::fs::read_to_string(&side)
            .unwrap_or_else(|e| panic!("{} needs {}: {e}", path.display(), side.display()));
        return (text.trim().to_string(), None);
    }
    let text = std::fs::read_to_string(path).unwrap();
    let mut expect = None;
    let mut line = None;
    for l in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(e) = l.strip_prefix("# expect:") {
            expect = Some(e.trim().to_string());
        } else if let Some(n) = l.strip_prefix("# expect-line:") {
            line = Some(n.trim().parse().unwrap());
        }
    }
    let expect = expect.unwrap_or_else(|| panic!("{} needs a `# expect:` comment", path.display()));
    (expect, line)
}
