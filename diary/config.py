"""Configuration: defaults, then DIARY_* environment variables, then test_config.

``instance/`` (at the repository root) holds the SQLite file and a secret key
generated on first run; neither is ever committed.
"""
import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# Longest free text we accept (check-in notes, session reflections), in characters.
MAX_TEXT_LENGTH = 10_000


def _flag(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


def _count(name):
    value = (os.environ.get(name) or "0").strip()
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number (the count of reverse proxies), not {value!r}.")
    return int(value)


def instance_path():
    return Path(os.environ.get("DIARY_INSTANCE_PATH") or REPO_ROOT / "instance")


def from_environment(instance):
    """The settings a deployment controls, read from DIARY_* variables."""
    return {
        "DATABASE": os.environ.get("DIARY_DATABASE") or str(instance / "diary.sqlite3"),
        "SECRET_KEY": os.environ.get("DIARY_SECRET_KEY") or None,
        "SESSION_COOKIE_SECURE": _flag("DIARY_SECURE_COOKIES", True),
        # 0 turns the per-client-address rate limits off (load tests; a clinic behind one NAT
        # address); the per-account and global limits stay on. docs/SECURITY.md has the numbers.
        "LIMITS_PER_ADDRESS": _flag("DIARY_LIMITS_PER_ADDRESS", True),
        # How many reverse proxies (each adding X-Forwarded-For) stand in front of the app; 0 = none.
        "PROXY_HOPS": _count("DIARY_PROXY_HOPS"),
    }


DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "diary_session",
    # Patients use this from a phone's home screen: stay logged in for 30 days of inactivity
    # (the cookie is refreshed on every request), until logout or a password change.
    "PERMANENT_SESSION_LIFETIME": 30 * 24 * 3600,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # 1 MiB is far above any real check-in (10,000 characters of note) and keeps
    # a hostile client from making a worker buffer megabytes.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 512 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "WTF_CSRF_HEADERS": ["X-CSRFToken"],
    # argon2id cost (argon2-cffi's RFC 9106 "low memory" profile); tests lower it.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 64 * 1024,
    "ARGON2_PARALLELISM": 4,
    "JSON_SORT_KEYS": False,
    # Overrides of services.limits.DEFAULT_RATE_LIMITS, {name: (attempts, window seconds)}.
    "RATE_LIMITS": {},
    # Base URL of the code systems in FHIR exports (docs/FHIR.md). The .invalid host (RFC 2606)
    # can never resolve; a deployment exchanging data sets its own URL.
    "FHIR_SYSTEM_BASE": "https://symptom-diary.invalid/fhir",
}


def load_or_create_secret_key(instance):
    """Read instance/secret_key, creating it atomically on first run.

    Several gunicorn workers may start at once; ``os.link`` fails if another
    worker won the race, and then we read the winner's key.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        tmp = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
