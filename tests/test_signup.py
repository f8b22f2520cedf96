"""Who may open a clinician's account (DIARY_PROVIDER_SIGNUP): by default only someone the clinic
invited (`flask invite-provider EMAIL`, a single-use link for that e-mail, expiring); "closed"
leaves only `flask create-user`; "open" is what `make run` uses so a newcomer can try both roles.
Patients register freely under every policy."""
import re

import pytest
from helpers import PASSWORD

from diary.db import get_db


def form(email="dr@example.com", role="provider", **extra):
    return {"email": email, "password": PASSWORD, "role": role, "display_name": "Dr. Lee",
            "timezone": "Europe/London", **extra}


def accounts(app, role="provider"):
    with app.app_context():
        return [row[0] for row in get_db().execute("SELECT email FROM users WHERE role = ?", [role])]


def invite(runner, email="dr@example.com", *args):
    result = runner.invoke(args=["invite-provider", email, *args])
    assert result.exit_code == 0, result.output
    [link] = re.findall(r"https?://\S+/register\?invitation=(\S+)", result.output)
    return link


@pytest.fixture
def policy(app, request):
    app.config["PROVIDER_SIGNUP"] = request.param
    return request.param


@pytest.mark.parametrize("policy", ["invite", "closed"], indirect=True)
def test_without_an_invitation_nobody_becomes_a_clinician(app, client, policy):
    response = client.post("/register", data=form())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("invitation from the clinic" if policy == "invite" else "administrator") in page
    assert accounts(app) == []
    assert client.post("/register", data=form("pat@example.com", role="patient")).status_code == 302


@pytest.mark.parametrize("policy", ["invite"], indirect=True)
def test_an_invited_clinician_registers_once_with_the_invited_email(app, client, runner, policy):
    token = invite(runner, "DR@example.com")
    page = client.get(f"/register?invitation={token}").get_data(as_text=True)
    assert f'name="invitation" value="{token}"' in page and 'value="provider" checked' in page
    assert client.post("/register", data=form("someone.else@example.com", invitation=token)).status_code == 422
    response = client.post("/register", data=form(invitation=token))
    assert response.status_code == 302 and accounts(app) == ["dr@example.com"]
    assert client.get("/provider/").headers["Location"].startswith("/account/two-factor")  # two-factor first
    other = app.test_client()
    again = other.post("/register", data=form("dr2@example.com", invitation=token))
    assert again.status_code == 422 and accounts(app) == ["dr@example.com"]  # used up
    with app.app_context():
        [(stored, used_by)] = get_db().execute("SELECT token_hash, used_by FROM provider_invitations").fetchall()
    assert token not in stored and used_by is not None  # only its hash is kept


@pytest.mark.parametrize("policy", ["invite"], indirect=True)
def test_an_expired_invitation_opens_nothing(app, client, runner, policy):
    token = invite(runner)
    with app.app_context():
        get_db().execute("UPDATE provider_invitations SET expires_at = '2000-01-01T00:00:00.000Z'")
    assert client.post("/register", data=form(invitation=token)).status_code == 422
    assert accounts(app) == []


@pytest.mark.parametrize("policy", ["closed"], indirect=True)
def test_closed_means_only_the_administrator_opens_clinicians_accounts(app, client, runner, policy):
    token = invite(runner)
    assert client.post("/register", data=form(invitation=token)).status_code == 422
    assert accounts(app) == []


def test_an_unset_policy_means_invitations(monkeypatch, tmp_path):
    from diary.config import from_environment
    monkeypatch.delenv("DIARY_PROVIDER_SIGNUP", raising=False)
    assert from_environment(tmp_path)["PROVIDER_SIGNUP"] == "invite"
