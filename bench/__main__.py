"""The performance goals (docs/PERFORMANCE.md) in one run, each next to its own reference (`make bench`).

    .venv/bin/python -m bench [--quick]

Each row runs one benchmark module's ``measure()`` (their own ``main()`` prints the details):
the check-in write next to a minimal insert endpoint (bench.checkins), the all-time Trends page
next to Today (bench.trends), the CSV export next to a raw sqlite3 -> csv.writer pass
(bench.export, at 100k and 1M check-ins for flat memory), the dashboard of 500 sharing patients
next to Today (bench.dashboard), a clinic's worth of load next to /healthz (bench.clinic) and
200 SIGKILL cycles (bench.crash); first, how well the relief rule dates the end of relief on
500 generated courses with a known answer (bench.relief_validation). ``--quick``: smaller sizes,
for trying the table out.
Exits non-zero when a goal is missed, so a regression shows.
"""
import argparse
import tempfile
import time
from pathlib import Path

from . import checkins, clinic, crash, dashboard, export, relief_validation, trends


def rows(quick):
    """Yield ``(goal, measured, met)`` as each benchmark finishes (``met`` None: a figure reported
    next to a goal's, with no goal of its own)."""
    found = relief_validation.measure(200 if quick else 500)["change point (the app's rule)"]
    goals = relief_validation.GOALS
    yield (f"relief: median |error| ≤ {goals['median_abs_error']:g} day ({found['series_returned']} returned series)",
           f"{found['median_abs_error']:g} day", found["median_abs_error"] <= goals["median_abs_error"])
    yield (f"relief: ≥ {goals['within_1']:.0%} of returned series within ±1 day",
           f"{found['within_1']:.1%} ({found['within_1_observable']:.1%} of those logged on the day or the next)",
           found["within_1"] >= goals["within_1"])
    yield (f"relief: mean error within ±{goals['mean_error']:g} day", f"{found['mean_error']:+.2f} day",
           abs(found["mean_error"]) <= goals["mean_error"])
    yield (f"relief: ≥ {goals['bad_day_ok']:.0%} of single bad days not taken for a return",
           f"{found['bad_day_ok']:.1%} of {found['bad_days']}", found["bad_day_ok"] >= goals["bad_day_ok"])

    write = checkins.measure(requests=500 if quick else 2000, rounds=2 if quick else 10, report=lambda *_: None)
    yield ("check-in write ≥ 60 % of a minimal insert's req/s",
           f"{write['ratio']:.0%} (median round {write['median_round_ratio']:.0%})", write["ratio"] >= 0.6)
    yield ("check-in write p95 ≤ 3× the minimal insert's", f"{write['p95_ratio']:.1f}×", write["p95_ratio"] <= 3)

    page = trends.measure(repeat=10 if quick else 30)
    yield ("all-time Trends (5 years) ≤ 3× Today",
           f"{page['ratio']:.1f}× ({page['trends_ms']:.1f} vs {page['today_ms']:.1f} ms; "
           f"{page['bytes'] / 1000:.0f} kB)", page["ratio"] <= 3)
    yield ("  the same, first view after a write (computed afresh)",
           f"{page['cold_ratio']:.1f}× ({page['cold_ms']:.1f} ms)", None)

    sizes = (20_000, 100_000) if quick else (100_000, 1_000_000)
    exports = [export.measure(size, repeat=1 if quick else 3, json_downloads=False) for size in sizes]
    for result in exports:
        yield (f"CSV export of {result['size']:,} ≥ 60 % of raw sqlite3 → csv.writer (CPU)",
               f"{result['cpu_ratio']:.0%} (wall {result['ratio']:.0%})", result["cpu_ratio"] >= 0.6)
    growth = [result["csv_rss_growth_mb"] for result in exports]
    yield (f"export memory flat from {sizes[0]:,} to {sizes[1]:,} rows",
           " → ".join(f"+{mb:.0f} MB" for mb in growth), growth[-1] < 50)

    board = dashboard.measure(patients=100 if quick else 500, repeat=5 if quick else 20)
    for url in dashboard.URLS:
        goal = dashboard.GOALS[url]
        yield (f"{url} with {board['patients']} patients ≤ {goal:g}× Today", f"{board[url]['ratio']:.1f}×",
               board[url]["ratio"] <= goal)

    load = clinic.measure(patients=100 if quick else 1000, duration=20 if quick else 60)
    locked = load["server"]["database_locked"]
    yield (f"clinic load ({load['seed']['patients']} patients): 0 errors, 0 'database is locked'",
           f"{load['errors']} errors, {locked} locked", load["errors"] == 0 and locked == 0)

    cycles = 20 if quick else 200
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        acknowledged, sent, path = crash.run_cycles(Path(folder), cycles)
        count = crash.check(acknowledged, sent, path)  # raises on a lost or duplicated check-in
    yield (f"{cycles} SIGKILLs: every acknowledged check-in kept once",
           f"{count:,} kept, 0 lost ({time.perf_counter() - started:.0f} s)", True)


MARKS = {True: "met", False: "MISS", None: ""}
ANSWERS = {True: "yes", False: "NO", None: "-"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, to try the table out")
    quick = parser.parse_args().quick
    table = []
    for goal, measured, met in rows(quick):
        table.append((goal, measured, met))
        print(f"  {MARKS[met]:<4}  {goal}: {measured}", flush=True)
    width = max(len(goal) for goal, _, _ in table)
    print(f"\n{'goal':<{width}}  {'measured':<44} met")
    for goal, measured, met in table:
        print(f"{goal:<{width}}  {measured:<44} {ANSWERS[met]}")
    missed = [goal for goal, _, met in table if met is False]
    if missed:
        raise SystemExit(f"{len(missed)} goal(s) missed: " + "; ".join(missed))


if __name__ == "__main__":
    main()
