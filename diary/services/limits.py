"""Rate limits on guessing: wrong passwords, wrong share codes, new accounts.

Each attempt takes a slot from every limit that applies (the account's, the client address's,
everyone's) before it is checked, atomically, and a right attempt gives its slots back: so only
failures count, yet parallel requests can never check more than the limit. docs/SECURITY.md
explains the numbers.
"""
import hashlib
import hmac
import ipaddress
import math
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from ..messages import Msg, plural_msg
from ..store import limits as limits_store

MINUTE, HOUR, DAY = 60, 3600, 24 * 3600
# (attempts, window in seconds), named "<action>_<whom>[_<more>]": each action's attempt counts
# against every limit named for it. An app may replace any of them through config["RATE_LIMITS"]
# (tests do).
DEFAULT_RATE_LIMITS = {
    "login_account": (10, 15 * MINUTE),  # wrong passwords for one email, known or not
    "login_address": (100, 15 * MINUTE),  # wrong passwords from one address, over all emails
    "mfa_account": (10, 15 * MINUTE),  # wrong second-factor codes for one account
    # ... and at most 100 in 30 days (NIST SP 800-63B's cap on failed attempts; 960 a day would
    # find a 6-digit code within a year): then only an administrator's reset-two-factor helps.
    "mfa_account_month": (100, 30 * DAY),
    "mfa_address": (100, 15 * MINUTE),
    "redeem_account": (10, HOUR),  # wrong share codes by one provider
    "redeem_address": (20, HOUR),  # ... from one address, over all its provider accounts
    "redeem_global": (200, HOUR),  # ... from anyone: 200 an hour against ≥ 2^60 codes is hopeless
    "register_address": (50, HOUR),  # a clinic's front desk registers ~30 patients an hour
    "register_global": (1000, HOUR),
    "reset_account": (5, HOUR),  # forgotten-password e-mails to one address (every request counts)
    "reset_address": (20, HOUR),  # ... asked for from one client address, over all e-mails
}


class Throttled(Exception):
    """Too many attempts: try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after

    @property
    def wait(self) -> Msg:
        """How long, as people say it: "15 minutes", "2 hours", "30 days" (rounded up); worded in
        the reader's language when shown."""
        if self.retry_after < 2 * HOUR:
            minutes = max(1, math.ceil(self.retry_after / MINUTE))
            return plural_msg("%(num)d minute", "%(num)d minutes", minutes)
        if self.retry_after < 2 * DAY:
            hours = max(1, math.ceil(self.retry_after / HOUR))
            return plural_msg("%(num)d hour", "%(num)d hours", hours)
        days = max(1, math.ceil(self.retry_after / DAY))
        return plural_msg("%(num)d day", "%(num)d days", days)


class Attempt:
    """The slots one attempt holds; ``succeeded()`` gives them back."""

    def __init__(self, db: Database, hit_ids: list[int]) -> None:
        self.db, self.hit_ids = db, hit_ids

    def succeeded(self) -> None:
        limits_store.give_back(self.db, self.hit_ids)
        self.hit_ids = []


def _key(config: Mapping[str, Any], value: object) -> str:
    # Buckets name whom they count by a keyed hash: not the email or address typed, and not a
    # plain hash that trying likely emails would reverse.
    key = config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()[:32]


def _client(address: str) -> str:
    """An IPv4 address, or the /64 an IPv6 address is in (one client can hold all of a /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def _rules(config: Mapping[str, Any], action: str, subjects: Mapping[str, object]) -> list[tuple[str, int, float]]:
    limits = {**DEFAULT_RATE_LIMITS, **config.get("RATE_LIMITS", {})}
    return [(f"{name}:{_key(config, subject)}", attempts, window)
            for whom, subject in subjects.items() if subject is not None
            for name, (attempts, window) in limits.items()
            if name == f"{action}_{whom}" or name.startswith(f"{action}_{whom}_")]


def attempt(db: Database, config: Mapping[str, Any], action: str, *, account: str | int | None = None,
            address: str | None = None) -> Attempt:
    """Take a slot for ``action`` ("login", "mfa", "redeem", "register" or "reset") or raise Throttled.

    :param config: the app's config: ``RATE_LIMITS``, ``LIMITS_PER_ADDRESS`` (False turns the
        per-address limits off, for load tests and clinics behind one NAT address), ``SECRET_KEY``.
    :param account: whom the attempt is against (an email for logins, an account id for codes).
    :param address: the client's address.
    """
    subjects = {"account": account, "global": "everyone"}
    if config.get("LIMITS_PER_ADDRESS", True) and address is not None:
        subjects["address"] = _client(address)
    retry_after, hit_ids = limits_store.take(db, _rules(config, action, subjects))
    if retry_after is not None:
        raise Throttled(retry_after)
    return Attempt(db, hit_ids)


def forget(db: Database, config: Mapping[str, Any], action: str, account: str | int) -> None:
    """Clear ``account``'s counts for ``action`` (an administrator reset its second factor)."""
    limits_store.forget(db, [bucket for bucket, _, _ in _rules(config, action, {"account": account})])
