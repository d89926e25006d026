//! Config, policy and schemas: reading `.codexa/config.yaml` through its
//! `extends` layers, validating it and `.codexa/policy.yaml` against the
//! embedded JSON Schemas with every problem traced to a file and line, and
//! the resolved config's hash that events carry as provenance.
//! Everything here reports problems as data (`Finding`s) so `doctor` can show
//! them all at once; `load` turns the first into an error for commands that
//! simply need a valid config.

pub mod layers;
pub mod schema;
pub mod yaml;

mod event_check;
mod file_check;
mod finding;
mod loading;
mod resolved_cache;
mod sections;
mod valid_cache;

pub use event_check::{validate_envelope, validate_event_data};
pub use file_check::{
    check_bytes, check_file, doctor_policy, require_valid_bytes, require_valid_file,
};
pub use finding::{Finding, Status};
pub use layers::Env;
pub use loading::{ConfigReport, Layer, doctor_config, doctor_config_with, load, load_with};
pub use resolved_cache::{Probe, ResolvedCache};
pub use sections::*;
pub use valid_cache::ValidCache;

/// The project config, relative to the work dir.
pub const CONFIG_FILE: &str = ".codexa/config.yaml";
/// The policy, relative to the work dir.
pub const POLICY_FILE: &str = ".codexa/policy.yaml";

/// What `codexa init` writes under `.codexa/` (path relative to `.codexa/`,
/// contents). No `.gitignore`: the log and its caches live in the git
/// directory, so nothing under `.codexa/` is derived.
pub const EXAMPLE_FILES: &[(&str, &str)] = &[
    (
        "config.yaml",
        include_str!("../../.codexa-example/config.yaml"),
    ),
    (
        "policy.yaml",
        include_str!("../../.codexa-example/policy.yaml"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_files_are_the_checked_in_ones() {
        let names: Vec<_> = EXAMPLE_FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["config.yaml", "policy.yaml"]);
    }
}
