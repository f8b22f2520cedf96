"""E-mail: the password-reset message, sent through the SMTP server of ``DIARY_SMTP_URL``
(``smtp://user:pass@host:587`` with STARTTLS, ``smtps://…:465`` with TLS from the start), or,
without one, written to the server's log (so `make run` can try it: it says so at start-up)."""
import logging
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class MailFailed(Exception):
    """The SMTP server could not be reached or refused the message."""


def send(config: Mapping[str, Any], to: str, subject: str, body: str) -> None:
    """Send a plain-text message to ``to``; raises MailFailed. STARTTLS is required on ``smtp://``
    except to a server on this machine (a local relay, or the tests' own server)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_FROM"], to, subject
    message.set_content(body)
    url = config.get("SMTP_URL")
    if not url:
        log.warning("No DIARY_SMTP_URL: this e-mail was not sent. To %s, %r:\n%s", to, subject, body)
        return
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    try:
        if parts.scheme == "smtps":
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, parts.port or 465, timeout=10,
                                                    context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, parts.port or 587, timeout=10)
        with server:
            if parts.scheme == "smtp":
                server.ehlo()
                if server.has_extn("starttls"):
                    server.starttls(context=ssl.create_default_context())
                    server.ehlo()
                elif host not in LOOPBACK:
                    raise MailFailed(f"{host} offers no STARTTLS: not sending a password link in the clear")
            if parts.username:
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailFailed(str(error)) from error
