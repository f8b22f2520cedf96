"""Security events go to the `diary.security` log (stderr under gunicorn): one line each, escaped."""
import logging
import re

import pytest
from helpers import share


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="diary.security")
    return caplog


def lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "diary.security"]


def test_a_refused_role_is_logged_with_who_and_where(patient, security_log):
    assert patient.get("/api/v1/patients").status_code == 403
    [line] = lines(security_log)
    assert "status=403" in line and "path='/api/v1/patients'" in line and "user=" in line


def test_a_provider_asking_for_a_patient_who_does_not_share_is_logged(provider, other_patient, security_log):
    assert provider.get("/api/v1/patients/999/trends").status_code == 404
    assert any("status=404" in line and "/api/v1/patients/999/trends" in line for line in lines(security_log))


def test_a_missing_csrf_token_and_a_throttle_are_logged(app, patient, security_log):
    assert patient.post("/api/v1/entries", json={"anxiety": 3}, csrf=False).status_code == 400
    assert any("status=400" in line and "csrf" in line for line in lines(security_log))
    app.config["RATE_LIMITS"] = {"login_account": (1, 900)}
    patient.post("/logout")
    patient.post("/login", data={"email": "pat@example.com", "password": "wrong one"})
    assert patient.post("/login", data={"email": "pat@example.com", "password": "wrong one"}).status_code == 429
    assert any("status=429" in line and "/login" in line for line in lines(security_log))


def test_a_newline_in_the_path_cannot_forge_a_log_line(provider, security_log):
    assert provider.get("/provider/patients/1%0Aforged%20line").status_code == 404
    [line] = lines(security_log)
    assert "\n" not in line and "1\\nforged line" in line


def test_ordinary_pages_log_nothing(patient, provider, security_log):
    share(patient, provider)
    patient.get("/")
    provider.get("/provider/")
    assert lines(security_log) == []


def test_each_line_says_when_in_utc_and_what_kind(patient, capsys):
    """Under gunicorn the log goes to stderr (its error log); each line starts with a UTC time."""
    assert patient.get("/api/v1/patients").status_code == 403
    lines = [line for line in capsys.readouterr().err.splitlines() if "diary.security" in line]
    assert len(lines) == 1
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ WARNING diary\.security status=403 ", lines[0]), lines[0]


def test_a_provider_without_a_second_factor_is_logged_page_and_api(app, security_log):
    from helpers import AuthActions
    client = app.test_client()
    AuthActions(client).register(email="new-dr@example.com", role="provider", display_name="Dr New")
    assert client.get("/provider/").status_code == 302
    assert client.get("/api/v1/patients").status_code == 403
    found = [line for line in lines(security_log) if "reason='no second factor'" in line]
    assert [("status=302" in line, "status=403" in line) for line in found] == [(True, False), (False, True)]


def test_each_refusal_says_why(app, patient, security_log):
    patient.get("/api/v1/patients")
    app.config["RATE_LIMITS"] = {"register_global": (0, 3600)}
    patient.post("/logout")
    patient.post("/register", data={"email": "x@example.com", "password": "a long passphrase here",
                                     "role": "patient", "display_name": "X", "timezone": "UTC"})
    reasons = [re.search(r"reason='([^']*)'", line).group(1) for line in lines(security_log)]
    assert reasons == ["wrong role", "throttled"]
