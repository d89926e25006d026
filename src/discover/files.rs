//! The walk and the per-file measures: every file of the work tree that git
//! and tokei would look at (`.gitignore`, `.ignore`, `.tokeignore`, hidden
//! files skipped, as tokei does, plus `discover.exclude` globs), read once,
//! counted with tokei's own parser (so the counts are tokei's) and, for the
//! languages with a grammar, measured for complexity. The walk and the
//! measuring both run in parallel.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use rayon::prelude::*;
use serde::Serialize;
use tokei::LanguageType;

use super::cache::{self, ComplexityCache};
use super::complexity::{self, FunctionComplexity};
use crate::error::{Error, Result};

/// What one file measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileMeasure {
    /// Relative to the work tree, `/`-separated.
    pub path: String,
    /// tokei's name for the language; none when tokei does not know it.
    pub language: Option<String>,
    pub bytes: u64,
    /// tokei's counts, code embedded in another language included.
    pub code: u64,
    pub comments: u64,
    pub blanks: u64,
    /// Cyclomatic complexity of the file (1 when it has no branches).
    pub complexity: u32,
    /// The complexity is a keyword count, not a parse.
    pub estimated: bool,
    pub functions: Vec<FunctionComplexity>,
    /// Why the file was not measured fully (`too large`, `binary`), if so.
    pub skipped: Option<String>,
}

/// Languages that are prose, markup or data, not code: no complexity.
const NOT_CODE: &[LanguageType] = &[
    LanguageType::Markdown,
    LanguageType::Json,
    LanguageType::Yaml,
    LanguageType::Toml,
    LanguageType::Xml,
    LanguageType::Svg,
    LanguageType::Text,
    LanguageType::ReStructuredText,
    LanguageType::AsciiDoc,
    LanguageType::Css,
    LanguageType::Html,
    LanguageType::Ini,
    LanguageType::Tex,
    LanguageType::Org,
];

fn is_code(language: LanguageType) -> bool {
    !NOT_CODE.contains(&language)
}

/// What the walk was told.
pub struct WalkOptions<'a> {
    pub excludes: &'a [String],
}

/// What the walk found: the files under the root, sorted by path, and
/// what it could not read (a folder without permission), with why.
pub struct Walked {
    pub files: Vec<PathBuf>,
    pub errors: Vec<(String, String)>,
}

/// The files under `root`.
pub fn walk(root: &Path, opts: &WalkOptions<'_>) -> Result<Walked> {
    let mut builder = WalkBuilder::new(root);
    if !opts.excludes.is_empty() {
        let mut overrides = OverrideBuilder::new(root);
        for glob in opts.excludes {
            overrides.add(&format!("!{glob}")).map_err(|e| {
                Error::user(format!("discover.exclude: `{glob}` is not a glob: {e}"))
                    .hint("fix the pattern in .codexa/config.yaml (gitignore syntax)")
            })?;
        }
        let built = overrides
            .build()
            .map_err(|e| Error::user(format!("discover.exclude: {e}")))?;
        builder.overrides(built);
    }
    // tokei's own settings, so the same files are counted.
    builder
        .add_custom_ignore_filename(".tokeignore")
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .ignore(true)
        .parents(true)
        .require_git(false);
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    if let Ok(mut v) = found.lock() {
                        v.push(e.into_path());
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    if let Ok(mut v) = errors.lock() {
                        v.push(walk_error(root, &err));
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut files = found.into_inner().unwrap_or_default();
    files.sort();
    let mut errors = errors.into_inner().unwrap_or_default();
    errors.sort();
    Ok(Walked { files, errors })
}

/// The path an `ignore` error is about (if it says), and the message.
fn walk_error(root: &Path, err: &ignore::Error) -> (String, String) {
    fn path_of(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            _ => None,
        }
    }
    let path = path_of(err)
        .map(|p| relative(root, p))
        .unwrap_or_else(|| ".".into());
    (path, err.to_string())
}

/// The path as the manifests write it.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Measure one file. An unreadable file is an error the caller reports
/// and skips; the walk goes on. A file over `max_parse_bytes` is counted
/// by tokei but not parsed for complexity (minified bundles would cost
/// more than they tell).
pub fn measure(
    root: &Path,
    path: &Path,
    max_parse_bytes: u64,
    cached: &ComplexityCache,
) -> std::io::Result<FileMeasure> {
    let config = tokei::Config::default();
    let language = LanguageType::from_path(path, &config);
    let size = std::fs::metadata(path)?.len();
    // A file no language claims is only listed: never read (an ISO image
    // or model weights would fill memory for nothing).
    let bytes = match language {
        Some(_) => std::fs::read(path)?,
        None => Vec::new(),
    };
    // tokei reads through a decoder that drops a UTF-8 byte-order mark.
    let text = bytes
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(&bytes);
    let mut m = FileMeasure {
        path: relative(root, path),
        language: language.map(|l| l.name().to_string()),
        bytes: size,
        code: 0,
        comments: 0,
        blanks: 0,
        complexity: 0,
        estimated: false,
        functions: Vec::new(),
        skipped: None,
    };
    let Some(language) = language else {
        return Ok(m);
    };
    let stats = language.parse_from_slice(text, &config).summarise();
    m.code = stats.code as u64;
    m.comments = stats.comments as u64;
    m.blanks = stats.blanks as u64;
    if !is_code(language) {
        // Prose and data have no branches; a keyword count of "if" in a
        // README would make documentation look complex.
        return Ok(m);
    }
    if bytes.len() as u64 > max_parse_bytes {
        m.skipped = Some("too large".into());
        return Ok(m);
    }
    if bytes.contains(&0) {
        m.skipped = Some("binary".into());
        return Ok(m);
    }
    let c = cached.get_or(cache::key(language.name(), text), || {
        complexity::analyze(language.name(), &String::from_utf8_lossy(text))
    });
    m.complexity = c.total;
    m.estimated = c.estimated;
    m.functions = c.functions;
    Ok(m)
}

/// Measure every file, in parallel, ticking `progress` once per file.
/// Unreadable files are returned apart, with why.
pub fn measure_all(
    root: &Path,
    files: &[PathBuf],
    max_parse_bytes: u64,
    cached: &ComplexityCache,
    progress: &(dyn Fn(u64) + Sync),
) -> (Vec<FileMeasure>, Vec<(String, String)>) {
    let done = AtomicU64::new(0);
    let results: Vec<std::result::Result<FileMeasure, (String, String)>> = files
        .par_iter()
        .map(|p| {
            let r = measure(root, p, max_parse_bytes, cached)
                .map_err(|e| (relative(root, p), e.to_string()));
            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
            r
        })
        .collect();
    let mut measured = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(m) => measured.push(m),
            Err(e) => failed.push(e),
        }
    }
    // By path as text: the walk orders by path component (`a/b.rs` before
    // `a.rs`), and everything after looks paths up by their text.
    measured.sort_by(|a, b| a.path.cmp(&b.path));
    (measured, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_skips_what_git_and_tokei_skip() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(root.join("target")).unwrap();
        std::fs::create_dir_all(root.join("vendor")).unwrap();
        std::fs::write(root.join(".gitignore"), "target/\n").unwrap();
        std::fs::write(root.join("src/main.rs"), "fn main() {\n    // hi\n\n}\n").unwrap();
        std::fs::write(root.join("target/out.rs"), "fn x() {}\n").unwrap();
        std::fs::write(root.join("vendor/lib.rs"), "fn y() {}\n").unwrap();
        std::fs::write(root.join(".hidden.rs"), "fn z() {}\n").unwrap();
        let excludes = vec!["vendor/".to_string()];
        let files = walk(
            root,
            &WalkOptions {
                excludes: &excludes,
            },
        )
        .unwrap()
        .files;
        let names: Vec<String> = files.iter().map(|p| relative(root, p)).collect();
        // `.gitignore` is hidden, as are `.hidden.rs` and `.codexa/`.
        assert_eq!(names, ["src/main.rs"]);
        let none = ComplexityCache::none();
        let m = measure(root, &files[0], 1 << 20, &none).unwrap();
        assert_eq!(m.language.as_deref(), Some("Rust"));
        assert_eq!((m.code, m.comments, m.blanks), (2, 1, 1));
        assert_eq!(m.complexity, 1);
        let too_big = measure(root, &files[0], 4, &none).unwrap();
        assert_eq!(too_big.skipped.as_deref(), Some("too large"));
        assert_eq!(too_big.code, 2, "still counted");
    }

    #[test]
    fn unreadable_files_are_reported_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("ok.py"), "x = 1\n").unwrap();
        // Gone between the walk and the read, or unreadable: the same path.
        let paths = vec![root.join("gone.py"), root.join("ok.py")];
        let none = ComplexityCache::none();
        let (measured, failed) = measure_all(root, &paths, 1 << 20, &none, &|_| {});
        assert_eq!(measured.len(), 1);
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].0, "gone.py");
        assert!(failed[0].1.contains("No such file"), "{:?}", failed);
    }

    #[test]
    fn a_bad_exclude_names_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let excludes = vec!["a/**/[".to_string()];
        let e = walk(
            dir.path(),
            &WalkOptions {
                excludes: &excludes,
            },
        )
        .err()
        .unwrap();
        assert!(e.message().contains("discover.exclude"), "{}", e.message());
    }
}
