"""What sealing the words costs: the check-in write and the all-time Trends page, with sealing and
without it (the commit before it), in one run (`make bench-encryption`).

    .venv/bin/python -m bench.encryption [--before REV] [--rounds N] [--requests N]

The code from before sealing is checked out into a temporary git worktree, and each measurement
runs in a fresh interpreter with that tree, or this one, first on its path; the two alternate
round by round, so the background load of a shared machine falls on both alike. Reports the
write's req/s and p95 (bench.checkins, through gunicorn) and the all-time Trends page's median,
reloaded and first after a write (bench.trends, in-process), each side's median over the rounds.
Goal: each figure with sealing within 15 % of the figure without. Exits non-zero on a miss.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL = 0.15
MEASURE = """
import json, sys
from bench import checkins, trends
write = checkins.measure(requests={requests}, rounds=2, report=lambda *_: None)
page = trends.measure(repeat={repeat})
print(json.dumps({{"rate": write["app"]["rate"], "p95_ms": write["app"]["p95_ms"],
                   "trends_ms": page["trends_ms"], "cold_ms": page["cold_ms"]}}))
"""


def before_sealing() -> str:
    """The commit before the one that added diary/security/fields.py."""
    added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "-1", "--", "diary/security/fields.py"],
                           cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    if not added:
        sys.exit("diary/security/fields.py isn't committed yet: give --before REV")
    return f"{added}^"


def one_side(tree: Path, requests: int, repeat: int) -> dict[str, float]:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", MEASURE.format(requests=requests, repeat=repeat)], cwd=tree,
                          env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the measurement failed in {tree}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="the revision without sealing (default: the parent of the commit "
                                         "that added it)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per side")
    parser.add_argument("--requests", type=int, default=1000, help="check-in writes per round")
    parser.add_argument("--repeat", type=int, default=20, help="Trends page views per round")
    args = parser.parse_args()
    before = args.before or before_sealing()
    with tempfile.TemporaryDirectory() as scratch:
        worktree = Path(scratch) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(worktree), before], cwd=REPO,
                       check=True)
        try:
            sides: dict[str, list[dict[str, float]]] = {"without sealing": [], "with sealing": []}
            for round_number in range(args.rounds):
                for name, tree in (("without sealing", worktree), ("with sealing", REPO)):
                    figures = one_side(tree, args.requests, args.repeat)
                    sides[name].append(figures)
                    print(f"round {round_number + 1}, {name}: {figures['rate']:.0f} req/s, "
                          f"p95 {figures['p95_ms']:.1f} ms; all-time Trends {figures['trends_ms']:.1f} ms, "
                          f"first after a write {figures['cold_ms']:.1f} ms", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=REPO, check=False)
    medians = {name: {key: statistics.median(run[key] for run in runs) for key in runs[0]}
               for name, runs in sides.items()}
    plain, sealed = medians["without sealing"], medians["with sealing"]
    rows = [("check-in write, req/s", "rate", plain["rate"] / sealed["rate"] - 1),
            ("check-in write, p95 ms", "p95_ms", sealed["p95_ms"] / plain["p95_ms"] - 1),
            ("all-time Trends, ms (reloaded)", "trends_ms", sealed["trends_ms"] / plain["trends_ms"] - 1),
            ("all-time Trends, ms (first after a write)", "cold_ms", sealed["cold_ms"] / plain["cold_ms"] - 1)]
    print(f"\n{'':44} {'without':>9} {'with':>9} {'cost':>7}  "
          f"(medians of {args.rounds} rounds; goal: cost ≤ {GOAL:.0%})")
    missed = False
    for label, key, cost in rows:
        print(f"{label:44} {plain[key]:9.1f} {sealed[key]:9.1f} {cost:+7.1%}")
        missed |= cost > GOAL
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
