//! `codexa discover`: map the repository in one pass — files and lines
//! (tokei's counts), complexity (tree-sitter), git history (churn, authors,
//! co-change coupling), components and what they are for, hotspots and
//! change zones — and write the manifests agents read (`run`).

pub mod cache;
pub mod complexity;
pub mod components;
pub mod files;
pub mod findings;
pub mod history;
pub mod intent;
pub mod manifest;
pub mod run;
pub mod zones;
