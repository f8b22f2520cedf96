"""services.accounts on its own: plain values in (no request), rows out, refusals raised and audited.
The pages' behaviour is tested through the app (test_auth.py, test_two_factor.py, test_limits.py)."""
import pytest
from helpers import PASSWORD, TOTP_SECRET, current_code

from diary.db import get_db
from diary.services import accounts, two_factor
from diary.store import audit

ADDRESS = "192.0.2.7"
NEW = {"email": "Pat@example.org", "password": PASSWORD, "role": "patient", "display_name": "Pat",
       "timezone": "Europe/London"}


@pytest.fixture
def db(app):
    with app.app_context():
        yield get_db()


def actions(db, user_id):
    return [(event["action"], event["detail"]) for event in audit.events_by(db, user_id, prefix="")]


def test_register_and_log_in(app, db):
    row = accounts.register(db, app.config, NEW, ADDRESS)
    assert accounts.log_in(db, app.config, "pat@example.org ", PASSWORD, ADDRESS)["id"] == row["id"]
    with pytest.raises(accounts.PasswordRefused) as refused:
        accounts.log_in(db, app.config, "pat@example.org", "not the password", ADDRESS)
    assert refused.value.throttled is None
    assert actions(db, row["id"]) == [("auth.registered", ""), ("auth.login", ""),
                                      ("auth.login_failed", "wrong password")]


def test_an_unknown_email_is_refused_like_a_wrong_password(app, db):
    with pytest.raises(accounts.PasswordRefused):
        accounts.log_in(db, app.config, "nobody@example.org", PASSWORD, ADDRESS)
    assert [(e["action"], e["detail"]) for e in db.query("SELECT action, detail FROM audit_log")] == [
        ("auth.login_failed", "unknown account")]


def test_past_the_limit_the_password_is_not_tried(app, db):
    accounts.register(db, app.config, NEW, ADDRESS)
    app.config["RATE_LIMITS"] = {"login_account": (1, 900)}
    with pytest.raises(accounts.PasswordRefused):
        accounts.log_in(db, app.config, NEW["email"], "wrong", ADDRESS)
    with pytest.raises(accounts.PasswordRefused) as refused:
        accounts.log_in(db, app.config, NEW["email"], PASSWORD, ADDRESS)
    assert refused.value.throttled.retry_after > 0


def test_change_password_ends_the_other_sessions(app, db):
    row = accounts.register(db, app.config, NEW, ADDRESS)
    changed = accounts.change_password(db, app.config, row["id"], PASSWORD, "another long passphrase", ADDRESS)
    assert changed["session_version"] == row["session_version"] + 1
    with pytest.raises(accounts.PasswordRefused):
        accounts.confirm_password(db, app.config, row["id"], PASSWORD, ADDRESS)


def test_a_code_used_once_is_refused_as_replayed(app, db):
    row = accounts.register(db, app.config, NEW, ADDRESS)
    code = current_code(TOTP_SECRET)
    codes, enrolled = accounts.enrol_two_factor(db, app.config, row["id"], TOTP_SECRET, code, ADDRESS,
                                                password=PASSWORD)
    assert len(codes) == 10 and enrolled["mfa_enabled_at"] is not None
    with pytest.raises(accounts.CodeRefused) as refused:
        accounts.log_in_second_step(db, app.config, row["id"], code, ADDRESS)
    assert refused.value.replayed
    assert accounts.log_in_second_step(db, app.config, row["id"], codes[0], ADDRESS) == 9
    assert two_factor.status(db, row["id"])["recovery_codes_left"] == 9
    assert actions(db, row["id"])[-4:] == [
        ("auth.mfa_enrolled", ""), ("auth.mfa_failed", "code already used"), ("auth.recovery_code_used", ""),
        ("auth.login", "with a recovery code")]
