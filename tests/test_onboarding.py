"""The first-run card on Today: what the diary will do for a new patient, shown until dismissed."""
import datetime as dt

from helpers import without_inline_code

from diary.db import get_db

CARD = 'id="welcome-title"'


def test_a_new_patient_sees_the_first_run_card(patient):
    html = patient.get("/").get_data(as_text=True)
    assert CARD in html
    for said in ("a week before your first session", "earlier day", "Care team", "Nobody sees your diary"):
        assert said in html, said
    # A plain form post with the CSRF token: it works without JavaScript.
    assert 'action="/welcome/dismiss"' in html


def test_after_dismissing_never_again(patient):
    assert patient.post("/welcome/dismiss").status_code == 302
    assert CARD not in patient.get("/").get_data(as_text=True)
    patient.post("/api/v1/entries", json={"date": dt.date.today().isoformat(), "anxiety": 3})
    assert CARD not in patient.get("/").get_data(as_text=True)
    patient.post("/logout")
    patient.post("/login", data={"email": "pat@example.com", "password": "a long enough password"})
    assert CARD not in patient.get("/").get_data(as_text=True)


def test_dismissing_needs_the_csrf_token(patient):
    assert patient.post("/welcome/dismiss", csrf=False).status_code == 400
    assert CARD in patient.get("/").get_data(as_text=True)


def test_a_first_check_in_does_not_hide_it_in_the_first_two_weeks(patient):
    patient.post("/api/v1/entries", json={"date": dt.date.today().isoformat(), "anxiety": 3})
    assert CARD in patient.get("/").get_data(as_text=True)


def test_an_existing_patient_with_a_diary_does_not_get_it(patient, app):
    """Decided: patients who joined more than two weeks ago and already keep a diary know the app;
    an old account with nothing in it is as good as new and gets the card."""
    with app.app_context():
        get_db().execute("UPDATE users SET created_at = ?",
                         [(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)).isoformat()])
    assert CARD in patient.get("/").get_data(as_text=True)  # joined long ago, nothing logged
    patient.post("/api/v1/entries", json={"date": (dt.date.today() - dt.timedelta(days=20)).isoformat(),
                                          "anxiety": 4})
    assert CARD not in patient.get("/").get_data(as_text=True)


def test_dismissing_is_for_patients_only(client, auth):
    auth.register(email="doc@example.com", role="provider", display_name="Dr Lee")
    assert client.post("/welcome/dismiss").status_code in (302, 403)
    assert client.post("/welcome/dismiss").status_code != 500


def test_the_card_goes_below_the_form_once_there_are_checkins(patient):
    """On a phone the score, a trigger and Save stay on the first screen once there is a diary."""
    page = without_inline_code(patient.get("/").get_data(as_text=True))
    assert page.index("welcome-card") < page.index('class="checkin"')  # empty diary: the card first
    assert patient.post("/api/v1/entries", json={"anxiety": 4, "date": "2026-01-05"}).status_code == 201
    page = without_inline_code(patient.get("/").get_data(as_text=True))
    assert page.index('class="checkin"') < page.index("welcome-card")
