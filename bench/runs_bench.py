#!/usr/bin/env python3
"""`codexa run claim` from a fresh process, as a worker calls it, with 10k
and 100k completed runs in the history, beside `git rev-parse HEAD` in the
same repositories and the same rounds.

Target: flat, the claim's p50 with 100k completed runs within 1.2x of its
p50 with 10k.

Each history is imported in one `codexa events import` (with
CODEXA_TEST_APPEND_RESERVED=1, which lets a benchmark write codexa's own
event types): per completed run its `run.created`, `run.claimed`,
`run.started` and `run.completed`, as the commands write them, then one
queued run per round to come and a few more. A round claims the oldest
queued run in each repository (measured), after `git rev-parse HEAD` in the
same repository, then fails it (not measured) so that no claimed run is
left for the next claim to pass over. The repositories take turns going
first. Ratios are of medians measured in the same rounds.

    cargo build --release
    python3 bench/runs_bench.py --bin target/release/codexa [--quick] [--rounds N] [--json OUT]

Uses the process runner, statistics and machine facts of store_bench.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_bench as sb  # noqa: E402

# The worker that claims; `--as` names only a configured participant.
CONFIG = "version: 1\nagents:\n  worker-a: {provider: codex, role: worker}\n"

WARMUP = 2
# Queued runs left over after the last round.
SPARE = 3
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(ms: int, n: int) -> str:
    """A ULID for the `n`th run made at `ms`: 10 characters of time, 16 of
    the counter."""
    out = []
    for value, width in ((ms, 10), (n, 16)):
        chars = []
        for _ in range(width):
            chars.append(CROCKFORD[value % 32])
            value //= 32
        out.append("".join(reversed(chars)))
    return "".join(out)


def run_events(run: str, n: int, done: bool, at_ms: int) -> list[dict]:
    """The events of one run as the commands write them: created, and for
    a completed one its claim, start and completion under lease 1."""
    line = lambda kind, data: {"type": kind, "stream": f"run:{run}", "data": data,
                               "correlation_id": run}
    out = [line("run.created", {"title": f"bench run {n}", "kind": "default",
                                "input": {"n": n}})]
    if done:
        token = hashlib.sha256(f"cxl_1_{run}".encode()).hexdigest()
        expires = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(at_ms / 1000 + 600))
        out += [
            line("run.claimed", {"worker": "worker-a", "fence": 1,
                                 "token_sha256": f"sha256:{token}", "ttl_ms": 600_000,
                                 "expires_at": expires}),
            line("run.started", {"fence": 1, "token_sha256": f"sha256:{token}"}),
            line("run.completed", {"fence": 1, "token_sha256": f"sha256:{token}",
                                   "output": {"ok": True}}),
        ]
    return out


def prepare(b: sb.Bench, completed: int, queued: int) -> Path:
    """A repository whose history holds `completed` completed runs, then
    `queued` queued ones."""
    repo = b.new_repo(f"runs_{completed}")
    (repo / ".codexa" / "config.yaml").write_text(CONFIG)
    src = b.root / f"runs_{completed}.jsonl"
    now = int(time.time() * 1000)
    lines = 0
    with src.open("w") as f:
        for n in range(completed + queued):
            run = f"run_{ulid(now, n)}"
            for e in run_events(run, n, n < completed, now):
                f.write(json.dumps(e, separators=(",", ":")) + "\n")
                lines += 1
    t0 = time.perf_counter()
    env = dict(b.env, CODEXA_TEST_APPEND_RESERVED="1")
    saved, b.env = b.env, env
    try:
        r = b.cx(repo, "events", "import", str(src), "--format", "json")
    finally:
        b.env = saved
    assert json.loads(r.stdout)["appended"] == lines, r.stdout
    src.unlink()
    # Catch the read index up before anything is measured.
    open_runs = json.loads(b.cx(repo, "run", "list", "--format", "json").stdout)
    assert len(open_runs) == queued, f"{len(open_runs)} open runs, expected {queued}"
    b.log(f"{completed} completed runs ({lines} events) imported in "
          f"{time.perf_counter() - t0:.1f} s")
    return repo


def claim_and_fail(b: sb.Bench, repo: Path) -> float:
    """Wall seconds of one `run claim`; the run it took is then failed."""
    r = b.cx(repo, "--as", "worker-a", "run", "claim", "-q")
    run, token = r.stdout.decode().split()
    b.cx(repo, "--as", "worker-a", "run", "fail", run, "--token", token,
         "--reason", "benchmark", "-q")
    return r.wall


def measure(b: sb.Bench, sizes: list[int], rounds: int) -> dict[str, list[float]]:
    """Samples by name: `run claim@N`, `git rev-parse HEAD@N` and their
    ratio in each round, for each history size N."""
    repos = {n: prepare(b, n, rounds + WARMUP + SPARE) for n in sizes}
    samples: dict[str, list[float]] = {}
    for rnd in range(rounds + WARMUP):
        turn = rnd % len(sizes)
        for n in sizes[turn:] + sizes[:turn]:
            g = b.run(["git", "rev-parse", "HEAD"], cwd=repos[n]).wall
            c = claim_and_fail(b, repos[n])
            if rnd >= WARMUP:
                for name, value in (("git rev-parse HEAD", g), ("run claim", c),
                                    ("ratio to git", c / g)):
                    samples.setdefault(f"{name}@{n}", []).append(value)
    return samples


def table(stats: dict, sizes: list[int], rounds: int, flat: float) -> str:
    lines = [
        f"`codexa run claim`, fresh process each, {rounds} interleaved rounds",
        "",
        "| completed runs in the history | events | `run claim` p50 | p95 "
        "| `git rev-parse HEAD` p50 | claim / git (median of rounds) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        c, g = stats[f"run claim@{n}"], stats[f"git rev-parse HEAD@{n}"]
        lines.append(
            f"| {sb.fmt_n(n)} | {sb.fmt_n(4 * n)} | {c['median'] * 1000:.2f} ms "
            f"| {c['p95'] * 1000:.2f} ms | {g['median'] * 1000:.2f} ms "
            f"| {stats[f'ratio to git@{n}']['median']:.2f}x |"
        )
    small, big = sizes
    lines += ["", f"`run claim`: {sb.fmt_n(big)} / {sb.fmt_n(small)} = **{flat:.2f}x** "
                  f"(target <= 1.2x)"]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/codexa")
    ap.add_argument("--quick", action="store_true", help="1k and 10k completed runs, 10 rounds")
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--json", type=Path, help="write every sample here")
    args = ap.parse_args()

    sizes = [1_000, 10_000] if args.quick else [10_000, 100_000]
    rounds = 10 if args.quick else args.rounds
    with tempfile.TemporaryDirectory(prefix="codexa-runs-bench-") as tmp:
        root = Path(tmp)
        # A private copy: a concurrent `cargo build` cannot swap it mid-run.
        binary = root / "codexa"
        shutil.copy2(args.bin, binary)
        samples = measure(sb.Bench(binary, root, verbose=False), sizes, rounds)
    stats = {k: sb.summary(v) for k, v in samples.items()}
    flat = stats[f"run claim@{sizes[1]}"]["median"] / stats[f"run claim@{sizes[0]}"]["median"]
    print(table(stats, sizes, rounds, flat))
    if args.json:
        args.json.write_text(json.dumps({
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": sb.machine(),
            "sizes": sizes,
            "rounds": rounds,
            "flat_ratio": flat,
            "stats": stats,
            "samples": samples,
        }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
