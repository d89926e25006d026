#!/usr/bin/env python3
"""What holding agents to the gate costs.

1. The agent hook with the process-tree check: `codexa hook claude` on
   PreToolUse payloads with `$CODEXA_AGENT` set (the speaker is resolved,
   so every ancestor up to init is read), this binary beside a baseline
   binary built before the check (`--base`), interleaved in the same
   rounds, with 100k events in the log.
2. git's `pre-push` hook: `git push` of one new commit to a local bare
   remote with codexa's hook installed, beside the same push with hooks
   switched off (`-c core.hooksPath=/nonexistent`), as a person (the
   policy read, nothing recorded) and as an agent (a stand-in `claude`
   runs git; the push is approved, so it is judged, recorded and goes).

    cargo build --release
    python3 bench/control_bench.py --bin target/release/codexa --base /path/to/old/codexa [--events N] [--rounds N] [--json OUT]

Uses the environment, event generator and statistics of store_bench.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_bench as sb  # noqa: E402
from hook_bench import payload, run_stdin  # noqa: E402

STAND_IN = '#!/bin/sh\n"$@"\nstatus=$?\nexit $status\n'


def hook_rounds(b: sb.Bench, binaries: dict[str, Path], repo: Path, rounds: int) -> dict:
    files = {
        "PreToolUse Bash ls": payload(repo, "PreToolUse", tool_name="Bash",
                                      tool_input={"command": "ls -la"}, tool_use_id="t1"),
        "PreToolUse Bash git push": payload(repo, "PreToolUse", tool_name="Bash",
                                            tool_input={"command": "git push origin main"},
                                            tool_use_id="t2"),
    }
    paths = {}
    for i, (name, text) in enumerate(files.items()):
        paths[name] = b.root / f"payload_{i}.json"
        paths[name].write_text(text)
    samples: dict[str, list[float]] = {}
    for _ in range(2):  # warm-up
        for exe in binaries.values():
            for p in paths.values():
                run_stdin(b, [str(exe), "hook", "claude"], repo, p)
    for _ in range(rounds):
        r = b.run(["git", "rev-parse", "HEAD"], cwd=repo)
        samples.setdefault("git rev-parse HEAD", []).append(r.wall)
        for label, exe in binaries.items():
            for name, p in paths.items():
                wall, _ = run_stdin(b, [str(exe), "hook", "claude"], repo, p)
                samples.setdefault(f"{label}: {name}", []).append(wall)
        # The same binary without $CODEXA_AGENT: the hook names the agent
        # after its provider and resolves no speaker, so it reads no
        # ancestry; the difference is the check itself.
        agent = b.env.pop("CODEXA_AGENT")
        for name, p in paths.items():
            wall, _ = run_stdin(b, [str(binaries["now"]), "hook", "claude"], repo, p)
            samples.setdefault(f"now, no ancestry read: {name}", []).append(wall)
        b.env["CODEXA_AGENT"] = agent
    return samples


def push_rounds(b: sb.Bench, rounds: int) -> dict:
    remote = b.root / "remote.git"
    b.run(["git", "init", "-q", "--bare", str(remote)])
    repo = b.new_repo("pusher")
    b.run(["git", "remote", "add", "origin", str(remote)], cwd=repo)
    b.run(["git", "push", "-q", "origin", "main"], cwd=repo)
    b.cx(repo, "hooks", "install", "--git", "-q")
    stand_in_dir = b.root / "agent-bin"
    stand_in_dir.mkdir()
    claude = stand_in_dir / "claude"
    claude.write_text(STAND_IN)
    claude.chmod(0o755)
    n = 0

    def commit() -> None:
        nonlocal n
        n += 1
        (repo / "f.txt").write_text(str(n))
        b.run(["git", "add", "f.txt"], cwd=repo)
        b.run(["git", "commit", "-q", "-m", str(n)], cwd=repo)

    # The agent's first push opens the request; the person approves it.
    commit()
    first = b.run([str(claude), "git", "push", "-q", "origin", "main"], cwd=repo, check=False)
    assert first.rc != 0, "an agent's push went through without approval"
    pending = json.loads(b.cx(repo, "approvals", "--status", "pending", "--format", "json").stdout)
    b.cx(repo, "approve", pending[0]["id"])

    arms = {
        "push, hooks off": ["git", "-c", "core.hooksPath=/nonexistent", "push", "-q", "origin", "main"],
        "push by a person, pre-push hook": ["git", "push", "-q", "origin", "main"],
        "push by an agent (claude stand-in), hooks off":
            [str(claude), "git", "-c", "core.hooksPath=/nonexistent", "push", "-q", "origin", "main"],
        "push by an agent (claude stand-in), pre-push hook, approved":
            [str(claude), "git", "push", "-q", "origin", "main"],
    }
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        for name, argv in arms.items():
            commit()
            samples.setdefault(name, []).append(b.run(argv, cwd=repo).wall)
    b.cx(repo, "events", "verify", "-q")
    return samples


def table(stats: dict, base: str) -> list[str]:
    ref = stats[base]["median"]
    lines = ["| command | p50 | p95 | p50 / first |", "|---|---:|---:|---:|"]
    for name, s in stats.items():
        lines.append(f"| {name} | {s['median'] * 1000:.2f} ms | {s['p95'] * 1000:.2f} ms | "
                     f"{s['median'] / ref:.2f}x |")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/codexa")
    ap.add_argument("--base", required=True, help="a codexa binary from before the change")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--json", help="write every sample here")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="codexa-control-bench-"))
    binaries = {"now": root / "codexa", "before": root / "codexa-before"}
    shutil.copy2(args.bin, binaries["now"])
    shutil.copy2(args.base, binaries["before"])
    b = sb.Bench(binaries["now"], root, verbose=False)
    b.env["CODEXA_AGENT"] = "worker-a"
    try:
        repo = b.new_repo("shop")
        if args.events:
            src = root / "events.jsonl"
            sb.write_events(src, args.events, 0)
            b.cx(repo, "events", "import", str(src), "-q")
            src.unlink()
        b.cx(repo, "index", "rebuild", "-q")
        hooks = hook_rounds(b, binaries, repo, args.rounds)
        del b.env["CODEXA_AGENT"]
        pushes = push_rounds(b, args.rounds)
        hook_stats = {k: sb.summary(v) for k, v in hooks.items()}
        push_stats = {k: sb.summary(v) for k, v in pushes.items()}
        out = [f"{sb.fmt_n(args.events)} events, {args.rounds} interleaved rounds", ""]
        out += table(hook_stats, "git rev-parse HEAD")
        for name in ("PreToolUse Bash ls", "PreToolUse Bash git push"):
            now, before = hook_stats[f"now: {name}"], hook_stats[f"before: {name}"]
            bare = hook_stats[f"now, no ancestry read: {name}"]
            out.append(
                f"\n{name}: against before p50 {(now['median'] - before['median']) * 1000:+.2f} ms, "
                f"p95 {(now['p95'] - before['p95']) * 1000:+.2f} ms; the ancestry read alone "
                f"p50 {(now['median'] - bare['median']) * 1000:+.2f} ms, "
                f"p95 {(now['p95'] - bare['p95']) * 1000:+.2f} ms (target: within 1 ms)")
        out += ["", *table(push_stats, "push, hooks off")]
        person = (push_stats["push by a person, pre-push hook"]["median"]
                  - push_stats["push, hooks off"]["median"]) * 1000
        agent = (push_stats["push by an agent (claude stand-in), pre-push hook, approved"]["median"]
                 - push_stats["push by an agent (claude stand-in), hooks off"]["median"]) * 1000
        out.append(f"\npre-push hook adds {person:+.2f} ms to a person's push, {agent:+.2f} ms to an "
                   "agent's approved push (p50; target <= 20 ms)")
        print("\n".join(out))
        if args.json:
            Path(args.json).write_text(json.dumps({
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": sb.machine(),
                "events": args.events,
                "rounds": args.rounds,
                "hook": hook_stats,
                "push": push_stats,
                "samples": {"hook": hooks, "push": pushes},
            }, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
