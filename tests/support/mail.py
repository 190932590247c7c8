"""A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.policy import default

from aiosmtpd.controller import Controller


class Inbox:
    """Keeps every message the server accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def body(self, message: email.message.EmailMessage) -> str:
        return message.get_content().replace("\r\n", "\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def mail_server(sender: str = "Aftercue <no-reply@aftercue.test>") -> Iterator[tuple[Inbox, dict]]:
    """A loopback SMTP server, and the app's MAIL setting that names it."""
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield (
            box,
            {
                "tls": False,
                "host": "127.0.0.1",
                "port": controller.port,
                "user": None,
                "password": None,
                "sender": sender,
            },
        )
    finally:
        controller.stop()
