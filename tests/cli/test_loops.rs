//! `codexa loop plan` and `codexa seed --from loop-plan` through the binary,
//! on a fixture repository with a hand-written system manifest (so plans do
//! not depend on discover's numbers) and two agents: the plan's files, the
//! design approval a high-risk change needs and a person granting it, the
//! seeds, posting each seed once, numbering across plans, `--max`,
//! `--goal`, a policy deny, and the errors (no manifest, no plan, a bad id,
//! a missing thread) that change nothing.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{
    Server, TestEnv, assert_fails, eventually, extend_config, new_thread, ok_as, recording_agents,
    run_as, state_of, stderr, stdout, with_agents,
};

/// The manifest `discover` would write for the fixture, by hand: four
/// zones (one of each risk and a second low one), hotspots for four files.
const MANIFEST: &str = r#"version: 1
provenance:
  head: 0123456789abcdef0123456789abcdef01234567
  config: "sha256:0000000000000000000000000000000000000000000000000000000000000000"
  codexa: 0.1.0
  commits: 42
  oldest_commit: fedcba9876543210fedcba9876543210fedcba98
totals:
  files: 6
  code: 600
  comments: 40
  blanks: 60
  complexity: 180
languages:
  - name: Rust
    files: 6
    code: 600
    comments: 40
    blanks: 60
components:
  - name: shop
    path: "."
    kind: cargo
    files: 6
    code: 600
    complexity: 180
    languages:
      - name: Rust
        code: 600
    entry_points:
      - src/main.rs
    depends_on: []
    purpose: A small shop.
    purpose_source: Cargo.toml
    model: system_model/shop.yaml
hotspots:
  - path: src/billing/invoice.rs
    score: 600
    complexity: 40
    revisions: 15
    churn: 700
    authors: 3
    last_change: "2025-12-20"
  - path: src/billing/tax.rs
    score: 300
    complexity: 30
    revisions: 10
    churn: 250
    authors: 1
    last_change: "2025-12-18"
  - path: src/api/rate.rs
    score: 280
    complexity: 28
    revisions: 10
    churn: 400
    authors: 2
    last_change: "2025-12-01"
  - path: src/auth/login.rs
    score: 100
    complexity: 20
    revisions: 5
    churn: 90
    authors: 2
    last_change: "2025-11-02"
zones:
  - id: Z-01
    name: src/billing
    risk: high
    score: 900
    files:
      - src/billing/invoice.rs
      - src/billing/tax.rs
  - id: Z-02
    name: src/api/rate.rs
    risk: medium
    score: 280
    files:
      - src/api/rate.rs
  - id: Z-03
    name: src/auth
    risk: low
    score: 100
    files:
      - src/auth/login.rs
      - src/auth/session.rs
  - id: Z-04
    name: src/util.rs
    risk: low
    score: 10
    files:
      - src/util.rs
"#;

/// The component's system model: only its couplings are read.
const MODEL: &str = r#"version: 1
name: shop
path: "."
kind: cargo
couplings:
  - a: src/billing/invoice.rs
    b: src/billing/tax.rs
    degree: 75
    shared: 6
  - a: src/auth/login.rs
    b: src/auth/session.rs
    degree: 40
    shared: 5
"#;

/// An initialised repository with the fixture's files committed, the
/// manifest written, and two agents and a person configured.
fn shop(env: &TestEnv) -> PathBuf {
    let repo = env.init_repo("shop");
    for f in [
        "src/main.rs",
        "src/billing/invoice.rs",
        "src/billing/tax.rs",
        "src/api/rate.rs",
        "src/auth/login.rs",
        "src/auth/session.rs",
        "src/util.rs",
    ] {
        let path = repo.join(f);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("// {f}\nfn main() {{}}\n")).unwrap();
    }
    env.git(&repo, &["add", "src"]);
    env.git(&repo, &["commit", "-q", "-m", "shop"]);
    let manifests = repo.join(".codexa/manifests");
    std::fs::create_dir_all(manifests.join("system_model")).unwrap();
    std::fs::write(manifests.join("system_manifest.yaml"), MANIFEST).unwrap();
    std::fs::write(manifests.join("system_model/shop.yaml"), MODEL).unwrap();
    extend_config(
        &repo,
        "agents:\n  worker-b: {provider: codex, role: worker}\n  worker-a: {provider: claude, role: worker}\n  boss: {provider: other, role: human}\n",
    );
    repo
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `loop plan ARGS --format json`, parsed.
fn plan_json(env: &TestEnv, dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["loop", "plan", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok_as(env, dir, None, &all)).unwrap()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap_or("-").to_string())
        .collect()
}

fn zone_ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["zone"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_plan_is_written_as_yaml_and_markdown_and_recorded() {
    let env = TestEnv::new();
    let repo = shop(&env);
    let out = env.run(&repo, &["loop", "plan", "--max", "3"]);
    insta::assert_snapshot!(out, @r"
    LP-001: 3 changes
      CH-001  Z-01 src/billing  high risk  2 files  worker-a  needs design approval
      CH-002  Z-02 src/api/rate.rs  medium risk  1 file  worker-b  no approval needed
      CH-003  Z-03 src/auth  low risk  2 files  worker-a  no approval needed
    wrote .codexa/loops/LP-001/plan.yaml
    wrote .codexa/loops/LP-001/plan.md
    [stderr]
    next: codexa seed --from loop-plan LP-001 [--post TH]
    ");

    insta::assert_snapshot!(env.redact(&read(&repo, ".codexa/loops/LP-001/plan.yaml")), @r#"
    version: 1
    id: LP-001
    goal: ~
    created_at: "2026-01-01T00:00:01.000Z"
    created_by: Test User
    max: 3
    manifest:
      path: ".codexa/manifests/system_manifest.yaml"
      head: 0123456789abcdef0123456789abcdef01234567
      sha256: "[SHA-1]"
    changes:
      - id: CH-001
        zone:
          id: Z-01
          name: src/billing
        files:
          - src/billing/invoice.rs
          - src/billing/tax.rs
        risk: high
        score: 900
        why: "Z-01 `src/billing` is change zone 1 of 4 by score (900, high risk): both its files are hotspots (complex and often changed)."
        evidence:
          - "`src/billing/invoice.rs`: complexity 40 × 15 revisions = 600 (churn 700 lines, 3 authors, last changed 2025-12-20)"
          - "`src/billing/tax.rs`: complexity 30 × 10 revisions = 300 (churn 250 lines, 1 author, last changed 2025-12-18)"
          - "`src/billing/invoice.rs` ↔ `src/billing/tax.rs`: 75 % coupled (6 shared revisions)"
        goal_matches: []
        participant: worker-a
        gate:
          zone: high_stakes
          decision: require_approval
          reason_code: design_review_required
          rule: high-stakes-changes
        approvals:
          - kind: design
            action: change.implement
            subject: CH-001
      - id: CH-002
        zone:
          id: Z-02
          name: src/api/rate.rs
        files:
          - src/api/rate.rs
        risk: medium
        score: 280
        why: "Z-02 `src/api/rate.rs` is change zone 2 of 4 by score (280, medium risk): its file is a hotspot (complex and often changed)."
        evidence:
          - "`src/api/rate.rs`: complexity 28 × 10 revisions = 280 (churn 400 lines, 2 authors, last changed 2025-12-01)"
        goal_matches: []
        participant: worker-b
        gate:
          zone: supervised
          decision: allow
          reason_code: default_allow
          rule: ~
        approvals: []
      - id: CH-003
        zone:
          id: Z-03
          name: src/auth
        files:
          - src/auth/login.rs
          - src/auth/session.rs
        risk: low
        score: 100
        why: "Z-03 `src/auth` is change zone 3 of 4 by score (100, low risk): 1 of its 2 files is a hotspot (complex and often changed)."
        evidence:
          - "`src/auth/login.rs`: complexity 20 × 5 revisions = 100 (churn 90 lines, 2 authors, last changed 2025-11-02)"
          - "`src/auth/login.rs` ↔ `src/auth/session.rs`: 40 % coupled (5 shared revisions)"
        goal_matches: []
        participant: worker-a
        gate:
          zone: sandbox
          decision: allow
          reason_code: default_allow
          rule: ~
        approvals: []
    left_out: []
    open_approvals: []
    open_threads: []
    "#);
    insta::assert_snapshot!(read(&repo, ".codexa/loops/LP-001/plan.md"), @r"
    # Loop LP-001

    Planned by Test User at 2026-01-01T00:00:01.000Z with `codexa loop plan` from `.codexa/manifests/system_manifest.yaml` (commit `0123456789abcdef0123456789abcdef01234567`). Do not edit: plan again, or decide the approvals below.

    Goal: none given; zones are taken by score.

    | change | zone | risk | files | agent | approvals |
    |---|---|---|---:|---|---|
    | CH-001 | Z-01 `src/billing` | high | 2 | worker-a | design |
    | CH-002 | Z-02 `src/api/rate.rs` | medium | 1 | worker-b | - |
    | CH-003 | Z-03 `src/auth` | low | 2 | worker-a | - |

    ## CH-001: Z-01 `src/billing`

    Z-01 `src/billing` is change zone 1 of 4 by score (900, high risk): both its files are hotspots (complex and often changed).

    - Risk: high (score 900); policy zone `high_stakes`: require_approval (design_review_required, rule high-stakes-changes)
    - Suggested agent: worker-a

    Files:

    - `src/billing/invoice.rs`
    - `src/billing/tax.rs`

    Evidence:

    - `src/billing/invoice.rs`: complexity 40 × 15 revisions = 600 (churn 700 lines, 3 authors, last changed 2025-12-20)
    - `src/billing/tax.rs`: complexity 30 × 10 revisions = 300 (churn 250 lines, 1 author, last changed 2025-12-18)
    - `src/billing/invoice.rs` ↔ `src/billing/tax.rs`: 75 % coupled (6 shared revisions)

    Approvals needed before it is implemented:

    - `design` for `change.implement` on `CH-001`: a person runs `codexa approve CH-001 --kind design` (or says `approve design for CH-001`)

    ## CH-002: Z-02 `src/api/rate.rs`

    Z-02 `src/api/rate.rs` is change zone 2 of 4 by score (280, medium risk): its file is a hotspot (complex and often changed).

    - Risk: medium (score 280); policy zone `supervised`: allow (default_allow)
    - Suggested agent: worker-b

    Files:

    - `src/api/rate.rs`

    Evidence:

    - `src/api/rate.rs`: complexity 28 × 10 revisions = 280 (churn 400 lines, 2 authors, last changed 2025-12-01)

    No approval needed.

    ## CH-003: Z-03 `src/auth`

    Z-03 `src/auth` is change zone 3 of 4 by score (100, low risk): 1 of its 2 files is a hotspot (complex and often changed).

    - Risk: low (score 100); policy zone `sandbox`: allow (default_allow)
    - Suggested agent: worker-a

    Files:

    - `src/auth/login.rs`
    - `src/auth/session.rs`

    Evidence:

    - `src/auth/login.rs`: complexity 20 × 5 revisions = 100 (churn 90 lines, 2 authors, last changed 2025-11-02)
    - `src/auth/login.rs` ↔ `src/auth/session.rs`: 40 % coupled (5 shared revisions)

    No approval needed.

    ## Waiting on people when planned

    No pending approvals.

    No open threads.

    ## Next

    Seed the changes (one prompt per change, the approvals opened):

        codexa seed --from loop-plan LP-001              # writes .codexa/loops/LP-001/seeds/
        codexa seed --from loop-plan LP-001 --post TH    # and posts each to thread TH
    ");

    let events = env.query(&repo, &["--type", "loop.planned"]);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e["stream"]["type"], "loop");
    assert_eq!(e["stream"]["id"], "LP-001");
    assert_eq!(e["actor"]["id"], "Test User");
    assert_eq!(
        e["data"],
        serde_json::json!({
            "loop": "LP-001",
            "goal": null,
            "changes": ["CH-001", "CH-002", "CH-003"],
            "left_out": [],
            "approvals_required": ["CH-001"],
            "head": "0123456789abcdef0123456789abcdef01234567",
            "plan": ".codexa/loops/LP-001/plan.yaml",
        })
    );
    // Planning asks the gate without recording it: nobody acted yet.
    assert!(env.query(&repo, &["--type", "policy.evaluated"]).is_empty());
    // What it wrote checks against the schema, as `seed` reads it.
    let findings = codexa::config::check_file(
        "loop_plan",
        &repo.join(".codexa/loops/LP-001/plan.yaml"),
        "plan.yaml",
    );
    assert!(
        findings
            .iter()
            .all(|f| f.status != codexa::config::Status::Error),
        "{findings:#?}"
    );
    env.assert_verifies(&repo);
}

#[test]
fn json_output_is_the_plan() {
    let env = TestEnv::new();
    let repo = shop(&env);
    let plan = plan_json(&env, &repo, &[]);
    let on_disk = codexa::config::yaml::parse(&read(&repo, ".codexa/loops/LP-001/plan.yaml"))
        .unwrap()
        .value;
    assert_eq!(plan, on_disk);
    assert_eq!(
        ids(&plan["changes"]),
        ["CH-001", "CH-002", "CH-003", "CH-004"]
    );
    // Agents take turns in name order, people are never suggested.
    let who: Vec<&str> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["participant"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["worker-a", "worker-b", "worker-a", "worker-b"]);
    let gates: Vec<(&str, &str)> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["gate"]["zone"].as_str().unwrap(),
                c["gate"]["decision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        gates,
        [
            ("high_stakes", "require_approval"),
            ("supervised", "allow"),
            ("sandbox", "allow"),
            ("sandbox", "allow"),
        ]
    );
}

#[test]
fn seeding_opens_the_design_approval_a_person_then_grants() {
    let env = TestEnv::new();
    let repo = shop(&env);
    ok_as(&env, &repo, None, &["loop", "plan", "--max", "2"]);
    let out = run_as(&env, &repo, None, &["seed", "--from", "loop-plan"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(env.redact(&stdout(&out)), @r"
    CH-001  wrote .codexa/loops/LP-001/seeds/CH-001.md
    CH-001  design approval appr_01KDVDNBYGYBNFAK4MC8MRHFNK: pending, new (requested by worker-a)
    CH-002  wrote .codexa/loops/LP-001/seeds/CH-002.md
    ");

    let pending: Vec<Value> = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["approvals", "--status", "pending", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(pending.len(), 1, "{pending:#?}");
    let a = &pending[0];
    assert_eq!(
        (
            a["kind"].as_str(),
            a["action"].as_str(),
            a["subject"].as_str(),
            a["requested_by"].as_str()
        ),
        (
            Some("design"),
            Some("change.implement"),
            Some("CH-001"),
            Some("worker-a")
        )
    );
    let gate = [
        "policy",
        "eval",
        "--action",
        "change.implement",
        "--subject",
        "CH-001",
        "--zone",
        "high_stakes",
    ];
    let out = run_as(&env, &repo, Some("worker-a"), &gate);
    assert_eq!(out.status.code(), Some(4), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("design_review_required"),
        "{}",
        stdout(&out)
    );

    // The person who seeded did not ask, so they may decide.
    ok_as(
        &env,
        &repo,
        None,
        &["approve", "CH-001", "--kind", "design"],
    );
    let out = run_as(&env, &repo, Some("worker-a"), &gate);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("allow approved:appr_"),
        "{}",
        stdout(&out)
    );

    // Seeding again asks for nothing new and rewrites nothing.
    let before = state_of(&env, &repo);
    let out = run_as(
        &env,
        &repo,
        None,
        &["seed", "--from", "loop-plan", "LP-001", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["seeds"][0]["changed"], false);
    assert_eq!(v["seeds"][0]["approvals"][0]["status"], "approved");
    assert_eq!(v["seeds"][0]["approvals"][0]["new"], false);
    assert!(v["seeds"][1]["approvals"].as_array().unwrap().is_empty());
    let after = state_of(&env, &repo);
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .collect();
    // Only the log grew (by `loop.seeded`); no file under .codexa/ changed.
    assert!(
        changed.iter().all(|p| p.starts_with("store")),
        "{changed:?}"
    );
    assert_eq!(env.query(&repo, &["--type", "approval.requested"]).len(), 1);
    assert_eq!(env.query(&repo, &["--type", "loop.seeded"]).len(), 2);
}

#[test]
fn a_seed_is_the_agents_brief() {
    let env = TestEnv::new();
    let repo = shop(&env);
    ok_as(
        &env,
        &repo,
        None,
        &["loop", "plan", "--goal", "billing invoices"],
    );
    ok_as(&env, &repo, None, &["seed", "--from", "loop-plan"]);
    let seeds: Vec<String> = std::fs::read_dir(repo.join(".codexa/loops/LP-001/seeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(seeds, ["CH-001.md", "CH-002.md", "CH-003.md", "CH-004.md"]);
    insta::assert_snapshot!(read(&repo, ".codexa/loops/LP-001/seeds/CH-001.md"), @r#"
    # CH-001: Z-01 `src/billing` (LP-001, change 1 of 4)

    For worker-a. This is your brief for one change in loop LP-001, planned by `codexa loop plan` (`.codexa/loops/LP-001/plan.yaml`) from the manifests `codexa discover` wrote at commit `0123456789abcdef0123456789abcdef01234567`.

    Goal: billing invoices

    ## The zone

    - Zone: Z-01 `src/billing`
    - Risk: high (score 900); policy zone `high_stakes`
    - Why: Z-01 `src/billing` is change zone 1 of 4 by score (900, high risk): both its files are hotspots (complex and often changed). It matches the goal on `billing`.

    Files:

    - `src/billing/invoice.rs`
    - `src/billing/tax.rs`

    Evidence:

    - `src/billing/invoice.rs`: complexity 40 × 15 revisions = 600 (churn 700 lines, 3 authors, last changed 2025-12-20)
    - `src/billing/tax.rs`: complexity 30 × 10 revisions = 300 (churn 250 lines, 1 author, last changed 2025-12-18)
    - `src/billing/invoice.rs` ↔ `src/billing/tax.rs`: 75 % coupled (6 shared revisions)

    ## What to do

    1. Read the files above, their tests, and `.codexa/manifests/change_zones.md`.
    2. Make one focused change toward the goal inside this zone: pin current behaviour with tests first, then simplify where complexity and churn are highest.
    3. Run the project's tests and linters; leave them green.
    4. Commit on a branch of your own, with `CH-001` in the commit message.

    ## What not to do

    - Do not edit files outside this zone; if the change needs them, say so in the thread and wait.
    - Do not push, publish or write outside this machine: `git.push` and `external.*` go through the policy gate.
    - Do not decide approvals: only a person can.
    - Do not start changing code before the approvals below are granted.

    ## Approvals

    This change needs a person's approval first:

    - `design` for `change.implement` on `CH-001`. A person runs `codexa approve CH-001 --kind design`, or says `approve design for CH-001` (`codexa ask "approve design for CH-001"`).

    Meanwhile, post your design (approach, files, risks) for review. Check whether you may go ahead with:

        codexa policy eval --action change.implement --subject CH-001 --zone high_stakes

    Exit 0 means approved; 4 means still waiting.

    ## Report back

    Post to the loop's thread (ask the person who gave you this brief which one): when you start, when you are blocked, and when you are done (the commit and what the tests say):

        codexa post TH "CH-001: done in <commit>; tests pass"
    "#);
    let low = read(&repo, ".codexa/loops/LP-001/seeds/CH-003.md");
    assert!(
        low.contains("## Approvals\n\nNone: the policy allows this change (default_allow)."),
        "{low}"
    );
}

#[test]
fn posting_seeds_posts_each_once() {
    let env = TestEnv::new();
    let repo = shop(&env);
    ok_as(&env, &repo, None, &["loop", "plan", "--max", "2"]);
    let th = new_thread(&env, &repo, None, "loop 1", "worker-a,worker-b");
    let out = run_as(
        &env,
        &repo,
        None,
        &["seed", "--from", "loop-plan", "--post", &th],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("CH-001  posted to {th} as #1")),
        "{text}"
    );
    assert!(
        text.contains(&format!("CH-002  posted to {th} as #2")),
        "{text}"
    );

    let out = run_as(
        &env,
        &repo,
        None,
        &["seed", "--from", "loop-plan", "--post", &th],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("CH-001  already posted to {th} as #1")),
        "{}",
        stdout(&out)
    );

    let shown: Value = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["thread", "show", &th, "--format", "json"],
    ))
    .unwrap();
    let messages = shown["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert_eq!(messages[0]["author"], "Test User");
    assert_eq!(messages[0]["mentions"], serde_json::json!(["worker-a"]));
    assert_eq!(messages[1]["mentions"], serde_json::json!(["worker-b"]));
    // The post is the seed, which names the thread to report to.
    let seed = read(&repo, ".codexa/loops/LP-001/seeds/CH-001.md");
    assert_eq!(messages[0]["body"], seed.as_str());
    assert!(
        seed.contains(&format!("codexa post {th} \"CH-001: done")),
        "{seed}"
    );
    // The agent sees it in its inbox.
    let inbox = ok_as(&env, &repo, Some("worker-a"), &["inbox"]);
    assert!(inbox.contains(&th), "{inbox}");
}

#[test]
fn governance_applies_to_posted_seeds() {
    let env = TestEnv::new();
    let repo = shop(&env);
    extend_config(&repo, "governance:\n  authority:\n    default: deny\n");
    ok_as(&env, &repo, None, &["loop", "plan", "--max", "2"]);
    let th = new_thread(&env, &repo, None, "people and worker-a", "worker-a");
    // worker-b is not in the thread: its first post is refused, the rest
    // are not tried, and the seeds and approvals are still in place.
    let out = run_as(
        &env,
        &repo,
        Some("worker-b"),
        &["seed", "--from", "loop-plan", "--post", &th],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("blocked: authority_denied"),
        "{}",
        stderr(&out)
    );
    assert!(repo.join(".codexa/loops/LP-001/seeds/CH-002.md").is_file());
    let shown: Value = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["thread", "show", &th, "--format", "json"],
    ))
    .unwrap();
    assert!(shown["messages"].as_array().unwrap().is_empty());
    assert_eq!(env.query(&repo, &["--type", "governance.blocked"]).len(), 1);
    let seeded = env.query(&repo, &["--type", "loop.seeded"]);
    assert_eq!(seeded[0]["data"]["blocked"], "authority_denied");
    // An agent seeding asks for approvals as itself.
    let requested = env.query(&repo, &["--type", "approval.requested"]);
    assert_eq!(requested[0]["data"]["requested_by"], "worker-b");
}

#[test]
fn numbers_continue_across_plans_and_are_never_reused() {
    let env = TestEnv::new();
    let repo = shop(&env);
    let first = plan_json(&env, &repo, &["--max", "2"]);
    assert_eq!(first["id"], "LP-001");
    assert_eq!(ids(&first["changes"]), ["CH-001", "CH-002"]);

    // The zones of the latest plan are left out; numbering goes on.
    let second = plan_json(&env, &repo, &["--max", "2"]);
    assert_eq!(second["id"], "LP-002");
    assert_eq!(ids(&second["changes"]), ["CH-003", "CH-004"]);
    assert_eq!(zone_ids(&second["changes"]), ["Z-03", "Z-04"]);
    let reasons: Vec<&str> = second["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "already planned as CH-001 in LP-001",
            "already planned as CH-002 in LP-001"
        ]
    );

    // Only the latest plan counts for that: LP-001's zones come back.
    let third = plan_json(&env, &repo, &["--max", "2"]);
    assert_eq!(third["id"], "LP-003");
    assert_eq!(ids(&third["changes"]), ["CH-005", "CH-006"]);
    assert_eq!(zone_ids(&third["changes"]), ["Z-01", "Z-02"]);

    // A deleted folder does not free its numbers: the log remembers.
    std::fs::remove_dir_all(repo.join(".codexa/loops/LP-003")).unwrap();
    let fourth = plan_json(&env, &repo, &["--max", "1"]);
    assert_eq!(fourth["id"], "LP-004");
    assert_eq!(ids(&fourth["changes"]), ["CH-007"]);
}

#[test]
fn max_limits_and_goal_reorders() {
    let env = TestEnv::new();
    let repo = shop(&env);
    let one = plan_json(&env, &repo, &["--max", "1"]);
    assert_eq!(zone_ids(&one["changes"]), ["Z-01"]);
    assert_eq!(one["max"], 1);

    std::fs::remove_dir_all(repo.join(".codexa/loops")).unwrap();
    let goal = plan_json(&env, &repo, &["--goal", "Harden the auth session and util"]);
    assert_eq!(goal["goal"], "Harden the auth session and util");
    // Z-03 matches `auth` and `session`, Z-04 `util`; then by score.
    assert_eq!(zone_ids(&goal["changes"]), ["Z-03", "Z-04", "Z-01", "Z-02"]);
    assert_eq!(
        goal["changes"][0]["goal_matches"],
        serde_json::json!(["auth", "session"])
    );
    let why = goal["changes"][0]["why"].as_str().unwrap();
    assert!(
        why.ends_with("It matches the goal on `auth`, `session`."),
        "{why}"
    );
    let why = goal["changes"][2]["why"].as_str().unwrap();
    assert!(why.ends_with("it is planned for its score."), "{why}");

    let out = run_as(&env, &repo, None, &["loop", "plan", "--max", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_denied_change_is_left_out_with_its_reason() {
    let env = TestEnv::new();
    let repo = shop(&env);
    let policy = repo.join(".codexa/policy.yaml");
    let mut text = read(&repo, ".codexa/policy.yaml");
    text = text.replace(
        "rules:\n",
        "rules:\n  - id: medium-frozen\n    action: change.implement\n    zone: supervised\n    decision: deny\n    reason_code: code_freeze\n",
    );
    std::fs::write(&policy, text).unwrap();
    let plan = plan_json(&env, &repo, &["--max", "3"]);
    assert_eq!(ids(&plan["changes"]), ["CH-001", "CH-003", "CH-004"]);
    assert_eq!(
        plan["left_out"],
        serde_json::json!([{
            "id": "CH-002",
            "zone": {"id": "Z-02", "name": "src/api/rate.rs"},
            "reason": "denied by policy: code_freeze (rule medium-frozen)",
        }])
    );
    // The denied number is spent.
    let events = env.query(&repo, &["--type", "loop.planned"]);
    assert_eq!(events[0]["data"]["left_out"], serde_json::json!(["CH-002"]));
}

#[test]
fn without_a_manifest_nothing_is_planned() {
    let env = TestEnv::new();
    let repo = env.init_repo("shop");
    let before = state_of(&env, &repo);
    let out = env.run(&repo, &["loop", "plan"]);
    insta::assert_snapshot!(out, @r"
    [stderr]
    Error: no .codexa/manifests/system_manifest.yaml: there is nothing to plan from
    Hint: run `codexa discover` first: it maps the repository and writes the manifest
    [exit status: 1]
    ");
    assert_eq!(state_of(&env, &repo), before);
    assert!(!repo.join(".codexa/loops").exists());
}

#[test]
fn seeding_errors_name_what_to_do_and_change_nothing() {
    let env = TestEnv::new();
    let repo = shop(&env);
    let before = state_of(&env, &repo);
    let out = run_as(&env, &repo, None, &["seed", "--from", "loop-plan"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("make one with `codexa loop plan`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(state_of(&env, &repo), before);

    ok_as(&env, &repo, None, &["loop", "plan"]);
    let before = state_of(&env, &repo);
    for (args, says) in [
        (
            vec!["seed", "--from", "loop-plan", "LP-9"],
            "`LP-9` is not a loop id",
        ),
        (
            vec!["seed", "--from", "loop-plan", "LP-009"],
            "no plan LP-009",
        ),
        (
            vec!["seed", "--from", "loop-plan", "--post", "th_nope"],
            "no thread `th_nope`",
        ),
    ] {
        let out = run_as(&env, &repo, None, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert_eq!(state_of(&env, &repo), before, "{args:?}");
    }
    let out = run_as(&env, &repo, None, &["seed", "--from", "somewhere"]);
    assert_eq!(out.status.code(), Some(2));

    // A plan edited into something invalid is refused with file and line.
    let path = repo.join(".codexa/loops/LP-001/plan.yaml");
    let text = read(&repo, ".codexa/loops/LP-001/plan.yaml").replace("risk: high", "risk: extreme");
    std::fs::write(&path, text).unwrap();
    let out = run_as(&env, &repo, None, &["seed", "--from", "loop-plan"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".codexa/loops/LP-001/plan.yaml:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_phrases_name_the_commands() {
    let env = TestEnv::new();
    let repo = shop(&env);
    for (phrase, command) in [
        ("discover", "codexa discover"),
        ("plan next loop", "codexa loop plan"),
        ("seed the plan", "codexa seed --from loop-plan"),
        (
            "approve design for CH-010",
            "codexa approve CH-010 --kind design",
        ),
    ] {
        let out = ok_as(&env, &repo, None, &["ask", "--dry-run", phrase]);
        assert_eq!(out, command, "{phrase}");
    }
    // And they run: plan, seed, approve by phrase.
    ok_as(&env, &repo, None, &["ask", "plan next loop"]);
    ok_as(&env, &repo, None, &["ask", "seed the plan"]);
    ok_as(&env, &repo, None, &["ask", "approve design for CH-001"]);
    let approved: Vec<Value> = serde_json::from_str(&ok_as(
        &env,
        &repo,
        None,
        &["approvals", "--status", "approved", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0]["subject"], "CH-001");
}

#[test]
fn without_agents_the_plan_asks_so_the_person_who_seeds_can_approve() {
    let env = TestEnv::new();
    let repo = env.init_repo("solo");
    let manifests = repo.join(".codexa/manifests");
    std::fs::create_dir_all(&manifests).unwrap();
    std::fs::write(manifests.join("system_manifest.yaml"), MANIFEST).unwrap();
    env.codexa(&repo)
        .args(["loop", "plan", "--max", "1"])
        .assert()
        .success();
    env.codexa(&repo)
        .args(["seed", "--from", "loop-plan"])
        .assert()
        .success();
    let approvals: Value = serde_json::from_slice(
        &env.codexa(&repo)
            .args(["approvals", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let first = &approvals[0];
    assert_eq!(first["requested_by"], "loop-plan", "{approvals:#}");
    let subject = first["subject"].as_str().unwrap();
    env.codexa(&repo)
        .args(["approve", subject, "--kind", "design"])
        .assert()
        .success();
}

#[test]
fn seed_start_starts_the_granted_change_once_and_lists_what_the_other_waits_for() {
    let env = TestEnv::new();
    let repo = shop(&env);
    ok_as(&env, &repo, None, &["loop", "plan", "--max", "2"]);
    let server = Server::new(&env, "seed-start");
    let (bin, record) = recording_agents(&env);
    let args = ["--format", "json", "seed", "--from", "loop-plan", "--start"];
    let out = with_agents(&env, &repo, &server, &bin, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let started = v["started"].as_array().unwrap();
    let outcome = |ch: &str| {
        started
            .iter()
            .find(|s| s["change"] == ch)
            .unwrap_or_else(|| panic!("{ch} in {started:?}"))
            .clone()
    };
    // CH-001 waits for its design approval; CH-002 needs none.
    let waiting = outcome("CH-001");
    assert_eq!(waiting["outcome"], "waiting", "{waiting}");
    assert!(
        waiting["waiting_for"][0]
            .as_str()
            .unwrap()
            .contains("design approval"),
        "{waiting}"
    );
    let go = outcome("CH-002");
    assert_eq!(go["outcome"], "started", "{go}");
    let agent = go["participant"].as_str().unwrap().to_string();
    assert_eq!(go["worktree"], format!("{agent}-ch-002").as_str());
    // Its brief was its first prompt, word for word.
    let provider = if agent == "worker-a" {
        "claude"
    } else {
        "codex"
    };
    let argv_file = record.with_extension(format!("{provider}.argv"));
    let argv = eventually("the agent to record its arguments", || {
        std::fs::read(&argv_file).map_err(|e| e.to_string())
    });
    let last = argv
        .split(|b| *b == 0)
        .rfind(|a| !a.is_empty())
        .unwrap()
        .to_vec();
    let brief = read(&repo, ".codexa/loops/LP-001/seeds/CH-002.md");
    assert_eq!(
        String::from_utf8(last).unwrap(),
        format!("Your brief for CH-002:\n\n{brief}")
    );

    // Again: nothing starts twice.
    let out = with_agents(&env, &repo, &server, &bin, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let again: Vec<&str> = v["started"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(again, ["waiting", "already_started"]);
    assert_eq!(env.query(&repo, &["--type", "agent.started"]).len(), 1);
}

#[test]
fn start_seed_gives_the_agent_its_changes_brief() {
    let env = TestEnv::new();
    let repo = shop(&env);
    ok_as(&env, &repo, None, &["loop", "plan", "--max", "2"]);
    let server = Server::new(&env, "start-seed");
    let (bin, record) = recording_agents(&env);
    // Before the seeds are written there is no brief.
    let out = with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["start", "worker-b", "--seed", "CH-002"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("seed --from loop-plan"),
        "{}",
        stderr(&out)
    );
    ok_as(&env, &repo, None, &["seed", "--from", "loop-plan"]);
    let out = with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["start", "worker-b", "--seed", "CH-009"],
    );
    assert_fails(&out, 1, "CH-001, CH-002");
    let out = with_agents(
        &env,
        &repo,
        &server,
        &bin,
        &["start", "worker-b", "--seed", "CH-002"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let argv_file = record.with_extension("codex.argv");
    let argv = eventually("the agent to record its arguments", || {
        std::fs::read(&argv_file).map_err(|e| e.to_string())
    });
    let args: Vec<&[u8]> = argv.split(|b| *b == 0).filter(|a| !a.is_empty()).collect();
    let brief = read(&repo, ".codexa/loops/LP-001/seeds/CH-002.md");
    assert_eq!(
        args,
        [format!("Your brief for CH-002:\n\n{brief}").as_bytes()]
    );
}

/// A person's "no, because…" reaches the agent the next time it is briefed.
#[test]
fn a_denial_with_a_reason_is_in_the_agents_next_brief() {
    let env = TestEnv::new();
    let repo = shop(&env);
    let asked = ok_as(
        &env,
        &repo,
        Some("worker-a"),
        &[
            "approval",
            "request",
            "--action",
            "external.write",
            "--subject",
            "slack",
        ],
    );
    ok_as(
        &env,
        &repo,
        None,
        &[
            "deny",
            &asked,
            "--reason",
            "never post to the public channel; use the team thread",
        ],
    );
    ok_as(
        &env,
        &repo,
        None,
        &["loop", "plan", "--goal", "billing invoices"],
    );
    ok_as(&env, &repo, None, &["seed", "--from", "loop-plan"]);
    let brief = read(&repo, ".codexa/loops/LP-001/seeds/CH-001.md");
    assert!(
        brief.starts_with("# CH-001") && brief.contains("For worker-a."),
        "{brief}"
    );
    assert!(brief.contains("## What you were told before"), "{brief}");
    assert!(
        brief.contains(
            "- never post to the public channel; use the team thread (`external.write` on `slack`)"
        ),
        "{brief}"
    );
    // worker-b was told nothing: its brief has no such section.
    let other = std::fs::read_dir(repo.join(".codexa/loops/LP-001/seeds"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|t| t.contains("For worker-b."))
        .expect("a change for worker-b");
    assert!(!other.contains("What you were told before"), "{other}");
}
