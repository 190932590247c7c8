"""Flask commands (`flask --app server ...`): the demo, protocol files, the reminder worker,
and bootstrapping a deployment (a clinic, then its first admin)."""

import json
import signal
import threading
import time
from datetime import UTC, datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError
from werkzeug.serving import run_simple

from .clinic import staff
from .clinic.demo import create_demo
from .clock import now
from .domain.conflicts import conflicts
from .domain.errors import DomainError
from .extensions import db
from .models import Clinic
from .plans.registry import load_directory, registry
from .reminders import vapid, worker
from .reminders.courier import make_courier
from .schemas.fields import validate_timezone


def init_app(app: Flask) -> None:
    """Register the commands on `app`."""
    app.cli.add_command(demo)
    app.cli.add_command(protocols)
    app.cli.add_command(reminders)
    app.cli.add_command(clinic_group)
    app.cli.add_command(clinician_group)
    app.cli.add_command(serve)


@click.group()
def protocols() -> None:
    """Check and list the protocol files."""


@protocols.command("check")
@with_appcontext
def check_protocols() -> None:
    """Validate every protocol file and look for rules that contradict each other on
    screen; exit non-zero on any error."""
    directory = current_app.config["PROTOCOLS_DIR"]
    loaded, errors = load_directory(directory)
    for error in errors:
        click.echo(f"error: {error}", err=True)
    for item in loaded.values():
        found = conflicts(item.protocol)
        for conflict in found:
            click.echo(f"error: {item.path.name}: conflict: {conflict}", err=True)
        for gap in item.untranslated:
            click.echo(f"error: {gap}", err=True)
        errors += [*found, *item.untranslated]
        if not found and not item.untranslated:
            click.echo(
                f"ok     {item.path.name} ({item.protocol.id}, bundle {item.bundle_version})"
            )
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
    result = create_demo(datetime.now(UTC), public_url, registry())
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
@click.option(
    "--now",
    "as_of",
    metavar="WHEN",
    help="Act as if it were this moment, an ISO 8601 time with its offset "
    "(2026-03-19T07:30+00:00): send what is due then. The push messages are still signed "
    "with the real time.",
)
@with_appcontext
def send_due_once(as_of: str | None) -> None:
    """Send every reminder that is due now, once (for cron)."""
    clock = worker.utc_now if as_of is None else moving_from(moment(as_of))
    courier = make_courier(current_app.config)
    try:
        totals = worker.one_pass(courier, worker.worker_name(), clock)
    finally:
        courier.sender.close()
    click.echo(worker.summary(totals))


def moment(text: str) -> datetime:
    """An aware time from the command line, or a usage error that says what is wanted."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time", param_hint="--now") from None
    if when.tzinfo is None:
        raise click.BadParameter(
            f"{text!r} has no offset: add one, e.g. {text}+00:00", param_hint="--now"
        )
    return when.astimezone(UTC)


def moving_from(start: datetime):
    """A clock that starts at `start` and runs at the real pace, so leases still pass."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


@reminders.command("run")
@click.option("--interval", default=15.0, show_default=True, help="Seconds between passes.")
@with_appcontext
def run_reminders(interval: float) -> None:
    """Send due reminders continuously (the Procfile's worker); stops cleanly on SIGTERM."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    worker.run(current_app.config, interval, stop, click.echo)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=5000, show_default=True, help="The port to listen on.")
@click.option("--interval", default=15.0, show_default=True, help="Seconds between passes.")
@with_appcontext
def serve(host: str, port: int, interval: float) -> None:
    """Serve the app and send its reminders, both in this one process (for one machine).

    The web server is werkzeug's, as `flask run`'s; the reminder worker runs in a thread
    beside it. Ctrl-C or SIGTERM stops both. A real deployment runs the Procfile's separate
    `web` and `worker` processes instead.
    """
    app = current_app._get_current_object()
    stop = threading.Event()

    def send_reminders() -> None:
        with app.app_context():
            worker.run(app.config, interval, stop, click.echo)

    reminders_thread = threading.Thread(target=send_reminders, name="reminders")
    signal.signal(signal.SIGTERM, _interrupt)
    reminders_thread.start()
    try:
        run_simple(host, port, app, threaded=True)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        reminders_thread.join()
        click.echo("stopped")


def _interrupt(*_) -> None:
    # SIGTERM stops the server as Ctrl-C does, so the worker finishes its pass first.
    raise KeyboardInterrupt


@reminders.command("keygen")
def keygen() -> None:
    """Print a new VAPID key pair: set VAPID_PRIVATE_KEY on every host to the first line."""
    raw = vapid.new_raw_key()
    click.echo(f"VAPID_PRIVATE_KEY={raw}")
    click.echo(
        f"# public key (applicationServerKey): {vapid.application_server_key(vapid.to_pem(raw))}"
    )


@click.group("clinic")
def clinic_group() -> None:
    """Create clinics."""


@clinic_group.command("create")
@click.argument("name")
@click.option("--timezone", default="UTC", help="Its audit log and CSVs' zone (Europe/London).")
@with_appcontext
def create_clinic(name: str, timezone: str) -> None:
    """Create a clinic called NAME and print its id."""
    name = name.strip()
    if not 0 < len(name) <= 200:
        raise click.BadParameter("give a name of 1 to 200 characters", param_hint="NAME")
    try:
        validate_timezone(timezone)
    except ValidationError as error:
        raise click.BadParameter(" ".join(error.messages), param_hint="--timezone") from None
    clinic = Clinic(name=name, timezone=timezone, created_at=now())
    db.session.add(clinic)
    db.session.commit()
    click.echo(f"Clinic {clinic.id}: {clinic.name}")


@click.group("clinician")
def clinician_group() -> None:
    """Create clinicians."""


@clinician_group.command("create")
@click.option("--clinic", "clinic_id", type=int, required=True, help="The clinic's id.")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(staff.ROLES), default="clinician", show_default=True)
@click.option(
    "--generate-password", is_flag=True, help="Make a password and print it, instead of asking."
)
@with_appcontext
def create_clinician(
    clinic_id: int, email: str, name: str, role: str, generate_password: bool
) -> None:
    """Create a clinician who can sign in to the dashboard at /clinic."""
    password = None
    if not generate_password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        if len(password) < staff.MIN_PASSWORD_LENGTH:
            raise click.BadParameter(
                f"use at least {staff.MIN_PASSWORD_LENGTH} characters", param_hint="password"
            )
    try:
        clinician, password = staff.create(clinic_id, email, name, role, now(), password)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"Clinician {clinician.id}: {clinician.email} ({clinician.role}) of clinic {clinic_id}"
    )
    if generate_password:
        click.echo(f"Password (shown once): {password}")
        click.echo("It is temporary: they choose their own when they first sign in.")
