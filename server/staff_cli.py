"""Commands that bootstrap a real deployment: a clinic, then its first admin."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from . import clinicians
from .clock import now
from .errors import ApiError
from .extensions import db
from .models import Clinic


@click.group("clinic")
def clinic_group() -> None:
    """Create clinics."""


@clinic_group.command("create")
@click.argument("name")
@with_appcontext
def create_clinic(name: str) -> None:
    """Create a clinic called NAME and print its id."""
    name = name.strip()
    if not 0 < len(name) <= 200:
        raise click.BadParameter("give a name of 1 to 200 characters", param_hint="NAME")
    clinic = Clinic(name=name, created_at=now())
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
@click.option("--role", type=click.Choice(clinicians.ROLES), default="clinician", show_default=True)
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
        if len(password) < clinicians.MIN_PASSWORD_LENGTH:
            raise click.BadParameter(
                f"use at least {clinicians.MIN_PASSWORD_LENGTH} characters", param_hint="password"
            )
    try:
        clinician, password = clinicians.create(clinic_id, email, name, role, now(), password)
    except ApiError as error:
        raise click.ClickException(error.description) from None
    db.session.commit()
    click.echo(
        f"Clinician {clinician.id}: {clinician.email} ({clinician.role}) of clinic {clinic_id}"
    )
    if generate_password:
        click.echo(f"Password (shown once): {password}")
