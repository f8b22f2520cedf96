"""The JSON API's own operations: who is logged in, a fresh CSRF token, and the OpenAPI document.
Each feature's JSON routes live in its module beside its pages, on the registry in
diary/web/api.py (docs/API.md)."""
from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..schemas.accounts import UserOut
from ..web import openapi
from ..web.api import operation


@operation("/me", "get", "The logged-in account", responses={200: UserOut}, role="any")
def me() -> ResponseReturnValue:
    return UserOut().dump(vars(current_user))


@operation("/csrf-token", "get", "A fresh CSRF token (the offline outbox fetches one before replaying)",
           responses={200: None}, role="any")
def csrf_token() -> ResponseReturnValue:
    return jsonify(csrf_token=generate_csrf())


@operation("/openapi.json", "get", "This OpenAPI 3 document", responses={200: None}, role="public")
def openapi_document() -> ResponseReturnValue:
    return jsonify(openapi.document(operation))
