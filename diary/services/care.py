"""The provider's side of sharing: which patients they may see, the dashboard, share codes.

What a provider may see is decided here, from the share's scope and the private flags.
"""
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from ..db import read_snapshot, write_transaction
from ..insights import attention, crisis, reliable_change, relief
from ..insights.daily import means_of
from ..insights.trends import Trends, TriggerRow, rounded
from ..messages import Msg, msg
from ..store import assessments as assessments_store
from ..store import audit
from ..store import dashboard as dashboard_store
from ..store import entries as entries_store
from ..store import safety as safety_store
from ..store import schedules as schedules_store
from ..store import sessions as sessions_store
from ..store import sharing as sharing_store
from ..store import users as users_store
from ..store.assessments import Assessment
from ..store.dashboard import SharedPatient
from ..store.entries import Entry
from ..store.safety import SafetyPlan
from ..store.sessions import Session
from ..store.sharing import Share, SharingPatient
from ..store.users import User
from ..timeutil import iso_date, today_in
from ..vocabulary import WITHHELD_TRIGGER
from . import assessments as assessments_service
from . import limits, safety
from . import trends as trends_service
from .safety import ExplainedEvent, Flag
from .trends import insight_totals, relief_means

SORTS = {
    "attention": lambda p: attention.urgency(p["reasons"], p["display_name"]),
    "name": lambda p: p["display_name"].casefold(),
    "last_entry": lambda p: p["last_entry_date"] or "",
    "mean_7": lambda p: -(p["mean_7"] if p["mean_7"] is not None else -1),
    "change": lambda p: -(p["change_from_baseline"] if p["change_from_baseline"] is not None else -99),
}


def shared_patient(db: Database, provider_id: int, patient_id: int) -> tuple[User, Share] | tuple[None, None]:
    """``(patient row, share)`` when the patient shares with this provider right now, else ``(None, None)``.

    Checked on every request, so a revocation takes effect on the very next one.
    """
    share = sharing_store.live_share(db, provider_id, patient_id)
    patient = users_store.get_user(db, patient_id) if share else None
    return (patient, share) if patient and share else (None, None)  # (a patient is read only with a share)


# Bump when what a line holds or how it is computed changes: lines stored before are then computed again.
# 3: the "worse" flag (reliable deterioration since treatment began); 4: reasons as messages, worded
# in each reader's language when shown (``stored_text``).
LINE_FORMAT = 4
PAGE_SIZE = 25  # patients per dashboard page: a phone copes with 25 cards, not with 500


class SharedEntry(TypedDict):
    """A check-in as a provider sees it under "scores only" (``_shared_entries``): no note."""
    id: str
    date: str
    time: str | None
    anxiety: int
    triggers: list[Msg | str]  # a trigger in crisis words: vocabulary.WITHHELD_TRIGGER
    note: None
    private: bool
    created_at: str
    updated_at: str


class PatientPage(TypedDict):
    """What a provider's page about one sharing patient shows (``patient_page``)."""
    range_name: str
    trends: Trends
    entries: list[Entry] | list[SharedEntry]
    sessions: list[Session]
    assessments: list[Assessment]
    since_baseline: dict[str, dict[str, Any]]  # result id -> insights.reliable_change.SinceBaseline.as_dict()
    safety_flag: Flag | None
    safety_history: list[ExplainedEvent]
    plan: SafetyPlan | None
    full: bool
    schedule: dict[str, Any]


class LineReason(TypedDict):
    """A flag's reason on a dashboard line (``date`` an ISO date, or None). In a line as stored,
    ``text`` is JSON (``stored_text``); as summarized for a provider, a message (``shown_text``)."""
    flag: str
    date: str | None
    text: Any


def stored_text(text: Msg | str) -> Any:
    """A reason's text as a stored line keeps it (JSON): a message's id and values, to be worded in
    the language of whoever reads the line later."""
    return {"msg": text.to_json()} if isinstance(text, Msg) else text


def shown_text(text: Any) -> Msg | str:
    """A reason's text from a line as it is shown: a message."""
    if isinstance(text, dict) and "msg" in text:
        return Msg.from_json(text["msg"])
    return cast(Msg | str, text)


def line_reasons(reasons: str | list[LineReason]) -> tuple[LineReason, ...]:
    """A line's reasons as shown: from the stored line's JSON text, or a line computed now."""
    if isinstance(reasons, str):
        return _stored_reasons(reasons)
    return tuple({"flag": r["flag"], "date": r["date"], "text": shown_text(r["text"])} for r in reasons)


@lru_cache(maxsize=4096)
def _stored_reasons(stored: str) -> tuple[LineReason, ...]:
    """The same reasons, the same messages, for the same stored text: each message keeps its
    wording (web/i18n.py, word), so listing 500 patients words each reason once per language and day
    rather than on every listing. Bounded: a line's reasons change at most daily. Read-only."""
    return line_reasons(json.loads(stored))


class PatientLine(TypedDict):
    """The patient's own part of their dashboard line (``patient_line``): JSON-able, kept between requests."""
    last_entry_date: str | None
    mean_7: float | None
    change_from_baseline: float | None
    top_flag: str | None
    top_date: str | None
    reasons: list[LineReason]
    sparkline: list[float | None]
    last_session: dict[str, Any] | None
    days_since_session: int | None
    forecast_status: str
    fade_from: str | None
    fade_to: str | None


# What dashboard_store.save_lines stores: (patient id, diary version, local day, LINE_FORMAT, line).
LineToStore = tuple[int, int, str, int, PatientLine]


class PatientSummary(TypedDict):
    """A dashboard line as one provider sees it (``summary``)."""
    id: int
    display_name: str
    scope: str | None
    last_entry_date: str | None
    mean_7: float | None
    change_from_baseline: float | None
    flags: list[str]
    flag_reasons: list[LineReason]
    safety: dict[str, Any] | None
    sparkline: list[float | None] | None
    last_session: dict[str, Any] | None
    days_since_session: int | None
    forecast_status: str
    fade_from: str | None
    fade_to: str | None


class Sortable(TypedDict):
    """Just what SORTS read of a patient (``_sortable``)."""
    id: int
    display_name: str
    reasons: list[attention.Reason]
    last_entry_date: str | None
    mean_7: float | None
    change_from_baseline: float | None


class Dashboard(TypedDict):
    """A page of the provider's dashboard (``dashboard``)."""
    patients: list[PatientSummary]
    total: int
    page: int
    pages: int
    per_page: int
    first: int
    flagged: int


def shows_text(share: Mapping[str, Any]) -> bool:
    """Whether a share shows the patient's words (notes, reflections, the safety plan): a "full"
    share does, "scores only" doesn't. Every provider view asks here."""
    return share["scope"] == "full"


def shown_trigger(name: str, share: Mapping[str, Any]) -> Msg | str:
    """A trigger name as a provider sees it: as written, except under "scores only" when it carries
    crisis language (the patient's words, which that scope doesn't share): WITHHELD_TRIGGER."""
    return WITHHELD_TRIGGER if not shows_text(share) and crisis.mentions_crisis(name) else name


def trigger_reader(share: Mapping[str, Any]) -> Callable[[list[str]], list[Msg | str]]:
    """``shown(names)``: a check-in's trigger names as the provider of ``share`` sees them
    (``shown_trigger``), the placeholder at most once. Each distinct name is read for crisis
    language once per reader: a diary names few triggers, and a page or an export shows them many
    times."""
    if shows_text(share):
        return list
    seen: dict[str, Msg | str] = {}

    def shown(names: list[str]) -> list[Msg | str]:
        result: list[Msg | str] = []
        for name in names:
            if name not in seen:
                seen[name] = shown_trigger(name, share)
            if seen[name] != WITHHELD_TRIGGER or WITHHELD_TRIGGER not in result:
                result.append(seen[name])
        return result
    return shown


def _shared_entries(entries: list[Entry], share: Mapping[str, Any]) -> list[Entry] | list[SharedEntry]:
    """Check-ins as a provider sees them: under "scores only" no note and no trigger in crisis words."""
    if shows_text(share):
        return entries
    shown = trigger_reader(share)
    shared: list[SharedEntry] = [{**entry, "note": None, "triggers": shown(entry["triggers"])} for entry in entries]
    return shared


def _shared_trends(trends: Trends, share: Mapping[str, Any]) -> Trends:
    """Trends as a provider sees them: under "scores only" a trigger in crisis words is named by
    the placeholder (the result is shared between requests: a copy, never changed in place)."""
    if shows_text(share):
        return trends
    triggers: list[TriggerRow] = []
    for item in trends["triggers"]:
        name = shown_trigger(item["name"], share)
        # (the placeholder worded here, in the reader's language: a trigger's name is a text)
        triggers.append(item if name == item["name"] else
                        {**item, "name": str(name), "sentence": _renamed(item["sentence"], item["name"], name)})
    return trends if triggers == trends["triggers"] else {**trends, "triggers": triggers}


def _renamed(sentence: Msg, name: str, shown: Msg | str) -> Msg:
    """A trigger's sentence naming it ``shown`` instead of ``name`` (a value of the message, or of one in it)."""
    args = {key: shown if isinstance(value, str) and value == name else
            _renamed(value, name, shown) if isinstance(value, Msg) else value
            for key, value in sentence.args.items()}
    return Msg(sentence.id, args, plural=sentence.plural, count=sentence.count, braces=sentence.braces,
               context=sentence.context)


def _audited(db: Database, action: str, provider_id: int, patient_id: int) -> None:
    with write_transaction(db):
        audit.record(db, action, actor_id=provider_id, patient_id=patient_id)


def patient_page(db: Database, provider_id: int, patient: Mapping[str, Any], share: Mapping[str, Any],
                 range_name: str | None = None) -> PatientPage:
    """What a provider's page about one sharing patient shows over the Trends period ``range_name``
    (a key of schemas.trends.RANGES, or None for the default: the course, else 90 days), from shared
    records only (text and the safety plan only under a full share): ``range_name`` (the one shown),
    the trends, and every shared session of the period. The view is written to the audit log first."""
    _audited(db, "provider.patient_page", provider_id, patient["id"])
    full = shows_text(share)
    range_name, days = trends_service.period(db, patient["id"], today_in(patient["timezone"]), range_name,
                                             include_private=False)
    trends = trends_service.gather(db, patient["id"], patient["timezone"], days, include_private=False,
                                   for_page=True)
    entries = entries_store.list_entries(db, patient["id"], limit=50, include_private=False)
    return {
        "range_name": range_name,
        "trends": _shared_trends(trends, share),
        "entries": _shared_entries(entries, share),
        "sessions": sessions_store.list_sessions(db, patient["id"], date_from=trends["from"], date_to=trends["to"],
                                                 include_private=False),
        "assessments": assessments_store.list_assessments(db, patient["id"], include_private=False, limit=20),
        "since_baseline": {result_id: label.as_dict() for result_id, label in
                           assessments_service.since_baseline(db, patient["id"], include_private=False).items()},
        "safety_flag": safety.open_flag(db, patient, provider_id, share["since"]),
        "safety_history": safety.history_for_provider(db, patient, provider_id),
        "plan": safety_store.get_plan(db, patient["id"]) if full else None,
        "schedule": schedule(db, patient["id"]),
        "full": full,
    }


def schedule(db: Database, patient_id: int) -> dict[str, Any]:
    """The patient's questionnaire schedule in force: ``{cadence, restart_each_series, set_by, set_at}``
    (cadence "default" and set_by None when no clinician set one, or theirs has no live share)."""
    found = schedules_store.in_force(db, patient_id)
    if found is None:
        return {"cadence": "default", "restart_each_series": False, "set_by": None, "set_at": None}
    return {"cadence": found["cadence"], "restart_each_series": found["restart_each_series"],
            "set_by": found["set_by_name"], "set_at": found["set_at"]}


def set_schedule(db: Database, provider_id: int, patient_id: int, cadence: str, restart: bool) -> dict[str, Any]:
    """Set when the patient's GAD-7 and PHQ-9 fall due ("default": their own), recorded in their
    access log in the same transaction; returns the schedule in force."""
    with write_transaction(db):
        schedules_store.set_schedule(db, patient_id, provider_id, None if cadence == "default" else cadence,
                                     restart and cadence != "default")
        audit.record(db, "provider.schedule_set", actor_id=provider_id, patient_id=patient_id, detail=cadence)
    return schedule(db, patient_id)


def shared_trends(db: Database, provider_id: int, patient: Mapping[str, Any], share: Mapping[str, Any],
                  days: int | None, range_name: str | None = None) -> Trends:
    """A sharing patient's trends over the Trends period ``range_name`` (a key of schemas.trends.RANGES,
    computed from shared records) when given, else over ``days`` (None: all), without private
    records, triggers in crisis words withheld under "scores only"; audited."""
    _audited(db, "api.patient_trends", provider_id, patient["id"])
    if range_name is not None:
        _, days = trends_service.period(db, patient["id"], today_in(patient["timezone"]), range_name,
                                        include_private=False)
    return _shared_trends(trends_service.gather(db, patient["id"], patient["timezone"], days, include_private=False),
                          share)


def shared_entries(db: Database, provider_id: int, patient: Mapping[str, Any], share: Mapping[str, Any], *,
                   limit: int, **query: Any) -> list[Entry] | list[SharedEntry]:
    """A sharing patient's shared check-ins (``limit`` of them, filtered by ``query`` as
    store.entries.list_entries is), notes and triggers in crisis words left out under "scores
    only" (the time of day, score and other triggers stay, as in the provider's CSV); audited."""
    _audited(db, "api.patient_entries", provider_id, patient["id"])
    entries = entries_store.list_entries(db, patient["id"], limit=limit, include_private=False, **query)
    return _shared_entries(entries, share)


def patient_line(db: Database, patient: Mapping[str, Any], today: dt.date) -> PatientLine:
    """The patient's own part of their dashboard line on ``today`` (their local date), from shared
    (non-private) records only: the same for every provider, JSON-able, kept between requests."""
    sessions = sessions_store.list_sessions(db, patient["id"], include_private=False)
    start = today - dt.timedelta(days=attention.SPARKLINE_DAYS - 1)
    totals = insight_totals(db, patient["id"], start, today, sessions, include_private=False)
    first = dt.date.fromisoformat(sessions[-1]["date"]) if sessions else None  # newest first
    last = entries_store.last_date(db, patient["id"], include_private=False)
    _, _, outlook = relief.outlook(sessions, relief_means(db, patient["id"], sessions, today, include_private=False),
                                   today)
    results = assessments_store.list_assessments(db, patient["id"], include_private=False)  # newest first
    latest = {}
    for a in reversed(results):
        latest[a["instrument"]] = a
    result = attention.summarize(
        means_of(totals), today, dt.date.fromisoformat(last) if last else None, first,
        highest={day: high for day, (_, _, _, high) in totals.items()},
        latest_assessments=latest, since_baseline=reliable_change.since_baseline(results, first),
    )
    return {
        "last_entry_date": last, "mean_7": rounded(result.mean_7),
        "change_from_baseline": rounded(result.change_from_baseline),
        "top_flag": result.reasons[0].flag if result.reasons else None,
        "top_date": result.reasons[0].date.isoformat() if result.reasons and result.reasons[0].date else None,
        "reasons": [{"flag": r.flag, "date": r.date and r.date.isoformat(), "text": stored_text(r.text)}
                    for r in result.reasons],
        "sparkline": list(result.sparkline),
        "last_session": {k: sessions[0][k] for k in ("id", "date", "treatment")} if sessions else None,
        "days_since_session": outlook.days_since, "forecast_status": outlook.status,
        "fade_from": iso_date(outlook.fade_from), "fade_to": iso_date(outlook.fade_to),
    }


def summary(patient: Mapping[str, Any], line: Mapping[str, Any], flag: Mapping[str, Any] | None) -> PatientSummary:
    """The dashboard line as one provider sees it: the patient's ``line`` with this provider's open
    safety ``flag`` (or None), which always comes first (docs/INSIGHTS.md, "Provider dashboard")."""
    reasons: list[LineReason] = list(line_reasons(line["reasons"]))
    if flag:
        reasons = [{"flag": "safety", "date": flag["date"], "text": flag["text"]}, *reasons]
    return {
        "id": patient["id"], "display_name": patient["display_name"], "scope": patient.get("scope"),
        "last_entry_date": line["last_entry_date"], "mean_7": line["mean_7"],
        "change_from_baseline": line["change_from_baseline"],
        "flags": [r["flag"] for r in reasons], "flag_reasons": reasons,
        "safety": None if flag is None else {k: flag[k] for k in ("since", "date", "reason", "count", "raised_at")},
        "sparkline": line.get("sparkline"), "last_session": line.get("last_session"),
        "days_since_session": line["days_since_session"], "forecast_status": line["forecast_status"],
        "fade_from": line["fade_from"], "fade_to": line["fade_to"],
    }


def _current_lines(db: Database, patients: Iterable[SharedPatient]
                   ) -> tuple[dict[int, Mapping[str, Any]], dict[int, PatientLine], list[LineToStore]]:
    """Each patient's line: the stored one where it is still valid (same diary version, same local
    day, same format), else computed now. Returns ``({id: line}, {id: line computed now}, rows to
    store)``; of a stored line, only what the sorts read (dashboard_store.LINE)."""
    lines: dict[int, Mapping[str, Any]] = {}
    computed: dict[int, PatientLine] = {}
    to_store: list[LineToStore] = []
    days: dict[str, dt.date] = {}  # {time zone: its date today}
    for patient in patients:
        today = days.get(patient["timezone"]) or days.setdefault(patient["timezone"], today_in(patient["timezone"]))
        stored = patient["stored"]
        if (stored and stored["version"] == patient["version"] and stored["today"] == today.isoformat()
                and stored["format"] == LINE_FORMAT):
            lines[patient["id"]] = stored["line"]
            continue
        line = lines[patient["id"]] = computed[patient["id"]] = patient_line(db, patient, today)
        to_store.append((patient["id"], patient["version"], today.isoformat(), LINE_FORMAT, line))
    return lines, computed, to_store


def _sortable(patient: Mapping[str, Any], line: Mapping[str, Any], flag: Mapping[str, Any] | None) -> Sortable:
    """Just what SORTS read: the line's numbers and most urgent flag, after the live safety flag."""
    name, date = ("safety", flag["date"]) if flag else (line["top_flag"], line["top_date"])
    reasons = [attention.Reason(name, date and dt.date.fromisoformat(date), "")] if name else []
    return {"id": patient["id"], "display_name": patient["display_name"], "reasons": reasons,
            "last_entry_date": line["last_entry_date"], "mean_7": line["mean_7"],
            "change_from_baseline": line["change_from_baseline"]}


def dashboard(db: Database, provider_id: int, sort: str = "attention", *, action: str = "provider.dashboard",
              page: int | None = None, per_page: int | None = None, sparklines: bool = True) -> Dashboard:
    """Every patient sharing with the provider now, summarized and sorted, as ``{patients, total,
    page, pages, per_page, first, flagged}``: page ``page`` (1-based, out of range: the nearest) of
    ``per_page`` (default PAGE_SIZE) patients, or all of them when ``page`` is None. Only the
    patients returned are logged as seen. Safety flags and the shares are read live on every call;
    each patient's own line is reused while their diary and their local date stay the same (its
    flags' reasons read only for the patients returned; the sparkline and last session too if
    ``sparklines``)."""
    listing_all = page is None
    with read_snapshot(db):  # the parts read afterwards are those of the lines sorted
        # Listing them all (the API), their reasons come with the first read.
        patients = {p["id"]: p for p in dashboard_store.shared_patients(db, provider_id, listed=listing_all)}
        flags = safety.open_flags(db, provider_id, patients.values())
        lines, computed, to_store = _current_lines(db, patients.values())
        order = sorted((_sortable(p, lines[p["id"]], flags.get(p["id"])) for p in patients.values()),
                       key=SORTS.get(sort, SORTS["attention"]))
        size = len(order) if listing_all else (per_page or PAGE_SIZE)
        pages = max(1, -(-len(order) // size)) if size else 1
        page = min(max(page or 1, 1), pages)
        shown = [patients[p["id"]] for p in order[(page - 1) * size:page * size]]
        # A page reads the reasons (and the sparklines, last sessions) of its own patients only.
        read_more = sparklines or not listing_all
        stored = [p["id"] for p in shown if p["id"] not in computed] if read_more else []
        parts = dashboard_store.listed_parts(db, stored, page=sparklines) if stored else {}
    summaries = [summary(p, {**lines[p["id"]], **parts.get(p["id"], {})}, flags.get(p["id"])) for p in shown]
    shown_ids = {p["id"] for p in shown}
    with write_transaction(db):
        dashboard_store.save_lines(db, to_store)
        audit.record_many(db, action, actor_id=provider_id,
                          patient_ids=[patient_id for patient_id in patients if patient_id in shown_ids])
    return {"patients": summaries, "total": len(order), "page": page, "pages": pages, "per_page": size,
            "first": (page - 1) * size + 1, "flagged": sum(1 for p in order if p["reasons"])}


def patient_summaries(db: Database, provider_id: int, sort: str = "attention", action: str = "provider.dashboard", *,
                      sparklines: bool = True) -> list[PatientSummary]:
    """Every patient sharing with the provider, summarized and sorted; each one's access is logged."""
    return dashboard(db, provider_id, sort, action=action, sparklines=sparklines)["patients"]


REDEEM_MESSAGES = {
    "unknown": msg("That code doesn't match any share code. Check it with your patient."),
    "expired": msg("That code has expired (codes last 72 hours). Ask your patient for a new one."),
    "used": msg("That code has already been used. Ask your patient for a new one."),
    "cancelled": msg("Your patient cancelled that code. Ask them for a new one."),
}


class CodeNotRedeemed(Exception):
    """A share code that didn't work (unknown, used, expired…): ``str()`` says why, in the words
    the provider is shown."""


# What a provider is told when too many codes failed (services.limits.Throttled.wait fills it in:
# ``TOO_MANY_CODES.format(wait=...)``).
TOO_MANY_CODES = msg("Too many codes that didn't work. Please wait {wait} and try again.")


def redeem(db: Database, provider_id: int, code: str, *, config: Mapping[str, Any],
           address: str | None) -> SharingPatient:
    """Redeem a share code for ``provider_id``: the patient now sharing with them.

    Raises ``limits.Throttled`` when too many codes failed (wrong codes are limited per provider,
    per client address and overall, so opening more provider accounts doesn't buy more guesses),
    ``CodeNotRedeemed`` when this one didn't work (audited).
    """
    attempt = limits.attempt(db, config, "redeem", account=provider_id, address=address)
    try:
        patient = sharing_store.redeem_invite(db, provider_id, code)
    except sharing_store.InviteRefused as refusal:
        with write_transaction(db):
            audit.record(db, "share.redeem_failed", actor_id=provider_id, detail=refusal.reason)
        raise CodeNotRedeemed(REDEEM_MESSAGES[refusal.reason]) from None
    attempt.succeeded()
    with write_transaction(db):
        audit.record(db, "share.redeemed", actor_id=provider_id, patient_id=patient["id"])
    return patient
