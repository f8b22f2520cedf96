"""The JSON API under /api/v1: its blueprint, the one operation registry that routes, guards,
loads and documents every JSON route (``operation``, diary/web/openapi.py), and the answers the
feature modules share. Each feature's JSON routes live in its module in diary/views, beside its
pages; cookie authentication, CSRF header on writes (docs/API.md)."""
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import Schema

from ..messages import N_
from . import i18n, openapi
from .auth import patient_today
from .errors import http_error as api_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")
operation = openapi.Registry(bp)


def on_patient_today() -> dict:
    """The context of a dated body: dates after the patient's today are refused."""
    return {"today": patient_today()}


# What a 404 says for each kind of record (each its own sentence: other languages agree the words with it).
NOT_FOUND = {"entry": N_("No such entry."), "session": N_("No such session."),
             "assessment": N_("No such assessment.")}


def not_found(kind: str) -> Exception:
    """The 404 answer for a record of ``kind`` (a key of NOT_FOUND) that isn't the user's (or doesn't exist)."""
    return api_error(404, {"id": [i18n.word_any(NOT_FOUND[kind])]})


def created_or_replayed(body: dict, created: bool, location: str) -> ResponseReturnValue:
    """201 with Location for a new record; 200 for a replay of an earlier identical create."""
    response = jsonify(body)
    response.status_code = 201 if created else 200
    response.headers["Location"] = location
    return response


def saved(result: tuple[Mapping[str, Any], bool, Mapping[str, Any] | None], out: Schema, endpoint: str,
          id_arg: str) -> ResponseReturnValue:
    """The answer to an idempotent create, from the service's ``(record, created, support)``: 201
    or 200 with the record and its support card. (A client id already used for other content
    raises IdConflict in the service: the app answers 409, ``web.errors``.)"""
    record, created, support = result
    return created_or_replayed(out.dump({**record, "support": support}), created,
                               url_for(endpoint, **{id_arg: record["id"]}))


def next_page_url(records: list, limit: int, query: dict) -> str | None:
    """This URL with the offset of the next page, when there is one (``records`` holds limit + 1)."""
    if len(records) <= limit:
        return None
    args = {**request.args.to_dict(), "offset": query["offset"] + limit, "limit": limit}
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def push_services() -> dict:
    """The context of a push subscription: the push services its endpoint may be on."""
    config = current_app.config
    return {"hosts": config["PUSH_HOSTS"], "loopback": config["PUSH_LOOPBACK"]}
