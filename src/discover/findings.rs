//! Filling the manifests from what `discover` found: the system manifest,
//! each component's system model, and the files and functions a focus page
//! lists. Nothing here depends on the clock or on walk order, so the same
//! commit and config give the same bytes.

use std::collections::BTreeMap;

use super::components::{self, Component};
use super::files::FileMeasure;
use super::history::History;
use super::manifest::{
    ComponentEntry, ComponentModel, Hotspot, LanguageCode, LanguageTotal, ModelCoupling, ModelFile,
    ModelFunction, Provenance, SystemManifest, Totals, VERSION, ZoneEntry,
};
use super::zones::Zone;

/// Functions listed per component in its system model.
const TOP_FUNCTIONS: usize = 25;

/// A file name for a component: lowercase, `[a-z0-9-]`.
pub fn slug(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "component".into() } else { s }
}

/// Each component's model file name, unique even when slugs collide
/// (`x`, `x` and `x-2` give `x.yaml`, `x-2.yaml` and `x-2-2.yaml`).
pub fn model_names(comps: &[Component]) -> Vec<String> {
    let mut used: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    comps
        .iter()
        .map(|c| {
            let base = slug(&c.name);
            let mut name = base.clone();
            let mut n = 1;
            while used.contains(&name) {
                n += 1;
                name = format!("{base}-{n}");
            }
            used.insert(name.clone());
            format!("{name}.yaml")
        })
        .collect()
}

pub fn totals(files: &[FileMeasure]) -> Totals {
    files.iter().fold(Totals::default(), |mut t, f| {
        t.files += 1;
        t.code += f.code;
        t.comments += f.comments;
        t.blanks += f.blanks;
        t.complexity += u64::from(f.complexity);
        t
    })
}

/// Per-language totals, largest first (files tokei does not know are left out).
pub fn languages(files: &[FileMeasure]) -> Vec<LanguageTotal> {
    let mut by: BTreeMap<&str, LanguageTotal> = BTreeMap::new();
    for f in files {
        let Some(l) = f.language.as_deref() else {
            continue;
        };
        let t = by.entry(l).or_insert_with(|| LanguageTotal {
            name: l.to_string(),
            files: 0,
            code: 0,
            comments: 0,
            blanks: 0,
        });
        t.files += 1;
        t.code += f.code;
        t.comments += f.comments;
        t.blanks += f.blanks;
    }
    let mut out: Vec<LanguageTotal> = by.into_values().collect();
    out.sort_by(|a, b| b.code.cmp(&a.code).then(a.name.cmp(&b.name)));
    out
}

/// Everything `discover` found, ready to write.
pub struct Findings<'a> {
    pub provenance: Provenance,
    pub files: &'a [FileMeasure],
    pub history: &'a History,
    pub components: &'a [Component],
    pub hotspots: &'a [Hotspot],
    pub zones: &'a [Zone],
}

impl Findings<'_> {
    pub fn manifest(&self) -> SystemManifest {
        let names = model_names(self.components);
        SystemManifest {
            version: VERSION,
            provenance: self.provenance.clone(),
            totals: totals(self.files),
            languages: languages(self.files),
            components: self
                .components
                .iter()
                .zip(names)
                .map(|(c, model)| ComponentEntry {
                    name: c.name.clone(),
                    path: c.path.clone(),
                    kind: c.kind.clone(),
                    files: c.files,
                    code: c.code,
                    complexity: c.complexity,
                    languages: c
                        .languages
                        .iter()
                        .map(|(name, code)| LanguageCode {
                            name: name.clone(),
                            code: *code,
                        })
                        .collect(),
                    entry_points: c.entry_points.clone(),
                    depends_on: c.depends_on.clone(),
                    purpose: c.purpose.clone(),
                    purpose_source: c.purpose_source.clone(),
                    model: format!("system_model/{model}"),
                })
                .collect(),
            hotspots: self.hotspots.to_vec(),
            zones: self
                .zones
                .iter()
                .map(|z| ZoneEntry {
                    id: z.id.clone(),
                    name: z.name.clone(),
                    risk: z.risk.clone(),
                    score: z.score,
                    files: z.files.clone(),
                })
                .collect(),
        }
    }

    /// The files of `dir` (a component's path, or a focus folder) with
    /// their history, for a model or a focus page; `claimed` says whether a
    /// file belongs to a deeper component and is left out.
    pub fn files_under(&self, dir: &str, claimed: &dyn Fn(&str) -> bool) -> Vec<ModelFile> {
        self.files
            .iter()
            .filter(|f| (f.path == dir || components::contains(dir, &f.path)) && !claimed(&f.path))
            .map(|f| {
                let h = self.history.files.get(&f.path);
                ModelFile {
                    path: f.path.clone(),
                    language: f.language.clone(),
                    code: f.code,
                    complexity: f.complexity,
                    estimated: f.estimated,
                    skipped: f.skipped.clone(),
                    revisions: h.map(|h| h.revisions).unwrap_or(0),
                    churn: h.map(|h| h.added + h.removed).unwrap_or(0),
                    authors: h.map(|h| h.authors.len() as u32).unwrap_or(0),
                }
            })
            .collect()
    }

    /// The most complex functions among `paths`.
    pub fn functions_in(&self, paths: &[String], limit: usize) -> Vec<ModelFunction> {
        let mut out: Vec<ModelFunction> = self
            .files
            .iter()
            .filter(|f| paths.binary_search(&f.path).is_ok())
            .flat_map(|f| {
                f.functions.iter().map(|g| ModelFunction {
                    name: g.name.clone(),
                    path: f.path.clone(),
                    line: g.line,
                    complexity: g.complexity,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.complexity
                .cmp(&a.complexity)
                .then(a.path.cmp(&b.path))
                .then(a.line.cmp(&b.line))
        });
        out.truncate(limit);
        out
    }

    /// The system model of each component, with its file name.
    pub fn models(&self) -> Vec<(String, ComponentModel)> {
        let names = model_names(self.components);
        self.components
            .iter()
            .zip(names)
            .map(|(c, name)| {
                // Files of a deeper component are that component's.
                let deeper: Vec<&str> = self
                    .components
                    .iter()
                    .filter(|o| o.path != c.path && components::contains(&c.path, &o.path))
                    .map(|o| o.path.as_str())
                    .collect();
                let claimed = |p: &str| deeper.iter().any(|d| components::contains(d, p));
                let files = self.files_under(&c.path, &claimed);
                let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
                let model = ComponentModel {
                    version: VERSION,
                    name: c.name.clone(),
                    path: c.path.clone(),
                    kind: c.kind.clone(),
                    purpose: c.purpose.clone(),
                    depends_on: c.depends_on.clone(),
                    zones: self
                        .zones
                        .iter()
                        .filter(|z| z.files.iter().any(|f| paths.binary_search(f).is_ok()))
                        .map(|z| z.id.clone())
                        .collect(),
                    functions: self.functions_in(&paths, TOP_FUNCTIONS),
                    couplings: self
                        .history
                        .couplings
                        .iter()
                        .filter(|k| {
                            paths.binary_search(&k.a).is_ok() || paths.binary_search(&k.b).is_ok()
                        })
                        .map(|k| ModelCoupling {
                            a: k.a.clone(),
                            b: k.b.clone(),
                            degree: k.degree,
                            shared: k.shared,
                        })
                        .collect(),
                    files,
                };
                (name, model)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(slug("@shop/Web UI"), "shop-web-ui");
        assert_eq!(slug("github.com/x/y"), "github-com-x-y");
        assert_eq!(slug("---"), "component");
        let comp = |name: &str| Component {
            name: name.into(),
            path: ".".into(),
            kind: "folder".into(),
            ..Component::default()
        };
        let names = model_names(&[comp("x"), comp("x-2"), comp("x")]);
        assert_eq!(names, ["x.yaml", "x-2.yaml", "x-3.yaml"]);
    }
}
