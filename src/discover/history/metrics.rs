//! The measures, code-maat's: per file at HEAD its revisions, lines added
//! and removed, authors and newest change; per pair of files the commits
//! touching both and the degree of their coupling. They are tallied as the
//! walk goes, newest commit first, and read out at the end.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{CommitInfo, Coupling, FileHistory, HistoryOptions};

/// Running totals for one file at HEAD.
#[derive(Default)]
struct FileAcc {
    revisions: u32,
    added: u64,
    removed: u64,
    /// Interned author ids.
    authors: BTreeSet<u32>,
    /// The newest commit touching it, as an index into the window.
    last: Option<usize>,
}

/// The totals so far, files at HEAD named by their index in path order.
pub(super) struct Tally<'c> {
    files: Vec<FileAcc>,
    /// Commits touching both files of a pair, lesser index first.
    shared: HashMap<(u32, u32), u32>,
    /// Author names, interned: a file keeps ids, not strings.
    authors: Vec<&'c str>,
    author_ids: HashMap<&'c str, u32>,
}

impl<'c> Tally<'c> {
    pub(super) fn new(files: usize) -> Self {
        Tally {
            files: (0..files).map(|_| FileAcc::default()).collect(),
            shared: HashMap::new(),
            authors: Vec::new(),
            author_ids: HashMap::new(),
        }
    }

    /// Counts commit `index` of the window (newer ones came first), by
    /// `author`, which touched the files `touched` (repeats allowed).
    /// `coupled` is false for a commit over the changeset limit: it counts
    /// for churn, not for coupling.
    pub(super) fn commit(
        &mut self,
        index: usize,
        author: &'c str,
        mut touched: Vec<u32>,
        coupled: bool,
    ) {
        let author = *self.author_ids.entry(author).or_insert_with(|| {
            self.authors.push(author);
            (self.authors.len() - 1) as u32
        });
        touched.sort_unstable();
        touched.dedup();
        for &file in &touched {
            let f = &mut self.files[file as usize];
            f.revisions += 1;
            f.authors.insert(author);
            f.last.get_or_insert(index);
        }
        if coupled {
            for (i, &a) in touched.iter().enumerate() {
                for &b in &touched[i + 1..] {
                    *self.shared.entry((a, b)).or_insert(0) += 1;
                }
            }
        }
    }

    /// A file's lines added and removed over the whole window.
    pub(super) fn lines(&mut self, file: usize, added: u64, removed: u64) {
        self.files[file].added = added;
        self.files[file].removed = removed;
    }

    /// The files touched in the window, by path (`paths` are the files at
    /// HEAD, in index order), and the pairs meeting every threshold of
    /// `opts`: by degree (highest first), then shared revisions (most
    /// first), then paths.
    pub(super) fn finish(
        self,
        paths: &[String],
        commits: &[CommitInfo],
        opts: &HistoryOptions,
    ) -> (BTreeMap<String, FileHistory>, Vec<Coupling>) {
        let acc = &self.files;
        let mut files = BTreeMap::new();
        for (path, f) in paths.iter().zip(acc) {
            let Some(last) = f.last else { continue };
            let mut names: Vec<String> = f
                .authors
                .iter()
                .map(|&a| self.authors[a as usize].to_string())
                .collect();
            names.sort_unstable();
            names.dedup();
            files.insert(
                path.clone(),
                FileHistory {
                    revisions: f.revisions,
                    added: f.added,
                    removed: f.removed,
                    authors: names,
                    last_change: commits[last].time,
                    last_commit: commits[last].id.to_string(),
                },
            );
        }

        let mut couplings: Vec<Coupling> = self
            .shared
            .into_iter()
            .filter_map(|((a, b), shared)| {
                let revs_a = acc[a as usize].revisions;
                let revs_b = acc[b as usize].revisions;
                // shared / ((revs_a + revs_b) / 2) * 100, in integers so the
                // rounding is exact: shared ≤ min(revs_a, revs_b), so ≤ 100.
                let degree =
                    (u64::from(shared) * 200 / (u64::from(revs_a) + u64::from(revs_b))) as u32;
                let keep = revs_a >= opts.min_revs
                    && revs_b >= opts.min_revs
                    && shared >= opts.min_shared
                    && degree >= opts.min_degree;
                keep.then(|| Coupling {
                    a: paths[a as usize].clone(),
                    b: paths[b as usize].clone(),
                    shared,
                    degree,
                    revs_a,
                    revs_b,
                })
            })
            .collect();
        couplings.sort_by(|x, y| {
            y.degree
                .cmp(&x.degree)
                .then(y.shared.cmp(&x.shared))
                .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
        });
        (files, couplings)
    }
}
