"""Bootstrapping a deployment from the command line: a clinic, then its first admin."""

import re

from sqlalchemy import select

from server.extensions import db
from server.models import Clinic, Clinician


def test_create_a_clinic_then_an_admin_with_a_printed_password(app, runner, dashboard):
    made = runner.invoke(args=["clinic", "create", "North Clinic"])
    assert made.exit_code == 0, made.output
    clinic_id = int(re.search(r"Clinic (\d+):", made.output).group(1))
    result = runner.invoke(
        args=[
            "clinician",
            "create",
            "--clinic",
            str(clinic_id),
            "--email",
            "Boss@North.test",
            "--name",
            "Boss",
            "--role",
            "admin",
            "--generate-password",
        ]
    )
    assert result.exit_code == 0, result.output
    password = re.search(r"Password \(shown once\): (\S+)", result.output).group(1)
    boss = dashboard()
    assert boss.sign_in("boss@north.test", password).status_code == 302
    # A printed password is temporary: the first page is the form that replaces it.
    assert boss.get("/clinic/admin/clinicians").location == "/clinic/password"
    own = "the boss's own password"
    boss.post("/clinic/password", {"current": password, "new": own, "confirm": own})
    assert boss.get("/clinic/admin/clinicians").status_code == 200


def test_a_clinician_with_a_typed_password(app, runner, dashboard):
    runner.invoke(args=["clinic", "create", "South"])
    with app.app_context():
        clinic_id = db.session.scalar(select(Clinic.id).where(Clinic.name == "South"))
    typed = "typed password 123"
    args = [
        "clinician",
        "create",
        "--clinic",
        str(clinic_id),
        "--email",
        "x@south.test",
        "--name",
        "X",
    ]
    result = runner.invoke(args=args, input=f"{typed}\n{typed}\n")
    assert result.exit_code == 0, result.output
    assert typed not in result.output
    person = dashboard()
    assert person.sign_in("x@south.test", typed).status_code == 302
    assert person.get("/clinic/").status_code == 200  # a typed password is not temporary
    with app.app_context():
        assert db.session.scalar(
            select(Clinician.role).where(Clinician.email == "x@south.test")
        ) == ("clinician")


def test_mistakes_are_refused(runner):
    assert runner.invoke(args=["clinic", "create", " "]).exit_code != 0
    missing = runner.invoke(
        args=[
            "clinician",
            "create",
            "--clinic",
            "999",
            "--email",
            "a@b.test",
            "--name",
            "A",
            "--generate-password",
        ]
    )
    assert missing.exit_code != 0 and "No such clinic" in missing.output
    short = runner.invoke(
        args=["clinician", "create", "--clinic", "1", "--email", "a@b.test", "--name", "A"],
        input="short\nshort\n",
    )
    assert short.exit_code != 0
