"""Weak passwords: the most common ones, blanks and repeats, and the user's own email."""
import configparser
import html
from pathlib import Path

import pytest
from helpers import PASSWORD, AuthActions

from diary.db import get_db
from diary.security import passwords

COMMON = "This is one of the most common passwords; choose another."
REPEATS = "Use more than one or two different characters."
BLANK = "A password can't be only spaces."
EMAIL = "Your password can't be or contain your email address."
EMAIL_NAME = "Your password can't contain your email name."


def page(response):
    return html.unescape(response.get_data(as_text=True))


def user_count(app):
    with app.app_context():
        return get_db().execute("SELECT count(*) FROM users").fetchone()[0]


# --- the rule itself ------------------------------------------------------------

@pytest.mark.parametrize("password, email, message", [
    ("password", "pat@example.com", COMMON),
    ("PassWord", "pat@example.com", COMMON),  # case doesn't make it uncommon
    ("12345678", "pat@example.com", COMMON),
    ("qwertyuiop", None, COMMON),
    ("iloveyou", None, COMMON),
    (" password ", None, COMMON),  # nor do spaces around it
    (" " * 8, None, BLANK),
    ("\t \n \t \n", None, BLANK),
    ("aaaaaaaa", None, REPEATS),
    ("AaAaAaAa", None, REPEATS),
    ("abababababab", None, REPEATS),
    ("x" * 128, None, REPEATS),
    ("Nina.Rossi@Example.com", "nina.rossi@example.com", EMAIL),
    ("my nina.rossi@example.com!", "nina.rossi@example.com", EMAIL),
    ("nina.rossi", "nina.rossi@example.com", EMAIL_NAME),
    ("NINA.ROSSI1990", "nina.rossi@example.com", EMAIL_NAME),
    ("i am nina.rossi, hi", "nina.rossi@example.com", EMAIL_NAME),
    ("nina2024", "Nina@example.com", EMAIL_NAME),
    # A local part too short to forbid in every password is still refused on its own:
    ("jo@example.com", "jo@example.com", EMAIL),
    ("Pat", "pat@example.com", EMAIL_NAME),
])
def test_weak_passwords_are_named(password, email, message):
    assert passwords.weakness(password, email) == message


@pytest.mark.parametrize("password", ["symptomdiary", "Symptom Diary 2026", "my-symptom-diary!", "symptom_diary1"])
def test_the_apps_own_name_is_refused(password):
    """ASVS 5.0 6.1.2/6.2.11: the documented context-specific words (passwords.CONTEXT_WORDS)."""
    assert passwords.weakness(password, "nina@example.com") == passwords.CONTEXT


@pytest.mark.parametrize("password, email", [
    ("correct horse battery staple", "pat@example.com"),
    (PASSWORD, "pat@example.com"),
    ("a brand new passphrase", None),
    ("tr0ub4dor&3 but longer", "nina.rossi@example.com"),
    # Short local parts ("pat", "jo", "bob") appear inside ordinary words; containing them is fine.
    ("patience is a virtue", "pat@example.com"),
    ("enjoy the long walk", "jo@example.com"),
    ("a bobbin of thread", "bob@example.com"),
    ("rossi nina", "nina.rossi@example.com"),  # the name, not the local part
    ("abcabcabc", None),  # three different characters: unremarkable but not refused here
])
def test_reasonable_passwords_pass(password, email):
    assert passwords.weakness(password, email) is None


def test_the_shipped_list_is_the_10000_most_common():
    common = passwords.common_passwords()
    assert isinstance(common, frozenset)
    assert len(common) == 10_000
    assert {"123456", "password", "12345678", "qwerty", "iloveyou"} <= common
    assert all(word == word.lower() and word.strip() == word and word for word in common)
    assert passwords.common_passwords() is common  # read once


def test_the_list_says_where_it_came_from_and_ships_with_the_package():
    data = Path(passwords.__file__).parents[1] / "data" / "common-passwords.txt"
    lines = data.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any("zxcvbn" in line for line in header) and any("MIT" in line for line in header)
    assert any("make-common-passwords" in line for line in header)
    setup = configparser.ConfigParser()
    setup.read(Path(__file__).parents[1] / "setup.cfg")
    assert "data/common-passwords.txt" in setup["options.package_data"]["diary"]


def test_demo_and_fixture_passwords_are_not_weak():
    from diary.commands import demo
    for account in (demo.PATIENT, demo.PROVIDER):
        assert passwords.weakness(account["password"], account["email"]) is None
    assert passwords.weakness(PASSWORD, "pat@example.com") is None


# --- where it is enforced -------------------------------------------------------

REGISTER = {"email": "nina.rossi@example.com", "role": "patient", "display_name": "Nina",
            "timezone": "Europe/Rome"}


@pytest.mark.parametrize("password, message", [
    ("password", COMMON),
    ("12345678", COMMON),
    (" " * 8, BLANK),
    ("nina.rossi@example.com", EMAIL),
    ("nina.rossi2025", EMAIL_NAME),
])
def test_register_refuses_weak_password(client, app, password, message):
    response = client.post("/register", data={**REGISTER, "password": password})
    assert response.status_code == 422
    body = page(response)
    assert f'id="password-error">{message}' in body
    assert 'value="nina.rossi@example.com"' in body  # the rest is kept for the next try
    assert user_count(app) == 0


def test_register_reports_a_weak_password_alongside_other_errors(client, app):
    response = client.post("/register",
                           data={**REGISTER, "display_name": " ", "password": "password"})
    body = page(response)
    assert response.status_code == 422
    assert f'id="password-error">{COMMON}' in body
    assert 'id="display_name-error">' in body


def test_register_with_a_bad_email_still_checks_the_list(client, app):
    response = client.post("/register", data={**REGISTER, "email": "nina", "password": "password"})
    body = page(response)
    assert 'id="email-error">Not a valid email address.' in body
    assert f'id="password-error">{COMMON}' in body


def test_register_welcomes_a_long_passphrase(client, app):
    passphrase = "correct horse battery staple"
    response = client.post("/register", data={**REGISTER, "password": passphrase})
    assert response.status_code == 302
    assert user_count(app) == 1


def change_password(client, new):
    return client.post("/account", data={
        "current_password": PASSWORD, "new_password": new, "confirm_password": new,
    })


@pytest.mark.parametrize("new, message", [
    ("password", COMMON),
    ("Password1", COMMON),
    ("aaaaaaaa", REPEATS),
    ("pat@example.com", EMAIL),  # the logged-in user's own email
])
def test_password_change_refuses_weak_password(app, patient, new, message):
    response = change_password(patient, new)
    assert response.status_code == 422
    assert f'id="new_password-error">{message}' in page(response)
    patient.post("/logout")
    assert AuthActions(patient).login(password=PASSWORD).status_code == 302  # unchanged


def test_password_change_checks_the_users_own_email_name(app, client, auth):
    auth.register(email="nina.rossi@example.com")
    response = change_password(client, "Nina.Rossi-2025")
    assert response.status_code == 422
    assert f'id="new_password-error">{EMAIL_NAME}' in page(response)
    assert change_password(client, "ninety nine red balloons").status_code == 302


@pytest.mark.parametrize("password, message", [("12345678", COMMON), ("nina.rossi!!", EMAIL_NAME)])
def test_create_user_refuses_weak_password(runner, app, password, message):
    result = runner.invoke(args=["create-user", "--email", "nina.rossi@example.com",
                                 "--role", "provider", "--display-name", "Dr. Rossi"],
                           input=f"{password}\n{password}\n")
    assert result.exit_code == 2
    assert f"password: {message}" in result.output
    assert user_count(app) == 0
