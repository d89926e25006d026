//! `codexa discover` on a fixture repository the test builds: files in
//! several languages and a scripted history, checked against numbers worked
//! out by hand (lines, complexity) and against `git log --numstat` (churn,
//! revisions, coupling).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{TestEnv, stderr, stdout};

const BILLING: &str = "//! Prices and invoices.
pub fn price(qty: u32, member: bool) -> u32 {
    if qty > 10 && member {
        90
    } else if qty > 10 {
        95
    } else {
        100
    }
}
";

const REPORT: &str = "# Report tool.
def summarize(rows):
    total = 0
    for r in rows:
        if r > 0 and r < 100:
            total += r
    return total
";

const CLASSIFY: &str = "package main

func classify(n int) string {
\tswitch {
\tcase n < 0:
\t\treturn \"neg\"
\tcase n == 0:
\t\treturn \"zero\"
\tdefault:
\t\treturn \"pos\"
\t}
}
";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn append(dir: &Path, rel: &str, text: &str) {
    let mut old = std::fs::read_to_string(dir.join(rel)).unwrap();
    old.push_str(text);
    std::fs::write(dir.join(rel), old).unwrap();
}

/// Commit everything with a fixed date, so history is the same each run.
fn commit(env: &TestEnv, dir: &Path, n: u32, msg: &str) {
    env.git(dir, &["add", "-A"]);
    let date = format!("2026-01-{:02}T10:00:00Z", n.min(28));
    let mut cmd = std::process::Command::new("git");
    cmd.args(["commit", "-q", "-m", msg]).current_dir(dir);
    env.apply_env(&mut cmd);
    cmd.env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date);
    assert!(cmd.status().unwrap().success());
}

/// The fixture: a Cargo workspace with one member (`billing`), a Python
/// tool and a Go file at the root; billing and the tool change together
/// six times, billing twice more alone.
fn fixture(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.init_repo("shop");
    write(
        &dir,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\n",
    );
    write(
        &dir,
        "crates/billing/Cargo.toml",
        "[package]\nname = \"billing\"\ndescription = \"Prices and invoices for the shop\"\n",
    );
    write(&dir, "crates/billing/src/lib.rs", BILLING);
    write(&dir, "tools/report.py", REPORT);
    write(&dir, "main.go", CLASSIFY);
    commit(env, &dir, 1, "add the code");
    for n in 0..6 {
        append(
            &dir,
            "crates/billing/src/lib.rs",
            &format!("// change {n}\n"),
        );
        append(&dir, "tools/report.py", &format!("# change {n}\n"));
        commit(env, &dir, 2 + n, "billing and report together");
    }
    for n in 0..2 {
        append(
            &dir,
            "crates/billing/src/lib.rs",
            &format!("// alone {n}\n"),
        );
        commit(env, &dir, 10 + n, "billing alone");
    }
    dir
}

fn discover(env: &TestEnv, dir: &Path, args: &[&str]) -> Value {
    let out = env
        .codexa(dir)
        .args(["discover", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn yaml(dir: &Path, rel: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(".codexa/manifests").join(rel)).unwrap();
    codexa::config::yaml::parse(&text).unwrap().value
}

fn manifests(dir: &Path) -> BTreeMap<std::path::PathBuf, Vec<u8>> {
    crate::common::files_under(&dir.join(".codexa/manifests"), &[])
}

/// Per file at HEAD: (revisions, added + removed), from `git log --numstat`.
fn git_churn(env: &TestEnv, dir: &Path) -> BTreeMap<String, (u32, u64)> {
    let log = env.git(
        dir,
        &["log", "--numstat", "--no-merges", "--format=commit %H"],
    );
    let at_head: Vec<String> = env
        .git(dir, &["ls-files"])
        .lines()
        .map(str::to_string)
        .collect();
    let mut out: BTreeMap<String, (u32, u64)> = BTreeMap::new();
    for line in log.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        if let [added, removed, path] = parts.as_slice()
            && at_head.iter().any(|p| p == path)
        {
            let e = out.entry(path.to_string()).or_default();
            e.0 += 1;
            e.1 += added.parse::<u64>().unwrap_or(0) + removed.parse::<u64>().unwrap_or(0);
        }
    }
    out
}

fn model_file<'a>(model: &'a Value, path: &str) -> &'a Value {
    model["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in {model:#}"))
}

#[test]
fn a_fixture_repository_gives_exact_lines_complexity_churn_coupling_and_hotspots() {
    let env = TestEnv::new();
    let dir = fixture(&env);
    let summary = discover(&env, &dir, &[]);
    assert_eq!(summary["changes"]["previous"], false);
    // The README and `codexa init` commits, then the fixture's nine.
    assert_eq!(summary["commits"], 11);

    let m = yaml(&dir, "system_manifest.yaml");
    let problems = codexa::config::schema::validate("system_manifest", &m).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        m["provenance"]["head"],
        env.git(&dir, &["rev-parse", "HEAD"])
    );

    // Lines, as tokei counts them (worked out by hand for these files).
    let langs: BTreeMap<&str, (u64, u64, u64)> = m["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap(),
                (
                    l["code"].as_u64().unwrap(),
                    l["comments"].as_u64().unwrap(),
                    l["blanks"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    // lib.rs: 9 code, the doc line and 8 appended comment lines.
    assert_eq!(langs["Rust"], (9, 9, 0));
    // report.py: 6 code, the header and 6 appended comments.
    assert_eq!(langs["Python"], (6, 7, 0));
    assert_eq!(langs["Go"], (11, 0, 1));

    // Components: the workspace member and the root.
    let comps: Vec<(&str, &str, &str)> = m["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["path"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        comps,
        [
            ("root", ".", "root"),
            ("billing", "crates/billing", "cargo")
        ]
    );
    let billing = &m["components"][1];
    assert_eq!(billing["purpose"], "Prices and invoices for the shop");
    assert_eq!(billing["purpose_source"], "crates/billing/Cargo.toml");
    assert_eq!(billing["entry_points"][0], "crates/billing/src/lib.rs");

    // Complexity of known functions (1 + decision points).
    let model = yaml(&dir, "system_model/billing.yaml");
    let price = &model["functions"][0];
    assert_eq!(
        (price["name"].as_str(), price["complexity"].as_u64()),
        (Some("price"), Some(4))
    );
    let root = yaml(&dir, "system_model/root.yaml");
    let complexity = |name: &str| {
        root["functions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .and_then(|f| f["complexity"].as_u64())
    };
    assert_eq!(complexity("summarize"), Some(4));
    assert_eq!(complexity("classify"), Some(3));

    // Churn and revisions: what `git log --numstat` says for the same range.
    let git = git_churn(&env, &dir);
    for (path, model) in [
        ("crates/billing/src/lib.rs", &model),
        ("tools/report.py", &root),
        ("main.go", &root),
    ] {
        let f = model_file(model, path);
        assert_eq!(
            (
                f["revisions"].as_u64().unwrap() as u32,
                f["churn"].as_u64().unwrap()
            ),
            git[path],
            "{path}"
        );
    }

    // Coupling: 7 shared revisions of 9 and 7 → 7 / 8 = 87 %.
    let coupling = &model["couplings"][0];
    assert_eq!(coupling["a"], "crates/billing/src/lib.rs");
    assert_eq!(coupling["b"], "tools/report.py");
    assert_eq!(
        (coupling["shared"].as_u64(), coupling["degree"].as_u64()),
        (Some(7), Some(87))
    );

    // Hotspots: complexity × revisions, Markdown and TOML never.
    let hot: Vec<(&str, u64)> = m["hotspots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["path"].as_str().unwrap(), h["score"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        hot,
        [
            ("crates/billing/src/lib.rs", 36),
            ("tools/report.py", 28),
            ("main.go", 3)
        ]
    );
    // The coupled pair is the top zone.
    assert_eq!(
        m["zones"][0]["files"],
        serde_json::json!(["crates/billing/src/lib.rs", "tools/report.py"])
    );
    assert_eq!(m["zones"][0]["risk"], "high");
    let zones_md = std::fs::read_to_string(dir.join(".codexa/manifests/change_zones.md")).unwrap();
    assert!(
        zones_md.contains("87 % coupled (7 shared revisions)"),
        "{zones_md}"
    );
    let intent = std::fs::read_to_string(dir.join(".codexa/manifests/intent_map.md")).unwrap();
    assert!(
        intent.contains("Prices and invoices for the shop\n\nSource: `crates/billing/Cargo.toml`"),
        "{intent}"
    );

    // The run is an event with its telemetry.
    let events = env.query(&dir, &["--type", "discover.completed"]);
    assert_eq!(events.len(), 1);
    let data = &events[0]["data"];
    for phase in ["walk", "measure", "history", "components", "zones", "write"] {
        assert!(data["timings_ms"][phase].is_u64(), "{phase}: {data:#}");
    }
    assert_eq!(data["outputs"].as_array().unwrap().len(), 5);
    env.assert_verifies(&dir);
}

#[test]
fn the_same_commit_writes_the_same_bytes_and_a_new_commit_changes_only_what_it_touched() {
    let env = TestEnv::new();
    let dir = fixture(&env);
    discover(&env, &dir, &[]);
    let first = manifests(&dir);
    let again = discover(&env, &dir, &[]);
    assert_eq!(manifests(&dir), first, "byte-identical manifests");
    assert!(
        again["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["changed"] == false)
    );
    assert_eq!(again["changes"]["previous"], true);
    assert!(
        again["cached_files"].as_u64().unwrap() >= 3,
        "unchanged files reuse their complexity"
    );
    assert_eq!(again["changes"]["new_hotspots"], serde_json::json!([]));
    let out = env.codexa(&dir).arg("discover").output().unwrap();
    assert!(
        stdout(&out).contains("manifests unchanged"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("no change since the last run"),
        "{}",
        stdout(&out)
    );

    // A commit touching only the Go file: billing's model stays as it was.
    append(
        &dir,
        "main.go",
        "\nfunc extra(a, b bool) bool {\n\treturn a && b\n}\n",
    );
    commit(&env, &dir, 20, "go only");
    let third = discover(&env, &dir, &[]);
    let changed: Vec<&str> = third["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["changed"] == true)
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    assert!(
        changed.contains(&".codexa/manifests/system_manifest.yaml"),
        "{changed:?}"
    );
    assert!(
        changed.contains(&".codexa/manifests/system_model/root.yaml"),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&".codexa/manifests/system_model/billing.yaml"),
        "{changed:?}"
    );
}

#[test]
fn focus_deepens_one_area_and_leaves_the_rest_alone() {
    let env = TestEnv::new();
    let dir = fixture(&env);
    discover(&env, &dir, &[]);
    let before = manifests(&dir);
    let s = discover(&env, &dir, &["--focus", "crates/billing"]);
    assert_eq!(s["focus"], "crates/billing");
    let page =
        std::fs::read_to_string(dir.join(".codexa/manifests/focus/crates-billing.md")).unwrap();
    assert!(
        page.contains("| `price` | `crates/billing/src/lib.rs` | 2 | 4 |"),
        "{page}"
    );
    assert!(
        page.contains("| `crates/billing/src/lib.rs` | `tools/report.py` | 87 % | 7 |"),
        "{page}"
    );
    let mut after = manifests(&dir);
    after.retain(|p, _| !p.starts_with("focus"));
    assert_eq!(after, before, "the other manifests are untouched");
    // A focus outside the repository is refused, naming the argument.
    let out = env
        .codexa(&dir)
        .args(["discover", "--focus", "/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--focus /"), "{}", stderr(&out));
}

#[test]
fn odd_repositories_get_clear_answers() {
    let env = TestEnv::new();
    // Not a git repository.
    let plain = env.path("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let out = env.codexa(&plain).arg("discover").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("git"), "{}", stderr(&out));

    // An empty repository (no commit yet): files counted, no history.
    let empty = env.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    env.git(&empty, &["init", "-q"]);
    env.codexa(&empty).args(["init", "-q"]).assert().success();
    write(&empty, "a.py", "def f(x):\n    return x\n");
    let s = discover(&env, &empty, &[]);
    assert_eq!(
        (s["commits"].as_u64(), s["files"].as_u64()),
        (Some(0), Some(1))
    );
    assert!(s["head"].is_null());
    let m = yaml(&empty, "system_manifest.yaml");
    assert!(m["provenance"]["head"].is_null());
    assert_eq!(m["hotspots"], serde_json::json!([]));

    // Binary and huge files: counted where tokei can, never parsed.
    let dir = env.init_repo("odd");
    let config = dir.join(".codexa/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("discover:\n  max_parse_bytes: 2048\n");
    std::fs::write(&config, text).unwrap();
    std::fs::write(dir.join("logo.png"), [0x89u8, b'P', b'N', b'G', 0, 0, 1, 2]).unwrap();
    std::fs::write(dir.join("blob.rs"), b"fn a() {}\n\0\0\0 if if if\n").unwrap();
    let big: String = (0..400)
        .map(|i| format!("if (x{i}) {{ y(); }}\n"))
        .collect();
    write(&dir, "big.js", &big);
    commit(&env, &dir, 3, "odd files");
    discover(&env, &dir, &[]);
    let root = yaml(&dir, "system_model/root.yaml");
    let big = model_file(&root, "big.js");
    assert_eq!(
        (big["code"].as_u64(), big["complexity"].as_u64()),
        (Some(400), Some(0))
    );
    let blob = model_file(&root, "blob.rs");
    assert_eq!(blob["complexity"], 0, "{blob:#}");
    let png = model_file(&root, "logo.png");
    assert_eq!(
        (png["language"].is_null(), png["code"].as_u64()),
        (true, Some(0))
    );

    // A bad exclude glob names the key and writes nothing.
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("  exclude: [\"a/**/[\"]\n");
    std::fs::write(&config, text).unwrap();
    let before = manifests(&dir);
    let out = env.codexa(&dir).arg("discover").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("discover.exclude"),
        "{}",
        stderr(&out)
    );
    assert_eq!(manifests(&dir), before);
}

#[test]
fn review_cases_paths_that_sort_apart_focus_on_a_file_excludes_and_a_broken_template() {
    let env = TestEnv::new();
    let dir = env.init_repo("paths");
    // `src/foo/bar.rs` sorts before `src/foo.rs` by component, after it as text.
    write(
        &dir,
        "src/foo.rs",
        "fn a(x: bool) -> bool {\n    x && true\n}\n",
    );
    write(
        &dir,
        "src/foo/bar.rs",
        "fn bar(n: i32) -> i32 {\n    if n > 0 { 1 } else if n < 0 { -1 } else { 0 }\n}\n",
    );
    write(&dir, "src/foo-baz.rs", "fn baz() {}\n");
    write(
        &dir,
        "vendor/dep.rs",
        "fn dep(a: bool) -> bool { a || false }\n",
    );
    for n in 0..6 {
        append(&dir, "src/foo/bar.rs", &format!("// {n}\n"));
        append(&dir, "vendor/dep.rs", &format!("// {n}\n"));
        commit(&env, &dir, 1 + n, "bar and the vendored dep");
    }
    let config = dir.join(".codexa/config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("discover:\n  exclude: [\"vendor/\"]\n");
    std::fs::write(&config, text).unwrap();
    discover(&env, &dir, &[]);
    // No workspace manifest: the top-level folder `src` is the component.
    let src = yaml(&dir, "system_model/src.yaml");
    let names: Vec<&str> = src["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"bar") && names.contains(&"a"), "{names:?}");
    // The excluded file is in no zone, though it changes with bar.rs.
    let m = yaml(&dir, "system_manifest.yaml");
    let zoned: Vec<&str> = m["zones"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|z| z["files"].as_array().unwrap())
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(!zoned.iter().any(|f| f.starts_with("vendor/")), "{zoned:?}");

    // Focus on one file.
    discover(&env, &dir, &["--focus", "src/foo/bar.rs"]);
    let page =
        std::fs::read_to_string(dir.join(".codexa/manifests/focus/src-foo-bar-rs.md")).unwrap();
    assert!(
        page.contains("| `bar` | `src/foo/bar.rs` | 1 | 3 |"),
        "{page}"
    );

    // A broken template override: an error naming it, and nothing written.
    append(&dir, "src/foo-baz.rs", "fn more(x: bool) { if x {} }\n");
    commit(&env, &dir, 20, "more");
    write(
        &dir,
        ".codexa/templates/intent_map.md.j2",
        "{{ nope.missing }}\n",
    );
    let before = manifests(&dir);
    let out = env.codexa(&dir).arg("discover").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".codexa/templates/intent_map.md.j2"),
        "{}",
        stderr(&out)
    );
    assert_eq!(manifests(&dir), before, "no manifest written");
}

/// `analyze discover` reads the runs back: each run's telemetry as discover
/// printed it, and the hotspots that moved between the first run and the
/// last, worked out here from the two rankings.
#[test]
fn analyze_discover_shows_each_run_and_how_the_hotspots_moved() {
    let env = TestEnv::new();
    let dir = fixture(&env);
    let run_at = |ts: &str| -> Value {
        let out = env
            .codexa(&dir)
            .env("CODEXA_TEST_NOW", ts)
            .args(["discover", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let first = run_at("2026-02-01T10:00:00Z");
    // main.go becomes the busiest file.
    for n in 0..12 {
        append(&dir, "main.go", &format!("// busy {n}\n"));
        commit(&env, &dir, 20 + n, "main.go again");
    }
    write(
        &dir,
        "tools/extra.py",
        "def extra(x):\n    if x:\n        return 1\n    return 2\n",
    );
    commit(&env, &dir, 28, "one more tool");
    let second = run_at("2026-02-02T10:00:00Z");

    let out = env
        .codexa(&dir)
        .env("CODEXA_TEST_NOW", "2026-02-03T00:00:00Z")
        .args(["analyze", "discover", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (run, printed) in runs.iter().zip([&first, &second]) {
        for key in ["files", "code", "commits", "hotspots", "cached_files"] {
            assert_eq!(run[key], printed[key], "{key}");
        }
        let total: u64 = printed["timings_ms"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(run["total_ms"], total);
    }
    let ranks = |v: &Value| -> Vec<String> {
        v["hotspots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect()
    };
    let (before, after) = (ranks(&first), ranks(&second));
    assert_ne!(before, after, "the fixture must move the ranking");
    let rank_in = |list: &[String], p: &str| list.iter().position(|x| x == p).map(|i| i + 1);
    let entered: Vec<Value> = after
        .iter()
        .filter(|p| rank_in(&before, p).is_none())
        .map(|p| serde_json::json!({"path": p, "rank": rank_in(&after, p).unwrap()}))
        .collect();
    let left: Vec<Value> = before
        .iter()
        .filter(|p| rank_in(&after, p).is_none())
        .map(|p| serde_json::json!({"path": p, "rank": rank_in(&before, p).unwrap()}))
        .collect();
    let moved: Vec<Value> = after
        .iter()
        .filter_map(|p| {
            let (from, to) = (rank_in(&before, p)?, rank_in(&after, p)?);
            (from != to).then(|| serde_json::json!({"path": p, "from": from, "to": to}))
        })
        .collect();
    let m = &report["hotspots"];
    assert_eq!(m["entered"], Value::Array(entered));
    assert_eq!(m["left"], Value::Array(left));
    assert_eq!(m["moved"], Value::Array(moved));
    assert_eq!(m["from"], "2026-02-01T10:00:00.000Z");
    assert_eq!(m["to"], "2026-02-02T10:00:00.000Z");

    let text = env
        .codexa(&dir)
        .args(["analyze", "discover"])
        .output()
        .unwrap();
    assert!(
        stdout(&text).contains("Discover, all history: 2 run(s)"),
        "{}",
        stdout(&text)
    );
}
