"""Two-factor authentication (TOTP): providers must enrol before seeing any patient data, patients may.

Codes come from pyotp with the secret the page shows (or the fixtures' known one); replay
refusal stays on throughout (helpers.next_code moves to the next step honestly).
"""
import html
import re
import stat
import time
from pathlib import Path

import pyotp
import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from helpers import PASSWORD, SESSION_COOKIE, TOTP_SECRET, AuthActions, current_code, enrol, next_code, user_id

from diary.db import get_db
from diary.security import otp
from diary.security.otp import grouped
from diary.services import two_factor
from diary.store import mfa as mfa_store
from diary.store import sharing as sharing_store
from diary.web.api import operation

TWO_FACTOR_ERROR = {"two_factor": [
    "Set up two-factor authentication at /account/two-factor before seeing patient data."]}
RECOVERY = re.compile(r"\b[0-9a-z]{5}-[0-9a-z]{5}\b")


def recovery_codes_in(response):
    """The codes in the page's recovery-code list (none when there is no list)."""
    match = re.search(r'<ol class="recovery-codes[^"]*">(.*?)</ol>', text(response), re.S)
    return RECOVERY.findall(match.group(1)) if match else []


def text(response):
    return html.unescape(response.get_data(as_text=True))


def row(app, email):
    """The account's two-factor columns, its secret unsealed (as stored, it is sealed: see
    test_a_copied_database_alone_does_not_give_the_second_factor)."""
    with app.app_context():
        found = get_db().execute(
            "SELECT id, mfa_secret, mfa_last_step, mfa_enabled_at, session_version FROM users WHERE email = ?",
            [email]).fetchone()
        account = dict(zip(("id", "secret", "last_step", "enabled_at", "session_version"), found))
        if account["secret"] is not None:  # sealed with the account's data key, then opened by the store
            account["secret"] = mfa_store.get_secret(get_db(), account["id"])["secret"]
    if account["secret"] is not None:
        assert account["secret"].startswith(two_factor.SEALED)
        account["secret"] = two_factor.unseal(app.config["MFA_KEY"], account["secret"])
    return account


def recovery_rows(app, account_id):
    with app.app_context():
        return get_db().execute("SELECT code_hash, used_at FROM recovery_codes WHERE user_id = ?",
                                [account_id]).fetchall()


def verifies(stored_hash, code):
    try:
        return PasswordHasher().verify(stored_hash, code)
    except VerificationError:
        return False


def audit_actions(app, account_id):
    with app.app_context():
        return [r[0] for r in get_db().execute(
            "SELECT action FROM audit_log WHERE actor_id = ? ORDER BY id", [account_id]).fetchall()]


def shown_secret(page):
    """The secret in the otpauth:// URI the enrolment page prints."""
    match = re.search(r"otpauth://totp/[^\s<\"]*[?&]secret=([A-Z2-7]+)", page)
    assert match, "no otpauth URI on the page"
    return match.group(1)


def enrol_through_page(client, previous_step=False):
    """Open the enrolment page, type the current code: ``(secret, recovery codes shown)``.

    With ``previous_step``, type the code of the step just gone instead (still accepted): that
    leaves the current step for a login that follows, which then needn't wait up to 30 s for
    the next step (helpers.next_code).
    """
    secret = shown_secret(text(client.get("/account/two-factor")))
    totp = pyotp.TOTP(secret)
    code = totp.at(otp.clock() - otp.PERIOD) if previous_step else current_code(secret)
    response = client.post("/account/two-factor/confirm", data={"code": code, "password": PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return secret, recovery_codes_in(response)


@pytest.fixture
def unenrolled(app):
    """A browser logged in as a provider who hasn't set up two-factor yet."""
    client = app.test_client()
    AuthActions(client).register(email="new-dr@example.com", role="provider", display_name="Dr. New")
    return client


# --- the gate ---------------------------------------------------------------------

def provider_routes(app):
    endpoints = {f"api.{op.endpoint}" for op in operation.operations if op.role == "provider"}
    return [(rule, method) for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/provider/") or rule.endpoint in endpoints
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def test_a_provider_without_two_factor_reaches_no_patient_data(app, patient, unenrolled):
    patient.post("/api/v1/entries", json={"date": "2026-01-02", "anxiety": 7, "note": "secret note"})
    with app.app_context():  # the patient shares with them, so only the second factor is missing
        db = get_db()
        invite = sharing_store.create_invite(db, user_id(patient), "full")
        sharing_store.redeem_invite(db, user_id(unenrolled), invite["code"])
    routes = provider_routes(app)
    assert {"/provider/", "/api/v1/patients", "/api/v1/patients/<row_id:patient_id>/entries",
            "/api/v1/invites/redeem"} <= {rule.rule for rule, _ in routes}
    for rule, method in routes:
        path = re.sub(r"<(?:[^:>]+:)?patient_id>", str(user_id(patient)), rule.rule)
        response = unenrolled.open(path, method=method, json={} if path.startswith("/api/") and method != "GET"
                                   else None, data=None if path.startswith("/api/") else {"code": "x"})
        if path.startswith("/api/"):
            assert response.status_code == 403, (method, path)
            assert response.get_json() == {"errors": TWO_FACTOR_ERROR}, (method, path)
        else:
            assert response.status_code == 302, (method, path)
            assert response.headers["Location"] == "/account/two-factor", (method, path)
        assert "secret note" not in response.get_data(as_text=True)
        assert "Pat" not in response.get_data(as_text=True)
    page = text(unenrolled.get("/account/two-factor"))
    assert "before you can see patient data" in page  # the flash says why


def test_after_enrolling_the_provider_sees_their_patients(unenrolled):
    assert unenrolled.get("/provider/").status_code == 302
    enrol_through_page(unenrolled)
    assert unenrolled.get("/provider/").status_code == 200
    assert unenrolled.get("/api/v1/patients").status_code == 200


def test_a_provider_still_reaches_their_account_and_me(unenrolled):
    assert unenrolled.get("/account").status_code == 200
    assert unenrolled.get("/api/v1/me").status_code == 200


def test_openapi_documents_the_two_factor_refusal(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    refusal = doc["paths"]["/api/v1/patients"]["get"]["responses"]["403"]
    assert "two-factor" in refusal["description"]
    assert "two-factor" not in doc["paths"]["/api/v1/entries"]["get"]["responses"]["403"]["description"]


# --- enrolment --------------------------------------------------------------------

def test_the_account_page_links_to_two_factor(patient, provider):
    for client in (patient, provider):
        assert 'href="/account/two-factor"' in client.get("/account").get_data(as_text=True)


def test_enrolment_shows_a_qr_code_and_the_uri_for_manual_entry(app, unenrolled):
    response = unenrolled.get("/account/two-factor")
    page = text(response)
    assert response.status_code == 200
    secret = shown_secret(page)
    assert len(secret) == 32
    assert "otpauth://totp/Symptom%20Diary:new-dr%40example.com?secret=" + secret in page
    assert "issuer=Symptom%20Diary" in page
    assert " ".join(secret[i:i + 4] for i in range(0, 32, 4)) in page  # grouped for typing
    assert re.search(r'<svg [^>]*class="qr"', page) and "<path" in page
    assert 'src="http' not in page and "url(" not in page  # nothing fetched from elsewhere
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # the CSP forbids inline style
    assert shown_secret(text(unenrolled.get("/account/two-factor"))) == secret  # a reload keeps it
    assert secret not in unenrolled.get_cookie(SESSION_COOKIE).value  # not readable from the cookie
    assert row(app, "new-dr@example.com")["secret"] is None  # nothing stored until confirmed


def test_a_wrong_confirmation_code_keeps_nothing(app, unenrolled):
    secret = shown_secret(text(unenrolled.get("/account/two-factor")))
    wrong = "000000" if current_code(secret) != "000000" else "111111"
    response = unenrolled.post("/account/two-factor/confirm", data={"code": wrong, "password": PASSWORD})
    assert response.status_code == 422
    assert "doesn't match" in text(response)
    account = row(app, "new-dr@example.com")
    assert account["secret"] is None and account["enabled_at"] is None
    assert recovery_rows(app, account["id"]) == []
    assert unenrolled.get("/provider/").status_code == 302


def test_confirming_needs_the_password_too(app, unenrolled):
    """A borrowed session can't lock the owner out with someone else's phone."""
    secret = shown_secret(text(unenrolled.get("/account/two-factor")))
    for password in (None, "not my password"):
        data = {"code": current_code(secret), **({"password": password} if password else {})}
        response = unenrolled.post("/account/two-factor/confirm", data=data)
        assert response.status_code == 422
        assert row(app, "new-dr@example.com")["secret"] is None


def test_confirming_stores_the_secret_and_shows_recovery_codes_once_hashed(app, unenrolled):
    secret, codes = enrol_through_page(unenrolled)
    account = row(app, "new-dr@example.com")
    assert account["secret"] == secret and account["enabled_at"]
    assert len(codes) == 10 == len(set(codes))
    stored = [h for h, _ in recovery_rows(app, account["id"])]
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    for code in codes:  # each code matches exactly one stored hash (of its normalised form)
        assert sum(verifies(h, code.replace("-", "")) for h in stored) == 1
    with app.app_context():
        dump = "\n".join(get_db().conn.iterdump())
    for code in codes:
        assert code not in dump and code.replace("-", "") not in dump
    assert not recovery_codes_in(unenrolled.get("/account/two-factor"))  # shown once
    assert "auth.mfa_enrolled" in audit_actions(app, account["id"])


def test_the_confirming_code_cannot_then_log_in(app, unenrolled):
    secret = shown_secret(text(unenrolled.get("/account/two-factor")))
    code = current_code(secret)
    unenrolled.post("/account/two-factor/confirm", data={"code": code, "password": PASSWORD})
    response = AuthActions(app.test_client()).login("new-dr@example.com", code=code)
    assert response.status_code == 422


# --- logging in -------------------------------------------------------------------

def test_logging_in_to_an_enrolled_account_needs_the_code(app, provider):
    client = app.test_client()
    response = AuthActions(client).login("dr@example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/login/two-factor"
    # The password alone opens nothing.
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/provider/").headers["Location"].startswith("/login")
    assert client.get("/api/v1/patients").status_code == 401
    page = text(client.get("/login/two-factor"))
    assert 'name="code"' in page and 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    response = client.post("/login/two-factor", data={"code": next_code(app, "dr@example.com")})
    assert response.status_code == 302 and response.headers["Location"] == "/provider/"
    assert client.get("/api/v1/me").get_json()["email"] == "dr@example.com"


def test_the_next_page_survives_the_second_step(app, provider):
    client = app.test_client()
    response = client.post("/login?next=/account", data={"email": "dr@example.com", "password": PASSWORD})
    assert response.headers["Location"] == "/login/two-factor"
    response = client.post("/login/two-factor", data={"code": next_code(app, "dr@example.com")})
    assert response.headers["Location"] == "/account"


def test_a_code_cannot_be_replayed_within_its_window(app, provider):
    code = next_code(app, "dr@example.com")
    first = AuthActions(app.test_client())
    assert first.login("dr@example.com", code=code).status_code == 302
    second = AuthActions(app.test_client())
    response = second.login("dr@example.com", code=code)
    assert response.status_code == 422
    assert "already used" in text(response)
    assert second.client.get("/api/v1/me").status_code == 401
    assert "auth.mfa_failed" in audit_actions(app, row(app, "dr@example.com")["id"])


def test_a_code_lives_for_its_own_step_and_the_one_after(app, provider):
    """At most 60 s from when the app first shows it (ASVS 5.0 6.5.5 asks 30; see SECURITY.md)."""
    totp = pyotp.TOTP(TOTP_SECRET)
    now = otp.clock()
    for too_late_or_early in (now - 60, now + 30):  # two steps ago; the next step's
        response = AuthActions(app.test_client()).login("dr@example.com",
                                                         code=totp.at(too_late_or_early))
        assert response.status_code == 422
        assert "isn't right" in text(response)
    response = AuthActions(app.test_client()).login("dr@example.com", code=totp.at(now - 30))
    assert response.status_code == 302
    response = AuthActions(app.test_client()).login("dr@example.com", code=totp.at(now - 30))
    assert response.status_code == 422  # once


@pytest.mark.parametrize("offset, accepted", [(-2, False), (-1, True), (0, True), (1, False), (2, False)])
def test_which_steps_a_code_is_accepted_for(offset, accepted):
    now = 1_800_000_000 + 17  # 17 s into a step
    step = otp.step_at(now)
    typed = otp.code_for_step(TOTP_SECRET, step + offset)
    assert otp.matching_step(TOTP_SECRET, typed, when=now) == (step + offset if accepted else None)


def test_a_previous_step_code_is_accepted_once(app, provider):
    now = 1_800_000_000 + 5
    step = otp.step_at(now)
    account = row(app, "dr@example.com")["id"]

    def code(offset):
        return otp.code_for_step(TOTP_SECRET, step + offset)

    with app.app_context():
        db = get_db()
        assert two_factor.check(db, account, code(+1), key=app.config["MFA_KEY"], when=now) is None
        assert two_factor.check(db, account, code(-2), key=app.config["MFA_KEY"], when=now) is None
        assert two_factor.check(db, account, code(-1), key=app.config["MFA_KEY"], when=now) == two_factor.TOTP
        assert two_factor.check(db, account, code(-1), key=app.config["MFA_KEY"], when=now) is None
        assert two_factor.was_replayed(db, account, code(-1), key=app.config["MFA_KEY"], when=now)
        assert two_factor.check(db, account, code(0), key=app.config["MFA_KEY"], when=now) == two_factor.TOTP


def test_a_recovery_code_works_once(app, unenrolled):
    _, codes = enrol_through_page(unenrolled)
    account = row(app, "new-dr@example.com")
    client = app.test_client()
    typed = codes[3].upper().replace("-", " ")  # case and separators don't matter
    response = AuthActions(client).login("new-dr@example.com", code=typed)
    assert response.status_code == 302 and client.get("/api/v1/me").status_code == 200
    assert "auth.recovery_code_used" in audit_actions(app, account["id"])
    assert sum(1 for _, used in recovery_rows(app, account["id"]) if used) == 1
    response = AuthActions(app.test_client()).login("new-dr@example.com", code=codes[3])
    assert response.status_code == 422
    assert "9 recovery codes left" in text(client.get("/account/two-factor"))


SAME_CODES = [f"aaaaa-{n:05d}" for n in range(10)]


def test_the_same_recovery_code_hashes_differently_for_two_accounts(app, patient, other_patient, monkeypatch):
    monkeypatch.setattr(otp, "new_recovery_codes", lambda count=otp.RECOVERY_CODES: list(SAME_CODES))
    accounts = [user_id(patient), user_id(other_patient)]
    for email in ("pat@example.com", "sam@example.com"):
        enrol(app, email)
    with app.app_context():
        db = get_db()
        for account in accounts:
            assert two_factor.new_recovery_codes(db, account) == SAME_CODES
        first, second = ({h for h, _ in recovery_rows(app, account)} for account in accounts)
        assert len(first) == len(second) == 10 and not first & second
        assert all(h.startswith("$argon2id$") for h in first | second)
        for account in accounts:  # and each account's code still works for that account
            assert two_factor.check(db, account, SAME_CODES[0].upper(), key=app.config["MFA_KEY"]) == two_factor.RECOVERY


def test_a_recovery_code_works_once_even_when_two_requests_race(app, patient, monkeypatch):
    """The row is marked used by a conditional UPDATE: a request that read it as unused just
    before another used it still can't use it again."""
    enrol(app, "pat@example.com")
    account = user_id(patient)
    with app.app_context():
        db = get_db()
        codes = two_factor.new_recovery_codes(db, account)
        # The second request read the unused codes before the first one marked its code used.
        stale = mfa_store.unused_recovery_codes(db, account)
        assert len(stale) == 10
        assert two_factor.check(db, account, codes[0], key=app.config["MFA_KEY"]) == two_factor.RECOVERY
        with monkeypatch.context() as patched:
            patched.setattr(mfa_store, "unused_recovery_codes", lambda db, user_id: stale)
            assert two_factor.check(db, account, codes[0], key=app.config["MFA_KEY"]) is None
        assert two_factor.check(db, account, codes[0], key=app.config["MFA_KEY"]) is None
        assert two_factor.check(db, account, "zzzzz-zzzzz", key=app.config["MFA_KEY"]) is None  # a wrong one
        assert two_factor.status(db, account)["recovery_codes_left"] == 9
        [code_id] = [i for i, h in stale if verifies(h, codes[1].replace("-", ""))]
        assert mfa_store.use_recovery_code(db, code_id) is True
        assert mfa_store.use_recovery_code(db, code_id) is False


def test_ten_wrong_codes_pause_the_second_step(app, provider):
    client = app.test_client()
    auth = AuthActions(client)
    auth.login("dr@example.com")
    right = next_code(app, "dr@example.com")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(10):
        assert client.post("/login/two-factor", data={"code": wrong}).status_code == 422
    response = client.post("/login/two-factor", data={"code": right})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many wrong codes" in text(response)
    assert client.get("/api/v1/me").status_code == 401
    # A new password login doesn't reset the count either.
    again = AuthActions(app.test_client())
    assert again.login("dr@example.com", code=right).status_code == 429


def test_the_pending_login_expires(app, provider):
    client = app.test_client()
    AuthActions(client).login("dr@example.com")
    with client.session_transaction() as session:
        session["pending_login"] = {**session["pending_login"], "until": time.time() - 1}
    response = client.post("/login/two-factor", data={"code": next_code(app, "dr@example.com")})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/login/two-factor").headers["Location"] == "/login"
    assert client.get("/provider/").status_code == 302


def test_the_second_step_without_a_password_goes_back_to_login(client):
    assert client.get("/login/two-factor").headers["Location"] == "/login"
    assert client.post("/login/two-factor", data={"code": "123456"}).headers["Location"] == "/login"


def test_a_password_change_voids_a_pending_login(app, provider):
    client = app.test_client()
    AuthActions(client).login("dr@example.com")
    with app.app_context():
        get_db().execute("UPDATE users SET session_version = session_version + 1 WHERE email = 'dr@example.com'")
    response = client.post("/login/two-factor", data={"code": next_code(app, "dr@example.com")})
    assert response.headers["Location"] == "/login"
    assert client.get("/api/v1/me").status_code == 401


# --- patients ---------------------------------------------------------------------

def test_a_patient_may_opt_in_then_needs_the_code(app, patient, auth):
    assert patient.get("/").status_code == 200  # no gate for patients
    enrol_through_page(patient, previous_step=True)
    auth.logout()
    response = auth.login()
    assert response.headers["Location"] == "/login/two-factor"
    assert patient.get("/api/v1/entries").status_code == 401
    response = patient.post("/login/two-factor", data={"code": next_code(app, "pat@example.com")})
    assert response.headers["Location"] == "/"
    assert patient.get("/api/v1/entries").status_code == 200


def test_a_patient_may_turn_it_off_with_password_and_code(app, patient, auth):
    enrol_through_page(patient, previous_step=True)
    response = patient.post("/account/two-factor/disable", data={"password": PASSWORD, "code": "000000"})
    assert response.status_code == 422 and row(app, "pat@example.com")["secret"]
    response = patient.post("/account/two-factor/disable",
                            data={"password": PASSWORD, "code": next_code(app, "pat@example.com")})
    assert response.status_code == 302
    assert row(app, "pat@example.com")["secret"] is None
    assert recovery_rows(app, row(app, "pat@example.com")["id"]) == []
    auth.logout()
    assert auth.login().headers["Location"] == "/"


def test_a_provider_cannot_turn_it_off(app, provider):
    response = provider.post("/account/two-factor/disable",
                             data={"password": PASSWORD, "code": next_code(app, "dr@example.com")})
    assert response.status_code == 403
    assert row(app, "dr@example.com")["secret"] == TOTP_SECRET
    assert "Turn off" not in text(provider.get("/account/two-factor"))


def test_enrolling_and_turning_off_end_the_other_sessions(app, patient, auth):
    elsewhere = app.test_client()
    AuthActions(elsewhere).login()
    assert elsewhere.get("/api/v1/me").status_code == 200
    _, codes = enrol_through_page(patient, previous_step=True)
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert patient.get("/api/v1/me").status_code == 200
    AuthActions(elsewhere).login(code=next_code(app, "pat@example.com"))
    assert elsewhere.get("/api/v1/me").status_code == 200
    response = patient.post("/account/two-factor/disable", data={"password": PASSWORD, "code": codes[0]})
    assert response.status_code == 302
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert patient.get("/api/v1/me").status_code == 200


# --- recovery codes and a new authenticator ----------------------------------------

def test_new_recovery_codes_replace_the_old(app, unenrolled):
    _, old = enrol_through_page(unenrolled)
    response = unenrolled.post("/account/two-factor/recovery-codes", data={"password": "wrong", "code": old[0]})
    assert response.status_code == 422
    response = unenrolled.post("/account/two-factor/recovery-codes", data={"password": PASSWORD, "code": old[0]})
    assert response.status_code == 200
    new = recovery_codes_in(response)
    assert len(new) == 10 and not set(new) & set(old)
    assert AuthActions(app.test_client()).login("new-dr@example.com", code=old[1]).status_code == 422
    assert AuthActions(app.test_client()).login("new-dr@example.com", code=new[0]).status_code == 302


def test_a_provider_can_move_to_a_new_authenticator(app, provider):
    response = provider.post("/account/two-factor/replace", data={"password": PASSWORD, "code": "000000"})
    assert response.status_code == 422
    response = provider.post("/account/two-factor/replace",
                             data={"password": PASSWORD, "code": next_code(app, "dr@example.com")})
    assert response.headers["Location"] == "/account/two-factor"
    new_secret = shown_secret(text(provider.get("/account/two-factor")))
    assert new_secret != TOTP_SECRET
    assert row(app, "dr@example.com")["secret"] == TOTP_SECRET  # the old one works until confirmed
    assert provider.get("/provider/").status_code == 200
    response = provider.post("/account/two-factor/confirm", data={"code": current_code(new_secret)})
    assert response.status_code == 200 and len(recovery_codes_in(response)) == 10
    assert row(app, "dr@example.com")["secret"] == new_secret
    # The old app's code for the next step, checked once that step has begun (the confirming
    # code used up the current one), is refused; the new app's is accepted.
    later = (otp.step_at() + 1) * otp.PERIOD + 1
    with app.app_context():
        db, account = get_db(), row(app, "dr@example.com")["id"]
        assert two_factor.check(db, account, pyotp.TOTP(TOTP_SECRET).at(later), key=app.config["MFA_KEY"], when=later) is None
        assert two_factor.check(db, account, pyotp.TOTP(new_secret).at(later), key=app.config["MFA_KEY"], when=later) == two_factor.TOTP


def test_confirm_without_a_pending_secret_is_refused(app, provider):
    response = provider.post("/account/two-factor/confirm", data={"code": next_code(app, "dr@example.com")})
    assert response.status_code in (302, 409)
    assert row(app, "dr@example.com")["secret"] == TOTP_SECRET


def test_deleting_the_account_forgets_the_secret_and_codes(app, patient):
    enrol_through_page(patient)
    account = row(app, "pat@example.com")
    patient.post("/account/delete", data={"password": PASSWORD, "confirmation": "delete"})
    with app.app_context():
        secret = get_db().execute("SELECT mfa_secret FROM users WHERE id = ?", [account["id"]]).fetchone()[0]
    assert secret is None and recovery_rows(app, account["id"]) == []


def test_the_known_secret_helper_is_honest(app, patient):
    """helpers.enrol + next_code never hand out a code the app has already accepted."""
    enrol(app, "pat@example.com")
    codes = set()
    for _ in range(2):
        client = AuthActions(app.test_client())
        code = next_code(app, "pat@example.com")
        assert code not in codes
        codes.add(code)
        assert client.login(code=code).status_code == 302


@pytest.mark.parametrize("typed", ["١٢٣٤٥٦", "¹²³⁴⁵⁶", "１２３４５６"])
def test_digits_from_other_scripts_are_a_wrong_code_not_an_error(app, typed):
    """str.isdigit() is true for these; hmac.compare_digest refuses non-ASCII (a 500 before)."""
    client = app.test_client()
    AuthActions(client).register(email="dr@example.com", role="provider", display_name="Dr")
    enrol(app, "dr@example.com")
    client.post("/logout")
    response = client.post("/login", data={"email": "dr@example.com", "password": PASSWORD})
    assert response.headers["Location"].startswith("/login/two-factor")
    assert client.post("/login/two-factor", data={"code": typed}).status_code == 422
    fresh = app.test_client()
    AuthActions(fresh).register(email="new@example.com", role="provider", display_name="New")
    fresh.get("/account/two-factor")
    response = fresh.post("/account/two-factor/confirm", data={"code": typed, "password": PASSWORD})
    assert response.status_code == 422


def test_a_copied_database_alone_does_not_give_the_second_factor(app, runner, tmp_path):
    """TOTP secrets are encrypted with a key kept outside the database (instance/mfa_key), so a
    backup or a stolen file can't generate codes; the app still logs in with them."""
    client = app.test_client()
    AuthActions(client).register(email="dr@example.com", role="provider", display_name="Dr. Lee")
    secret, _ = enrol_through_page(client)
    assert runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")]).exit_code == 0
    for path in (tmp_path / "copy.sqlite3", Path(app.config["DATABASE"])):
        data = path.read_bytes()
        assert secret.encode() not in data and grouped(secret).encode() not in data, path
    key = Path(app.instance_path) / "mfa_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    AuthActions(client).logout()
    assert AuthActions(client).login("dr@example.com", code=next_code(app, "dr@example.com")).status_code == 302


def test_a_secret_stored_before_encryption_still_works_and_is_sealed_on_use(app):
    client = app.test_client()
    AuthActions(client).register(email="dr@example.com", role="provider", display_name="Dr. Lee")
    with app.app_context():
        db = get_db()
        [user_id] = db.execute("SELECT id FROM users WHERE email = 'dr@example.com'").fetchone()
        # As migration m020 leaves a secret saved before MFA_KEY sealing: under the data key only.
        mfa_store.enable(db, user_id, TOTP_SECRET, None, [])
    AuthActions(client).logout()
    assert AuthActions(client).login("dr@example.com", code=current_code(TOTP_SECRET)).status_code == 302
    with app.app_context():
        stored = mfa_store.get_secret(get_db(), user_id)["secret"]
    assert stored.startswith(two_factor.SEALED) and TOTP_SECRET not in stored
