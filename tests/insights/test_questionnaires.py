"""diary.insights.questionnaires: the published items and bands, scored exactly at every boundary."""
import pytest

from diary.insights.questionnaires import (
    ANSWERS,
    DIFFICULTY_ANSWERS,
    GAD7,
    INSTRUMENTS,
    PHQ9,
    is_severe,
    score,
    self_harm_answer,
    severity,
)


@pytest.mark.parametrize("total, expected", [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "severe"), (21, "severe"),
])
def test_gad7_bands_at_every_boundary(total, expected):
    assert severity(GAD7, total) == expected


@pytest.mark.parametrize("total, expected", [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe"),
])
def test_phq9_bands_at_every_boundary(total, expected):
    assert severity(PHQ9, total) == expected


@pytest.mark.parametrize("instrument, total", [(GAD7, -1), (GAD7, 22), (PHQ9, 28)])
def test_totals_outside_the_scale_are_refused(instrument, total):
    with pytest.raises(ValueError):
        severity(instrument, total)


def answers_adding_up_to(instrument, total):
    """Answers (each 0-3) in item order that add up to ``total``."""
    answers = []
    for _ in instrument.items:
        answers.append(min(3, total - sum(answers)))
    return answers


@pytest.mark.parametrize("instrument", [GAD7, PHQ9], ids=lambda i: i.key)
def test_score_is_the_sum_of_the_answers_for_every_possible_total(instrument):
    for total in range(instrument.max_total + 1):
        answers = answers_adding_up_to(instrument, total)
        assert score(instrument, answers).total == total
        assert score(instrument, answers).severity == severity(instrument, total)


def test_score_refuses_wrong_counts_and_values():
    with pytest.raises(ValueError):
        score(GAD7, [0] * 6)
    with pytest.raises(ValueError):
        score(PHQ9, [0] * 8 + [4])


def test_items_exactly_as_published():
    # Spitzer et al. 2006 (GAD-7) and Kroenke et al. 2001 (PHQ-9), as on the Pfizer forms.
    assert GAD7.items[0] == "Feeling nervous, anxious or on edge"
    assert GAD7.items[6] == "Feeling afraid as if something awful might happen"
    assert len(GAD7.items) == 7 and GAD7.max_total == 21
    assert PHQ9.items[0] == "Little interest or pleasure in doing things"
    assert PHQ9.items[8] == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert len(PHQ9.items) == 9 and PHQ9.max_total == 27
    assert GAD7.stem.startswith("Over the last 2 weeks") and "any of the following" in PHQ9.stem
    assert [label for _, label, _ in ANSWERS] == [
        "Not at all", "Several days", "More than half the days", "Nearly every day"]
    assert [label for label, _ in DIFFICULTY_ANSWERS] == [
        "Not difficult at all", "Somewhat difficult", "Very difficult", "Extremely difficult"]


def test_loinc_codes():
    assert (GAD7.panel_loinc, GAD7.total_loinc) == ("69737-5", "70274-6")
    assert (PHQ9.panel_loinc, PHQ9.total_loinc, PHQ9.item_loinc[9]) == ("44249-1", "44261-6", "44260-8")
    assert [code for _, _, code in ANSWERS] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    for instrument in INSTRUMENTS.values():
        assert sorted(instrument.item_loinc) == list(range(1, len(instrument.items) + 1))
        assert len(set(instrument.item_loinc.values())) == len(instrument.items)


def test_only_phq9_item_9_above_0_is_a_self_harm_answer():
    assert self_harm_answer("phq9", [0] * 9) is None
    assert self_harm_answer("phq9", [3] * 8 + [0]) is None
    assert self_harm_answer("phq9", [0] * 8 + [1]) == 1
    assert self_harm_answer("phq9", [0] * 8 + [3]) == 3
    assert self_harm_answer("gad7", [3] * 7) is None


@pytest.mark.parametrize("key, total, expected", [
    ("gad7", 14, False), ("gad7", 15, True), ("phq9", 19, False), ("phq9", 20, True)])
def test_severe_flag_thresholds(key, total, expected):
    assert is_severe(key, total) is expected
