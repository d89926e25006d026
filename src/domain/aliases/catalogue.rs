//! Reading the catalogue: the built-in phrases (the repository's
//! `commands/*.yaml`, embedded in the binary), then the project's
//! `.codexa/commands/*.yaml`, each file checked against its schema, and a
//! project phrase refused when it would stand for a command only a person
//! may run.

use std::path::Path;

use serde_json::Value;

use super::argv::{command_words, decides};
use super::pattern::Entry;
use super::resolve::Catalogue;
use crate::config::{self, yaml};
use crate::error::{Error, Result};

/// Where a project's phrases live, relative to the work tree.
pub const PROJECT_DIR: &str = ".codexa/commands";

/// The built-in catalogue: the repository's `commands/*.yaml`.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "commands/approvals.yaml",
        include_str!("../../../commands/approvals.yaml"),
    ),
    (
        "commands/threads.yaml",
        include_str!("../../../commands/threads.yaml"),
    ),
    (
        "commands/store.yaml",
        include_str!("../../../commands/store.yaml"),
    ),
    (
        "commands/loops.yaml",
        include_str!("../../../commands/loops.yaml"),
    ),
    (
        "commands/reports.yaml",
        include_str!("../../../commands/reports.yaml"),
    ),
    (
        "commands/runs.yaml",
        include_str!("../../../commands/runs.yaml"),
    ),
];

impl Catalogue {
    /// The embedded `commands/*.yaml`.
    pub fn builtin() -> Catalogue {
        let mut cat = Catalogue {
            entries: Vec::new(),
        };
        for (name, text) in BUILTIN {
            let doc = yaml::parse(text).unwrap_or_else(|e| panic!("{name}: {}", e.message));
            let entries =
                entries_from(&doc, name).unwrap_or_else(|e| panic!("{name}: {}", e.message()));
            cat.add(entries);
        }
        cat
    }

    /// The built-in catalogue extended by `.codexa/commands/*.yaml` under
    /// `workdir` (when there is a work tree). A bad file is an error naming
    /// `file:line`: a catalogue that half-loads would run what nobody wrote.
    pub fn load(workdir: Option<&Path>) -> Result<Catalogue> {
        let mut cat = Catalogue::builtin();
        let Some(workdir) = workdir else {
            return Ok(cat);
        };
        let dir = workdir.join(PROJECT_DIR);
        let Ok(read) = fs_err::read_dir(&dir) else {
            return Ok(cat);
        };
        let mut files: Vec<_> = read
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        for path in files {
            let shown = format!(
                "{PROJECT_DIR}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            cat.add(load_file(&path, &shown)?);
        }
        Ok(cat)
    }
}

/// A validated catalogue file's entries; semantic errors (a bad slot, an
/// unknown placeholder) name the file and line.
fn entries_from(doc: &yaml::Doc, shown: &str) -> Result<Vec<Entry>> {
    let list = doc
        .value
        .get("phrases")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let phrase = item.get("phrase").and_then(Value::as_str).unwrap_or("");
        let argv: Vec<String> = item
            .get("argv")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let description = item
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        let entry = Entry::new(phrase, argv, description, shown).map_err(|why| {
            let line = doc
                .lines
                .get(&format!("/phrases/{i}"))
                .copied()
                .unwrap_or(1);
            Error::user(format!("{shown}:{line}: phrase `{phrase}`: {why}")).hint(format!(
                "correct the phrase at {shown}:{line}; see commands/README.md for the format"
            ))
        })?;
        out.push(entry);
    }
    Ok(out)
}

/// A project phrase may not choose its command from what is typed (a slot
/// among the command words) nor stand for a deciding one (see `decides`).
fn refuse_deciding(entries: &[Entry], doc: &yaml::Doc, shown: &str) -> Result<()> {
    for (i, e) in entries.iter().enumerate() {
        let words = command_words(&e.argv);
        let chosen = match words.as_slice() {
            [first, ..] if first.contains('{') => Some(first),
            ["events" | "approval", second, ..] if second.contains('{') => Some(second),
            _ => None,
        };
        let why = if let Some(word) = chosen {
            format!("`{word}` lets what is typed choose the command")
        } else if let Some(cmd) = decides(&e.argv) {
            format!("`codexa {cmd}` decides approvals, which only a person does")
        } else {
            continue;
        };
        let line = [format!("/phrases/{i}/argv"), format!("/phrases/{i}")]
            .iter()
            .find_map(|p| doc.lines.get(p).copied())
            .unwrap_or(1);
        return Err(Error::user(format!(
            "{shown}:{line}: phrase `{}`: {why}; a project's phrases may not",
            e.phrase
        ))
        .hint(format!(
            "remove the phrase at {shown}:{line}: a person types `codexa approve|deny|hold …` (or the built-in phrases) to decide"
        )));
    }
    Ok(())
}

/// Check a project catalogue file against the schema, then read it.
fn load_file(path: &Path, shown: &str) -> Result<Vec<Entry>> {
    config::require_valid_file(
        "commands",
        path,
        shown,
        "phrase catalogue",
        "see commands/README.md for the format",
    )?;
    let text = fs_err::read_to_string(path)
        .map_err(|e| Error::io(format!("cannot read {shown}")).caused_by(e))?;
    let doc = yaml::parse(&text)
        .map_err(|e| Error::user(format!("{shown}:{}: {}", e.line, e.message)).hint(e.fix))?;
    let entries = entries_from(&doc, shown)?;
    refuse_deciding(&entries, &doc, shown)?;
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_are_valid_against_the_schema() {
        for (name, text) in BUILTIN {
            let doc = yaml::parse(text).unwrap();
            let issues = config::schema::validate("commands", &doc.value).unwrap();
            assert!(issues.is_empty(), "{name}: {issues:#?}");
            let on_disk =
                std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap();
            assert_eq!(&on_disk, text, "{name}");
        }
        // Every commands/*.yaml is embedded.
        let mut files: Vec<String> =
            std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("commands"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml"))
                .map(|n| format!("commands/{n}"))
                .collect();
        files.sort();
        let mut embedded: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(files, embedded);
    }
}
