"""Kaplan–Meier: how long something lasts when some observations were cut short (censored).

Pure, no dependencies. Conventions (as in lifelines and most textbooks): at a time with both
events and censorings, the events come first (the censored are still at risk then); a quantile is
the smallest time at which the survival curve falls to or below 1 - q; None if it never does.
Checked in tests/insights/test_survival.py against the Freireich 6-MP leukaemia data and its
published estimates; the confidence band and the median's confidence interval against lifelines.
"""
import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist


@dataclass(frozen=True)
class Step:
    time: float
    at_risk: int
    events: int
    censored: int
    survival: float  # S(t) just after ``time``


def kaplan_meier(durations: Iterable[float], observed: Iterable[bool]) -> list[Step]:
    """The Kaplan–Meier curve as steps at each distinct time.

    :param durations: how long each case lasted (or was followed, if censored).
    :param observed: for each case, True if the end was seen (an event), False if censored.
    """
    cases = sorted(zip(durations, observed))
    at_risk, survival, steps, i = len(cases), 1.0, [], 0
    while i < len(cases):
        time = cases[i][0]
        events = censored = 0
        while i < len(cases) and cases[i][0] == time:
            if cases[i][1]:
                events += 1
            else:
                censored += 1
            i += 1
        if events:
            survival *= 1 - events / at_risk
        steps.append(Step(time, at_risk, events, censored, survival))
        at_risk -= events + censored
    return steps


def quantile(steps: Iterable[Step], q: float) -> float | None:
    """The smallest time at which S(t) <= 1 - q (q=0.5: the median), or None if not reached."""
    for step in steps:
        if step.events and step.survival <= 1 - q + 1e-12:
            return step.time
    return None


def survival_at(steps: Iterable[Step], time: float) -> float:
    """S(time): the curve's value at ``time`` (1.0 before the first event)."""
    value = 1.0
    for step in steps:
        if step.time > time:
            break
        value = step.survival
    return value


def confidence_band(steps: Iterable[Step], alpha: float = 0.05) -> list[tuple[float, float, float]]:
    """The pointwise (1 - alpha) confidence band of S(t): ``(time, lower, upper)`` at each step.

    Greenwood's variance of log S(t), V(t) = sum over event times t_i <= t of d_i / (n_i (n_i - d_i))
    (d_i events among n_i at risk), put on the log(-log) scale (Kalbfleisch & Prentice, The
    Statistical Analysis of Failure Time Data, 1980, the "exponential Greenwood" band), so that the
    band stays within [0, 1]. With L = log S(t) < 0 and z the normal quantile for 1 - alpha/2:

        lower = exp(-exp(log(-L) - z sqrt(V) / L)) = S(t) ** exp(+z sqrt(V) / |L|)
        upper = exp(-exp(log(-L) + z sqrt(V) / L)) = S(t) ** exp(-z sqrt(V) / |L|)

    Where S(t) = 1 (no event yet) the band is 1; where S(t) = 0 (everyone left at risk had the event,
    whose Greenwood term is then counted as 0) it is 0. As in lifelines, log S(t) is summed as
    log(n_i - d_i) - log(n_i) rather than multiplied out, so that the two agree to the last digit.
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    z = NormalDist().inv_cdf(1 - alpha / 2)
    log_survival = variance = 0.0
    band = []
    for step in steps:
        if step.events and step.events == step.at_risk:
            log_survival = -math.inf
        elif step.events:
            log_survival += math.log(step.at_risk - step.events) - math.log(step.at_risk)
            variance += step.events / (step.at_risk * (step.at_risk - step.events))
        if log_survival == 0:
            lower = upper = 1.0
        elif log_survival == -math.inf:
            lower = upper = 0.0
        else:
            spread = z * math.sqrt(variance) / log_survival
            lower = math.exp(-math.exp(math.log(-log_survival) - spread))
            upper = math.exp(-math.exp(math.log(-log_survival) + spread))
        band.append((step.time, lower, upper))
    return band


def median_confidence_interval(durations: Iterable[float], observed: Iterable[bool],
                               alpha: float = 0.05, *, steps: Sequence[Step] | None = None
                               ) -> tuple[float | None, float | None]:
    """The (1 - alpha) confidence interval of the Kaplan–Meier median: ``(low, high)``.

    Brookmeyer & Crowley (1982), "A confidence interval for the median survival time", Biometrics
    38:29–41: the times whose survival could be 0.5, read off the pointwise band of S(t) from
    :func:`confidence_band`: Greenwood's variance V(t) = sum of d_i / (n_i (n_i - d_i)) over the
    event times up to t, on the log(-log) scale of Kalbfleisch & Prentice,

        lower(t) = S(t) ** exp(+z sqrt(V(t)) / |log S(t)|)
        upper(t) = S(t) ** exp(-z sqrt(V(t)) / |log S(t)|),     z = the normal quantile at 1 - alpha/2.

    ``low`` is where ``lower`` crosses 0.5, ``high`` where ``upper`` does, each read as lifelines'
    ``median_survival_times(KaplanMeierFitter().fit(durations, observed, alpha=alpha)
    .confidence_interval_)`` reads it, so that the two are equal:

    - None ("not reached": the median may be longer than anything seen) if the curve's value at the
      last time is above 0.5 (lifelines says inf);
    - otherwise the first time at which the curve is at or below 0.5 (``<= 0.5``, no tolerance; the
      curve is a step that changes only at event times, so this is always an event time).

    Strictly, the second is a binary search over the curve at time 0 and at every distinct
    duration, which is the first crossing only if the curve never rises. Both can: the lower curve
    right after a first event when the interval is wide (alpha = 0.01, 19 cases), the upper one in
    the thin tail of a few hundred cases. The search is reproduced here (``bisect``) so that the
    answers stay equal to lifelines' there too; with this diary's numbers (a dozen series or fewer,
    95 %) the curves have not been seen to rise (tests/insights/test_survival.py checks 200).

    :param durations: how long each case lasted (or was followed, if censored).
    :param observed: for each case, True if the end was seen (an event), False if censored.
    :param alpha: 0.05 for a 95 % interval.
    :param steps: ``kaplan_meier(durations, observed)``, when the caller has it already.
    """
    band = confidence_band(steps if steps is not None else kaplan_meier(durations, observed), alpha)
    if band and band[0][0] > 0:
        band.insert(0, (0, 1.0, 1.0))  # lifelines' curves start at time 0, where S = 1
    return _crossing(band, 1), _crossing(band, 2)


def _crossing(band: Sequence[tuple[float, float, float]], column: int) -> float | None:
    """The time at which ``band``'s ``column`` falls to <= 0.5, found as lifelines finds it."""
    if not band or band[-1][column] > 0.5:
        return None
    # The first index whose value is <= 0.5, by bisection, as numpy's searchsorted(-values, -0.5).
    return band[bisect_left(band, -0.5, key=lambda point: -point[column])][0]
