"""Download responses shared by the patient's and the provider's exports (not a blueprint)."""
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any, cast
from urllib.parse import quote

from flask import Response, current_app, request, stream_with_context
from flask.json.provider import DefaultJSONProvider

from ..exports import json_stream
from ..schemas.fields import DateRangeQuery
from .errors import http_error
from .forms import load


def date_range() -> dict[str, Any]:
    """``?from=&to=`` validated; 422 naming the parameter otherwise."""
    query, errors = load(DateRangeQuery(), request.args.to_dict())
    if query is None:
        raise http_error(422, errors)
    return query


def attachment(filename: str) -> str:
    """``Content-Disposition`` for a download (RFC 6266): an ASCII ``filename`` for every client and
    the real name as ``filename*=UTF-8''…`` (RFC 5987). Headers must be Latin-1 for gunicorn: a
    patient called "Zoë 张伟" must not turn the clinician's export into a 500."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-") or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def streamed_csv(chunks: Iterator[str], filename: str) -> Response:
    """Headers go out at once, then rows page by page."""
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    response.headers["Content-Disposition"] = attachment(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def streamed_json(document: Mapping[str, Any], filename: str, mimetype: str = "application/json") -> Response:
    """A json_stream document as a download: the text jsonify would give, written as it is read."""
    # Flask's own provider (the app sets no other), whose default() jsonify uses for dates and the like.
    chunks = json_stream.chunks(document, default=cast(DefaultJSONProvider, current_app.json).default)
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = attachment(filename)
    return response


def export_filename(prefix: str, extension: str = "csv") -> str:
    return f"{prefix}-{dt.date.today().isoformat()}.{extension}"
