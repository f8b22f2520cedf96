"""The audit log's hash chain: each row's hash covers the previous hash and the row's own fields.

Since migration m019 a row's hash is an HMAC-SHA256 keyed with the app's audit key (kept outside the
database); rows from before keep their plain SHA-256 (``keyed`` 0). A plain row after a keyed one
is a break: someone re-chained rows without the key.
"""
import hmac
from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import Any

SEPARATOR = "\x1f"


def link(previous: str | None, at: str, actor_id: int | None, patient_id: int | None, action: str, detail: str,
         actor_name: str | None = None, key: bytes | None = None) -> str:
    """The hash (hex) of the previous row's hash and this row's fields (the same recipe as m007):
    HMAC-SHA256 with ``key``, or plain SHA-256 without one (rows from before m019).

    ``actor_name`` (m010) joins the fields only when recorded, so rows from before it keep their hash.
    """
    fields = [previous or "", at, "" if actor_id is None else str(actor_id),
              "" if patient_id is None else str(patient_id), action, detail]
    if actor_name is not None:
        fields.append(actor_name)
    joined = SEPARATOR.join(fields).encode()
    return hmac.new(key, joined, sha256).hexdigest() if key is not None else sha256(joined).hexdigest()


def first_break(rows: Iterable[Sequence[Any]], key: bytes | None = None) -> int | None:
    """The id of the first row whose hash doesn't follow from the rows before it, or None. A keyed
    row can't be checked without ``key`` (it counts as a break), and a plain row after a keyed
    one is a break.

    :param rows: (id, at, actor_id, patient_id, action, detail, actor_name, keyed, hash) in id order.
    """
    previous, keyed_seen = "", False
    for row_id, at, actor_id, patient_id, action, detail, actor_name, keyed, stored in rows:
        if keyed and key is None or keyed_seen and not keyed:
            return row_id
        keyed_seen = keyed_seen or bool(keyed)
        expected = link(previous, at, actor_id, patient_id, action, detail, actor_name, key if keyed else None)
        if not hmac.compare_digest(stored or "", expected):
            return row_id
        previous = stored
    return None
