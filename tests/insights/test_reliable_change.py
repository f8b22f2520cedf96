"""Reliable change, response and remission against the baseline, worked by hand."""
import pytest

from diary.insights.reliable_change import (
    DETERIORATION,
    IMPROVEMENT,
    NO_CHANGE,
    baseline,
    compare,
    describe,
    since_baseline,
)


def result(n, instrument, date, total):
    return {"id": f"{instrument}-{n}", "instrument": instrument, "date": date, "total": total,
            "created_at": f"{date}T09:00:00.000Z"}


def test_the_baseline_is_the_last_result_in_the_28_days_before_the_first_session():
    results = [result(1, "gad7", "2026-01-01", 15), result(2, "gad7", "2026-02-10", 14),
               result(3, "gad7", "2026-02-20", 13), result(4, "gad7", "2026-03-10", 6)]
    base, source = baseline(results, "2026-03-01")
    assert (base["id"], source) == ("gad7-3", "before_treatment")
    # 2026-02-01 is exactly 28 days before 2026-03-01: still in the window; 2026-01-31 is not.
    assert baseline([result(1, "gad7", "2026-02-01", 12)], "2026-03-01")[1] == "before_treatment"
    assert baseline([result(1, "gad7", "2026-01-31", 12)], "2026-03-01")[1] == "first_result"


def test_without_a_session_or_a_result_before_it_the_first_result_is_the_baseline():
    results = [result(2, "phq9", "2026-04-02", 9), result(1, "phq9", "2026-04-01", 11)]
    assert baseline(results, None) == (results[1], "first_result")
    assert baseline(results, "2026-03-01") == (results[1], "first_result")  # all after the session
    assert baseline([], None) is None


@pytest.mark.parametrize("instrument, base, total, reliable", [
    ("gad7", 12, 8, IMPROVEMENT),     # down 4: the GAD-7's threshold
    ("gad7", 12, 9, NO_CHANGE),       # down 3
    ("gad7", 12, 16, DETERIORATION),  # up 4
    ("gad7", 12, 15, NO_CHANGE),
    ("phq9", 15, 9, IMPROVEMENT),     # down 6: the PHQ-9's threshold
    ("phq9", 15, 10, NO_CHANGE),      # down 5
    ("phq9", 9, 15, DETERIORATION),   # up 6
    ("phq9", 9, 14, NO_CHANGE),
])
def test_reliable_change_thresholds(instrument, base, total, reliable):
    assert compare(instrument, total, {"id": "b", "date": "2026-01-01", "total": base}, "first_result").reliable == reliable


@pytest.mark.parametrize("base, total, response, remission", [
    (14, 7, True, False),   # exactly half: a response
    (14, 8, False, False),
    (14, 4, True, True),    # below 5: remission
    (8, 5, False, False),   # 5 is mild, not remission
    (6, 3, True, True),
    (4, 1, None, None),     # a minimal baseline: nothing to respond or remit from
])
def test_response_and_remission(base, total, response, remission):
    label = compare("phq9", total, {"id": "b", "date": "2026-01-01", "total": base}, "before_treatment")
    assert (label.response, label.remission) == (response, remission)


def test_every_result_after_its_own_questionnaires_baseline_is_labelled():
    results = [result(1, "gad7", "2026-02-25", 14), result(2, "gad7", "2026-03-15", 9),
               result(3, "gad7", "2026-04-01", 19), result(1, "phq9", "2026-03-20", 12),
               result(2, "phq9", "2026-04-10", 5)]
    labels = since_baseline(results, "2026-03-01")
    assert set(labels) == {"gad7-2", "gad7-3", "phq9-2"}  # the baselines themselves have none
    assert (labels["gad7-2"].change, labels["gad7-2"].reliable, labels["gad7-2"].baseline_source) == (
        -5, IMPROVEMENT, "before_treatment")
    assert labels["gad7-3"].reliable == DETERIORATION
    assert (labels["phq9-2"].change, labels["phq9-2"].reliable, labels["phq9-2"].response,
            labels["phq9-2"].baseline_source) == (-7, IMPROVEMENT, True, "first_result")


def test_the_sentence_says_which_way_by_how_much_and_the_rule():
    label = compare("phq9", 16, {"id": "b", "date": "2026-11-02", "total": 9}, "before_treatment")
    assert describe("PHQ-9", 16, label) == (
        "Reliably worse than before treatment: PHQ-9 16, up 7 from 9 (6 points or more counts)")
    label = compare("gad7", 3, {"id": "b", "date": "2026-11-02", "total": 12}, "first_result")
    assert describe("GAD-7", 3, label) == (
        "Reliably better than the first result: GAD-7 3, down 9 from 12 (4 points or more counts); "
        "response and remission")
    label = compare("gad7", 10, {"id": "b", "date": "2026-11-02", "total": 10}, "first_result")
    assert describe("GAD-7", 10, label).startswith("No reliable change since the first result: GAD-7 10, the same as 10")
