"""Server-side SVG charts: no chart library, no network, readable without JavaScript.

The SVG scales to its container (viewBox); colours come from the stylesheet's custom
properties, so light and dark mode both work. Every chart carries a <title> and <desc>.
"""
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from ..insights.questionnaires import INSTRUMENTS, SEVERITY_LABELS, Instrument
from ..vocabulary import TREATMENT_LABELS
from . import i18n
from .i18n import gettext as _
from .i18n import ngettext

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 26, 8, 10, 26
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
# The anxiety chart names its bands in a strip at the right (so no name sits on the data).
BAND_NAMES_W = 14
DAYS_W = PLOT_W - BAND_NAMES_W  # the width its days share
# Means are fractional: the bands split halfway between the whole scores (3|4 and 6|7).
BANDS = (("calm", 0, 3.5), ("moderate", 3.5, 6.5), ("high", 6.5, 10))
# Beyond a year a day is under a quarter of a unit wide: per-day dots and whiskers would only
# blur into each other (and weigh ~150 bytes a day), so long ranges draw the lines alone.
DOTS_DAYS_MAX = 366
# A long stretch without check-ins at the start of the period (a 1-year view of a diary whose
# check-ins began 40 days ago, or one old record) is squeezed into this share of the plot, labelled,
# so the days with data get the rest of the width. Only when it would take more than that share.
EMPTY_SHARE = 0.18
EMPTY_DAYS_MIN = 14

XY = tuple[float, float]  # (x, y) in viewBox units
CheckinsByDate = Mapping[str, Iterable[Mapping[str, Any]]]  # {ISO date: [{time, anxiety}, ...]}


def _y(value: float) -> float:
    return TOP + PLOT_H * (1 - value / 10)


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _months() -> tuple[str, ...]:
    """The reader's abbreviated month names ("Nov", "nov")."""
    return i18n.date_names(i18n.language()).months


def _band_words() -> dict[str, str]:
    """What the anxiety chart calls each of BANDS, in the reader's language (the code is its CSS class)."""
    return {"calm": _("calm"), "moderate": _("moderate"), "high": _("high")}


def _runs(points: Iterable[XY | None]) -> list[list[XY]]:
    """Split ``points`` (an (x, y) pair, or None for a gap) into runs of consecutive points."""
    runs: list[list[XY]] = []
    current: list[XY] = []
    for point in points:
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return runs


def _polylines(points: Iterable[XY | None], css_class: str | None = None) -> list[str]:
    """A polyline per run of two or more points: gaps break the line instead of bridging it."""
    attribute = f' class="{css_class}"' if css_class else ""
    return [f'<polyline{attribute} points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in run)}"/>'
            for run in _runs(points) if len(run) > 1]


def _x_ticks(start: dt.date, count: int) -> list[tuple[int, str]]:
    """About five evenly spaced date labels."""
    span = count - 1
    steps = 4 if span >= 4 else max(span, 1)
    long_range = count > 400
    ticks = []
    for i in range(steps + 1):
        offset = round(span * i / steps)
        day = start + dt.timedelta(days=offset)
        ticks.append((offset, _month_year(day) if long_range else _day_month(day)))
    return ticks


class XAxis:
    """Day offsets to x. Days are evenly spaced, except that each long run of days without
    check-ins (at least ``EMPTY_DAYS_MIN`` days, and wider than ``EMPTY_SHARE`` of the plot if
    drawn evenly) is squeezed into ``EMPTY_SHARE`` of the plot, so the days with data get the rest:
    a 1-year view of 40 days of check-ins after one old record uses most of the width for them.

    ``empty``: the squeezed runs, ``(first, last)`` day offsets (inclusive).
    """

    def __init__(self, days: Sequence[Mapping[str, Any]]) -> None:
        self.count = len(days)
        runs: list[tuple[int, int]] = []
        start: int | None = None
        for offset, day in enumerate([*days, {"count": 1}]):
            if not day["count"] and start is None:
                start = offset
            elif day["count"] and start is not None:
                runs.append((start, offset - 1))
                start = None
        logged = sum(1 for day in days if day["count"])
        self.empty = [(first, last) for first, last in runs if logged and last - first + 1 >= EMPTY_DAYS_MIN
                      and (last - first + 1) / self.count > EMPTY_SHARE]
        self.empty_width = DAYS_W * EMPTY_SHARE
        squeezed = sum(last - first + 1 for first, last in self.empty)
        self.step = (DAYS_W - self.empty_width * len(self.empty)) / (self.count - squeezed)
        self._squeezed = [False] * self.count
        for first, last in self.empty:
            self._squeezed[first:last + 1] = [True] * (last - first + 1)
        # Where each day's column starts, from a walk over the days (runs squeezed).
        self._left: list[tuple[float, float]] = []
        x: float = LEFT
        runs_by_first = {first: last for first, last in self.empty}
        offset = 0
        while offset < self.count:
            if offset in runs_by_first:
                last = runs_by_first[offset]
                width = self.empty_width / (last - offset + 1)
                for _day in range(offset, last + 1):
                    self._left.append((x, width))
                    x += width
                offset = last + 1
            else:
                self._left.append((x, self.step))
                x += self.step
                offset += 1

    def __call__(self, offset: int) -> float:
        """The centre of a day's column."""
        left, width = self._left[offset]
        return left + width / 2

    def span(self, first: int, last: int) -> tuple[float, float]:
        """The left edge and width of days ``first`` .. ``last``."""
        left = self._left[first][0]
        end = self._left[last][0] + self._left[last][1]
        return left, end - left

    def is_empty(self, offset: int) -> bool:
        return self._squeezed[offset]


def _session_text(session: Mapping[str, Any]) -> str:
    treatment = TREATMENT_LABELS.get(session["treatment"], session["treatment"])
    if session.get("time"):
        return _("%(treatment)s at %(time)s: anxiety %(before)s before, %(after)s after", treatment=treatment,
                 time=session["time"], before=session["anxiety_before"], after=session["anxiety_after"])
    return _("%(treatment)s: anxiety %(before)s before, %(after)s after", treatment=treatment,
             before=session["anxiety_before"], after=session["anxiety_after"])


def anxiety_chart(trends: Mapping[str, Any]) -> Markup:
    """The daily anxiety chart for a trends dict (see diary.insights.trends.build).

    A day's check-ins are reached from the table under the chart (and, with JavaScript, shown in
    place by static/js/chart.js), never by a link per day.
    """
    days = trends["days"]
    weekly = _weekly(trends)
    start = dt.date.fromisoformat(trends["from"])
    count = len(days)
    x = XAxis(days)
    radius = max(1.0, min(3.0, x.step / 2.5))
    band_words = _band_words()
    parts = []

    days_right = LEFT + DAYS_W
    for name, low, high in BANDS:
        parts.append(f'<rect class="band band-{name}" x="{LEFT}" y="{_y(high):.1f}" width="{PLOT_W}" '
                     f'height="{_y(low) - _y(high):.1f}"/>')
    # Colour is not the only cue: a line at each band edge, and the band's name beside the days.
    for _name, low, _high in BANDS[1:]:
        parts.append(f'<line class="band-edge" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                     f'y1="{_y(low):.1f}" y2="{_y(low):.1f}"/>')
    for name, low, high in BANDS:
        middle = (_y(low) + _y(high)) / 2
        parts.append(f'<text class="band-label band-label-{name}" x="{WIDTH - RIGHT - 4}" y="{middle:.1f}" '
                     f'text-anchor="middle" transform="rotate(-90 {WIDTH - RIGHT - 4} {middle:.1f})">'
                     f'{escape(band_words[name])}</text>')
    for value in (0, 2, 4, 6, 8, 10):
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{days_right}" y1="{_y(value):.1f}" y2="{_y(value):.1f}"/>'
                     f'<text class="axis" x="{LEFT - 5}" y="{_y(value) + 4:.1f}" text-anchor="end">{value}</text>')
    parts.append(f'<line class="grid" x1="{days_right}" x2="{days_right}" y1="{TOP}" y2="{TOP + PLOT_H}"/>')
    for first, last in x.empty:
        left, width = x.span(first, last)
        middle = left + width / 2
        lines = [_("No check-ins"), *_empty_words(days, first, last)]
        top = TOP + PLOT_H / 2 - 8 * (len(lines) - 1)
        parts.append(
            f'<g class="empty-stretch"><rect x="{left:.1f}" y="{TOP}" width="{width:.1f}" height="{PLOT_H}"/>'
            + "".join(f'<text x="{middle:.1f}" y="{top + 16 * i:.1f}" text-anchor="middle">{escape(text)}</text>'
                      for i, text in enumerate(lines)) + '</g>')
    long_range = (dt.date.fromisoformat(trends["to"]) - start).days >= 400
    for offset, label, anchor in _ticks(x, days, long_range):
        parts.append(f'<text class="axis" x="{x(offset):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
                     f'{escape(label)}</text>')

    for session in trends["sessions"]:
        offset = _offset(trends, session["date"])
        treatment = TREATMENT_LABELS.get(session['treatment'], session['treatment'])
        label = escape(_("%(day)s: %(treatment)s, anxiety %(before)s before, %(after)s after",
                         day=i18n.nice_day(session["date"]), treatment=treatment, before=session["anxiety_before"],
                         after=session["anxiety_after"]))
        parts.append(
            f'<g class="session-mark"><title>{label}</title>'
            f'<line x1="{x(offset):.1f}" x2="{x(offset):.1f}" y1="{TOP}" y2="{TOP + PLOT_H}"/>'
            f'<path d="M{x(offset):.1f},{TOP - 1} l4,5 l-4,5 l-4,-5 z"/></g>')

    # Min-max whiskers, then the daily line broken at unlogged days, then the rolling mean. Weeks:
    # their averages' line and dots (a week's lowest and highest would only draw 0-10 bars).
    if count <= DOTS_DAYS_MAX and not weekly:
        parts.extend(f'<line class="range" x1="{x(offset):.1f}" x2="{x(offset):.1f}" '
                     f'y1="{_y(day["min"]):.1f}" y2="{_y(day["max"]):.1f}"/>'
                     for offset, day in enumerate(days) if day["mean"] is not None and day["min"] != day["max"])
    for key, css_class in (("mean", "daily"), ("rolling_mean_7", "rolling")):
        parts.extend(_polylines(
            [None if day[key] is None else (x(offset), _y(day[key])) for offset, day in enumerate(days)], css_class))
    if count <= DOTS_DAYS_MAX:
        parts.extend(f'<circle class="point" cx="{x(offset):.1f}" cy="{_y(day["mean"]):.1f}" r="{radius:.1f}"/>'
                     for offset, day in enumerate(days) if day["mean"] is not None)

    description = escape(chart_description(trends, x.empty))
    words = {"start": i18n.nice_day(trends["from"]), "end": i18n.nice_day(trends["to"])}
    title = escape(_("Weekly average anxiety from %(start)s to %(end)s", **words) if weekly
                   else _("Daily anxiety from %(start)s to %(end)s", **words))
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        f'data-start="{start.isoformat()}" data-days="{count}" data-plot-left="{LEFT}" data-plot-width="{DAYS_W}" '
        f'data-plot-top="{TOP}" data-plot-height="{PLOT_H}" data-view-width="{WIDTH}" '
        f'data-empty-days="{sum(last - first + 1 for first, last in x.empty)}">'
        f'<title id="chart-title">{title}</title>'
        f'<desc id="chart-desc">{description}</desc>{"".join(parts)}</svg>'
    )


def _day_month(day: dt.date) -> str:
    """'22 Nov', '22 nov': a date on an axis, in the reader's language."""
    return f"{day.day} {_months()[day.month - 1]}"


def _month_year(day: dt.date) -> str:
    """'Nov 2026', 'nov 2026': a month on a long axis, in the reader's language."""
    return f"{_months()[day.month - 1]} {day.year}"


def _weekly(trends: Mapping[str, Any]) -> bool:
    """Whether ``trends["days"]`` holds a point per week (insights.trends.build(weekly=True))."""
    return trends.get("resolution") == "week"


def _offset(trends: Mapping[str, Any], date: str) -> int:
    """The index in ``trends["days"]`` of the point that holds ``date`` (ISO)."""
    start = dt.date.fromisoformat(trends["from"])
    days = (dt.date.fromisoformat(date) - start).days
    return (days + start.weekday()) // 7 if _weekly(trends) else days


def _first_day(point: Mapping[str, Any]) -> dt.date:
    return dt.date.fromisoformat(point["date"])


def _last_day(point: Mapping[str, Any]) -> dt.date:
    """A point's last day: a week's ``to``, or the day itself."""
    return dt.date.fromisoformat(point.get("to", point["date"]))


def _empty_words(days: Sequence[Mapping[str, Any]], first: int, last: int) -> list[str]:
    """The label of a squeezed run (points ``first`` .. ``last`` without check-ins, after
    "No check-ins"), one line each."""
    if first == 0:
        return [_("before %(day)s", day=_day_month(_first_day(days[last + 1])))]
    if last == len(days) - 1:
        return [_("after %(day)s", day=_day_month(_last_day(days[first - 1])))]
    return [f"{_day_month(_first_day(days[first]))} –", _day_month(_last_day(days[last]))]


TICK_GAP_MIN = 70  # viewBox units between date labels ("22 Nov" is about 40 wide)


def _ticks(x: XAxis, days: Sequence[Mapping[str, Any]], long_range: bool) -> list[tuple[int, str, str]]:
    """About five date labels ``(offset, text, anchor)`` spread over the width, on points outside
    the squeezed runs: the first and the last with room, and evenly between."""
    shown = [(x(offset), offset) for offset in range(len(days)) if not x.is_empty(offset)]
    ticks: list[int] = []
    for i in range(5):
        target = LEFT + DAYS_W * i / 4
        offset = min(shown, key=lambda pair: abs(pair[0] - target))[1]
        if ticks and (offset == ticks[-1] or x(offset) - x(ticks[-1]) < TICK_GAP_MIN):
            if i < 4:
                continue
            ticks.pop()  # the last day wins over a label too close before it
        ticks.append(offset)
    result = []
    for offset in ticks:
        day = _first_day(days[offset])
        anchor = "start" if x(offset) - LEFT < 20 else "end" if LEFT + DAYS_W - x(offset) < 20 else "middle"
        result.append((offset, _month_year(day) if long_range else _day_month(day), anchor))
    return result


def day_details(trends: Mapping[str, Any], checkins_by_date: CheckinsByDate | None = None) -> list[dict[str, Any]]:
    """What static/js/chart.js shows for the day picked on the anxiety chart: one element per day
    with check-ins or a session, in date order: ``date`` (and ``to``), ``label``, ``summary``, ``x``
    and ``y`` on the chart (viewBox units; no ``y`` without check-ins), ``checkins`` and
    ``sessions`` (words ready to show; left out when there are none).

    Weekly trends (beyond a year, where a day is a fraction of a pixel and a finger covers weeks):
    one element per week (Monday to Sunday, cut at the period's ends) instead, from ``date`` to ``to``.

    :param checkins_by_date: {ISO date: [{time, anxiety}, ...]} (optional).
    """
    days = trends["days"]
    x = XAxis(days)
    with_year = len(days) > 180 or trends["from"][:4] != trends["to"][:4]
    sessions: dict[str, list[Mapping[str, Any]]] = {}
    for session in trends["sessions"]:
        sessions.setdefault(session["date"], []).append(session)
    if _weekly(trends):
        return _week_details(trends, x)
    no_time = _("No time")
    details = []
    for offset, day in enumerate(days):
        if not day["count"] and day["date"] not in sessions:
            continue
        label = i18n.nice_day(day["date"])  # with the year when it isn't this year
        if with_year and not label.endswith(day["date"][:4]):
            label += f" {day['date'][:4]}"
        if not day["count"]:
            summary = _("No check-ins")
        elif day["min"] != day["max"]:
            summary = ngettext("Average %(mean)s (lowest %(low)s, highest %(high)s), %(num)d check-in",
                               "Average %(mean)s (lowest %(low)s, highest %(high)s), %(num)d check-ins",
                               day["count"], mean=_fmt(day["mean"]), low=day["min"], high=day["max"])
        else:
            summary = ngettext("Average %(mean)s, %(num)d check-in", "Average %(mean)s, %(num)d check-ins",
                               day["count"], mean=_fmt(day["mean"]))
        checkins = [f"{c['time'] or no_time}: {c['anxiety']}"
                    for c in sorted((checkins_by_date or {}).get(day["date"], ()), key=lambda c: c["time"] or "")]
        detail = {"date": day["date"], "label": label, "summary": summary, "x": round(x(offset), 1)}
        if day["mean"] is not None:
            detail["y"] = round(_y(day["mean"]), 1)
        if checkins:
            detail["checkins"] = checkins
        if day["date"] in sessions:
            detail["sessions"] = [_session_text(s) for s in sessions[day["date"]]]
        details.append(detail)
    return details


def _week_details(trends: Mapping[str, Any], x: XAxis) -> list[dict[str, Any]]:
    """day_details for weekly trends: a week each."""
    sessions: dict[int, list[Mapping[str, Any]]] = {}
    for session in trends["sessions"]:
        sessions.setdefault(_offset(trends, session["date"]), []).append(session)
    details = []
    for offset, week in enumerate(trends["days"]):
        had = sessions.get(offset, [])
        if not week["count"] and not had:
            continue
        low, high = week.get("min"), week.get("max")
        if not week["count"]:
            summary = _("No check-ins")
        elif low != high:
            summary = ngettext("Average %(mean)s (lowest %(low)s, highest %(high)s), %(num)d day logged",
                               "Average %(mean)s (lowest %(low)s, highest %(high)s), %(num)d days logged",
                               week["days_logged"], mean=_fmt(week["mean"]), low=low, high=high)
        else:
            summary = ngettext("Average %(mean)s, %(num)d day logged", "Average %(mean)s, %(num)d days logged",
                               week["days_logged"], mean=_fmt(week["mean"]))
        monday = _first_day(week) - dt.timedelta(days=_first_day(week).weekday())
        detail = {"date": week["date"], "to": week["to"], "label": _("Week of %(day)s", day=i18n.nice_day(monday)),
                  "summary": summary, "x": round(x(offset), 1)}
        if week["count"]:
            detail["y"] = round(_y(week["mean"]), 1)
        if had:
            detail["sessions"] = [f"{i18n.nice_day(s['date'])}: {_session_text(s)}" for s in had]
        details.append(detail)
    return details


def chart_description(trends: Mapping[str, Any], empty: Iterable[tuple[int, int]] = ()) -> str:
    """What the chart shows, in words (its text equivalent). ``empty``: the squeezed runs of points
    without check-ins (XAxis.empty), said in words too."""
    days, weekly = trends["days"], _weekly(trends)
    logged = [day for day in days if day["mean"] is not None]
    if not logged:
        return _("No check-ins in this period.")
    means = [day["mean"] for day in logged]
    since_start = bool(trends["logging"].get("since_start"))
    low, high = _fmt(min(means)), _fmt(max(means))
    if weekly:
        # Each logged day counts once, as in the daily chart: the weeks' means weighted by their days.
        average = sum(w["mean"] * w["days_logged"] for w in logged) / sum(w["days_logged"] for w in logged)
        logged_days, in_range = trends["logging"]["days_logged_in_range"], trends["logging"]["days_in_range"]
        if since_start:
            first = ngettext("%(logged)s of %(num)d day since you started logged, drawn as weekly averages.",
                             "%(logged)s of %(num)d days since you started logged, drawn as weekly averages.",
                             in_range, logged=logged_days)
        else:
            first = ngettext("%(logged)s of %(num)d day logged, drawn as weekly averages.",
                             "%(logged)s of %(num)d days logged, drawn as weekly averages.", in_range,
                             logged=logged_days)
        sentences = [first, _("Weekly average anxiety ranged from %(low)s to %(high)s, averaging %(mean)s.",
                              low=low, high=high, mean=_fmt(average))]
    else:
        if since_start:
            first = ngettext("%(logged)s of %(num)d day since you started logged.",
                             "%(logged)s of %(num)d days since you started logged.", len(days), logged=len(logged))
        else:
            first = ngettext("%(logged)s of %(num)d day logged.", "%(logged)s of %(num)d days logged.", len(days),
                             logged=len(logged))
        sentences = [first, _("Daily average anxiety ranged from %(low)s to %(high)s, averaging %(mean)s.",
                              low=low, high=high, mean=_fmt(sum(means) / len(means)))]
    for first_point, last_point in empty:
        narrow = (_last_day(days[last_point]) - _first_day(days[first_point])).days + 1
        if first_point == 0:
            sentences.append(_("No check-ins before %(day)s (%(days)s days, drawn narrow).",
                               day=i18n.nice_day(_first_day(days[last_point + 1])), days=narrow))
        elif last_point == len(days) - 1:
            sentences.append(_("No check-ins after %(day)s (%(days)s days, drawn narrow).",
                               day=i18n.nice_day(_last_day(days[first_point - 1])), days=narrow))
        else:
            sentences.append(_("No check-ins from %(first)s to %(last)s (%(days)s days, drawn narrow).",
                               first=i18n.nice_day(_first_day(days[first_point])),
                               last=i18n.nice_day(_last_day(days[last_point])), days=narrow))
    rolling = [day["rolling_mean_7"] for day in days if day["rolling_mean_7"] is not None]
    if len(rolling) >= 2:
        sentences.append(_("The 7-day average went from %(first)s to %(last)s.", first=_fmt(rolling[0]),
                           last=_fmt(rolling[-1])))
    if trends["sessions"]:
        sentences.append(ngettext("%(num)d treatment session marked.", "%(num)d treatment sessions marked.",
                                  len(trends["sessions"])))
    return " ".join(sentences)


def sparkline(values: Sequence[float | None], width: int = 120, height: int = 32) -> Markup:
    """A small line of daily values (None = not logged) for a dashboard row: its scale (0 and 10,
    lines at both) and its period beside it in the page's text, which grows with the reader's,
    and in words below it (the chart's text equivalent, which is also its accessible name)."""
    step = width / max(len(values) - 1, 1)
    y = lambda value: 2 + (height - 4) * (1 - value / 10)  # noqa: E731
    points = [None if v is None else (i * step, y(v)) for i, v in enumerate(values)]
    logged = [v for v in values if v is not None]
    count = len(values)
    words = (ngettext("%(logged)s of %(num)d day logged, from %(low)s to %(high)s",
                      "%(logged)s of %(num)d days logged, from %(low)s to %(high)s", count, logged=len(logged),
                      low=_fmt(min(logged)), high=_fmt(max(logged)))
             if logged else ngettext("No check-ins in the last %(num)d day", "No check-ins in the last %(num)d days",
                                     count))
    label = ngettext("Anxiety, daily average from 0 to 10, last %(num)d day: %(words)s",
                     "Anxiety, daily average from 0 to 10, last %(num)d days: %(words)s", count, words=words)
    caption = ngettext("Anxiety, 0–10, last %(num)d day: %(words)s", "Anxiety, 0–10, last %(num)d days: %(words)s",
                       count, words=words)
    ago, today = ngettext("%(num)d day ago", "%(num)d days ago", count), _("today")
    scale = "".join(f'<line class="scale" x1="0" x2="{width}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
                    for value in (0, 10))
    lines = "".join(_polylines(points))
    dots = "".join(f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="1.5"/>'
                   for run in _runs(points) if len(run) == 1)  # a lone day has no line: a dot
    return Markup(
        f'<figure class="mini-chart"><div class="mini-plot"><span class="mini-y" aria-hidden="true"><span>10</span>'
        f'<span>0</span></span><svg class="sparkline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}">{scale}{lines}{dots}</svg></div>'
        f'<div class="mini-x" aria-hidden="true"><span>{escape(ago)}</span><span>{escape(today)}</span></div>'
        f'<figcaption>{escape(caption)}</figcaption></figure>')


def assessment_chart(trends: Mapping[str, Any], instrument: Instrument) -> Markup:
    """GAD-7 or PHQ-9 totals over the trends' range, on the instrument's severity bands, with
    session markers. ``instrument``: an Instrument (diary.insights.questionnaires)."""
    start, end = dt.date.fromisoformat(trends["from"]), dt.date.fromisoformat(trends["to"])
    count = (end - start).days + 1
    step = PLOT_W / count
    x = lambda day: LEFT + step * ((dt.date.fromisoformat(day) - start).days + 0.5)  # noqa: E731
    top = instrument.max_total
    y = lambda value: TOP + PLOT_H * (1 - value / top)  # noqa: E731
    results = [a for a in trends["assessments"] if a["instrument"] == instrument.key]
    # The bands' names in the reader's language (a label, or a message: word_any words either).
    severity_words = {code: i18n.word_any(label) for code, label in SEVERITY_LABELS.items()}
    parts = []
    bands = list(instrument.bands)
    for i, (low, severity) in enumerate(bands):
        high = bands[i + 1][0] if i + 1 < len(bands) else top + 1
        # Bands split halfway between whole totals (4|5 ...), like the anxiety chart's.
        y_high, y_low = y(min(high - 0.5, top)), y(max(low - 0.5, 0))
        parts.append(f'<rect class="band sev-{severity}" x="{LEFT}" y="{y_high:.1f}" width="{PLOT_W}" '
                     f'height="{y_low - y_high:.1f}">'
                     f'<title>{escape(severity_words[severity])}: {low}–{high - 1}</title></rect>')
    for value in [0] + [low for low, _severity in bands[1:]] + [top]:
        parts.append(f'<text class="axis" x="{LEFT - 5}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>')
    for offset, label in _x_ticks(start, count):
        day = (start + dt.timedelta(days=offset)).isoformat()
        anchor = "start" if offset == 0 else "end" if offset == count - 1 else "middle"
        parts.append(f'<text class="axis" x="{x(day):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
                     f'{escape(label)}</text>')
    for session in trends["sessions"]:
        mark = _("%(day)s: treatment session", day=i18n.nice_day(session["date"]))
        parts.append(f'<g class="session-mark"><title>{escape(mark)}</title>'
                     f'<line x1="{x(session["date"]):.1f}" x2="{x(session["date"]):.1f}" y1="{TOP}" '
                     f'y2="{TOP + PLOT_H}"/></g>')
    parts.extend(_polylines([(x(a["date"]), y(a["total"])) for a in results], "daily"))
    for a in results:
        label = escape(f"{a['date']}: {instrument.name} {a['total']} ({severity_words[a['severity']].lower()})")
        parts.append(f'<circle class="point" cx="{x(a["date"]):.1f}" cy="{y(a["total"]):.1f}" r="3.5">'
                     f'<title>{label}</title></circle>')
    if results:
        first, last = results[0], results[-1]
        description = ngettext(
            "%(num)d %(instrument)s result: from %(first)s (%(first_severity)s) on %(first_date)s to %(last)s "
            "(%(last_severity)s) on %(last_date)s.",
            "%(num)d %(instrument)s results: from %(first)s (%(first_severity)s) on %(first_date)s to %(last)s "
            "(%(last_severity)s) on %(last_date)s.",
            len(results), instrument=instrument.name, first=first["total"],
            first_severity=severity_words[first["severity"]].lower(), first_date=first["date"], last=last["total"],
            last_severity=severity_words[last["severity"]].lower(), last_date=last["date"])
    else:
        description = _("No %(instrument)s results in this period.", instrument=instrument.name)
    title = _("%(instrument)s totals from %(start)s to %(end)s", instrument=instrument.name, start=trends["from"],
              end=trends["to"])
    ident = f"chart-{instrument.key}"
    return Markup(
        f'<svg class="chart assessment-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>{"".join(parts)}</svg>'
    )


def assessment_charts(trends: Mapping[str, Any]) -> list[tuple[Instrument, Markup]]:
    """``[(instrument, chart)]`` for each questionnaire with results in the range."""
    taken = {a["instrument"] for a in trends["assessments"]}
    return [(instrument, assessment_chart(trends, instrument))
            for key, instrument in INSTRUMENTS.items() if key in taken]


def trends_charts(trends: Mapping[str, Any], checkins_by_date: CheckinsByDate | None = None) -> dict[str, Any]:
    """Every chart of a Trends page, drawn the same way for the patient, their clinician and the
    printable report: ``chart`` (anxiety, SVG), ``chart_days`` (what picking a day on it shows) and
    ``assessment_charts`` (GAD-7, PHQ-9)."""
    return {"chart": anxiety_chart(trends), "chart_days": day_details(trends, checkins_by_date),
            "assessment_charts": assessment_charts(trends)}


def relief_curve(curve: Sequence[Mapping[str, Any]], median: float | None) -> Markup:
    """The practice's pooled Kaplan–Meier curve of relief: the share of series still in relief
    (0–100 %) against days since the series' last session, as steps, with a dashed line at 50 %.
    Its text equivalent is the table under it on the page (day, share, number at risk)."""
    if not curve:
        return Markup("")
    last = max(float(point["day"]) for point in curve)
    span = max(last, 1.0)
    left = 38  # room for "100%" at the left of the plot
    width = WIDTH - left - RIGHT
    x = lambda day: left + width * day / span  # noqa: E731
    y = lambda share: TOP + PLOT_H * (1 - share)  # noqa: E731
    path, survival = [f"M{x(0):.1f},{y(1):.1f}"], 1.0
    for point in curve:
        path.append(f"H{x(float(point['day'])):.1f}")
        survival = float(point["survival"])
        path.append(f"V{y(survival):.1f}")
    path.append(f"H{x(last):.1f}")
    ticks = "".join(
        f'<text class="axis" x="{x(day):.1f}" y="{HEIGHT - 8}" text-anchor="middle">{_fmt(day)}</text>'
        for day in sorted({0.0, round(span / 2), span}))
    grid = "".join(
        f'<line class="grid" x1="{left}" x2="{left + width}" y1="{y(share):.1f}" y2="{y(share):.1f}"/>'
        f'<text class="axis" x="{left - 4}" y="{y(share) + 3:.1f}" text-anchor="end">{int(share * 100)}%</text>'
        for share in (0, 0.5, 1))
    words = (_("Half the series were still in relief at day %(day)s.", day=_fmt(median)) if median is not None
             else _("More than half the series were still in relief at the last day seen."))
    title = " ".join((_("Share of series still in relief, by days since their last session."), words))
    return Markup(
        f'<svg class="chart relief-curve" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="relief-title">'
        f'<title id="relief-title">{escape(title)}</title>{grid}'
        f'<line class="median-line" x1="{left}" x2="{left + width}" y1="{y(0.5):.1f}" '
        f'y2="{y(0.5):.1f}"/><path class="rolling" d="{"".join(path)}"/>{ticks}</svg>')
