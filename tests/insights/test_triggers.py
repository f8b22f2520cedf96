"""diary.insights.triggers against hand-worked examples."""
import datetime as dt

import pytest

from diary.insights.triggers import describe, trigger_effects

START, END = dt.date(2026, 1, 1), dt.date(2026, 1, 31)


def rows(*days):
    """(day of January, anxiety, triggers) -> insight rows."""
    return [(f"2026-01-{day:02d}", anxiety, tuple(names)) for day, anxiety, names in days]


WEEK = rows((1, 8, ["work"]), (2, 7, ["work"]), (3, 6, ["work", "sleep"]),
            (4, 2, []), (5, 3, ["sleep"]), (6, 4, []))


def test_mean_with_and_without():
    [work] = trigger_effects(WEEK, START, END)  # sleep has only 2 days with it: left out
    assert (work.name, work.days_with, work.days_without) == ("work", 3, 3)
    assert work.mean_with == 7 and work.mean_without == 3 and work.difference == 4
    assert describe(work) == "On days with work your anxiety averaged 7.0, vs 3.0 without."


def test_a_day_has_a_trigger_if_any_of_its_checkins_does():
    # 7 Jan: 5 with work and 1 without -> a work day with mean 3. Work days: 8, 7, 6, 3 -> 6.
    [work] = trigger_effects(WEEK + rows((7, 5, ["work"]), (7, 1, [])), START, END)
    assert (work.days_with, work.mean_with, work.mean_without) == (4, 6, 3)


def test_too_little_data_says_nothing():
    assert trigger_effects([], START, END) == []
    assert trigger_effects(rows((1, 5, ["work"])), START, END) == []
    assert trigger_effects(WEEK[:5], START, END) == []  # work: 3 with, only 2 without


def test_a_trigger_on_every_day_has_nothing_to_compare_with():
    every_day = rows(*[(day, 5, ["work"]) for day in range(1, 11)])
    assert trigger_effects(every_day, START, END) == []


def test_sorted_by_size_of_effect_either_way():
    data = WEEK + rows((7, 1, ["exercise"]), (8, 1, ["exercise"]), (9, 1, ["exercise"]), (10, 9, []))
    effects = trigger_effects(data, START, END)
    # exercise: with 1; without (8+7+6+2+3+4+9)/7 = 39/7 -> difference -4.571...
    # work: with (8+7+6)/3 = 7; without (2+3+4+1+1+1+9)/7 = 3 -> difference 4.
    assert [e.name for e in effects] == ["exercise", "work"]
    assert effects[0].difference == pytest.approx(1 - 39 / 7)


def test_only_days_in_the_range_count():
    late = rows((20, 9, ["work"]), (21, 9, ["work"]), (22, 9, ["work"]))
    [work] = trigger_effects(WEEK + late, START, dt.date(2026, 1, 6))
    assert work.days_with == 3


def test_names_match_case_insensitively():
    data = rows((1, 8, ["Work"]), (2, 7, ["work"]), (3, 6, ["WORK"]), (4, 2, []), (5, 3, []), (6, 4, []))
    [work] = trigger_effects(data, START, END)
    assert work.days_with == 3
