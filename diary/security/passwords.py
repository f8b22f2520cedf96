"""Which passwords we accept, and argon2id password hashing (argon2-cffi)."""
import functools
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from ..messages import Msg, msg

MIN_LENGTH = 8
MAX_LENGTH = 128  # generous (passphrases), yet bounds the hashing work per request

# What the person choosing the password is told (worded in their language when shown).
COMMON = msg("This is one of the most common passwords; choose another.")
BLANK = msg("A password can't be only spaces.")
REPEATS = msg("Use more than one or two different characters.")
EMAIL = msg("Your password can't be or contain your email address.")
EMAIL_NAME = msg("Your password can't contain your email name.")
CONTEXT = msg("Your password can't contain this app's name.")

# Context-specific words (ASVS 5.0 6.1.2, 6.2.11): the app's own name, compared with spaces,
# dashes, dots and underscores taken out. Clinic names belong here too when a clinic deploys it.
CONTEXT_WORDS = ("symptomdiary",)

# The part of the email before the @ is refused anywhere inside a password only from this
# length on. Shorter ones ("jo", "pat", "bob") turn up inside ordinary words ("enjoy",
# "patience", "bobbin"), so refusing them there would forbid good passphrases while adding
# little: a password that *is* the local part or contains the whole email is always refused.
MIN_LOCAL_PART_INSIDE = 4


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords (lower-case), read once from the shipped list.

    ``diary/data/common-passwords.txt`` says where it comes from; scripts/make-common-passwords
    regenerates it.
    """
    shipped = resources.files("diary").joinpath("data", "common-passwords.txt")
    text = shipped.read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def weakness(password: str, email: str | None = None) -> Msg | None:
    """Why ``password`` is too easy to guess (a message for the user), or None if it will do.

    Checks what an attacker tries first, whatever the length: only whitespace, at most two
    different characters, the most common passwords, and the account's own email. Letter case
    and surrounding spaces don't count. The length limits are the schemas' (MIN_LENGTH,
    MAX_LENGTH). :param email: the account's email address, when known.
    """
    folded = password.strip().lower()
    if not folded:
        return BLANK
    if len(set(folded)) <= 2:
        return REPEATS
    if folded in common_passwords():
        return COMMON
    squeezed = "".join(c for c in folded if c not in " -._")
    if any(word in squeezed for word in CONTEXT_WORDS):
        return CONTEXT
    email = (email or "").strip().lower()
    local, at, _ = email.rpartition("@")
    if at and local:  # (a value that isn't an email at all is the email field's error)
        if email in folded:
            return EMAIL
        if folded == local or (len(local) >= MIN_LOCAL_PART_INSIDE and local in folded):
            return EMAIL_NAME
    return None


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _code_hasher() -> PasswordHasher:
    # Recovery codes are random (50 bits), not chosen by people: OWASP's argon2id minimum
    # (19 MiB, t=2, p=1) salts them as ASVS 6.5.2 asks at a tenth of a password's cost, which
    # matters because a typed code is checked against each unused one (at most 10).
    cfg = current_app.config
    return PasswordHasher(time_cost=min(cfg["ARGON2_TIME_COST"], 2),
                          memory_cost=min(cfg["ARGON2_MEMORY_COST"], 19 * 1024), parallelism=1)


def hash_code(code: str) -> str:
    """Salted argon2id of a random one-time code (a recovery code)."""
    return _code_hasher().hash(code)


def verify_code(code_hash: str, code: str) -> bool:
    try:
        return _code_hasher().verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# Verifying against this when the email is unknown makes "no such user" take as
# long as "wrong password", so response time does not reveal who has an account.
_DUMMY: dict[tuple[int, int], str] = {}


def burn_time(password: str) -> None:
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("not a real password")
    verify_password(_DUMMY[key], password)
