"""diary.insights.side_effects against hand-worked examples (the rule: the module docstring)."""
import pytest

from diary.insights.side_effects import is_fading, summarize


def effect(name, severity=None, hours=None):
    return {"name": name, "severity": severity, "hours": hours}


def session(date, *effects, time=None):
    return {"date": date, "time": time, "side_effects": list(effects)}


# Six sessions, given out of order (the summary orders them by date).
COURSE = [
    session("2024-01-15"),
    session("2024-01-01", effect("nausea", "moderate"), effect("headache")),
    session("2024-01-18", effect("headache", "moderate"), effect("dissociation", "mild")),
    session("2024-01-04", effect("nausea", "moderate"), effect("dissociation", "severe")),
    session("2024-01-11", effect("nausea", "mild", 2), effect("headache", "mild")),
    session("2024-01-08", effect("nausea", "mild")),
]


def test_a_six_session_course_worked_by_hand():
    # First half: 1, 4, 8 Jan; second half: 11, 15, 18 Jan.
    # nausea: 4 of 6 sessions (0.67); burden (2+2+1)/3 = 1.67 early, 1/3 = 0.33 later -> fading.
    # headache: 3 of 6 (0.5); 1/3 early (unrated = 1), (1+2)/3 = 1 later -> not fading.
    # dissociation: 2 of 6 (0.33): under 3 occurrences, too few to tell (None), whatever the halves say.
    assert summarize(COURSE) == [
        {"name": "nausea", "sessions": 4, "share": 0.67,
         "by_severity": {"mild": 2, "moderate": 2, "severe": 0, "unrated": 0}, "fading": True},
        {"name": "headache", "sessions": 3, "share": 0.5,
         "by_severity": {"mild": 1, "moderate": 1, "severe": 0, "unrated": 1}, "fading": False},
        {"name": "dissociation", "sessions": 2, "share": 0.33,
         "by_severity": {"mild": 1, "moderate": 0, "severe": 1, "unrated": 0}, "fading": None},
    ]


def test_with_an_odd_count_the_middle_session_is_in_neither_half():
    # 5 sessions: halves of 2. Dizziness mild, mild | severe (middle) | none, mild:
    # 1.0 early, 0.5 later: exactly half and exactly 0.5 lower -> fading. Counting the middle
    # session in the second half would give (3+0+1)/3 = 1.33 and "not fading".
    course = [session("2024-02-01", effect("dizziness", "mild")), session("2024-02-02", effect("dizziness", "mild")),
              session("2024-02-03", effect("dizziness", "severe")), session("2024-02-04"),
              session("2024-02-05", effect("dizziness", "mild"))]
    [dizziness] = summarize(course)
    assert dizziness == {"name": "dizziness", "sessions": 4, "share": 0.8,
                         "by_severity": {"mild": 3, "moderate": 0, "severe": 1, "unrated": 0}, "fading": True}


def test_same_day_sessions_are_ordered_by_time():
    # 1 Mar (nausea) | 2 Mar 09:00 (nausea) || 2 Mar 15:00 | 3 Mar (nausea): 1 early, 0.5 later -> fading.
    course = [session("2024-03-02", time="15:00"), session("2024-03-01", effect("nausea")),
              session("2024-03-03", effect("nausea")), session("2024-03-02", effect("nausea"), time="09:00")]
    assert summarize(course)[0]["fading"] is True
    # The same with the two times swapped: 0.5 early, 1 later -> not fading.
    swapped = [{**s, "time": {"15:00": "09:00", "09:00": "15:00"}.get(s["time"])} for s in course]
    assert summarize(swapped)[0]["fading"] is False


@pytest.mark.parametrize("early, late, fading", [
    ((1, 1, 1, 1), (1, 0, 1, 0), True),       # mild every time, then every other time: 1 -> 0.5
    ((2, 2, 2, 2), (1, 1, 1, 1), True),       # moderate throughout, then mild throughout: 2 -> 1
    ((1, 1, 0, 0), (1, 0, 0, 0), False),      # halved, but only 0.5 -> 0.25 (0.25 lower)
    ((2, 2, 2, 2), (2, 2, 2, 0), False),      # 2 -> 1.5: not down to half
    ((1, 1, 1, 0), (1, 0, 0, 0), True),       # 0.75 -> 0.25
    ((0, 0, 0, 0), (3, 3, 3, 0), False),      # began later
    ((0, 0, 0, 0), (3, 0, 0, 0), None),       # once in eight sessions: too few to tell
    ((3, 3, 3, 3), (3, 3, 3, 3), False),      # unchanged
])
def test_the_fading_rule_on_eight_sessions(early, late, fading):
    names = {1: "mild", 2: "moderate", 3: "severe"}
    course = [session(f"2024-04-{day + 1:02d}", *([effect("headache", names[weight])] if weight else []))
              for day, weight in enumerate(early + late)]
    [headache] = summarize(course)
    assert headache["fading"] is fading

    assert headache["sessions"] == sum(1 for weight in early + late if weight)


def test_is_fading_boundaries():
    assert is_fading(1.0, 0.5) and is_fading(0.5, 0.0)
    assert not is_fading(1.0, 0.51) and not is_fading(0.49, 0.0) and not is_fading(0.0, 0.0)


def test_fewer_than_four_sessions_say_nothing_about_fading():
    course = [session("2024-05-01", effect("nausea", "severe")), session("2024-05-02"), session("2024-05-03")]
    assert summarize(course) == [{"name": "nausea", "sessions": 1, "share": 0.33,
                                  "by_severity": {"mild": 0, "moderate": 0, "severe": 1, "unrated": 0},
                                  "fading": None}]


def test_ties_go_to_the_heavier_side_effect_then_by_name():
    course = [session("2024-06-01", effect("nausea", "mild"), effect("headache", "severe"), effect("confusion")),
              session("2024-06-02", effect("nausea", "mild"), effect("headache", "mild"), effect("confusion"))]
    # all three in 2 sessions; headache weighs 4, confusion and nausea 2 each (then by name)
    assert [item["name"] for item in summarize(course)] == ["headache", "confusion", "nausea"]


def test_plain_names_as_stored_before_severities_count_as_unrated():
    course = [{"date": "2024-07-01", "side_effects": ["nausea", "dizziness"]},
              {"date": "2024-07-02", "side_effects": ["nausea"]}]
    assert summarize(course) == [
        {"name": "nausea", "sessions": 2, "share": 1.0,
         "by_severity": {"mild": 0, "moderate": 0, "severe": 0, "unrated": 2}, "fading": None},
        {"name": "dizziness", "sessions": 1, "share": 0.5,
         "by_severity": {"mild": 0, "moderate": 0, "severe": 0, "unrated": 1}, "fading": None},
    ]


def test_no_sessions_or_no_side_effects():
    assert summarize([]) == []
    assert summarize([session("2024-08-01"), session("2024-08-02")]) == []


def test_a_side_effect_seen_in_under_3_sessions_is_too_few_to_tell():
    # Once in ten sessions, early: "not fading" would be a claim the data can't make.
    course = [session(f"2024-05-{day:02d}", *([effect("nausea", "mild")] if day == 1 else [])) for day in range(1, 11)]
    assert summarize(course)[0]["fading"] is None
