"""The reminder worker: passes that send what is due, then bring the clinics' lists up to date."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Config

from ..clinic.summaries import refresh_all
from ..extensions import db
from .courier import Courier, make_courier
from .delivery import Clock, send_due

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def one_pass(courier: Courier, name: str, clock: Clock = utc_now) -> dict[str, int]:
    """Send what is due, then refresh every clinic's stale client lines (clinic/summaries.py)."""
    totals = send_due(courier, clock, name)
    refresh_all(clock())  # a long pass: counted as of its end
    return totals


def run(
    config: Config, interval: float, stop: threading.Event, report: Callable[[str], None]
) -> None:
    """Pass after pass until `stop` is set; one failed pass is logged, and the next retries."""
    courier = make_courier(config)
    name = worker_name()
    report(f"reminder worker {name} started")
    try:
        while not stop.is_set():
            try:
                totals = one_pass(courier, name)
                if totals:
                    report(summary(totals))
            except Exception:  # one bad pass must not end the worker
                db.session.rollback()
                log.exception("reminder pass failed")
            stop.wait(interval)
    finally:
        courier.sender.close()


def summary(totals: dict[str, int]) -> str:
    """ "3 sent, 1 skipped", or "nothing due"."""
    return ", ".join(f"{count} {kind}" for kind, count in sorted(totals.items())) or "nothing due"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
