//! `codexa doctor` and `codexa doctor config`.

use serde_json::Value;

use crate::common::{TestEnv, stderr, stdout};

fn is_sha256(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.strip_prefix("sha256:")
            .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    })
}

#[test]
fn doctor_passes_in_a_freshly_initialised_repository() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");

    let out = env.codexa(&repo).arg("doctor").output().unwrap();

    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    for check in [
        "config.schema",
        "policy.schema",
        "store.writer",
        "events.chains",
    ] {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(check))
            .unwrap_or_else(|| panic!("no {check} line in:\n{text}"));
        assert!(line.starts_with("ok "), "{line}");
    }
    assert!(!text.contains("error"), "{text}");
}

#[test]
fn doctor_config_json_has_findings_and_layer_hashes() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");

    let out = env
        .codexa(&repo)
        .args(["doctor", "config", "--format", "json"])
        .output()
        .unwrap();

    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in ["check", "status", "message", "fix"] {
            assert!(f.get(key).is_some(), "finding without `{key}`: {f}");
        }
        assert_eq!(f["status"], "ok", "{f}");
    }
    let layers = report["config"]["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 1, "only the repository's layer exists here");
    let config = repo.join(".codexa/config.yaml");
    assert_eq!(layers[0]["path"], config.to_str().unwrap());
    let expected = format!(
        "sha256:{}",
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            std::fs::read(&config).unwrap()
        ))
    );
    assert_eq!(layers[0]["sha256"], expected.as_str());
    assert!(is_sha256(&report["config"]["resolved_hash"]));
    // Config-only: no store or tool checks.
    assert!(findings.iter().all(|f| {
        let check = f["check"].as_str().unwrap();
        check.starts_with("config")
    }));

    // Events carry the resolved config's hash as provenance.
    let events = env.query(&repo, &[]);
    assert_eq!(
        events[0]["provenance"]["config"],
        report["config"]["resolved_hash"]
    );
}

#[test]
fn a_user_layer_is_listed_with_its_own_hash() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    std::fs::create_dir_all(env.config_home()).unwrap();
    std::fs::write(
        env.config_home().join("config.yaml"),
        "version: 1\nsync:\n  remote: upstream\n",
    )
    .unwrap();

    let out = env
        .codexa(&repo)
        .args(["doctor", "config", "--format", "json"])
        .output()
        .unwrap();

    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let layers = report["config"]["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2, "{report}");
    assert!(layers.iter().all(|l| is_sha256(&l["sha256"])));
    assert_ne!(layers[0]["sha256"], layers[1]["sha256"]);
    assert_eq!(report["config"]["resolved"]["sync"]["remote"], "upstream");
}

#[test]
fn an_unknown_config_key_is_named_with_file_and_line() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    std::fs::write(
        repo.join(".codexa/config.yaml"),
        "version: 1\n# store settings\nsotre:\n  segment_max_bytes: 100000\n",
    )
    .unwrap();

    let out = env
        .codexa(&repo)
        .args(["doctor", "config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let error = text
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_else(|| panic!("no error line:\n{text}"));
    assert!(error.contains("unknown key `sotre`"), "{error}");
    assert!(error.contains(".codexa/config.yaml:3"), "{error}");
    assert!(text.contains("fix: "), "{text}");

    let json = env
        .codexa(&repo)
        .args(["doctor", "config", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let errors: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["file"], ".codexa/config.yaml");
    assert_eq!(errors[0]["line"], 3);
    assert!(errors[0]["fix"].as_str().unwrap().contains("store"));

    // Commands that write refuse to run on it, with the same pointer.
    let before = std::fs::read(env.segment(&repo)).unwrap();
    let append = env
        .codexa(&repo)
        .args([
            "events",
            "append",
            "--type",
            "note.added",
            "--stream",
            "note:n",
            "--data",
            "{}",
        ])
        .output()
        .unwrap();
    assert_eq!(append.status.code(), Some(1));
    let err = stderr(&append);
    assert!(err.contains("invalid config"), "{err}");
    assert!(err.contains(".codexa/config.yaml:3"), "{err}");
    assert!(err.contains("Hint: "), "{err}");
    assert_eq!(std::fs::read(env.segment(&repo)).unwrap(), before);
}

#[test]
fn an_invalid_policy_fails_doctor() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    std::fs::write(
        repo.join(".codexa/policy.yaml"),
        "version: 1\ndefault:\n  decision: maybe\n  reason_code: x\n",
    )
    .unwrap();

    let out = env.codexa(&repo).arg("doctor").output().unwrap();

    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let error = text
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_else(|| panic!("no error line:\n{text}"));
    assert!(error.contains("policy"), "{error}");
    assert!(error.contains(".codexa/policy.yaml:3"), "{error}");
    // The config alone is fine.
    env.codexa(&repo)
        .args(["doctor", "config"])
        .assert()
        .success();
}

#[test]
fn a_tampered_log_fails_doctor() {
    let env = TestEnv::new();
    let repo = env.init_repo("repo");
    env.append(&repo, "note.added", "note:n", r#"{"i":1}"#);
    env.append(&repo, "note.added", "note:n", r#"{"i":2}"#);
    let segment = env.segment(&repo);
    let text = std::fs::read_to_string(&segment).unwrap();
    std::fs::write(&segment, text.replacen(r#"{"i":1}"#, r#"{"i":5}"#, 1)).unwrap();

    let (code, chain) = env.doctor_finding(&repo, "events.chains");
    assert_eq!(code, Some(1));
    assert_eq!(chain["status"], "error");
    assert_eq!(chain["line"], 2);
    assert_eq!(chain["file"], segment.to_str().unwrap());
    assert!(
        chain["fix"]
            .as_str()
            .unwrap()
            .starts_with("restore the segment from a backup"),
        "{chain}"
    );
}

#[test]
fn doctor_outside_a_repository_fails_with_a_fix() {
    let env = TestEnv::new();
    let outside = env.path("outside");
    std::fs::create_dir(&outside).unwrap();

    let (code, store) = env.doctor_finding(&outside, "store");
    assert_eq!(code, Some(1));
    assert_eq!(store["status"], "error");
    assert!(store["fix"].as_str().unwrap().contains("codexa init"));
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
}
