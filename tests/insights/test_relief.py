"""diary.insights.relief: series, uncontaminated baselines, censoring, typical relief and forecast,
each worked by hand on small diaries."""
import datetime as dt

import pytest

from diary.insights.relief import forecast, group_series, measure, relief_after, typical
from diary.timeutil import short_date

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
    # Days 7-15 at 2, days 16-30 at 6.5: the change point is day 16 (both parts fit exactly), and
    # 6.5 is within 1 of 7 -> back on day 16, relief = 16 - 6 - 1 = 9 days. (The trailing 3-day
    # mean this rule replaced said 11: it needed two more days at 6.5 to cross 6.)
    assert (series.status, series.relief_days, series.returned_on) == ("returned", 9, day(16))


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
    # Series 1 (day 0): anxiety back at 8 from day 4. Booster on day 20: its week (days 13-19) is
    # all after the return, at 8 -> week_before = 8.
    means = {**flat(-7, -1, 7), **flat(0, 3, 2), **flat(4, 19, 8), **flat(20, 30, 3)}
    first, booster = measure([session(0), session(20)], means, today=day(30))
    # Days 1-3 at 2, days 4-19 at 8: back on day 4, the first day at 8 -> 3 days of relief.
    assert (first.status, first.relief_days, first.returned_on) == ("returned", 3, day(4))
    assert (booster.baseline, booster.baseline_source, booster.baseline_days) == (8, "week_before", 7)


def test_a_contaminated_week_falls_back_to_the_last_clean_baseline():
    # Series 1 never comes back before the booster (censored): the booster's week is inside its
    # relief, so the booster uses the pre-treatment baseline, not the low week.
    means = {**flat(-7, -1, 7), **flat(0, 30, 2)}
    _, booster = measure([session(0), session(14)], means, today=day(30))
    assert (booster.baseline, booster.baseline_source, booster.baseline_days) == (7, "pretreatment", 7)


def test_only_the_clean_part_of_the_week_counts():
    # Series 1 returns on day 8; the booster on day 13 has days 8-12 clean (at 9) and 6-7 in relief.
    means = {**flat(-7, -1, 6), **flat(0, 7, 2), **flat(8, 12, 9)}
    first, booster = measure([session(0), session(13)], means, today=day(14))
    assert first.returned_on == day(8)  # the first day at 9
    assert (booster.baseline, booster.baseline_source, booster.baseline_days) == (9, "week_before", 5)


def test_no_diary_days_fall_back_to_the_session_rating():
    # The patient starts the diary on the day of the first infusion: before = 8.
    means = {**flat(0, 4, 3), **flat(5, 9, 8)}
    [series] = measure([session(0, before=8)], means, today=day(9))
    assert (series.baseline, series.baseline_source, series.baseline_days) == (8, "session_rating", 0)
    # Days 1-4 at 3, days 5-9 at 8 (within 1 of 8): back on day 5 -> 4 days of relief.
    assert (series.status, series.relief_days) == ("returned", 4)


def test_no_baseline_at_all_and_no_follow_up_are_not_enough_data():
    [series] = measure([session(0, before=None)], {}, today=day(5))
    assert (series.baseline, series.status, series.relief_days) == (None, "not_enough_data", None)
    [series] = measure([session(0)], flat(-7, -1, 7), today=day(5))
    assert series.status == "not_enough_data"


def test_relief_of_0_days_when_the_first_day_is_back_at_baseline():
    assert relief_after(flat(1, 3, 7), day(0), 7.0, day(3)) == (0, "returned", day(1))


def build_course(relief_lengths, censored_after=(), spacing=20):
    """Boosters ``spacing`` days apart on a baseline of 8; each brings anxiety to 2 for its relief
    length, then back to 8 until the next one. ``censored_after``: boosters followed by the next
    one (or today) while still at 2."""
    means, sessions, n = flat(-7, -1, 8), [], 0
    for i, length in enumerate(relief_lengths):
        sessions.append(session(n, sid=f"b{i}"))
        low_until = n + spacing - 1 if i in censored_after else n + length
        means.update(flat(n, low_until, 2))
        means.update(flat(low_until + 1, n + spacing - 1, 8))
        n += spacing
    return sessions, means, day(n - 1)


def test_typical_relief_is_the_kaplan_meier_median_with_its_quartiles():
    sessions, means, today = build_course([3, 5, 9, 12, 15])
    series = measure(sessions, means, today)
    # Relief = the low days: anxiety is back on the first day at 8.
    assert [s.relief_days for s in series] == [3, 5, 9, 12, 15]
    summary = typical(series)
    assert (summary.returned, summary.censored, summary.method) == (5, 0, "kaplan-meier")
    # KM with no censoring: S = 0.8, 0.6, 0.4, 0.2, 0 after 3, 5, 9, 12, 15.
    assert (summary.low, summary.median_days, summary.high) == (5, 9, 12)
    assert (summary.observed_min, summary.observed_max, summary.status) == (3, 15, "enough")


def test_typical_counts_a_series_cut_short_as_at_least():
    sessions, means, today = build_course([3, 5, 9, 12], censored_after={1})
    series = measure(sessions, means, today)
    assert [(s.status, s.relief_days) for s in series] == [
        ("returned", 3), ("censored", 19), ("returned", 9), ("returned", 12)]
    summary = typical(series)
    # KM over 3, 9, 12 returned and 19 censored: S(3)=3/4, S(9)=1/2 -> median 9; S(12)=1/4.
    assert (summary.low, summary.median_days, summary.high, summary.censored) == (3, 9, 12, 1)
    # The observed range is of the rounds that ended: 3 to 12 (the censored 19 is "at least").
    assert (summary.observed_min, summary.observed_max) == (3, 12)


def test_forecast():
    # Relief after the first three boosters: 5, 7 and 11 days; the fourth is still running.
    sessions, means, _ = build_course([3, 5, 9, 20])
    last = day(60)

    def on(days_since):
        today = last + dt.timedelta(days=days_since)
        series = measure(sessions, means, today)
        return forecast(series, typical(series), today)

    # KM over 3, 5, 9 (+ the running one censored at days_since): low 3, median 5, high 9, so
    # anxiety usually came back on day 4 to day 10 after a session: 64 to 70 from day 60.
    assert on(1).status == "within"
    soon = on(2)
    assert (soon.status, soon.return_from, soon.return_to) == ("approaching", 4, 10)
    assert (soon.fade_from, soon.fade_to) == (day(64), day(70))
    assert on(10).status == "approaching"
    late = on(11)
    assert (late.status, late.days_since, late.last_session) == ("past", 11, last)


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
    from helpers import english_words as words

    # Two returns (5 and 7 days) and three rounds still low when the next session came.
    sessions, means, today = build_course([3, 5, 15, 15, 15], censored_after={2, 3, 4})
    series = measure(sessions, means, today)
    summary = typical(series)
    assert summary.returned == 2 and summary.median_days is None and not summary.enough
    text = words(series, summary, forecast(series, summary, today)).sentence
    assert text.startswith("In most rounds of treatment so far, the next session or today came before anxiety did")
    assert "0 more needed" not in text
    # The headline says how long those rounds lasted, at least, and how many they were; not the
    # longest one as if most rounds had lasted that long.
    from helpers import english_words as words
    assert words(series, summary, forecast(series, summary, today)).headline == (
        "Relief has lasted at least 19 days in 3 of 5 rounds")


def test_the_words_with_enough_returns():
    from helpers import english_words as words

    sessions, means, today = build_course([3, 5, 9, 12])
    series = measure(sessions, means, today)
    summary = typical(series)
    said = words(series, summary, forecast(series, summary, today))
    # KM over 3, 5, 9, 12 (all back): S = 3/4, 1/2, 1/4, 0 -> quartiles 3 and 9, median 5.
    assert said.headline == "Relief usually lasts about 5 days"
    # "Half of ... lasted" is the interquartile range, said as what it is; the last round has come
    # back already: say that, not when it may fade.
    assert said.sentence == ("Half of your rounds of treatment lasted 3–9 days. Since your last session on "
                             f"{short_date(sessions[-1]['date'])} (19 days ago), anxiety came back after 12 days: "
                             "you may want to talk to your clinic about timing.")
    # The method says the observed range, and nothing about "at least" when no round was cut short.
    assert "The 4 rounds that ended lasted 3–12 days." in said.method
    assert not any("at least" in note for note in said.method)
    # The same facts about the patient, for a clinician: no "you", no suggestion.
    about = words(series, summary, forecast(series, summary, today), reader="clinician")
    assert about.sentence == ("Half of the patient’s rounds of treatment lasted 3–9 days. Since the patient’s last "
                              f"session on {short_date(sessions[-1]['date'])} (19 days ago), anxiety came back "
                              "after 12 days.")


def test_the_words_give_the_date_window_while_relief_holds():
    from helpers import english_words as words

    sessions, means, _ = build_course([3, 5, 9, 20])  # the last round still low at day 60 + 5
    today = day(65)
    series = measure(sessions, means, today)
    summary = typical(series)
    outlook = forecast(series, summary, today)
    said = words(series, summary, outlook)
    # KM over 3, 5, 9 and 5 censored: low 3, median 5 (S(5) = 3/4 · 2/3 = 1/2), high 9:
    # back on day 4 to 10 after day 60, so fading from day 64 to day 70.
    assert said.headline == "Relief usually lasts about 5 days"
    # Three rounds came back: their own lengths (3 to 9 days), not quartiles of three.
    assert said.sentence.startswith(f"Relief has lasted 3–9 days, so after your last session on "
                                    f"{short_date(day(60))} it may start to fade between ")
    assert short_date(day(70)) in said.sentence and "It has been 5 days, about when it has faded before" in said.sentence
    assert any("1 still in relief when last checked counts as “at least” that long" in n for n in said.method)


def test_a_non_responder_is_told_so_never_timing():
    from helpers import english_words as words

    # Anxiety 7 before and 7 after every session: three boosters, never any lower.
    means = flat(-7, 60, 7)
    sessions = [session(0), session(20), session(40)]
    series = measure(sessions, means, day(60))
    assert [(s.status, s.relief_days) for s in series] == [("returned", 0)] * 3
    summary = typical(series)
    outlook = forecast(series, summary, day(60))
    assert (summary.status, outlook.status, outlook.fade_from) == ("no_relief", "no_relief", None)
    said = words(series, summary, outlook)
    assert said.headline == "No measurable relief so far"
    assert said.sentence == ("So far no session has brought your anxiety down for more than a day (3 rounds of "
                             "treatment measured). That is worth talking over with your clinic.")
    assert "timing" not in said.sentence and "lasts" not in said.headline and not said.method[1:]


def test_the_sentence_for_a_clinician_leaves_out_what_the_patient_should_do():
    from helpers import english_words as words

    for course in ([], [3, 5, 15, 15, 15], [3]):
        sessions, means, today = build_course(course) if course else ([], {}, dt.date(2026, 3, 1))
        series = measure(sessions, means, today)
        summary = typical(series)
        about = words(series, summary, forecast(series, summary, today), reader="clinician").sentence
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
    # One high day right after the session and then nothing: not confirmed yet, so not a return.
    assert relief_after({day(1): 7}, day(0), 7.0, day(6)) == (None, "not_enough_data", None)
    assert relief_after({day(1): 7, day(2): 7}, day(0), 7.0, day(6)) == (0, "returned", day(1))
    # ... unless the next series started: that day is all the follow-up there is.
    assert relief_after({day(1): 7}, day(0), 7.0, day(1), next_series=True) == (0, "returned", day(1))
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


def test_the_worked_example_in_insights_md():
    # Baseline 7; days after: 2, 3, 2, 8, 2, 2, 7, 7, 6. The 8 is a bad day (6 above the 2s either
    # side) and leaves the fit; the best split of the rest puts the last three apart (mean 6.7,
    # within 1 of 7): back on day 7.
    means = {day(k): v for k, v in enumerate((2, 3, 2, 8, 2, 2, 7, 7, 6), start=1)}
    assert relief_after(means, day(0), 7.0, day(9)) == (6, "returned", day(7))


# --- found in review: returns after gaps, non-responders who log late, open windows -------------

def test_a_return_seen_after_a_gap_since_the_last_session_is_said_and_ends_the_window():
    from helpers import english_words as words

    sessions, means, _ = build_course([10, 12, 14])
    # A fourth session on day 60: 2 on days 61-62, four days without check-ins, 8 on days 67-68.
    sessions.append(session(60, sid="b3"))
    means.update({day(61): 2, day(62): 2, day(67): 8, day(68): 8})
    series = measure(sessions, means, day(68))
    last = series[-1]
    assert (last.status, last.relief_days, last.back_by) == ("censored", 2, day(67))
    summary = typical(series)
    outlook = forecast(series, summary, day(68))
    assert outlook.status == "past"  # not "within": anxiety is back
    said = words(series, summary, outlook).sentence
    assert (f"anxiety was back by {short_date(day(67))}, after at least 2 days (the days between had no "
            "check-ins)") in said
    assert "may start to fade" not in said


def test_an_old_last_check_in_is_said_rather_than_relief_implied():
    from helpers import english_words as words

    sessions, means, _ = build_course([10, 12, 14])
    sessions.append(session(60, sid="b3"))
    means.update({day(61): 2, day(62): 2})  # then nothing for 13 days
    series = measure(sessions, means, day(75))
    summary = typical(series)
    said = words(series, summary, forecast(series, summary, day(75))).sentence
    assert said.endswith(f"The last check-in since then was on {short_date(day(62))}.")


def test_a_non_responder_who_starts_logging_days_after_each_session_is_still_told_no_relief():
    from helpers import english_words as words

    # Anxiety 7 before and after; check-ins only from day 4 after each session (days 1-3 unlogged).
    means = flat(-7, -1, 7)
    for start in (0, 20, 40):
        means.update(flat(start + 4, start + 19, 7))
    sessions = [session(0), session(20), session(40)]
    series = measure(sessions, means, day(59))
    # Nothing low was ever logged: no relief measured, not "3 days" of unlogged relief.
    assert [(s.status, s.relief_days) for s in series] == [("returned", 0)] * 3
    summary = typical(series)
    said = words(series, summary, forecast(series, summary, day(59)))
    assert summary.status == "no_relief" and said.headline == "No measurable relief so far"


def test_relief_of_under_a_day_is_never_about_0_days():
    from helpers import english_words as words

    # Four rounds: back the next day three times, 9 days once -> median 0.
    sessions, means, today = build_course([0, 0, 0, 9])
    series = measure(sessions, means, today)
    summary = typical(series)
    said = words(series, summary, forecast(series, summary, today))
    assert summary.median_days == 0 and said.headline == "Relief usually lasts less than a day"
    assert "0 days" not in said.sentence and "0 days" not in " ".join(said.method)


def test_when_a_quarter_of_the_rounds_outlast_every_return_the_window_has_no_end():
    from helpers import english_words as words

    # Returns after 4, 5, 6 and 7 days; three rounds still low when the next session (or today,
    # day 279) came, 39 days on. KM: S = 6/7, 5/7, 4/7, 3/7 -> quartile 5, median 7, no 75th.
    sessions, means, today = build_course([4, 5, 6, 7, 0, 0, 0], censored_after={4, 5, 6}, spacing=40)
    series = measure(sessions, means, today)
    summary = typical(series)
    assert (summary.low, summary.median_days, summary.high) == (5, 7, None)
    outlook = forecast(series, summary, today)
    assert (outlook.return_from, outlook.return_to, outlook.fade_to, outlook.status) == (6, None, None, "approaching")
    said = words(series, summary, outlook).sentence
    assert said.startswith("Half of your rounds of treatment lasted 7 days or longer, so after your last session on "
                           f"{short_date(day(240))} it may start to fade from {short_date(day(246))}.")
    assert said.endswith("It has been 39 days.")  # not "about when it has faded before", not "longer than usual"


def test_the_confidence_interval_reads_plainly():
    from diary.insights.relief import Typical, _method
    same = Typical(3, 3, 3, 4, 0, ci_low=3, ci_high=3, observed_min=3, observed_max=3)
    assert "the typical length is 3 days (a 95% confidence interval)" in " ".join(map(str, _method(same, 4)))
    open_ended = Typical(5, 4, None, 4, 2, ci_low=5, ci_high=None, observed_min=4, observed_max=6)
    assert "is at least 5 days (a 95% confidence interval that has no upper end yet)" in " ".join(map(str, _method(open_ended, 6)))


def test_the_rating_before_the_next_session_confirms_or_refutes_a_last_day_back():
    # Baseline 8 (pre-treatment week); relief at 2 for days 1-11, then one 8 on day 12, the last
    # logged day before a booster on day 14.
    means = {**flat(-7, -1, 8), **flat(1, 11, 2), day(12): 8}
    # Rated 8 before the booster: anxiety was back on day 12 (relief 11 days).
    first, _ = measure([session(0), session(14, before=8)], means, today=day(15))
    assert (first.status, first.relief_days, first.returned_on) == ("returned", 11, day(12))
    # Rated 2 before the booster: the 8 was one bad day; relief held at least until day 11.
    first, _ = measure([session(0), session(14, before=2)], means, today=day(15))
    assert (first.status, first.relief_days) == ("censored", 11)


# --- closing the last points of the validation goal (docs/VALIDATION.md) ----------------------

def test_a_return_after_unlogged_days_is_dated_in_their_middle_never_later_than_first_seen():
    # Relief at 2 on days 1-6; days 7 and 8 not logged; 7 from day 9. Anxiety came back on day 7,
    # 8 or 9: the middle one, day 8 (relief 7 days), not day 9 (when it was first seen).
    means = {**flat(1, 6, 2), **flat(9, 12, 7)}
    assert relief_after(means, day(0), 7.0, day(12)) == (7, "returned", day(8))
    # One unlogged day (7): day 7 or day 8; the later of the two middles, the day it was seen.
    means = {**flat(1, 6, 2), **flat(8, 12, 7)}
    assert relief_after(means, day(0), 7.0, day(12)) == (7, "returned", day(8))
    # Three unlogged days (7-9): days 7-10, the later middle is day 9.
    means = {**flat(1, 6, 2), **flat(10, 12, 7)}
    assert relief_after(means, day(0), 7.0, day(12)) == (8, "returned", day(9))


def test_a_bad_day_near_the_end_of_relief_is_not_the_return():
    # Relief at 2 with one 9 on day 7, then 2 and 3 again, and back at 7 from day 10. Least squares
    # alone would start the second level at the 9 (three days early); a single day more than 3
    # points above the days either side of it is a bad day, and leaves the fit.
    means = {day(k): v for k, v in enumerate((2, 2, 2, 2, 2, 2, 9, 2, 3, 7, 7, 7, 7), start=1)}
    assert relief_after(means, day(0), 7.0, day(13)) == (9, "returned", day(10))


def test_a_bad_first_night_does_not_hide_the_return_that_follows():
    # A 7 the day after the session (no day before it to call it a bad day), relief at 2-3, then 6s:
    # the 7 inflates both sums of squares and, left in the test, hides the return on day 5.
    means = {day(k): v for k, v in enumerate((7, 3, 2, 2, 6, 6, 6), start=1)}
    assert relief_after(means, day(0), 7.0, day(7)) == (4, "returned", day(5))


def test_a_series_the_rule_keeps_in_relief_is_not_said_to_be_back_without_a_gap():
    # Found in review: days 1-5, 7, 9, 10 and 12 logged (no gap of more than 3 days), none a return
    # by the change-point rule. Relief is "at least", and nothing may say anxiety was back by a day.
    means = {**flat(-7, -1, 7), **{day(k): v for k, v in zip((1, 2, 3, 4, 5, 7, 9, 10, 12),
                                                             (3, 5, 6, 6, 3, 4, 4, 6, 6))}}
    [series] = measure([session(0)], means, today=day(12))
    assert series.status == "censored"
    assert series.back_by is None
