"""Kaplan–Meier: how long something lasts when some observations were cut short (censored).

Pure, no dependencies. Conventions (as in lifelines and most textbooks): at a time with both
events and censorings, the events come first (the censored are still at risk then); a quantile is
the smallest time at which the survival curve falls to or below 1 - q; None if it never does.
Checked in tests/insights/test_survival.py against the Freireich 6-MP leukaemia data and its
published estimates.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    time: float
    at_risk: int
    events: int
    censored: int
    survival: float  # S(t) just after ``time``


def kaplan_meier(durations, observed):
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


def quantile(steps, q):
    """The smallest time at which S(t) <= 1 - q (q=0.5: the median), or None if not reached."""
    for step in steps:
        if step.events and step.survival <= 1 - q + 1e-12:
            return step.time
    return None


def survival_at(steps, time):
    """S(time): the curve's value at ``time`` (1.0 before the first event)."""
    value = 1.0
    for step in steps:
        if step.time > time:
            break
        value = step.survival
    return value
