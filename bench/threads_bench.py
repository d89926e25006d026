#!/usr/bin/env python3
"""`codexa post` and `codexa read` from a fresh process, as agents call them,
with 10k, 100k and 1M events already in the log, beside `git rev-parse HEAD`
in the same repositories and the same rounds.

Targets: flat (1M within 2x of 10k), and within 3x of
`git rev-parse HEAD`.

    cargo build --release
    python3 bench/threads_bench.py --bin target/release/codexa [--quick] [--json OUT]

Uses the process runner, event generator and statistics of store_bench.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_bench as sb  # noqa: E402

CONFIG = """version: 1
agents:
  lead: {provider: claude, role: lead}
  worker-a: {provider: codex, role: worker}
governance:
  # The benchmark posts far faster than any guard allows; raise them so every
  # post is measured doing the full work, guards included.
  loop_guard: {max_agent_messages: 1000000}
  rate_guard: {max_posts_per_minute: 1000000}
"""


def prepare(b: sb.Bench, n: int, thread_messages: int, name: str | None = None) -> dict:
    repo = b.new_repo(name or f"threads_{n}")
    (repo / ".codexa" / "config.yaml").write_text(CONFIG)
    if n:
        src = b.root / f"events_{n}.jsonl"
        sb.write_events(src, n, 0)
        r = b.cx(repo, "events", "import", str(src), "--format", "json")
        assert json.loads(r.stdout)["appended"] == n
        src.unlink()
    th = b.cx(repo, "--as", "lead", "thread", "new", "bench thread",
              "--participants", "lead,worker-a").stdout.decode().strip()
    for i in range(thread_messages):
        b.cx(repo, "--as", "lead", "post", th, f"message {i}", "-q")
    b.cx(repo, "--as", "worker-a", "read", th, "-q")  # catch the index up, read all
    b.log(f"{n}: log ready, thread {th}")
    return {"repo": repo, "thread": th}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/codexa")
    ap.add_argument("--quick", action="store_true", help="1k/10k/30k events, 10 rounds")
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--json", help="write every sample here")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    sizes = [1_000, 10_000, 30_000] if args.quick else [10_000, 100_000, 1_000_000]
    rounds = 10 if args.quick else args.rounds
    root = Path(tempfile.mkdtemp(prefix="codexa-threads-bench-"))
    binary = root / "codexa"
    shutil.copy2(args.bin, binary)
    b = sb.Bench(binary, root, verbose=False)
    try:
        logs = {n: prepare(b, n, 20) for n in sizes}
        samples: dict[str, list[float]] = {}
        for rnd in range(rounds):
            order = sizes[rnd % len(sizes):] + sizes[: rnd % len(sizes)]
            for n in order:
                repo, th = logs[n]["repo"], logs[n]["thread"]
                r = b.run(["git", "rev-parse", "HEAD"], cwd=repo)
                samples.setdefault(f"git rev-parse HEAD@{n}", []).append(r.wall)
                r = b.cx(repo, "--as", "lead", "post", th, f"round {rnd}", "-q")
                samples.setdefault(f"post@{n}", []).append(r.wall)
                r = b.cx(repo, "--as", "worker-a", "read", th, "-q")
                samples.setdefault(f"read@{n}", []).append(r.wall)
        stats = {k: sb.summary(v) for k, v in samples.items()}
        git_all = [x for n in sizes for x in samples[f"git rev-parse HEAD@{n}"]]
        git_p50 = statistics.median(git_all)
        lines = [
            f"codexa post/read, fresh process each, {rounds} interleaved rounds; "
            f"`git rev-parse HEAD` p50 {git_p50 * 1000:.2f} ms",
            "",
            "| command | events in log | p50 | p95 | p50 / git rev-parse |",
            "|---|---:|---:|---:|---:|",
        ]
        for cmd in ("post", "read"):
            for n in sizes:
                s = stats[f"{cmd}@{n}"]
                lines.append(
                    f"| `codexa {cmd}` | {sb.fmt_n(n)} | {s['median'] * 1000:.2f} ms | "
                    f"{s['p95'] * 1000:.2f} ms | {s['median'] / git_p50:.2f}x |"
                )
        lines.append("")
        for cmd in ("post", "read"):
            big, small = stats[f"{cmd}@{sizes[-1]}"]["median"], stats[f"{cmd}@{sizes[0]}"]["median"]
            lines.append(
                f"`{cmd}`: {sb.fmt_n(sizes[-1])} / {sb.fmt_n(sizes[0])} = **{big / small:.2f}x** "
                f"(target <= 2x); vs git rev-parse **{big / git_p50:.2f}x** (target <= 3x)"
            )
        print("\n".join(lines))
        if args.json:
            Path(args.json).write_text(json.dumps({
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": sb.machine(),
                "sizes": sizes,
                "rounds": rounds,
                "git_rev_parse_p50_s": git_p50,
                "stats": stats,
                "samples": samples,
            }, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
