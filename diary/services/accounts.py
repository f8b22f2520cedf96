"""Accounts: registering, logging in (password, then a second factor when the account has one),
logging out, changing the password or the profile, deleting the account, and the two-factor
changes that need the password and a code first.

Every password and code is checked within its rate limits (services.limits) and the outcome
audited; the views keep what belongs to the browser (the login itself, the pending second step,
the secret being enrolled) and say what happened. ``config`` is the app's config (the limits');
``address`` the client's.
"""
import secrets
from collections.abc import Mapping
from typing import Any, cast

from sqlite_utils import Database

from ..db import forget_old_pages, write_transaction
from ..messages import msg
from ..security import passwords
from ..store import audit
from ..store import keys as keys_store
from ..store import password_resets as resets_store
from ..store import provider_invitations as invitations_store
from ..store import users as users_store
from ..store.users import User
from ..timeutil import utc_after
from . import limits, two_factor


class PasswordRefused(Exception):
    """The password wasn't checked (``throttled``: limits.Throttled) or wasn't the account's (audited)."""

    def __init__(self, throttled: limits.Throttled | None = None) -> None:
        super().__init__("throttled" if throttled else "wrong password")
        self.throttled = throttled


class CodeRefused(Exception):
    """The second-factor code wasn't checked (``throttled``), or was wrong or ``replayed`` (audited)."""

    def __init__(self, throttled: limits.Throttled | None = None, replayed: bool = False) -> None:
        super().__init__("throttled" if throttled else "code already used" if replayed else "wrong code")
        self.throttled, self.replayed = throttled, replayed


def user(db: Database, user_id: int) -> User | None:
    """The account ``user_id`` (Flask-Login's user loader, every request), or None."""
    return users_store.get_user(db, user_id)


def log_event(db: Database, action: str, user_id: int | None, detail: str = "") -> None:
    """Audit an account event: who and what, never the password or the email typed."""
    with write_transaction(db):
        audit.record(db, action, actor_id=user_id, detail=detail)


class SignupClosed(Exception):
    """A clinician's account that can't be opened this way; ``str()`` says why, in the words shown."""


SIGNUP_CLOSED = msg("Clinicians' accounts are opened by the clinic's administrator: ask them for one.")
NEEDS_INVITATION = msg("A clinician's account needs an invitation from the clinic: open the link it sent you "
                       "and register with the e-mail address it was sent to.")


def register(db: Database, config: Mapping[str, Any], data: Mapping[str, Any], address: str | None,
             *, invitation: str | None = None) -> User:
    """Create the account ``data`` (RegisterIn) describes and return its row.

    A clinician's account follows ``config["PROVIDER_SIGNUP"]``: "open", "invite" (an unused,
    unexpired ``invitation`` made for this e-mail by ``invite_provider``, used up here) or
    "closed" (``flask create-user`` only). Raises SignupClosed, limits.Throttled, or
    store.NameTaken when the email already has an account.
    """
    policy = config["PROVIDER_SIGNUP"] if data["role"] == "provider" else "open"
    email = users_store.normalize_email(data["email"])
    if policy == "closed":
        raise SignupClosed(SIGNUP_CLOSED)
    if policy == "invite" and not (invitation and invitations_store.usable(db, invitation, email)):
        raise SignupClosed(NEEDS_INVITATION)
    # Counted per address (and overall) whether or not the email is taken: the answer must say
    # so, and this limit is what keeps it from being a fast existence oracle.
    limits.attempt(db, config, "register", address=address)
    password_hash = passwords.hash_password(data["password"])
    with write_transaction(db):
        row = users_store.create_user(
            db, email=data["email"], password_hash=password_hash,
            role=data["role"], display_name=data["display_name"], timezone=data["timezone"],
            language=data.get("language") or "en",
        )
        # In the same transaction: an invitation two registrations race for opens one account.
        if policy == "invite" and not invitations_store.use(db, cast(str, invitation), email, row["id"]):
            raise SignupClosed(NEEDS_INVITATION)
    log_event(db, "auth.registered", row["id"])
    return row


RESET_MINUTES = 30


class ResetRefused(Exception):
    """A password-reset link that is unknown, used or expired."""


def request_password_reset(db: Database, config: Mapping[str, Any], email: str,
                           address: str | None) -> tuple[User, str] | None:
    """``(account, token)`` for the live account with ``email`` (the token goes in the e-mailed
    link: single use, RESET_MINUTES), or None when there is none: the caller answers the same
    either way. Every request counts against the limits per e-mail and per address (Throttled)."""
    normalized = users_store.normalize_email(email)
    limits.attempt(db, config, "reset", account=normalized, address=address)
    user = users_store.get_user_by_email(db, normalized)
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    resets_store.create(db, user["id"], token, utc_after(minutes=RESET_MINUTES))
    log_event(db, "auth.password_reset_requested", user["id"])
    return user, token


def reset_link_account(db: Database, token: str) -> User | None:
    """The account a still-usable reset link is for (to show its form), or None."""
    user_id = resets_store.usable(db, token)
    return users_store.get_user(db, user_id) if user_id is not None else None


def reset_password(db: Database, token: str, new_password: str) -> User:
    """Set a new password through a reset link (validated by ResetPasswordIn): the link is used up,
    every login of the account ends, as a password change does (two-factor stays on), audited.
    Raises ResetRefused when the link is unknown, used or expired."""
    password_hash = passwords.hash_password(new_password)
    with write_transaction(db):
        user_id = resets_store.use(db, token)
        if user_id is None:
            raise ResetRefused
        users_store.set_password_hash(db, user_id, password_hash)
    log_event(db, "auth.password_reset", user_id)
    return cast(User, users_store.get_user(db, user_id))


def invite_provider(db: Database, email: str, *, days: int = 7) -> tuple[str, str]:
    """An invitation for a clinician's account with ``email``, valid for ``days``: ``(token,
    expires_at)``. The token goes in the link sent to them; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    expires_at = utc_after(days=days)
    invitations_store.create(db, token, users_store.normalize_email(email), expires_at)
    return token, expires_at


def _password_attempt(db: Database, config: Mapping[str, Any], email: str, address: str | None) -> limits.Attempt:
    """Take a slot for checking a password for ``email`` (known or not), or raise PasswordRefused.

    Logins, password changes and account deletions count into one limit per email, so a borrowed
    session can't be used to guess the password without the same limit, and an unknown email is
    throttled exactly like a known one (the answer doesn't tell which it is).
    """
    try:
        return limits.attempt(db, config, "login", account=users_store.normalize_email(email), address=address)
    except limits.Throttled as throttled:
        raise PasswordRefused(throttled) from None


def log_in(db: Database, config: Mapping[str, Any], email: str, password: str, address: str | None) -> User:
    """The account's row when ``password`` is its password; raises PasswordRefused otherwise.

    Logs the login unless the account has two-factor on (then the caller asks for a code, and
    ``log_in_second_step`` logs it). A hash made with older parameters is made again.
    """
    # Before the password is checked, so guessing costs neither a hash nor a chance.
    attempt = _password_attempt(db, config, email, address)
    row = users_store.get_user_by_email(db, email)
    if row is None:
        passwords.burn_time(password)
    if row is None or not passwords.verify_password(row["password_hash"], password):
        log_event(db, "auth.login_failed", row["id"] if row else None, "wrong password" if row else "unknown account")
        raise PasswordRefused()
    attempt.succeeded()
    if passwords.needs_rehash(row["password_hash"]):
        users_store.set_password_hash(db, row["id"], passwords.hash_password(password), end_logins=False)
    if row["mfa_enabled_at"] is None:
        log_event(db, "auth.login", row["id"])
    return row


def awaiting_second_factor(db: Database, user_id: int, session_version: int | None) -> User | None:
    """The account of a login's pending second step, or None if nothing has ended its sessions
    since the password (password change, logout elsewhere) and two-factor is still on."""
    row = users_store.get_user(db, user_id)
    if row is None or row["session_version"] != session_version or row["mfa_enabled_at"] is None:
        return None
    return row


def confirm_code(db: Database, config: Mapping[str, Any], user_id: int, code: str, address: str | None) -> str:
    """``"totp"`` or ``"recovery"`` when ``code`` is the account's second factor (now used up);
    raises CodeRefused otherwise (past the limit, before the code is tried).

    Counted like passwords (services.limits): per account and per address, at login and when a
    code confirms a change. Wrong codes are audited; a right one gives its limit slot back.
    """
    try:
        attempt = limits.attempt(db, config, "mfa", account=user_id, address=address)
    except limits.Throttled as throttled:
        raise CodeRefused(throttled) from None
    kind = two_factor.check(db, user_id, code, key=config["MFA_KEY"])
    if kind is None:
        replayed = two_factor.was_replayed(db, user_id, code, key=config["MFA_KEY"])
        log_event(db, "auth.mfa_failed", user_id, "code already used" if replayed else "wrong code")
        raise CodeRefused(replayed=replayed)
    attempt.succeeded()
    if kind == two_factor.RECOVERY:
        log_event(db, "auth.recovery_code_used", user_id)
    return kind


def log_in_second_step(db: Database, config: Mapping[str, Any], user_id: int, code: str,
                       address: str | None) -> int | None:
    """Finish a login with its second factor (raises CodeRefused when it isn't).

    Returns how many recovery codes are left when one was used, else None.
    """
    kind = confirm_code(db, config, user_id, code, address)
    # A recovery code was just used: two-factor is on, and its status never None.
    left = (cast(two_factor.TwoFactorStatus, two_factor.status(db, user_id))["recovery_codes_left"]
            if kind == two_factor.RECOVERY else None)
    log_event(db, "auth.login", user_id,
              "with a recovery code" if kind == two_factor.RECOVERY else "with an authenticator code")
    return left


def log_out(db: Database, user_id: int) -> None:
    """End every session of the account (this browser's too)."""
    users_store.end_logins_of(db, user_id)
    log_event(db, "auth.logout", user_id)


def confirm_password(db: Database, config: Mapping[str, Any], user_id: int, password: str,
                     address: str | None) -> User:
    """The logged-in account's row when ``password`` is its own; raises PasswordRefused otherwise."""
    row = cast(User, users_store.get_user(db, user_id))  # the logged-in account: never None
    attempt = _password_attempt(db, config, row["email"], address)
    if not passwords.verify_password(row["password_hash"], password):
        log_event(db, "auth.login_failed", row["id"], "wrong password (confirming)")
        raise PasswordRefused()
    attempt.succeeded()
    return row


def confirm_identity(db: Database, config: Mapping[str, Any], user_id: int, password: str, code: str,
                     address: str | None) -> User:
    """The account's row when both ``password`` and ``code`` are its own; raises PasswordRefused or
    CodeRefused (the code isn't tried after a refused password). Both count towards their limits."""
    row = confirm_password(db, config, user_id, password, address)
    confirm_code(db, config, user_id, code, address)
    return row


def change_password(db: Database, config: Mapping[str, Any], user_id: int, current_password: str, new_password: str,
                    address: str | None) -> User:
    """Set ``new_password`` once ``current_password`` is confirmed (else PasswordRefused).

    Every session of the account ends; returns the row on its new session version.
    """
    confirm_password(db, config, user_id, current_password, address)
    users_store.set_password_hash(db, user_id, passwords.hash_password(new_password))
    log_event(db, "auth.password_changed", user_id)
    return cast(User, users_store.get_user(db, user_id))  # the account just confirmed: never None


def update_profile(db: Database, user_id: int, *, display_name: str, timezone: str, language: str) -> User | None:
    return users_store.update_profile(db, user_id, display_name=display_name, timezone=timezone, language=language)


def set_language(db: Database, user_id: int, language: str) -> None:
    """The language the app speaks to the account from now on (vocabulary.LANGUAGES)."""
    users_store.set_language(db, user_id, language)


def delete_account(db: Database, config: Mapping[str, Any], user_id: int, password: str, address: str | None) -> None:
    """Delete the account and everything in it once ``password`` is confirmed (else PasswordRefused)."""
    confirm_password(db, config, user_id, password, address)
    users_store.delete_account(db, user_id)
    log_event(db, "account.deleted", user_id)
    # The account's data key is destroyed with it (store/keys.py): its words, sealed, can't be
    # read anywhere now. secure_delete zeroes freed pages in both files, but their write-ahead logs
    # still hold the old pages (the sealed notes, the wrapped key, the e-mail) until a checkpoint
    # copies the new ones back and the log is cut: do it now rather than whenever SQLite next gets to it.
    forget_old_pages(db)
    keys_store.forget_old_pages(db)


def enrol_two_factor(db: Database, config: Mapping[str, Any], user_id: int, secret: str, code: str, address: str | None,
                     *, password: str | None = None, replacing: bool = False) -> tuple[list[str], User] | None:
    """Turn two-factor on with ``secret`` when ``code`` is its current code.

    ``password``, when given, is confirmed first (PasswordRefused). ``replacing``: the account had
    another authenticator. Returns ``(recovery codes, the row on its new session version)``, or
    None when the code doesn't match; every session of the account ends.
    """
    if password is not None:
        confirm_password(db, config, user_id, password, address)
    codes = two_factor.enrol(db, user_id, secret, code, key=config["MFA_KEY"])
    if codes is None:
        return None
    log_event(db, "auth.mfa_enrolled", user_id, "replaced the authenticator" if replacing else "")
    return codes, cast(User, users_store.get_user(db, user_id))  # the logged-in account: never None


def renew_recovery_codes(db: Database, user_id: int) -> list[str]:
    """Replace the account's recovery codes; returns the new ones (to show once)."""
    codes = two_factor.new_recovery_codes(db, user_id)
    log_event(db, "auth.recovery_codes_renewed", user_id)
    return codes


def disable_two_factor(db: Database, user_id: int) -> User:
    """Turn two-factor off; every session ends. Returns the row on its new session version."""
    two_factor.disable(db, user_id)
    log_event(db, "auth.mfa_disabled", user_id)
    return cast(User, users_store.get_user(db, user_id))  # the logged-in account: never None
