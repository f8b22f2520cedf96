"""Rate limits on guessing: wrong passwords, wrong share codes, new accounts.

Each attempt takes a slot from every limit that applies (the account's, the client address's,
everyone's) before it is checked, atomically, and a right attempt gives its slots back: so only
failures count, yet parallel requests can never check more than the limit. docs/SECURITY.md
explains the numbers.
"""
import hashlib
import math

from ..store import limits as limits_store

MINUTE, HOUR = 60, 3600
# (attempts, window in seconds) for each action and whom it counts against. An app may replace
# any of them through config["RATE_LIMITS"] (tests do).
DEFAULT_RATE_LIMITS = {
    "login_account": (10, 15 * MINUTE),  # wrong passwords for one email, known or not
    "login_address": (100, 15 * MINUTE),  # wrong passwords from one address, over all emails
    "mfa_account": (10, 15 * MINUTE),  # wrong second-factor codes for one account
    "mfa_address": (100, 15 * MINUTE),
    "redeem_account": (10, HOUR),  # wrong share codes by one provider
    "redeem_address": (20, HOUR),  # ... from one address, over all its provider accounts
    "redeem_global": (200, HOUR),  # ... from anyone: 200 an hour against ≥ 2^60 codes is hopeless
    "register_address": (50, HOUR),  # a clinic's front desk registers ~30 patients an hour
    "register_global": (1000, HOUR),
}


class Throttled(Exception):
    """Too many attempts: try again in ``retry_after`` seconds."""

    def __init__(self, retry_after):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after

    @property
    def minutes(self):
        return max(1, math.ceil(self.retry_after / 60))


class Attempt:
    """The slots one attempt holds; ``succeeded()`` gives them back."""

    def __init__(self, db, hit_ids):
        self.db, self.hit_ids = db, hit_ids

    def succeeded(self):
        limits_store.give_back(self.db, self.hit_ids)
        self.hit_ids = []


def _key(value):
    # Buckets name whom they count without keeping what was typed (an email, an address) in clear.
    return hashlib.sha256(str(value).encode()).hexdigest()[:32]


def attempt(db, config, action, *, account=None, address=None):
    """Take a slot for ``action`` ("login", "mfa", "redeem" or "register") or raise Throttled.

    :param config: the app's config: ``RATE_LIMITS`` and ``LIMITS_PER_ADDRESS`` (False turns the
        per-address limits off, for load tests and clinics behind one NAT address).
    :param account: whom the attempt is against (an email for logins, a provider id for codes).
    :param address: the client's address.
    """
    limits = {**DEFAULT_RATE_LIMITS, **config.get("RATE_LIMITS", {})}
    subjects = {"account": account, "global": "everyone"}
    if config.get("LIMITS_PER_ADDRESS", True):
        subjects["address"] = address
    rules = [(f"{action}:{whom}:{_key(subject)}", *limits[f"{action}_{whom}"])
             for whom, subject in subjects.items() if subject is not None and f"{action}_{whom}" in limits]
    retry_after, hit_ids = limits_store.take(db, rules)
    if retry_after is not None:
        raise Throttled(retry_after)
    return Attempt(db, hit_ids)
