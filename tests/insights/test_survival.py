"""diary.insights.survival: Kaplan–Meier against a textbook case and hand-worked ones."""
import pytest

from diary.insights.survival import kaplan_meier, quantile, survival_at

# Freireich et al. (1963), 6-MP arm: remission times in weeks, + = censored. The product-limit
# estimates are the ones published in Kleinbaum & Klein, Survival Analysis (3rd ed.), Table 2.2
# (and reproduced by lifelines' KaplanMeierFitter): S(6)=.857, S(7)=.807, S(10)=.753,
# S(13)=.690, S(16)=.627, S(22)=.538, S(23)=.448; median 23 weeks.
SIX_MP = [(6, 1), (6, 1), (6, 1), (6, 0), (7, 1), (9, 0), (10, 1), (10, 0), (11, 0), (13, 1), (16, 1),
          (17, 0), (19, 0), (20, 0), (22, 1), (23, 1), (25, 0), (32, 0), (32, 0), (34, 0), (35, 0)]
PUBLISHED = {6: .857, 7: .807, 10: .753, 13: .690, 16: .627, 22: .538, 23: .448}


def six_mp():
    return kaplan_meier([t for t, _ in SIX_MP], [bool(e) for _, e in SIX_MP])


def test_six_mp_matches_the_published_estimates():
    steps = six_mp()
    for time, value in PUBLISHED.items():
        assert survival_at(steps, time) == pytest.approx(value, abs=0.0005), time
    assert quantile(steps, 0.5) == 23
    assert quantile(steps, 0.25) == 13  # S(13) = .690 is the first at or below .75
    assert quantile(steps, 0.75) is None  # S never falls to .25: "at least"


def test_at_risk_counts_keep_censored_cases_at_their_time():
    steps = six_mp()
    first = steps[0]
    assert (first.time, first.at_risk, first.events, first.censored) == (6, 21, 3, 1)
    assert [s.at_risk for s in steps if s.time in (7, 10)] == [17, 15]


def test_ignoring_censoring_gives_a_different_median():
    # Relief of 5 series: anxiety came back after 2, 4 and 10 days; two series were cut short by
    # the next booster after 5 and 6 days ("at least 5", "at least 6").
    durations, observed = [2, 4, 5, 6, 10], [True, True, False, False, True]
    steps = kaplan_meier(durations, observed)
    # By hand: S(2) = 4/5 = 0.8; S(4) = 0.8 x 3/4 = 0.6; 5 and 6 leave the risk set without an
    # event; S(10) = 0.6 x 0/1 = 0. The median is 10 days.
    assert [round(survival_at(steps, t), 3) for t in (2, 4, 6, 10)] == [0.8, 0.6, 0.6, 0.0]
    assert quantile(steps, 0.5) == 10 and quantile(steps, 0.25) == 4
    # Counting the cut-short series as returns says 5 days; dropping them says 4. Both wrong.
    assert quantile(kaplan_meier(durations, [True] * 5), 0.5) == 5
    assert quantile(kaplan_meier([2, 4, 10], [True] * 3), 0.5) == 4


def test_all_censored_or_empty():
    assert quantile(kaplan_meier([4, 9], [False, False]), 0.5) is None
    assert kaplan_meier([], []) == []
    assert survival_at([], 5) == 1.0


def test_events_before_censorings_at_the_same_time():
    steps = kaplan_meier([2, 2, 2, 2], [True, False, True, False])
    assert steps[0].survival == pytest.approx(0.5) and quantile(steps, 0.5) == 2
