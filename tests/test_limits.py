"""Rate limits on guessing: share codes, logins, registrations (per account, per address, global)."""
import html
import math
import re
import threading

import pytest
from helpers import PASSWORD, AuthActions, DiaryClient, enrol, errors_of

from diary import create_app
from diary.db import close_db, get_db, migrate
from diary.security import passwords
from diary.store import sharing as sharing_store

FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1}


def from_address(app, address):
    """A separate browser whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def provider_at(app, address, n):
    """A provider (two-factor on) whose requests come from ``address``."""
    client = from_address(app, address)
    email = f"dr{n}.{address}@example.com"
    AuthActions(client).register(email=email, role="provider", display_name=f"Dr {n}")
    enrol(app, email)
    return client


def wrong_code(client):
    return client.post("/api/v1/invites/redeem", json={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})


def page(response):
    return html.unescape(response.get_data(as_text=True))


# --- share codes --------------------------------------------------------------------------

def test_share_codes_carry_at_least_60_bits_and_read_aloud_in_groups_of_four(patient):
    code = patient.post("/api/v1/invites", json={"scope": "full"}).get_json()["code"]
    assert set(code) <= set(sharing_store.CODE_ALPHABET)
    assert len(code) * math.log2(len(sharing_store.CODE_ALPHABET)) >= 60
    shown = "-".join(code[i:i + 4] for i in range(0, len(code), 4))
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", shown)
    assert shown in patient.get("/care-team").get_data(as_text=True)


def test_a_share_code_typed_in_lower_case_with_spaces_still_works(patient, provider):
    code = patient.post("/api/v1/invites", json={"scope": "full"}).get_json()["code"]
    typed = " ".join(code.lower().split("-"))
    assert provider.post("/api/v1/invites/redeem", json={"code": typed}).status_code == 200


def test_new_provider_accounts_from_one_address_share_its_limit_on_wrong_codes(app):
    """The review's attack: three fresh provider accounts tried 30 codes; the address stops them at 20."""
    tried = 0
    for n in range(3):
        doctor = provider_at(app, "203.0.113.7", n)
        for _ in range(10):
            response = wrong_code(doctor)
            if response.status_code == 429:
                break
            assert response.status_code == 422
            tried += 1
    assert tried == 20
    assert errors_of(response, 429, "code")
    assert int(response.headers["Retry-After"]) > 0
    elsewhere = provider_at(app, "198.51.100.4", 9)
    assert wrong_code(elsewhere).status_code == 422  # another address is not blocked by this one


def test_wrong_codes_from_many_addresses_meet_the_global_limit(app):
    app.config["RATE_LIMITS"] = {**app.config["RATE_LIMITS"], "redeem_global": (25, 3600)}
    statuses = []
    for n in range(4):  # 4 addresses × 2 providers × up to 10 codes, but only 25 in all
        for m in range(2):
            doctor = provider_at(app, f"192.0.2.{n + 1}", m)
            statuses += [wrong_code(doctor).status_code for _ in range(5)]
    assert statuses.count(422) == 25 and set(statuses[25:]) == {429}


def test_a_right_code_never_counts_against_anyone(app, patient):
    doctor = provider_at(app, "203.0.113.8", 0)
    for _ in range(25):
        code = patient.post("/api/v1/invites", json={"scope": "full"}).get_json()["code"]
        assert doctor.post("/api/v1/invites/redeem", json={"code": code}).status_code == 200
    assert wrong_code(doctor).status_code == 422


def test_the_limits_are_shared_by_every_worker(app, tmp_path):
    """Two app instances (two gunicorn workers) on one database count into the same limit."""
    second = create_app({"TESTING": True, "DATABASE": app.config["DATABASE"], "PROVIDER_SIGNUP": "open", **FAST_HASHING})
    second.test_client_class = DiaryClient
    doctors = [provider_at(app, "203.0.113.9", 0), provider_at(second, "203.0.113.9", 1),
               provider_at(app, "203.0.113.9", 2)]
    for n in range(20):  # 7 + 7 + 6: no account reaches its own limit of 10
        assert wrong_code(doctors[n % 3]).status_code == 422
    assert [wrong_code(doctor).status_code for doctor in doctors] == [429] * 3
    close_db(app.config["DATABASE"])


def test_per_address_limits_can_be_turned_off_but_the_per_account_limit_stays(tmp_path, monkeypatch):
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DIARY_LIMITS_PER_ADDRESS", "0")
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "nat.sqlite3"), "PROVIDER_SIGNUP": "open", **FAST_HASHING})
    app.test_client_class = DiaryClient
    with app.app_context():
        migrate(get_db())
    for n in range(3):
        doctor = provider_at(app, "203.0.113.10", n)
        assert [wrong_code(doctor).status_code for _ in range(11)] == [422] * 10 + [429]
    close_db(app.config["DATABASE"])


# --- logins ---------------------------------------------------------------------------------

def login(client, email, password="wrong password"):
    return client.post("/login", data={"email": email, "password": password})


def test_an_unknown_email_is_throttled_exactly_like_a_known_one(app, client, auth):
    auth.register(email="known@example.com")
    auth.logout()
    answers = {}
    for email in ("known@example.com", "nobody@example.com"):
        responses = [login(client, email) for _ in range(11)]
        answers[email] = [(r.status_code, r.headers.get("Retry-After") is not None,
                           re.findall(r'class="field-error"[^>]*>([^<]+)<', page(r))) for r in responses]
    assert answers["known@example.com"] == answers["nobody@example.com"]
    assert [status for status, _, _ in answers["nobody@example.com"]] == [422] * 10 + [429]


def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(app, auth, monkeypatch):
    auth.register(email="target@example.com")
    checks = []
    real_verify = passwords.verify_password

    def counting_verify(password_hash, password):
        checks.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting_verify)
    start = threading.Barrier(13)
    statuses = []

    def attack():
        client = app.test_client()
        start.wait()
        for _ in range(3):
            statuses.append(login(client, "target@example.com").status_code)

    threads = [threading.Thread(target=attack) for _ in range(13)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 39
    assert len(checks) <= 10
    assert statuses.count(422) == len(checks) and statuses.count(429) == 39 - len(checks)


def test_one_address_trying_many_accounts_is_stopped(app):
    attacker = from_address(app, "203.0.113.20")
    statuses = [login(attacker, f"user{n}@example.com").status_code for n in range(101)]
    assert statuses == [422] * 100 + [429]
    assert login(from_address(app, "198.51.100.20"), "user1@example.com").status_code == 422


def test_the_right_password_does_not_use_up_the_limit(app, client, auth):
    auth.register()
    auth.logout()
    for _ in range(12):
        assert auth.login().status_code == 302
        auth.logout()


# --- registration ---------------------------------------------------------------------------

def register(client, n):
    return client.post("/register", data={
        "email": f"patient{n}@example.com", "password": PASSWORD, "role": "patient",
        "display_name": f"Patient {n}", "timezone": "Europe/London"})


def test_a_front_desk_registers_thirty_patients_an_hour_from_one_address(app):
    desk = from_address(app, "203.0.113.30")
    for n in range(30):
        assert register(desk, n).status_code == 302
        desk.post("/logout")


def test_registrations_from_one_address_are_limited(app):
    desk = from_address(app, "203.0.113.31")
    statuses = []
    for n in range(51):
        statuses.append(register(desk, n).status_code)
        desk.post("/logout")
    assert statuses == [302] * 50 + [429]
    response = register(desk, 99)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Too many new accounts" in page(response)
    assert register(from_address(app, "198.51.100.31"), 99).status_code == 302


def test_probing_for_existing_emails_counts_as_registering(app, auth):
    auth.register(email="someone@example.com")
    prober = from_address(app, "203.0.113.32")
    data = {"email": "someone@example.com", "password": PASSWORD, "role": "patient",
            "display_name": "X", "timezone": "Europe/London"}
    statuses = [prober.post("/register", data=data).status_code for _ in range(51)]
    assert statuses == [422] * 50 + [429]


@pytest.mark.parametrize("setting", ["0", "off"])
def test_the_registration_limit_follows_the_per_address_switch(tmp_path, monkeypatch, setting):
    monkeypatch.setenv("DIARY_LIMITS_PER_ADDRESS", setting)
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "desk.sqlite3"), "PROVIDER_SIGNUP": "open", **FAST_HASHING})
    assert app.config["LIMITS_PER_ADDRESS"] is False


def test_behind_a_proxy_the_limits_count_the_forwarded_client(tmp_path, monkeypatch):
    monkeypatch.setenv("DIARY_PROXY_HOPS", "1")
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "proxied.sqlite3"), "PROVIDER_SIGNUP": "open", **FAST_HASHING})
    app.test_client_class = DiaryClient
    with app.app_context():
        migrate(get_db())
    proxy = from_address(app, "10.0.0.2")
    statuses = [proxy.post("/login", data={"email": f"u{n}@example.com", "password": "wrong password"},
                           headers={"X-Forwarded-For": "203.0.113.40"}).status_code for n in range(101)]
    assert statuses[-1] == 429
    other_client = proxy.post("/login", data={"email": "u1@example.com", "password": "wrong password"},
                              headers={"X-Forwarded-For": "203.0.113.41"})
    assert other_client.status_code == 422  # same proxy, another client: not blocked
    close_db(app.config["DATABASE"])


def test_a_proxy_count_that_is_not_a_number_is_refused_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("DIARY_PROXY_HOPS", "yes")
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(ValueError, match="DIARY_PROXY_HOPS must be a whole number"):
        create_app({"TESTING": True, "DATABASE": str(tmp_path / "x.sqlite3")})


# --- review findings ----------------------------------------------------------------------------

def test_a_limit_of_zero_closes_the_door_without_an_error(app, client):
    app.config["RATE_LIMITS"] = {"register_global": (0, 3600)}
    response = register(client, 1)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_an_ipv6_client_counts_as_its_whole_64_block(app):
    """One IPv6 client holds a /64: rotating addresses inside it doesn't buy more attempts."""
    statuses = [login(from_address(app, f"2001:db8:1:2::{n:x}"), f"u{n}@example.com").status_code
                for n in range(101)]
    assert statuses == [422] * 100 + [429]
    assert login(from_address(app, "2001:db8:1:3::1"), "u1@example.com").status_code == 422


def test_buckets_name_no_one_in_a_guessable_way(app, client, auth):
    import hashlib
    login(client, "someone@example.com")
    with app.app_context():
        buckets = [row[0] for row in get_db().execute("SELECT bucket FROM limit_hits")]
    plain = hashlib.sha256(b"someone@example.com").hexdigest()[:32]
    assert buckets and all(plain not in bucket and "someone" not in bucket for bucket in buckets)


def test_a_hundred_wrong_codes_lock_the_second_step_for_a_month(app, auth):
    """NIST SP 800-63B caps failed attempts at 100: ten every 15 minutes would be 960 a day."""
    from helpers import enrol, next_code
    auth.register(email="dr@example.com", role="provider", display_name="Dr")
    enrol(app, "dr@example.com")
    auth.logout()
    for window in range(10):
        for _ in range(10):
            response = auth.login("dr@example.com", code="000000")
            assert response.status_code == 422, (window, response.status_code)
        with app.app_context():  # the next quarter hour
            get_db().execute("UPDATE limit_hits SET at = at - 15 * 60 - 1")
    response = auth.login("dr@example.com", code=next_code(app, "dr@example.com"))
    assert response.status_code == 429  # even the right code, until an administrator resets it
    assert "Wait" in page(response)
    with app.app_context():  # two days later: still shut
        get_db().execute("UPDATE limit_hits SET at = at - 2 * 24 * 3600")
    assert auth.login("dr@example.com", code=next_code(app, "dr@example.com")).status_code == 429
    assert app.test_cli_runner().invoke(args=["reset-two-factor", "dr@example.com"]).exit_code == 0
    enrol(app, "dr@example.com")
    assert auth.login("dr@example.com", code=next_code(app, "dr@example.com")).status_code == 302


@pytest.mark.parametrize("seconds, said", [(1, "1 minute"), (899, "15 minutes"), (7200, "2 hours"),
                                           (3 * 3600 + 1, "4 hours"), (30 * 86400, "30 days")])
def test_a_wait_is_said_in_units_people_use(seconds, said):
    from diary.services.limits import Throttled
    assert Throttled(seconds).wait == said
