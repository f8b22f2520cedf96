"""CPU per check-in write in-process, next to the minimal insert (bench/reference.py).

    .venv/bin/python -m bench.checkin_cpu [--requests N] [--profile]

Both apps answer through Flask test clients in one process, one request of each in turn, each
timed with the process's CPU clock: steadier than bench.checkins when other work shares the
machine, and without gunicorn or the HTTP clients (so the ratio is higher than through gunicorn,
where both sides also pay ~0.4 ms of server overhead). ``--profile`` prints cProfile's top
functions over the app's requests (the CPU figures then include the profiler's own).
"""
import argparse
import cProfile
import os
import pstats
import tempfile
import time

from .checkins import entry_payload
from .server import csrf_token, temp_app


def patient_client(app):
    """A test client registered (and so logged in) as a patient, and its CSRF token."""
    client = app.test_client()
    token = csrf_token(client.get("/register").get_data())
    response = client.post("/register", data={
        "email": "cpu@example.com", "password": "benchmark password", "role": "patient",
        "display_name": "CPU", "timezone": "UTC", "csrf_token": token})
    assert response.status_code == 302, "registration failed"
    return client, client.get("/api/v1/csrf-token").get_json()["csrf_token"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="writes to each side")
    parser.add_argument("--profile", action="store_true", help="cProfile the app's writes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, temp_app() as (app, _):
        os.environ["REFERENCE_DATABASE"] = os.path.join(tmp, "reference.sqlite3")
        from .reference import app as reference_app
        reference = reference_app.test_client()
        client, token = patient_client(app)

        def write_reference(i):
            assert reference.post("/insert", json=entry_payload(i)).status_code == 201

        def write_app(i):
            response = client.post("/api/v1/entries", json=entry_payload(i), headers={"X-CSRFToken": token})
            assert response.status_code == 201, response.get_data(as_text=True)

        for i in range(100):  # warm up
            write_reference(i)
            write_app(i)
        profile = cProfile.Profile() if args.profile else None
        spent = {"reference": 0.0, "app": 0.0}
        for i in range(args.requests):
            start = time.process_time()
            write_reference(i)
            middle = time.process_time()
            if profile:
                profile.enable()
            write_app(i)
            if profile:
                profile.disable()
            spent["reference"] += middle - start
            spent["app"] += time.process_time() - middle
    per_request = {side: seconds / args.requests * 1000 for side, seconds in spent.items()}
    print(f"CPU per write, {args.requests} each, interleaved: reference {per_request['reference']:.3f} ms, "
          f"app {per_request['app']:.3f} ms ({per_request['app'] / per_request['reference']:.2f}x)")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
