use super::*;
use crate::agents::shell::FixedView;
use serde_json::json;

/// A work tree `shop` (with `.git/`, `.codexa/` and `sub/`) in a
/// temporary directory; the repository view has `feature` checked out,
/// an alias `p = push` and a tag `v1`.
struct Repo {
    dir: tempfile::TempDir,
    work: PathBuf,
    view: FixedView,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().canonicalize().unwrap().join("shop");
        for d in [".git", ".codexa", ".claude", "sub"] {
            std::fs::create_dir_all(work.join(d)).unwrap();
        }
        let mut view = FixedView {
            branch: Some("feature".into()),
            tags: vec!["v1".into()],
            ..FixedView::default()
        };
        view.config.insert("alias.p".into(), "push".into());
        view.config
            .insert("alias.pnv".into(), "push --no-verify".into());
        Repo { dir, work, view }
    }

    /// (action, subject) for a call, paths in the subject shown as
    /// `<tmp>`.
    fn map(&self, tool: &str, input: Value) -> (String, String) {
        self.map_with(&defaults(), 0, tool, input).0
    }

    fn map_with(
        &self,
        rules: &[Rule],
        user: usize,
        tool: &str,
        input: Value,
    ) -> ((String, String), String) {
        let git = self.work.join(".git");
        let call = Call::new(tool, &input, &self.work, &self.work).in_repo(&git, &self.view);
        let m = map(rules, user, &call).unwrap();
        let tmp = self
            .dir
            .path()
            .canonicalize()
            .unwrap()
            .display()
            .to_string();
        let subject = m.subject.unwrap_or_default().replace(&tmp, "<tmp>");
        ((m.action, subject), m.rule)
    }

    fn bash(&self, command: &str) -> (String, String) {
        self.map("Bash", json!({ "command": command }))
    }
}

fn pair(a: &str, s: &str) -> (String, String) {
    (a.to_string(), s.to_string())
}

#[test]
fn the_default_table() {
    let repo = Repo::new();
    #[rustfmt::skip]
    let rows: Vec<(&str, Value, &str, &str)> = vec![
        ("Bash", json!({"command": "git status"}), "shell.exec", "git"),
        ("Bash", json!({"command": "git pushy"}), "shell.exec", "git"),
        ("Bash", json!({"command": "curl -s https://x.test/a"}), "external.read", "https://x.test/a"),
        ("Bash", json!({"command": "wget x.test"}), "external.read", "wget x.test"),
        ("Bash", json!({"command": "  ls -la"}), "shell.exec", "ls"),
        ("Bash", json!({"command": "ls && rm -rf x"}), "shell.exec", "ls,rm"),
        ("WebFetch", json!({"url": "https://docs.test/"}), "external.read", "https://docs.test/"),
        ("WebSearch", json!({"query": "rust"}), "external.read", "rust"),
        ("Write", json!({"file_path": "../elsewhere/a.txt"}), "fs.write_outside", "<tmp>/elsewhere/a.txt"),
        ("Edit", json!({"file_path": "/etc/hosts"}), "fs.write_outside", "/etc/hosts"),
        ("Write", json!({"file_path": "src/a.rs"}), "tool.write", "Write"),
        ("Write", json!({"file_path": "sub/../../shop/x"}), "tool.write", "Write"),
        ("Write", json!({"file_path": ".claude/agents/x.md"}), "tool.write", "Write"),
        ("Read", json!({"file_path": "/etc/hosts"}), "tool.read", "Read"),
        ("Read", json!({"file_path": ".codexa/policy.yaml"}), "tool.read", "Read"),
        ("mcp__codexa__post", json!({"command": "eval x"}), "tool.mcp__codexa__post", "mcp__codexa__post"),
    ];
    for (tool, input, action, subject) in rows {
        assert_eq!(
            repo.map(tool, input.clone()),
            pair(action, subject),
            "{tool} {input}"
        );
    }
}

/// Every door to a push named in the threat model, with the action and
/// the subject the `pre-push` hook judges.
#[test]
fn pushes_map_to_their_real_ref() {
    let repo = Repo::new();
    let push = |s: &str| pair("git.push", s);
    let force = |s: &str| pair("git.push.force", s);
    let delete = |s: &str| pair("git.push.delete", s);
    let no_verify = |s: &str| pair("git.push.no_verify", s);
    let opaque = |s: &str| pair("shell.opaque", s);
    #[rustfmt::skip]
    let rows: Vec<(&str, (String, String))> = vec![
        ("git push", push("origin/feature")),
        ("git push origin main", push("origin/main")),
        ("git push -u origin HEAD", push("origin/feature")),
        ("git push origin @", push("origin/feature")),
        ("git push upstream", push("upstream/feature")),
        ("git push origin feature:main", push("origin/main")),
        ("git push origin refs/heads/x", push("origin/x")),
        ("git push origin HEAD:refs/heads/release", push("origin/release")),
        ("git push origin v1", push("origin/refs/tags/v1")),
        ("git push origin tag v2", push("origin/refs/tags/v2")),
        ("git push origin refs/tags/v3", push("origin/refs/tags/v3")),
        ("git push --force origin feature:main", force("origin/main")),
        ("git push -f origin main", force("origin/main")),
        ("git push -uf origin main", force("origin/main")),
        ("git push --forc origin main", force("origin/main")),
        ("git push --force-with-lease origin main", force("origin/main")),
        ("git push --force-with-lease=main:abc origin main", force("origin/main")),
        ("git push --force-if-includes origin main", force("origin/main")),
        ("git push origin +feature:main", force("origin/main")),
        ("git push --force --no-force origin main", push("origin/main")),
        ("git push origin --delete main", delete("origin/main")),
        ("git push -d origin main", delete("origin/main")),
        ("git push origin :main", delete("origin/main")),
        ("git push --del origin main", delete("origin/main")),
        ("git push origin x main:main :old", delete("origin/old")),
        ("git push origin +a:b :c", delete("origin/c")),
        ("git push --all origin", push("origin/*")),
        ("git push --tags", push("origin/*")),
        ("git push --mirror backup", force("backup/*")),
        ("git push --prune --all origin", delete("origin/*")),
        ("git push --no-verify origin main", no_verify("origin/main")),
        ("git send-pack ../remote.git HEAD:refs/heads/sp", no_verify("../remote.git/sp")),
        ("git send-pack --force origin HEAD~5:refs/heads/main", no_verify("origin/main")),
        ("git send-pack origin :refs/heads/x7", no_verify("origin/x7")),
        ("git http-push https://h.test/r.git main", no_verify("https://h.test/r.git/main")),
        ("git push --no-verif origin main", no_verify("origin/main")),
        ("git push --no-verify --verify origin main", push("origin/main")),
        ("git push -n origin main", push("origin/main")),
        ("git -c core.hooksPath=/dev/null push origin main", no_verify("origin/main")),
        ("git -c core.hookspath=/x push", no_verify("origin/feature")),
        ("git --config-env=core.hooksPath=X push", no_verify("origin/feature")),
        ("GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=/x git push", no_verify("origin/feature")),
        ("git pnv origin main", no_verify("origin/main")),
        ("git -c alias.x='push --no-verify' x", no_verify("origin/feature")),
        ("git push -o ci.skip origin main", push("origin/main")),
        ("git push --push-option ci.skip origin main", push("origin/main")),
        ("git push --repo=fork", push("fork/feature")),
        ("git push -- origin main", push("origin/main")),
        ("git push origin main && git push --force origin main:prod", force("origin/prod")),
        // The doors: each reaches the push it hides.
        ("bash --norc -c 'git push origin main'", push("origin/main")),
        ("bash -c -- 'git push origin main'", push("origin/main")),
        ("bash -o pipefail -c 'git push origin main'", push("origin/main")),
        ("git -c alias.p=push p origin main", push("origin/main")),
        ("git p origin main", push("origin/main")),
        ("git --attr-source HEAD push origin main", push("origin/main")),
        ("$'\\x67it' push origin main", push("origin/main")),
        ("\"$(git --exec-path)/git-push\" origin main", push("origin/main")),
        ("git-push origin main", push("origin/main")),
        ("timeout 5 git push origin main", push("origin/main")),
        ("exec -a x git push origin main", push("origin/main")),
        ("find . -exec git push origin main \\;", push("origin/main")),
        ("env -S 'git push origin main'", push("origin/main")),
        ("xargs -I{} git push origin {}", pair("shell.opaque", "xargs giving git or codexa words from its input")),
        ("flock /tmp/l git push origin main", push("origin/main")),
        ("nice -n 5 git push origin main", push("origin/main")),
        ("nohup git push origin main", push("origin/main")),
        ("setsid git push origin main", push("origin/main")),
        ("stdbuf -oL git push origin main", push("origin/main")),
        ("command git push origin main", push("origin/main")),
        ("builtin command git push origin main", push("origin/main")),
        ("cd sub && git push origin main", push("origin/main")),
        // What cannot be read is its own action.
        ("git${IFS}push", opaque("a command word from an expansion")),
        ("eval 'git push'", opaque("eval")),
        ("python3 -c 'import subprocess'", opaque("python3 -c")),
        ("node -e 'x'", opaque("node -e")),
        ("bash <<< 'git push'", opaque("bash reading commands from its input")),
        ("echo 'git push' | sh", opaque("sh reading commands from its input")),
    ];
    for (line, want) in rows {
        assert_eq!(repo.bash(line), want, "{line}");
    }
}

#[test]
fn the_push_remote_and_refs_come_from_config() {
    let mut repo = Repo::new();
    repo.view
        .config
        .insert("branch.feature.remote".into(), "fork".into());
    assert_eq!(repo.bash("git push"), pair("git.push", "fork/feature"));
    repo.view
        .config
        .insert("remote.pushDefault".into(), "mine".into());
    assert_eq!(repo.bash("git push"), pair("git.push", "mine/feature"));
    repo.view
        .config
        .insert("branch.feature.pushRemote".into(), "theirs".into());
    assert_eq!(repo.bash("git push"), pair("git.push", "theirs/feature"));
    repo.view
        .config
        .insert("push.default".into(), "upstream".into());
    repo.view
        .config
        .insert("branch.feature.merge".into(), "refs/heads/main".into());
    assert_eq!(repo.bash("git push"), pair("git.push", "theirs/main"));
    repo.view.config.insert(
        "remote.theirs.push".into(),
        "+refs/heads/*:refs/heads/*".into(),
    );
    assert_eq!(repo.bash("git push"), pair("git.push.force", "theirs/*"));
    repo.view.branch = None;
    assert_eq!(
        repo.bash("git push origin HEAD"),
        pair("git.push", "origin/HEAD")
    );
}

#[test]
fn control_files_are_control() {
    let repo = Repo::new();
    let control = |s: &str| pair("control.write", s);
    #[rustfmt::skip]
    let rows: Vec<(&str, Value, (String, String))> = vec![
        ("Write", json!({"file_path": ".codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Edit", json!({"file_path": ".codexa/config.yaml"}), control(".codexa/config.yaml")),
        ("MultiEdit", json!({"file_path": "sub/../.codexa/commands/x.yaml"}), control(".codexa/commands/x.yaml")),
        ("Write", json!({"file_path": ".claude/settings.json"}), control(".claude/settings.json")),
        ("Write", json!({"file_path": ".claude/settings.local.json"}), control(".claude/settings.local.json")),
        ("Write", json!({"file_path": ".codex/hooks.json"}), control(".codex/hooks.json")),
        ("Write", json!({"file_path": ".git/hooks/pre-push"}), control(".git/hooks/pre-push")),
        ("Write", json!({"file_path": ".git/codexa/events/w/000001.jsonl"}), control(".git/codexa/events/w/000001.jsonl")),
        ("NotebookEdit", json!({"notebook_path": ".codexa/x.ipynb"}), control(".codexa/x.ipynb")),
        ("Bash", json!({"command": "echo x > .codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "echo x >> ./.codexa/config.yaml"}), control(".codexa/config.yaml")),
        ("Bash", json!({"command": "cd .codexa && echo x > policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "cd sub; cat >../.codexa/policy.yaml <<EOF\nrules: []\nEOF"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "echo x > \"$PWD/.codexa/policy.yaml\""}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "echo x > \"$(pwd)\"/.codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "echo x > $DIR/.codexa/policy.yaml"}), control("$DIR/.codexa/policy.yaml")),
        ("Bash", json!({"command": "echo x | tee -a .codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "cp /tmp/p .codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "cp -t .codexa /tmp/p"}), control(".codexa")),
        ("Bash", json!({"command": "mv x .claude/settings.json"}), control(".claude/settings.json")),
        ("Bash", json!({"command": "install -m 755 x .git/hooks/pre-push"}), control(".git/hooks/pre-push")),
        ("Bash", json!({"command": "ln -sf /dev/null .git/hooks/pre-push"}), control(".git/hooks/pre-push")),
        ("Bash", json!({"command": "sed -i 's/require_approval/allow/' .codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "sed -i.bak -e 's/a/b/' .codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "perl -pi -e 's/a/b/' .codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "rm -rf .codexa"}), control(".codexa")),
        ("Bash", json!({"command": "rm -rf .c*"}), control(".codexa")),
        ("Bash", json!({"command": "truncate -s 0 .codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "chmod -w .git/hooks/pre-push"}), control(".git/hooks/pre-push")),
        ("Bash", json!({"command": "touch .codex/x"}), control(".codex/x")),
        ("Bash", json!({"command": "dd if=/dev/zero of=.git/codexa/lock"}), control(".git/codexa/lock")),
        ("Bash", json!({"command": "curl -o .codexa/policy.yaml https://x.test/p"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "curl -sSLo .codexa/policy.yaml https://x.test/p"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "curl --output=.codexa/policy.yaml https://x.test/p"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "wget -O.codexa/policy.yaml https://x.test/p"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "sort -o.codexa/policy.yaml /tmp/p"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "dd if=/tmp/p of=\"$PWD/.codexa/policy.yaml\""}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "git config core.hooksPath /dev/null"}), control(".git/config")),
        ("Bash", json!({"command": "git config --unset core.hooksPath"}), control(".git/config")),
        ("Bash", json!({"command": "git config set alias.p push"}), control(".git/config")),
        ("Bash", json!({"command": "bash -c 'echo x > .codexa/policy.yaml'"}), control(".codexa/policy.yaml")),
        ("Bash", json!({"command": "eval x > .codexa/policy.yaml"}), control(".codexa/policy.yaml")),
        ("Write", json!({"file_path": "../shop/.git/config"}), control(".git/config")),
        // Not control.
        ("Bash", json!({"command": "git config --get core.hooksPath"}), pair("shell.exec", "git")),
        ("Bash", json!({"command": "git config user.name"}), pair("shell.exec", "git")),
        ("Bash", json!({"command": "git config --list"}), pair("shell.exec", "git")),
        ("Bash", json!({"command": "cat .codexa/policy.yaml > /tmp/x"}), pair("shell.exec", "cat")),
        ("Bash", json!({"command": "cp .codexa/policy.yaml /tmp/x"}), pair("shell.exec", "cp")),
        ("Bash", json!({"command": "rm -rf *"}), pair("shell.exec", "rm")),
        ("Bash", json!({"command": "sed 's/a/b/' .codexa/policy.yaml"}), pair("shell.exec", "sed")),
        ("Bash", json!({"command": "ls 2>&1 > out.txt"}), pair("shell.exec", "ls")),
        ("Write", json!({"file_path": "gitignore.git/x"}), pair("tool.write", "Write")),
    ];
    for (tool, input, want) in rows {
        assert_eq!(repo.map(tool, input.clone()), want, "{tool} {input}");
    }
    // Through a symlink, resolved as far as the path exists.
    std::os::unix::fs::symlink(repo.work.join(".codexa"), repo.work.join("sub/cfg")).unwrap();
    assert_eq!(
        repo.map("Write", json!({"file_path": "sub/cfg/policy.yaml"})),
        control(".codexa/policy.yaml")
    );
    assert_eq!(
        repo.bash("echo x > sub/cfg/policy.yaml"),
        control(".codexa/policy.yaml")
    );
    // A hooks folder the repository names (core.hooksPath) holds git's
    // pre-push hook, wherever it is.
    let mut hooked = Repo::new();
    hooked
        .view
        .config
        .insert("core.hooksPath".into(), ".githooks".into());
    assert_eq!(
        hooked.map("Write", json!({"file_path": ".githooks/pre-push"})),
        control(".githooks/pre-push")
    );
    assert_eq!(
        hooked.bash("echo exit 0 > .githooks/pre-push"),
        control(".githooks/pre-push")
    );
    // The git directory wherever it is: a worktree's common directory is
    // outside its work tree.
    let common = repo.dir.path().canonicalize().unwrap().join("main.git");
    std::fs::create_dir_all(&common).unwrap();
    let input = json!({"file_path": common.join("hooks/pre-push")});
    let call = Call::new("Write", &input, &repo.work, &repo.work).in_repo(&common, &repo.view);
    let m = map(&defaults(), 0, &call).unwrap();
    assert_eq!(m.action, "control.write");
    assert_eq!(
        m.subject.unwrap(),
        common.join("hooks/pre-push").display().to_string()
    );
}

#[test]
fn built_in_mappings_come_before_user_rules() {
    let repo = Repo::new();
    let config = json!({"hooks": {"actions": [
        {"tool": "*", "action": "tool.anything", "subject": "x"}
    ]}});
    let rules = table(&crate::config::Config::from_value(config).unwrap().hooks);
    for (tool, input, action, rule) in [
        (
            "Write",
            json!({"file_path": ".codexa/policy.yaml"}),
            "control.write",
            "builtin:control",
        ),
        (
            "Bash",
            json!({"command": "eval x"}),
            "shell.opaque",
            "builtin:opaque",
        ),
        (
            "Bash",
            json!({"command": "git push"}),
            "git.push",
            "builtin:git-push",
        ),
        (
            "Bash",
            json!({"command": "ls"}),
            "tool.anything",
            "hooks.actions[0]",
        ),
    ] {
        let ((a, _), r) = repo.map_with(&rules, 1, tool, input);
        assert_eq!((a.as_str(), r.as_str()), (action, rule), "{tool}");
    }
}

#[test]
fn user_rules_come_first() {
    let config = json!({"hooks": {"actions": [
        {"tool": "Bash", "command": "make deploy*", "action": "external.write", "subject": "deploy:{first_word}"}
    ]}});
    let rules = table(&crate::config::Config::from_value(config).unwrap().hooks);
    assert_eq!(rules.len(), defaults().len() + 1);
    let input = json!({"command": "make deploy prod"});
    let call = Call::new("Bash", &input, Path::new("/r"), Path::new("/r"));
    let m = map(&rules, 1, &call).unwrap();
    assert_eq!(
        (m.action.as_str(), m.subject.as_deref(), m.rule.as_str()),
        ("external.write", Some("deploy:make"), "hooks.actions[0]")
    );
    // A rule's command glob sees the programs behind wrappers.
    let input = json!({"command": "timeout 60 make deploy prod"});
    let call = Call::new("Bash", &input, Path::new("/r"), Path::new("/r"));
    assert_eq!(map(&rules, 1, &call).unwrap().action, "external.write");
}

#[test]
fn a_bad_action_template_is_an_error() {
    let rules = vec![rule("*", None, None, "Not An Action", "x")];
    let input = json!({});
    let call = Call::new("X", &input, Path::new("/r"), Path::new("/r"));
    assert!(map(&rules, 1, &call).is_err());
}

#[test]
fn commands_run_through_settings_options_or_tracers_are_opaque() {
    let repo = Repo::new();
    for line in [
        "git -c core.sshCommand='sh -c \"git push --no-verify origin x\"' fetch ssh://h/x",
        "git -c core.pager='codexa approve appr_1' log",
        "GIT_SSH_COMMAND='git push --no-verify' git fetch origin",
        "GIT_EDITOR='sh -c x' git commit",
        "BASH_ENV=/tmp/x bash -c true",
        "git rebase -x 'git push --no-verify origin x' main",
        "git rebase --exec='codexa approve appr_1' main",
        "git rebase -x'git push --no-verify' main",
        "git rebase -ix 'git push --no-verify' main",
        "git -c credential.https://h.test.helper='!sh -c x' fetch",
        "git -c filter.x.smudge='git push --no-verify' checkout .",
        "git -c remote.origin.receivepack='sh -c x' push origin main",
        "git bisect run sh -c 'git push'",
        "git submodule foreach 'git push --no-verify'",
        "tar cf /dev/null --checkpoint=1 --checkpoint-action=exec='git push --no-verify' a",
        "tar -x --to-command='sh -c x' -f a.tar",
        "strace -f -o /dev/null git push --no-verify origin x",
        "unshare -r git push",
        "parallel git push ::: a",
        "sed -n '1e git push --no-verify origin x' a",
        "sed -e 's/.*/git push/e' a",
        "sed '$e codexa approve appr_1' a",
    ] {
        let (action, why) = repo.bash(line);
        assert_eq!(action, "shell.opaque", "{line}: {why}");
    }
    for line in [
        "git -c user.name=x commit -m y",
        "tar xf a.tar",
        "git rebase main",
        "sed -n '1,5p' a",
        "sed -i 's/foo/bar/g' src/a.rs",
        "sed 's/e/E/' a",
        "sed -e '/^$/d' -e 's/x/y/2' a",
    ] {
        assert_ne!(repo.bash(line).0, "shell.opaque", "{line}");
    }
}
