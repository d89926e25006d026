#!/usr/bin/env python3
"""The gate with a `trust` condition: `policy eval` and the PreToolUse hook
(`codexa hook claude`, payload on stdin from a file) for an agent whose
matching rule asks `trust: {min: proven}`, against the same calls under an
identical policy without it, with 100k events of history.

Each policy lives in a repository of its own with the same history: the
agent's approved requests (`approval.requested` + `approval.decided`,
codexa's own types, imported under CODEXA_TEST_APPEND_RESERVED=1) spread
through note events. Every call is a fresh process; the four calls run in
the same rounds, in an order that rotates each round, so a slow moment of
the machine falls on both sides; the ratio is the median of the per-round
ratios (with / without), for wall and CPU time (user + sys from wait4).

Target: with trust within 1.2x of without.

    cargo build --release
    python3 bench/trust_bench.py --bin target/release/codexa [--events N] [--approvals N] [--evaluated N]
        [--rounds N] [--quick] [--json OUT]

Uses the environment, event generator and statistics of store_bench.py.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_bench as sb  # noqa: E402
from hook_bench import payload, run_stdin_cpu  # noqa: E402
from start_bench import install  # noqa: E402

AGENT = "worker-a"
ACTION, SUBJECT = "shell.exec", "ls"
# The rule `trust accept` would write for the agent, first in the rules;
# the copy without trust is the same line for line but that one.
RULE = """  - id: earned-ls
    action: {action}
    subject: {subject}
    actor: "agent:{agent}"
{trust}    decision: allow
    reason_code: earned_trust
"""
TRUST_LINE = "    trust: {min: proven}\n"
CALLS = ("policy eval", "hook claude (PreToolUse)")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(rng: random.Random) -> str:
    return "0" + "".join(rng.choice(CROCKFORD) for _ in range(25))


def approval_lines(n: int, seed: int = 7) -> list[str]:
    """n requests of the agent's, each approved by a person."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        stream = f"approval:appr_{ulid(rng)}"
        out.append(json.dumps({
            "type": "approval.requested", "stream": stream, "actor": f"agent:{AGENT}",
            "data": {"action": ACTION, "subject": SUBJECT, "kind": "exec",
                     "requested_by": AGENT}}))
        out.append(json.dumps({
            "type": "approval.decided", "stream": stream, "actor": "user:bench",
            "data": {"decision": "approve", "by": "bench", "kind": "exec"}}))
    return out


def evaluated_lines(n: int) -> list[str]:
    """n gate decisions that allowed the agent's tool calls, as its hooks
    record one per call: the ledger reads them looking for denials."""
    line = json.dumps({
        "type": "policy.evaluated", "stream": "policy:shell.exec", "actor": f"agent:{AGENT}",
        "data": {"action": ACTION, "subject": "cat", "zone": "sandbox", "actor": f"agent:{AGENT}",
                 "decision": "allow", "reason_code": "default_allow"}})
    return [line] * n


def history(root: Path, events: int, approvals: int, evaluated: int) -> Path:
    """`events` notes with the approvals, then the allowed decisions,
    spread evenly through them."""
    notes = root / "notes.jsonl"
    sb.write_events(notes, events, 0)
    pairs = approval_lines(approvals)
    singles = evaluated_lines(evaluated)
    often = max(1, events // max(1, evaluated))
    every = max(1, events // max(1, approvals))
    src = root / "history.jsonl"
    with open(notes) as fin, open(src, "w") as out:
        for k, line in enumerate(fin):
            if k % every == every // 2 and pairs:
                out.write(pairs.pop(0) + "\n" + pairs.pop(0) + "\n")
            if k % often == often // 2 and singles:
                out.write(singles.pop() + "\n")
            out.write(line)
        out.writelines(p + "\n" for p in pairs + singles)
    notes.unlink()
    return src


def repo_with(b: sb.Bench, name: str, src: Path, trust: bool, events: int) -> Path:
    repo = b.new_repo(name)
    with open(repo / ".codexa" / "config.yaml", "a") as f:
        f.write(f"\nagents:\n  {AGENT}: {{provider: claude, role: worker}}\n")
    policy = repo / ".codexa" / "policy.yaml"
    text = policy.read_text()
    rule = RULE.format(action=ACTION, subject=SUBJECT, agent=AGENT,
                       trust=TRUST_LINE if trust else "")
    head, sep, tail = text.partition("\nrules:\n")
    assert sep, "the policy has a rules list"
    policy.write_text(head + sep + rule + tail)
    b.env["CODEXA_TEST_APPEND_RESERVED"] = "1"
    try:
        r = b.cx(repo, "events", "import", str(src), "--format", "json")
    finally:
        del b.env["CODEXA_TEST_APPEND_RESERVED"]
    assert json.loads(r.stdout)["appended"] >= events
    b.cx(repo, "index", "rebuild", "-q")
    return repo


def run(b: sb.Bench, argv: list[str], cwd: Path, stdin: Path) -> tuple[float, float, bytes]:
    """Wall and CPU seconds of one process, and its stdout (hook_bench's
    runner; a call that does not exit 0 stops the run)."""
    return run_stdin_cpu(b, argv, cwd, stdin)


def calls(b: sb.Bench, repo: Path, label: str) -> dict[str, tuple[list[str], Path]]:
    """Each call's command line and its stdin (empty for `policy eval`)."""
    nothing = b.root / "empty-stdin"
    nothing.write_text("")
    hook = b.root / f"pretooluse-{label}.json"
    hook.write_text(payload(repo, "PreToolUse", tool_name="Bash",
                            tool_input={"command": "ls -la"}, tool_use_id="toolu_ls"))
    return dict(zip(CALLS, [
        ([b.bin, "--format", "json", "policy", "eval", "--action", ACTION,
                         "--subject", SUBJECT], nothing),
        ([b.bin, "hook", "claude"], hook),
    ]))


def check(b: sb.Bench, repos: dict[str, Path], jobs: dict) -> None:
    """Both policies allow through the earned rule, and the agent is proven."""
    for label, repo in repos.items():
        _, _, out = run(b, *jobs[(label, CALLS[0])])
        d = json.loads(out)
        assert (d["decision"], d.get("rule")) == ("allow", "earned-ls"), (label, d)
        _, _, out = run(b, *jobs[(label, CALLS[1])])
        b.log(f"{label}: hook answered {out.decode().strip() or '(nothing: allowed)'}")
    shown = json.loads(b.cx(repos["with trust"], "--format", "json", "trust", "show",
                            AGENT).stdout)
    level = shown["levels"][0]
    assert level["tier"] == "proven", level
    b.log(f"{AGENT}: {level['tier']}, {level['approved']} approved")


def measure(b: sb.Bench, jobs: dict, rounds: int) -> dict:
    keys = list(jobs)
    wall: dict[tuple, list[float]] = {k: [] for k in keys}
    cpu: dict[tuple, list[float]] = {k: [] for k in keys}
    for i in range(rounds + 2):
        shift = i % len(keys)
        for k in keys[shift:] + keys[:shift]:
            argv, cwd, stdin = jobs[k]
            w, c, _ = run(b, argv, cwd, stdin)
            if i >= 2:  # two warm-up rounds
                wall[k].append(w)
                cpu[k].append(c)
    return {"wall": wall, "cpu": cpu}


def ratios(samples: dict[tuple, list[float]], name: str) -> float:
    with_t = samples[("with trust", name)]
    without = samples[("without trust", name)]
    return statistics.median(a / b for a, b in zip(with_t, without))


def markdown(r: dict) -> str:
    lines = [
        f"{sb.fmt_n(r['events'])} note events, {r['approvals']} approved requests and "
        f"{r['evaluated']} allowed gate decisions of the agent's in the log, "
        f"{r['rounds']} interleaved rounds, fresh process each",
        "",
        "| call | without trust: median | with trust: median | ratio | CPU without | CPU with "
        "| CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in r["calls"]:
        w0 = r["wall"][f"without trust: {name}"]["median"] * 1000
        w1 = r["wall"][f"with trust: {name}"]["median"] * 1000
        c0 = r["cpu"][f"without trust: {name}"]["median"] * 1000
        c1 = r["cpu"][f"with trust: {name}"]["median"] * 1000
        lines.append(f"| `{name}` | {w0:.2f} ms | {w1:.2f} ms | {r['ratio'][name]:.2f}x | "
                     f"{c0:.2f} ms | {c1:.2f} ms | {r['cpu_ratio'][name]:.2f}x |")
    worst = max(r["ratio"].values())
    lines += ["", f"worst ratio **{worst:.2f}x** (target within 1.2x)"]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/codexa", type=Path)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--approvals", type=int, default=50)
    ap.add_argument("--evaluated", type=int, default=0,
                    help="allowed gate decisions of the agent's already in the log")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--quick", action="store_true", help="10k events, 8 rounds: a smoke run")
    ap.add_argument("--json", type=Path, help="write the figures and every sample here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    if args.quick:
        args.events, args.rounds = 10_000, 8

    root = Path(tempfile.mkdtemp(prefix="codexa-trust-bench-"))
    try:
        binary = install(args.bin.resolve(), root / "bin")
        b = sb.Bench(binary, root, verbose=False)
        b.log(f"history: {args.events} notes, {args.approvals} approved requests, "
              f"{args.evaluated} allowed decisions")
        src = history(root, args.events, args.approvals, args.evaluated)
        repos = {
            "with trust": repo_with(b, "with", src, True, args.events),
            "without trust": repo_with(b, "without", src, False, args.events),
        }
        src.unlink()
        # The agent asks: every measured call runs as it.
        b.env["CODEXA_AGENT"] = AGENT
        jobs = {}
        for label, repo in repos.items():
            for name, (argv, stdin) in calls(b, repo, label.split()[0]).items():
                jobs[(label, name)] = (argv, repo, stdin)
        check(b, repos, jobs)
        b.log(f"measuring: {args.rounds} rounds")
        m = measure(b, jobs, args.rounds)
        names = list(CALLS)
        result = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": sb.machine(),
            "events": args.events,
            "approvals": args.approvals,
            "evaluated": args.evaluated,
            "rounds": args.rounds,
            "calls": names,
            "wall": {f"{l}: {n}": sb.summary(v) for (l, n), v in m["wall"].items()},
            "cpu": {f"{l}: {n}": sb.summary(v) for (l, n), v in m["cpu"].items()},
            "ratio": {n: ratios(m["wall"], n) for n in names},
            "cpu_ratio": {n: ratios(m["cpu"], n) for n in names},
        }
        print(markdown(result))
        if args.json:
            result["samples"] = {f"{l}: {n}": v for (l, n), v in m["wall"].items()}
            args.json.write_text(json.dumps(result, indent=1))
        for repo in repos.values():
            b.cx(repo, "events", "verify", "-q")
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
