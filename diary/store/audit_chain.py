"""The audit log's hash chain: each row's hash covers the previous hash and the row's own fields."""
from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import Any

SEPARATOR = "\x1f"


def link(previous: str | None, at: str, actor_id: int | None, patient_id: int | None, action: str, detail: str,
         actor_name: str | None = None) -> str:
    """SHA-256 (hex) of the previous row's hash and this row's fields (the same recipe as m007).

    ``actor_name`` (m010) joins the fields only when recorded, so rows from before it keep their hash.
    """
    fields = [previous or "", at, "" if actor_id is None else str(actor_id),
              "" if patient_id is None else str(patient_id), action, detail]
    if actor_name is not None:
        fields.append(actor_name)
    return sha256(SEPARATOR.join(fields).encode()).hexdigest()


def first_break(rows: Iterable[Sequence[Any]]) -> int | None:
    """The id of the first row whose hash doesn't follow from the rows before it, or None.

    :param rows: (id, at, actor_id, patient_id, action, detail, actor_name, hash) in id order.
    """
    previous = ""
    for row_id, at, actor_id, patient_id, action, detail, actor_name, stored in rows:
        expected = link(previous, at, actor_id, patient_id, action, detail, actor_name)
        if stored != expected:
            return row_id
        previous = stored
    return None
