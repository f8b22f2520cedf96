"""Sending web push messages (RFC 8030) encrypted for the browser (RFC 8291, aes128gcm) and signed
with the server's VAPID key (RFC 8292), through pywebpush."""
import base64
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from ..config import create_once
from ..schemas.push import endpoint_problem

# How long a push service keeps a reminder for a phone that is off: about as long as the
# reminder's own window (insights.reminders.LATE), so it never arrives hours later.
TTL_SECONDS = 2 * 3600
TIMEOUT_SECONDS = 10
KEY_FILE = "vapid_private.pem"


def vapid_key(config: Mapping[str, Any], instance_path: str | os.PathLike[str]) -> Vapid:
    """The server's VAPID key: DIARY_VAPID_PRIVATE_KEY (PEM) if set, else instance/vapid_private.pem,
    generated on first use (once, whichever worker gets there first)."""
    pem = config.get("VAPID_PRIVATE_KEY")
    if not pem:
        pem = create_once(Path(instance_path), KEY_FILE, _new_key_pem)
    return Vapid.from_pem(pem.encode() if isinstance(pem, str) else pem)


def _new_key_pem() -> str:
    key = Vapid()
    key.generate_keys()
    return key.private_pem().decode()


def application_server_key(key: Vapid) -> str:
    """The public key as browsers take it (``applicationServerKey``): 65 bytes, base64url, unpadded."""
    raw = key.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_key(app: Flask) -> str:
    """This app's application server key (computed once per process)."""
    if "diary.vapid_public_key" not in app.extensions:
        app.extensions["diary.vapid_public_key"] = application_server_key(vapid_key(app.config, app.instance_path))
    return app.extensions["diary.vapid_public_key"]


class _NoRedirects(requests.Session):
    """A push service answers, it doesn't redirect: following one could send the request anywhere."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


def sender(config: Mapping[str, Any], instance_path: str | os.PathLike[str]) -> Callable[..., str]:
    """``send(subscription, message, *, ttl=TTL_SECONDS, urgency="normal") -> "sent" | "gone" |
    "failed" | "refused"`` for this app's settings.

    ``gone``: the push service no longer knows the subscription (404 or 410), so it should be
    forgotten. ``refused``: the endpoint is not one this server may send to (settings changed).
    """
    key = vapid_key(config, instance_path)
    session = _NoRedirects()

    def send(subscription: Mapping[str, Any], message: Any, *, ttl: int = TTL_SECONDS, urgency: str = "normal") -> str:
        if endpoint_problem(subscription["endpoint"], config["PUSH_HOSTS"], config["PUSH_LOOPBACK"]):
            return "refused"
        info = {"endpoint": subscription["endpoint"],
                "keys": {"p256dh": subscription["p256dh"], "auth": subscription["auth"]}}
        try:
            response = webpush(info, json.dumps(message, default=str), vapid_private_key=key,
                               vapid_claims={"sub": config["VAPID_SUBJECT"]},  # a new dict: pywebpush adds aud
                               ttl=ttl, timeout=TIMEOUT_SECONDS, headers={"Urgency": urgency},
                               requests_session=session)
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            return "gone" if status in (404, 410) else "failed"
        except requests.RequestException:
            return "failed"
        return "sent" if 200 <= response.status_code < 300 else "failed"

    return send
