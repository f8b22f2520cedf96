"""Benchmark one delivery run of ``flask send-reminders``: N patients, each with a year of diary
and one browser due now, half of them not yet checked in today. The push itself is replaced by a
function that answers "sent" (a push service's latency is not ours to measure).

    .venv/bin/python -m bench.reminders [--patients N]

Reports the run's wall time and the time per due subscription (the rules: today's check-ins,
yesterday's sessions, the relief forecast, questionnaires due).
"""
import argparse
import datetime as dt
import os
import tempfile
import time

from diary import create_app
from diary.db import get_db, migrate
from diary.services import reminders
from diary.store import push as push_store
from diary.store import users as users_store

from .generate import seed_patient


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DIARY_INSTANCE_PATH"] = os.path.join(folder, "instance")
        app = create_app({"DATABASE": os.path.join(folder, "bench.sqlite3")})
        with app.app_context():
            db = get_db()
            migrate(db)
            now = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
            remind_at = now.strftime("%H:%M")  # due right now, in UTC
            for n in range(args.patients):
                user = users_store.create_user(db, email=f"p{n}@example.com", password_hash="x", role="patient",
                                               display_name=f"P{n}", timezone="UTC")
                # A year of diary ending yesterday or today: half have checked in today.
                end = now.date() - dt.timedelta(days=n % 2)
                seed_patient(db, user["id"], years=1, per_day=1, sessions_per_month=1, end=end, seed=n)
                push_store.subscribe(db, user["id"], {"endpoint": f"https://fcm.googleapis.com/fcm/send/{n}",
                                                      "p256dh": "x", "auth": "y", "remind_at": remind_at,
                                                      "days": list(range(7)), "device": ""})
            started = time.perf_counter()
            counts = reminders.send_due(db, now, lambda subscription, message: "sent")
            elapsed = time.perf_counter() - started
            rerun_started = time.perf_counter()
            rerun = reminders.send_due(db, now, lambda subscription, message: "sent")
            rerun_elapsed = time.perf_counter() - rerun_started
    print(f"send-reminders over {args.patients} due subscriptions (1 year of diary each): {elapsed:.2f} s, "
          f"{1000 * elapsed / args.patients:.1f} ms each; {dict(counts)}")
    print(f"the rerun a few minutes later: {rerun_elapsed:.2f} s; {dict(rerun)}")


if __name__ == "__main__":
    main()
