"""Symptom Diary: a patient symptom diary served by Flask."""
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from . import config


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory (as in Flask's flaskr tutorial)."""
    instance = config.instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(config.REPO_ROOT / "templates"),
        static_folder=None,  # served minified, named by content and compressed: diary/web/assets.py
    )
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment(instance))
    if test_config:
        app.config.update(test_config)
    if app.config["SESSION_COOKIE_SECURE"] and not app.config["SESSION_COOKIE_NAME"].startswith("__"):
        # Browsers keep a __Host- cookie only if it is Secure, has Path=/ and no Domain, so no
        # sibling subdomain can plant or overwrite it (ASVS 5.0 3.3.1, 3.3.3). Plain-HTTP
        # development (DIARY_SECURE_COOKIES=0) keeps the bare name, which browsers accept there.
        app.config["SESSION_COOKIE_NAME"] = "__Host-" + app.config["SESSION_COOKIE_NAME"]
    if "CRISIS_CONTACTS" not in app.config:
        from .config import crisis_contacts
        app.config["CRISIS_CONTACTS"] = crisis_contacts.load(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.load_or_create_secret_key(Path(app.instance_path))
    if not app.config.get("SMTP_URL") and not app.testing:
        app.logger.warning("No DIARY_SMTP_URL: password-reset e-mails are written to this log instead of sent.")
    elif app.config.get("SMTP_URL") and not app.config.get("PUBLIC_URL"):
        app.logger.warning("DIARY_SMTP_URL without DIARY_PUBLIC_URL: e-mailed links name the host each request "
                           "gives; set DIARY_PUBLIC_URL.")
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = config.load_or_create_audit_key(Path(app.instance_path))
    if not app.config.get("MFA_KEY"):
        app.config["MFA_KEY"] = config.load_or_create_mfa_key(Path(app.instance_path))
    if not app.config.get("MASTER_KEY"):
        app.config["MASTER_KEY"] = config.master_keys_text(Path(app.instance_path))
    from .security.fields import MasterKeys
    app.config["MASTER_KEYS"] = MasterKeys.from_text(app.config["MASTER_KEY"])

    if app.config["PROXY_HOPS"]:
        # Behind N reverse proxies, the client's address (for the per-address rate limits) is the
        # Nth from the right in X-Forwarded-For; without this every client would look like the proxy.
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["PROXY_HOPS"]
        # Flask declares wsgi_app a method; replacing it is Flask's documented way to add middleware.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from . import db
    db.init_app(app)

    from flask_wtf.csrf import CSRFProtect
    CSRFProtect(app)

    from .web import auth
    auth.init_app(app)

    from .web import errors
    errors.init_app(app)

    from . import commands
    commands.init_app(app)

    from .web import i18n
    i18n.init_app(app)

    from .web import templating
    templating.init_app(app)

    from .web import headers
    headers.init_app(app)

    from .web import assets
    assets.init_app(app)

    from .web import security_log
    security_log.init_app(app)

    from .views import api, assessments  # noqa: F401 (api: the API's own operations, on web.api's registry)
    from .views import auth as auth_views
    from .views import (
        care_team,
        diary,
        export,
        health,
        outcomes,
        provider,
        pwa,
        reminders,
        report,
        safety,
        sessions,
        trends,
    )
    from .web.forms import RowIdConverter
    app.url_map.converters["row_id"] = RowIdConverter
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(diary.bp)
    app.register_blueprint(sessions.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(safety.bp)
    app.register_blueprint(trends.bp)
    app.register_blueprint(care_team.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(report.bp)
    app.register_blueprint(reminders.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(pwa.bp)
    app.register_blueprint(provider.bp)
    app.register_blueprint(outcomes.bp)
    # Last: every feature module above has put its JSON routes on the API's registry by now.
    from .web import api as web_api
    app.register_blueprint(web_api.bp)
    return app
