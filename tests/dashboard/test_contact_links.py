"""The client's phone and email as call, text and mail links: at the top of their page and in
the clinic's list; odd contacts escaped, and no link for a contact that is neither."""

import html
import re

import pytest

from server.extensions import db
from server.models import Client
from tests.support.dashboard import readable

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
    assert '>Text<span class="visually-hidden"> <bdi>+44 7700 900107</bdi></span></a>' in listing


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
    assert f'<span class="reach"><bdi>{contact}</bdi></span>' in listing  # isolated: RTL pages


def test_no_contact_says_so(app, world, clinician_a):
    set_contact(app, world.a.client_id, None)
    assert "No phone or email yet." in top(clinician_a, world.a.client_id)
    assert 'class="reach"' not in clinician_a.get("/clinic/").text


ENROLL = re.compile(r'class="enroll-link" href="(https://aftercue\.test/enroll#([\w-]+))"')


def sending(page: str) -> tuple[str, str, str]:
    """The enrollment page's link, and its text and email links' hrefs."""
    url = ENROLL.search(page).group(1)
    sms = html.unescape(re.search(r'id="send-sms" href="([^"]*)"', page).group(1))
    mail = html.unescape(re.search(r'id="send-email" href="([^"]*)"', page).group(1))
    return url, sms, mail


def test_a_new_link_is_ready_to_text_email_and_copy(app, world, clinician_a):
    set_contact(app, world.a.client_id, "+44 (0)7700 900107 or sam+smp@example.com")
    page = clinician_a.post(f"/clinic/clients/{world.a.client_id}/enrollment").text
    url, sms, mail = sending(page)
    coded = url.replace(":", "%3A").replace("/", "%2F").replace("#", "%23")
    assert sms == (
        "sms:+447700900107?&body=Clinic%20A%3A%20open%20this%20link%20on%20your%20phone%20for"
        "%20your%20aftercare%20plan%20and%20reminders%20%28it%20works%20once%2C%20until%2027%20Mar"
        f"%202026%2C%2012%3A00%29%3A%20{coded}"
    )
    assert mail == (
        "mailto:sam+smp@example.com?subject=Your%20aftercare%20plan%20from%20Clinic%20A"
        "&body=Hello%20Sam%2C%0A%0AOpen%20this%20link%20on%20your%20phone%20to%20get%20your"
        "%20aftercare%20plan%2C%20day%20by%20day%2C%20with%20reminders%3A%0A"
        f"{coded}%0A%0AIt%20works%20once%2C%20until%2027%20Mar%202026%2C%2012%3A00."
        "%20If%20it%20has%20stopped%20working%2C%20ask%20us%20for%20a%20new%20one.%0A%0AClinic%20A"
    )
    assert "Send by text to +44 (0)7700 900107" in readable(
        page
    ) and "Send by email to sam+smp@example.com" in readable(page)
    assert f'<button type="button" class="copy" data-copy="{url}"' in page
    assert '<script src="/clinic/static/copy.js" defer></script>' in page


def test_without_a_phone_or_email_the_message_waits_for_a_recipient(app, world, clinician_a):
    form = {"name": "Ann", "contact": "ask at the desk", "timezone": "Europe/London"}
    created = clinician_a.post("/clinic/clients/new", {**form, "protocol_id": "scalp-nation"})
    assert created.status_code == 201
    _, sms, mail = sending(created.text)
    assert sms.startswith("sms:?&body=Clinic%20A%3A%20open%20this%20link")
    assert mail.startswith("mailto:?subject=Your%20aftercare%20plan%20from%20Clinic%20A&body=")
    assert "Send by text</a>" in created.text and "Send by email</a>" in created.text


def test_the_copy_script_is_served_under_the_dashboard_s_policy(app, dashboard):
    with dashboard().get("/clinic/static/copy.js") as response:  # a file: closed when read
        assert response.status_code == 200 and "navigator.clipboard" in response.text
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
