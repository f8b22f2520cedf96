"""The patient's diary pages: Today (check-in form), history, edit/delete, triggers."""
import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest

from diary.db import get_db
from diary.store import triggers as triggers_store


def today_london():
    return dt.datetime.now(ZoneInfo("Europe/London")).date()


def api_entries(client, **params):
    return client.get("/api/v1/entries", query_string=params).get_json()["entries"]


def checkin(client, **fields):
    data = {"date": today_london().isoformat(), "anxiety": "4", "note": "", **fields}
    return client.post("/", data=data)


def test_today_form_defaults_to_patients_today(patient):
    html = patient.get("/").get_data(as_text=True)
    assert f'name="date" value="{today_london().isoformat()}"' in html
    assert f'max="{today_london().isoformat()}"' in html
    for n in range(11):
        assert f'name="anxiety" value="{n}"' in html


def now_in(zone):
    return dt.datetime.now(ZoneInfo(zone)).strftime("%H:%M")


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
def test_today_form_time_defaults_to_now_in_the_patients_time_zone(client, auth, zone):
    auth.register(timezone=zone)
    before = now_in(zone)
    html = client.get("/").get_data(as_text=True)
    shown = re.search(r'<input type="time" id="time" name="time" value="([0-9:]*)"', html).group(1)
    assert shown in (before, now_in(zone))  # (the minute may turn during the request)
    assert '<label for="time">Time <span class="optional">(optional)</span></label>' in html


def test_checkin_time_is_saved_and_shown_on_today_history_and_edit(patient):
    checkin(patient, time="07:45", anxiety="3")
    checkin(patient, time="", anxiety="5")  # left empty: no time
    entries = api_entries(patient)
    assert [(e["anxiety"], e["time"]) for e in entries] == [(5, None), (3, "07:45")]
    day = today_london().isoformat()
    for page in ("/", "/history"):
        html = patient.get(page).get_data(as_text=True)
        assert f'<time datetime="{day}T07:45">' in html and ", 07:45</time>" in html, page
        assert f'<time datetime="{day}">' in html, page  # the check-in without a time
    timed = entries[1]
    edit = patient.get(f"/entries/{timed['id']}/edit").get_data(as_text=True)
    assert 'name="time" value="07:45"' in edit
    patient.post(f"/entries/{timed['id']}/edit", data={"date": day, "time": "08:00", "anxiety": "3"})
    assert api_entries(patient)[1]["time"] == "08:00"


def test_new_patient_sees_suggested_triggers(patient):
    html = patient.get("/").get_data(as_text=True)
    for name in ("work", "sleep", "social", "health", "money", "caffeine", "family", "news"):
        assert f'name="triggers" value="{name}"' in html


def test_checkin_is_saved_with_picked_and_typed_triggers(patient):
    response = checkin(patient, anxiety="7", triggers=["work", "Late night, commute"], note="Rough day")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    [entry] = api_entries(patient)
    assert entry["anxiety"] == 7
    assert entry["note"] == "Rough day"
    assert entry["triggers"] == ["commute", "Late night", "work"]
    assert "Check-in saved." in patient.get("/").get_data(as_text=True)


def test_own_triggers_replace_suggestions(patient):
    checkin(patient, triggers=["deadline"])
    html = patient.get("/").get_data(as_text=True)
    assert 'value="deadline"' in html
    assert 'value="caffeine"' not in html


def test_several_checkins_a_day_and_backdating(patient):
    yesterday = (today_london() - dt.timedelta(days=1)).isoformat()
    checkin(patient, anxiety="3")
    checkin(patient, anxiety="6")
    checkin(patient, anxiety="2", date=yesterday)
    entries = api_entries(patient)
    assert [e["anxiety"] for e in entries] == [6, 3, 2]
    assert entries[2]["date"] == yesterday


def test_private_flag_is_stored(patient):
    checkin(patient, private="on")
    assert api_entries(patient)[0]["private"] is True


def test_double_submitted_form_stores_one_checkin(patient):
    form_id = str(uuid.uuid4())
    first = checkin(patient, id=form_id, anxiety="5")
    second = checkin(patient, id=form_id, anxiety="5")
    assert first.status_code == second.status_code == 302
    assert len(api_entries(patient)) == 1
    assert "already saved" in patient.get("/").get_data(as_text=True)


@pytest.mark.parametrize("fields, field, message", [
    ({"anxiety": "11"}, "anxiety", "Must be a whole number from 0 to 10."),
    ({"anxiety": "-1"}, "anxiety", "Must be a whole number from 0 to 10."),
    ({"anxiety": "4.5"}, "anxiety", "Must be a whole number from 0 to 10."),
    ({"anxiety": "lots"}, "anxiety", "Must be a whole number from 0 to 10."),
    ({"date": "2999-01-01"}, "date", "Can&#39;t be in the future"),
    ({"date": "31/12/2025"}, "date", "Must be a date as YYYY-MM-DD."),
    ({"date": "1850-01-01"}, "date", "Must be on or after 1900-01-01."),
    ({"note": "x" * 10_001}, "note", "Must be at most 10,000 characters."),
    ({"triggers": "a" * 41}, "triggers", "at most 40 characters"),
    ({"triggers": "work; sleep"}, "triggers", "can&#39;t contain commas or semicolons"),
    ({"time": "25:00"}, "time", "Must be a time as HH:MM."),
    ({"time": "7.30pm"}, "time", "Must be a time as HH:MM."),
])
def test_bad_checkin_is_reshown_with_message_and_input_kept(patient, fields, field, message):
    response = checkin(patient, **{"note": "keep me", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<a href="#{field}">' in html  # the summary links to the field
    assert message in html
    if field != "note":
        assert "keep me</textarea>" in html
    assert api_entries(patient) == []


def test_missing_anxiety_asks_for_a_number(patient):
    response = patient.post("/", data={"date": today_london().isoformat(), "note": "n"})
    assert response.status_code == 422
    assert "Choose a number from 0 to 10." in response.get_data(as_text=True)
    assert api_entries(patient) == []


def test_checkin_limit_of_10000_characters_is_accepted(patient):
    assert checkin(patient, note="y" * 10_000).status_code == 302
    assert len(api_entries(patient)[0]["note"]) == 10_000


def test_history_is_newest_first_and_filters(patient):
    today = today_london()
    for days_ago, anxiety, trigger in [(0, 5, "work"), (3, 7, "sleep"), (10, 2, "work")]:
        checkin(patient, date=(today - dt.timedelta(days=days_ago)).isoformat(),
                anxiety=str(anxiety), triggers=trigger, note=f"note-{anxiety}")
    html = patient.get("/history").get_data(as_text=True)
    assert html.index("note-5") < html.index("note-7") < html.index("note-2")
    html = patient.get("/history", query_string={"trigger_id": 1}).get_data(as_text=True)
    assert "note-5" in html and "note-2" in html and "note-7" not in html
    assert '<option value="1" selected>work</option>' in html
    start = (today - dt.timedelta(days=5)).isoformat()
    html = patient.get("/history", query_string={"from": start}).get_data(as_text=True)
    assert "note-5" in html and "note-7" in html and "note-2" not in html


def test_trigger_names_stay_out_of_urls(patient):
    """The History filter and Trends' trigger links go by the trigger's id: a name (health data)
    would land in server logs, browser history and referrers. An old link with a name still
    works, by a redirect to the id."""
    checkin(patient, triggers="my ex", note="note-ex", anxiety="8")
    checkin(patient, triggers="work", note="note-work")
    for days_ago in range(1, 9):  # enough days with and without it for Trends' trigger table
        day = (today_london() - dt.timedelta(days=days_ago)).isoformat()
        checkin(patient, date=day, anxiety="8" if days_ago % 2 else "3", triggers="my ex" if days_ago % 2 else "")
    history = patient.get("/history").get_data(as_text=True)
    assert 'name="trigger_id"' in history and 'name="trigger"' not in history
    trends = patient.get("/trends").get_data(as_text=True)
    assert "trigger=" not in trends and "/history?trigger_id=1" in trends
    response = patient.get("/history", query_string={"trigger": "My Ex", "from": "2020-01-01"})
    assert response.status_code == 302 and response.headers["Location"] == "/history?from=2020-01-01&trigger_id=1"
    html = patient.get(response.headers["Location"]).get_data(as_text=True)
    assert "note-ex" in html and "note-work" not in html
    assert patient.get("/history?trigger=nobody").headers["Location"] == "/history"


def test_history_bad_filters_explain_themselves(patient):
    response = patient.get("/history", query_string={"from": "2026-11-10", "to": "2026-11-01"})
    assert response.status_code == 422
    assert "Must be on or after" in response.get_data(as_text=True)
    response = patient.get("/history", query_string={"from": "soon"})
    assert response.status_code == 422
    assert "Must be a date as YYYY-MM-DD." in response.get_data(as_text=True)


def test_history_pages(patient):
    today = today_london()
    for i in range(55):
        checkin(patient, date=(today - dt.timedelta(days=i)).isoformat(), note=f"n{i:02d}x")
    first = patient.get("/history").get_data(as_text=True)
    second = patient.get("/history?page=2").get_data(as_text=True)
    assert "n00x" in first and "n49x" in first and "n50x" not in first and "Older" in first
    assert "n50x" in second and "n54x" in second and "n00x" not in second and "Newer" in second


def test_edit_checkin(patient):
    checkin(patient, anxiety="8", triggers="work", note="before")
    entry = api_entries(patient)[0]
    page = patient.get(f"/entries/{entry['id']}/edit").get_data(as_text=True)
    assert "before</textarea>" in page
    response = patient.post(f"/entries/{entry['id']}/edit", data={
        "date": entry["date"], "anxiety": "3", "triggers": "sleep", "note": "after",
    })
    assert response.status_code == 302
    [updated] = api_entries(patient)
    assert (updated["anxiety"], updated["triggers"], updated["note"]) == (3, ["sleep"], "after")
    assert updated["id"] == entry["id"] and updated["created_at"] == entry["created_at"]


def test_bad_edit_changes_nothing(patient):
    checkin(patient, anxiety="8", note="before")
    entry = api_entries(patient)[0]
    response = patient.post(f"/entries/{entry['id']}/edit", data={
        "date": entry["date"], "anxiety": "12", "note": "after",
    })
    assert response.status_code == 422
    assert "after</textarea>" in response.get_data(as_text=True)
    assert api_entries(patient)[0] == entry


def test_delete_asks_for_confirmation_first(patient):
    checkin(patient, note="delete me")
    entry_id = api_entries(patient)[0]["id"]
    page = patient.get(f"/entries/{entry_id}/delete")
    assert page.status_code == 200 and "Delete this check-in?" in page.get_data(as_text=True)
    assert len(api_entries(patient)) == 1
    assert patient.post(f"/entries/{entry_id}/delete").status_code == 302
    assert api_entries(patient) == []
    assert patient.get(f"/entries/{entry_id}/edit").status_code == 404


def trigger_ids(app):
    """Every patient's trigger names (sealed in the database), each with its id."""
    with app.app_context():
        users = [row[0] for row in get_db().execute("SELECT DISTINCT user_id FROM triggers")]
        return {name: trigger_id for user_id in users
                for name, trigger_id in triggers_store.ids_by_name(get_db(), user_id).items()}


def test_rename_trigger(app, patient):
    checkin(patient, triggers="wrok")
    ids = trigger_ids(app)
    assert patient.post(f"/triggers/{ids['wrok']}/rename", data={"name": "work"}).status_code == 302
    assert api_entries(patient)[0]["triggers"] == ["work"]


def test_rename_onto_existing_name_suggests_merge(app, patient):
    checkin(patient, triggers="work, job")
    ids = trigger_ids(app)
    response = patient.post(f"/triggers/{ids['job']}/rename", data={"name": "Work"})
    assert response.status_code == 422
    assert "Use Merge" in response.get_data(as_text=True)
    assert trigger_ids(app) == ids


def test_rename_to_blank_is_refused(app, patient):
    checkin(patient, triggers="work")
    ids = trigger_ids(app)
    response = patient.post(f"/triggers/{ids['work']}/rename", data={"name": "  "})
    assert response.status_code == 422
    assert "can&#39;t be blank" in response.get_data(as_text=True)


def test_merge_triggers_moves_checkins(app, patient):
    checkin(patient, triggers="job", note="a")
    checkin(patient, triggers="job, work", note="b")
    checkin(patient, triggers="work", note="c")
    ids = trigger_ids(app)
    response = patient.post(f"/triggers/{ids['job']}/merge", data={"into": ids["work"]})
    assert response.status_code == 302
    assert sorted(e["triggers"] == ["work"] for e in api_entries(patient)) == [True] * 3
    assert set(trigger_ids(app)) == {"work"}


def test_merge_into_itself_or_unknown_is_refused(app, patient):
    checkin(patient, triggers="work")
    ids = trigger_ids(app)
    for into in (ids["work"], 9999, "x"):
        response = patient.post(f"/triggers/{ids['work']}/merge", data={"into": into})
        assert response.status_code == 422
    assert set(trigger_ids(app)) == {"work"}


def test_delete_trigger_keeps_checkins(app, patient):
    checkin(patient, triggers="work, sleep", note="kept")
    ids = trigger_ids(app)
    assert "Delete “work”?" in patient.get(f"/triggers/{ids['work']}/delete").get_data(as_text=True)
    assert patient.post(f"/triggers/{ids['work']}/delete").status_code == 302
    [entry] = api_entries(patient)
    assert entry["triggers"] == ["sleep"] and entry["note"] == "kept"


def test_triggers_page_lists_usage(patient):
    checkin(patient, triggers="work")
    checkin(patient, triggers="work, sleep")
    html = patient.get("/triggers").get_data(as_text=True)
    assert "2 check-ins" in html and "1 check-in<" in html


def test_checkin_posted_after_the_session_ended_asks_to_log_in(client):
    response = client.post("/", data={"date": today_london().isoformat(), "anxiety": "5"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_merge_into_a_non_number_is_refused(app, patient):
    checkin(patient, triggers="work, job")
    ids = trigger_ids(app)
    for into in ("²", "1.0", "-3", ""):
        assert patient.post(f"/triggers/{ids['job']}/merge", data={"into": into}).status_code == 422
    assert set(trigger_ids(app)) == {"work", "job"}


def test_a_changed_resubmit_of_a_saved_form_gets_a_fresh_id(patient):
    form_id = str(uuid.uuid4())
    checkin(patient, id=form_id, anxiety="3")
    response = checkin(patient, id=form_id, anxiety="5")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "was already saved" in html
    assert f'value="{form_id}"' not in html  # so saving again works instead of failing forever
    new_id = re.search(r'name="id" value="([^"]+)"', html).group(1)
    assert checkin(patient, id=new_id, anxiety="5").status_code == 302
    assert sorted(e["anxiety"] for e in api_entries(patient)) == [3, 5]


def test_merge_asks_for_confirmation_first(app, patient):
    checkin(patient, triggers="job, work")
    ids = trigger_ids(app)
    page = patient.get(f"/triggers/{ids['job']}/merge?into={ids['work']}")
    assert page.status_code == 200 and "Merge “job” into “work”?" in page.get_data(as_text=True)
    assert set(trigger_ids(app)) == {"job", "work"}
    assert 'method="get"' in patient.get("/triggers").get_data(as_text=True)
