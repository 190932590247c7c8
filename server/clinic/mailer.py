"""Email through the mail server named in MAIL_URL, one message at a time, from a request."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

from ..domain.errors import Conflict

log = logging.getLogger(__name__)
# Seconds: the clinician waits on the page while it sends, and a slow server must not hold a
# worker for long.
TIMEOUT = 10


def configured() -> bool:
    return current_app.config.get("MAIL") is not None


def send(to: str, subject: str, body: str) -> None:
    """Send one plain-text email; Conflict("mail_not_sent") when the server would not take it."""
    mail = current_app.config["MAIL"]
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = mail["sender"], to, subject
    message.set_content(body)
    connect = smtplib.SMTP_SSL if mail["tls"] else smtplib.SMTP
    try:
        with connect(mail["host"], mail["port"], timeout=TIMEOUT) as server:
            if not mail["tls"]:
                _start_tls(server, must=mail["user"] is not None)
            if mail["user"] is not None:
                server.login(mail["user"], mail["password"] or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail to the server in MAIL_URL failed: %s", type(error).__name__)
        raise Conflict(
            "mail_not_sent", "The email could not be sent; the link still works."
        ) from None


def _start_tls(server: smtplib.SMTP, must: bool) -> None:
    """Encrypt when the server offers it; a password is never sent in the clear."""
    server.ehlo()
    if server.has_extn("starttls"):
        server.starttls(context=ssl.create_default_context())
        server.ehlo()
    elif must:
        raise smtplib.SMTPNotSupportedError("no STARTTLS: the password would go in the clear")
