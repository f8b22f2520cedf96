"""Realistic treatment courses whose answer is known: the ground truth for the relief rule.

Each course is a patient's diary as the app stores it (sessions and check-ins), generated from a
hidden anxiety level that the generator controls, so the first day anxiety is back after every
series is known before any rule looks at the check-ins:

- 1–3 weeks of check-ins before treatment at the patient's own level (5–8.5);
- an induction series of 3–6 sessions 2–4 days apart, then 2–6 boosters;
- after a series' last session the level drops by 3–5.5 points for 3–20 days (a responder), then
  climbs back over 0–2 days to the level it had before the series (±0.3: the level after relief
  is rarely exactly the one before; it is the next series' baseline). The **first day back** is
  the first day the hidden level is back by the app's own definition (``diary.insights.relief.
  is_back``: within 1 point of the series' baseline, or at least halfway back from a deep relief
  and within 2), or, with ``strict=True``, within 1 point only; ``relief_days`` counts the days
  before it;
- one course in twelve is a non-responder (a drop of 0–0.5: anxiety is back on day 1);
- the climb back takes 0–2 days (``max_ramp``), so on some courses the first day back follows a
  day or two in between;
- a booster comes 2–10 days after anxiety came back (at least 8 days after the last session), or
  (one in five, when relief lasts 6 days or more) while relief still holds, so the truth itself is
  censored there; today falls inside the last series' relief half the time;
- each check-in adds noise (normal, sd 0.8–1.2 by default, so about nine in ten within ±1.5;
  rounded to a whole score and kept within 0–10); 10–30 % of days have no check-in; a fifth of
  the logged days have 2–3 check-ins at different times; a third of the series get one bad day
  inside relief (+3 to +5 over the relief level, at least 3 days before anxiety starts to climb
  back).

Pure and seeded: ``course(seed)`` is the same course on every machine. bench/relief_validation.py
measures the relief rules on 500 of them; tests/insights/test_relief_validation.py holds a fixed
sample of 50 to what the rule reaches, and to beating the rule it replaced.
"""
import datetime as dt
import random
from dataclasses import dataclass, field

from diary.insights import relief as relief_rules

RELIEF_MARGIN = relief_rules.RELIEF_MARGIN
START = dt.date(2026, 1, 5)


@dataclass(frozen=True)
class TrueSeries:
    """What really happened after one series (the rule under test never sees it)."""
    last_session: dt.date
    follow_until: dt.date          # the day before the next series, or today
    baseline: float                # the hidden level before the series
    first_day_back: dt.date | None  # None: relief still held when follow-up ended (censored)
    responder: bool
    bad_days: tuple = ()           # single bad days inside relief

    @property
    def relief_days(self):
        return None if self.first_day_back is None else (self.first_day_back - self.last_session).days - 1


@dataclass
class Course:
    seed: int
    sessions: list = field(default_factory=list)   # as the store gives them: id, date, anxiety_before…
    checkins: list = field(default_factory=list)   # (date, "HH:MM", anxiety)
    truth: list = field(default_factory=list)      # TrueSeries per series, oldest first
    today: dt.date = START

    @property
    def means(self):
        """{date: the day's mean} as insights.daily.means_of gives it."""
        days = {}
        for day, _, anxiety in self.checkins:
            days.setdefault(day, []).append(anxiety)
        return {day: sum(values) / len(values) for day, values in days.items()}


def course(seed, noise_sd=(0.8, 1.2), max_ramp=2, strict=False):
    """One generated course (see the module's docstring); ``noise_sd``: the range its check-ins'
    noise (a standard deviation) is drawn from; ``max_ramp``: the longest climb back, in days;
    ``strict``: the first day back is the first within RELIEF_MARGIN of the baseline (not
    ``relief.is_back``'s "or at least halfway back")."""
    rng = random.Random(seed)
    baseline = rng.uniform(5.0, 8.5)
    responder = rng.random() >= 1 / 12
    noise = rng.uniform(*noise_sd)
    missing = rng.uniform(0.10, 0.30)
    day = START
    level = {}  # the hidden level per day
    pre_days = rng.randint(7, 21)
    for _ in range(pre_days):
        level[day] = baseline
        day += dt.timedelta(days=1)

    result = Course(seed)
    series_count = 1 + rng.randint(2, 6)
    series_plan = []  # (sessions' dates, baseline before it)
    for number in range(series_count):
        # Induction: 3–6 sessions 2–4 days apart (one series); a booster is one session.
        dates = [day]
        if number == 0:
            for _ in range(rng.randint(2, 5)):
                dates.append(dates[-1] + dt.timedelta(days=rng.randint(2, 4)))
        for earlier, later in zip(dates, dates[1:]):
            for k in range((later - earlier).days):
                level[earlier + dt.timedelta(days=k + 1)] = None  # filled below (relief within the series)
        last = dates[-1]
        drop = rng.uniform(3.0, 5.5) if responder else rng.uniform(0.0, 0.5)
        low = max(0.5, baseline - drop)
        for d in dates[1:]:
            level[d] = low
        for k in range(1, (last - dates[0]).days + 1):
            level[dates[0] + dt.timedelta(days=k)] = low
        level[dates[0]] = level.get(dates[0], baseline)  # still in the last relief, if a booster came early
        relief = rng.randint(3, 20) if responder else 0
        ramp = rng.randint(0, max_ramp) if responder else 0
        back_level = baseline + rng.uniform(-0.3, 0.3)
        # Days 1..relief low; then a ramp of ``ramp`` days climbing to the level after relief.
        for k in range(1, relief + 1):
            level[last + dt.timedelta(days=k)] = low
        first_back = None
        for k in range(1, ramp + 1):
            value = low + (back_level - low) * k / (ramp + 1)
            level[last + dt.timedelta(days=relief + k)] = value
        k = relief + ramp + 1
        level[last + dt.timedelta(days=k)] = back_level
        for j in range(1, k + 1):
            hidden = level[last + dt.timedelta(days=j)]
            if hidden >= baseline - RELIEF_MARGIN or (not strict and relief_rules.is_back(low, hidden, baseline)):
                first_back = last + dt.timedelta(days=j)
                break
        # The next series (or, after the last one, the day after today): while relief holds (one
        # in five; half the time after the last series, so today often falls inside relief), or
        # 2–10 days after anxiety came back.
        while_relief = rng.random() < (0.2 if number + 1 < series_count else 0.5)
        if while_relief and relief >= 6:
            next_day = last + dt.timedelta(days=rng.randint(max(8, relief // 2), max(8, relief - 1)))
        else:
            next_day = max(first_back + dt.timedelta(days=rng.randint(2, 10)), last + dt.timedelta(days=8))
        for j in range(k + 1, (next_day - last).days):
            level[last + dt.timedelta(days=j)] = back_level
        series_plan.append((dates, baseline, first_back, next_day, relief))
        baseline = back_level
        day = next_day
    result.today = series_plan[-1][3] - dt.timedelta(days=1)
    for d in list(level):
        if d > result.today:
            del level[d]

    # Bad days inside relief: one in three series, on a day of the flat relief at least 3 days
    # before anxiety starts to climb back (a bad day at the edge of a return is part of it).
    bad = {}
    for dates, _, first_back, next_day, relief in series_plan:
        last = dates[-1]
        end = min(last + dt.timedelta(days=relief + 1), next_day)
        inside = [last + dt.timedelta(days=k) for k in range(2, (end - last).days - 2)]
        if inside and rng.random() < 1 / 3 and responder:
            when = rng.choice(inside)
            bad[when] = min(10.0, level[when] + rng.uniform(3, 5))

    number = 0
    for d in sorted(level):
        value = bad.get(d, level[d])
        session_today = any(d in dates for dates, *_ in series_plan)
        if session_today:
            number += 1
            result.sessions.append({
                "id": f"c{seed}-s{number}", "date": d.isoformat(), "time": "10:00",
                "anxiety_before": _score(rng, level[d], noise), "anxiety_after": _score(rng, level[d] - 2, noise),
                "created_at": f"{d.isoformat()}T10:00:00", "treatment": "iv_ketamine", "side_effects": [],
            })
        if rng.random() < missing and not session_today:
            continue
        times = sorted(rng.sample(range(7, 23), rng.choice((1, 1, 1, 1, 2, 2, 3)) if rng.random() < 0.2 else 1))
        for hour in times:
            result.checkins.append((d, f"{hour:02d}:{rng.randint(0, 59):02d}", _score(rng, value, noise)))

    for dates, base, first_back, next_day, _ in series_plan:
        follow_until = min(next_day - dt.timedelta(days=1), result.today)
        seen_back = first_back if first_back and first_back <= follow_until else None
        result.truth.append(TrueSeries(dates[-1], follow_until, base, seen_back, responder,
                                       tuple(sorted(d for d in bad if dates[-1] < d <= follow_until))))
    return result


def _score(rng, level, noise):
    return max(0, min(10, round(rng.gauss(level, noise))))


def courses(count, first_seed=1, noise_sd=(0.8, 1.2), max_ramp=2, strict=False):
    """``count`` courses, seeds ``first_seed``…"""
    return [course(seed, noise_sd, max_ramp, strict) for seed in range(first_seed, first_seed + count)]
