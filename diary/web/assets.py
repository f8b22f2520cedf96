"""The static files (``static/``) as a phone on a slow network wants them: minified, named by
their content so a browser keeps them for a year, and compressed.

At the first request a process reads ``static/`` once: CSS through rcssmin, JavaScript through
rjsmin, and each file gets a second name with a hash of what is served (``css/app.3f2a1b9c04de.css``).
``url_for("static", filename="css/app.css")`` gives that name (a ``url_defaults`` hook), so a
deploy that changes a file changes its URL and nobody runs yesterday's script with today's page.
Content-named files are served ``public, max-age=31536000, immutable``; the plain names keep
working with ``no-cache`` (an old page, a bookmark).

Compression (Flask-Compress, Brotli or gzip) is switched on for these files and nothing else:
they are the same for everyone and hold no secret. Pages and API answers stay uncompressed, since
they carry a CSRF token and a patient's words next to text a request can put there (a query
string, a form value), which is what BREACH needs (docs/SECURITY.md, "Compression").
"""
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import rcssmin
import rjsmin
from flask import Flask, abort, current_app, request
from flask_compress import Compress
from werkzeug.wrappers import Response

from .. import config

SOURCE = config.REPO_ROOT / "static"
YEAR = 365 * 24 * 3600
# What the compressor may touch: the static files' types (and the public, per-deploy crisis rules).
COMPRESSED_TYPES = ["text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml"]
compress = Compress()


@dataclass(frozen=True)
class Asset:
    body: bytes
    mimetype: str
    etag: str


@dataclass(frozen=True)
class Build:
    names: dict[str, str]  # a source name ("css/app.css") -> its content name ("css/app.<hash>.css")
    files: dict[str, Asset]  # both names -> what is served


def lean(name: str, body: bytes) -> bytes:
    """``body`` minified when it is CSS or JavaScript (comments and spacing out, nothing renamed)."""
    if name.endswith(".css"):
        return rcssmin.cssmin(body.decode()).encode()
    if name.endswith(".js"):
        return rjsmin.jsmin(body.decode()).encode()
    return body


@lru_cache(maxsize=4)
def build(source: Path = SOURCE) -> Build:
    names, files = {}, {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        body = lean(name, path.read_bytes())
        digest = hashlib.sha256(body).hexdigest()[:12]
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        stem, dot, suffix = name.rpartition(".")
        content_name = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        names[name] = content_name
        files[name] = files[content_name] = Asset(body, mimetype, digest)
    return Build(names, files)


def current() -> Build:
    """This process's build (read again on every call under ``flask run --debug``, for editing)."""
    if current_app.debug:
        build.cache_clear()
    return build()


def content_name(endpoint: str, values: dict[str, Any]) -> None:
    """``url_for("static", filename=…)`` names the file by its content."""
    if endpoint == "static" and "filename" in values:
        values["filename"] = current().names.get(values["filename"], values["filename"])


@compress.compressed()
def serve(filename: str) -> Response:
    asset = current().files.get(filename)
    if asset is None:
        abort(404)
    named_by_content = filename not in current().names
    # Bytes in memory, not a file stream: the compressor then offers gzip too and sets Content-Length.
    response = Response(asset.body, mimetype=asset.mimetype)
    response.set_etag(asset.etag)
    if named_by_content:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Serve ``static/`` at /static/ (the app is made with ``static_folder=None``)."""
    app.config.setdefault("COMPRESS_REGISTER", False)  # only what is decorated: see the module's docstring
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Brotli 5: 10 % smaller than the default 4, at 1.7 ms for app.css (6 takes 19 ms).
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    compress.init_app(app)
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve)
    app.url_defaults(content_name)
