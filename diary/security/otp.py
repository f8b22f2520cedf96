"""One-time codes for two-factor authentication: TOTP (RFC 6238) and recovery codes.

Pure functions (no Flask, no SQL): which time-step a typed code belongs to, new secrets and
recovery codes, how a recovery code is normalised. The store remembers the last accepted step
(replay refusal) and the recovery-code hashes; services.two_factor hashes the codes (argon2id,
through diary.passwords, which reads the app's cost settings).
"""
import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

import pyotp

ISSUER = "Symptom Diary"
# Authenticator-app defaults (Google Authenticator, Aegis, 1Password...): SHA-1, 6 digits, 30 s.
DIGITS = 6
PERIOD = 30
# A code is accepted for the current step and the one just before it (a code typed as the app
# turns over to the next one), never for a future step: so it lives at most 60 s from when the app
# first shows it. ASVS 5.0 6.5.5 asks for 30 s; the extra step is a documented deviation
# (docs/SECURITY.md), and replay refusal still makes every code single-use.
PAST_STEPS = 1

RECOVERY_CODES = 10
# Crockford's base32 (no I, L, O, U), lower case: 10 characters = 50 bits per code. Typing is
# forgiving: case, spaces and hyphens don't matter, and o/i/l are read as 0/1/1.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_LENGTH = 10
_READ_AS = str.maketrans({"o": "0", "i": "1", "l": "1"})


def new_secret() -> str:
    """A fresh TOTP secret: 32 base32 characters (160 bits, RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def enrolment_secret(key: str | bytes, account_id: int, nonce: str) -> str:
    """The secret offered to ``account_id`` while they enrol, derived from a random ``nonce``.

    Until the user proves they scanned it, only the nonce is kept (in their session): the
    session cookie is signed, not encrypted, so the secret itself must not ride in it. Without
    the app's ``key`` the nonce says nothing about the secret.
    """
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, f"totp-enrolment:{account_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


# What "now" is for codes (a UNIX time). Tests put a clock they move here (tests/conftest.py,
# ``totp_clock``), so two logins in a row take the next step without waiting for it.
clock: Callable[[], float] = time.time


def step_at(when: float | None = None) -> int:
    """The TOTP time-step (30 s slot since the epoch) of ``when`` (a UNIX time; now by default)."""
    return int((clock() if when is None else when) // PERIOD)


def code_for_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).at(step * PERIOD)


def provisioning_uri(secret: str, account: str) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).provisioning_uri(name=account, issuer_name=ISSUER)


def grouped(secret: str, size: int = 4) -> str:
    """``ABCD EFGH ...``: the secret as people type it into an app by hand."""
    return " ".join(secret[i:i + size] for i in range(0, len(secret), size))


def looks_like_totp(typed: str | None) -> bool:
    return _is_code(_squeezed(typed))


def _is_code(code: str) -> bool:
    # ASCII digits only: str.isdigit() also takes "١٢٣" or "１２３", which no app shows and
    # hmac.compare_digest refuses (non-ASCII str).
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def matching_step(secret: str, typed: str | None, when: float | None = None) -> int | None:
    """The step (the current one or the one before) whose code ``typed`` is, else None.

    The newest matching step wins. Every candidate is compared in constant time.
    """
    code = _squeezed(typed)
    if not _is_code(code):
        return None
    now = step_at(when)
    found = None
    for step in range(now - PAST_STEPS, now + 1):
        if hmac.compare_digest(code_for_step(secret, step), code):
            found = step
    return found


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """``count`` fresh codes like ``4k7qm-x2d9a`` (each 50 random bits)."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalize_recovery_code(typed: str | None) -> str | None:
    """The canonical form of a typed recovery code (lower case, no separators), or None if it can't be one."""
    code = _squeezed(typed).lower().translate(_READ_AS)
    if len(code) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in code):
        return None
    return code


def _squeezed(typed: str | None) -> str:
    return "".join((typed or "").split()).replace("-", "")
