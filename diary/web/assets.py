"""The static files (``static/``) as a phone on a slow network wants them: minified, in the page
itself, compressed.

At the first request a process reads ``static/`` once: CSS through rcssmin, JavaScript through
rjsmin. Pages carry the stylesheet and their scripts inline (``inline_asset``), so a page is one
request: on a phone network each request costs a round trip of half a second or more (Chrome's
"Slow 4G" adds 562.5 ms to each), which a separate stylesheet and scripts would add before the page
is ready. The Content-Security-Policy names each inline block by its SHA-256 hash
(``inline_hashes``): no other inline script or style runs, and there is no 'unsafe-inline'.

The files are still served at /static/ (icons, the manifest's images, anything linking them):
``url_for("static", filename="icons/icon-192.png")`` gives a name with a hash of the content,
served ``public, max-age=31536000, immutable``; the plain names keep working with ``no-cache``.

Compression (Flask-Compress, Brotli or gzip): static files, the service worker and the crisis rules
always (they are the same for everyone). Pages and API answers only when the request did not come
from another site (``Sec-Fetch-Site`` is ``same-origin`` or ``none``): that is what BREACH needs,
a page that holds a secret and echoes text a request chose, compressed, with the attacker making
the requests (docs/SECURITY.md, "Compression").
"""
import base64
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import rcssmin
import rjsmin
from flask import Flask, Response, abort, current_app, request
from flask_compress import Compress
from markupsafe import Markup

from .. import config

SOURCE = config.REPO_ROOT / "static"
YEAR = 365 * 24 * 3600
# What the compressor may touch: the static files' types (and the public, per-deploy crisis rules).
COMPRESSED_TYPES = ["text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml",
                    "text/html", "application/problem+json"]
# Requests that no other site started: typed, bookmarked, or from the diary's own pages.
OWN_REQUESTS = frozenset({"same-origin", "none"})
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
    inline: dict[str, str]  # a CSS or JS source name -> its text as it goes inside <style> or <script>
    style_sources: str  # "'sha256-…' …" of every inline stylesheet, for the CSP's style-src
    script_sources: str  # the same for every inline script, for script-src


def lean(name: str, body: bytes) -> bytes:
    """``body`` minified when it is CSS or JavaScript (comments and spacing out, nothing renamed)."""
    if name.endswith(".css"):
        return rcssmin.cssmin(body.decode()).encode()
    if name.endswith(".js"):
        return rjsmin.jsmin(body.decode()).encode()
    return body


@lru_cache(maxsize=4)
def build(source: Path = SOURCE) -> Build:
    names, files, inline = {}, {}, {}
    sources: dict[str, list[str]] = {"css": [], "js": []}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        body = lean(name, path.read_bytes())
        digest = hashlib.sha256(body).hexdigest()[:12]
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        stem, dot, suffix = name.rpartition(".")
        content_name = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        names[name] = content_name
        files[name] = files[content_name] = Asset(body, mimetype, digest)
        if suffix in ("css", "js"):
            # "</" would end the element early (a string "</script>" in the code): "<\/" means the same.
            text = body.decode().replace("</", "<\\/")
            inline[name] = text
            sources[suffix].append("'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'")
    return Build(names, files, inline, " ".join(sources["css"]), " ".join(sources["js"]))


def current() -> Build:
    """This process's build (read again for each request under ``flask run --debug``: see init_app)."""
    return build()


def reread_in_debug() -> None:
    """Under ``flask run --debug``, each request sees the files as they are now (for editing)."""
    if current_app.debug:
        build.cache_clear()


def inline_asset(name: str) -> Markup:
    """The text of ``static/<name>`` (CSS or JavaScript, minified) to put inside <style> or <script>."""
    return Markup(current().inline[name])


def inline_hashes() -> tuple[str, str]:
    """The CSP's sources for inline blocks: (style-src hashes, script-src hashes)."""
    built = current()
    return built.style_sources, built.script_sources


def compress_own_requests(response: Response) -> Response:
    """Compress a page or an API answer for a request no other site started (module docstring)."""
    if response.mimetype in ("text/html", "application/json"):
        response.vary.add("Sec-Fetch-Site")  # a cache must not hand one kind of request the other's answer
    if request.headers.get("Sec-Fetch-Site") in OWN_REQUESTS and "Content-Encoding" not in response.headers:
        return compress.after_request(response)
    return response


def content_name(endpoint: str, values: dict[str, Any]) -> None:
    """``url_for("static", filename=…)`` names the file by its content."""
    if endpoint == "static" and "filename" in values:
        values["filename"] = current().names.get(values["filename"], values["filename"])


@compress.compressed()
def serve(filename: str) -> Response:
    built = current()
    asset = built.files.get(filename)
    if asset is None:
        abort(404)
    named_by_content = filename not in built.names
    # Bytes in memory, not a file stream: the compressor then offers gzip too and sets Content-Length.
    response = Response(asset.body, mimetype=asset.mimetype)
    response.set_etag(asset.etag)
    if named_by_content:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    response.make_conditional(request)  # a 304 when the browser has it (it changes this response)
    return response


def init_app(app: Flask) -> None:
    """Serve ``static/`` at /static/ (the app is made with ``static_folder=None``), give templates
    ``inline_asset``, and compress what may be compressed."""
    app.config.setdefault("COMPRESS_REGISTER", False)  # only what is decorated: see the module's docstring
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Brotli 5: 10 % smaller than the default 4, at 1.7 ms for app.css (6 takes 19 ms).
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_STREAMS", False)  # exports stream row by row, in flat memory
    compress.init_app(app)
    app.before_request(reread_in_debug)
    app.after_request(compress_own_requests)
    app.jinja_env.globals["inline_asset"] = inline_asset
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve)
    app.url_defaults(content_name)
