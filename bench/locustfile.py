"""The clinic's users for locust, driven by bench/clinic.py (never import this module elsewhere:
locust patches the standard library with gevent on import).

    locust -f bench/locustfile.py --headless ...   # bench/clinic.py builds the whole command

Environment, set by bench/clinic.py: CLINIC_ACCOUNTS (the seeder's accounts, JSON),
CLINIC_SAMPLES (where every request's timing is written, JSON lines), CLINIC_THINK ("min,max"
seconds between a person's clicks), CLINIC_PROVIDERS (how many of the users are providers),
CLINIC_PERSONS (patients and providers in all), CLINIC_DURATION (seconds to run once all of them
have logged in; locust's --run-time is only the upper bound).

Each simulated person logs in once (argon2, and a TOTP code for providers), named "setup: ..."
so the report keeps it out of the steady state, then keeps the session like a browser does.
A monitor requests GET /healthz at a steady pace: the trivial endpoint of the same server in
the same run. A newcomer logs in from scratch at a low, steady rate: the login scenario.
"""
import datetime as dt
import itertools
import json
import os
import random
import re
import time
import uuid

import gevent
import pyotp
from locust import FastHttpUser, between, constant_pacing, events, task

ACCOUNTS = json.load(open(os.environ["CLINIC_ACCOUNTS"]))
THINK = [float(s) for s in os.environ.get("CLINIC_THINK", "0.5,2").split(",")]
PROVIDER_USERS = int(os.environ.get("CLINIC_PROVIDERS", "5"))
PERSONS = int(os.environ.get("CLINIC_PERSONS", "0"))
DURATION = float(os.environ.get("CLINIC_DURATION", "60"))
HEALTHZ_EVERY = 0.1  # seconds: ~10 requests a second, enough samples for a p99 in a minute
LOGIN_EVERY = 2.0  # seconds: a newcomer's login (argon2 at 64 MiB) every 2 s, for the whole clinic
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
# Each simulated person is a different account: a TOTP code works once per 30 s per account.
next_patient = itertools.count()
next_provider = itertools.count()
samples = open(os.environ["CLINIC_SAMPLES"], "w")
logged_in = itertools.count(1)


@events.request.add_listener
def record(request_type, name, response_time, exception, **_):
    """Every request's end time, name, milliseconds and error (or null), one JSON line each."""
    samples.write(json.dumps([time.time(), name, response_time, exception and str(exception)]) + "\n")


@events.user_error.add_listener
def record_task_error(user_instance, exception, tb, **_):
    """An exception in a task (e.g. a page without its CSRF token) is an error too."""
    samples.write(json.dumps([time.time(), f"task error in {type(user_instance).__name__}", 0.0,
                              repr(exception)]) + "\n")


@events.quitting.add_listener
def close_samples(**_):
    samples.close()


def expect(response, status):
    """Mark a response that isn't ``status`` as an error (a redirect to /login is one, too)."""
    if response.status_code != status:
        # Status 0: no answer at all (the connection failed or was closed); say why.
        why = f" ({response.error!r})" if response.status_code == 0 else ""
        response.failure(f"{response.status_code} instead of {status}{why}")
    else:
        response.success()
    return response


def stop_after_steady_state(environment):
    """Called as each person finishes logging in: once all have, stop the run DURATION s later."""
    if next(logged_in) == PERSONS:
        gevent.spawn_later(DURATION, environment.runner.quit)


class Person(FastHttpUser):
    """Someone with an account: logs in once, then clicks around with some thinking in between."""
    abstract = True
    wait_time = between(*THINK)
    csrf = ""

    def get(self, path, name=None):
        with self.client.get(path, name=name or path, allow_redirects=False, catch_response=True) as response:
            return expect(response, 200)

    def log_in(self, email, totp_secret=None):
        """The login form (and its second step), then a CSRF token for JSON writes. A failed login
        is an error in the report; the steady state still starts once everyone has tried."""
        try:
            self._log_in(email, totp_secret)
        finally:
            stop_after_steady_state(self.environment)

    def _log_in(self, email, totp_secret):
        page = self.get("/login", name="setup: GET /login")
        token = CSRF.search(page.text).group(1)
        form = {"email": email, "password": ACCOUNTS["password"], "csrf_token": token}
        with self.client.post("/login", data=form, name="setup: POST /login", allow_redirects=False,
                              catch_response=True) as response:
            expect(response, 302)
        if totp_secret:
            code = {"code": pyotp.TOTP(totp_secret).now(), "csrf_token": token}
            with self.client.post("/login/two-factor", data=code, name="setup: POST /login/two-factor",
                                  allow_redirects=False, catch_response=True) as response:
                expect(response, 302)
        token = self.get("/api/v1/csrf-token", name="setup: GET /api/v1/csrf-token")
        self.csrf = json.loads(token.text)["csrf_token"]


class Patient(Person):
    """Opens Today, checks in, looks at Trends."""
    weight = 10

    def on_start(self):
        self.email = ACCOUNTS["patients"][next(next_patient) % len(ACCOUNTS["patients"])]
        self.log_in(self.email)

    @task(4)
    def today(self):
        self.get("/", name="GET / (Today)")

    @task(3)
    def check_in(self):
        now = dt.datetime.now(dt.timezone.utc)  # the seeded patients live in UTC
        entry = {"id": str(uuid.uuid4()), "date": now.date().isoformat(), "time": now.strftime("%H:%M"),
                 "anxiety": random.randint(0, 10), "note": "", "private": False,
                 "triggers": random.sample(["work", "sleep", "social"], k=random.randint(0, 2))}
        with self.client.post("/api/v1/entries", json=entry, name="POST /api/v1/entries",
                              headers={"X-CSRFToken": self.csrf}, allow_redirects=False,
                              catch_response=True) as response:
            expect(response, 201)

    @task(2)
    def trends(self):
        self.get("/trends", name="GET /trends")

    @task(1)
    def trends_all(self):
        self.get("/trends?range=all", name="GET /trends?range=all")


class Provider(Person):
    """Opens the dashboard, then one of their patients' pages."""
    fixed_count = PROVIDER_USERS

    def on_start(self):
        provider = ACCOUNTS["providers"][next(next_provider) % len(ACCOUNTS["providers"])]
        self.patients = provider["patients"]
        self.log_in(provider["email"], provider["totp_secret"])

    @task(3)
    def dashboard(self):
        self.get("/provider/", name="GET /provider/")

    @task(2)
    def patient_page(self):
        self.get(f"/provider/patients/{random.choice(self.patients)}", name="GET /provider/patients/[id]")


class Monitor(FastHttpUser):
    """The trivial endpoint, at a steady pace, as the reference."""
    fixed_count = 1
    wait_time = constant_pacing(HEALTHZ_EVERY)

    @task
    def healthz(self):
        with self.client.get("/healthz", name="GET /healthz", allow_redirects=False,
                             catch_response=True) as response:
            expect(response, 200)


class Newcomer(FastHttpUser):
    """A patient logging in from a fresh browser (no cookies), at a low steady rate."""
    fixed_count = 1
    wait_time = constant_pacing(LOGIN_EVERY)

    @task
    def login(self):
        self.client.cookiejar.clear()
        with self.client.get("/login", name="login: GET /login", allow_redirects=False,
                             catch_response=True) as page:
            expect(page, 200)
        form = {"email": random.choice(ACCOUNTS["patients"]), "password": ACCOUNTS["password"],
                "csrf_token": CSRF.search(page.text).group(1)}
        with self.client.post("/login", data=form, name="login: POST /login", allow_redirects=False,
                              catch_response=True) as response:
            expect(response, 302)
