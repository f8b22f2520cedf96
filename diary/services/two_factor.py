"""Two-factor authentication: checking a second factor, enrolling, recovery codes, turning it off.

The views keep what belongs to the browser (the pending login, the secret being enrolled);
services.accounts counts attempts and audits what happened; here: the rules, through the store
and the pure diary.otp.
"""
from typing import TypedDict, cast

from cryptography.fernet import Fernet
from sqlite_utils import Database

from ..db import write_transaction
from ..security import otp, passwords
from ..store import mfa as mfa_store
from ..store import users as users_store

TOTP, RECOVERY = "totp", "recovery"


class TwoFactorStatus(TypedDict):
    """An enrolled account's two-factor state (``status``)."""
    enabled_at: str | None
    recovery_codes_left: int


# A TOTP secret is stored sealed (Fernet: AES-128-CBC and HMAC-SHA256) with the app's MFA_KEY,
# kept outside the database (instance/mfa_key or DIARY_MFA_KEY): a copy of the database file alone
# can't generate codes. A secret stored before sealing reads as it is and is sealed on its next use.
SEALED = "sealed:"


def seal(key: str, secret: str) -> str:
    """``secret`` as the database keeps it."""
    return SEALED + Fernet(key.encode()).encrypt(secret.encode()).decode()


def unseal(key: str, stored: str) -> str:
    """The secret behind what the database keeps (a secret stored before sealing: as it is)."""
    if not stored.startswith(SEALED):
        return stored
    return Fernet(key.encode()).decrypt(stored[len(SEALED):].encode()).decode()


def check(db: Database, user_id: int, typed: str, *, key: str, when: float | None = None) -> str | None:
    """Is ``typed`` a valid second factor for the account right now? ``"totp"`` or ``"recovery"``
    when it is (and it is now used up), else None: wrong, too old, already used (a TOTP code
    for a step at or before the last one accepted), or no two-factor on this account.
    ``key``: the app's MFA_KEY."""
    state = mfa_store.get_secret(db, user_id)
    if state is None:
        return None
    if otp.looks_like_totp(typed):
        secret = unseal(key, state["secret"])
        step = otp.matching_step(secret, typed, when)
        if step is None or not mfa_store.claim_step(db, user_id, step):
            return None
        if not state["secret"].startswith(SEALED):
            mfa_store.replace_secret(db, user_id, seal(key, secret))
        return TOTP
    code = otp.normalize_recovery_code(typed)
    if code is None:
        return None
    # A wrong code costs one argon2 verification per unused code (at most 10, about 1.5 s at the
    # production cost on two cores): acceptable because every attempt has taken a slot of the
    # "mfa" rate limits (services.limits, services.accounts.confirm_code) before it gets here.
    for code_id, code_hash in mfa_store.unused_recovery_codes(db, user_id):
        if passwords.verify_code(code_hash, code):
            # Marked used only if still unused: of two requests racing with it, one wins.
            return RECOVERY if mfa_store.use_recovery_code(db, code_id) else None
    return None


def hash_recovery_code(code: str) -> str:
    """Salted argon2id (``passwords.hash_code``) of the normalised ``code``.

    Each code has only 50 random bits (short enough to type), below the 112 bits for which a
    fast unsalted hash would do (ASVS 5.0 6.5.2).
    """
    # A code otp.new_recovery_codes made: it always normalises.
    return passwords.hash_code(cast(str, otp.normalize_recovery_code(code)))


def was_replayed(db: Database, user_id: int, typed: str, *, key: str, when: float | None = None) -> bool:
    """Whether a refused ``typed`` was a right code already used (to say so, rather than "wrong")."""
    state = mfa_store.get_secret(db, user_id)
    if state is None or not otp.looks_like_totp(typed):
        return False
    step = otp.matching_step(unseal(key, state["secret"]), typed, when)
    return step is not None and state["last_step"] is not None and step <= state["last_step"]


def enrol(db: Database, user_id: int, secret: str, typed: str, *, key: str,
          when: float | None = None) -> list[str] | None:
    """Turn two-factor on with ``secret`` if ``typed`` is its current code.

    Returns the new recovery codes (to show once; only their hashes are kept), or None when
    the code doesn't match. Replaces any earlier secret and recovery codes, and ends every
    session of the account (the caller starts a fresh one for this browser).
    """
    step = otp.matching_step(secret, typed, when)
    if step is None:
        return None
    codes = otp.new_recovery_codes()
    hashes = [hash_recovery_code(code) for code in codes]  # (slow: before taking the write lock)
    with write_transaction(db):
        # The confirming code's step counts as used: it can't also log someone in.
        mfa_store.enable(db, user_id, seal(key, secret), step, hashes)
        users_store.end_logins_of(db, user_id)
    return codes


def new_recovery_codes(db: Database, user_id: int) -> list[str]:
    """Replace the account's recovery codes; returns the new ones (to show once)."""
    codes = otp.new_recovery_codes()
    mfa_store.replace_recovery_codes(db, user_id, [hash_recovery_code(code) for code in codes])
    return codes


def disable(db: Database, user_id: int) -> None:
    """Turn two-factor off and end every session of the account."""
    with write_transaction(db):
        mfa_store.disable(db, user_id)
        users_store.end_logins_of(db, user_id)


def status(db: Database, user_id: int) -> TwoFactorStatus | None:
    """``{"enabled_at", "recovery_codes_left"}`` for an enrolled account, else None."""
    state = mfa_store.get_secret(db, user_id)
    if state is None:
        return None
    return {"enabled_at": state["enabled_at"], "recovery_codes_left": mfa_store.recovery_codes_left(db, user_id)}
