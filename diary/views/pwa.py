"""The installable, offline-capable shell: web app manifest, service worker, offline page."""
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, current_app, jsonify, make_response, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..insights import crisis
from ..timeutil import today_in
from ..web import assets, i18n

bp = Blueprint("pwa", __name__)

# Static files the service worker precaches besides /offline, /support/offline, the manifest and the
# crisis rules: only the notification badge. Pages carry their stylesheet and scripts inline
# (diary/web/assets.py), the precached pages too; the browser fetches install icons when it needs them.
SHELL_STATIC = ("icons/badge-96.png",)


# Templates of the precached pages (/offline, /support/offline) and of the worker itself.
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
SHELL_TEMPLATES = ("pwa/sw.js", "pwa/offline.html", "base.html", "_macros.html", "safety/support.html",
                   "safety/_macros.html")


@lru_cache(maxsize=4)
def shell_version(static_folder: str, extra: str = "") -> str:
    """A hash of the shell's files, templates and translations (and ``extra``: the crisis contacts
    the precached support page shows, and the reader's language): any deploy that changes them
    changes the worker."""
    digest = hashlib.sha256(extra.encode())
    root = Path(static_folder)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):  # all: the precached pages inline them
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for template in SHELL_TEMPLATES:
        digest.update((root.parent / "templates" / template).read_bytes())
    for catalog in sorted(TRANSLATIONS.rglob("*.po")):  # the precached pages' words
        digest.update(catalog.read_bytes())
    return digest.hexdigest()[:12]


def current_shell_version() -> str:
    """Also changes with the crisis contacts and rules, which the precached pages and files carry, and
    with the reader's language: a worker precaches the offline pages in the language it was fetched in,
    and a new language installs it again."""
    data = json.dumps([current_app.config["CRISIS_CONTACTS"], crisis.client_rules(), i18n.language()],
                      sort_keys=True, default=lambda value: getattr(value, "english", lambda: str(value))())
    return shell_version(str(assets.SOURCE), data)


@bp.route("/manifest.webmanifest")
def manifest() -> Response:
    icon = lambda name, size, purpose="any": {  # noqa: E731
        "src": url_for("static", filename=f"icons/{name}"), "sizes": size, "type": "image/png", "purpose": purpose}
    response = jsonify({
        "name": _("Symptom Diary"),
        "short_name": _("Diary"),
        "description": _("Log how you feel each day and after each treatment session; see your trends; "
                         "share them with your clinician if you choose."),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f7f5",
        "theme_color": "#2f6f73",
        "icons": [icon("icon-192.png", "192x192"), icon("icon-512.png", "512x512"),
                  icon("icon-maskable-512.png", "512x512", "maskable")],
    })
    response.mimetype = "application/manifest+json"
    return response


@bp.route("/sw.js")
@assets.compress.compressed()  # the same for everyone, no secret (diary/web/assets.py)
def service_worker() -> Response:
    version = current_shell_version()
    shell = [url_for("pwa.offline"), url_for("safety.support_offline"), url_for("pwa.manifest"),
             url_for("pwa.crisis_rules")]
    shell += [url_for("static", filename=name) for name in SHELL_STATIC]
    response = make_response(render_template("pwa/sw.js", version=version, shell=shell))
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"  # the browser re-checks the worker on every visit
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/crisis-rules.json")
@assets.compress.compressed()  # 33 KB of public word lists, the same for everyone
def crisis_rules() -> Response:
    """How crisis language is read (diary/insights/crisis.py), for the outbox on the phone
    (static/js/crisis.js): the same for everyone, no personal data; precached by the worker."""
    response = jsonify(crisis.client_rules())
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline() -> str:
    """The page shown when there's no connection: the check-in form, which saves to the outbox.

    It holds no personal data (it is cached on the device), so it is the same for everyone.
    """
    return render_template("pwa/offline.html", today=today_in("UTC"), values={"triggers": []}, errors={},
                           trigger_choices=[])
