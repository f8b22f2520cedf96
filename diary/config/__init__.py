"""Configuration: defaults, then DIARY_* environment variables, then test_config.

``instance/`` (at the repository root) holds the SQLite file and a secret key
generated on first run; neither is ever committed.
"""
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

REPO_ROOT = Path(__file__).resolve().parent.parent.parent

# Longest free text we accept (check-in notes, session reflections), in characters.
MAX_TEXT_LENGTH = 10_000


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


def _count(name: str) -> int:
    value = (os.environ.get(name) or "0").strip()
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number (the count of reverse proxies), not {value!r}.")
    return int(value)


def _seconds(name: str, default: float) -> float:
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise ValueError(f"{name} must be a number of seconds above 0, not {value!r}.")
    return seconds


def _list(name: str) -> tuple[str, ...]:
    return tuple(item.strip().lower() for item in (os.environ.get(name) or "").split(",") if item.strip())


def instance_path() -> Path:
    return Path(os.environ.get("DIARY_INSTANCE_PATH") or REPO_ROOT / "instance")


def from_environment(instance: Path) -> dict[str, Any]:
    """The settings a deployment controls, read from DIARY_* variables."""
    return {
        "DATABASE": os.environ.get("DIARY_DATABASE") or str(instance / "diary.sqlite3"),
        # Where `flask audit-anchor` (and `backup`) append the audit chain's head: outside the
        # database, so someone who rewrites the database can't rewrite this too.
        "AUDIT_ANCHORS": os.environ.get("DIARY_AUDIT_ANCHORS") or str(instance / "audit-anchors.log"),
        "SECRET_KEY": os.environ.get("DIARY_SECRET_KEY") or None,
        # Who may open a clinician's account: anyone ("open"), whoever has an administrator's
        # invitation ("invite", the default) or nobody but `flask create-user` ("closed").
        "PROVIDER_SIGNUP": os.environ.get("DIARY_PROVIDER_SIGNUP") or "invite",
        # Password-reset e-mail (diary/mail): smtp://user:pass@host:587 (STARTTLS) or smtps://…;
        # without it, the message goes to the server log.
        "SMTP_URL": os.environ.get("DIARY_SMTP_URL") or None,
        # The diary's address as people reach it (https://diary.example.org): e-mailed links use it,
        # never the Host header a request claims.
        "PUBLIC_URL": os.environ.get("DIARY_PUBLIC_URL") or None,
        "MAIL_FROM": os.environ.get("DIARY_MAIL_FROM") or "Symptom Diary <no-reply@symptom-diary.invalid>",
        # Keys the audit log's hash chain (store/audit_chain.py): kept outside the database.
        "AUDIT_KEY": os.environ.get("DIARY_AUDIT_KEY") or None,
        # Seals TOTP secrets in the database (services/two_factor.py): kept outside it.
        "MFA_KEY": os.environ.get("DIARY_MFA_KEY") or None,
        # Wraps every account's data key (diary/security/fields.py): 64 hex digits, kept outside the
        # database (instance/master_key when unset). Several keys, comma-separated, while rotating:
        # the first wraps, every one unwraps (README, "Keys").
        "MASTER_KEY": os.environ.get("DIARY_MASTER_KEY") or None,
        # The data keys themselves, in a small SQLite file of their own beside the database: an
        # account's deletion destroys its key here, so no copy of the database (its WAL, a backup,
        # a replica from before the deletion) can be read for that account again.
        "KEY_STORE": os.environ.get("DIARY_KEY_STORE") or str(instance / "keys.sqlite3"),
        # Continuous replication with Litestream (docs/OPERATIONS.md): file:///path or s3://bucket/path.
        # Unset: no replication, and nothing else runs beside the app.
        "REPLICA_URL": os.environ.get("DIARY_REPLICA_URL") or None,
        # /healthz answers 503 when the replica hasn't caught up for longer than this many seconds.
        "REPLICA_MAX_LAG": _seconds("DIARY_REPLICA_MAX_LAG", 60.0),
        "SESSION_COOKIE_SECURE": _flag("DIARY_SECURE_COOKIES", True),
        # 0 turns the per-client-address rate limits off (load tests; a clinic behind one NAT
        # address); the per-account and global limits stay on. docs/SECURITY.md has the numbers.
        "LIMITS_PER_ADDRESS": _flag("DIARY_LIMITS_PER_ADDRESS", True),
        # How many reverse proxies (each adding X-Forwarded-For) stand in front of the app; 0 = none.
        "PROXY_HOPS": _count("DIARY_PROXY_HOPS"),
        # Web push (docs/REMINDERS.md). The VAPID private key (PEM) is generated into
        # instance/vapid_private.pem on first use unless given here; the subject is the contact
        # push services may write to about this server's pushes.
        "VAPID_PRIVATE_KEY": os.environ.get("DIARY_VAPID_PRIVATE_KEY") or None,
        "VAPID_SUBJECT": os.environ.get("DIARY_VAPID_SUBJECT") or "mailto:reminders@symptom-diary.invalid",
        # Push services the server may POST to (host names, each matching itself and its
        # subdomains): a subscription is a URL the browser gives, and the server must not be
        # made to send requests anywhere else. The default covers Chrome, Edge, Firefox, Safari.
        "PUSH_HOSTS": _list("DIARY_PUSH_HOSTS") or DEFAULT_PUSH_HOSTS,
        # Accept http://127.0.0.1 and http://localhost endpoints (a local push service for
        # testing). Off unless asked for: `make run` and the tests turn it on.
        "PUSH_LOOPBACK": _flag("DIARY_PUSH_LOOPBACK", False),
    }


# The push services of today's browsers (each with its subdomains): Google (Chrome, Android,
# Samsung Internet, Opera, Brave), Mozilla (Firefox), Microsoft (Edge on Windows), Apple (Safari).
DEFAULT_PUSH_HOSTS = ("fcm.googleapis.com", "android.googleapis.com", "push.services.mozilla.com",
                      "notify.windows.com", "push.apple.com")


DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "diary_session",
    # The cookie's own lifetime: a login lasts at most 30 days (diary.web.auth.SESSION_LIMITS, which
    # also ends a provider's after an idle hour), until logout or a password change.
    "PERMANENT_SESSION_LIFETIME": 30 * 24 * 3600,
    # The cookie is re-sent when the session changes (a login, activity recorded once a minute:
    # diary.web.auth.within_limits), not on every request: re-signing it cost each write ~0.3 ms.
    "SESSION_REFRESH_EACH_REQUEST": False,
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


def load_or_create_secret_key(instance: Path) -> str:
    """Read instance/secret_key, creating it on first run."""
    return create_once(instance, "secret_key", lambda: secrets.token_hex(32)).strip()


def load_or_create_audit_key(instance: Path) -> str:
    """Read instance/audit_key (64 hex digits), creating it on first run."""
    return create_once(instance, "audit_key", lambda: secrets.token_hex(32)).strip()


def load_or_create_master_key(instance: Path) -> str:
    """Read instance/master_key (64 hex digits), creating it on first run. Without it the words in
    the database can't be read: keep a copy of instance/ apart from the database's backups."""
    return create_once(instance, "master_key", lambda: secrets.token_hex(32)).strip()


def master_key_files(instance: Path) -> tuple[Path, Path]:
    """instance/master_key, and instance/master_key.previous (kept during a rotation)."""
    return instance / "master_key", instance / "master_key.previous"


def master_keys_text(instance: Path) -> str:
    """The master keys in instance/: the current one first, then the previous one during a rotation."""
    previous = master_key_files(instance)[1]
    text = load_or_create_master_key(instance)
    return f"{text},{previous.read_text().strip()}" if previous.exists() else text


def load_or_create_mfa_key(instance: Path) -> str:
    """Read instance/mfa_key (a Fernet key), creating it on first run."""
    return create_once(instance, "mfa_key", lambda: Fernet.generate_key().decode()).strip()


def create_once(instance: Path, name: str, make: Callable[[], str]) -> str:
    """The text of ``instance/name``, written from ``make()`` (mode 0600) if it doesn't exist yet.

    Several gunicorn workers may start at once; ``os.link`` fails if another worker won the
    race, and then we read the winner's file.
    """
    path = instance / name
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        tmp = instance / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(make())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text()
