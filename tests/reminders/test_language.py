"""Reminders are written in the client's language: the catalogs' words and the protocol's own
translation of the tasks, as the phone decrypts them."""

import tomllib
from pathlib import Path

import pytest

from server.extensions import db
from server.models import Client
from tests.support.subscribers import enroll, subscribe

from .conftest import MORNING, SESSION

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"
# The catalogs' words, as a reader of each language sees them (server/translations).
WORDS = {
    "ar": {"title": "عناية الصباح", "then": "{}، ثم {}", "discreet": "حان وقت إحدى مهام العناية"},
    "es": {"title": "Cuidados de la mañana", "then": "{} y luego {}", "discreet": "cuidado"},
}


def task_title(language: str, task: str) -> str:
    """A Scalp Nation task's title in the protocol's translation file."""
    overlay = tomllib.loads((PROTOCOLS / f"scalp-nation.{language}.toml").read_text("utf-8"))
    return overlay["tasks"][task]["title"]


def speaks(app, person, language: str, discreet: bool = False) -> None:
    with app.app_context():
        client = db.session.get(Client, person.client_id)
        client.language, client.reminders_discreet = language, discreet
        db.session.commit()


@pytest.mark.parametrize("language", ["ar", "es"])
def test_a_reminder_decrypts_to_the_clients_language(
    app, http, person, push_service, send_due, language
):
    speaks(app, person, language)
    subscription = subscribe(http, person.phone, push_service)

    assert send_due() == {"sent": 1}

    [message] = push_service.messages(subscription.id)
    cleanse, balm = task_title(language, "cleanse"), task_title(language, "balm")
    assert message.payload["title"] == WORDS[language]["title"]
    assert message.payload["body"] == WORDS[language]["then"].format(
        cleanse, balm[0].lower() + balm[1:]
    )
    assert message.payload["tag"] == MORNING


def test_a_discreet_reminder_is_in_the_clients_language_too(
    app, http, person, push_service, send_due
):
    speaks(app, person, "ar", discreet=True)
    subscription = subscribe(http, person.phone, push_service)

    assert send_due() == {"sent": 1}

    [message] = push_service.messages(subscription.id)
    assert message.payload["title"] == "Aftercue"
    assert WORDS["ar"]["discreet"] in message.payload["body"]


def test_clients_in_different_languages_get_their_own_in_one_pass(
    app, http, person, push_service, send_due, now
):
    other = enroll(app, now, SESSION)
    speaks(app, person, "ar")
    mine, theirs = (subscribe(http, p.phone, push_service) for p in (person, other))

    assert send_due() == {"sent": 2}

    [arabic] = push_service.messages(mine.id)
    [english] = push_service.messages(theirs.id)
    assert arabic.payload["title"] == WORDS["ar"]["title"]
    assert english.payload["title"] == "Morning aftercare"
    assert english.payload["body"] == "Cleanse your scalp, then apply balm"
