"""Benchmark the check-in write path next to the minimal insert, and the Today page, through gunicorn.

    make bench            # or: .venv/bin/python -m bench.checkins [--requests N] [--clients C] [--rounds R]

The app (2 workers) and the yardstick (bench/reference.py, same gunicorn settings) are started
once and written to in alternating rounds, so the background load of a shared machine hits both
sides alike; each round's ratio is printed, then the overall one over every round. Reports
requests/second and latency median / p95 as seen by the clients, and the CPU each request cost
the server and the client. The clients run on the same 2-core machine as the server, so figures
are a floor, not a ceiling; they speak HTTP over raw sockets (no http.client, whose header
parsing would cost the clients as much CPU as a reference request costs the server).

``measure()`` returns the write figures as a dict, for a ratio table.
"""
import argparse
import datetime as dt
import json
import os
import resource
import socket
import statistics
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager

from .server import Client, gunicorn

REFERENCE_APP = "bench.reference:app"
GOAL_RATIO, GOAL_P95_RATIO = 0.60, 3.0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Wire:
    """A keep-alive HTTP/1.1 client doing the least work per request: prebuilt header bytes,
    the status, Content-Length and Set-Cookie read straight from the response bytes."""

    def __init__(self, host, port, cookie="", csrf=""):
        self.host, self.port = host, port
        self.cookie, self.csrf = cookie, csrf
        self.sock, self.buffer = None, b""

    def connect(self):
        """A fresh connection (gunicorn closes idle keep-alive connections after 5 s)."""
        self.close()
        self.sock = socket.create_connection((self.host, self.port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def request(self, method, path, body=b"", content_type=None):
        """Send one request and read its answer; returns the status."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if self.csrf:
            lines.append(f"X-CSRFToken: {self.csrf}")
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return self._response()

    def post_json(self, path, payload):
        return self.request("POST", path, json.dumps(payload).encode(), "application/json")

    def _response(self):
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._receive()
        head, self.buffer = self.buffer[:end], self.buffer[end + 4:]
        status, length = int(head[9:12]), 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"set-cookie":
                self.cookie = value.strip().split(b";", 1)[0].decode()
        while len(self.buffer) < length:
            self._receive()
        self.buffer = self.buffer[length:]
        return status

    def _receive(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the connection")
        self.buffer += data


def server_pids(port):
    """The gunicorn processes (arbiter and workers) serving ``port``."""
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as file:
                    if f"127.0.0.1:{port}".encode() in file.read():
                        pids.append(int(name))
            except OSError:
                pass
    return pids


def cpu_seconds(pids):
    """User + system CPU time the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(clients, requests_per_client, make_request, pids=()):
    """Every client makes its requests on a fresh connection, all at once.

    Returns {requests, seconds, latencies, failures, server_cpu, client_cpu}."""
    latencies, failures = [], []
    lock = threading.Lock()

    def worker(client):
        mine = []
        for i in range(requests_per_client):
            start = time.perf_counter()
            status = make_request(client, i)
            mine.append(time.perf_counter() - start)
            if status >= 300:
                with lock:
                    failures.append(status)
        with lock:
            latencies.extend(mine)

    for client in clients:
        client.connect()
    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    server_before, client_before = cpu_seconds(pids), own_cpu_seconds()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return {"requests": len(latencies), "seconds": elapsed, "latencies": latencies, "failures": failures,
            "server_cpu": cpu_seconds(pids) - server_before, "client_cpu": own_cpu_seconds() - client_before}


def summary(runs):
    """One side's figures over its runs: req/s, median and p95 (ms), CPU per request (ms), failures."""
    requests = sum(r["requests"] for r in runs)
    latencies = [latency for r in runs for latency in r["latencies"]]
    return {
        "requests": requests,
        "rate": requests / sum(r["seconds"] for r in runs),
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "server_cpu_ms": sum(r["server_cpu"] for r in runs) / requests * 1000,
        "client_cpu_ms": sum(r["client_cpu"] for r in runs) / requests * 1000,
        "failures": [status for r in runs for status in r["failures"]],
    }


def describe(name, figures):
    return (f"{name:<32} {figures['requests']:>6} req  {figures['rate']:>7.0f} req/s  "
            f"median {figures['median_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms  "
            f"CPU/req server {figures['server_cpu_ms']:.2f} ms, client {figures['client_cpu_ms']:.2f} ms  "
            f"failures {len(figures['failures'])}")


def entry_payload(i, today=None):
    """The i-th benchmark check-in: spread over the past year, as a real diary is (Today lists
    one day's check-ins), with zero, one or two triggers."""
    today = today or dt.date.today()
    return {"id": str(uuid.uuid4()), "date": (today - dt.timedelta(days=i % 365)).isoformat(),
            "anxiety": i % 11, "triggers": ["work", "sleep"][: i % 3], "note": "benchmark"}


@contextmanager
def servers(workers=2):
    """The yardstick and the app, each in its own gunicorn on its own temp database:
    yields {"reference": (host, port), "app": (host, port)}."""
    with ExitStack() as stack:
        reference = stack.enter_context(gunicorn(workers=workers, app=REFERENCE_APP))
        app = stack.enter_context(gunicorn(workers=workers))
        yield {"reference": reference[:2], "app": app[:2]}


def patients(host, port, count, prefix="bench"):
    """``count`` Wire clients, each registered (and so logged in) as its own patient."""
    wires = []
    for n in range(count):
        client = Client(host, port).register(f"{prefix}{n}-{uuid.uuid4().hex[:8]}@example.com")
        client.conn.close()
        wires.append(Wire(host, port, client.cookie, client.csrf))
    return wires


def compare_writes(addresses, requests=2000, clients=4, rounds=10, report=print):
    """Write ``requests`` check-ins to each side in ``rounds`` alternating rounds (the side going
    first alternates too); returns the figures of each side, each round's ratio and the overall."""
    reference_clients = [Wire(*addresses["reference"]) for _ in range(clients)]
    app_clients = patients(*addresses["app"], clients)
    sides = {
        "reference": (reference_clients, "/insert", server_pids(addresses["reference"][1])),
        "app": (app_clients, "/api/v1/entries", server_pids(addresses["app"][1])),
    }

    def write(side, per_client):
        clients_, path, pids = sides[side]
        return run(clients_, per_client, lambda client, i: client.post_json(path, entry_payload(i)), pids)

    for side in sides:  # warm up: imports, connections, prepared statements
        write(side, 25)
    per_client = max(1, requests // clients // rounds)
    results = {"reference": [], "app": []}
    round_ratios = []
    for number in range(rounds):
        order = ("reference", "app") if number % 2 == 0 else ("app", "reference")
        outcome = {side: write(side, per_client) for side in order}
        for side in order:
            results[side].append(outcome[side])
        reference, app = (summary([outcome[side]]) for side in ("reference", "app"))
        ratio, p95_ratio = app["rate"] / reference["rate"], app["p95_ms"] / reference["p95_ms"]
        round_ratios.append({"reference_rate": reference["rate"], "app_rate": app["rate"],
                             "ratio": ratio, "p95_ratio": p95_ratio})
        report(f"round {number + 1}: reference {reference['rate']:5.0f} req/s, app {app['rate']:5.0f} req/s"
               f" -> {ratio:.0%}, p95 {app['p95_ms']:.1f} / {reference['p95_ms']:.1f} ms -> {p95_ratio:.1f}x")
    reference, app = summary(results["reference"]), summary(results["app"])
    return {
        "reference": reference, "app": app, "rounds": round_ratios,
        "ratio": app["rate"] / reference["rate"], "p95_ratio": app["p95_ms"] / reference["p95_ms"],
        "median_round_ratio": statistics.median(r["ratio"] for r in round_ratios),
        "server_cpu_ratio": app["server_cpu_ms"] / reference["server_cpu_ms"],
    }


def measure(requests=2000, clients=4, rounds=10, workers=2, report=print):
    """The check-in write next to the minimal insert: a dict with ``ratio`` (app req/s over the
    reference's, over every round), ``median_round_ratio`` (steadier when other work shares the
    machine), ``p95_ratio``, ``server_cpu_ratio``, each side's figures and each round's."""
    with servers(workers) as addresses:
        return compare_writes(addresses, requests, clients, rounds, report)


def print_verdict(figures):
    print(describe("reference: one plain INSERT", figures["reference"]))
    print(describe("POST /api/v1/entries", figures["app"]))
    print(f"check-in write: {figures['ratio']:.0%} of the reference's req/s (goal >= {GOAL_RATIO:.0%}), "
          f"p95 {figures['p95_ratio']:.1f}x the reference's (goal <= {GOAL_P95_RATIO:.0f}x); "
          f"server CPU per request {figures['server_cpu_ratio']:.1f}x; "
          f"median round {figures['median_round_ratio']:.0%} "
          "(rounds " + ", ".join(f"{r['ratio']:.0%}" for r in figures["rounds"]) + ")")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (and per side)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=10, help="alternating write rounds")
    args = parser.parse_args()
    per_client = max(1, args.requests // args.clients)

    with servers() as addresses:
        figures = compare_writes(addresses, args.requests, args.clients, args.rounds)
        print_verdict(figures)
        clients = patients(*addresses["app"], args.clients, prefix="reader")
        pids = server_pids(addresses["app"][1])
        for client in clients:  # something to list: one check-in a day for a year
            client.connect()
            for i in range(365):
                client.post_json("/api/v1/entries", entry_payload(i))
            client.close()
        reads = [
            ("GET / (Today)", lambda client, i: client.request("GET", "/")),
            ("GET /api/v1/entries?limit=100", lambda client, i: client.request("GET", "/api/v1/entries?limit=100")),
        ]
        failures = list(figures["reference"]["failures"]) + figures["app"]["failures"]
        for name, make_request in reads:
            result = summary([run(clients, per_client, make_request, pids)])
            print(describe(name, result))
            failures += result["failures"]
    if failures:
        raise SystemExit(f"{len(failures)} requests failed: {sorted(set(failures))}")


if __name__ == "__main__":
    main()
