"""checkin_days and checkin_day_triggers (migration m012) always equal a count from scratch.

SQLite triggers keep them; these tests make every kind of write the app makes to check-ins and
tags, at random and on purpose, and compare the tables with the totals computed in Python from
the entries themselves after each step.
"""
import datetime as dt
import random

import pytest

from diary.db import get_db
from diary.insights.daily import daily_means
from diary.insights.triggers import effects_from_sums, trigger_effects
from diary.store import entries as entries_store
from diary.store import triggers as triggers_store
from diary.store import users as users_store

TAGS = ("work", "sleep", "Social", "news")


def counted_from_scratch(db):
    """({(user, date): totals}, {(user, date, trigger_id): (checkins, shared)}) from the entries."""
    days, tags = {}, {}
    rows = db.execute("SELECT id, user_id, date, anxiety, private FROM entries").fetchall()
    links = {}
    for entry_id, trigger_id in db.execute("SELECT entry_id, trigger_id FROM entry_triggers"):
        links.setdefault(entry_id, []).append(trigger_id)
    for entry_id, user, date, anxiety, private in rows:
        day = days.setdefault((user, date), {"all": [], "shared": []})
        day["all"].append(anxiety)
        if not private:
            day["shared"].append(anxiety)
        for trigger_id in links.get(entry_id, ()):
            count = tags.setdefault((user, date, trigger_id), [0, 0])
            count[0] += 1
            count[1] += not private
    totals = {
        key: (len(d["all"]), sum(d["all"]), min(d["all"]), max(d["all"]), len(d["shared"]), sum(d["shared"]),
              min(d["shared"], default=None), max(d["shared"], default=None))
        for key, d in days.items()
    }
    return totals, {key: tuple(count) for key, count in tags.items()}


def kept(db):
    totals = {(row[0], row[1]): tuple(row[2:]) for row in db.execute("SELECT * FROM checkin_days")}
    tags = {tuple(row[:3]): tuple(row[3:]) for row in db.execute("SELECT * FROM checkin_day_triggers")}
    return totals, tags


def assert_in_step(db):
    assert kept(db) == counted_from_scratch(db)


@pytest.fixture
def db(app):
    with app.app_context():
        yield get_db()


def new_patient(db, email):
    return users_store.create_user(db, email=email, role="patient", password_hash="x", display_name=email,
                                   timezone="UTC")["id"]


def checkin(db, user, date, anxiety, triggers=(), private=False):
    entry, _ = entries_store.create_entry(db, user, {"date": date, "time": None, "anxiety": anxiety,
                                                     "triggers": list(triggers), "note": "", "private": private})
    return entry["id"]


def test_a_day_adds_up_its_checkins_and_their_shared_part(db):
    user = new_patient(db, "a@example.com")
    checkin(db, user, "2026-03-01", 6, ["work"])
    checkin(db, user, "2026-03-01", 2, ["work", "sleep"], private=True)
    checkin(db, user, "2026-03-01", 9)
    work = triggers_store.triggers_for_names(db, user, ["work"])[0][0]
    row = db.execute("SELECT * FROM checkin_days WHERE user_id = ?", [user]).fetchone()
    assert row == (user, "2026-03-01", 3, 17, 2, 9, 2, 15, 6, 9)
    assert db.execute("SELECT checkins, shared_checkins FROM checkin_day_triggers WHERE trigger_id = ?",
                      [work]).fetchone() == (2, 1)
    assert_in_step(db)


def test_a_day_of_only_private_checkins_has_no_shared_low_or_high(db):
    user = new_patient(db, "a@example.com")
    checkin(db, user, "2026-03-01", 4, private=True)
    assert db.execute("SELECT shared_checkins, shared_sum, shared_min, shared_max FROM checkin_days").fetchone() \
        == (0, 0, None, None)
    checkin(db, user, "2026-03-01", 7)
    assert db.execute("SELECT shared_checkins, shared_sum, shared_min, shared_max FROM checkin_days").fetchone() \
        == (1, 7, 7, 7)


def test_edits_and_deletions_count_the_days_again(db):
    user = new_patient(db, "a@example.com")
    low = checkin(db, user, "2026-03-01", 1, ["work"])
    checkin(db, user, "2026-03-01", 5, ["sleep"])
    entries_store.update_entry(db, user, low, {"anxiety": 8})  # the day's minimum goes up
    assert_in_step(db)
    entries_store.update_entry(db, user, low, {"date": "2026-03-02", "private": True, "triggers": ["news"]})
    assert_in_step(db)
    entries_store.delete_entry(db, user, low)
    assert_in_step(db)
    assert [row[1] for row in db.execute("SELECT * FROM checkin_days")] == ["2026-03-01"]


def test_merging_renaming_and_deleting_tags(db):
    user = new_patient(db, "a@example.com")
    checkin(db, user, "2026-03-01", 3, ["work", "sleep"])
    checkin(db, user, "2026-03-01", 4, ["sleep"])
    (work, _, _), (sleep, _, _) = triggers_store.triggers_for_names(db, user, ["work", "sleep"])
    triggers_store.merge_triggers(db, user, work, sleep)  # one check-in had both
    assert_in_step(db)
    triggers_store.rename_trigger(db, user, sleep, "rest")
    assert_in_step(db)
    triggers_store.delete_trigger(db, user, sleep)
    assert_in_step(db)
    assert kept(db)[1] == {}


def test_deleting_an_account_leaves_nothing_of_it_and_others_untouched(db):
    leaving, staying = new_patient(db, "a@example.com"), new_patient(db, "b@example.com")
    for user in (leaving, staying):
        checkin(db, user, "2026-03-01", 3, ["work"])
        checkin(db, user, "2026-03-02", 6, ["work"], private=True)
    users_store.delete_account(db, leaving)
    assert {key[0] for key in kept(db)[0]} == {staying}
    assert_in_step(db)


def test_random_writes_keep_the_tables_in_step(db):
    rng = random.Random(14)
    users = [new_patient(db, f"p{n}@example.com") for n in range(2)]
    dates = [(dt.date(2026, 3, 1) + dt.timedelta(days=n)).isoformat() for n in range(4)]
    ids = []
    for _ in range(200):
        user = rng.choice(users)
        mine = [i for u, i in ids if u == user]
        action = rng.random()
        if action < 0.45 or not mine:
            ids.append((user, checkin(db, user, rng.choice(dates), rng.randint(0, 10),
                                      rng.sample(TAGS, rng.randint(0, 3)), rng.random() < 0.3)))
        elif action < 0.8:
            changes = rng.choice([{"anxiety": rng.randint(0, 10)}, {"date": rng.choice(dates)},
                                  {"private": rng.random() < 0.5}, {"triggers": rng.sample(TAGS, rng.randint(0, 3))}])
            entries_store.update_entry(db, user, rng.choice(mine), changes)
        elif action < 0.95:
            entry = rng.choice(mine)
            entries_store.delete_entry(db, user, entry)
            ids.remove((user, entry))
        else:
            tags = triggers_store.list_triggers(db, user)
            if len(tags) >= 2:
                source, target = rng.sample(tags, 2)
                triggers_store.merge_triggers(db, user, source["id"], target["id"])
        assert_in_step(db)
    assert kept(db)[0], "the walk ended with check-ins to compare"


@pytest.mark.parametrize("include_private", [True, False])
def test_trigger_effects_from_the_kept_totals_equal_those_from_every_checkin(db, include_private):
    """The Trends page's figures (store.trigger_sums over checkin_days) against the reference:
    insights.triggers.trigger_effects over every check-in and its tags."""
    rng = random.Random(7)
    user = new_patient(db, "a@example.com")
    start = dt.date(2026, 1, 1)
    for n in range(300):
        checkin(db, user, (start + dt.timedelta(days=rng.randint(0, 59))).isoformat(), rng.randint(0, 10),
                rng.sample(TAGS, rng.randint(0, 3)), private=rng.random() < 0.2)
    first, last = dt.date(2026, 1, 10), dt.date(2026, 2, 20)
    shared = "" if include_private else " AND e.private = 0"
    names = {trigger_id: name for name, trigger_id in triggers_store.ids_by_name(db, user).items()}  # sealed in SQL
    rows = [(date, anxiety, tuple(names[int(i)] for i in ids.split(",")) if ids else ()) for date, anxiety, ids in db.execute(
        "SELECT e.date, e.anxiety, (SELECT group_concat(et.trigger_id) FROM entry_triggers et"
        f" WHERE et.entry_id = e.id) FROM entries e WHERE e.user_id = ?{shared}", [user])]
    expected = trigger_effects(rows, first, last)
    means = entries_store.daily_means(db, user, first, last, include_private=include_private)
    kept = effects_from_sums(entries_store.trigger_sums(db, user, first, last, include_private=include_private),
                             len(means), sum(means.values()))
    assert len(expected) >= 3
    assert [(e.name, e.days_with, e.days_without) for e in kept] == [(e.name, e.days_with, e.days_without)
                                                                     for e in expected]
    for mine, reference in zip(kept, expected):
        assert mine.mean_with == pytest.approx(reference.mean_with)
        assert mine.mean_without == pytest.approx(reference.mean_without)
    assert means == pytest.approx(daily_means([row for row in rows if first.isoformat() <= row[0] <= last.isoformat()]))
