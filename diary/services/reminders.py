"""Reminders by web push: a patient's browsers, and the delivery run (``flask send-reminders``).

The rules (when a reminder is due, which one, what it says) are pure, in ``insights.reminders``;
this module fetches what they need and records what was sent, so a rerun never sends twice.
"""
import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from sqlite_utils import Database

from ..insights import relief
from ..insights import reminders as rules
from ..messages import Msg, msg
from ..security.fields import Unreadable
from ..store import entries as entries_store
from ..store import push as push_store
from ..store import sessions as sessions_store
from ..store import users as users_store
from ..store.push import PatientSubscription, Subscription
from . import assessments
from .trends import relief_means

log = logging.getLogger(__name__)

OFFER_CARD = "reminders"
TooManyDevices = push_store.TooManyDevices


def shown(subscription: Subscription) -> Subscription:
    """``subscription`` with its device named as the reader reads it (worded now: a list for a page)."""
    return {**subscription, "device": str(device_name(subscription["device"]))}


def subscribe(db: Database, user_id: int, data: Mapping[str, Any],
              user_agent: str = "") -> tuple[Subscription, bool]:
    """Save this browser's subscription and reminder time: ``(subscription, created)``."""
    subscription, created = push_store.subscribe(db, user_id, {
        "endpoint": data["endpoint"], "p256dh": data["keys"]["p256dh"], "auth": data["keys"]["auth"],
        "remind_at": data["remind_at"], "days": data["days"], "device": device_label(user_agent),
    })
    return shown(subscription), created


def unsubscribe(db: Database, user_id: int, endpoint: str) -> bool:
    return push_store.delete_endpoint(db, user_id, endpoint)


def remove_device(db: Database, user_id: int, subscription_id: int) -> bool:
    return push_store.delete(db, user_id, subscription_id)


def devices(db: Database, user_id: int) -> list[Subscription]:
    """The patient's browsers with reminders on, newest first, each named in the reader's language."""
    return [shown(subscription) for subscription in push_store.for_user(db, user_id)]


def offered(db: Database, user_id: int) -> bool:
    """Whether Today offers reminders: once the patient has checked in at least once, while no
    browser of theirs has them on, until they say "No thanks"."""
    return (not push_store.for_user(db, user_id)
            and users_store.card_dismissed_at(db, user_id, OFFER_CARD) is None
            and entries_store.first_date(db, user_id) is not None)


def dismiss_offer(db: Database, user_id: int, today: dt.date) -> None:
    users_store.dismiss_card(db, user_id, OFFER_CARD, today.isoformat())


BROWSERS = (("Edg", "Edge"), ("SamsungBrowser", "Samsung Internet"), ("OPR", "Opera"), ("Firefox", "Firefox"),
            ("FxiOS", "Firefox"), ("CriOS", "Chrome"), ("Chrome", "Chrome"), ("Safari", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Macintosh", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def device_label(user_agent: str | None) -> str:
    """A name the patient recognises in their list of devices, e.g. "Chrome on Android": stored in
    English, and worded for each reader by ``device_name``."""
    browser = next((name for token, name in BROWSERS if re.search(rf"(\b|Headless){token}/", user_agent or "")),
                   UNKNOWN_BROWSER)
    system = next((name for token, name in SYSTEMS if token in (user_agent or "")), None)
    return f"{browser} on {system}" if system else browser


UNKNOWN_BROWSER = "A browser"


def device_name(label: str) -> Msg | str:
    """A stored ``device_label`` as the reader reads it: "Chrome on Android", "Chrome en Android"
    (browser and system names are names, the same in every language)."""
    if not label:
        return label
    browser, on, system = label.partition(" on ")
    named: Msg | str = msg("A browser") if browser == UNKNOWN_BROWSER else browser
    return msg("%(browser)s on %(system)s", browser=named, system=system) if on else named


def what_to_do(db: Database, subscription: Mapping[str, Any], day: dt.date) -> tuple[str, str] | None:
    """The reminder worth sending on the patient's local ``day``: ``(kind, path)`` or None."""
    user_id = subscription["user_id"]
    checked_in = bool(entries_store.entries_on(db, user_id, day))
    sessions = sessions_store.list_sessions(db, user_id, date_to=day.isoformat())
    yesterday = (day - dt.timedelta(days=1)).isoformat()
    unreflected = next((s["id"] for s in sessions if s["date"] == yesterday and not s["reflection"].strip()), None)
    fade_starts = False
    if unreflected is None and sessions:
        means = relief_means(db, user_id, sessions, day, include_private=True)
        outlook = relief.outlook(sessions, means, day)[2]
        # Only while relief may still hold: not once anxiety was seen back since the last session.
        fade_starts = outlook.fade_from == day and outlook.status in ("within", "approaching")
    due = assessments.due(db, user_id, day)
    questionnaire = None
    # One reminder each time a questionnaire falls due (and not once it was dismissed), not one a day.
    if due is not None and not push_store.reminded_since(db, subscription["id"], "questionnaire", due["since"]):
        questionnaire = due["instruments"][0].key
    return rules.choose(checked_in=checked_in, unreflected_session=unreflected, fade_starts=fade_starts,
                        questionnaire=questionnaire)


def send_due(db: Database, now: dt.datetime,
             send: Callable[[PatientSubscription, rules.Payload], str]) -> Counter[str]:
    """Send every reminder due at ``now`` (aware UTC) through ``send(subscription, message)``.

    Safe to run every few minutes, and twice at once: each subscription's day is claimed in the
    database before its push goes out. Returns counts by outcome (sent, nothing_to_do, gone...).
    """
    counts: Counter[str] = Counter()
    for subscription in push_store.all_with_patients(db):
        day = rules.due_date(now, subscription["timezone"], subscription["remind_at"], subscription["days"])
        if day is None:
            continue
        # Settled days are skipped before the rules run (a rerun every few minutes stays cheap);
        # the claim below is what makes two runs at once safe.
        if push_store.claimed(db, subscription["id"], day.isoformat()):
            counts["already_done"] += 1
            continue
        try:
            todo = what_to_do(db, subscription, day)
        except Unreadable as error:
            # This account's words don't open here (its key store is missing or wrong: /healthz
            # says so): no reminder for it this run, and the others still get theirs.
            log.error("Reminder for subscription %s not worked out: %s", subscription["id"], error)
            counts["failed"] += 1
            continue
        kind = todo[0] if todo else "nothing"
        if not push_store.claim(db, subscription["id"], day.isoformat(), kind):
            counts["already_done"] += 1
            continue
        if todo is None:
            counts["nothing_to_do"] += 1  # claimed all the same: the day is settled
            continue
        outcome = send(subscription, rules.payload(todo[0], todo[1]))
        if outcome == "sent":
            push_store.mark_sent(db, subscription["id"])
        elif outcome == "gone":
            push_store.expire(db, subscription["id"])
        elif outcome in ("failed", "refused"):
            push_store.release(db, subscription["id"], day.isoformat())  # a later run may try again
        counts[outcome] += 1
    return counts
