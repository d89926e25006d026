//! The manifests' format: `system_manifest.yaml` (schema
//! `schemas/system_manifest.schema.json`) and
//! `system_model/<component>.yaml` under `.codexa/manifests/`, as the types
//! `discover` writes them from and their readers (`loops`) read them back
//! into, so a writer and a reader cannot disagree on a field. How discover
//! fills them is in `findings`.

use serde::{Deserialize, Serialize};

/// Manifest format version.
pub const VERSION: u32 = 1;
/// Where the manifests go, relative to the work tree.
pub const MANIFESTS: &str = ".codexa/manifests";
/// The system manifest, relative to the work tree.
pub const SYSTEM_MANIFEST: &str = ".codexa/manifests/system_manifest.yaml";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Provenance {
    /// HEAD's commit; none in a repository without commits.
    pub head: Option<String>,
    /// sha256 of the resolved config (as events carry it).
    pub config: String,
    pub codexa: String,
    /// Non-merge commits read, up to `discover.history_commits`.
    pub commits: usize,
    pub oldest_commit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Totals {
    pub files: u64,
    pub code: u64,
    pub comments: u64,
    pub blanks: u64,
    pub complexity: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LanguageTotal {
    pub name: String,
    pub files: u64,
    pub code: u64,
    pub comments: u64,
    pub blanks: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LanguageCode {
    pub name: String,
    pub code: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComponentEntry {
    pub name: String,
    pub path: String,
    pub kind: String,
    pub files: u64,
    pub code: u64,
    pub complexity: u64,
    pub languages: Vec<LanguageCode>,
    pub entry_points: Vec<String>,
    pub depends_on: Vec<String>,
    pub purpose: Option<String>,
    pub purpose_source: Option<String>,
    /// Its file in `system_model/`.
    pub model: String,
}

/// One hotspot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hotspot {
    pub path: String,
    pub score: u64,
    pub complexity: u32,
    /// The complexity is a keyword count (no grammar for the language).
    /// Optional in the format: a reader takes a missing one as false.
    #[serde(default)]
    pub estimated: bool,
    pub revisions: u32,
    /// Lines added plus removed in the window.
    pub churn: u64,
    pub authors: u32,
    /// `YYYY-MM-DD` of the newest change.
    pub last_change: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneEntry {
    pub id: String,
    pub name: String,
    pub risk: String,
    pub score: u64,
    pub files: Vec<String>,
}

/// `system_manifest.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SystemManifest {
    pub version: u32,
    pub provenance: Provenance,
    pub totals: Totals,
    pub languages: Vec<LanguageTotal>,
    pub components: Vec<ComponentEntry>,
    pub hotspots: Vec<Hotspot>,
    pub zones: Vec<ZoneEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelFile {
    pub path: String,
    pub language: Option<String>,
    pub code: u64,
    pub complexity: u32,
    pub estimated: bool,
    /// Why it was not parsed (`too large`, `binary`), if so.
    pub skipped: Option<String>,
    pub revisions: u32,
    pub churn: u64,
    pub authors: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelFunction {
    pub name: String,
    pub path: String,
    pub line: u32,
    pub complexity: u32,
}

/// Two files of the component that change together (see
/// `history::Coupling`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelCoupling {
    pub a: String,
    pub b: String,
    pub degree: u32,
    pub shared: u32,
}

/// `system_model/<component>.yaml`: one component in detail. It has no
/// schema and is supporting evidence to its readers, so a reader takes
/// what a file lacks as empty rather than refusing the whole file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ComponentModel {
    pub version: u32,
    pub name: String,
    pub path: String,
    pub kind: String,
    pub purpose: Option<String>,
    pub depends_on: Vec<String>,
    pub zones: Vec<String>,
    pub functions: Vec<ModelFunction>,
    pub couplings: Vec<ModelCoupling>,
    pub files: Vec<ModelFile>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::yaml;

    /// What discover writes, a reader reads back whole: the YAML of a
    /// manifest read into these types and written again is the same text.
    #[test]
    fn the_manifests_read_back_as_written() {
        let manifest = SystemManifest {
            version: VERSION,
            provenance: Provenance {
                head: Some("0123456789abcdef0123456789abcdef01234567".into()),
                config: format!("sha256:{}", "0".repeat(64)),
                codexa: "0.1.0".into(),
                commits: 3,
                oldest_commit: None,
            },
            totals: Totals {
                files: 2,
                code: 30,
                comments: 4,
                blanks: 5,
                complexity: 7,
            },
            languages: vec![LanguageTotal {
                name: "Rust".into(),
                files: 2,
                code: 30,
                comments: 4,
                blanks: 5,
            }],
            components: vec![ComponentEntry {
                name: "shop".into(),
                path: ".".into(),
                kind: "cargo".into(),
                files: 2,
                code: 30,
                complexity: 7,
                languages: vec![LanguageCode {
                    name: "Rust".into(),
                    code: 30,
                }],
                entry_points: vec!["src/main.rs".into()],
                depends_on: Vec::new(),
                purpose: Some("A shop.".into()),
                purpose_source: None,
                model: "system_model/shop.yaml".into(),
            }],
            hotspots: vec![Hotspot {
                path: "src/main.rs".into(),
                score: 12,
                complexity: 4,
                estimated: true,
                revisions: 3,
                churn: 40,
                authors: 2,
                last_change: "2025-12-01".into(),
            }],
            zones: vec![ZoneEntry {
                id: "Z-01".into(),
                name: "src/main.rs".into(),
                risk: "high".into(),
                score: 12,
                files: vec!["src/main.rs".into()],
            }],
        };
        let text = yaml::to_text(&manifest).unwrap();
        let back: SystemManifest =
            serde_json::from_value(yaml::parse(&text).unwrap().value).unwrap();
        assert_eq!(yaml::to_text(&back).unwrap(), text);

        let model = ComponentModel {
            version: VERSION,
            name: "shop".into(),
            couplings: vec![ModelCoupling {
                a: "src/a.rs".into(),
                b: "src/b.rs".into(),
                degree: 75,
                shared: 6,
            }],
            ..ComponentModel::default()
        };
        let text = yaml::to_text(&model).unwrap();
        let back: ComponentModel =
            serde_json::from_value(yaml::parse(&text).unwrap().value).unwrap();
        assert_eq!(yaml::to_text(&back).unwrap(), text);
    }
}
