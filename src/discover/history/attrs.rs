//! A path's `diff` attribute, which decides whether its changes have lines
//! at all (`-diff`, `binary`, or a driver with `diff.<driver>.binary`), as
//! git and libgit2 read `.gitattributes` and config.

use std::collections::HashMap;
use std::path::Path;

use git2::{AttrCheckFlags, AttrValue, Repository};

use super::git_error;
use crate::error::Result;

/// What a path's `diff` attribute makes of its content, as git and
/// libgit2 read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DiffAttr {
    /// Unspecified: binary if the content looks binary (a NUL early on).
    Auto,
    /// `-diff` (or `binary`), or a driver with `diff.<driver>.binary` true.
    Binary,
    /// `diff`, or a driver with `diff.<driver>.binary` false.
    Text,
}

impl DiffAttr {
    /// A change's two sides together: binary if either is, forced text
    /// only if both are.
    pub(super) fn and(self, other: DiffAttr) -> DiffAttr {
        match (self, other) {
            (DiffAttr::Binary, _) | (_, DiffAttr::Binary) => DiffAttr::Binary,
            (DiffAttr::Text, DiffAttr::Text) => DiffAttr::Text,
            _ => DiffAttr::Auto,
        }
    }
}

/// `diff` attributes by path, read on the caller's handle (the one with
/// the work tree, whose `.gitattributes` git reads too) and remembered: a
/// path's attributes are looked up once, not once per change.
pub(super) struct Attrs<'r> {
    repo: &'r Repository,
    paths: HashMap<String, DiffAttr>,
    /// `diff.<driver>.binary`, by driver.
    drivers: HashMap<Vec<u8>, DiffAttr>,
    config: Option<git2::Config>,
}

impl<'r> Attrs<'r> {
    pub(super) fn new(repo: &'r Repository) -> Self {
        Attrs {
            repo,
            paths: HashMap::new(),
            drivers: HashMap::new(),
            config: None,
        }
    }

    pub(super) fn of(&mut self, path: &str) -> Result<DiffAttr> {
        if let Some(&attr) = self.paths.get(path) {
            return Ok(attr);
        }
        let value = self
            .repo
            .get_attr_bytes(Path::new(path), "diff", AttrCheckFlags::FILE_THEN_INDEX)
            .map_err(|e| git_error(&format!("could not read the attributes of {path}"), e))?;
        let attr = match AttrValue::from_bytes(value) {
            AttrValue::Unspecified => DiffAttr::Auto,
            AttrValue::False => DiffAttr::Binary,
            AttrValue::True => DiffAttr::Text,
            AttrValue::String(driver) => self.driver(driver.as_bytes()),
            AttrValue::Bytes(driver) => self.driver(driver),
        };
        self.paths.insert(path.to_string(), attr);
        Ok(attr)
    }

    /// A custom diff driver's say on binary content; anything but a
    /// readable boolean leaves it to the content, as in libgit2.
    fn driver(&mut self, name: &[u8]) -> DiffAttr {
        if let Some(&attr) = self.drivers.get(name) {
            return attr;
        }
        if self.config.is_none() {
            self.config = self.repo.config().and_then(|mut c| c.snapshot()).ok();
        }
        let key = format!("diff.{}.binary", String::from_utf8_lossy(name));
        let attr = match self.config.as_ref().map(|c| c.get_bool(&key)) {
            Some(Ok(true)) => DiffAttr::Binary,
            Some(Ok(false)) => DiffAttr::Text,
            _ => DiffAttr::Auto,
        };
        self.drivers.insert(name.to_vec(), attr);
        attr
    }
}
