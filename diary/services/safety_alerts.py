"""Safety alerts by web push: a provider's browsers, and the delivery run (part of ``flask
send-reminders``). docs/REMINDERS.md, "Safety alerts".

A safety signal (services.safety: crisis language or PHQ-9 item 9 in a shared record) that opens
the provider's safety flag on their dashboard goes to each browser they turned alerts on in, once:
only signals the provider can see (a live share, not private, raised after what they acknowledged,
not older than the dashboard's look-back from the share's start), and only those that opened
after alerts were turned on. No quiet hours. The payload names no patient and holds no health data.
"""
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from sqlite_utils import Database

from ..insights.reminders import Payload
from ..messages import msg
from ..store import push as push_store
from ..store import safety_alerts as alerts_store
from ..store.push import Subscription
from .reminders import device_label, shown
from .safety import shown_from

# A push service keeps a safety alert a day (a phone off overnight still gets it), sent at "high"
# urgency (RFC 8030 §5.3: delivered even while the device saves battery). Reminders keep 2 hours.
ALERT_TTL_SECONDS = 24 * 3600

# Worded in the provider's language as the alert is sent (commands.in_their_language).
TITLE = msg("Symptom Diary")
MESSAGE = msg("A patient you care for needs attention. Open Symptom Diary.")
DASHBOARD = "/provider/"
# One tag for every alert: a browser shows the newest in place of one still unread, so a busy
# hour is one notification (the dashboard lists them all), and the tag says nothing either.
TAG = "diary-safety-alert"

TooManyDevices = push_store.TooManyDevices


def subscribe(db: Database, provider_id: int, data: Mapping[str, Any],
              user_agent: str = "") -> tuple[Subscription, bool]:
    """Turn safety alerts on for this browser: ``(subscription, created)``."""
    subscription, created = push_store.subscribe(db, provider_id, {
        "endpoint": data["endpoint"], "p256dh": data["keys"]["p256dh"], "auth": data["keys"]["auth"],
        "device": device_label(user_agent),
    }, purpose=push_store.SAFETY_ALERTS)
    return shown(subscription), created


def unsubscribe(db: Database, provider_id: int, endpoint: str) -> bool:
    """Turn safety alerts off for the browser with ``endpoint``; False when it had none of this provider's."""
    return push_store.delete_endpoint(db, provider_id, endpoint, purpose=push_store.SAFETY_ALERTS)


def remove_device(db: Database, provider_id: int, subscription_id: int) -> bool:
    return push_store.delete(db, provider_id, subscription_id, purpose=push_store.SAFETY_ALERTS)


def devices(db: Database, provider_id: int) -> list[Subscription]:
    """The provider's browsers with safety alerts on, newest first, each named in the reader's language."""
    return [shown(subscription)
            for subscription in push_store.for_user(db, provider_id, purpose=push_store.SAFETY_ALERTS)]


def payload() -> Payload:
    """What an alert carries: the same fixed words for every patient and signal, and the dashboard."""
    return {"title": TITLE, "body": MESSAGE, "url": DASHBOARD, "tag": TAG}


def _within_look_back(candidate: alerts_store.Candidate) -> bool:
    """The dashboard's rule (services.safety.shown_from): a provider who starts sharing sees, as an
    open flag, the signals raised from two weeks before the share began."""
    return candidate["raised_at"] > shown_from(candidate["share_since"])


def send_due(db: Database, send: Callable[..., str]) -> Counter[str]:
    """Send every safety alert not sent yet through ``send(subscription, message, ttl=, urgency=)``
    (webpush.sender): kept a day by the push service, at high urgency.

    Safe to run every few minutes, and twice at once: each (browser, signal) is claimed in the
    database before its push goes out. Returns counts by outcome (sent, gone, failed, refused,
    already_done).
    """
    counts: Counter[str] = Counter()
    passed_over: set[int] = set()  # browsers that are gone, or failed this run: their other alerts wait
    for alert in alerts_store.candidates(db):
        if alert["subscription_id"] in passed_over or not _within_look_back(alert):
            continue
        claim = (alert["subscription_id"], alert["event_id"], alert["raised_at"])
        if not alerts_store.claim(db, *claim):
            counts["already_done"] += 1
            continue
        outcome = send(alert, payload(), ttl=ALERT_TTL_SECONDS, urgency="high")
        if outcome == "sent":
            push_store.mark_sent(db, alert["subscription_id"])
        elif outcome == "gone":
            push_store.expire(db, alert["subscription_id"])  # its claims go with it
        else:  # failed or refused: the next run tries again
            alerts_store.release(db, *claim)
        if outcome != "sent":
            passed_over.add(alert["subscription_id"])
        counts[outcome] += 1
    return counts
