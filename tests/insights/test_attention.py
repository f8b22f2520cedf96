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
