"""diary.insights.attention: the provider dashboard's numbers and flags, by hand."""
import datetime as dt

from diary.insights.attention import summarize

TODAY = dt.date(2026, 3, 31)


def days_ago(*pairs):
    """{date: mean} from (days before TODAY, mean) pairs."""
    return {TODAY - dt.timedelta(days=n): v for n, v in pairs}


def test_steady_patient_has_no_flags():
    means = days_ago(*[(n, 4) for n in range(14)])
    s = summarize(means, TODAY, TODAY)
    assert (s.mean_7, s.previous_mean_7, s.flags) == (4, 4, ())
    assert len(s.sparkline) == 30 and s.sparkline[-1] == 4 and s.sparkline[0] is None


def test_high_week():
    s = summarize(days_ago((0, 7), (1, 8), (3, 6)), TODAY, TODAY)  # (7 + 8 + 6) / 3 = 7
    assert s.mean_7 == 7 and "high" in s.flags


def test_rising_by_two_points():
    # This week 6, 6 -> 6; the week before 4, 4 -> 4: up exactly 2.
    s = summarize(days_ago((0, 6), (6, 6), (7, 4), (13, 4)), TODAY, TODAY)
    assert s.flags == ("rising",)
    assert "rising" not in summarize(days_ago((0, 5.9), (7, 4)), TODAY, TODAY).flags


def test_quiet_after_seven_days_without_a_checkin():
    assert summarize(days_ago((6, 3)), TODAY, TODAY - dt.timedelta(days=6)).flags == ()
    s = summarize(days_ago((7, 3)), TODAY, TODAY - dt.timedelta(days=7))
    assert s.flags == ("quiet",) and s.mean_7 is None
    assert summarize({}, TODAY, None).flags == ("quiet",)


def test_change_from_the_pre_treatment_baseline():
    first_session = TODAY - dt.timedelta(days=20)
    # Baseline week (27-21 days ago): 8, 8, 8 -> 8. This week: 3 -> change -5.
    means = days_ago((27, 8), (24, 8), (21, 8), (0, 3))
    assert summarize(means, TODAY, TODAY, first_session).change_from_baseline == -5
    thin = days_ago((24, 8), (21, 8), (0, 3))  # 2 of 7 baseline days: not enough
    assert summarize(thin, TODAY, TODAY, first_session).change_from_baseline is None
    assert summarize(means, TODAY, TODAY, None).change_from_baseline is None


# --- safety, severe and spike -------------------------------------------

from diary.insights.attention import FLAG_ORDER, urgency  # noqa: E402


def test_a_checkin_of_9_or_10_in_the_last_3_days_is_a_spike():
    means = days_ago((2, 4))
    s = summarize(means, TODAY, TODAY - dt.timedelta(days=2), highest=days_ago((2, 9)))
    assert s.flags == ("spike",)
    assert s.reasons[0].text == "Checked in at 9 on Sun 29 Mar" and s.reasons[0].date == dt.date(2026, 3, 29)
    older = summarize(days_ago((3, 4)), TODAY, TODAY - dt.timedelta(days=3), highest=days_ago((3, 10)))
    assert "spike" not in older.flags
    eight = summarize(days_ago((0, 8)), TODAY, TODAY, highest=days_ago((0, 8)))
    assert "spike" not in eight.flags


def test_a_day_3_points_above_the_week_before_is_a_spike():
    # The week before today: 3, 3 -> 3. Today 6: exactly 3 above. 5.9 is not.
    week = [(n, 3) for n in (1, 7)]
    s = summarize(days_ago((0, 6), *week), TODAY, TODAY, highest=days_ago((0, 6)))
    assert s.flags == ("spike",)
    assert s.reasons[0].text == "Tue 31 Mar averaged 6.0, 3.0 above the week before (3.0)"
    assert "spike" not in summarize(days_ago((0, 5.9), *week), TODAY, TODAY, highest=days_ago((0, 5))).flags


def test_severe_questionnaire_results():
    gad = {"instrument": "gad7", "date": "2026-03-04", "total": 15, "severity": "severe"}  # 28 days ago: counts
    phq = {"instrument": "phq9", "date": "2026-03-25", "total": 19, "severity": "moderately_severe"}
    s = summarize(days_ago((0, 3)), TODAY, TODAY, latest_assessments={"gad7": gad, "phq9": phq})
    assert s.flags == ("severe",)
    assert s.reasons[0].text == "GAD-7 15 (severe) on Wed 4 Mar"
    stale = {**gad, "date": "2026-03-03"}  # 29 days ago: too old to say much about today
    assert summarize(days_ago((0, 3)), TODAY, TODAY, latest_assessments={"gad7": stale, "phq9": phq}).flags == ()
    mild = {**gad, "total": 14, "severity": "moderate"}
    assert summarize(days_ago((0, 3)), TODAY, TODAY, latest_assessments={"gad7": mild, "phq9": phq}).flags == ()
    phq20 = {**phq, "total": 20, "severity": "severe"}
    s = summarize(days_ago((0, 3)), TODAY, TODAY, latest_assessments={"gad7": gad, "phq9": phq20})
    assert s.reasons[0].text == "PHQ-9 20 (severe) on Wed 25 Mar"  # the newer of the two


def test_flags_come_most_urgent_first():
    safety = {"date": "2026-03-30", "text": "Crisis language in a check-in on Mon 30 Mar"}
    gad = {"instrument": "gad7", "date": "2026-03-20", "total": 21, "severity": "severe"}
    means = days_ago((0, 9), (1, 9), (7, 2), (8, 2))
    s = summarize(means, TODAY, TODAY, highest=days_ago((0, 10)), safety=safety,
                  latest_assessments={"gad7": gad})
    assert s.flags == ("safety", "severe", "spike", "high", "rising")
    assert s.reasons[0].text == "Crisis language in a check-in on Mon 30 Mar"


def test_urgency_sorts_by_flag_then_most_recent_event_then_name():
    def line(name, *reasons):
        return {"name": name, "key": urgency(reasons, name)}
    from diary.insights.attention import Reason
    day = lambda n: TODAY - dt.timedelta(days=n)  # noqa: E731
    rows = [
        line("Quiet Quinn", Reason("quiet", day(1), "")),
        line("Calm Cal"),
        line("Old safety", Reason("safety", day(9), ""), Reason("high", day(0), "")),
        line("New safety", Reason("safety", day(1), "")),
        line("Spiky", Reason("spike", day(0), "")),
        line("Severe", Reason("severe", day(20), "")),
        line("Worse", Reason("worse", day(25), ""), Reason("spike", day(0), "")),
        line("Never logged", Reason("quiet", None, "")),
        line("Another quiet", Reason("quiet", day(1), "")),
    ]
    ordered = [r["name"] for r in sorted(rows, key=lambda r: r["key"])]
    assert ordered == ["New safety", "Old safety", "Severe", "Worse", "Spiky", "Another quiet", "Quiet Quinn",
                       "Never logged", "Calm Cal"]
    assert FLAG_ORDER == ("safety", "severe", "worse", "spike", "high", "rising", "quiet")
