"""API operations registry and the OpenAPI 3 document generated from the marshmallow schemas.

The schema an operation declares is the one it documents and the one it loads: the view gets
the loaded body as ``data`` and the loaded query string as ``query``.
"""
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from http import HTTPStatus
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema
from werkzeug.exceptions import BadRequest

from . import forms
from .auth import check_role, login_manager
from .errors import http_error

ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {"errors": {
        "type": "object",
        "description": "Field name (or 'body', 'auth', 'csrf_token', 'two_factor', 'request') to messages.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }},
}

View = Callable[..., ResponseReturnValue]
# {status: {name: (endpoint, {path parameter: "$response.body#/pointer"})}}
Links = dict[int, dict[str, tuple[str, dict[str, str]]]]


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    role: str
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    responses: dict[int, type[Schema] | None] = field(default_factory=dict)
    links: Links = field(default_factory=dict)


class Registry:
    """``@operation(rule, method, summary, ...)``: route a view, guard its role, load its input,
    document it.

    ``role`` is "patient" or "provider", "any" (any logged-in user) or "public". ``links`` are
    OpenAPI links from a response to the operations its ids feed:
    ``{status: {name: (endpoint, {path parameter: "$response.body#/pointer"})}}``.

    ``query`` and ``body`` are marshmallow schema classes: documented, and loaded before the view
    is called (422 with the field errors; ``body`` also 415 when not JSON, 400 when malformed). The
    view gets the path arguments and ``query=`` / ``data=`` the loaded values.

    :param find: a function of the path arguments, called before the query or body is read (so a
        missing or not-shared record answers 404 first); the view gets what it returns as ``found``.
    :param context: for a body schema that depends on the request: a function of the path
        arguments giving the keyword arguments the schema is built with for this request (the
        patient's today, the stored record a PATCH changes). Called before the body is read.
    :param empty_body: a request without a body loads as ``{}``.
    :param endpoint: the endpoint's name, when not the view function's (a page of the same
        feature module already has that name).
    """

    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint
        self.operations: list[Operation] = []

    def __call__(self, rule: str, method: str, summary: str, *, responses: dict[int, type[Schema] | None],
                 body: type[Schema] | None = None, query: type[Schema] | None = None,
                 find: Callable[..., Any] | None = None, context: Callable[..., Mapping[str, Any]] | None = None,
                 empty_body: bool = False, role: str = "patient", links: Links | None = None,
                 endpoint: str | None = None) -> Callable[[View], View]:
        query_schema = query() if query else None
        body_schema = body() if body and not context else None  # loading keeps no state on a schema

        def decorator(view: View) -> View:
            @wraps(view)
            def guarded(**kwargs: Any) -> ResponseReturnValue:
                if role in ("patient", "provider"):
                    refusal = check_role(role)
                    if refusal is not None:
                        return refusal
                elif role == "any" and not current_user.is_authenticated:
                    return login_manager.unauthorized()
                arguments: dict[str, Any] = {}
                if find:
                    arguments["found"] = find(**kwargs)
                if query_schema is not None:  # built above when the operation has a query
                    arguments["query"] = load_or_422(query_schema, request.args.to_dict())
                if body:
                    schema = body(**context(**kwargs)) if context else body_schema
                    assert schema is not None  # body_schema: built above for a body without a context
                    given = {} if empty_body and not request.get_data() else json_body()
                    arguments["data"] = load_or_422(schema, given)
                return view(**kwargs, **arguments)

            name = endpoint or view.__name__
            self.blueprint.add_url_rule(rule, name, guarded, methods=[method.upper()])
            self.operations.append(Operation(
                rule=rule, method=method, endpoint=name, summary=summary, role=role,
                body=body, query=query, responses=responses, links=links or {},
            ))
            return guarded
        return decorator


def load_or_422(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """``schema.load(data)`` (as the forms load, ``web.forms.load``), or a 422 with the contract's
    ``{field: [messages]}``."""
    loaded, errors = forms.load(schema, data)
    if loaded is None:
        raise http_error(422, errors)
    return loaded


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 415/400/422 naming what is wrong with the body."""
    if not request.is_json:
        raise http_error(415, {"body": [_("Send a JSON object with Content-Type: application/json.")]})
    try:
        data = request.get_json()
    except BadRequest:
        raise http_error(400, {"body": [_("The body is not valid JSON.")]}) from None
    except RecursionError:  # thousands of nested brackets: the parser gives up
        raise http_error(400, {"body": [_("The body is nested too deeply.")]}) from None
    if not isinstance(data, dict):
        raise http_error(422, {"body": [_("Expected a JSON object.")]})
    try:
        broken = [field for field, value in data.items() if not is_encodable(value)]
    except RecursionError:
        raise http_error(400, {"body": [_("The body is nested too deeply.")]}) from None
    if broken:
        # JSON can carry lone UTF-16 surrogates ("\ud800"), which no text column can store.
        raise http_error(422, {field: [_("Contains characters that aren't valid text.")] for field in broken})
    return data


def is_encodable(value: object) -> bool:
    """True when every string in ``value`` (nested lists and objects too) is valid Unicode text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(is_encodable(k) and is_encodable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(is_encodable(item) for item in value)
    return True


def _openapi_path(prefix: str, rule: str) -> str:
    return prefix + re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def _response(status: int, schema: type[Schema] | str | dict[str, str] | None) -> dict[str, Any]:
    description = HTTPStatus(status).phrase
    if status == 204:
        return {"description": description}
    if schema is None:
        schema = "Errors" if status >= 400 else {"type": "object"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(op: Operation) -> dict[str, Any]:
    responses = {str(status): _response(status, schema) for status, schema in op.responses.items()}
    for status, links in op.links.items():
        responses[str(status)]["links"] = {
            name: {"operationId": endpoint, "parameters": parameters}
            for name, (endpoint, parameters) in links.items()
        }
    if op.role != "public":
        responses["401"] = _response(401, None)
    if op.role in ("patient", "provider"):
        responses["403"] = _response(403, None)
    if op.role == "provider":
        responses["403"]["description"] = ("Not a provider's account, or no two-factor authentication set up "
                                           "yet (errors.two_factor)")
    if op.body or op.query:
        responses["422"] = _response(422, None)
    parameters = [
        {"in": "path", "name": name, "required": True,
         "schema": {"type": "string", "format": "uuid"} if converter == "uuid:" else {"type": "string"}}
        for converter, name in re.findall(r"<([^:>]+:)?([^>]+)>", op.rule)
    ]
    if op.query:
        parameters.append({"in": "query", "schema": op.query})
    operation: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "responses": responses,
        "security": [] if op.role == "public" else [{"session": []}],
    }
    if op.role in ("patient", "provider"):
        operation["description"] = f"For {op.role}s only."
    if parameters:
        operation["parameters"] = parameters
    if op.method != "get":
        responses.setdefault("400", {**_response(400, None),
                                     "description": "Missing or wrong X-CSRFToken header, or a malformed body"})
        operation.setdefault("parameters", []).append({
            "in": "header", "name": "X-CSRFToken", "required": True, "schema": {"type": "string"},
            "description": "The value of the page's <meta name=\"csrf-token\">.",
        })
    if op.body:
        responses["415"] = _response(415, None)
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
    return operation


_cache: dict[str, dict] = {}


def document(registry: Registry) -> dict[str, Any]:
    """The OpenAPI 3 document for ``registry`` (built once per process)."""
    if "doc" not in _cache:
        spec = APISpec(
            title="Symptom Diary API", version="1.0.0", openapi_version="3.0.3",
            plugins=[MarshmallowPlugin()],
            info={"description": "The Symptom Diary JSON API: cookie login, a CSRF token in the X-CSRFToken "
                                 "header on every write; errors answer {\"errors\": {field: [messages]}}."},
        )
        spec.components.schema("Errors", ERRORS_SCHEMA)
        spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "diary_session"})
        paths: dict[str, dict[str, dict[str, Any]]] = {}
        prefix = registry.blueprint.url_prefix
        assert prefix is not None  # the API's blueprint has one: /api/v1
        for op in registry.operations:
            path = _openapi_path(prefix, op.rule)
            paths.setdefault(path, {})[op.method] = _operation(op)
        for path, operations in paths.items():
            spec.path(path=path, operations=operations)
        _cache["doc"] = spec.to_dict()
    return _cache["doc"]
