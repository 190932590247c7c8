"""The client's phone and email as call, text and mail links: at the top of their page and in
the clinic's list; odd contacts escaped, and no link for a contact that is neither."""

import html
import re

import pytest

from server.extensions import db
from server.models import Client

LINK = re.compile(r'<a class="(tel|sms|mailto)" href="([^"]*)">')


def set_contact(app, client_id: int, contact: str | None) -> None:
    with app.app_context():
        db.session.get(Client, client_id).contact = contact
        db.session.commit()


def links(page: str, section: str) -> list[tuple[str, str]]:
    """(kind, href) of each contact link inside the element with id or class `section`."""
    start = page.index(section)
    return [(kind, html.unescape(href)) for kind, href in LINK.findall(page[start:][:2000])]


def top(person, client_id: int) -> str:
    page = person.get(f"/clinic/clients/{client_id}").text
    return page[page.index('id="reach"') :].split("</p>", 1)[0]


def test_a_phone_and_an_email_are_call_text_and_mail_links(app, world, clinician_a):
    set_contact(app, world.a.client_id, "+44 7700 900107, sam@example.com")
    expected = [
        ("tel", "tel:+447700900107"),
        ("sms", "sms:+447700900107"),
        ("mailto", "mailto:sam@example.com"),
    ]
    assert links(top(clinician_a, world.a.client_id), "reach") == expected
    listing = clinician_a.get("/clinic/").text
    assert links(listing, 'class="reach"') == expected
    assert '>Text<span class="visually-hidden"> +44 7700 900107</span></a>' in listing


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("o'brien&co@example.com", [("mailto", "mailto:o'brien%26co@example.com")]),
        (
            '"><script>x</script> 07700 900200',
            [("tel", "tel:07700900200"), ("sms", "sms:07700900200")],
        ),
    ],
)
def test_odd_contacts_are_escaped_as_text_and_in_the_link(
    app, world, clinician_a, contact, expected
):
    set_contact(app, world.a.client_id, contact)
    shown = top(clinician_a, world.a.client_id)
    assert links(shown, "reach") == expected
    assert "<script>" not in shown and contact in html.unescape(re.sub(r"<[^>]+>", "", shown))


@pytest.mark.parametrize("contact", ["ask at the desk", "ext 1234"])
def test_a_contact_that_is_neither_shows_as_text_without_a_link(app, world, clinician_a, contact):
    set_contact(app, world.a.client_id, contact)
    shown = top(clinician_a, world.a.client_id)
    assert contact in shown and "<a " not in shown
    listing = clinician_a.get("/clinic/").text
    assert f'<span class="reach">{contact}</span>' in listing


def test_no_contact_says_so(app, world, clinician_a):
    set_contact(app, world.a.client_id, None)
    assert "No phone or email yet." in top(clinician_a, world.a.client_id)
    assert 'class="reach"' not in clinician_a.get("/clinic/").text
