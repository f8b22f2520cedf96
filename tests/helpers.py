"""Plain helpers and constants shared by the test modules (fixtures live in conftest.py):
a CSRF-aware test client, AuthActions, accounts, shares, two-factor codes, error checks."""
import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import pyotp
from flask.ctx import RequestContext
from flask.testing import EnvironBuilder, FlaskClient
from flask_wtf.csrf import generate_csrf

from diary.db import get_db
from diary.security import otp
from diary.services import two_factor
from diary.store import mfa as mfa_store

PASSWORD = "correct horse battery"
SESSION_COOKIE = "__Host-diary_session"  # the test apps serve Secure cookies, so the name carries __Host-
# The TOTP secret test accounts are enrolled with (enrol()); next_code() gives its codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# argon2 at its cheapest: tests check behaviour, not hashing cost.
FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1}


class DiaryClient(FlaskClient):
    """A test client that sends a valid CSRF token the way the real pages do.

    Form posts get a ``csrf_token`` field, JSON writes an ``X-CSRFToken`` header, unless
    the test passes ``csrf=False`` to see what happens without one. CSRF stays switched on.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._csrf = None  # (what the token was made for, the token): see csrf_token()

    def csrf_token(self):
        """The token the app's pages carry for this client's session right now.

        Made as the app makes it, not re-derived: Flask-WTF's ``generate_csrf()`` (the call behind
        ``GET /api/v1/csrf-token`` and the templates' ``csrf_token()``) with the app's config, in a
        request context over this client's session, opened and saved back by the app's session
        interface, so a session without a raw token gets one as a browser's first page would give
        it. No request is made.

        The token only changes when the session does, and the session only changes with its
        cookie (identical cookie text, identical session), so it is kept until the cookie, the
        secret keys or the token's settings change: logging in or out, which starts a new
        session, gives a new token. With a time limit on tokens (WTF_CSRF_TIME_LIMIT) every
        write gets a new one, as a page loaded just before it would give.
        """
        app = self.application
        made_for = (self._session_cookie(), app.secret_key, app.config.get("WTF_CSRF_SECRET_KEY"),
                    app.config.get("WTF_CSRF_FIELD_NAME"))
        if (self._csrf is not None and self._csrf[0] == made_for and made_for[0] is not None
                and app.config.get("WTF_CSRF_TIME_LIMIT") is None):
            return self._csrf[1]
        with self.session_transaction() as session:
            environ = EnvironBuilder(app).get_environ()
            # A fresh app context: Flask-WTF keeps a request's token in ``g``, which a test's own
            # ``with app.app_context()`` would otherwise share between clients.
            with app.app_context(), RequestContext(app, environ, session=session):
                token = generate_csrf()
        self._csrf = ((self._session_cookie(), *made_for[1:]), token)
        return token

    def _session_cookie(self):
        """The text of this client's session cookie, or None."""
        cookie = self.get_cookie(self.application.config["SESSION_COOKIE_NAME"])
        return None if cookie is None else cookie.value

    def open(self, *args, csrf=True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if csrf and method in ("POST", "PUT", "PATCH", "DELETE"):
            token = self.csrf_token()
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", token)
            kwargs["headers"] = headers
            data = kwargs.get("data")
            if isinstance(data, dict) and "csrf_token" not in data:
                kwargs["data"] = {**data, "csrf_token": token}
        return super().open(*args, **kwargs)


class AuthActions:
    """Register and log in through the real forms (as in flaskr's tests)."""

    def __init__(self, client):
        self.client = client

    def register(self, email="pat@example.com", role="patient", display_name="Pat",
                 timezone="Europe/London", password=PASSWORD):
        response = self.client.post("/register", data={
            "email": email, "password": password, "role": role, "display_name": display_name,
            "timezone": timezone,
        })
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def login(self, email="pat@example.com", password=PASSWORD, code=None):
        """Log in; with ``code``, also through the second step (the password must be right)."""
        response = self.client.post("/login", data={"email": email, "password": password})
        if code is not None:
            assert response.headers.get("Location", "").startswith("/login/two-factor"), response.status
            response = self.client.post("/login/two-factor", data={"code": code})
        return response

    def logout(self):
        return self.client.post("/logout")


def enrol(app, email, secret=TOTP_SECRET):
    """Two-factor on for ``email`` with a known secret, set in the store (as a confirmed enrolment
    leaves it, without recovery codes). The account's sessions stay as they are."""
    with app.app_context():
        db = get_db()
        [account_id] = db.execute("SELECT id FROM users WHERE email = ?", [email]).fetchone()
        mfa_store.enable(db, account_id, two_factor.seal(app.config["MFA_KEY"], secret), None, [])
    return secret


class TotpClock:
    """The clock the app reads TOTP codes by (diary.security.otp.clock) in a test: it starts 1 s
    into a 30 s step of real time and moves only when told, so a code worked out "now" can't cross
    a step boundary before the app checks it, and the next step comes at once."""

    def __init__(self):
        self.now = (time.time() // otp.PERIOD) * otp.PERIOD + 1

    def __call__(self):
        return self.now

    def move_to_step(self, step):
        """Move on to 1 s into ``step`` (never back)."""
        self.now = max(self.now, step * otp.PERIOD + 1)


def current_code(secret):
    """The code an authenticator app shows now (by the app's TOTP clock) for ``secret``."""
    return pyotp.TOTP(secret).at(otp.clock())


def next_code(app, email):
    """A code the app accepts now for ``email``: the current step's, or, when that step was already
    used, the next step's, moving the test's TOTP clock (``totp_clock``) there: the app accepts no
    future step and refuses a step twice (replay refusal stays on)."""
    with app.app_context():
        user_id = get_db().execute("SELECT id FROM users WHERE email = ?", [email]).fetchone()[0]
        state = mfa_store.get_secret(get_db(), user_id)
    sealed, last = state["secret"], state["last_step"]
    secret = two_factor.unseal(app.config["MFA_KEY"], sealed)
    if last is not None and last >= otp.step_at():
        assert isinstance(otp.clock, TotpClock), "a second code in one step needs the totp_clock fixture"
        otp.clock.move_to_step(last + 1)
    return current_code(secret)


def csrf_meta(html):
    """The token in a page's <meta name="csrf-token">."""
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


def tomorrow_in_london():
    """Tomorrow for the test patients (Europe/London): the first date that is "in the future"."""
    return (dt.datetime.now(ZoneInfo("Europe/London")).date() + dt.timedelta(days=1)).isoformat()


def errors_of(response, status, *fields):
    """Assert a JSON error answer naming exactly ``fields``; returns the errors object."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    errors = response.get_json()["errors"]
    assert set(errors) == set(fields)
    return errors


def assert_flat(errors):
    """The contract's shape: {field: [message, ...]} with non-empty string messages."""
    for messages in errors.values():
        assert isinstance(messages, list) and messages
        assert all(isinstance(message, str) and message for message in messages)


def without(data, key):
    return {k: v for k, v in data.items() if k != key}


def stored(body):
    """A write's answer as the record reads back: the write's ``support`` field (card or null) removed."""
    assert "support" in body, "a write answers with its support card (or null)"
    return {k: v for k, v in body.items() if k != "support"}


def user_id(client):
    """The id of the account ``client`` is logged in as."""
    return client.get("/api/v1/me").get_json()["id"]


def share(patient, provider, scope="full"):
    """The patient gives the provider a share code with ``scope``; the provider redeems it."""
    code = patient.post("/api/v1/invites", json={"scope": scope}).get_json()["code"]
    response = provider.post("/api/v1/invites/redeem", json={"code": code})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["patient"]["id"]


def new_user(app, email, display_name, role="patient"):
    """A separate browser logged in as a newly registered account (a provider enrolled in two-factor)."""
    client = app.test_client()
    AuthActions(client).register(email=email, role=role, display_name=display_name)
    if role == "provider":
        enrol(app, email)
    return client


def today_iso():
    """Today's date (the machine's), ISO, asked when a test needs it: a module constant taken at
    import goes stale when a run crosses midnight."""
    return dt.date.today().isoformat()


def static_url(name):
    """The URL a page gives ``static/<name>``: named by its content (diary/web/assets.py)."""
    from diary.web import assets
    return "/static/" + assets.build().names[name]


def without_inline_code(html):
    """``html`` without its inline <style> and <script> blocks: the static files the page carries
    (diary/web/assets.py) and the scripts' words (diary/web/js_words.py), the same for everyone, whose
    words would match a search for personal data."""
    import re
    return re.sub(r'<(style|script)(?: type="application/json" id="diary-words")?>.*?</\1>', "", html, flags=re.S)


def with_keys(db, key_store, master_keys=None):
    """``db`` (opened with diary.db.connect) with a key store attached, as get_db attaches the app's:
    ``key_store`` a path, ``master_keys`` the app's MASTER_KEYS (default: a new random master key)."""
    from diary.security.fields import MasterKeys, new_key
    from diary.store import keys as keys_store
    keys_store.attach(db, str(key_store), master_keys or MasterKeys([new_key()]))
    return db


def app_connection(app):
    """A connection of its own to the app's database, with the app's key store (as a second process
    or a cron job would open it)."""
    from diary.db import connect
    return with_keys(connect(app.config["DATABASE"]), app.config["KEY_STORE"], app.config["MASTER_KEYS"])


def english_words(series, summary, outlook, reader="patient"):
    """relief.words as an English reader reads them: its messages worded (Msg.english)."""
    from types import SimpleNamespace

    from diary.insights.relief import words
    said = words(series, summary, outlook, reader=reader)
    return SimpleNamespace(headline=said.headline.english(), sentence=said.sentence.english(),
                           method=tuple(note.english() for note in said.method))


def four_rounds_of_relief(check_in, log_session, last_ago=0):
    """A course whose relief can be read: a week at 7, then four rounds of treatment (sessions 53,
    39, 21 and 4 days ago), anxiety down near 2 after each and back near 7 after 8, 10 and 7 days;
    the last round still holding. ``check_in(days_ago, anxiety)`` and ``log_session(days_ago)`` save
    them (through whichever client the test drives)."""
    back, calm = (7, 6, 8, 7), (2, 3, 1, 2)
    for step in ((60, 54, back), 53, (53, 46, calm), (45, 40, back), 39, (39, 30, calm), (29, 22, back), 21,
                 (21, 15, calm), (14, 8, back), 4, (4, last_ago, calm)):
        if isinstance(step, int):
            log_session(step)
            continue
        first, last, levels = step
        for n, days_ago in enumerate(range(first, last - 1, -1)):
            check_in(days_ago, levels[n % len(levels)])
