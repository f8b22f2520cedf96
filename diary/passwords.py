"""argon2id password hashing (argon2-cffi)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 8
MAX_LENGTH = 128  # generous (passphrases), yet bounds the hashing work per request


def _hasher():
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher().check_needs_rehash(password_hash)


# Verifying against this when the email is unknown makes "no such user" take as
# long as "wrong password", so response time does not reveal who has an account.
_DUMMY = {}


def burn_time(password):
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("not a real password")
    verify_password(_DUMMY[key], password)
