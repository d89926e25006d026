//! Tests of mining: the numbers against `git log --numstat`'s on scripted
//! repositories (renames, binary files, merges, the window, submodules,
//! shallow clones), coupling thresholds, and the changed-paths shortcut
//! against libgit2's whole-tree diff.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::process::Command;

use git2::{DiffFindOptions, DiffOptions};

use super::tree_diff::commit_deltas;
use super::*;

/// A scratch repository driven by the `git` CLI, with fixed names and a
/// clock that ticks a minute per command, so every id is reproducible.
struct Scratch {
    dir: tempfile::TempDir,
    clock: Cell<i64>,
}

impl Scratch {
    fn new() -> Scratch {
        let s = Scratch::empty();
        s.git(&["init", "-q", "-b", "main"]);
        s
    }

    /// A directory with no repository yet.
    fn empty() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
            clock: Cell::new(1_700_000_000),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        self.git_as("Ann", args)
    }

    fn git_as(&self, author: &str, args: &[&str]) -> String {
        let t = self.clock.get() + 60;
        self.clock.set(t);
        let date = format!("@{t} +0000");
        succeed(
            git_command(self.path(), args)
                .env("GIT_AUTHOR_NAME", author)
                .env(
                    "GIT_AUTHOR_EMAIL",
                    format!("{}@example.com", author.to_lowercase()),
                )
                .env("GIT_AUTHOR_DATE", &date)
                .env("GIT_COMMITTER_NAME", "Committer")
                .env("GIT_COMMITTER_EMAIL", "committer@example.com")
                .env("GIT_COMMITTER_DATE", &date),
            args,
        )
    }

    fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let p = self.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).unwrap();
    }

    fn commit(&self, author: &str, message: &str) {
        self.git(&["add", "-A"]);
        self.git_as(author, &["commit", "-q", "--allow-empty", "-m", message]);
    }

    fn rev(&self, what: &str) -> String {
        self.git(&["rev-parse", what]).trim().to_string()
    }

    fn mine(&self, opts: &HistoryOptions) -> History {
        mine(&Repository::open(self.path()).unwrap(), opts).unwrap()
    }

    /// What `git log --numstat` says, folded like `mine`.
    fn git_numbers(&self, max_commits: usize) -> BTreeMap<String, FileHistory> {
        git_numbers(self.path(), max_commits)
    }
}

/// `git <args>` in `dir`, blind to the machine's and the user's git
/// config, ready to run.
fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    cmd
}

/// Runs `cmd` (`git <args>`), which must succeed; its output.
fn succeed(cmd: &mut Command, args: &[&str]) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `git <args>` in `dir`, which must succeed; its output.
fn run_git(dir: &Path, args: &[&str]) -> String {
    succeed(&mut git_command(dir, args), args)
}

/// What `git log --numstat` says about the files at HEAD, folded
/// with the same rename rule as `mine`: the reference numbers.
fn git_numbers(dir: &Path, max_commits: usize) -> BTreeMap<String, FileHistory> {
    let n = max_commits.to_string();
    let log = run_git(
        dir,
        &[
            "log",
            "--numstat",
            "-z",
            "-M",
            "--no-merges",
            "-n",
            &n,
            "--format=%x01%H%x02%aN%x02%ct",
        ],
    );
    // Blobs only: submodules are not files.
    let head_files = run_git(dir, &["ls-tree", "-r", "-z", "HEAD"]);
    let mut alias: HashMap<String, String> = head_files
        .split('\0')
        .filter_map(|entry| entry.split_once('\t'))
        .filter(|(meta, _)| meta.split(' ').nth(1) == Some("blob"))
        .map(|(_, p)| (p.to_string(), p.to_string()))
        .collect();
    let mut out: BTreeMap<String, FileHistory> = BTreeMap::new();
    for chunk in log.split('\x01').filter(|c| !c.is_empty()) {
        let mut tokens = chunk.split('\0');
        let header: Vec<&str> = tokens.next().unwrap().split('\x02').collect();
        let (id, author, time) = (header[0], header[1], header[2].parse().unwrap());
        // (name at this commit, old name if renamed, added, removed)
        let mut changes = Vec::new();
        while let Some(t) = tokens.next() {
            let t = t.trim_start_matches('\n');
            if t.is_empty() {
                continue;
            }
            let mut f = t.splitn(3, '\t');
            let added = f.next().unwrap().parse().unwrap_or(0);
            let removed = f.next().unwrap().parse().unwrap_or(0);
            let path = f.next().unwrap();
            if path.is_empty() {
                let old = tokens.next().unwrap().to_string();
                let new = tokens.next().unwrap().to_string();
                changes.push((new, Some(old), added, removed));
            } else {
                changes.push((path.to_string(), None, added, removed));
            }
        }
        for (name, _, added, removed) in &changes {
            let Some(current) = alias.get(name) else {
                continue;
            };
            let f = out.entry(current.clone()).or_insert_with(|| FileHistory {
                revisions: 0,
                added: 0,
                removed: 0,
                authors: Vec::new(),
                last_change: time,
                last_commit: id.to_string(),
            });
            f.revisions += 1;
            f.added += added;
            f.removed += removed;
            if !f.authors.iter().any(|a| a == author) {
                f.authors.push(author.to_string());
                f.authors.sort();
            }
        }
        let renamed: Vec<(String, Option<String>)> = changes
            .iter()
            .filter_map(|(new, old, ..)| old.clone().map(|old| (old, alias.remove(new))))
            .collect();
        for (old, current) in renamed {
            if let Some(current) = current {
                alias.insert(old, current);
            }
        }
    }
    out
}

/// A function that writes each of its paths anew and commits them, one
/// commit a call: the contents name the call, so every call changes every
/// file it names.
fn toucher(s: &Scratch) -> impl FnMut(&[&str]) + '_ {
    let mut round = 0;
    move |paths| {
        round += 1;
        for p in paths {
            s.write(p, format!("{p} {round}\n"));
        }
        s.commit("Ann", &format!("round {round}"));
    }
}

fn lines(prefix: &str, n: usize) -> String {
    (1..=n).map(|i| format!("{prefix} line {i}\n")).collect()
}

/// Eight-plus commits by three authors: edits, a binary file, a file
/// marked binary by attributes, a rename with an edit, a deleted file, a
/// whitespace-only change, a missing final newline and a merge.
fn scripted() -> Scratch {
    let s = Scratch::new();
    s.write("src/a.rs", lines("a", 10));
    s.write("src/b.rs", lines("b", 5));
    s.write("README.md", "# readme\n");
    s.write("old_name.txt", lines("doc", 20));
    s.write(
        ".gitattributes",
        "*.dat binary\n*.nul diff\n*.drv diff=custom\n*.opaque diff=opaque\n",
    );
    s.git(&["config", "diff.opaque.binary", "true"]);
    s.write("notes.opaque", "text, binary by its driver\n");
    s.write("forced.nul", "text\0with a NUL\nline two\n");
    s.write("custom.drv", lines("drv", 3));
    s.commit("Ann", "one");

    s.write(
        "src/a.rs",
        lines("a", 10).replace("a line 3\n", "A LINE 3\n") + "more\nmore\nmore\n",
    );
    s.write("src/b.rs", lines("b", 6));
    s.write("data.dat", "text but marked binary\n");
    s.commit("Bob", "two");

    s.write("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    s.write("README.md", "# readme\n\nmore words\n");
    s.commit("Ann", "three");

    s.remove("old_name.txt");
    s.write(
        "docs/new_name.txt",
        lines("doc", 20).replace("doc line 7\n", "doc line seven\n"),
    );
    s.commit("Cid", "four: rename");

    s.write("tmp.txt", "temporary\n");
    s.write("src/a.rs", lines("a", 12) + "more\n");
    s.write("data.dat", "still text, still binary\n");
    s.write("forced.nul", "text\0with a NUL\nline 2\nline three\n");
    s.write("notes.opaque", "more text, still binary by its driver\n");
    s.write("custom.drv", lines("drv", 4));
    s.commit("Bob", "five");

    s.remove("tmp.txt");
    s.write("src/b.rs", lines("b", 4));
    s.write("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0changed");
    s.commit("Ann", "six");

    s.git(&["checkout", "-q", "-b", "feature"]);
    s.write("src/c.rs", lines("c", 7));
    s.write("src/b.rs", lines("b", 4) + "feature\n");
    s.commit("Bob", "seven: on a branch");
    s.git(&["checkout", "-q", "main"]);
    s.write("src/a.rs", lines("a", 12));
    s.commit("Ann", "eight");
    s.git(&["merge", "-q", "--no-ff", "-m", "merge feature", "feature"]);

    s.write("docs/new_name.txt", lines("doc", 22));
    s.write("src/a.rs", lines("a", 11));
    s.commit("Cid", "nine");

    s.write("src/b.rs", lines("b", 4).replace('\n', "  \n") + "feature");
    s.commit("Ann", "ten: whitespace and no final newline");
    s
}

#[test]
fn numbers_match_git_log_numstat() {
    let s = scripted();
    let h = s.mine(&HistoryOptions::default());
    assert_eq!(h.files, s.git_numbers(1000));
    assert_eq!(h.commits, 10, "the merge is skipped");
    assert_eq!(h.head.as_deref(), Some(s.rev("HEAD").as_str()));
    let root = s.git(&["rev-list", "--max-parents=0", "HEAD"]);
    assert_eq!(h.oldest.as_deref(), Some(root.trim()));

    let paths: Vec<&str> = h.files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            ".gitattributes",
            "README.md",
            "custom.drv",
            "data.dat",
            "docs/new_name.txt",
            "forced.nul",
            "logo.png",
            "notes.opaque",
            "src/a.rs",
            "src/b.rs",
            "src/c.rs"
        ],
        "deleted files (tmp.txt) and old names (old_name.txt) are absent"
    );
}

#[test]
fn a_rename_carries_history_to_the_new_name() {
    let s = scripted();
    let h = s.mine(&HistoryOptions::default());
    let f = &h.files["docs/new_name.txt"];
    // Added as old_name.txt (+20), renamed with line 7 changed (+1 -1),
    // then line 7 changed back and two lines appended (+3 -1).
    assert_eq!((f.revisions, f.added, f.removed), (3, 24, 2));
    assert_eq!(f.authors, ["Ann", "Cid"]);
    assert!(!h.files.contains_key("old_name.txt"));
}

#[test]
fn binary_files_count_revisions_but_no_lines() {
    let s = scripted();
    let h = s.mine(&HistoryOptions::default());
    for path in ["logo.png", "data.dat", "notes.opaque"] {
        let f = &h.files[path];
        assert_eq!((f.revisions, f.added, f.removed), (2, 0, 0), "{path}");
    }
    // `diff` set: text despite the NUL, as git counts it.
    let f = &h.files["forced.nul"];
    assert_eq!((f.revisions, f.added, f.removed), (2, 4, 1));
}

#[test]
fn a_merge_is_skipped_but_its_branch_counts() {
    let s = scripted();
    let h = s.mine(&HistoryOptions::default());
    let merge = s.rev("HEAD~2");
    assert_eq!(
        s.git(&["rev-list", "--parents", "-n", "1", &merge])
            .split(' ')
            .count(),
        3
    );
    assert!(h.files.values().all(|f| f.last_commit != merge));
    let c = &h.files["src/c.rs"];
    assert_eq!((c.revisions, c.added, c.removed), (1, 7, 0));
    assert_eq!(c.authors, ["Bob"]);
    assert_eq!(c.last_commit, s.rev("feature"));
}

#[test]
fn the_window_holds_the_last_n_non_merge_commits() {
    let s = scripted();
    let opts = HistoryOptions {
        max_commits: 4,
        ..HistoryOptions::default()
    };
    let h = s.mine(&opts);
    assert_eq!(h.commits, 4);
    assert_eq!(h.files, s.git_numbers(4));
    let window = s.git(&["rev-list", "--no-merges", "-n", "4", "HEAD"]);
    assert_eq!(h.oldest.as_deref(), window.lines().last());
    assert!(
        !h.files.contains_key("README.md"),
        "last touched before the window"
    );

    let none = s.mine(&HistoryOptions {
        max_commits: 0,
        ..HistoryOptions::default()
    });
    assert_eq!((none.commits, none.files.len(), none.oldest), (0, 0, None));
    assert!(none.head.is_some());
}

#[test]
fn coupling_with_small_thresholds() {
    let s = Scratch::new();
    let mut touch = toucher(&s);
    for _ in 0..4 {
        touch(&["x.rs", "y.rs"]);
    }
    touch(&["x.rs"]);
    touch(&["x.rs", "z.rs"]);
    // A sweep over 42 files: x and y change, but not together as far as
    // coupling is concerned.
    let sweep: Vec<String> = (0..40).map(|i| format!("gen/f{i:02}.rs")).collect();
    let mut paths: Vec<&str> = sweep.iter().map(String::as_str).collect();
    paths.extend(["x.rs", "y.rs"]);
    touch(&paths);

    let opts = HistoryOptions {
        min_revs: 2,
        min_shared: 2,
        min_degree: 30,
        ..HistoryOptions::default()
    };
    let h = s.mine(&opts);
    assert_eq!(h.files["x.rs"].revisions, 7);
    assert_eq!(h.files["y.rs"].revisions, 5);
    assert_eq!(
        h.couplings,
        [Coupling {
            a: "x.rs".into(),
            b: "y.rs".into(),
            shared: 4,
            // 4 / ((7 + 5) / 2) = 66.7%
            degree: 66,
            revs_a: 7,
            revs_b: 5,
        }],
        "z (one shared revision) and the sweep's files are not coupled"
    );

    // With a changeset limit above the sweep, the sweep counts for x and
    // y (its other files, one revision each, stay under min_revs).
    let h = s.mine(&HistoryOptions {
        max_changeset: 50,
        ..opts
    });
    let xy = h
        .couplings
        .iter()
        .find(|c| c.a == "x.rs" && c.b == "y.rs")
        .unwrap();
    assert_eq!((xy.shared, xy.degree), (5, 83));
    assert!(h.couplings.iter().all(|c| !c.a.starts_with("gen/")));
}

#[test]
fn coupling_with_default_thresholds() {
    let s = Scratch::new();
    let mut touch = toucher(&s);
    for _ in 0..6 {
        touch(&["x.rs", "y.rs"]);
    }
    for _ in 0..2 {
        touch(&["x.rs"]);
    }
    // Shared 4: under min_shared.
    for _ in 0..4 {
        touch(&["p.rs", "q.rs"]);
    }
    // Shared 5 of 20 revisions each: degree 25, under min_degree.
    for _ in 0..5 {
        touch(&["r.rs", "s.rs"]);
    }
    for _ in 0..15 {
        touch(&["r.rs"]);
        touch(&["s.rs"]);
    }
    // Shared 5 of 10 each: degree 50.
    for _ in 0..5 {
        touch(&["t.rs", "u.rs"]);
        touch(&["t.rs"]);
        touch(&["u.rs"]);
    }

    let h = s.mine(&HistoryOptions::default());
    let pair = |a: &str, b: &str, shared, degree, revs_a, revs_b| Coupling {
        a: a.into(),
        b: b.into(),
        shared,
        degree,
        revs_a,
        revs_b,
    };
    assert_eq!(
        h.couplings,
        [
            pair("x.rs", "y.rs", 6, 85, 8, 6),
            pair("t.rs", "u.rs", 5, 50, 10, 10)
        ]
    );
}

/// Every commit's deltas, found through the changed paths, are those of
/// a diff of the whole trees: names that sort around a directory's
/// (`a.rs`, `a-b`, `a/`), a mode change alone, a directory moved whole,
/// a file turned into a directory and back, an empty commit.
#[test]
fn changed_paths_give_the_whole_trees_deltas() {
    let s = Scratch::new();
    for (path, n) in [
        ("a.rs", 3),
        ("a-b", 4),
        ("a/x.rs", 5),
        ("a/y/z.rs", 6),
        ("a0", 2),
        ("b/keep.rs", 7),
        ("d/one.rs", 8),
        ("d/deep/two.rs", 9),
        ("f", 2),
        ("h/inner.rs", 3),
    ] {
        s.write(path, lines(path, n));
    }
    s.commit("Ann", "start");
    s.write("a/y/z.rs", lines("changed", 4));
    s.write("a.rs", lines("changed", 2));
    s.remove("a-b");
    s.commit("Ann", "edit");
    s.git(&["update-index", "--chmod=+x", "a/x.rs"]);
    s.git_as("Ann", &["commit", "-q", "-m", "mode"]);
    s.git(&["mv", "d", "e"]);
    s.commit("Ann", "move a directory");
    s.remove("f");
    s.write("f/g", lines("g", 3));
    s.remove("h/inner.rs");
    std::fs::remove_dir(s.path().join("h")).unwrap();
    s.write("h", lines("h", 2));
    s.commit("Ann", "files become directories and back");
    s.commit("Ann", "empty");
    s.write("a.x/x.rs", lines("a/x.rs", 5));
    s.remove("a/x.rs");
    s.write("a-b/c", lines("c", 2));
    s.commit("Ann", "move past neighbours");

    let repo = Repository::open(s.path()).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    let mut commits = 0;
    for id in walk {
        let id = id.unwrap();
        let commit = repo.find_commit(id).unwrap();
        let parent = commit.parent(0).ok().map(|p| p.tree().unwrap());
        let mut opts = DiffOptions::new();
        opts.include_typechange(true);
        let mut diff = repo
            .diff_tree_to_tree(
                parent.as_ref(),
                Some(&commit.tree().unwrap()),
                Some(&mut opts),
            )
            .unwrap();
        diff.find_similar(Some(DiffFindOptions::new().renames(true)))
            .unwrap();
        let whole: Vec<_> = diff
            .deltas()
            .map(|d| {
                let path = |f: git2::DiffFile| {
                    String::from_utf8_lossy(f.path_bytes().unwrap_or_default()).into_owned()
                };
                let (old, new) = (d.old_file(), d.new_file());
                (d.status(), old.id(), new.id(), path(old), path(new))
            })
            .collect();
        let ours: Vec<_> = commit_deltas(&repo, id)
            .unwrap()
            .iter()
            .map(|d| {
                let (old, new) = (d.old_path.clone(), d.new_path.clone());
                (d.status, d.old_id, d.new_id, old, new)
            })
            .collect();
        assert_eq!(ours, whole, "{:?}", commit.summary());
        commits += 1;
    }
    assert_eq!(commits, 7);
    assert_eq!(
        s.mine(&HistoryOptions::default()).files,
        s.git_numbers(1000)
    );
}

#[test]
fn submodules_are_not_files() {
    let s = Scratch::new();
    s.write("a.txt", "a\n");
    s.commit("Ann", "one");
    let one = s.rev("HEAD");
    // Two submodule entries (gitlinks) pointing at commits this
    // repository does not need to have.
    let gitlink = |path: &str, id: &str| {
        s.git(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{id},{path}"),
        ]);
    };
    gitlink("vendor/kept", &one);
    gitlink("vendor/lib", &one);
    s.git_as("Ann", &["commit", "-q", "-m", "two: submodules"]);
    gitlink("vendor/lib", "1111111111111111111111111111111111111111");
    s.git_as("Ann", &["commit", "-q", "-m", "three: bump"]);
    // The submodule becomes a plain file.
    s.git(&["rm", "-q", "--cached", "vendor/lib"]);
    s.write("vendor/lib", "now\na file\n");
    s.git(&["add", "vendor/lib"]);
    s.git_as("Ann", &["commit", "-q", "-m", "four: a file"]);

    let h = s.mine(&HistoryOptions::default());
    assert!(!h.files.contains_key("vendor/kept"));
    let lib = &h.files["vendor/lib"];
    // Its name's history counts, but a submodule side has no lines.
    assert_eq!((lib.revisions, lib.added, lib.removed), (3, 2, 0));
}

#[test]
fn an_empty_repository_has_no_history() {
    let s = Scratch::new();
    assert_eq!(s.mine(&HistoryOptions::default()), History::default());
}

#[test]
fn a_shallow_clone_stops_at_its_boundary() {
    let s = scripted();
    let clone = Scratch::empty();
    let url = format!("file://{}", s.path().display());
    clone.git(&["clone", "-q", "--depth", "3", &url, "."]);
    let repo = Repository::open(clone.path()).unwrap();
    assert!(repo.is_shallow());
    let h = mine(&repo, &HistoryOptions::default()).unwrap();
    // Three commits deep: the last two and the merge, which is the
    // boundary. Its parents are grafted away, so, as for `git log
    // --no-merges`, it is a root commit (its whole tree added), not a
    // merge.
    assert_eq!(h.commits, 3);
    assert_eq!(h.oldest.as_deref(), Some(s.rev("HEAD~2").as_str()));
    assert_eq!(h.files, clone.git_numbers(1000));
    assert_eq!(h.head.as_deref(), Some(s.rev("HEAD").as_str()));
}

/// CPU seconds used so far by this process (all threads) and by its
/// waited-for children, from /proc (Linux only; `None` elsewhere).
fn cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<f64> = stat
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let tick = Command::new("getconf").arg("CLK_TCK").output().ok()?;
    let tick: f64 = String::from_utf8_lossy(&tick.stdout).trim().parse().ok()?;
    Some((
        (fields.get(11)? + fields.get(12)?) / tick,
        (fields.get(13)? + fields.get(14)?) / tick,
    ))
}

/// Not a test: times `mine` against `git log --numstat --no-merges -n
/// 1000` on the repository at `$CODEXA_HISTORY_BENCH`, wall and CPU, and
/// reports the files whose numbers differ from git's.
#[test]
#[ignore]
#[allow(clippy::print_stderr)] // The timing is reported, not asserted: machines differ.
fn timing_against_git_log() {
    let Ok(path) = std::env::var("CODEXA_HISTORY_BENCH") else {
        eprintln!("set CODEXA_HISTORY_BENCH to a repository to time");
        return;
    };
    let repo = Repository::open(&path).unwrap();
    for _ in 0..5 {
        let cpu0 = cpu_seconds().unwrap_or_default();
        let t = std::time::Instant::now();
        let h = mine(&repo, &HistoryOptions::default()).unwrap();
        let mined = t.elapsed();
        let cpu1 = cpu_seconds().unwrap_or_default();
        let t = std::time::Instant::now();
        let out = Command::new("git")
            .args(["log", "--numstat", "--no-merges", "-n", "1000"])
            .current_dir(&path)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(out.success());
        let git = t.elapsed();
        let cpu2 = cpu_seconds().unwrap_or_default();
        eprintln!(
            "mine: {:.0} ms wall, {:.2} s CPU ({} commits, {} files, {} couplings); \
             git log --numstat: {:.0} ms wall, {:.2} s CPU",
            mined.as_secs_f64() * 1000.0,
            cpu1.0 - cpu0.0,
            h.commits,
            h.files.len(),
            h.couplings.len(),
            git.as_secs_f64() * 1000.0,
            cpu2.1 - cpu1.1,
        );
    }
    let h = mine(&repo, &HistoryOptions::default()).unwrap();
    let git = git_numbers(Path::new(&path), 1000);
    let differ: Vec<&String> = h
        .files
        .keys()
        .chain(git.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|p| h.files.get(*p) != git.get(*p))
        .collect();
    eprintln!(
        "{} of {} files differ from git log --numstat",
        differ.len(),
        h.files.len()
    );
    for p in differ.iter().take(5) {
        eprintln!(
            "  {p}: mine {:?}\n  {p}: git  {:?}",
            h.files.get(*p),
            git.get(*p)
        );
    }
}
