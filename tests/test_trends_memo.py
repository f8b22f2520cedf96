"""Trends kept between requests (services/memo.py): reused while the diary and the day stay the
same, and fresh on the very next request after anything that changes them (migrations m013, m014
move the diary's version on), never one diary's trends for another."""
import datetime as dt
import os
import re

import pytest
from helpers import FAST_HASHING, AuthActions, DiaryClient, share

from diary import create_app
from diary.db import close_db, get_db, migrate
from diary.services import memo as memo_module
from diary.services import trends as trends_service
from diary.store import triggers as triggers_store


def days_ago(n):
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


def checkin(client, anxiety, n=0, **fields):
    response = client.post("/api/v1/entries", json={"date": days_ago(n), "anxiety": anxiety, **fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def all_time(client):
    response = client.get("/api/v1/trends?days=all")
    assert response.status_code == 200
    return response.get_json()


def page(client, query=""):
    """The Trends page, its CSRF tokens left out: each is signed with the second it was made in, so
    two views a second apart differ there whatever the page shows."""
    response = client.get(f"/trends{query}")
    assert response.status_code == 200
    return CSRF_TOKEN.sub("csrf-token", response.get_data(as_text=True))


CSRF_TOKEN = re.compile(r'(?<=name="csrf[-_]token" content=")[^"]*|(?<=name="csrf_token" value=")[^"]*')


@pytest.fixture
def computed(monkeypatch):
    """The (user id, key) of every result computed rather than reused."""
    calls = []
    original = memo_module.DiaryMemo.get

    def get(self, db, user_id, key, compute):
        return original(self, db, user_id, key, lambda: calls.append((user_id, key)) or compute())
    monkeypatch.setattr(memo_module.DiaryMemo, "get", get)
    return calls


@pytest.fixture
def diary(patient):
    """A week of check-ins at 4, tagged "work" on the last three days."""
    for n in range(7):
        checkin(patient, 4, n, triggers=["work"] if n < 3 else [])
    return patient


def test_trends_are_computed_once_while_nothing_changes(diary, computed):
    assert diary.get("/").status_code == 200  # shows the welcome message once
    first = all_time(diary)
    assert all_time(diary) == first
    html = page(diary, "?range=all")
    assert page(diary, "?range=all") == html
    assert [key[0] for _, key in computed] == ["gather", "page"]


def test_a_check_in_shows_at_once(diary, computed):
    assert all_time(diary)["days"][-1]["mean"] == 4
    page(diary, "?range=30d")
    checkin(diary, 8)
    assert all_time(diary)["days"][-1]["mean"] == 6
    assert "6.0" in page(diary, "?range=30d")
    assert len(computed) == 4


def test_an_edit_and_a_deletion_show_at_once(diary):
    entry = checkin(diary, 10)
    assert all_time(diary)["days"][-1]["max"] == 10
    assert diary.patch(f"/api/v1/entries/{entry['id']}", json={"anxiety": 6}).status_code == 200
    assert all_time(diary)["days"][-1]["max"] == 6
    assert diary.delete(f"/api/v1/entries/{entry['id']}").status_code == 204
    assert all_time(diary)["days"][-1]["count"] == 1


def test_changing_a_check_ins_triggers_shows_at_once(diary):
    tagged = [checkin(diary, 9, n, triggers=["sleep"]) for n in (4, 5, 6)]
    assert trigger_names(diary) == ["sleep", "work"]
    assert diary.patch(f"/api/v1/entries/{tagged[0]['id']}", json={"triggers": []}).status_code == 200
    assert trigger_names(diary) == ["work"]  # "sleep" on 2 days now: too few to say anything


def trigger_id(app, name):
    with app.app_context():
        [user_id] = get_db().execute("SELECT DISTINCT user_id FROM triggers").fetchone()
        return triggers_store.ids_by_name(get_db(), user_id)[name]


def trigger_names(client):
    return sorted(t["name"] for t in all_time(client)["triggers"])


def test_renaming_merging_and_deleting_triggers_show_at_once(app, diary):
    checkin(diary, 2, 4, triggers=["rest"])
    checkin(diary, 2, 5, triggers=["rest"])
    checkin(diary, 2, 6, triggers=["rest"])
    assert trigger_names(diary) == ["rest", "work"]
    assert "On days with work" in page(diary, "?range=30d")

    assert diary.post(f"/triggers/{trigger_id(app, 'work')}/rename", data={"name": "job"}).status_code == 302
    assert trigger_names(diary) == ["job", "rest"]
    assert "On days with job" in page(diary, "?range=30d")

    assert diary.post(f"/triggers/{trigger_id(app, 'rest')}/merge",
                      data={"into": trigger_id(app, "job")}).status_code == 302
    assert trigger_names(diary) == []  # "job" on every day now: nothing to compare with
    assert diary.post(f"/triggers/{trigger_id(app, 'job')}/delete").status_code == 302
    assert "On days with job" not in page(diary, "?range=30d")
    assert trigger_names(diary) == []


def test_sessions_and_questionnaires_show_at_once(diary):
    assert all_time(diary)["sessions"] == [] and all_time(diary)["assessments"] == []
    session = diary.post("/api/v1/sessions", json={"date": days_ago(2), "treatment": "iv_ketamine",
                                                    "anxiety_before": 7, "anxiety_after": 3}).get_json()
    assert [s["id"] for s in all_time(diary)["sessions"]] == [session["id"]]
    assert diary.post("/api/v1/assessments", json={"instrument": "gad7", "date": days_ago(0),
                                                    "answers": [1] * 7}).status_code == 201
    assert [a["total"] for a in all_time(diary)["assessments"]] == [7]
    assert diary.delete(f"/api/v1/sessions/{session['id']}").status_code == 204
    assert all_time(diary)["sessions"] == []


def test_what_a_clinician_sees_changes_when_a_check_in_is_made_private(diary, provider):
    patient_id = share(diary, provider)
    entry = checkin(diary, 10)
    shared = lambda: provider.get(f"/api/v1/patients/{patient_id}/trends?days=30").get_json()["days"][-1]  # noqa: E731
    assert shared()["max"] == 10
    assert diary.patch(f"/api/v1/entries/{entry['id']}", json={"private": True}).status_code == 200
    assert shared()["max"] == 4
    assert all_time(diary)["days"][-1]["max"] == 10  # the patient's own still count it


def test_a_new_day_computes_again(diary, computed, monkeypatch):
    assert all_time(diary)["days"][-1]["date"] == days_ago(0)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(trends_service, "today_in", lambda timezone: tomorrow)
    assert all_time(diary)["days"][-1]["date"] == tomorrow.isoformat()
    assert len(computed) == 2


def test_another_patient_never_gets_someone_elses_trends(diary, other_patient):
    assert all_time(diary)["days"][-1]["mean"] == 4
    assert [day["count"] for day in all_time(other_patient)["days"]] == [0]


def test_a_database_made_again_at_the_same_path_starts_afresh(tmp_path, monkeypatch):
    path = str(tmp_path / "diary.sqlite")
    monkeypatch.setenv("DIARY_INSTANCE_PATH", str(tmp_path / "instance"))
    means = []
    for anxiety in (9, 2):
        app = create_app({"TESTING": True, "DATABASE": path, **FAST_HASHING})
        app.test_client_class = DiaryClient
        with app.app_context():
            migrate(get_db())
        client = app.test_client()
        AuthActions(client).register()
        checkin(client, anxiety)
        means.append(all_time(client)["days"][-1]["mean"])
        close_db(path)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    assert means == [9, 2]


def test_the_memo_keeps_the_most_recently_used_results(app, patient, other_patient):
    memo = memo_module.DiaryMemo(size=2)
    with app.app_context():
        db = get_db()
        pat, sam = (row[0] for row in db.execute("SELECT id FROM users ORDER BY id"))
        computed = []
        result = lambda name: lambda: computed.append(name) or {"name": name}  # noqa: E731
        first = memo.get(db, pat, "a", result("a"))
        assert memo.get(db, pat, "a", result("a")) is first
        memo.get(db, sam, "a", result("sam a"))
        memo.get(db, pat, "a", result("a"))  # used last: kept
        memo.get(db, pat, "b", result("b"))  # drops the least recently used, Sam's
        memo.get(db, pat, "a", result("a"))
        memo.get(db, sam, "a", result("sam a"))
        assert computed == ["a", "sam a", "b", "sam a"]
        assert memo.get(db, 10 ** 6, "a", result("nobody")) == {"name": "nobody"}  # no such account: not kept
        assert memo.get(db, 10 ** 6, "a", result("nobody")) == {"name": "nobody"}
        assert computed[-2:] == ["nobody", "nobody"]


def test_inside_a_transaction_nothing_is_kept(app, patient):
    """A version read inside an open transaction may include writes that are rolled back."""
    memo = memo_module.DiaryMemo(size=4)
    with app.app_context():
        db = get_db()
        [pat] = [row[0] for row in db.execute("SELECT id FROM users")]
        computed = []
        db.conn.execute("BEGIN")
        memo.get(db, pat, "a", lambda: computed.append(1) or {})
        memo.get(db, pat, "a", lambda: computed.append(2) or {})
        db.conn.execute("ROLLBACK")
        assert computed == [1, 2]
