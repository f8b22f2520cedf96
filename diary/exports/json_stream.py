"""A large JSON document written while its records are read: the same text as Flask's ``jsonify``
outside debug mode (sorted keys, compact separators, ASCII, a final newline), without ever holding
the whole document in memory."""
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

# Text handed to the WSGI server at a time: a record is a few hundred characters, and one write
# per record would cost more than the record itself.
CHUNK_CHARS = 256 * 1024


class Array:
    """A list in a document given as an iterable: read once, item by item, as the text is written."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def chunks(document: Mapping[str, Any], default: Callable[[Any], Any] | None = None) -> Iterator[str]:
    """Yield ``document`` (a dict; its values may be :class:`Array`) as JSON text, in chunks of about
    CHUNK_CHARS. ``default`` turns other objects into JSON values, as in ``json.dumps``."""
    encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=default).encode
    buffer, size = [], 0
    for part in _parts(document, encode):
        buffer.append(part)
        size += len(part)
        if size >= CHUNK_CHARS:
            yield "".join(buffer)
            buffer, size = [], 0
    buffer.append("\n")
    yield "".join(buffer)


def _parts(document: Mapping[str, Any], encode: Callable[[Any], str]) -> Iterator[str]:
    yield "{"
    for number, key in enumerate(sorted(document)):
        value = document[key]
        yield f"{',' if number else ''}{encode(key)}:"
        if isinstance(value, Array):
            yield from _array(value.items, encode)
        else:
            yield encode(value)
    yield "}"


def _array(items: Iterable[Any], encode: Callable[[Any], str]) -> Iterator[str]:
    yield "["
    separator = ""
    for item in items:
        yield separator + encode(item)
        separator = ","
    yield "]"
