"""A forgotten password doesn't lose a diary: a link by e-mail (through a real local SMTP server,
aiosmtpd), single use, 30 minutes, the same answer whether the address has an account, throttled,
audited; it ends every login, and two-factor still applies."""
import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from helpers import PASSWORD, AuthActions, enrol, next_code

from diary.db import get_db

NEW = "a brand new passphrase"


class Inbox:
    """aiosmtpd handler: every message received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def inbox(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield received
    controller.stop()


def link_in(inbox):
    [(recipients, message)] = inbox.messages
    body = message.get_content()
    [link] = re.findall(r"http://localhost/reset-password/\S+", body)
    return recipients, message, link.replace("http://localhost", "")


def test_a_link_by_email_sets_a_new_password_and_ends_every_login(app, client, patient, inbox):
    AuthActions(client).logout()
    elsewhere = app.test_client()
    AuthActions(elsewhere).login()
    response = client.post("/forgot-password", data={"email": "PAT@example.com"})
    assert response.status_code == 200 and "If an account uses that address" in response.get_data(as_text=True)
    recipients, message, path = link_in(inbox)
    assert recipients == ["pat@example.com"] and "new password" in message["Subject"]
    assert "30 minutes" in message.get_content()
    page = client.get(path).get_data(as_text=True)
    assert "Choose a new password" in page and "pat@example.com" in page
    response = client.post(path, data={"new_password": NEW, "confirm_password": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert elsewhere.get("/api/v1/me").status_code == 401  # every login ended
    assert AuthActions(client).login(password=PASSWORD).status_code == 422
    assert AuthActions(client).login(password=NEW).status_code == 302
    assert client.post(path, data={"new_password": "another passphrase", "confirm_password": "another passphrase"}
                       ).status_code == 404  # used up
    with app.app_context():
        actions = [row[0] for row in get_db().execute("SELECT action FROM audit_log ORDER BY id")]
        [stored] = get_db().execute("SELECT token_hash FROM password_resets").fetchone()
    assert "auth.password_reset_requested" in actions and "auth.password_reset" in actions
    assert path.rsplit("/", 1)[1] not in stored  # only its hash is kept


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, inbox):
    response = client.post("/forgot-password", data={"email": "nobody@example.com"})
    assert response.status_code == 200 and "If an account uses that address" in response.get_data(as_text=True)
    assert inbox.messages == []


def test_an_expired_link_opens_nothing(app, client, patient, inbox):
    client.post("/forgot-password", data={"email": "pat@example.com"})
    _, _, path = link_in(inbox)
    with app.app_context():
        get_db().execute("UPDATE password_resets SET expires_at = '2000-01-01T00:00:00.000Z'")
    assert client.get(path).status_code == 404
    assert client.post(path, data={"new_password": NEW, "confirm_password": NEW}).status_code == 404


def test_a_weak_or_mismatched_password_is_refused_and_the_link_still_works(client, patient, inbox):
    client.post("/forgot-password", data={"email": "pat@example.com"})
    _, _, path = link_in(inbox)
    assert client.post(path, data={"new_password": "password", "confirm_password": "password"}).status_code == 422
    assert client.post(path, data={"new_password": NEW, "confirm_password": NEW + "x"}).status_code == 422
    assert client.post(path, data={"new_password": NEW, "confirm_password": NEW}).status_code == 302


def test_asking_too_often_is_throttled(app, client, patient, inbox):
    for _ in range(5):
        assert client.post("/forgot-password", data={"email": "pat@example.com"}).status_code == 200
    response = client.post("/forgot-password", data={"email": "pat@example.com"})
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert len(inbox.messages) == 5


def test_a_clinician_with_two_factor_still_needs_the_second_factor(app, client, inbox):
    AuthActions(client).register(email="dr@example.com", role="provider", display_name="Dr. Lee")
    enrol(app, "dr@example.com")
    AuthActions(client).logout()
    client.post("/forgot-password", data={"email": "dr@example.com"})
    _, _, path = link_in(inbox)
    assert client.post(path, data={"new_password": NEW, "confirm_password": NEW}).status_code == 302
    response = client.post("/login", data={"email": "dr@example.com", "password": NEW})
    assert response.headers["Location"].startswith("/login/two-factor")
    assert client.get("/api/v1/patients").status_code == 401
    assert client.post("/login/two-factor", data={"code": next_code(app, "dr@example.com")}).status_code == 302


def test_the_link_names_the_configured_address_not_the_requests_host(app, client, patient, inbox):
    """A forged Host header must not put a stranger's domain in front of a real reset token."""
    app.config["PUBLIC_URL"] = "https://diary.example.org/"
    app.config["WTF_CSRF_ENABLED"] = False  # the test client's cookies are for localhost, not the forged host
    response = client.post("/forgot-password", data={"email": "pat@example.com"}, headers={"Host": "evil.example"})
    assert response.status_code == 200
    [(_, message)] = inbox.messages
    body = message.get_content()
    assert "https://diary.example.org/reset-password/" in body and "evil.example" not in body


def test_without_smtp_the_message_goes_to_the_log(app, client, patient, caplog):
    app.config["SMTP_URL"] = None
    with caplog.at_level("WARNING"):
        assert client.post("/forgot-password", data={"email": "pat@example.com"}).status_code == 200
    assert "/reset-password/" in caplog.text and "No DIARY_SMTP_URL" in caplog.text
