"""Phone load: Lighthouse 12 on a phone, and cold loads on Chrome's "Slow 4G" (`make bench-web`).

    .venv/bin/python -m bench.web [--runs 3] [--loads 3] [--keep DIR]

A real gunicorn (bench/server.py, the project's gunicorn.conf.py) serves a temporary SQLite file
seeded by `flask seed-demo`: a patient with 120 days of check-ins, 9 sessions and 16 questionnaires,
and their clinician with two-factor on. Both log in through the real forms in Playwright (the
clinician with a TOTP code from the key seed-demo prints). Each page is requested a few times
first, so no figure includes a worker's first compile of a template. Then:

1. Lighthouse 12 (bench/web/node_modules: `npm ci --prefix bench/web`), with Node at /usr/bin/node
   and Debian's Chromium: its default mobile form factor and simulated throttling, performance
   and accessibility only, on Today, History, Trends and the clinician's dashboard. Each run
   starts its own Chromium with a new temporary profile (chrome-launcher's), so nothing (HTTP
   cache, service worker) is left from an earlier run. The session cookie goes in as an extra
   header on every request (`--extra-headers`), which Lighthouse's storage reset cannot clear; a
   run that ends anywhere but on the page asked for (the login page) stops the benchmark.
   ``--runs`` runs per page; the run with the median performance score is reported whole (as
   Lighthouse's own median-run helper reports one run, picked by its FCP and TTI, rather than
   mixing figures of several). A run Lighthouse gives up on (NO_NAVSTART, under load) is rerun.
2. Cold loads of every patient page on Chrome DevTools' "Slow 4G" preset with a 4x CPU slowdown,
   through Playwright and a CDP session: each load in a new browser context (empty cache, no
   service worker, no open connection), a 375 px phone; the figure is navigation start to the end
   of the load event (Navigation Timing's ``loadEventEnd``). ``--loads`` loads per page; the median
   is held to the target, the slowest is shown next to it.

Prints one row per page, then every target met or missed; exits 1 when one is missed. The raw
Lighthouse reports, the Slow 4G timings and the server's log are kept in a directory it prints.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyotp
from playwright.sync_api import Browser, BrowserContext, Cookie, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from diary.commands.demo import PATIENT, PROVIDER

from .server import BIN, REPO, gunicorn

NODE = os.environ.get("DIARY_NODE", "/usr/bin/node")
CHROMIUM = os.environ.get("DIARY_CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = REPO / "bench" / "web" / "node_modules" / "lighthouse" / "cli" / "index.js"
# As tests/browser/helpers.py: no sandbox as root, no background calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# (label, path, who): the pages Lighthouse measures. The dashboard's real URL is /provider/
# (diary/views/provider.py: url_prefix "/provider", route "/"); /provider answers a redirect.
LIGHTHOUSE_PAGES = (("Today", "/", "patient"), ("History", "/history", "patient"),
                    ("Trends", "/trends", "patient"), ("Dashboard", "/provider/", "provider"))
# Every page of the patient's navigation that the brief names (templates/base.html): the bar along
# the bottom (Today, History, Trends, Sessions) and Questionnaires under "More".
PATIENT_PAGES = (("Today", "/"), ("History", "/history"), ("Trends", "/trends"), ("Sessions", "/sessions/"),
                 ("Questionnaires", "/assessments/"))

# Chrome DevTools' "Slow 4G" preset, as DevTools sends it (Network.emulateNetworkConditions).
# ChromeDevTools/devtools-frontend, front_end/core/sdk/NetworkManager.ts (read at commit
# 00d120bf0e61feb60bf7c31cf879454577904b77), `Slow4GConditions` (named "Fast 3G" until May 2024):
#   download: 1.6 * 1000 * 1000 / 8 * .9   (~1.6 Mbps)  = 180,000 bytes/s
#   upload:   750 * 1000 / 8 * .9           (~0.75 Mbps) =  84,375 bytes/s
#   latency:  slow4GTargetLatency * 3.75, slow4GTargetLatency = 150 (ms RTT) = 562.5 ms
# DevTools delays each request (not each packet), hence 150 ms RTT x 3.75. Its own unit test
# (NetworkManager.test.ts) expects exactly these values and connectionType cellular4g. Lighthouse's
# simulated mobile throttling is the same profile (150 ms RTT, 1.6 Mbps, 4x CPU).
SLOW_4G = {"offline": False, "latency": 150 * 3.75, "downloadThroughput": 1.6 * 1000 * 1000 / 8 * .9,
           "uploadThroughput": 750 * 1000 / 8 * .9, "connectionType": "cellular4g"}
CPU_SLOWDOWN = 4

# The targets.
MIN_PERFORMANCE = 95
MIN_ACCESSIBILITY = 100
MAX_TBT_MS = 150
MAX_TODAY_BYTES = 60 * 1024  # Lighthouse's total-byte-weight is shown in KiB: 60 KiB
MAX_SLOW_4G_S = 1.2


@dataclass
class LighthouseRow:
    performance: int
    accessibility: int
    tbt_ms: float
    bytes: int
    performance_runs: list[int]
    report: str
    largest: list[tuple[str, int]] = field(default_factory=list)  # (url, bytes), heaviest first
    failed_attempts: int = 0  # runs Lighthouse gave up on, run again


@dataclass
class Slow4GRow:
    loads_s: list[float]
    transferred: list[int]  # bytes on the wire per load (Resource Timing's transferSize, page + subresources)
    requests: list[list[dict[str, Any]]] = field(default_factory=list)  # per load: url, start, end (ms), bytes

    @property
    def median_s(self) -> float:
        return statistics.median(self.loads_s)


class BenchError(Exception):
    """The benchmark could not measure (a login failed, Lighthouse errored, throttling not applied)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median run is reported)")
    parser.add_argument("--loads", type=int, default=3, help="cold Slow 4G loads per patient page (median)")
    parser.add_argument("--keep", type=Path, help="directory for the reports (default: a new temporary one)")
    args = parser.parse_args()
    for path, what in ((Path(NODE), "Node 20"), (Path(CHROMIUM), "Debian's chromium (make browser-deps)"),
                       (LIGHTHOUSE, "Lighthouse (npm ci --prefix bench/web)")):
        if not path.exists():
            print(f"{path} is missing: {what}", file=sys.stderr)
            return 2
    out = args.keep or Path(tempfile.mkdtemp(prefix="bench-web-"))
    out.mkdir(parents=True, exist_ok=True)
    started, load_before = time.monotonic(), os.getloadavg()[0]
    try:
        lighthouse_rows, slow_rows, environment = measure(out, args.runs, args.loads)
    except (BenchError, PlaywrightTimeout) as error:
        print(f"bench.web could not measure: {error}\nReports and server log so far: {out}", file=sys.stderr)
        return 2
    environment["load_average"] = [load_before, os.getloadavg()[0]]
    (out / "summary.json").write_text(json.dumps({
        "environment": environment, "lighthouse": {k: asdict(v) for k, v in lighthouse_rows.items()},
        "slow_4g": {k: asdict(v) for k, v in slow_rows.items()}}, indent=2))
    missed = report(lighthouse_rows, slow_rows, environment)
    print(f"\nTook {time.monotonic() - started:.0f} s. Raw reports (Lighthouse JSON, Slow 4G timings, server log):"
          f" {out}")
    return 1 if missed else 0


def measure(out: Path, runs: int, loads: int) -> tuple[dict[str, LighthouseRow], dict[str, Slow4GRow], dict[str, Any]]:
    with gunicorn(workers=2, log=str(out / "gunicorn.log")) as (host, port, env):
        base = f"http://{host}:{port}"
        seeded = subprocess.run([BIN / "flask", "--app", "diary", "seed-demo"], cwd=REPO, env=env,
                                capture_output=True, text=True)
        if seeded.returncode:
            raise BenchError("flask seed-demo failed:\n" + seeded.stdout + seeded.stderr)
        secret = re.search(r"pyotp\.TOTP\('([A-Z2-7]+)'\)", seeded.stdout)
        if not secret:
            raise BenchError("flask seed-demo printed no two-factor key for the demo provider:\n" + seeded.stdout)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                cookies = {"patient": log_in(browser, base, PATIENT, None, [p for _, p in PATIENT_PAGES]),
                           "provider": log_in(browser, base, PROVIDER, secret.group(1), ["/provider/"])}
                lighthouse_rows: dict[str, LighthouseRow] = {}
                for label, path, who in LIGHTHOUSE_PAGES:
                    print(f"Lighthouse: {label} ({path}), {runs} run(s)...", flush=True)
                    lighthouse_rows[label] = lighthouse(base + path, cookies[who], out, label.lower(), runs)
                slowdown = cpu_slowdown(browser, base + "/", cookies["patient"])
                slow_rows: dict[str, Slow4GRow] = {}
                for label, path in PATIENT_PAGES:
                    print(f"Slow 4G: {label} ({path}), {loads} cold load(s)...", flush=True)
                    slow_rows[label] = slow_4g(browser, base + path, cookies["patient"], loads)
                version = browser.version
            finally:
                browser.close()
    (out / "slow-4g.json").write_text(json.dumps({"conditions": SLOW_4G, "cpu_slowdown": CPU_SLOWDOWN,
                                                  "pages": {k: asdict(v) for k, v in slow_rows.items()}}, indent=2))
    first = json.loads(Path(next(iter(lighthouse_rows.values())).report).read_text())
    environment = {"chromium": version, "lighthouse": first["lighthouseVersion"],
                   "benchmark_index": first["environment"]["benchmarkIndex"],
                   "cpu_slowdown_seen": slowdown}
    return lighthouse_rows, slow_rows, environment


def phone(browser: Browser) -> BrowserContext:
    """A new browser context (its own cache, storage and connections): a 375 px phone, as the
    browser tests' (tests/browser/conftest.py)."""
    return browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True,
                               device_scale_factor=2, timezone_id=PATIENT["timezone"])


def log_in(browser: Browser, base: str, account: dict[str, str], totp_secret: str | None,
           warm: list[str]) -> list[Cookie]:
    """Log ``account`` in through the real forms (and its two-factor step); request each page of
    ``warm`` a few times (both workers compile their templates before anything is timed); returns
    the session's cookies."""
    context = phone(browser)
    try:
        page = context.new_page()
        page.goto(base + "/login")
        page.get_by_label("Email").fill(account["email"])
        page.get_by_label("Password").fill(account["password"])
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: not url.endswith("/login"))
        if page.url.endswith("/login/two-factor"):
            if not totp_secret:
                raise BenchError(f"{account['email']} was asked for a two-factor code")
            page.get_by_label("Code from your app").fill(pyotp.TOTP(totp_secret).now())
            page.get_by_role("button", name="Log in", exact=True).click()
            page.wait_for_url(lambda url: "/login" not in url)
        for path in warm:
            for _ in range(4):
                response = context.request.get(base + path, max_redirects=0)
                if response.status != 200:
                    raise BenchError(f"{account['email']}: GET {path} answered {response.status} after logging in")
        return context.cookies()
    finally:
        context.close()


def cookie_header(cookies: list[Cookie]) -> str:
    return "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in cookies)


def lighthouse(url: str, cookies: list[Cookie], out: Path, name: str, runs: int) -> LighthouseRow:
    """``runs`` Lighthouse runs of ``url``; the one with the median performance score. A run that
    Lighthouse itself gives up on (NO_NAVSTART, NO_FCP: seen on this 2-core machine under load)
    gives no figures at all: it is run again, up to ATTEMPTS times, and said so."""
    reports, failed_attempts = [], 0
    with tempfile.TemporaryDirectory() as private:
        headers = Path(private) / "headers.json"  # the session's cookie stays out of `ps`
        headers.write_text(json.dumps({"Cookie": cookie_header(cookies)}))
        for run in range(1, runs + 1):
            path = out / f"lighthouse-{name}-{run}.json"
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    result = run_lighthouse(url, headers, path)
                    break
                except LighthouseFailed as failed:
                    failed_attempts += 1
                    (out / f"lighthouse-{name}-{run}-failed-{attempt}.txt").write_text(str(failed))
                    print(f"  run {run} failed ({failed.reason}), attempt {attempt} of {ATTEMPTS}", flush=True)
                    if attempt == ATTEMPTS:
                        raise BenchError(f"Lighthouse on {url}: {failed}") from None
            if result["finalDisplayedUrl"] != url:
                raise BenchError(f"Lighthouse asked for {url} and ended on {result['finalDisplayedUrl']}:"
                                 " the session cookie did not reach the server")
            reports.append((path, result))
    ranked = sorted(reports, key=lambda report: report[1]["categories"]["performance"]["score"])
    path, result = ranked[(len(ranked) - 1) // 2]  # with an even count, the lower middle one
    weight = result["audits"]["total-byte-weight"]
    items = weight.get("details", {}).get("items", [])
    return LighthouseRow(
        performance=round(result["categories"]["performance"]["score"] * 100),
        accessibility=round(result["categories"]["accessibility"]["score"] * 100),
        tbt_ms=result["audits"]["total-blocking-time"]["numericValue"],
        bytes=round(weight["numericValue"]),
        performance_runs=[round(r["categories"]["performance"]["score"] * 100) for _, r in reports],
        report=str(path),
        largest=[(item["url"], round(item["totalBytes"])) for item in items[:6]],
        failed_attempts=failed_attempts,
    )


ATTEMPTS = 3


class LighthouseFailed(Exception):
    def __init__(self, reason: str, details: str):
        super().__init__(f"{reason}\n{details}")
        self.reason = reason


def run_lighthouse(url: str, headers: Path, path: Path) -> dict[str, Any]:
    """One Lighthouse run in a new Chromium (a new temporary profile); its report, also written to ``path``."""
    command = [NODE, str(LIGHTHOUSE), url, "--output=json", f"--output-path={path}",
               "--only-categories=performance,accessibility",
               "--form-factor=mobile", "--throttling-method=simulate",  # Lighthouse's defaults, said aloud
               f"--extra-headers={headers}", "--quiet",
               "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS])]
    path.unlink(missing_ok=True)
    done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                          timeout=240)
    if done.returncode or not path.exists():
        reason = re.search(r"\(([A-Z_]+)\)", done.stderr)
        raise LighthouseFailed(reason.group(1) if reason else f"exit status {done.returncode}", done.stderr[-3000:])
    result: dict[str, Any] = json.loads(path.read_text())
    result["configSettings"]["extraHeaders"] = {"Cookie": "(removed by bench.web)"}
    path.write_text(json.dumps(result, indent=1))
    if result.get("runtimeError"):
        raise LighthouseFailed(result["runtimeError"].get("code", "runtimeError"), json.dumps(result["runtimeError"]))
    for category in ("performance", "accessibility"):
        if result["categories"][category]["score"] is None:
            raise LighthouseFailed(f"no {category} score", json.dumps(result.get("runWarnings")))
    return result


@contextmanager
def throttled_page(browser: Browser, cookies: list[Cookie], cpu: bool = True) -> Iterator[Page]:
    """A page in a new browser context (so an empty cache, no service worker, no open connection)
    with the session's cookies, on Slow 4G and a 4x slower CPU (``cpu``: False for none)."""
    context = phone(browser)
    try:
        context.add_cookies(cookies)  # type: ignore[arg-type]  # as context.cookies() gave them
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN if cpu else 1})
        yield page
    finally:
        context.close()


# A fixed amount of script work (~0.2 s here unthrottled), timed in the page.
BUSY = """() => { const start = performance.now(); let x = 0;
  for (let i = 0; i < 1e7; i++) { x = (x + Math.sqrt(i)) % 1e9; }
  return performance.now() - start; }"""
# Navigation start to the end of the load event; bytes on the wire; every request's timing (kept in
# slow-4g.json, to see the chain of round trips).
NAVIGATION = """() => { const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const requests = [nav, ...resources].map(r => ({url: r.name, start: Math.round(r.startTime),
    response_start: Math.round(r.responseStart), end: Math.round(r.responseEnd), bytes: r.transferSize}));
  return {load: nav.loadEventEnd - nav.startTime, bytes: requests.reduce((sum, r) => sum + r.bytes, 0),
          requests: requests}; }"""


def cpu_slowdown(browser: Browser, url: str, cookies: list[Cookie]) -> float:
    """How much slower script runs after a throttled page's navigation than on an unthrottled one:
    a check that the CPU slowdown holds across the navigation (a new renderer). Noisy on a busy
    machine, so it only has to show clearly more than none."""
    timings = []
    for cpu in (True, False):
        with throttled_page(browser, cookies, cpu=cpu) as page:
            page.goto(url, wait_until="load", timeout=60_000)
            timings.append(min(page.evaluate(BUSY) for _ in range(3)))
    slowdown = timings[0] / timings[1]
    if slowdown < CPU_SLOWDOWN / 2:
        raise BenchError(f"Slow 4G: script ran only {slowdown:.1f}x slower on the throttled page:"
                         f" the {CPU_SLOWDOWN}x CPU slowdown was not applied")
    return slowdown


def slow_4g(browser: Browser, url: str, cookies: list[Cookie], loads: int) -> Slow4GRow:
    """``loads`` cold loads of ``url``."""
    row = Slow4GRow(loads_s=[], transferred=[])
    for _ in range(loads):
        with throttled_page(browser, cookies) as page:
            page.goto(url, wait_until="load", timeout=60_000)
            if page.url != url:
                raise BenchError(f"Slow 4G: asked for {url} and ended on {page.url}")
            timing = page.evaluate(NAVIGATION)
            if timing["load"] < SLOW_4G["latency"]:
                raise BenchError(f"Slow 4G: {url} loaded in {timing['load']:.0f} ms, under one request's"
                                 f" {SLOW_4G['latency']} ms of latency: the throttling was not applied")
            row.loads_s.append(timing["load"] / 1000)
            row.transferred.append(int(timing["bytes"]))
            row.requests.append(timing["requests"])
    return row


def report(lighthouse_rows: dict[str, LighthouseRow], slow_rows: dict[str, Slow4GRow],
           environment: dict[str, Any]) -> list[str]:
    """Print the table and the targets; returns the targets missed."""
    runs = len(next(iter(lighthouse_rows.values())).performance_runs)
    loads = len(next(iter(slow_rows.values())).loads_s)
    print(f"\nLighthouse {environment['lighthouse']}: mobile, simulated throttling; of {runs} run(s) per page, the"
          f" one with the median performance score. Chromium {environment['chromium']}; Lighthouse's benchmarkIndex"
          f" {environment['benchmark_index']:.0f}; load average {environment['load_average'][0]:.1f} at the"
          f" start, {environment['load_average'][1]:.1f} at the end ({os.cpu_count()} cores: more than that,"
          " something else ran too).")
    print(f"Slow 4G: Chrome DevTools' preset ({SLOW_4G['latency']} ms a request,"
          f" {SLOW_4G['downloadThroughput']:,.0f} B/s down, {SLOW_4G['uploadThroughput']:,.0f} B/s up) and a"
          f" {CPU_SLOWDOWN}x CPU slowdown (script ran {environment['cpu_slowdown_seen']:.1f}x slower), empty cache;"
          f" median of {loads} load(s), the slowest in brackets.\n")
    failed = sum(row.failed_attempts for row in lighthouse_rows.values())
    if failed:
        print(f"{failed} Lighthouse run(s) failed (no figures) and were run again: see the reports' directory.\n")
    print_table(lighthouse_rows, slow_rows)
    targets = list(check(lighthouse_rows, slow_rows))
    width = max(len(goal) for goal, _, _ in targets) + 2
    print(f"\n{'target':<{width}}{'measured':<30}met")
    for goal, measured, met in targets:
        print(f"{goal:<{width}}{measured:<30}{'yes' if met else 'NO'}")
    missed = [goal for goal, _, met in targets if not met]
    print(f"\n{len(missed)} target(s) missed" + (": " + "; ".join(missed) if missed else "") + ".")
    print("Today's heaviest requests (Lighthouse's total-byte-weight, KiB): " + ", ".join(
        f"{urllib.parse.urlsplit(url).path} {size / 1024:.1f}" for url, size in lighthouse_rows["Today"].largest))
    return missed


def print_table(lighthouse_rows: dict[str, LighthouseRow], slow_rows: dict[str, Slow4GRow]) -> None:
    """One row per page: Lighthouse's figures, then the Slow 4G load (and its bytes on the wire)."""
    header = (f"{'page':<15}{'perf':>5}{'a11y':>6}{'TBT ms':>8}{'bytes KiB':>11}   {'Slow 4G load s':<16}"
              f"{'Slow 4G KiB':>11}")
    print(header)
    print("-" * len(header))
    labels = dict.fromkeys([label for label, _, _ in LIGHTHOUSE_PAGES if label in slow_rows] + list(slow_rows)
                           + list(lighthouse_rows))
    for label in labels:
        lh, slow = lighthouse_rows.get(label), slow_rows.get(label)
        scores = (f"{lh.performance:>5}{lh.accessibility:>6}{lh.tbt_ms:>8.0f}{lh.bytes / 1024:>11.1f}" if lh
                  else f"{'-':>5}{'-':>6}{'-':>8}{'-':>11}")
        load = f"{slow.median_s:.2f} ({max(slow.loads_s):.2f})" if slow else "-"
        wire = f"{statistics.median(slow.transferred) / 1024:.1f}" if slow else "-"
        print(f"{label:<15}{scores}   {load:<16}{wire:>11}")


Target = tuple[str, str, bool]  # (target, measured, met)


def check(lighthouse_rows: dict[str, LighthouseRow], slow_rows: dict[str, Slow4GRow]) -> Iterator[Target]:
    """Every target, measured."""
    for label, lh in lighthouse_rows.items():
        runs = "/".join(map(str, lh.performance_runs))
        yield (f"{label}: performance ≥ {MIN_PERFORMANCE}", f"{lh.performance} (runs: {runs})",
               lh.performance >= MIN_PERFORMANCE)
        yield (f"{label}: accessibility {MIN_ACCESSIBILITY}", str(lh.accessibility),
               lh.accessibility >= MIN_ACCESSIBILITY)
        yield f"{label}: total blocking time ≤ {MAX_TBT_MS} ms", f"{lh.tbt_ms:.0f} ms", lh.tbt_ms <= MAX_TBT_MS
    today = lighthouse_rows["Today"]
    yield (f"Today: first load ≤ {MAX_TODAY_BYTES // 1024} KiB transferred (total-byte-weight)",
           f"{today.bytes / 1024:.1f} KiB ({today.bytes:,} B)", today.bytes <= MAX_TODAY_BYTES)
    for label, slow in slow_rows.items():
        yield (f"{label}: Slow 4G cold load ≤ {MAX_SLOW_4G_S} s",
               f"{slow.median_s:.2f} s (slowest {max(slow.loads_s):.2f} s)", slow.median_s <= MAX_SLOW_4G_S)


if __name__ == "__main__":
    sys.exit(main())
