"""The offline outbox sends what the plain form post would have saved.

On Today, the check-in form is filled once; the outbox's own payload builder
(``diaryOutbox.payloadFrom``, i.e. ``diary.checkinPayload`` in static/js/app.js) turns it into the
API's JSON, and the same form is then posted the plain way (as without JavaScript, and as app.js
falls back to). Both check-ins, read back through the API, must be the same field by field: a field
the JS drops, renames or reads differently from diary/web/forms.py shows up here.
"""
import datetime as dt

import pytest

from .accounts import register_as

pytestmark = pytest.mark.browser

# (id, what to fill in, what is stored). ``time`` None leaves the time as the page filled it in;
# "work" is a suggested chip, then the patient's own trigger. Stored triggers are ordered by name.
NOTE = "Ünïcödé 😟 — 日本語\nsecond line\n\n  indented, then spaces  "
CASES = [
    ("calm-no-time-messy-triggers",
     {"anxiety": 0, "time": "", "chips": ["work"], "note": "", "private": False, "days_ago": 0,
      "typed": "  Late   night ,WORK,, late NIGHT ,  commute  ,"},
     {"time": None, "triggers": ["commute", "Late night", "work"], "note": "", "private": False}),
    ("worst-private-unicode-past",
     {"anxiety": 10, "time": "23:59", "chips": [], "typed": "", "note": NOTE, "private": True,
      "days_ago": 40},
     {"time": "23:59", "triggers": [], "note": NOTE, "private": True}),
    ("morning-chip-and-repeats",
     {"anxiety": 5, "time": "07:05", "chips": ["work"], "typed": "sleep, Sleep ,sleep",
      "note": "  one line  ", "private": False, "days_ago": 1},
     {"time": "07:05", "triggers": ["sleep", "work"], "note": "  one line  ", "private": False}),
    ("as-the-page-filled-it-in",
     {"anxiety": 3, "time": None, "chips": [], "typed": "", "note": "", "private": False, "days_ago": 0},
     {"triggers": [], "note": "", "private": False}),
]
SERVER_MADE = {"id", "created_at", "updated_at"}


@pytest.fixture(scope="module")
def today_page(browser, live_server):
    """One patient's phone for every case (not ``phone``: that would register one per case)."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, timezone_id="America/Chicago")
    page = context.new_page()
    register_as(page, live_server, "Sam")
    yield page
    context.close()


def fill(page, case):
    page.locator(f'input[name="anxiety"][value="{case["anxiety"]}"]').check()
    for chip in case["chips"]:
        page.locator(f'#triggers input[type="checkbox"][value="{chip}"]').check()
    page.get_by_label("Add your own").fill(case["typed"])
    page.get_by_label("Note").fill(case["note"])
    page.get_by_label("Keep private").set_checked(case["private"])
    today = dt.date.fromisoformat(page.locator("#date").input_value())  # the patient's today
    day = today - dt.timedelta(days=case["days_ago"])
    page.locator("#date").fill(day.isoformat())
    if case["time"] is not None:
        page.locator("#time").fill(case["time"])
    return day.isoformat()


def stored(page, live_server, entry_id):
    response = page.request.get(f"{live_server}/api/v1/entries/{entry_id}")
    assert response.status == 200, f"check-in {entry_id} wasn't saved"
    return {k: v for k, v in response.json().items() if k not in SERVER_MADE}


@pytest.mark.parametrize("case, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_outbox_payload_saves_what_the_form_post_saves(today_page, live_server, case, expected):
    page = today_page
    page.goto(live_server + "/")
    day = fill(page, case)
    form = page.locator("form[data-outbox]")
    payload = form.evaluate("form => diaryOutbox.payloadFrom(form)")
    form_id = form.evaluate("form => form.elements.id.value")
    assert payload["id"] != form_id
    expected = {**expected, "anxiety": case["anxiety"], "date": day}
    expected.setdefault("time", page.locator("#time").input_value())

    # The plain post: app.js's own fallback (its fetch and the outbox both stand aside).
    form.evaluate("form => { form.dataset.plainPost = 'true'; }")
    with page.expect_navigation():
        page.get_by_role("button", name="Save check-in").click()
    assert page.locator(".error-summary").all_inner_texts() == []

    # The outbox's payload, sent as outbox.js sends it.
    status, body = page.evaluate("""payload => fetch("/api/v1/entries", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json",
                  "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content},
        body: JSON.stringify(payload)}).then(r => r.text().then(body => [r.status, body]))""", payload)
    assert status == 201, body

    from_form, from_outbox = stored(page, live_server, form_id), stored(page, live_server, payload["id"])
    assert from_outbox == from_form
    assert {k: from_form[k] for k in expected} == expected  # the case exercised what it says
