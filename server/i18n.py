"""Which language each page speaks, and the `translate` commands that keep the catalogs.

The dashboard follows the signed-in clinician's own choice, else their clinic's; before
sign-in, the browser's Accept-Language (its best match among ours, else English). The API's
JSON stays English for now: the app branches on its codes, and the client app has its own
catalogs.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app, request
from flask.cli import AppGroup
from flask_babel import Babel
from flask_login import current_user

from . import catalogs
from .languages import SOURCE, Language, named, offered

babel = Babel()
translate = AppGroup("translate", help="Keep the dashboard's message catalogs.")


def chosen() -> Language:
    """The language of the page being made."""
    pseudo = current_app.config["PSEUDO_LOCALE"]
    if current_user and current_user.is_authenticated and hasattr(current_user, "clinic"):
        for code in (current_user.language, current_user.clinic.language):
            if language := named(code, pseudo):
                return language
    best = request.accept_languages.best_match(list(offered(pseudo)), default=SOURCE)
    return named(best, pseudo)


def init_app(app: Flask) -> None:
    catalogs.compile_stale()
    # The pseudo-locale's catalog is made, never committed: into the instance folder.
    pseudo_dir = Path(app.instance_path) / "translations"
    if app.config["PSEUDO_LOCALE"]:
        catalogs.write_pseudo(pseudo_dir)
    # The pseudo folder first: Flask-Babel keeps the plural rule of the last folder it reads,
    # even one without the language's catalog (English's rule then), which made Arabic say
    # "a day ago" for two days; our real catalogs must be read last.
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = f"{pseudo_dir};{catalogs.TRANSLATIONS}"
    babel.init_app(app, locale_selector=lambda: chosen().babel)
    app.jinja_env.globals["page_language"] = chosen
    app.cli.add_command(translate)


@translate.command("extract")
def extract_command():
    """Write every marked text into server/translations/messages.pot."""
    catalogs.extract()
    click.echo(f"Wrote {catalogs.TEMPLATE}")


@translate.command("update")
def update_command():
    """Extract, then add new texts to (and drop gone ones from) every language's catalog."""
    catalogs.extract()
    catalogs.update()
    click.echo("Updated the catalogs; translate the empty msgstr entries, then compile.")


@translate.command("compile")
def compile_command():
    """Compile catalogs whose .mo is missing or stale (the app also does this at start)."""
    for mo in catalogs.compile_stale():
        click.echo(f"Wrote {mo}")
