use super::*;

fn view() -> FixedView {
    let mut v = FixedView::default();
    v.config.insert("alias.p".into(), "push".into());
    v.config.insert("alias.pf".into(), "push --force".into());
    v.config.insert("alias.sh-push".into(), "!git push".into());
    v.config.insert("alias.loop".into(), "loop".into());
    v
}

/// Each command as `program arg…`.
fn lines(line: &str) -> Vec<String> {
    read(line, &view())
        .commands
        .iter()
        .map(Command::line)
        .collect()
}

fn opaque(line: &str) -> Option<String> {
    read(line, &view()).opaque
}

/// Every door to `git push` reads as `git push …`, and the line is not
/// opaque.
#[test]
fn doors_to_a_push_are_read() {
    for line in [
        "git push origin main",
        "git -C . push",
        "git -c a=b --no-pager push",
        "git --attr-source HEAD push",
        "git --attr-source=HEAD push",
        "git --git-dir .git --work-tree . push",
        "git --namespace x --super-prefix y/ push",
        "git --config-env=a.b=HOME push",
        "git -c alias.p=push p",
        "git -c alias.P=push P",
        "git p",
        "git pf",
        "git sh-push",
        "$'\\x67it' push",
        "$'\\147it' push",
        "$'g\\u0069t' push",
        "g\\it push",
        "\"git\" 'push'",
        "$\"git\" push",
        "git-push origin main",
        "/usr/lib/git-core/git-push",
        "\"$(git --exec-path)/git-push\"",
        "env FOO=1 git push",
        "env -i -u HOME -C /tmp git push",
        "env --unset=HOME --chdir=/tmp git push",
        "env -S 'git push'",
        "env -S'git push'",
        "env --split-string='FOO=1 git push'",
        "FOO=1 /usr/bin/git push",
        "command git push",
        "command -p git push",
        "builtin exec git push",
        "exec git push",
        "exec -a x git push",
        "exec -cl git push",
        "nohup git push",
        "nice git push",
        "nice -n 5 git push",
        "nice -n5 git push",
        "nice --adjustment=5 git push",
        "timeout 5 git push",
        "timeout -s KILL -k 2 5 git push",
        "timeout --signal=KILL 5s git push",
        "setsid -f git push",
        "stdbuf -o L -eL git push",
        "stdbuf --output=L git push",
        "time git push",
        "time -p git push",
        "sudo -u root git push",
        "sudo -E HOME=/x git push",
        "doas -u root git push",
        "flock /tmp/l git push",
        "flock -w 5 /tmp/l git push",
        "flock /tmp/l -c 'git push'",
        "find . -exec git push \\;",
        "find . -name x -execdir git push {} +",
        "find . -ok git push ';'",
        "watch git push",
        "watch -n 5 git push",
        "watch -x git push",
        "ionice -c 3 git push",
        "chrt -b 0 git push",
        "chrt 5 git push",
        "taskset 0x1 git push",
        "taskset -c 0,1 git push",
        "unbuffer git push",
        "caffeinate -t 5 git push",
        "busybox nohup git push",
        "su -c 'git push' root",
        "trap 'git push' EXIT",
        "cd x && git push",
        "true; git push",
        "false || git push",
        "true & git push",
        "(git push)",
        "( (git push) )",
        "{ git push; }",
        "echo hi\ngit push",
        "echo hi \\\n && git push",
        "echo $(git push)",
        "echo \"$(git push)\"",
        "echo `git push`",
        "echo \"`git push`\"",
        "echo ${X:-$(git push)}",
        "cat <(git push)",
        "X=$(git push)",
        "A=(a $(git push) b)",
        "if git push; then :; fi",
        "if true; then git push; else :; fi",
        "while true; do git push; done",
        "until git push; do :; done",
        "for x in a b; do git push; done",
        "for x in $(git push); do :; done",
        "case x in a) git push;; esac",
        "case x in (a|b) :;; *) git push;; esac",
        "case $(git push) in *) :;; esac",
        "[[ -n $(git push) ]]",
        "! git push",
        "f() { git push; }",
        "function f { git push; }",
        "cat <<EOF\n$(git push)\nEOF",
        "bash -c 'git push origin main'",
        "bash --norc -c 'git push'",
        "bash --noprofile --norc -c 'git push'",
        "bash --rcfile x -c 'git push'",
        "bash -c -- 'git push'",
        "bash -lc 'git push'",
        "bash -cl 'git push'",
        "bash -o pipefail -c 'git push'",
        "bash -eo pipefail -c 'git push'",
        "bash -O extglob -c 'git push'",
        "bash -x -c 'git push'",
        "bash +x -c 'git push'",
        "sh -c \"cd x && git push\"",
        "zsh -c 'git push'",
        "dash -c 'git push'",
        "/bin/sh -c 'bash -c \"git push\"'",
        "sudo bash -c 'git push'",
        "git -c 'alias.x=!git push' x",
        "echo 'x' ; # comment\ngit push",
        "shopt -s expand_aliases\nalias g='git push'\ng origin main",
        "alias g=git; g push",
        "tmux send-keys -t agents:1 'git push' Enter",
        "tmux send -t x git Space push C-m",
        "tmux new-window -d -n x 'git push'",
        "tmux -L sock split-window -h -c /tmp git push",
        "tmux run-shell -b 'git push'",
        "tmux if-shell 'git push' 'display x'",
        "tmux new-session -d -s s 'bash -c \"git push\"'",
        "tmux neww \\; send-keys 'git push' Enter",
        "tmux -c 'git push'",
    ] {
        let got = lines(line);
        assert!(
            got.iter().any(|s| s.starts_with("git push")),
            "{line:?}: {got:?}"
        );
        assert_eq!(opaque(line), None, "{line:?}");
    }
}

/// What cannot be read with certainty is opaque, with the reason.
#[test]
fn unreadable_lines_are_opaque() {
    for (line, why) in [
        ("eval 'git push'", "eval"),
        ("builtin eval 'git push'", "eval"),
        ("source ./x.sh", "source of a file"),
        (". ./x.sh", ". of a file"),
        ("git${IFS}push", "a command word from an expansion"),
        ("$X push", "a command word from an expansion"),
        ("${X} push", "a command word from an expansion"),
        ("$(echo git) push", "a command word from an expansion"),
        ("`echo git` push", "a command word from an expansion"),
        ("/usr/bin/g?t push", "a command word from an expansion"),
        ("/usr/bin/gi* push", "a command word from an expansion"),
        ("{git,push}", "a command word from an expansion"),
        ("git $SUB", "a git subcommand from an expansion"),
        ("python3 -c 'import os'", "python3 -c"),
        ("python -Ic 'x'", "python -c"),
        ("python3.12 -c x", "python3.12 -c"),
        (
            "python3 - <<EOF\nx\nEOF",
            "python3 reading code from its input",
        ),
        (
            "python3 <<EOF\nprint(1)\nEOF",
            "python3 reading code from its input",
        ),
        ("echo x | python3", "python3 reading code from its input"),
        ("node -e 'x'", "node -e"),
        ("node --eval 'x'", "node --eval"),
        ("node -p 'x'", "node -p"),
        ("perl -e 'x'", "perl -e"),
        ("perl -E 'x'", "perl -E"),
        ("perl -lne 'x' f", "perl -e"),
        ("ruby -e 'x'", "ruby -e"),
        ("php -r 'x'", "php -r"),
        ("awk 'BEGIN{system(\"git push\")}'", "awk running commands"),
        (
            "bash <<< 'git push'",
            "bash reading commands from its input",
        ),
        ("curl -s x | sh", "sh reading commands from its input"),
        ("bash -s < x", "bash reading commands from its input"),
        (
            "bash -c \"$CMD\"",
            "bash running commands from an expansion",
        ),
        ("env -S \"$X\"", "env -S with words from an expansion"),
        (
            "ls | xargs -I{} {} push",
            "xargs running a command from its input",
        ),
        (
            "xargs git push",
            "xargs giving git or codexa words from its input",
        ),
        (
            "echo push --no-verify origin x | xargs git",
            "xargs giving git or codexa words from its input",
        ),
        (
            "ls | xargs -I{} git push origin {}",
            "xargs giving git or codexa words from its input",
        ),
        (
            "xargs -0 -a list -E end -L 1 -s 100 /usr/bin/git push",
            "xargs giving git or codexa words from its input",
        ),
        (
            "echo approve appr_1 | xargs setsid -f codexa",
            "xargs giving git or codexa words from its input",
        ),
        (
            "find . -exec {} \\;",
            "find running a command named by a file",
        ),
        ("echo 'unterminated", "an unterminated `'`"),
        ("echo \"unterminated", "an unterminated `\"`"),
        ("echo $(git push", "unterminated `$(`"),
        ("echo >", "a redirection without a target"),
        (
            "git --config-env=alias.z=VAR z",
            "a git alias from the environment",
        ),
        ("git loop", "too many git aliases to read"),
        ("alias l=l; l", "commands nested too deeply"),
    ] {
        assert_eq!(opaque(line).as_deref(), Some(why), "{line:?}");
    }
    let many = format!("alias t=true{}", "; t".repeat(MAX_ALIASES + 1));
    assert_eq!(opaque(&many).as_deref(), Some("too many aliases to read"));
    // Bounds: a line too long, too deep.
    let long = "a".repeat(MAX_INPUT + 1);
    assert_eq!(
        opaque(&long).as_deref(),
        Some("a command line too long to read")
    );
    let deep = format!(
        "{}git push{}",
        "$(".repeat(MAX_DEPTH + 2),
        ")".repeat(MAX_DEPTH + 2)
    );
    assert_eq!(opaque(&deep).as_deref(), Some("commands nested too deeply"));
    let mut v = view();
    for k in 0..MAX_DEPTH + 2 {
        v.config
            .insert(format!("alias.a{k}"), format!("!git a{}", k + 1));
    }
    assert_eq!(
        read("git a0", &v).opaque.as_deref(),
        Some("commands nested too deeply")
    );
}

/// Lines built to make a reader slow (look-aheads, nesting, stars) are
/// read in about the time of any line their length.
#[test]
fn hostile_lines_are_read_quickly() {
    let n = MAX_INPUT / 4;
    let lines = [
        "[".repeat(n),
        "{".repeat(n),
        "$((".repeat(n / 3),
        "$((a b ".repeat(n / 7),
        "a{b,".repeat(n / 4),
        "${".repeat(n / 2),
        "${X:-".repeat(n / 5),
        "$(".repeat(n / 2),
        "`".repeat(n),
        "\"".repeat(n),
        "(".repeat(n),
        "x=(".repeat(n / 3),
        "<<E\n".repeat(n / 4),
        format!("echo {}", "x ".repeat(n / 2)),
        "git a;".repeat(n / 6),
        "env -S ".repeat(n / 7),
        "timeout 1 ".repeat(n / 10),
        format!("rm {}", "*.".repeat(n / 2)),
    ];
    let started = std::time::Instant::now();
    for line in &lines {
        read(line, &view());
    }
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
}

#[test]
fn plain_lines_read_plainly() {
    let none: Vec<String> = Vec::new();
    assert_eq!(lines("ls -la && rm -rf x"), ["ls -la", "rm -rf x"]);
    assert_eq!(lines("echo 'a && git push'"), ["echo a && git push"]);
    assert_eq!(lines("echo a\\ b \"c d\" $'e\\tf'"), ["echo a b c d e\tf"]);
    assert_eq!(lines("X=1 Y=2"), none);
    assert_eq!(lines("command -v git"), ["command -v git"]);
    assert_eq!(lines("git --version"), ["git --version"]);
    assert_eq!(lines("git status # git push"), ["git status"]);
    assert_eq!(lines("echo a#b"), ["echo a#b"]);
    assert_eq!(lines("echo $((1 + 2))"), ["echo $((1 + 2))"]);
    assert_eq!(lines("[ -f x ] && cat x"), ["[ -f x ]", "cat x"]);
    assert_eq!(lines("ls 2>/dev/null | head -1"), ["ls", "head -1"]);
    assert_eq!(lines("python3 -m pytest -x"), ["python3 -m pytest -x"]);
    assert_eq!(lines("python3 script.py -c x"), ["python3 script.py -c x"]);
    assert_eq!(lines("bash script.sh"), ["bash script.sh"]);
    assert_eq!(lines("cat <<'EOF'\n$(git push)\nEOF"), ["cat"]);
    assert_eq!(lines("cat <<-EOF\n\tgit push\n\tEOF\nls"), ["cat", "ls"]);
    assert_eq!(
        lines("find . -name '*.rs' -exec wc -l {} +"),
        ["find . -name *.rs -exec wc -l {} +", "wc -l {}"]
    );
    // What agents commonly run reads plainly.
    for line in [
        "git commit -m \"$(cat <<'EOF'\nFix: a \"quoted\" (thing)\n\nMore.\nEOF\n)\"",
        "cd \"$(git rev-parse --show-toplevel)\" && cargo test 2>&1 | tail -20",
        "for f in src/*.rs; do wc -l \"$f\"; done",
        "\"$HOME/.cargo/bin/cargo\" build",
        "find . -name '*.py' | xargs grep -n foo",
        "ls | xargs -I{} sh -c 'echo {}'",
        "[[ -f Cargo.toml ]] && echo yes || echo no",
        "npm run build > /tmp/build.log 2>&1; echo $?",
        "cat > notes.md <<'EOF'\n# Notes\n$(not run)\nEOF",
    ] {
        assert_eq!(opaque(line), None, "{line:?}");
    }
    assert_eq!(
        lines("git commit -m \"$(cat <<'EOF'\nmsg (x)\nEOF\n)\" && git push"),
        [
            "cat",
            "git commit -m $(cat <<'EOF'\nmsg (x)\nEOF\n)",
            "git push"
        ]
    );
    assert_eq!(opaque("ls *.rs"), None);
    assert_eq!(opaque("echo $HOME ${X:-y} $1 $@"), None);
    assert_eq!(opaque("awk '{print $1}' f"), None);
}

#[test]
fn writes_and_directories_are_recorded() {
    let r = read(
        "cd sub && echo x > a 2>>b &>c >|d 1<>e >&f 2>&1 <g >&- && cd .. && tee h",
        &view(),
    );
    let writes: Vec<(&str, Vec<String>)> = r
        .writes
        .iter()
        .map(|t| (t.word.text.as_str(), t.dirs.clone()))
        .collect();
    let sub = vec!["sub".to_string()];
    assert_eq!(
        writes,
        [
            ("a", sub.clone()),
            ("b", sub.clone()),
            ("c", sub.clone()),
            ("d", sub.clone()),
            ("e", sub.clone()),
            ("f", sub.clone()),
        ]
    );
    let tee = r.commands.last().unwrap();
    assert_eq!(tee.program, "tee");
    assert_eq!(tee.dirs, ["sub", ".."]);
    let r = read(
        "X=1 env Y=2 git -c core.hooksPath=/dev/null push; export Z=3",
        &view(),
    );
    assert_eq!(r.commands[0].env, ["X"]);
    assert_eq!(
        r.commands[0].git_config,
        [("core.hookspath".to_string(), "/dev/null".to_string())]
    );
    assert_eq!(r.assigned, ["X", "Y", "Z"]);
}
