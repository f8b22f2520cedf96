"""How long a login lasts: per role, an inactivity limit and an absolute one (ASVS 5.0 7.3.1, 7.3.2)."""
import time

import pytest

from diary.web.auth import SESSION_LIMITS

HOUR, DAY = 3600, 24 * 3600


def age(client, *, logged_in_ago, last_seen_ago):
    """Make the browser's session look as if it logged in and was last used that long ago."""
    now = time.time()
    with client.session_transaction() as session:
        session["auth_at"] = now - logged_in_ago
        session["seen_at"] = now - last_seen_ago


def me(client):
    return client.get("/api/v1/me").status_code


def test_the_limits_are_what_the_docs_say():
    assert SESSION_LIMITS == {"patient": (30 * DAY, 30 * DAY), "provider": (1 * HOUR, 12 * HOUR)}


@pytest.mark.parametrize("logged_in_ago, last_seen_ago, status", [
    (29 * DAY, 1 * DAY, 200),
    (31 * DAY, 1 * DAY, 401),  # active every day, but a month is the most one login lasts
    (10 * DAY, 10 * DAY, 200),
])
def test_a_patients_login_lasts_a_month(patient, logged_in_ago, last_seen_ago, status):
    age(patient, logged_in_ago=logged_in_ago, last_seen_ago=last_seen_ago)
    assert me(patient) == status


@pytest.mark.parametrize("logged_in_ago, last_seen_ago, status", [
    (11 * HOUR, 50 * 60, 200),
    (11 * HOUR, 61 * 60, 401),  # an hour away from the screen
    (13 * HOUR, 60, 401),  # a clinic day is the most one login lasts
])
def test_a_providers_login_ends_after_an_idle_hour_or_a_working_day(provider, logged_in_ago, last_seen_ago,
                                                                    status):
    age(provider, logged_in_ago=logged_in_ago, last_seen_ago=last_seen_ago)
    assert me(provider) == status


def test_each_request_counts_as_activity(provider):
    age(provider, logged_in_ago=2 * HOUR, last_seen_ago=50 * 60)
    assert me(provider) == 200
    with provider.session_transaction() as session:
        assert time.time() - session["seen_at"] < 60


def test_activity_is_recorded_once_a_minute_so_the_cookie_is_not_resent_every_request(patient, provider):
    """Re-signing and re-sending the session cookie on every request costs each write ~0.3 ms
    (docs/PERFORMANCE.md); the inactivity limits (an hour, a month) don't need finer than a minute."""
    for client in (patient, provider):
        age(client, logged_in_ago=2 * 60, last_seen_ago=30)
        response = client.get("/api/v1/me")
        assert response.status_code == 200 and "Set-Cookie" not in response.headers
        age(client, logged_in_ago=2 * 60, last_seen_ago=61)
        response = client.get("/api/v1/me")
        assert response.status_code == 200 and "Set-Cookie" in response.headers  # activity recorded
        with client.session_transaction() as session:
            assert time.time() - session["seen_at"] < 5


def test_a_session_without_a_login_time_is_not_trusted(patient):
    with patient.session_transaction() as session:
        session.pop("auth_at", None)
    assert me(patient) == 401


def test_an_expired_page_asks_to_log_in_again(provider):
    age(provider, logged_in_ago=13 * HOUR, last_seen_ago=60)
    response = provider.get("/provider/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_password_change_does_not_restart_the_providers_working_day(provider):
    """Only a full login (password and second factor) starts the 12 hours again; the password alone doesn't."""
    from helpers import PASSWORD
    age(provider, logged_in_ago=11 * HOUR, last_seen_ago=60)
    new = "another long passphrase"
    response = provider.post("/account", data={"current_password": PASSWORD, "new_password": new,
                                                "confirm_password": new})
    assert response.status_code == 302
    with provider.session_transaction() as session:
        assert time.time() - session["auth_at"] > 10.9 * HOUR
        session["auth_at"] -= 1.1 * HOUR  # an hour later
        session["seen_at"] = time.time()
    assert me(provider) == 401
