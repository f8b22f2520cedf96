"""diary.insights.relief: series, uncontaminated baselines, censoring, typical relief and forecast,
each worked by hand on small diaries."""
import datetime as dt

import pytest

from diary.insights.relief import forecast, group_series, measure, relief_after, typical

D0 = dt.date(2026, 3, 1)


def day(n):
    return D0 + dt.timedelta(days=n)


def session(n, before=7, sid=None):
    return {"id": sid or f"s{n}", "date": day(n).isoformat(), "anxiety_before": before, "created_at": ""}


def flat(first, last, value):
    return {day(n): value for n in range(first, last + 1)}


def test_sessions_up_to_7_days_apart_are_one_series_boosters_stand_alone():
    sessions = [session(n) for n in (30, 0, 3, 7, 10, 14, 17, 45, 52, 60)]
    groups = group_series(sessions)
    assert [[s["date"] for s in g] for g in groups] == [
        [day(n).isoformat() for n in (0, 3, 7, 10, 14, 17)], [day(30).isoformat()],
        [day(45).isoformat(), day(52).isoformat()], [day(60).isoformat()]]


def test_induction_course_measured_from_its_last_session_against_the_pretreatment_week():
    # Pre-treatment week at 7; sessions on days 0, 3, 6 pull anxiety to 2 and hold it; it comes back
    # to 6.5 from day 16. The week before day 6 (days -1..5) sits near 2: a per-session baseline
    # would call that "no relief". The series baseline is the pre-treatment week: 7.
    means = {**flat(-7, -1, 7), **flat(0, 15, 2), **flat(16, 30, 6.5)}
    [series] = measure([session(0), session(3), session(6)], means, today=day(30))
    assert (series.baseline, series.baseline_source, series.baseline_days) == (7, "pretreatment", 7)
    # Day k after day 6: the 3-day mean of days max(7, k-2)..k. Day 16 (k=10): (2+2+6.5)/3 = 3.5,
    # not yet within 1 of 7; day 17: (2+6.5+6.5)/3 = 5.0; day 18: 6.5 >= 6 -> returned on day 18,
    # relief = 18 - 6 - 1 = 11 days.
    assert (series.status, series.relief_days, series.returned_on) == ("returned", 11, day(18))


def test_the_next_series_censors_relief_at_least_n_days():
    means = {**flat(-7, -1, 7), **flat(0, 25, 2)}
    first, second = measure([session(0), session(20)], means, today=day(25))
    # Still at 2 when the booster on day 20 comes: followed up to day 19 -> at least 19 days.
    assert (first.status, first.relief_days) == ("censored", 19)
    # Today (day 25) arrives before a return: at least 5 days, never "ongoing".
    assert (second.status, second.relief_days) == ("censored", 5)


def test_censoring_counts_only_observed_days():
    means = {**flat(-7, -1, 7), day(1): 2, day(2): 2}  # then no check-ins until the booster
    first, _ = measure([session(0), session(20)], means, today=day(25))
    assert (first.status, first.relief_days) == ("censored", 2)


def test_a_later_series_uses_its_week_before_only_outside_the_previous_relief():
    # Series 1 (day 0) returns on day 6 (anxiety back at 8 from day 4: day 4 mean (2+2+8)/3=4 <7,
    # day 5: 6 < 7... see below). Booster on day 20: its week (days 13-19) is all after the return,
    # at 8 -> week_before = 8.
    means = {**flat(-7, -1, 7), **flat(0, 3, 2), **flat(4, 19, 8), **flat(20, 30, 3)}
    first, booster = measure([session(0), session(20)], means, today=day(30))
    # Day 4: mean(days 2..4) = (2+2+8)/3 = 4.0 < 6; day 5: (2+8+8)/3 = 6.0 >= 6 -> returned day 5.
    assert (first.status, first.relief_days, first.returned_on) == ("returned", 4, day(5))
    assert (booster.baseline, booster.baseline_source, booster.baseline_days) == (8, "week_before", 7)


def test_a_contaminated_week_falls_back_to_the_last_clean_baseline():
    # Series 1 never comes back before the booster (censored): the booster's week is inside its
    # relief, so the booster uses the pre-treatment baseline, not the low week.
    means = {**flat(-7, -1, 7), **flat(0, 30, 2)}
    _, booster = measure([session(0), session(14)], means, today=day(30))
    assert (booster.baseline, booster.baseline_source, booster.baseline_days) == (7, "pretreatment", 7)


def test_only_the_clean_part_of_the_week_counts():
    # Series 1 returns on day 10; the booster on day 13 has days 10-12 clean (at 9) and 6-9 in relief.
    means = {**flat(-7, -1, 6), **flat(0, 7, 2), **flat(8, 12, 9)}
    first, booster = measure([session(0), session(13)], means, today=day(14))
    assert first.returned_on == day(9)  # day 9: (2 + 9 + 9)/3 = 6.67 >= 5
    assert (booster.baseline, booster.baseline_source, booster.baseline_days) == (9, "week_before", 4)


def test_no_diary_days_fall_back_to_the_session_rating():
    # The patient starts the diary on the day of the first infusion: before = 8.
    means = {**flat(0, 4, 3), **flat(5, 9, 8)}
    [series] = measure([session(0, before=8)], means, today=day(9))
    assert (series.baseline, series.baseline_source, series.baseline_days) == (8, "session_rating", 0)
    # Day 5: (3+3+8)/3 = 4.67; day 6: (3+8+8)/3 = 6.33; day 7: 8 >= 7 -> returned on day 7.
    assert (series.status, series.relief_days) == ("returned", 6)


def test_no_baseline_at_all_and_no_follow_up_are_not_enough_data():
    [series] = measure([session(0, before=None)], {}, today=day(5))
    assert (series.baseline, series.status, series.relief_days) == (None, "not_enough_data", None)
    [series] = measure([session(0)], flat(-7, -1, 7), today=day(5))
    assert series.status == "not_enough_data"


def test_relief_of_0_days_when_the_first_day_is_back_at_baseline():
    assert relief_after(flat(1, 3, 7), day(0), 7.0, day(3)) == (0, "returned", day(1))


def build_course(relief_lengths, censored_after=()):
    """Boosters 20 days apart on a baseline of 8; each brings anxiety to 2 for its relief length,
    then back to 8 until the next one. ``censored_after``: boosters followed by the next one while
    still at 2."""
    means, sessions, n = flat(-7, -1, 8), [], 0
    for i, length in enumerate(relief_lengths):
        sessions.append(session(n, sid=f"b{i}"))
        low_until = n + 19 if i in censored_after else n + length
        means.update(flat(n, low_until, 2))
        means.update(flat(low_until + 1, n + 19, 8))
        n += 20
    return sessions, means, day(n - 20 + 19)


def test_typical_relief_is_the_kaplan_meier_median_with_its_quartiles():
    sessions, means, today = build_course([3, 5, 9, 12, 15])
    series = measure(sessions, means, today)
    # Relief = the low days + 1 (the 3-day mean needs one day at 8 after 2s to cross 7: (2+2+8)/3=4;
    # two days: (2+8+8)/3 = 6 < 7; three days at 8: 8 -> returned on the third day back).
    assert [s.relief_days for s in series[:-1]] == [5, 7, 11, 14]
    summary = typical(series)
    assert (summary.returned, summary.censored, summary.method) == (5, 0, "kaplan-meier")
    assert (summary.low, summary.median_days, summary.high) == (7, 11, 14)


def test_typical_counts_a_series_cut_short_as_at_least():
    sessions, means, today = build_course([3, 5, 9, 12], censored_after={1})
    series = measure(sessions, means, today)
    assert [(s.status, s.relief_days) for s in series] == [
        ("returned", 5), ("censored", 19), ("returned", 11), ("returned", 14)]
    summary = typical(series)
    # KM over 5, 11, 14 returned and 19 censored: S(5)=3/4, S(11)=1/2 -> median 11; S(14)=1/4.
    assert (summary.low, summary.median_days, summary.high, summary.censored) == (5, 11, 14, 1)


def test_forecast():
    # Relief after the first three boosters: 5, 7 and 11 days; the fourth is still running.
    sessions, means, _ = build_course([3, 5, 9, 20])
    last = day(60)

    def on(days_since):
        today = last + dt.timedelta(days=days_since)
        series = measure(sessions, means, today)
        return forecast(series, typical(series), today)

    # KM over 5, 7, 11 (+ the running one censored at days_since): low 5, median 7, high 11, so
    # anxiety usually came back on day 6 to day 12 after a session.
    assert on(3).status == "within"
    assert (on(4).status, on(4).return_from, on(4).return_to) == ("approaching", 6, 12)
    assert on(12).status == "approaching"
    late = on(13)
    assert (late.status, late.days_since, late.last_session) == ("past", 13, last)


def test_forecast_is_past_once_anxiety_has_come_back():
    sessions, means, today = build_course([3, 5, 9, 12])
    series = measure(sessions, means, today)  # the last booster returned after 14 days
    assert forecast(series, typical(series), today).status == "past"


def test_forecast_is_unknown_with_fewer_than_2_returned_series():
    sessions, means, today = build_course([3])
    series = measure(sessions, means, today)
    assert forecast(series, typical(series), today).status == "unknown"
    assert forecast([], typical([]), today).status == "unknown"


@pytest.mark.parametrize("gap, groups", [(7, 1), (8, 2)])
def test_the_gap_rule_is_inclusive(gap, groups):
    assert len(group_series([session(0), session(gap)])) == groups


def test_the_sentence_when_most_rounds_were_cut_short():
    from diary.insights.relief import sentence
    from diary.timeutil import short_date

    # Two returns (5 and 7 days) and three rounds still low when the next session came.
    sessions, means, today = build_course([3, 5, 15, 15, 15], censored_after={2, 3, 4})
    series = measure(sessions, means, today)
    summary = typical(series)
    assert summary.returned == 2 and summary.median_days is None and not summary.enough
    text = sentence(series, summary, forecast(series, summary, today), short_date)
    assert text.startswith("In most rounds of treatment so far, the next session or today came before anxiety did")
    assert "0 more needed" not in text


def test_the_sentence_with_enough_returns():
    from diary.insights.relief import sentence
    from diary.timeutil import short_date
    sessions, means, today = build_course([3, 5, 9, 12])
    series = measure(sessions, means, today)
    summary = typical(series)
    text = sentence(series, summary, forecast(series, summary, today), short_date)
    assert text.startswith("Over 4 rounds of treatment, anxiety came back after 5–11 days (typically 7 days).")
    # The last round has come back already: say that, not "past when it usually comes back".
    assert "(19 days ago), it came back after 14 days: you may want to talk to your clinic" in text
    # The same facts about the patient, for a clinician: no "you", no suggestion.
    about = sentence(series, summary, forecast(series, summary, today), short_date, reader="clinician")
    assert about.startswith("Over 4 rounds of treatment, anxiety came back after 5–11 days (typically 7 days).")
    assert about.endswith("Since the last session on " + short_date(sessions[-1]["date"]) +
                          " (19 days ago), it came back after 14 days.")


def test_the_sentence_for_a_clinician_leaves_out_what_the_patient_should_do():
    from diary.insights.relief import sentence
    from diary.timeutil import short_date
    for course in ([], [3, 5, 15, 15, 15], [3]):
        sessions, means, today = build_course(course) if course else ([], {}, dt.date(2026, 3, 1))
        series = measure(sessions, means, today)
        summary = typical(series)
        about = sentence(series, summary, forecast(series, summary, today), short_date, reader="clinician")
        assert "you" not in about.lower() and "Keep checking in" not in about, about


def test_same_day_response_takes_check_ins_later_that_day():
    from diary.insights.relief import same_day
    session_ = {"anxiety_before": 8, "anxiety_after": 3, "time": "10:00", "created_at": "2026-03-01T16:00:00.000Z"}
    checkins = [{"time": "08:00", "created_at": "2026-03-01T08:00:00.000Z", "anxiety": 8},
                {"time": "14:00", "created_at": "2026-03-01T14:00:00.000Z", "anxiety": 4},
                {"time": None, "created_at": "2026-03-01T20:00:00.000Z", "anxiety": 2},   # no time: saved later
                {"time": None, "created_at": "2026-03-01T09:00:00.000Z", "anxiety": 9}]   # saved before
    assert same_day(session_, checkins) == {"before": 8, "after": 3, "later": [4, 2], "later_mean": 3}
    assert same_day({**session_, "time": None}, checkins)["later"] == [2]
    assert same_day(session_, [])["later_mean"] is None


# --- found in review -------------------------------------------------------------------

def test_a_gap_in_logging_is_not_counted_as_relief():
    # Low on days 1-3, then a holiday, then back at 7 on day 18: when it came back is unknown.
    means = {**flat(-7, -1, 7), **flat(1, 3, 2), day(18): 7}
    [series] = measure([session(0)], means, today=day(20))
    assert (series.status, series.relief_days) == ("censored", 3)
    # A high day right after the session and then nothing: not a return dated on an empty day.
    assert relief_after({day(1): 7}, day(0), 7.0, day(6)) == (0, "returned", day(1))
    assert relief_after({day(5): 7}, day(0), 7.0, day(6)) == (None, "not_enough_data", None)


def test_a_booster_during_relief_never_takes_its_own_rating_as_baseline():
    # The diary starts at the first infusion (rated 8); anxiety sits at 2 for 25 days; a booster
    # on day 14 is rated 2 (still in relief). Its baseline is the first infusion's rating, 8.
    means = flat(0, 25, 2)
    first, booster = measure([session(0, before=8), session(14, before=2)], means, today=day(25))
    assert (first.baseline, first.baseline_source, first.status, first.relief_days) == (8, "session_rating", "censored", 13)
    assert (booster.baseline, booster.baseline_source, booster.baseline_series) == (8, "session_rating", 1)
    assert (booster.status, booster.relief_days) == ("censored", 11)


def test_an_inherited_baseline_names_its_series():
    means = {**flat(-7, -1, 7), **flat(0, 30, 2)}
    first, booster = measure([session(0), session(14)], means, today=day(30))
    assert (first.baseline_series, booster.baseline_series) == (1, 1)
