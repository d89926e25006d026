//! `codexa discover`: map the repository in one pass — files and lines
//! (tokei's counts), complexity (tree-sitter), git history (churn, authors,
//! co-change coupling), components — and write the manifests agents read.

pub mod complexity;
pub mod history;
