#!/usr/bin/env python3
"""Signed approval decisions (`approvals.require_signature`), from fresh
processes in a repository with a throwaway ed25519 key (made by
`ssh-keygen`) listed in `.codexa/allowed_signers`:

- `codexa approve ID` end to end: signing with `ssh-keygen -Y sign`, the
  check against the allowed signers (`ssh-keygen -Y verify`), the append;
  beside the same command with signatures off;
- the gate on an approved, signed approval: `codexa policy eval` for the
  approval's (action, subject), the verification served from the cache,
  beside the same with signatures off and `git rev-parse HEAD`;
- the same with the cache emptied before each run (one `ssh-keygen -Y
  verify` per call), to show what the cache saves.

Targets: approve with a signature <= 100 ms; the gate with a
cached verification close to the gate without signatures.

    cargo build --release
    python3 bench/signature_bench.py --bin target/release/codexa [--rounds N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_bench as sb  # noqa: E402


def set_require(repo: Path, on: bool) -> None:
    config = repo / ".codexa/config.yaml"
    text = config.read_text().split("\napprovals:\n")[0] + "\n"
    config.write_text(text + f"approvals:\n  require_signature: {'true' if on else 'false'}\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/codexa")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--json", help="write every sample here")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="codexa-signature-bench-"))
    binary = root / "codexa"
    shutil.copy2(args.bin, binary)
    b = sb.Bench(binary, root, verbose=False)
    try:
        repo = b.new_repo("shop")
        with open(repo / ".codexa/config.yaml", "a") as f:
            f.write("agents:\n  worker: {provider: claude, role: worker}\n")
        key = root / "decide"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        b.run(["git", "config", "user.signingKey", str(key)], cwd=repo)
        kind, blob = (key.with_suffix(".pub")).read_text().split()[:2]
        (repo / ".codexa/allowed_signers").write_text(f"bench@example.invalid {kind} {blob}\n")
        cache = Path(b.run(["git", "rev-parse", "--git-common-dir"], cwd=repo).stdout.decode().strip())
        cache = (repo / cache).resolve() / "codexa/cache/signatures"

        def request(subject: str) -> str:
            r = b.cx(repo, "--as", "worker", "approval", "request", "--action", "git.push",
                     "--subject", subject)
            return r.stdout.decode().strip()

        def eval_(subject: str) -> sb.Run:
            return b.cx(repo, "--as", "worker", "policy", "eval", "--action", "git.push",
                        "--subject", subject, check=False)

        samples: dict[str, list[float]] = {}
        gated = {}
        for on in (True, False):
            set_require(repo, on)
            label = "signed" if on else "unsigned"
            subject = f"origin/{label}"
            gated[on] = subject
            appr = request(subject)
            b.cx(repo, "approve", appr)
            assert eval_(subject).rc == 0, f"{label} approval does not open the gate"
        for i in range(args.rounds):
            r = b.run(["git", "rev-parse", "HEAD"], cwd=repo)
            samples.setdefault("git rev-parse HEAD", []).append(r.wall)
            for on in (True, False):
                set_require(repo, on)
                label = "signed" if on else "unsigned"
                appr = request(f"origin/r{i}-{label}")
                r = b.cx(repo, "approve", appr)
                samples.setdefault(f"approve ({label})", []).append(r.wall)
                r = eval_(gated[on])
                assert r.rc == 0
                samples.setdefault(f"policy eval, approved ({label}{', cached' if on else ''})", []).append(r.wall)
            set_require(repo, True)
            shutil.rmtree(cache, ignore_errors=True)
            r = eval_(gated[True])
            assert r.rc == 0
            samples.setdefault("policy eval, approved (signed, cache emptied)", []).append(r.wall)

        stats = {k: sb.summary(v) for k, v in samples.items()}
        lines = [
            f"fresh process each, {args.rounds} interleaved rounds, ed25519 key without passphrase",
            "",
            "| command | p50 | p95 |",
            "|---|---:|---:|",
        ]
        for name, s in stats.items():
            lines.append(f"| {name} | {s['median'] * 1000:.2f} ms | {s['p95'] * 1000:.2f} ms |")
        signed = stats["approve (signed)"]["median"] * 1000
        lines += ["", f"approve with a signature p50 **{signed:.1f} ms** (target <= 100 ms)"]
        print("\n".join(lines))
        if args.json:
            Path(args.json).write_text(json.dumps({
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": sb.machine(),
                "rounds": args.rounds,
                "stats": stats,
                "samples": samples,
            }, indent=2))
        b.cx(repo, "events", "verify", "-q")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
