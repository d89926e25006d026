#!/usr/bin/env python3
"""`codexa hook claude` from a fresh process, as Claude Code runs it on every
tool call (payload on stdin from a file), with 100k events already in the
log, beside `git rev-parse HEAD` in the same repository and rounds.

Payloads: PreToolUse Bash `ls` (allowed: policy decided and
`policy.evaluated` appended), PreToolUse Bash `git push` (require_approval:
also the approval lookup and the idempotent request), and Stop (not gated:
answered before any repository is opened).

Target: PreToolUse under 10 ms p50.

    cargo build --release
    python3 bench/hook_bench.py --bin target/release/codexa [--events N] [--rounds N] [--json OUT]

Uses the event generator and statistics of store_bench.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_bench as sb  # noqa: E402

SESSION = {
    "session_id": "bench-session",
    "transcript_path": "/tmp/bench-session.jsonl",
    "permission_mode": "default",
}


def payload(repo: Path, event: str, **extra) -> str:
    return json.dumps({**SESSION, "cwd": str(repo), "hook_event_name": event, **extra})


def run_stdin(b: sb.Bench, argv: list[str], cwd: Path, stdin: Path) -> tuple[float, bytes]:
    """store_bench's runner with stdin from a file: wall time from just
    before spawn to reaping."""
    wall, _, out = run_stdin_cpu(b, argv, cwd, stdin)
    return wall, out


def run_stdin_cpu(b: sb.Bench, argv: list[str], cwd: Path,
                  stdin: Path) -> tuple[float, float, bytes]:
    """`run_stdin`, with the child's CPU time (user + sys) from the same
    wait4: on a shared machine the wall time moves with the load, the CPU
    time far less."""
    with open(stdin, "rb") as fin, tempfile.TemporaryFile(dir=b.root) as out:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, env=b.env, stdin=fin, stdout=out,
                             stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        t1 = time.perf_counter()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(argv)} failed")
        out.seek(0)
        return t1 - t0, ru.ru_utime + ru.ru_stime, out.read()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/codexa")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--json", help="write every sample here")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="codexa-hook-bench-"))
    binary = root / "codexa"
    shutil.copy2(args.bin, binary)
    b = sb.Bench(binary, root, verbose=False)
    try:
        repo = b.new_repo("shop")
        if args.events:
            src = root / "events.jsonl"
            sb.write_events(src, args.events, 0)
            r = b.cx(repo, "events", "import", str(src), "--format", "json")
            assert json.loads(r.stdout)["appended"] == args.events
            src.unlink()
        b.cx(repo, "index", "rebuild", "-q")
        files = {
            "PreToolUse Bash ls (allow)": payload(
                repo, "PreToolUse", tool_name="Bash",
                tool_input={"command": "ls -la"}, tool_use_id="toolu_ls"),
            "PreToolUse Bash git push (ask)": payload(
                repo, "PreToolUse", tool_name="Bash",
                tool_input={"command": "git push origin main"}, tool_use_id="toolu_push"),
            "Stop (not gated)": payload(repo, "Stop", stop_hook_active=False,
                                        last_assistant_message="done"),
        }
        paths = {}
        for i, (name, text) in enumerate(files.items()):
            paths[name] = root / f"payload_{i}.json"
            paths[name].write_text(text)
        # Warm up once each (and check the answers).
        for name, p in paths.items():
            _, out = run_stdin(b, [str(binary), "hook", "claude"], repo, p)
            b.log(f"{name}: {out.decode().strip() or '(no output)'}")
        samples: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            r = b.run(["git", "rev-parse", "HEAD"], cwd=repo)
            samples.setdefault("git rev-parse HEAD", []).append(r.wall)
            for name, p in paths.items():
                wall, _ = run_stdin(b, [str(binary), "hook", "claude"], repo, p)
                samples.setdefault(name, []).append(wall)
        stats = {k: sb.summary(v) for k, v in samples.items()}
        git_p50 = stats["git rev-parse HEAD"]["median"]
        lines = [
            f"`codexa hook claude`, fresh process each, payload on stdin from a file, "
            f"{sb.fmt_n(args.events)} events in the log, {args.rounds} interleaved rounds",
            "",
            "| command | p50 | p95 | p50 / git rev-parse |",
            "|---|---:|---:|---:|",
        ]
        for name, s in stats.items():
            label = name if name.startswith("git") else f"hook: {name}"
            lines.append(f"| {label} | {s['median'] * 1000:.2f} ms | {s['p95'] * 1000:.2f} ms | "
                         f"{s['median'] / git_p50:.2f}x |")
        pre = stats["PreToolUse Bash ls (allow)"]["median"] * 1000
        lines += ["", f"PreToolUse p50 **{pre:.2f} ms** (target < 10 ms)"]
        print("\n".join(lines))
        if args.json:
            Path(args.json).write_text(json.dumps({
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": sb.machine(),
                "events": args.events,
                "rounds": args.rounds,
                "stats": stats,
                "samples": samples,
            }, indent=2))
        # The log the hook appended to still verifies.
        b.cx(repo, "events", "verify", "-q")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
