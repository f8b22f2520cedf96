"""API operations registry and the OpenAPI 3 document generated from the marshmallow schemas."""
import re
from dataclasses import dataclass, field
from functools import wraps
from http import HTTPStatus

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_login import current_user

from .auth import check_role, login_manager

ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {"errors": {
        "type": "object",
        "description": "Field name (or 'body', 'auth', 'csrf_token', 'two_factor', 'request') to messages.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }},
}


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    role: str
    body: object = None
    query: object = None
    responses: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)


class Registry:
    """``@operation(rule, method, summary, ...)``: route a view, guard its role, document it.

    ``role`` is "patient" or "provider", "any" (any logged-in user) or "public". ``links`` are
    OpenAPI links from a response to the operations its ids feed:
    ``{status: {name: (endpoint, {path parameter: "$response.body#/pointer"})}}``.
    """

    def __init__(self, blueprint):
        self.blueprint = blueprint
        self.operations = []

    def __call__(self, rule, method, summary, *, responses, body=None, query=None, role="patient", links=None):
        def decorator(view):
            @wraps(view)
            def guarded(*args, **kwargs):
                if role in ("patient", "provider"):
                    refusal = check_role(role)
                    if refusal is not None:
                        return refusal
                elif role == "any" and not current_user.is_authenticated:
                    return login_manager.unauthorized()
                return view(*args, **kwargs)

            self.blueprint.add_url_rule(rule, view.__name__, guarded, methods=[method.upper()])
            self.operations.append(Operation(
                rule=rule, method=method, endpoint=view.__name__, summary=summary, role=role,
                body=body, query=query, responses=responses, links=links or {},
            ))
            return guarded
        return decorator


def _openapi_path(prefix, rule):
    return prefix + re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def _response(status, schema):
    description = HTTPStatus(status).phrase
    if status == 204:
        return {"description": description}
    if schema is None:
        schema = "Errors" if status >= 400 else {"type": "object"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(op):
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
    operation = {
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


_cache = {}


def document(registry, named_schemas):
    """The OpenAPI 3 document for ``registry`` (built once per process)."""
    if "doc" not in _cache:
        spec = APISpec(
            title="Symptom Diary API", version="1.0.0", openapi_version="3.0.3",
            plugins=[MarshmallowPlugin()],
            info={"description": "Session-cookie authenticated JSON API. See DESIGN §4."},
        )
        spec.components.schema("Errors", ERRORS_SCHEMA)
        spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "diary_session"})
        for name, schema in named_schemas.items():
            spec.components.schema(name, schema=schema)
        paths = {}
        for op in registry.operations:
            path = _openapi_path(registry.blueprint.url_prefix, op.rule)
            paths.setdefault(path, {})[op.method] = _operation(op)
        for path, operations in paths.items():
            spec.path(path=path, operations=operations)
        _cache["doc"] = spec.to_dict()
    return _cache["doc"]
