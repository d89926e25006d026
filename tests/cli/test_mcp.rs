//! `codexa mcp` end to end: the real binary in a temporary git repository,
//! spoken to in newline-delimited JSON-RPC on its stdin and stdout the way
//! Claude Code and Codex do, without an MCP client library, so the test
//! sees exactly the bytes an agent's harness would.
//!
//! Every response is awaited with a timeout (a reader thread feeds a
//! channel), so a server that hangs fails the test instead of blocking CI.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{AGENTS, BIN, TestEnv, agent_bin, extend_config, stderr, stdout};

const TIMEOUT: Duration = Duration::from_secs(10);
const FAKE_AWS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";

/// A temporary git repository with `codexa init` run and two configured
/// agents, on the real clock.
struct Env {
    test: TestEnv,
    repo: PathBuf,
}

impl Env {
    fn new(extra_config: &str) -> Env {
        let test = TestEnv::real_clock();
        let repo = test.init_repo("repo");
        extend_config(&repo, AGENTS);
        extend_config(&repo, extra_config);
        Env { test, repo }
    }

    /// `codexa` in the repository, in the test's clean environment, with
    /// `CODEXA_AGENT=worker-a` as an agent's MCP config would set.
    fn codexa(&self) -> Command {
        let mut cmd = self.test.std_codexa(&self.repo);
        cmd.env("CODEXA_AGENT", "worker-a");
        cmd
    }

    /// Run `codexa ARGS` (as `codexa` above) to completion; panics on
    /// failure; returns stdout.
    fn run(&self, args: &[&str]) -> String {
        let out = self.codexa().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "codexa {args:?} failed:\n{}{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    /// `codexa events query …` as parsed JSON Lines.
    fn events(&self, args: &[&str]) -> Vec<Value> {
        self.test.query(&self.repo, args)
    }
}

/// A running `codexa mcp` and its two pipes.
struct Mcp {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl Mcp {
    /// Spawn the server and complete the handshake; returns the server and
    /// the `initialize` result.
    fn start(env: &Env) -> (Mcp, Value) {
        Mcp::start_with(env.codexa())
    }

    /// A server for another agent (`CODEXA_AGENT=name`): an agent speaks
    /// only as itself, so each agent has its own server, as in real use.
    fn start_as(env: &Env, name: &str) -> Mcp {
        let mut command = env.codexa();
        command.env("CODEXA_AGENT", name);
        Mcp::start_with(command).0
    }

    /// `start` with the command to run (`mcp` is added).
    fn start_with(mut command: Command) -> (Mcp, Value) {
        let mut child = command
            .arg("mcp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut mcp = Mcp {
            stdin: child.stdin.take(),
            child,
            lines,
            next_id: 0,
        };
        let init = mcp.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "codexa-tests", "version": "0.0.0"},
            }),
        );
        mcp.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        (mcp, init)
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    /// Send a request and wait for its response (skipping any notification
    /// the server sends meanwhile); returns `result`, panicking on a
    /// JSON-RPC error.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = match self.lines.recv_timeout(TIMEOUT) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no answer to {method} within {TIMEOUT:?}")
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed stdout before answering {method}")
                }
            };
            let message: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("not JSON on stdout ({e}): {line}"));
            assert_eq!(message["jsonrpc"], "2.0", "{message}");
            if message["id"] != json!(id) {
                assert!(
                    message.get("id").is_none(),
                    "unexpected response: {message}"
                );
                continue;
            }
            assert!(message.get("error").is_none(), "{method} failed: {message}");
            return message["result"].clone();
        }
    }

    /// `tools/call`: the result (check `isError` yourself).
    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": tool, "arguments": arguments}))
    }

    /// `tools/call` that must succeed; returns the JSON in its text content,
    /// checked against the structured content when there is one.
    fn ok(&mut self, tool: &str, arguments: Value) -> Value {
        let result = self.call(tool, arguments);
        assert_eq!(result["isError"], false, "{tool} failed: {result}");
        let value = text_json(&result);
        if let Some(structured) = result.get("structuredContent") {
            assert_eq!(structured, &value, "text and structured content differ");
        }
        value
    }

    /// Close stdin, as a client does when it is done; the server must exit
    /// cleanly.
    fn finish(mut self) {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "codexa mcp exited with {status}");
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "codexa mcp did not exit after stdin closed"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Mcp {
    fn drop(&mut self) {
        // A failed test must not leave the server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The JSON a tool answered in its (single) text content.
fn text_json(result: &Value) -> Value {
    let content = result["content"].as_array().expect("content");
    assert_eq!(content.len(), 1, "{result}");
    assert_eq!(content[0]["type"], "text");
    serde_json::from_str(content[0]["text"].as_str().unwrap()).unwrap()
}

#[test]
fn tools_share_the_cli_domain_redaction_and_events() {
    let env = Env::new("");
    let (mut mcp, init) = Mcp::start(&env);
    assert_eq!(init["protocolVersion"], "2025-06-18");
    assert_eq!(init["serverInfo"]["name"], "codexa");
    assert_eq!(init["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(init["capabilities"]["tools"].is_object(), "{init}");
    assert!(init["instructions"].as_str().unwrap().contains("inbox"));

    let tools = mcp.request("tools/list", json!({}));
    let mut names: Vec<&str> = tools["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["inputSchema"]["type"], "object", "{t}");
            // Tools that act speak as someone; reading tmux or a run does not.
            if !["agents_status", "run_show"].contains(&t["name"].as_str().unwrap()) {
                assert!(t["inputSchema"]["properties"]["as"].is_object(), "{t}");
            }
            assert!(!t["description"].as_str().unwrap().is_empty(), "{t}");
            t["name"].as_str().unwrap()
        })
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "ack",
            "agents_status",
            "approval_request",
            "approvals",
            "ask",
            "inbox",
            "policy_eval",
            "post",
            "read",
            "run_claim",
            "run_complete",
            "run_fail",
            "run_heartbeat",
            "run_show",
            "run_start",
            "start",
            "thread_create",
            "thread_list",
            "thread_show",
            "trigger",
            "trust_constraints",
            "trust_recommendations",
            "trust_show"
        ]
    );

    // A wake is requested and handed to a worker; the gate answers first.
    let woken = mcp.ok(
        "trigger",
        json!({"participant": "lead", "prompt": "look at CI"}),
    );
    assert_eq!(woken[0]["participant"], "lead", "{woken}");
    assert_eq!(woken[0]["outcome"], "requested", "{woken}");
    assert!(
        woken[0]["job"].as_str().unwrap().starts_with("trg_"),
        "{woken}"
    );

    // Speaking as $CODEXA_AGENT of the server process.
    let thread = mcp.ok(
        "thread_create",
        json!({"title": "Rotate the deploy key", "participants": ["lead"]}),
    );
    let th = thread["id"].as_str().unwrap().to_string();
    assert_eq!(thread["created_by"], "worker-a");
    assert_eq!(thread["participants"], json!(["worker-a", "lead"]));

    let posted = mcp.ok(
        "post",
        json!({
            "thread": th,
            "body": format!("the old key was {FAKE_AWS_KEY}, please rotate"),
            "mentions": ["lead"],
        }),
    );
    assert_eq!(posted["outcome"], "posted");
    assert_eq!(posted["new"], true);
    let message = &posted["message"];
    let msg = message["id"].as_str().unwrap().to_string();
    assert_eq!(
        message["body"],
        "the old key was [REDACTED:aws_access_key], please rotate"
    );
    assert_eq!(message["redactions"][0]["kind"], "aws_access_key");

    let listed = mcp.ok("thread_list", json!({"mine": true}));
    assert_eq!(listed[0]["id"], th.as_str());
    assert_eq!(listed[0]["messages"], 1);

    let mut lead = Mcp::start_as(&env, "lead");
    // Another agent's name is refused: an agent speaks only as itself.
    let spoof = mcp.call("inbox", json!({"as": "lead"}));
    assert_eq!(spoof["isError"], true, "{spoof}");
    let inbox = lead.ok("inbox", json!({}));
    assert_eq!(inbox[0]["thread"], th.as_str());
    assert_eq!(inbox[0]["mentions"], 1);

    let read = lead.ok("read", json!({"thread": th}));
    assert_eq!(read["reader"], "lead");
    assert_eq!(read["marked_read"], true);
    assert_eq!(read["messages"].as_array().unwrap().len(), 1);
    assert_eq!(read["messages"][0]["id"], msg.as_str());
    assert!(!read.to_string().contains(FAKE_AWS_KEY));
    let again = lead.ok("read", json!({"thread": th}));
    assert_eq!(again["messages"], json!([]));

    let acked = lead.ok("ack", json!({"message": msg, "note": "rotated"}));
    assert_eq!(acked["acked_by"], json!(["lead"]));
    let shown = mcp.ok("thread_show", json!({"thread": th}));
    assert_eq!(shown["messages"][0]["acked_by"], json!(["lead"]));

    // Domain errors are tool errors with the message and hint.
    let missing = mcp.call("read", json!({"thread": "th_nope"}));
    assert_eq!(missing["isError"], true);
    let err = text_json(&missing);
    assert_eq!(err["outcome"], "error");
    assert_eq!(err["kind"], "not_found");
    assert!(err["message"].as_str().unwrap().contains("th_nope"));
    assert!(err["hint"].is_string(), "{err}");
    let stranger = mcp.call("inbox", json!({"as": "nobody"}));
    assert_eq!(stranger["isError"], true);
    assert!(
        text_json(&stranger)["hint"]
            .as_str()
            .unwrap()
            .contains("lead")
    );
    // Arguments outside the schema too, and the server goes on.
    let bad = mcp.call("post", json!({"thread": th, "text": "hi"}));
    assert_eq!(bad["isError"], true, "{bad}");
    mcp.ok("thread_list", json!({}));
    mcp.finish();

    // The events are the CLI's: actor, redaction provenance.
    let events = env.events(&["--type", "message.posted"]);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e["actor"], json!({"kind": "agent", "id": "worker-a"}));
    assert_eq!(e["stream"]["id"], th.as_str());
    assert_eq!(e["provenance"]["redactions"][0]["kind"], "aws_access_key");
    assert!(!e.to_string().contains(FAKE_AWS_KEY));
    let reads = env.events(&["--type", "message.read"]);
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["actor"]["id"], "lead");
}

#[test]
fn a_governance_block_is_a_tool_error() {
    let env = Env::new("governance:\n  loop_guard:\n    max_agent_messages: 2\n");
    let (mut mcp, _) = Mcp::start(&env);
    let thread = mcp.ok(
        "thread_create",
        json!({"title": "ping-pong", "participants": ["lead"]}),
    );
    let th = thread["id"].as_str().unwrap();
    mcp.ok("post", json!({"thread": th, "body": "one"}));
    Mcp::start_as(&env, "lead").ok("post", json!({"thread": th, "body": "two"}));
    let third = mcp.call("post", json!({"thread": th, "body": "three"}));
    assert_eq!(third["isError"], true, "{third}");
    let blocked = text_json(&third);
    assert_eq!(third["structuredContent"], blocked);
    assert_eq!(blocked["outcome"], "blocked");
    assert_eq!(blocked["reason_code"], "loop_guard");
    assert_eq!(blocked["participant"], "worker-a");
    assert!(blocked["message"].is_string());
    assert!(blocked["hint"].as_str().unwrap().contains("person"));
    // The server is still there, and nothing was posted.
    let shown = mcp.ok("thread_show", json!({"thread": th}));
    assert_eq!(shown["messages"].as_array().unwrap().len(), 2);
    mcp.finish();

    let refusals = env.events(&["--type", "governance.blocked"]);
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0]["data"]["reason_code"], "loop_guard");
    assert_eq!(refusals[0]["actor"]["id"], "worker-a");
}

#[test]
fn control_tools_share_the_cli_gate_approvals_and_phrases() {
    let env = Env::new("");
    let (mut mcp, _) = Mcp::start(&env);
    let push = json!({"action": "git.push", "subject": "origin/main"});

    // The gate, as `policy eval --format json` answers it, recorded.
    let decision = mcp.ok("policy_eval", push.clone());
    assert_eq!(decision["decision"], "require_approval");
    assert_eq!(decision["reason_code"], "git_push_requires_approval");
    assert_eq!(decision["actor"], "agent:worker-a");
    assert_eq!(decision["rule"], "git-push");
    let cli: Value = serde_json::from_str(&env.run(&[
        "policy",
        "explain",
        "--action",
        "git.push",
        "--subject",
        "origin/main",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(cli["decision"], decision);

    let mut request = push.clone();
    request["kind"] = json!("release");
    request["reason"] = json!("ship 1.2");
    let approval = mcp.ok("approval_request", request.clone());
    let id = approval["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("appr_"), "{approval}");
    assert_eq!(approval["status"], "pending");
    assert_eq!(approval["requested_by"], "worker-a");
    assert_eq!(approval["kind"], "release");
    // Idempotent while pending, as the CLI is.
    assert_eq!(mcp.ok("approval_request", request)["id"], id.as_str());

    let pending = mcp.ok("approvals", json!({"status": "pending"}));
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert_eq!(pending[0]["id"], id.as_str());
    assert_eq!(
        mcp.ok("approvals", json!({"subject": "elsewhere"})),
        json!([])
    );
    let bad = mcp.call("approvals", json!({"status": "maybe"}));
    assert_eq!(bad["isError"], true, "{bad}");
    assert!(
        text_json(&bad)["hint"]
            .as_str()
            .unwrap()
            .contains("pending")
    );

    // `ask`: a dry run resolves only.
    let dry = mcp.ok(
        "ask",
        json!({"phrase": "Approve release for origin/main.", "dry_run": true}),
    );
    assert_eq!(dry["command"], "codexa approve origin/main --kind release");
    assert_eq!(
        dry["argv"],
        json!(["approve", "origin/main", "--kind", "release"])
    );
    assert!(dry.get("exit_code").is_none(), "{dry}");
    // Run as the agent, the command refuses (agents may not decide) and
    // the tool says so with the command's exit code and stderr.
    let refused = mcp.call("ask", json!({"phrase": "approve release for origin/main"}));
    assert_eq!(refused["isError"], true, "{refused}");
    let refused = text_json(&refused);
    assert_eq!(refused["exit_code"], 1);
    assert!(!refused["stderr"].as_str().unwrap().is_empty());
    // An agent may not speak as a person.
    let spoof = mcp.call(
        "ask",
        json!({"phrase": "approve release for origin/main", "as": "Test User"}),
    );
    assert_eq!(spoof["isError"], true, "{spoof}");
    // The person's own server (no $CODEXA_AGENT: the git user) decides
    // the real request.
    let mut person = env.codexa();
    person.env_remove("CODEXA_AGENT");
    let (mut human, _) = Mcp::start_with(person);
    let decided = human.ok("ask", json!({"phrase": "approve release for origin/main"}));
    human.finish();
    assert_eq!(decided["exit_code"], 0, "{decided}");
    assert_eq!(decided["output"]["id"], id.as_str());
    assert_eq!(decided["output"]["status"], "approved");
    // And the gate, asked by phrase, now allows the push.
    let allowed = mcp.ok("ask", json!({"phrase": "can I git.push origin/main?"}));
    assert_eq!(allowed["output"]["decision"], "allow", "{allowed}");
    assert_eq!(allowed["output"]["approval"], id.as_str());

    // An unknown phrase: an error with suggestions.
    let unknown = mcp.call("ask", json!({"phrase": "aprove release for origin/main"}));
    assert_eq!(unknown["isError"], true);
    let unknown = text_json(&unknown);
    assert_eq!(unknown["suggestions"][0], "approve {kind} for {subject}");
    mcp.finish();

    // Both evaluations by the tools were recorded as the CLI records them.
    let evaluated = env.events(&["--type", "policy.evaluated"]);
    assert_eq!(evaluated.len(), 2, "{evaluated:?}");
    assert_eq!(evaluated[0]["actor"]["id"], "worker-a");
    assert_eq!(evaluated[0]["data"]["decision"], "require_approval");
    assert_eq!(evaluated[1]["data"]["decision"], "allow");
    let decided = env.events(&["--type", "approval.decided"]);
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["actor"]["kind"], "user");
}

/// Kills a private tmux server when the test ends, even on a panic.
struct TmuxServer(String);

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.0, "kill-server"])
            .output();
    }
}

#[test]
fn agents_status_is_the_status_snapshot() {
    let env = Env::new("");
    let socket = format!("codexa-mcp-{}", std::process::id());
    let server = TmuxServer(socket.clone());
    let started = Command::new("tmux")
        .args(["-L", &server.0, "new-session", "-d", "-s", "plain", "sh"])
        .status()
        .unwrap();
    assert!(started.success());
    let (mut mcp, _) = Mcp::start(&env);
    let panes = mcp.ok("agents_status", json!({"socket": socket}));
    let panes = panes
        .as_array()
        .expect("an array, as `status --format json`");
    assert_eq!(panes.len(), 1, "{panes:?}");
    assert_eq!(panes[0]["target"], "plain:0.0");
    assert_eq!(panes[0]["presence"], "unmanaged");
    assert_eq!(panes[0]["evidence"], "none");
    // The same snapshot the CLI prints.
    let cli: Value =
        serde_json::from_str(&env.run(&["status", "--format", "json", "--socket", &socket]))
            .unwrap();
    assert_eq!(cli[0]["pane"], panes[0]["pane"]);
    assert_eq!(cli[0]["presence"], panes[0]["presence"]);
    // Only panes needing a person: none here.
    let attention = mcp.ok(
        "agents_status",
        json!({"socket": socket, "attention": true}),
    );
    assert_eq!(attention, json!([]));
    // No server on a socket: no panes, not an error.
    let none = mcp.ok("agents_status", json!({"socket": format!("{socket}-none")}));
    assert_eq!(none, json!([]));
    mcp.finish();
}

/// The server an agent starts runs under the agent's program: a stand-in
/// named `claude` that runs `codexa mcp` as its child, registered as the
/// README shows (no `$CODEXA_AGENT`). Through it the agent may ask for an
/// approval but never decide one, and never speak as a person.
#[test]
fn a_server_under_an_agent_cannot_approve_or_speak_as_a_person() {
    let env = Env::new("  boss: {provider: other, role: human}\n");
    let claude = agent_bin(&env.test, "claude").join("claude");
    // Run by `sh` (as the kernel would run it from its `#!` line): a file
    // this process just wrote may not be executed while another test
    // thread's fork still holds it open.
    let mut command = Command::new("/bin/sh");
    command.current_dir(&env.repo).arg(&claude).arg(BIN);
    env.test.apply_env(&mut command);
    let (mut mcp, _) = Mcp::start_with(command);

    let asked = mcp.ok(
        "approval_request",
        json!({"action": "git.push", "subject": "origin/main"}),
    );
    assert_eq!(asked["requested_by"], "claude");
    let id = asked["id"].as_str().unwrap().to_string();
    for phrase in ["approve publish for origin/main", &format!("approve {id}")] {
        let r = mcp.call("ask", json!({"phrase": phrase}));
        assert_eq!(r["isError"], true, "{phrase}: {r}");
    }
    for who in ["Test User", "boss"] {
        let r = mcp.call(
            "approval_request",
            json!({"action": "git.push", "subject": "origin/x", "as": who}),
        );
        assert_eq!(r["isError"], true, "as {who}: {r}");
    }
    let still = mcp.ok("approvals", json!({}));
    assert_eq!(still[0]["status"], "pending", "{still}");
    mcp.finish();
}

/// An agent works a run through MCP alone: claims it for itself, starts,
/// heartbeats, completes; a stale token is an error of kind `conflict`.
#[test]
fn an_agent_works_a_run_through_the_runs_tools() {
    let env = Env::new("");
    let run = env
        .run(&["run", "create", "--title", "triage"])
        .trim()
        .to_string();
    let (mut mcp, _) = Mcp::start(&env);
    let claimed = mcp.ok("run_claim", json!({"ttl": "5m"}));
    assert_eq!(claimed["run"]["id"], run.as_str());
    assert_eq!(claimed["run"]["lease"]["worker"], "worker-a");
    let token = claimed["token"].as_str().unwrap().to_string();
    let someone = mcp.call("run_claim", json!({}));
    assert_eq!(
        someone["isError"], true,
        "the queue is empty now: {someone}"
    );
    assert_eq!(text_json(&someone)["kind"], "conflict");
    mcp.ok("run_start", json!({"run": run, "token": token}));
    mcp.ok("run_heartbeat", json!({"run": run, "token": token}));
    let stale = mcp.call(
        "run_complete",
        json!({"run": run, "token": "cxl_7_01m8y9cpfb2xjsr70xd60gvg62"}),
    );
    assert_eq!(text_json(&stale)["kind"], "conflict", "{stale}");
    let done = mcp.ok(
        "run_complete",
        json!({"run": run, "token": token, "output": {"labels": 3}}),
    );
    assert_eq!(done["status"], "completed");
    assert_eq!(
        mcp.ok("run_show", json!({"run": run}))["output"]["labels"],
        3
    );
    mcp.finish();
}
