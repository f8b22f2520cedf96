"""Providers see a patient only while that patient shares with them, and never what is private.

The routes come from app.url_map (and the API's operation registry), so a provider route
added later (an export, say) is checked here without anyone remembering to list it.
"""
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from helpers import errors_of, new_user, share, user_id

from diary.db import get_db
from diary.timeutil import short_date
from diary.web.api import operation

NAME = "Zephyrine Quillfeather"  # distinctive: "Pat" would match "Patients" in the nav
NOTE = "quokka shared note"
TRIGGER = "quokka-trigger"
REFLECTION = "quokka shared reflection"
PRIVATE_NOTE = "marmoset private note"
PRIVATE_TRIGGER = "marmoset-trigger"
PRIVATE_REFLECTION = "marmoset private reflection"
PRIVATE_TREATMENT = "esketamine_nasal"  # only the private session has it...
PRIVATE_TREATMENT_LABEL = "Esketamine nasal spray"  # ...so its label must never show
PATIENT_SECRETS = (NAME, NOTE, TRIGGER, REFLECTION)
PRIVATE_MARKERS = (PRIVATE_NOTE, PRIVATE_TRIGGER, PRIVATE_REFLECTION, PRIVATE_TREATMENT, PRIVATE_TREATMENT_LABEL)
KNOWN_PATIENT_ROUTES = {
    "/provider/patients/<row_id:patient_id>",
    "/api/v1/patients/<row_id:patient_id>/trends",
    "/api/v1/patients/<row_id:patient_id>/entries",
}


def today():
    """'Today' for the test patients, who live in Europe/London."""
    return dt.datetime.now(ZoneInfo("Europe/London")).date()


def days_ago(n):
    return (today() - dt.timedelta(days=n)).isoformat()


@pytest.fixture
def victim(app):
    """A patient with a distinctive name, one shared check-in and one shared session."""
    client = new_user(app, "zq@example.com", NAME)
    entry = client.post("/api/v1/entries", json={"date": today().isoformat(), "anxiety": 4,
                                                 "triggers": [TRIGGER], "note": NOTE})
    assert entry.status_code == 201
    session = client.post("/api/v1/sessions", json={"date": days_ago(2), "treatment": "iv_ketamine",
                                                     "anxiety_before": 7, "anxiety_after": 3,
                                                     "reflection": REFLECTION})
    assert session.status_code == 201
    return {"client": client, "id": user_id(client)}


def fill(rule, patient_id):
    path = re.sub(r"<(?:[^:>]+:)?patient_id>", str(patient_id), rule.rule)
    assert "<" not in path, f"{rule}: teach test_provider_access what {rule.arguments - {'patient_id'}} means"
    return path


def served(method, path):
    """What a sharing provider gets: reads 200; writes (acknowledging a safety flag) 204 or a redirect;
    setting the questionnaire schedule with no body, 415 (the API: not JSON) or 422 (the form: no cadence)."""
    if path.endswith("/questionnaire-schedule") and method in ("POST", "PUT"):
        return 415 if path.startswith("/api/") else 422
    return 200 if method == "GET" else 204 if path.startswith("/api/") else 302


def patient_routes(app):
    """(rule, method) for every route that names a patient."""
    return [(rule, method) for rule in app.url_map.iter_rules() if "patient_id" in rule.arguments
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def provider_api_endpoints():
    return {f"api.{op.endpoint}" for op in operation.operations if op.role == "provider"}


def provider_routes(app):
    """(rule, method) for everything under /provider/ and every API operation for providers."""
    endpoints = provider_api_endpoints()
    return [(rule, method) for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/provider/") or rule.endpoint in endpoints
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def provider_reads(app, patient_id):
    """Every GET a provider can make, filled in, plus the query variants that widen what is read."""
    paths = [fill(rule, patient_id) for rule, method in provider_routes(app) if method == "GET"]
    return paths + [f"/api/v1/patients/{patient_id}/trends?days=all",
                    f"/api/v1/patients/{patient_id}/trends?range=all",
                    f"/provider/patients/{patient_id}?range=all",
                    f"/api/v1/patients/{patient_id}/entries?limit=500",
                    f"/api/v1/patients/{patient_id}/entries?trigger_id=1",
                    f"/api/v1/patients/{patient_id}/entries?trigger_id=2",
                    "/provider/?sort=name"]


def assert_no_leak(response, markers, what):
    body = response.get_data(as_text=True)
    for marker in markers:
        assert marker not in body, f"{what} leaked {marker!r}"


def test_the_patient_route_list_is_generated_and_complete(app):
    rules = {rule.rule for rule, _ in patient_routes(app)}
    assert KNOWN_PATIENT_ROUTES <= rules
    assert {"/provider/", "/provider/redeem", "/api/v1/patients", "/api/v1/invites/redeem"} <= {
        rule.rule for rule, _ in provider_routes(app)}


# --- who gets 404 ---------------------------------------------------------------

def no_share(app, victim, provider):
    return provider


def revoked(app, victim, provider):
    share(victim["client"], provider)
    assert victim["client"].delete(f"/api/v1/care-team/{user_id(provider)}").status_code == 204
    return provider


def expired(app, victim, provider):
    code = victim["client"].post("/api/v1/invites", json={"scope": "full"}).get_json()["code"]
    with app.app_context():
        get_db().execute("UPDATE invites SET expires_at = ? WHERE code = ?",
                         ["2020-01-01T00:00:00.000Z", code])
    errors = errors_of(provider.post("/api/v1/invites/redeem", json={"code": code}), 422, "code")
    assert "expired" in errors["code"][0]
    return provider


def different_provider(app, victim, provider):
    share(victim["client"], provider)
    other = new_user(app, "other-dr@example.com", "Dr. Other", role="provider")
    share(new_user(app, "someone@example.com", "Someone Else"), other)  # a provider with patients of their own
    return other


OUTSIDERS = {"no share": no_share, "revoked share": revoked, "expired code": expired,
             "different provider": different_provider}


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_on_every_patient_route(app, victim, provider, outsider):
    client = OUTSIDERS[outsider](app, victim, provider)
    for rule, method in patient_routes(app):
        path = fill(rule, victim["id"])
        response = client.open(path, method=method)
        assert response.status_code == 404, f"{outsider}: {method} {path} answered {response.status_code}"
        assert_no_leak(response, PATIENT_SECRETS, f"{outsider}: {method} {path}")
    assert victim["id"] not in {p["id"] for p in client.get("/api/v1/patients").get_json()["patients"]}
    assert_no_leak(client.get("/provider/"), PATIENT_SECRETS, f"{outsider}: the dashboard")


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_on_patients_that_do_not_exist_either(app, victim, provider, outsider):
    """Same answer for a missing patient as for one not shared: nothing to tell them apart."""
    client = OUTSIDERS[outsider](app, victim, provider)
    client.get("/provider/")  # shows any pending flash message, so it can't differ below
    for rule, method in patient_routes(app):
        missing = client.open(fill(rule, 999999), method=method)
        hidden = client.open(fill(rule, victim["id"]), method=method)
        assert missing.status_code == hidden.status_code == 404
        assert without_csrf_token(missing.get_data()) == without_csrf_token(hidden.get_data())


@pytest.mark.parametrize("method, path, kwargs", [
    ("GET", "trends?days=0", {}),
    ("GET", "entries?limit=0&from=never", {}),
    ("POST", "safety/acknowledge", {"data": "{not json", "content_type": "application/json"}),
    ("POST", "safety/acknowledge", {"data": "x", "content_type": "text/plain"}),
    ("POST", "safety/acknowledge", {"json": {"through": "yesterday"}}),
])
def test_outsiders_get_404_before_the_query_or_body_is_read(victim, provider, method, path, kwargs):
    response = provider.open(f"/api/v1/patients/{victim['id']}/{path}", method=method, **kwargs)
    errors_of(response, 404, "patient_id")


def without_csrf_token(body):
    """The page without its CSRF tokens (the <meta> tag and the hidden form fields, e.g. the
    header's log-out form), which are signed with the second they were made: two requests either
    side of a second boundary differ there, and only there."""
    return re.sub(rb'(<meta name="csrf-token" content=|<input type="hidden" name="csrf_token" value=)"[^"]*"',
                  rb"\1\"<token>\"", body)


def test_the_sharing_provider_is_served_on_every_patient_route(app, victim, provider):
    share(victim["client"], provider)
    for rule, method in patient_routes(app):
        path = fill(rule, victim["id"])
        response = provider.open(path, method=method)
        assert response.status_code == served(method, path), f"{method} {path} answered {response.status_code}"


# --- revocation is immediate -----------------------------------------------------

def revoke_by_api(victim, provider_id):
    assert victim["client"].delete(f"/api/v1/care-team/{provider_id}").status_code == 204


def revoke_by_form(victim, provider_id):
    assert victim["client"].post(f"/care-team/providers/{provider_id}/revoke").status_code == 302


@pytest.mark.parametrize("revoke", [revoke_by_api, revoke_by_form], ids=["api", "form"])
def test_revocation_takes_effect_on_the_very_next_request(app, victim, provider, revoke):
    provider_id = user_id(provider)
    for rule, method in patient_routes(app):
        path = fill(rule, victim["id"])
        share(victim["client"], provider)
        assert provider.open(path, method=method).status_code == served(method, path)
        revoke(victim, provider_id)
        response = provider.open(path, method=method)
        assert response.status_code == 404, f"{method} {path} after revocation: {response.status_code}"
        assert_no_leak(response, PATIENT_SECRETS, f"{method} {path} after revocation")


@pytest.mark.parametrize("revoke", [revoke_by_api, revoke_by_form], ids=["api", "form"])
def test_revoked_patient_disappears_from_the_lists(victim, provider, revoke):
    share(victim["client"], provider)
    assert [p["id"] for p in provider.get("/api/v1/patients").get_json()["patients"]] == [victim["id"]]
    assert NAME in provider.get("/provider/").get_data(as_text=True)
    revoke(victim, user_id(provider))
    assert provider.get("/api/v1/patients").get_json()["patients"] == []
    assert_no_leak(provider.get("/provider/"), PATIENT_SECRETS, "the dashboard after revocation")
    assert victim["client"].get("/api/v1/care-team").get_json()["providers"] == []


# --- patients can't use provider routes ------------------------------------------

def test_patients_get_403_on_every_provider_route(app, victim, other_patient):
    own_id = user_id(other_patient)
    code = victim["client"].post("/api/v1/invites", json={"scope": "full"}).get_json()["code"]
    routes = provider_routes(app)
    assert len([r for r in routes if r[0].endpoint.startswith("api.")]) == len(provider_api_endpoints()) >= 4
    for rule, method in routes:
        for patient_id in (victim["id"], own_id):
            path = fill(rule, patient_id) if "patient_id" in rule.arguments else rule.rule
            kwargs = {"json": {"code": code}} if path.startswith("/api/") else {"data": {"code": code}}
            response = other_patient.open(path, method=method, **kwargs)
            assert response.status_code == 403, f"{method} {path} answered {response.status_code}"
            assert_no_leak(response, PATIENT_SECRETS, f"patient on {method} {path}")
    assert other_patient.get("/api/v1/care-team").get_json()["providers"] == []
    assert victim["client"].get("/api/v1/care-team").get_json()["providers"] == []
    with app.app_context():
        assert get_db().execute("SELECT count(*) FROM shares").fetchone()[0] == 0


# --- private entries and sessions ------------------------------------------------

@pytest.fixture
def private_diary(victim):
    """Next to the victim's shared data: private check-ins and a private session, all marked."""
    client = victim["client"]
    private = [
        client.post("/api/v1/entries", json={"date": today().isoformat(), "anxiety": 10, "private": True,
                                             "triggers": [PRIVATE_TRIGGER], "note": PRIVATE_NOTE}),
        # Alone on their days: an anxiety pattern (10, 0, 10) that would show as days with entries.
        *[client.post("/api/v1/entries", json={"date": days_ago(n), "anxiety": score, "private": True,
                                               "triggers": [PRIVATE_TRIGGER], "note": PRIVATE_NOTE})
          for n, score in ((5, 10), (6, 0), (7, 10))],
    ]
    session = client.post("/api/v1/sessions", json={
        "date": days_ago(4), "treatment": PRIVATE_TREATMENT, "dose_mg": 77, "anxiety_before": 9,
        "anxiety_after": 1, "side_effects": ["headache"], "reflection": PRIVATE_REFLECTION, "private": True})
    assert all(r.status_code == 201 for r in private) and session.status_code == 201
    ids = [r.get_json()["id"] for r in private] + [session.get_json()["id"]]
    return {**victim, "private_ids": ids, "private_days": [days_ago(n) for n in (5, 6, 7)]}


def test_private_entries_and_sessions_never_reach_a_provider(app, private_diary, provider):
    own = private_diary["client"].get("/api/v1/entries").get_data(as_text=True)
    assert PRIVATE_NOTE in own and PRIVATE_TRIGGER in own  # the markers are real: the patient sees them
    share(private_diary["client"], provider, "full")
    markers = (*PRIVATE_MARKERS, *private_diary["private_ids"])
    for path in provider_reads(app, private_diary["id"]):
        response = provider.get(path)
        assert response.status_code == 200, f"GET {path} answered {response.status_code}"
        assert_no_leak(response, markers, f"GET {path}")
    page = provider.get(f"/provider/patients/{private_diary['id']}").get_data(as_text=True)
    assert NOTE in page and REFLECTION in page and TRIGGER in page
    entries = provider.get(f"/api/v1/patients/{private_diary['id']}/entries").get_json()["entries"]
    assert [(e["note"], e["triggers"]) for e in entries] == [(NOTE, [TRIGGER])]


def test_private_entries_do_not_change_the_numbers(private_diary, provider):
    share(private_diary["client"], provider, "full")
    trends = provider.get(f"/api/v1/patients/{private_diary['id']}/trends?days=30").get_json()
    days = {day["date"]: day for day in trends["days"]}
    assert (days[today().isoformat()]["mean"], days[today().isoformat()]["count"],
            days[today().isoformat()]["max"]) == (4, 1, 4)
    for date in private_diary["private_days"]:  # unlogged for the provider, or before the period
        day = days.get(date, {"mean": None, "count": 0})
        assert (day["mean"], day["count"]) == (None, 0)
    assert [s["treatment"] for s in trends["sessions"]] == ["iv_ketamine"]
    assert [t["name"] for t in trends["triggers"]] == []  # the private trigger's days don't count
    [row] = provider.get("/api/v1/patients").get_json()["patients"]
    assert row["mean_7"] == 4 and row["last_entry_date"] == today().isoformat()


@pytest.mark.parametrize("kind", ["entry", "session"])
def test_private_records_do_not_stretch_the_all_time_range(victim, provider, kind):
    old = days_ago(200)
    path, body = {
        "entry": ("/api/v1/entries", {"date": old, "anxiety": 3, "private": True}),
        "session": ("/api/v1/sessions", {"date": old, "treatment": "other", "anxiety_before": 5,
                                         "anxiety_after": 4, "private": True}),
    }[kind]
    assert victim["client"].post(path, json=body).status_code == 201
    share(victim["client"], provider, "full")
    trends = provider.get(f"/api/v1/patients/{victim['id']}/trends?days=all").get_json()
    assert trends["from"] > old, f"'from' is {trends['from']}: the private {kind}'s date"
    assert old not in {day["date"] for day in trends["days"]}


# --- scope -----------------------------------------------------------------------

def test_scores_only_scope_hides_notes_and_reflections_until_changed(victim, provider):
    share(victim["client"], provider, "scores")
    page_path, entries_path = f"/provider/patients/{victim['id']}", f"/api/v1/patients/{victim['id']}/entries"
    page = provider.get(page_path).get_data(as_text=True)
    assert NOTE not in page and REFLECTION not in page
    assert TRIGGER in page and "Anxiety 4 out of 10" in page and "7 → 3" in page
    [entry] = provider.get(entries_path).get_json()["entries"]
    assert (entry["note"], entry["anxiety"], entry["triggers"]) == (None, 4, [TRIGGER])
    trends = provider.get(f"/api/v1/patients/{victim['id']}/trends").get_json()
    assert [(s["anxiety_before"], s["anxiety_after"]) for s in trends["sessions"]] == [(7, 3)]
    for path in (f"/api/v1/patients/{victim['id']}/trends?days=all", "/api/v1/patients", "/provider/"):
        assert_no_leak(provider.get(path), (NOTE, REFLECTION), f"GET {path} (scores only)")

    response = victim["client"].post(f"/care-team/providers/{user_id(provider)}/scope", data={"scope": "full"})
    assert response.status_code == 302
    page = provider.get(page_path).get_data(as_text=True)
    assert NOTE in page and REFLECTION in page
    assert provider.get(entries_path).get_json()["entries"][0]["note"] == NOTE

    victim["client"].post(f"/care-team/providers/{user_id(provider)}/scope", data={"scope": "scores"})
    assert NOTE not in provider.get(page_path).get_data(as_text=True)
    assert provider.get(entries_path).get_json()["entries"][0]["note"] is None


# --- the patient page's period ------------------------------------------------------

def read(date):
    """A date as the pages write it."""
    return short_date(date, today())


def session_on(client, n, private=False):
    response = client.post("/api/v1/sessions", json={"date": days_ago(n), "treatment": "iv_ketamine",
                                                      "anxiety_before": 8, "anxiety_after": 2, "private": private})
    assert response.status_code == 201


def check_in(client, n, anxiety, private=False):
    response = client.post("/api/v1/entries", json={"date": days_ago(n), "anxiety": anxiety, "private": private})
    assert response.status_code == 201


@pytest.fixture
def course(victim, provider):
    """Next to the victim's records: a course that began 100 days ago (a shared pre-treatment week
    from 107 days ago, an induction series of three, a booster 40 days ago, the victim's session 2
    days ago), and a private check-in and a private session from before it all; shared in full."""
    client = victim["client"]
    check_in(client, 130, 9, private=True)
    session_on(client, 120, private=True)
    for n in range(107, 100, -1):
        check_in(client, n, 8)
    for n in (100, 97, 94, 40):
        session_on(client, n)
    for n in range(93, 2, -3):
        check_in(client, n, 3)
    share(client, provider, "full")
    return victim


def patient_page(provider, patient_id, query=""):
    response = provider.get(f"/provider/patients/{patient_id}{query}")
    return response.status_code, response.get_data(as_text=True)


def period_of(html):
    """The period the page says it shows, and the link marked as the current choice."""
    [period] = re.findall(r'<p class="meta period">([^<]+)</p>', html)
    [current] = re.findall(r'<a href="[^"]*range=(\w+)" aria-current="true">', html)
    return period, current


def session_responses(html):
    """(date, series) of each line under "Session response", newest first."""
    return re.findall(r"<p><strong>([^<]+)</strong> · series (\d+) · ", html)


def views(app, action="provider.patient_page"):
    """How many views of ``action`` the audit log holds."""
    with app.app_context():
        return get_db().execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[0]


def test_the_patient_page_shows_the_course_from_shared_records_by_default(app, course, provider):
    status, html = patient_page(provider, course["id"])
    assert status == 200
    # Four weeks before the first shared session (100 days ago) would be 128 days ago; the first
    # shared record is later, 107 days ago. The private session and check-in don't move it.
    assert period_of(html) == (f"{read(days_ago(107))} – {read(today())}", "course")
    assert f'href="/provider/patients/{course["id"]}?range=all"' in html
    # Every session of the period, from the induction series on.
    assert session_responses(html) == [(read(days_ago(2)), "3"), (read(days_ago(40)), "2"),
                                       (read(days_ago(94)), "1"), (read(days_ago(97)), "1"),
                                       (read(days_ago(100)), "1")]
    assert html.count('<article class="card session">') == 5


@pytest.mark.parametrize("query, start, shown, sessions", [  # a year, or all: from the first shared record
    ("?range=30d", 29, "30d", [2]), ("?range=90d", 89, "90d", [2, 40]), ("?range=1y", 107, "1y", [2, 40, 94, 97, 100]),
    ("?range=all", 107, "all", [2, 40, 94, 97, 100]), ("?range=course", 107, "course", [2, 40, 94, 97, 100]),
])
def test_the_patient_page_offers_the_trends_periods(app, course, provider, query, start, shown, sessions):
    before = views(app)
    status, html = patient_page(provider, course["id"], query)
    assert status == 200
    assert period_of(html) == (f"{read(days_ago(start))} – {read(today())}", shown)
    assert [date for date, _ in session_responses(html)] == [read(days_ago(n)) for n in sessions]
    assert html.count('<article class="card session">') == len(sessions)
    assert views(app) == before + 1


@pytest.mark.parametrize("query", ["?range=forever", "?range=", "?range=30D"])
def test_a_bad_period_on_the_patient_page_explains_and_shows_the_default(app, course, provider, query):
    before = views(app)
    status, html = patient_page(provider, course["id"], query)
    assert status == 422
    assert "Period: Must be one of: course, 30d, 90d, 1y, all. Showing since treatment." in html
    assert period_of(html) == (f"{read(days_ago(107))} – {read(today())}", "course")
    assert views(app) == before + 1


def test_without_shared_treatment_in_the_last_year_the_patient_page_shows_90_days(victim, provider):
    client = victim["client"]
    [shared_session] = client.get("/api/v1/sessions").get_json()["sessions"]
    assert client.delete(f"/api/v1/sessions/{shared_session['id']}").status_code == 204
    check_in(client, 200, 5)
    session_on(client, 10, private=True)  # the patient's own course, not the provider's
    share(client, provider)
    status, html = patient_page(provider, victim["id"])
    assert status == 200 and period_of(html) == (f"{read(days_ago(89))} – {read(today())}", "90d")


def test_a_period_of_years_on_the_patient_page_is_drawn(victim, provider):
    check_in(victim["client"], 800, 6)
    share(victim["client"], provider)
    status, html = patient_page(provider, victim["id"], "?range=all")
    assert status == 200 and period_of(html) == (f"{read(days_ago(800))} – {read(today())}", "all")
    assert '<svg class="chart"' in html


@pytest.mark.parametrize("query, start", [
    ("", 89), ("?days=30", 29), ("?days=all", 107), ("?range=course", 107), ("?range=30d", 29),
    ("?range=90d", 89), ("?range=1y", 107), ("?range=all", 107),
])
def test_the_trends_api_for_a_provider_takes_the_same_periods(app, course, provider, query, start):
    before = views(app, "api.patient_trends")
    response = provider.get(f"/api/v1/patients/{course['id']}/trends{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    trends = response.get_json()
    assert (trends["from"], trends["to"]) == (days_ago(start), today().isoformat())
    assert views(app, "api.patient_trends") == before + 1


@pytest.mark.parametrize("query, message", [
    ("?range=forever", "Must be one of: course, 30d, 90d, 1y, all."),
    ("?range=all&days=30", "Give either range or days, not both."),
])
def test_a_bad_period_for_the_provider_trends_api_is_a_422(course, provider, query, message):
    errors = errors_of(provider.get(f"/api/v1/patients/{course['id']}/trends{query}"), 422, "range")
    assert errors["range"] == [message]
