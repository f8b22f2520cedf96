"""How well the relief rule finds the day anxiety comes back, on courses whose answer is known.

    .venv/bin/python -m bench.relief_validation [--courses 500] [--noise 0.8 1.2] [--max-ramp 2] [--strict]

Generates courses (bench/relief_courses.py), runs diary.insights.relief.measure on each with the
app's rule and with the rule it replaced (a trailing 3-day mean, kept here as the reference), and
compares each series' answer with the truth:

- **error**: the rule's relief days minus the true relief days, over the series whose anxiety came
  back within follow-up and that the rule also calls returned;
- **within ±1 day**: the share of *all* series whose anxiety came back within follow-up that the
  rule dates within a day (a series the rule calls censored counts as a miss);
- **observable**: the same, over the series whose true first day back, or the day after it, has a
  check-in (when neither has, no rule can date the return within a day);
- **bad day not mistaken**: of the single bad days inside relief (at least 3 days before the true
  return), the share the rule does not date a return on (or the day after);
- **false returns**: series still in relief at the end of follow-up that the rule calls returned;
- **non-responders told so**: courses whose sessions brought no relief that Trends tells "no
  measurable relief so far", and responders it tells that wrongly.

Goals (issue: relief read on the day it ends): median |error| ≤ 1 day, ≥ 90 % within ±1 day,
mean error between −0.5 and +0.5, bad day not mistaken ≥ 95 %. Exits non-zero when the app's rule
misses one, so a regression shows. docs/VALIDATION.md holds the figures.
"""
import argparse
import datetime as dt
import statistics
import sys
from collections import Counter

from diary.insights import relief

from .relief_courses import courses

GOALS = {"median_abs_error": 1.0, "within_1": 0.90, "mean_error": 0.5, "bad_day_ok": 0.95}
TRAILING_DAYS = 3


def trailing_mean_rule(means, last_session, baseline, follow_until, **_):
    """The rule before this one (kept as the reference): on each logged day k after the session,
    the mean of the daily means of days max(1, k-2)..k; the first k at or above baseline − 1 ends
    relief on day k. Lags a clean return by up to 2 days."""
    if baseline is None:
        return None, "not_enough_data", None
    last_seen, window = None, []
    day = last_session
    while day < follow_until:
        day += dt.timedelta(days=1)
        value = means.get(day)
        window = (window + [value])[-TRAILING_DAYS:]
        if value is None:
            continue
        logged = [v for v in window if v is not None]
        if sum(logged) / len(logged) >= baseline - relief.RELIEF_MARGIN:
            if (day - (last_seen or last_session)).days > relief.MAX_GAP_DAYS:
                break
            return (day - last_session).days - 1, "returned", day
        last_seen = day
    if last_seen is None:
        return None, "not_enough_data", None
    return (last_seen - last_session).days, "censored", None


RULES = {"change point (the app's rule)": relief.relief_after, "trailing 3-day mean (before)": trailing_mean_rule}


def evaluate(rule, sample):
    """The figures above for ``rule`` over ``sample`` (a list of relief_courses.Course)."""
    errors, within, observable_within, returned, observable, misses, false_returns = [], 0, 0, 0, 0, 0, 0
    bad_days = bad_mistaken = 0
    told_no_relief = Counter()  # (a non-responder?, told "no measurable relief"?) per course
    for course in sample:
        means = course.means
        measured = relief.measure(course.sessions, means, course.today, rule=rule)
        assert len(measured) == len(course.truth), f"course {course.seed}: series differ"
        told_no_relief[not course.truth[0].responder, relief.typical(measured).status == "no_relief"] += 1
        for series, truth in zip(measured, course.truth):
            for bad in truth.bad_days:
                if truth.first_day_back is None or (truth.first_day_back - bad).days > 2:
                    bad_days += 1
                    bad_mistaken += bool(series.returned_on and 0 <= (series.returned_on - bad).days <= 1)
            if truth.first_day_back is None:
                false_returns += series.status == "returned"
                continue
            returned += 1
            seen = any(truth.first_day_back + dt.timedelta(days=k) in means
                       for k in range(min(2, (truth.follow_until - truth.first_day_back).days + 1)))
            observable += seen
            if series.status != "returned":
                misses += 1
                continue
            error = series.relief_days - truth.relief_days
            errors.append(error)
            within += abs(error) <= 1
            observable_within += abs(error) <= 1 and seen
    return {
        "series_returned": returned, "misses": misses, "false_returns": false_returns,
        "median_abs_error": statistics.median(abs(e) for e in errors) if errors else None,
        "mean_error": statistics.fmean(errors) if errors else None,
        "within_1": within / returned if returned else None,
        "within_1_observable": observable_within / observable if observable else None,
        "bad_days": bad_days, "bad_day_ok": 1 - bad_mistaken / bad_days if bad_days else None,
        "non_responders": told_no_relief[True, True] + told_no_relief[True, False],
        "non_responders_told": told_no_relief[True, True], "responders_told_no_relief": told_no_relief[False, True],
    }


def met(figures):
    """Whether ``figures`` (from evaluate) meet every goal."""
    return (figures["median_abs_error"] <= GOALS["median_abs_error"] and figures["within_1"] >= GOALS["within_1"]
            and abs(figures["mean_error"]) <= GOALS["mean_error"] and figures["bad_day_ok"] >= GOALS["bad_day_ok"])


def measure(count=500, noise_sd=(0.8, 1.2), max_ramp=2, strict=False):
    """``{rule name: figures}`` over ``count`` generated courses."""
    sample = courses(count, noise_sd=noise_sd, max_ramp=max_ramp, strict=strict)
    return {name: evaluate(rule, sample) for name, rule in RULES.items()}


def table(results):
    lines = ["| rule | median abs error | within ±1 day | … of observable | mean error | bad day not mistaken "
             "| missed / false returns | non-responders told so | responders told 'no relief' |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, f in results.items():
        lines.append(f"| {name} | {f['median_abs_error']:g} d | {f['within_1']:.1%} of {f['series_returned']} "
                     f"| {f['within_1_observable']:.1%} | {f['mean_error']:+.2f} d | {f['bad_day_ok']:.1%} of "
                     f"{f['bad_days']} | {f['misses']} / {f['false_returns']} "
                     f"| {f['non_responders_told']} of {f['non_responders']} | {f['responders_told_no_relief']} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=500)
    parser.add_argument("--noise", type=float, nargs=2, default=(0.8, 1.2), metavar=("LOW", "HIGH"),
                        help="the range each course's check-in noise (sd) is drawn from")
    parser.add_argument("--max-ramp", type=int, default=2, help="the longest climb back, in days (0: a step)")
    parser.add_argument("--strict", action="store_true",
                        help="truth: back means within 1 point of the baseline only (not the app's halfway rule)")
    args = parser.parse_args(argv)
    results = measure(args.courses, tuple(args.noise), args.max_ramp, args.strict)
    print(f"{args.courses} courses, check-in noise sd {args.noise[0]:g}–{args.noise[1]:g}, "
          f"climb back over 0–{args.max_ramp} days, back = {'within 1 point' if args.strict else 'is_back'}")
    print(table(results))
    ok = met(results["change point (the app's rule)"])
    print("goals met" if ok else "goals MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
