"""Flask commands (`flask --app server ...`)."""

import json
import logging
import os
import signal
import socket
import threading
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import client_summaries, vapid
from . import reminders as reminder_jobs
from .demo import create_demo
from .extensions import db
from .protocols import load_directory
from .staff_cli import clinic_group, clinician_group


def init_app(app: Flask) -> None:
    """Register the commands on `app`."""
    app.cli.add_command(demo)
    app.cli.add_command(protocols)
    app.cli.add_command(reminders)
    app.cli.add_command(clinic_group)
    app.cli.add_command(clinician_group)


@click.group()
def protocols() -> None:
    """Check and list the protocol files."""


@protocols.command("check")
@with_appcontext
def check_protocols() -> None:
    """Validate every protocol file; exit non-zero on any error."""
    directory = current_app.config["PROTOCOLS_DIR"]
    loaded, errors = load_directory(directory)
    for error in errors:
        click.echo(f"error: {error}", err=True)
    for item in loaded.values():
        click.echo(f"ok     {item.path.name} ({item.protocol.id}, bundle {item.bundle_version})")
    if errors:
        raise click.ClickException(f"{len(errors)} problem(s) in {directory}")


@protocols.command("list")
@with_appcontext
def list_protocols() -> None:
    """Print id, version, bundle version and title of each valid protocol."""
    loaded, errors = load_directory(current_app.config["PROTOCOLS_DIR"])
    for item in loaded.values():
        protocol = item.protocol
        click.echo(
            f"{protocol.id:<16} {protocol.version:<10} {item.bundle_version}  {protocol.title}"
        )
    if errors:
        click.echo(f"({len(errors)} problem(s) skipped: run `protocols check`)", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object, for scripts.")
@with_appcontext
def demo(as_json: bool) -> None:
    """Create a demo clinician and a new demo client, and print how to try them."""
    public_url = current_app.config["PUBLIC_URL"]
    result = create_demo(datetime.now(UTC), public_url, current_app.extensions["protocols"])
    db.session.commit()
    if as_json:
        keys = ("clinician_email", "clinician_password", "enroll_url", "enroll_code")
        click.echo(json.dumps({key: getattr(result, key) for key in keys}))
        return
    click.echo(
        f"Aftercue demo is ready.\n\n"
        f"Clinic dashboard: {public_url}/clinic/\n"
        f"  email:    {result.clinician_email}\n"
        f"  password: {result.clinician_password}  (a new one each time you run `demo`)\n\n"
        f"Client app: open this enrollment link on a phone (valid for 7 days):\n"
        f"  {result.enroll_url}"
    )


@click.group()
def reminders() -> None:
    """Send push reminders."""


@reminders.command("send-due")
@with_appcontext
def send_due_once() -> None:
    """Send every reminder that is due now, once (for cron)."""
    courier = reminder_jobs.make_courier(current_app.config)
    try:
        totals = one_pass(courier, worker_name())
    finally:
        courier.sender.close()
    click.echo(
        ", ".join(f"{count} {kind}" for kind, count in sorted(totals.items())) or "nothing due"
    )


@reminders.command("run")
@click.option("--interval", default=15.0, show_default=True, help="Seconds between passes.")
@with_appcontext
def run_reminders(interval: float) -> None:
    """Send due reminders continuously (the Procfile's worker); stops cleanly on SIGTERM."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    courier = reminder_jobs.make_courier(current_app.config)
    name = worker_name()
    click.echo(f"reminder worker {name} started")
    while not stop.is_set():
        try:
            totals = one_pass(courier, name)
            if totals:
                click.echo(", ".join(f"{count} {kind}" for kind, count in sorted(totals.items())))
        except Exception:  # one bad pass must not end the worker; the next one retries
            db.session.rollback()
            logging.getLogger(__name__).exception("reminder pass failed")
        stop.wait(interval)
    courier.sender.close()


def one_pass(courier, name: str) -> dict[str, int]:
    """Send what is due, then bring the clinics' client lists up to date (client_summaries)."""
    totals = reminder_jobs.send_due(courier, datetime.now(UTC), name)
    client_summaries.refresh_all(datetime.now(UTC))  # a long pass: counted as of its end
    return totals


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@reminders.command("keygen")
def keygen() -> None:
    """Print a new VAPID key pair: set VAPID_PRIVATE_KEY on every host to the first line."""
    raw = vapid.new_raw_key()
    click.echo(f"VAPID_PRIVATE_KEY={raw}")
    click.echo(
        f"# public key (applicationServerKey): {vapid.application_server_key(vapid.to_pem(raw))}"
    )
