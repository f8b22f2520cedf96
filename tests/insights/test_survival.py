"""diary.insights.survival: Kaplan–Meier against a textbook case, hand-worked ones and lifelines."""
import math
import random

import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from diary.insights.survival import confidence_band, kaplan_meier, median_confidence_interval, quantile, survival_at

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


# The median's confidence interval (Brookmeyer–Crowley on the log(-log) Greenwood band) is checked
# against lifelines: median_survival_times(KaplanMeierFitter().fit(...).confidence_interval_), whose
# inf ("not reached") is our None.

def lifelines_median_interval(durations, observed, alpha=0.05):
    fitter = KaplanMeierFitter().fit(durations, observed, alpha=alpha)
    low, high = median_survival_times(fitter.confidence_interval_).iloc[0]
    return tuple(None if math.isinf(value) else float(value) for value in (low, high))


def test_six_mp_median_interval_matches_lifelines():
    durations, observed = [t for t, _ in SIX_MP], [bool(e) for _, e in SIX_MP]
    # Median 23 weeks; 95 %: from 13 weeks, upper limit not reached (after the last event, at 23
    # weeks, the band's upper curve stays at .680).
    assert median_confidence_interval(durations, observed) == (13, None)
    for alpha in (0.05, 0.1, 0.2, 0.5):
        assert median_confidence_interval(durations, observed, alpha) == pytest.approx(
            lifelines_median_interval(durations, observed, alpha)), alpha


def test_six_mp_band_matches_lifelines():
    durations, observed = [t for t, _ in SIX_MP], [bool(e) for _, e in SIX_MP]
    reference = KaplanMeierFitter().fit(durations, observed).confidence_interval_
    band = confidence_band(kaplan_meier(durations, observed))
    assert [time for time, _, _ in band] == list(reference.index[1:])  # lifelines adds time 0
    for (time, lower, upper), (ref_lower, ref_upper) in zip(band, reference.values[1:]):
        assert (lower, upper) == pytest.approx((ref_lower, ref_upper), rel=1e-12, abs=1e-15), time


def test_hand_worked_median_interval():
    # Anxiety came back after 1, 2, 3, 4 and 5 days (5 series, no censoring); z = 1.959964.
    # Greenwood V(t) = sum d / (n (n - d)); the band is S ** exp(+-z sqrt(V) / |log S|):
    #   day  at risk  S    V                       z sqrt(V)/|log S|   lower            upper
    #   1    5        .8   1/20          = .0500   1.9640              .8 ** 7.128 = .204   .8 ** (1/7.128) = .969
    #   2    4        .6   .05 + 1/12    = .1333   1.4010              .6 ** 4.059 = .126   .6 ** (1/4.059) = .882
    #   3    3        .4   .1333 + 1/6   = .3000   1.1716              .4 ** 3.227 = .052   .4 ** (1/3.227) = .753
    #   4    2        .2   .3 + 1/2      = .8000   1.0892              .2 ** 2.972 = .008   .2 ** (1/2.972) = .582
    #   5    1        0    (S = 0: the band is 0)                      0                0
    # The median is 3 days; the lower curve is at or below .5 from day 1, the upper from day 5.
    durations, observed = [1, 2, 3, 4, 5], [True] * 5
    band = confidence_band(kaplan_meier(durations, observed))
    assert [(t, round(lo, 3), round(up, 3)) for t, lo, up in band] == [
        (1, .204, .969), (2, .126, .882), (3, .052, .753), (4, .008, .582), (5, 0, 0)]
    assert quantile(kaplan_meier(durations, observed), 0.5) == 3
    assert median_confidence_interval(durations, observed) == (1, 5)
    assert lifelines_median_interval(durations, observed) == (1, 5)


HAND_MADE = {
    "two returns": ([3, 7], [True, True]),
    "two returns, one still below": ([3, 7, 10], [True, True, False]),
    "returned the next day (0 days)": ([0, 0, 1, 2, 5], [True, True, True, False, True]),
    "cut short by the next booster": ([2, 4, 5, 6, 10], [True, True, False, False, True]),
    "event and censoring tied": ([4, 4, 4, 6, 6, 9], [True, False, True, True, False, False]),
    "all tied": ([5, 5, 5, 5], [True, True, False, False]),
    "all returned, 12 series": ([3, 5, 5, 6, 7, 7, 8, 9, 11, 12, 14, 20], [True] * 12),
    "mostly censored": ([1, 3, 8, 12, 15, 20], [True, False, True, False, False, False]),
    "all censored": ([4, 9, 12], [False, False, False]),
    "a single series": ([6], [True]),
    "last one returned": ([2, 3, 3, 8, 8, 13], [True, False, True, False, True, True]),
    "upper curve never reaches .5": ([1, 2, 3, 4, 5, 6], [True, True, True, False, False, False]),
}


@pytest.mark.parametrize("name", HAND_MADE)
def test_hand_made_cases_match_lifelines(name):
    durations, observed = HAND_MADE[name]
    assert median_confidence_interval(durations, observed) == pytest.approx(
        lifelines_median_interval(durations, observed))


def test_not_reached_is_none():
    # S falls to .5 at day 3 and stays there: median 3 days, but the upper curve stays at .804
    # (.5 ** exp(-1.154)), so the interval is "from day 1, upper limit not reached".
    durations, observed = HAND_MADE["upper curve never reaches .5"]
    assert median_confidence_interval(durations, observed) == (1, None)
    assert median_confidence_interval([4, 9, 12], [False] * 3) == (None, None)
    assert median_confidence_interval([], []) == (None, None)


def test_random_samples_match_lifelines():
    # 2 to 12 relief durations of 0 to 20 days, some cut short, as in this diary.
    for seed in range(200):
        rng = random.Random(seed)
        size, share = rng.randint(2, 12), rng.random()
        durations = [rng.randint(0, 20) for _ in range(size)]
        observed = [rng.random() < share for _ in range(size)]
        assert median_confidence_interval(durations, observed) == pytest.approx(
            lifelines_median_interval(durations, observed)), (seed, durations, observed)
        # At these sizes the band's curves never rise, so lifelines' binary search is simply
        # the first crossing (see the next test for where that is not so).
        band = confidence_band(kaplan_meier(durations, observed))
        for column in (1, 2):
            values = [point[column] for point in band]
            assert values == sorted(values, reverse=True), (seed, column)


def test_lifelines_reading_where_the_lower_curve_rises():
    # 99 %, 19 series returning on days 1 to 19: the lower curve is .491 on day 1, .503 on day 2,
    # then falls again (.467 on day 3). lifelines finds the crossing by binary search over
    # time 0 and days 1 to 19 (mid points 10, 5, 2, 4, 3), so it says 3, not 1; we say the same.
    durations, observed = list(range(1, 20)), [True] * 19
    lower = [round(lo, 3) for _, lo, _ in confidence_band(kaplan_meier(durations, observed), 0.01)[:3]]
    assert lower == [.491, .503, .467]
    assert median_confidence_interval(durations, observed, 0.01) == lifelines_median_interval(durations, observed, 0.01) == (3, 15)


def test_alpha_must_be_a_probability():
    with pytest.raises(ValueError):
        median_confidence_interval([1, 2], [True, True], alpha=0)
    with pytest.raises(ValueError):
        median_confidence_interval([1, 2], [True, True], alpha=1.5)
